"""Counts in the GDELT GKG sense: a number, what it counts and the category (killed, wounded, ...).

"13,000 Soviet soldiers were killed", "about 2,500 troops", "hundreds of thousands of refugees",
"some 120 districts", "killing 13 US service members".

The killed are also counted where no number is written: one victim named or described in the singular is
one dead ("the mayor was found dead", "gunmen assassinated Hector Oqueli", "the murder of a judge", "the
priest died"), read from the dependency parse: the object of a killing verb, the passive subject, the
subject of "die", the "of" or possessive of a death noun. Each victim is one count of 1, so "killed the
mayor and his bodyguard" gives two counts of 1. Attempts, threats, plans and negated or modal killings count nothing.
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.attrs import LEMMA
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


_KILL_VERBS = {"kill", "murder", "assassinate", "slay", "execute", "massacre", "behead", "lynch", "strangle",
               "slaughter", "decapitate"}
#: verbs that kill with a word beside them: "shot dead", "shot to death", "stabbed to death", "gunned down"
_KILL_WITH = {"shoot": ("dead", "death"), "stab": ("death",), "beat": ("death",), "burn": ("death",),
              "hack": ("death",), "gun": ("down",), "find": ("dead",), "leave": ("dead",)}
_DIE_VERBS = {"die", "perish"}
_DEATH_NOUNS = {"death", "murder", "assassination", "killing", "execution", "slaying", "massacre"}
_TRIGGER_LEMMAS = _KILL_VERBS | set(_KILL_WITH) | _DIE_VERBS | _DEATH_NOUNS | {"body"}
#: verbs that keep the killing under them from having happened ("tried to kill", "threatened to murder")
_NOT_DONE = {"try", "attempt", "threaten", "plan", "plot", "want", "order", "intend", "seek", "vow", "aim", "conspire",
             "prepare", "mean", "fail", "refuse", "hope", "decide", "promise", "urge", "call", "ask"}
_MODALS = {"will", "would", "could", "may", "might", "shall", "should", "can", "must", "wo", "ca"}
#: singular nouns that name a person (the victim's head noun); a PERSON entity or a personal pronoun also does
HUMAN_NOUNS = frozenset("""
person man woman child boy girl baby infant youth teenager adolescent individual victim hostage citizen resident
villager inhabitant peasant farmer worker civilian employee national passenger driver pilot
priest nun bishop archbishop monsignor msgr pastor cleric missionary seminarian jesuit imam rabbi
mayor governor judge magistrate lawyer attorney prosecutor official officer policeman policewoman agent guard
bodyguard soldier sergeant lieutenant captain colonel general major commander leader chief member activist
unionist student teacher professor journalist reporter photographer cameraman editor politician candidate deputy
senator congressman councilman councillor minister secretary president director manager businessman industrialist
doctor nurse diplomat ambassador consul banker merchant owner executive economist engineer scientist
son daughter wife husband brother sister mother father cousin nephew niece uncle aunt friend neighbor neighbour
guerrilla rebel terrorist militant insurgent fighter trafficker informant sheriff inspector detective
commandant vice-president vice-minister ex-president cadet recruit marine paratrooper sailor airman trooper
maid housekeeper clergyman newsman correspondent policeman patrolman councilwoman congresswoman spokesman
""".split())
_PRONOUNS = {"he", "she", "him", "her", "his"}


def _not_done(verb) -> bool:
    """A killing that did not happen: negated, modal, or under a verb of trying, threatening, planning."""
    if any(c.dep_ == "neg" or (c.dep_ == "aux" and c.lower_ in _MODALS) for c in verb.children):
        return True
    head = verb
    for _ in range(3):
        if head.dep_ in ("xcomp", "ccomp", "advcl", "acl", "pcomp", "pobj") and head.head is not head:
            head = head.head
            if head.lemma_.lower() in _NOT_DONE or any(c.dep_ == "neg" for c in head.children):
                return True
        else:
            break
    return False


def _victims(head) -> list:
    """The head noun and the nouns conjoined with it ("the mayor, his son and a bodyguard")."""
    out = [head]
    for t in head.conjuncts:
        if t.pos_ in ("NOUN", "PROPN", "PRON"):
            out.append(t)
    return out


def _one_person(tok) -> bool:
    """A single person: a PERSON name, a singular human noun, or he/she, with no number of its own."""
    if any(c.dep_ == "nummod" for c in tok.children):
        return False
    if any(c.lower_ in ("not", "no", "nobody") for c in tok.subtree if c.i < tok.i):
        return False  # "not a single person was killed"
    if tok.lower_ in _PRONOUNS:
        return True
    if tok.ent_type_ == "PERSON":
        return True
    if tok.tag_ in ("NN", "NNP") and tok.lemma_.lower() in HUMAN_NOUNS:
        return not any(c.lower_ in ("no", "any", "every", "each") for c in tok.children)
    if tok.tag_ == "NNP" and any(c.ent_type_ == "PERSON" for c in tok.children if c.dep_ in ("compound", "appos")):
        return True
    return False


def _killed_victims(doc: Doc) -> Iterator[tuple[object, list]]:
    """(trigger, victims) pairs: the heads of the victims of each killing the parse shows (a conjunction
    is one group: "the mayor and his bodyguard"), each victim once."""
    seen: set[int] = set()
    strings = doc.vocab.strings
    wanted = {strings.add(w) for w in _TRIGGER_LEMMAS} | {strings.add(w.capitalize()) for w in _TRIGGER_LEMMAS}
    lemmas = doc.to_array([LEMMA]).tolist() if len(doc) else []
    for i in [i for i, h in enumerate(lemmas) if h in wanted]:
        t = doc[i]  # only tokens whose lemma can start a killing: the scan of every token in Python is saved
        lemma = t.lemma_.lower()
        heads: list = []
        if t.pos_ in ("VERB", "AUX") or t.tag_.startswith("VB"):
            kills = lemma in _KILL_VERBS or (lemma in _KILL_WITH and any(
                c.lower_ in _KILL_WITH[lemma] or any(g.lower_ in _KILL_WITH[lemma] for g in c.children)
                for c in t.children))
            if kills and lemma in ("find", "leave") and not any(c.lower_ == "dead" for c in t.children):
                kills = False
            if kills and not _not_done(t):
                for c in t.children:
                    if c.dep_ in ("nsubjpass", "dobj"):
                        heads.append(c)
                if not heads and t.dep_ == "conj" and t.tag_ == "VBN":  # "were abducted and later murdered"
                    passive = any(c.dep_ == "auxpass" for c in t.children)
                    heads.extend(c for c in t.head.children if c.dep_ == "nsubjpass" or (passive and c.dep_ == "nsubj"))
                if t.dep_ in ("acl", "amod") and t.tag_ == "VBN" and t.head.pos_ in ("NOUN", "PROPN"):
                    heads.append(t.head)  # "the mayor killed in the attack", "the assassinated candidate"
            elif lemma in _DIE_VERBS and not _not_done(t):
                heads.extend(c for c in t.children if c.dep_ == "nsubj")
        elif t.pos_ == "NOUN" and (lemma in _DEATH_NOUNS or lemma == "body"):
            if lemma in ("death", "body") and t.tag_ == "NNS" or lemma == "death":
                heads.extend(c for c in t.children if c.dep_ == "nummod")  # "one unfortunate death"
            for c in t.children:
                if c.dep_ == "poss" or (c.dep_ in ("compound", "nmod") and c.ent_type_ == "PERSON"):
                    heads.append(c)
                elif c.dep_ == "prep" and c.lower_ == "of":
                    heads.extend(g for g in c.children if g.dep_ == "pobj")
        for h in heads:
            group = [v for v in _victims(h) if v.i not in seen]
            seen.update(v.i for v in group)
            if group:
                yield t, group


def _own_number(tok) -> float | None:
    """The number of a victim noun phrase: "10 union members", "some 20 peasants"."""
    for c in tok.children:
        if c.dep_ == "nummod":
            words = [w for w in c.subtree if w.dep_ in ("nummod", "compound", "quantmod") or w is c]
            return parse_number(" ".join(w.text for w in sorted(words, key=lambda w: w.i)))
    return None


_NOT_PEOPLE = {"GPE", "LOC", "ORG", "NORP", "FAC", "DATE", "TIME", "MONEY", "QUANTITY", "CARDINAL", "ORDINAL",
               "PERCENT", "LAW", "LANGUAGE"}


_PEOPLE_NOUNS = HUMAN_NOUNS | {"people", "person"}


def _victim_number(trigger, v) -> float | None:
    """How many dead the victim phrase ``v`` names, or None where it names no number of people."""
    if v.pos_ == "NUM" and v.dep_ in ("pobj", "nummod", "nsubjpass", "nsubj", "dobj"):
        return parse_number(v.text)  # "the bodies of four of the students", "nine deaths", "two of them died"
    number = _own_number(v)
    if number is not None:
        return number if v.lemma_.lower() in _PEOPLE_NOUNS else None
    if trigger.lemma_.lower() == "body" and v.ent_type_ != "PERSON":
        return None  # "the body of a man" may be anyone's; a named body is one dead
    if _one_person(v) or (v.tag_ == "NNP" and v.ent_type_ not in _NOT_PEOPLE):
        return 1.0
    return None


def _victim_counts(doc: Doc, text: str) -> Iterator[Count]:
    """One count per victim phrase: "killed the mayor and his bodyguard" gives 1 and 1 (MUC keys each
    victim apart; one count of 2 for the pair was measured and lost: dev recall 0.768 against 0.805)."""
    for trigger, group in _killed_victims(doc):
        named = []
        for v in group:
            if _own_number(v) is not None or v.pos_ == "NUM":  # "three journalists: Roberto Navas, ..."
                named.extend(a for c in v.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"
                             for a in [c, *c.conjuncts] if a.ent_type_ == "PERSON")
        for v in [*group, *named]:
            n = 1.0 if v in named else _victim_number(trigger, v)
            if not n:
                continue
            if v.pos_ == "NUM" or _own_number(v) is not None:
                left = v.left_edge.idx
            else:
                left = v.idx
            ent = next((e for e in doc.ents if e.start <= v.i < e.end), None)
            if ent is not None:
                left = min(left, ent.start_char)
            right = ent.end_char if ent is not None else v.idx + len(v.text)
            a, b = min(left, trigger.idx), max(right, trigger.idx + len(trigger.text))
            if b - a > 200:
                a, b = left, right
            yield Count(n, text[a:b], a, b, "killed", text[left:right][:80])


def extract_counts(doc: Doc) -> Iterator[Count]:
    found = list(_number_counts(doc))
    yield from found
    if doc.has_annotation("DEP"):
        killed = [(c.start, c.end) for c in found if c.category == "killed"]
        for c in _victim_counts(doc, doc_text(doc)):
            if not any(a < c.end and c.start < b for a, b in killed):  # a count the patterns found already
                yield c


def _number_counts(doc: Doc) -> Iterator[Count]:
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
            if re.match(r"\s*(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|[^.;]*\d",
                        m.group("obj") or "", re.I):
                continue  # a day of a date ("the 31 October attack that left 10 dead"), or a number then another
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
