"""Russian temporal expressions against our real-text gold (``tacitus/data/gold/ru_timex.jsonl``: 30
factRuEval-2016 news documents under ``../shared/eval``, guidelines in ``README-ru-timex.md``).

For each split of the gold (``dev``: the rules were tuned on it; ``held_out``: not run or looked at while
the rules were written; ``all``) and for two systems, :func:`tacitus.extract.timex_ru.find_timexes_ru` and
the baseline ``dateparser.search.search_dates(text, languages=["ru"])``:

* **detection**: precision, recall, F1 of the expressions, with exact extents (same start and end) and with
  overlapping extents (one gold expression for one found, the largest overlaps first);
* **type**: DATE/DURATION agreement on the overlapping pairs;
* **values**: on the overlapping pairs, per kind of gold expression: ``absolute`` (the headline figure;
  the TimeML value must be the gold's exactly: ``2009-H1``, ``2004-FA``, ``198``), ``partial`` (day and
  month or month without a year in the text: the month and day must agree), and also ``duration``,
  ``vague`` and ``anaphoric`` (where the gold has a value). Each is given as the share of the matched
  pairs (``accuracy``) and of all gold expressions of the kind (``recall``: found and right).

The documents carry no publication date: Tacitus runs with none and with a placeholder ``context_year`` (so
that a day and month get a year at all; only the parts the text states are compared), and relative
expressions are scored for detection only. dateparser returns a day; its date is cut to the gold's
precision (a season, half or quarter taken from its month, a decade or century from its year), a lenient
reading in its favour.

``python -m tacitus.evaluate.time_ru [CORPUS_DIR] [--json]`` prints the report.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tacitus.evaluate.common import factrueval_devset
from tacitus.extract.timex_ru import find_timexes_ru

GOLD = Path(__file__).resolve().parent.parent / "data" / "gold" / "ru_timex.jsonl"
#: ``../shared/eval/factrueval2016-dev/devset`` beside the repository.
CORPUS = factrueval_devset(Path(__file__).resolve().parents[3].parent / "shared" / "eval")
#: The year a day and month without one get in the evaluation (only the stated parts are compared).
PLACEHOLDER_YEAR = 2000
SPLITS = ("dev", "held_out")
VALUE_KINDS = ("absolute", "partial", "duration", "vague", "anaphoric")


@dataclass(frozen=True)
class GoldTimex:
    doc: str
    start: int
    end: int
    text: str
    value: str | None
    type: str
    anchor: str


@dataclass(frozen=True)
class Found:
    """One expression a system found: offsets, type and its TimeML value (None where it has none)."""

    start: int
    end: int
    type: str
    value: str | None


def load_gold(path: Path = GOLD) -> dict[str, tuple[str, list[GoldTimex]]]:
    """doc id -> (split, gold expressions in text order), documents in file order."""
    docs: dict[str, tuple[str, list[GoldTimex]]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("kind") == "doc":
            if r["split"] not in SPLITS:
                raise ValueError(f"{path}:{n}: unknown split {r['split']!r}")
            docs[r["doc"]] = (r["split"], [])
            continue
        if r["doc"] not in docs:
            raise ValueError(f"{path}:{n}: expression before its document's header")
        docs[r["doc"]][1].append(GoldTimex(r["doc"], r["start"], r["end"], r["text"], r.get("value"), r["type"],
                                           r["anchor"]))
    return docs


def read_doc(corpus: Path, doc: str) -> str:
    """A document's text as the gold's offsets count it (UTF-8, no newline translation)."""
    return (corpus / f"{doc}.txt").read_bytes().decode("utf-8-sig")


def tacitus_finder(text: str) -> list[Found]:
    return [Found(t.start, t.end, t.type, t.timeml) for t in find_timexes_ru(text, None, PLACEHOLDER_YEAR)]


def dateparser_finder(text: str) -> list[Found]:
    """``search_dates`` over the whole text; each string is placed at its next occurrence. The value is the
    date it returns (ISO day), cut to the gold's precision when scored."""
    from dateparser.search import search_dates

    try:
        hits = search_dates(text, languages=["ru"], settings={"RETURN_AS_TIMEZONE_AWARE": False}) or []
    except Exception:  # dateparser raises on odd inputs
        hits = []
    found, pos = [], 0
    for s, d in hits:
        i = text.find(s, pos)
        if i < 0:
            i = text.find(s)
        if i < 0:
            continue
        lead = len(s) - len(s.lstrip())
        body = s.strip()
        found.append(Found(i + lead, i + lead + len(body), "DATE", d.date().isoformat()))
        pos = i + len(s)
    return found


