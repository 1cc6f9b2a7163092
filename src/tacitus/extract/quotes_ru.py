"""Russian quotes: who said what, from the natasha parse (:class:`~tacitus.nlp.russian.RussianAnalyser`).

Direct quotes (:func:`find_quotes_ru`) come from a scanner over each paragraph's quote marks: « » (nested
guillemets included: «... а с «Прогрессом» всё иначе ...»), „ “, “ ” and straight " ". A mark left
open at the end of its paragraph makes a quote only when the paragraph opens with it or a colon or dash
comes right before it; otherwise the mark is dropped (an unbalanced mark is not a quote).

Each direct quote gets its frame from the parse, in this order:

- a frame inside the marks, the Russian convention «A, — пояснила она, — B» (two quotes, A and B, one
  speaker);
- a frame after the closing mark: «...», — заявил Кабулов. / «...» — говорит он / «...», сказал X;
- a frame before the opening mark in the same sentence: X заявил: «...» / Как заявил X, «...» / X
  подчеркнул, что «...» / по словам X, «...» / назвал доклад «грубой подделкой» (a quoted
  fragment as the complement of назвать) / a colon after a person's name or a clause whose subject is a
  person ("Виктор Ларин: «...»");
- none: the quote goes on from the last speaker (the same paragraph as that speaker's quote, or the next
  paragraph when no other person is named in between): speaker kind ``continued``.

Quote hygiene: quoted names and terms are not quotes: a quote with no frame that is shorter than six
words and does not end like a sentence, a quoted phrase of fewer than four words unless a cue introduces
it as a fragment (lower case, right after the cue), a quote that is exactly a named entity. Narrative
between two quotes is never part of either. Interview transcripts ("Сергей Нечаев: Да, ...", a name
that opens two or more paragraphs, or a person's name) are direct quotes with the colon as their cue.

Reported speech (kind ``indirect``) from the parse: a cue verb, participle, gerund or short adjective
(:data:`CUES_RU`: заявил, считает, уверен, заявив, считающему ...) with a clausal complement ("X заявил,
что ...", "заявил о том, что ...", "опроверг предположения, что ..."); appeals and promises with an
infinitive ("призвал стороны прекратить огонь"); parenthetical frames ("как сообщил X, ...", "...,
сообщает X.", "..., считает X, ..."); the frame nouns "по словам X", "по мнению X", "по данным X", "по
сообщению X", ...; "согласно X"; the anaphoric "Об этом заявил X" (the sentence before). Impersonal and
passive frames ("Говорят, что", "было заявлено, что") have no speaker and are left out; so are
attributions nested in another one's content. A clause that is wholly a quote ("подчеркнул, что «...»")
is the direct quote; a clause only partly quoted is one indirect attribution (its quoted part is not a
second one). A second-level source ("X заявил, что ..., сообщает агентство"; "по данным газеты, полиция
отметила, что ...") leaves the attribution to the speaker and its own verb. A record's ``cue`` is the
cue as written, with its negation ("не исключил"), so that :func:`stance_of_ru` can read it.

Cost: one pass over the tokens for the cues, one over each paragraph's characters for the marks, and
precompiled patterns; about 2 ms an article on factRuEval's 122 devset documents (natasha's analysis
takes about 70).

Speakers: the cue's subject (nsubj; for a conjunct or a gerund, the governing verb's; for a participle,
its noun; "в министерстве уверены": the ``в`` phrase; "цитирует X Lenta.ru": X), the source of a frame
noun, named in the nominative: a person through ``actor_at`` or natasha's normal form
(:func:`~tacitus.nlp.russian.normal_form`), a surname through the fuller name earlier in the article
("Лавров" -> "Сергей Лавров"), "он"/"она"/"его"/"её" through the nearest person named before it whose
grammatical gender (the Gender feature of the name's tokens) agrees, outside quotes first. A title with
a name ("президент Иван Петров", "глава МИДа Олег Смирнов") is the name. Kinds: named, surname,
pronoun, role (a person's title or job), anonymous (источник, эксперты, наблюдатели ...), institutional
(a body, a country, a medium), continued.

Stance (:func:`stance_of_ru`): denies for опровергнуть/отвергнуть/отрицать/отклонить, confirms for
подтвердить/признать, alleges otherwise. A cue written with its negation ("не подтвердил", "ни
подтвердил, ни опроверг", "отказался подтвердить") is neither a confirmation nor a denial: it is
returned as ``alleges``, the neutral value (the statement is recorded as a claim of its speaker, and no
one is recorded as confirming or denying it).

Every record's ``text`` equals ``doc.text[start:end]`` and its speaker words equal
``doc.text[speaker_start:speaker_end]``. :func:`attributions_ru` yields each record with its cue's
character span (``None`` where there is no cue), for the evaluation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.quotes import ActorAt, Speaker, SpeakerActor
from tacitus.extract.records import Quote
from tacitus.extract.spans import doc_text

#: Lemmas (as natasha gives them) of the words that introduce what someone said, wrote or holds: verbs
#: of speech, belief and stance, the short adjectives уверен/убеждён (lemmas уверить, убедить), appeals
#: and promises. A cue needs a clause, an infinitive (appeals and promises) or a quote to count.
CUES_RU = frozenset(
    """заявить заявлять сказать говорить сообщить сообщать отметить отмечать подчеркнуть подчёркивать
    подчеркивать добавить добавлять рассказать рассказывать пояснить пояснять объяснить объяснять уточнить
    уточнять заверить заверять уверить уверенный убедить убежденный убеждённый считать полагать думать
    верить признать признавать признаться опровергнуть опровергать отвергнуть отвергать отрицать отклонить
    подтвердить подтверждать обвинить обвинять пообещать обещать предупредить предупреждать утверждать
    напомнить напоминать констатировать написать писать ответить отвечать заключить подытожить резюмировать
    продолжить продолжать прокомментировать комментировать посетовать сетовать пожаловаться жаловаться
    объявить объявлять высказаться сомневаться усомниться рассчитывать надеяться опасаться бояться призвать
    призывать потребовать требовать пригрозить грозить цитировать процитировать прогнозировать предсказать
    передать передавать информировать проинформировать указать указывать настаивать исключить допустить
    допускать возразить парировать заметить акцентировать уведомить высказывать убеждать""".split()
)
#: Cues whose infinitive complement is the content ("призвал стороны прекратить огонь").
INTENT_RU = frozenset("призвать призывать пообещать обещать пригрозить грозить потребовать требовать".split())
#: Cues that introduce a quoted fragment as their complement ("назвал доклад «грубой подделкой»").
LABEL_RU = frozenset("назвать называть окрестить охарактеризовать объявить объявлять".split())
#: Cues that are speech only next to a quote (продолжил: "«...», — продолжил он"; not "продолжил работу, что").
_QUOTE_ONLY = frozenset("продолжить продолжать заключить".split())
DENY_RU = frozenset("опровергнуть опровергать отвергнуть отвергать отрицать отклонить отклонять".split())
CONFIRM_RU = frozenset("подтвердить подтверждать признать признавать".split())
ALLEGE_RU = frozenset("обвинить обвинять заявить заявлять утверждать".split())
_DENY_STEMS = ("опроверг", "отверг", "отрица", "отклон")
_CONFIRM_STEMS = ("подтверд", "подтвержд", "призна")
#: Nouns of the frames "по словам X", "по мнению X", ... (lemmas).
FRAME_NOUNS = frozenset("слово мнение данные сообщение утверждение сведение сведения информация оценка заявление "
                        "версия признание словам".split())
#: Nouns naming a claim ("опроверг предположения, что ...").
CLAIM_NOUNS_RU = frozenset("предположение сообщение утверждение обвинение информация слух данные заявление версия "
                           "мнение подозрение догадка".split())
_ANON_RU = frozenset("""источник эксперт аналитик наблюдатель чиновник житель очевидец свидетель специалист
сотрудник представитель участник собеседник корреспондент журналист политолог экономист военный активист
правозащитник демонстрант""".split())
_PERSON_NOUNS_RU = frozenset("""президент премьер премьер-министр министр глава руководитель директор председатель
губернатор мэр посол спикер депутат сенатор генерал полковник командир лидер главком секретарь
пресс-секретарь советник помощник заместитель замглавы вице-премьер вице-губернатор полпред представитель
эксперт аналитик скульптор писатель журналист адвокат юрист врач учёный ученый академик протоиерей
священник министр чиновник супруга супруг жена муж мать отец дочь сын сестра брат ветеран тренер
наставник капитан пилот космонавт астронавт бортинженер художник композитор маэстро режиссёр актёр
певец артист инженер рабочий чемпион политик дипломат""".split())
_PERS_PRONOUNS = {"он": "Masc", "она": "Fem", "его": "Masc", "её": "Fem", "ее": "Fem", "него": "Masc",
                  "неё": "Fem", "нее": "Fem"}
_PLURAL_PRONOUNS = frozenset({"они", "их", "них"})
_SUBJ = ("nsubj", "nsubj:pass")
_CLAUSE_DEPS = ("ccomp", "csubj")

_OPEN_AFTER = set(" \t\n([{—–-/:;,.")
_SENT_END = re.compile(r"[.!?…]+[»\"“”]?(?=\s|$)")
#: the inner frame of «A, — пояснила она, — B»: a comma (or ! ? …) and a dash, the frame, a comma or a
#: full stop and a dash
_INNER_FRAME = re.compile(r"(?P<pre>[,!?…])\s*[—–-]{1,2}\s+(?P<frame>[^«»\"—–\n]{2,100}?)\s*(?P<post>[,.:])"
                          r"\s*[—–-]{1,2}\s+")
_NEWLINE = re.compile(r"\n")
_AFTER_WINDOW = re.compile(r"[^\n«\"„]*?(?:[.!?…](?=\s|$)|$)")
_AFTER_LEAD = re.compile(r"\s*[,!?…]?\s*(?:[—–-]{1,2}\s*)?")
_CLAUSE_BREAK = re.compile(r"[.!?;:,]")
_FRAME_AFTER_QUOTE = re.compile(r"\s*[,.]?\s*[—–-]")
_WORDS = re.compile(r"[\s,]+")
_FRAME_PUNCT = re.compile(r"[\s,:—–-]*")
_TRANSCRIPT = re.compile(r"^[ \t]*(?P<spk>[A-ZА-ЯЁ][\w’'.-]*(?:[ \t]+[A-ZА-ЯЁ][\w’'.-]*){0,3}):[ \t]+"
                         r"(?P<body>\S[^\n]*?)[ \t]*$", re.M)


# -- the quote-mark scanner ---------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteSpanRu:
    """A direct quote's content (marks excluded) and its opening and closing marks (-1 when absent)."""

    start: int
    end: int
    open_at: int
    close_at: int


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace()):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def _paragraphs(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in _NEWLINE.finditer(text):
        if text[pos:m.start()].strip():
            out.append((pos, m.start()))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, len(text)))
    return out


