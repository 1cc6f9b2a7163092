"""Rules that correct natasha's Russian entities where it is wrong in a regular way.

:func:`refine_entities` takes a ``Doc`` from :class:`~tacitus.nlp.russian.RussianAnalyser` and rewrites
``doc.ents`` in place: spans cut at brackets and bullets, organisations joined with the place or body
they belong to (``Сената Италии``, ``правительства Норвегии``), unions and seats of power that natasha calls
places made organisations (``ЕС``, ``Кремль``), places it missed added from pymorphy's dictionary, and a
surname or a one-word name found once labelled wherever it appears again in the document. The
nominative form of every entity a rule makes or changes goes into ``doc.user_data`` under the key
:func:`tacitus.nlp.russian.normal_form` reads.

How the rules were chosen: natasha's errors were read on one half of the factRuEval-2016 development
set only (the *fit* half, even positions of the sorted document names); a rule was kept when it raised
F1 there and did not lower it on the other, *held-out*, half. ``tacitus eval actors --lang ru`` reports
both halves (:mod:`tacitus.evaluate.actors_ru` says what a gold mention is). Tried and dropped (F1 change
on the fit / held-out half):

- a one-word person the dictionary knows only as an ordinary word dropped (``Решено``): PER -0.016 /
  -0.006, since many surnames are ordinary words to it (``Кузнец``) or it only guesses them;
- a person retyped as a place or an organisation when the dictionary knows its words only as such
  (``Эквадор``): all +0.003 / -0.003;
- a sentence's first ordinary word cut off an entity (``Благодарность Олегу Ветрову``): ORG -0.014 /
  -0.004 (it cuts ``Министерство``, ``Малый театр``); narrowed to a given name and surname labelled a
  place: one fix and one break on the fit half, nothing on the other;
- two persons with only a space between joined: PER -0.001 / 0;
- ``Кремль``, ``Белый дом`` left places in the locative (``в Белом доме``): ORG +0.003 / -0.003;
- any lower-case adjective before an organisation taken in, not only -ский ones: ORG +0.001 / -0.011.

The rules read natasha's tokens, lemmas and morphology; pymorphy3 (which natasha's lemmatiser loads
anyway) serves as a dictionary of names (``Name``, ``Surn``, ``Patr``), places (``Geox``) and
organisations (``Orgn``). They cost about 3% of natasha's own time.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from spacy.tokens import Doc, Span

_NORMAL_KEY = ("tacitus", "ru_normal")


@dataclass(frozen=True)
class Ent:
    """An entity under correction: tokens ``start``-``end`` of the Doc, its label (the analyser's:
    PERSON, ORG, GPE, LOC) and its nominative form (``None``: built from the tokens when it is set)."""

    start: int
    end: int
    label: str
    normal: str | None = None


Rule = Callable[[Doc, list[Ent]], list[Ent]]

_PLACE = frozenset({"GPE", "LOC"})
_QUOTES = frozenset("« » \" „ “ ” ‘ ’ '".split())
#: tokens that never sit inside a name
_SEPARATORS = frozenset("( ) [ ] , ; • · | / — –".split())
_PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})
_UD_CASES = {"Nom": "nomn", "Gen": "gent", "Dat": "datv", "Acc": "accs", "Ins": "ablt", "Loc": "loct"}
_UD_FEATS = {"Gender=Masc": "masc", "Gender=Fem": "femn", "Gender=Neut": "neut", "Number=Sing": "sing",
             "Number=Plur": "plur"}


# ---------------------------------------------------------------------------------------------- tokens

def _is_space(tok) -> bool:
    return not tok.text.strip()


def _is_break(tok) -> bool:
    return "\n" in tok.text and _is_space(tok)


def _is_word(tok) -> bool:
    return any(ch.isalnum() for ch in tok.text)


def _case(tok) -> str:
    values = tok.morph.get("Case")
    return values[0] if values else ""


def _lemma(tok) -> str:
    return (tok.lemma_ or tok.text).lower()


def _taken(ents: list[Ent]) -> set[int]:
    return {i for e in ents for i in range(e.start, e.end)}


# --------------------------------------------------------------------------------------- the dictionary

@lru_cache(maxsize=1)
def _analyzer():
    """pymorphy3's analyser, loaded once (about 0.1 s; natasha's lemmatiser uses the same dictionary)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _readings(word: str) -> list:
    """pymorphy's readings of ``word`` that come from its dictionary (not guessed from the ending)."""
    return [p for p in _analyzer().parse(word) if type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"]


@lru_cache(maxsize=100_000)
def lexicon_tags(word: str) -> frozenset[str]:
    """Every grammeme of every dictionary reading of ``word``; empty when the dictionary lacks it."""
    return frozenset(g for p in _readings(word) for g in p.tag.grammemes)


@lru_cache(maxsize=100_000)
def always(word: str, grammeme: str) -> bool:
    """Whether the dictionary knows ``word`` and every reading of it carries ``grammeme`` (``Европы``:
    always ``Geox``; ``Сальвадор``: a place or a given name, so not always)."""
    readings = _readings(word)
    return bool(readings) and all(grammeme in p.tag for p in readings)


# -------------------------------------------------------------------------------------- normal forms

def _cased_like(word: str, form: str) -> str:
    """``form`` written the way ``word`` is, hyphenated part by part (``Аль-Джазира``, ``США``, ``МИД``)."""
    if form.lower() == word.lower():
        return word
    parts, shapes = form.split("-"), word.split("-")
    if len(parts) != len(shapes):
        shapes = [word] * len(parts)
    out = []
    for part, shape in zip(parts, shapes):
        head = shape[:len(part)]  # ``МИДа`` -> ``МИД``: an abbreviation with a case ending
        if head.isupper() and len(head) > 1:
            out.append(part.upper())
        elif shape[:1].isupper():
            out.append(part[:1].upper() + part[1:])
        else:
            out.append(part)
    return "-".join(out)


def _nominative(tok) -> str:
    """``tok`` in the nominative, same number and gender: nominative and uninflected words as written,
    others inflected by pymorphy from the reading in natasha's case, else natasha's lemma."""
    case = _case(tok)
    if case in ("", "Nom") or not _is_word(tok):
        return tok.text
    want = {_UD_CASES.get(case)} | {_UD_FEATS[f"{k}={v}"] for k in ("Gender", "Number") for v in tok.morph.get(k)
                                   if f"{k}={v}" in _UD_FEATS}
    for p in _analyzer().parse(tok.text):
        if want <= p.tag.grammemes:
            form = p.inflect({"nomn"})
            if form is not None:
                return _cased_like(tok.text, form.word)
    return _cased_like(tok.text, tok.lemma_ or tok.text)


def nominative_form(doc: Doc, start: int, end: int) -> str:
    """Tokens ``start``-``end`` put in the nominative word by word, with the text's spacing."""
    return "".join(_nominative(t) + t.whitespace_ for t in doc[start:end]).strip()


def _normal_of(doc: Doc, e: Ent) -> str:
    """``e``'s nominative form: natasha's (cased word by word like the text: its ``мид`` for ``МИДа``
    becomes ``МИД``) or, where there is none, :func:`nominative_form`."""
    if e.normal is None:
        return nominative_form(doc, e.start, e.end)
    words = [t.text for t in doc[e.start:e.end] if not _is_space(t)]
    parts = e.normal.split(" ")
    if len(parts) != len(words):
        return e.normal
    return " ".join(_cased_like(w, p) for w, p in zip(words, parts))


def _joined(doc: Doc, first: Ent, start: int, end: int) -> str:
    """The normal form of ``first`` followed by tokens ``start``-``end`` as written (``Сенат`` +
    ``Италии``: the place stays in the genitive)."""
    return _normal_of(doc, first) + " " + doc[start:end].text


# ------------------------------------------------------------------------------------------------ rules

def _strip_ends(doc: Doc, s: int, t: int) -> tuple[int, int]:
    """``s``-``t`` without spaces, punctuation, and quotes that have no partner inside, at either end."""
    while s < t and (_is_space(doc[s]) or not _is_word(doc[s]) and doc[s].text not in _QUOTES
                     or doc[s].text in _QUOTES and not any(x.text in _QUOTES for x in doc[s + 1:t])):
        s += 1
    while t > s and (_is_space(doc[t - 1]) or doc[t - 1].text in _SEPARATORS
                     or doc[t - 1].text in _QUOTES and not any(x.text in _QUOTES for x in doc[s:t - 1])):
        t -= 1
    return s, t


def split_at_separators(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``Иван Сидоров (Ivan Sidorov)``, ``Орлов, Гусев``, ``Чили • Перу``, ``Казани\\n\\nНовости``:
    natasha runs entities over brackets, commas, bullets and dashes (cut there: each piece with a word
    in it is an entity of the same type) and over line breaks (the name ends there)."""
    out: list[Ent] = []
    for e in ents:
        end = next((t.i for t in doc[e.start:e.end] if _is_break(t)), e.end)
        cuts = [t.i for t in doc[e.start:end] if t.text in _SEPARATORS]
        if end == e.end and not cuts:
            out.append(e)
            continue
        bounds = [e.start - 1, *cuts, end]
        for a, b in zip(bounds, bounds[1:]):
            s, t = _strip_ends(doc, a + 1, b)
            if s < t and any(_is_word(tok) for tok in doc[s:t]):
                out.append(Ent(s, t, e.label))
    return out


def _genitive_place(doc: Doc, e: Ent) -> bool:
    """A place in the genitive (``России``) or written as an abbreviation (``США``, ``РФ``)."""
    first = doc[e.start]
    return e.label in _PLACE and (_case(first) == "Gen" or first.text.isupper() and len(first.text) > 1)


def org_with_place(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``Сената Италии``, ``Министерство финансов Армении``, ``Конгресса США``: an organisation
    followed at once by the place it belongs to is one organisation (natasha ends it before the place)."""
    out: list[Ent] = []
    for e in ents:
        prev = out[-1] if out else None
        if prev is not None and prev.label == "ORG" and prev.end == e.start and _genitive_place(doc, e):
            out[-1] = Ent(prev.start, e.end, "ORG", _joined(doc, prev, e.start, e.end))
            continue
        out.append(e)
    return out


#: nouns for a body of a state or a city (``правительство Норвегии``, ``сборная Чили``, ``мэрия Казани``)
_BODY_NOUNS = frozenset("""правительство парламент сборная мэрия администрация делегация руководство комиссия
представительство федерация""".split())


def body_of_place(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``правительства Норвегии``, ``сборная Чили``, ``администрации Казани``: a body noun (with the
    lower-case adjectives before it) just before a place in the genitive is one organisation, where
    natasha finds the place alone."""
    taken = _taken(ents)
    out: list[Ent] = []
    for e in ents:
        head = e.start - 1
        if head < 0 or head in taken or not _genitive_place(doc, e) or _lemma(doc[head]) not in _BODY_NOUNS:
            out.append(e)
            continue
        start = head
        while start > 0 and start - 1 not in taken and doc[start - 1].pos_ == "ADJ" and doc[start - 1].text.islower():
            start -= 1
        normal = nominative_form(doc, start, head + 1) + " " + doc[e.start:e.end].text
        out.append(Ent(start, e.end, "ORG", normal))
    return out


def org_of_org(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``Комитета по бюджету Сената США``, ``Института истории РАН``: an organisation followed at
    once by the one it belongs to (in the genitive, or an abbreviation) is one organisation."""
    out: list[Ent] = []
    for e in ents:
        prev = out[-1] if out else None
        first = doc[e.start]
        if (prev is not None and prev.label == e.label == "ORG" and prev.end == e.start
                and (_case(first) == "Gen" or first.text.isupper() and len(first.text) > 1)):
            out[-1] = Ent(prev.start, e.end, "ORG", _joined(doc, prev, e.start, e.end))
            continue
        out.append(e)
    return out


def _geo_adjective(tok) -> bool:
    """``французского``, ``итальянская``, ``немецкий``: a lower-case adjective of the -ский/-цкий kind."""
    return tok.pos_ == "ADJ" and tok.text.islower() and _lemma(tok).endswith(("ский", "цкий"))


def org_with_adjective(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``французского МИДа``, ``итальянского Минфина``, ``греческая Патриархия``: the country's adjective just
    before an organisation is part of its name."""
    taken = _taken(ents)
    out = []
    for e in ents:
        prev = doc[e.start - 1] if e.start > 0 else None
        if e.label == "ORG" and prev is not None and prev.i not in taken and _geo_adjective(prev):
            normal = _nominative(prev) + " " + _normal_of(doc, e)
            e = Ent(prev.i, e.end, "ORG", normal)
        out.append(e)
    return out


#: names (lemmas) natasha takes for places that the news means as organisations
_ORG_NAMES = frozenset({"ес", "евросоюз", "европейский союз", "еврокомиссия", "европейский комиссия", "кремль",
                        "белый дом", "нато", "оон"})
#: and the reverse
_PLACE_NAMES = frozenset({"мкс"})


def known_names(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``ЕС``, ``Европейского союза``, ``Кремля``, ``Белый дом`` act as organisations (natasha: places);
    ``МКС`` is a place (natasha: an organisation)."""
    out = []
    for e in ents:
        key = " ".join(_lemma(t) for t in doc[e.start:e.end] if _is_word(t))
        if e.label in _PLACE and key in _ORG_NAMES:
            e = Ent(e.start, e.end, "ORG", e.normal)
        elif e.label == "ORG" and key in _PLACE_NAMES:
            e = Ent(e.start, e.end, "LOC", e.normal)
        out.append(e)
    return out


def add_places(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``чемпионата Азии``: a capitalised noun outside every entity and quotes that the dictionary knows
    only as a place (every reading ``Geox``) is a place natasha missed."""
    taken = _taken(ents)
    out = list(ents)
    for tok in doc:
        if (tok.i in taken or not tok.text[:1].isupper() or tok.pos_ not in ("NOUN", "PROPN")
                or tok.i > 0 and doc[tok.i - 1].text in _QUOTES):
            continue
        if always(tok.text, "Geox"):
            out.append(Ent(tok.i, tok.i + 1, "GPE"))
    return sorted(out, key=lambda x: x.start)


_DIRECTIONS = frozenset("""северный южный западный восточный центральный северо-западный северо-восточный
юго-западный юго-восточный""".split())


def place_with_direction(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``южной Италии``: a compass adjective just before a place is part of its name."""
    taken = _taken(ents)
    out = []
    for e in ents:
        prev = doc[e.start - 1] if e.start > 0 else None
        if (e.label in _PLACE and prev is not None and prev.i not in taken and prev.text.islower()
                and _lemma(prev) in _DIRECTIONS):
            e = Ent(prev.i, e.end, e.label)
        out.append(e)
    return out


def drop_lower_case(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``озере`` (of ``на озере Рица``): an entity whose words are all lower-case Cyrillic is no name."""
    out = []
    for e in ents:
        words = [t.text for t in doc[e.start:e.end] if _is_word(t)]
        if words and all(w[:1].islower() and w.isalpha() and not w.isascii() for w in words):
            continue
        out.append(e)
    return out


def propagate_names(doc: Doc, ents: list[Ent]) -> list[Ent]:
    """``Смирнов`` alone where ``Олег Смирнов`` was found: a capitalised word outside every entity
    whose lemma is the last word of a person, or a one-word organisation or place, elsewhere in the
    document gets that type (organisations and places not just after a quote: ``«Союз»`` the spacecraft);
    a given name just before a surname is taken in (``Игорь Четверг``)."""
    known: dict[str, str] = {}
    for e in ents:
        words = [t for t in doc[e.start:e.end] if _is_word(t)]
        if words and e.label == "PERSON":
            known.setdefault(_lemma(words[-1]), "PERSON")
        elif len(words) == 1:
            known.setdefault(_lemma(words[0]), e.label)
    taken = _taken(ents)
    out = list(ents)
    for tok in doc:
        if tok.i in taken or not tok.text[:1].isupper() or not _is_word(tok):
            continue
        label = known.get(_lemma(tok))
        prev = doc[tok.i - 1] if tok.i > 0 else None
        if label is None or label != "PERSON" and prev is not None and prev.text in _QUOTES:
            continue
        start = tok.i
        if (label == "PERSON" and prev is not None and prev.i not in taken and prev.text[:1].isupper()
                and "Name" in lexicon_tags(prev.text)):
            start = prev.i
        out.append(Ent(start, tok.i + 1, label))
        taken.update(range(start, tok.i + 1))
    return sorted(out, key=lambda x: x.start)


#: the rules, in the order they run (later rules see earlier rules' entities)
RULES: tuple[tuple[str, Rule], ...] = (
    ("split_at_separators", split_at_separators),
    ("org_with_place", org_with_place),
    ("body_of_place", body_of_place),
    ("org_of_org", org_of_org),
    ("org_with_adjective", org_with_adjective),
    ("known_names", known_names),
    ("add_places", add_places),
    ("place_with_direction", place_with_direction),
    ("drop_lower_case", drop_lower_case),
    ("propagate_names", propagate_names),
)


def _non_overlapping(ents: list[Ent]) -> list[Ent]:
    """The entities in text order; one that overlaps a longer (or, as long, earlier) one is dropped."""
    taken: set[int] = set()
    out = []
    for e in sorted(ents, key=lambda x: (-(x.end - x.start), x.start)):
        if e.start < e.end and not any(i in taken for i in range(e.start, e.end)):
            out.append(e)
            taken.update(range(e.start, e.end))
    return sorted(out, key=lambda x: x.start)


def refine_entities(doc: Doc, rules: tuple[tuple[str, Rule], ...] | None = None) -> None:
    """Correct ``doc.ents`` (a Doc from :class:`~tacitus.nlp.russian.RussianAnalyser`) in place with
    ``rules`` (default :data:`RULES`), and record the nominative form of every entity a rule made or
    changed in ``doc.user_data`` (keyed by its character offsets, as
    :func:`tacitus.nlp.russian.normal_form` reads them; natasha's forms of unchanged entities stay)."""
    normal = doc.user_data.setdefault(_NORMAL_KEY, {})
    ents = [Ent(e.start, e.end, e.label_, normal.get((e.start_char, e.end_char))) for e in doc.ents]
    for _name, rule in (RULES if rules is None else rules):
        ents = rule(doc, ents)
    spans = []
    for e in _non_overlapping(ents):
        span = Span(doc, e.start, e.end, label=e.label)
        key = (span.start_char, span.end_char)
        if e.normal is not None:
            normal[key] = e.normal
        elif key not in normal:
            normal[key] = nominative_form(doc, e.start, e.end)
        spans.append(span)
    doc.ents = spans
