"""What a denial or a non-committal answer is about, in English: such content is a claim, never an
asserted event.

"Russian officials rejected allegations that Russia is providing weapons to the Taliban" asserts no
weapons supply: the supply is what is denied (a claim, kept with its stance by :mod:`tacitus.extract.claims`).
"The ministry refused to confirm that Russia supplies the Taliban" and "The Pentagon neither confirmed nor
denied that ..." assert nothing and deny nothing: the content is neither an event nor anyone's claim.

- :func:`disputed_spans` gives the character spans of the content (the verb's clausal complement, or its
  object with everything that depends on it: "denied reports that ...", "dismissed as fake news reports
  that ...", "denied the existence of an investigation into ...") of every denying verb, and of every
  confirming verb that is negated, refused or paired with a denial ("did not confirm", "refused to
  confirm", "neither confirmed nor denied").
- :func:`noncommittal` tells a cue that commits its speaker to nothing.
- :func:`asserted_only` keeps the events outside those spans, and drops a refusal to say something
  ("refused to confirm", "declined to comment"): it rejects no demand or proposal, so it is no REJECT.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from spacy.tokens import Doc, Token

DENYING = frozenset("deny reject dismiss refute dispute rebuff rebut disavow".split())
CONFIRMING = frozenset("confirm acknowledge admit concede verify".split())
REFUSING = frozenset("refuse decline fail".split())
CONTENT_DEPS = frozenset({"ccomp", "dobj", "xcomp"})


def noncommittal(tok: Token) -> bool:
    """Whether a confirming or denying verb commits to nothing: negated ("did not confirm"), refused
    ("refused to confirm", "declined to deny"), or in "neither ... nor"."""
    if any(c.dep_ == "neg" for c in tok.children):
        return True
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in REFUSING:
        return True
    words = [c.lower_ for c in tok.children] + ([c.lower_ for c in tok.head.children] if tok.dep_ == "conj" else [])
    return "neither" in words or "nor" in words


def _content(tok: Token) -> Iterable[tuple[int, int]]:
    for c in tok.children:
        if c.dep_ in CONTENT_DEPS:
            left, right = c.left_edge, c.right_edge
            yield left.idx, right.idx + len(right.text)


def disputed_spans(doc: Doc) -> list[tuple[int, int, bool]]:
    """(start, end, committal) of each denied or unconfirmed content; ``committal`` is False for content
    nobody takes a stance on ("refused to confirm", "neither confirmed nor denied")."""
    out = []
    for tok in doc:
        if tok.pos_ not in ("VERB", "AUX"):
            continue
        lemma = tok.lemma_.lower()
        if lemma not in DENYING and lemma not in CONFIRMING:
            continue
        unsure = noncommittal(tok)
        if lemma in CONFIRMING and not unsure:
            continue  # a confirmation asserts its content (the confirmer's claim)
        for a, b in _content(tok):
            out.append((a, b, not unsure))
        if tok.dep_ == "conj" and not any(c.dep_ in CONTENT_DEPS for c in tok.children):
            # "neither confirmed nor denied that ...": the content hangs on the first verb
            for a, b in _content(tok.head):
                out.append((a, b, not unsure))
    return out


SAYING = CONFIRMING | DENYING | frozenset("comment say discuss speak elaborate answer specify disclose reveal".split())


def refuses_to_say(doc: Doc, ev) -> bool:
    """A REJECT whose trigger is "refuse"/"decline" to confirm, comment, say ...: no rejection of anything."""
    if ev.type != "REJECT":
        return False
    span = doc.char_span(ev.start, ev.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    if tok.lemma_.lower() in DENYING and noncommittal(tok):
        return True  # "declined to deny", "did not deny": no denial
    return tok.lemma_.lower() in REFUSING and any(c.dep_ == "xcomp" and c.lemma_.lower() in SAYING
                                                  for c in tok.children)


def asserted_only(events: Sequence, spans: Sequence[tuple[int, int, bool]], doc: Doc | None = None) -> list:
    """The events whose trigger is outside every denied or unconfirmed content (the denial itself stays),
    less refusals to say something (with ``doc``)."""
    return [ev for ev in events if not any(a <= ev.start < b for a, b, _c in spans)
            and not (doc is not None and refuses_to_say(doc, ev))]


def noncommittal_cue_at(doc: Doc, start: int, end: int, cue: str | None) -> bool:
    """Whether the cue of a claim whose content is ``start``-``end`` is non-committal: the nearest token
    written as ``cue`` before the content (or just after it, "..., she did not confirm")."""
    if not cue:
        return False
    word = cue.split()[0].lower()
    best = None
    for tok in doc:
        if tok.lower_ != word:
            continue
        if best is None or abs(tok.idx - start) < abs(best.idx - start):
            best = tok
    if best is None or not (best.idx < end + 80 and best.idx > start - 200):
        return False
    lemma = best.lemma_.lower()
    if lemma not in DENYING and lemma not in CONFIRMING:
        return False
    if noncommittal(best):
        return True
    # "neither confirmed nor denied": the denial's "nor" makes the pair non-committal
    return best.dep_ != "conj" and any(c.dep_ == "conj" and noncommittal(c) for c in best.children)
