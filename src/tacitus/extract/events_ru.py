"""PLOVER events from a Russian dependency parse (universal dependencies, from natasha), as the same
:class:`~tacitus.extract.events.Event` records the English extractor yields.

Triggers are verbs and eventive nouns of the Russian lexicon (``data/plover/lexicon_ru.csv``). Arguments:

- verbs: the subject (``nsubj``) is the source; the direct object (``obj``), an indirect object
  (``iobj``) or an oblique with a governed preposition ("встретился с Лавровым", "против талибов") the
  target; in the passive ("был захвачен талибами") the subject is the target and an instrumental
  oblique without preposition the source. A verb without a subject takes the subject of the verb it
  is coordinated with or that governs it ("намерены вывести войска"), or the noun a participle
  modifies ("талибы, захватившие город").
- nouns: a country adjective or an actor in the genitive is the source ("российские удары", "вывод
  войск США"), an oblique or modifier with "с", "против", "по" the target ("переговоры с талибами");
  a noun that is the object of a verb ("провёл переговоры", "нанесли удар") takes that verb's subject.
- "X заявил, что Y атаковал Z": the event is Y -> Z, reported by X.

Attributes: negated ("не", "ни"), hedged ("якобы", "предположительно", "возможно", "по данным ..."),
future or intended (future tense, "будет", "намерены", "планирует", "бы"), the date (a date in the same
sentence, else one earlier in the paragraph for a past-tense verb, else the publication date unless the
passage is historical) and the place (an oblique with "в"/"на" naming a place).
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.events import (ActorAt, ActorRef, Circumstances, Event, coded_events, dateline_place, event_date,
                                    is_historical, paragraph_starts_of)
from tacitus.extract.lexicon import Lexicon, Sense
from tacitus.extract.quotes_ru import CUES_RU
from tacitus.extract.spans import doc_text
from tacitus.extract.timex import Timex, iter_dates

SUBJ = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJ = frozenset({"nsubj:pass", "csubj:pass"})
OBJ = frozenset({"obj", "iobj"})
#: Prepositions that introduce a target ("встретился с", "напали на", "против", "обратился к"); "в" introduces
#: content ("обвинил Россию в поддержке") and places, so only a lexicon row's own preposition admits it.
TARGET_PREPS = frozenset({"с", "со", "против", "на", "к", "ко", "по", "над"})
SOURCE_OF_NOUNS = frozenset({"RETREAT", "MOBILIZE", "PROTEST"})  # "вывод войск": the genitive is the source
SPEECH = frozenset({"заявить", "сказать", "сообщить", "отметить", "подчеркнуть", "добавить", "утверждать",
                    "считать", "полагать", "признать", "написать", "рассказать", "пояснить", "уточнить",
                    "обвинить", "опровергнуть", "отрицать", "сообщать", "заявлять", "говорить", "объявить"})
INTENTION = frozenset({"намереваться", "намеренный", "планировать", "собираться", "хотеть", "пообещать", "обещать",
                       "готовый", "готовиться", "намерен", "решить", "пытаться", "попытаться", "стремиться",
                       "угрожать", "пригрозить", "предложить", "согласиться", "отказаться", "призвать",
                       "потребовать", "попросить", "должный", "должен", "обязанный", "мочь", "призывать",
                       "просить", "требовать", "рассчитывать", "намерение", "готовность", "план", "решение",
                       "предлагать", "обещание"})
HEDGES = frozenset({"якобы", "предположительно", "возможно", "вероятно", "по-видимому", "видимо", "вроде",
                    "будто", "якобы", "наверное"})
NEGATORS = frozenset({"не", "ни"})
SYMMETRIC = frozenset({"встретиться", "встреча", "переговоры", "переговор", "обсудить", "обсуждать",
                       "консультация", "беседа", "созвониться", "договориться", "соглашение", "договорённость",
                       "договоренность", "столкновение", "бой", "саммит"})
PLACE_PREPS = frozenset({"в", "во", "на", "под", "около", "возле", "близ"})


def _case_of(tok: Token) -> str | None:
    """The preposition governing a nominal ("с талибами" -> "с")."""
    for c in tok.children:
        if c.dep_ == "case":
            return c.lower_
    return None


def _conjuncts(tok: Token) -> list[Token]:
    return [tok, *[c for c in tok.children if c.dep_ == "conj"]]


def _actor(tok: Token, actor_at: ActorAt) -> ActorRef | None:
    """The actor a nominal stands for: the person named in apposition ("министр иностранных дел России
    Сергей Лавров" is Lavrov, not the ministry), else its own mention, else the actor a group noun is of
    ("делегация талибов")."""
    for c in tok.children:
        if c.dep_ == "appos" and c.i > tok.i and (a := actor_at(c)) is not None:
            return a
    a = actor_at(tok)
    if a is not None:
        return a
    for c in tok.children:
        if c.dep_ in ("nmod", "flat", "flat:name") and (a := actor_at(c)) is not None:
            return a
    return None


def _subjects(verb: Token, depth: int = 0) -> tuple[list[Token], bool]:
    """The verb's subjects and whether they are passive subjects; borrowed from a coordinated or
    governing verb, or a modified noun, when the verb has none."""
    subj = [c for c in verb.children if c.dep_ in SUBJ]
    if subj:
        return subj, False
    psubj = [c for c in verb.children if c.dep_ in PASSIVE_SUBJ]
    if psubj:
        return psubj, True
    if depth > 3:
        return [], False
    if verb.dep_ in ("conj", "xcomp") and verb.head.i != verb.i:
        return _subjects(verb.head, depth + 1)
    if verb.dep_ in ("acl", "amod", "acl:relcl") and verb.head.i != verb.i:
        if verb.dep_ == "acl:relcl":
            rel = [c for c in verb.children if c.lemma_ in ("который", "что") and c.dep_ in SUBJ]
            if not rel:
                return [], False
        passive = "Pass" in verb.morph.get("Voice")
        return [verb.head], passive
    return [], False


def _passive(verb: Token) -> bool:
    return "Pass" in verb.morph.get("Voice") or any(c.dep_ in PASSIVE_SUBJ or c.dep_ == "aux:pass"
                                                     for c in verb.children)


def _negated(tok: Token) -> bool:
    doc = tok.doc
    for c in tok.children:  # "не атаковали"; not "не только финансирует, но и ..."
        if c.lower_ in NEGATORS and c.i < tok.i and not (c.i + 1 < len(doc) and doc[c.i + 1].lower_ == "только"):
            return True
    return tok.dep_ in ("xcomp",) and _negated(tok.head)


def _hedged(tok: Token, sent: Span) -> bool:
    if any(c.lower_ in HEDGES for c in tok.children):
        return True
    if tok.head.lemma_ in ("мочь", "могший") or any(c.lemma_ == "мочь" for c in tok.children):
        return True
    return UNATTRIBUTED.search(sent.text) is not None or "якобы" in sent.text.lower()


PLANNING = frozenset({"планировать", "планироваться", "намечать", "намечаться", "ожидаться", "готовить",
                      "готовиться", "запланировать", "обещать", "пообещать"})
#: An unattributed report: "как сообщается", "как было объявлено", "по сообщениям", "по имеющимся данным".
UNATTRIBUTED = re.compile(r"\b(?:как (?:сообщается|было объявлено|стало известно|говорится)|по (?:сообщениям|"
                          r"имеющимся данным|некоторым данным|неофициальным данным|данным СМИ))\b", re.I)
PLANNED_ADJ = frozenset({"запланированный", "предстоящий", "будущий", "планируемый", "намеченный", "возможный",
                         "грядущий"})


def _future(tok: Token) -> bool:
    if "Fut" in tok.morph.get("Tense"):
        return True
    if tok.pos_ == "NOUN" and any(c.dep_ == "amod" and c.lemma_ in PLANNED_ADJ for c in tok.children):
        return True  # "запланированный визит", "предстоящие переговоры"
    if any(c.lower_ in ("чтобы", "чтоб") for c in tok.children):
        return True  # "призвал, чтобы войска ушли": wanted, not done
    if tok.pos_ == "NOUN":
        if any(c.lower_ == "накануне" for c in tok.children) or tok.head.lower_ == "накануне":
            return True  # "накануне визита": the visit is still to come
        if tok.dep_ in ("nsubj", "nsubj:pass", "obj") and tok.head.lemma_ in PLANNING:
            return True  # "разговор не планировался", "готовят наступление"
    for c in tok.children:
        if c.dep_ in ("aux", "aux:pass") and ("Fut" in c.morph.get("Tense") or c.lower_ == "бы"):
            return True
        if c.lower_ == "бы":
            return True
    return tok.dep_ == "xcomp" and tok.head.lemma_ in INTENTION


#: "по словам X", "по сообщению X", "по данным X", "по информации X", "по мнению X": X reports the sentence.
ACCORDING_TO = frozenset({"слово", "сообщение", "данные", "информация", "мнение", "оценка", "утверждение"})
#: "как сообщает X", "передает X", "пишет X": a news source that reports the sentence.
REPORTING = frozenset({"сообщать", "сообщить", "передавать", "передать", "писать", "написать", "отмечать",
                       "информировать", "заявлять", "заявить", "уточнить", "уточнять"})


def sentence_reporter(sent: Span, actor_at: ActorAt, trigger: Token) -> ActorRef | None:
    """Who a sentence says reports it: "по словам X", "по сообщению X", or a parenthetical reporting verb
    ("как сообщает X", "..., передает X"), other than the trigger itself."""
    for tok in sent:
        lemma = tok.lemma_
        if lemma in ACCORDING_TO and any(c.lower_ == "по" for c in tok.children):
            for c in tok.children:
                if c.dep_ in ("nmod", "appos") and (a := _actor(c, actor_at)) is not None:
                    return a
        elif lemma in REPORTING and tok.i != trigger.i and (
                tok.dep_ in ("parataxis", "advcl", "acl") or any(c.lower_ == "как" for c in tok.children)):
            if trigger.i in {t.i for t in tok.subtree} and tok.dep_ != "parataxis":
                continue  # the trigger is what the verb reports in its own clause: _reporter's case
            for c in tok.children:
                if c.dep_ in SUBJ and (a := _actor(c, actor_at)) is not None:
                    return a
    return None


def _reporter(tok: Token, actor_at: ActorAt) -> ActorRef | None:
    head = tok
    for _ in range(3):
        if head.dep_ in ("ccomp", "parataxis") and (head.head.lemma_ in SPEECH or head.head.lemma_ in CUES_RU):
            subj, _p = _subjects(head.head)
            for s in subj:
                if (a := _actor(s, actor_at)) is not None:
                    return a
            return None
        if head.head.i == head.i:
            break
        head = head.head
    return None


def _place(tok: Token, is_place: Callable[[Token], str | None]) -> str | None:
    for c in tok.children:
        if c.dep_ == "obl" and _case_of(c) in PLACE_PREPS and (p := is_place(c)) is not None:
            return p
    return None


def _past(tok: Token) -> bool:
    return "Past" in tok.morph.get("Tense") or any("Past" in c.morph.get("Tense") for c in tok.children
                                                   if c.dep_ in ("aux", "aux:pass", "cop"))


def _sense(tok: Token, lexicon: Lexicon) -> Sense | None:
    pos = "VERB" if tok.pos_ in ("VERB", "AUX") else tok.pos_
    if pos not in ("VERB", "NOUN"):
        return None
    preps = {p for c in tok.children if c.dep_ in ("obl", "nmod") and (p := _case_of(c))}
    sense = lexicon.match(tok.lemma_.lower(), pos, set(), preps)
    if sense is None:
        return None
    if sense.requires_object and not any(c.dep_ in OBJ for c in tok.children):
        return None
    return sense


def _verb_arguments(tok: Token, sense: Sense, actor_at: ActorAt) -> tuple[list, list]:
    subj, passive = _subjects(tok)
    passive = passive or _passive(tok)
    others = [c for c in tok.children if c.dep_ in OBJ]
    obliques = [c for c in tok.children if c.dep_ == "obl"]
    if passive:
        targets_t = [t for s in subj for t in _conjuncts(s)]
        sources_t = [t for o in obliques if _case_of(o) is None and "Ins" in o.morph.get("Case")
                     for t in _conjuncts(o)]
    else:
        sources_t = [t for s in subj for t in _conjuncts(s)]
        targets_t = [t for o in others for t in _conjuncts(o)]
        if not any(_actor(t, actor_at) for t in targets_t):
            wanted = {sense.prep} if sense.prep else TARGET_PREPS
            targets_t += [t for o in obliques if _case_of(o) in wanted for t in _conjuncts(o)]
    sources = [a for a in (_actor(t, actor_at) for t in sources_t) if a is not None]
    targets = [a for a in (_actor(t, actor_at) for t in targets_t) if a is not None]
    return sources, targets


def _noun_arguments(tok: Token, sense: Sense, actor_at: ActorAt) -> tuple[list, list, Token | None]:
    sources, targets = [], []
    verb = None
    for c in tok.children:
        if c.dep_ == "amod" and (a := actor_at(c)) is not None:
            sources.append(a)  # "российские удары"
        elif c.dep_ == "iobj" and (a := _actor(c, actor_at)) is not None:
            targets.append(a)  # "поставки оружия талибам"
        elif c.dep_ == "nmod":
            a = _actor(c, actor_at)
            if a is None:
                continue
            prep = _case_of(c)
            if prep is None and "Gen" in c.morph.get("Case"):
                # "вывод войск США": the genitive is who withdraws; "захват Кабула": what is seized
                (sources if sense.type in SOURCE_OF_NOUNS or sense.type in ("CONSULT", "AGREE", "AID")
                 and not sources else targets).append(a)
            elif prep == "по" and sense.type not in ("ASSAULT", "COERCE"):
                continue  # "переговоры по Афганистану" are about Afghanistan; "удар по позициям" hits them
            elif prep in TARGET_PREPS or prep == "между" or (prep is None and "Dat" in c.morph.get("Case")):
                targets.append(a)  # "переговоры с талибами", "поставки оружия талибам"
    if tok.dep_ in ("obj", "nsubj:pass") and tok.head.pos_ in ("VERB", "AUX"):
        verb = tok.head  # "провели переговоры", "нанесли удар"
        if not sources:
            subj, passive = _subjects(verb)
            if not passive:
                sources = [a for a in (_actor(t, actor_at) for s in subj for t in _conjuncts(s)) if a is not None]
        if not targets:
            targets = [a for a in (_actor(t, actor_at) for c in verb.children if c.dep_ == "obl"
                                   and _case_of(c) in TARGET_PREPS for t in _conjuncts(c)) if a is not None]
    return sources, targets, verb


def extract_events_ru(doc: Doc, lexicon: Lexicon, actor_at: ActorAt, timexes: list[Timex] = (),
                      pub_date: str | None = None, is_place: Callable[[Token], str | None] | None = None,
                      dateline: str | None = None) -> Iterator[Event]:
    """The events of a Russian ``doc`` (see the module's docstring)."""
    is_place = is_place or (lambda t: None)
    dates = list(iter_dates(list(timexes)))
    pub_year = int(pub_date[:4]) if pub_date and pub_date[:4].isdigit() else None
    text = doc_text(doc)
    paragraph_starts = paragraph_starts_of(text)
    seen: set[tuple] = set()
    for sent in doc.sents:
        found = []
        for tok in sent:
            sense = _sense(tok, lexicon)
            if sense is None:
                continue
            if sense.pos == "VERB":
                sources, targets = _verb_arguments(tok, sense, actor_at)
                anchor = tok
                if sense.requires_object and sense.type == "CONSULT" and not targets:
                    continue  # "принял делегацию" hosts someone; "принял решение" is no event
            else:
                sources, targets, verb = _noun_arguments(tok, sense, actor_at)
                anchor = verb if verb is not None else tok
                if verb is not None and _sense(verb, lexicon) is not None:
                    continue  # "подписали соглашение": the verb's event
            if not sources and not targets:
                continue
            if not targets and len(sources) >= 2 and tok.lemma_.lower() in SYMMETRIC:
                targets = list(sources)  # "Россия и талибы встретились": each met the other
            claim = None
            if sense.type in ("REJECT", "ACCUSE"):
                obj = next((c for c in tok.children if c.dep_ in ("obj", "obl") and c.pos_ == "NOUN"), None)
                if obj is not None:
                    claim = text[obj.left_edge.idx: obj.right_edge.idx + len(obj.right_edge.text)]
            found.append((tok, sense, sources or [None], targets or [None], anchor, claim))
        for tok, sense, sources, targets, anchor, claim in found:
            future = _future(anchor)
            when, precision, source_of_date = event_date(tok, anchor, sent, dates, paragraph_starts, pub_date,
                                                         pub_year, future, _past(anchor))
            place = dateline_place(_place(anchor, is_place) or _place(tok, is_place), dateline, sent, paragraph_starts)
            circumstances = Circumstances(_negated(anchor) or _negated(tok), _hedged(anchor, sent), future,
                                          _reporter(anchor, actor_at) or sentence_reporter(sent, actor_at, tok),
                                          when, precision, source_of_date, is_historical(when, pub_year), place, claim)
            yield from coded_events(tok, sense, sent, sources, targets, circumstances, seen, SYMMETRIC)
