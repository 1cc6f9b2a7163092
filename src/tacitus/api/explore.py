"""The explorer's read queries over a store (the Python API the web app calls): small, parameterised.

``Database.explorer(cursor)`` returns an :class:`Explorer`: paged answers as plain JSON-ready values (dicts,
lists, strings, numbers), for the web app (which lends each request a cursor) and for scripts alike.
Filters are bound as parameters, never formatted into SQL; the only SQL assembled from pieces is the
fixed filter text chosen here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from tacitus.corpus.disputes import contested_sql

#: PLOVER quad classes, in the order the front end lists them.
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
COOPERATION = ("verbal cooperation", "material cooperation")
CONFLICT = ("verbal conflict", "material conflict")


@dataclass(frozen=True)
class EventFilter:
    """What the explorer's shared filter bar selects. Dates are ISO prefixes ("2021", "2021-07")."""

    actor: str | None = None
    since: str | None = None
    until: str | None = None
    quads: tuple[str, ...] = ()
    type: str | None = None
    include_negated: bool = True

    def where(self, alias: str = "e") -> tuple[str, list[Any]]:
        """SQL condition over the events aliased ``alias`` and its parameters. An event with a partial
        date ("1979") is in any range it overlaps; undated events are out as soon as a range is set."""
        parts, params = ["TRUE"], []
        if self.actor:
            parts.append(f"({alias}.source_actor_id = ? OR {alias}.target_actor_id = ?)")
            params += [self.actor, self.actor]
        if self.since:
            parts.append(f"({alias}.date IS NOT NULL AND {alias}.date >= left(?, length({alias}.date)))")
            params.append(self.since)
        if self.until:
            parts.append(f"({alias}.date IS NOT NULL AND left({alias}.date, length(?)) <= ?)")
            params += [self.until, self.until]
        if self.quads:
            parts.append(f"list_contains(?, {alias}.quad)")
            params.append(list(self.quads))
        if self.type:
            parts.append(f"{alias}.type = ?")
            params.append(self.type.upper())
        if not self.include_negated:
            parts.append(f"NOT coalesce({alias}.negated, FALSE)")
        return " AND ".join(parts), params


