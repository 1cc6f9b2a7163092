"""Cross-document merging: mentions of one real-world event (or one quote) across articles become one cluster.

The rule (thresholds are settings, see ``docs/settings.md``):

* Events: two mentions are one event when they are of the same PLOVER type (or of one family declared in
  ``event_merge_families``), their modes do not differ, they agree on negation and on being future or
  planned, their dates overlap (a day or week date is an interval of ``event_merge_days``; a month, year
  or decade date covers its whole span), their places do not differ (one name may contain the other:
  "DOHA, Feb. 29" and "Doha"), and their actors are compatible: on each side (source, target) the two
  actors are the same actor or code, or one is the bare country of the other ("PAK" and "PAK GOV", but
  not for the sectors in ``event_merge_opposition_sectors``: "AFG" is not "AFG INS"), or one side is
  unknown; at least one side must be known in both and agree. For ``event_merge_symmetric`` types the
  sides may be swapped. With ``event_merge_coarse_strict``, a mention dated only to a month or coarser
  joins mentions of another date only when one of them agrees with it on both actors, or names a place
  that agrees with its place. Undated mentions are never merged. A mention joins a cluster only
  when it is compatible with every mention already in it (complete link), so clusters do not chain.
* Quotes: two quotes are one when at least ``quote_merge_threshold`` of the shorter quote's words are in
  the longer (quotes under ``quote_merge_min_words`` words: the same words), and their speakers do not
  conflict (both resolved to different actors).
* Copies (articles stored with ``status = 'duplicate'``) are not extracted; each counts as one more
  report of its original's events and quotes. Counts never double a report: ``articles`` counts distinct
  (outlet, original article) reports, so an exact copy from the original's own outlet adds nothing, while a
  syndicated copy in another outlet adds an article and an outlet. An article with no known outlet counts
  as its own outlet. ``mentions`` is the number of mentions over all those reports.

The result depends only on the store's contents: mentions are processed in a fixed order, and cluster ids
are hashes of their members' ids.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    from tacitus.settings import Settings
    from tacitus.store import Store

_DATE = re.compile(r"^(\d{3,4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_WORD = re.compile(r"\w+", re.UNICODE)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def date_interval(value: str | None, precision: str | None, days: int = 0) -> tuple[date, date] | None:
    """The span of days an ISO (partial) date covers: a year its whole year, a month its month, a decade
    ("198") its ten years; a day or week date itself, widened by ``days / 2`` on each side so that two
    such dates overlap when at most ``days`` apart. None when the value is not a date."""
    if not value:
        return None
    m = _DATE.match(value.strip())
    if not m:
        return None
    try:
        if len(m.group(1)) == 3:  # a decade: "198" = 1980s
            start_year = int(m.group(1)) * 10
            return date(max(start_year, 1), 1, 1), date(start_year + 9, 12, 31)
        year = int(m.group(1))
        if m.group(2) is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(m.group(2))
        if m.group(3) is None:
            nxt = date(year + (month == 12), month % 12 + 1, 1)
            return date(year, month, 1), nxt - timedelta(days=1)
        day = date(year, month, int(m.group(3)))
    except ValueError:
        return None
    half = days // 2
    extra = days - 2 * half  # an odd window gives its extra day to the later side
    if precision == "week":
        half += 3
    return day - timedelta(days=half), day + timedelta(days=half + extra)


def _norm_place(place: str | None) -> str | None:
    if not place:
        return None
    text = place.split(",")[0].strip().lower()
    return text or None


def _norm_outlet(outlet: str | None) -> str | None:
    if not outlet:
        return None
    text = " ".join(outlet.lower().split())
    return text or None


# -- actors ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Side:
    actor_id: str | None
    code: str | None
    name: str | None

    @property
    def known(self) -> bool:
        return bool(self.actor_id or self.code)


def actors_agree(a: Side, b: Side, opposition: frozenset[str] = frozenset()) -> bool | None:
    """True when two known actors are the same (id, code, or one the bare country of the other, unless the
    other's sector is in ``opposition``: "AFG" is not "AFG INS"), False when they conflict, None when
    either is unknown."""
    if not a.known or not b.known:
        return None
    if a.actor_id and a.actor_id == b.actor_id:
        return True
    if a.code and b.code:
        if a.code == b.code:
            return True
        ta, tb = a.code.split(), b.code.split()
        if (len(ta) == 1 or len(tb) == 1) and ta[0] == tb[0]:
            longer = ta if len(ta) > 1 else tb
            return not any(t in opposition for t in longer[1:])
    return False


def _sides_fit(pairs: list[tuple[Side, Side]], source: Side, target: Side,
               opposition: frozenset[str] = frozenset()) -> bool:
    """Whether (source, target) fits every member's (source, target): no conflict on either side, and at
    least one side known and agreeing with each member."""
    for s, t in pairs:
        a, b = actors_agree(s, source, opposition), actors_agree(t, target, opposition)
        if a is False or b is False or not (a or b):
            return False
    return True


# -- events ---------------------------------------------------------------------------------------

@dataclass
class _Mention:
    id: str
    article_id: str
    type: str
    mode: str | None
    source: Side
    target: Side
    date: str | None
    precision: str | None
    span: tuple[date, date] | None
    negated: bool
    hedged: bool
    future: bool
    historical: bool
    intensity: float | None
    quad: str | None
    place: str | None
    sentence: int | None
    start: int
    place_text: str | None = None


@dataclass
class _Cluster:
    family: str
    negated: bool
    future: bool
    span: tuple[date, date]
    members: list[_Mention] = field(default_factory=list)
    pairs: list[tuple[Side, Side]] = field(default_factory=list)
    modes: set[str] = field(default_factory=set)
    places: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


def _family_map(settings: "Settings") -> dict[str, str]:
    out: dict[str, str] = {}
    for group in settings.event_merge_families:
        types = sorted(t.strip().upper() for t in group.split("+") if t.strip())
        for t in types:
            out[t] = "+".join(types)
    return out


def _place_fits(places: set[str], place: str | None) -> bool:
    if place is None:
        return True
    return all(p in place or place in p for p in places)


_COARSE = frozenset({"month", "year", "decade"})


def _coarse_fits(c: "_Cluster", m: "_Mention", sides: tuple[Side, Side], opposition: frozenset[str]) -> bool:
    """When a mention dated only to a month or coarser ("in 1996") would join members of another date (or
    the reverse), some member must agree with it on both actors, or name a place that agrees with its place."""
    if all(x.date == m.date or (x.precision not in _COARSE and m.precision not in _COARSE) for x in c.members):
        return True
    for member, (s, t) in zip(c.members, c.pairs):
        if actors_agree(s, sides[0], opposition) and actors_agree(t, sides[1], opposition):
            return True
        if member.place and m.place and (member.place in m.place or m.place in member.place):
            return True
    return False


def _side_keys(side: Side) -> list[str]:
    """Index keys of a known actor: its id and its code's first (country) part. Two actors that agree share one."""
    keys = []
    if side.code:
        keys.append("c:" + side.code.split()[0])
    if side.actor_id:
        keys.append("i:" + side.actor_id)
    return keys


def cluster_event_mentions(mentions: list[_Mention], settings: "Settings") -> list[list[_Mention]]:
    """Group mentions into events (see the module docstring). Returns clusters, each in processing order."""
    families = _family_map(settings)
    symmetric = {t.upper() for t in settings.event_merge_symmetric}
    within = bool(settings.event_merge_within_article)
    opposition = frozenset(x.strip().upper() for x in settings.event_merge_opposition_sectors)
    strict = bool(settings.event_merge_coarse_strict)
    blocks: dict[tuple[str, bool, bool], list[_Mention]] = defaultdict(list)
    singles: list[list[_Mention]] = []
    for m in mentions:
        if m.span is None or not (m.source.known or m.target.known):
            singles.append([m])
            continue
        blocks[(families.get(m.type, m.type), m.negated, m.future)].append(m)
    out: list[list[_Mention]] = []
    for key in sorted(blocks):
        items = sorted(blocks[key], key=lambda m: (m.span[0], m.span[1], m.article_id, m.start, m.id))
        created: list[_Cluster] = []
        # open clusters by the actors they hold, so a mention is only compared with clusters that share one
        # of its actors on the same side (a cluster it fits always does); ended clusters are dropped now and then
        index: dict[tuple[str, str], list[int]] = defaultdict(list)
        for n, m in enumerate(items):
            if n and n % 1000 == 0:
                for k in list(index):
                    alive = [i for i in index[k] if created[i].span[1] >= m.span[0]]
                    if alive:
                        index[k] = alive
                    else:
                        del index[k]
            lookups = [("s", k) for k in _side_keys(m.source)] + [("t", k) for k in _side_keys(m.target)]
            if m.type in symmetric:
                lookups += [("s", k) for k in _side_keys(m.target)] + [("t", k) for k in _side_keys(m.source)]
            candidates = sorted({i for k in lookups for i in index.get(k, ())})
            home = None
            for i in candidates:
                c = created[i]
                if c.span[1] < m.span[0]:
                    continue
                if not within and m.article_id in c.articles:
                    continue
                if m.mode and c.modes and m.mode not in c.modes:
                    continue
                if not _place_fits(c.places, m.place):
                    continue
                lo, hi = max(c.span[0], m.span[0]), min(c.span[1], m.span[1])
                if lo > hi:
                    continue
                sides = (m.source, m.target)
                if _sides_fit(c.pairs, *sides, opposition) and (not strict or _coarse_fits(c, m, sides, opposition)):
                    home = (i, sides, (lo, hi))
                    break
                swapped = (m.target, m.source)
                if (m.type in symmetric and _sides_fit(c.pairs, *swapped, opposition)
                        and (not strict or _coarse_fits(c, m, swapped, opposition))):
                    home = (i, swapped, (lo, hi))
                    break
            if home is None:
                i = len(created)
                c = _Cluster(key[0], m.negated, m.future, m.span)
                created.append(c)
                sides = (m.source, m.target)
            else:
                i, sides, span = home
                c = created[i]
                c.span = span
            c.members.append(m)
            c.pairs.append(sides)
            c.articles.add(m.article_id)
            if m.mode:
                c.modes.add(m.mode)
            if m.place:
                c.places.add(m.place)
            for k in [("s", k) for k in _side_keys(sides[0])] + [("t", k) for k in _side_keys(sides[1])]:
                lst = index[k]
                if not lst or lst[-1] != i:
                    lst.append(i)
        out.extend(c.members for c in created)
    out.extend(singles)
    return out


# -- reports: originals and their copies ------------------------------------------------------------

@dataclass
class _Article:
    id: str
    outlet: str | None
    outlet_name: str | None
    published: str | None
    url: str | None
    tone: float | None
    added: datetime | None


class _Reports:
    """Originals and the copies that count as further reports of them."""

    def __init__(self, store: "Store"):
        rows = store.con.execute(
            """SELECT a.id, a.outlet, a.published, coalesce(a.url, a.source_path), a.tone, a.duplicate_of, a.status,
                      r.started
               FROM articles a LEFT JOIN runs r ON r.id = a.run_id ORDER BY a.id""").fetchall()
        self.articles: dict[str, _Article] = {}
        self.copies: dict[str, list[_Article]] = defaultdict(list)
        for aid, outlet, published, url, tone, dup_of, status, added in rows:
            art = _Article(aid, _norm_outlet(outlet), outlet, published, url, tone, added)
            self.articles[aid] = art
            if status == "duplicate" and dup_of:
                self.copies[dup_of].append(art)

    def reports(self, article_ids: Iterable[str]) -> dict[tuple[str, str], _Article]:
        """(outlet key, original id) -> the article standing for that report (the original when it is its own
        outlet's report)."""
        out: dict[tuple[str, str], _Article] = {}
        for aid in sorted(set(article_ids)):
            original = self.articles.get(aid)
            if original is None:
                continue
            for art in [original, *sorted(self.copies.get(aid, []), key=lambda a: a.id)]:
                key = (art.outlet or f"article:{art.id}", aid)
                out.setdefault(key, art)
        return out

    def copy_count(self, article_ids: Iterable[str]) -> int:
        return sum(len(self.copies.get(a, [])) for a in set(article_ids))


def _report_counts(reports: dict[tuple[str, str], _Article], per_article: Counter) -> dict[str, Any]:
    outlets = sorted({a.outlet_name or a.outlet for a in reports.values() if a.outlet})
    published = sorted(a.published for a in reports.values() if a.published)
    return {
        "mentions": sum(per_article[orig] for (_o, orig) in reports),
        "articles": len(reports),
        "outlets": len({key for key, _orig in reports}),
        "outlet_names": outlets,
        "first_reported": published[0] if published else None,
        "last_reported": published[-1] if published else None,
    }


def _rank_side(sides: list[Side]) -> Side:
    if len(sides) == 1:
        return sides[0]
    known = [s for s in sides if s.known]
    if not known:
        names = [s.name for s in sides if s.name]
        return Side(None, None, Counter(names).most_common(1)[0][0] if names else None)
    counts = Counter((s.actor_id, s.code) for s in known)
    # most frequent, then most specific code, then id
    best = max(counts, key=lambda k: (counts[k], len((k[1] or "").split()), k[1] or "", k[0] or ""))
    names = Counter(s.name for s in known if (s.actor_id, s.code) == best and s.name)
    return Side(best[0], best[1], names.most_common(1)[0][0] if names else None)


_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "decade": 4}


