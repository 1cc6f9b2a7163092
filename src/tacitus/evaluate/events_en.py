"""English PLOVER events against our gold standard on real news nobody in the project wrote.

Gold: ``tacitus/data/gold/en_events.jsonl`` (guidelines and provenance in ``README-en-events.md``): every
sentence of real articles of PolNeAR train/dev, MUC-3/4 DEV, TimeBank, AQUAINT and the Wikinews timelines
(``../shared/eval``, read through :mod:`tacitus.evaluate.realtext`; never a test split), one line per event
mention with the trigger's character offsets, PLOVER type, source and target codes, mode and negation. The
texts stay in ``../shared``; without them nothing is scored (the agreement figures, which need only the gold
file, are still computed).

Systems, run in the same command on the same parse of each document (the English pipeline as ``tacitus
run`` builds it, default settings; an all-capitals article (MUC) truecased first, as the reader does, letter
case only, so offsets stay valid; pre-tokenised text (Wikinews) parsed as it stands, since the reader's
detokenising would move the gold's offsets):

* ``tacitus``: its ``doc._.tacitus_events`` with the learned trigger, mode and argument classifiers
  trained on the other folds of the gold (cross-validated by article:
  :func:`tacitus.evaluate.triggers.cv_evaluate`; the committed weights, fitted on every document, are
  never scored here);
* ``no-args``: the same without the argument classifier (the actor slots as the rules leave them);
* ``rules``: the same events without any classifier;
* ``lexicon``: the lexicon-only baseline of :func:`tacitus.evaluate.event_gold.baseline_events`.

Scores (defined in :mod:`tacitus.evaluate.events_ru` and computed by :mod:`tacitus.evaluate.event_gold`):
precision over all system events, recall of asserted gold events, type accuracy, source and target country
and code, leakage of reported or planned events as plain asserted ones, negation; for all documents and per
corpus.

Run: ``tacitus eval events`` (this first, then our sentences and the PLOVER GSR), or
``PYTHONPATH=src python -m tacitus.evaluate.events_en [--shared ../shared] [--json] [--agreement] [--limit N]``.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from tacitus.evaluate.event_gold import GoldDoc, agreement as _agreement, cli_parser, table_lines

DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def gold_path() -> Path:
    return Path(str(resources.files("tacitus").joinpath("data", "gold", "en_events.jsonl")))


def load_gold(path: Path | None = None, limit: int | None = None) -> dict[str, GoldDoc]:
    """doc key ("corpus/doc id") -> its gold, in file order; ``limit``: the first N documents of each corpus."""
    from tacitus.evaluate.event_gold import load_gold as _load

    gold = _load(path or gold_path())
    if limit is None:
        return gold
    kept: dict[str, GoldDoc] = {}
    per: dict[str, int] = {}
    for key, g in gold.items():
        if per.get(g.group, 0) < limit:
            per[g.group] = per.get(g.group, 0) + 1
            kept[key] = g
    return kept


def agreement(gold: dict[str, GoldDoc] | None = None) -> dict:
    """Pass 1 against pass 2 (:func:`tacitus.evaluate.event_gold.agreement`) on the English gold."""
    return _agreement(gold or load_gold())


def read_texts(shared: Path, gold: dict[str, GoldDoc]) -> dict[str, str]:
    """doc key -> its text as the gold's offsets read it; checks its length and every gold trigger."""
    from tacitus.evaluate import realtext

    wanted = set(gold)
    texts: dict[str, str] = {}
    for corpus in dict.fromkeys(key.split("/", 1)[0] for key in gold):
        for d in realtext.load(Path(shared) / "eval", corpus):
            key = f"{corpus}/{d.doc_id}"
            if key in wanted:
                texts[key] = d.text
    for key, g in gold.items():
        if key not in texts:
            raise ValueError(f"{key}: not found under {shared}/eval")
        text = texts[key]
        if len(text) != g.chars:
            raise ValueError(f"{key}: {len(text)} characters, the gold expects {g.chars}")
        for e in (*g.events, *g.second_pass):
            if text[e["start"]:e["end"]] != e["trigger"]:
                raise ValueError(f"{key}: gold trigger {e['trigger']!r} at {e['start']} does not match the text")
    return texts


def parse_input(text: str) -> str:
    """The text the parser is given: truecased when written all in capitals (offsets unchanged)."""
    from tacitus.ingest.normalise_case import is_upper_case_document, restore_case

    return restore_case(text) if is_upper_case_document(text) else text


def evaluate(nlp, shared: Path = DEFAULT_SHARED, gold: dict[str, GoldDoc] | None = None,
             progress: Callable[[], None] | None = None) -> dict:
    """The three systems of :func:`tacitus.evaluate.triggers.cv_evaluate` on ``gold`` (default: all of it):
    ``tacitus`` with the trigger classifier trained on the other folds of the whole gold (never on the
    document it scores), ``rules`` without it, ``lexicon``."""
    from tacitus.evaluate.triggers import cv_evaluate

    full = load_gold()
    gold = gold if gold is not None else full
    result = cv_evaluate(nlp, shared, full, score_docs=list(gold), progress=progress)
    return {"documents": len(gold), "views": result["views"], "predicted": result["predicted"], "problems": {}}


def report_lines(result: dict, agree: dict | None = None) -> list[str]:
    lines = [f"English PLOVER events: {result['documents']} real articles (gold: tacitus/data/gold/en_events.jsonl; "
             "PolNeAR train/dev, MUC DEV, TimeBank, AQUAINT, Wikinews)"]
    lines.extend(table_lines(result["views"]))
    for key, what in result["problems"].items():
        lines.append(f"  ! {key}: {what}")
    if agree and agree.get("documents"):
        lines.append("")
        lines.append(f"Annotation agreement ({len(agree['documents'])} documents coded twice, independently): "
                     + ", ".join(f"{k} {v}" for k, v in agree.items() if k != "documents"))
    return lines


def main(argv: Iterable[str] | None = None) -> int:
    ap = cli_parser("python -m tacitus.evaluate.events_en", __doc__.split("\n")[0], DEFAULT_SHARED)
    ap.add_argument("--limit", type=int, help="the first N documents of each corpus")
    args = ap.parse_args(list(argv) if argv is not None else None)
    gold = load_gold(limit=args.limit)
    agree = agreement(load_gold())
    if args.agreement:
        print(json.dumps(agree, indent=2, ensure_ascii=False))
        return 0
    if not (args.shared / "eval").is_dir():
        print(f"{args.shared / 'eval'} is absent: nothing to score", file=sys.stderr)
        return 2
    from tacitus.nlp import build_pipeline
    from tacitus.settings import resolve

    nlp = build_pipeline(resolve(use_default_config=False).model)[0]
    result = evaluate(nlp, args.shared, gold)
    if args.dump:
        args.dump.write_text(json.dumps(result["predicted"], ensure_ascii=False), encoding="utf-8")
    if args.json:
        print(json.dumps({"documents": result["documents"], "problems": result["problems"], "views": result["views"],
                          "agreement": agree}, indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(result, agree)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
