"""Helpers shared by extractors: sentence lookup for character offsets."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences start (one sentence if the Doc has no boundaries)."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [s.start_char for s in doc.sents]
    return [0]


def sentence_of(starts: list[int], char: int) -> int:
    """Index of the sentence containing character ``char``."""
    return max(0, bisect_right(starts, char) - 1)
