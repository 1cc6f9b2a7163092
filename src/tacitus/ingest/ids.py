"""Stable identifiers: the same content always gets the same id, so re-runs add nothing."""

from __future__ import annotations

import hashlib
import re
import unicodedata

_WS = re.compile(r"\s+")


def normalise_for_id(text: str) -> str:
    """NFKC, case-folded, whitespace collapsed: formatting differences do not change the id."""
    return _WS.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip()


def article_id(clean_text: str) -> str:
    """Article id: hash of the normalised clean text."""
    return hashlib.sha256(normalise_for_id(clean_text).encode("utf-8")).hexdigest()[:20]


def fingerprint(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()


def row_id(*parts: object) -> str:
    """Deterministic id of an extracted row from its defining parts (article id, offsets, kind...)."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]
