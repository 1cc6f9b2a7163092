"""Quotes: direct quotes between quote marks and indirect "X said (that) ..." reports, with speakers.

Direct quotes: pairs of straight, curly or guillemet marks; a quote is never cut at an inner full
stop. Speaker: a speech cue next to the quote ("..., said Omar Samad", "Farda said", "he added"),
with pronouns resolved to the last person named before the quote. Indirect quotes: a speech verb
with a subject and a clausal complement in the dependency parse.
"""

from __future__ import annotations

import re
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from tacitus.extract.records import Quote

SPEECH_VERBS = frozenset(
    """say tell add state claim allege deny insist warn note explain argue believe stress emphasise emphasize
    announce declare report reply respond acknowledge admit confirm reject accuse suggest write continue
    predict promise vow urge assert tweet told""".split()
)
_PAIRS = (("“", "”"), ("«", "»"), ('"', '"'), ("„", "“"))
_DIRECT = re.compile(
    "|".join(rf"{re.escape(o)}(?P<q{i}>[^{re.escape(o + c)}]{{3,4000}}?){re.escape(c)}" for i, (o, c) in enumerate(_PAIRS))
)
_PRONOUNS = frozenset({"he", "she", "they", "it"})
_CUE_WORDS = "|".join(sorted(SPEECH_VERBS | {"said", "says", "added", "told", "stated", "noted", "warned", "insisted", "explained", "continued", "argued", "wrote", "claimed", "denied", "believes"}, key=len, reverse=True))
# after the quote: ", said Omar Samad" / ", Farda said" / ", he added"
_NAME = r"(?:[A-Z]\.|[A-Z][\w'’-]+)(?:[ ]+(?:[A-Z]\.|[A-Z][\w'’-]+)){0,3}"
_AFTER = re.compile(
    rf"^\s*[,.]?\s*(?:(?P<cue1>{_CUE_WORDS})\s+(?P<spk1>{_NAME}|he|she|they)"
    rf"|(?P<spk2>{_NAME}|[Hh]e|[Ss]he|[Tt]hey|(?:the|a|an)\s+[\w\s-]{{3,60}}?)\s+(?P<cue2>{_CUE_WORDS}))\b"
)


def _person_spans(doc: Doc) -> list[Span]:
    return [e for e in doc.ents if e.label_ == "PERSON"]


def _resolve_pronoun(doc: Doc, before_char: int) -> tuple[str, int, int] | None:
    persons = [e for e in _person_spans(doc) if e.end_char <= before_char]
    if not persons:
        return None
    p = persons[-1]
    return _full_name(doc, p.text), p.start_char, p.end_char


def _full_name(doc: Doc, name: str) -> str:
    """'Dubnov' -> 'Arkady Dubnov' when the full name appears in the article."""
    if " " in name:
        return name
    for e in _person_spans(doc):
        parts = e.text.split()
        if len(parts) > 1 and parts[-1] == name:
            return e.text
    return name


def extract_direct_quotes(doc: Doc) -> Iterator[Quote]:
    text = doc.text
    for m in _DIRECT.finditer(text):
        group = next(g for g in m.groupdict() if m.group(g) is not None)
        content = m.group(group)
        start, end = m.start(group), m.end(group)
        if len(content.split()) < 3:
            continue  # a scare-quoted term, not a quote
        speaker = cue = None
        s_start = s_end = None
        after = _AFTER.match(text[m.end(): m.end() + 120])
        if after:
            cue = after.group("cue1") or after.group("cue2")
            name = after.group("spk1") or after.group("spk2")
            offset = m.end() + after.start("spk1" if after.group("spk1") else "spk2")
            if name.lower() in _PRONOUNS:
                resolved = _resolve_pronoun(doc, m.start())
                if resolved:
                    speaker, s_start, s_end = resolved
            else:
                name = name.strip().rstrip(".,;:")
                speaker, s_start, s_end = _full_name(doc, name), offset, offset + len(name)
        else:
            before = text[max(0, m.start() - 160): m.start()]
            b = re.search(rf"(?P<spk>{_NAME})\s+(?P<cue>{_CUE_WORDS})\s*[:,]?\s*$", before)
            if b:
                speaker = _full_name(doc, b.group("spk"))
                cue = b.group("cue")
                s_start = m.start() - len(before) + b.start("spk")
                s_end = s_start + len(b.group("spk"))
        yield Quote(content, start, end, "direct", cue, speaker, s_start, s_end)


def _subject(verb: Token) -> Token | None:
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    return None


def extract_indirect_quotes(doc: Doc, direct: list[Quote] | None = None) -> Iterator[Quote]:
    """'X said (that) Y' with Y a clausal complement; skips clauses inside direct quotes."""
    if not doc.has_annotation("DEP"):
        return
    inside = [(q.start, q.end) for q in (direct or [])]
    for tok in doc:
        if tok.lemma_.lower() not in SPEECH_VERBS or tok.pos_ not in ("VERB", "AUX"):
            continue
        comp = next((c for c in tok.children if c.dep_ == "ccomp"), None)
        subj = _subject(tok)
        if comp is None or subj is None:
            continue
        if comp.i < tok.i:
            continue  # "..., he said" after the content: a direct quote or a fronted clause
        span = doc[comp.left_edge.i: comp.right_edge.i + 1]
        if span[0].lower_ == "that":
            span = span[1:]
        if len(span) < 3 or any(s <= span.start_char < e for s, e in inside):
            continue
        subj_span = doc[subj.left_edge.i: subj.right_edge.i + 1]
        name = subj_span.text
        s_start, s_end = subj_span.start_char, subj_span.end_char
        if subj.lower_ in _PRONOUNS:
            resolved = _resolve_pronoun(doc, subj.idx)
            if resolved:
                name, s_start, s_end = resolved
        elif subj.ent_type_ == "PERSON":
            name = _full_name(doc, doc[subj.left_edge.i: subj.i + 1].text if subj.ent_iob_ != "O" else name)
        yield Quote(span.text, span.start_char, span.end_char, "indirect", tok.text, name, s_start, s_end)


def extract_quotes(doc: Doc) -> Iterator[Quote]:
    direct = list(extract_direct_quotes(doc))
    yield from direct
    yield from extract_indirect_quotes(doc, direct)
