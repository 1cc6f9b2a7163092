"""Offline geocoding: toponyms to gazetteer entries (package data ``tacitus/data/geo/places.tsv.gz``:
GeoNames places of 1,000+ people, countries and continents at their own points, first-level regions of every
country, US counties, hand-written additions; see its SOURCES.md).

Candidates are the entries whose name or alternate name equals the toponym (case-insensitive, a leading
"the" and a possessive "'s" dropped; only when nothing matches, a trailing "province"/"city"/"county"/...
too: "Texas" is not "Texas City"). The article decides between them (:meth:`Gazetteer.resolve_all`):

- a word after the name asks for a feature: "Kabul province" -> the province, "Kabul city" -> the city,
  "Washington state" -> the state;
- the article's country focus: a candidate in a country the article names (actors, places, and what its
  places resolve to at a first pass) scores higher, the more so the larger that country's share;
- its regional focus: a town or county in a first-level region (US state, province) the article names or
  places its other towns in ("Paris" in a story that names Texas and Dallas), the more so the larger that
  region's share (the square root of its evidence over the top region's); the region itself as well;
- nearby places: a town within 150 km of another place the article names;
- the toponym being the candidate's own name rather than one of its alternates;
- a country beats a US state of the same name unless the article is about the US ("Georgia");
- otherwise feature class (country and continent, then capital and region, then city) and population.

A toponym with no candidate is kept, unresolved; nothing is dropped.

Russian (Cyrillic) toponyms are looked up in ``names_ru.tsv`` instead (hand-written nominative names, each
pointing at a gazetteer row by its geonameid, or a first-level region by country and admin1 code), read the
first time a Cyrillic name is looked up: "ё" is read as "е", quotation marks are dropped, and a leading
"провинция", "город", "штат", ... is dropped when the name with it is not listed (and read as the cue a
following "province", "city", "state" would be).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import logging
import math
import re
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Iterable

FEATURE_PRIOR = {"country": 3.0, "continent": 3.0, "capital": 1.5, "ADM1": 1.5, "ADM2": 1.0, "city": 1.0}
# weights of the document context, set on LGL and TR-News (GeoVirus held out): see evaluate/places.py
COUNTRY_FOCUS = 4.0  # times the candidate country's share of the article's country evidence
REGION_FOCUS = 4.0  # the candidate lies in a first-level region (US state, province) the article names
NEAR_KM, NEAR_BONUS = 150.0, 1.5  # the candidate lies this close to another place the article names
PRIMARY_NAME = 1.0  # the toponym is the candidate's own name, not one of its alternate names
SUFFIXES = (" province", " city", " region", " district", " county", " state")
RU_NAMES = "names_ru.tsv"
#: A word before a Russian toponym that asks for a feature, as a word after an English one does.
RU_CUES = {"провинция": "province", "провинции": "province", "область": "province", "регион": "province",
           "город": "city", "г.": "city", "г": "city", "штат": "state", "округ": "county", "район": "county"}
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_RU_DROP = str.maketrans("", "", "«»„“”\"")


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


@dataclass
class PlaceContext:
    """What the article says about where it is: the countries it names (ISO3 -> mentions), the first-level
    regions ((ISO3, admin1 code) -> mentions) and points of places it names (cities, counties)."""

    countries: dict[str, int] = field(default_factory=dict)
    regions: dict[tuple[str, str], int] = field(default_factory=dict)
    anchors: list[tuple[str, float, float]] = field(default_factory=list)  # (toponym key, lat, lon)


def _norm(text: str) -> str:
    t = " ".join(text.replace("’", "'").split()).casefold()
    if t.startswith("the "):
        t = t[4:]
    return t


def _norm_stored(text: str) -> str:
    """:func:`_norm` of a gazetteer name, fast: the build already collapses their white space."""
    t = text.casefold()
    if "’" in t or "  " in t or t.startswith("the ") or t != t.strip():
        return _norm(text)
    return t


def _norm_ru(text: str) -> str:
    """:func:`_norm` of a Russian toponym, with "ё" read as "е" and quotation marks dropped."""
    return " ".join(_norm(text).replace("ё", "е").translate(_RU_DROP).split())


def _key(text: str) -> str:
    """A toponym's lookup key with its suffix ("Kabul province" -> "kabul"): the fallback lookup."""
    t = _norm(text)
    for suffix in SUFFIXES:
        if t.endswith(suffix) and len(t) > len(suffix) + 2:
            return t[: -len(suffix)]
    return t


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in kilometres between two (latitude, longitude) points."""
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371 * 2 * math.asin(min(1.0, math.sqrt(h)))


class Gazetteer:
    def __init__(self, entries: Iterable[GeoEntry], names: dict[str, list[GeoEntry]],
                 primary: set[tuple[str, int]] | None = None):
        self.entries = list(entries)
        self.names = names
        self.primary = primary if primary is not None else set()
        self._countries = {e.country: e for e in self.entries if e.feature == "country"}
        self._ru: dict[str, list[GeoEntry]] | None = None  # Russian names, read at the first Cyrillic lookup

    @classmethod
    def load(cls) -> "Gazetteer":
        return _load()

    def country(self, iso3: str) -> GeoEntry | None:
        return self._countries.get(iso3)

    def _lookup(self, toponym: str) -> tuple[str, list[GeoEntry]]:
        if _CYRILLIC.search(toponym):
            return self._lookup_ru(toponym)
        t = _norm(toponym)
        if t.endswith("'s") and t[:-2] in self.names:  # "Ohio's"
            t = t[:-2]
        if t in self.names:
            return t, self.names[t]
        k = _key(t)
        return k, self.names.get(k, [])

    def _lookup_ru(self, toponym: str) -> tuple[str, list[GeoEntry]]:
        names = self.russian_names()
        t = _norm_ru(toponym)
        if t in names:
            return t, names[t]
        head, _, rest = t.partition(" ")
        if head in RU_CUES and rest in names:  # "город Кабул" -> "кабул"
            return rest, names[rest]
        return t, []

    def russian_names(self) -> dict[str, list[GeoEntry]]:
        """Russian name (folded by :func:`_norm_ru`) -> its entries, from ``names_ru.tsv``; read once."""
        if self._ru is None:
            self._ru = self._russian_entries(_russian_table())
        return self._ru

    def _russian_entries(self, table: list[tuple[str, str]]) -> dict[str, list[GeoEntry]]:
        by_id, regions = self._id_index()
        out: dict[str, list[GeoEntry]] = {}
        missing = []
        for name, ref in table:
            if ref.startswith("ADM1:"):
                _, country, admin1 = (ref.split(":", 2) + ["", ""])[:3]
                e = regions(country, admin1)
            else:
                e = by_id(int(ref)) if ref.isdigit() else None
            if e is None:
                missing.append(ref)
                continue
            lst = out.setdefault(_norm_ru(name), [])
            if e not in lst:
                lst.append(e)
        if missing and self.entries:
            logging.getLogger(__name__).warning(
                "%d Russian place name(s) in %s point at no gazetteer row (%s ...); rebuilt gazetteer?",
                len(missing), RU_NAMES, ", ".join(missing[:3]))
        return out

    def _id_index(self):
        """(geonameid -> entry, (country, admin1) -> first-level region) lookups for the Russian names."""
        if isinstance(self.names, _LazyNames):
            return self.names.by_geonameid, self.names.region
        by_id: dict[int, GeoEntry] = {}
        for e in [*self.entries, *(e for v in self.names.values() for e in v)]:
            by_id.setdefault(e.geonameid, e)
        regions = {(e.country, e.admin1): e for e in reversed(list(by_id.values())) if e.feature == "ADM1"}
        return by_id.get, lambda country, admin1: regions.get((country, admin1))

    def candidates(self, toponym: str) -> list[GeoEntry]:
        """The entries whose name or alternate name is the toponym (case-insensitive, a leading "the"
        dropped); if none, those of the toponym without a trailing "province", "city", ...: "Texas" is not
        "Texas City", "Kabul province" still finds Kabul."""
        return self._lookup(toponym)[1]

    def resolve(self, toponym: str, context_countries: dict[str, int] | None = None,
                following: str = "", context: PlaceContext | None = None) -> ResolvedPlace:
        key, cands = self._lookup(toponym)
        if not cands:
            return ResolvedPlace(None, 0)
        ctx = context or PlaceContext()
        countries = dict(ctx.countries)
        for c, n in (context_countries or {}).items():
            countries[c] = max(countries.get(c, 0), n)
        total = sum(countries.values()) or 1
        want = following.casefold().strip()
        if _CYRILLIC.search(toponym):  # "провинция Кабул": the cue comes first in Russian
            want = RU_CUES.get(_norm_ru(toponym).partition(" ")[0], "") or want
        lowered = toponym.casefold()
        has_country = any(e.feature == "country" for e in cands)
        top_region = max(ctx.regions.values(), default=1)

        def score(e: GeoEntry) -> float:
            s = FEATURE_PRIOR.get(e.feature, 0.5) + math.log10(max(e.population, 1)) / 2
            if (key, e.geonameid) in self.primary:
                s += PRIMARY_NAME
            if countries.get(e.country):
                s += COUNTRY_FOCUS * countries[e.country] / total + 1.0
            region = ctx.regions.get((e.country, e.admin1), 0)
            if region and e.feature not in ("country", "continent"):
                # a town in the region the article names most outweighs one in a region it names in passing;
                # a region itself gets it too ("Minnesota" the state, not the town Minneota in it)
                s += REGION_FOCUS * (region / top_region) ** 0.5
            if e.feature in ("city", "capital", "ADM2", "landmark") and ctx.anchors:
                near = min((km((e.latitude, e.longitude), (la, lo)) for k, la, lo in ctx.anchors if k != key),
                           default=math.inf)
                if near <= NEAR_KM:
                    s += NEAR_BONUS
            if (want.startswith("province") or lowered.endswith("province")) and e.feature == "ADM1":
                s += 6
            if (want.startswith("city") or lowered.endswith(" city")) and e.feature in ("city", "capital"):
                s += 6
            if (want.startswith("county") or lowered.endswith(" county")) and e.feature == "ADM2":
                s += 6
            if (want.startswith("state") or lowered.endswith(" state")) and e.feature == "ADM1":
                s += 6
            if e.feature == "ADM1" and e.country == "USA" and has_country and countries.get("USA", 0) < 2:
                s -= 3  # "Georgia" is the country unless the article is about the US
            return s

        best = max(cands, key=lambda e: (score(e), -e.geonameid))
        return ResolvedPlace(best, len(cands))

    def resolve_all(self, toponyms: list[tuple[str, str]], countries: dict[str, int]) -> list[ResolvedPlace]:
        """Every toponym of one article, (text, the text after it), with the article as context. A first
        pass resolves each with the countries the article names; what it finds (countries, first-level
        regions, cities and counties with few namesakes) becomes the context of the second pass, which
        decides: a town in the state the article names, near the other places it names. A name's own
        first-pass readings are left out of its context: four "Georgia"s do not vote for the country."""
        def cue(following: str) -> str:  # all of the following text that resolve() reads
            want = following.casefold().strip()
            return next((w for w in ("province", "city", "county", "state") if want.startswith(w)), "")

        memo: dict[tuple[str, str], ResolvedPlace] = {}  # a name repeated in an article resolves once a pass

        def once(t: str, f: str, ctx_countries, ctx_: PlaceContext | None) -> ResolvedPlace:
            key_ = (t, cue(f))
            if key_ not in memo:
                memo[key_] = self.resolve(t, ctx_countries, key_[1], ctx_)
            return memo[key_]

        first = [once(t, f, countries, None) for t, f in toponyms]
        memo.clear()
        ctx = PlaceContext(dict(countries))
        own: dict[str, PlaceContext] = {}  # what each name added, left out of its own context
        for (text, _f), r in zip(toponyms, first):
            e = r.entry
            if e is None:
                continue
            key = self._lookup(text)[0]
            mine = own.setdefault(key, PlaceContext())
            for c in (ctx, mine):
                c.countries[e.country] = c.countries.get(e.country, 0) + 1
                if e.feature == "ADM1":
                    c.regions[(e.country, e.admin1)] = c.regions.get((e.country, e.admin1), 0) + 2
                elif e.feature in ("city", "capital", "ADM2") and r.candidates <= 3:
                    c.regions[(e.country, e.admin1)] = c.regions.get((e.country, e.admin1), 0) + 1
            if e.feature in ("city", "capital", "ADM2") and r.candidates <= 3:
                ctx.anchors.append((key, e.latitude, e.longitude))
        out = []
        for (t, f), r in zip(toponyms, first):
            if r.entry is None:
                out.append(r)
                continue
            mine = own.get(self._lookup(t)[0])
            c = ctx if mine is None else PlaceContext(
                {k: n - mine.countries.get(k, 0) for k, n in ctx.countries.items()},
                {k: n - mine.regions.get(k, 0) for k, n in ctx.regions.items()}, ctx.anchors)
            out.append(once(t, f, None, c))
        return out


class _LazyNames(Mapping):
    """Name -> entries, read from the sorted name index (``names.tsv.gz``: a folded name, a tab, its row
    codes) by bisection, each row parsed into a :class:`GeoEntry` the first time one of its names is looked
    up. An article looks up tens of names of 370,000: building a dictionary of all of them at load took
    1.6 s, the index loads in a tenth of that. Looking a name up also records which of its entries bear it as
    their own name (``primary``)."""

    def __init__(self, index: list[str], rows: list[str], cols: tuple, primary: set):
        self._index = index  # sorted "name\tcode,code": code = row * 2 + (1 if the name is the row's own)
        self._rows = rows  # the gazetteer's lines, row i at i + 1 (after the header)
        self._cols = cols
        self._primary = primary
        self._entries: dict[int, GeoEntry | None] = {}
        self._done: dict[str, list[GeoEntry]] = {}
        self._regions: dict[tuple[str, str], GeoEntry] | None = None

    def entry(self, row: int) -> GeoEntry | None:
        if row not in self._entries:
            self._entries[row] = _entry(self._rows[row + 1].rstrip("\r").split("\t"), self._cols)
        return self._entries[row]

    def _codes(self, name: str) -> list[int] | None:
        key = name + "\t"
        i = bisect_left(self._index, key)
        if i < len(self._index) and self._index[i].startswith(key):
            return [int(c) for c in self._index[i][len(key):].split(",")]
        return None

    def __getitem__(self, name: str) -> list[GeoEntry]:
        done = self._done.get(name)
        if done is not None:
            return done
        codes = self._codes(name)
        if codes is None:
            raise KeyError(name)
        out = []
        for code in codes:
            e = self.entry(code >> 1)
            if e is not None:
                out.append(e)
                if code & 1:
                    self._primary.add((name, e.geonameid))
        self._done[name] = out
        return out

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and (name in self._done or self._codes(name) is not None)

    def by_geonameid(self, geonameid: int) -> GeoEntry | None:
        """The entry with this geonameid, found by bisection (the gazetteer's rows are sorted by it)."""
        hi = len(self._rows)
        while hi > 1 and not self._rows[hi - 1].strip():
            hi -= 1
        i = bisect_left(self._rows, geonameid, 1, hi, key=_row_id)
        if i < hi and _row_id(self._rows[i]) == geonameid:
            return self.entry(i - 1)
        return None

    def region(self, country: str, admin1: str) -> GeoEntry | None:
        """The first-level region (feature ADM1) of ``country`` with GeoNames admin1 code ``admin1``."""
        if self._regions is None:
            self._regions = {}
            for i, line in enumerate(self._rows[1:]):
                if "\tADM1\t" in line and (e := self.entry(i)) is not None and e.feature == "ADM1":
                    self._regions.setdefault((e.country, e.admin1), e)
        return self._regions.get((country, admin1))

    def __iter__(self):
        return (line.split("\t", 1)[0] for line in self._index)

    def __len__(self) -> int:
        return len(self._index)


def _row_id(line: str) -> int:
    head = line.split("\t", 1)[0]
    return int(head) if head.isdigit() else -1


@functools.lru_cache(maxsize=1)
def _russian_table() -> list[tuple[str, str]]:
    """(name, ref) rows of ``names_ru.tsv`` (lines starting with "#" and the header skipped)."""
    path = resources.files("tacitus").joinpath("data", "geo", RU_NAMES)
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.rstrip("\r").split("\t")
        if len(cols) >= 2 and cols[0] != "name" and cols[0].strip() and cols[1].strip():
            out.append((cols[0].strip(), cols[1].strip()))
    return out


def _entry(r: list[str], cols: tuple) -> GeoEntry | None:
    gid, name_, country, feature, admin1, pop, lat, lon = cols
    try:
        return GeoEntry(int(r[gid]), r[name_], r[country], r[feature], r[admin1] if admin1 is not None else "",
                        int(float(r[pop] or 0)) if pop is not None else 0, float(r[lat]), float(r[lon]))
    except (TypeError, ValueError, IndexError):
        return None


_COLUMNS = ("geonameid", "name", "asciiname", "alternates", "country", "feature", "admin1", "population",
            "latitude", "longitude")


def name_index(places: bytes) -> bytes:
    """The name index of a gazetteer file (its gzip bytes): first line ``#sha256 <digest of the file>``, then
    one line per folded name, sorted, with the codes of its rows (row * 2, plus 1 where the name is the
    row's own name or ASCII name). ``tools/build_gazetteer.py`` writes it beside ``places.tsv.gz``; a test
    checks the two agree. Names are folded as :func:`_norm` folds a toponym."""
    lines = gzip.decompress(places).decode("utf-8").split("\n")
    col = {name: i for i, name in enumerate(lines[0].rstrip("\r").split("\t"))}
    name_, ascii_, alt = col["name"], col["asciiname"], col["alternates"]
    index: dict[str, list[int]] = {}
    for i, line in enumerate(lines[1:]):
        r = line.rstrip("\r").split("\t")
        if len(r) < len(col):
            continue
        n1 = _norm_stored(r[name_])
        n2 = _norm_stored(r[ascii_])
        index.setdefault(n1, []).append(2 * i + 1)
        if n2 != n1:
            index.setdefault(n2, []).append(2 * i + 1)
        for a in r[alt].split("|") if r[alt] else ():
            k = _norm_stored(a)
            if k and k != n1 and k != n2:
                index.setdefault(k, []).append(2 * i)
    body = "\n".join(f"{k}\t{','.join(map(str, v))}" for k, v in sorted(index.items()) if "\t" not in k and "\n" not in k)
    head = f"#sha256 {hashlib.sha256(places).hexdigest()}\n"
    return gzip.compress((head + body + "\n").encode("utf-8"), compresslevel=9, mtime=0)


@functools.lru_cache(maxsize=1)
def _load() -> Gazetteer:
    geo = resources.files("tacitus").joinpath("data", "geo")
    path = geo.joinpath("places.tsv.gz")
    if not path.is_file():
        return Gazetteer([], {})  # no gazetteer installed: every toponym stays unresolved, none is dropped
    raw = path.read_bytes()
    ipath = geo.joinpath("names.tsv.gz")
    index_bytes = ipath.read_bytes() if ipath.is_file() else b""
    index = gzip.decompress(index_bytes).decode("utf-8").split("\n") if index_bytes else []
    if not index or index[0] != f"#sha256 {hashlib.sha256(raw).hexdigest()}":
        logging.getLogger(__name__).warning("the gazetteer's name index is missing or stale; building it now "
                                            "(run tools/build_gazetteer.py to rebuild both)")
        index = gzip.decompress(name_index(raw)).decode("utf-8").split("\n")
    index = [line for line in index[1:] if line]
    lines = gzip.decompress(raw).decode("utf-8").split("\n")
    col = {name: i for i, name in enumerate(lines[0].rstrip("\r").split("\t"))}
    gid, name_, ascii_, alt, country, feature, admin1, pop, lat, lon = (col.get(c) for c in _COLUMNS)
    cols = (gid, name_, country, feature, admin1, pop, lat, lon)
    primary: set[tuple[str, int]] = set()
    names = _LazyNames(index, lines, cols, primary)
    countries = [i - 1 for i, line in enumerate(lines) if "\tcountry\t" in line and i > 0]
    return Gazetteer([e for i in countries if (e := names.entry(i)) is not None and e.feature == "country"],
                     names, primary)