def _scan_paragraph(text: str, ps: int, pe: int, nested: bool = True) -> list[QuoteSpanRu]:
    out: list[QuoteSpanRu] = []
    open_at = -1
    closer = ""  # the glyph(s) that close the open quote
    depth = 0
    inner = ""  # an inner „“ / “” quote inside guillemets
    i = ps
    while i < pe:
        ch = text[i]
        if ch not in "«»„“”\"":
            i += 1
            continue
        if open_at < 0:
            if ch == "«":
                open_at, closer, depth = i, "»", 1
            elif ch == "„":
                open_at, closer = i, "“”"
            elif ch == "“":
                open_at, closer = i, "”"
            elif ch == '"':
                left = text[i - 1] if i > ps else " "
                right = text[i + 1] if i + 1 < pe else " "
                if (left in _OPEN_AFTER or left in "«„") and not right.isspace():
                    open_at, closer = i, '"'
            i += 1
            continue
        # a quote is open
        if closer == "»":
            if inner:
                if ch in inner:
                    inner = ""
            elif ch == "«" and nested:
                depth += 1
            elif ch == "»":
                depth -= 1
                if depth <= 0:
                    s, e = _trim(text, open_at + 1, i)
                    if e > s:
                        out.append(QuoteSpanRu(s, e, open_at, i))
                    open_at, depth = -1, 0
            elif ch == "„":
                inner = "“”"
            elif ch == "“" and text[i + 1:i + 2].strip():
                inner = "”“"  # “...” inside «» (also “...“)
        elif ch in closer and (closer != '"' or not (text[i + 1:i + 2].isalnum())):
            s, e = _trim(text, open_at + 1, i)
            if e > s:
                out.append(QuoteSpanRu(s, e, open_at, i))
            open_at = -1
        i += 1
    if open_at >= 0:
        before = text[ps:open_at].rstrip()
        if not before or before[-1] in ":—–-":
            s, e = _trim(text, open_at + 1, pe)
            while e > s and text[e - 1] in ".":
                e -= 1
            if e > s:
                out.append(QuoteSpanRu(s, e, open_at, -1))
        elif nested and closer == "»" and depth > 1:
            return _scan_paragraph(text, ps, pe, nested=False)  # an inner « left open: read the marks flat
    return out


def find_quotes_ru(text: str) -> list[QuoteSpanRu]:
    """Direct quotes of ``text``: content offsets (marks excluded), in text order."""
    out: list[QuoteSpanRu] = []
    for ps, pe in _paragraphs(text):
        if "«" in text[ps:pe] or '"' in text[ps:pe] or "„" in text[ps:pe] or "“" in text[ps:pe]:
            out.extend(_scan_paragraph(text, ps, pe))
    return out


# -- speakers ------------------------------------------------------------------------------------------




_NOBODY = Speaker(None, None, None, None)


def _no_actor(tok: Token) -> SpeakerActor | None:
    return None


def _bare(name: str) -> str:
    """A name without a bracketed original ("Джон Смит (John Smith)" -> "Джон Смит")."""
    cut = name.find("(")
    return name[:cut].strip() if cut > 0 else name


def _root(span: Span) -> Token:
    """The token of ``span`` whose head lies outside it (``Span.root`` can fail on natasha's trees)."""
    for t in span:
        if t.head.i < span.start or t.head.i >= span.end or t.head.i == t.i:
            return t
    return span[0]


