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


def documents(folder: Path, limit: int | None = None) -> Iterator[tuple[str, str, str | None, list[GoldTimex]]]:
    files = sorted(folder.rglob("*.tml"))
    for i, f in enumerate(files):
        if limit and i >= limit:
            return
        try:
            text, dct, gold = read_tml(f)
        except ET.ParseError:
            continue
        yield f.name, text, dct, gold


def _value_ok(pred: str | None, gold: str) -> bool:
    if not pred or not gold:
        return False
    return pred == gold or (len(gold) == 3 and pred == gold) or pred.upper() == gold.upper()


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


def evaluate(folder: Path, limit: int | None = None, progress: Callable[[], None] | None = None) -> dict:
    tp = fp = fn = type_ok = 0
    norm = {"tacitus": [0, 0], "dateparser": [0, 0]}
    docs = 0
    for _name, text, dct, gold in documents(folder, limit):
        docs += 1
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
            if g.type not in ("DATE",) or not re.match(r"^\d{3,4}(-\d\d){0,2}$", g.value):
                continue
            found = [t for t in find_timexes(g.text, dct) if t.type == "DATE" and t.value]
            ours_v = found[0].value if found else None
            dp = _dateparser_value(g.text, dct)
            if dp and len(g.value) < 10:
                dp = dp[:len(g.value)] if len(g.value) in (4, 7) else dp  # dateparser gives days: cut to gold precision
            norm["tacitus"][0] += _value_ok(ours_v, g.value)
            norm["dateparser"][0] += _value_ok(dp, g.value)
            norm["tacitus"][1] += 1
            norm["dateparser"][1] += 1
        if progress:
            progress()
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "documents": docs,
        "finding": {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                    "type_accuracy": round(type_ok / tp, 3) if tp else None, "tp": tp, "fp": fp, "fn": fn},
        "normalising_gold_dates": {k: {"accuracy": round(ok / n, 3) if n else None, "n": n} for k, (ok, n) in norm.items()},
    }
