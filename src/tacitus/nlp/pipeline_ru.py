"""The Russian pipeline: natasha's analysis, then Russian extractors filling the same ``Doc._`` records
as the English components, so that the store, the corpus stages, the API and the explorer need no Russian
branch. Names resolve to the same knowledge base (Russian aliases in ``data/kb/aliases_ru.csv``) and
places to the same gazetteer (Russian names in ``data/geo/names_ru.tsv``).

Stages, in order: analysis (:mod:`tacitus.nlp.russian`) and entity refinement (:mod:`tacitus.nlp.ner_ru`),
actor mentions and stated roles (:mod:`tacitus.extract.actors_ru`), resolution (the English resolver:
mentions arrive in the nominative), dates (:mod:`tacitus.extract.timex_ru`), places, quotes
(:mod:`tacitus.extract.quotes_ru`), counts (:mod:`tacitus.extract.counts_ru`), events
(:mod:`tacitus.extract.events_ru`) and claims (:mod:`tacitus.extract.claims_ru`). Tone is not scored
for Russian (no Russian lexicon yet): the article's tone stays empty.
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from spacy.tokens import Doc

from tacitus.extract.events import ActorRef
from tacitus.extract.lexicon import Lexicon
from tacitus.extract.records import PlaceMention
from tacitus.extract.spans import doc_text
from tacitus.ingest.records import RawArticle
from tacitus.nlp.russian import CHUNK_CHARS, RussianAnalyser, normal_form
from tacitus.resolve.kb import KnowledgeBase


def reported_in_quotes(events: list, quotes: list):
    """An event told inside a quote is reported by the quote's speaker ("«... финансирует эти организации»,
    — заявил Лавров"), unless the parse already gave it a reporter."""
    from dataclasses import replace

    spoken = [(q.start, q.end, q) for q in quotes if q.speaker_actor_id]
    for ev in events:
        if ev.reported_by is None:
            q = next((q for a, b, q in spoken if a <= ev.start < b), None)
            if q is not None and not (ev.source is not None and ev.source.id == q.speaker_actor_id):
                ev = replace(ev, reported_by=ActorRef(q.speaker_actor_id, q.speaker or "", q.speaker_code,
                                                      q.speaker or "", q.speaker_start or q.start,
                                                      q.speaker_end or q.start))
        yield ev


