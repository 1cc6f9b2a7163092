"""DuckDB store: open (with lock and migration handling), write article batches atomically, export."""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

import duckdb
import pyarrow as pa

from tacitus.errors import StoreBusyError, StoreError
from tacitus.ingest.discover import display_path
from tacitus.limits import not_regular
from tacitus.store.schema import ARTICLE_TABLES, EXPORT_TABLES, MIGRATIONS, SCHEMA_VERSION

DUCKDB_CONFIG = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
EXPORT_FORMATS = ("jsonl", "csv", "parquet")
_ORDER = {
    "articles": "id", "actors": "id", "kb_actors": "id", "runs": "id", "inputs": "key", "failures": "path, record, stage, id",
    "sentences": "article_id, sentence", "disputes": "id", "event_clusters": "id", "quote_clusters": "id",
}


def write_error(exc: BaseException, path: str, what: str = "write failed") -> StoreError:
    """A one-line, actionable :class:`StoreError` for a failed write to the database at ``path``
    (disk full, file size limit, read-only file or folder); batches already committed are kept."""
    chain: list[BaseException] = []
    cause: BaseException | None = exc
    while cause is not None and cause not in chain:  # a failed rollback hides the failed commit
        chain.append(cause)
        cause = cause.__context__
    why = None
    for err in chain:
        msg = " ".join(str(err).split())
        low = msg.lower()
        if "no space left" in low or "file too large" in low or "disk full" in low:
            why = "the disk is full (or the file size limit was reached)"
        elif "permission denied" in low or "read-only file system" in low:
            why = "the database file or its folder is not writable (permission denied or read-only file system)"
        if why:
            break
    else:
        msg = " ".join(str(exc).split())
        return StoreError(f"database {path}: {what}: {msg[:300]}")
    return StoreError(f"cannot write to database {path}: {why}. Batches written before are kept; fix this "
                      f"and run the same command again to resume. ({msg[:200]})")


