"""Claims: a quote or reported statement that asserts a relation between two actors, with its stance.

"Aref Sahar said Russia is arming the Taliban" is a claim by Aref Sahar (alleges) that Russia AIDs the
Taliban; "The Taliban reject allegations over Russia's support" is a claim by the Taliban (denies) of
the same proposition. The relation comes from the PLOVER events found inside the quote's content; the
stance from the cue verb (deny, reject -> denies; confirm, acknowledge, admit -> confirms; else
alleges), a negated event turning an allegation into a denial ("our fighters receive no weapons").
Accusations coded as ACCUSE events ("Nicholson accused Russia of supplying the Taliban") are claims
too, their unnamed subject being the accused.

:func:`proposition` reduces a claim to a key that claims about the same thing in other articles share:
the subject's country for state actors (Russia, Russian officials and the GRU are all "RUS"), the full
code for other actors (the Taliban stay "AFG INS"), and the relation's family (AID, SUPPORT and
COOPERATE are all "backs").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Token

from tacitus.extract.events import ActorRef, Event
from tacitus.extract.lexicon import Lexicon
from tacitus.extract.quotes import (ALLEGE_VERBS, CLAIM_NOUNS, CONFIRM_VERBS, DENY_VERBS, ActorAt, SpeakerActor, _bases,
                                    stance_of)
from tacitus.extract.records import Quote
from tacitus.extract.spans import doc_text

#: Relation families: claims of one family about the same pair are one proposition.
FAMILIES = {
    "AID": "backs", "SUPPORT": "backs", "COOPERATE": "backs",
    "ASSAULT": "attacks", "COERCE": "attacks", "THREATEN": "attacks", "MOBILIZE": "attacks",
    "CONSULT": "engages", "AGREE": "engages",
}
#: Sectors that speak for their state: their claims are the state's.
STATE_SECTORS = frozenset({"", "GOV", "MIL", "SPY", "LEG", "JUD", "COP", "ELI", "DIP"})
_CLAIMABLE = frozenset(FAMILIES) | {"ACCUSE", "REJECT", "SANCTION", "RETREAT", "REQUEST", "PROTEST"}


@dataclass(frozen=True)
class Claim:
    stance: str  # alleges, denies, confirms
    claimant: str | None
    claimant_actor_id: str | None
    claimant_code: str | None
    subject: ActorRef | None  # None: a statement claim (see _statement_claims)
    relation: str | None  # the PLOVER type of the asserted event; None for a statement claim
    object: ActorRef | None
    text: str  # the quote's (or accusation's) content
    start: int
    end: int
    cue: str | None
    quote_start: int | None = None  # the quote it comes from
    quote_kind: str | None = None


def root_code(code: str | None, actor_id: str | None = None) -> str:
    """'RUS GOV' -> 'RUS'; 'AFG INS' stays; no code -> the actor id."""
    if not code:
        return actor_id or ""
    parts = code.split()
    if len(parts) == 1 or (len(parts[0]) == 3 and parts[1] in STATE_SECTORS):
        return parts[0]
    return code


def proposition(subject_code: str | None, relation: str, object_code: str | None,
                subject_id: str | None = None, object_id: str | None = None) -> str:
    family = FAMILIES.get(relation, relation.lower())
    return f"{root_code(subject_code, subject_id)} {family} {root_code(object_code, object_id) or '?'}"


def _inside(ev: Event, start: int, end: int) -> bool:
    return start <= ev.start < end


def _stance(cue: str | None, negated: bool) -> str:
    stance = stance_of(cue)
    if negated and stance == "alleges":
        return "denies"
    return stance


def _ref(a: SpeakerActor | None) -> ActorRef | None:
    return ActorRef(a.id, a.name, a.code, a.name, a.start, a.end) if a is not None else None


#: Giving verbs and material objects: giving these is AID whatever the verb's own sense.
_GIVING = frozenset("offer give pay provide supply send deliver hand transfer funnel smuggle sell".split())
_MATERIAL = frozenset("""cash money reward bounty bounties fund funds weapon weapons arm arms ammunition aid
    supply supplies equipment fuel missile missiles rifle rifles gun guns training sanctuary shelter""".split())
_SELF = frozenset({"they", "we", "our", "their", "us", "them", "its", "it"})
_TARGET_PREPS = frozenset({"to", "for", "with", "against", "on", "of"})


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    return any(c.dep_ == "dobj" and any(g.lower_ == "no" for g in c.children) for c in tok.children)


def _given(doc: Doc, ev: Event) -> str | None:
    """AID when the event's verb gives something material ("offered cash rewards to X")."""
    span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
    if span is None:
        return None
    tok = span.root
    if tok.lemma_.lower() in _GIVING and any(c.dep_ == "dobj" and c.lemma_.lower() in _MATERIAL for c in tok.children):
        return "AID"
    return None


