"""The knowledge-base API: look names up, add actors to a store, import a Wikidata dump."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from tacitus.errors import InputError, StoreError, TacitusError
from tacitus.resolve.kb import KBActor, KnowledgeBase, parse_rows
from tacitus.resolve.wikidata import actors_from_dump, kb_rows
from tacitus.store import Store

KINDS = ("person", "organisation", "group", "state")
_CODE = re.compile(r"^[A-Z]{3}(?: [A-Z]{3})*$")


def _kb_for(db: str | os.PathLike[str] | None) -> KnowledgeBase:
    if db is None:
        return KnowledgeBase.load()
    with tempfile.TemporaryDirectory(prefix="tacitus-") as tmp:
        path = os.path.join(tmp, "store-kb.csv")
        with Store.open(db, read_only=True) as store:
            n = store.write_kb_csv(path)
        return KnowledgeBase.from_rows(parse_rows(Path(path).read_text(encoding="utf-8"), path) if n else [])


def _as_dict(a: KBActor) -> dict[str, Any]:
    return {"id": a.id, "name": a.name, "code": a.code, "kind": a.kind, "country": a.country, "sector": a.sector,
            "aliases": list(a.aliases), "roles": [{"role": r.role, "org": r.org, "start": r.start, "end": r.end}
                                                  for r in a.roles]}


def lookup(names: Iterable[str], db: str | os.PathLike[str] | None = None) -> list[tuple[str, dict | None]]:
    kb = _kb_for(db)
    out = []
    for name in names:
        a = kb.lookup(name) or kb.state(name)
        if a is None and name in kb.capitals:
            a = kb.capitals[name]
        if a is None and " " not in name.strip():
            a = kb.person_by_surname(name.strip())
        out.append((name, _as_dict(a) if a else None))
    return out


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Z0-9]+", "-", ascii_name.upper()).strip("-")


def add_actor(db: str | os.PathLike[str], *, name: str, code: str, kind: str = "person", actor_id: str | None = None,
              aliases: Iterable[str] = (), roles: Iterable[str] = ()) -> dict[str, Any]:
    name = " ".join(name.split())
    if not name:
        raise TacitusError("an actor needs a name")
    if kind not in KINDS:
        raise TacitusError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    code = " ".join(code.split()).upper()
    if not _CODE.match(code):
        raise TacitusError(f'code must be three-letter parts separated by spaces, like "RUS GOV"; got {code!r}')
    for r in roles:
        if len(r.split("|")) < 2 or not r.split("|")[0].strip():
            raise TacitusError(f'a role is "role|ORG CODE|start|end", got {r!r}')
    parts = code.split()
    country = parts[0] if parts[0] not in ("IGO", "IMG", "UNO", "NGO") else ""
    sector = parts[1] if len(parts) > 1 else ""
    prefix = {"person": "P-", "state": ""}.get(kind, "A-")
    row = {"id": actor_id or prefix + _slug(name), "name": name, "code": code, "kind": kind, "country": country,
           "sector": sector, "aliases": sorted(set(aliases) - {name}), "capital": "", "demonyms": [], "continuity": "",
           "roles": ";".join(roles), "wikidata": "", "note": "added with tacitus kb add"}
    with Store.open(db) as store:
        store.add_kb_actors([row], "tacitus kb add")
    return row


def import_wikidata(dump: str | os.PathLike[str], db: str | os.PathLike[str], limit: int | None = None) -> dict[str, int]:
    if not Path(dump).is_file():
        raise InputError(f"no such dump file: {dump}")
    try:
        actors = actors_from_dump(dump, limit=limit)
    except (ValueError, OSError, EOFError) as exc:
        raise TacitusError(f"cannot read the Wikidata dump: {exc}") from None
    with Store.open(db) as store:
        store.add_kb_actors(kb_rows(actors), f"wikidata:{Path(dump).name}")
    counts = Counter(a.kind for a in actors)
    return {"total": len(actors), **counts}


__all__ = ["lookup", "add_actor", "import_wikidata", "StoreError"]