def rows(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cur.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def one(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
    found = rows(cur, sql, params)
    return found[0] if found else None


def scalar(cur: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None) -> Any:
    row = cur.execute(sql, params or []).fetchone()
    return row[0] if row else None


def table_exists(cur: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(scalar(cur, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


# -- overview ---------------------------------------------------------------------------------------

SUMMARY_TABLES = ("articles", "actors", "mentions", "events", "quotes", "places", "timexes", "counts", "claims",
                  "disputes")


# -- actors -----------------------------------------------------------------------------------------

_ACTOR_ACTIVITY = """
    SELECT a.id, a.name, a.code, a.kind, a.country, a.sector, a.mention_count,
           coalesce(ev.n, 0) AS events
    FROM actors a
    LEFT JOIN (SELECT id, count(*) AS n FROM (
                 SELECT source_actor_id AS id FROM events WHERE source_actor_id IS NOT NULL
                 UNION ALL SELECT target_actor_id FROM events WHERE target_actor_id IS NOT NULL) GROUP BY 1) ev
      ON ev.id = a.id
"""


# -- network ----------------------------------------------------------------------------------------

# -- events, timeline and map -----------------------------------------------------------------------

_EVENT_COLUMNS = """
    e.id, e.article_id, e.type, e.mode, e.quad, e.intensity, e.date, e.date_precision, e.date_source,
    e.negated, e.hedged, e.future, e.historical, e.place, e.trigger, e.confidence, e.sentence, e.start, e."end",
    e.source, e.target, e.source_actor_id, e.target_actor_id, e.source_text, e.target_text, e.reported_by, e.claim,
    sa.name AS source_name, ta.name AS target_name,
    ar.title AS article_title, ar.published AS article_published, ar.outlet AS article_outlet,
    substr(ar.text, s.start + 1, s."end" - s.start) AS sentence_text,
    e.cluster_id, cl.mentions AS cluster_mentions, cl.articles AS cluster_articles, cl.outlets AS cluster_outlets,
    cl.outlet_names AS cluster_outlet_names, cas.fatalities, cas.wounded, cas.casualty_text
"""
#: Fatalities and wounded per event, as ACLED shows them: each count of the killed or the wounded goes to one
#: material-conflict event of its own sentence: the nearest (by characters) whose trigger is not
#: itself the verb of a casualty count ("attacked a checkpoint, killing 12 soldiers and wounding 9": both go
#: to "attacked", not to "killing" and "wounding"), else the nearest. One event each, so a sentence with
#: several verbs for one attack counts its dead once. A count with no such event is no event's (on MUC-3/4
#: development stories most killed counts are: "four people were killed" names no actor, so no event is
#: made; ``tacitus eval counts`` measures it. Taking the sentence before as well was measured: no count
#: more found, precision lower, so it is not done).
CASUALTIES_SQL = """
    SELECT event_id, sum(number) FILTER (WHERE category = 'killed') AS fatalities,
           sum(number) FILTER (WHERE category = 'wounded') AS wounded,
           list(text ORDER BY start) AS casualty_text
    FROM (SELECT c.category, c.number, c.text, c.start, e.id AS event_id,
                 row_number() OVER (PARTITION BY c.id ORDER BY
                     EXISTS (SELECT 1 FROM counts k WHERE k.article_id = e.article_id AND k.sentence = e.sentence
                             AND k.category IN ('killed', 'wounded') AND e.start >= k.start AND e.start < k."end"),
                     abs(e.start - c.start), e.start) AS rank
          FROM counts c JOIN events e ON e.article_id = c.article_id AND e.sentence = c.sentence
          WHERE c.category IN ('killed', 'wounded') AND c.number IS NOT NULL AND e.quad = 'material conflict')
    WHERE rank = 1 GROUP BY 1
"""

_EVENT_JOINS = f"""
    LEFT JOIN ({CASUALTIES_SQL}) cas ON cas.event_id = e.id
    LEFT JOIN actors sa ON sa.id = e.source_actor_id
    LEFT JOIN actors ta ON ta.id = e.target_actor_id
    JOIN articles ar ON ar.id = e.article_id
    LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence = e.sentence
    LEFT JOIN event_clusters cl ON cl.id = e.cluster_id
"""


_BRIEF_COLUMNS = """
    e.id, e.article_id, e.type, e.quad, e.date, e.negated, e.historical, e.source, e.target,
    e.source_actor_id, e.target_actor_id, e.source_text, e.target_text,
    sa.name AS source_name, ta.name AS target_name, e.cluster_id, cl.articles AS cluster_articles, cas.fatalities
"""


def _one_per_cluster(alias: str) -> str:
    """A QUALIFY clause keeping one row per cross-article cluster of the table ``alias`` (events or
    quotes, joined with ``articles ar``): its earliest-published report. ``alias`` is ours, not a user's."""
    return f"""QUALIFY row_number() OVER (PARTITION BY coalesce({alias}.cluster_id, {alias}.id)
                                         ORDER BY ar.published NULLS LAST, {alias}.article_id, {alias}.start) = 1"""


def date_span_sql(since: str | None, until: str | None, start: str, end: str) -> tuple[str, list[Any]]:
    """SQL keeping rows whose dates (ISO text or prefixes, from ``start`` to ``end``) overlap [since,
    until], with the same prefix semantics as the events' filter; a row without a date is out as soon as
    a bound is set. ``start`` and ``end`` are our column expressions, never a user's."""
    parts, params = [], []
    if since:
        parts.append(f"({end} IS NOT NULL AND {end} >= left(?, length({end})))")
        params.append(since)
    if until:
        parts.append(f"({start} IS NOT NULL AND left({start}, length(?)) <= ?)")
        params += [until, until]
    return (" AND ".join(parts) or "TRUE"), params


def _count(cur, table: str, alias: str, where: str, qualify: str, params: list) -> int:
    """How many rows of ``table`` (with its articles) ``where`` and ``qualify`` keep."""
    return scalar(cur, f"""SELECT count(*) FROM (SELECT {alias}.id FROM {table} {alias}
                           JOIN articles ar ON ar.id = {alias}.article_id WHERE {where} {qualify})""", params)


# -- quotes, claims, disputes -----------------------------------------------------------------------

_CLAIM_COLUMNS = """
    c.id, c.article_id, c.quote_id, c.stance, c.claimant, c.claimant_actor_id, c.claimant_code, c.subject,
    c.subject_actor_id, c.subject_code, c.relation, c.object, c.object_actor_id, c.object_code, c.proposition,
    c.text, c.cue, c.date, c.sentence, c.start, c."end",
    ar.title AS article_title, ar.published AS article_published, ar.outlet AS article_outlet
"""


# -- articles -----------------------------------------------------------------------------------------

# -- search -------------------------------------------------------------------------------------------

def snippet(text: str, q: str, width: int = 90) -> str:
    at = text.lower().find(q.lower())
    if at < 0:
        return text[: 2 * width].strip()
    start, end = max(0, at - width), min(len(text), at + len(q) + width)
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def fts_installed(cur) -> bool:
    """Whether DuckDB's full-text extension is installed locally (nothing is downloaded: autoinstall is off)."""
    try:
        return bool(scalar(cur, "SELECT installed FROM duckdb_extensions() WHERE extension_name = 'fts'"))
    except duckdb.Error:
        return False


class FullText:
    """A BM25 index of article titles and texts in a private in-memory database (the store itself is opened
    read-only, and ``PRAGMA create_fts_index`` writes). Built once, on first use."""

    def __init__(self, cur):
        import threading

        from tacitus.store.db import DUCKDB_CONFIG

        self._lock = threading.Lock()
        self._con = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
        self._con.execute("LOAD fts")
        with cur.cursor() as own:
            docs = own.sql("SELECT id, coalesce(title, '') AS title, text FROM articles WHERE text IS NOT NULL").to_arrow_table()
        self._con.register("source_docs", docs)
        self._con.execute("CREATE TABLE docs AS SELECT * FROM source_docs")
        self._con.unregister("source_docs")
        self._con.execute("PRAGMA create_fts_index('docs', 'id', 'title', 'text')")

    def search(self, q: str, limit: int) -> list[tuple[str, float]] | None:
        try:
            with self._lock:
                return self._con.execute(
                    """SELECT id, score FROM (SELECT id, fts_main_docs.match_bm25(id, ?) AS score FROM docs)
                       WHERE score IS NOT NULL ORDER BY score DESC, id LIMIT ?""", [q, limit]).fetchall()
        except duckdb.Error:
            return None

    def close(self) -> None:
        self._con.close()


class Explorer:
    """The explorer's read queries, as pages of JSON-ready values (dicts, lists, strings, numbers), over one
    cursor of a store (``Database.explorer()``; the web app passes the cursor it lends each request). Every
    filter is bound as a parameter; the only SQL assembled from pieces is fixed text chosen here."""

    def __init__(self, database: Any):
        """``database``: a :class:`tacitus.api.reader.Database` (its connection or a cursor of it)."""
        self.database = database
        self.cur = database.store.con

    def summary(self) -> dict[str, Any]:
        present = {r["table_name"] for r in rows(self.cur, "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'")}
        here = [name for name in SUMMARY_TABLES if name in present]
        # one UNION ALL of plain counts (scalar subqueries in one SELECT took 20 ms on the demo store, this 1 ms)
        found = {r["name"]: r["n"] for r in rows(self.cur, " UNION ALL ".join(
            f"SELECT '{name}' AS name, count(*) AS n FROM {name}" for name in here))} if here else {}
        counts = {name: int(found.get(name) or 0) for name in SUMMARY_TABLES}
        statuses = {r["status"]: r["n"] for r in rows(self.cur, "SELECT status, count(*) AS n FROM articles GROUP BY 1 ORDER BY 2 DESC")}
        dates = one(self.cur, "SELECT min(date) AS first, max(date) AS last FROM events WHERE date IS NOT NULL") or {}
        types = [r["type"] for r in rows(self.cur, "SELECT type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")]
        return {"counts": counts, "articles_by_status": statuses, "first_event": dates.get("first"),
                "last_event": dates.get("last"), "quads": list(QUADS), "event_types": [t for t in types if t]}

    def actors(self, q: str | None, limit: int, offset: int) -> dict[str, Any]:
        where, params = "TRUE", []
        if q:
            where = ("(strpos(lower(a.name), lower(?)) > 0 OR strpos(lower(coalesce(a.code, '')), lower(?)) > 0 "
                     "OR strpos(lower(array_to_string(coalesce(a.aliases, []), '|')), lower(?)) > 0)")
            params = [q, q, q]
        total = scalar(self.cur, f"SELECT count(*) FROM actors a WHERE {where}", params)
        items = rows(self.cur, f"{_ACTOR_ACTIVITY} WHERE {where} ORDER BY events DESC, a.mention_count DESC, a.name, a.id "
                          "LIMIT ? OFFSET ?", params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def actor(self, actor_id: str) -> dict[str, Any] | None:
        found = one(self.cur, f"{_ACTOR_ACTIVITY} WHERE a.id = ?", [actor_id])
        if found is None:
            return None
        found["aliases"] = scalar(self.cur, "SELECT aliases FROM actors WHERE id = ?", [actor_id]) or []
        found["roles"] = rows(self.cur, """SELECT r.title, r.organisation, r.code, r.date, r.text, r.article_id,
                                             a.title AS article_title
                                      FROM roles r LEFT JOIN articles a ON a.id = r.article_id
                                      WHERE r.actor_id = ? ORDER BY r.date NULLS LAST, r.title LIMIT 50""", [actor_id])
        found["by_quad"] = rows(self.cur, """SELECT quad, count(*) FILTER (WHERE source_actor_id = ?) AS as_source,
                                              count(*) FILTER (WHERE target_actor_id = ?) AS as_target
                                       FROM events WHERE source_actor_id = ? OR target_actor_id = ?
                                       GROUP BY 1 ORDER BY 1""", [actor_id] * 4)
        found["partners"] = rows(self.cur, """
            SELECT p.id, p.name, p.code, count(*) AS events,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS cooperation,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS conflict
            FROM events e
            JOIN actors p ON p.id = CASE WHEN e.source_actor_id = ? THEN e.target_actor_id ELSE e.source_actor_id END
            WHERE (e.source_actor_id = ? OR e.target_actor_id = ?) AND e.source_actor_id <> e.target_actor_id
            GROUP BY ALL ORDER BY events DESC, p.name LIMIT 15""",
            [list(COOPERATION), list(CONFLICT), actor_id, actor_id, actor_id])
        found["quotes"] = scalar(self.cur, "SELECT count(*) FROM quotes WHERE speaker_actor_id = ?", [actor_id])
        found["articles"] = scalar(self.cur, "SELECT count(DISTINCT article_id) FROM mentions WHERE actor_id = ?", [actor_id])
        return found

    def network(self, flt: EventFilter, max_edges: int, min_events: int) -> dict[str, Any]:
        """Actors as nodes (sized by their events in the selection), directed source -> target edges with
        how many events, how many cooperative and conflictual, and the mean intensity (-10..+10)."""
        where, params = flt.where("e")
        edges = rows(self.cur, f"""
            SELECT e.source_actor_id AS source, e.target_actor_id AS target, count(*) AS events,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS cooperation,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS conflict,
                   round(avg(e.intensity), 2) AS intensity,
                   list(DISTINCT e.type ORDER BY e.type) AS types,
                   min(e.date) AS first_date, max(e.date) AS last_date
            FROM events e
            WHERE e.source_actor_id IS NOT NULL AND e.target_actor_id IS NOT NULL
              AND e.source_actor_id <> e.target_actor_id AND {where}
            GROUP BY 1, 2 HAVING count(*) >= ?
            ORDER BY events DESC, source, target LIMIT ?""",
            [list(COOPERATION), list(CONFLICT)] + params + [min_events, max_edges])
        ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
        if flt.actor and flt.actor not in ids:
            ids.append(flt.actor)
        nodes = []
        if ids:
            nodes = rows(self.cur, f"""
                SELECT a.id, a.name, a.code, a.kind, a.mention_count,
                       count(e.id) AS events,
                       count(e.id) FILTER (WHERE list_contains(?, e.quad)) AS cooperation,
                       count(e.id) FILTER (WHERE list_contains(?, e.quad)) AS conflict
                FROM actors a
                LEFT JOIN events e ON (e.source_actor_id = a.id OR e.target_actor_id = a.id) AND {where}
                WHERE list_contains(?, a.id)
                GROUP BY ALL ORDER BY events DESC, a.name""",
                [list(COOPERATION), list(CONFLICT)] + params + [ids])
        for edge in edges:
            edge["id"] = f"{edge['source']}->{edge['target']}"
        return {"nodes": nodes, "edges": edges, "truncated": len(edges) == max_edges}

    def events(self, flt: EventFilter, dated_only: bool, limit: int, offset: int, merged: bool = False,
               brief: bool = False) -> dict[str, Any]:
        """Events in date order. ``merged`` keeps one event per cross-article cluster (the same event told by
        several articles, see ``tacitus clusters``): its earliest-published report. ``brief`` returns only
        what a timeline draws (``event`` has the rest)."""
        where, params = flt.where("e")
        if dated_only:
            where += " AND e.date IS NOT NULL"
        one_per_cluster = _one_per_cluster("e") if merged else ""
        total = _count(self.cur, "events", "e", where, one_per_cluster, params)
        columns = _BRIEF_COLUMNS if brief else _EVENT_COLUMNS
        items = rows(self.cur, f"""SELECT {columns} FROM events e {_EVENT_JOINS} WHERE {where} {one_per_cluster}
                              ORDER BY e.date NULLS LAST, e.article_id, e.start, e.id LIMIT ? OFFSET ?""",
                     params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "items": items}

    def event(self, event_id: str) -> dict[str, Any] | None:
        return one(self.cur, f"SELECT {_EVENT_COLUMNS} FROM events e {_EVENT_JOINS} WHERE e.id = ?", [event_id])

    def event_map(self, flt: EventFilter, limit: int, items_per_place: int = 50) -> dict[str, Any]:
        """Events placed on the map: each at the resolved location (not a capital acting as a government)
        named in its own sentence, the one closest to the event's trigger. Grouped by location, with the
        first ``items_per_place`` events of each (in date order; ``events`` counts them all)."""
        where, params = flt.where("e")
        located = rows(self.cur, f"""
            WITH hits AS (
                SELECT e.id AS event_id, p.name AS place, p.country, p.latitude, p.longitude,
                       row_number() OVER (PARTITION BY e.id ORDER BY abs(p.start - e.start), p.start) AS rank
                FROM events e
                JOIN places p ON p.article_id = e.article_id AND p.sentence = e.sentence
                WHERE p.latitude IS NOT NULL AND p.longitude IS NOT NULL AND NOT coalesce(p.is_actor, FALSE)
                  AND {where})
            SELECT h.place, h.country, h.latitude, h.longitude, count(*) AS events,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS cooperation,
                   count(*) FILTER (WHERE list_contains(?, e.quad)) AS conflict,
                   list_slice(list(struct_pack(id := e.id, date := e.date, type := e.type, quad := e.quad,
                                    source := coalesce(e.source.name, e.source_text), target := coalesce(e.target.name, e.target_text),
                                    source_actor_id := e.source_actor_id, target_actor_id := e.target_actor_id,
                                    article_id := e.article_id)
                        ORDER BY e.date NULLS LAST, e.id), 1, ?) AS items
            FROM hits h JOIN events e ON e.id = h.event_id
            WHERE h.rank = 1
            GROUP BY 1, 2, 3, 4 ORDER BY events DESC, place LIMIT ?""",
            params + [list(COOPERATION), list(CONFLICT), items_per_place, limit])
        total = scalar(self.cur, f"SELECT count(*) FROM events e WHERE {where}", params)
        placed = sum(p["events"] for p in located)
        return {"points": located, "events": total, "placed": placed}

    def dyad(self, a: str, b: str, by: str, since: str | None, until: str | None) -> dict[str, Any]:
        """The corpus view's dyad (``Database.dyad``: merged events per period, cooperation and conflict,
        intensity, tone of the sentences naming both) as JSON-ready periods."""
        import json

        frame = self.database.dyad(a, b, by=by, since=since, until=until)
        return {"a": a, "b": b, "by": by, "periods": json.loads(frame.to_json(orient="records"))}

    def quotes(self, actor: str | None, q: str | None, kind: str | None, limit: int, offset: int,
               merged: bool = False, since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Quotes in publication order with speaker, role and article. ``actor`` keeps those the actor spoke or
        that name it; ``merged`` one quote per cross-article cluster (the same words reported by several
        articles): its earliest-published report, with how many articles and which outlets carried it.
        ``since``/``until`` keep quotes whose article was published in the range; ``undated`` counts those
        left out for having no publication date."""
        parts, params = ["TRUE"], []
        if actor:
            parts.append("""(qu.speaker_actor_id = ? OR EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = qu.article_id
                             AND m.actor_id = ? AND m.start >= qu.start AND m."end" <= qu."end"))""")
            params += [actor, actor]
        if q:
            parts.append("(strpos(lower(qu.text), lower(?)) > 0 OR strpos(lower(coalesce(qu.speaker, '')), lower(?)) > 0)")
            params += [q, q]
        if kind:
            parts.append("qu.kind = ?")
            params.append(kind)
        where = " AND ".join(parts)
        one_per_cluster = _one_per_cluster("qu") if merged else ""
        undated = 0
        if since or until:
            undated = _count(self.cur, "quotes", "qu", f"{where} AND ar.published IS NULL", one_per_cluster, params)
            dates, dparams = date_span_sql(since, until, "ar.published", "ar.published")
            where, params = f"{where} AND {dates}", params + dparams
        total = _count(self.cur, "quotes", "qu", where, one_per_cluster, params)
        items = rows(self.cur, f"""
            SELECT qu.id, qu.article_id, qu.text, qu.speaker, qu.speaker_actor_id, qu.speaker_role, qu.speaker_code,
                   qu.speaker_kind, qu.kind, qu.cue, qu.partial, qu.start, qu."end", qu.sentence,
                   sa.name AS speaker_name, sa.code AS speaker_actor_code,
                   ar.title AS article_title, ar.published AS article_published, ar.outlet AS article_outlet,
                   qu.cluster_id, qc.articles AS cluster_articles, qc.outlet_names AS cluster_outlet_names
            FROM quotes qu
            LEFT JOIN actors sa ON sa.id = qu.speaker_actor_id
            JOIN articles ar ON ar.id = qu.article_id
            LEFT JOIN quote_clusters qc ON qc.id = qu.cluster_id
            WHERE {where} {one_per_cluster}
            ORDER BY ar.published NULLS LAST, qu.article_id, qu.start, qu.id LIMIT ? OFFSET ?""", params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "undated": undated, "items": items}

    def disputes(self, actor: str | None, q: str | None, contested: bool, limit: int, offset: int,
                 since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Disputes, the contested ones (alleged and denied) first; ``actor`` keeps those where the actor makes
        one of the claims or is the subject or object; ``q`` looks in the proposition and every name and code
        on the card (subject, object, who alleges, denies, confirms); ``since``/``until`` keep disputes whose
        claims' dates overlap the range (``undated``: those left out for having no date)."""
        parts, params = ["TRUE"], []
        if contested:
            parts.append(contested_sql("d"))
        if actor:
            parts.append("""(EXISTS (SELECT 1 FROM claims c WHERE list_contains(d.claim_ids, c.id)
                              AND (c.claimant_actor_id = ? OR c.subject_actor_id = ? OR c.object_actor_id = ?))
                            OR d.subject_code = (SELECT code FROM actors WHERE id = ?)
                            OR d.object_code = (SELECT code FROM actors WHERE id = ?))""")
            params += [actor] * 5
        if q:
            parts.append("""strpos(lower(concat_ws(' | ', d.proposition, d.subject, d.subject_code, d.object, d.object_code,
                                                   array_to_string(coalesce(d.alleged_by, []), ' | '),
                                                   array_to_string(coalesce(d.denied_by, []), ' | '),
                                                   array_to_string(coalesce(d.confirmed_by, []), ' | '))), lower(?)) > 0""")
            params.append(q)
        where, params, undated = self._dated("disputes d", " AND ".join(parts), params, since, until,
                                             "d.first_date", "d.last_date")
        total = scalar(self.cur, f"SELECT count(*) FROM disputes d WHERE {where}", params)
        items = rows(self.cur, f"""SELECT d.*, {contested_sql("d")} AS contested FROM disputes d
                              WHERE {where}
                              ORDER BY contested DESC, d.claims DESC NULLS LAST, d.first_date NULLS LAST, d.id
                              LIMIT ? OFFSET ?""",
                     params + [limit, offset])
        claims = self.dispute_claims([cid for item in items for cid in item.get("claim_ids") or []])
        by_id = {c["id"]: c for c in claims}
        order = {c["id"]: i for i, c in enumerate(claims)}
        for item in items:  # one query for every dispute's claims (was one query per dispute)
            ids = sorted({cid for cid in item.get("claim_ids") or [] if cid in by_id}, key=order.__getitem__)
            item["claim_list"] = [by_id[cid] for cid in ids]
        return {"total": total, "limit": limit, "offset": offset, "undated": undated, "items": items}

    def _dated(self, table: str, where: str, params: list, since: str | None, until: str | None, start: str,
               end: str) -> tuple[str, list, int]:
        """``where`` narrowed to the rows of ``table`` (ours, with its alias) whose dates from ``start`` to
        ``end`` overlap [since, until], and how many rows it left out for having no date."""
        if not (since or until):
            return where, params, 0
        undated = scalar(self.cur, f"SELECT count(*) FROM {table} WHERE {where} AND {start} IS NULL", params)
        dates, dparams = date_span_sql(since, until, start, end)
        return f"{where} AND {dates}", params + dparams, undated

    def dispute(self, dispute_id: str) -> dict[str, Any] | None:
        found = one(self.cur, f"""SELECT *, {contested_sql()} AS contested FROM disputes
                            WHERE id = ?""", [dispute_id])
        if found is not None:
            found["claim_list"] = self.dispute_claims(found.get("claim_ids") or [])
        return found

    def dispute_claims(self, claim_ids: list[str]) -> list[dict[str, Any]]:
        if not claim_ids:
            return []
        return rows(self.cur, f"""SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles ar ON ar.id = c.article_id
                             WHERE list_contains(?, c.id) ORDER BY c.date NULLS LAST, ar.published NULLS LAST, c.id""",
                    [list(claim_ids)])

    def articles(self, actor: str | None, q: str | None, status: str | None, limit: int, offset: int,
                 since: str | None = None, until: str | None = None) -> dict[str, Any]:
        """Articles in publication order; ``since``/``until`` keep those published in the range (``undated``:
        those left out for having no publication date)."""
        parts, params = ["TRUE"], []
        if actor:
            parts.append("EXISTS (SELECT 1 FROM mentions m WHERE m.article_id = ar.id AND m.actor_id = ?)")
            params.append(actor)
        if q:
            parts.append("(strpos(lower(coalesce(ar.title, '')), lower(?)) > 0 OR strpos(lower(coalesce(ar.text, '')), lower(?)) > 0)")
            params += [q, q]
        if status:
            parts.append("ar.status = ?")
            params.append(status)
        where, params, undated = self._dated("articles ar", " AND ".join(parts), params, since, until,
                                             "ar.published", "ar.published")
        total = scalar(self.cur, f"SELECT count(*) FROM articles ar WHERE {where}", params)
        items = rows(self.cur, f"""
            SELECT ar.id, ar.title, ar.published, ar.outlet, ar.author, ar.status, ar.language, ar.word_count, ar.tone,
                   ar.source_path, ar.duplicate_of,
                   (SELECT count(*) FROM events e WHERE e.article_id = ar.id) AS events,
                   (SELECT count(*) FROM quotes qu WHERE qu.article_id = ar.id) AS quotes
            FROM articles ar WHERE {where}
            ORDER BY ar.published NULLS LAST, ar.title, ar.id LIMIT ? OFFSET ?""", params + [limit, offset])
        return {"total": total, "limit": limit, "offset": offset, "undated": undated, "items": items}

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One article with its text and every extraction, each with its character offsets into the text."""
        found = one(self.cur, """SELECT id, title, published, published_precision, outlet, author, dateline, url, source_path,
                                   language, status, error, duplicate_of, similarity, word_count, tone, text
                            FROM articles WHERE id = ?""", [article_id])
        if found is None:
            return None
        a = [article_id]
        found["mentions"] = rows(self.cur, """SELECT m.id, m.text, m.start, m."end", m.sentence, m.actor_id, ac.name AS actor_name,
                                                ac.code AS actor_code, ac.kind AS actor_kind
                                         FROM mentions m LEFT JOIN actors ac ON ac.id = m.actor_id
                                         WHERE m.article_id = ? ORDER BY m.start, m."end" DESC""", a)
        found["events"] = rows(self.cur, f"""SELECT {_EVENT_COLUMNS} FROM events e {_EVENT_JOINS}
                                        WHERE e.article_id = ? ORDER BY e.start""", a)
        found["quotes"] = rows(self.cur, """SELECT qu.id, qu.text, qu.speaker, qu.speaker_actor_id, qu.speaker_role, qu.kind, qu.cue,
                                              qu.start, qu."end", qu.sentence, sa.name AS speaker_name
                                       FROM quotes qu LEFT JOIN actors sa ON sa.id = qu.speaker_actor_id
                                       WHERE qu.article_id = ? ORDER BY qu.start""", a)
        found["places"] = rows(self.cur, """SELECT id, text, name, country, latitude, longitude, resolved, is_actor, start, "end", sentence
                                       FROM places WHERE article_id = ? ORDER BY start""", a)
        found["timexes"] = rows(self.cur, """SELECT id, text, value, precision, type, start, "end", sentence
                                        FROM timexes WHERE article_id = ? ORDER BY start""", a)
        found["counts"] = rows(self.cur, """SELECT id, text, number, category, object, approximate, place, start, "end", sentence
                                       FROM counts WHERE article_id = ? ORDER BY start""", a)
        found["roles"] = rows(self.cur, """SELECT r.id, r.text, r.title, r.organisation, r.code, r.date, r.actor_id, ac.name AS actor_name,
                                             r.start, r."end", r.sentence
                                      FROM roles r LEFT JOIN actors ac ON ac.id = r.actor_id
                                      WHERE r.article_id = ? ORDER BY r.start""", a)
        found["claims"] = rows(self.cur, f"""SELECT {_CLAIM_COLUMNS} FROM claims c JOIN articles ar ON ar.id = c.article_id
                                        WHERE c.article_id = ? ORDER BY c.start""", a)
        return found

    def search(self, q: str, limit: int, fulltext: "FullText | None" = None) -> dict[str, Any]:
        """Actors whose name, code or alias matches, and articles: ranked by BM25 when the DuckDB ``fts``
        extension is installed (``fulltext``), else a case-insensitive substring match ranked by hits."""
        found_actors = self.actors(q, limit, 0)["items"]
        if fulltext is not None:
            ranked = fulltext.search(q, limit)
            if ranked is not None:
                hits = rows(self.cur, """SELECT id, title, published, outlet, text FROM articles WHERE list_contains(?, id)""",
                            [[r[0] for r in ranked]])
                order = {r[0]: (i, r[1]) for i, r in enumerate(ranked)}
                hits.sort(key=lambda h: order[h["id"]][0])
                for hit in hits:
                    hit["score"] = order[hit["id"]][1]
                    hit["snippet"] = snippet(hit.pop("text") or "", q)
                return {"engine": "fts", "actors": found_actors, "articles": hits}
        hits = rows(self.cur, """
            SELECT id, title, published, outlet, text,
                   (strpos(lower(coalesce(title, '')), lower(?)) > 0)::INT * 10
                   + (length(text) - length(replace(lower(text), lower(?), ''))) / greatest(length(?), 1) AS score
            FROM articles
            WHERE text IS NOT NULL AND (strpos(lower(coalesce(title, '')), lower(?)) > 0 OR strpos(lower(text), lower(?)) > 0)
            ORDER BY score DESC, published NULLS LAST, id LIMIT ?""", [q, q, q, q, q, limit])
        for hit in hits:
            hit["snippet"] = snippet(hit.pop("text") or "", q)
        return {"engine": "substring", "actors": found_actors, "articles": hits}

    # -- trends ------------------------------------------------------------------------------------

    def trends(self, flt: EventFilter, by: str = "month", merged: bool = True) -> dict[str, Any]:
        """Event volume, mean tone (of the event's sentence) and mean intensity per period (``by``: day, month
        or year) for the selection, in all and per quad class. ``merged`` counts an event told by several
        articles once (its earliest-published report). ``undated``: events of the selection (its date
        range aside) without a date; ``coarser``: dated events whose date is coarser than the period
        ("2021" by month), left out of the periods and counted here."""
        width = {"day": 10, "month": 7, "year": 4}[by]
        where, params = flt.where("e")
        one_per_cluster = _one_per_cluster("e") if merged else ""
        selected = f"""SELECT e.id, e.date, e.quad, e.intensity, s.tone, cas.fatalities FROM events e
                       JOIN articles ar ON ar.id = e.article_id
                       LEFT JOIN ({CASUALTIES_SQL}) cas ON cas.event_id = e.id
                       LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence = e.sentence
                       WHERE {where} {one_per_cluster}"""
        found = rows(self.cur, f"""
            WITH sel AS ({selected})
            SELECT left(date, {width}) AS period, quad, count(*) AS events,
                   round(avg(intensity), 2) AS intensity, round(avg(tone), 3) AS tone,
                   sum(fatalities) AS fatalities
            FROM sel WHERE date IS NOT NULL AND length(date) >= {width}
            GROUP BY GROUPING SETS ((1), (1, 2)) ORDER BY 1, 2 NULLS FIRST""", params)
        periods: dict[str, dict[str, Any]] = {}
        for r in found:
            if r["quad"] is None:
                periods[r["period"]] = {"period": r["period"], "events": r["events"], "intensity": r["intensity"],
                                        "tone": r["tone"], "fatalities": r["fatalities"] or 0, "by_quad": {}}
            elif r["period"] in periods:
                periods[r["period"]]["by_quad"][r["quad"]] = {"events": r["events"], "intensity": r["intensity"],
                                                              "tone": r["tone"]}
        counts = one(self.cur, f"""WITH sel AS ({selected})
                                  SELECT count(*) AS total,
                                         count(*) FILTER (WHERE date IS NOT NULL AND length(date) < {width}) AS coarser
                                  FROM sel""", params) or {}
        undated = 0
        undated_flt = EventFilter(**{**flt.__dict__, "since": None, "until": None})
        uwhere, uparams = undated_flt.where("e")
        undated = scalar(self.cur, f"""SELECT count(*) FROM (SELECT e.id FROM events e JOIN articles ar ON ar.id = e.article_id
                                      WHERE {uwhere} AND e.date IS NULL {one_per_cluster})""", uparams)
        return {"by": by, "merged": merged, "total": counts.get("total", 0), "coarser": counts.get("coarser", 0),
                "undated": undated, "quads": list(QUADS), "periods": list(periods.values())}

    # -- tables ------------------------------------------------------------------------------------

    def _columns(self) -> dict[str, dict[str, str]]:
        """{table: {column: DuckDB type}} of the browsable tables, from the catalog (no table is read)."""
        out: dict[str, dict[str, str]] = {}
        for c in rows(self.cur, """SELECT table_name, column_name, data_type FROM duckdb_columns()
                                   WHERE schema_name = 'main' AND database_name = current_database()
                                   ORDER BY table_name, column_index"""):
            if c["table_name"] in _BROWSABLE:
                out.setdefault(c["table_name"], {})[c["column_name"]] = c["data_type"]
        return out

    def tables(self) -> list[dict[str, Any]]:
        """The store's tables with their row counts and columns (name and DuckDB type)."""
        columns = self._columns()
        names = list(columns)
        sizes = {r["name"]: r["n"] for r in rows(self.cur, " UNION ALL ".join(
            f"SELECT '{n}' AS name, count(*) AS n FROM \"{n}\"" for n in names))} if names else {}
        return [{"name": n, "rows": int(sizes.get(n, 0)),
                 "columns": [{"name": c, "type": k} for c, k in columns[n].items()]}
                for n in sorted(names, key=_BROWSABLE.index)]

    def _table_query(self, table: str, filters: list[tuple[str, str, str | None]], sort: str | None,
                     desc: bool) -> tuple[str, list[Any], str, dict[str, str], list[str]]:
        found = self._columns()  # the catalog only: a page does not count the rows of every table
        if table not in found:
            raise TableError(f"no table {table!r}; the store has: {', '.join(sorted(found, key=_BROWSABLE.index))}")
        types = found[table]
        parts, params, problems = [], [], []
        for column, op, value in filters:
            if column not in types:
                raise TableError(f"{table} has no column {column!r}")
            if op not in FILTER_OPS:
                raise TableError(f"unknown filter {op!r}; use one of: {', '.join(FILTER_OPS)}")
            col, kind = _ident(column), types[column]
            if op in ("null", "notnull"):
                parts.append(f"{col} IS {'NOT ' if op == 'notnull' else ''}NULL")
                continue
            if value is None:
                raise TableError(f"filter {column}:{op} needs a value")
            if op == "contains":
                parts.append(f"strpos(lower(CAST({col} AS VARCHAR)), lower(?)) > 0")
                params.append(value)
            elif op == "startswith":
                parts.append(f"starts_with(lower(CAST({col} AS VARCHAR)), lower(?))")
                params.append(value)
            else:
                if not _scalar_type(kind):
                    raise TableError(f"{column} is a {kind}: filter it with contains, null or notnull")
                if kind != "VARCHAR" and self.cur.execute(f"SELECT TRY_CAST(? AS {kind}) IS NULL", [value]).fetchone()[0]:
                    problems.append(f"{column} holds {kind} values and {value!r} is not one: "
                                    f"the filter {column}:{op} matches nothing")
                    parts.append("FALSE")
                    continue
                parts.append(f"{col} {FILTER_OPS[op]} CAST(? AS {kind})")
                params.append(value)
        if sort is not None and sort not in types:
            raise TableError(f"{table} has no column {sort!r} to sort by")
        where = " AND ".join(parts) or "TRUE"
        order = f"{_ident(sort)} {'DESC' if desc else 'ASC'} NULLS LAST" if sort else "rowid"
        return where, params, order, types, problems

    def table_page(self, table: str, filters: list[tuple[str, str, str | None]] = (), sort: str | None = None,
                   desc: bool = False, facets: tuple[str, ...] | list[str] = (), limit: int = 50, offset: int = 0,
                   cell_chars: int = 300) -> dict[str, Any]:
        """One page of any table of the store: ``filters`` as (column, op, value) with op one of
        :data:`FILTER_OPS` (values bound as parameters and cast to the column's type), sorted by one column,
        with the ten commonest values (and their counts, under the same filters) of each ``facets`` column.
        Text longer than ``cell_chars`` is cut in the page (the CSV has it whole). A value that is not of its
        column's type makes its filter match nothing, and ``problems`` says so; an unknown table or column
        raises :class:`TableError`."""
        where, params, order, types, problems = self._table_query(table, list(filters), sort, desc)
        t = _ident(table)
        total = scalar(self.cur, f"SELECT count(*) FROM {t} WHERE {where}", params)
        select = ", ".join(f"left({_ident(c)}, {int(cell_chars)}) AS {_ident(c)}" if k == "VARCHAR" else _ident(c)
                           for c, k in types.items())
        items = rows(self.cur, f"SELECT {select} FROM {t} WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?",
                     params + [limit, offset])
        out_facets = []
        for column in dict.fromkeys(facets):
            if column not in types:
                raise TableError(f"{table} has no column {column!r} to facet by")
            value = _ident(column) if _scalar_type(types[column]) else f"CAST({_ident(column)} AS VARCHAR)"
            values = rows(self.cur, f"""SELECT {value} AS value, count(*) AS count FROM {t} WHERE {where}
                                        GROUP BY 1 ORDER BY count DESC, value NULLS LAST LIMIT 10""", params)
            distinct = scalar(self.cur, f"SELECT count(DISTINCT {value}) FROM {t} WHERE {where}", params)
            out_facets.append({"column": column, "distinct": distinct, "values": values})
        return {"table": table, "columns": [{"name": c, "type": k} for c, k in types.items()], "total": total,
                "limit": limit, "offset": offset, "sort": sort, "desc": desc, "items": items, "facets": out_facets,
                "problems": problems}

    def table_rows(self, table: str, filters: list[tuple[str, str, str | None]] = (), sort: str | None = None,
                   desc: bool = False, limit: int | None = None):
        """Every row (values whole) that :meth:`table_page` pages through, as a pyarrow Table (for CSV)."""
        where, params, order, _types, _problems = self._table_query(table, list(filters), sort, desc)
        sql = f"SELECT * FROM {_ident(table)} WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params = params + [int(limit)]
        with self.cur.cursor() as cur:
            return cur.sql(sql, params=params or None).to_arrow_table()


    def write_table_csv(self, out, table: str, filters: list[tuple[str, str, str | None]] = (),
                        sort: str | None = None, desc: bool = False, limit: int | None = None,
                        batch_rows: int = 5_000) -> int:
        """The rows :meth:`table_page` pages through, values whole, as CSV in the file ``out``; returns how
        many. Read and written ``batch_rows`` at a time (memory holds one batch, whatever the table's size),
        each batch by the writer of ``tacitus export`` (:func:`tacitus.store.db.write_frame`)."""
        import os
        import tempfile

        import pyarrow as pa

        from tacitus.store.db import write_frame

        where, params, order, _types, _problems = self._table_query(table, list(filters), sort, desc)
        sql = f"SELECT * FROM {_ident(table)} WHERE {where} ORDER BY {order}"
        if limit is not None:
            sql += " LIMIT ?"
            params = params + [int(limit)]
        written = 0
        with self.cur.cursor() as cur, open(out, "wb") as fh, tempfile.TemporaryDirectory(prefix="tacitus-csv-") as tmp:
            reader = cur.sql(sql, params=params or None).to_arrow_reader(batch_rows)
            part = os.path.join(tmp, "part.csv")
            first = True
            for batch in reader:
                if not first and batch.num_rows == 0:
                    continue
                write_frame(pa.Table.from_batches([batch]), "csv", part)
                with open(part, "rb") as src:
                    if not first:
                        src.readline()  # the header, written once
                    fh.write(src.read())
                written += batch.num_rows
                first = False
            if first:  # no rows: the header alone
                write_frame(reader.schema.empty_table(), "csv", part)
                with open(part, "rb") as src:
                    fh.write(src.read())
        return written


#: The table view's filters: op -> SQL comparison (contains, startswith, null and notnull are built apart).
FILTER_OPS = {"eq": "=", "ne": "<>", "lt": "<", "le": "<=", "gt": ">", "ge": ">=", "contains": None,
              "startswith": None, "null": None, "notnull": None}

#: The tables the table view lists, in this order (the store's data; schema_version and the like are not).
_BROWSABLE = ("articles", "events", "event_clusters", "actors", "mentions", "roles", "quotes", "quote_clusters",
              "claims", "disputes", "places", "timexes", "counts", "sentences", "failures", "inputs", "runs",
              "kb_actors")


class TableError(LookupError):
    """A table view request naming what the store does not have: a table, a column, a filter."""


def _ident(name: str) -> str:
    """A table or column name from the catalog as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _scalar_type(kind: str) -> bool:
    return not (kind.endswith("]") or kind.startswith(("STRUCT", "MAP", "UNION")))


def filter_date(value: str | None, name: str = "date") -> str | None:
    """A ``since``/``until`` value checked: an ISO date or prefix of a real date (2021, 2021-07, 2021-07-15),
    else :class:`tacitus.errors.StoreError` saying what is wrong ("last year", "21" and "2021-13" are not)."""
    from tacitus.errors import StoreError
    from tacitus.ingest.dates import iso_date

    if value is None:
        return None
    parsed = iso_date(value)
    if parsed is None:
        raise StoreError(f"{name}: not a date: {value!r} (write YYYY, YYYY-MM or YYYY-MM-DD)")
    return parsed.value


def parse_filter(text: str) -> tuple[str, str, str | None]:
    """``column:op:value`` (or ``column:null``) as a filter triple; the value may hold colons."""
    column, _, rest = text.partition(":")
    op, sep, value = rest.partition(":")
    if not column or not op:
        raise TableError(f"a filter is column:op:value (e.g. type:eq:ASSAULT), not {text!r}")
    return column, op, (value if sep else None)
