"""Russian PLOVER events against a gold standard on real news nobody in the project wrote.

Gold: ``tacitus/data/gold/ru_events.jsonl`` (guidelines and provenance in ``README-ru-events.md``): every
sentence of 28 political and international news documents of factRuEval-2016's development set
(``../shared/eval/factrueval2016-dev/devset``), one line per event mention with the trigger's character
offsets, its PLOVER type, source and target codes, mode (``asserted`` / ``reported`` / ``planned``) and
negation. The texts stay in ``../shared``; without them nothing is scored (the agreement figures, which
need only the gold file, are still computed).

Systems, run in the same command on the same natasha analysis of each document:

* ``tacitus``: :class:`~tacitus.nlp.pipeline_ru.RussianPipeline` (its ``doc._.tacitus_events``);
* ``lexicon``: a lexicon-only baseline: every token whose lemma (and part of speech) has a row in
  ``lexicon_ru.csv`` is an event of that row's type (a bare row preferred), its source the nearest actor
  mention before it in the sentence, its target the nearest one after it, never negated, hedged or future.

Matching, per document: a system event and a gold event *overlap* when the system trigger overlaps the
gold trigger or one of its ``alt`` spans. Events are paired one to one, greedily (same type first, then
the pair whose source and target agree best, then the nearest trigger).

* **precision**: system events paired with a gold event of the same type, over all system events (an
  unpaired system event with the same trigger and type as a paired one, e.g. a symmetric CONSULT given in
  both directions, is a *duplicate* and counts neither way; the count is reported);
* **recall**: gold events paired with a same-type system event, over the *asserted* gold events (the main
  figure; the event happened by the author's account) and over all gold events;
* **type accuracy**: of gold events paired by trigger overlap alone, the share given the gold type;
* **source / target**: on same-type pairs whose gold actor is known: the code's country part right
  (``RUS`` of ``RUS GOV``; ``IGO``, ``UNO``, ``NGO`` for bodies above states) and the whole code right
  (country and sector; a bare state equals its ``GOV``); for symmetric types (CONSULT, AGREE,
  COOPERATE, ASSAULT) source and target may be swapped;
* **leakage**: of same-type pairs whose gold mode is ``reported`` or ``planned``, the share the system
  outputs as plain asserted (neither ``hedged``, ``future`` nor ``reported_by``); beside it, the share of
  asserted gold events the system does flag;
* **negation**: of same-type pairs, the share with the gold's ``negated``.

Figures are given for all documents and for each half (group ``first`` / ``second``: the documents sorted
by number). ``--agreement`` compares the annotator's two passes over five documents (lines of kind
``pass2`` in the gold file).

Run: ``PYTHONPATH=src python -m tacitus.evaluate.events_ru [--shared ../shared] [--json] [--agreement]``.
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from tacitus.evaluate.common import factrueval_devset
from tacitus.evaluate.event_gold import (GoldDoc, agreement as _agreement, baseline_events, cli_parser, event_dict,
                                         score, table_lines)

GROUPS = ("first", "second")
DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"


def gold_path() -> Path:
    return Path(str(resources.files("tacitus").joinpath("data", "gold", "ru_events.jsonl")))


def load_gold(path: Path | None = None) -> dict[str, GoldDoc]:
    """doc id -> its gold (in file order, which is by document number)."""
    from tacitus.evaluate.event_gold import load_gold as _load

    return _load(path or gold_path())


def devset_folder(shared: Path) -> Path:
    return factrueval_devset(Path(shared) / "eval")


def read_text(folder: Path, doc: str) -> str:
    with open(folder / f"{doc}.txt", encoding="utf-8") as f:
        return f.read()


def agreement(gold: dict[str, GoldDoc] | None = None) -> dict:
    """Pass 1 against pass 2 (:func:`tacitus.evaluate.event_gold.agreement`) on the Russian gold."""
    return _agreement(gold or load_gold())


# ------------------------------------------------------------------------------------------ systems

def run_systems(texts: dict[str, str], progress: Callable[[], None] | None = None
                ) -> tuple[dict[str, dict[str, list[dict]]], dict[str, str]]:
    """(system name -> doc id -> its events, doc id -> what went wrong), for the pipeline and the lexicon
    baseline (one natasha analysis per document, BLAS capped at one thread). A document the pipeline fails
    on gets no events from either system and is reported."""
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.blas import BlasThreads
    from tacitus.nlp.pipeline_ru import RussianPipeline

    blas = BlasThreads(1)
    try:
        pipeline = RussianPipeline.from_files()
        out: dict[str, dict[str, list[dict]]] = {"tacitus": {}, "lexicon": {}}
        problems: dict[str, str] = {}
        for doc_id, text in texts.items():
            article = RawArticle(key=doc_id, source_path=f"{doc_id}.txt", text=text, published=None, language="ru")
            try:
                doc = pipeline(article)
            except Exception as exc:  # noqa: BLE001 - recorded and reported
                problems[doc_id] = f"pipeline failed: {type(exc).__name__}: {str(exc)[:80]}"
                doc = None
            out["tacitus"][doc_id] = [event_dict(e) for e in doc._.tacitus_events or []] if doc is not None else []
            out["lexicon"][doc_id] = baseline_events(doc, pipeline.lexicon) if doc is not None else []
            if progress:
                progress()
        return out, problems
    finally:
        blas.restore()


def evaluate(shared: Path = DEFAULT_SHARED, gold: dict[str, GoldDoc] | None = None,
             progress: Callable[[], None] | None = None) -> dict:
    gold = gold or load_gold()
    folder = devset_folder(shared)
    texts = {}
    for doc_id, g in gold.items():
        text = read_text(folder, doc_id)
        if len(text) != g.chars:
            raise ValueError(f"{doc_id}: {len(text)} characters, the gold expects {g.chars}")
        for e in g.events:
            if text[e["start"]:e["end"]] != e["trigger"]:
                raise ValueError(f"{doc_id}: gold trigger at {e['start']} does not match the text")
        texts[doc_id] = text
    predicted, problems = run_systems(texts, progress)
    return {"documents": len(gold), "views": score(gold, predicted), "predicted": predicted, "problems": problems}


# ------------------------------------------------------------------------------------------ report

def report_lines(result: dict) -> list[str]:
    lines = [f"Russian PLOVER events: {result['documents']} factRuEval-2016 dev documents "
             f"(gold: tacitus/data/gold/ru_events.jsonl)"]
    lines.extend(table_lines(result["views"]))
    return lines


def main(argv: Iterable[str] | None = None) -> int:
    ap = cli_parser("python -m tacitus.evaluate.events_ru", __doc__.split("\n")[0], DEFAULT_SHARED)
    args = ap.parse_args(list(argv) if argv is not None else None)
    gold = load_gold()
    agree = agreement(gold)
    if args.agreement:
        print(json.dumps(agree, indent=2, ensure_ascii=False))
        return 0
    if not devset_folder(args.shared).is_dir():
        print(f"{devset_folder(args.shared)} is absent: nothing to score", file=sys.stderr)
        return 2
    result = evaluate(args.shared, gold)
    if args.dump:
        args.dump.write_text(json.dumps(result["predicted"], ensure_ascii=False), encoding="utf-8")
    if args.json:
        print(json.dumps({"documents": result["documents"], "problems": result["problems"], "views": result["views"],
                          "agreement": agree},
                         indent=2, ensure_ascii=False))
    else:
        print("\n".join(report_lines(result)))
        for doc_id, what in result["problems"].items():
            print(f"  ! {doc_id}: {what}")
        print()
        print("Annotation agreement (pass 1 vs pass 2, " + ", ".join(agree["documents"]) + "): "
              + ", ".join(f"{k} {v}" for k, v in agree.items() if k != "documents"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
