"""Knowledge-base rows from a Wikidata JSON dump (``latest-all.json.gz`` or any extract of it).

The dump is a JSON array with one entity per line (``[``, ``{...},``, ..., ``]``); plain, ``.gz`` and
``.bz2`` files are read as streams. Items become actors when Wikidata says what they are:

- humans (P31 Q5) -> persons; country from citizenship (P27), sector from positions held (P39 ->
  GOV) or occupation (P106: politician/diplomat -> GOV, military officer/soldier -> MIL, journalist -> JRN,
  researcher/professor -> EDU, ...);
- countries and sovereign states (P31 Q6256, Q3624078, Q3024240 historical country) -> states, with their
  ISO 3166-1 alpha-3 code (P298) as id and code;
- armed organisations, terrorist and rebel groups -> groups (sector INS/REB);
- other organisations (international organisations -> IGO, political parties -> OPP, news agencies and
  newspapers -> MED, universities -> EDU, companies -> BUS) -> organisations.
Countries are named by Q-id in claims; they are mapped to ISO3 through the bundled KB's ``wikidata``
column and through the states found in the same dump.
"""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path
from typing import Iterable, Iterator

from tacitus.resolve.kb import KBActor, KnowledgeBase

HUMAN = "Q5"
STATE_TYPES = {"Q6256", "Q3624078", "Q3024240", "Q7275"}
GROUP_TYPES = {"Q17149090": "INS", "Q2023071": "INS", "Q7210356": "OPP", "Q1402592": "REB", "Q45762": "INS",
               "Q15911314": "INS", "Q176799": "REB"}
ORG_TYPES = {"Q484652": "IGO", "Q245065": "IGO", "Q7278": "OPP", "Q192283": "MED", "Q11032": "MED",
             "Q1193236": "MED", "Q3918": "EDU", "Q902104": "EDU", "Q31855": "EDU", "Q4830453": "BUS",
             "Q783794": "BUS", "Q891723": "BUS", "Q327333": "GOV", "Q2659904": "GOV", "Q163740": "NGO",
             "Q43229": ""}
OCCUPATION_SECTOR = {"Q82955": "GOV", "Q193391": "GOV", "Q372436": "GOV", "Q189290": "MIL", "Q47064": "MIL",
                     "Q1930187": "JRN", "Q1371925": "JRN", "Q1650915": "EDU", "Q121594": "EDU", "Q201788": "EDU",
                     "Q43845": "BUS", "Q131524": "BUS", "Q185351": "JUD", "Q16533": "JUD", "Q1734662": "MIL",
                     "Q15627169": "NGO"}


def _open(path: Path):
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    if name.endswith(".bz2"):
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def iter_entities(path: str | Path) -> Iterator[dict]:
    """Entities of a dump, one per line; a line that is not valid JSON raises ValueError with its number."""
    with _open(Path(path)) as fh:
        for n, line in enumerate(fh, start=1):
            line = line.strip().rstrip(",")
            if not line or line in ("[", "]"):
                continue
            try:
                entity = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not a JSON entity ({exc.msg})") from None
            if isinstance(entity, dict):
                yield entity


def _ids(entity: dict, prop: str) -> list[str]:
    out = []
    for claim in entity.get("claims", {}).get(prop, []) or []:
        value = ((claim.get("mainsnak") or {}).get("datavalue") or {}).get("value")
        if isinstance(value, dict) and isinstance(value.get("id"), str):
            out.append(value["id"])
        elif isinstance(value, str):
            out.append(value)
    return out


def _label(entity: dict, lang: str = "en") -> str | None:
    v = (entity.get("labels") or {}).get(lang)
    return v.get("value") if isinstance(v, dict) else None


def _aliases(entity: dict, lang: str = "en") -> tuple[str, ...]:
    return tuple(a["value"] for a in (entity.get("aliases") or {}).get(lang, []) or []
                 if isinstance(a, dict) and isinstance(a.get("value"), str))


def actors_from_dump(path: str | Path, kb: KnowledgeBase | None = None, limit: int | None = None) -> list[KBActor]:
    """Read the dump twice: first the states (for Q-id -> ISO3), then every actor."""
    kb = kb or KnowledgeBase.load()
    country_of: dict[str, str] = {a.wikidata: a.id for a in kb.actors.values() if a.kind == "state" and a.wikidata}
    for e in iter_entities(path):
        if STATE_TYPES & set(_ids(e, "P31")):
            iso3 = next(iter(_ids(e, "P298")), None)
            if iso3 and isinstance(e.get("id"), str):
                country_of[e["id"]] = iso3
    out: list[KBActor] = []
    for e in iter_entities(path):
        actor = _actor(e, country_of)
        if actor is not None:
            out.append(actor)
            if limit and len(out) >= limit:
                break
    return out


def _actor(e: dict, country_of: dict[str, str]) -> KBActor | None:
    qid = e.get("id")
    name = _label(e)
    if not isinstance(qid, str) or not name:
        return None
    types = set(_ids(e, "P31"))
    aliases = tuple(a for a in _aliases(e) if a != name)
    note = f"Wikidata {qid}"
    if HUMAN in types:
        country = next((country_of[c] for c in _ids(e, "P27") if c in country_of), "")
        sector = "GOV" if _ids(e, "P39") else next(
            (OCCUPATION_SECTOR[o] for o in _ids(e, "P106") if o in OCCUPATION_SECTOR), "")
        code = f"{country} {sector}".strip() if country else ""
        return KBActor(f"WD-{qid}", name, code or "", "person", country, sector, aliases=aliases, wikidata=qid, note=note)
    if types & STATE_TYPES:
        iso3 = next(iter(_ids(e, "P298")), None)
        if not iso3:
            return None
        return KBActor(iso3, name, iso3, "state", iso3, "", aliases=aliases, wikidata=qid, note=note)
    country = next((country_of[c] for c in _ids(e, "P17") if c in country_of), "")
    for t, sector in GROUP_TYPES.items():
        if t in types:
            code = f"{country or 'IMG'} {sector}"
            return KBActor(f"WD-{qid}", name, code, "group", country, sector, aliases=aliases, wikidata=qid, note=note)
    for t, sector in ORG_TYPES.items():
        if t in types:
            if sector == "IGO":
                code = "IGO"
            else:
                code = f"{country} {sector}".strip() if country else sector
            return KBActor(f"WD-{qid}", name, code, "organisation", country, sector, aliases=aliases, wikidata=qid,
                           note=note)
    return None


def kb_rows(actors: Iterable[KBActor]) -> list[dict]:
    """Rows for the store's ``kb_actors`` table."""
    return [{
        "id": a.id, "name": a.name, "code": a.code, "kind": a.kind, "country": a.country, "sector": a.sector,
        "aliases": list(a.aliases), "capital": a.capital, "demonyms": list(a.demonyms), "continuity": a.continuity,
        "roles": ";".join(f"{r.role}|{r.org}|{r.start}|{r.end}" for r in a.roles), "wikidata": a.wikidata,
        "note": a.note,
    } for a in actors]
