"""Actor mentions: spaCy NER plus rules for what NER misses in this domain.

- NER persons, organisations, countries (GPE) and nationalities (NORP).
- A nationality or country that modifies a sector word is one mention with it: "Russian officials",
  "Afghan forces", "Pakistan's army", "a Russian diplomatic source" (label ``COMPOSED``, ``sector`` set).
- Armed-group and collective terms NER misses: "the Taliban", "the insurgents", "the militia", ISIS ...
  (label ``RULE_GROUP``).
- Metonymy: a capital (or any place name that is not a state) is an actor only as the subject of a
  verb ("Moscow said"); otherwise it is a place (``role = "place"``).
- Junk is not an actor: spans with URL, slash or bar separators, no letters, or more than 8 words.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.records import Mention
from tacitus.extract.roles import split_title
from tacitus.extract.spans import doc_text

KIND_BY_LABEL = {"PERSON": "person", "ORG": "organisation", "GPE": "state", "NORP": "group"}
ACTOR_LABELS = frozenset(KIND_BY_LABEL)

#: Group terms NER often misses; matched case-sensitively as written in news copy.
GROUP_TERMS = (
    r"(?:the )?Taliban",
    r"(?:the )?[Mm]ujahideen",
    r"(?:the )?[Mm]ujahedin",
    r"(?:the )?Northern Alliance",
    r"Islamic State(?:[- ]Khorasan)?",
    r"ISIS(?:-K)?",
    r"ISKP",
    r"Daesh",
    r"al-Qaeda",
    r"[Aa]l Qaeda",
    r"Haqqani [Nn]etwork",
    r"(?:the )?(?:insurgents|militants|rebels|militia|jihadists|guerrillas)",
)
_GROUP_RE = re.compile(r"\b(?:" + "|".join(GROUP_TERMS) + r")\b")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent", "csubj"})
_JUNK = re.compile(r"https?://|www\.|[/|@#]|\.com\b")
_GLUED = re.compile(r"\b([A-Z][a-z]+)[A-Z][a-z]")
_GLUE_WORDS = frozenset("""in on at of by for to from with as and or the a an after before since until during
january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday""".split())
_COMMON_ORG_WORDS = frozenset({"state", "states", "party", "union", "group", "front", "movement", "council",
                               "committee", "agency", "bureau", "department", "office", "commission", "twitter",
                               "facebook", "telegram", "youtube", "whatsapp", "instagram"})
_SOURCE_ADJ = {"diplomatic": "GOV", "government": "GOV", "official": "GOV", "military": "MIL", "security": "GOV",
               "intelligence": "SPY", "police": "COP"}


def _is_subject(span: Span) -> bool:
    root = span.root
    if root.dep_ in _SUBJECT_DEPS:
        return True
    if root.dep_ == "pobj" and root.head.dep_ == "agent":
        return True  # "was captured by Kabul"
    # "Moscow and Beijing said": conjunct of a subject
    return root.dep_ == "conj" and root.head.dep_ in _SUBJECT_DEPS


_LOCATIVE = frozenset({"in", "at", "from", "into", "near", "across", "inside", "outside", "throughout", "through",
                       "around", "within", "via", "along"})


_DIRECTIONS = frozenset({"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
                         "outskirts", "edge", "centre", "center", "heart", "streets", "gates", "suburbs", "province",
                         "city", "capital", "outside", "part", "parts", "area", "region", "border", "borders"})
_PLACE_VERBS = frozenset({"enter", "reach", "leave", "capture", "seize", "take", "storm", "surround", "besiege",
                          "visit", "abandon", "retake", "overrun", "encircle", "evacuate", "shell", "bomb", "occupy",
                          "fly", "flee", "approach", "control", "hold", "defend", "liberate"})


def _is_location(span: Span) -> bool:
    """A place name used as a location: the object of a locative preposition ("in Afghanistan"), a
    compound modifier of a place noun ("the Kabul airport"), or part of a dateline-like apposition."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in _LOCATIVE:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "to" and root.head.head.lemma_.lower() in (
            "travel", "fly", "go", "come", "return", "move", "flee", "deploy", "send", "arrive", "head", "visit", "trip"):
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lower_ in _DIRECTIONS:
        return True  # "60 kilometres north of Kabul", "the outskirts of Kunduz"
    if root.dep_ == "dobj" and root.head.lemma_.lower() in _PLACE_VERBS:
        return True  # "entered Kabul", "took Mazar-i-Sharif": a place taken or reached
    if root.dep_ == "conj":
        return _is_location(span.doc[root.head.i:root.head.i + 1])
    return False


