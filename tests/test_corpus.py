"""The corpus view: merging events and quotes across articles, dyads, actor profiles, network and GDELT exports.

Most tests use a small store built by hand (no model); one module fixture runs the demo corpus once for the
issue's acceptance checks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

import tacitus
from tacitus.corpus.gdelt import GDELT_COLUMNS, cameo_codes
from tacitus.corpus.merge import date_interval, rebuild_clusters
from tacitus.errors import StoreError
from tacitus.settings import resolve
from tacitus.store import Store

from conftest import ROOT, model_available, run_cli

A, B, C, D, E = "art-a", "art-b", "art-c", "art-d", "art-e"


def _article(aid, outlet, published, status="ok", duplicate_of=None, text="x" * 400):
    return {"id": aid, "source_path": f"{aid}.txt", "url": f"https://example.org/{aid}", "title": aid,
            "published": published, "outlet": outlet, "language": "en", "text": text, "status": status,
            "duplicate_of": duplicate_of, "tone": 1.0, "run_id": 1}


def _event(eid, aid, type_, src, tgt, date_, precision, quad, intensity, negated=False, mode=None, place=None,
           sentence=0, start=0):
    def side(x):
        return {"code": x[1], "name": x[2]} if x else {"code": None, "name": None}
    return {"id": eid, "article_id": aid, "source_path": f"{aid}.txt", "type": type_, "mode": mode,
            "source": side(src), "target": side(tgt), "source_actor_id": src[0] if src else None,
            "target_actor_id": tgt[0] if tgt else None, "date": date_, "date_precision": precision,
            "negated": negated, "hedged": False, "future": False, "historical": False, "intensity": intensity,
            "quad": quad, "place": place, "sentence": sentence, "start": start, "end": start + 5, "trigger": "x",
            "confidence": 1.0}


RUS_GOV = ("RUS-GOV", "RUS GOV", "Russian government")
RUS = ("RUS", "RUS", "Russia")
TAL = ("TALIBAN", "AFG INS", "Taliban")
AFG = ("AFG", "AFG", "Afghanistan")
USA = ("USA", "USA", "United States")

# a speaker's words, written for this test
QUOTE = "We will keep talking to everyone who controls the roads and the border crossings"


@pytest.fixture
def store_path(tmp_path) -> Path:
    """A, its rewrite B (another outlet), C a syndicated copy of A in a third outlet, D an exact copy of A from A's
    own outlet, E a later article."""
    path = tmp_path / "corpus.duckdb"
    with Store.open(path) as store:
        store._insert("runs", [{"id": 1, "status": "completed", "started": pd.Timestamp("2026-01-02 03:04:05")}])
        store._insert("articles", [
            _article(A, "Oxus Review", "2003-02-14"), _article(B, "Steppe Courier", "2003-02-15"),
            _article(C, "Steppe Daily (syndicated)", "2003-02-14", "duplicate", A),
            _article(D, "Oxus Review", "2003-02-14", "duplicate", A), _article(E, "Volga Daily", "2021-07-09")])
        store._insert("actors", [
            {"id": x[0], "name": x[2], "code": x[1], "kind": "state" if x[0] in ("RUS", "AFG", "USA") else "group",
             "country": x[1].split()[0], "mention_count": 3} for x in (RUS_GOV, RUS, TAL, AFG, USA)])
        store._insert("events", [
            # one sanction reported by A (dated to the day) and B (the month, by the less specific "Russia")
            _event("e1", A, "SANCTION", RUS_GOV, TAL, "2003-02-14", "day", "material conflict", -5.0, place="MOSCOW, Feb. 14"),
            _event("e2", B, "SANCTION", RUS, TAL, "2003-02", "month", "material conflict", -5.0, place="Moscow"),
            # the same type and day but against another actor: not the same event
            _event("e3", B, "SANCTION", RUS, USA, "2003-02-14", "day", "material conflict", -5.0),
            # the state is not the insurgency: not merged with e1
            _event("e4", B, "SANCTION", RUS_GOV, AFG, "2003-02-14", "day", "material conflict", -5.0),
            # a denial is not the event
            _event("e5", B, "SANCTION", RUS_GOV, TAL, "2003-02-14", "day", "material conflict", -5.0, negated=True),
            # talks, reported the other way round the next day: symmetric, one event
            _event("e6", E, "CONSULT", RUS_GOV, TAL, "2021-07-08", "day", "verbal cooperation", 4.0, mode="visit"),
            _event("e7", A, "CONSULT", TAL, RUS, "2021-07-09", "day", "verbal cooperation", 4.0, sentence=5),
            # too far apart in time
            _event("e8", E, "CONSULT", RUS_GOV, TAL, "2021-07-20", "day", "verbal cooperation", 4.0),
            _event("e9", E, "AID", RUS, TAL, "2021-07", "month", "material cooperation", 7.0),
            # "in 2003", only the target known and no place: too vague to join the day-dated sanction
            _event("e10", E, "SANCTION", None, TAL, "2003", "year", "material conflict", -5.0),
        ])
        qa = A
        store._insert("quotes", [
            {"id": "q1", "article_id": qa, "source_path": "a.txt", "text": QUOTE, "speaker": "Zamir Kabulov",
             "speaker_actor_id": "RUS-GOV", "speaker_code": "RUS GOV", "kind": "direct", "cue": "said", "start": 100,
             "end": 100 + len(QUOTE), "sentence": 3},
            {"id": "q2", "article_id": B, "source_path": "b.txt", "text": QUOTE.replace("We will", "we'll") + ",",
             "speaker": "Kabulov", "speaker_actor_id": "RUS-GOV", "speaker_code": "RUS GOV", "kind": "direct",
             "cue": "told", "start": 50, "end": 50 + len(QUOTE), "sentence": 2},
            {"id": "q3", "article_id": E, "source_path": "e.txt", "text": "The roads are closed today",
             "speaker": "a resident", "speaker_actor_id": None, "speaker_code": None, "kind": "direct", "cue": "said",
             "start": 10, "end": 36, "sentence": 1},
        ])
        # a mention of the Taliban inside q1's span, and sentences naming both actors for the tone
        store._insert("mentions", [
            {"id": "m1", "article_id": A, "actor_id": "TALIBAN", "text": "everyone who controls the roads",
             "label": "ORG", "start": 120, "end": 150, "sentence": 3},
            {"id": "m2", "article_id": A, "actor_id": "RUS-GOV", "text": "Moscow", "label": "GPE", "start": 5,
             "end": 11, "sentence": 0},
            {"id": "m3", "article_id": A, "actor_id": "TALIBAN", "text": "Taliban", "label": "ORG", "start": 20,
             "end": 27, "sentence": 0},
        ])
        store._insert("sentences", [{"article_id": A, "sentence": 0, "start": 0, "end": 40, "tone": -3.0}])
        rebuild_clusters(store, resolve())
    return path


def test_date_interval_spans():
    assert date_interval("1989", "year") == (date(1989, 1, 1), date(1989, 12, 31))
    assert date_interval("2020-02", "month") == (date(2020, 2, 1), date(2020, 2, 29))
    assert date_interval("198", "decade") == (date(1980, 1, 1), date(1989, 12, 31))
    assert date_interval("2021-07-09", "day", 2) == (date(2021, 7, 8), date(2021, 7, 10))
    assert date_interval("2021-07-09", "week", 0) == (date(2021, 7, 6), date(2021, 7, 12))
    assert date_interval("soon", None) is None and date_interval(None, None) is None
    assert date_interval("2021-02-30", "day") is None


def test_one_event_from_many_reports_counted_once_per_outlet(store_path):
    with tacitus.open(store_path) as db:
        df = db.event_clusters()
        sanction = df[df["event_ids"].map(lambda ids: "e1" in list(ids))].iloc[0]
        assert sorted(sanction["event_ids"]) == ["e1", "e2"]
        # A (Oxus Review), B (Steppe Courier), C (syndicated copy, another outlet); D is A again from A's outlet
        assert (sanction["articles"], sanction["outlets"], sanction["copies"], sanction["mentions"]) == (3, 3, 2, 3)
        assert sorted(sanction["outlet_names"]) == ["Oxus Review", "Steppe Courier", "Steppe Daily (syndicated)"]
        assert sanction["date"] == "2003-02-14" and sanction["date_precision"] == "day"
        assert sanction["source_code"] == "RUS GOV"  # the more specific code
        assert sanction["place"] == "MOSCOW, Feb. 14"
        singles = {tuple(ids) for ids in df["event_ids"].map(list) if len(ids) == 1}
        assert {("e3",), ("e4",), ("e5",), ("e8",), ("e9",), ("e10",)} <= singles
        talks = df[df["event_ids"].map(lambda ids: "e6" in list(ids))].iloc[0]
        assert sorted(talks["event_ids"]) == ["e6", "e7"] and talks["articles"] == 3  # E, A and A's copy C
        # every event knows its cluster
        ids = db.sql("SELECT id, cluster_id FROM events ORDER BY id")
        assert ids["cluster_id"].notna().all()
        assert db.events_by_cluster(sanction["id"])["id"].tolist() == ["e1", "e2"]
        reports = db.cluster_reports(sanction["id"])
        assert set(reports["article_id"]) == {A, B, C, D}


def test_merging_is_deterministic_and_follows_settings(store_path):
    with Store.open(store_path) as store:
        first = store.con.execute("SELECT id FROM event_clusters ORDER BY id").fetchall()
        rebuild_clusters(store, resolve())
        assert store.con.execute("SELECT id FROM event_clusters ORDER BY id").fetchall() == first
        # nothing changed: nothing is recomputed (the fingerprint kept as the table's comment says so)
        store.con.execute("UPDATE event_clusters SET mentions = -1")
        rebuild_clusters(store, resolve())
        assert store.con.execute("SELECT min(mentions) FROM event_clusters").fetchall()[0][0] == -1
        rebuild_clusters(store, resolve(), force=True)
        assert store.con.execute("SELECT min(mentions) FROM event_clusters").fetchall()[0][0] >= 1
        # a new copy of B in a fourth outlet is one more report of B's events
        store._insert("articles", [_article("art-f", "Pamir Post", "2003-02-16", "duplicate", B)])
        rebuild_clusters(store, resolve())
        assert store.con.execute("SELECT articles, outlets, copies FROM event_clusters "
                                 "WHERE list_contains(event_ids, 'e1')").fetchall()[0] == (4, 4, 3)
        # a wider window merges the talks 11 days later too; no symmetric types splits the swapped report
        rebuild_clusters(store, resolve(overrides={"event_merge_days": 30}))
        assert store.con.execute("SELECT count(*) FROM event_clusters WHERE list_contains(event_ids, 'e8') "
                                 "AND list_contains(event_ids, 'e6')").fetchall()[0][0] == 1
        rebuild_clusters(store, resolve(overrides={"event_merge_symmetric": ""}))
        assert store.con.execute("SELECT count(*) FROM event_clusters WHERE list_contains(event_ids, 'e7') "
                                 "AND len(event_ids) = 1").fetchall()[0][0] == 1
        # without the coarse-date rule the year-dated e10 joins the sanction
        rebuild_clusters(store, resolve(overrides={"event_merge_coarse_strict": False}))
        assert store.con.execute("SELECT len(event_ids) FROM event_clusters WHERE list_contains(event_ids, 'e10')"
                                 ).fetchall()[0][0] == 3
        # a declared family merges two types; without it they stay apart
        store.con.execute("UPDATE events SET type = 'COERCE' WHERE id = 'e2'")
        rebuild_clusters(store, resolve())
        assert store.con.execute("SELECT count(*) FROM event_clusters WHERE list_contains(event_ids, 'e2') "
                                 "AND len(event_ids) = 1").fetchall()[0][0] == 1
        rebuild_clusters(store, resolve(overrides={"event_merge_families": "COERCE+SANCTION"}))
        merged = store.con.execute("SELECT type FROM event_clusters WHERE list_contains(event_ids, 'e2')").fetchall()
        assert merged == [("SANCTION",)] or merged == [("COERCE",)]
        assert store.con.execute("SELECT len(event_ids) FROM event_clusters WHERE list_contains(event_ids, 'e2')"
                                 ).fetchall()[0][0] == 2
        rebuild_clusters(store, resolve(overrides={"event_merge_opposition_sectors": ""}))
        assert store.con.execute("SELECT count(*) FROM event_clusters WHERE list_contains(event_ids, 'e4') "
                                 "AND len(event_ids) > 1").fetchall()[0][0] == 1


def test_quotes_repeated_by_several_outlets_are_one(store_path):
    with tacitus.open(store_path) as db:
        q = db.quote_clusters()
        top = q.iloc[0]
        assert sorted(top["quote_ids"]) == ["q1", "q2"]
        assert (top["articles"], top["outlets"], top["copies"]) == (3, 3, 2)
        assert len(q) == 2
        assert db.sql("SELECT count(DISTINCT cluster_id) FROM quotes").iloc[0, 0] == 2


def test_dyad_by_year_shows_hostility_then_engagement(store_path):
    with tacitus.open(store_path) as db:
        d = db.dyad("RUS", "AFG-INS", by="year").set_index("period")
        assert d.loc["2003", "conflict"] == 1 and d.loc["2003", "cooperation"] == 0  # e5 is negated: left out
        assert d.loc["2021", "cooperation"] == 3 and d.loc["2021", "conflict"] == 0  # talks (merged) e8, aid
        assert d.loc["2003", "intensity"] < 0 < d.loc["2021", "intensity"]
        assert d.loc["2003", "tone"] == -3.0 and d.loc["2003", "tone_sentences"] == 1
        assert "AID 1" in d.loc["2021", "types"]
        m = db.dyad("RUS", "AFG-INS", by="month").set_index("period")
        assert m.loc["2021-07", "events"] == 3
        assert db.dyad("RUS", "AFG-INS", by="year", include_negated=True).set_index("period").loc["2003", "events"] == 2
        types = db.dyad_types("RUS", "Taliban", by="year")
        assert set(types["type"]) == {"SANCTION", "CONSULT", "AID"}
        ev = db.dyad_events("RUS", "AFG INS")
        assert len(ev) == 5 and set(ev["direction"]) == {"a->b"}  # the swapped talks report merged into e6's
        assert set(db.dyad_events("AFG-INS", "RUS")["direction"]) == {"b->a"}
        quotes = db.dyad_quotes("RUS", "AFG-INS")
        assert len(quotes) == 1 and quotes.iloc[0]["direction"] == "a->b" and quotes.iloc[0]["articles"] == 3
        assert db.dyad_quotes("USA", "AFG-INS").empty
        assert list(db.dyad_disputes("RUS", "AFG-INS").columns)[:2] == ["id", "proposition"]


def test_actor_profile_and_network(store_path, tmp_path):
    import networkx as nx

    with tacitus.open(store_path) as db:
        p = db.actor("Taliban")
        assert p["actor"]["id"] == "TALIBAN"
        partners = p["partners"].set_index("partner_code")
        assert partners.loc["RUS GOV", "events"] >= 2
        assert p["summary"]["events"] == len(p["events"]) >= 4
        by_code = db.actor("RUS GOV")
        assert by_code["actor"]["kind"] == "code" and len(by_code["quotes"]) == 1
        nodes, edges = db.network()
        assert {"RUS GOV", "AFG INS"} <= set(nodes["id"])
        edge = edges[(edges["source"] == "RUS GOV") & (edges["target"] == "AFG INS")].iloc[0]
        assert edge["conflict"] == 1 and edge["cooperation"] == 2
        for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
            out = tmp_path / f"net.{fmt}"
            n = db.write_network(out)
            g = reader(out)
            assert (g.number_of_nodes(), g.number_of_edges()) == (n["nodes"], n["edges"]) == (len(nodes), len(edges))
        assert db.network(quad="conflict")[1]["conflict"].sum() == edges["conflict"].sum()


def test_gdelt_tsv_has_gdelts_61_columns_and_loads_in_pandas(store_path, tmp_path):
    assert len(GDELT_COLUMNS) == 61
    assert GDELT_COLUMNS[:8] == ("GlobalEventID", "Day", "MonthYear", "Year", "FractionDate", "Actor1Code",
                                 "Actor1Name", "Actor1CountryCode")
    assert GDELT_COLUMNS[25:35] == ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
                                    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    assert GDELT_COLUMNS[35] == "Actor1Geo_Type" and GDELT_COLUMNS[51] == "ActionGeo_Type"
    assert GDELT_COLUMNS[-2:] == ("DATEADDED", "SOURCEURL")
    out = tmp_path / "events.tsv"
    with tacitus.open(store_path) as db:
        n = db.write_gdelt(out)
        clusters = db.event_clusters()
    first = out.read_text(encoding="utf-8").splitlines()[0]
    assert first.count("\t") == 60 and not first.startswith("GlobalEventID")  # no header, as GDELT's files
    df = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_COLUMNS), dtype={"EventCode": str,
                     "EventBaseCode": str, "EventRootCode": str})
    assert df.shape == (n, 61) == (len(clusters), 61)
    assert df["GlobalEventID"].is_unique
    with tacitus.open(store_path) as db:  # every merged event with an actor is a row or counted as undated
        with_actor = db.sql("SELECT count(*) AS n FROM event_clusters WHERE source.code IS NOT NULL "
                            "OR target.code IS NOT NULL")["n"][0]
        assert n + db.gdelt_undated() == with_actor
    row = df[df["EventRootCode"] == "16"].sort_values("NumArticles").iloc[-1]
    assert (row["Day"], row["MonthYear"], row["Year"]) == (20030214, 200302, 2003)
    assert (row["Actor1Code"], row["Actor1CountryCode"], row["Actor1Type1Code"]) == ("RUSGOV", "RUS", "GOV")
    assert (row["Actor2Code"], row["Actor2Type1Code"]) == ("AFGINS", "INS")
    assert (row["QuadClass"], row["GoldsteinScale"]) == (4, -5.0)
    assert (row["NumMentions"], row["NumSources"], row["NumArticles"]) == (3, 3, 3)
    assert row["EventCode"] == "160" and row["DATEADDED"] == 20260102030405
    assert row["SOURCEURL"] == "https://example.org/art-a"
    assert set(df["QuadClass"]) <= {1, 2, 3, 4}
    assert abs(row["FractionDate"] - (2003 + (2 * 30 + 14) / 365)) < 1e-3


def test_cameo_mapping_table():
    assert cameo_codes("CONSULT", "phone") == ("041", "041", "04")
    assert cameo_codes("ASSAULT", "kill") == ("180", "180", "18")  # unmapped mode: the type's root
    assert cameo_codes("ACCUSE", "investigate")[2] == "09"
    assert cameo_codes("NOT-A-TYPE", None) == ("", "", "")


def test_plot_dyad_png_and_svg(store_path, tmp_path):
    from tacitus.corpus.plot import plot_dyad

    with tacitus.open(store_path) as db:
        df = db.dyad("RUS", "AFG-INS", by="year")
    assert plot_dyad(df, tmp_path / "d.png", "RUS and AFG-INS") == 2
    assert (tmp_path / "d.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    plot_dyad(df, tmp_path / "d.svg", "RUS and AFG-INS")
    assert "<svg" in (tmp_path / "d.svg").read_text()[:500]
    with pytest.raises(StoreError):
        plot_dyad(df, tmp_path / "d.bmp", "x")


def _cli(*args: str):
    """Run a tacitus command in-process (typer's runner: no interpreter start per call)."""
    from typer.testing import CliRunner

    from tacitus.cli.main import app

    return CliRunner().invoke(app, list(args))


def test_cli_corpus_commands(store_path, tmp_path):
    db = str(store_path)
    out = _cli("dyad", "RUS", "AFG-INS", "--db", db, "--by", "year", "--format", "csv")
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0].startswith("period,events") and lines[1].startswith("2003,1")
    assert _cli("dyad", "RUS", "AFG-INS", "--db", db, "--by", "year").exit_code == 0  # the rich tables
    tsv = tmp_path / "g.tsv"
    assert _cli("gdelt", "--db", db, "-o", str(tsv)).exit_code == 0
    assert all(len(line.split("\t")) == 61 for line in tsv.read_text().splitlines())
    q = _cli("clusters", "--db", db, "--quotes", "--min-articles", "2", "-f", "jsonl")
    rows = [json.loads(line) for line in q.stdout.splitlines()]
    assert len(rows) == 1 and rows[0]["articles"] == 3 and sorted(rows[0]["quote_ids"]) == ["q1", "q2"]
    for args in (("timeline", "--db", db, "--actor", "RUS"), ("actor", "Taliban", "--db", db),
                 ("clusters", "--db", db, "--min-articles", "2", "-f", "csv"), ("network", "--db", db, "-o",
                 str(tmp_path / "n.graphml"))):
        result = _cli(*args)
        assert result.exit_code == 0, (args, result.output)
    png = tmp_path / "p.png"
    assert _cli("plot", "dyad", "RUS", "AFG-INS", "--db", db, "-o", str(png)).exit_code == 0
    assert png.stat().st_size > 1000
    # in a real process: a write is refused with a one-line error and a non-zero exit
    bad = run_cli("sql", "DELETE FROM events", "--db", db)
    assert bad.returncode != 0 and b"read-only" in bad.stderr and len(bad.stderr.decode().strip().splitlines()) == 1


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    if not model_available():
        pytest.skip("no spaCy English model installed")
    db = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    tacitus.process([ROOT / "examples" / "demo-corpus"], db, progress=False)
    return db


