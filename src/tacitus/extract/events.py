"""PLOVER events from the dependency parse: who did what to whom, when and where.

Triggers are verbs and eventive nouns found in the PLOVER lexicon (lemma, part of speech, particle,
governed preposition). Arguments come from the parse:

- verbs: subject -> source, object (or the object of a governed preposition) -> target; passive voice
  swaps them ("Kabul was captured by the Taliban"); coordinated subjects give one event each ("Russia and
  China agreed"); a verb without a subject takes it from the verb it is coordinated with, or the verb that
  controls it ("Russia wants to supply ..."), or the noun a participle or relative clause modifies;
- nouns: a possessor, nationality or actor compound is the source ("the Soviet invasion", "Russia's
  withdrawal"), "of/against/with/on/to" objects are targets ("the invasion of Afghanistan", "a peace deal
  with the Taliban"), except "withdrawal/deployment of X" where X is the source; a noun that is the object
  of a light verb ("launched an offensive", "took control of Kabul") takes that verb's subject as source.
- "X said Y attacked Z": the event is Y -> Z, reported by X.

Attributes: negated ("did not attack", "receive no weapons"), hedged ("reportedly", "allegedly", "may be
supplying", "is said to"), future or hypothetical ("will withdraw", "plans to", "if"), and the date: the
event's own temporal expression, else the date set earlier in the same paragraph for a past-tense verb,
else the publication date for recent news -- but never the publication date inside a historical passage.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence

from spacy.attrs import LEMMA, LOWER, POS
from spacy.tokens import Doc, Span, Token

from tacitus.extract.arguments import choose, sentence_mentions
from tacitus.extract.lexicon import QUAD, Lexicon, Sense
from tacitus.extract.timex import Timex, iter_dates
from tacitus.extract.spans import doc_text

SUBJ = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJ = frozenset({"nsubjpass", "csubjpass"})
OBJ = frozenset({"dobj", "obj", "dative"})
TARGET_PREPS = ("against", "on", "with", "to", "into", "at", "from", "over", "for", "upon", "toward", "towards")
LIGHT_VERBS = frozenset({"launch", "hold", "conduct", "carry", "sign", "reach", "impose", "make", "begin", "start",
                         "announce", "give", "provide", "take", "stage", "mount", "seize", "gain", "strike", "order",
                         "complete", "finish", "continue", "resume", "lead", "agree", "offer", "deliver", "send",
                         "open"})
ROUND_NOUNS = frozenset({"round", "series", "session", "wave"})
SOURCE_OF_NOUNS = frozenset({"RETREAT", "MOBILIZE", "PROTEST"})  # "withdrawal of troops": of-object is the source
INTENTION = frozenset({"want", "plan", "intend", "seek", "aim", "hope", "expect", "prepare", "vow", "pledge",
                       "promise", "try", "attempt", "decide", "threaten", "propose", "offer", "agree", "refuse",
                       "fail", "wish", "consider"})
NEGATING_HEADS = frozenset({"refuse", "fail", "deny", "decline", "reject"})
SPEECH = frozenset({"say", "tell", "state", "claim", "allege", "report", "announce", "add", "insist", "argue",
                    "believe", "think", "accuse", "suggest", "warn", "note", "write", "confirm", "deny"})
ALLEGING = frozenset({"claim", "allege", "accuse", "suspect", "believe", "think", "suggest", "rumor", "rumour"})
HEDGES = frozenset({"reportedly", "allegedly", "apparently", "purportedly", "possibly", "probably", "likely",
                    "reputedly", "supposedly", "perhaps", "maybe", "seemingly", "ostensibly"})
MODALS = frozenset({"may", "might", "could", "would"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
TROOP_WORDS = frozenset({"troop", "soldier", "force", "unit", "battalion", "brigade", "warship", "ship", "jet",
                         "aircraft", "police", "paratrooper", "marine", "contingent"})
#: Mutual actions: "X met Y" is also "Y met X" (PLOVER codes both directions).
SYMMETRIC = frozenset({"meet", "talk", "negotiate", "clash", "fight", "confer", "discuss", "meeting", "talks",
                       "negotiation", "clash", "summit"})
TERRITORY = frozenset({"district", "city", "town", "village", "province", "territory", "base", "airport", "capital",
                       "border", "crossing", "region", "area", "valley", "pass", "outpost", "checkpoint", "position"})
PLACE_PREPS = frozenset({"in", "at", "near", "outside", "inside", "across", "around"})


@dataclass(frozen=True)
class ActorRef:
    id: str
    name: str
    code: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Event:
    type: str
    mode: str | None
    trigger: str
    start: int
    end: int
    sentence_start: int
    source: ActorRef | None
    target: ActorRef | None
    negated: bool
    hedged: bool
    future: bool
    date: str | None
    date_precision: str | None
    date_source: str | None  # sentence, passage, publication
    historical: bool
    place: str | None
    intensity: float
    quad: str
    confidence: float
    reported_by: ActorRef | None = None
    claim: str | None = None  # for REJECT/ACCUSE: what is rejected or alleged ("allegations over Russia's support")


ActorAt = Callable[[Token], ActorRef | None]


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.conjuncts if c.i > tok.i]]


def _children(tok: Token, deps: Iterable[str]) -> list[Token]:
    deps = set(deps)
    return [c for c in tok.children if c.dep_ in deps]


def _prep_objects(tok: Token, preps: Iterable[str]) -> list[Token]:
    preps = set(preps)
    out = []
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.lower_ in preps:
            out.extend(_children(c, ("pobj",)))
    return out


def _controller_subject(verb: Token, seen: int = 0) -> tuple[list[Token], bool]:
    """Subjects for a verb without its own: from the coordinated or controlling verb. Returns (subjects,
    whether they are passive subjects)."""
    if seen > 4:
        return [], False
    subj = _children(verb, SUBJ)
    if subj:
        return subj, False
    psubj = _children(verb, PASSIVE_SUBJ)
    if psubj:
        return psubj, True
    if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
        return _controller_subject(verb.head, seen + 1)
    if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return [verb.head], verb.tag_ == "VBN" and verb.dep_ == "acl"
    return [], False


def _negated(tok: Token) -> bool:
    if any(c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("advmod", "det", "neg") for c in tok.children):
        return True
    for obj in _children(tok, OBJ):
        if any(c.lower_ in ("no", "none") and c.dep_ == "det" for c in obj.children):
            return True
    head = tok
    for _ in range(3):  # "refused to attack", "failed to reach"
        if head.dep_ in ("xcomp", "ccomp") and head.head.lemma_.lower() in NEGATING_HEADS:
            return True
        if head.dep_ not in ("xcomp", "conj"):
            break
        head = head.head
        if any(c.dep_ == "neg" for c in head.children) and tok.dep_ == "xcomp":
            return True
    return False


def _hedged(tok: Token, sent: Span) -> bool:
    if any(c.lower_ in HEDGES for c in tok.children) or any(c.dep_ == "aux" and c.lower_ in MODALS for c in tok.children):
        return True
    head = tok
    for _ in range(3):
        if head.dep_ in ("xcomp", "ccomp", "conj") and head.head is not head:
            parent = head.head
            if parent.lemma_.lower() in ALLEGING or any(c.lower_ in HEDGES for c in parent.children):
                return True
            if parent.lemma_.lower() in ("say", "believe", "think", "report") and any(
                    c.dep_ in PASSIVE_SUBJ or c.dep_ == "auxpass" for c in parent.children):
                return True  # "is said to", "is believed to"
            head = parent
        else:
            break
    return False


def _future(tok: Token) -> bool:
    if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in tok.children):
        return True
    if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in tok.children):
        return True
    head = tok
    for _ in range(3):
        if head.dep_ in ("xcomp",) and head.head.lemma_.lower() in INTENTION:
            return True
        if head.dep_ == "xcomp" and head.head.lemma_.lower() == "go" and any(
                c.lower_ == "to" for c in head.children):
            return True  # "going to"
        if head.dep_ not in ("xcomp", "conj"):
            break
        head = head.head
        if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in head.children):
            return True
    return False


def _reporter(tok: Token, actor_at: ActorAt) -> ActorRef | None:
    head = tok
    for _ in range(3):
        if head.dep_ in ("ccomp", "xcomp", "conj") and head.head.lemma_.lower() in SPEECH:
            subj = _children(head.head, SUBJ)
            return _actor(subj[0], actor_at) if subj else None
        if head.dep_ not in ("conj",):
            break
        head = head.head
    return None


def _actor(tok: Token, actor_at: ActorAt) -> ActorRef | None:
    """The actor a token names: a mention covering it, or one in its noun phrase."""
    found = actor_at(tok)
    if found is not None:
        return found
    for c in tok.children:  # "the government of Afghanistan", "forces of the Taliban"
        if c.dep_ in ("compound", "amod", "poss", "nmod", "appos"):
            found = actor_at(c)
            if found is not None:
                return found
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in _children(c, ("pobj",)):
                found = actor_at(p)
                if found is not None:
                    return found
    return None


def _place(tok: Token, is_place: Callable[[Token], str | None]) -> str | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ in PLACE_PREPS:
            for p in _children(c, ("pobj",)):
                name = is_place(p)
                if name:
                    return name
    return None


_TRIGGER_POS = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN"}


def _trigger_candidates(doc: Doc, lexicon: Lexicon) -> list[int]:
    """Indices of the tokens that :func:`_sense` may give a sense (a lexicon row for the lemma, or for
    the word of a noun, and the part of speech), read from the token arrays; in order."""
    strings = doc.vocab.strings
    by_key = lexicon.by_key
    out = []
    for i, (pos, lemma, lower) in enumerate(doc.to_array([POS, LEMMA, LOWER]).tolist()):
        kind = _TRIGGER_POS.get(strings[pos]) if pos else None
        if kind is None:
            continue
        if (strings[lemma].lower(), kind) in by_key or (kind == "NOUN" and (strings[lower], kind) in by_key):
            out.append(i)
    return out


def _sense(tok: Token, lexicon: Lexicon) -> Sense | None:
    """The lexicon sense of a token (:func:`_trigger_candidates` has found that it may have one)."""
    pos = _TRIGGER_POS.get(tok.pos_)
    if pos is None:
        return None
    lemma = tok.lemma_.lower()
    particles = {c.lower_ for c in tok.children if c.dep_ == "prt"}
    preps = {c.lower_ for c in tok.children if c.dep_ in ("prep", "agent", "dative")}
    s = lexicon.match(lemma, pos, particles, preps)
    if s is None and pos == "NOUN" and tok.lower_.endswith("s"):
        s = lexicon.match(tok.lower_, pos, particles, preps)  # "talks", "sanctions" lemmatised oddly
    return s


def extract_events(doc: Doc, lexicon: Lexicon, actor_at: ActorAt, timexes: list[Timex] = (),
                   pub_date: str | None = None, is_place: Callable[[Token], str | None] | None = None,
                   dateline: str | None = None, fallback: Callable[[str], tuple[str, float]] | None = None,
                   fallback_threshold: float = 0.6, actor_tokens: Sequence[int] | None = None,
                   trigger: Callable[[Token], tuple[str, float, float]] | None = None,
                   mode: Callable[[Token], tuple[str, float, float]] | None = None,
                   arguments: Callable[[Token, str, list], list] | None = None) -> Iterator[Event]:
    """Yield the events of ``doc``. ``fallback(sentence_text) -> (type or "NONE", probability)`` is asked
    about sentences that name an actor but give no lexicon event; its answer counts at or above
    ``fallback_threshold``. ``actor_tokens``: the indices, in order, of the only tokens ``actor_at``
    answers for (None: any token may have an actor). ``trigger(token) -> (type or "NONE", probability,
    probability of NONE)``: the learned trigger classifier (:mod:`tacitus.extract.triggers`); a candidate
    it calls ``NONE`` with probability at least ``DROP_TRIGGER`` is dropped unless the rules resolve its
    source and its target (or its source and a place or territory as object), one it types with probability
    at least ``SURE_TRIGGER`` takes that type and is coded even without an object or a resolved actor.
    ``mode(token) -> (asserted / reported / planned, probability, _)``: the learned mode classifier; an event
    it calls planned (probability at least ``SURE_MODE``) is marked future, one it calls reported, with no
    reporter found, hedged. ``arguments(trigger, type, mentions) -> [(reference, p(source), p(target))]``:
    the learned argument classifier (:mod:`tacitus.extract.arguments`), asked about the actor mentions of
    the sentence (:func:`tacitus.extract.arguments.sentence_mentions`) for an event whose source or target
    the rules left empty; it fills the empty slot, never one the rules filled."""
    is_place = is_place or (lambda t: None)
    dates = list(iter_dates(list(timexes)))
    pub_year = int(pub_date[:4]) if pub_date and pub_date[:4].isdigit() else None
    text = doc_text(doc)
    paragraph_starts = paragraph_starts_of(text)
    seen: set[tuple] = set()
    candidates = _trigger_candidates(doc, lexicon)
    for sent in doc.sents:
        events: list[tuple[Token, Sense, list[ActorRef | None], list[ActorRef | None], Token | None]] = []
        claims: dict[int, str | None] = {}
        lo = bisect_left(candidates, sent.start)
        hi = bisect_left(candidates, sent.end, lo)
        senses = {i: sense for i in candidates[lo:hi] if (sense := _sense(doc[i], lexicon)) is not None}
        noun_triggers = {i for i, sense in senses.items() if sense.pos == "NOUN"}
        sure: set[int] = set()
        doubtful: set[int] = set()
        territory_object: set[int] = set()  # verbs whose object is a place or territory ("captured 30 districts")
        if trigger is not None:
            for i in list(senses):
                label, p, p_none = trigger(doc[i])
                if label == TRIGGER_NONE:
                    if p_none >= DROP_TRIGGER:
                        doubtful.add(i)
                    continue
                if label != senses[i].type and p >= SURE_TRIGGER:
                    senses[i] = retyped(senses[i], label)
                if p >= SURE_TRIGGER:
                    sure.add(i)
        for i, sense in senses.items():
            tok = doc[i]
            if sense.pos == "VERB":
                objs = _children(tok, OBJ)
                if any(o.i in noun_triggers for o in objs) and tok.lemma_.lower() in LIGHT_VERBS:
                    continue  # "launched an offensive": the noun is the event
                src_toks, passive = _controller_subject(tok)
                passive = passive or any(c.dep_ in ("auxpass",) for c in tok.children) and bool(
                    _children(tok, PASSIVE_SUBJ))
                if passive:
                    targets = [t for s in src_toks for t in _conjuncts(s)]
                    sources = [t for a in _prep_objects(tok, ("by",)) for t in _conjuncts(a)]
                else:
                    sources = [t for s in src_toks for t in _conjuncts(s)]
                    targets = [t for o in objs for t in _conjuncts(o)]
                    if not targets:
                        preps = (sense.prep,) if sense.prep else TARGET_PREPS
                        targets = [t for p in _prep_objects(tok, preps) for t in _conjuncts(p)]
                if tok.lemma_.lower() == "fall" and sense.prep == "to":  # "Kabul fell to the Taliban"
                    sources, targets = [t for p in _prep_objects(tok, ("to",)) for t in _conjuncts(p)], sources
                if sense.requires_object and not targets and i not in sure:
                    continue
                if any(o.lemma_.lower() in TERRITORY or o.ent_type_ in ("GPE", "LOC", "FAC") for o in objs):
                    territory_object.add(i)
                if tok.lemma_.lower() == "take" and not sense.particle and not any(
                        o.lemma_.lower() in TERRITORY or o.ent_type_ in ("GPE", "LOC", "FAC") for o in objs):
                    continue  # "took 120 districts", not "took part" or "took steps"
                if tok.lemma_.lower() == "declare" and not any(
                        w.lower_ in ("terrorist", "terrorists", "extremist", "enemy") for w in tok.subtree):
                    continue
                if tok.lemma_.lower() == "send" and any(o.lemma_.lower() in TROOP_WORDS for o in objs):
                    sense = Sense(sense.lemma, sense.pos, "", "", "MOBILIZE", "troops", -4.0, True)
                target_refs = [_actor(t, actor_at) for t in targets]
                if not passive and not any(target_refs):
                    # "delivered tanks to Ukraine", "supplied the rebels with ...": the actor is in a phrase
                    preps = (sense.prep,) if sense.prep else TARGET_PREPS
                    extra = [t for p in _prep_objects(tok, preps) for t in _conjuncts(p)]
                    extra += [t for o in objs for p in _prep_objects(o, ("to", "for", "against")) for t in _conjuncts(p)]
                    source_ids = {r.id for r in (_actor(t, actor_at) for t in sources) if r is not None}
                    found = [r for r in (_actor(t, actor_at) for t in extra) if r is not None and r.id not in source_ids]
                    if found:
                        target_refs = found
                if tok.lemma_.lower() == "evacuate" and targets and all(r is None for r in target_refs):
                    sense = Sense(sense.lemma, sense.pos, "", "", "RETREAT", "withdraw", 6.0, False)  # left a place
                claim = None
                if sense.type in ("REJECT", "ACCUSE") and objs:
                    obj = objs[0]
                    claim = text[min(t.idx for t in obj.subtree):max(t.idx + len(t.text) for t in obj.subtree)]
                claims[tok.i] = claim
                events.append((tok, sense, [_actor(t, actor_at) for t in sources] or [None],
                               target_refs or [None], tok))
            else:
                sources_t, targets_t = [], []
                for c in tok.children:
                    if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < tok.i:
                        sources_t.append(c)
                    elif c.dep_ == "prep":
                        objs = _children(c, ("pobj",))
                        if c.lower_ == "by":
                            sources_t.extend(objs)
                        elif c.lower_ == "of":
                            (sources_t if sense.type in SOURCE_OF_NOUNS else targets_t).extend(objs)
                        elif c.lower_ in TARGET_PREPS:
                            targets_t.extend(objs)
                sources = [_actor(t, actor_at) for t in sources_t]
                sources = [s for s in sources if s is not None]
                verb = tok.head if tok.dep_ in OBJ | {"pobj", "attr", "nsubjpass"} else None
                if verb is not None and tok.dep_ == "pobj":
                    verb = verb.head if verb.dep_ == "prep" else None
                if verb is not None and verb.pos_ == "NOUN" and verb.lemma_.lower() in ROUND_NOUNS and verb.dep_ in OBJ:
                    verb = verb.head  # "opened a round of talks": the talks are the event, the opener its source
                light_sources: list[ActorRef | None] = []
                if verb is not None and verb.pos_ in ("VERB", "AUX") and tok.dep_ != "nsubjpass":
                    vs = senses.get(verb.i)
                    if vs is not None and vs.type == sense.type and verb.lemma_.lower() not in LIGHT_VERBS:
                        continue  # "signed a deal" is already the verb's event
                    st, passive = _controller_subject(verb)
                    if not passive and verb.lemma_.lower() in LIGHT_VERBS:
                        light_sources = [_actor(t, actor_at) for s in st for t in _conjuncts(s)]
                targets = [_actor(t, actor_at) for t in targets_t]
                targets = [t for t in targets if t is not None]
                if not sources:
                    sources = [s for s in light_sources if s is not None]
                events.append((tok, sense, sources or [None], targets or [None], verb if verb is not None else tok))

        mentions = None  # the sentence's actor mentions, for the argument classifier, read once
        if not events and fallback is not None:
            fb = _fallback_event(sent, actor_at, fallback, fallback_threshold, actor_tokens)
            if fb is not None:
                events.append(fb)
        for tok, sense, sources, targets, clause in events:
            anchor = clause if clause is not None else tok
            future = _future(anchor)
            when, precision, source_of_date = event_date(tok, anchor, sent, dates, paragraph_starts, pub_date,
                                                         pub_year, future, _past(anchor))
            place = dateline_place(_place(anchor, is_place) or _place(tok, is_place), dateline, sent, paragraph_starts)
            hedged, reporter = _hedged(anchor, sent), _reporter(anchor, actor_at)
            if mode is not None and not (hedged or future or reporter is not None):
                status, p, _ = mode(tok)
                if p >= SURE_MODE and status == "planned":
                    future = True  # a requested, intended or conditional act: not (yet) done
                elif p >= SURE_MODE and status == "reported":
                    hedged = True  # someone's claim, not the author's statement
            circumstances = Circumstances(_negated(anchor), hedged, future, reporter, when, precision,
                                          source_of_date, is_historical(when, pub_year), place, claims.get(tok.i))
            if tok.i in doubtful:
                # what outweighs the classifier's "not an event": a full dyad, or an actor acting on a place
                # or territory ("the Taliban captured 30 districts")
                resolved_sources = [s for s in sources if s is not None]
                resolved_targets = [t for t in targets if t is not None]
                if not resolved_sources or not (resolved_targets or tok.i in territory_object):
                    continue
                sources = resolved_sources
            if arguments is not None:
                need_source = all(x is None for x in sources)
                need_target = all(x is None for x in targets)
                if (need_source or need_target) and not (need_source and need_target and tok.i not in sure):
                    # (an event with neither actor is coded only when the trigger classifier is sure of it:
                    # the classifier does not bring back one the rules would drop)
                    if mentions is None:
                        mentions = sentence_mentions(sent, actor_at, actor_tokens)
                    if mentions:
                        taken = {x.id for x in (*sources, *targets) if x is not None}
                        filled_source, filled_target = choose(arguments(tok, sense.type, mentions), need_source,
                                                              need_target, taken)
                        sources = [filled_source] if filled_source is not None else sources
                        targets = [filled_target] if filled_target is not None else targets
            yield from coded_events(tok, sense, sent, sources, targets, circumstances, seen, SYMMETRIC,
                                    tok.i in sure)


#: The trigger classifier's answer for "not an event here".
TRIGGER_NONE = "NONE"
#: A candidate the trigger classifier types with at least this probability takes that type and is coded
#: without an object or a resolved actor.
SURE_TRIGGER = 0.5
#: A candidate the trigger classifier calls "not an event" with at least this probability is dropped unless
#: the rules find its source and its target (or its source and a place or territory as its object); one
#: it doubts less is left to the rules.
DROP_TRIGGER = 0.5


#: An event the mode classifier calls planned or reported with at least this probability is flagged so.
SURE_MODE = 0.6


def retyped(sense: Sense, event_type: str) -> Sense:
    """``sense`` with the trigger classifier's type (its intensity the type's default, no mode)."""
    from tacitus.extract.lexicon import DEFAULT_INTENSITY

    return Sense(sense.lemma, sense.pos, sense.particle, sense.prep, event_type, "",
                 float(DEFAULT_INTENSITY[event_type]), sense.requires_object, note=sense.note)


def _fallback_event(sent: Span, actor_at: ActorAt, fallback, threshold: float,
                    actor_tokens: Sequence[int] | None = None):
    """A classifier event for a sentence with actors and no lexicon trigger: the root verb is the trigger,
    its subject and object (else the first two actors named) are source and target."""
    root = sent.root
    actors: list[ActorRef] = []
    doc = sent.doc
    if actor_tokens is not None:
        lo = bisect_left(actor_tokens, sent.start)
        tokens = [doc[i] for i in actor_tokens[lo:bisect_left(actor_tokens, sent.end, lo)]]
    else:
        tokens = sent
    for t in tokens:
        a = actor_at(t)
        if a is not None and all(a.id != x.id for x in actors):
            actors.append(a)
    if not actors or root.pos_ not in ("VERB", "AUX"):
        return None
    label, p = fallback(sent.text)
    if label == "NONE" or p < threshold:
        return None
    from tacitus.extract.lexicon import DEFAULT_INTENSITY

    subj, passive = _controller_subject(root)
    objs = _children(root, OBJ) or _prep_objects(root, TARGET_PREPS)
    if passive:
        subj, objs = _prep_objects(root, ("by",)), subj
    sources = [a for a in (_actor(t, actor_at) for s in subj for t in _conjuncts(s)) if a is not None]
    targets = [a for a in (_actor(t, actor_at) for o in objs for t in _conjuncts(o)) if a is not None]
    if not sources and not targets:
        sources, targets = actors[:1], actors[1:2]
    sense = Sense("<classifier>", "VERB", "", "", label, "", float(DEFAULT_INTENSITY[label]), False,
                  note=f"{round(p * 0.8, 2)}")
    return root, sense, sources or [None], targets or [None], root


def _past(anchor: Token) -> bool:
    return anchor.tag_ in ("VBD", "VBN") or any(c.tag_ == "VBD" for c in anchor.children if c.dep_ in ("aux", "auxpass"))


def event_date(tok: Token, anchor: Token, sent: Span, dates: list[Timex], paragraph_starts: list[int],
               pub_date: str | None, pub_year: int | None, future: bool,
               past: bool) -> tuple[str | None, str | None, str | None]:
    """(value, precision, source) of an event's date: the date in its sentence nearest the trigger (one in
    the anchor's own clause first), else, for a past event, the last date earlier in its paragraph, else the
    publication date -- unless the passage before is historical. ``past``: the language's own reading of
    the anchor's tense (English tags, Russian morphology)."""
    in_sent = [t for t in dates if sent.start_char <= t.start < sent.end_char]
    if in_sent:
        lo = anchor.left_edge.idx  # the subtree's first and last characters (its edges: idx grows with i)
        hi = anchor.right_edge.idx + len(anchor.right_edge.text)
        own = [t for t in in_sent if lo <= t.start < hi] or in_sent
        best = min(own, key=lambda t: (t.anchored, abs(t.start - tok.idx)))  # "last night (July 1)": July 1
        return best.value, best.precision, "sentence"
    if future:
        return None, None, None
    para = max(p for p in paragraph_starts if p <= sent.start_char)
    before = [t for t in dates if para <= t.start < sent.start_char]
    if before and past:
        return before[-1].value, before[-1].precision, "passage"
    if pub_date and pub_year:
        recent = [t for t in dates if t.start < sent.start_char and t.year is not None]
        if recent and recent[-1].year is not None and recent[-1].year < pub_year - 1 and past:
            return None, None, None  # inside a historical passage: not the publication day
        return pub_date[:10], "day" if len(pub_date) >= 10 else None, "publication"
    return None, None, None


