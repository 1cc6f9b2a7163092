"""Scoring event mentions against a gold standard on real articles, for any language.

A gold file (``tacitus/data/gold/{ru,en}_events.jsonl``; format and guidelines in the READMEs beside them) has
per document a header line (``kind`` ``doc``: sentence count and spans, characters, group) and one line per
event mention (``kind`` ``event``: trigger offsets and optional ``alt`` spans, PLOVER type, source and target
codes, mode ``asserted`` / ``reported`` / ``planned``, negation); lines of kind ``pass2`` are a second,
independent annotation of some documents, for agreement.

Matching, per document: a system event and a gold event *overlap* when the system trigger overlaps the
gold trigger or one of its ``alt`` spans. Events are paired one to one, greedily (same type first, then
the pair whose source and target agree best, then the nearest trigger). :class:`Tally` turns the pairs into
precision (over all system events), recall of asserted gold events, type accuracy on trigger pairs, source
and target country and code accuracy (a bare state equals its ``GOV``; symmetric types may swap roles),
leakage (reported or planned gold events output as plain asserted) and negation; see
:mod:`tacitus.evaluate.events_ru` for the definitions in full.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.extract.lexicon import TYPES

MODES = ("asserted", "reported", "planned")
SYMMETRIC_TYPES = frozenset({"CONSULT", "AGREE", "COOPERATE", "ASSAULT"})


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
    published: str | None = None


def load_gold(path: Path) -> dict[str, GoldDoc]:
    """doc id -> its gold, in file order. A document header's ``group`` (or, failing that, its ``corpus``) is
    the view it is reported under."""
    docs: dict[str, GoldDoc] = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        r = json.loads(line)
        if r["kind"] == "doc":
            docs[r["doc"]] = GoldDoc(r["doc"], r.get("group") or r.get("corpus") or "all", r["sentences"],
                                     [tuple(s) for s in r["sentence_spans"]], r["chars"], published=r.get("published"))
        elif r["kind"] == "event":
            docs[r["doc"]].events.append(r)
        elif r["kind"] == "pass2":
            docs[r["doc"]].second_pass.append(r)
    return docs


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


def score(gold: dict[str, GoldDoc], predicted: dict[str, dict[str, list[dict]]]) -> dict:
    """views ("all", then each group of the gold in order of appearance) -> system -> scores."""
    groups = list(dict.fromkeys(g.group for g in gold.values()))
    views: dict[str, dict] = {}
    for view in ("all", *groups):
        views[view] = {}
        for system, by_doc in predicted.items():
            t = Tally(system)
            for doc_id, g in gold.items():
                if view != "all" and g.group != view:
                    continue
                t.add_doc(g, by_doc.get(doc_id, []))
            views[view][system] = t.as_dict()
    return views



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


def agreement(gold: dict[str, GoldDoc]) -> dict:
    """Pass 1 (the gold before adjudication) against pass 2 on the documents that have one: events matched
    by trigger overlap (one to one); detection F1, type agreement and kappa on matched pairs, typed F1,
    source/target code agreement, mode and negation agreement."""
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

def table_lines(views: dict) -> list[str]:
    """The scores of every view and system as a text table, then F1 per type over all documents."""
    lines = []
    cols = [("precision", "prec"), ("recall_asserted", "rec(asrt)"), ("f1_asserted", "F1"), ("recall_all", "rec(all)"),
            ("type_accuracy", "type-acc"), ("source_country_accuracy", "src-cty"), ("source_code_accuracy", "src-code"),
            ("target_country_accuracy", "tgt-cty"), ("target_code_accuracy", "tgt-code"), ("leakage", "leak"),
            ("negated_accuracy", "neg")]
    for view, systems in views.items():
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
    allv = views["all"]
    lines.append("Per type (all documents): tp/fp/fn and F1, " + " | ".join(allv))
    for t in TYPES:
        cells = []
        for name in allv:
            d = allv[name]["per_type"].get(t)
            cells.append(f"{d['tp']:>3}/{d['fp']:>3}/{d['fn']:>3} F1 {d['f1']:.2f}" if d else " " * 20)
        if any(c.strip() for c in cells):
            lines.append(f"  {t:<10} " + " | ".join(cells))
    return lines


def cli_parser(prog: str, description: str, shared: Path):
    """The options both event-gold evaluations take (``--shared``, ``--json``, ``--agreement``, ``--dump``)."""
    import argparse

    ap = argparse.ArgumentParser(prog=prog, description=description)
    ap.add_argument("--shared", type=Path, default=shared, help="the shared folder (default ../shared)")
    ap.add_argument("--json", action="store_true", help="print the scores as JSON")
    ap.add_argument("--agreement", action="store_true", help="only the two annotation passes' agreement")
    ap.add_argument("--dump", type=Path, help="write the systems' events (offsets and labels) to this JSON file")
    return ap


def event_dict(e) -> dict:
    """A pipeline event (English or Russian) as the scorer reads it."""
    return {"type": e.type, "start": e.start, "end": e.end, "trigger": e.trigger,
            "source": e.source.code if e.source else None, "target": e.target.code if e.target else None,
            "negated": bool(e.negated), "hedged": bool(e.hedged), "future": bool(e.future),
            "reported": e.reported_by.code if e.reported_by else None}


def baseline_events(doc, lexicon) -> list[dict]:
    """The lexicon-only baseline: every token whose lemma (and part of speech) has a row in the lexicon is an
    event of that row's type (a bare row preferred), its source the nearest actor mention before it in the
    sentence, its target the nearest one after it, never negated, hedged or future."""
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