def _host() -> str:
    import socket

    return socket.gethostname()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Store:
    """One DuckDB file. Use :meth:`open`; close with :meth:`close` or a ``with`` block."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str, read_only: bool):
        self.con = con
        self.path = path
        self.read_only = read_only

    # -- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | os.PathLike[str], read_only: bool = False) -> "Store":
        path = str(path)
        if read_only and not Path(path).exists():
            raise StoreError(f"database not found: {path}")
        try:
            what = not_regular(os.stat(path).st_mode)
        except OSError:
            what = None  # a new database, or an error DuckDB reports below
        if what is not None:  # DuckDB would wait forever on a FIFO
            raise StoreError(f"cannot open database {path}: it is {what}, not a database file")
        if not read_only and Path(path).parent and not Path(path).parent.exists():
            raise StoreError(f"folder does not exist for database: {path}")
        if not read_only and not os.access(Path(path).resolve().parent, os.W_OK | os.X_OK):
            # DuckDB writes its .wal beside the file: say so now, not after the model has loaded
            raise write_error(PermissionError(f"Permission denied: folder {Path(path).resolve().parent}"), path)
        existed = os.path.lexists(path)
        try:
            con = duckdb.connect(path, read_only=read_only, config=DUCKDB_CONFIG)
        except duckdb.IOException as exc:
            msg = str(exc)
            if "lock" in msg.lower():
                pid = re.search(r"PID (\d+)", msg)
                who = f" (PID {pid.group(1)})" if pid else ""
                raise StoreBusyError(f"database {path} is in use by another process{who}; wait for it to finish") from None
            if not read_only and ("permission denied" in msg.lower() or "read-only file system" in msg.lower()):
                raise write_error(exc, path) from None
            raise StoreError(f"cannot open database {path}: {msg.splitlines()[0]}") from None
        except duckdb.Error as exc:
            raise StoreError(f"cannot open database {path}: {str(exc).splitlines()[0]}") from None
        store = cls(con, path, read_only)
        try:
            if read_only:
                store._check_version()
            else:
                store.migrate()
                store.close_abandoned_runs()
        except Exception:
            con.close()
            if not existed:  # a file this open created: nothing is left behind
                for leftover in (path, path + ".wal"):
                    try:
                        os.unlink(leftover)
                    except OSError:
                        pass
            raise
        return store

    def close(self) -> None:
        try:
            self.con.close()
        except duckdb.Error:
            pass

    def _rollback(self) -> None:
        """Roll back after a failed statement. A failed COMMIT (disk full) has already ended the
        transaction, and the error to report is the original one, not the rollback's."""
        try:
            self.con.rollback()
        except duckdb.Error:
            pass

    def checkpoint(self) -> None:
        """Write the WAL into the database file now, so that a full disk is reported by the run that
        filled it (closing the connection would fail silently, the data safe in the WAL)."""
        self.con.execute("CHECKPOINT")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        try:
            row = self.con.execute("SELECT max(version) FROM schema_version").fetchone()
        except duckdb.CatalogException:
            return 0
        return int(row[0] or 0)

    def _check_version(self) -> None:
        version = self.schema_version()
        if version == 0:
            raise StoreError(f"{self.path} is not a Tacitus database (no schema_version table)")
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}, newer than this Tacitus ({SCHEMA_VERSION})")
        if version < SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {version}, older than this Tacitus ({SCHEMA_VERSION}); "
                             "any 'tacitus run ... --db' on it upgrades it in place (nothing is lost)")

    def foreign_objects(self) -> list[str]:
        """Tables and views in this file when it is not a Tacitus store (it has no ``schema_version``
        table): another application's data, which Tacitus must not touch."""
        rows = self.con.execute(
            """SELECT schema_name || '.' || table_name FROM duckdb_tables() WHERE database_name = current_database()
               UNION ALL
               SELECT schema_name || '.' || view_name FROM duckdb_views()
               WHERE database_name = current_database() AND NOT internal ORDER BY 1""").fetchall()
        names = [r[0].removeprefix("main.") for r in rows]
        return [] if "schema_version" in names else names

    def migrate(self) -> list[int]:
        """Apply pending migrations, all in one transaction: a failed migration leaves the file as it
        was (a new file stays empty). A DuckDB file of another application is refused untouched.
        Returns the versions applied."""
        foreign = self.foreign_objects()
        if foreign:
            shown = ", ".join(foreign[:8]) + (f" and {len(foreign) - 8} more" if len(foreign) > 8 else "")
            raise StoreError(f"{self.path} is a DuckDB database of another application (it holds {shown}), not a "
                             "Tacitus store; it was left untouched. Give --db a new file or an existing Tacitus store")
        current = self.schema_version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path} has schema version {current}, newer than this Tacitus ({SCHEMA_VERSION})")
        pending = [m for m in MIGRATIONS if m[0] > current]
        if not pending:
            return []
        self.con.begin()
        try:
            self.con.execute("CREATE TABLE IF NOT EXISTS schema_version "
                             "(version INTEGER PRIMARY KEY, description VARCHAR, applied TIMESTAMP)")
            for version, description, statements in pending:
                try:
                    for stmt in statements:
                        self.con.execute(stmt)
                    self.con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, description, _now()])
                except duckdb.Error as exc:
                    raise write_error(exc, self.path, f"migration {version} failed; the database was left as it "
                                      "was") from None
            self.con.commit()
        except BaseException:
            self._rollback()
            raise
        return [m[0] for m in pending]

    def close_abandoned_runs(self) -> int:
        """Mark as ``interrupted`` the runs still ``running`` that belong to another process (killed,
        or its machine stopped): DuckDB's file lock means no other process writes to this file while
        this one may. Returns how many were marked."""
        row = self.con.execute(
            """UPDATE runs SET status = 'interrupted', error = 'ended without finishing (the process was killed '
               || 'or stopped); found at the next open'
               WHERE status = 'running' AND (pid IS NULL OR pid <> ? OR host IS DISTINCT FROM ?) RETURNING id""",
            [os.getpid(), _host()]).fetchall()
        return len(row)

    # -- runs ------------------------------------------------------------------------------------
    def begin_run(self, settings_json: str, model: str, inputs: list[str], version: str) -> int:
        row = self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM runs").fetchone()
        run_id = int(row[0])
        self.con.execute(
            """INSERT INTO runs (id, started, status, tacitus_version, model, settings, inputs, pid, host)
               VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?)""",
            [run_id, _now(), version, model, settings_json, [display_path(p) for p in inputs], os.getpid(), _host()],
        )
        return run_id

    def finish_run(self, run_id: int, status: str, counts: Mapping[str, int]) -> None:
        self.con.execute(
            """UPDATE runs SET finished = ?, status = ?, units_seen = ?, articles_added = ?, duplicates = ?,
               failures = ?, skipped = ? WHERE id = ?""",
            [_now(), status, counts.get("units", 0), counts.get("articles", 0), counts.get("duplicates", 0),
             counts.get("failures", 0), counts.get("skipped", 0), run_id],
        )

    # -- reads used while running -----------------------------------------------------------------
    def input_state(self, key: str) -> tuple[str | None, str | None]:
        row = self.con.execute("SELECT fingerprint, status FROM inputs WHERE key = ?", [key]).fetchone()
        return (row[0], row[1]) if row else (None, None)

    def article_owner(self, article_id: str) -> str | None:
        """The input key that produced the stored article ``article_id``, if any."""
        row = self.con.execute(
            "SELECT key FROM inputs WHERE article_id = ? AND status <> 'duplicate' ORDER BY key LIMIT 1", [article_id]
        ).fetchone()
        if row:
            return row[0]
        row = self.con.execute("SELECT source_path FROM articles WHERE id = ?", [article_id]).fetchone()
        return row[0] if row else None

    # -- writes ----------------------------------------------------------------------------------
    def write_articles(self, batch: list[Mapping[str, list[dict[str, Any]]]], replace: bool = False) -> None:
        """Write a batch of articles with all their rows in one transaction.

        Each item maps table name -> rows (dicts), with exactly one row in ``articles`` and one in
        ``inputs``. With ``replace`` the articles' old rows are deleted first (``--force``).
        """
        if not batch:
            return
        tables: dict[str, list[dict[str, Any]]] = {}
        for item in batch:
            for table, rows in item.items():
                tables.setdefault(table, []).extend(rows)
        ids = [row["id"] for row in tables.get("articles", [])]
        keys = [row["key"] for row in tables.get("inputs", [])]
        self.con.begin()
        try:
            if ids:
                if replace:
                    for table in ARTICLE_TABLES:
                        self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [ids])
                self.con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [ids])
            if keys:
                self._drop_replaced(keys, ids)
                self.con.execute("DELETE FROM inputs WHERE key IN (SELECT unnest(?))", [keys])
                self.con.execute("DELETE FROM failures WHERE input_key IN (SELECT unnest(?))", [keys])
            for table, rows in tables.items():
                if not rows:
                    continue
                if table == "actors":
                    self._insert(table, rows, or_ignore=True)
                else:
                    self._insert(table, rows)
            self.con.commit()
        except BaseException:
            self._rollback()
            raise

    def _drop_replaced(self, keys: list[str], keep: list[str]) -> None:
        """Delete articles that ``keys`` produced before (their file changed) and no other input holds."""
        old = [r[0] for r in self.con.execute(
            """SELECT DISTINCT article_id FROM inputs WHERE key IN (SELECT unnest(?)) AND article_id IS NOT NULL
               AND article_id NOT IN (SELECT unnest(?))""", [keys, keep or [""]]).fetchall()]
        if not old:
            return
        held = {r[0] for r in self.con.execute(
            """SELECT DISTINCT article_id FROM inputs WHERE article_id IN (SELECT unnest(?))
               AND key NOT IN (SELECT unnest(?))""", [old, keys]).fetchall()}
        orphans = [a for a in old if a not in held]
        if orphans:
            for table in ARTICLE_TABLES:
                self.con.execute(f"DELETE FROM {table} WHERE article_id IN (SELECT unnest(?))", [orphans])
            self.con.execute("DELETE FROM articles WHERE id IN (SELECT unnest(?))", [orphans])

    # -- knowledge base added by the user ------------------------------------------------------------
    def add_kb_actors(self, rows: list[dict[str, Any]], source: str) -> int:
        """Insert or replace knowledge-base actors (``kb_actors``); returns how many."""
        if not rows:
            return 0
        stamped = [dict(r, source=source, added=_now()) for r in rows]
        self.con.begin()
        try:
            self.con.execute("DELETE FROM kb_actors WHERE id IN (SELECT unnest(?))", [[r["id"] for r in stamped]])
            self._insert("kb_actors", stamped)
            self.con.commit()
        except BaseException:
            self._rollback()
            raise
        return len(stamped)

    def write_kb_csv(self, path: str | os.PathLike[str]) -> int:
        """Write ``kb_actors`` as a KB CSV file (the format of ``data/kb``); returns the row count."""
        import csv

        rows = self.con.execute(
            """SELECT id, name, code, kind, country, sector, array_to_string(aliases, '|'), capital,
                      array_to_string(demonyms, '|'), continuity, roles, wikidata, note FROM kb_actors ORDER BY id"""
        ).fetchall()
        with open(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["id", "name", "code", "kind", "country", "sector", "aliases", "capital", "demonyms",
                        "continuity", "roles", "wikidata", "note"])
            for r in rows:
                w.writerow(["" if v is None else v for v in r])
        return len(rows)

    def signatures(self):
        """(article id, MinHash values, input key) of every stored original article, in id order."""
        return self.con.execute(
            """SELECT s.article_id, s.minhash, min(i.key) FROM signatures s
               JOIN articles a ON a.id = s.article_id AND a.duplicate_of IS NULL
               LEFT JOIN inputs i ON i.article_id = s.article_id
               GROUP BY s.article_id, s.minhash ORDER BY s.article_id""").fetchall()

    def _insert(self, table: str, rows: list[dict[str, Any]], or_ignore: bool = False) -> None:
        # Deduplicate on id within the batch (an actor named twice, a repeated row id).
        if rows and "id" in rows[0]:
            seen: dict[Any, dict[str, Any]] = {}
            for row in rows:
                seen.setdefault(row["id"], row)
            rows = list(seen.values())
        # pyarrow takes the columns from the first row: give every row every column
        columns: dict[str, None] = {}
        for row in rows:
            columns.update(dict.fromkeys(row))
        if any(len(row) != len(columns) for row in rows):
            rows = [{c: row.get(c) for c in columns} for row in rows]
        arrow = pa.Table.from_pylist(rows)
        self.con.register("_tacitus_rows", arrow)
        try:
            verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
            self.con.execute(f"{verb} INTO {table} BY NAME SELECT * FROM _tacitus_rows")
        finally:
            self.con.unregister("_tacitus_rows")

    def record_input(self, key: str, source_path: str, record: str | None, fingerprint: str,
                     status: str, reason: str | None, run_id: int, article_id: str | None = None) -> None:
        """Record an input that produced no new article (duplicate, skipped, failed)."""
        self.con.begin()
        try:
            self._drop_replaced([key], [article_id] if article_id else [])
            self.con.execute("DELETE FROM inputs WHERE key = ?", [key])
            self.con.execute(
                "INSERT INTO inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [key, source_path, record, fingerprint, article_id, status, reason, run_id],
            )
            if status != "failed":
                self.con.execute("DELETE FROM failures WHERE input_key = ?", [key])
            self.con.commit()
        except BaseException:
            self._rollback()
            raise

    def record_failure(self, failure_id: str, key: str, path: str, record: str | None, stage: str,
                       error: str, fingerprint: str, run_id: int) -> None:
        """A failures row (kept once per input, stage and reason) plus the input's status."""
        self.con.begin()
        try:
            self.con.execute("DELETE FROM failures WHERE input_key = ? AND id <> ?", [key, failure_id])
            self.con.execute(
                "INSERT OR IGNORE INTO failures VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [failure_id, key, path, record, stage, error, _now(), run_id],
            )
            self._drop_replaced([key], [])
            self.con.execute("DELETE FROM inputs WHERE key = ?", [key])
            self.con.execute(
                "INSERT INTO inputs VALUES (?, ?, ?, ?, NULL, 'failed', ?, ?)",
                [key, path, record, fingerprint, error, run_id],
            )
            self.con.commit()
        except BaseException:
            self._rollback()
            raise

    def refresh_actors(self) -> None:
        """Recompute derived actor fields from the mentions and roles tables: mention counts, aliases
        (names as written, pronouns left out), dated roles, and the code of a person the KB does not
        know: the code of their most often stated role (latest first on ties)."""
        self.con.execute(
            """UPDATE actors SET mention_count = coalesce(m.n, 0), aliases = coalesce(m.aliases, [])
               FROM (SELECT a.id, count(mn.id) AS n,
                            list_sort(list_distinct(list(mn.text) FILTER (WHERE mn.text IS NOT NULL
                                                                          AND mn.label NOT IN ('PRON', 'COREF')))) AS aliases
                     FROM actors a LEFT JOIN mentions mn ON mn.actor_id = a.id GROUP BY a.id) m
               WHERE actors.id = m.id"""
        )
        self.con.execute(
            """UPDATE actors SET roles = r.roles
               FROM (SELECT actor_id, to_json(list({'role': text, 'title': title, 'organisation': organisation,
                                                    'code': code, 'date': date, 'article_id': article_id}
                                                   ORDER BY date NULLS LAST, article_id, start)) AS roles
                     FROM roles GROUP BY actor_id) r
               WHERE actors.id = r.actor_id"""
        )
        self.con.execute(
            """UPDATE actors SET code = best.code, country = best.country, sector = best.sector
               FROM (SELECT actor_id, arg_max(code, n * 100000 + coalesce(try_cast(left(d, 4) AS INTEGER), 0)) AS code,
                            arg_max(country, n * 100000 + coalesce(try_cast(left(d, 4) AS INTEGER), 0)) AS country,
                            arg_max(sector, n * 100000 + coalesce(try_cast(left(d, 4) AS INTEGER), 0)) AS sector
                     FROM (SELECT actor_id, code, country, sector, count(*) AS n, max(date) AS d FROM roles
                           WHERE code IS NOT NULL AND country IS NOT NULL GROUP BY ALL)
                     GROUP BY actor_id) best
               WHERE actors.id = best.actor_id AND actors.kind = 'person' AND actors.code IS NULL"""
        )

    # -- queries ---------------------------------------------------------------------------------
    def tables(self) -> list[str]:
        return [r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY 1").fetchall()]

    def stats(self) -> dict[str, Any]:
        c = self.con
        out: dict[str, Any] = {"database": self.path, "schema_version": self.schema_version()}
        out["tables"] = {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in EXPORT_TABLES}
        out["articles_by_status"] = dict(c.execute("SELECT status, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["articles_by_language"] = dict(c.execute("SELECT language, count(*) FROM articles GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["inputs_by_status"] = dict(c.execute("SELECT status, count(*) FROM inputs GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["failures_by_stage"] = dict(c.execute("SELECT stage, count(*) FROM failures GROUP BY 1 ORDER BY 2 DESC").fetchall())
        out["ingest_warnings"] = dict(c.execute(
            """SELECT split_part(w, ':', 1), count(*) FROM (SELECT unnest(warnings) AS w FROM articles)
               GROUP BY 1 ORDER BY 2 DESC, 1""").fetchall())
        out["junk_lines_removed"] = c.execute("SELECT coalesce(sum(len(removed)), 0) FROM articles").fetchone()[0]
        out["top_actors"] = [
            {"name": n, "code": code, "mentions": m}
            for n, code, m in c.execute(
                "SELECT name, code, mention_count FROM actors ORDER BY mention_count DESC, name LIMIT 10"
            ).fetchall()
        ]
        out["published_range"] = list(c.execute("SELECT min(published), max(published) FROM articles").fetchone())
        out["runs"] = c.execute("SELECT count(*) FROM runs").fetchone()[0]
        out["events_by_type"] = dict(c.execute(
            "SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1").fetchall())
        out["events_flags"] = dict(zip(("historical", "negated", "hedged", "future"), c.execute(
            """SELECT count(*) FILTER (WHERE historical), count(*) FILTER (WHERE negated),
                      count(*) FILTER (WHERE hedged), count(*) FILTER (WHERE future) FROM events""").fetchone()))
        return out

    def export(self, table: str, fmt: str, out: str | os.PathLike[str] | None = None) -> None:
        """Write ``table`` as jsonl, csv or parquet to the file ``out`` or to stdout."""
        if table not in EXPORT_TABLES:
            raise StoreError(f"unknown table {table!r}; choose one of: {', '.join(EXPORT_TABLES)}")
        if fmt not in EXPORT_FORMATS:
            raise StoreError(f"unknown format {fmt!r}; choose one of: {', '.join(EXPORT_FORMATS)}")
        copy_out(self.con, table, fmt, out, _ORDER.get(table, "article_id, start, id"))


def _select(con: duckdb.DuckDBPyConnection, source: str, fmt: str, order: str | None) -> str:
    """The SELECT written for ``source`` in ``fmt``: in CSV, structs, lists and JSON as one JSON value per
    cell (so a cell holds one parseable value); NULL as an empty field, booleans as true/false."""
    order_by = f" ORDER BY {order}" if order else ""
    if fmt != "csv":
        return f"SELECT * FROM {source}{order_by}"
    cols = []
    for name, dtype, *_ in con.execute(f"DESCRIBE {source}").fetchall():
        quoted = '"' + name.replace('"', '""') + '"'
        if dtype.startswith(("STRUCT", "MAP")) or dtype.endswith("]") or dtype == "JSON":
            cols.append(f"to_json({quoted})::VARCHAR AS {quoted}")
        else:
            cols.append(quoted)
    return f"SELECT {', '.join(cols)} FROM {source}{order_by}"


def copy_out(con: duckdb.DuckDBPyConnection, source: str, fmt: str, out: str | os.PathLike[str] | None = None,
             order: str | None = None) -> None:
    """Write the table or view ``source`` of ``con`` as jsonl, csv or parquet to the file ``out`` (or
    stdout): the one writer behind ``tacitus export`` and every view's ``-f csv|jsonl``."""
    options = {"jsonl": "FORMAT json", "csv": "FORMAT csv, HEADER", "parquet": "FORMAT parquet"}[fmt]
    select = _select(con, source, fmt, order)
    if out is not None and str(out) != "-":
        target = Path(out)
        if target.parent and not target.parent.exists():
            raise StoreError(f"folder does not exist: {target.parent}")
        try:
            con.execute(f"COPY ({select}) TO '{_sql_string(str(target))}' ({options})")
        except duckdb.Error as exc:
            raise StoreError(f"cannot write {target}: {' '.join(str(exc).split())[:300]}") from None
        return
    with tempfile.TemporaryDirectory(prefix="tacitus-export-") as tmp:
        tmp_path = os.path.join(tmp, f"out.{fmt}")
        con.execute(f"COPY ({select}) TO '{_sql_string(tmp_path)}' ({options})")
        with open(tmp_path, "rb") as fh:
            shutil.copyfileobj(fh, sys.stdout.buffer)
        sys.stdout.flush()


def write_frame(df, fmt: str, out: str | os.PathLike[str] | None = None) -> None:
    """A DataFrame (a view's rows) written by :func:`copy_out`, so that ``tacitus events -f csv`` and
    ``tacitus export events --format csv`` format every value alike."""
    con = duckdb.connect(config=DUCKDB_CONFIG)
    try:
        con.register("frame", df)
        copy_out(con, "frame", fmt, out)
    finally:
        con.close()


def _sql_string(text: str) -> str:
    return text.replace("'", "''")