def content_relations(doc: Doc, q: Quote, actor_at: ActorAt, lexicon: Lexicon) -> Iterator[tuple]:
    """(subject, type, object, negated, trigger) for PLOVER triggers inside a quote's content, read from
    the parse: a verb's subject (a conjunct's shared subject) or a noun's possessor, and its object or
    prepositional target. In a denial or confirmation "they"/"we" is the speaker ("Russian officials
    rejected allegations they are providing weapons"), and a missing target is the speaker too ("the
    Taliban reject allegations over Russia's support")."""
    span = doc.char_span(q.start, q.end, alignment_mode="expand")
    if span is None:
        return
    stance = stance_of(q.cue)
    speaker = None
    if q.speaker_actor_id:
        speaker = ActorRef(q.speaker_actor_id, q.speaker or "", q.speaker_code, q.speaker or "", -1, -1)

    def actor(tok: Token | None) -> ActorRef | None:
        if tok is None:
            return None
        if tok.lower_ in _SELF and stance != "alleges":
            return speaker
        return _ref(actor_at(tok)) if q.start <= tok.idx < q.end else None

    for tok in span:
        if tok.pos_ not in ("VERB", "NOUN"):
            continue
        senses = lexicon.senses(tok.lemma_, tok.pos_) or lexicon.senses(tok.lower_, tok.pos_)
        sense = next((x for x in senses if x.type in FAMILIES), None)
        if sense is None:
            continue
        subj = obj = None
        if tok.pos_ == "VERB":
            head = tok
            while subj is None and head is not None:
                subj = next((c for c in head.children if c.dep_ == "nsubj"), None)
                head = head.head if head.dep_ in ("conj", "xcomp") and head.head is not head else None
            obj = next((c for c in tok.children if c.dep_ in ("dobj", "dative")), None)
        else:
            subj = next((c for c in tok.children if c.dep_ == "poss"), None)
        relation = sense.type
        if obj is not None and obj.lemma_.lower() in _MATERIAL and tok.lemma_.lower() in _GIVING:
            relation = "AID"  # "offered cash rewards to the militants", "gave weapons to"
        src = actor(subj)
        tgt = actor(obj) if obj is not None else None
        if tgt is None:
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                    tgt = actor(next((g for g in c.children if g.dep_ == "pobj"), None))
                    if tgt is not None:
                        break
        if tgt is None and obj is not None:
            for c in obj.children:  # "providing weapons to the Taliban"
                if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                    tgt = actor(next((g for g in c.children if g.dep_ == "pobj"), None))
                    if tgt is not None:
                        break
        if tgt is None and stance != "alleges" and speaker is not None and src is not None and src.id != speaker.id:
            tgt = speaker
        if src is not None and tgt is not None and src.id != tgt.id:
            yield src, relation, tgt, _negated(tok), tok.text


def extract_claims(doc: Doc, quotes: Sequence[Quote], events: Sequence[Event], actor_at: ActorAt,
                   lexicon: Lexicon) -> Iterator[Claim]:
    """Claims from the relations inside quotes (events found there, else the parse of the content), and
    from accusations not already inside a quote."""
    seen: set[tuple] = set()
    from_quotes: list[Claim] = []
    for claim in _quote_claims(doc, quotes, events, actor_at, lexicon, seen):
        from_quotes.append(claim)
        yield claim
    made = list(from_quotes)
    for claim in _other_claims(doc, quotes, events, actor_at, lexicon, seen, from_quotes):
        made.append(claim)
        yield claim
    yield from _statement_claims(quotes, made)


#: Cues that take a stance on what they report, whatever it is about.
STANCE_CUES = DENY_VERBS | CONFIRM_VERBS | ALLEGE_VERBS | frozenset({"suspect", "blame"})


def _statement_claims(quotes: Sequence[Quote], made: Sequence[Claim]) -> Iterator[Claim]:
    """A quote whose cue denies, confirms or alleges ("denied that the emails were classified",
    "acknowledged the error", "accused the campaign of lying") is a claim with that stance even when what
    it says is no relation between two actors: a *statement claim*, with no subject, relation or object,
    its content the proposition in words. It joins no dispute (those need a proposition key). Words that
    already carry a claim between two actors make none."""
    done = {c.quote_start for c in made}
    for q in quotes:
        if q.start in done or q.kind not in ("direct", "indirect") or not q.cue:
            continue
        if any(c.start < q.end and q.start < c.end for c in made):
            continue  # the words already carry a claim between two actors ("accused Pakistan of arming ...")
        words = q.cue.lower().split()
        if not (_bases(words[0]) & STANCE_CUES) or "with" in words[1:]:
            continue  # "charged with": a legal charge, not someone's allegation
        if len(q.text.split()) < 3:
            continue  # "accused ... of running a 'phony system'": a label, not a proposition
        yield Claim(stance_of(q.cue), q.speaker, q.speaker_actor_id, q.speaker_code, None, None, None, q.text,
                    q.start, q.end, q.cue, q.start, q.kind)


