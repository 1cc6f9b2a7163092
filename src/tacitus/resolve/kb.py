"""The actor knowledge base: package data ``tacitus/data/kb/*.csv`` plus the user's own files.

Every file has the columns ``id,name,code,kind,country,sector,aliases`` and optionally ``capital``,
``demonyms``, ``continuity``, ``roles``, ``wikidata``, ``note`` (see ``data/kb/SOURCES.md``). Files are
read in name order, then the extra files in the order given; a later row with an id already seen
replaces the earlier one, so a user file can correct the bundled data.

Besides alias lookup, the KB composes actors the way CAMEO dictionaries do: a country or demonym plus a
sector word ("Russian officials", "Afghan forces", "Pakistan's army") is that country's sector actor
(``RUS-GOV``, ``AFG-MIL``, ``PAK-MIL``), created on the fly when the KB has no row for it.

Russian: ``aliases_ru.csv`` (columns ``id,alias,type,note``) adds Russian names to bundled and user actors
by id (``type`` ``alias``, the default; ``demonym`` and ``capital`` for states: "российский", "Москва");
``sectors_ru.csv`` and ``roles_ru.csv`` add Russian sector and role words (lemmas and common plurals).
Cyrillic names are looked up by a key with "ё" read as "е" and quotation marks dropped (``«Талибан»`` is
``Талибан``); case is handled as for English names (exact, then case-folded for names of more than four
letters or several words; Russian demonyms case-folded always, being lower-case lemmas).
"""

from __future__ import annotations

import csv
import functools
import io
import re
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

SECTOR_NAMES = {
    "GOV": "government", "MIL": "armed forces", "COP": "police", "SPY": "intelligence", "REB": "rebels",
    "INS": "insurgents", "OPP": "opposition", "JRN": "journalists", "MED": "media", "CVL": "civilians",
    "REF": "refugees", "BUS": "business", "LEG": "legislature", "JUD": "judiciary", "EDU": "academia",
    "NGO": "non-governmental organisations", "REL": "religious figures",
}

REQUIRED = ("id", "name", "code", "kind")

#: Package tables that are not actor rows.
WORD_TABLES = ("sectors.csv", "roles.csv", "sectors_ru.csv", "roles_ru.csv", "aliases_ru.csv")
RU_ALIAS_TYPES = ("alias", "demonym", "capital")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_RU_QUOTES = str.maketrans("", "", "«»„“”\"")

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


def _yo(text: str) -> str:
    return text.replace("ё", "е").replace("Ё", "Е")


def _key(text: str) -> str:
    t = " ".join(text.replace("’", "'").split())
    if _CYRILLIC.search(t):  # Russian: "ё" read as "е", quotation marks dropped
        return " ".join(_yo(t).translate(_RU_QUOTES).split())
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
        if entry.name in WORD_TABLES:
            continue
        rows.extend(parse_rows(entry.read_text(encoding="utf-8"), f"tacitus/data/kb/{entry.name}"))
    return rows


def _word_table(name: str) -> dict[str, str]:
    text = resources.files("tacitus").joinpath("data", "kb", name).read_text(encoding="utf-8")
    return {r["word"].strip().casefold(): r["sector"].strip() for r in csv.DictReader(io.StringIO(text)) if r.get("word")}


def _word_tables(name: str, name_ru: str) -> dict[str, str]:
    """The English word table, then the Russian one's words not in it, each also with "ё" read as "е"
    (callers look words up directly: ``kb.role_words.get(title.casefold())``)."""
    table = _word_table(name)
    for w, sector in _word_table(name_ru).items():
        table.setdefault(w, sector)
        table.setdefault(_yo(w), sector)
    return table


