"""Turn one article (its ingest record and its processed Doc) into table rows.

Row ids are hashes of what defines the row (article id, offsets, kind), so processing the same
article again yields the same rows: re-runs and resumed runs never duplicate anything.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

from tacitus.extract.spans import doc_text, sentence_of, sentence_starts
from tacitus.ingest.ids import row_id
from tacitus.ingest.records import RawArticle


def article_row(article: RawArticle, article_id: str, status: str, run_id: int, error: str | None = None,
                duplicate_of: str | None = None, similarity: float | None = None) -> dict[str, Any]:
    return {
        "id": article_id,
        "source_path": article.source_path,
        "url": article.url,
        "title": article.title,
        "published": article.published,
        "published_precision": article.published_precision,
        "published_source": article.published_source,
        "date_ambiguous": article.date_ambiguous,
        "outlet": article.outlet,
        "author": article.author,
        "dateline": article.dateline,
        "language": article.language,
        "text": article.text,
        "status": status,
        "error": error,
        "format": article.fmt,
        "word_count": len(article.text.split()),
        "run_id": run_id,
        "duplicate_of": duplicate_of,
        "similarity": similarity,
        "removed": list(article.removed),
        "warnings": list(article.warnings),
    }


def input_row(article: RawArticle, article_id: str | None, status: str, run_id: int, reason: str | None = None) -> dict[str, Any]:
    return {
        "key": article.key,
        "source_path": article.source_path,
        "record": article.record,
        "fingerprint": article.fingerprint,
        "article_id": article_id,
        "status": status,
        "reason": reason,
        "run_id": run_id,
    }


def doc_rows(doc: Doc, article: RawArticle, article_id: str) -> dict[str, list[dict[str, Any]]]:
    """Rows of every extraction table for one processed article."""
    starts = sentence_starts(doc)
    sent = lambda char: sentence_of(starts, char)  # noqa: E731
    rows: dict[str, list[dict[str, Any]]] = {
        "sentences": [], "actors": [], "mentions": [], "quotes": [], "places": [], "counts": [], "roles": [],
        "events": [], "timexes": [], "claims": [],
    }
    ends = starts[1:] + [len(doc_text(doc))]
    tone = doc._.tacitus_tone or {}
    tones = tone.get("sentences") or []
    for i, (s, e) in enumerate(zip(starts, ends)):
        rows["sentences"].append({"article_id": article_id, "sentence": i, "start": s, "end": e,
                                  "tone": tones[i].tone if i < len(tones) else None})
    if tone.get("article") is not None:
        a = tone["article"]
        rows["_article"] = [{"tone": a.tone, "tone_positive": a.positive, "tone_negative": a.negative}]

    actor_by_span: dict[tuple[int, int], Any] = {}
    for mention, actor in doc._.tacitus_actors or []:
        actor_by_span[(mention.start, mention.end)] = actor
        code, country, sector = getattr(actor, "registry", None) or (actor.code, actor.country, actor.sector)
        rows["actors"].append({
            "id": actor.id, "name": actor.name, "code": code, "kind": actor.kind,
            "country": country, "sector": sector, "aliases": [], "roles": "[]", "mention_count": 0,
        })
        rows["mentions"].append({
            "id": row_id("mention", article_id, mention.start, mention.end),
            "article_id": article_id, "actor_id": actor.id, "text": mention.text, "label": mention.label,
            "start": mention.start, "end": mention.end, "sentence": sent(mention.start),
        })

    for r in doc._.tacitus_roles or []:
        rows["roles"].append({
            "id": row_id("role", article_id, r.actor_id, r.start, r.end),
            "article_id": article_id, "actor_id": r.actor_id, "text": r.text, "title": r.title,
            "organisation": r.organisation, "organisation_id": r.organisation_id, "code": r.code,
            "country": r.country, "sector": r.sector, "date": article.published,
            "start": r.start, "end": r.end, "sentence": sent(r.start),
        })

    for t in doc._.tacitus_timexes or []:
        rows["timexes"].append({
            "id": row_id("timex", article_id, t.start, t.end), "article_id": article_id, "text": t.text,
            "value": t.value, "precision": t.precision, "type": t.type, "anchored": t.anchored, "vague": t.vague,
            "start": t.start, "end": t.end, "sentence": sent(t.start),
        })
    for ev in doc._.tacitus_events or []:
        rows["events"].append({
            "id": row_id("event", article_id, ev.type, ev.start, ev.source.id if ev.source else None,
                         ev.target.id if ev.target else None),
            "article_id": article_id, "source_path": article.source_path, "type": ev.type, "mode": ev.mode,
            "source": {"code": ev.source.code, "name": ev.source.name} if ev.source else None,
            "target": {"code": ev.target.code, "name": ev.target.name} if ev.target else None,
            "source_actor_id": ev.source.id if ev.source else None,
            "target_actor_id": ev.target.id if ev.target else None,
            "source_text": ev.source.text if ev.source else None, "target_text": ev.target.text if ev.target else None,
            "date": ev.date, "date_precision": ev.date_precision, "date_source": ev.date_source,
            "negated": ev.negated, "hedged": ev.hedged, "future": ev.future, "historical": ev.historical,
            "intensity": ev.intensity, "quad": ev.quad, "place": ev.place,
            "reported_by": {"code": ev.reported_by.code, "name": ev.reported_by.name} if ev.reported_by else None,
            "sentence": sent(ev.start), "start": ev.start, "end": ev.end, "trigger": ev.trigger,
            "confidence": ev.confidence, "claim": ev.claim,
        })
    role_of: dict[str, str] = {}
    for r in doc._.tacitus_roles or []:
        role_of.setdefault(r.actor_id, r.text)
    actors_by_id = {a.id: a for _, a in (doc._.tacitus_actors or [])}
    persons = {(m.start, m.end): a for m, a in (doc._.tacitus_actors or [])}
    quote_ids: dict[int, str] = {}
    for q in doc._.tacitus_quotes or []:
        speaker_actor = actors_by_id.get(q.speaker_actor_id) if q.speaker_actor_id else None
        if speaker_actor is None and q.speaker_start is not None:
            speaker_actor = next(
                (a for (s, e), a in persons.items() if s <= q.speaker_start < e or q.speaker_start <= s < (q.speaker_end or s)),
                None,
            )
        qid = row_id("quote", article_id, q.kind, q.start, q.end)
        quote_ids.setdefault(q.start, qid)
        rows["quotes"].append({
            "id": qid,
            "article_id": article_id, "source_path": article.source_path, "text": q.text,
            "speaker": speaker_actor.name if speaker_actor and speaker_actor.kind == "person" else q.speaker,
            "speaker_actor_id": speaker_actor.id if speaker_actor else None,
            "speaker_role": q.speaker_role or (role_of.get(speaker_actor.id) if speaker_actor else None),
            "kind": q.kind, "cue": q.cue,
            "start": q.start, "end": q.end, "sentence": sent(q.start),
            "speaker_kind": q.speaker_kind,
            "speaker_text": doc_text(doc)[q.speaker_start:q.speaker_end] if q.speaker_start is not None else None,
            "speaker_code": speaker_actor.code if speaker_actor else q.speaker_code,
            "speaker_start": q.speaker_start, "speaker_end": q.speaker_end, "partial": q.partial,
        })

    from tacitus.extract.claims import proposition

    for c in doc._.tacitus_claims or []:
        obj, subj = c.object, c.subject
        rows["claims"].append({
            "id": row_id("claim", article_id, c.start, c.stance, subj.id if subj else None, c.relation,
                         obj.id if obj else None, c.claimant_actor_id or c.claimant),
            "article_id": article_id, "source_path": article.source_path,
            "quote_id": quote_ids.get(c.quote_start) if c.quote_start is not None else None,
            "stance": c.stance, "claimant": c.claimant, "claimant_actor_id": c.claimant_actor_id,
            "claimant_code": c.claimant_code,
            "subject": subj.name if subj else None, "subject_actor_id": subj.id if subj else None,
            "subject_code": subj.code if subj else None, "relation": c.relation,
            "object": obj.name if obj else None, "object_actor_id": obj.id if obj else None,
            "object_code": obj.code if obj else None,
            # a statement claim (no actors, no relation) has no proposition key: it joins no dispute
            "proposition": proposition(subj.code, c.relation, obj.code if obj else None, subj.id,
                                       obj.id if obj else None) if subj is not None and c.relation else None,
            "text": c.text, "cue": c.cue, "date": article.published,
            "sentence": sent(c.start), "start": c.start, "end": c.end,
        })

    for p, place, is_actor in doc._.tacitus_places or []:
        e = place.entry
        rows["places"].append({
            "id": row_id("place", article_id, p.start, p.end),
            "article_id": article_id, "text": p.text, "name": e.name if e else p.text, "label": p.label,
            "country": e.country if e else None, "latitude": e.latitude if e else None,
            "longitude": e.longitude if e else None, "feature_class": e.feature if e else None,
            "resolved": e is not None, "geonameid": e.geonameid if e else None, "admin1": e.admin1 if e else None,
            "is_actor": is_actor, "start": p.start, "end": p.end, "sentence": sent(p.start),
        })

    place_in_sentence: dict[int, str] = {}
    for p, place, is_actor in doc._.tacitus_places or []:
        if not is_actor:
            place_in_sentence.setdefault(sent(p.start), place.entry.name if place.entry else p.text)
    for c in doc._.tacitus_counts or []:
        rows["counts"].append({
            "id": row_id("count", article_id, c.start, c.end, c.category),
            "article_id": article_id, "number": c.number, "category": c.category, "object": c.object,
            "approximate": c.approximate, "text": c.text, "place": place_in_sentence.get(sent(c.start)),
            "start": c.start, "end": c.end, "sentence": sent(c.start),
        })
    return rows