def _event_row(members: list[_Mention], pairs: list[tuple[Side, Side]], reports: _Reports) -> dict[str, Any]:
    ids = sorted(m.id for m in members)
    types = Counter(m.type for m in members)
    type_ = max(types, key=lambda t: (types[t], t))
    modes = Counter(m.mode for m in members if m.mode)
    dated = [m for m in members if m.date]
    if dated:
        best_rank = min(_PRECISION_RANK.get(m.precision or "", 5) for m in dated)
        finest = Counter((m.date, m.precision) for m in dated if _PRECISION_RANK.get(m.precision or "", 5) == best_rank)
        date_, precision = min(finest, key=lambda k: (-finest[k], k[0]))
        span = date_interval(date_, precision, 0)
    else:
        date_, precision, span = None, None, None
    places = Counter(m.place_text for m in members if m.place_text)
    quads = Counter(m.quad for m in members if m.type == type_ and m.quad)
    intensities = [m.intensity for m in members if m.intensity is not None]
    per_article = Counter(m.article_id for m in members)
    reps = reports.reports(per_article)
    counts = _report_counts(reps, per_article)
    source, target = _rank_side([p[0] for p in pairs]), _rank_side([p[1] for p in pairs])
    arts = [reports.articles[a] for a in per_article if a in reports.articles]
    tones = [a.tone for a in reps.values() if a.tone is not None]
    first = min(arts, key=lambda a: (a.published or "9999", a.id)) if arts else None
    added = [a.added for a in arts if a.added is not None]
    return {
        "id": _digest(ids),
        "type": type_,
        "mode": max(modes, key=lambda k: (modes[k], k)) if modes else None,
        "quad": max(quads, key=lambda k: (quads[k], k)) if quads else None,
        "source": {"code": source.code, "name": source.name},
        "target": {"code": target.code, "name": target.name},
        "source_actor_id": source.actor_id,
        "target_actor_id": target.actor_id,
        "date": date_,
        "date_precision": precision,
        "date_start": span[0] if span else None,
        "date_end": span[1] if span else None,
        "negated": members[0].negated,
        "hedged": all(m.hedged for m in members),
        "future": members[0].future,
        "historical": all(m.historical for m in members),
        "intensity": round(sum(intensities) / len(intensities), 2) if intensities else None,
        "place": max(places, key=lambda k: (places[k], len(k), k)) if places else None,
        **counts,
        "copies": reports.copy_count(per_article),
        "article_ids": sorted(per_article),
        "event_ids": ids,
        "tone": round(sum(tones) / len(tones), 3) if tones else None,
        "lead": any(m.sentence is not None and m.sentence < 3 for m in members),
        "url": first.url if first else None,
        "added": min(added) if added else None,
    }