def parse_aliases(text: str, source: str) -> list[tuple[int, str, str, str]]:
    """(line, id, alias, type) rows of a Russian alias table (columns ``id,alias`` and optionally ``type``,
    ``note``); a row missing its id or alias, or of an unknown type, raises ValueError naming ``source``."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("id", "alias") if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    out = []
    for n, r in enumerate(reader, start=2):
        if not any((v or "").strip() for v in r.values() if isinstance(v, str)):
            continue
        aid, alias = (r.get("id") or "").strip(), " ".join((r.get("alias") or "").split())
        kind = (r.get("type") or "").strip() or "alias"
        if not aid or not alias:
            raise ValueError(f"{source}:{n}: empty {'id' if not aid else 'alias'}")
        if kind not in RU_ALIAS_TYPES:
            raise ValueError(f"{source}:{n}: unknown type {kind!r} (one of {', '.join(RU_ALIAS_TYPES)})")
        out.append((n, aid, alias, kind))
    return out


def apply_aliases(actors: Iterable[KBActor], aliases: Iterable[tuple[int, str, str, str]],
                  source: str) -> tuple[list[KBActor], dict[str, str]]:
    """``actors`` (a later row with a seen id replacing the earlier one, as :class:`KnowledgeBase` does) with
    the aliases and demonyms of ``aliases`` added, and the capital names it gives (name -> state id). An
    alias for an id no actor has raises ValueError naming ``source`` and the line, as does a demonym or
    capital for an actor that is not a state."""
    by_id: dict[str, KBActor] = {}
    for a in actors:
        by_id[a.id] = a
    more: dict[str, dict[str, list[str]]] = {}
    capitals: dict[str, str] = {}
    for n, aid, alias, kind in aliases:
        a = by_id.get(aid)
        if a is None:
            raise ValueError(f"{source}:{n}: unknown id {aid!r}: no knowledge-base actor has it")
        if kind != "alias" and a.kind != "state":
            raise ValueError(f"{source}:{n}: a {kind} needs a state; {aid} is a {a.kind}")
        if kind == "capital":
            capitals.setdefault(alias, aid)
            continue
        mine = more.setdefault(aid, {"alias": [], "demonym": []})
        have = a.aliases if kind == "alias" else a.demonyms
        if alias not in have and alias not in mine[kind] and alias != a.name:
            mine[kind].append(alias)
    out = [replace(a, aliases=a.aliases + tuple(more[a.id]["alias"]),
                   demonyms=a.demonyms + tuple(more[a.id]["demonym"])) if a.id in more else a
           for a in by_id.values()]
    return out, capitals


@functools.lru_cache(maxsize=1)
def _ru_aliases() -> tuple[tuple[int, str, str, str], ...]:
    text = resources.files("tacitus").joinpath("data", "kb", "aliases_ru.csv").read_text(encoding="utf-8")
    return tuple(parse_aliases(text, "tacitus/data/kb/aliases_ru.csv"))


class KnowledgeBase:
    """Alias index over the KB; case-sensitive (so "US" is not "us"), with a case-folded fallback for
    names of more than four letters or several words."""

    def __init__(self, actors: Iterable[KBActor], more_capitals: Mapping[str, str] | None = None):
        """``more_capitals``: further names of capitals (name -> state id), e.g. the Russian ones."""
        by_id: dict[str, KBActor] = {}
        for a in actors:
            by_id[a.id] = a  # a later row replaces an earlier one with the same id
        self.actors = by_id
        self._exact: dict[str, KBActor] = {}
        self._folded: dict[str, KBActor] = {}
        self.capitals: dict[str, KBActor] = {}
        self.demonyms: dict[str, KBActor] = {}
        self.surnames: dict[str, list[KBActor]] = {}
        self.sector_words = _word_tables("sectors.csv", "sectors_ru.csv")
        self.role_words = _word_tables("roles.csv", "roles_ru.csv")
        self._capital_of: dict[str, str] = {}  # another name of a capital -> its name in the KB
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
                    if _CYRILLIC.search(d):  # lower-case lemmas ("российский"): any case matches
                        k = _key(d)
                        for form in (k, k.casefold()):
                            self.demonyms.setdefault(form, a)
                            self._exact.setdefault(form, a)
                        self._folded.setdefault(k.casefold(), a)
                        continue
                    self.demonyms.setdefault(d, a)
                    self._exact.setdefault(d, a)
                if a.capital:
                    self.capitals.setdefault(a.capital, a)
            if a.kind == "person":
                for alias in (a.name, *a.aliases):
                    parts = alias.split()
                    if len(parts) > 1:
                        surname = _key(parts[-1]) if _CYRILLIC.search(parts[-1]) else parts[-1]
                        lst = self.surnames.setdefault(surname, [])
                        if a not in lst:
                            lst.append(a)
        for name, sid in (more_capitals or {}).items():
            state = by_id.get(sid)
            if state is not None and state.kind == "state":
                for form in dict.fromkeys((name, _key(name))):
                    self.capitals.setdefault(form, state)
                    if state.capital:
                        self._capital_of.setdefault(form, state.capital)

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
        """The bundled rows, then ``extra`` (a row with a seen id replaces it), then the Russian aliases."""
        actors, capitals = apply_aliases([*_bundled_rows(), *extra], _ru_aliases(), "tacitus/data/kb/aliases_ru.csv")
        return cls(actors, capitals)

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
        """Names, aliases and demonyms of states, for telling a country from a mere place (Cyrillic ones also
        with "ё" read as "е")."""
        names = {x for a in self.actors.values() if a.kind == "state" for x in (a.name, *a.aliases, *a.demonyms)}
        return names | {_key(x) for x in names if _CYRILLIC.search(x)}

    def sector_of(self, word: str) -> str | None:
        w = word.casefold()
        found = self.sector_words.get(w)
        if found is None and "ё" in w:
            found = self.sector_words.get(_yo(w))
        return found

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
        capital = self._capital_of.get(capital, capital)  # "Москва" -> "Moscow"
        for hist_id, end in HISTORICAL_END.items():
            hist = self.actors.get(hist_id)
            if hist is not None and hist.capital == capital and year <= end and hist.continuity == state.id:
                return hist
        return state

    def person_by_surname(self, surname: str) -> KBActor | None:
        """The KB person with this surname, if exactly one."""
        found = self.surnames.get(surname)
        if found is None and _CYRILLIC.search(surname):
            found = self.surnames.get(_key(surname))
        found = found or []
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


#: Sectors of a state's office holders: a politician (KB code in :data:`POLITICAL_SECTORS`) whose every KB
#: role is one of these, in one country, holds a role's code only while it lasts (PTY: a party office or
#: candidacy). Career soldiers, spies and police keep their code between the postings the KB lists.
OFFICE_SECTORS = frozenset({"GOV", "LEG", "MIL", "JUD", "SPY", "COP", "PTY"})
POLITICAL_SECTORS = frozenset({"GOV", "LEG", "JUD", "PTY"})


def _role_code(org: str) -> str:
    return " ".join(org.replace("-", " ").split())


def code_at(actor: KBActor, date: str | None) -> str:
    """A person's code at ``date`` (ISO, a prefix will do): the code of the KB role held then (the latest
    begun), or the bare country out of office -- a candidate in 2015 is not the government, a former
    president is no longer it. Only for a politician whose every role is an office of one state
    (:data:`POLITICAL_SECTORS`, :data:`OFFICE_SECTORS`); anyone else, or no date, keeps the KB code."""
    if actor.kind != "person" or not actor.roles or not date or not actor.country:
        return actor.code
    own = actor.code.split()
    if len(own) != 2 or own[0] != actor.country or own[1] not in POLITICAL_SECTORS:
        return actor.code
    for r in actor.roles:
        bits = _role_code(r.org).split()
        if len(bits) != 2 or bits[0] != actor.country or bits[1] not in OFFICE_SECTORS or not r.start:
            return actor.code
    held = [r for r in actor.roles if r.start[:len(date)] <= date and (not r.end or date < r.end[:len(date)])]
    if held:
        return _role_code(max(held, key=lambda r: r.start).org)
    return actor.country


def with_roles(actor: KBActor, roles: Iterable[Role]) -> KBActor:
    return replace(actor, roles=tuple(roles))