def _quote_claims(doc: Doc, quotes: Sequence[Quote], events: Sequence[Event], actor_at: ActorAt, lexicon: Lexicon,
                  seen: set) -> Iterator[Claim]:
    for q in quotes:
        if q.kind not in ("direct", "indirect"):
            continue
        found = False
        for ev in events:
            if not _inside(ev, q.start, q.end) or ev.type not in _CLAIMABLE or ev.future:
                continue
            subject, obj = ev.source, ev.target
            if subject is None or obj is None or subject.id == obj.id:
                continue
            if not (q.start <= subject.start < q.end and q.start <= obj.start < q.end):
                continue  # an actor outside the quote (the speaker, a frame) is not what the quote asserts
            if ev.type in ("ACCUSE", "REJECT") and q.speaker_actor_id == subject.id:
                continue  # the speaker's own act of rejecting, not something asserted
            relation = _given(doc, ev) or ev.type
            key = (q.start, subject.id, relation, obj.id)
            if key in seen:
                continue
            seen.add(key)
            found = True
            yield Claim(_stance(q.cue, ev.negated), q.speaker, q.speaker_actor_id, q.speaker_code, subject, relation,
                        obj, q.text, q.start, q.end, q.cue, q.start, q.kind)
        if found:
            continue
        for subject, relation, obj, negated, _trigger in content_relations(doc, q, actor_at, lexicon):
            key = (q.start, subject.id, relation, obj.id)
            if key in seen:
                continue
            seen.add(key)
            yield Claim(_stance(q.cue, negated), q.speaker, q.speaker_actor_id, q.speaker_code, subject, relation,
                        obj, q.text, q.start, q.end, q.cue, q.start, q.kind)


def _other_claims(doc: Doc, quotes: Sequence[Quote], events: Sequence[Event], actor_at: ActorAt, lexicon: Lexicon,
                  seen: set, from_quotes: list[Claim]) -> Iterator[Claim]:
    text = doc_text(doc)
    quoted = [(q.start, q.end) for q in quotes]
    made: list[Claim] = []
    for acc in events:
        if acc.type != "ACCUSE" or acc.source is None or acc.target is None or acc.negated:
            continue
        if any(s <= acc.start < e for s, e in quoted):
            continue
        for subject, relation, obj, span in _accusation(doc, acc, actor_at, lexicon):
            key = (span[0], acc.source.id, subject.id, relation, obj.id)
            if key in seen or subject.id == obj.id:
                continue
            seen.add(key)
            claim = Claim("alleges", acc.source.name, acc.source.id, acc.source.code, subject, relation, obj,
                          text[span[0]:span[1]], span[0], span[1], acc.trigger)
            made.append(claim)
            yield claim
    # "Pakistan denied the charge", "the Kremlin dismissed the reports": a party to a claim made earlier
    # in the article denies it (the latest claim with the denier as its subject, else as its object)
    earlier = sorted([*made, *from_quotes], key=lambda c: c.start)
    claim_words = {n.rstrip("s") for n in CLAIM_NOUNS}
    for rej in events:
        if rej.type != "REJECT" or rej.source is None or not rej.claim:
            continue
        words = [w.lower().strip(".,;:") for w in rej.claim.split()[:4]]
        if not any(w.rstrip("s") in claim_words for w in words) and words[-1:] not in (["this"], ["that"], ["it"], ["which"]):
            continue
        mine = root_code(rej.source.code, rej.source.id)
        span = doc.char_span(rej.start, rej.end, alignment_mode="expand")
        sent = span.sent if span is not None and doc.has_annotation("SENT_START") else None
        if sent is not None and any(c.claimant_actor_id == rej.source.id and sent.start_char <= c.start < sent.end_char
                                    for c in earlier):
            continue  # the same sentence's quote already carries this denial
        before = [c for c in earlier if c.start < rej.start and c.stance == "alleges"]
        if not any(w.rstrip("s") in claim_words for w in words):
            # "which Russia has denied": a pronoun points into its own or the previous sentence only
            floor = sent.start_char if sent is not None else rej.sentence_start
            if sent is not None and sent.start > 0:
                floor = doc[sent.start - 1].sent.start_char
            before = [c for c in before if c.start >= floor]
        # "the allegations" are an outsider's before a party's own account; the denier as subject first
        target = None
        for party in (False, True):
            for side in ("subject", "object"):
                target = target or next(
                    (c for c in reversed(before) if _party(c) == party and getattr(c, side) is not None
                     and root_code(getattr(c, side).code, getattr(c, side).id) == mine), None)
        if target is None:
            continue
        key = (rej.start, target.subject.id, target.relation, target.object.id if target.object else None)
        if key in seen:
            continue
        seen.add(key)
        at = text.find(rej.claim, rej.sentence_start)
        at = at if at >= 0 else rej.start
        yield Claim("denies", rej.source.name, rej.source.id, rej.source.code, target.subject, target.relation,
                    target.object, text[at:at + len(rej.claim)] if at != rej.start else rej.trigger, at,
                    at + (len(rej.claim) if at != rej.start else len(rej.trigger)), rej.trigger)


