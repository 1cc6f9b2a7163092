"""The PLOVER trigger lexicons (package data ``tacitus/data/plover/lexicon.csv``; Russian:
``lexicon_ru.csv``, same columns, the preposition column holding a Russian preposition)."""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
QUAD = {
    "AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
    "RETREAT": "material cooperation", "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict",
    "REJECT": "verbal conflict", "THREATEN": "verbal conflict", "PROTEST": "material conflict",
    "SANCTION": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}
#: Typical intensity of each type (-10 hostile .. +10 cooperative), used when a row gives none.
DEFAULT_INTENSITY = {"AGREE": 7, "CONSULT": 4, "SUPPORT": 5, "CONCEDE": 6, "COOPERATE": 7, "AID": 7, "RETREAT": 6,
                     "REQUEST": 0, "ACCUSE": -4, "REJECT": -4, "THREATEN": -6, "PROTEST": -5, "SANCTION": -6,
                     "MOBILIZE": -5, "COERCE": -7, "ASSAULT": -9}


@dataclass(frozen=True)
class Sense:
    lemma: str
    pos: str
    particle: str
    prep: str
    type: str
    mode: str
    intensity: float
    requires_object: bool
    note: str = ""


class Lexicon:
    def __init__(self, senses: list[Sense]):
        self.by_key: dict[tuple[str, str], list[Sense]] = {}
        for s in senses:
            self.by_key.setdefault((s.lemma, s.pos), []).append(s)

    @classmethod
    def load(cls, language: str = "en") -> "Lexicon":
        return _load("lexicon.csv" if language == "en" else f"lexicon_{language}.csv")

    def senses(self, lemma: str, pos: str) -> list[Sense]:
        return self.by_key.get((lemma.lower(), pos), [])

    def types_of(self, lemma: str, upos: str) -> list[str]:
        """The distinct types of a lemma's rows for a spaCy part of speech (VERB/AUX: verb rows,
        NOUN/PROPN: noun rows), bare rows first."""
        pos = {"VERB": "VERB", "AUX": "VERB", "NOUN": "NOUN", "PROPN": "NOUN"}.get(upos)
        rows = sorted(self.senses(lemma, pos), key=lambda s: bool(s.particle or s.prep)) if pos else []
        return list(dict.fromkeys(s.type for s in rows))

    def match(self, lemma: str, pos: str, particles: set[str], preps: set[str]) -> Sense | None:
        """The sense for a trigger: a row whose particle or preposition is present wins over the bare row;
        a row that needs a particle or preposition that is absent does not match."""
        best = None
        for s in self.senses(lemma, pos):
            if s.particle and s.particle not in particles:
                continue
            if s.prep and s.prep not in preps:
                continue
            rank = (bool(s.particle), bool(s.prep))
            if best is None or rank > best[0]:
                best = (rank, s)
        if best is None:
            return None
        if not best[1].particle and particles & {"up", "out", "off", "down", "over", "back", "in"}:
            # "pull out" matched by "pull" alone would be wrong; only phrasal rows may take a particle
            if any(s.particle for s in self.senses(lemma, pos)):
                return None
        return best[1]


@functools.lru_cache(maxsize=4)
def _load(name: str) -> Lexicon:
    text = resources.files("tacitus").joinpath("data", "plover", name).read_text(encoding="utf-8")
    senses = []
    for r in csv.DictReader(io.StringIO(text)):
        t = (r.get("type") or "").strip().upper()
        if t not in QUAD:
            continue
        try:
            intensity = float(r.get("intensity") or DEFAULT_INTENSITY[t])
        except ValueError:
            intensity = DEFAULT_INTENSITY[t]
        senses.append(Sense(r["lemma"].strip().lower(), (r.get("pos") or "VERB").strip().upper(),
                            (r.get("particle") or "").strip().lower(), (r.get("prep") or "").strip().lower(), t,
                            (r.get("mode") or "").strip(), intensity, (r.get("requires_object") or "0").strip() == "1",
                            (r.get("note") or "").strip()))
    return Lexicon(senses)