def _is_junk(text: str) -> bool:
    if _JUNK.search(text) or not any(ch.isalpha() for ch in text) or len(text.split()) > 8:
        return True
    # words glued together by a careless scrape: "InTajik", "AugustNajibullah"
    return any(m.group(1).casefold() in _GLUE_WORDS for m in _GLUED.finditer(text))


_UNIT_HEADS = frozenset("unit agency service branch division directorate department wing body".split())


def _composed(ent: Span, sector_of: Callable[[str], str | None]) -> tuple[Token, str] | None:
    """The sector word a nationality or country modifies: "Russian [foreign ministry] officials",
    "Pakistan's army", "a Russian diplomatic source". Returns (head token, sector)."""
    root = ent.root
    if root.dep_ not in ("amod", "compound", "poss", "nmod", "npadvmod") or root.head.i <= root.i:
        return None
    head = root.head
    if head.pos_ not in ("NOUN", "PROPN") or head.i - ent.end > 3:
        return None
    # every token between the entity and the head must belong to the noun phrase
    if any(t.head.i != head.i and t.head.i not in range(ent.start, head.i + 1) for t in ent.doc[ent.end:head.i]):
        return None  # ("'s" hangs on the entity itself: "Russia's foreign ministry")
    if head.lower_ in ("source", "sources"):
        for t in ent.doc[ent.end:head.i]:
            if t.lower_ in _SOURCE_ADJ:
                return head, _SOURCE_ADJ[t.lower_]
        return head, "GOV"
    sector = sector_of(head.lower_) or sector_of(head.lemma_.lower())
    if sector is None and head.lemma_.lower() in _UNIT_HEADS:
        # "a Russian military intelligence unit": the unit's sector is its nearest sector modifier
        for t in reversed(ent.doc[ent.end:head.i]):
            sector = sector_of(t.lower_)
            if sector:
                break
    return (head, sector) if sector else None


