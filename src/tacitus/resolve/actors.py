"""Resolve actor mentions of one article to canonical actors.

- Known names (KB aliases) resolve to their KB actor.
- A capital acting as the subject of a verb resolves to its country's government ("Moscow said" -> RUS GOV).
- Persons: a surname alone resolves to the full name given earlier in the article ("Dubnov" after
  "Arkady Dubnov"). Actor ids of persons and unknown organisations are hashes of their canonical names,
  so the same name in two articles is the same actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from tacitus.extract.records import Mention
from tacitus.ingest.ids import row_id
from tacitus.resolve.kb import KnowledgeBase


@dataclass(frozen=True)
class ResolvedActor:
    id: str
    name: str
    code: str | None
    kind: str
    country: str | None
    sector: str | None


def _clean_name(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    if t.endswith("'s"):
        t = t[:-2]
    if t.lower().startswith("the ") and len(t) > 4:
        t = t[4:]
    return t


def resolve_mentions(mentions: Iterable[Mention], kb: KnowledgeBase) -> list[tuple[Mention, ResolvedActor]]:
    """Pair each actor mention (role 'actor') with its canonical actor."""
    out: list[tuple[Mention, ResolvedActor]] = []
    full_names: dict[str, str] = {}  # surname -> full name, as introduced in this article
    for m in mentions:
        if m.role != "actor":
            continue
        name = _clean_name(m.text)
        if not name:
            continue
        kb_actor = kb.lookup(name)
        if kb_actor is None and m.label == "GPE" and name in kb.capitals:
            state = kb.capitals[name]
            kb_actor = kb.government_of(state) or state
        if kb_actor is not None and m.kind != "person":
            out.append((m, ResolvedActor(kb_actor.id, kb_actor.name, kb_actor.code, kb_actor.kind,
                                         kb_actor.country or None, kb_actor.sector or None)))
            continue
        if m.kind == "person":
            parts = name.split()
            if len(parts) == 1 and name in full_names:
                name = full_names[name]
            elif len(parts) > 1:
                full_names.setdefault(parts[-1], name)
            out.append((m, ResolvedActor(row_id("person", name.casefold()), name, None, "person", None, None)))
            continue
        out.append((m, ResolvedActor(row_id(m.kind, name.casefold()), name, None, m.kind, None, None)))
    return out