class RussianPipeline:
    """Loaded once per process (natasha's models lazily, on the first Russian article)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.analyser = RussianAnalyser()
        self.lexicon = Lexicon.load("ru")
        from tacitus.nlp.components import QuoteFinder

        self.quote_finder = QuoteFinder(kb)  # the speakers' roles at the time, as for English

    @classmethod
    def from_files(cls, kb_files: Sequence[str] = ()) -> "RussianPipeline":
        return cls(KnowledgeBase.load(kb_files))

    # -- lookups handed to the extractors -------------------------------------------------------------
    def is_state(self, name: str) -> bool:
        return self.kb.state(name) is not None

    def is_role_word(self, word: str) -> bool:
        return word.casefold() in self.kb.role_words

    def sector_of(self, word: str) -> str | None:
        """A sector word's sector, else a role's ("американский генерал" is the US military)."""
        return self.kb.sector_of(word) or self.kb.role_words.get(word.casefold())

    def parse(self, text: str, chunk_chars: int = CHUNK_CHARS) -> Doc:
        """natasha's analysis (in pieces of at most ``chunk_chars`` characters) with the refined entities."""
        from tacitus.nlp.ner_ru import refine_entities

        doc = self.analyser(text, chunk_chars)
        refine_entities(doc)
        return doc

    def __call__(self, article: RawArticle, chunk_chars: int = CHUNK_CHARS) -> Doc:
        return self.extract(self.parse(article.text, chunk_chars), article)

    def extract(self, doc: Doc, article: RawArticle) -> Doc:
        from tacitus.extract.actors_ru import extract_mentions_ru, extract_roles_ru
        from tacitus.extract.counts_ru import extract_counts_ru
        from tacitus.extract.timex_ru import find_timexes_ru
        from tacitus.nlp.components import speaker_lookup
        from tacitus.resolve.actors import resolve_mentions

        dateline = article.dateline or self.dateline(doc)
        doc._.tacitus_meta = {"published": article.published, "dateline": dateline}
        published = article.published or ""
        pub_year = int(published[:4]) if published[:4].isdigit() else None
        text = doc_text(doc)
        mentions = list(extract_mentions_ru(doc, self.is_state, self.sector_of, self.kb.sector_of))
        persons = [s for m in mentions if m.kind == "person" and m.label == "PERSON"
                   and (s := doc.char_span(m.start, m.end, alignment_mode="expand")) is not None]
        roles = list(extract_roles_ru(doc, persons, self.is_role_word, self.is_state))
        doc._.tacitus_mentions, doc._.tacitus_role_mentions = mentions, roles
        doc._.tacitus_actors, doc._.tacitus_roles = resolve_mentions(mentions, self.kb, text, roles, pub_year,
                                                                     dateline, article.published)
        doc._.tacitus_timexes = find_timexes_ru(text, article.published)
        doc._.tacitus_places = self.places(doc)
        doc._.tacitus_quotes = self.quotes(doc, self.quote_finder, speaker_lookup(doc))
        doc._.tacitus_counts = list(extract_counts_ru(doc))
        from tacitus.extract.claims_ru import asserted_events

        events = self.events(doc, article)
        doc._.tacitus_claims = self.claims(doc, events)
        doc._.tacitus_events = asserted_events(text, events)  # what is denied or alleged stays a claim
        doc._.tacitus_tone = None
        return doc

    @staticmethod
    def dateline(doc: Doc) -> str | None:
        """A dateline the reader left in the text ("МОСКВА, 9 июля —" after a byline it did not recognise):
        the first place in capitals opening a paragraph near the top."""
        from tacitus.extract.actors_ru import is_dateline

        for ent in doc.ents:
            if ent.start_char > 400:
                break
            if ent.label_ in ("GPE", "LOC") and is_dateline(ent):
                return ent.text
        return None

    def places(self, doc: Doc) -> list:
        from tacitus.extract.actors_ru import is_dateline
        from tacitus.resolve.places import Gazetteer, ResolvedPlace

        gazetteer = Gazetteer.load()
        context: Counter[str] = Counter()
        acting = set()
        for m, a in doc._.tacitus_actors or []:
            if a.country:
                context[a.country] += 1
            if m.label != "PLACE":
                acting.add((m.start, m.end))
        mentions, queries = [], []
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC"):
                continue
            name = normal_form(doc, ent.start_char, ent.end_char) or ent.text
            label = "DATELINE" if is_dateline(ent) else ent.label_
            mentions.append(PlaceMention(ent.text, ent.start_char, ent.end_char, label))
            queries.append(name)
            if (st := self.kb.state(name)) is not None:
                context[st.id] += 1
        text = doc_text(doc)
        resolutions = gazetteer.resolve_all([(q, text[p.end:p.end + 12]) for p, q in zip(mentions, queries)], context)
        out = []
        for p, q, resolved in zip(mentions, queries, resolutions):
            if resolved.entry is None and (st := self.kb.state(q)) is not None:
                entry = gazetteer.country(st.id) or gazetteer.country(st.continuity or "")
                resolved = ResolvedPlace(entry, 1 if entry else 0)
            out.append((p, resolved, (p.start, p.end) in acting))
        return out

    def quotes(self, doc: Doc, finder, actor_at) -> list:
        from dataclasses import replace

        from tacitus.extract.quotes_ru import extract_quotes_ru

        stated: dict[str, str] = {}
        for r in doc._.tacitus_roles or []:
            stated.setdefault(r.actor_id, r.text)
        date = (doc._.tacitus_meta or {}).get("published")
        return [replace(q, speaker_role=finder.role_at(q.speaker_actor_id, date, stated)) if q.speaker_actor_id else q
                for q in extract_quotes_ru(doc, actor_at)]

    def events(self, doc: Doc, article: RawArticle) -> list:
        from tacitus.extract.events_ru import extract_events_ru
        from tacitus.nlp.components import actors_by_token, event_actor

        by_token: dict[int, ActorRef] = actors_by_token(doc, event_actor)
        places: dict[int, str] = {}
        dateline = (doc._.tacitus_meta or {}).get("dateline")
        for p, resolved, _acting in doc._.tacitus_places or []:
            if p.label == "DATELINE" and resolved.entry is not None:
                dateline = resolved.entry.name  # the gazetteer's name, as English reports give it
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            if span is None:
                continue
            name = resolved.entry.name if resolved.entry is not None else (
                normal_form(doc, p.start, p.end) or p.text)
            for t in span:
                places[t.i] = name
            if p.label == "GPE" and span.start not in by_token:
                st = self.kb.state(normal_form(doc, p.start, p.end) or p.text)
                if st is not None:  # a state named as an object or oblique is an actor of the event
                    ref = ActorRef(st.id, st.name, st.code, p.text, p.start, p.end)
                    for t in span:
                        by_token.setdefault(t.i, ref)
        events = list(extract_events_ru(doc, self.lexicon, lambda t: by_token.get(t.i), doc._.tacitus_timexes or [],
                                        article.published, lambda t: places.get(t.i), dateline))
        return list(reported_in_quotes(events, doc._.tacitus_quotes or []))

    def claims(self, doc: Doc, events: list) -> list:
        from tacitus.extract.claims import dedupe
        from tacitus.extract.claims_ru import extract_claims_ru

        return dedupe(extract_claims_ru(doc, doc._.tacitus_quotes or [], events))
