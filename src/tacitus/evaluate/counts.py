"""``tacitus eval counts``: counts of the killed on real news, MUC-3/4 development stories.

Data: ``../shared/eval/muc34`` (DEV keys and texts only; the TST3/TST4 test sets are never read). Gold: per
story, the ``HUM TGT: NUMBER`` of every human target whose ``EFFECT OF INCIDENT`` is DEATH ("1" for one
named victim, "6" for six priests). Scored per story as sets of numbers, like the MUC slot:

- **Tacitus**: every count of the killed the pipeline stores for the story (table ``counts``);
- **event fatalities**: the dead attached to events (what the explorer and ``tacitus trends`` show);
- **regex baseline**: a number within three words before a killing word, or just after a killing verb;
  and 1 where a singular passive killing ("was killed", "was found dead") or "the murder of" is written.

Two views: the stories whose key has a death count (recall is the figure that matters; precision there
counts a right count of soldiers killed in combat as wrong, since MUC keys terrorist incidents only), and
all stories with a relevant template (precision over stories whose key names no death as well). Stories
``DEV-MUC3-0001`` to ``-0650`` are the development half (rules were written on their errors); ``-0651`` to
``-1300`` are held out.
"""

from __future__ import annotations

import gzip
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from tacitus.extract.counts import parse_number

DEV_LAST = 650


def _split(story: str) -> str:
    return "dev" if int(story[-4:]) <= DEV_LAST else "held-out"


def read_keys(muc: Path) -> tuple[dict[str, set[int]], set[str]]:
    """(story -> the gold numbers of the killed, the stories with at least one relevant template)."""
    killed: dict[str, set[int]] = {}
    relevant: set[str] = set()
    for key in sorted((muc / "keys").glob("key-dev-*.gz")):
        text = gzip.decompress(key.read_bytes()).decode("latin-1")
        for block in re.split(r"\n(?=0\.\s+MESSAGE: ID)", text):  # a comment line may come just before
            m = re.search(r"MESSAGE: ID\s+(DEV-MUC3-\d{4})", block)
            if not m:
                continue
            slots: dict[str, list[str]] = {}
            current = None
            for line in block.splitlines():
                head = re.match(r"\s*(\d+)\.\s+[A-Z :]+?\s{2,}(.*)$", line)
                if head:
                    current = head.group(1)
                    slots[current] = [head.group(2).strip()]
                elif current and line.strip() and not line.startswith(";"):
                    slots[current].append(line.strip())
            story = m.group(1)
            if slots.get("1", ["*"])[0] != "*":
                relevant.add(story)
            # slot 21 numbers targets by description, slot 23 gives each its effect; a description named
            # twice ("9: PEOPLE", "36: PEOPLE" / "DEATH: PEOPLE", "INJURY: PEOPLE") pairs up in order
            numbers: dict[str, list[int]] = {}
            for v in slots.get("21", []):
                n = re.match(r"\??\s*(\d+):\s*\"([^\"]+)\"", v)
                if n:
                    numbers.setdefault(n.group(2), []).append(int(n.group(1)))
            found = killed.setdefault(story, set())
            seen: dict[str, int] = {}
            for v in slots.get("23", []):
                ref = re.search(r"\"([^\"]+)\"", v)
                desc = ref.group(1) if ref else None
                i = seen.get(desc, 0)
                seen[desc] = i + 1
                if not v.lstrip("? ").startswith("DEATH"):
                    continue
                if desc is not None and desc in numbers:
                    ns = numbers[desc]
                    found.add(ns[i] if i < len(ns) else ns[-1])
                elif desc is None and len(numbers) == 1:
                    found.update(next(iter(numbers.values())))
    return killed, relevant


def read_stories(muc: Path) -> dict[str, str]:
    out = {}
    for f in sorted((muc / "texts").glob("dev-muc3-*.gz")):
        text = gzip.decompress(f.read_bytes()).decode("latin-1")
        for part in re.split(r"\n(?=DEV-MUC3-\d{4} )", "\n" + text):
            m = re.match(r"\s*(DEV-MUC3-\d{4})", part)
            if m:
                out[m.group(1)] = part.split("\n", 2)[-1] if part.count("\n") > 1 else part
    return out


_NUM_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
              "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|hundred")
