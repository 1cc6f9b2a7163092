"""Actor mentions: spaCy NER plus rules for what NER misses in this domain (armed groups, collective
nouns such as "the insurgents"). Metonymy: a known capital is an actor only as the subject of a
verb ("Moscow said"); otherwise it is a place."""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from spacy.tokens import Doc, Span

from tacitus.extract.records import Mention

KIND_BY_LABEL = {"PERSON": "person", "ORG": "organisation", "GPE": "state", "NORP": "group"}
ACTOR_LABELS = frozenset(KIND_BY_LABEL)

#: Group terms NER often misses; matched case-sensitively as written in news copy.
GROUP_TERMS = (
    r"(?:the )?Taliban",
    r"(?:the )?mujahideen",
    r"(?:the )?Northern Alliance",
    r"Islamic State(?:[- ]Khorasan)?",
    r"ISIS(?:-K)?",
    r"Daesh",
    r"al-Qaeda",
    r"al Qaeda",
    r"(?:the )?(?:insurgents|militants|rebels)",
)
_GROUP_RE = re.compile(r"\b(?:" + "|".join(GROUP_TERMS) + r")\b")
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "agent"})


def _is_subject(span: Span) -> bool:
    root = span.root
    if root.dep_ in _SUBJECT_DEPS:
        return True
    # "Moscow and Beijing said": conjunct of a subject
    return root.dep_ == "conj" and root.head.dep_ in _SUBJECT_DEPS


def extract_mentions(doc: Doc, capitals: Iterable[str] = (), states: Iterable[str] = ()) -> Iterator[Mention]:
    """Yield actor mentions in text order.

    ``capitals`` are names that are places unless they act (subject of a verb); other place names
    (GPE) not in ``states`` (names of known states) are places unless they act.
    """
    capital_set = {c.casefold() for c in capitals}
    state_set = {s.casefold() for s in states}
    taken: list[tuple[int, int]] = []
    found: list[Mention] = []
    for ent in doc.ents:
        if ent.label_ not in ACTOR_LABELS:
            continue
        text = ent.text.strip()
        if not text or not any(ch.isalpha() for ch in text):
            continue
        start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
        role = "actor"
        if ent.label_ == "GPE" and not _is_subject(ent):
            folded = text.casefold().removeprefix("the ")
            if folded in capital_set or folded not in state_set:
                role = "place"
        found.append(Mention(text, start, start + len(text), ent.label_, KIND_BY_LABEL[ent.label_], role))
        taken.append((start, start + len(text)))
    for m in _GROUP_RE.finditer(doc.text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        found.append(Mention(m.group(0), m.start(), m.end(), "RULE_GROUP", "group"))
    found.sort(key=lambda x: (x.start, x.end))
    yield from found
