"""The bundled actor knowledge base (package data ``tacitus/data/actors.csv``)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class KBActor:
    id: str
    name: str
    code: str
    kind: str
    country: str
    sector: str
    capital: str = ""
    aliases: tuple[str, ...] = field(default=())


def _key(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    if t.lower().startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    return t


class KnowledgeBase:
    """Alias index over the KB; case-sensitive (so "US" is not "us"), with a case-folded fallback for
    multi-word names."""

    def __init__(self, actors: list[KBActor]):
        self.actors = {a.id: a for a in actors}
        self._exact: dict[str, KBActor] = {}
        self._folded: dict[str, KBActor] = {}
        self.capitals: dict[str, KBActor] = {}
        for a in actors:
            for alias in (a.name, *a.aliases):
                self._exact.setdefault(_key(alias), a)
                if " " in alias or len(alias) > 4:
                    self._folded.setdefault(_key(alias).casefold(), a)
            if a.capital:
                self.capitals.setdefault(a.capital, a)

    @classmethod
    def load(cls) -> "KnowledgeBase":
        text = resources.files("tacitus.data").joinpath("actors.csv").read_text(encoding="utf-8")
        rows = csv.DictReader(io.StringIO(text))
        actors = [
            KBActor(
                r["id"], r["name"], r["code"], r["kind"], r["country"], r["sector"], r["capital"],
                tuple(a for a in r["aliases"].split("|") if a),
            )
            for r in rows
        ]
        return cls(actors)

    def lookup(self, text: str) -> KBActor | None:
        k = _key(text)
        return self._exact.get(k) or self._folded.get(k.casefold())

    def state_names(self) -> set[str]:
        """Names and aliases of states (countries), for telling a country from a mere place."""
        return {alias for a in self.actors.values() if a.kind == "state" for alias in (a.name, *a.aliases)}

    def government_of(self, state: KBActor) -> KBActor | None:
        return self.actors.get(f"{state.id}-GOV")