_KILL = r"(?:killed|dead|died|murdered|assassinated|slain|massacred|executed|deaths|bodies)"
_BASELINE = [
    re.compile(r"\b(?P<n>\d[\d,]*|(?:" + _NUM_WORDS + r")(?:[- ](?:" + _NUM_WORDS + r"))*)\b(?:\s+[\w'-]+){0,3}?\s+"
               r"(?:were\s+|have been\s+|had been\s+)?" + _KILL + r"\b", re.I),
    re.compile(r"\b(?:killed|killing|murdered|murdering|massacred)\s+(?P<n>\d[\d,]*|(?:" + _NUM_WORDS + r")(?:[- ](?:"
               + _NUM_WORDS + r"))*)\b", re.I),
]


#: one victim without a number: "... was killed", "the murder of ..." (a singular verb or a death noun + of)
_BASELINE_ONE = re.compile(r"\b(?:was|has been|had been)\s+(?:\w+\s+)?(?:killed|murdered|assassinated|slain|executed|"
                           r"shot dead|found dead)\b|\b(?:assassination|murder|killing|death)\s+of\s+(?!\d|(?:"
                           + _NUM_WORDS + r")\b)", re.I)


def regex_baseline(text: str) -> set[float]:
    out = {1.0} if _BASELINE_ONE.search(text) else set()
    for rx in _BASELINE:
        for m in rx.finditer(text):
            n = parse_number(m.group("n"))
            if n is not None and not (1900 <= n <= 2030):
                out.add(n)
    return out


def _score(pred: dict[str, set[float]], gold: dict[str, set[int]], stories: list[str]) -> dict:
    tp = sum(len({int(x) for x in pred.get(k, set())} & gold.get(k, set())) for k in stories)
    npred = sum(len(pred.get(k, set())) for k in stories)
    ngold = sum(len(gold.get(k, set())) for k in stories)
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "predicted": npred, "gold": ngold, "right": tp}


@dataclass
class Stories:
    """What is scored: the gold numbers by story, the texts, and the stories chosen (relevant ones, in order)."""
    gold: dict[str, set[int]]
    texts: dict[str, str]
    chosen: list[str]


def load(muc: Path, limit: int | None = None) -> Stories:
    """The keys and texts read once: the first ``limit`` stories with a relevant template and a text."""
    gold, relevant = read_keys(muc)
    texts = read_stories(muc)
    chosen = sorted(s for s in relevant if s in texts)
    return Stories(gold, texts, chosen[:limit] if limit else chosen)


def evaluate(muc: Path, limit: int | None = None, progress: Callable[[], None] | None = None,
             stories: Stories | None = None, **overrides) -> dict:
    """Run the stories with a relevant template (the first ``limit`` of them; or ``stories`` as
    :func:`load` gave them) through the pipeline and score Tacitus, event fatalities and the regex baseline
    per split."""
    import tacitus
    from tacitus.api.explore import CASUALTIES_SQL

    stories = stories or load(muc, limit)
    gold, texts, chosen = stories.gold, stories.texts, stories.chosen
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "muc"
        folder.mkdir()
        for k in chosen:
            (folder / f"{k}.txt").write_text(texts[k], encoding="utf-8")
        db = Path(tmp) / "muc.duckdb"
        tacitus.process([folder], db, progress=False, **overrides)
        with tacitus.open(db) as d:
            stem = "regexp_extract(a.source_path, '(DEV-MUC3-[0-9]{4})', 1)"
            counts = d.sql(f"""SELECT {stem} AS story, c.number FROM counts c JOIN articles a ON a.id = c.article_id
                               WHERE c.category = 'killed' AND c.number IS NOT NULL""")
            fatal = d.sql(f"""SELECT {stem} AS story, cas.fatalities AS number FROM ({CASUALTIES_SQL}) cas
                              JOIN events e ON e.id = cas.event_id JOIN articles a ON a.id = e.article_id
                              WHERE cas.fatalities IS NOT NULL""")
    preds: dict[str, dict[str, set[float]]] = {"tacitus": {}, "event fatalities": {}, "regex baseline": {}}
    for name, frame in (("tacitus", counts), ("event fatalities", fatal)):
        for story, number in zip(frame["story"], frame["number"]):
            preds[name].setdefault(story, set()).add(float(number))
    for k in chosen:
        preds["regex baseline"][k] = regex_baseline(texts[k])
        if progress:
            progress()
    out: dict = {"stories": len(chosen), "views": {}}
    for split in ("dev", "held-out", "all"):
        in_split = [k for k in chosen if split == "all" or _split(k) == split]
        with_deaths = [k for k in in_split if gold.get(k)]
        out["views"][split] = {
            "stories with a death count": {"stories": len(with_deaths),
                                           **{n: _score(p, gold, with_deaths) for n, p in preds.items()}},
            "all relevant stories": {"stories": len(in_split), **{n: _score(p, gold, in_split) for n, p in preds.items()}},
        }
    return out
