"""``tacitus eval places``: toponyms in our annotated demo articles (``examples/demo-gold/places.csv``).

For each gold toponym: is it found (a place mention, or an actor mention for a capital acting), and is it
resolved right -- the gazetteer entry's country equals the gold country and, where the gold has
coordinates, it lies within 100 km of them? Baseline, run in the same command: the same gazetteer with
no context (the most populous candidate wins).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from tacitus.evaluate.actors import _locate
from tacitus.evaluate.common import read_article


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


def _right(entry, gold: dict) -> bool:
    if entry is None:
        return False
    if gold.get("country") and entry.country != gold["country"]:
        return False
    try:
        lat, lon = float(gold["latitude"]), float(gold["longitude"])
    except (TypeError, ValueError, KeyError):
        return True  # a region without a point: the country decides
    return _km((entry.latitude, entry.longitude), (lat, lon)) <= 100


def evaluate_places(gold_path: Path, corpus: Path, nlp, reader) -> dict:
    from tacitus.nlp.engine import make_doc
    from tacitus.resolve.places import Gazetteer

    gazetteer = Gazetteer.load()
    with open(gold_path, encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("file") and r.get("toponym")]
    by_file: dict[str, list[dict]] = {}
    for r in rows:
        by_file.setdefault(r["file"], []).append(r)
    out = {"tacitus": {"found": 0, "resolved_right": 0, "actor_flag_right": 0},
           "gazetteer, most populous candidate": {"found": 0, "resolved_right": 0, "actor_flag_right": 0}}
    total = 0
    for name, golds in sorted(by_file.items()):
        path = corpus / name
        if not path.exists():
            continue
        article = read_article(reader, path)
        doc = nlp(make_doc(nlp, article))
        places = doc._.tacitus_places or []
        actors = [(m.start, m.end) for m, _a in doc._.tacitus_actors or [] if m.label != "PLACE"]
        for g in golds:
            total += 1
            where = _locate(article.text, g.get("sentence_snippet", ""), g["toponym"])
            if where is None:
                continue
            s, e = where
            hit = next(((p, res, act) for p, res, act in places if p.start < e and s < p.end), None)
            acting = any(a < e and s < b for a, b in actors)
            gold_actor = (g.get("is_actor") or "0").strip() == "1"
            if hit is None and not acting:
                continue
            for system in out:
                out[system]["found"] += 1
            if hit is not None:
                p, res, act = hit
                out["tacitus"]["resolved_right"] += _right(res.entry, g)
                cands = gazetteer.candidates(p.text)
                best = max(cands, key=lambda c: (c.population, -c.geonameid)) if cands else None
                out["gazetteer, most populous candidate"]["resolved_right"] += _right(best, g)
            out["tacitus"]["actor_flag_right"] += (acting and (hit is None or hit[2])) == gold_actor
            out["gazetteer, most populous candidate"]["actor_flag_right"] += (not gold_actor)
    result = {"toponyms": total}
    for system, c in out.items():
        result[system] = {k: round(v / total, 3) if total else None for k, v in c.items()}
    return result