def _cut(day: str, gold: str) -> str:
    """A system's ISO day cut to the precision of the gold value (dateparser's reading)."""
    y, mo = int(day[:4]), int(day[5:7])
    if re.fullmatch(r"(?:\d{4}|XXXX)-\d\d-\d\d", gold):
        return day
    if re.fullmatch(r"(?:\d{4}|XXXX)-\d\d", gold):
        return day[:7]
    if re.fullmatch(r"\d{4}", gold):
        return day[:4]
    if re.fullmatch(r"\d{3}", gold):
        return day[:3]
    if re.fullmatch(r"\d{2}", gold):
        return f"{(y - 1) // 100:02d}"
    if re.fullmatch(r"\d{4}-(?:SP|SU|FA|WI)", gold):
        season = {12: "WI", 1: "WI", 2: "WI", 3: "SP", 4: "SP", 5: "SP", 6: "SU", 7: "SU", 8: "SU"}.get(mo, "FA")
        return f"{day[:4]}-{season}"
    if re.fullmatch(r"\d{4}-H[12]", gold):
        return f"{day[:4]}-H{1 if mo <= 6 else 2}"
    if re.fullmatch(r"\d{4}-Q[1-4]", gold):
        return f"{day[:4]}-Q{(mo - 1) // 3 + 1}"
    return day


def value_right(pred: str | None, gold: GoldTimex, cut: bool = False) -> bool:
    """Whether a system's value is the gold's: exact for absolute (and the other kinds), the month and day
    the text states for ``partial`` (``XXXX-11-09``). ``cut``: the system gives ISO days (dateparser)."""
    if pred is None or gold.value is None:
        return False
    if cut and re.fullmatch(r"\d{4}-\d\d-\d\d", pred):
        pred = _cut(pred, gold.value)
    if gold.anchor == "partial":
        return pred[4:] == gold.value[4:] and bool(re.fullmatch(r"\d{4}", pred[:4]))
    return pred.upper() == gold.value.upper()


def match(gold: list[GoldTimex], found: list[Found], overlap: bool) -> list[tuple[int, int]]:
    """One-to-one (gold index, found index) pairs: equal extents, or overlapping ones, the largest overlap
    first."""
    if not overlap:
        where = {(g.start, g.end): i for i, g in enumerate(gold)}
        pairs, used = [], set()
        for j, f in enumerate(found):
            i = where.get((f.start, f.end))
            if i is not None and i not in used:
                used.add(i)
                pairs.append((i, j))
        return pairs
    cands = sorted(((min(g.end, f.end) - max(g.start, f.start), i, j) for i, g in enumerate(gold)
                    for j, f in enumerate(found) if g.start < f.end and f.start < g.end), reverse=True)
    gi, fj, pairs = set(), set(), []
    for _, i, j in cands:
        if i not in gi and j not in fj:
            gi.add(i)
            fj.add(j)
            pairs.append((i, j))
    return sorted(pairs)


