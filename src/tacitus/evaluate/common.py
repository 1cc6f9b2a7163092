"""Shared by the evaluation commands: precision/recall/F1 counts and reading an annotated article."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class PRF:
    """True/false positive and false negative counts of one system, with derived scores."""

    system: str
    tp: int = 0
    fp: int = 0
    fn: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: set, pred: set) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def as_dict(self) -> dict:
        return {"system": self.system, "precision": round(self.precision, 3), "recall": round(self.recall, 3),
                "f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn, **self.extra}


def read_article(reader, path: Path):
    """An annotated demo article read the way a run reads it (HTML or plain text)."""
    raw = path.read_text(encoding="utf-8")
    name = path.name
    if path.suffix.lower() in (".html", ".htm"):
        return reader.from_html(raw, key=name, source_path=name)
    return reader.from_text(raw, key=name, source_path=name)


def strip_span(text: str, start: int, end: int, chars: str) -> tuple[int, int]:
    """``start``-``end`` of ``text`` without the ``chars`` (quote marks, spaces, ...) at either end: the
    same span whether a gold file or a system includes the marks around it."""
    while start < end and text[start] in chars:
        start += 1
    while end > start and text[end - 1] in chars:
        end -= 1
    return start, end


def factrueval_devset(eval_dir: Path) -> Path:
    """The factRuEval-2016 development texts (``book_*.txt`` and their annotation layers) under ``eval_dir``."""
    return Path(eval_dir) / "factrueval2016-dev" / "devset"


class ParsedOnce:
    """``nlp`` that parses each distinct text once: the PolNeAR evaluations (quotes, claims,
    attribution) read the same Docs; none of them changes what it reads."""

    def __init__(self, nlp):
        self.nlp = nlp
        self.docs: dict[str, object] = {}

    def __call__(self, text: str):
        doc = self.docs.get(text)
        if doc is None:
            doc = self.docs[text] = self.nlp(text)
        return doc
