"""Merged events as GDELT 2.0 event-table rows, so that tools written for GDELT's export files load them.

The columns are the 61 of the GDELT 2.0 event codebook, in its order (:data:`GDELT_COLUMNS`); files are
tab-separated with no header, as GDELT's are. How each column is filled:

* ``GlobalEventID``: a 60-bit integer from the merged event's id (stable across rebuilds).
* ``Day`` (YYYYMMDD), ``MonthYear``, ``Year``, ``FractionDate`` (year + (month * 30 + day) / 365, as
  GDELT computes it): from the event's own date, the first day of its span when it is only a month,
  year or decade. Undated events are left out (GDELT rows always have a date).
* Actors: ``Actor1Code`` the CAMEO-style code without spaces ("RUS GOV" -> "RUSGOV"), ``Actor1Name`` the
  name in capitals, ``Actor1CountryCode`` the actor's country, ``Actor1Type1Code``.. the sector tokens of
  the code ("GOV", "INS"); known-group, ethnic and religion codes are left empty (we do not map them).
* ``IsRootEvent`` 1 when a mention is in the first three sentences of its article (GDELT: the lead).
* ``EventCode``/``EventBaseCode``/``EventRootCode``: the PLOVER type and mode mapped to CAMEO by the
  bundled table ``data/cameo/plover_to_cameo.csv`` (see its README); empty for a type it does not map.
* ``QuadClass`` 1 verbal cooperation, 2 material cooperation, 3 verbal conflict, 4 material conflict;
  ``GoldsteinScale`` our intensity (the same -10..+10 scale).
* ``NumMentions``, ``NumSources``, ``NumArticles``: the merged event's mentions, outlets and articles
  (copies counted as the corpus view counts them); ``AvgTone`` the mean tone of those articles.
* Geography: ``ActionGeo_*`` from the event's place resolved against the gazetteer (type 1 country,
  4 world city, 5 first-order division), with full name, latitude, longitude and the GeoNames id as
  feature id; the country code is the ISO code (GDELT uses FIPS; we do not map it). Actor geography
  columns are empty.
* ``DATEADDED`` (YYYYMMDDHHMMSS, UTC): when the run that stored its first article started;
  ``SOURCEURL``: the first report's URL (or file path).
"""

from __future__ import annotations

import csv
import os
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from tacitus.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

    from tacitus.store import Store

_ACTOR = ("Code", "Name", "CountryCode", "KnownGroupCode", "EthnicCode", "Religion1Code", "Religion2Code",
          "Type1Code", "Type2Code", "Type3Code")
_GEO = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")

#: The GDELT 2.0 event table's columns, in order (GDELT Event Codebook V2.0).
GDELT_COLUMNS: tuple[str, ...] = (
    ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{c}" for c in _ACTOR) + tuple(f"Actor2{c}" for c in _ACTOR)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "NumMentions",
       "NumSources", "NumArticles", "AvgTone")
    + tuple(f"Actor1Geo_{c}" for c in _GEO) + tuple(f"Actor2Geo_{c}" for c in _GEO)
    + tuple(f"ActionGeo_{c}" for c in _GEO)
    + ("DATEADDED", "SOURCEURL")
)
assert len(GDELT_COLUMNS) == 61

QUAD_CLASS = {"verbal cooperation": 1, "material cooperation": 2, "verbal conflict": 3, "material conflict": 4}
CAMEO_MAP_VERSION = "plover_to_cameo.csv (CAMEO2PLOVER-2021, PLOVER draft 0.8)"


