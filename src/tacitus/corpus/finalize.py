"""Corpus-level tables, derived from every article in the store and rebuilt after each run.

Each step reads the per-article tables and rewrites its own derived tables in one transaction, with
row ids that are hashes of what defines the row, so the result depends only on the store's contents
(not on the order articles arrived in, nor on how many runs it took).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tacitus.settings import Settings
    from tacitus.store import Store


def refresh_corpus(store: "Store", settings: "Settings") -> None:
    """Rebuild every corpus-level table. Called at the end of each run (any engine)."""
    from tacitus.corpus.disputes import rebuild_disputes
    from tacitus.corpus.merge import rebuild_clusters

    rebuild_disputes(store)
    rebuild_clusters(store, settings)