def _load_mentions(store: "Store", settings: "Settings") -> list[_Mention]:
    rows = store.con.execute(
        """SELECT e.id, e.article_id, e.type, e.mode, e.source_actor_id, e.source.code, e.source.name,
                  e.target_actor_id, e.target.code, e.target.name, e.date, e.date_precision,
                  coalesce(e.negated, FALSE), coalesce(e.hedged, FALSE), coalesce(e.future, FALSE),
                  coalesce(e.historical, FALSE), e.intensity, e.quad, e.place, e.sentence, coalesce(e.start, 0)
           FROM events e WHERE e.type IS NOT NULL ORDER BY e.id""").fetchall()
    days = int(settings.event_merge_days)
    out = []
    for r in rows:
        out.append(_Mention(
            id=r[0], article_id=r[1], type=r[2].upper(), mode=r[3] or None,
            source=Side(r[4], r[5], r[6]), target=Side(r[7], r[8], r[9]),
            date=r[10], precision=r[11], span=date_interval(r[10], r[11], days),
            negated=bool(r[12]), hedged=bool(r[13]), future=bool(r[14]), historical=bool(r[15]),
            intensity=r[16], quad=r[17], place=_norm_place(r[18]), sentence=r[19], start=int(r[20]),
            place_text=r[18]))
    return out