@lru_cache(maxsize=1)
def cameo_map() -> dict[tuple[str, str], tuple[str, str, str]]:
    """(PLOVER type, mode or '') -> (CAMEO event code, base code, root code), from the bundled table."""
    path = resources.files("tacitus.data").joinpath("cameo/plover_to_cameo.csv")
    out: dict[tuple[str, str], tuple[str, str, str]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            out[(row["type"], row["mode"])] = (row["event_code"], row["base_code"], row["root_code"])
    return out


def cameo_codes(type_: str | None, mode: str | None) -> tuple[str, str, str]:
    """CAMEO (event, base, root) codes of a PLOVER type and mode; the type's own row for an unmapped mode;
    empty strings for an unmapped type."""
    table = cameo_map()
    if not type_:
        return "", "", ""
    return table.get((type_, mode or ""), table.get((type_, ""), ("", "", "")))


def _actor_fields(code: str | None, name: str | None, country: str | None) -> list[Any]:
    tokens = (code or "").split()
    if country and tokens and tokens[0] == country:
        types = tokens[1:]
    else:  # no country part ("IGO", "IMG INS"): every token is a type
        country, types = None, tokens
    types = (types + ["", "", ""])[:3]
    return ["".join(tokens), (name or "").upper(), country or "", "", "", "", "", *types]


def _day(start: date | None) -> tuple[Any, Any, Any, Any]:
    if start is None:
        return None, None, None, None
    fraction = round(start.year + (start.month * 30 + start.day) / 365, 4)
    return (int(start.strftime("%Y%m%d")), int(start.strftime("%Y%m")), start.year, fraction)


def _geo(place: dict[str, Any] | None) -> list[Any]:
    if not place:
        return ["", "", "", "", "", None, None, ""]
    fc = (place.get("feature_class") or "").lower()
    us = place.get("country") == "USA"
    if fc in ("country", "continent"):
        gtype = 1
    elif fc in ("adm1", "province", "state", "admin1", "region"):
        gtype = 2 if us else 5  # GDELT: US state, else first-order division
    else:
        gtype = 3 if us else 4  # GDELT: US city, else world city
    adm1 = f"{place.get('country') or ''}{place.get('admin1') or ''}" if place.get("admin1") else ""
    return [gtype, place.get("name") or "", place.get("country") or "", adm1, "", place.get("latitude"),
            place.get("longitude"), str(place.get("geonameid") or "")]


def undated_count(store: "Store") -> int:
    """Merged events with an actor that a GDELT export leaves out for having no date (a GDELT row needs one)."""
    return store.con.execute(
        """SELECT count(*) FROM event_clusters c
           WHERE c.date_start IS NULL AND (c.source.code IS NOT NULL OR c.target.code IS NOT NULL)""").fetchone()[0]


def gdelt_rows(store: "Store", since: str | None = None, until: str | None = None) -> list[list[Any]]:
    """One GDELT row (a list of 61 values) per dated merged event with at least one actor, in date order."""
    from tacitus.api.corpus import date_conditions

    dates, params = date_conditions(since, until, "c.date_start", "c.date_end")
    con = store.con
    try:
        clusters = con.execute(
            f"""SELECT c.id, c.date_start, c.source.code, c.source.name, sa.country, c.target.code, c.target.name,
                       ta.country, c.lead, c.type, c.mode, c.quad, c.intensity, c.mentions, c.outlets, c.articles,
                       c.tone, c.place, c.event_ids, c.added, c.url
                FROM event_clusters c
                LEFT JOIN actors sa ON sa.id = c.source_actor_id LEFT JOIN actors ta ON ta.id = c.target_actor_id
                WHERE c.date_start IS NOT NULL AND (c.source.code IS NOT NULL OR c.target.code IS NOT NULL) AND {dates}
                ORDER BY c.date_start, c.id""", params).fetchall()
        # the resolved place each event's place text names in its own article
        places: dict[str, dict[str, Any]] = {}
        for eid, name, country, admin1, fc, lat, lon, gid in con.execute(
                """SELECT e.id, p.name, p.country, p.admin1, p.feature_class, p.latitude, p.longitude, p.geonameid
                   FROM events e JOIN places p ON p.article_id = e.article_id AND p.resolved
                        AND lower(p.text) = lower(trim(split_part(e.place, ',', 1)))
                   WHERE e.place IS NOT NULL AND e.cluster_id IS NOT NULL
                   QUALIFY row_number() OVER (PARTITION BY e.id ORDER BY abs(p.sentence - e.sentence), p.start) = 1"""
        ).fetchall():
            places[eid] = {"name": name, "country": country, "admin1": admin1, "feature_class": fc,
                           "latitude": lat, "longitude": lon, "geonameid": gid}
    except Exception as exc:  # duckdb.Error, with a clear message
        raise StoreError(f"cannot build GDELT rows: {str(exc).splitlines()[0]}") from None
    rows = []
    for (cid, start, scode, sname, scountry, tcode, tname, tcountry, lead, type_, mode, quad, intensity, mentions,
         outlets, articles, tone, place, event_ids, added, url) in clusters:
        event, base, root = cameo_codes(type_, mode)
        geo = next((places[e] for e in sorted(event_ids or []) if e in places), None)
        if geo is None and place:
            geo = _gazetteer_place(place, scountry, tcountry)
        stamp = added.strftime("%Y%m%d%H%M%S") if isinstance(added, datetime) else ""
        rows.append([
            int(cid[:15], 16), *_day(start),
            *_actor_fields(scode, sname, scountry), *_actor_fields(tcode, tname, tcountry),
            1 if lead else 0, event, base, root, QUAD_CLASS.get(quad or "", ""),
            None if intensity is None else round(float(intensity), 1),
            int(mentions or 0), int(outlets or 0), int(articles or 0),
            None if tone is None else round(float(tone), 4),
            *_geo(None), *_geo(None), *_geo(geo), stamp, url or "",
        ])
    return rows


def _gazetteer_place(place: str, *countries: str | None) -> dict[str, Any] | None:
    """The gazetteer's reading of an event's place text that its article's places table did not resolve (a
    dateline, a name NER gave no place label), with the actors' countries as context: every row with a
    place the gazetteer knows gets coordinates."""
    from tacitus.resolve.places import Gazetteer

    name = place.split(",")[0].strip()
    if not name:
        return None
    e = Gazetteer.load().resolve(name, {c: 1 for c in countries if c}).entry
    if e is None:
        return None
    return {"name": e.name, "country": e.country, "admin1": e.admin1, "feature_class": e.feature,
            "latitude": e.latitude, "longitude": e.longitude, "geonameid": e.geonameid}


def gdelt_frame(store: "Store", since: str | None = None, until: str | None = None) -> "pd.DataFrame":
    """:func:`gdelt_rows` as a DataFrame with GDELT's column names."""
    import pandas as pd

    return pd.DataFrame(gdelt_rows(store, since, until), columns=list(GDELT_COLUMNS))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if value != value else repr(value)
    return str(value).replace("\t", " ").replace("\r", " ").replace("\n", " ")


def write_gdelt(store: "Store", path: str | os.PathLike[str], since: str | None = None,
                until: str | None = None) -> int:
    """Write GDELT rows tab-separated, without a header, to ``path`` ('-' for stdout). Returns the row count."""
    import sys

    rows = gdelt_rows(store, since, until)
    lines = "".join("\t".join(_cell(v) for v in row) + "\n" for row in rows)
    if str(path) == "-":
        sys.stdout.write(lines)
        sys.stdout.flush()
        return len(rows)
    try:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(lines)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc}") from None
    return len(rows)
