"""``tacitus eval time``: temporal expressions against TimeML (TempEval-3 TBAQ-cleaned under ../shared/eval).

Two measurements per document, with its creation time (DCT) as the publication date:

* **finding**: our expressions vs the gold TIMEX3 spans (a match is any overlap); precision, recall, F1,
  and type accuracy (DATE/DURATION; gold TIME counts as DATE, SET is left out) on matched pairs;
* **normalising the gold expressions**: each gold DATE expression with a calendar value is normalised by
  Tacitus and by bare ``dateparser`` (RELATIVE_BASE = DCT). Tacitus must give the gold value at the gold's
  precision ("1998-10" for "October 1998"); dateparser always returns a day, so its answer is cut to the
  gold's precision first -- a lenient reading in its favour.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from tacitus.extract.timex import find_timexes


@dataclass
class GoldTimex:
    text: str
    start: int
    end: int
    type: str
    value: str


def read_tml(path: Path) -> tuple[str, str | None, list[GoldTimex]]:
    raw = path.read_text(encoding="utf-8")
    dct = None
    m = re.search(r"<DCT>\s*<TIMEX3[^>]*value=\"([^\"]+)\"", raw)
    if m:
        dct = m.group(1)[:10]
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    xml = "<TEXT>" + (body.group(1) if body else "") + "</TEXT>"
    root = ET.fromstring(xml)
    text_parts: list[str] = []
    gold: list[GoldTimex] = []
    pos = 0

    def walk(el):
        nonlocal pos
        if el.tag == "TIMEX3":
            t = "".join(el.itertext())
            gold.append(GoldTimex(t, pos, pos + len(t), el.get("type", ""), el.get("value", "")))
            text_parts.append(t)
            pos += len(t)
        else:
            if el.text:
                text_parts.append(el.text)
                pos += len(el.text)
            for child in el:
                walk(child)
        if el.tail and el is not root:
            text_parts.append(el.tail)
            pos += len(el.tail)

    walk(root)
    return "".join(text_parts), dct, gold


def tml_files(folder: Path, limit: int | None = None) -> list[Path]:
    """The TimeML files under ``folder`` in path order, the first ``limit`` of them."""
    files = sorted(folder.rglob("*.tml"))
    return files[:limit] if limit else files


def documents(folder: Path, limit: int | None = None) -> Iterator[tuple[Path, str, str | None, list[GoldTimex]]]:
    """(path, text, creation date, gold expressions) of each readable file of :func:`tml_files`."""
    for f in tml_files(folder, limit):
        try:
            text, dct, gold = read_tml(f)
        except ET.ParseError:
            continue
        yield f, text, dct, gold


def _value_ok(pred: str | None, gold: str) -> bool:
    return bool(pred) and bool(gold) and pred.upper() == gold.upper()


def _dateparser_value(text: str, dct: str | None) -> str | None:
    import datetime as dt

    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
    if dct:
        try:
            settings["RELATIVE_BASE"] = dt.datetime.fromisoformat(dct)
        except ValueError:
            pass
    try:
        d = dateparser.parse(text, languages=["en"], settings=settings)
    except Exception:  # dateparser raises on odd inputs
        return None
    return d.date().isoformat() if d else None


_CALENDAR = re.compile(r"^\d{3,4}(-\d\d){0,2}$")


class _Tally:
    def __init__(self) -> None:
        self.n = self.found = self.right_found = self.right = self.baseline = 0
        self.calendar_n = self.calendar_right = self.calendar_baseline = 0

    def as_dict(self) -> dict:
        def r(k: int, n: int) -> float | None:
            return round(k / n, 3) if n else None

        return {
            "n": self.n,
            "tacitus": r(self.right, self.n),
            "dateparser": r(self.baseline, self.n),
            "found": r(self.found, self.n),
            "found_and_right": r(self.right_found, self.n),
            "calendar": {"n": self.calendar_n, "tacitus": r(self.calendar_right, self.calendar_n),
                         "dateparser": r(self.calendar_baseline, self.calendar_n)},
        }


def evaluate(folder: Path, limit: int | None = None, progress: Callable[[], None] | None = None) -> dict:
    """Finding (P/R/F1, type) over all documents, and the TimeML values of the gold DATE expressions per
    sub-corpus (TimeBank, AQUAINT) and in all: Tacitus given the expression in its document (the overlapping
    expression of its own run over the whole text, else the gold words alone), bare dateparser on the gold
    words with the creation time as base (its date cut to the gold's precision, in its favour)."""
    tp = fp = fn = type_ok = 0
    docs = 0
    tallies: dict[str, _Tally] = {}
    for path, text, dct, gold in documents(folder, limit):
        docs += 1
        part = path.parent.name if path.parent != folder else folder.name
        tallies.setdefault(part, _Tally())
        ours = find_timexes(text, dct)
        used = set()
        for t in ours:
            match = next((i for i, g in enumerate(gold) if i not in used and g.start < t.end and t.start < g.end
                          and g.type != "SET"), None)
            if match is None:
                fp += 1
                continue
            used.add(match)
            tp += 1
            gtype = "DATE" if gold[match].type in ("DATE", "TIME") else gold[match].type
            type_ok += t.type == gtype
        fn += sum(1 for i, g in enumerate(gold) if i not in used and g.type != "SET")
        for g in gold:
            if g.type != "DATE" or not g.value:
                continue
            doc_hit = next((t for t in ours if t.start < g.end and g.start < t.end), None)
            value = doc_hit.timeml if doc_hit is not None else None
            if doc_hit is None:
                alone = [t for t in find_timexes(g.text, dct) if t.type == "DATE"]
                value = alone[0].timeml if alone else None
            dp = _dateparser_value(g.text, dct)
            if dp and _CALENDAR.match(g.value) and len(g.value) in (3, 4, 7):
                dp = dp[:len(g.value)]  # dateparser gives days: cut to the gold's precision
            ok, base_ok = _value_ok(value, g.value), _value_ok(dp, g.value)
            for tally in (tallies[part], tallies.setdefault("all", _Tally())):
                tally.n += 1
                tally.found += doc_hit is not None
                tally.right_found += doc_hit is not None and ok
                tally.right += ok
                tally.baseline += base_ok
                if _CALENDAR.match(g.value):
                    tally.calendar_n += 1
                    tally.calendar_right += ok
                    tally.calendar_baseline += base_ok
        if progress:
            progress()
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "documents": docs,
        "finding": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                    "type_accuracy": round(type_ok / tp, 3) if tp else None, "tp": tp, "fp": fp, "fn": fn},
        "date_values": {k: v.as_dict() for k, v in sorted(tallies.items(), key=lambda kv: kv[0] == "all")},
    }