def merge_events(store: "Store", settings: "Settings", reports: _Reports | None = None) -> list[dict[str, Any]]:
    """Event clusters as rows of ``event_clusters`` (not written)."""
    reports = reports or _Reports(store)
    mentions = _load_mentions(store, settings)
    symmetric = {t.upper() for t in settings.event_merge_symmetric}
    opposition = frozenset(x.strip().upper() for x in settings.event_merge_opposition_sectors)
    rows = []
    for members in cluster_event_mentions(mentions, settings):
        pairs = _orient(members, symmetric, opposition)
        rows.append(_event_row(members, pairs, reports))
    return rows


def _orient(members: list[_Mention], symmetric: set[str], opposition: frozenset[str]) -> list[tuple[Side, Side]]:
    """Each member's (source, target), swapped where a symmetric type was merged the other way round."""
    first = members[0]
    pairs = [(first.source, first.target)]
    for m in members[1:]:
        straight = _sides_fit(pairs, m.source, m.target, opposition)
        if not straight and m.type in symmetric and _sides_fit(pairs, m.target, m.source, opposition):
            pairs.append((m.target, m.source))
        else:
            pairs.append((m.source, m.target))
    return pairs


# -- quotes ---------------------------------------------------------------------------------------

def _words(text: str | None) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")]


