"""Corpus views over a store: merged events, timelines, dyads, actor profiles, the actor network, GDELT rows.

:class:`CorpusViews` is mixed into :class:`tacitus.api.reader.Database`, so every method here is called as
``tacitus.open(db).dyad("RUS", "AFG-INS", by="year")``. Every query is parameterised; results are pandas
DataFrames (``*_arrow`` variants where noted return pyarrow Tables).

Actor arguments (``actor``, ``a``, ``b``, ``source``, ``target``) accept an actor code ("RUS" matches
"RUS", "RUS GOV", "RUS MIL"; "AFG-INS" is "AFG INS"), an actor id ("P-ZAMIR-KABULOV"), or a name
(case-insensitive: "Zamir Kabulov"); several alternatives may be given as a list or separated by commas
("RUS,SUN").
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, Iterable

import duckdb

from tacitus.errors import StoreError

if TYPE_CHECKING:
    import pandas as pd

    from tacitus.store import Store

PERIODS = ("day", "month", "year")
QUADS = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
_QUAD_ALIASES = {q.replace(" ", "_"): q for q in QUADS} | {q.replace(" ", "-"): q for q in QUADS} | {
    "cooperation": "cooperation", "conflict": "conflict", "verbal": "verbal", "material": "material"}


def _alternatives(value: str | Iterable[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def actor_condition(value: str | Iterable[str] | None, code: str, actor_id: str, name: str) -> tuple[str, list[Any]]:
    """SQL (with parameters) that is true when the actor given by the three column expressions matches
    ``value`` (codes, ids or names; see the module docstring). TRUE when ``value`` is empty."""
    alts = _alternatives(value)
    if not alts:
        return "TRUE", []
    parts, params = [], []
    for alt in alts:
        norm = " ".join(alt.replace("-", " ").split()).upper()
        parts.append(f"({code} = ? OR {code} LIKE ? OR {actor_id} = ? OR lower({name}) = lower(?))")
        params += [norm, norm + " %", alt, alt]
    return "(" + " OR ".join(parts) + ")", params


def quad_condition(quad: str | None, column: str = "quad") -> tuple[str, list[Any]]:
    """SQL for a quad filter: one of the four quad classes, or 'cooperation'/'conflict'/'verbal'/'material'."""
    if not quad:
        return "TRUE", []
    q = _QUAD_ALIASES.get(quad.strip().lower(), quad.strip().lower())
    if q in QUADS:
        return f"{column} = ?", [q]
    if q in ("cooperation", "conflict", "verbal", "material"):
        return f"{column} LIKE ?", [f"%{q}%"]
    raise StoreError(f"unknown quad class {quad!r}; choose one of: {', '.join(QUADS)}, cooperation, conflict, "
                     "verbal, material")


def date_conditions(since: str | None, until: str | None, start: str = "date_start", end: str = "date_end",
                    include_undated: bool = False) -> tuple[str, list[Any]]:
    """SQL keeping rows whose date span overlaps [since, until] (ISO prefixes: "2021", "2021-07")."""
    from tacitus.corpus.merge import date_interval

    where, params = [], []
    if since:
        span = date_interval(since.strip(), None)
        if span is None:
            raise StoreError(f"not a date: {since!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        where.append(f"({end} >= ?" + (f" OR {end} IS NULL)" if include_undated else ")"))
        params.append(span[0])
    if until:
        span = date_interval(until.strip(), None)
        if span is None:
            raise StoreError(f"not a date: {until!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
        where.append(f"({start} <= ?" + (f" OR {start} IS NULL)" if include_undated else ")"))
        params.append(span[1])
    return (" AND ".join(where) or "TRUE"), params


def period_expr(by: str, date: str = "date", precision: str = "date_precision") -> str:
    """SQL for a cluster's period label at ``by`` resolution. A date coarser than the period keeps its own,
    coarser label ("1989" in a month view; decades as "1980s"), so nothing is placed at a guessed time."""
    if by not in PERIODS:
        raise StoreError(f"unknown period {by!r}; choose one of: {', '.join(PERIODS)}")
    n = {"day": 10, "month": 7, "year": 4}[by]
    return (f"CASE WHEN {date} IS NULL THEN NULL WHEN {precision} = 'decade' THEN {date} || '0s' "
            f"ELSE left({date}, {n}) END")


_CLUSTER_COLUMNS = """c.id, c.date, c.date_precision, c.type, c.mode, c.quad, c.source.code AS source_code,
    c.source.name AS source_name, c.target.code AS target_code, c.target.name AS target_name,
    c.source_actor_id, c.target_actor_id, c.intensity, c.negated, c.hedged, c.future, c.historical, c.place,
    c.mentions, c.articles, c.outlets, c.copies, c.outlet_names, c.first_reported, c.last_reported, c.tone,
    c.url, c.date_start, c.date_end, c.article_ids, c.event_ids"""


class CorpusViews:
    """Corpus-level read methods (mixed into :class:`~tacitus.api.reader.Database`)."""

    store: "Store"

    # -- plumbing ---------------------------------------------------------------------------------
    def _cv_query(self, sql: str, params: list[Any] | None = None, what: str = "query"):
        try:
            return self.store.con.execute(sql, params or [])
        except duckdb.Error as exc:
            raise StoreError(f"cannot {what}: {str(exc).splitlines()[0]}") from None

    def _cv_df(self, sql: str, params: list[Any] | None = None, what: str = "query") -> "pd.DataFrame":
        return self._cv_query(sql, params, what).df()

    # -- merged events ----------------------------------------------------------------------------
    def _cluster_where(self, actor=None, source=None, target=None, type=None, quad=None, since=None, until=None,
                       min_articles=1, include_negated=True, include_undated=True, include_future=True):
        where, params = [], []
        if actor:
            s_sql, s_params = actor_condition(actor, "c.source.code", "c.source_actor_id", "c.source.name")
            t_sql, t_params = actor_condition(actor, "c.target.code", "c.target_actor_id", "c.target.name")
            where.append(f"({s_sql} OR {t_sql})")
            params += s_params + t_params
        for value, side in ((source, "source"), (target, "target")):
            sql, p = actor_condition(value, f"c.{side}.code", f"c.{side}_actor_id", f"c.{side}.name")
            where.append(sql)
            params += p
        if type:
            where.append("c.type = ?")
            params.append(type.strip().upper())
        sql, p = quad_condition(quad, "c.quad")
        where.append(sql)
        params += p
        sql, p = date_conditions(since, until, "c.date_start", "c.date_end", include_undated)
        where.append(sql)
        params += p
        if min_articles and int(min_articles) > 1:
            where.append("c.articles >= ?")
            params.append(int(min_articles))
        if not include_negated:
            where.append("NOT c.negated")
        if not include_future:
            where.append("NOT c.future")
        if not include_undated:
            where.append("c.date IS NOT NULL")
        return " AND ".join(where), params

    def event_clusters(self, actor: str | None = None, source: str | None = None, target: str | None = None,
                       type: str | None = None, quad: str | None = None, since: str | None = None,
                       until: str | None = None, min_articles: int = 1, include_negated: bool = True,
                       include_undated: bool | None = None, limit: int | None = None) -> "pd.DataFrame":
        """Merged events (one row per real-world event, table ``event_clusters``) in date order, undated last.

        Each row: id, date (the most precise date its mentions give) and date_precision, type, mode, quad,
        source/target code and name and actor id, intensity (mean of its mentions), flags, place, and how it
        was reported: ``mentions``, ``articles`` (distinct outlet-and-article reports, copies in other
        outlets included), ``outlets``, ``copies``, ``outlet_names``, first/last publication date, mean
        article ``tone``, the first report's ``url``, and the ``article_ids``/``event_ids`` it merges.
        Filters: ``actor`` (either side), ``source``, ``target``, ``type`` (PLOVER), ``quad`` (a quad class or
        'cooperation'/'conflict'), ``since``/``until`` (ISO prefixes; overlapping dates count),
        ``min_articles``. Undated events are listed (last) unless a date range is given or
        ``include_undated`` is False; those a query leaves out for having no date are counted in the
        frame's ``attrs["undated_left_out"]``."""
        if include_undated is None:
            include_undated = not (since or until)
        where, params = self._cluster_where(actor, source, target, type, quad, since, until, min_articles,
                                            include_negated, include_undated)
        sql = f"""SELECT {_CLUSTER_COLUMNS} FROM event_clusters c WHERE {where}
                  ORDER BY c.date_start NULLS LAST, c.date_end, c.id"""
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        df = self._cv_df(sql, params, "query event clusters")
        left_out = 0
        if not include_undated:
            u_where, u_params = self._cluster_where(actor, source, target, type, quad, None, None, min_articles,
                                                    include_negated, True)
            left_out = int(self._cv_df(f"SELECT count(*) AS n FROM event_clusters c WHERE {u_where} AND c.date_start IS NULL",
                                       u_params, "count undated event clusters")["n"].iloc[0])
        df.attrs["undated_left_out"] = left_out
        return df

    def event_clusters_arrow(self, **filters: Any):
        """:meth:`event_clusters` as a pyarrow Table."""
        import pyarrow as pa

        return pa.Table.from_pandas(self.event_clusters(**filters), preserve_index=False)

    def events_by_cluster(self, cluster_id: str) -> "pd.DataFrame":
        """The mentions merged into one event: each event row with its sentence, article title, outlet,
        publication date and url, in publication order."""
        return self._cv_df(
            """SELECT e.*, substr(a.text, s.start + 1, s."end" - s.start) AS sentence_text, a.title AS article_title,
                      a.outlet AS article_outlet, a.published AS article_published, a.url AS article_url
               FROM events e JOIN articles a ON a.id = e.article_id
               LEFT JOIN sentences s ON s.article_id = e.article_id AND s.sentence = e.sentence
               WHERE e.cluster_id = ? ORDER BY a.published NULLS LAST, e.article_id, e.start""",
            [cluster_id], "query the mentions of an event")

    def cluster_reports(self, cluster_id: str, kind: str = "event") -> "pd.DataFrame":
        """Every article that reports a merged event (``kind='event'``) or quote (``kind='quote'``): the
        extracted originals and their stored copies (``copy_of`` set), with outlet, date, title and url."""
        table = {"event": "event_clusters", "quote": "quote_clusters"}.get(kind)
        if table is None:
            raise StoreError(f"unknown cluster kind {kind!r}; choose event or quote")
        return self._cv_df(
            f"""WITH m AS (SELECT unnest(article_ids) AS article_id FROM {table} WHERE id = ?)
                SELECT a.id AS article_id, a.outlet, a.published, a.title, a.url, a.source_path, a.status,
                       a.duplicate_of AS copy_of, a.similarity
                FROM articles a WHERE a.id IN (SELECT article_id FROM m) OR a.duplicate_of IN (SELECT article_id FROM m)
                ORDER BY a.published NULLS LAST, a.duplicate_of NULLS FIRST, a.id""",
            [cluster_id], "query the reports of a cluster")

    def cluster(self, cluster_id: str) -> dict[str, Any]:
        """One merged event: ``{'event': dict, 'mentions': DataFrame, 'reports': DataFrame}``."""
        df = self._cv_df(f"SELECT {_CLUSTER_COLUMNS} FROM event_clusters c WHERE c.id = ?", [cluster_id],
                      "query an event cluster")
        if df.empty:
            raise StoreError(f"no merged event with id {cluster_id!r}")
        return {"event": df.iloc[0].to_dict(), "mentions": self.events_by_cluster(cluster_id),
                "reports": self.cluster_reports(cluster_id)}

    def quote_clusters(self, speaker: str | None = None, min_articles: int = 1,
                       limit: int | None = None) -> "pd.DataFrame":
        """Quotes merged across articles (table ``quote_clusters``): text (the longest wording), speaker,
        kind, mentions, articles, outlets, copies, outlet names, first/last publication date, ``quote_ids``.
        Most reported first."""
        sql, params = actor_condition(speaker, "q.speaker_code", "q.speaker_actor_id", "q.speaker")
        where = [sql]
        if min_articles and int(min_articles) > 1:
            where.append("q.articles >= ?")
            params.append(int(min_articles))
        query = f"""SELECT q.* FROM quote_clusters q WHERE {' AND '.join(where)}
                    ORDER BY q.articles DESC, q.first_reported NULLS LAST, q.id"""
        if limit is not None:
            query += " LIMIT ?"
            params.append(int(limit))
        return self._cv_df(query, params, "query quote clusters")

    # -- timeline -----------------------------------------------------------------------------------
    def timeline(self, actor: str | None = None, since: str | None = None, until: str | None = None,
                 type: str | None = None, quad: str | None = None, min_articles: int = 1,
                 include_undated: bool = False, limit: int | None = None) -> "pd.DataFrame":
        """Merged events in the order they happened (not the order they were reported): a historical event
        recalled in a 2019 article stands at its own date (``historical`` marks it, ``first_reported`` says
        when it was written about). Same filters as :meth:`event_clusters`; undated events only with
        ``include_undated`` (then last); ``attrs["undated_left_out"]`` counts the others."""
        return self.event_clusters(actor=actor, type=type, quad=quad, since=since, until=until,
                                   min_articles=min_articles, include_undated=include_undated, limit=limit)

    # -- dyads --------------------------------------------------------------------------------------
    def _dyad_where(self, a, b, directed=False):
        sa, pa_ = actor_condition(a, "c.source.code", "c.source_actor_id", "c.source.name")
        tb, pb = actor_condition(b, "c.target.code", "c.target_actor_id", "c.target.name")
        sb, pb2 = actor_condition(b, "c.source.code", "c.source_actor_id", "c.source.name")
        ta, pa2 = actor_condition(a, "c.target.code", "c.target_actor_id", "c.target.name")
        if not _alternatives(a) or not _alternatives(b):
            raise StoreError("a dyad needs two actors")
        ab = f"({sa} AND {tb})"
        ba = f"({sb} AND {ta})"
        if directed:
            return ab, pa_ + pb, ab, pa_ + pb
        return f"({ab} OR {ba})", pa_ + pb + pb2 + pa2, ab, pa_ + pb

    def dyad_events(self, a: str, b: str, since: str | None = None, until: str | None = None,
                    directed: bool = False, include_undated: bool = False) -> "pd.DataFrame":
        """Merged events between ``a`` and ``b`` (both directions unless ``directed``), in date order, with a
        ``direction`` column ('a->b' or 'b->a')."""
        where, params, ab, ab_params = self._dyad_where(a, b, directed)
        dates, dparams = date_conditions(since, until, "c.date_start", "c.date_end", include_undated)
        if not include_undated:
            dates += " AND c.date IS NOT NULL"
        return self._cv_df(
            f"""SELECT CASE WHEN {ab} THEN 'a->b' ELSE 'b->a' END AS direction, {_CLUSTER_COLUMNS}
                FROM event_clusters c WHERE {where} AND {dates}
                ORDER BY c.date_start NULLS LAST, c.date_end, c.id""",
            ab_params + params + dparams, "query a dyad")

    def dyad(self, a: str, b: str, by: str = "month", since: str | None = None, until: str | None = None,
             directed: bool = False, include_negated: bool = False) -> "pd.DataFrame":
        """The relation of two actors over time, one row per period (``by``: day, month or year) in order.

        Columns: ``period``; ``events`` (merged events, not mentions), ``a_to_b``, ``b_to_a``; one count per
        quad class (``verbal_cooperation``, ``material_cooperation``, ``verbal_conflict``,
        ``material_conflict``), ``cooperation`` and ``conflict`` (their sums) and ``balance`` (cooperation -
        conflict); ``intensity`` (mean Goldstein-like intensity, -10..+10) and ``intensity_sum``; the reports
        behind them (``mentions``, ``articles``); ``types`` ("CONSULT 2, AID 1"); and ``tone``: the mean tone
        of the sentences naming both actors in articles published in that period, with ``tone_sentences``.
        Negated events ("did not attack") are left out unless ``include_negated``. Events dated more
        coarsely than ``by`` keep their coarser period ("2003" in a month view); undated events are left out,
        and ``attrs["undated_left_out"]`` says how many.
        """
        period = period_expr(by, "c.date", "c.date_precision")
        where, params, ab, ab_params = self._dyad_where(a, b, directed)
        dates, dparams = date_conditions(since, until, "c.date_start", "c.date_end")
        neg = "TRUE" if include_negated else "NOT c.negated"
        events = self._cv_df(
            f"""WITH d AS (SELECT {period} AS period, c.*, CASE WHEN {ab} THEN 1 ELSE 0 END AS ab
                           FROM event_clusters c
                           WHERE {where} AND {dates} AND c.date IS NOT NULL AND {neg}),
                     t AS (SELECT period, string_agg(type || ' ' || n, ', ' ORDER BY n DESC, type) AS types
                           FROM (SELECT period, type, count(*) AS n FROM d GROUP BY ALL) GROUP BY period)
                SELECT d.period, count(*) AS events, sum(ab)::INTEGER AS a_to_b, (count(*) - sum(ab))::INTEGER AS b_to_a,
                       count(*) FILTER (WHERE quad = 'verbal cooperation') AS verbal_cooperation,
                       count(*) FILTER (WHERE quad = 'material cooperation') AS material_cooperation,
                       count(*) FILTER (WHERE quad = 'verbal conflict') AS verbal_conflict,
                       count(*) FILTER (WHERE quad = 'material conflict') AS material_conflict,
                       count(*) FILTER (WHERE quad LIKE '%cooperation') AS cooperation,
                       count(*) FILTER (WHERE quad LIKE '%conflict') AS conflict,
                       round(avg(intensity), 2) AS intensity, round(sum(intensity), 2) AS intensity_sum,
                       sum(mentions)::INTEGER AS mentions, sum(articles)::INTEGER AS articles, any_value(t.types) AS types
                FROM d JOIN t ON t.period = d.period GROUP BY d.period ORDER BY d.period""",
            ab_params + params + dparams, "compute a dyad")
        events["balance"] = events["cooperation"] - events["conflict"]
        tone = self.dyad_tone(a, b, by, since, until)
        out = events.merge(tone, on="period", how="outer").sort_values("period", kind="stable").reset_index(drop=True)
        for col in ("events", "a_to_b", "b_to_a", "verbal_cooperation", "material_cooperation", "verbal_conflict",
                    "material_conflict", "cooperation", "conflict", "balance", "mentions", "articles",
                    "tone_sentences"):
            out[col] = out[col].fillna(0).astype("int64")
        out["types"] = out["types"].fillna("")
        out.attrs["undated_left_out"] = int(self._cv_df(
            f"SELECT count(*) AS n FROM event_clusters c WHERE {where} AND c.date IS NULL AND {neg}",
            list(params), "count a dyad's undated events")["n"].iloc[0])
        return out

    def dyad_types(self, a: str, b: str, by: str = "month", since: str | None = None,
                   until: str | None = None, directed: bool = False) -> "pd.DataFrame":
        """Event counts between ``a`` and ``b`` by period and PLOVER type (long format: period, type, quad,
        events, mentions, articles, intensity)."""
        period = period_expr(by, "c.date", "c.date_precision")
        where, params, _ab, _abp = self._dyad_where(a, b, directed)
        dates, dparams = date_conditions(since, until, "c.date_start", "c.date_end")
        return self._cv_df(
            f"""SELECT {period} AS period, c.type, c.quad, count(*) AS events, sum(c.mentions)::INTEGER AS mentions,
                       sum(c.articles)::INTEGER AS articles, round(avg(c.intensity), 2) AS intensity
                FROM event_clusters c WHERE {where} AND {dates} AND c.date IS NOT NULL AND NOT c.negated
                GROUP BY ALL ORDER BY period, events DESC, c.type""", params + dparams, "compute a dyad")

    def dyad_tone(self, a: str, b: str, by: str = "month", since: str | None = None,
                  until: str | None = None) -> "pd.DataFrame":
        """Mean tone (-10..+10) of the sentences naming both actors, by the publication period of their
        articles (copies not counted twice: only extracted articles have sentences)."""
        if by not in PERIODS:
            raise StoreError(f"unknown period {by!r}; choose one of: {', '.join(PERIODS)}")
        n = {"day": 10, "month": 7, "year": 4}[by]
        ca, pa_ = actor_condition(a, "x.code", "x.id", "x.name")
        cb, pb = actor_condition(b, "x.code", "x.id", "x.name")
        dates, dparams = date_conditions(since, until, "p.pstart", "p.pend")
        # one pass over the mentions: each mention of either side, tagged with its side, grouped by sentence
        return self._cv_df(
            f"""WITH x AS (SELECT x.id, 1 AS side FROM actors x WHERE {ca}
                           UNION ALL SELECT x.id, 2 AS side FROM actors x WHERE {cb}),
                     m AS (SELECT m.article_id, m.sentence FROM mentions m JOIN x ON x.id = m.actor_id
                           GROUP BY ALL HAVING min(x.side) = 1 AND max(x.side) = 2),
                     p AS (SELECT id, published, try_cast(left(published, 10) AS DATE) AS pstart,
                                  try_cast(left(published, 10) AS DATE) AS pend FROM articles WHERE published IS NOT NULL)
                SELECT left(p.published, {n}) AS period, round(avg(s.tone), 3) AS tone, count(*) AS tone_sentences
                FROM m JOIN sentences s ON s.article_id = m.article_id AND s.sentence = m.sentence
                JOIN p ON p.id = m.article_id
                WHERE s.tone IS NOT NULL AND length(p.published) >= {n} AND {dates}
                GROUP BY 1 ORDER BY 1""", pa_ + pb + dparams, "compute a dyad's tone")

    def dyad_quotes(self, a: str, b: str) -> "pd.DataFrame":
        """Quotes of one actor about the other: the speaker is ``a`` and a mention of ``b`` falls inside the
        quote (same article), or the reverse. Columns: direction ('a->b'/'b->a'), speaker, speaker_code,
        about (the mention's text), text, kind, article, outlet, published, and the quote's cluster counts
        (articles and outlets reporting it). One row per quote cluster, most reported first."""
        sa, psa = actor_condition(a, "q.speaker_code", "q.speaker_actor_id", "q.speaker")
        sb, psb = actor_condition(b, "q.speaker_code", "q.speaker_actor_id", "q.speaker")
        xa, pxa = actor_condition(a, "x.code", "x.id", "x.name")
        xb, pxb = actor_condition(b, "x.code", "x.id", "x.name")
        if not _alternatives(a) or not _alternatives(b):
            raise StoreError("a dyad needs two actors")
        return self._cv_df(
            f"""WITH hits AS (
                    SELECT 'a->b' AS direction, q.*, m.text AS about FROM quotes q
                    JOIN mentions m ON m.article_id = q.article_id AND m.start >= q.start AND m."end" <= q."end"
                    JOIN actors x ON x.id = m.actor_id WHERE {sa} AND {xb}
                    UNION ALL
                    SELECT 'b->a' AS direction, q.*, m.text AS about FROM quotes q
                    JOIN mentions m ON m.article_id = q.article_id AND m.start >= q.start AND m."end" <= q."end"
                    JOIN actors x ON x.id = m.actor_id WHERE {sb} AND {xa}),
                 one AS (SELECT * FROM hits QUALIFY row_number() OVER (
                            PARTITION BY coalesce(cluster_id, id) ORDER BY direction, article_id, start) = 1)
                SELECT one.direction, one.speaker, one.speaker_code, one.about, one.text, one.kind, one.cue,
                       one.article_id, a.outlet, a.published, a.title, one.id AS quote_id, one.cluster_id,
                       coalesce(k.articles, 1) AS articles, coalesce(k.outlets, 1) AS outlets
                FROM one JOIN articles a ON a.id = one.article_id LEFT JOIN quote_clusters k ON k.id = one.cluster_id
                ORDER BY a.published NULLS LAST, one.article_id, one.start""",
            psa + pxb + psb + pxa, "query a dyad's quotes")

    def dyad_disputes(self, a: str, b: str) -> "pd.DataFrame":
        """Disputes (table ``disputes``) between the two actors: one is the subject and the other the object
        of the disputed proposition, or one alleges, denies or confirms what the other is said to have done."""
        if not _alternatives(a) or not _alternatives(b):
            raise StoreError("a dyad needs two actors")

        def side(value, code, name):
            return actor_condition(value, code, code, name)

        def in_list(value, column):
            alts = _alternatives(value)
            parts, params = [], []
            for alt in alts:
                norm = " ".join(alt.replace("-", " ").split()).upper()
                parts.append(f"list_has_any(list_transform({column}, lambda v: upper(v)), [?]) OR "
                             f"len(list_filter({column}, lambda v: upper(v) LIKE ?)) > 0")
                params += [norm, norm + " %"]
                parts.append(f"list_has_any(list_transform({column}, lambda v: lower(v)), [lower(?)])")
                params.append(alt)
            return "(" + " OR ".join(parts) + ")", params

        sub_a, p1 = side(a, "d.subject_code", "d.subject")
        obj_b, p2 = side(b, "d.object_code", "d.object")
        sub_b, p3 = side(b, "d.subject_code", "d.subject")
        obj_a, p4 = side(a, "d.object_code", "d.object")
        claim = []
        cparams: list[Any] = []
        for speaker, subject in ((a, b), (b, a)):
            subj, ps = side(subject, "d.subject_code", "d.subject")
            for column in ("d.alleged_by", "d.denied_by", "d.confirmed_by"):
                lst, pl = in_list(speaker, column)
                claim.append(f"({lst} AND {subj})")
                cparams += pl + ps
        return self._cv_df(
            f"""SELECT d.* FROM disputes d
                WHERE ({sub_a} AND {obj_b}) OR ({sub_b} AND {obj_a}) OR {' OR '.join(claim)}
                ORDER BY d.first_date NULLS LAST, d.id""", p1 + p2 + p3 + p4 + cparams, "query a dyad's disputes")

    # -- actors -----------------------------------------------------------------------------------
    def find_actors(self, query: str) -> "pd.DataFrame":
        """Actors matching ``query`` (id, code, name, or an alias written in the articles), most mentioned first."""
        sql, params = actor_condition(query, "a.code", "a.id", "a.name")
        return self._cv_df(
            f"""SELECT a.* FROM actors a
                WHERE {sql} OR list_has_any(list_transform(coalesce(a.aliases, []), lambda v: lower(v)), [lower(?)])
                ORDER BY (lower(a.name) = lower(?) OR a.id = ?) DESC, a.mention_count DESC NULLS LAST, a.id""",
            params + [query, query, query], "find actors")

    def actor(self, query: str, partners: int = 15) -> dict[str, Any]:
        """A profile of one actor, found by name, alias, id or code (the most mentioned match; a bare code
        such as "RUS GOV" profiles every actor with that code together).

        Returns a dict: ``actor`` (the actors row as a dict, or the code), ``matches`` (every matching
        actor), ``roles`` (dated role records, oldest first), ``partners`` (the actors it has most events
        with, either direction: events, cooperation, conflict, mean intensity, first and last date),
        ``events_by_type`` (as source and as target), ``events`` (its merged events in date order),
        ``quotes`` (what it said, merged across articles) and ``summary`` (counts and date range)."""
        matches = self.find_actors(query)
        if matches.empty:
            raise StoreError(f"no actor matches {query!r} (try a name, an alias, an id or a code)")
        norm = " ".join(query.replace("-", " ").split()).upper()
        by_code = bool((matches["code"] == norm).any()) and not bool(
            (matches["name"].str.lower() == query.lower()).any() | (matches["id"] == query).any())
        if by_code:
            ids = matches.loc[matches["code"] == norm, "id"].tolist()
            actor: dict[str, Any] = {"id": None, "name": norm, "code": norm, "kind": "code",
                                     "actors": len(ids)}
        else:
            top = matches.iloc[0]
            ids = [top["id"]]
            actor = {k: (json.loads(v) if k == "roles" and isinstance(v, str) else v) for k, v in top.to_dict().items()}
        roles = self._cv_df(
            """SELECT r.date, r.text AS role, r.title, r.organisation, r.code, a.title AS article_title, a.outlet,
                      r.article_id, x.name AS actor
               FROM roles r JOIN articles a ON a.id = r.article_id JOIN actors x ON x.id = r.actor_id
               WHERE r.actor_id IN (SELECT unnest(?)) ORDER BY r.date NULLS LAST, r.article_id, r.start""",
            [ids], "query roles")
        partner_df = self._cv_df(
            """WITH own AS (SELECT DISTINCT cluster_id,
                                   CASE WHEN source_actor_id IN (SELECT unnest(?)) THEN 'source' ELSE 'target' END AS side
                            FROM events WHERE cluster_id IS NOT NULL AND (source_actor_id IN (SELECT unnest(?))
                                  OR target_actor_id IN (SELECT unnest(?)))),
                    e AS (SELECT c.*, CASE WHEN own.side = 'source' THEN c.target_actor_id ELSE c.source_actor_id END AS partner_id
                          FROM event_clusters c JOIN (SELECT cluster_id, min(side) AS side FROM own GROUP BY 1) own
                               ON own.cluster_id = c.id)
               SELECT x.name AS partner, x.code AS partner_code, e.partner_id, count(*) AS events,
                      count(*) FILTER (WHERE e.quad LIKE '%cooperation') AS cooperation,
                      count(*) FILTER (WHERE e.quad LIKE '%conflict') AS conflict,
                      round(avg(e.intensity), 2) AS intensity, sum(e.articles)::INTEGER AS articles,
                      min(e.date) AS first_date, max(e.date) AS last_date
               FROM e JOIN actors x ON x.id = e.partner_id
               WHERE e.partner_id NOT IN (SELECT unnest(?))
               GROUP BY ALL ORDER BY events DESC, articles DESC, partner LIMIT ?""",
            [ids, ids, ids, ids, int(partners)], "query partners")
        by_type = self._cv_df(
            """SELECT type, quad, count(*) FILTER (WHERE source_actor_id IN (SELECT unnest(?))) AS as_source,
                      count(*) FILTER (WHERE target_actor_id IN (SELECT unnest(?))) AS as_target, count(*) AS events
               FROM event_clusters WHERE source_actor_id IN (SELECT unnest(?)) OR target_actor_id IN (SELECT unnest(?))
               GROUP BY ALL ORDER BY events DESC, type""", [ids, ids, ids, ids], "query events by type")
        events = self._cv_df(
            f"""SELECT {_CLUSTER_COLUMNS} FROM event_clusters c
                WHERE c.source_actor_id IN (SELECT unnest(?)) OR c.target_actor_id IN (SELECT unnest(?))
                   OR c.id IN (SELECT cluster_id FROM events WHERE source_actor_id IN (SELECT unnest(?))
                               OR target_actor_id IN (SELECT unnest(?)))
                ORDER BY c.date_start NULLS LAST, c.date_end, c.id""", [ids, ids, ids, ids], "query events")
        quotes = self._cv_df(
            """SELECT k.text, k.speaker, k.kind, k.articles, k.outlets, k.first_reported, k.id AS cluster_id
               FROM quote_clusters k WHERE k.speaker_actor_id IN (SELECT unnest(?))
                  OR k.id IN (SELECT cluster_id FROM quotes WHERE speaker_actor_id IN (SELECT unnest(?)))
               ORDER BY k.first_reported NULLS LAST, k.id""", [ids, ids], "query quotes")
        mentions = self._cv_query(
            """SELECT count(*), count(DISTINCT m.article_id), min(a.published), max(a.published)
               FROM mentions m JOIN articles a ON a.id = m.article_id WHERE m.actor_id IN (SELECT unnest(?))""",
            [ids]).fetchall()[0]
        summary = {"mentions": mentions[0], "articles": mentions[1], "first_published": mentions[2],
                   "last_published": mentions[3], "events": len(events), "quotes": len(quotes), "roles": len(roles),
                   "first_event": events["date"].dropna().min() if not events.empty else None,
                   "last_event": events["date"].dropna().max() if not events.empty else None}
        return {"actor": actor, "matches": matches, "roles": roles, "partners": partner_df,
                "events_by_type": by_type, "events": events, "quotes": quotes, "summary": summary}

    # -- network ----------------------------------------------------------------------------------
    def network(self, since: str | None = None, until: str | None = None, quad: str | None = None,
                node: str = "code", min_events: int = 1, type: str | None = None,
                actor: str | None = None) -> tuple["pd.DataFrame", "pd.DataFrame"]:
        """The actor network of merged events: ``(nodes, edges)`` DataFrames.

        ``node='code'`` makes one node per actor code ("RUS GOV": Putin, Lavrov and the Kremlin together,
        as GDELT counts), ``node='actor'`` one per resolved actor. Edges are directed source -> target
        with ``events``, one count per quad class, ``cooperation``, ``conflict``, mean ``intensity``,
        ``mentions``, ``articles``, ``first_date``, ``last_date``; only edges with at least ``min_events``.
        Nodes: ``id``, ``label``, ``code``, ``kind``, ``country``, ``events`` (as either side),
        ``out_events``, ``in_events``, ``mentions`` (actor mentions in articles). Filters as
        :meth:`event_clusters` (``actor`` keeps the edges touching it)."""
        if node not in ("code", "actor"):
            raise StoreError(f"unknown node kind {node!r}; choose code or actor")
        where, params = self._cluster_where(actor=actor, type=type, quad=quad, since=since, until=until,
                                            include_negated=False, include_undated=True)
        if node == "code":
            s_key, t_key = "c.source.code", "c.target.code"
        else:
            s_key, t_key = "c.source_actor_id", "c.target_actor_id"
        edges = self._cv_df(
            f"""SELECT {s_key} AS source, {t_key} AS target, count(*) AS events,
                       count(*) FILTER (WHERE c.quad = 'verbal cooperation') AS verbal_cooperation,
                       count(*) FILTER (WHERE c.quad = 'material cooperation') AS material_cooperation,
                       count(*) FILTER (WHERE c.quad = 'verbal conflict') AS verbal_conflict,
                       count(*) FILTER (WHERE c.quad = 'material conflict') AS material_conflict,
                       count(*) FILTER (WHERE c.quad LIKE '%cooperation') AS cooperation,
                       count(*) FILTER (WHERE c.quad LIKE '%conflict') AS conflict,
                       round(avg(c.intensity), 2) AS intensity, sum(c.mentions)::INTEGER AS mentions,
                       sum(c.articles)::INTEGER AS articles, min(c.date) AS first_date, max(c.date) AS last_date
                FROM event_clusters c
                WHERE {where} AND {s_key} IS NOT NULL AND {t_key} IS NOT NULL AND {s_key} <> {t_key}
                GROUP BY ALL HAVING count(*) >= ? ORDER BY events DESC, source, target""",
            params + [int(min_events)], "compute the network")
        ids = sorted(set(edges["source"]).union(edges["target"])) if not edges.empty else []
        if node == "code":
            nodes = self._cv_df(
                """WITH k AS (SELECT unnest(?) AS code)
                   SELECT k.code AS id, coalesce(arg_max(a.name, a.mention_count) FILTER (WHERE a.code = k.code AND a.kind <> 'person'),
                                                 k.code) AS label,
                          k.code, coalesce(arg_max(a.kind, a.mention_count) FILTER (WHERE a.kind <> 'person'), 'code') AS kind,
                          any_value(a.country) AS country, coalesce(sum(a.mention_count), 0)::INTEGER AS mentions
                   FROM k LEFT JOIN actors a ON a.code = k.code GROUP BY k.code ORDER BY k.code""",
                [ids], "compute the network's nodes")
        else:
            nodes = self._cv_df(
                """SELECT a.id, a.name AS label, a.code, a.kind, a.country, coalesce(a.mention_count, 0) AS mentions
                   FROM actors a WHERE a.id IN (SELECT unnest(?)) ORDER BY a.id""", [ids], "compute the network's nodes")
        if not nodes.empty:
            out_n = edges.groupby("source")["events"].sum()
            in_n = edges.groupby("target")["events"].sum()
            nodes["out_events"] = nodes["id"].map(out_n).fillna(0).astype("int64")
            nodes["in_events"] = nodes["id"].map(in_n).fillna(0).astype("int64")
            nodes["events"] = nodes["out_events"] + nodes["in_events"]
        else:
            for col in ("out_events", "in_events", "events"):
                nodes[col] = []
        return nodes, edges

    def network_graph(self, **kwargs: Any):
        """:meth:`network` as a ``networkx.DiGraph`` (node and edge attributes are the DataFrame columns)."""
        import networkx as nx

        nodes, edges = self.network(**kwargs)
        g = nx.DiGraph()
        for row in nodes.to_dict("records"):
            g.add_node(row["id"], **{k: _plain(v) for k, v in row.items() if k != "id" and _plain(v) is not None})
        for row in edges.to_dict("records"):
            g.add_edge(row["source"], row["target"],
                       **{k: _plain(v) for k, v in row.items() if k not in ("source", "target") and _plain(v) is not None},
                       weight=int(row["events"]))
        return g

    def write_network(self, path: str | os.PathLike[str], fmt: str | None = None, **kwargs: Any) -> dict[str, int]:
        """Write the actor network as GraphML or GEXF (Gephi); ``fmt`` from the file name when absent.
        Returns ``{'nodes': n, 'edges': m}``."""
        import networkx as nx

        fmt = (fmt or os.path.splitext(str(path))[1].lstrip(".")).lower()
        if fmt not in ("graphml", "gexf"):
            raise StoreError(f"unknown network format {fmt!r}; choose graphml or gexf")
        g = self.network_graph(**kwargs)
        try:
            if fmt == "graphml":
                nx.write_graphml(g, path)
            else:
                nx.write_gexf(g, path)
        except OSError as exc:
            raise StoreError(f"cannot write {path}: {exc}") from None
        return {"nodes": g.number_of_nodes(), "edges": g.number_of_edges()}

    # -- GDELT ------------------------------------------------------------------------------------
    def gdelt_events(self, since: str | None = None, until: str | None = None) -> "pd.DataFrame":
        """Merged events as GDELT 2.0 event-table rows (the 61 columns of GDELT's codebook, in order; see
        :mod:`tacitus.corpus.gdelt`)."""
        from tacitus.corpus.gdelt import gdelt_frame

        return gdelt_frame(self.store, since, until)

    def gdelt_undated(self) -> int:
        """How many merged events with an actor :meth:`gdelt_events` leaves out for having no date."""
        from tacitus.corpus.gdelt import undated_count

        return undated_count(self.store)

    def write_gdelt(self, path: str | os.PathLike[str], since: str | None = None, until: str | None = None) -> int:
        """Write :meth:`gdelt_events` as a GDELT 2.0 export file: tab-separated, no header (as GDELT's
        files), UTF-8. Returns the number of rows."""
        from tacitus.corpus.gdelt import write_gdelt

        return write_gdelt(self.store, path, since, until)


def _plain(value: Any) -> Any:
    """A value GraphML/GEXF can hold (numpy scalars to Python, NaN to None, lists to text)."""
    try:
        import numpy as np

        if isinstance(value, np.generic):
            value = value.item()
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value))
    return value
