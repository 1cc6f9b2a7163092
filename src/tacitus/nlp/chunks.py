"""Split a long text into bounded pieces for the statistical model, so that memory per document is
flat in its length.

spaCy's tok2vec, tagger, parser and NER hold arrays in proportion to the text they are given at once:
a 1,000,000-character article took 2.7 GB in one call and about 0.4 GB as pieces of 20,000
characters. ``split_points`` cuts a text into pieces of at most ``size`` characters at the best
boundary found in the second half of each window: a paragraph break, then a line break, then the end
of a sentence, then any whitespace; only a text with no whitespace at all is cut inside a word. The
pieces, concatenated, are exactly the text, so every character offset stays valid once the parsed
pieces are joined back into one ``Doc`` (:func:`join_pieces`), which the extractors see as one
document.
"""

from __future__ import annotations

import re
from typing import Sequence

from spacy.tokens import Doc

#: Boundaries in order of preference: each pattern's match end is where the next piece starts.
_BOUNDARIES = (
    re.compile(r"\n[ \t\r\f\v]*\n\s*"),  # a paragraph break (a blank line)
    re.compile(r"\n\s*"),  # a line break
    re.compile(r"[.!?][\"'\u201d\u2019)\]]*\s+"),  # the end of a sentence
    re.compile(r"\s+"),  # any whitespace
)


def split_points(text: str, size: int) -> list[int]:
    """Start offsets of the pieces of ``text`` (the first is 0), each piece at most ``size``
    characters long; a text of at most ``size`` characters is one piece."""
    if size <= 0 or len(text) <= size:
        return [0]
    starts = [0]
    start = 0
    while len(text) - start > size:
        lo, hi = start + size // 2, start + size
        cut = hi
        for pattern in _BOUNDARIES:
            last = None
            for last in pattern.finditer(text, lo, hi):
                pass
            if last is not None and lo < last.end() <= hi:
                cut = last.end()
                break
        starts.append(cut)
        start = cut
    return starts


def pieces(text: str, size: int) -> list[str]:
    """The pieces of ``text`` given by :func:`split_points`; ``"".join(pieces(t, n)) == t``."""
    starts = split_points(text, size)
    return [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]


def join_pieces(docs: Sequence[Doc]) -> Doc:
    """One ``Doc`` from parsed pieces, its text exactly their concatenation (no whitespace added):
    tags, lemmas, morphology, heads, dependencies, sentence starts, entities and the tok2vec tensor
    are kept. A single piece is returned as it is."""
    if len(docs) == 1:
        return docs[0]
    return Doc.from_docs(list(docs), ensure_whitespace=False)