def merge_quotes(store: "Store", settings: "Settings", reports: _Reports | None = None) -> list[dict[str, Any]]:
    """Quote clusters as rows of ``quote_clusters`` (not written)."""
    reports = reports or _Reports(store)
    rows = store.con.execute(
        """SELECT q.id, q.article_id, q.text, q.speaker, q.speaker_actor_id, q.speaker_code, q.kind,
                  coalesce(a.published, ''), coalesce(q.start, 0)
           FROM quotes q JOIN articles a ON a.id = q.article_id
           ORDER BY coalesce(a.published, ''), q.article_id, coalesce(q.start, 0), q.id""").fetchall()
    threshold = float(settings.quote_merge_threshold)
    min_words = int(settings.quote_merge_min_words)
    words = [_words(r[2]) for r in rows]
    sets = [set(w) for w in words]
    df = Counter(w for s in sets for w in s)
    index: dict[str, list[int]] = defaultdict(list)
    cluster_of: list[int] = []
    clusters: list[list[int]] = []
    speakers: list[set[str]] = []
    for i, r in enumerate(rows):
        s = sets[i]
        home = None
        if s:
            keys = sorted(s, key=lambda w: (df[w], w))[:3]
            candidates = sorted({j for k in keys for j in index[k]})
            for j in candidates:
                c = cluster_of[j]
                if r[4] and speakers[c] and r[4] not in speakers[c]:
                    continue
                small, large = (s, sets[j]) if len(s) <= len(sets[j]) else (sets[j], s)
                if len(words[i]) < min_words or len(words[j]) < min_words:
                    same = words[i] == words[j]
                else:
                    same = len(small & large) / len(small) >= threshold
                if same:
                    home = c
                    break
            for k in keys:
                index[k].append(i)
        if home is None:
            home = len(clusters)
            clusters.append([])
            speakers.append(set())
        clusters[home].append(i)
        cluster_of.append(home)
        if r[4]:
            speakers[home].add(r[4])
    out = []
    for members in clusters:
        items = [rows[i] for i in members]
        ids = sorted(r[0] for r in items)
        per_article = Counter(r[1] for r in items)
        reps = reports.reports(per_article)
        text = max((r[2] or "" for r in items), key=lambda t: (len(t), t))
        named = [r for r in items if r[4]] or [r for r in items if r[3]] or items
        spk = Counter((r[3], r[4], r[5]) for r in named)
        speaker = max(spk, key=lambda k: (spk[k], tuple(x or "" for x in k)))
        kinds = Counter(r[6] for r in items if r[6])
        out.append({
            "id": _digest(ids), "text": text, "speaker": speaker[0], "speaker_actor_id": speaker[1],
            "speaker_code": speaker[2], "kind": max(kinds, key=lambda k: (kinds[k], k)) if kinds else None,
            **_report_counts(reps, per_article), "copies": reports.copy_count(per_article),
            "article_ids": sorted(per_article), "quote_ids": ids,
        })
    return out


# -- writing ----------------------------------------------------------------------------------------