class _Context:
    """What one document's extraction reads more than once: its text, entities by token, person
    mentions with their gender, quote spans, paragraph starts."""

    def __init__(self, doc: Doc, actor_at: ActorAt):
        self.doc = doc
        self.text = doc_text(doc)
        self.actor_at = actor_at
        from tacitus.nlp.russian import normal_form

        self.normal_form = normal_form
        self.ents = tuple(doc.ents)  # doc.ents builds its spans anew on each access
        self.ent_of: dict[int, Span] = {}
        self.persons: list[tuple[int, int, Span, str | None]] = []  # start, end, ent, gender
        for e in self.ents:
            for i in range(e.start, e.end):
                self.ent_of[i] = e
            if e.label_ == "PERSON":
                gender = None
                for t in e:
                    g = t.morph.get("Gender")
                    if g:
                        gender = g[0]
                        break
                self.persons.append((e.start_char, e.end_char, e, gender))
        self.person_starts = [p[0] for p in self.persons]
        self.gender_of = {p[0]: p[3] for p in self.persons}
        self.quotes: list[QuoteSpanRu] = []
        self.pieces: list[tuple[int, int]] = []  # direct quote contents, inner frames left out
        self._ends: list[bool] | None = None

    def sentence_ends(self) -> list[bool]:
        if self._ends is None:
            self._ends = _sentence_ends(self.doc)
        return self._ends

    # names

    def ent_name(self, ent: Span) -> str:
        actor = self.actor_at(_root(ent))
        if actor is not None and actor.kind == "person" and ent.label_ == "PERSON":
            return actor.name
        name = _bare(self.normal_form(self.doc, ent.start_char, ent.end_char) or ent.text)
        if ent.label_ == "PERSON" and " " not in name:
            gender = self.gender_of.get(ent.start_char)
            return self.full_name(name, ent.start_char, gender)
        return name

    def full_name(self, name: str, before: int, gender: str | None = None) -> str:
        """'Лавров' -> 'Сергей Лавров' when a fuller name with that last word appears in the article: of the
        same grammatical gender first, then the nearest before."""
        key = name.casefold()
        cands = []
        for s, _e, ent, g in self.persons:
            full = _bare(self.normal_form(self.doc, ent.start_char, ent.end_char) or ent.text)
            parts = full.split()
            if len(parts) > 1 and parts[-1].casefold() == key:
                cands.append((bool(gender and g and g != gender), s > before, abs(s - before), full))
        return min(cands)[3] if cands else name

    def pronoun_target(self, tok: Token, gender: str | None) -> Speaker | None:
        """The nearest person named before ``tok`` whose gender agrees (outside quotes first)."""
        k = bisect_right(self.person_starts, tok.idx) - 1
        fallback = None
        while k >= 0:
            s, e, ent, g = self.persons[k]
            k -= 1
            if e > tok.idx or (gender and g and g != gender):
                continue
            if any(a <= s < b for a, b in self.pieces):
                fallback = fallback or ent
                continue
            return Speaker(self.ent_name(ent), tok.idx, tok.idx + len(tok.text), "pronoun", self.actor_at(_root(ent)))
        if fallback is not None:
            return Speaker(self.ent_name(fallback), tok.idx, tok.idx + len(tok.text), "pronoun",
                            self.actor_at(_root(fallback)))
        return None


def _person_in(ctx: _Context, tok: Token) -> Span | None:
    """A PERSON entity that names the noun phrase headed by ``tok``: its own, an apposition's
    ("министр Олег Смирнов"), or a title's name in the same case right after it."""
    ent = ctx.ent_of.get(tok.i)
    if ent is not None and ent.label_ == "PERSON":
        return ent
    for c in tok.children:
        if c.i < tok.i or c.dep_ not in ("appos", "flat:name", "flat", "nmod"):
            continue
        e = ctx.ent_of.get(c.i)
        title_name = (c.i == tok.i + 1 and tok.lemma_ in _PERSON_NOUNS_RU
                      and c.morph.get("Case") == tok.morph.get("Case"))
        if e is not None and e.label_ == "PERSON" and (c.dep_ != "nmod" or title_name):
            return e
        if c.dep_ == "appos":
            inner = _person_in(ctx, c)
            if inner is not None:
                return inner
    return None


_LEFT_MODS = frozenset({"amod", "det", "nummod", "compound", "flat"})
_RIGHT_MODS = frozenset({"nmod", "flat", "flat:name", "flat:foreign", "amod", "nummod"})
_GAP_DEPS = frozenset({"amod", "det", "case", "punct", "nummod", "flat", "flat:name"})
_CLAUSE_KIDS = frozenset({"acl", "acl:relcl", "appos", "parataxis"})


def _phrase(ctx: _Context, tok: Token) -> tuple[int, int]:
    """Character span of the noun phrase a speaker noun heads: left modifiers, the noun, its genitive
    complements ("представителей министерства", "жена бизнесмена") and a quoted name right
    after it ("газета «Труд»"); no clauses or appositions."""
    doc = tok.doc
    left = right = tok.i
    for c in tok.lefts:
        if c.dep_ in _LEFT_MODS and not c.is_punct:
            left = min(left, c.left_edge.i)
    ent = ctx.ent_of.get(tok.i)
    if ent is not None:
        left, right = min(left, ent.start), max(right, ent.end - 1)
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.rights:
            adjacent = c.dep_ in _RIGHT_MODS and c.i == right + 1
            bridged = c.dep_ == "nmod" and c.i > right and all(
                doc[j].dep_ in _GAP_DEPS and doc[j].text not in ",()—–" for j in range(right + 1, c.i))
            if not (adjacent or bridged):
                continue
            clause = c.dep_ == "nmod" and any(g.dep_ in _CLAUSE_KIDS for g in c.children)
            right = max(right, c.i if clause else c.right_edge.i)
            e2 = ctx.ent_of.get(c.i)
            if e2 is not None:
                right = max(right, e2.end - 1)
            stack.append(c)
    if right + 1 < len(doc) and doc[right + 1].text == "«":
        close = next((j for j in range(right + 2, min(len(doc), right + 9)) if doc[j].text == "»"), None)
        if close is not None:
            right = close
    while right > left and (doc[right].is_punct and doc[right].text not in "»\"" or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct and doc[left].text not in "«\"" or doc[left].is_space):
        left += 1
    start, end = doc[left].idx, doc[right].idx + len(doc[right].text)
    written = ctx.text[start:end]
    if written.count("«") != written.count("»"):  # an unbalanced mark at either end
        if written.endswith("»") and "«" not in written:
            end -= 1
        elif written.startswith("«") and "»" not in written:
            start += 1
    return start, end


def _speaker_from(ctx: _Context, tok: Token) -> Speaker:
    low = tok.text.lower()
    actor = ctx.actor_at(tok)
    if tok.pos_ in ("PRON", "DET") and (low in _PERS_PRONOUNS or low in _PLURAL_PRONOUNS):
        if actor is not None:
            return Speaker(actor.name, tok.idx, tok.idx + len(tok.text), "pronoun", actor)
        if low in _PERS_PRONOUNS:
            gender = _PERS_PRONOUNS[low]
            resolved = ctx.pronoun_target(tok, gender)
            if resolved is not None:
                return resolved
        return Speaker(None, tok.idx, tok.idx + len(tok.text), "pronoun", None)
    person = _person_in(ctx, tok)
    if person is not None:
        actor = ctx.actor_at(_root(person)) or actor
        name = actor.name if actor is not None and actor.kind == "person" else ctx.ent_name(person)
        ps, pe = person.start_char, person.end_char
        bracket = ctx.text.find("(", ps, pe)
        if bracket > ps:
            pe = bracket
            while pe > ps and ctx.text[pe - 1].isspace():
                pe -= 1
        written = ctx.text[ps:pe]
        kind = "named" if len(written.split()) > 1 else "surname"
        return Speaker(name, ps, pe, kind, actor)
    start, end = _phrase(ctx, tok)
    written = ctx.text[start:end]
    ent = ctx.ent_of.get(tok.i)
    if actor is not None:
        kind = "role" if actor.kind == "person" else "institutional"
        return Speaker(actor.name, start, end, kind, actor)
    lemma = tok.lemma_.lower()
    if end - start == len(tok.text) and tok.lemma_:
        # one word in an oblique case ("в министерстве", "по словам министра"): its lemma
        written = tok.lemma_ if not tok.text[:1].isupper() else tok.lemma_[:1].upper() + tok.lemma_[1:]
    if ent is not None and ent.label_ in ("ORG", "GPE", "LOC"):
        name = ctx.normal_form(ctx.doc, ent.start_char, ent.end_char) or ent.text
        if ent.start_char >= start and ent.end_char <= end and (ent.start_char, ent.end_char) != (start, end):
            name = written  # "газета «Труд»": as written
        return Speaker(name, start, end, "institutional", None)
    if lemma in _ANON_RU or (tok.morph.get("Number") == ["Plur"] and tok.morph.get("Animacy") == ["Anim"]):
        return Speaker(written, start, end, "anonymous", None)
    if lemma in _PERSON_NOUNS_RU or tok.morph.get("Animacy") == ["Anim"]:
        return Speaker(written, start, end, "role", None)
    return Speaker(written, start, end, "institutional", None)


