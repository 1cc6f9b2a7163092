"""Actor mentions, stated roles and pronoun references in Russian text (a Doc from
:mod:`tacitus.nlp.russian`), as the same records the English extractors yield.

A mention's ``text`` is the name in the nominative (natasha's normal form: "Кабулова" -> "Кабулов";
a common noun's lemma: "талибов" -> "талиб"), which is what the knowledge base is asked for; its offsets
are those of the words as written.

- NER persons and organisations; places (GPE) are actors only as the subject of a verb ("Москва
  заявила"), else places.
- An organisation or sector noun with a state in the genitive or a country adjective is one mention of
  that state's sector: "МИД России", "Министерство обороны РФ", "российские военные", "власти
  Афганистана" (label ``COMPOSED``).
- Group nouns NER misses: талибы, боевики, повстанцы, ... (label ``RULE_GROUP``).
- Roles stated for a person in apposition: "спецпредставитель президента России по Афганистану Замир
  Кабулов", "Сергей Лавров, министр иностранных дел России".
- "он"/"она" as a subject refers to the nearest person before it of the same grammatical gender, within
  three sentences; "они" to the nearest group or organisation (label ``PRON``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Callable, Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.records import Mention, RoleMention
from tacitus.extract.spans import doc_text
from tacitus.nlp.russian import normal_form

SUBJECT_DEPS = frozenset({"nsubj", "nsubj:pass"})
#: Group nouns (lemmas) NER leaves out; their knowledge-base or generic reading is the resolver's.
GROUP_LEMMAS = frozenset({"талиб", "талибан", "боевик", "повстанец", "ополченец", "джихадист", "моджахед",
                          "экстремист", "террорист", "игиловец"})
_PRONOUN_GENDER = {"он": "Masc", "она": "Fem"}
MAX_SENTENCES_BACK = 3


def _is_subject(span: Span) -> bool:
    return span.root.dep_ in SUBJECT_DEPS and not is_dateline(span)


def is_dateline(span: Span) -> bool:
    """A place in capitals opening a paragraph, before a comma or dash ("МОСКВА, 9 ноября —"): where the
    report was filed, not an actor (the parser often makes it the subject of the first verb)."""
    text = span.text
    if not text.isupper() or len(text) < 3:
        return False
    whole = doc_text(span.doc)
    before = whole[max(0, span.start_char - 2):span.start_char]
    if span.start_char > 0 and "\n" not in before:
        return False
    after = whole[span.end_char:span.end_char + 3]
    return after[:1] in (",", " ", "\u00a0") and any(c in after for c in ",—–-")


def _gen_state(tok: Token, doc: Doc, is_state: Callable[[str], bool]) -> Span | None:
    """A state named in the genitive after ``tok`` ("правительство Афганистана", "МИД России")."""
    for c in tok.children:
        if c.dep_ == "nmod" and c.i > tok.i and c.ent_type_ in ("GPE", "LOC") and c.ent_iob_ == "B":
            end = c.i + 1
            while end < len(doc) and doc[end].ent_iob_ == "I":
                end += 1
            ent = Span(doc, c.i, end, label=c.ent_type_)  # the entity starting there (doc.ents is rebuilt per access)
            if is_state(normal_form(doc, ent.start_char, ent.end_char) or ent.text):
                return ent
    return None


def _state_word(tok: Token, is_state: Callable[[str], bool]) -> str | None:
    """The state a single word names, as written ("США", indeclinable) or by its lemma ("россия")."""
    for form in (tok.text, tok.lemma_):
        if is_state(form):
            return form
    return None


def _country_adjective(tok: Token, is_state: Callable[[str], bool]) -> Token | None:
    """A country adjective modifying ``tok`` ("российские военные", "афганское правительство")."""
    for c in tok.children:
        if c.dep_ == "amod" and c.i < tok.i and is_state(c.lemma_):
            return c
    return None


#: Heads of a state body's name ("Верховный суд", "Министерство обороны") that, with no country named,
#: are the article's home country's.
STATE_BODY_HEADS = frozenset({"суд", "министерство", "мид", "минобороны", "прокуратура", "парламент",
                              "правительство", "ведомство", "генпрокуратура", "госдума", "дума"})
#: "иностранные войска", "западные военные": not the home country's, nor any one country's.
FOREIGN_ADJ = frozenset({"иностранный", "зарубежный", "западный", "чужой", "международный", "коалиционный",
                         "натовский", "союзный", "соседний", "вражеский"})
ARGUMENT_DEPS = frozenset({"nsubj", "nsubj:pass", "obj", "iobj", "obl"})
#: Collective nouns that stand for an actor of the article's country when no country is named ("власти
#: заявили", "полиция задержала"). Not "делегация", "представитель", "министр": whose they are is told
#: elsewhere in the article, and the home country is a poor guess for them.
BARE_SECTOR_LEMMAS = frozenset({"власть", "правительство", "кабинет", "военный", "армия", "войско", "полиция",
                                "полицейский", "силовик", "спецслужба", "оппозиция", "оппозиционер", "демонстрант",
                                "протестующий", "митингующий", "бастующий", "забастовщик", "парламент",
                                "прокуратура", "следователь", "пограничник"})


def extract_mentions_ru(doc: Doc, is_state: Callable[[str], bool], sector_of: Callable[[str], str | None],
                        bare_sector_of: Callable[[str], str | None] | None = None) -> Iterator[Mention]:
    """Actor mentions in text order (see the module's docstring). ``bare_sector_of`` gives the sector of a
    collective noun that stands for an actor without a country ("власти", "военные", "полиция" as a verb's
    argument; label ``COMPOSED`` without ``country_text``: the resolver gives it the article's home
    country, as English does for "the government")."""
    text = doc_text(doc)
    found: list[Mention] = []

    covered = bytearray(len(text) + 1)  # characters already in a mention

    def add(m: Mention) -> None:
        found.append(m)
        covered[m.start:m.end] = b"\x01" * (m.end - m.start)

    def free(a: int, b: int) -> bool:
        return not any(covered[a:b])

    gen_states: set[int] = set()  # GPE entities composed into an organisation's mention
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        name = normal_form(doc, ent.start_char, ent.end_char) or ent.text
        state = _gen_state(ent.root, doc, is_state)
        if state is not None and state.start == ent.end:  # "МИД России": the KB may know the whole
            whole = f"{name} {state.text}"
            sector = sector_of(ent.root.lemma_) or sector_of(name.casefold())
            country = normal_form(doc, state.start_char, state.end_char) or state.text
            add(Mention(whole, ent.start_char, state.end_char, "COMPOSED" if sector else "ORG", "organisation",
                        sector=sector, country_text=country, acting=_is_subject(ent)))
            gen_states.add(state.start)
            continue
        inner = next((w for t in ent if t.i > ent.root.i and t.head.i == ent.root.i and t.dep_ == "nmod"
                      and (w := _state_word(t, is_state))), None)
        sector = sector_of(ent.root.lemma_.lower()) if inner is not None else None
        if inner is not None and sector:  # "Посольство США", "МИД России" as one entity
            add(Mention(name, ent.start_char, ent.end_char, "COMPOSED", "organisation", sector=sector,
                        country_text=inner, acting=_is_subject(ent)))
            continue
        head = ent.root.lemma_.lower()
        if bare_sector_of is not None and head in STATE_BODY_HEADS and (bare := bare_sector_of(head)):
            # "Верховный суд", "Министерство обороны" with no country: the article's home country's body
            add(Mention(name, ent.start_char, ent.end_char, "COMPOSED", "organisation", sector=bare,
                        acting=_is_subject(ent)))
            continue
        add(Mention(name, ent.start_char, ent.end_char, "ORG", "organisation", acting=_is_subject(ent)))
    for ent in doc.ents:
        if ent.label_ == "ORG" or ent.start in gen_states:
            continue
        if not free(ent.start_char, ent.end_char):
            continue
        name = normal_form(doc, ent.start_char, ent.end_char) or ent.text
        if ent.label_ == "PERSON":
            add(Mention(name, ent.start_char, ent.end_char, "PERSON", "person", acting=_is_subject(ent)))
        elif ent.label_ == "GPE":
            acting = _is_subject(ent)
            role = "actor" if acting else "place"
            add(Mention(name, ent.start_char, ent.end_char, "GPE", "state", role, acting=acting))
    for tok in doc:
        if tok.pos_ not in ("NOUN", "ADJ", "PROPN") or tok.ent_type_:
            continue
        lemma = tok.lemma_.lower()
        start, end = tok.idx, tok.idx + len(tok.text)
        if not free(start, end):
            continue
        if lemma in GROUP_LEMMAS:
            adj = _country_adjective(tok, is_state)
            if adj is not None:  # "афганские талибы" are still the Taliban; "пакистанские боевики" a sector
                start = min(start, adj.idx)
            add(Mention(lemma, start, end, "RULE_GROUP", "group", acting=tok.dep_ in SUBJECT_DEPS))
            continue
        if tok.pos_ == "NOUN" and tok.dep_ in ARGUMENT_DEPS and is_state(lemma) and lemma != "россия":
            # "американцы", "россияне": a people standing for its state (a country's name is NER's)
            add(Mention(lemma, start, end, "NORP", "state", acting=tok.dep_ in SUBJECT_DEPS))
            continue
        sector = sector_of(lemma)
        if sector is None:
            continue
        adj = _country_adjective(tok, is_state)
        gen = _gen_state(tok, doc, is_state) if adj is None else None
        if adj is not None and free(adj.idx, end):
            add(Mention(text[adj.idx:end], adj.idx, end, "COMPOSED", "organisation", sector=sector,
                        country_text=adj.lemma_, acting=tok.dep_ in SUBJECT_DEPS))
        elif gen is not None and gen.start_char > end and free(start, gen.end_char):
            country = normal_form(doc, gen.start_char, gen.end_char) or gen.text
            add(Mention(text[start:gen.end_char], start, gen.end_char, "COMPOSED", "organisation", sector=sector,
                        country_text=country, acting=tok.dep_ in SUBJECT_DEPS))
        elif (bare_sector_of is not None and tok.dep_ in ARGUMENT_DEPS and tok.pos_ == "NOUN"
              and lemma in BARE_SECTOR_LEMMAS and (lemma != "власть" or tok.morph.get("Number") == ["Plur"])
              and not any(c.dep_ == "nmod" for c in tok.children)  # "армия Израиля": whose it says
              and not any(c.dep_ == "amod" and c.lemma_ in FOREIGN_ADJ for c in tok.children)
              and (bare := bare_sector_of(lemma))):
            add(Mention(lemma, start, end, "COMPOSED", "organisation", sector=bare, acting=tok.dep_ in SUBJECT_DEPS))
    found.sort(key=lambda m: (m.start, m.end))
    found += list(_group_references(doc, found))
    found.sort(key=lambda m: (m.start, m.end))
    found += list(_pronouns(doc, found))
    found.sort(key=lambda m: (m.start, m.end))
    yield from found


#: Nouns that, written again without saying whose, refer back to the group they were said of earlier:
#: "делегация движения «Талибан»" ... "делегация провела переговоры"; "движение «Талибан»" ... "движение".
REFERRING_LEMMAS = frozenset({"делегация", "движение", "группировка", "ведомство", "министерство", "организация"})


def _group_references(doc: Doc, mentions: list[Mention]) -> Iterator[Mention]:
    """A referring noun with no complement of its own is a mention of the actor the same noun was last
    said of in the article ("делегация талибов" ... "делегация": the Taliban; label ``COREF``)."""
    actors = [m for m in mentions if m.role == "actor" and m.refers_to is None]
    starts = sorted((m.start, m.end, m) for m in actors)
    taken = {(m.start, m.end) for m in mentions}

    firsts = [a for a, _b, _m in starts]

    def actor_in(tok: Token) -> Mention | None:
        k = bisect_right(firsts, tok.idx) - 1  # the last mention starting at or before the token
        while k >= 0 and starts[k][0] > tok.idx - 200:
            if starts[k][0] <= tok.idx < starts[k][1]:
                return starts[k][2]
            k -= 1
        return None

    last: dict[str, Mention] = {}
    for tok in doc:
        lemma = tok.lemma_.lower()
        if tok.pos_ != "NOUN" or lemma not in REFERRING_LEMMAS:
            continue
        said_of = None
        for c in tok.children:  # "делегация талибов", "движение «Талибан»"
            if c.dep_ in ("nmod", "appos") and (m := actor_in(c)) is not None:
                said_of = m
                break
        if said_of is not None:
            last[lemma] = said_of
            continue
        if lemma in last and (tok.idx, tok.idx + len(tok.text)) not in taken and actor_in(tok) is None:
            ref = last[lemma]
            yield Mention(tok.text, tok.idx, tok.idx + len(tok.text), "COREF", ref.kind, refers_to=ref.start,
                          acting=tok.dep_ in SUBJECT_DEPS)


def _gender(doc: Doc, m: Mention) -> str | None:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return None
    for t in span:
        g = t.morph.get("Gender")
        if g:
            return g[0]
    return None


def _pronouns(doc: Doc, mentions: list[Mention]) -> Iterator[Mention]:
    persons = [m for m in mentions if m.kind == "person" and m.role == "actor"]
    groups = [m for m in mentions if m.kind in ("group", "organisation") and m.role == "actor"]
    genders = [_gender(doc, m) for m in persons]
    p_starts = [m.start for m in persons]
    g_starts = [m.start for m in groups]
    sents = list(doc.sents)
    starts = [s.start_char for s in sents]
    for tok in doc:
        low = tok.lower_
        if tok.pos_ != "PRON" or tok.dep_ not in SUBJECT_DEPS or low not in ("он", "она", "они"):
            continue
        k = bisect_right(starts, tok.idx) - 1
        limit = starts[max(0, k - MAX_SENTENCES_BACK)]
        if low in _PRONOUN_GENDER:
            i = bisect_right(p_starts, tok.idx) - 1
            while i >= 0 and persons[i].start >= limit and genders[i] not in (None, _PRONOUN_GENDER[low]):
                i -= 1
            if i >= 0 and persons[i].start >= limit:
                yield Mention(tok.text, tok.idx, tok.idx + len(tok.text), "PRON", "person",
                              refers_to=persons[i].start, acting=True)
        else:
            i = bisect_right(g_starts, tok.idx) - 1
            if i >= 0 and groups[i].start >= limit:
                yield Mention(tok.text, tok.idx, tok.idx + len(tok.text), "PRON", groups[i].kind,
                              refers_to=groups[i].start, acting=True)


def _phrase_end(tok: Token) -> int:
    return max(t.i for t in tok.subtree) + 1


def extract_roles_ru(doc: Doc, persons: list[Span], is_role_word: Callable[[str], bool],
                     is_state: Callable[[str], bool]) -> Iterator[RoleMention]:
    """Roles in apposition with a person's name: the role noun phrase before the name ("министр
    иностранных дел России Сергей Лавров") or after it, set off by a comma ("Лавров, глава МИД")."""
    text = doc_text(doc)
    ents = list(doc.ents)  # doc.ents builds its spans anew on each access
    for person in persons:
        root = person.root
        head = root.head if root.dep_ == "appos" else None
        if head is None:  # the role noun may be the name's dependant ("Лавров, министр ...")
            head = next((c for c in root.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
        if head is None or head.pos_ != "NOUN" or not is_role_word(head.lemma_.lower()):
            continue
        if head.i < person.start:
            lo, hi = head.left_edge.i, person.start
        else:
            lo, hi = head.i, _phrase_end(head)
        while hi > lo and doc[hi - 1].is_punct:
            hi -= 1
        if hi <= lo:
            continue
        phrase = doc[lo:hi]
        country = org = None
        org_start = None
        for ent in ents:
            if ent.start >= lo and ent.end <= hi:
                name = normal_form(doc, ent.start_char, ent.end_char) or ent.text
                if ent.label_ in ("GPE", "LOC") and country is None and is_state(name):
                    country = name
                elif ent.label_ == "ORG" and org is None:
                    org, org_start = name, ent.start_char
        if country is None:
            adj = next((t for t in phrase if t.dep_ == "amod" and is_state(t.lemma_)), None)
            country = adj.lemma_ if adj is not None else None
        yield RoleMention(person.start_char, person.end_char, text[phrase.start_char:phrase.end_char],
                          phrase.start_char, phrase.end_char, head.lemma_.lower(), org, org_start, country)