def is_historical(when: str | None, pub_year: int | None) -> bool:
    """A date more than a year before publication (a decade value: more than ten years)."""
    if not when or not pub_year:
        return False
    if when[:4].isdigit():
        return int(when[:4]) < pub_year - 1
    return len(when) < 4 and when.isdigit() and int(when + "0" * (4 - len(when))) < pub_year - 10


def paragraph_starts_of(text: str) -> list[int]:
    return [0] + [m.end() for m in re.finditer(r"\n\s*\n", text)]


def dateline_place(place: str | None, dateline: str | None, sent: Span, paragraph_starts: list[int]) -> str | None:
    """The event's place, else the dateline's for an event in the article's first paragraph."""
    if place is None and dateline and sent.start_char < paragraph_starts[min(1, len(paragraph_starts) - 1)] + 1:
        return dateline
    return place


@dataclass(frozen=True)
class Circumstances:
    """What a trigger's clause says of every event it gives (one per source and target)."""

    negated: bool
    hedged: bool
    future: bool
    reported: ActorRef | None
    when: str | None
    precision: str | None
    date_source: str | None
    historical: bool
    place: str | None
    claim: str | None = None


def coded_events(tok: Token, sense: Sense, sent: Span, sources: Sequence[ActorRef | None],
                 targets: Sequence[ActorRef | None], c: Circumstances, seen: set[tuple],
                 symmetric: frozenset[str], without_actors: bool = False) -> Iterator[Event]:
    """One event per source and target of a trigger (not an actor acting on itself, not one already
    given), a mutual action (``symmetric`` lemmas of CONSULT, ASSAULT, AGREE) coded both ways.
    ``without_actors``: an event with neither actor resolved is coded too (the trigger classifier is sure
    of it: "guerrillas attacked a post" with the guerrillas unresolved)."""
    for src in sources:
        for tgt in targets:
            if src is None and tgt is None and not without_actors:
                continue
            if src is not None and tgt is not None and src.id == tgt.id:
                continue
            key = (sense.type, tok.i, src.id if src else None, tgt.id if tgt else None)
            if key in seen:
                continue
            seen.add(key)
            confidence = 0.9 if src is not None and tgt is not None else 0.7
            if sense.pos == "NOUN":
                confidence -= 0.1
            if sense.note and "not " in sense.note.lower():
                confidence -= 0.1
            if sense.lemma == "<classifier>":
                confidence = float(sense.note)
            pairs = [(src, tgt)]
            if (src is not None and tgt is not None and tok.lemma_.lower() in symmetric
                    and sense.type in ("CONSULT", "ASSAULT", "AGREE")
                    and (sense.type, tok.i, tgt.id, src.id) not in seen):
                seen.add((sense.type, tok.i, tgt.id, src.id))
                pairs.append((tgt, src))  # a mutual action, coded both ways
            for a, b in pairs:
                yield Event(sense.type, sense.mode or None, tok.text, tok.idx, tok.idx + len(tok.text),
                            sent.start_char, a, b, c.negated, c.hedged, c.future, c.when, c.precision,
                            c.date_source, c.historical, c.place, sense.intensity, QUAD[sense.type],
                            round(confidence, 2), c.reported, c.claim)