def _accusation(doc: Doc, acc: Event, actor_at: ActorAt, lexicon: Lexicon) -> Iterator[tuple]:
    """'X accused Y of arming Z' -> (Y, AID, Z, span of 'arming Z'): the gerund under 'of' or 'over'."""
    span = doc.char_span(acc.start, acc.end, alignment_mode="expand")
    if span is None:
        return
    verb = span.root
    for prep in [c for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "over", "for")]:
        for g in prep.children:
            if g.dep_ not in ("pcomp", "pobj"):
                continue
            for act in [g, *g.conjuncts]:
                senses = lexicon.senses(act.lemma_, act.pos_) or lexicon.senses(act.lower_, act.pos_)
                sense = next((x for x in senses if x.type in FAMILIES), None)
                if sense is None:
                    continue
                obj = next((c for c in act.children if c.dep_ in ("dobj", "dative")), None)
                for other in (g, *g.conjuncts):  # "arming and guiding the Taliban": a shared object
                    if obj is None and other is not act:
                        obj = next((c for c in other.children if c.dep_ in ("dobj", "dative")), None)
                tgt = _ref(actor_at(obj)) if obj is not None else None
                if tgt is None:
                    for c in act.children:
                        if c.dep_ == "prep" and c.lower_ in _TARGET_PREPS:
                            tgt = _ref(actor_at(next((x for x in c.children if x.dep_ == "pobj"), None) or c))
                            if tgt is not None:
                                break
                if tgt is not None:
                    yield acc.target, sense.type, tgt, (prep.idx, g.right_edge.idx + len(g.right_edge))


def with_co_speakers(claims: Iterable[Claim], quotes: Sequence[Quote]) -> Iterator[Claim]:
    """A claim from a quote with coordinated speakers is each speaker's claim."""
    from dataclasses import replace

    by_start = {q.start: q for q in quotes if q.co_speakers}
    for c in claims:
        yield c
        q = by_start.get(c.quote_start) if c.quote_start is not None else None
        for name, actor_id, code in (q.co_speakers if q else ()):
            yield replace(c, claimant=name, claimant_actor_id=actor_id, claimant_code=code)


def _party(c: Claim) -> bool:
    """The claimant is one side of the relation it asserts."""
    if not c.claimant_code or c.object is None or c.subject is None:
        return False
    mine = root_code(c.claimant_code, c.claimant_actor_id)
    return mine in (root_code(c.subject.code, c.subject.id), root_code(c.object.code, c.object.id))


def party_stance(claims: Iterable[Claim]) -> Iterator[Claim]:
    """A party's own account of a relation it is in confirms it ("Moscow will meet its obligations to
    Tajikistan", said by Russian officials); an allegation is made about others."""
    from dataclasses import replace

    for c in claims:
        if c.stance == "alleges" and _party(c):
            c = replace(c, stance="confirms")
        yield c


def dedupe(claims: Iterable[Claim]) -> list[Claim]:
    """One claim per (quote, proposition): "arming and financing" is one claim that Russia backs the Taliban.
    Statement claims pass (one per quote and claimant). Otherwise both sides must be coded actors (a place or an unknown name asserts no relation between actors), and
    not two bodies of one state ("the United States attacks the US military")."""
    out: dict[tuple, Claim] = {}
    for c in claims:
        if c.subject is None and c.relation is None:  # a statement claim: one per quote and claimant
            out.setdefault((c.start, c.stance, c.claimant_actor_id or c.claimant, c.text), c)
            continue
        if c.subject is None or not c.subject.code or c.object is None or not c.object.code:
            continue
        if root_code(c.subject.code) == root_code(c.object.code):
            continue
        key = (c.start, c.stance, c.claimant_actor_id or c.claimant,
               proposition(c.subject.code, c.relation, c.object.code if c.object else None, c.subject.id,
                           c.object.id if c.object else None))
        out.setdefault(key, c)
    return list(out.values())