class _Score:
    def __init__(self, cut: bool) -> None:
        self.cut = cut
        self.gold = self.found = self.exact = self.overlap = self.type_ok = 0
        self.kinds = {k: [0, 0, 0] for k in VALUE_KINDS}  # gold with a value, matched, right

    def add(self, gold: list[GoldTimex], found: list[Found]) -> None:
        self.gold += len(gold)
        self.found += len(found)
        self.exact += len(match(gold, found, overlap=False))
        pairs = match(gold, found, overlap=True)
        self.overlap += len(pairs)
        got = dict(pairs)
        for i, g in enumerate(gold):
            if g.anchor in self.kinds and g.value is not None:
                k = self.kinds[g.anchor]
                k[0] += 1
                if i in got:
                    k[1] += 1
                    k[2] += value_right(found[got[i]].value, g, self.cut)
        self.type_ok += sum(gold[i].type == found[j].type for i, j in pairs)

    def as_dict(self) -> dict:
        def prf(tp: int) -> dict:
            p = tp / self.found if self.found else 0.0
            r = tp / self.gold if self.gold else 0.0
            return {"precision": round(p, 3), "recall": round(r, 3),
                    "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp}

        values = {k: {"n": n, "matched": m, "accuracy": round(right / m, 3) if m else None,
                      "recall": round(right / n, 3) if n else None} for k, (n, m, right) in self.kinds.items()}
        return {"gold": self.gold, "found": self.found, "exact": prf(self.exact), "overlap": prf(self.overlap),
                "type_accuracy": round(self.type_ok / self.overlap, 3) if self.overlap else None, "values": values}


Finder = Callable[[str], list[Found]]


def evaluate(corpus: Path = CORPUS, gold_path: Path = GOLD, systems: dict[str, Finder] | None = None) -> dict:
    """Scores per split (``dev``, ``held_out``, ``all``) and system (default: ``tacitus`` and
    ``dateparser``): ``{split: {"docs": n, system: {"exact", "overlap", "type_accuracy", "values"}}}``."""
    if systems is None:
        systems = {"tacitus": tacitus_finder, "dateparser": dateparser_finder}
    gold = load_gold(gold_path)
    scores = {split: {name: _Score(cut=name == "dateparser") for name in systems} for split in (*SPLITS, "all")}
    docs = {split: 0 for split in (*SPLITS, "all")}
    for doc, (split, expressions) in gold.items():
        text = read_doc(corpus, doc)
        for g in expressions:
            if text[g.start:g.end] != g.text:
                raise ValueError(f"{doc}: gold {g.text!r} at {g.start} does not match the text {text[g.start:g.end]!r}")
        docs[split] += 1
        docs["all"] += 1
        for name, finder in systems.items():
            found = sorted(finder(text), key=lambda f: (f.start, f.end))
            scores[split][name].add(expressions, found)
            scores["all"][name].add(expressions, found)
    return {split: {"docs": docs[split], **{name: sc.as_dict() for name, sc in by.items()}}
            for split, by in scores.items()}


def report(result: dict) -> str:
    """The scores as a plain-text table."""
    lines = []
    for split, by in result.items():
        systems = [k for k in by if k != "docs"]
        lines.append(f"{split}: {by['docs']} documents, {by[systems[0]]['gold']} gold expressions")
        lines.append(f"  {'system':<11} {'exact P':>7} {'R':>6} {'F1':>6} | {'overlap P':>9} {'R':>6} {'F1':>6} | "
                     f"{'type':>5} | {'absolute acc/rec (n)':>22} | {'partial acc/rec (n)':>21} | "
                     f"{'duration':>8} | {'vague':>6}")
        for name in systems:
            d = by[name]
            v = d["values"]

            def cell(k: str) -> str:
                return f"{_f(v[k]['accuracy'])}/{_f(v[k]['recall'])} ({v[k]['n']})"

            lines.append(f"  {name:<11} {d['exact']['precision']:>7.3f} {d['exact']['recall']:>6.3f} {d['exact']['f1']:>6.3f} | "
                         f"{d['overlap']['precision']:>9.3f} {d['overlap']['recall']:>6.3f} {d['overlap']['f1']:>6.3f} | "
                         f"{_f(d['type_accuracy']):>5} | {cell('absolute'):>22} | {cell('partial'):>21} | "
                         f"{_f(v['duration']['recall']):>8} | {_f(v['vague']['recall']):>6}")
    return "\n".join(lines)


def _f(x: float | None) -> str:
    return "-" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    """``python -m tacitus.evaluate.time_ru [CORPUS_DIR] [--json]``: the report on stdout."""
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    args = [a for a in args if a != "--json"]
    corpus = Path(args[0]) if args else CORPUS
    if not corpus.is_dir():
        sys.stderr.write(f"no corpus at {corpus}\n")
        return 2
    result = evaluate(corpus)
    sys.stdout.write((json.dumps(result, indent=1) if as_json else report(result)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
