"""Killed counts on real news: MUC-3/4 development stories (``../shared/eval/muc34``, DEV, never TST3/TST4).

Gold: per story, the ``HUM TGT: NUMBER`` of every human target whose ``EFFECT OF INCIDENT`` is DEATH. MUC
keys only terrorist incidents, so a correct count of soldiers killed in combat is not in the gold:
precision here is a floor; recall is the figure that matters. Scored per story as sets of numbers:

- ``counts``: every count of the killed that the extractor finds in the story (the baseline);
- ``event fatalities``: the dead attached to events (``tacitus.api.explore.CASUALTIES_SQL``), what the
  explorer and ``tacitus trends`` show; attaching can only lose counts (one with no attack in its sentence).

Usage: python tools/eval_fatalities.py [STORIES]   (the first STORIES DEV stories with a gold death count)
"""

from __future__ import annotations

import gzip
import re
import sys
import tempfile
from pathlib import Path

MUC = Path(__file__).resolve().parent.parent.parent / "shared" / "eval" / "muc34"


def gold_killed() -> dict[str, set[int]]:
    out: dict[str, set[int]] = {}
    for key in sorted((MUC / "keys").glob("key-dev-*.gz")):
        text = gzip.decompress(key.read_bytes()).decode("latin-1")
        for block in re.split(r"\n\s*\n(?=0\.\s+MESSAGE: ID)", text):
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
                elif current and line.strip():
                    slots[current].append(line.strip())
            numbers = {}
            for v in slots.get("21", []):
                n = re.match(r"\??\s*(\d+):\s*\"([^\"]+)\"", v)
                if n:
                    numbers[n.group(2)] = int(n.group(1))
            deaths = [v for v in slots.get("23", []) if v.lstrip("? ").startswith("DEATH")]
            killed = out.setdefault(m.group(1), set())
            for d in deaths:
                ref = re.search(r"\"([^\"]+)\"", d)
                if ref and ref.group(1) in numbers:
                    killed.add(numbers[ref.group(1)])
                elif not ref and len(numbers) == 1:
                    killed.update(numbers.values())
    return out


def stories() -> dict[str, str]:
    out = {}
    for f in sorted((MUC / "texts").glob("dev-muc3-*.gz")):
        text = gzip.decompress(f.read_bytes()).decode("latin-1")
        for part in re.split(r"\n(?=DEV-MUC3-\d{4} )", "\n" + text):
            m = re.match(r"\s*(DEV-MUC3-\d{4})", part)
            if m:
                out[m.group(1)] = part.split("\n", 2)[-1] if part.count("\n") > 1 else part
    return out


def score(pred: dict[str, set[float]], gold: dict[str, set[int]]) -> tuple[float, float]:
    tp = sum(len({int(x) for x in pred.get(k, set())} & g) for k, g in gold.items())
    npred = sum(len(pred.get(k, set())) for k in gold)
    ngold = sum(len(g) for g in gold.values())
    return (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)


def main() -> None:
    import tacitus
    from tacitus.api.explore import CASUALTIES_SQL

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 80
    gold_all, texts = gold_killed(), stories()
    gold = {k: v for k, v in sorted(gold_all.items()) if v and k in texts}
    gold = dict(list(gold.items())[:n])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "muc"
        folder.mkdir()
        for k in gold:
            (folder / f"{k}.txt").write_text(texts[k], encoding="utf-8")
        db = Path(tmp) / "muc.duckdb"
        tacitus.process([folder], db, progress=False)
        with tacitus.open(db) as d:
            stem = "regexp_extract(a.source_path, '(DEV-MUC3-[0-9]{4})', 1)"
            counts = d.sql(f"""SELECT {stem} AS story, c.number FROM counts c JOIN articles a ON a.id = c.article_id
                               WHERE c.category = 'killed' AND c.number IS NOT NULL""")
            fatal = d.sql(f"""SELECT {stem} AS story, cas.fatalities AS number FROM ({CASUALTIES_SQL}) cas
                              JOIN events e ON e.id = cas.event_id JOIN articles a ON a.id = e.article_id
                              WHERE cas.fatalities IS NOT NULL""")
            stored = int(d.sql("SELECT count(*) AS n FROM articles WHERE status = 'ok'")["n"][0])
    rows = {}
    for name, frame in (("counts (baseline)", counts), ("event fatalities", fatal)):
        pred: dict[str, set[float]] = {}
        for story, number in zip(frame["story"], frame["number"]):
            pred.setdefault(story, set()).add(float(number))
        rows[name] = score(pred, gold)
    print(f"MUC-3/4 DEV, {len(gold)} stories with a gold death count ({stored} stored ok), "
          f"{sum(len(g) for g in gold.values())} gold numbers")
    for name, (p, r) in rows.items():
        print(f"{name:20} precision {p:.3f} (a floor: MUC keys terrorist incidents only)  recall {r:.3f}")


if __name__ == "__main__":
    main()