def extract_mentions(doc: Doc, capitals: Iterable[str] = (), states: Iterable[str] = (),
                     sector_of: Callable[[str], str | None] | None = None,
                     is_role_word: Callable[[str], bool] | None = None) -> Iterator[Mention]:
    """Yield actor mentions in text order.

    ``capitals`` are names that are places unless they act (subject of a verb); other place names
    (GPE) not in ``states`` (names of known states) are places unless they act. ``sector_of`` maps a
    word ("officials", "troops") to a sector code, for composed mentions.
    """
    capital_set = {c.casefold() for c in capitals}
    state_set = {s.casefold() for s in states}
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        if ent.label_ == "PERSON" and is_role_word is not None:
            ent = split_title(ent, is_role_word)  # "General Boris Gromov" is Boris Gromov
        text = ent.text.strip()
        if not text or _is_junk(text):
            continue
        folded = text.casefold().removeprefix("the ")
        if ent.label_ in ("PERSON", "ORG") and " " not in folded and (
                (sector_of is not None and sector_of(folded)) or (is_role_word is not None and is_role_word(folded))
                or folded in _COMMON_ORG_WORDS):
            continue  # "state", "Ministry", "Army" alone: a common noun, not a named actor
        if ent.label_ == "PERSON" and (folded in capital_set or folded in state_set):
            continue  # "Tajik", "Bishkek" tagged as persons
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        end = start + len(text)
        if ent.label_ in ("NORP", "GPE") and sector_of is not None and (comp := _composed(ent, sector_of)):
            head, sector = comp
            span_end = head.idx + len(head.text)
            found.append(Mention(doc_text(doc)[start:span_end], start, span_end, "COMPOSED", "organisation",
                                 sector=sector, country_text=text))
            taken.append((start, span_end))
            continue
        if ent.label_ == "NORP" and ent.root.dep_ in ("amod", "compound") and ent.root.head.i >= ent.end:
            continue  # "Central Asian states", "intra-Afghan talks": an adjective, not an actor
        role = "actor"
        if ent.label_ == "NORP" and not _is_subject(ent) and _is_location(ent):
            role = "place"  # "back and forth to Tajikistan", tagged as a nationality
        if ent.label_ == "GPE" and not _is_subject(ent):
            folded = text.casefold().removeprefix("the ")
            if _is_location(ent):
                role = "place"  # "in Afghanistan", "from Moscow": where, not who
            elif folded not in state_set and folded not in capital_set:
                role = "place"  # a city or region that is not a known state or capital
        found.append(Mention(text, start, end, ent.label_, KIND_BY_LABEL[ent.label_], role, acting=_is_subject(ent)))
        taken.append((start, end))
    for m in _GROUP_RE.finditer(doc_text(doc)):
        inside = [x for x in found if m.start() <= x.start and x.end <= m.end() and (x.end - x.start) < len(m.group(0))]
        if inside:  # "Islamic State" where NER saw only "State"
            found = [x for x in found if x not in inside]
            taken = [(s, e) for s, e in taken if not (m.start() <= s and e <= m.end())]
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        found.append(Mention(m.group(0), m.start(), m.end(), "RULE_GROUP", "group"))
        taken.append((m.start(), m.end()))
    if sector_of is not None:
        for t in doc:
            sector = _bare_sector(t, sector_of)
            if sector is None:
                continue
            start = t.idx
            dets = [c for c in t.children if c.dep_ == "det" and c.lower_ == "the" and c.i < t.i]
            if dets:
                start = dets[0].idx
            end = t.idx + len(t.text)
            if any(s < end and start < e for s, e in taken):
                continue
            found.append(Mention(doc_text(doc)[start:end], start, end, "COMPOSED", "organisation", sector=sector,
                                 acting=t.dep_ in _SUBJECT_DEPS or t.dep_ == "pobj" and t.head.dep_ == "agent"))
            taken.append((start, end))
    found.sort(key=lambda x: (x.start, x.end))
    yield from found


#: Sector words too vague to stand for a body of the article's country on their own.
_VAGUE_SECTOR_WORDS = frozenset({"people", "population", "leader", "leaders", "side", "president", "diplomacy",
                                 "aircraft", "jets", "units", "press", "media", "experts", "analysts", "scholars",
                                 "students", "researchers", "citizens", "residents", "civilians", "villagers",
                                 "migrants", "refugees", "delegation", "delegations", "minister", "ministers",
                                 "spokesman", "spokeswoman", "spokesperson", "envoy", "envoys", "diplomat",
                                 "official", "soldier", "rebel", "insurgent", "militant", "journalist",
                                 "commanders", "generals", "leadership", "regime", "warplanes"})
_BARE_SECTOR_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "conj", "appos"})


def _bare_sector(tok: Token, sector_of: Callable[[str], str | None]) -> str | None:
    """The sector a common noun names on its own, as an argument ("the police arrested", "clashes with the
    army", "government regulators seized"): a body of the article's country, which the resolver fills in.
    Not a noun a name, nationality or organisation qualifies ("the Kabul police" is left to the names), nor
    one of the words too vague to be a body (``_VAGUE_SECTOR_WORDS``)."""
    if tok.pos_ != "NOUN" or tok.ent_type_:
        return None
    word = tok.lower_
    if word in _VAGUE_SECTOR_WORDS:
        return None
    if tok.dep_ not in _BARE_SECTOR_DEPS and not (
            tok.dep_ == "compound" and tok.head.pos_ == "NOUN" and tok.head.dep_ in _BARE_SECTOR_DEPS
            and sector_of(tok.head.lower_) is None):  # "police spokesman", "government regulators"
        return None
    if any(c.ent_type_ or c.pos_ == "PROPN" or c.dep_ == "poss" for c in tok.children if c.i < tok.i):
        return None
    return sector_of(word) or (sector_of(tok.lemma_.lower()) if tok.lemma_.lower() not in _VAGUE_SECTOR_WORDS
                               else None)
