"""Typed records yielded by the extractors. Offsets are character offsets into the article's clean text."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    text: str
    start: int
    end: int
    label: str  # NER label or rule name
    kind: str  # person, organisation, state, group
    role: str = "actor"  # actor or place (a capital used as a place stays a place)


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    kind: str  # direct or indirect
    cue: str | None = None
    speaker: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True)
class PlaceMention:
    text: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Count:
    number: float
    text: str
    start: int
    end: int
    category: str  # killed, wounded, troops, refugees, districts, prisoners, arrested, evacuated
    object: str | None = None
    approximate: bool = False
