"""Roles and affiliations stated for persons in the text, from the dependency parse.

- Apposition after the name: "Maria Zakharova, foreign ministry spokesperson", "Zamir Kabulov, his special
  envoy for Afghanistan", "X, an associate at the Center for ... at Stanford", "X, a journalist based in Moscow".
- Apposition before the name: "the ministry's spokeswoman, Maria Zakharova".
- Titles before the name: "Foreign Ministry spokesperson Maria Zakharova", "Russian Foreign Minister Sergei
  Lavrov", "General Boris Gromov".

A role's words for the portfolio ("envoy *for Afghanistan*", "minister *of foreign affairs*") do not say whom
the person works for, so countries after "for"/"on"/"to" are not taken as the person's country.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.records import RoleMention
from tacitus.extract.spans import doc_text

_PORTFOLIO_PREPS = frozenset({"for", "on", "to", "in"})
_HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "gen", "gen.", "sen", "sen.",
                         "col", "col.", "lt", "lt.", "maj", "maj.", "rep", "rep.", "sir"})


def _cut_clauses(tokens: list[Token], head: Token) -> list[Token]:
    """Drop relative clauses and anything after a comma or dash that follows the head."""
    banned = set()
    for child in head.subtree:
        if child.dep_ in ("relcl", "advcl", "ccomp") and child.i > head.i:
            banned.update(t.i for t in child.subtree)
    out = []
    for t in tokens:
        if t.i > head.i and t.text in (",", "—", "–", ";", "(", ")") :
            break
        if t.i not in banned:
            out.append(t)
    while out and (out[-1].is_punct or out[-1].dep_ in ("cc", "punct")):
        out.pop()
    while out and out[0].is_punct:
        out.pop(0)
    return out


def _role_from_tokens(doc: Doc, person: Span, tokens: list[Token], head: Token) -> RoleMention | None:
    if not tokens:
        return None
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = doc_text(doc)[start:end]
    if not any(c.isalpha() for c in text) or len(tokens) > 25:
        return None
    ents = [e for e in doc.ents if e.start_char >= start and e.end_char <= end]
    # a place or body after "for"/"on"/"to" is the portfolio ("envoy for Afghanistan"), not the employer
    employer = [e for e in ents if not (e.root.dep_ == "pobj" and e.root.head.lower_ in _PORTFOLIO_PREPS)]
    orgs = tuple((e.text, e.start_char) for e in employer if e.label_ in ("ORG", "FAC", "GPE"))
    country = None
    for e in ents:
        if e.label_ not in ("NORP", "GPE"):
            continue
        gov = e.root.head
        if e.root.dep_ == "pobj" and gov.lower_ in _PORTFOLIO_PREPS:
            continue  # "envoy for Afghanistan": the portfolio, not the employer
        country = e.text
        break
    possessor = None
    for child in head.children:
        if child.dep_ == "poss" and child.pos_ == "PRON":
            possessor = child.idx
    return RoleMention(person.start_char, person.end_char, text, start, end, head.lemma_.lower() or head.lower_,
                       orgs[-1][0] if orgs else None, orgs[-1][1] if orgs else None, country, possessor)


def extract_roles(doc: Doc, persons: Iterable[Span], is_role_word) -> Iterator[RoleMention]:
    """Yield the roles stated for the given person spans. ``is_role_word(word)`` says whether a noun is a
    role or title ("spokesperson", "envoy", "minister", "journalist", "associate", ...)."""
    for person in persons:
        root = person.root
        # 1. apposition after the name
        for child in root.children:
            if child.dep_ == "appos" and child.i >= person.end and child.pos_ in ("NOUN", "PROPN"):
                tokens = _cut_clauses([t for t in child.subtree], child)
                head = child
                if not is_role_word(head.lower_) and not is_role_word(head.lemma_.lower()):
                    # "X, head of the ministry" / "a spokesman for": accept when any noun in it is a role word
                    heads = [t for t in tokens if t.pos_ == "NOUN" and is_role_word(t.lemma_.lower())]
                    if not heads:
                        continue
                    head = heads[0]
                role = _role_from_tokens(doc, person, tokens, head)
                if role:
                    yield role
        # 2. apposition before the name: "the ministry's spokeswoman, Maria Zakharova"
        if root.dep_ == "appos" and root.head.i < person.start and is_role_word(root.head.lemma_.lower()):
            head = root.head
            tokens = [t for t in head.subtree if t.i < person.start and t.i not in range(person.start, person.end)]
            tokens = [t for t in tokens if t.i >= min((x.i for x in head.subtree), default=head.i)]
            tokens = _cut_clauses(tokens, head)
            role = _role_from_tokens(doc, person, tokens, head)
            if role:
                yield role
        # 3. titles before the name, inside its noun phrase
        left = [t for t in root.subtree if t.i < person.start]
        left = [t for t in left if t.dep_ in ("compound", "amod", "nmod", "poss", "case", "punct", "det", "nummod")
                or t.head.i < person.start]
        if left:
            # keep the contiguous run right before the name
            run: list[Token] = []
            for t in sorted(left, key=lambda t: t.i, reverse=True):
                if t.i == (run[-1].i - 1 if run else person.start - 1):
                    run.append(t)
                else:
                    break
            run.reverse()
            while run and run[0].dep_ in ("det", "punct", "case"):
                run.pop(0)
            titles = [t for t in run if t.pos_ in ("NOUN", "PROPN") and is_role_word(t.lemma_.lower())]
            if run and titles:
                role = _role_from_tokens(doc, person, run, titles[-1])
                if role:
                    yield role


def split_title(span: Span, is_role_word) -> Span:
    """A person span without its leading titles: "General Boris Gromov" -> "Boris Gromov"."""
    i = span.start
    while i < span.end - 1 and (span.doc[i].lower_ in _HONORIFICS or is_role_word(span.doc[i].lower_)):
        i += 1
    return Span(span.doc, i, span.end, label=span.label_) if i > span.start else span