def _subject(tok: Token) -> Token | None:
    """The speaker token of a cue: its subject; a conjunct's or a gerund's governing verb's; a
    participle's noun; the ``в`` phrase of an impersonal "в министерстве уверены"; X of "цитирует X"."""
    subj = None
    for c in tok.children:
        if c.dep_ in _SUBJ:
            subj = c
            break
    if tok.lemma_ in ("цитировать", "процитировать"):
        obj = next((c for c in tok.children if c.dep_ == "obj" and c.ent_type_ == "PERSON"), None)
        if obj is not None:
            return obj
    if subj is not None:
        if subj.pos_ == "PRON" and subj.lower_ in ("который", "которая", "которые", "кто") and tok.dep_ == "acl:relcl":
            return tok.head
        return subj
    verbform = tok.morph.get("VerbForm")
    if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "ADJ") and tok.head.i < tok.i:
        return _subject(tok.head)
    if verbform == ["Conv"] and tok.dep_ in ("advcl", "conj", "parataxis") and tok.head.pos_ in ("VERB", "ADJ", "NOUN",
                                                                                              "AUX"):
        return _subject(tok.head) if tok.head.pos_ != "NOUN" else tok.head
    if verbform == ["Part"] and tok.dep_ in ("acl", "amod") and tok.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return tok.head
    if tok.dep_ == "xcomp" and tok.head.pos_ == "VERB":  # "позволило экспертам заявлять"
        for c in tok.head.children:
            if c.dep_ in ("iobj", "obl") and c.morph.get("Case") == ["Dat"] and c.morph.get("Animacy") == ["Anim"]:
                return c
    return None


def _negated(tok: Token) -> bool:
    return any(c.lower_ in ("не", "ни") and c.dep_ in ("advmod", "cc", "discourse", "det") for c in tok.children)


def _cue_text(tok: Token) -> str:
    return ("не " + tok.text) if _negated(tok) else tok.text


# -- stance ------------------------------------------------------------------------------------------


def stance_of_ru(cue: str | None) -> str:
    """alleges, denies or confirms for a cue lemma or a cue as written ("опроверг", "подтвердили").

    A negated cue ("не подтвердил", "ни подтвердил, ни опроверг", "отказался подтвердить") confirms and
    denies nothing: it is ``alleges``, the neutral value (see the module's notes)."""
    if not cue:
        return "alleges"
    words = [w for w in _WORDS.split(cue.lower().replace("ё", "е")) if w]
    if not words:
        return "alleges"
    if any(w in ("не", "ни") for w in words) or any(w.startswith(("отказ", "воздерж", "уклон")) for w in words):
        return "alleges"  # neither confirmed nor denied
    w = words[-1]
    if w in DENY_RU or w.startswith(_DENY_STEMS):
        return "denies"
    if w in CONFIRM_RU or w.startswith(_CONFIRM_STEMS):
        return "confirms"
    return "alleges"  # ALLEGE_RU and every other cue


def noncommittal_ru(cue: str | None) -> bool:
    """Whether a cue commits its speaker to nothing: "ни подтвердил, ни опроверг", "не подтвердил", "не стал
    опровергать", "отказался подтвердить", "воздержался от комментариев". A claim made with such a cue is
    neither the speaker's allegation nor their denial, so no claim is recorded for it ("не исключил" stays
    a weak allegation)."""
    if not cue:
        return False
    words = [w for w in _WORDS.split(cue.lower().replace("ё", "е")) if w]
    if any(w.startswith(("отказ", "воздерж", "уклон")) for w in words):
        return True
    if not any(w in ("не", "ни") for w in words):
        return False
    return any(w in DENY_RU or w.startswith(_DENY_STEMS) or w in CONFIRM_RU or w.startswith(_CONFIRM_STEMS)
               for w in words)


# -- direct quotes --------------------------------------------------------------------------------------


