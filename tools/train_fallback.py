"""Rebuild the event fallback classifier's committed weights (``make fallback-model``).

Trains :class:`tacitus.extract.fallback.FallbackClassifier` on ``src/tacitus/data/plover/sentences.jsonl``
(our own labelled sentences, this project's licence) and writes ``fallback-weights.npz`` beside it with
the sentences' SHA-256; a run loads those weights instead of training (about a second) for as long as
the sentences are unchanged.
"""

from __future__ import annotations

from pathlib import Path

from tacitus.extract.fallback import FallbackClassifier, labelled_examples, sentences_sha256

OUT = Path(__file__).resolve().parent.parent / "src" / "tacitus" / "data" / "plover" / "fallback-weights.npz"


def main() -> None:
    clf = FallbackClassifier.train(labelled_examples())
    clf.save(OUT, sentences_sha256())
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes: {len(clf.vocab):,} features x {len(clf.classes)} classes)")


if __name__ == "__main__":
    main()
