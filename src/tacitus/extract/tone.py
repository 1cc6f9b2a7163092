"""Tone per sentence and per article, from the VADER lexicon (vaderSentiment, MIT licence).

Scale: ``tone`` is VADER's compound score times 10, from -10 (most negative) to +10 (most positive), 0
neutral. An article's tone is the mean of its sentences' tones weighted by their length in words; its
``positive`` and ``negative`` are the shares (0-100) of its words that VADER rates positive or negative,
like GDELT's positive and negative scores. Tone says how a text is worded, not who is right.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Iterable

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")


@dataclass(frozen=True)
class Tone:
    tone: float  # -10 .. +10
    positive: float  # share of words rated positive, 0-100
    negative: float  # share of words rated negative, 0-100
    words: int


@functools.lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentence_tone(text: str) -> Tone:
    analyzer = _analyzer()
    words = _WORD.findall(text)
    if not words:
        return Tone(0.0, 0.0, 0.0, 0)
    score = analyzer.polarity_scores(text)["compound"]
    pos = neg = 0
    for w in words:
        v = analyzer.lexicon.get(w.lower())
        if v is None:
            continue
        if v > 0:
            pos += 1
        elif v < 0:
            neg += 1
    return Tone(round(score * 10, 3), round(100 * pos / len(words), 3), round(100 * neg / len(words), 3), len(words))


def article_tone(sentences: Iterable[Tone]) -> Tone:
    sentences = [s for s in sentences if s.words]
    total = sum(s.words for s in sentences)
    if not total:
        return Tone(0.0, 0.0, 0.0, 0)
    return Tone(round(sum(s.tone * s.words for s in sentences) / total, 3),
                round(sum(s.positive * s.words for s in sentences) / total, 3),
                round(sum(s.negative * s.words for s in sentences) / total, 3), total)
