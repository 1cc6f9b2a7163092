"""All Tacitus spaCy components, registered in one place.

Each component calls a pure extractor from :mod:`tacitus.extract` (or a resolver) and stores the
records it yields on ``Doc._``; none holds module-level state.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from tacitus.extract.actors import extract_mentions
from tacitus.extract.counts import extract_counts
from tacitus.extract.events import ActorRef, extract_events
from tacitus.extract.lexicon import Lexicon
from tacitus.extract.records import PlaceMention
from tacitus.extract.timex import find_timexes
from tacitus.extract.places import PLACE_LABELS, extract_places
from tacitus.extract.quotes import extract_quotes
from tacitus.extract.roles import extract_roles
from tacitus.resolve.actors import resolve_mentions
from tacitus.resolve.coref import coreferent_mentions
from tacitus.resolve.kb import KnowledgeBase
from tacitus.extract.spans import doc_text

EXTENSIONS = ("tacitus_tone", "tacitus_meta", "tacitus_mentions", "tacitus_role_mentions", "tacitus_actors", "tacitus_roles",
              "tacitus_places", "tacitus_quotes", "tacitus_counts", "tacitus_timexes", "tacitus_events",
              "tacitus_claims")


def register_extensions() -> None:
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


class ActorMentions:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self.capitals = sorted(kb.capitals)
        self.states = sorted(kb.state_names())

    def is_role_word(self, word: str) -> bool:
        return word.casefold() in self.kb.role_words

    def __call__(self, doc: Doc) -> Doc:
        doc._.tacitus_mentions = list(
            extract_mentions(doc, self.capitals, self.states, self.kb.sector_of, self.is_role_word)
        )
        return doc


class RoleMentions(ActorMentions):
    def __call__(self, doc: Doc) -> Doc:
        persons = []
        for m in doc._.tacitus_mentions or []:
            if m.kind == "person" and m.role == "actor":
                span = doc.char_span(m.start, m.end, alignment_mode="expand")
                if span is not None:
                    persons.append(span)
        doc._.tacitus_role_mentions = list(extract_roles(doc, persons, self.is_role_word))
        return doc


class ActorResolver:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc._.tacitus_mentions or [])
        roles = doc._.tacitus_role_mentions or []
        mentions += list(coreferent_mentions(doc, mentions, roles))
        meta = doc._.tacitus_meta or {}
        published = meta.get("published") or ""
        pub_year = int(published[:4]) if published[:4].isdigit() else None
        doc._.tacitus_actors, doc._.tacitus_roles = resolve_mentions(
            mentions, self.kb, doc_text(doc), roles, pub_year, meta.get("dateline"), published or None)
        return doc


@Language.factory("tacitus_actors", requires=["doc.ents"], assigns=["doc._.tacitus_mentions"],
                  default_config={"kb_files": []})
def make_actor_mentions(nlp: Language, name: str, kb_files: list[str]) -> ActorMentions:
    return ActorMentions(KnowledgeBase.load(kb_files))


@Language.factory("tacitus_roles", requires=["doc._.tacitus_mentions", "token.dep"],
                  assigns=["doc._.tacitus_role_mentions"], default_config={"kb_files": []})
def make_role_mentions(nlp: Language, name: str, kb_files: list[str]) -> RoleMentions:
    return RoleMentions(KnowledgeBase.load(kb_files))


@Language.factory(
    "tacitus_resolve", requires=["doc._.tacitus_mentions", "doc._.tacitus_role_mentions"],
    assigns=["doc._.tacitus_actors", "doc._.tacitus_roles"], default_config={"kb_files": []},
)
def make_actor_resolver(nlp: Language, name: str, kb_files: list[str]) -> ActorResolver:
    return ActorResolver(KnowledgeBase.load(kb_files))


class PlaceResolver:
    """Toponyms resolved to the gazetteer, with the article's countries as context. Each item of
    ``doc._.tacitus_places`` is (PlaceMention, ResolvedPlace, is_actor)."""

    def __init__(self, kb: KnowledgeBase):
        self.kb = kb

    def __call__(self, doc: Doc) -> Doc:
        from collections import Counter

        from tacitus.resolve.places import Gazetteer

        gazetteer = Gazetteer.load()
        context: Counter[str] = Counter()
        acting = set()
        for m, a in doc._.tacitus_actors or []:
            if a.country:
                context[a.country] += 1
            if m.label != "PLACE":
                acting.add((m.start, m.end))
        mentions = list(extract_places(doc))
        for ent in doc.ents:  # a country NER took for a nationality ("Tajikistan" as NORP)
            st = self.kb.state(ent.text) if ent.label_ == "NORP" else None
            if st is not None and ent.text in (st.name, *st.aliases):
                mentions.append(PlaceMention(ent.text, ent.start_char, ent.end_char, "GPE"))
            elif st is not None and st.kind == "state" and not any(
                    s < ent.end_char and ent.start_char < e for s, e in acting):
                # "the Sudanese economy", "a Kenyan passport": the country, where no actor stands for it
                mentions.append(PlaceMention(ent.text, ent.start_char, ent.end_char, "DEMONYM"))
        mentions += self.named_within(doc, gazetteer, mentions)
        queries: dict[int, str] = {}
        others = [(e.start_char, e.end_char) for e in doc.ents if e.label_ not in PLACE_LABELS]
        ruled = text_rules(doc_text(doc), gazetteer, mentions, queries, others)
        if ruled:  # a dateline or tag NER took for an organisation or person: the rule's reading
            mentions = [p for p in mentions if p.label not in ("GAZ", "ORG_PART")
                        or not any(r.start < p.end and p.start < r.end for r in ruled)]
            mentions += ruled
        mentions.sort(key=lambda p: p.start)
        for p in mentions:
            st = self.kb.state(p.text)
            if st is not None:
                context[st.id] += 1
        text = doc_text(doc)
        out = []
        resolutions = gazetteer.resolve_all([(queries.get(id(p), p.text), text[p.end:p.end + 12]) for p in mentions],
                                            context)
        kept = self.supported(doc, mentions, resolutions)
        for p, resolved in zip(mentions, resolutions):
            if id(p) not in kept:
                continue
            if (resolved.entry is None or p.label == "DEMONYM") and (st := self.kb.state(p.text)) is not None:
                # "the US", "USSR": a state the KB knows by another name; a historical one by its successor
                from tacitus.resolve.places import ResolvedPlace

                entry = gazetteer.country(st.id) or gazetteer.country(st.continuity or "")
                resolved = ResolvedPlace(entry, 1 if entry else 0)
            out.append((p, resolved, (p.start, p.end) in acting and p.label not in ("GAZ", "ORG_PART")))
        doc._.tacitus_places = out
        return doc


    @staticmethod
    def supported(doc: Doc, mentions: list[PlaceMention], resolutions) -> set[int]:
        """Which mentions to keep: all NER places; a ``GAZ`` or ``ORG_PART`` one only with support, as
        these are often names of people or common words that some small town also bears ("Grant",
        "Police"): it resolved to a country, state, county or continent; or the article also names it as a
        place; or it follows "in", "from", "near", ...; or it is a town in a state or province the article
        names, or near a place it names."""
        ner = {p.text for p in mentions if p.label not in ("GAZ", "ORG_PART")}
        regions = {(r.entry.country, r.entry.admin1) for p, r in zip(mentions, resolutions)
                   if r.entry is not None and p.label not in ("GAZ", "ORG_PART")
                   and r.entry.feature in ("ADM1", "ADM2", "city", "capital")}
        kept = set()
        for p, r in zip(mentions, resolutions):
            e = r.entry
            if p.label in RULE_LABELS:
                if e is not None:  # found by the text's form alone: only a name the gazetteer places
                    kept.add(id(p))
                continue
            if p.label not in ("GAZ", "ORG_PART"):
                kept.add(id(p))
                continue
            if e is None:
                continue
            span = doc.char_span(p.start, p.end, alignment_mode="expand")
            before = doc[span.start - 1].lower_ if span is not None and span.start > 0 else ""
            if (e.feature in REGION_FEATURES or p.text in ner or before in PLACE_PREPOSITIONS
                    or (e.country, e.admin1) in regions):
                kept.add(id(p))
        return kept

    def named_within(self, doc: Doc, gazetteer, found: list[PlaceMention]) -> list[PlaceMention]:
        """Toponyms NER gave another label, or that name an organisation: a whole entity that is a
        gazetteer name and nothing the KB knows ("Laconia" as ORG, "Glen Allen" as PERSON; label ``GAZ``),
        and the place an organisation's name starts or ends with ("the Butler County Coroner's Office",
        "the University of Nebraska"; label ``ORG_PART``). A person's name is not taken for a place when the
        article also writes it as part of a longer person name ("Bob Hamilton" ... "Hamilton")."""
        taken = [(p.start, p.end) for p in found]
        text_all = doc_text(doc)
        surnames = {e[-1].text for e in doc.ents if e.label_ == "PERSON" and len(e) > 1}
        out: list[PlaceMention] = []

        def add(start: int, end: int, label: str) -> None:
            if not any(s < end and start < e for s, e in taken):
                out.append(PlaceMention(text_all[start:end], start, end, label))
                taken.append((start, end))

        for ent in doc.ents:
            if ent.label_ in PLACE_LABELS or ent.label_ not in WITHIN_LABELS:
                continue
            toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
            while toks and toks[-1].text in ("'s", "’s", "'", "’"):
                toks = toks[:-1]
            if not toks or not toks[0].text[:1].isupper():
                continue
            text = text_all[toks[0].idx:toks[-1].idx + len(toks[-1])]
            if self.kb.lookup(text) is not None or self.kb.state(text) is not None:
                continue
            if gazetteer.candidates(text) and len(toks) <= 4:
                if ent.label_ == "PERSON" and len(toks) == 1 and toks[0].text in surnames:
                    continue
                add(toks[0].idx, toks[-1].idx + len(toks[-1]), "GAZ")
                continue
            if ent.label_ not in ("ORG", "FAC", "EVENT", "WORK_OF_ART"):
                continue
            # "the Texas Alcoholic Beverage Commission": the longest leading place name
            for n in range(min(4, len(toks) - 1), 0, -1):
                head = toks[:n]
                if not all(t.text[:1].isupper() or t.text in (".", "-") for t in head):
                    continue
                name = text_all[head[0].idx:head[-1].idx + len(head[-1])]
                if gazetteer.candidates(name) and self.kb.lookup(name) is None:
                    add(head[0].idx, head[-1].idx + len(head[-1]), "ORG_PART")
                    break
            # "the University of Nebraska", "the Government of Alberta": the place after the last "of"
            ofs = [i for i, t in enumerate(toks) if t.lower_ == "of"]
            if ofs and 0 < len(toks) - ofs[-1] - 1 <= 4:
                tail = toks[ofs[-1] + 1:]
                name = text_all[tail[0].idx:tail[-1].idx + len(tail[-1])]
                if tail[0].text[:1].isupper() and gazetteer.candidates(name):
                    add(tail[0].idx, tail[-1].idx + len(tail[-1]), "ORG_PART")
        return out


# Toponyms found by the form of the text rather than by NER (see :func:`text_rules`)
RULE_LABELS = frozenset({"DATELINE", "TAG", "LIST", "REPEAT"})
_DATELINE_RE = re.compile(
    r"(?:^|(?<=[.!?] )|(?<=[.!?]  )|(?<=\n))[ \t]*"
    r"(?P<place>[A-Z][A-Z'\-]*\.?(?: [A-Z][A-Z'\-]*\.?){0,3})"
    r"(?:, (?P<region>[A-Z][A-Za-z]*\.?(?: ?[A-Z][A-Za-z]*\.?){0,2}))?"
    r"(?: ?\([^()\n]{1,30}\))?"
    r"(?P<sep>\s*(?:—|–|--|-|\x97|:)\s| (?=[A-Z][a-z]))")
_TAG_RE = re.compile(r"[,(] ?(?:R|D|I|DFL)-(?P<place>[A-Z][A-Za-z.']*(?: [A-Z][A-Za-z.']*){0,2})(?=\s*[,);]|\s+\W)")
_LIST_END_RE = re.compile(r"\b(?:counties|parishes)\b")
_LIST_NAME_RE = re.compile(r"\b[A-Z][\w'.]*(?: [A-Z][\w'.]*)?")
_LIST_SEP_RE = re.compile(r"(?:,|,? (?:and|or|&)) $")
_NAME_BEFORE = re.compile(r"(?<![.!?] )(?<![.!?]\n)\b[A-Z][\w'.]*[ -]$")  # "Real Madrid"; not a sentence's start
_NAME_AFTER = re.compile(r"[ -][A-Z]")
DATELINE_CHARS = 300  # a dateline opens the article or the paragraph after its title


def text_rules(text: str, gazetteer, found: list[PlaceMention], queries: dict[int, str],
               other_entities: list[tuple[int, int]] = ()) -> list[PlaceMention]:
    """Toponyms that the form of the text gives away and the small NER model misses, each kept only if the
    gazetteer places it (:data:`RULE_LABELS`): a dateline in capitals opening the article or the paragraph
    after its title ("SALINA, Kan. (AP) —", "ST. PARIS —"; label ``DATELINE``); a legislator's party-and-home
    tag ("Sen. Ann Doe, R-Elk River,"; ``TAG``); the names of a list of counties ("Alachua and Gilchrist
    counties", looked up as "Gilchrist County"; ``LIST``); and a name the article already gives NER's place
    label written again where NER found nothing there (``REPEAT``; not inside another entity, nor next to
    a capitalised word: "Real Madrid", "Jerry West"). A ``GAZ`` or ``ORG_PART`` mention does not stand in
    a rule's way (the caller drops it). ``queries`` receives, by mention id, the name to look up where it
    is not the mention's text; ``other_entities`` are the (start, end) of NER's non-place entities."""
    taken = [(p.start, p.end) for p in found if p.label not in ("GAZ", "ORG_PART")]
    out: list[PlaceMention] = []

    def add(start: int, end: int, label: str, query: str | None = None) -> bool:
        if start >= end or any(s < end and start < e for s, e in taken):
            return False
        if not gazetteer.candidates(query or text[start:end]):
            return False
        m = PlaceMention(text[start:end], start, end, label)
        out.append(m)
        taken.append((start, end))
        if query:
            queries[id(m)] = query
        return True

    for m in _DATELINE_RE.finditer(text, 0, DATELINE_CHARS + 80):
        if m.start("place") > DATELINE_CHARS or not any(len(w.strip(".'-")) >= 3 for w in m["place"].split()):
            continue
        if not m["sep"].strip() and not m["region"] and m.start("place") > 0:
            continue  # "DETROIT The ..." only at the very start of the text
        if add(m.start("place"), m.end("place"), "DATELINE") and m["region"]:
            add(m.start("region"), m.end("region"), "DATELINE")
    if "-" in text:
        for m in _TAG_RE.finditer(text):
            words = m["place"].split(" ")
            for n in range(len(words), 0, -1):  # "R-Elk River" before "R-Elk"
                end = m.start("place") + len(" ".join(words[:n]))
                if add(m.start("place"), end, "TAG"):
                    break
    for m in _LIST_END_RE.finditer(text):
        suffix = " County" if m.group(0) == "counties" else " Parish"
        lo = max(0, m.start() - 160)
        names_before = list(_LIST_NAME_RE.finditer(text, lo, m.start()))
        end = lo + len(text[lo:m.start()].rstrip())
        items = []
        for n in reversed(names_before):  # "Alachua, Union and Gilchrist": back from the last one
            if n.end() != end:
                break
            items.append(n)
            before = text[lo:n.start()]
            sep = _LIST_SEP_RE.search(before)
            if sep is None:
                break
            end = lo + sep.start()
        if len(items) >= 2:
            for n in items:
                add(n.start(), n.end(), "LIST", n.group(0) + suffix)
    names = {p.text for p in found if p.label in PLACE_LABELS and len(p.text) >= 4 and p.text[:1].isupper()}
    if names:  # one scan for all the names, longest first
        alternation = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        spans = sorted(other_entities)
        starts = [a for a, _b in spans]

        def in_entity(a: int, b: int) -> bool:  # NER's entities do not overlap: the one starting before b
            i = bisect_left(starts, b) - 1
            return i >= 0 and spans[i][1] > a

        for m in re.finditer(r"(?<![\w.-])(?:" + alternation + r")(?![\w])", text):
            if in_entity(m.start(), m.end()) or _NAME_BEFORE.search(
                    text, max(0, m.start() - 30), m.start()) or _NAME_AFTER.match(text, m.end()):
                continue
            add(m.start(), m.end(), "REPEAT")
    return out


PLACE_PREPOSITIONS = frozenset({"in", "at", "from", "near", "to", "outside", "across", "around", "throughout",
                                "into", "within", "between", "toward", "towards", "via", "of"})
REGION_FEATURES = frozenset({"country", "ADM1", "ADM2", "continent"})


# entity labels whose text may be a toponym all the same (the small model's ORG and PERSON misses)
WITHIN_LABELS = frozenset({"ORG", "PERSON", "NORP", "FAC", "PRODUCT", "EVENT", "WORK_OF_ART"})


@Language.factory("tacitus_places", requires=["doc.ents", "doc._.tacitus_actors"], assigns=["doc._.tacitus_places"],
                  default_config={"kb_files": []})
def make_places(nlp: Language, name: str, kb_files: list[str]) -> PlaceResolver:
    return PlaceResolver(KnowledgeBase.load(kb_files))


def actors_by_token(doc: Doc, make) -> dict:
    """token index -> ``make(mention, actor)`` for the tokens of each resolved actor mention (the first
    mention over a token wins), leaving out countries named only as places."""
    by_token: dict = {}
    for m, a in doc._.tacitus_actors or []:
        if m.label == "PLACE":
            continue  # a country named as a location: the events' states fallback still sees it
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            continue
        ref = make(m, a)
        for t in span:
            by_token.setdefault(t.i, ref)
    return by_token


def event_actor(m, a) -> ActorRef:
    return ActorRef(a.id, a.name, a.code, m.text, m.start, m.end)


def speaker_lookup(doc: Doc):
    """token -> the actor its mention resolved to (pronouns and role nouns to their antecedent's actor)."""
    from tacitus.extract.quotes import SpeakerActor

    by_token = actors_by_token(doc, lambda m, a: SpeakerActor(a.id, a.name, a.code, a.kind, m.label, m.start, m.end))
    return lambda tok: by_token.get(tok.i)


class QuoteFinder:
    """Quotes with their speakers; each speaker's role at the time: the role the article states for
    them, else the knowledge base's role valid at the publication date."""

    def __init__(self, kb: KnowledgeBase, learned: bool = True):
        from tacitus.extract.attribution import load_default

        self.kb = kb
        #: the learned attribution model (PolNeAR train); None: the rules alone
        self.model = load_default() if learned else None

    def role_at(self, actor_id: str | None, date: str | None, stated: dict[str, str]) -> str | None:
        if not actor_id:
            return None
        if actor_id in stated:
            return stated[actor_id]
        entry = self.kb.actors.get(actor_id)
        if entry is None or not entry.roles:
            return None
        day = (date or "")[:10]
        for r in entry.roles:
            if day and (not r.start or r.start[:len(day)] <= day) and (not r.end or day[:len(r.end)] <= r.end):
                return f"{r.role} ({r.org})" if r.org else r.role
        return None

    def __call__(self, doc: Doc) -> Doc:
        from dataclasses import replace

        stated: dict[str, str] = {}
        for r in doc._.tacitus_roles or []:
            stated.setdefault(r.actor_id, r.text)
        date = _meta(doc).get("published")
        learned = None
        if self.model is not None and doc.has_annotation("DEP"):
            from tacitus.extract.attribution import attributions

            learned = list(attributions(doc, self.model))
        doc._.tacitus_quotes = [
            replace(q, speaker_role=self.role_at(q.speaker_actor_id, date, stated)) if q.speaker_actor_id else q
            for q in extract_quotes(doc, speaker_lookup(doc), learned)
        ]
        return doc


@Language.factory("tacitus_quotes", requires=["doc.ents", "token.dep", "doc._.tacitus_actors"],
                  assigns=["doc._.tacitus_quotes"], default_config={"kb_files": [], "learned": True})
def make_quotes(nlp: Language, name: str, kb_files: list[str], learned: bool) -> QuoteFinder:
    return QuoteFinder(KnowledgeBase.load(kb_files), learned)


class ClaimExtractor:
    def __init__(self, lexicon: Lexicon):
        self.lexicon = lexicon

    def __call__(self, doc: Doc) -> Doc:
        from tacitus.extract.claims import dedupe, extract_claims, party_stance, with_co_speakers
        from tacitus.extract.disputed import asserted_only, disputed_spans, noncommittal_cue_at

        quotes = doc._.tacitus_quotes or []
        events = doc._.tacitus_events or []
        claims = dedupe(party_stance(with_co_speakers(
            extract_claims(doc, quotes, events, speaker_lookup(doc), self.lexicon), quotes)))
        # "neither confirmed nor denied", "refused to confirm": no stance, so no claim
        doc._.tacitus_claims = [c for c in claims if not noncommittal_cue_at(doc, c.start, c.end, c.cue)]
        # what is denied or left unconfirmed is a claim at most, never an asserted event
        doc._.tacitus_events = asserted_only(events, disputed_spans(doc), doc)
        return doc


@Language.factory("tacitus_claims", requires=["doc._.tacitus_quotes", "doc._.tacitus_events", "token.dep"],
                  assigns=["doc._.tacitus_claims"])
def make_claims(nlp: Language, name: str) -> ClaimExtractor:
    return ClaimExtractor(Lexicon.load())


@Language.component("tacitus_counts", assigns=["doc._.tacitus_counts"])
def counts_component(doc: Doc) -> Doc:
    doc._.tacitus_counts = list(extract_counts(doc))
    return doc


def _meta(doc: Doc) -> dict:
    """Article metadata the pipeline was given with the text (publication date, dateline)."""
    return doc._.tacitus_meta or {}


@Language.component("tacitus_time", assigns=["doc._.tacitus_timexes"])
def time_component(doc: Doc) -> Doc:
    doc._.tacitus_timexes = find_timexes(doc_text(doc), _meta(doc).get("published"))
    return doc


class EventExtractor:
    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon, fallback_threshold: float = 0.6,
                 trigger_model: bool = True):
        self.kb = kb
        self.lexicon = lexicon
        self.fallback_threshold = fallback_threshold
        self.classifier = None  # trained on first use; tests and evaluation may set their own
        self.use_trigger_model = trigger_model
        self.trigger_model = None  # loaded on first use; the evaluation sets one per cross-validation fold
        self.mode_model = None  # likewise
        self.argument_model = None  # likewise

    def fallback(self, text: str) -> tuple[str, float]:
        if self.classifier is None:
            from tacitus.extract.fallback import default_classifier

            self.classifier = default_classifier()
        return self.classifier.predict(text)

    def _learned(self, attr: str, weights: str):
        """The learned model held in ``attr``: the committed ``weights`` loaded on first use (a fold's model
        where the evaluation set one); None where there is none or it is switched off (``False``)."""
        if getattr(self, attr) is None:
            from tacitus.extract.triggers import default_trigger_model

            setattr(self, attr, default_trigger_model(weights) or False)
        return getattr(self, attr) or None

    def trigger(self, actor_at):
        """The learned trigger decision for this Doc's candidates (None: rules alone)."""
        if not self.use_trigger_model:
            return None
        from tacitus.extract.triggers import TRIGGER_WEIGHTS, trigger_features

        model, lexicon = self._learned("trigger_model", TRIGGER_WEIGHTS), self.lexicon
        if model is None:
            return None

        def decide(tok):
            types = lexicon.types_of(tok.lemma_.lower(), tok.pos_)
            return model.predict(trigger_features(tok, types, actor_at))
        return decide

    def mode(self):
        """The learned mode decision (None: rules alone)."""
        if not self.use_trigger_model:
            return None
        from tacitus.extract.triggers import MODE_WEIGHTS, mode_features

        model = self._learned("mode_model", MODE_WEIGHTS)
        if model is None:
            return None
        return lambda tok: model.predict(mode_features(tok))

    def arguments(self):
        """The learned argument decision: (trigger, type, mentions) -> [(reference, p(source), p(target))]
        (None: rules alone)."""
        if not self.use_trigger_model:
            return None
        from tacitus.extract.arguments import ARGUMENT_WEIGHTS, SOURCE, TARGET, argument_features

        model = self._learned("argument_model", ARGUMENT_WEIGHTS)
        if model is None or SOURCE not in model.classes or TARGET not in model.classes:
            return None  # a model trained on nothing (no candidate was an event)
        k_source, k_target = model.classes.index(SOURCE), model.classes.index(TARGET)

        def decide(tok, event_type, mentions):
            out = []
            for ref, root in mentions:
                probs = model.probabilities(argument_features(tok, root, event_type, ref.code, len(mentions)))
                out.append((ref, probs[k_source], probs[k_target]))
            return out
        return decide

    def actor_lookup(self, doc: Doc):
        """token -> the actor the events take it for: its resolved mention, else a state named there."""
        by_token: dict[int, ActorRef] = actors_by_token(doc, event_actor)
        places: dict[int, str] = {}
        states: dict[int, ActorRef] = {}
        for ent in doc.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                for t in ent:
                    places[t.i] = ent.text
                if ent.label_ == "GPE" and ent.start not in by_token:
                    st = self.kb.state(ent.text) or self.kb.capitals.get(ent.text)
                    if st is not None:
                        ref = ActorRef(st.id, st.name, st.code, ent.text, ent.start_char, ent.end_char)
                        for t in ent:
                            states[t.i] = ref

        def actor_at(tok):
            return by_token.get(tok.i) or states.get(tok.i)

        def is_place(tok):
            return places.get(tok.i)

        return actor_at, is_place, sorted(by_token.keys() | states.keys())

    def __call__(self, doc: Doc) -> Doc:
        actor_at, is_place, actor_tokens = self.actor_lookup(doc)
        meta = _meta(doc)
        doc._.tacitus_events = list(extract_events(
            doc, self.lexicon, actor_at, doc._.tacitus_timexes or [], meta.get("published"), is_place,
            meta.get("dateline"), self.fallback if self.fallback_threshold < 1.0 else None, self.fallback_threshold,
            actor_tokens=actor_tokens, trigger=self.trigger(actor_at), mode=self.mode(), arguments=self.arguments()))
        return doc


@Language.factory("tacitus_events", requires=["doc._.tacitus_actors", "doc._.tacitus_timexes", "token.dep"],
                  assigns=["doc._.tacitus_events"],
                  default_config={"kb_files": [], "fallback_threshold": 0.6, "trigger_model": True})
def make_events(nlp: Language, name: str, kb_files: list[str], fallback_threshold: float,
                trigger_model: bool) -> EventExtractor:
    return EventExtractor(KnowledgeBase.load(kb_files), Lexicon.load(), fallback_threshold, trigger_model)


@Language.component("tacitus_tone", assigns=["doc._.tacitus_tone"])
def tone_component(doc: Doc) -> Doc:
    """Tone of each sentence (in order) and of the article: {"sentences": [Tone], "article": Tone}."""
    from tacitus.extract.tone import article_tone, sentence_tone

    text = doc_text(doc)
    sentences = [sentence_tone(text[s.start_char:s.end_char]) for s in doc.sents]  # = s.text, not rebuilt
    doc._.tacitus_tone = {"sentences": sentences, "article": article_tone(sentences)}
    return doc