def _tokens_in(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand") if end > start else None
    if span is None:
        return []
    return [t for t in span if t.idx >= start and t.idx + len(t.text) <= end and not t.is_space]


def _is_cue_tok(tok: Token, quote: bool = True) -> bool:
    lemma = tok.lemma_.lower()
    if lemma not in CUES_RU and not (quote and lemma in LABEL_RU):
        return False
    if tok.pos_ not in ("VERB", "ADJ", "AUX"):
        return False
    if tok.morph.get("Voice") == ["Pass"] and tok.morph.get("VerbForm") == ["Part"]:
        return False
    return quote or lemma not in _QUOTE_ONLY


_NOT_SOURCES = frozenset("этим этих тем тех таким предварительным последним официальным некоторым".split())


def _frame_noun_source(tok: Token) -> Token | None:
    """The source of a frame noun ("по словам министра", "по её словам", "Слова Петрова")."""
    for c in tok.children:
        if c.dep_ not in ("nmod", "det", "nmod:poss", "appos") or c.pos_ not in ("NOUN", "PROPN", "PRON", "DET"):
            continue
        if c.lower_ in _NOT_SOURCES or (c.pos_ == "DET" and c.lower_ not in _PERS_PRONOUNS
                                          and c.lower_ not in _PLURAL_PRONOUNS):
            continue
        return c
    return None


def _after_frame(ctx: _Context, q: QuoteSpanRu, nxt_open: int) -> Token | None:
    text = ctx.text
    after_at = q.close_at + 1 if q.close_at >= 0 else q.end
    m = _AFTER_WINDOW.match(text, after_at, min(len(text), nxt_open, after_at + 250))
    end = m.end() if m else after_at
    window = text[after_at:end]
    if not window.strip():
        return None
    lead = _AFTER_LEAD.match(window)
    punctuated = bool(lead) and bool(window[:lead.end()].strip())
    toks = _tokens_in(ctx.doc, after_at, end)
    toks = [t for t in toks if not t.is_punct or t.idx >= after_at + (lead.end() if lead else 0)]
    for t in toks[:5] if punctuated else toks[:1]:
        if _is_cue_tok(t):
            return t
        if t.is_punct or t.pos_ not in ("PROPN", "NOUN", "PRON", "ADJ", "DET"):
            break  # "«...», но не стал объяснять": no frame
    return None


def _before_frame(ctx: _Context, q: QuoteSpanRu, prev_close: int) -> tuple[Token | None, str]:
    """The cue before a quote in its sentence: ('verb' | 'noun' | 'colon' | 'label')."""
    text = ctx.text
    open_at = q.open_at if q.open_at >= 0 else q.start
    line_start = text.rfind("\n", 0, open_at) + 1
    seg_start = max(line_start, prev_close)
    ends = list(_SENT_END.finditer(text, seg_start, open_at))
    if ends:
        seg_start = ends[-1].end()
    seg = text[seg_start:open_at]
    if not seg.strip():
        return None, ""
    toks = _tokens_in(ctx.doc, seg_start, open_at)
    inside_other = [o for o in ctx.quotes if o is not q]
    for t in reversed(toks):
        if any(o.start <= t.idx < o.end for o in inside_other):
            continue
        lemma = t.lemma_.lower()
        if _is_cue_tok(t):
            # a cue that has its own complement before the quote is someone else's frame
            comp = next((c for c in t.children if c.dep_ in _CLAUSE_DEPS), None)
            if comp is not None and comp.right_edge.idx < open_at and not any(
                    (o.open_at >= 0 and comp.left_edge.idx <= o.open_at <= comp.right_edge.idx) for o in [q]):
                tail = text[comp.right_edge.idx + len(comp.right_edge.text):open_at]
                if not _FRAME_PUNCT.fullmatch(tail):
                    continue
            return t, ("label" if lemma in LABEL_RU else "verb")
        if lemma in FRAME_NOUNS and _frame_noun_source(t) is not None and (
                any(c.lower_ == "по" for c in t.children) or t.lower_ in ("слова",)):
            return t, "noun"
        if t.lower_ == "согласно":
            return t, "noun"
    if seg.rstrip().endswith(":"):
        colon = seg_start + len(seg.rstrip()) - 1
        return next((t for t in toks if t.idx == colon), None), "colon"
    return None, ""


def _colon_speaker(ctx: _Context, colon: Token) -> Speaker:
    """"Виктор Ларин: «...»" / "Министр был краток: «...»"."""
    doc = ctx.doc
    prev = doc[colon.i - 1] if colon.i > 0 else None
    if prev is not None:
        ent = ctx.ent_of.get(prev.i)
        if ent is not None and ent.label_ == "PERSON" and ent.end == colon.i:
            return _speaker_from(ctx, _root(ent))
    sent = colon.sent
    root = next((t for t in sent if t.dep_ == "ROOT" and t.i < colon.i), None)
    if root is not None:
        subj = next((c for c in root.children if c.dep_ in _SUBJ), None)
        if subj is not None and (_person_in(ctx, subj) is not None or subj.lower_ in _PERS_PRONOUNS):
            return _speaker_from(ctx, subj)
    return _NOBODY


def _label_ok(ctx: _Context, q: QuoteSpanRu, cue: Token, direct_only: bool = False) -> bool:
    """A quoted fragment right after a naming cue, in the same clause ("назвал визит «...»"); with
    ``direct_only`` the fragment must also hang on the cue itself in the parse ("объявил выборы
    «фарсом»", not "оштрафовал компании «большой тройки»")."""
    open_at = q.open_at if q.open_at >= 0 else q.start
    between = ctx.text[cue.idx + len(cue.text):open_at]
    if len(between) >= 60 or _CLAUSE_BREAK.search(between):
        return False
    if not direct_only:
        return True
    toks = _tokens_in(ctx.doc, q.start, q.end)
    return any(t.head.i == cue.i for t in toks)


@dataclass
class _Attr:
    start: int
    end: int
    kind: str
    cue: Token | None
    cue_span: tuple[int, int] | None
    cue_text: str | None
    speaker: Speaker
    partial: bool = False
    quote: QuoteSpanRu | None = None
    source: str = ""  # how it was found


def _direct(ctx: _Context) -> list[_Attr]:
    """Each quote span with its frame (inside, after, before, or the last speaker's), less names and
    terms in quote marks."""
    text = ctx.text
    quotes = ctx.quotes
    out: list[_Attr] = []
    prev: _Attr | None = None  # the last attributed direct quote
    prev_para = -1
    for n, q in enumerate(quotes):
        nxt_open = next((o.open_at if o.open_at >= 0 else o.start for o in quotes[n + 1:]), len(text))
        prev_close = max((o.close_at + 1 if o.close_at >= 0 else o.end) for o in quotes[:n]) if n else 0
        content = text[q.start:q.end]
        pieces = [(q.start, q.end)]
        cue: Token | None = None
        how = ""
        # a frame inside the marks: «A, — пояснила она, — B»
        for m in _INNER_FRAME.finditer(content):
            toks = _tokens_in(ctx.doc, q.start + m.start("frame"), q.start + m.end("frame"))
            c = next((t for t in toks[:4] if _is_cue_tok(t)), None)
            if c is not None and len(toks) <= 12:
                a_end = q.start + m.start("pre") + (1 if m.group("pre") in "!?…" else 0)
                b_start = q.start + m.end()
                pieces = [_trim(text, q.start, a_end), _trim(text, b_start, q.end)]
                cue, how = c, "inside"
                break
        if cue is None:
            cue = _after_frame(ctx, q, nxt_open)
            how = "after" if cue is not None else ""
        if cue is None:
            cue, how = _before_frame(ctx, q, prev_close)
        words = len(content.split())
        first = content[:1]
        open_at = q.open_at if q.open_at >= 0 else q.start
        before = text[max(0, open_at - 3):open_at]
        partial = not (first.isupper() or first.isdigit() or not before.strip() or before.rstrip()[-1:] in ".:!?—–-")
        speaker = _NOBODY
        cue_span = None
        cue_text = None
        if cue is not None and how == "colon":
            speaker = _colon_speaker(ctx, cue)
            if speaker.name is None and speaker.start is None:
                cue = None
            else:
                cue_span, cue_text = (cue.idx, cue.idx + 1), ":"
        elif cue is not None and how == "noun":
            src = _frame_noun_source(cue) if cue.lower_ != "согласно" else cue.head
            speaker = _speaker_from(ctx, src) if src is not None else _NOBODY
            cue_span, cue_text = (cue.idx, cue.idx + len(cue.text)), cue.text
        elif cue is not None:
            if how == "label" and not (_label_ok(ctx, q, cue) and first.islower()):
                cue = None
            else:
                subj = _subject(cue)
                speaker = _speaker_from(ctx, subj) if subj is not None else _NOBODY
                cue_span, cue_text = (cue.idx, cue.idx + len(cue.text)), _cue_text(cue)
        # hygiene: names and terms in quote marks
        ent_exact = any(e.start_char <= q.start and q.end <= e.end_char for e in ctx.ents) or any(
            q.start <= e.start_char and e.end_char >= q.end - 1 and e.start_char <= q.start + 1 for e in ctx.ents)
        if ent_exact and words <= 4:
            continue
        if cue is None:
            para = text.rfind("\n", 0, open_at) + 1
            continued = None
            sentence_like = words >= 3 and (words >= 6 or content.rstrip()[-1:] in ".?!…")
            if prev is not None and (prev.speaker.name is not None or prev.speaker.start is not None) and sentence_like:
                prev_end = prev.quote.close_at if prev.quote and prev.quote.close_at >= 0 else prev.end
                same_para = prev_para == para
                no_person = not any(prev_end <= p[0] < open_at and not _same_speaker(ctx, p, prev.speaker)
                                    for p in ctx.persons)
                if no_person and (same_para or _next_paragraph(text, prev_end, para)):
                    continued = prev
            if continued is not None:
                sp = continued.speaker
                goes_on = Speaker(sp.name, sp.start, sp.end, "continued", sp.actor)
                for s, e in pieces:
                    out.append(_Attr(s, e, "direct", None, None, None, goes_on, partial, q, "continued"))
                    ctx.pieces.append((s, e))
                prev_para = para
                continue
            if words < 6 and content.rstrip()[-1:] not in ".?!…":
                continue  # a quoted name, title or term
            if words < 3:
                continue
        elif how == "label":
            pass  # a quoted fragment named by its cue: kept however short
        elif how in ("verb", "noun", "colon") and words < 4 and not (
                how == "verb" and first.islower() and _label_ok(ctx, q, cue, direct_only=True)):
            continue  # a short quoted phrase that its cue does not introduce
        for s, e in pieces:
            out.append(_Attr(s, e, "direct", cue, cue_span, cue_text, speaker, partial, q, how))
            ctx.pieces.append((s, e))
        if cue is not None and (speaker.name is not None or speaker.start is not None):
            prev = out[-1]
            prev_para = text.rfind("\n", 0, open_at) + 1
        elif cue is not None:
            prev = None
    return out


def _same_speaker(ctx: _Context, person: tuple, speaker: Speaker) -> bool:
    """A person mention that is the speaker's own (its frame) or names the same person."""
    s, e, ent, _g = person
    if speaker.start is not None and speaker.end is not None and s < speaker.end and speaker.start < e:
        return True
    name = ctx.ent_name(ent)
    return bool(speaker.name) and (name == speaker.name or name.split()[-1:] == speaker.name.split()[-1:])


def _next_paragraph(text: str, prev_end: int, para: int) -> bool:
    """``para`` starts the paragraph right after the one that holds ``prev_end``."""
    nl = text.find("\n", prev_end)
    if nl < 0 or nl > para:
        return False
    return text[nl:para].strip() == ""


# -- transcripts ------------------------------------------------------------------------------------------


def _transcripts(ctx: _Context) -> list[_Attr]:
    text = ctx.text
    found = list(_TRANSCRIPT.finditer(text))
    if not found:
        return []
    counts: dict[str, int] = {}
    for m in found:
        counts[m.group("spk")] = counts.get(m.group("spk"), 0) + 1
    out = []
    for m in found:
        spk = m.group("spk")
        body_s, body_e = m.start("body"), m.end("body")
        if text[body_s] in "«\"„“":
            continue  # "X: «...»": a quote with a colon frame
        ss, se = m.start("spk"), m.end("spk")
        ent = next((e for e in ctx.ents if e.start_char <= ss and se <= e.end_char or ss <= e.start_char < se),
                   None)
        person = ent is not None and ent.label_ == "PERSON"
        if counts[spk] < 2 and not person:
            continue  # a name that opens one paragraph only: a heading or a list, not a transcript
        name = ctx.ent_name(ent) if person and ent is not None else spk
        actor = ctx.actor_at(_root(ent)) if ent is not None else None
        kind = ("named" if " " in spk else "surname") if person else "institutional"
        out.append(_Attr(body_s, body_e, "direct", None, (se, se + 1), ":", Speaker(name, ss, se, kind, actor),
                         False, None, "transcript"))
    return out


# -- reported speech ---------------------------------------------------------------------------------------

_LEAD_WORDS = frozenset({"что", "о", "об", "том", "того", "тому"})
_SUBORDINATORS = frozenset({"поскольку", "так", "когда", "если", "хотя", "после", "пока", "раз", "ибо", "чтобы"})
_CLAUSAL = frozenset({"ccomp", "csubj", "parataxis", "conj", "advcl", "acl", "acl:relcl", "xcomp", "root", "ROOT"})


def _clean_span(doc: Doc, left: int, right: int) -> tuple[int, int] | None:
    """Token range -> character span without a leading что / о том, что and edge punctuation."""
    while left <= right:
        t = doc[left]
        if t.is_space or (t.is_punct and t.text not in "«\"„“(") or (t.lower_ in _LEAD_WORDS and left < right):
            left += 1
            continue
        break
    while right >= left:
        t = doc[right]
        if t.is_space or (t.is_punct and t.text not in "»\"“”)…"):
            right -= 1
            continue
        break
    if right < left:
        return None
    s, e = doc[left].idx, doc[right].idx + len(doc[right].text)
    text = doc_text(doc)
    piece = text[s:e]
    if piece[:1] in "«„" and piece.count("«") + piece.count("„") > piece.count("»") + piece.count("“"):
        s += 1  # an opening mark that nothing closes
    elif piece[-1:] in "»“" and piece.count("«") + piece.count("„") < piece.count("»") + piece.count("“"):
        e -= 1
    while s < e and text[s].isspace():
        s += 1
    return (s, e) if e > s else None


def _is_mark(t: Token) -> bool:
    return t.lower_ in ("что", "чтобы") and t.dep_ == "mark"


def _content_heads(tok: Token) -> list[Token]:
    """The heads of a cue's clausal complement: its ccomp children; the clause of "о том, что ..."; of
    "опроверг предположения, что ..."; a "что" clause right after the cue that the parse hung elsewhere."""
    doc = tok.doc
    heads = [c for c in tok.children if c.dep_ == "ccomp" or (c.dep_ == "csubj" and c.i > tok.i)]
    if heads:
        return heads
    for c in tok.children:
        that = c.dep_ in ("obl", "obj") and c.lemma_ in ("то", "тот")
        if that or (c.dep_ == "obj" and c.lemma_.lower() in CLAIM_NOUNS_RU):
            g = [g for g in c.children
                 if g.dep_ in ("acl", "ccomp", "acl:relcl") and any(_is_mark(m) for m in g.children)]
            if g:
                return g
            for j in range(c.i + 1, min(len(doc), c.i + 4)):
                if _is_mark(doc[j]) and doc[j].head.i > j:
                    return [doc[j].head]
    # "заявил в эфире телеканала, что ...": a что-clause the parse attached elsewhere
    for j in range(tok.i + 1, min(len(doc), tok.i + 8)):
        t = doc[j]
        if _is_mark(t) and t.head.i > j and t.head.i != tok.i:
            return [t.head] if all(doc[k].dep_ in ("obl", "iobj", "case", "amod", "det", "nmod", "punct", "obj")
                                   and doc[k].text not in ".!?;:" for k in range(tok.i + 1, j)) else []
        if t.is_punct and t.text in ".!?;:«»" or t.lemma_ in CUES_RU:
            break
    return []


def _subtree_ids(tok: Token) -> set[int]:
    return {t.i for t in tok.subtree}


def _root_id(tok: Token) -> int:
    seen = 0
    while tok.head.i != tok.i and seen < 200:
        tok = tok.head
        seen += 1
    return tok.i


def _sentence_ends(doc: Doc) -> list[bool]:
    """Whether each token ends a sentence, read from the text (natasha's segmenter misses some
    boundaries and adds others after a comma): sentence-final punctuation (or a closing quote mark after
    it) before a capital, a digit, a quote mark or a dash; a line break."""
    n = len(doc)
    ends = [False] * n
    for k, t in enumerate(doc):
        txt = t.text
        if "\n" in txt:
            ends[k] = True
            continue
        final = t.is_punct and txt[-1:] in ".!?…" or (
            txt in ("»", '"', "”", "“") and k > 0 and doc[k - 1].text[-1:] in ".!?…")
        if not final:
            continue
        if txt == "." and k > 0 and len(doc[k - 1].text) == 1 and doc[k - 1].text.isupper():
            continue  # an initial: "Ф. М. Достоевский"
        j = k + 1
        while j < n and doc[j].is_space and "\n" not in doc[j].text:
            j += 1
        if j >= n or "\n" in doc[j].text:
            ends[k] = True
            continue
        if txt == "." and j < n and doc[j].text in ("»", '"', "”"):
            continue  # the closing mark ends it
        first = doc[j].text[:1]
        ends[k] = first.isupper() or first.isdigit() or first in "«\"„“—–-("
    if n:
        ends[-1] = True
    return ends


def _sentence_range(ctx: _Context, tok: Token) -> tuple[int, int]:
    """Token range of ``tok``'s sentence as the text punctuates it (:func:`_sentence_ends`)."""
    ends = ctx.sentence_ends()
    doc = ctx.doc
    start = tok.i
    while start > 0 and not ends[start - 1]:
        start -= 1
    end = tok.i
    while end < len(doc) - 1 and not ends[end]:
        end += 1
    while start < end and doc[start].is_space:
        start += 1
    while end > start and doc[end].is_space:
        end -= 1
    return start, end


def _clause_range(ctx: _Context, tok: Token, heads: list[Token]) -> tuple[int, int]:
    """Token range of a cue's complement: the heads' subtrees, the part after (or before) the cue, cut
    where another independent clause starts."""
    doc = ctx.doc
    left = min(h.left_edge.i for h in heads)
    right = max(h.right_edge.i for h in heads)
    if all(h.i > tok.i for h in heads):
        left = max(left, tok.i + 1)
    elif all(h.i < tok.i for h in heads):
        right = min(right, tok.i - 1)
    inside = set()
    for h in heads:
        inside |= _subtree_ids(h)
    subordinate = any(c.dep_ == "mark" and c.lower_ in _SUBORDINATORS for c in tok.children) or (
        tok.morph.get("VerbForm") == ["Conv"] and tok.head.i > tok.i)
    if subordinate:
        # "Поскольку X заявил, что A, Y сделал B": A ends where the main clause starts
        croot = _root_id(tok)
        for j in range(left, right + 1):
            t = doc[j]
            if j not in inside and not t.is_space and _root_id(t) != croot:
                right = j - 1
                break
    s, e = _sentence_range(ctx, tok)
    return max(left, s), min(right, e)


def _frame_range(tok: Token) -> tuple[int, int]:
    """Token range of a parenthetical frame: the cue and its non-clausal dependents ("как сообщил
    министр обороны", "по словам X", "считает эксперт")."""
    left = right = tok.i
    for c in tok.children:
        if c.dep_ in _CLAUSAL and c.pos_ in ("VERB", "ADJ", "AUX") or c.dep_ in ("parataxis", "ccomp", "conj"):
            continue
        if c.is_punct:
            continue
        lo, hi = c.left_edge.i, c.right_edge.i
        if hi < tok.i - 12 or lo > tok.i + 14:
            continue
        left, right = min(left, lo), max(right, hi)
    return left, right


def _paren_content(ctx: _Context, tok: Token, frame: tuple[int, int]) -> tuple[int, int] | None:
    """The sentence around a parenthetical frame, without the frame when it opens or closes the
    sentence, cut before a direct quote that has a frame of its own."""
    doc = ctx.doc
    s, e = _sentence_range(ctx, tok)
    fl, fr = frame
    # the frame's own punctuation and "как"
    while fl > s and (doc[fl - 1].is_space or doc[fl - 1].text in (",", "—", "–", "-") or doc[fl - 1].lower_ == "как"):
        fl -= 1
    while fr < e and (doc[fr + 1].is_space or doc[fr + 1].text in (",", "—", "–", "-")):
        fr += 1
    lead = [t for t in doc[s:fl] if not t.is_punct and not t.is_space]
    tail = [t for t in doc[fr + 1:e + 1] if not t.is_punct and not t.is_space]
    if not lead and not tail:
        return None
    if not lead:
        left, right = fr + 1, e
    elif not tail:
        left, right = s, fl - 1
    else:
        left, right = s, e
    span = _clean_span(doc, left, right)
    if span is None:
        return None
    a, b = span
    for q in ctx.quotes:
        o = q.open_at if q.open_at >= 0 else q.start
        if a < o < b and ctx.text[a:o].strip(" ,:—–-"):
            tail_text = ctx.text[q.close_at + 1 if q.close_at >= 0 else q.end: b]
            if _FRAME_AFTER_QUOTE.match(tail_text) or ctx.text[a:o].rstrip().endswith(":"):
                b = o
                while b > a and ctx.text[b - 1] in " ,:—–-\n":
                    b -= 1
                break
    return (a, b) if b - a >= 3 else None


def _sentence_before(ctx: _Context, tok: Token) -> tuple[int, int] | None:
    """The sentence before ``tok``'s sentence ("... . Об этом заявил X.")."""
    s, _e = _sentence_range(ctx, tok)
    if s == 0:
        return None
    k = s - 1
    while k > 0 and ctx.doc[k].is_space:
        k -= 1
    ps, pe = _sentence_range(ctx, ctx.doc[k])
    return _clean_span(ctx.doc, ps, pe)


def _fallback_subject(ctx: _Context, tok: Token, content: tuple[int, int] | None) -> Token | None:
    """A cue's subject where the parse hung it elsewhere: the person named right before or after the
    cue, or a nominative noun or pronoun right before it that agrees in number."""
    doc = ctx.doc
    number = tok.morph.get("Number")
    j = tok.i - 1
    while j >= 0 and (doc[j].pos_ in ("ADV", "PART") or doc[j].is_space):
        j -= 1
    if j >= 0 and not (content and content[0] <= doc[j].idx < content[1]):
        t = doc[j]
        ent = ctx.ent_of.get(j)
        if ent is not None and ent.label_ == "PERSON":
            return _root(ent)
        agrees = not number or t.morph.get("Number") in (number, [])
        if t.pos_ in ("NOUN", "PROPN", "PRON") and t.morph.get("Case") == ["Nom"] and agrees:
            return t
    j = tok.i + 1
    while j < len(doc) and doc[j].is_space:
        j += 1
    if j < len(doc):
        ent = ctx.ent_of.get(j)
        if ent is not None and ent.label_ == "PERSON" and not (content and content[0] <= doc[j].idx < content[1]):
            return _root(ent)
    return None


_NOT_PLACES = frozenset("ответ интервью ход рамка связь случай время день год эфир беседа заявление".split())
_REPORT_NOUNS = frozenset("отчёт отчет доклад исследование опрос".split())
_RULE_NOUNS = frozenset("распоряжение закон указ решение план постановление договор правило".split())


def _impersonal_source(tok: Token) -> Token | None:
    """"в министерстве уверены", "в милиции пояснили": the ``в`` phrase of a plural cue with no subject."""
    if tok.morph.get("Number") != ["Plur"]:
        return None
    for c in tok.children:
        if c.dep_ != "obl" or c.pos_ not in ("NOUN", "PROPN") or c.morph.get("Animacy") == ["Anim"]:
            continue
        if any(g.dep_ == "case" and g.lower_ == "в" for g in c.children) and c.lemma_ not in _NOT_PLACES:
            return c
    return None


def _indirect(ctx: _Context) -> list[_Attr]:
    doc = ctx.doc
    out: list[_Attr] = []

    def add(span: tuple[int, int] | None, cue: Token, speaker_tok: Token | None, how: str) -> None:
        if span is None or speaker_tok is None:
            return
        s, e = span
        if e - s < 3 or len(ctx.text[s:e].split()) < 2 and how != "clause":
            return
        sp = _speaker_from(ctx, speaker_tok)
        if sp.start is not None and s <= sp.start < e and how == "clause":
            return  # the speaker inside the content: not a frame of it
        out.append(_Attr(s, e, "indirect", cue, (cue.idx, cue.idx + len(cue.text)),
                         _cue_text(cue) if how != "noun" else cue.text, sp, False, None, how))

    for tok in doc:
        lemma = tok.lemma_.lower()
        pos = tok.pos_
        if pos in ("VERB", "ADJ", "AUX") and lemma in CUES_RU:
            if not _is_cue_tok(tok, quote=True):
                continue
            heads = _content_heads(tok) if lemma not in _QUOTE_ONLY else []
            if not heads and lemma in INTENT_RU:
                heads = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp") and c.morph.get("VerbForm") == ["Inf"]]
                if not heads:
                    for c in tok.children:
                        if c.dep_ in ("obj", "obl"):
                            heads = [g for g in c.children
                 if g.dep_ in ("acl", "xcomp", "nmod") and g.morph.get("VerbForm") == ["Inf"]]
                            if heads:
                                break
            subj = _subject(tok)
            if heads:
                left, right = _clause_range(ctx, tok, heads)
                span = _clean_span(doc, left, right) if right >= left else None
                if subj is None or (span and span[0] <= subj.idx < span[1]):
                    subj = _impersonal_source(tok) or _fallback_subject(ctx, tok, span)
                if subj is None:
                    continue  # "Говорят, что ...", "Считается, что ...": nobody
                add(span, tok, subj, "clause")
                continue
            if subj is None:
                subj = _impersonal_source(tok) or _fallback_subject(ctx, tok, None)
            if subj is None:
                continue
            # "Об этом заявил X": the sentence before
            about = next((c for c in tok.children if c.dep_ in ("obl", "obj") and c.lower_ == "этом"
                          and any(g.lower_ in ("об", "о") for g in c.children)), None)
            if about is not None and about.i < tok.i:
                add(_sentence_before(ctx, tok), tok, subj, "about")
                continue
            # a parenthetical frame: "как сообщил X, ...", "..., сообщает X.", "..., считает X, ..."
            if any(c.dep_ == "obj" for c in tok.children) or lemma in INTENT_RU or _negated(tok):
                continue  # a cue with an object of its own ("сообщили эту новость") is no frame
            if tok.dep_ not in ("parataxis", "ROOT", "advcl", "discourse", "conj") or any(
                    _is_mark(c) for c in tok.children) or any(t.lemma_ == "который" for t in tok.subtree):
                continue  # a complement or a relative clause ("решение, которое одобряют X")
            prev = doc[tok.i - 1] if tok.i > 0 else None
            k = tok.i - 1
            while k >= 0 and doc[k].is_space:
                k -= 1
            has_kak = any(c.lower_ == "как" and c.dep_ in ("mark", "advmod") for c in tok.children)
            fl, fr = _frame_range(tok)
            j = fl - 1
            while j >= 0 and doc[j].is_space:
                j -= 1
            opened = has_kak or j < 0 or doc[j].text in (",", "—", "–", "(") or "\n" in doc[j].text
            after = fr + 1
            while after < len(doc) and doc[after].is_space and "\n" not in doc[after].text:
                after += 1
            closed = after >= len(doc) or doc[after].text in (",", ".", "—", "–", ")", "!", "?", "…") or (
                "\n" in doc[after].text)
            if not (opened and closed) or prev is None and not has_kak:
                continue
            add(_paren_content(ctx, tok, (fl, fr)), tok, subj, "paren")
            continue
        if lemma in FRAME_NOUNS and pos == "NOUN" and any(c.lower_ == "по" and c.dep_ == "case" for c in tok.children):
            src = _frame_noun_source(tok)
            if src is None:
                continue
            fl, fr = tok.left_edge.i, tok.right_edge.i
            add(_paren_content(ctx, tok, (fl, fr)), tok, src, "noun")
            continue
        if tok.lower_ == "согласно" and tok.dep_ == "case":
            noun = tok.head
            src = noun
            head_lemma = noun.lemma_.lower()
            if head_lemma in FRAME_NOUNS or head_lemma in _REPORT_NOUNS:
                inner = next((c for c in noun.children
                              if c.dep_ in ("nmod", "appos") and c.pos_ in ("PROPN", "NOUN")), None)
                if inner is None:
                    continue
                src = inner  # "согласно докладу ООН": the UN
            elif head_lemma in _RULE_NOUNS:
                continue  # "согласно указу президента": a rule, not a report
            add(_paren_content(ctx, tok, (noun.left_edge.i, noun.right_edge.i)), tok, src, "noun")
    return out


# -- putting it together -------------------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _quote_record(ctx: _Context, a: _Attr) -> Quote:
    sp = a.speaker
    return Quote(ctx.text[a.start:a.end], a.start, a.end, a.kind, a.cue_text, sp.name, sp.start, sp.end, sp.kind,
                 sp.actor.id if sp.actor else None, sp.actor.code if sp.actor else None, a.partial)


def attributions_ru(doc: Doc, actor_at: ActorAt = _no_actor) -> Iterator[tuple[Quote, tuple[int, int] | None]]:
    """Each attribution as (record, the cue's character span or ``None``), in text order."""
    if len(doc) == 0:
        return
    ctx = _Context(doc, actor_at)
    ctx.quotes = find_quotes_ru(ctx.text)
    lines = _transcripts(ctx)
    direct = _direct(ctx)
    if lines:
        # a quote inside a transcript turn is part of that turn
        direct = [d for d in direct if not any(t.start <= d.start and d.end <= t.end for t in lines)] + lines
    indirect = _indirect(ctx)
    # a clause wholly a quote is the quote; a clause partly quoted absorbs the quote it holds
    kept_indirect: list[_Attr] = []
    absorbed: set[int] = set()
    for a in indirect:
        inside = [k for k, d in enumerate(direct)
                  if _overlap((a.start, a.end), (d.start, d.end)) and d.source != "transcript"]
        own = [k for k in inside if direct[k].cue_span == a.cue_span]
        if own:
            first = min(direct[k].start for k in own)
            unquoted = ctx.text[a.start:first].strip(" «„\"")
            if not (a.cue_span[0] < first and len(unquoted.split()) >= 2):
                continue  # the frame of a direct quote read as a clause: the quote is the attribution
        if inside:
            whole = [k for k in inside if direct[k].start - a.start <= 2 and a.end - direct[k].end <= 2]
            if whole or any(not (a.start <= direct[k].start and direct[k].end <= a.end) for k in inside):
                continue
            quoted = sum(direct[k].end - direct[k].start for k in inside)
            if quoted >= 0.85 * (a.end - a.start) and all(direct[k].cue is not None for k in inside):
                continue
            absorbed.update(inside)
        kept_indirect.append(a)
    direct = [d for k, d in enumerate(direct) if k not in absorbed]
    allattrs = sorted(direct + kept_indirect, key=lambda a: (a.start, -a.end))
    # second-level sources, nested attributions (a cue inside another's content) and duplicates go
    hosts = [(a.start, a.end, a) for a in allattrs]
    seen: set[tuple[int, int]] = set()
    cues_used: dict[tuple[int, int], _Attr] = {}
    for a in allattrs:
        key = (a.start, a.end)
        if key in seen:
            continue
        if a.source in ("paren", "noun") and any(
                a.start <= o.cue_span[0] < a.end and o is not a and o.cue_span != a.cue_span
                for o in allattrs if o.cue_span is not None and o.source not in ("paren", "noun")):
            continue  # "X заявил, что ..., сообщает Y": Y is a second-level source
        if a.cue_span is not None and a.source != "transcript" and any(
                s <= a.cue_span[0] < e for s, e, o in hosts if (s, e) != key and o.source not in ("paren", "noun")):
            continue
        if a.kind == "indirect" and any(_overlap(key, k) > 0.5 * (a.end - a.start) for k in seen):
            continue
        twin = cues_used.get(a.cue_span) if a.cue_span is not None else None
        if a.kind == "indirect" and twin is not None and _overlap(key, (twin.start, twin.end)):
            continue
        seen.add(key)
        if a.cue_span is not None:
            cues_used.setdefault(a.cue_span, a)
        yield _quote_record(ctx, a), a.cue_span


def extract_quotes_ru(doc: Doc, actor_at: ActorAt = _no_actor) -> Iterator[Quote]:
    """Direct quotes and reported speech of a Russian ``Doc``, with speakers and cues, in text order."""
    for quote, _cue in attributions_ru(doc, actor_at):
        yield quote