def test_demo_same_event_from_several_articles_is_one(demo_db):
    with tacitus.open(demo_db) as db:
        paths = db.sql("SELECT id, source_path FROM articles").set_index("id")["source_path"].to_dict()
        df = db.event_clusters()
        files = df["article_ids"].map(lambda ids: {Path(paths[a]).name for a in ids})
        # the 1989 withdrawal article and its rewrite in other words
        both = df[files.map(lambda f: {"a05-withdrawal-1989.txt", "a05b-withdrawal-1989-rewrite.txt"} <= f)]
        assert len(both) >= 4
        assert (both["outlets"] >= 2).all()
        # the Doha article: its exact copy adds nothing, its syndicated copy adds an article and an outlet
        doha = df[files.map(lambda f: any(n.startswith("b11-doha") for n in f))]
        assert len(doha) >= 5
        assert (doha["copies"] == 2).all() and (doha["articles"] >= 2).all() and (doha["outlets"] >= 2).all()
        assert doha["outlet_names"].map(lambda o: "Steppe Daily (syndicated)" in list(o)).all()


def test_demo_russia_taliban_from_hostility_to_engagement(demo_db):
    with tacitus.open(demo_db) as db:
        d = db.dyad("RUS", "AFG-INS", by="year")
    before, after = d[d["period"] < "2010"], d[d["period"] >= "2015"]
    assert before["conflict"].sum() > before["cooperation"].sum()
    assert after["cooperation"].sum() > after["conflict"].sum()
    assert before["intensity"].dropna().mean() < 0 < after["intensity"].dropna().mean()


