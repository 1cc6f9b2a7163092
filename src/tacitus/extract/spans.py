"""Helpers shared by extractors: the document's text, and sentence lookup for character offsets."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc

_TEXT_KEY = ("tacitus", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token's text on each access of
    ``Doc.text`` (an article's extractors read it thousands of times). The text of a Doc cannot
    change, but a cached copy is checked against the Doc's length before it is used, so a Doc
    built anew under the same ``user_data`` is not given another's text."""
    cached = doc.user_data.get(_TEXT_KEY)
    n = len(doc)
    if cached is not None and cached[0] == n and (n == 0 or doc[-1].idx + len(doc[-1].text_with_ws) == len(cached[1])):
        return cached[1]
    text = doc.text
    doc.user_data[_TEXT_KEY] = (n, text)
    return text


#: The characters a case-insensitive regex also takes for an ASCII letter beyond its two cases: dotted
#: and dotless I for "i", the long s for "s", the Kelvin sign for "k" (``tests/test_extract.py`` scans
#: the Basic Multilingual Plane for others).
_REGEX_FOLD = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})


def regex_folded(text: str) -> str:
    """``text`` lower-cased as a case-insensitive regex compares ASCII letters, one character for one:
    an ASCII word a ``re.I`` pattern matches in ``text`` is a substring of the result. For cheap
    tests that a pattern cannot match before scanning with it."""
    return text.translate(_REGEX_FOLD).lower()


def sentence_starts(doc: Doc) -> list[int]:
    """Character offsets where sentences start (one sentence if the Doc has no boundaries)."""
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [s.start_char for s in doc.sents]
    return [0]


def sentence_of(starts: list[int], char: int) -> int:
    """Index of the sentence containing character ``char``."""
    return max(0, bisect_right(starts, char) - 1)
