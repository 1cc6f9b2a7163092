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

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from tacitus.evaluate.common import factrueval_devset
from tacitus.extract.lexicon import TYPES

MODES = ("asserted", "reported", "planned")
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"})
GROUPS = ("first", "second")
DEFAULT_SHARED = Path(__file__).resolve().parents[3].parent / "shared"


# ------------------------------------------------------------------------------------------ gold

@dataclass
class GoldDoc:
    doc: str
    group: str
    sentences: int
    sentence_spans: list[tuple[int, int]]
    chars: int
    events: list[dict] = field(default_factory=list)
    second_pass: list[dict] = field(default_factory=list)


def gold_path() -> Path:
    return Path(str(resources.files("tacitus").joinpath("data", "gold", "ru_events.jsonl")))


def load_gold(path: Path | None = None) -> dict[str, GoldDoc]:
    """doc id -> its gold (in file order, which is by document number)."""
    docs: dict[str, GoldDoc] = {}
    for line in Path(path or gold_path()).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r["kind"] == "doc":
            docs[r["doc"]] = GoldDoc(r["doc"], r.get("group", "first"), r["sentences"],
                                     [tuple(s) for s in r["sentence_spans"]], r["chars"])
        elif r["kind"] == "event":
            docs[r["doc"]].events.append(r)
        elif r["kind"] == "pass2":
            docs[r["doc"]].second_pass.append(r)
    return docs


def devset_folder(shared: Path) -> Path:
    return factrueval_devset(Path(shared) / "eval")


def read_text(folder: Path, doc: str) -> str:
    with open(folder / f"{doc}.txt", encoding="utf-8") as f:
        return f.read()


# ------------------------------------------------------------------------------------------ codes

def _parts(code: str | None) -> tuple[str, str]:
    bits = (code or "").split()
    if not bits:
        return "", ""
    country = bits[0]
    sector = bits[1] if len(bits) > 1 else ""
    if len(country) == 3 and country.isalpha() and country not in ("IGO", "UNO", "NGO", "IMG") and sector == "":
        sector = "GOV"  # a state acting as a whole is its government
    return country, sector


def country_ok(pred: str | None, gold: str | None) -> bool:
    return bool(pred) and _parts(pred)[0] == _parts(gold)[0]


def code_ok(pred: str | None, gold: str | None) -> bool:
    return bool(pred) and _parts(pred) == _parts(gold)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def trigger_spans(g: dict) -> list[tuple[int, int]]:
    return [(g["start"], g["end"]), *[tuple(s) for s in g.get("alt", [])]]


def overlaps(p: dict, g: dict) -> bool:
    return any(_overlap((p["start"], p["end"]), s) for s in trigger_spans(g))


def _arg_agreement(p: dict, g: dict) -> int:
    direct = country_ok(p.get("source"), g.get("source")) + country_ok(p.get("target"), g.get("target"))
    if g["type"] in SYMMETRIC_TYPES:
        swapped = country_ok(p.get("target"), g.get("source")) + country_ok(p.get("source"), g.get("target"))
        return max(direct, swapped)
    return direct


def _roles(p: dict, g: dict) -> tuple[str | None, str | None]:
    """The system's (source, target) as compared with the gold: swapped for a symmetric type when that
    agrees better."""
    src, tgt = p.get("source"), p.get("target")
    if g["type"] in SYMMETRIC_TYPES:
        direct = code_ok(src, g.get("source")) + code_ok(tgt, g.get("target")) + country_ok(src, g.get("source")) \
            + country_ok(tgt, g.get("target"))
        swapped = code_ok(tgt, g.get("source")) + code_ok(src, g.get("target")) + country_ok(tgt, g.get("source")) \
            + country_ok(src, g.get("target"))
        if swapped > direct:
            return tgt, src
    return src, tgt


