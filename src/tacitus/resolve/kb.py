"""The actor knowledge base: package data ``tacitus/data/kb/*.csv`` plus the user's own files.

Every file has the columns ``id,name,code,kind,country,sector,aliases`` and optionally ``capital``,
``demonyms``, ``continuity``, ``roles``, ``wikidata``, ``note`` (see ``data/kb/SOURCES.md``). Files are
read in name order, then the extra files in the order given; a later row with an id already seen
replaces the earlier one, so a user file can correct the bundled data.

Besides alias lookup, the KB composes actors the way CAMEO dictionaries do: a country or demonym plus a
sector word ("Russian officials", "Afghan forces", "Pakistan's army") is that country's sector actor
(``RUS-GOV``, ``AFG-MIL``, ``PAK-MIL``), created on the fly when the KB has no row for it.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

SECTOR_NAMES = {
    "GOV": "government", "MIL": "armed forces", "COP": "police", "SPY": "intelligence", "REB": "rebels",
    "INS": "insurgents", "OPP": "opposition", "JRN": "journalists", "MED": "media", "CVL": "civilians",
    "REF": "refugees", "BUS": "business", "LEG": "legislature", "JUD": "judiciary", "EDU": "academia",
    "NGO": "non-governmental organisations", "REL": "religious figures",
}

REQUIRED = ("id", "name", "code", "kind")

#: Last full year of historical states whose capital lives on in a successor (public facts).
HISTORICAL_END = {"SUN": 1991, "YUG": 1991, "CSK": 1992, "SCG": 2005, "YMD": 1989}


@dataclass(frozen=True)
class Role:
    role: str
    org: str  # an actor code or id ("RUS GOV", "RUS-GOV")
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class KBActor:
    id: str
    name: str
    code: str
    kind: str
    country: str = ""
    sector: str = ""
    capital: str = ""
    aliases: tuple[str, ...] = field(default=())
    demonyms: tuple[str, ...] = field(default=())
    continuity: str = ""
    roles: tuple[Role, ...] = field(default=())
    wikidata: str = ""
    note: str = ""


def _key(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    if t.lower().startswith("the "):
        t = t[4:]
    if t.endswith("'s"):
        t = t[:-2]
    return t


def _split(value: str | None, sep: str = "|") -> tuple[str, ...]:
    return tuple(x.strip() for x in (value or "").split(sep) if x.strip())


def _roles(value: str | None) -> tuple[Role, ...]:
    out = []
    for part in _split(value, ";"):
        bits = [b.strip() for b in part.split("|")] + ["", "", "", ""]
        if bits[0]:
            out.append(Role(bits[0], bits[1], bits[2], bits[3]))
    return tuple(out)


def parse_rows(text: str, source: str) -> list[KBActor]:
    """KB rows from CSV text; a row missing a required field raises ValueError naming ``source`` and line."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    out = []
    for n, r in enumerate(reader, start=2):
        if not any((v or "").strip() for v in r.values()):
            continue
        empty = [c for c in REQUIRED if not (r.get(c) or "").strip()]
        if empty:
            raise ValueError(f"{source}:{n}: empty {', '.join(empty)}")
        out.append(KBActor(
            id=r["id"].strip(), name=r["name"].strip(), code=r["code"].strip(), kind=r["kind"].strip(),
            country=(r.get("country") or "").strip(), sector=(r.get("sector") or "").strip(),
            capital=(r.get("capital") or "").strip(), aliases=_split(r.get("aliases")),
            demonyms=_split(r.get("demonyms")), continuity=(r.get("continuity") or "").strip(),
            roles=_roles(r.get("roles")), wikidata=(r.get("wikidata") or "").strip(), note=(r.get("note") or "").strip(),
        ))
    return out


def _bundled_rows() -> list[KBActor]:
    root = resources.files("tacitus").joinpath("data", "kb")
    rows: list[KBActor] = []
    for entry in sorted((e for e in root.iterdir() if e.name.endswith(".csv")), key=lambda e: e.name):
        if entry.name in ("sectors.csv", "roles.csv"):
            continue
        rows.extend(parse_rows(entry.read_text(encoding="utf-8"), f"tacitus/data/kb/{entry.name}"))
    return rows


def _word_table(name: str) -> dict[str, str]:
    text = resources.files("tacitus").joinpath("data", "kb", name).read_text(encoding="utf-8")
    return {r["word"].strip().casefold(): r["sector"].strip() for r in csv.DictReader(io.StringIO(text)) if r.get("word")}


