"""Schema, migrations, locking and the export contract."""

import csv
import io
import json
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

import tacitus
from tacitus.errors import StoreBusyError, StoreError
from tacitus.store import EXPORT_TABLES, SCHEMA_VERSION, Store
from tacitus.store.schema import CONTRACT

from conftest import model_available


def test_new_store_is_migrated_once(tmp_path):
    db = tmp_path / "s.duckdb"
    with Store.open(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert set(EXPORT_TABLES) <= set(s.tables())
    with Store.open(db) as s:
        assert s.migrate() == []  # nothing pending on reopen
        assert s.con.execute("SELECT count(*) FROM schema_version").fetchone()[0] == SCHEMA_VERSION


def test_read_only_open_refuses_foreign_and_missing_files(tmp_path):
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE x (a INT)")
    con.close()
    with pytest.raises(StoreError, match="not a Tacitus database"):
        Store.open(other, read_only=True)
    with pytest.raises(StoreError, match="not found"):
        Store.open(tmp_path / "missing.duckdb", read_only=True)
    garbage = tmp_path / "garbage.duckdb"
    garbage.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        Store.open(garbage)


def test_contract_columns_exist_in_schema(tmp_path):
    with Store.open(tmp_path / "c.duckdb") as s:
        for table, fields in CONTRACT.items():
            cols = {r[0] for r in s.con.execute(f"DESCRIBE {table}").fetchall()}
            assert set(fields) <= cols, (table, set(fields) - cols)


def test_read_only_connection_rejects_writes(tmp_path):
    db = tmp_path / "r.duckdb"
    Store.open(db).close()
    with tacitus.open(db) as d:
        with pytest.raises(StoreError):
            d.sql("DELETE FROM articles")


@pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_contract_every_table_every_format(mini, tmp_path, fmt):
    db = tmp_path / "e.duckdb"
    tacitus.process([mini], db, progress=False)
    with Store.open(db, read_only=True) as s:
        for table in EXPORT_TABLES:
            out = tmp_path / f"{table}.{fmt}"
            s.export(table, fmt, out)
            if fmt == "parquet":
                t = pq.read_table(out)
                names, n = t.column_names, t.num_rows
            elif fmt == "csv":
                reader = csv.DictReader(io.StringIO(out.read_text()))
                records = list(reader)
                names, n = reader.fieldnames or [], len(records)
            else:
                records = [json.loads(line) for line in out.read_text().splitlines() if line]
                names, n = (list(records[0]) if records else []), len(records)
            expected = s.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert n == expected, table
            if n and table in CONTRACT:
                assert set(CONTRACT[table]) <= set(names), (table, fmt)
        with pytest.raises(StoreError, match="unknown table"):
            s.export("secrets; DROP TABLE articles", fmt, tmp_path / "x")


def test_rows_with_different_columns_in_one_batch_keep_every_value(tmp_path):
    """pyarrow takes the columns of the first row; a batch where the first article lacks a column
    (a stored copy has no tone) must not drop the others' values."""
    with Store.open(tmp_path / "h.duckdb") as s:
        s.write_articles([
            {"articles": [{"id": "a1", "text": "copy", "status": "duplicate"}]},
            {"articles": [{"id": "a2", "text": "original", "status": "ok", "tone": -2.5, "word_count": 1}]},
        ])
        got = s.con.execute("SELECT id, tone, word_count FROM articles ORDER BY id").fetchall()
    assert got == [("a1", None, None), ("a2", -2.5, 1)]


def test_older_schema_is_refused_read_only_with_advice(tmp_path):
    db = tmp_path / "old.duckdb"
    with Store.open(db) as s:
        s.con.execute("DELETE FROM schema_version WHERE version > 1")
    with pytest.raises(StoreError, match="older than this Tacitus"):
        Store.open(db, read_only=True)


def _fingerprint(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.parametrize("tables", [["CREATE TABLE customers (id INT, name VARCHAR)", "INSERT INTO customers VALUES (1, 'a')"],
                                    ["CREATE TABLE articles (id INT)", "CREATE VIEW recent AS SELECT * FROM articles"],
                                    ["CREATE SCHEMA sales", "CREATE TABLE sales.orders (id INT)"]])
def test_another_applications_duckdb_file_is_refused_untouched(tmp_path, tables):
    """A writable open (``tacitus run --db``) of a DuckDB file made by another application adds nothing
    to it: no Tacitus tables, no schema_version (its own 'articles' table used to make the migration fail
    half way and leave a schema_version table behind)."""
    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    for stmt in tables:
        con.execute(stmt)
    con.close()
    before = _fingerprint(other)
    with pytest.raises(StoreError, match="another application.*left untouched"):
        Store.open(other)
    assert _fingerprint(other) == before
    assert not Path(str(other) + ".wal").exists()
    con = duckdb.connect(str(other), read_only=True)
    names = sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall())
    con.close()
    assert "schema_version" not in names and "runs" not in names


def test_a_failed_migration_leaves_nothing_behind(tmp_path, monkeypatch):
    from tacitus.store import db as store_db

    bad = store_db.MIGRATIONS + [(SCHEMA_VERSION + 1, "broken", ["CREATE TABLE extra (a INT)",
                                                                "ALTER TABLE no_such_table ADD COLUMN b INT"])]
    monkeypatch.setattr(store_db, "MIGRATIONS", bad)
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    new = tmp_path / "new.duckdb"
    with pytest.raises(StoreError, match=f"migration {SCHEMA_VERSION + 1} failed.*left as it was"):
        Store.open(new)
    assert not new.exists() and not Path(str(new) + ".wal").exists()  # the file it created is removed
    monkeypatch.undo()
    old = tmp_path / "old.duckdb"
    with Store.open(old) as s:
        tables = sorted(s.tables())
    monkeypatch.setattr(store_db, "MIGRATIONS", bad)
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(StoreError, match="failed"):
        Store.open(old)
    monkeypatch.undo()
    with Store.open(old, read_only=True) as s:  # still the current version, nothing of the failed one
        assert s.schema_version() == SCHEMA_VERSION and sorted(s.tables()) == tables


def test_an_older_store_is_upgraded_in_place_keeping_its_rows(tmp_path):
    from tacitus.store.schema import MIGRATIONS

    db = tmp_path / "v7.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description VARCHAR, applied TIMESTAMP)")
    for version, description, statements in MIGRATIONS:
        if version <= 7:
            for stmt in statements:
                con.execute(stmt)
            con.execute("INSERT INTO schema_version VALUES (?, ?, now())", [version, description])
    con.execute("INSERT INTO runs (id, status) VALUES (1, 'completed')")
    con.close()
    with Store.open(db) as s:
        assert s.schema_version() == SCHEMA_VERSION
        assert s.con.execute("SELECT id, status, pid FROM runs").fetchall() == [(1, "completed", None)]


def test_a_run_left_running_by_another_process_is_marked_at_the_next_open(tmp_path):
    db = tmp_path / "r.duckdb"
    with Store.open(db) as s:
        dead = s.begin_run("{}", "m", [], "0")
        s.con.execute("UPDATE runs SET pid = 999999999 WHERE id = ?", [dead])  # a process that is gone
        mine = s.begin_run("{}", "m", [], "0")  # this process's own run, still going
        done = s.begin_run("{}", "m", [], "0")
        s.finish_run(done, "completed", {})
    with Store.open(db, read_only=True) as s:  # a reader changes nothing
        assert s.con.execute("SELECT count(*) FROM runs WHERE status = 'running'").fetchone()[0] == 2
    with Store.open(db) as s:
        got = dict((r[0], r[1:]) for r in s.con.execute("SELECT id, status, error FROM runs").fetchall())
    assert got[dead][0] == "interrupted" and "ended without finishing" in got[dead][1]
    assert got[mine] == ("running", None) and got[done] == ("completed", None)
