"""``tacitus eval places``: toponyms in our annotated demo articles (``examples/demo-gold/places.csv``).

For each gold toponym: is it found (a place mention, or an actor mention for a capital acting), and is it
resolved right -- the gazetteer entry's country equals the gold country and, where the gold has
coordinates, it lies within 100 km of them? Baseline, run in the same command: the same gazetteer with
no context (the most populous candidate wins).
"""

from __future__ import annotations

import csv
import gzip
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from tacitus.evaluate.actors import _locate
from tacitus.evaluate.common import read_article
from tacitus.resolve.places import km


def _right(entry, gold: dict) -> bool:
    if entry is None:
        return False
    if gold.get("country") and entry.country != gold["country"]:
        return False
    try:
        lat, lon = float(gold["latitude"]), float(gold["longitude"])
    except (TypeError, ValueError, KeyError):
        return True  # a region without a point: the country decides
    return km((entry.latitude, entry.longitude), (lat, lon)) <= 100


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


# -- public geoparsing corpora: LGL, TR-News, GeoVirus ----------------------------------------------------

GEO_SETS = {"lgl": "lgl.xml.gz", "trnews": "TR-News.xml.gz", "geovirus": "GeoVirus.xml.gz"}
GEO_SET_NAMES = {"lgl": "LGL", "trnews": "TR-News", "geovirus": "GeoVirus"}
ACCURACY_KM = 161  # 100 miles, the customary geocoding threshold


@dataclass(frozen=True)
class GoldToponym:
    start: int
    end: int
    phrase: str
    latitude: float
    longitude: float
    geonameid: int | None = None
    fcode: str = ""


@dataclass
class GeoArticle:
    id: str
    text: str
    toponyms: list[GoldToponym]
    without_point: int = 0  # gold toponyms with no coordinates (LGL streets, ...): not scored


def _realign(text: str, start: int, phrase: str, drift: int) -> int | None:
    """Where the phrase is written: at its gold offset, else the nearest place within 12 characters of the
    offset moved by the drift of the article's previous toponym. Some TR-News articles' offsets drift by
    a few characters as the text goes on; GeoVirus offsets are all one character off."""
    for shift in sorted(range(-12, 13), key=abs):
        s = start + drift + shift
        if s >= 0 and text.startswith(phrase, s):
            return s
    return None


def load_geoparsing(eval_dir: Path, name: str, limit: int | None = None) -> list[GeoArticle]:
    """The articles of one set (``lgl``, ``trnews``, ``geovirus``) under ``eval_dir/geoparsing`` with their
    gold toponyms. A toponym with no point, or whose phrase is not at (or within 3 characters of) its
    offsets, is counted in ``without_point`` and not scored."""
    path = Path(eval_dir) / "geoparsing" / GEO_SETS[name]
    root = ET.fromstring(gzip.decompress(path.read_bytes()))
    out: list[GeoArticle] = []
    for i, a in enumerate(root.findall("article")):
        if limit is not None and len(out) >= limit:
            break
        text = a.findtext("text") or ""
        golds, missing = [], 0
        items = a.findall("toponyms/toponym") + a.findall("locations/location")
        items.sort(key=lambda t: int(t.findtext("start") or 0))
        drift = 0
        for t in items:
            phrase = t.findtext("phrase") or t.findtext("name") or ""
            g = t.find("gaztag")
            lat, lon = (g.findtext("lat"), g.findtext("lon")) if g is not None else (t.findtext("lat"),
                                                                                      t.findtext("lon"))
            try:
                start = int(t.findtext("start"))
                found = _realign(text, start, phrase, drift) if phrase else None
                point = (float(lat), float(lon))
            except (TypeError, ValueError):
                found = None
            if found is None:
                missing += 1
                continue
            drift = found - start
            gid = g.get("geonameid") if g is not None else None
            golds.append(GoldToponym(found, found + len(phrase), phrase, *point,
                                     int(gid) if gid and gid.isdigit() else None,
                                     (g.findtext("fcode") or "") if g is not None else ""))
        out.append(GeoArticle(a.get("docid") or f"{i:04d}", text, golds, missing))
    return out


