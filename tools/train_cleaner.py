"""Rebuild the committed line-cleaner model, ``src/tacitus/data/cleaner/model.json`` (``make cleaner-model``).

Trains on every labelled page :func:`tacitus.evaluate.clean.training_pages` finds: our line annotation of
the trafilatura benchmark's real pages (``data/cleaner/real_labels.tsv.gz``, the pages read from
``../shared/eval/trafilatura-eval``), the benchmark's other English pages labelled by its snippets, the
pages of ``../shared/corpus`` (hand-checked line numbers) and our own 52 scrapes. Deterministic: the same
data gives the same model. Without ``../shared`` it refuses (a model of our own pages only is what the
issue "Keep every real article" replaced).

    python tools/train_cleaner.py [--eval-dir ../shared/eval] [--corpus ../shared/corpus] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tacitus.evaluate.clean import train_cleaner, training_pages

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "tacitus" / "data" / "cleaner" / "model.json")
    args = ap.parse_args()
    if not (args.eval_dir / "trafilatura-eval" / "evaldata.json").exists():
        print(f"no trafilatura benchmark under {args.eval_dir}: the cleaner is trained on real pages", file=sys.stderr)
        return 2
    pages = training_pages(args.eval_dir, args.corpus)
    cleaner = train_cleaner(pages)
    args.out.write_text(json.dumps(cleaner.as_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{args.out}: {json.dumps(cleaner.info)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
