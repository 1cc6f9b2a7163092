"""Read access to a store: tables as pandas or Arrow, read-only SQL, statistics."""

from __future__ import annotations

import os
from typing import Any

import duckdb

from tacitus.api.corpus import CorpusViews
from tacitus.api.explore import Explorer
from tacitus.corpus.disputes import contested_sql
from tacitus.errors import StoreError
from tacitus.store import EXPORT_TABLES, Store


class Database(CorpusViews):
    """A read-only view of a Tacitus store. ``tacitus.open(path)`` returns one."""

    def __init__(self, store: Store):
        self.store = store

    @property
    def path(self) -> str:
        return self.store.path

    def table(self, name: str, limit: int | None = None):
        """A table as a pandas DataFrame."""
        sql, params = self._select(name, limit)
        return self.store.con.execute(sql, params).df()

    def arrow(self, name: str, limit: int | None = None):
        """A table as a pyarrow Table."""
        sql, params = self._select(name, limit)
        return arrow_table(self.store.con, sql, params)

    def _select(self, name: str, limit: int | None):
        if name not in EXPORT_TABLES:
            raise StoreError(f"unknown table {name!r}; choose one of: {', '.join(EXPORT_TABLES)}")
        sql = f"SELECT * FROM {name}"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return sql, params

    def articles(self):
        return self.table("articles")

    def actors(self):
        return self.table("actors")

    def mentions(self):
        return self.table("mentions")

    def events(self, source: str | None = None, target: str | None = None, type: str | None = None,
               since: str | None = None, until: str | None = None, include_negated: bool = True,
               include_undated: bool | None = None, limit: int | None = None):
        """Events as a DataFrame, filtered: ``source``/``target`` match an actor code or its country part
        ("RUS" matches "RUS GOV"; "AFG-INS" is "AFG INS"), an actor id, or (case-insensitive) a name;
        ``type`` a PLOVER type; ``since``/``until`` compare ISO dates by prefix ("2021", "2021-07");
        events with a partial date ("1979") count as in any range they overlap. Each row carries the
        sentence it came from. Undated events are listed (last) unless a date range is given or
        ``include_undated`` is False; those left out for having no date are counted in the frame's
        ``attrs["undated_left_out"]``."""
        if include_undated is None:
            include_undated = not (since or until)
        where, params = ["TRUE"], []
        for side, value in (("source", source), ("target", target)):
            if value:
                code = " ".join(value.replace("-", " ").split()).upper()
                where.append(f"(e.{side}.code = ? OR e.{side}.code LIKE ? OR e.{side}_actor_id = ? "
                             f"OR lower(e.{side}.name) = lower(?))")
                params += [code, code + " %", value, value]
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        if not include_negated:
            where.append("NOT coalesce(e.negated, FALSE)")
        undated_where, undated_params = where + ["e.date IS NULL"], list(params)
        if since:
            where.append("(e.date IS NULL AND ? OR e.date >= left(?, length(e.date)))")
            params += [include_undated, since]
        if until:
            where.append("(e.date IS NULL AND ? OR left(e.date, length(?)) <= ?)")
            params += [include_undated, until, until]
        if not include_undated and not (since or until):
            where.append("e.date IS NOT NULL")
        sql = f"""SELECT e.*, substr(a.text, s.start + 1, s."end" - s.start) AS sentence_text, a.title AS article_title,
                         a.published AS article_published
                  FROM events e JOIN articles a ON a.id = e.article_id
                  LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence = e.sentence
                  WHERE {' AND '.join(where)}
                  ORDER BY e.date NULLS LAST, e.article_id, e.start"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        try:
            df = self.store.con.execute(sql, params).df()
            df.attrs["undated_left_out"] = 0 if include_undated else int(self.store.con.execute(
                f"SELECT count(*) FROM events e WHERE {' AND '.join(undated_where)}", undated_params).fetchone()[0])
            return df
        except duckdb.Error as exc:
            raise StoreError(f"cannot query events: {str(exc).splitlines()[0]}") from None

    def pair_tone(self, min_sentences: int = 1):
        """Tone per actor pair across the corpus: the mean tone of the sentences that name both actors,
        with how many sentences and articles that is (pairs ordered by id, each once)."""
        return self.store.con.execute(
            """SELECT a1.name AS actor_a, a1.code AS code_a, a2.name AS actor_b, a2.code AS code_b,
                      round(avg(s.tone), 3) AS tone, count(*) AS sentences, count(DISTINCT s.article_id) AS articles
               FROM (SELECT DISTINCT article_id, sentence, actor_id FROM mentions) m1
               JOIN (SELECT DISTINCT article_id, sentence, actor_id FROM mentions) m2
                 ON m1.article_id = m2.article_id AND m1.sentence = m2.sentence AND m1.actor_id < m2.actor_id
               JOIN sentences s ON s.article_id = m1.article_id AND s.sentence = m1.sentence
               JOIN actors a1 ON a1.id = m1.actor_id JOIN actors a2 ON a2.id = m2.actor_id
               GROUP BY ALL HAVING count(*) >= ? ORDER BY sentences DESC, tone""", [int(min_sentences)]).df()

    def timexes(self):
        return self.table("timexes")

    def roles(self):
        return self.table("roles")

    def quotes(self, speaker: str | None = None, actor: str | None = None, kind: str | None = None,
               limit: int | None = None):
        """Quotes as a DataFrame with the article title, date and outlet. ``speaker`` matches the speaker's
        name or the words at the cue (case-insensitive substring: "Zakharova"); ``actor`` the speaker's
        actor code or its country part ("RUS" matches "RUS GOV"; "AFG-INS" is "AFG INS") or actor id;
        ``kind`` direct or indirect."""
        where, params = ["TRUE"], []
        if speaker:
            where.append("(q.speaker ILIKE ? OR q.speaker_text ILIKE ?)")
            params += [f"%{speaker}%", f"%{speaker}%"]
        if actor:
            code = " ".join(actor.replace("-", " ").split()).upper()
            where.append("(q.speaker_code = ? OR q.speaker_code LIKE ? OR q.speaker_actor_id = ?)")
            params += [code, code + " %", actor]
        if kind:
            where.append("q.kind = ?")
            params.append(kind.lower())
        sql = f"""SELECT q.*, a.title AS article_title, a.published AS article_published, a.outlet AS article_outlet
                  FROM quotes q JOIN articles a ON a.id = q.article_id
                  WHERE {' AND '.join(where)} ORDER BY a.published NULLS LAST, q.article_id, q.start"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self._query(sql, params, "quotes")

    def claims(self, proposition: str | None = None, stance: str | None = None):
        """Claims (a quote asserting a relation between actors, with its stance) with their article's
        title, date and outlet; filter by ``proposition`` key or ``stance`` (alleges, denies, confirms)."""
        where, params = ["TRUE"], []
        if proposition:
            where.append("c.proposition = ?")
            params.append(proposition)
        if stance:
            where.append("c.stance = ?")
            params.append(stance.lower())
        return self._query(
            f"""SELECT c.*, a.title AS article_title, a.published AS article_published, a.outlet AS article_outlet
                FROM claims c JOIN articles a ON a.id = c.article_id WHERE {' AND '.join(where)}
                ORDER BY c.date NULLS LAST, c.article_id, c.start""", params, "claims")

    def disputes(self, actor: str | None = None, contested: bool = False):
        """Disputes: claims about one proposition across articles (who alleges, who denies, since when).
        ``contested`` keeps those both asserted (alleged or confirmed) and denied; ``actor`` those whose subject or
        object has this code (or its country part)."""
        where, params = ["TRUE"], []
        if contested:
            where.append(contested_sql("d"))
        if actor:
            code = " ".join(actor.replace("-", " ").split()).upper()
            where.append("(d.subject_code = ? OR d.subject_code LIKE ? OR d.object_code = ? OR d.object_code LIKE ?)")
            params += [code, code + " %", code, code + " %"]
        return self._query(
            f"""SELECT d.*, {contested_sql("d")} AS contested FROM disputes d
                WHERE {' AND '.join(where)} ORDER BY contested DESC, d.claims DESC, d.proposition""", params, "disputes")

    def _query(self, sql: str, params: list[Any], what: str):
        try:
            return self.store.con.execute(sql, params).df()
        except duckdb.Error as exc:
            raise StoreError(f"cannot query {what}: {str(exc).splitlines()[0]}") from None

    def places(self):
        return self.table("places")

    def counts(self):
        return self.table("counts")

    def sentences(self):
        return self.table("sentences")

    def failures(self):
        return self.table("failures")

    def explorer(self, cursor: duckdb.DuckDBPyConnection | None = None) -> Explorer:
        """The explorer's queries (pages of JSON-ready values, as the web API answers them), over ``cursor``
        (one of this store's connection's cursors, e.g. one per web request) or the store's connection."""
        return Explorer(self if cursor is None else Database(Store(cursor, self.path, True)))

    def sql(self, query: str, params: list[Any] | None = None):
        """Run read-only SQL (the connection is read-only: writes fail) and return a DataFrame."""
        try:
            return self.store.con.execute(query, params or []).df()
        except duckdb.Error as exc:
            raise StoreError(f"SQL error: {str(exc).splitlines()[0]}") from None

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def arrow_table(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None):
    """The rows of ``sql`` as a pyarrow Table, read through a cursor of its own (DuckDB 2 copies the
    rows once more when Arrow comes from ``execute``)."""
    with con.cursor() as cur:
        return cur.sql(sql, params=params or None).to_arrow_table()


def open_db(db: str | os.PathLike[str]) -> Database:
    return Database(Store.open(db, read_only=True))