@dataclass
class GeoScore:
    """Counts of one system on one set; ``placed`` = found and within ``ACCURACY_KM`` of the gold point."""

    system: str
    toponyms: int = 0
    found: int = 0
    placed: int = 0
    via_actor: int = 0  # found only as an actor mention (a demonym, an acting capital): placed at its country
    errors_km: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        n, f = self.toponyms, self.found
        errs = sorted(self.errors_km)
        return {"system": self.system, "toponyms": n, "found": f,
                "found_rate": round(f / n, 3) if n else None,
                "accuracy_161km": round(self.placed / n, 3) if n else None,
                "accuracy_161km_of_found": round(self.placed / f, 3) if f else None,
                "found_via_actor_mention": self.via_actor,
                "median_error_km": round(errs[len(errs) // 2]) if errs else None}


def _point(entry) -> tuple[float, float] | None:
    return (entry.latitude, entry.longitude) if entry is not None else None


def score_article(article: GeoArticle, places, actors, gazetteer, scores: tuple[GeoScore, GeoScore],
                  misses: list | None = None) -> None:
    """Add one article to (Tacitus, baseline). ``places`` is ``doc._.tacitus_places`` (mention, resolved,
    is_actor), ``actors`` is ``doc._.tacitus_actors``. A gold toponym is found when a place mention overlaps
    it, or else an actor mention with a country does ("Russian officials", "Washington said"): that one is
    placed at its country, for both systems (finding, not choosing among candidates). The baseline takes the
    same place mentions and picks the most populous candidate of the same gazetteer."""
    ours, base = scores
    actor_hits = [(m, a) for m, a in actors or [] if a.country and m.label != "PLACE"]
    for g in article.toponyms:
        point = (g.latitude, g.longitude)
        hit = next(((p, res) for p, res, _act in places if p.start < g.end and g.start < p.end), None)
        ours.toponyms += 1
        base.toponyms += 1
        if hit is not None:
            p, res = hit
            cands = gazetteer.candidates(p.text)
            best = max(cands, key=lambda c: (c.population, -c.geonameid)) if cands else None
            answers = (_point(res.entry), _point(best))
            detail = (p.text, res.entry, res.candidates)
        else:
            act = next(((m, a) for m, a in actor_hits if m.start < g.end and g.start < m.end), None)
            if act is None:
                if misses is not None:
                    misses.append((article.id, g, "not found", None))
                continue
            entry = gazetteer.country(act[1].country)
            answers = (_point(entry), _point(entry))
            detail = (act[0].text, entry, -1)
            ours.via_actor += 1
            base.via_actor += 1
        for score, answer in zip(scores, answers):
            score.found += 1
            if answer is not None:
                error = km(answer, point)
                score.errors_km.append(error)
                score.placed += error <= ACCURACY_KM
        if misses is not None and (answers[0] is None or km(answers[0], point) > ACCURACY_KM):
            misses.append((article.id, g, "unresolved" if answers[0] is None else "far", detail))


def evaluate_geoparsing(eval_dir: Path, sets: Iterable[str], nlp, limit: int | None = None,
                        progress: Callable[[], None] | None = None) -> dict:
    """Tacitus end to end (its own NER and toponym finding, then its resolution) on the public geoparsing
    sets, beside the same found toponyms resolved to their most populous candidate."""
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc
    from tacitus.resolve.places import Gazetteer

    gazetteer = Gazetteer.load()
    result: dict = {}
    sets = list(sets)
    combined = (GeoScore("tacitus"), GeoScore("gazetteer, most populous candidate"))
    for name in sets:
        articles = load_geoparsing(eval_dir, name, limit)
        scores = (GeoScore("tacitus"), GeoScore("gazetteer, most populous candidate"))
        for art in articles:
            doc = nlp(make_doc(nlp, RawArticle(key=art.id, source_path=art.id, text=art.text)))
            score_article(art, doc._.tacitus_places or [], doc._.tacitus_actors or [], gazetteer, scores)
            if progress:
                progress()
        result[name] = {"articles": len(articles), "not_scored_no_point": sum(a.without_point for a in articles),
                        "scores": [s.as_dict() for s in scores]}
        for total, s in zip(combined, scores):
            total.toponyms += s.toponyms
            total.found += s.found
            total.placed += s.placed
            total.via_actor += s.via_actor
            total.errors_km += s.errors_km
    if len(sets) > 1:
        result["all"] = {"toponyms": combined[0].toponyms, "scores": [s.as_dict() for s in combined]}
    return result
