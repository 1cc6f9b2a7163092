"""Claims about the same proposition across articles, linked into disputes (who alleges, who denies).

A dispute is every claim that shares a proposition key (``claims.proposition``: subject, relation
family, object; see :func:`tacitus.extract.claims.proposition`), over the whole store. It lists who
alleges, who denies and who confirms (claimants by name, each once), since when it has been alleged
(the earliest dated allegation or confirmation), the first and last dates of any claim, and how many claims, articles
and outlets carry it; an outlet that ran a copy of an article (``duplicate_of``) counts as one more
outlet. A proposition both asserted (alleged, or confirmed by a party) and denied is *contested*.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tacitus.store import Store


def _mode(column: str) -> str:
    """The most frequent non-null value of ``column`` in the group, ties to the smallest: DuckDB's
    ``mode()`` breaks ties by the order rows arrive in, which is not fixed from run to run."""
    return (f"(SELECT v FROM (SELECT unnest(list({column})) AS v) WHERE v IS NOT NULL "
            f"GROUP BY v ORDER BY count(*) DESC, v LIMIT 1)")


def contested_sql(alias: str = "") -> str:
    """SQL true for a contested dispute: asserted (alleged or confirmed) and denied. ``alias`` is the
    disputes table's alias ("d"), or empty."""
    p = f"{alias}." if alias else ""
    return f"((len({p}alleged_by) > 0 OR len({p}confirmed_by) > 0) AND len({p}denied_by) > 0)"


def rebuild_disputes(store: "Store") -> None:
    """Recompute the ``disputes`` table from ``claims``, in one transaction."""
    con = store.con
    con.begin()
    try:
        con.execute("DELETE FROM disputes")
        con.execute(
            f"""INSERT INTO disputes
               WITH c AS (
                   SELECT c.*, coalesce(c.claimant, '(unattributed)') AS who,
                          coalesce(a.outlet, a.source_path) AS outlet
                   FROM claims c JOIN articles a ON a.id = c.article_id
                   WHERE c.proposition IS NOT NULL),
               copies AS (
                   SELECT DISTINCT c.proposition, coalesce(d.outlet, d.source_path) AS outlet
                   FROM claims c JOIN articles d ON d.duplicate_of = c.article_id)
               SELECT 'dsp-' || left(md5(c.proposition), 16) AS id, c.proposition,
                      {_mode("c.relation")} AS relation, {_mode("c.subject")} AS subject,
                      {_mode("c.subject_code")} AS subject_code, {_mode("c.object")} AS object,
                      {_mode("c.object_code")} AS object_code,
                      coalesce(list_sort(list_distinct(list(c.who) FILTER (WHERE c.stance = 'alleges'))), []) AS alleged_by,
                      coalesce(list_sort(list_distinct(list(c.who) FILTER (WHERE c.stance = 'denies'))), []) AS denied_by,
                      coalesce(list_sort(list_distinct(list(c.who) FILTER (WHERE c.stance = 'confirms'))), []) AS confirmed_by,
                      min(c.date) FILTER (WHERE c.stance IN ('alleges', 'confirms')) AS since,
                      min(c.date) AS first_date, max(c.date) AS last_date,
                      count(*) AS claims, count(DISTINCT c.article_id) AS articles,
                      (SELECT count(DISTINCT o) FROM (SELECT unnest(list_distinct(list(c.outlet))) AS o
                                                      UNION SELECT outlet FROM copies p
                                                      WHERE p.proposition = c.proposition)) AS outlets,
                      list_sort(list(c.id)) AS claim_ids
               FROM c GROUP BY c.proposition"""
        )
        con.commit()
    except BaseException:
        con.rollback()
        raise
