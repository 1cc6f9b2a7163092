"""Near-duplicate articles with MinHash LSH (datasketch).

An article's signature is the MinHash of its word shingles (lower-cased word n-grams). The LSH index
proposes candidates whose estimated Jaccard similarity may pass the threshold; the best candidate
above the threshold is the original. Signatures are stored with their articles, so a later run finds
copies of articles stored by earlier runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

import numpy as np

_TOKEN = re.compile(r"\w+", re.U)


def shingles(text: str, size: int = 3) -> set[bytes]:
    words = _TOKEN.findall(text.casefold())
    if len(words) < size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i:i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Match:
    article_id: str
    similarity: float


class NearDuplicateIndex:
    """Signatures of the articles seen so far, each with the input key that holds it."""

    def __init__(self, threshold: float = 0.8, num_perm: int = 128, shingle_size: int = 3):
        from datasketch import MinHashLSH

        if not 0.0 < threshold <= 1.0:
            raise ValueError("near-duplicate threshold must be in (0, 1]")
        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle_size = shingle_size
        # the LSH bands are tuned a little below the threshold so borderline pairs are still proposed
        self._lsh = MinHashLSH(threshold=max(0.05, threshold - 0.1), num_perm=num_perm)
        self._sigs: dict[str, object] = {}
        self._owner: dict[str, str] = {}

    def __len__(self) -> int:
        return len(self._sigs)

    def signature(self, text: str) -> np.ndarray:
        from datasketch import MinHash

        m = MinHash(num_perm=self.num_perm, seed=1, scheme="affine32")
        m.update_batch(list(shingles(text, self.shingle_size)))
        return m.hashvalues.copy()

    def _minhash(self, values: np.ndarray):
        from datasketch import MinHash

        return MinHash(num_perm=self.num_perm, seed=1, scheme="affine32", hashvalues=np.asarray(values, dtype=np.uint64))

    def add(self, article_id: str, signature: Iterable[int], owner: str = "") -> None:
        if article_id in self._sigs:
            return
        m = self._minhash(np.asarray(list(signature), dtype=np.uint64))
        self._lsh.insert(article_id, m)
        self._sigs[article_id] = m
        self._owner[article_id] = owner

    def discard(self, article_id: str) -> None:
        if article_id in self._sigs:
            self._lsh.remove(article_id)
            del self._sigs[article_id]
            del self._owner[article_id]

    def find(self, signature: Iterable[int], exclude_id: str = "", exclude_owner: str = "") -> Match | None:
        """The most similar stored article at or above the threshold, if any (ties: smallest id)."""
        m = self._minhash(np.asarray(list(signature), dtype=np.uint64))
        found = []
        for cand in self._lsh.query(m):
            if cand == exclude_id or (exclude_owner and self._owner.get(cand) == exclude_owner):
                continue
            sim = float(m.jaccard(self._sigs[cand]))
            if sim >= self.threshold:
                found.append((-sim, cand))
        if not found:
            return None
        neg, cand = min(found)
        return Match(cand, -neg)
