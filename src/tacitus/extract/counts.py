"""Counts in the GDELT GKG sense: a number, what it counts and the category (killed, wounded, ...).

"13,000 Soviet soldiers were killed", "about 2,500 troops", "hundreds of thousands of refugees",
"some 120 districts", "killing 13 US service members".
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc

from tacitus.extract.records import Count
from tacitus.extract.spans import doc_text, regex_folded

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
    "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}

_NUM_WORD = "|".join(sorted(list(_UNITS) + list(_SCALES), key=len, reverse=True))
_NUMBER = (
    r"(?P<approx>(?:about|around|some|nearly|almost|more than|over|at least|up to|roughly|an estimated|approximately)\s+)?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s*(?:million|thousand|billion))?"
    r"|(?:(?:" + _NUM_WORD + r")[\s-]?)+"
    r"|(?:dozens|scores|hundreds|thousands|millions)(?:\s+of\s+thousands)?)"
)
_CATEGORY_WORDS = {
    "killed": "killed", "dead": "killed", "died": "killed", "deaths": "killed", "killing": "killed",
    "wounded": "wounded", "injured": "wounded", "maimed": "wounded", "injuring": "wounded", "wounding": "wounded",
    "troops": "troops", "soldiers": "troops", "service members": "troops", "servicemen": "troops", "marines": "troops",
    "refugees": "refugees", "fled": "refugees", "displaced": "refugees",
    "districts": "districts", "provinces": "districts",
    "prisoners": "prisoners", "detainees": "prisoners",
    "arrested": "arrested", "detained": "arrested",
    "evacuated": "evacuated", "evacuees": "evacuated",
    "civilians": "civilians",
}
_CAT = "|".join(sorted((re.escape(w) for w in _CATEGORY_WORDS), key=len, reverse=True))
# number, up to four words of object, then a category word ("13,000 Soviet soldiers were killed")
_PATTERN = re.compile(
    r"\b" + _NUMBER + r"(?:\s+of)?(?P<obj>(?:\s+(?!(?:and|or|but|in|on|at|by)\b)[\w'’-]+){0,4}?)\s+(?:(?:were|was|had been|have been|are|been)\s+)?(?P<cat>" + _CAT + r")\b",
    re.I,
)
# "killing 13 US service members", "killed at least 170 Afghans"
_VERB_FIRST = re.compile(
    r"\b(?P<cat>killing|killed|wounding|wounded|injuring|injured|evacuated|detained|arrested)\s+" + _NUMBER + r"(?P<obj>(?:\s+(?!(?:in|on|at|and|or|near|during|after|when|as)\b)[\w'’-]+){1,3})",
    re.I,
)


# "13,000 of 100,000 Soviet soldiers serving in the war were killed": the part, of the whole, is the count
_PARTITIVE = re.compile(
    r"\b" + _NUMBER + r"\s+(?:of|out of)\s+(?:the\s+)?(?:\d[\d,.]*|" + _NUM_WORD + r")(?P<obj>(?:\s+(?!(?:who|that|which|and|or|were|was|in|on|at)\b)[\w'’-]+){1,4})"
    r"[^.;]{0,80}?\b(?:were|was|had been|have been|are|been|got)\s+(?P<cat>killed|wounded|injured|arrested|detained|evacuated|displaced)\b",
    re.I,
)


def parse_number(text: str) -> float | None:
    """'13,000' -> 13000, 'two' -> 2, 'hundreds of thousands' -> 200000, '1.5 million' -> 1500000."""
    t = text.strip().lower().replace("-", " ")
    if not t:
        return None
    vague = re.fullmatch(r"(dozens|scores|hundreds|thousands|millions)(?: of (thousands|millions))?", t)
    if vague:
        value = _VAGUE[vague.group(1)]
        if vague.group(2):
            value *= _SCALES[vague.group(2)[:-1]]
        return float(value)
    m = re.fullmatch(r"(\d[\d,]*(?:\.\d+)?)\s*(million|thousand|billion)?", t)
    if m:
        value = float(m.group(1).replace(",", ""))
        return value * _SCALES[m.group(2)] if m.group(2) else value
    total, current = 0, 0
    for word in t.split():
        if word in _UNITS:
            current += _UNITS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word in _SCALES:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word == "and":
            continue
        else:
            return None
    return float(total + current) if (total or current) else None


#: The words that make a following four-digit number a year: a month, or "in", "since", "by", "of", "until".
_YEAR_BEFORE = re.compile(r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
                          r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|in|since|by|of|until|from|"
                          r"early|late|mid)[\s,.]*$", re.I)

_PARTITIVE_CATS = ("killed", "wounded", "injured", "arrested", "detained", "evacuated", "displaced")


def extract_counts(doc: Doc) -> Iterator[Count]:
    text = doc_text(doc)
    seen: list[tuple[int, int]] = []
    low = regex_folded(text)
    for pattern in (_PARTITIVE, _VERB_FIRST, _PATTERN):
        if pattern is _PARTITIVE and not any(w in low for w in _PARTITIVE_CATS):
            continue  # no category word it ends with: the scan (the slowest of the three) is saved
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in seen):
                continue
            number = parse_number(m.group("num"))
            if number is None:
                continue
            if re.fullmatch(r"(1[89]|20)\d\d", m.group("num").strip()) and (
                    not m.group("obj").strip() or _YEAR_BEFORE.search(text, max(0, m.start("num") - 24), m.start("num"))):
                continue  # a year, not a count ("in December 2006 a US airman shot dead")
            cat_word = m.group("cat").lower()
            obj = (m.group("obj") or "").strip() or None
            if pattern is _PARTITIVE and obj:
                words = obj.split()
                cut = next((i for i, w in enumerate(words) if w.lower() in _CATEGORY_WORDS or w.lower().endswith("s")), None)
                obj = " ".join(words[: cut + 1]) if cut is not None else obj
            category = _CATEGORY_WORDS.get(cat_word, cat_word)
            if category in {"troops", "civilians", "refugees", "districts", "prisoners"} and obj is None:
                obj = cat_word
            elif category in {"troops", "civilians"} and obj:
                obj = f"{obj} {cat_word}"
            approximate = bool(m.group("approx")) or m.group("num").lower().startswith(tuple(_VAGUE))
            seen.append((m.start(), m.end()))
            yield Count(number, m.group(0), m.start(), m.end(), category, obj, approximate)