def test_demo_gdelt_loads_with_gdelts_header(demo_db, tmp_path):
    out = tmp_path / "demo.tsv"
    with tacitus.open(demo_db) as db:
        n = db.write_gdelt(out)
    df = pd.read_csv(out, sep="\t", header=None, names=list(GDELT_COLUMNS))
    assert df.shape == (n, 61) and n > 100
    assert df["Day"].between(19000101, 21001231).all() and df["QuadClass"].isin([1, 2, 3, 4]).all()


def test_demo_gdelt_rows_with_a_place_have_coordinates(demo_db):
    """Every exported merged event whose place the gazetteer knows has coordinates, datelines included
    ("UNITED NATIONS", "MOSCOW, Oct. 8"); the GDELT geo types follow the place's kind. Our own articles: a
    regression test (2026-12-07: 65 of 65 such rows; 56 before places not in the article's places table
    were resolved through the gazetteer)."""
    with tacitus.open(demo_db) as db:
        df = db.gdelt_events()
        placed = int(db.sql("""SELECT count(*) AS n FROM event_clusters c WHERE c.date_start IS NOT NULL
                                AND (c.source.code IS NOT NULL OR c.target.code IS NOT NULL)
                                AND c.place IS NOT NULL""")["n"][0])
    geo = df[df["ActionGeo_FullName"] != ""]
    assert placed > 50 and len(geo) == placed
    assert geo["ActionGeo_Lat"].notna().all() and geo["ActionGeo_Long"].notna().all()
    assert set(geo["ActionGeo_Type"]) <= {1, 2, 3, 4, 5}


