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
    sector: str | None = None  # for composed mentions ("Russian officials" -> GOV)
    country_text: str | None = None  # the country or nationality word of a composed mention
    refers_to: int | None = None  # for a pronoun or role noun: the start offset of the mention it refers to
    acting: bool = False  # the subject (or agent) of a verb


@dataclass(frozen=True)
class RoleMention:
    """A role or affiliation stated for a person: "Maria Zakharova, foreign ministry spokesperson"."""

    person_start: int  # offsets of the person's name mention
    person_end: int
    text: str  # the role phrase as written
    start: int
    end: int
    title: str  # its head noun ("spokesperson", "envoy", "associate")
    org_text: str | None = None  # an organisation named in it ("Center for ... at Stanford")
    org_start: int | None = None
    country_text: str | None = None  # a country or nationality in it ("Russian", "of Pakistan")
    possessor_start: int | None = None  # "his special envoy": the mention "his" points back to


@dataclass(frozen=True)
class Quote:
    text: str
    start: int
    end: int
    kind: str  # direct or indirect
    cue: str | None = None
    speaker: str | None = None  # a person's canonical name, else the description as written
    speaker_start: int | None = None  # the speaker words at the cue ("he", "Dubnov", "a diplomatic source")
    speaker_end: int | None = None
    speaker_kind: str | None = None  # named, surname, pronoun, role, anonymous, institutional, continued
    speaker_actor_id: str | None = None
    speaker_code: str | None = None
    partial: bool = False  # a quoted fragment inside a sentence, not a quoted sentence
    speaker_role: str | None = None  # the speaker's role at the time: as the article states it, else the KB's
    co_speakers: tuple = ()  # (name, actor id, code) of coordinated speakers ("The Kremlin and the Taliban said")


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
