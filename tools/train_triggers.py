"""Train the trigger, mode and argument classifiers' committed weights (``tacitus/data/plover/trigger-model.json.gz``,
``mode-model.json.gz``, ``argument-model.json.gz``).

Usage: ``python tools/train_triggers.py [--shared ../shared] [--cv]``

Data: our event gold on real articles (``tacitus/data/gold/en_events.jsonl``, 158 articles of
``../shared/eval``: PolNeAR train/dev, MUC DEV, TimeBank, AQUAINT, Wikinews), each article parsed by the
pipeline (default settings, the trigger classifier off), every lexicon candidate an example
(:mod:`tacitus.evaluate.triggers`); the mode classifier learns the gold mode (asserted, reported,
planned) of the candidates that are events, the argument classifier the role (source, target, none) of each
actor mention in the sentence of a candidate that is an event. The weights record the SHA-256 of the gold file. Deterministic
(lbfgs). ``--cv`` also prints the cross-validated scores (by article) beside the rules alone and the
lexicon baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--cv", action="store_true")
    args = ap.parse_args(argv)
    from tacitus.evaluate import events_en, triggers
    from tacitus.evaluate.event_gold import table_lines
    from importlib.resources import as_file

    from tacitus.extract.arguments import ARGUMENT_WEIGHTS
    from tacitus.extract.triggers import MODE_WEIGHTS, TRIGGER_WEIGHTS, weights_path
    from tacitus.nlp import build_pipeline
    from tacitus.settings import resolve

    nlp = build_pipeline(resolve(use_default_config=False).model)[0]
    gold = events_en.load_gold()
    texts = events_en.read_texts(args.shared, gold)
    pipe = nlp.get_pipe("tacitus_events")
    pipe.use_trigger_model = False
    docs = triggers.parse_gold_docs(nlp, texts, gold)
    examples = [ex for key, doc in docs.items() for ex in triggers.doc_examples(doc, gold[key], pipe)]
    arguments = [ex for key, doc in docs.items() for ex in triggers.argument_examples(doc, gold[key], pipe)]
    sha = hashlib.sha256(events_en.gold_path().read_bytes()).hexdigest()
    meta = {"data": "tacitus/data/gold/en_events.jsonl", "data_sha256": sha, "documents": len(docs)}
    for name, model in ((TRIGGER_WEIGHTS, triggers.train(examples, meta=meta)),
                        (MODE_WEIGHTS, triggers.train(triggers.mode_examples(examples), meta=meta)),
                        (ARGUMENT_WEIGHTS, triggers.train(arguments, meta=meta))):
        with as_file(weights_path(name)) as out:
            model.save(out)
            print(f"{model.meta['examples']} examples, {len(model.weights)} features -> {out} "
                  f"({out.stat().st_size} bytes)")
    if args.cv:
        r = triggers.cv_evaluate(nlp, args.shared, gold)
        print("\n".join(table_lines({"all": r["views"]["all"]})))
    return 0


if __name__ == "__main__":
    sys.exit(main())