def test_date_filtered_views_leave_undated_out_and_count_them(demo_db):
    """With a date range, undated events are left out of events, merged events and the timeline, and the
    frame says how many (``attrs``); ``include_undated`` lists them; the CLI says it on stderr."""
    from conftest import run_cli

    with tacitus.open(demo_db) as db:
        undated = int(db.sql("SELECT count(*) AS n FROM events WHERE date IS NULL")["n"][0])
        undated_c = int(db.sql("SELECT count(*) AS n FROM event_clusters WHERE date_start IS NULL")["n"][0])
        assert undated > 0 and undated_c > 0
        for frame, n in ((db.events(since="2018"), undated), (db.event_clusters(since="2018"), undated_c),
                         (db.timeline(), undated_c)):
            assert frame["date"].notna().all() and frame.attrs["undated_left_out"] == n
        both = db.events(since="2018", include_undated=True)
        assert both["date"].isna().sum() == undated and both.attrs["undated_left_out"] == 0
        assert len(db.events()) == int(db.sql("SELECT count(*) AS n FROM events")["n"][0])
        assert db.dyad("USA", "SUN", by="year").attrs["undated_left_out"] >= 2  # the US and Soviet governments
    r = run_cli("events", "--db", str(demo_db), "--since", "2018", "-f", "csv")
    assert f"{undated} undated events left out: no date" in r.stderr.decode()