class KnowledgeBase:
    """Alias index over the KB; case-sensitive (so "US" is not "us"), with a case-folded fallback for
    names of more than four letters or several words."""

    def __init__(self, actors: Iterable[KBActor]):
        by_id: dict[str, KBActor] = {}
        for a in actors:
            by_id[a.id] = a  # a later row replaces an earlier one with the same id
        self.actors = by_id
        self._exact: dict[str, KBActor] = {}
        self._folded: dict[str, KBActor] = {}
        self.capitals: dict[str, KBActor] = {}
        self.demonyms: dict[str, KBActor] = {}
        self.surnames: dict[str, list[KBActor]] = {}
        self.sector_words = _word_table("sectors.csv")
        self.role_words = _word_table("roles.csv")
        for a in by_id.values():
            for alias in (a.name, *a.aliases):
                k = _key(alias)
                if not k:
                    continue
                self._exact.setdefault(k, a)
                if " " in k or len(k) > 4:
                    self._folded.setdefault(k.casefold(), a)
            if a.kind == "state":
                for d in a.demonyms:
                    self.demonyms.setdefault(d, a)
                    self._exact.setdefault(d, a)
                if a.capital:
                    self.capitals.setdefault(a.capital, a)
            if a.kind == "person":
                for alias in (a.name, *a.aliases):
                    parts = alias.split()
                    if len(parts) > 1:
                        lst = self.surnames.setdefault(parts[-1], [])
                        if a not in lst:
                            lst.append(a)

    @classmethod
    def load(cls, extra_files: Sequence[str | Path] = ()) -> "KnowledgeBase":
        """The bundled KB plus ``extra_files``; cached per process while the files are unchanged."""
        key = []
        for p in extra_files:
            try:
                st = Path(p).stat()
                key.append((str(p), st.st_mtime_ns, st.st_size))
            except OSError:
                key.append((str(p), 0, -1))  # reported by _load_cached when read
        return _load_cached(tuple(key))

    @classmethod
    def from_rows(cls, extra: Iterable[KBActor]) -> "KnowledgeBase":
        return cls([*_bundled_rows(), *extra])

    # -- lookups ---------------------------------------------------------------------------------
    def lookup(self, text: str) -> KBActor | None:
        k = _key(text)
        return self._exact.get(k) or self._folded.get(k.casefold())

    def state(self, text: str) -> KBActor | None:
        """A state named by its name, alias or demonym ("Russia", "Russian", "Russians")."""
        a = self.lookup(text)
        if a is not None and a.kind == "state":
            return a
        return self.demonyms.get(_key(text))

    def state_names(self) -> set[str]:
        """Names, aliases and demonyms of states, for telling a country from a mere place."""
        return {x for a in self.actors.values() if a.kind == "state" for x in (a.name, *a.aliases, *a.demonyms)}

    def sector_of(self, word: str) -> str | None:
        return self.sector_words.get(word.casefold())

    def sector_actor(self, state: KBActor, sector: str) -> KBActor:
        """The actor for a state's sector: the KB row ``ISO3-SECTOR`` if there is one, else a new one."""
        found = self.actors.get(f"{state.id}-{sector}")
        if found is not None:
            return found
        name = f"{state.name} {SECTOR_NAMES.get(sector, sector.lower())}"
        return KBActor(f"{state.id}-{sector}", name, f"{state.id} {sector}", "organisation", state.id, sector,
                       note="composed from a country and a sector word")

    def government_of(self, state: KBActor) -> KBActor:
        return self.sector_actor(state, "GOV")

    def historical_state(self, state: KBActor, capital: str, year: int | None) -> KBActor:
        """The state a capital stood for in ``year``: Moscow in 1985 is the Soviet Union's."""
        if year is None:
            return state
        for hist_id, end in HISTORICAL_END.items():
            hist = self.actors.get(hist_id)
            if hist is not None and hist.capital == capital and year <= end and hist.continuity == state.id:
                return hist
        return state

    def person_by_surname(self, surname: str) -> KBActor | None:
        """The KB person with this surname, if exactly one."""
        found = self.surnames.get(surname, [])
        return found[0] if len(found) == 1 else None

    def continuity(self, code: str) -> str:
        """The country part of ``code`` mapped to today's state (SUN -> RUS), for continuity queries."""
        head, _, rest = code.partition(" ")
        state = self.actors.get(head)
        if state is not None and state.continuity:
            head = state.continuity
        return f"{head} {rest}".strip()


@functools.lru_cache(maxsize=8)
def _load_cached(extra_files: tuple[tuple[str, int, int], ...]) -> KnowledgeBase:
    extra: list[KBActor] = []
    for path, _mtime, _size in extra_files:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise ValueError(f"cannot read knowledge-base file {path}: {exc.strerror or exc}") from None
        extra.extend(parse_rows(text, str(p)))
    return KnowledgeBase.from_rows(extra)


def with_roles(actor: KBActor, roles: Iterable[Role]) -> KBActor:
    return replace(actor, roles=tuple(roles))
