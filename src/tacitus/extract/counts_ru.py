"""Counts in Russian text ("погибли 12 человек", "ранены не менее 30 мирных жителей", "задержаны пятеро",
"около 2 тысяч военнослужащих"), as the same :class:`~tacitus.extract.records.Count` records as English.

A number (digits or a number word) counts the noun it modifies (or stands alone as a subject:
"погибли трое"); the category comes from the verb or noun that governs that noun (погибнуть, убить,
гибель -> killed; ранить, ранение -> wounded; задержать, арестовать -> arrested; эвакуировать ->
evacuated; взять в плен -> prisoners) or, for troops and refugees, from the counted noun itself.
"не менее", "более", "около", "свыше", "порядка", "десятки" mark the count approximate. A negated verb
counts nothing ("никто не погиб").
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc, Token

from tacitus.extract.records import Count
from tacitus.extract.spans import doc_text

VERB_CATEGORY = {
    "погибнуть": "killed", "убить": "killed", "гибнуть": "killed", "скончаться": "killed", "погибший": "killed",
    "убитый": "killed", "расстрелять": "killed", "казнить": "killed", "ликвидировать": "killed",
    "ранить": "wounded", "раненый": "wounded", "пострадать": "wounded", "пострадавший": "wounded",
    "задержать": "arrested", "арестовать": "arrested", "задержанный": "arrested", "арестованный": "arrested",
    "эвакуировать": "evacuated", "эвакуированный": "evacuated", "пленить": "prisoners",
}
NOUN_CATEGORY = {"гибель": "killed", "жертва": "killed", "смерть": "killed", "ранение": "wounded",
                 "арест": "arrested", "задержание": "arrested", "эвакуация": "evacuated", "пленный": "prisoners",
                 "заложник": "prisoners"}
TROOP_NOUNS = frozenset({"военнослужащий", "солдат", "военный", "боец", "военный", "десантник", "миротворец",
                         "морпех", "пехотинец", "военнослужащие", "войско"})
REFUGEE_NOUNS = frozenset({"беженец", "переселенец", "вынужденный"})
NUMBER_WORDS = {
    "один": 1, "одна": 1, "два": 2, "две": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "пятнадцать": 15,
    "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50, "сто": 100, "двое": 2, "трое": 3,
    "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "восьмеро": 8, "девятеро": 9, "десятеро": 10,
    "десяток": 10, "сотня": 100, "тысяча": 1000, "полтора": 1.5,
}
VAGUE_PLURALS = {"десяток": 10, "сотня": 100, "тысяча": 1000}  # "десятки человек": at least
APPROX = frozenset({"около", "более", "свыше", "порядка", "почти", "примерно", "менее", "до", "приблизительно",
                    "минимум", "максимум"})
MULTIPLIERS = {"тысяча": 1000, "тыс": 1000, "миллион": 1_000_000, "млн": 1_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:[  ]\d{3})+$|^\d+(?:[.,]\d+)?$")


def parse_number_ru(tok: Token) -> float | None:
    """The value of a number token (digits or a number word's lemma), times a following "тысяч"/"млн"."""
    t = tok.text.replace("\u00a0", " ")
    value: float | None = None
    if _DIGITS.match(t):
        value = float(t.replace(" ", "").replace(" ", "").replace(",", "."))
    else:
        value = NUMBER_WORDS.get(tok.lemma_.lower())
    if value is None:
        return None
    nxt = tok.nbor() if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lemma_.lower().rstrip(".") in MULTIPLIERS and value < 1000:
        value *= MULTIPLIERS[nxt.lemma_.lower().rstrip(".")]
    return value


def _negated(verb: Token) -> bool:
    return any(c.lower_ in ("не", "ни") and c.i < verb.i for c in verb.children)


def _category(noun: Token) -> str | None:
    """The category of what ``noun`` counts, from the word that governs it or the noun itself."""
    gov = noun.head if noun.head.lower_ in APPROX and noun.head.i != noun.i else noun  # "не менее 30 жителей"
    head = gov.head
    lemma = head.lemma_.lower()
    if gov.dep_ in ("nsubj", "nsubj:pass", "obj", "obl", "nmod", "conj") and head.i != noun.i:
        if head.pos_ in ("VERB", "ADJ", "AUX") and lemma in VERB_CATEGORY and not _negated(head):
            return VERB_CATEGORY[lemma]
        if head.pos_ == "NOUN" and lemma in NOUN_CATEGORY:
            return NOUN_CATEGORY[lemma]
    own = noun.lemma_.lower()
    if own in VERB_CATEGORY:  # "12 погибших", "трое раненых"
        return VERB_CATEGORY[own]
    if own in NOUN_CATEGORY:
        return NOUN_CATEGORY[own]
    for c in noun.children:  # "12 человек погибших" (a participle modifying the noun)
        if c.dep_ in ("acl", "amod") and c.lemma_.lower() in VERB_CATEGORY and not _negated(c):
            return VERB_CATEGORY[c.lemma_.lower()]
    if own in TROOP_NOUNS:
        return "troops"
    if own in REFUGEE_NOUNS:
        return "refugees"
    return None


def extract_counts_ru(doc: Doc) -> Iterator[Count]:
    """Counts of people (see the module's docstring), in text order."""
    text = doc_text(doc)
    seen: set[int] = set()
    for tok in doc:
        if tok.pos_ != "NUM" and not tok.text[:1].isdigit() and tok.lemma_.lower() not in VAGUE_PLURALS:
            continue
        value = parse_number_ru(tok)
        if value is None:
            continue
        if tok.dep_ in ("nummod", "nummod:gov", "nummod:entity") and tok.head.i != tok.i:
            noun = tok.head
        elif tok.lemma_.lower() in VAGUE_PLURALS:  # "десятки человек": the counted noun depends on it
            noun = next((c for c in tok.children if c.dep_ == "nmod" and c.pos_ == "NOUN"), tok)
        else:
            noun = tok  # "погибли трое", "задержаны пятеро"
        if noun.i in seen:
            continue
        if noun.i != tok.i and noun.lemma_.lower() in MULTIPLIERS and noun.head.i != noun.i:
            noun = noun.head  # "2 тысяч военнослужащих": the tree hangs the number on "тысяч"
        category = _category(noun)
        if category is None:
            continue
        seen.add(noun.i)
        approximate = tok.lemma_.lower() in VAGUE_PLURALS and tok.text[:1].isalpha() and (
            tok.morph.get("Number") == ["Plur"])
        lo = tok.i
        for c in [*tok.children, *noun.children]:
            if c.lower_ in APPROX or (c.dep_ == "advmod" and c.lower_ in APPROX):
                approximate = True
                lo = min(lo, c.i)
        for j in range(max(0, tok.i - 2), tok.i):  # "не менее 30": the words before the number
            if doc[j].lower_ in APPROX:
                approximate = True
                lo = min(lo, j)
        if lo > 0 and doc[lo - 1].lower_ == "не" and doc[lo].lower_ in APPROX:
            lo -= 1  # "не менее"
        start = doc[lo].idx
        end = max(noun.idx + len(noun.text), tok.idx + len(tok.text))
        obj = None if noun.i == tok.i else noun.lemma_.lower()
        yield Count(value, text[start:end], start, end, category, obj, approximate)