#: Bump when the merging rule changes, so that stores merged by an older rule are merged again.
MERGE_VERSION = 2
_MERGE_SETTINGS = ("event_merge_days", "event_merge_families", "event_merge_symmetric", "event_merge_opposition_sectors",
                   "event_merge_coarse_strict", "event_merge_within_article", "quote_merge_threshold",
                   "quote_merge_min_words")


def corpus_fingerprint(store: "Store", settings: "Settings") -> str:
    """A hash of everything the clusters are computed from: the events, quotes and articles (with their copies,
    outlets and dates), the runs that stored them, the merge settings and :data:`MERGE_VERSION`."""
    row = store.con.execute(
        """SELECT (SELECT count(*) || ':' || coalesce(bit_xor(hash(id, article_id, type, mode, source, target,
                          source_actor_id, target_actor_id, date, date_precision, negated, hedged, future, historical,
                          intensity, quad, place, sentence, start)), 0) FROM events),
                  (SELECT count(*) || ':' || coalesce(bit_xor(hash(id, article_id, text, speaker, speaker_actor_id,
                          speaker_code, kind, start)), 0) FROM quotes),
                  (SELECT count(*) || ':' || coalesce(bit_xor(hash(id, status, duplicate_of, outlet, published, url,
                          source_path, tone, run_id)), 0) FROM articles),
                  (SELECT coalesce(bit_xor(hash(id, started)), 0) FROM runs
                   WHERE id IN (SELECT DISTINCT run_id FROM articles))""").fetchall()[0]
    config = {name: settings[name] for name in _MERGE_SETTINGS}
    return _digest([str(MERGE_VERSION), *map(str, row), json.dumps(config, sort_keys=True)])


def _stored_fingerprint(store: "Store") -> str | None:
    rows = store.con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'event_clusters' AND schema_name = 'main'").fetchall()
    text = rows[0][0] if rows else None
    return text[len("fingerprint:"):] if text and text.startswith("fingerprint:") else None


def rebuild_clusters(store: "Store", settings: "Settings", force: bool = False) -> dict[str, int]:
    """Recompute ``event_clusters`` and ``quote_clusters`` and the ``cluster_id`` of every event and quote,
    in one transaction. Nothing is recomputed when nothing they depend on changed since the last time (see
    :func:`corpus_fingerprint`; kept as the table's comment), unless ``force``. Returns how many clusters of
    each kind the store holds."""
    fingerprint = corpus_fingerprint(store, settings)
    if not force and _stored_fingerprint(store) == fingerprint:
        n_events, n_quotes = store.con.execute(
            "SELECT (SELECT count(*) FROM event_clusters), (SELECT count(*) FROM quote_clusters)").fetchall()[0]
        return {"event_clusters": int(n_events), "quote_clusters": int(n_quotes)}
    reports = _Reports(store)
    events = merge_events(store, settings, reports)
    quotes = merge_quotes(store, settings, reports)
    con = store.con
    con.begin()
    try:
        con.execute("DELETE FROM event_clusters")
        con.execute("DELETE FROM quote_clusters")
        if events:
            store._insert("event_clusters", events)
        if quotes:
            store._insert("quote_clusters", quotes)
        for table, clusters, members in (("events", "event_clusters", "event_ids"),
                                          ("quotes", "quote_clusters", "quote_ids")):
            # through a temporary table: DuckDB evaluates an unnest in UPDATE ... FROM very slowly; only rows
            # whose cluster changed are written, each once
            con.execute(f"""CREATE OR REPLACE TEMP TABLE _tacitus_cluster_map AS
                            SELECT id AS cluster_id, unnest({members}) AS member_id FROM {clusters}""")
            con.execute(f"""UPDATE {table} SET cluster_id = NULL WHERE cluster_id IS NOT NULL
                            AND id NOT IN (SELECT member_id FROM _tacitus_cluster_map)""")
            con.execute(f"""UPDATE {table} SET cluster_id = m.cluster_id FROM _tacitus_cluster_map m
                            WHERE {table}.id = m.member_id AND {table}.cluster_id IS DISTINCT FROM m.cluster_id""")
            con.execute("DROP TABLE _tacitus_cluster_map")
        con.execute(f"COMMENT ON TABLE event_clusters IS '{_sql_text('fingerprint:' + fingerprint)}'")
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return {"event_clusters": len(events), "quote_clusters": len(quotes)}


def _sql_text(text: str) -> str:
    return text.replace("'", "''")