def pair(pred: list[dict], gold: list[dict], same_type: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (pred index, gold index) of overlapping events, greedily by (same type, argument
    agreement, trigger distance)."""
    cands = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if not overlaps(p, g) or (same_type and p["type"] != g["type"]):
                continue
            cands.append((-(p["type"] == g["type"]), -_arg_agreement(p, g), abs(p["start"] - g["start"]), i, j))
    cands.sort()
    used_p, used_g, out = set(), set(), []
    for *_k, i, j in cands:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


def plain(p: dict) -> bool:
    return not (p.get("hedged") or p.get("future") or p.get("reported"))


# ------------------------------------------------------------------------------------------ scores

@dataclass
class Tally:
    """Counts of one system over some documents."""

    system: str
    docs: int = 0
    sentences: int = 0
    pred: int = 0
    duplicates: int = 0
    tp: int = 0
    gold: int = 0
    gold_asserted: int = 0
    found: int = 0
    found_asserted: int = 0
    empty_sentence_alarms: int = 0
    trigger_pairs: int = 0
    type_right: int = 0
    args: dict = field(default_factory=lambda: {k: [0, 0] for k in (
        "source_country", "source_code", "target_country", "target_code", "negated")})
    leak: list = field(default_factory=lambda: [0, 0])  # [plain, n] over reported/planned gold pairs
    flagged_asserted: list = field(default_factory=lambda: [0, 0])
    by_type: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0]))  # tp, fp, fn (all gold)

    def add_doc(self, g: GoldDoc, pred: list[dict]) -> None:
        self.docs += 1
        self.sentences += g.sentences
        gold = g.events
        self.gold += len(gold)
        self.gold_asserted += sum(e["mode"] == "asserted" for e in gold)
        typed = pair(pred, gold, same_type=True)
        matched_p = {i for i, _ in typed}
        matched_keys = {(pred[i]["start"], pred[i]["end"], pred[i]["type"]) for i in matched_p}
        dup = {i for i, p in enumerate(pred) if i not in matched_p
               and (p["start"], p["end"], p["type"]) in matched_keys}
        self.pred += len(pred) - len(dup)
        self.duplicates += len(dup)
        self.tp += len(typed)
        self.found += len(typed)
        for i, j in typed:
            ge, p = gold[j], pred[i]
            self.found_asserted += ge["mode"] == "asserted"
            src, tgt = _roles(p, ge)
            if ge.get("source"):
                self.args["source_country"][0] += country_ok(src, ge["source"])
                self.args["source_code"][0] += code_ok(src, ge["source"])
                self.args["source_country"][1] += 1
                self.args["source_code"][1] += 1
            if ge.get("target"):
                self.args["target_country"][0] += country_ok(tgt, ge["target"])
                self.args["target_code"][0] += code_ok(tgt, ge["target"])
                self.args["target_country"][1] += 1
                self.args["target_code"][1] += 1
            self.args["negated"][0] += bool(p.get("negated")) == bool(ge["negated"])
            self.args["negated"][1] += 1
            if ge["mode"] in ("reported", "planned"):
                self.leak[0] += plain(p)
                self.leak[1] += 1
            else:
                self.flagged_asserted[0] += not plain(p)
                self.flagged_asserted[1] += 1
        for i, p in enumerate(pred):
            if i in dup:
                continue
            self.by_type[p["type"]][0 if i in matched_p else 1] += 1
        matched_g = {j for _, j in typed}
        for j, ge in enumerate(gold):
            if j not in matched_g:
                self.by_type[ge["type"]][2] += 1
        # type accuracy on triggers paired regardless of type
        loose = pair(pred, gold, same_type=False)
        self.trigger_pairs += len(loose)
        self.type_right += sum(pred[i]["type"] == gold[j]["type"] for i, j in loose)
        # system events in sentences the gold codes as eventless
        with_events = {e["sent"] for e in gold}
        for i, p in enumerate(pred):
            if i in dup:
                continue
            s = next((k for k, (a, b) in enumerate(g.sentence_spans) if a <= p["start"] < b), None)
            if s is not None and s not in with_events:
                self.empty_sentence_alarms += 1

    def as_dict(self) -> dict:
        def ratio(a, b):
            return round(a / b, 3) if b else None
        precision = ratio(self.tp, self.pred)
        recall = ratio(self.found_asserted, self.gold_asserted)
        f1 = round(2 * precision * recall / (precision + recall), 3) if precision and recall else 0.0
        out = {"system": self.system, "documents": self.docs, "sentences": self.sentences,
               "system_events": self.pred, "duplicates": self.duplicates, "gold_events": self.gold,
               "gold_asserted": self.gold_asserted, "tp": self.tp, "fp": self.pred - self.tp,
               "precision": precision, "recall_asserted": recall, "f1_asserted": f1,
               "recall_all": ratio(self.found, self.gold),
               "type_accuracy": ratio(self.type_right, self.trigger_pairs), "trigger_pairs": self.trigger_pairs,
               "leakage": ratio(*self.leak), "leakage_n": self.leak[1],
               "asserted_flagged": ratio(*self.flagged_asserted), "asserted_flagged_n": self.flagged_asserted[1],
               "alarms_in_eventless_sentences": self.empty_sentence_alarms}
        for k, (ok, n) in self.args.items():
            out[f"{k}_accuracy"] = ratio(ok, n)
            out[f"{k}_n"] = n
        types = {}
        for t in TYPES:
            tp, fp, fn = self.by_type.get(t, (0, 0, 0))
            if tp + fp + fn == 0:
                continue
            p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
            types[t] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r,
                        "f1": round(2 * p * r / (p + r), 3) if p and r else 0.0}
        out["per_type"] = types
        return out


# ------------------------------------------------------------------------------------------ systems

def _event_dict(e) -> dict:
    return {"type": e.type, "start": e.start, "end": e.end, "trigger": e.trigger,
            "source": e.source.code if e.source else None, "target": e.target.code if e.target else None,
            "negated": bool(e.negated), "hedged": bool(e.hedged), "future": bool(e.future),
            "reported": e.reported_by.code if e.reported_by else None}


def baseline_events(doc, lexicon) -> list[dict]:
    """Every token whose lemma is in the lexicon is an event of that type; source the nearest actor
    mention before it in the sentence, target the nearest after it."""
    mentions = []
    for m, a in doc._.tacitus_actors or []:
        if m.label in ("PRON", "COREF") or not a.code:
            continue
        mentions.append((m.start, m.end, a.code))
    mentions.sort()
    out = []
    for sent in doc.sents:
        inside = [x for x in mentions if sent.start_char <= x[0] < sent.end_char]
        for tok in sent:
            pos = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN" if tok.pos_ == "NOUN" else None
            senses = lexicon.senses(tok.lemma_.lower(), pos) if pos else []
            if not senses:
                continue
            bare = [s for s in senses if not s.particle and not s.prep] or senses
            before = [x for x in inside if x[1] <= tok.idx]
            after = [x for x in inside if x[0] >= tok.idx + len(tok.text)]
            out.append({"type": bare[0].type, "start": tok.idx, "end": tok.idx + len(tok.text), "trigger": tok.text,
                        "source": before[-1][2] if before else None, "target": after[0][2] if after else None,
                        "negated": False, "hedged": False, "future": False, "reported": None})
    return out


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
            out["tacitus"][doc_id] = [_event_dict(e) for e in doc._.tacitus_events or []] if doc is not None else []
            out["lexicon"][doc_id] = baseline_events(doc, pipeline.lexicon) if doc is not None else []
            if progress:
                progress()
        return out, problems
    finally:
        blas.restore()


def score(gold: dict[str, GoldDoc], predicted: dict[str, dict[str, list[dict]]]) -> dict:
    """views ("all", "first", "second") -> system -> scores."""
    views: dict[str, dict] = {}
    for view in ("all", *GROUPS):
        views[view] = {}
        for system, by_doc in predicted.items():
            t = Tally(system)
            for doc_id, g in gold.items():
                if view != "all" and g.group != view:
                    continue
                t.add_doc(g, by_doc.get(doc_id, []))
            views[view][system] = t.as_dict()
    return views


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


# ------------------------------------------------------------------------------------------ agreement

def cohen_kappa(a: list, b: list) -> float | None:
    n = len(a)
    if not n:
        return None
    po = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb[k] for k in set(ca) | set(cb)) / (n * n)
    return round((po - pe) / (1 - pe), 3) if pe < 1 else 1.0


def first_pass(events: list[dict]) -> list[dict]:
    """The gold as pass 1 left it: adjudicated lines carry pass 1's values in ``pass1`` (``null``: the
    line was added at adjudication)."""
    out = []
    for e in events:
        if "pass1" not in e:
            out.append(e)
        elif e["pass1"] is not None:
            out.append({**e, **e["pass1"]})
    return out


def agreement(gold: dict[str, GoldDoc] | None = None) -> dict:
    """Pass 1 (the gold before adjudication) against pass 2 on the documents that have one: events matched
    by trigger overlap (one to one); detection F1, type agreement and kappa on matched pairs, typed F1,
    source/target code agreement, mode and negation agreement."""
    gold = gold or load_gold()
    docs = [g for g in gold.values() if g.second_pass]
    n1 = n2 = matched = typed_matched = 0
    types1, types2, modes1, modes2 = [], [], [], []
    src = [0, 0]
    tgt = [0, 0]
    neg = [0, 0]
    for g in docs:
        a, b = first_pass(g.events), g.second_pass
        n1 += len(a)
        n2 += len(b)
        # pass 2 plays the system: its trigger span against pass 1's trigger and alts
        pred = list(b)
        loose = pair(pred, a, same_type=False)
        matched += len(loose)
        typed_matched += len(pair(pred, a, same_type=True))
        for i, j in loose:
            p, q = pred[i], a[j]
            types1.append(q["type"])
            types2.append(p["type"])
            modes1.append(q["mode"])
            modes2.append(p["mode"])
            s, t = _roles(p, q)
            if q.get("source") or p.get("source"):
                src[0] += (s or None) == (q.get("source") or None) or code_ok(s, q.get("source"))
                src[1] += 1
            if q.get("target") or p.get("target"):
                tgt[0] += (t or None) == (q.get("target") or None) or code_ok(t, q.get("target"))
                tgt[1] += 1
            neg[0] += p["negated"] == q["negated"]
            neg[1] += 1

    def f1(m):
        return round(2 * m / (n1 + n2), 3) if n1 + n2 else None
    return {"documents": [g.doc for g in docs], "pass1_events": n1, "pass2_events": n2,
            "matched_by_trigger": matched, "detection_f1": f1(matched),
            "typed_f1": f1(typed_matched),
            "type_agreement": round(sum(x == y for x, y in zip(types1, types2)) / len(types1), 3) if types1 else None,
            "type_kappa": cohen_kappa(types1, types2),
            "source_agreement": round(src[0] / src[1], 3) if src[1] else None, "source_n": src[1],
            "target_agreement": round(tgt[0] / tgt[1], 3) if tgt[1] else None, "target_n": tgt[1],
            "mode_agreement": round(sum(x == y for x, y in zip(modes1, modes2)) / len(modes1), 3) if modes1 else None,
            "mode_kappa": cohen_kappa(modes1, modes2),
            "negated_agreement": round(neg[0] / neg[1], 3) if neg[1] else None}


# ------------------------------------------------------------------------------------------ report

def report_lines(result: dict) -> list[str]:
    lines = [f"Russian PLOVER events: {result['documents']} factRuEval-2016 dev documents "
             f"(gold: tacitus/data/gold/ru_events.jsonl)"]
    cols = [("precision", "prec"), ("recall_asserted", "rec(asrt)"), ("f1_asserted", "F1"), ("recall_all", "rec(all)"),
            ("type_accuracy", "type-acc"), ("source_country_accuracy", "src-cty"), ("source_code_accuracy", "src-code"),
            ("target_country_accuracy", "tgt-cty"), ("target_code_accuracy", "tgt-code"), ("leakage", "leak"),
            ("negated_accuracy", "neg")]
    for view, systems in result["views"].items():
        first = next(iter(systems.values()))
        lines.append("")
        lines.append(f"[{view}] {first['documents']} documents, {first['sentences']} sentences, "
                     f"{first['gold_events']} gold events ({first['gold_asserted']} asserted)")
        lines.append("  system   " + " ".join(f"{c:>9}" for _, c in cols) + "   sys  tp  dup  empty-sent")
        for name, s in systems.items():
            vals = " ".join(f"{s[k]:>9.3f}" if isinstance(s[k], float) else f"{str(s[k]):>9}" for k, _ in cols)
            lines.append(f"  {name:<8} {vals}   {s['system_events']:>3} {s['tp']:>3} {s['duplicates']:>4} "
                         f"{s['alarms_in_eventless_sentences']:>5}")
    lines.append("")
    lines.append("Per type (all documents): tp/fp/fn and F1, tacitus | lexicon")
    allv = result["views"]["all"]
    for t in TYPES:
        cells = []
        for name in allv:
            d = allv[name]["per_type"].get(t)
            cells.append(f"{d['tp']:>3}/{d['fp']:>3}/{d['fn']:>3} F1 {d['f1']:.2f}" if d else " " * 20)
        if any(c.strip() for c in cells):
            lines.append(f"  {t:<10} " + " | ".join(cells))
    return lines


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tacitus.evaluate.events_ru", description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared folder (default ../shared)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--agreement", action="store_true", help="only the two annotation passes' agreement")
    ap.add_argument("--dump", type=Path, help="write the systems' events (offsets and labels) to this JSON file")
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
