"""The explorer's Trends and Tables, through the Python API (``tacitus.open(db).explorer()``) and the web
API that calls it: counts that add up, filters that filter, a CSV that holds what the page shows."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from conftest import model_available
from tacitus.api.explore import EventFilter, TableError, parse_filter
from tacitus.web import create_app

pytestmark = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")


@pytest.fixture(scope="module")
def db(mini_db):
    import tacitus

    with tacitus.open(mini_db) as database:
        yield database


@pytest.fixture(scope="module")
def client(mini_db):
    with TestClient(create_app(mini_db)) as c:
        yield c


# -- trends -------------------------------------------------------------------------------------------

def _events(db):
    return db.sql("SELECT date, quad, negated FROM events").to_dict("records")


@pytest.mark.parametrize("by,width", [("year", 4), ("month", 7), ("day", 10)])
def test_trends_count_every_event_once(db, by, width):
    """Per period and per quad the counts are those of the events table (unmerged, negated in): every event is
    in one period, or counted as undated or as dated coarser than the period."""
    flt = EventFilter(include_negated=True)
    t = db.explorer().trends(flt, by, merged=False)
    rows = _events(db)
    dated = [r for r in rows if r["date"] and len(r["date"]) >= width]
    assert t["undated"] == sum(1 for r in rows if not r["date"])
    assert t["coarser"] == sum(1 for r in rows if r["date"] and len(r["date"]) < width)
    assert t["total"] == len(rows)
    assert sum(p["events"] for p in t["periods"]) == len(dated) > 0
    for p in t["periods"]:
        mine = [r for r in dated if r["date"][:width] == p["period"]]
        assert p["events"] == len(mine)
        for quad, numbers in p["by_quad"].items():
            assert numbers["events"] == sum(1 for r in mine if r["quad"] == quad)
    assert [p["period"] for p in t["periods"]] == sorted(p["period"] for p in t["periods"])


def test_trends_follow_the_filter_bar(db, client):
    """The quad classes, the date range, the actor and the type change the answer; the web API answers what
    the Python API does."""
    ex = db.explorer()
    everything = ex.trends(EventFilter(include_negated=True), "year", merged=False)
    years = [p["period"] for p in everything["periods"]]
    quad = next(q for p in everything["periods"] for q in p["by_quad"])
    only = ex.trends(EventFilter(quads=(quad,), include_negated=True), "year", merged=False)
    assert sum(p["events"] for p in only["periods"]) == sum(p["by_quad"].get(quad, {}).get("events", 0)
                                                             for p in everything["periods"])
    last = ex.trends(EventFilter(since=years[-1], until=years[-1], include_negated=True), "year", merged=False)
    assert [p["period"] for p in last["periods"]] == [years[-1]]
    assert last["undated"] == everything["undated"]  # the undated events are counted, whatever the range
    web = client.get("/api/trends", params={"by": "year", "merged": False, "include_negated": True,
                                            "since": years[-1], "until": years[-1]}).json()
    assert web["periods"] == last["periods"] and web["undated"] == last["undated"]
    merged = ex.trends(EventFilter(include_negated=True), "year", merged=True)
    assert merged["total"] <= everything["total"]
    assert client.get("/api/trends", params={"by": "week"}).status_code == 422


# -- tables -------------------------------------------------------------------------------------------

def test_tables_list_every_data_table(db, client):
    tables = {t["name"]: t for t in client.get("/api/tables").json()}
    for name in ("articles", "events", "actors", "quotes", "places", "counts", "claims", "disputes"):
        assert name in tables
        assert tables[name]["rows"] == int(db.sql(f"SELECT count(*) AS n FROM {name}")["n"][0])
    assert "schema_version" not in tables
    assert {"name": "type", "type": "VARCHAR"} in tables["events"]["columns"]


def test_table_filters_sort_facets_and_paging(db, client):
    events = db.sql("SELECT * FROM events").to_dict("records")
    typed = [e for e in events if e["type"]]
    kind = typed[0]["type"]
    page = client.get("/api/tables/events", params={"where": [f"type:eq:{kind}"], "sort": "start", "desc": True,
                                                    "facet": ["quad", "type"], "limit": 2}).json()
    mine = [e for e in events if e["type"] == kind]
    assert page["total"] == len(mine)
    assert [r["start"] for r in page["items"]] == sorted((e["start"] for e in mine), reverse=True)[:2]
    facets = {f["column"]: f for f in page["facets"]}
    assert facets["type"]["values"] == [{"value": kind, "count": len(mine)}]
    assert sum(v["count"] for v in facets["quad"]["values"]) == len(mine)
    # paging walks every row once
    seen = []
    for offset in range(0, len(events), 7):
        seen += [r["id"] for r in client.get("/api/tables/events", params={"sort": "id", "limit": 7,
                                                                          "offset": offset}).json()["items"]]
    assert seen == sorted(e["id"] for e in events)
    # contains, null, numbers compared as numbers
    some = client.get("/api/tables/events", params={"where": ["intensity:ge:5", "date:notnull"]}).json()
    assert some["total"] == sum(1 for e in events if e["intensity"] is not None and e["intensity"] >= 5 and e["date"])
    word = typed[0]["trigger"][:3].upper()
    found = client.get("/api/tables/events", params={"where": [f"trigger:contains:{word}"]}).json()
    assert found["total"] == sum(1 for e in events if e["trigger"] and word.lower() in e["trigger"].lower())
    nulls = client.get("/api/tables/events", params={"where": ["date:null"]}).json()
    assert nulls["total"] == sum(1 for e in events if not e["date"])


def test_table_errors_are_clear(client, db):
    bad = client.get("/api/tables/events", params={"where": ["intensity:lt:lots"]}).json()
    assert bad["total"] == 0 and "intensity" in bad["problems"][0] and "DOUBLE" in bad["problems"][0]
    for params, fragment in (({"sort": "nope"}, "no column 'nope'"), ({"where": ["nope:eq:1"]}, "no column 'nope'"),
                             ({"facet": ["nope"]}, "no column 'nope'")):
        r = client.get("/api/tables/events", params=params)
        assert r.status_code == 404 and fragment in r.json()["error"]
    assert client.get("/api/tables/schema_version").status_code == 404
    assert client.get("/api/tables/events", params={"where": ["type:like:x"]}).status_code == 422
    assert client.get("/api/tables/events", params={"where": ["type;drop:eq:x"]}).status_code == 422
    with pytest.raises(TableError):
        parse_filter("type")
    assert parse_filter("url:eq:https://x.org/a") == ("url", "eq", "https://x.org/a")
    # a value that looks like SQL is a value
    assert client.get("/api/tables/events", params={"where": ["type:eq:' OR 1=1 --"]}).json()["total"] == 0


def test_table_csv_is_the_view_with_values_whole(client, db):
    articles = db.sql("SELECT id, text FROM articles WHERE text IS NOT NULL").to_dict("records")
    longest = max(articles, key=lambda a: len(a["text"]))
    assert len(longest["text"]) > 300
    page = client.get("/api/tables/articles", params={"where": [f"id:eq:{longest['id']}"]}).json()
    assert len(page["items"][0]["text"]) == 300  # cut in the page
    r = client.get("/api/tables/articles/csv", params={"where": [f"id:eq:{longest['id']}"]})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert 'filename="articles.csv"' in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == 1 and rows[0]["text"] == longest["text"]  # whole
    kind = db.sql("SELECT type FROM events WHERE type IS NOT NULL LIMIT 1")["type"][0]
    sorted_csv = list(csv.DictReader(io.StringIO(client.get("/api/tables/events/csv", params={
        "where": [f"type:eq:{kind}"], "sort": "start"}).text)))
    page = client.get("/api/tables/events", params={"where": [f"type:eq:{kind}"], "sort": "start", "limit": 500}).json()
    assert [r["id"] for r in sorted_csv] == [r["id"] for r in page["items"]]
    # the same writer as `tacitus export`: empty for NULL, lower-case booleans
    assert all(r["negated"] in ("true", "false", "") for r in sorted_csv)


def test_the_web_app_asks_the_python_api(mini_db):
    """One query layer: the web package writes no SQL of its own (bar one setting), it calls the explorer
    queries of ``tacitus.open(...)``."""
    from pathlib import Path

    import tacitus.web as web

    for path in Path(web.__file__).parent.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        found = [line.strip() for line in text.splitlines() if any(k in line for k in ("SELECT ", " FROM ", "JOIN "))]
        assert all("current_setting" in line for line in found), (path.name, found)
    with TestClient(create_app(mini_db)) as c:
        import tacitus

        with tacitus.open(mini_db) as database:
            ex = database.explorer()
            assert c.get("/api/events", params={"limit": 20}).json()["items"] == _jsonable(
                ex.events(EventFilter(), False, 20, 0)["items"])
            assert c.get("/api/summary").json()["counts"] == ex.summary()["counts"]


def _jsonable(value):
    import json

    from tacitus.web.app import _json_default

    return json.loads(json.dumps(value, default=_json_default))


@pytest.fixture(scope="module")
def attack_db(tmp_path_factory):
    """A two-sentence report of ours (a regression fixture, not evidence of accuracy)."""
    import tacitus

    root = tmp_path_factory.mktemp("attack")
    (root / "in").mkdir()
    (root / "in" / "attack.txt").write_text(
        "Checkpoint attack in Kunduz\n\nPosted on 06/22/21\n\n"
        "Taliban fighters attacked an army checkpoint in Kunduz on Monday, killing 12 soldiers and wounding 9 others, "
        "the defence ministry said.\n\nThe next day the army shelled Taliban positions near the city and killed 7 "
        "fighters, officials said.\n", encoding="utf-8")
    tacitus.process([root / "in"], root / "attack.duckdb", progress=False)
    return root / "attack.duckdb"


def test_fatalities_go_to_the_attack_they_count(attack_db):
    """The dead and the wounded are the attack's ("attacked ..., killing 12 soldiers and wounding 9 others"),
    once, not the participles'; in the event card, the article's events and the trends alike."""
    import tacitus

    with TestClient(create_app(attack_db)) as client, tacitus.open(attack_db) as db:
        events = client.get("/api/events", params={"limit": 500}).json()["items"]
        by_trigger = {e["trigger"]: e for e in events}
        attack = by_trigger["attacked"]
        assert attack["fatalities"] == 12 and attack["wounded"] == 9 and attack["quad"] == "material conflict"
        assert attack["casualty_text"] == ["killing 12 soldiers", "wounding 9 others"]
        for verb in ("killing", "wounding"):  # the count's own verb, where the extractor made it an event
            if verb in by_trigger:
                assert not by_trigger[verb]["fatalities"] and not by_trigger[verb]["wounded"]
        assert by_trigger["shelled"]["fatalities"] == 7
        assert sum(e["fatalities"] or 0 for e in events) == 19  # each count once
        assert client.get(f"/api/events/{attack['id']}").json()["fatalities"] == 12
        article = client.get(f"/api/articles/{attack['article_id']}").json()
        assert [e["fatalities"] for e in article["events"] if e["id"] == attack["id"]] == [12]
        trends = db.explorer().trends(EventFilter(include_negated=True), "year", merged=False)
        assert [(p["period"], p["fatalities"]) for p in trends["periods"]] == [("2021", 19)]


def test_table_csv_in_batches_equals_the_whole(db, tmp_path):
    """The CSV is written a few rows at a time (bounded memory); joined, the batches are the one file the
    whole table gives, with one header; an empty selection is the header alone."""
    ex = db.explorer()
    whole, parts = tmp_path / "whole.csv", tmp_path / "parts.csv"
    n = ex.write_table_csv(whole, "events", sort="id", batch_rows=1_000_000)
    assert ex.write_table_csv(parts, "events", sort="id", batch_rows=3) == n > 3
    assert parts.read_bytes() == whole.read_bytes()
    assert whole.read_text().count("\nid,") == 0 and whole.read_text().startswith("id,")
    empty = tmp_path / "empty.csv"
    assert ex.write_table_csv(empty, "events", [("type", "eq", "NO SUCH TYPE")]) == 0
    assert empty.read_text().strip() == whole.read_text().splitlines()[0]
