"""Within-article coreference for the cases events and quotes need.

- "he"/"she" as the subject of a verb refers to the most recent person mentioned within the last few
  sentences; "they" to the most recent armed group or organisation.
- A definite role noun as the subject ("the envoy said", "the minister added") refers to the most recent
  person given that role in the article.
Each yields a new :class:`Mention` (label ``PRON`` or ``COREF``) with ``refers_to`` set to the start of
the antecedent mention, so it resolves to the same actor.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Iterator

from spacy.attrs import DEP
from spacy.tokens import Doc

from tacitus.extract.records import Mention, RoleMention
from tacitus.extract.spans import doc_text

_SUBJECT = frozenset({"nsubj", "nsubjpass"})
MAX_SENTENCES_BACK = 3


def coreferent_mentions(doc: Doc, mentions: Iterable[Mention], roles: Iterable[RoleMention] = ()) -> Iterator[Mention]:
    actors = sorted((m for m in mentions if m.role == "actor" and m.refers_to is None), key=lambda m: m.start)
    persons = [m for m in actors if m.kind == "person"]
    groups = [m for m in actors if m.kind in ("group", "organisation")]
    p_starts = [m.start for m in persons]
    g_starts = [m.start for m in groups]
    titles: dict[str, list[int]] = {}
    for r in roles:
        titles.setdefault(r.title, []).append((r.person_start, r.country_text))
    sents = list(doc.sents)
    sent_of = [0] * len(doc)
    for k, s in enumerate(sents):
        for i in range(s.start, s.end):
            sent_of[i] = k
    taken = {(m.start, m.end) for m in actors}
    subject = {doc.vocab.strings.add(d) for d in _SUBJECT}
    for i in [i for i, dep in enumerate(doc.to_array(DEP).tolist()) if dep in subject]:
        tok = doc[i]
        if tok.head.pos_ not in ("VERB", "AUX"):
            continue
        span = (tok.idx, tok.idx + len(tok.text))
        if span in taken:
            continue
        low = tok.lower_
        limit = sents[max(0, sent_of[tok.i] - MAX_SENTENCES_BACK)].start_char
        if low in ("he", "she"):
            i = bisect_right(p_starts, tok.idx) - 1
            if i >= 0 and persons[i].start >= limit:
                yield Mention(tok.text, *span, "PRON", "person", refers_to=persons[i].start)
        elif low == "they":
            i = bisect_right(g_starts, tok.idx) - 1
            if i >= 0 and groups[i].start >= sents[max(0, sent_of[tok.i] - 1)].start_char:
                yield Mention(tok.text, *span, "PRON", groups[i].kind, refers_to=groups[i].start)
        elif tok.pos_ == "NOUN" and tok.lemma_.lower() in titles and any(c.lower_ == "the" and c.i < tok.i for c in tok.children):
            # "the Russian special envoy" is not the US special envoy named earlier
            origin = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE")}
            before = [s for s, country in titles[tok.lemma_.lower()] if s < tok.idx
                      and (not origin or (country or "").lower() in origin)]
            if before:
                det = min((c for c in tok.children if c.lower_ == "the" and c.i < tok.i), key=lambda c: c.i)
                yield Mention(doc_text(doc)[det.idx:tok.idx + len(tok.text)], det.idx, tok.idx + len(tok.text), "COREF",
                              "person", refers_to=before[-1])

