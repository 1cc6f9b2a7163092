"""Fallback event classifier for sentences the lexicon misses.

A multinomial logistic regression over the sentence's words and word pairs, trained on our labelled
sentences (``tacitus/data/plover/sentences.jsonl``: the 16 PLOVER types plus "no event"). Its weights are
committed (``tacitus/data/plover/fallback-weights.npz``, rebuilt by ``make fallback-model``, with the
SHA-256 of the sentences they were trained on); when the sentences change and the weights were not
rebuilt, it is trained on first use instead (about a second, deterministic). It is only consulted for
sentences that name an actor but yield no lexicon event. Its probability, scaled down, is the event's
confidence.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Iterable, Sequence

import numpy as np

from tacitus.extract.lexicon import TYPES

NONE = "NONE"
_WORD = re.compile(r"[a-z][a-z'-]+")
_STOP = frozenset("""a an the of to in on at by for with from and or but as is are was were be been being has have had
it its this that these those their his her they he she we you i which who whom whose than then there here also into
over after before about said says say according would will could may might can""".split())


def features(text: str) -> list[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in _STOP]
    stems = [w[:6] for w in words]  # a crude stem: "attacked", "attacks" -> "attack"
    return stems + [f"{a}_{b}" for a, b in zip(stems, stems[1:])]


@dataclass
class FallbackClassifier:
    vocab: dict[str, int]
    classes: list[str]
    weights: np.ndarray  # (features + 1) x classes

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]], l2: float = 1.0) -> "FallbackClassifier":
        from scipy.optimize import minimize

        examples = list(examples)
        vocab: dict[str, int] = {}
        for text, _label in examples:
            for f in features(text):
                vocab.setdefault(f, len(vocab))
        classes = sorted({label for _t, label in examples})
        X = np.zeros((len(examples), len(vocab) + 1))
        for i, (text, _label) in enumerate(examples):
            for f in features(text):
                X[i, vocab[f]] = 1.0
            X[i, -1] = 1.0
        y = np.array([classes.index(label) for _t, label in examples])
        Y = np.eye(len(classes))[y]
        k = len(classes)

        def loss(w):
            W = w.reshape(X.shape[1], k)
            Z = X @ W
            Z -= Z.max(axis=1, keepdims=True)
            P = np.exp(Z)
            P /= P.sum(axis=1, keepdims=True)
            value = -(Y * np.log(P + 1e-12)).sum() + 0.5 * l2 * (W[:-1] ** 2).sum()
            G = X.T @ (P - Y)
            G[:-1] += l2 * W[:-1]
            return value, G.ravel()

        res = minimize(loss, np.zeros(X.shape[1] * k), jac=True, method="L-BFGS-B", options={"maxiter": 300})
        return cls(vocab, classes, res.x.reshape(X.shape[1], k))

    def save(self, path, source_sha256: str) -> None:
        """The weights (float64, so that a loaded classifier predicts exactly what the trained one does),
        vocabulary and classes, with the digest of the sentences they come from."""
        words = sorted(self.vocab, key=self.vocab.__getitem__)
        np.savez_compressed(path, weights=self.weights, vocab=np.array(words, dtype=str),
                            classes=np.array(self.classes, dtype=str), source_sha256=np.array(source_sha256))

    @classmethod
    def load(cls, path, source_sha256: str) -> "FallbackClassifier | None":
        """The saved classifier, or None when there is none or it was trained on other sentences."""
        try:
            with np.load(path, allow_pickle=False) as data:
                if str(data["source_sha256"]) != source_sha256:
                    return None
                words = [str(w) for w in data["vocab"]]
                return cls({w: i for i, w in enumerate(words)}, [str(c) for c in data["classes"]],
                           np.array(data["weights"], dtype=np.float64))
        except (OSError, KeyError, ValueError):
            return None

    def predict(self, text: str) -> tuple[str, float]:
        x = np.zeros(len(self.vocab) + 1)
        for f in features(text):
            if f in self.vocab:
                x[self.vocab[f]] = 1.0
        x[-1] = 1.0
        z = x @ self.weights
        z -= z.max()
        p = np.exp(z) / np.exp(z).sum()
        i = int(p.argmax())
        return self.classes[i], float(p[i])


def labelled_examples(ids: Sequence[str] | None = None, exclude: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(text, label) from our labelled sentences: the sentence's most frequent event type, or NONE."""
    skip = set(exclude)
    text = resources.files("tacitus").joinpath("data", "plover", "sentences.jsonl").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r["id"] in skip or (ids is not None and r["id"] not in ids):
            continue
        types = [e["type"] for e in r.get("events", []) if e.get("type") in TYPES]
        label = max(sorted(set(types)), key=types.count) if types else NONE
        out.append((r["text"], label))
    return out


def sentences_sha256() -> str:
    import hashlib

    data = resources.files("tacitus").joinpath("data", "plover", "sentences.jsonl").read_bytes()
    return hashlib.sha256(data).hexdigest()


def weights_path():
    return resources.files("tacitus").joinpath("data", "plover", "fallback-weights.npz")


@functools.lru_cache(maxsize=1)
def default_classifier() -> FallbackClassifier:
    """The committed weights when they match the labelled sentences, else trained now."""
    digest = sentences_sha256()
    path = weights_path()
    if path.is_file():
        loaded = FallbackClassifier.load(path, digest)
        if loaded is not None:
            return loaded
    return FallbackClassifier.train(labelled_examples())