def test_gdelt_geo_types():
    from tacitus.corpus.gdelt import _geo, _gazetteer_place

    assert _geo({"feature_class": "country", "country": "AFG"})[0] == 1
    assert _geo({"feature_class": "ADM1", "country": "USA", "admin1": "TX"})[0] == 2
    assert _geo({"feature_class": "ADM1", "country": "AFG", "admin1": "13"})[0] == 5
    assert _geo({"feature_class": "city", "country": "USA"})[0] == 3
    assert _geo({"feature_class": "capital", "country": "AFG"})[0] == 4
    un = _gazetteer_place("UNITED NATIONS, Jan. 15")
    assert un is not None and un["country"] == "USA" and abs(un["latitude"] - 40.75) < 0.1
    assert _gazetteer_place("Nowhere-on-Earth-zzq") is None


def test_empty_store_and_bad_arguments(tmp_path):
    path = tmp_path / "empty.duckdb"
    Store.open(path).close()
    with tacitus.open(path) as db:
        assert db.dyad("RUS", "USA").empty and db.event_clusters().empty and db.quote_clusters().empty
        nodes, edges = db.network()
        assert nodes.empty and edges.empty
        assert db.gdelt_events().shape == (0, 61) and db.write_gdelt(tmp_path / "g.tsv") == 0
        assert db.write_network(tmp_path / "n.gexf") == {"nodes": 0, "edges": 0}
        # values are parameters, never SQL
        assert db.dyad("RUS'; DROP TABLE events; --", "USA").empty and db.sql("SELECT count(*) FROM events").iloc[0, 0] == 0
        for call in (lambda: db.actor("Nobody"), lambda: db.dyad("RUS", "USA", by="week"),
                     lambda: db.event_clusters(since="last year"), lambda: db.event_clusters(quad="friendly"),
                     lambda: db.write_network(tmp_path / "n.txt"), lambda: db.dyad("RUS", "")):
            with pytest.raises(StoreError):
                call()
