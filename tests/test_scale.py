"""Issue 10: sentence triage and the Ray engine give the rows the local full-parse run gives.

Speed and memory are measured by ``make bench`` (benchmarks/), never here.
"""

from __future__ import annotations

import duckdb
import pytest

from conftest import model_available
from tacitus.api.run import process

pytestmark = [pytest.mark.model, pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")]

#: run bookkeeping that differs between any two runs
SKIP_TABLES = {"runs", "schema_version"}


def table_differences(db_a, db_b, tables=None) -> dict[str, tuple[int, int, int, int]]:
    """{table: (rows in a, rows in b, rows only in a, rows only in b)} for every table that differs,
    comparing all columns but run ids and timestamps."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{db_a}' AS a (READ_ONLY)")
        con.execute(f"ATTACH '{db_b}' AS b (READ_ONLY)")
        names = tables or [r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'a' ORDER BY 1").fetchall()]
        out = {}
        for t in names:
            if t in SKIP_TABLES:
                continue
            cols = [r[0] for r in con.execute(f"DESCRIBE a.{t}").fetchall()
                    if r[0] != "run_id" and not r[1].startswith("TIMESTAMP")]
            c = ", ".join(f'"{x}"' for x in cols)
            na = con.execute(f"SELECT count(*) FROM a.{t}").fetchone()[0]
            nb = con.execute(f"SELECT count(*) FROM b.{t}").fetchone()[0]
            only_a = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM a.{t} EXCEPT ALL SELECT {c} FROM b.{t})").fetchone()[0]
            only_b = con.execute(f"SELECT count(*) FROM (SELECT {c} FROM b.{t} EXCEPT ALL SELECT {c} FROM a.{t})").fetchone()[0]
            if only_a or only_b or na != nb:
                out[t] = (na, nb, only_a, only_b)
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def local_db(tmp_path_factory):
    """The mini corpus through the local engine, full parse (shared by the tests below)."""
    from conftest import FIXTURES

    root = tmp_path_factory.mktemp("scale")
    db = root / "local.duckdb"
    process([str(FIXTURES / "mini")], db, progress=False, batch_size=2)
    return db


def count(db, table: str) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_triage_keeps_every_event_and_quote(local_db, tmp_path):
    from conftest import FIXTURES

    db = tmp_path / "triage.duckdb"
    process([str(FIXTURES / "mini")], db, progress=False, batch_size=2, triage=True)
    assert count(local_db, "events") > 0 and count(local_db, "quotes") > 0
    assert table_differences(local_db, db, ["events", "quotes"]) == {}


def test_triage_parses_only_what_extractors_need(nlp):
    from tacitus.nlp.pipeline import build_pipeline
    from tacitus.settings import resolve

    tri, _ = build_pipeline(resolve().model, triage=True)
    assert "parser" not in tri.pipe_names and "tacitus_triage" in tri.pipe_names
    text = ("The weather in the valley was mild for the season. Russian troops attacked Kunduz on Monday.\n\n"
            "Farmers planted wheat along the river banks. \"We will not leave,\" the governor said.")
    doc = tri(text)
    stats = tri.get_pipe("tacitus_triage").stats
    assert stats.sentences == 4 and stats.parsed_sentences == 2
    parsed = [s for s in doc.sents if any(t.dep_ not in ("dep", "ROOT") for t in s)]
    assert [s.text[:3] for s in parsed] == ["Rus", "\"We"]
    # the cheap path keeps entities, tags and lemmas
    assert any(e.text == "Kunduz" for e in doc.ents) and doc[1].lemma_ == "weather"
    assert {ev.type for ev in doc._.tacitus_events} == {ev.type for ev in nlp(text)._.tacitus_events}


@pytest.fixture(scope="module")
def local_ray():
    ray = pytest.importorskip("ray")
    import logging

    started = not ray.is_initialized()
    if started:
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    yield ray
    if started:
        ray.shutdown()


@pytest.mark.ray
def test_ray_engine_rows_equal_local_and_resume_by_shard(local_db, local_ray, tmp_path, monkeypatch):
    """One Ray worker, one article per shard. The first run is killed after its first shard is
    loaded; the second does not redo the finished shards and ends with the local engine's rows."""
    from conftest import FIXTURES

    import tacitus.api.ray_run as ray_run

    db = tmp_path / "ray.duckdb"
    work = tmp_path / "work"
    opts = dict(progress=False, batch_size=1, engine="ray", ray_workers=1, ray_work_dir=str(work))
    real_load = ray_run._Loader.load
    loaded = []

    def load_then_die(self, name):
        if loaded:
            raise KeyboardInterrupt("killed")
        real_load(self, name)
        loaded.append(name)

    monkeypatch.setattr(ray_run._Loader, "load", load_then_die)
    warmups = []  # input shards in the work folder when the warm-up started
    real_start = ray_run._Warmup.start

    def start(self):
        warmups.append(len(list(work.glob("in-*.parquet"))))
        real_start(self)

    monkeypatch.setattr(ray_run._Warmup, "start", start)
    with pytest.raises(KeyboardInterrupt):
        process([str(FIXTURES / "mini")], db, **opts)
    monkeypatch.setattr(ray_run._Loader, "load", real_load)
    done_before = {p.stem.replace("out-", "in-") for p in work.glob("out-*.parquet")}
    assert loaded and len(list(work.glob("in-*.parquet"))) == 4  # the four articles that need NLP
    assert warmups == [1]  # once, at the first shard, while the other articles were still being read

    sent_to_ray = []
    real_run_shards = ray_run._run_shards

    def record(ray, work_folder, names, *args):
        sent_to_ray.extend(names)
        return real_run_shards(ray, work_folder, names, *args)

    monkeypatch.setattr(ray_run, "_run_shards", record)
    summary = process([str(FIXTURES / "mini")], db, **opts)
    assert not set(sent_to_ray) & done_before  # finished shards are not redone
    assert set(sent_to_ray) | done_before == {f"in-{i:06d}" for i in range(4)}
    assert summary.counts["articles"] == 4 - len(loaded)
    assert not work.exists()  # removed after a completed run
    assert table_differences(local_db, db) == {}


def test_ray_warmup_failure_is_harmless(local_ray, monkeypatch):
    """The warm-up is an optimisation: a failing one raises nothing, and join() returns."""
    import ray.data

    import tacitus.api.ray_run as ray_run

    def broken(*_a, **_k):
        raise RuntimeError("no Ray Data today")

    monkeypatch.setattr(ray.data, "range", broken)
    warm = ray_run._Warmup()
    warm.join()  # not started: nothing to wait for
    warm.start()
    warm.join(timeout=30)
    assert not warm.thread.is_alive()
