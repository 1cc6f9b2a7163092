"""The whole pipeline through the Python API, on our mini corpus (needs the model)."""

import duckdb
import pytest

import tacitus
from tacitus.store.schema import ARTICLE_TABLES

from conftest import model_available

pytestmark = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")

QUIET = {"progress": False}


def rows(db, table, exclude=("run_id", "time")):
    con = duckdb.connect(str(db), read_only=True)
    try:
        cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in exclude]
        sel = ", ".join(f'"{c}"' for c in cols)
        return con.execute(f"SELECT {sel} FROM {table} ORDER BY ALL").fetchall()
    finally:
        con.close()


@pytest.fixture
def stored(mini, tmp_path):
    db = tmp_path / "t.duckdb"
    summary = tacitus.process([mini], db, **QUIET)
    return db, summary


def test_run_stores_articles_and_records_every_bad_input(stored):
    db, s = stored
    c = s.counts
    # kabul-talks, convoy-attack, aid-pledge, wire#1 are articles; copy-of-convoy is a duplicate
    assert c["articles"] == 4 and c["duplicates"] == 1
    assert c["skipped"] == 1  # notes.pdf
    assert c["failures"] == 4  # empty.txt, image.txt, wire#2 (wrong type), wire#3 (truncated)
    with tacitus.open(db) as d:
        fails = d.table("failures")
        got = {(path.rsplit("/", 1)[-1], rec): err for path, rec, err in zip(fails["path"], fails["record"], fails["error"])}
        assert "empty" in got[("empty.txt", None)]
        assert "PNG" in got[("image.txt", None)]
        assert "must be a string" in got[("wire.jsonl", "2")]
        assert "invalid JSON" in got[("wire.jsonl", "3")]
        assert set(fails["stage"]) <= {"read", "decode", "parse"}
        inputs = d.table("inputs")
        assert (inputs["status"] == "duplicate").sum() == 1
        run = d.table("runs").iloc[0]
        assert run["status"] == "completed" and '"batch_size": 16' in run["settings"]


def test_every_row_points_into_its_article_text(stored):
    db, _ = stored
    with tacitus.open(db) as d:
        texts = dict(zip(d.articles()["id"], d.articles()["text"]))
        sentences = d.table("sentences")
        assert len(sentences) > 10
        for table in ("mentions", "quotes", "places", "counts"):
            df = d.table(table)
            assert len(df) > 0, table
            for r in df.itertuples():
                text = texts[r.article_id]
                assert 0 <= r.start < r.end <= len(text)
                assert r.sentence is not None and r.sentence >= 0
                if table in ("mentions", "places", "counts", "quotes"):
                    assert text[r.start:r.end] == r.text, (table, r.text)


def test_extractions_on_known_sentences(stored):
    db, _ = stored
    with tacitus.open(db) as d:
        q = d.quotes()
        samad = q[q["text"].str.contains("stable border")]
        assert list(samad["speaker"]) == ["Rustam Aliyev"]
        actors = d.actors()
        taliban = actors[actors["id"] == "TALIBAN"].iloc[0]
        assert taliban["code"] == "AFG INS" and taliban["mention_count"] >= 3
        counts = d.counts()
        killed = counts[counts["category"] == "killed"]
        assert 12 in set(killed["number"])


def test_rerun_adds_nothing_and_force_reprocesses_identically(stored, mini):
    db, _ = stored
    before = {t: rows(db, t) for t in ("articles", "actors", "failures", "inputs", *ARTICLE_TABLES)}
    again = tacitus.process([mini], db, **QUIET)
    assert again.counts.get("articles", 0) == 0 and again.counts["unchanged"] == 5
    assert {t: rows(db, t) for t in before} == before
    forced = tacitus.process([mini], db, force=True, **QUIET)
    assert forced.counts["articles"] == 4
    after = {t: rows(db, t, exclude=("run_id", "time")) for t in before}
    assert after == before


def test_changed_file_is_reprocessed(stored, mini):
    db, _ = stored
    (mini / "empty.txt").write_text("Fixed page\n\nThe scraper saved this page again, and now it has text: officials in "
                                    "Kabul said on Monday that talks with Russian envoys would continue next month.")
    s = tacitus.process([mini], db, **QUIET)
    assert s.counts["articles"] == 1
    with tacitus.open(db) as d:
        assert not any("empty" in e for e in d.failures()["error"])


def test_edited_file_replaces_its_old_article(stored, mini):
    db, _ = stored
    page = mini / "kabul-talks.txt"
    page.write_text(page.read_text().replace("Tuesday", "Wednesday"))
    s = tacitus.process([mini], db, **QUIET)
    assert s.counts["articles"] == 1
    with tacitus.open(db) as d:
        texts = list(d.articles()["text"])
        assert len(texts) == 5  # four originals and the copy of the convoy story
        assert not any("on Tuesday to discuss" in t for t in texts)
        ids = set(d.articles()["id"])
        assert set(d.mentions()["article_id"]) <= ids and set(d.sentences()["article_id"]) <= ids
    page.write_bytes(b"\x00\x01binary now")
    tacitus.process([mini], db, **QUIET)
    with tacitus.open(db) as d:
        assert len(d.articles()) == 4  # a file that turned into junk no longer holds an article
        assert "NUL" in d.sql("SELECT error FROM failures WHERE path LIKE '%kabul-talks.txt'")["error"][0]


