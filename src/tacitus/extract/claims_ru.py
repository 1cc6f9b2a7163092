"""Claims in Russian text, as the same :class:`~tacitus.extract.claims.Claim` records as English.

- A quote (direct or reported) whose content holds an event with a source is a claim of its speaker
  about that event; the stance comes from the cue (:func:`tacitus.extract.quotes_ru.stance_of_ru`:
  "опроверг", "отрицает" -> denies; "подтвердил", "признал" -> confirms; else alleges), and a negated
  event turns an allegation into a denial ("талибы не получают оружия").
- A denial or accusation coded as a REJECT or ACCUSE event is a claim about the events inside what is
  denied or alleged: "МИД России опроверг сообщения о поставках оружия талибам" is the ministry denying
  that Russia supplies the Taliban (a denied event without a source is the denier's own); "обвинил
  Россию в поставках оружия талибам" alleges that Russia does (an alleged event without a source is the
  accused's). The denied proposition is never stored as asserted by the party that denies it: the
  claim's stance is the denial's.
"""

from __future__ import annotations

from typing import Iterator, Sequence

from spacy.tokens import Doc

from tacitus.extract.claims import _CLAIMABLE, Claim
from tacitus.extract.events import ActorRef, Event
from tacitus.extract.records import Quote
from tacitus.extract.spans import doc_text


def _stance(cue: str | None, negated: bool) -> str | None:
    from tacitus.extract.quotes_ru import noncommittal_ru, stance_of_ru

    if noncommittal_ru(cue):
        return None  # "ни подтвердил, ни опроверг": no claim either way
    stance = stance_of_ru(cue)
    if negated and stance == "alleges":
        return "denies"
    return stance


def extract_claims_ru(doc: Doc, quotes: Sequence[Quote], events: Sequence[Event]) -> Iterator[Claim]:
    text = doc_text(doc)
    for q in quotes:
        if not q.speaker and not q.speaker_actor_id:
            continue
        for ev in events:
            if not (q.start <= ev.start < q.end) or ev.type not in _CLAIMABLE or ev.source is None:
                continue
            if ev.source.id == q.speaker_actor_id and ev.type in ("ACCUSE", "REJECT"):
                continue  # the speaker's own accusation: handled below as its own claim
            stance = _stance(q.cue, ev.negated)
            if stance is None:
                continue  # "neither confirmed nor denied": no stance, no claim
            yield Claim(stance, q.speaker, q.speaker_actor_id, q.speaker_code, ev.source, ev.type, ev.target,
                        q.text, q.start, q.end, q.cue, q.start, q.kind)
    for ev in events:
        if ev.type not in ("REJECT", "ACCUSE") or not ev.claim or ev.source is None:
            continue
        lo = text.find(ev.claim, ev.start)
        if lo < 0:
            continue
        hi = lo + len(ev.claim)
        stance = "denies" if ev.type == "REJECT" else "alleges"
        for inner in events:
            if inner is ev or not (lo <= inner.start < hi) or inner.type not in _CLAIMABLE:
                continue
            subject: ActorRef | None = inner.source
            if subject is None:
                subject = ev.source if ev.type == "REJECT" else ev.target
            if subject is None or (inner.target is not None and subject.id == inner.target.id):
                continue
            st = stance if not inner.negated else ("alleges" if stance == "denies" else "denies")
            yield Claim(st, ev.source.name, ev.source.id, ev.source.code, subject, inner.type, inner.target,
                        ev.claim, lo, hi, ev.trigger)


def disputed_spans(text: str, events: Sequence[Event]) -> list[tuple[int, int]]:
    """The character spans of what REJECT and ACCUSE events deny or allege."""
    out = []
    for ev in events:
        if ev.type in ("REJECT", "ACCUSE") and ev.claim:
            lo = text.find(ev.claim, ev.start)
            if lo >= 0:
                out.append((lo, lo + len(ev.claim)))
    return out


def asserted_events(text: str, events: Sequence[Event]) -> list[Event]:
    """The events that are not inside a denial or an accusation: "опроверг сообщения о поставках оружия
    талибам" asserts no supply (it is kept as the denier's claim), "обвинил Россию в поддержке талибов"
    asserts no support (the accuser's claim)."""
    spans = disputed_spans(text, events)
    return [ev for ev in events if not any(lo <= ev.start < hi for lo, hi in spans)]
