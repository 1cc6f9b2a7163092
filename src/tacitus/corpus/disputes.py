"""Claims about the same proposition across articles, linked into disputes (who alleges, who denies)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tacitus.store import Store


def rebuild_disputes(store: "Store") -> None:
    """Recompute the ``disputes`` table from ``claims`` (filled in by the quotes issue)."""
    return None