def test_other_language_is_stored_but_not_processed(tmp_path):
    p = tmp_path / "de.txt"
    p.write_text("Gespräche in Moskau\n\nDie Delegationen trafen sich am Dienstag in Moskau und sprachen über die "
                 "Sicherheit an der Grenze, teilte das russische Außenministerium mit.", encoding="utf-8")
    db = tmp_path / "de.duckdb"
    s = tacitus.process([p], db, **QUIET)
    assert s.counts["skipped_language"] == 1
    with tacitus.open(db) as d:
        a = d.articles().iloc[0]
        assert a["language"] == "de" and a["status"] == "skipped_language"
        assert len(d.mentions()) == 0


def test_two_processes_give_the_same_rows(mini, tmp_path):
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    tacitus.process([mini], one, **QUIET)
    tacitus.process([mini], two, n_process=2, batch_size=2, **QUIET)
    for table in ("articles", "actors", *ARTICLE_TABLES):
        assert rows(one, table) == rows(two, table), table


def test_shared_corpus_stores_four_articles(shared_corpus, tmp_path):
    db = tmp_path / "shared.duckdb"
    s = tacitus.process([shared_corpus], db, **QUIET)
    with tacitus.open(db) as d:
        arts = d.articles()
        assert len(arts) == 4
        assert set(arts["language"]) == {"en"}
        assert s.counts["skipped"] == 1  # its README.md: not an article format


def test_engine_freezes_its_pipeline_until_closed():
    """The in-process engine keeps its loaded pipeline out of the garbage collector's way while it
    runs and gives it back when closed (``with`` closes it; so does the engine being collected)."""
    import gc

    from tacitus.nlp.engine import Engine
    from tacitus.settings import resolve

    gc.unfreeze()
    with Engine(resolve().model, 1, 16) as engine:
        assert engine.frozen and gc.get_freeze_count() > 100_000
    assert not engine.frozen and gc.get_freeze_count() == 0
    engine = Engine(resolve().model, 1, 16)
    assert gc.get_freeze_count() > 0
    del engine  # never closed: unfrozen when collected
    gc.collect()
    assert gc.get_freeze_count() == 0


def test_statement_and_upper_case_wire_are_processed_not_dropped(tmp_path):
    """A one-sentence statement and an all-capitals wire story (texts written for this test) are read and
    extracted: no minimum length drops the statement, and the parser reads the wire story truecased."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "statement.txt").write_text("I welcome the agreement between Kenya and Ethiopia to reopen the "
                                          "border crossing at Moyale for aid convoys from Monday.\n")
    (folder / "wire.txt").write_text(
        "NAIROBI, 12 MAY 91 -- KENYAN POLICE SAID TODAY THAT GUNMEN ATTACKED A BANK IN THE CENTRE OF NAIROBI\n"
        "YESTERDAY AND KILLED TWO GUARDS, ACCORDING TO A POLICE SPOKESMAN.\n")
    db = tmp_path / "s.duckdb"
    s = tacitus.process([folder], db, **QUIET)
    assert s.counts["articles"] == 2 and s.counts.get("too_short", 0) == 0 and s.counts.get("failures", 0) == 0
    con = duckdb.connect(str(db), read_only=True)
    try:
        arts = dict(con.execute("SELECT source_path, status FROM articles").fetchall())
        assert set(arts.values()) == {"ok"}, arts
        warnings = con.execute("SELECT warnings FROM articles WHERE source_path LIKE '%wire.txt'").fetchone()[0]
        assert warnings == ["upper-case text: letter case restored for the parser"]
        names = {r[0] for r in con.execute("SELECT name FROM actors").fetchall()}
        assert {"Kenya", "Ethiopia"} <= names, names
        places = {r[0] for r in con.execute("SELECT text FROM places").fetchall()}
        assert "Nairobi" in places, places
    finally:
        con.close()


def test_run_reports_its_seconds_by_stage(stored):
    """The summary's profile: every stage of the run, wall and CPU seconds, none negative, their wall
    time within the run's own (the stages do not overlap, except the read-ahead child's reading, which
    runs beside them and is within the run's time on its own)."""
    _db, s = stored
    assert list(s.stages) == ["setup", "read", "read_ahead", "checks", "nlp", "write", "corpus"]
    for stage, v in s.stages.items():
        assert v["wall_s"] >= 0 and v["cpu_s"] >= 0, stage
    assert s.stages["nlp"]["wall_s"] > 0 and s.stages["setup"]["wall_s"] > 0
    assert s.stages["read_ahead"]["wall_s"] > 0 and s.stages["read_ahead"]["wall_s"] <= s.elapsed + 0.05
    assert sum(v["wall_s"] for k, v in s.stages.items() if k != "read_ahead") <= s.elapsed + 0.05
    assert s.as_dict()["stages"] == s.stages
