"""The command line in subprocesses: exit codes, messages, busy database, kill-and-resume."""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import FIXTURES, model_available, run_cli

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
TABLES = ("articles", "actors", "roles", "mentions", "quotes", "places", "counts", "sentences", "signatures",
          "failures", "inputs")


def snapshot(db):
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in ("run_id", "time")]
            out[table] = con.execute(f"SELECT {', '.join(repr(c).replace(chr(39), chr(34)) for c in cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def test_no_inputs_is_a_one_line_error(tmp_path):
    p = run_cli("run", str(tmp_path / "nothing-here"), "--db", str(tmp_path / "x.duckdb"))
    assert p.returncode != 0
    err = p.stderr.decode().strip()
    assert err.startswith("tacitus: error:") and "no input files" in err and len(err.splitlines()) == 1


def test_unreadable_database_is_a_one_line_error(tmp_path):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database" * 200)
    (tmp_path / "a.txt").write_text("hello")
    p = run_cli("run", str(tmp_path / "a.txt"), "--db", str(bad))
    assert p.returncode != 0 and "cannot open database" in p.stderr.decode()
    p = run_cli("stats", "--db", str(tmp_path / "missing.duckdb"))
    assert p.returncode != 0 and "not found" in p.stderr.decode()


def test_busy_database_is_refused_and_left_intact(tmp_path):
    db = tmp_path / "busy.duckdb"
    (tmp_path / "a.txt").write_text("hello")
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb,time,sys; c=duckdb.connect({str(db)!r}); c.execute('create table keep(a int)'); "
         "c.execute('insert into keep values (42)'); c.execute('checkpoint'); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"ready"
        p = run_cli("run", str(tmp_path / "a.txt"), "--db", str(db))
        assert p.returncode != 0
        err = p.stderr.decode()
        assert "in use by another process" in err and len(err.strip().splitlines()) == 1
    finally:
        holder.kill()
        holder.wait()
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select a from keep").fetchall() == [(42,)]
    con.close()


@needs_model
def test_run_export_stats_settings(mini, tmp_path):
    db = tmp_path / "cli.duckdb"
    p = run_cli("run", str(mini), "--db", str(db), "--json", check=True)
    summary = json.loads(p.stdout)
    assert summary["articles"] == 4 and summary["failures"] == 4
    out = run_cli("export", "articles", "--db", str(db), "--format", "jsonl", check=True).stdout.decode()
    records = [json.loads(line) for line in out.splitlines()]
    assert len(records) == 5 and {"id", "title", "published", "text", "duplicate_of"} <= set(records[0])
    originals = {r["source_path"].rsplit("/", 1)[-1]: r for r in records if r["status"] == "ok"}
    copies = [r for r in records if r["status"] == "duplicate"]
    assert len(originals) == 4 and len(copies) == 1
    assert copies[0]["duplicate_of"] == originals["convoy-attack.txt"]["id"] and copies[0]["similarity"] == 1.0
    p = run_cli("export", "nonsense", "--db", str(db))
    assert p.returncode != 0 and "unknown table" in p.stderr.decode()
    stats = json.loads(run_cli("stats", "--db", str(db), "--json", check=True).stdout)
    assert stats["tables"]["articles"] == 5
    text = run_cli("stats", "--db", str(db), check=True).stdout.decode()
    assert "rows per table" in text
    settings_out = run_cli("settings", "--set", "batch_size=3", check=True).stdout.decode()
    assert "batch_size" in settings_out and "override" in settings_out
    assert run_cli("run", str(mini), "--db", str(db), "--set", "nope=1").returncode != 0


_WORDS = ("officials delegation border river convoy ministry talks province district council village market "
          "harvest bridge road school clinic court election budget tariff pipeline railway port drought flood").split()


def make_corpus(folder: Path, n: int) -> None:
    """n distinct articles from our fixtures: each gets its own closing paragraph, long enough that no
    two are near copies; plus two near copies, which must come out the same after a resume."""
    folder.mkdir()
    sources = [p for p in sorted((FIXTURES / "mini").iterdir()) if p.suffix == ".txt"]
    rng = random.Random(11)
    for i in range(n):
        src = sources[i % len(sources)]
        extra = " ".join(f"The {rng.choice(_WORDS)} near {rng.choice(_WORDS)} {k} was noted in report {i}."
                         for k in range(25))
        (folder / f"{i:03d}-{src.name}").write_text(src.read_text() + f"\n\n{extra}\n")
    for i in (5, 40):
        text = (folder / f"{i:03d}-{sources[i % len(sources)].name}").read_text()
        (folder / f"{i:03d}-near-copy.txt").write_text(text.replace(" was noted ", " was seen ", 1))
    (folder / "zz-broken.jsonl").write_text('{"id": 1, "text": "cut sho\n')


@needs_model
def test_kill_and_resume_equals_uninterrupted_run(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, 60)
    ref = tmp_path / "ref.duckdb"
    run_cli("run", str(corpus), "--db", str(ref), "-b", "4", check=True)
    expected = snapshot(ref)
    assert len(expected["articles"]) == 62
    assert sum(1 for row in expected["articles"] if "duplicate" in row) == 2  # the two near copies

    rng = random.Random(7)
    kills = 0
    for attempt in range(3):
        db = tmp_path / f"killed-{attempt}.duckdb"
        wal = Path(str(db) + ".wal")
        proc = subprocess.Popen([sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(db), "-b", "4"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # wait until some batches are committed (the WAL grows), then kill at a random moment
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if wal.exists() and wal.stat().st_size > 50_000:
                break
            time.sleep(0.02)
        time.sleep(rng.uniform(0, 0.6))
        killed = proc.poll() is None
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if killed:
            kills += 1
            partial = snapshot(db)
            assert len(partial["articles"]) < 62
        run_cli("run", str(corpus), "--db", str(db), "-b", "4", check=True)
        assert snapshot(db) == expected, f"attempt {attempt}: resumed store differs from an uninterrupted run"
        if killed:  # the killed run is not left 'running' forever: the next open marks it
            con = duckdb.connect(str(db), read_only=True)
            runs = con.execute("SELECT status, error IS NOT NULL, finished IS NULL FROM runs ORDER BY id").fetchall()
            con.close()
            assert runs == [("interrupted", True, True), ("completed", False, False)], runs
    assert kills >= 2, "the runs finished before they could be killed: the test did not test resuming"
    from hostile import record

    record("kill_resume_local", attempts=3, kills=kills, rows_compared=sum(len(v) for v in expected.values()),
           rows_lost=0)


@needs_model
def test_shared_corpus_cli(shared_corpus, tmp_path):
    db = tmp_path / "x.duckdb"
    p = run_cli("run", str(shared_corpus), "--db", str(db), "--json", check=True)
    assert json.loads(p.stdout)["articles"] == 4


@needs_model
def test_stdin_input(tmp_path):
    db = tmp_path / "stdin.duckdb"
    text = (FIXTURES / "mini" / "convoy-attack.txt").read_bytes()
    p = run_cli("run", "-", "--db", str(db), "--json", stdin=text, check=True)
    assert json.loads(p.stdout)["articles"] == 1
    again = run_cli("run", "-", "--db", str(db), "--json", stdin=text, check=True)
    assert json.loads(again.stdout).get("articles", 0) == 0  # same text again: nothing new


def test_eval_clean_reports_scores_beside_baselines(tmp_path):
    p = run_cli("eval", "clean", "--eval-dir", str(tmp_path / "none"), "--corpus", str(tmp_path / "none"),
                "--folds", "3", "--json", check=True)
    result = json.loads(p.stdout)
    assert set(result["real_pages"]) == {"ours"}  # only our own pages here
    assert "real_text" not in result  # no real-prose corpus given
    systems = {s["system"]: s for s in result["real_pages"]["ours"]}
    assert any(name.startswith("tacitus") for name in systems)
    assert any(name.startswith("trafilatura") for name in systems) and any(name.startswith("jusText") for name in systems)
    ours = next(s for name, s in systems.items() if "cross-validated" in name)
    assert ours["pages"] >= 40 and 0.0 < ours["f1"] <= 1.0 and ours["tp"] + ours["fn"] > 300
    assert "trafilatura_benchmark" not in result  # no benchmark folder given
    bad = run_cli("eval", "clean", "--pages", str(tmp_path), "--eval-dir", str(tmp_path))
    assert bad.returncode != 0 and "no labelled pages" in bad.stderr.decode()


@needs_model
def test_views_read_at_80_columns_and_write_values_like_export(mini_db, tmp_path):
    """events and quotes at 80 columns: no line over 80, nothing cut to "…", each sentence or quote whole
    (with its article and trigger); ``events -f csv`` writes every value as ``export`` does (empty for
    NULL, true/false, one JSON value per struct); ``sql`` cannot write files; ``actor`` prints no None."""
    import csv
    import io

    from typer.testing import CliRunner

    from tacitus.cli.main import app

    runner = CliRunner()
    db = str(mini_db)
    con = duckdb.connect(db, read_only=True)
    sentences = [r[0] for r in con.execute(
        "SELECT s.text FROM (SELECT e.id, substr(a.text, s.start + 1, s.\"end\" - s.start) AS text FROM events e "
        "JOIN articles a ON a.id = e.article_id JOIN sentences s ON s.article_id = e.article_id AND s.sentence = e.sentence) s"
    ).fetchall()]
    quotes = [r[0] for r in con.execute("SELECT text FROM quotes").fetchall()]
    con.close()
    assert sentences and quotes
    for command, texts in (("events", sentences), ("quotes", quotes)):
        out = runner.invoke(app, [command, "--db", db], env={"COLUMNS": "80"})
        assert out.exit_code == 0, out.output
        lines = out.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80 and "…" not in out.stdout
        flat = " ".join(out.stdout.split())
        for text in texts:
            assert " ".join(text.split()) in flat, text
        assert "article" in out.stdout
    assert "trigger" in runner.invoke(app, ["events", "--db", db], env={"COLUMNS": "80"}).stdout
    view = runner.invoke(app, ["events", "--db", db, "-f", "csv"])
    export = runner.invoke(app, ["export", "events", "--db", db, "--format", "csv"])
    assert view.exit_code == 0 and export.exit_code == 0, (view.output, export.output)
    exported = {r["id"]: r for r in csv.DictReader(io.StringIO(export.stdout))}
    shown = list(csv.DictReader(io.StringIO(view.stdout)))
    assert shown and len(shown) == len(exported)
    for row in shown:
        for column, value in row.items():
            if column in exported[row["id"]]:
                assert value == exported[row["id"]][column], (column, value, exported[row["id"]][column])
    assert "<NA>" not in view.stdout and ",True," not in view.stdout
    leak = tmp_path / "leak.csv"
    bad = runner.invoke(app, ["sql", f"COPY (SELECT 1) TO '{leak}'", "--db", db])
    assert bad.exit_code != 0 and not leak.exists()
    actor = runner.invoke(app, ["actor", "Taliban", "--db", db])
    assert actor.exit_code == 0 and "None" not in actor.stdout


def test_numbers_print_in_full():
    from tacitus.cli.corpus import number

    assert number(2_000_000.0) == "2,000,000" and number(0.123456) == "0.1235" and number(1234.5678) == "1,234.57"


def test_trends_command_answers_what_the_explorer_does(mini_db):
    """``tacitus trends``: the Trends view's numbers (per period, by quad class), as CSV that adds up to the
    Python API's answer, readable at 80 columns, and a date that is not one refused with a clear line."""
    import csv
    import io

    from typer.testing import CliRunner

    import tacitus
    from tacitus.api.explore import EventFilter
    from tacitus.cli.main import app

    runner = CliRunner()
    db = str(mini_db)
    out = runner.invoke(app, ["trends", "--db", db, "--by", "year", "-f", "csv"])
    assert out.exit_code == 0, out.output
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    with tacitus.open(mini_db) as d:
        expected = d.explorer().trends(EventFilter(), "year", True)
    assert [r["period"] for r in rows] == [p["period"] for p in expected["periods"]]
    assert [int(r["events"]) for r in rows] == [p["events"] for p in expected["periods"]]
    for r in rows:
        assert int(r["events"]) >= sum(int(r[q]) for q in ("verbal cooperation", "material cooperation",
                                                            "verbal conflict", "material conflict"))
    quad = next(q for p in expected["periods"] for q in p["by_quad"])
    only = list(csv.DictReader(io.StringIO(runner.invoke(app, ["trends", "--db", db, "--quad", quad, "-f", "csv"]).stdout)))
    assert sum(int(r["events"]) for r in only) == sum(p["by_quad"].get(quad, {}).get("events", 0)
                                                      for p in expected["periods"])
    table = runner.invoke(app, ["trends", "--db", db], env={"COLUMNS": "80"})
    assert table.exit_code == 0 and max(len(line) for line in table.stdout.splitlines()) <= 80
    for command in ("trends", "events", "timeline", "clusters"):  # one check for every --since/--until
        for bad in ("last year", "21", "2021-13", "2021-02-30"):
            refused = runner.invoke(app, [command, "--db", db, "--since", bad])
            assert refused.exit_code != 0 and "not a date" in refused.output, (command, bad, refused.output)
        assert runner.invoke(app, [command, "--db", db, "--until", "2021-02"]).exit_code == 0, command
    assert runner.invoke(app, ["trends", "--db", db, "--quad", "war"]).exit_code != 0


def test_corpus_views_read_at_80_and_120_columns(mini_db):
    """clusters, timeline and trends at 80 and 120 columns: no line wider than the terminal, no header or
    value broken inside a word (a table too wide for its words turns into one block per row)."""
    from typer.testing import CliRunner

    from tacitus.cli.main import app

    runner = CliRunner()
    for width in (80, 120):
        for command in (["clusters"], ["timeline"], ["trends", "--by", "month"]):
            out = runner.invoke(app, [*command, "--db", str(mini_db)], env={"COLUMNS": str(width)})
            assert out.exit_code == 0, out.output
            lines = out.stdout.splitlines()
            assert lines and max(len(line) for line in lines) <= width, (command, width)
            for header in ("intensity", "first_reported") if command[0] != "trends" else ("intensity", "fatalities"):
                assert header in out.stdout, (command, width, header)  # whole, not "intensi" / "ty"
