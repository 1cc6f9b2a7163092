#!/usr/bin/env python3
"""Generate ``src/tacitus/data/kb/states.csv`` (developer tool; never imported at runtime).

Sources
  * pycountry (ISO 3166-1 / ISO 3166-3 data): alpha-2, alpha-3, numeric, names, official and common names.
  * country_converter: only its ``name_short``, ``name_official``, ``ISO3`` and ``UNmember`` columns
    (its regular expressions and other classifications are not used).
  * ``tools/kb/state_extras.csv``: hand-written per ISO3 code: status (sovereign / territory / historical),
    canonical-name override, current capital, demonyms, extra aliases, aliases to drop, continuity,
    Wikidata id and a note. Historical states (SUN, YUG, SCG, CSK, DDR, YMD) are rows of that table too.

Usage (in a throwaway virtual environment; country_converter breaks with pandas 3)::

    python3.11 -m venv /tmp/kbvenv
    /tmp/kbvenv/bin/pip install pycountry country_converter 'pandas<3'
    /tmp/kbvenv/bin/python tools/build_states.py            # writes states.csv, then checks all kb files
    /tmp/kbvenv/bin/python tools/build_states.py --check    # only checks the three kb files

The check needs nothing but the standard library, so ``python3 tools/build_states.py --check`` works anywhere.
"""

from __future__ import annotations

import argparse
import csv
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ROOT / "tools" / "kb" / "state_extras.csv"
KB_DIR = ROOT / "src" / "tacitus" / "data" / "kb"
OUT = KB_DIR / "states.csv"

COLUMNS = ["id", "name", "code", "kind", "country", "sector", "aliases", "capital", "demonyms",
           "continuity", "wikidata", "note"]
SECTORS = {"", "GOV", "MIL", "REB", "INS", "OPP", "MED", "EDU", "NGO", "IGO", "BUS", "CVL", "SPY", "COP",
           "JUD", "LEG"}
KINDS = {"state", "organisation", "group"}

# Not ISO 3166-1 members but sovereign (or treated as such) for our purposes: UN observer states and
# partially recognised states.
SOVEREIGN_NON_UN = {"VAT", "PSE", "TWN", "XKX"}

# Shared surface forms kept on purpose (see the notes of the rows concerned).
ALLOWED_SHARED = {
    "Congolese": {"COD", "COG"},
    "Dominican": {"DOM", "DMA"},
    "Dominicans": {"DOM", "DMA"},
}


def split(cell: str) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def ascii_fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def clean_alias(text: str | None) -> str | None:
    """A news-style surface form from a reference name, or None when the name is not one
    (inverted "Korea, Republic of" forms, parenthesised qualifiers)."""
    if not text:
        return None
    t = " ".join(str(text).split())
    if t.lower().startswith("the "):
        t = t[4:]
    if "," in t or "(" in t or not t:
        return None
    return t


def build() -> list[dict[str, str]]:
    # developer-only dependencies, imported here so that --check needs only the standard library
    import country_converter as coco
    import pycountry

    with EXTRAS.open(encoding="utf-8", newline="") as fh:
        extras = {r["iso3"]: r for r in csv.DictReader(fh)}

    iso = {c.alpha_3: c for c in pycountry.countries}
    historic = {c.alpha_3: c for c in pycountry.historic_countries}
    cc = coco.CountryConverter().data
    cc = cc[cc["ISO3"].notna()].set_index("ISO3")

    codes = set(iso) | set(cc.index)
    missing = sorted(codes - set(extras))
    if missing:
        sys.exit(f"state_extras.csv lacks rows for: {' '.join(missing)}")
    stray = sorted(k for k, r in extras.items() if r["status"] != "historical" and k not in codes)
    if stray:
        sys.exit(f"state_extras.csv has non-historical rows unknown to the sources: {' '.join(stray)}")

    rows = []
    for code, ex in extras.items():
        status = ex["status"]
        c = iso.get(code)
        ccrow = cc.loc[code] if code in cc.index else None
        if status != "historical":
            un_member = ccrow is not None and str(ccrow["UNmember"]) not in ("<NA>", "nan", "")
            sovereign = un_member or code in SOVEREIGN_NON_UN
            if sovereign != (status == "sovereign"):
                sys.exit(f"{code}: status {status!r} disagrees with UN membership in country_converter")

        short = str(ccrow["name_short"]) if ccrow is not None else ""
        # Canonical name: the hand-written override, else ISO's common name, else ISO's name unless it is an
        # inverted "Korea, Republic of" form, else country_converter's short name.
        iso_name = c.name if c is not None and "," not in c.name else ""
        name = ex["name"] or (getattr(c, "common_name", None) if c else None) or iso_name or short
        if not name:
            sys.exit(f"{code}: no name")

        candidates = [*split(ex["aliases"])]
        if c is not None:
            candidates += [getattr(c, "common_name", None), c.name, getattr(c, "official_name", None)]
        if ccrow is not None:
            candidates += [short, str(ccrow["name_official"])]
        drop = set(split(ex["drop"]))
        aliases: list[str] = []
        seen = {name}
        for cand in candidates:
            a = clean_alias(cand)
            if not a:
                continue
            for form in (a, ascii_fold(a)):
                if form not in seen and form not in drop:
                    seen.add(form)
                    aliases.append(form)
        folded = ascii_fold(name)
        if folded != name and folded not in seen:
            aliases.append(folded)

        if status == "historical":
            h = historic.get(code)
            src = (f"ISO 3166-3 via pycountry (withdrawn {h.withdrawal_date})" if h is not None
                   else "hand-written")
        elif c is not None:
            src = f"ISO 3166-1 via pycountry ({c.alpha_2}/{code}/{c.numeric}); names via pycountry and country_converter"
        else:
            src = "user-assigned code, not ISO 3166-1; names via country_converter"
        note = f"{status}; {src}; capital, demonyms, extra aliases hand-written"
        if ex["note"]:
            note += f"; {ex['note']}"

        rows.append({
            "id": code, "name": name, "code": code, "kind": "state", "country": code, "sector": "",
            "aliases": "|".join(aliases), "capital": ex["capital"], "demonyms": ex["demonyms"],
            "continuity": ex["continuity"], "wikidata": ex["wikidata"], "note": note,
            "_status": status,
        })

    order = {"sovereign": 0, "territory": 1, "historical": 2}
    rows.sort(key=lambda r: (order[r["_status"]], r["id"]))
    return rows


def write(rows: list[dict[str, str]]) -> None:
    KB_DIR.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def check() -> int:
    """Validate the three kb files; returns the number of errors."""
    errors = 0

    def err(msg: str) -> None:
        nonlocal errors
        errors += 1
        print("ERROR:", msg)

    with EXTRAS.open(encoding="utf-8", newline="") as fh:
        sovereign = {r["iso3"] for r in csv.DictReader(fh) if r["status"] == "sovereign"}
    surface: dict[str, set[str]] = defaultdict(set)
    folded: dict[str, set[str]] = defaultdict(set)
    all_ids: set[str] = set()
    capitals: dict[str, set[str]] = defaultdict(set)
    counts = {}
    for fname in ("states.csv", "organisations.csv", "groups.csv"):
        path = KB_DIR / fname
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames != COLUMNS:
                err(f"{fname}: header {reader.fieldnames} != {COLUMNS}")
            rows = list(reader)
        counts[fname] = len(rows)
        for r in rows:
            rid = r["id"]
            where = f"{fname}:{rid}"
            if None in r or any(v is None for v in r.values()):
                err(f"{where}: wrong number of fields")
                continue
            if not rid or rid != rid.upper():
                err(f"{where}: id must be upper-case and non-empty")
            if rid in all_ids:
                err(f"{where}: duplicate id")
            all_ids.add(rid)
            for col in ("name", "code", "kind"):
                if not r[col].strip():
                    err(f"{where}: empty {col}")
            if r["kind"] not in KINDS:
                err(f"{where}: bad kind {r['kind']!r}")
            if r["sector"] not in SECTORS:
                err(f"{where}: bad sector {r['sector']!r}")
            if r["kind"] != "state" and (r["capital"] or r["demonyms"]):
                err(f"{where}: capital/demonyms are for states only")
            if r["wikidata"] and not (r["wikidata"][0] == "Q" and r["wikidata"][1:].isdigit()):
                err(f"{where}: bad wikidata {r['wikidata']!r}")
            forms = [*split(r["aliases"]), *split(r["demonyms"])]
            for a in forms:
                if a.lower().startswith("the "):
                    err(f"{where}: alias {a!r} has a leading 'the'")
            for a in [r["name"], *forms]:
                # the same keys as tacitus.resolve.kb: exact (less a leading "the"), and case-folded for
                # multi-word or longer forms
                k = a[4:] if a.lower().startswith("the ") else a
                surface[k].add(rid)
                if " " in k or len(k) > 4:
                    folded[k.casefold()].add(rid)
            if r["capital"] and r["kind"] == "state" and not r["continuity"]:
                capitals[r["capital"]].add(rid)
            if fname == "states.csv":
                if rid in sovereign and not (r["capital"] and r["demonyms"]):
                    err(f"{where}: sovereign state without capital or demonym")
                if r["continuity"] and r["continuity"] not in sovereign:
                    err(f"{where}: continuity {r['continuity']} is not a known state")
            elif r["country"] and len(r["country"]) != 3:
                err(f"{where}: bad country {r['country']!r}")

    kept = []
    for a, ids in sorted(surface.items()):
        if len(ids) > 1:
            if ALLOWED_SHARED.get(a) == ids:
                kept.append(f"{a!r}: {' '.join(sorted(ids))}")
            else:
                err(f"surface form {a!r} shared by {' '.join(sorted(ids))}")
    for a, ids in sorted(folded.items()):
        # a form already shared exactly was reported (or allowed) above
        exact_shared = any(len(surface[x]) > 1 for x in surface if x.casefold() == a)
        if len(ids) > 1 and not exact_shared:
            err(f"case-folded surface form {a!r} shared by {' '.join(sorted(ids))}")
    for cap, ids in sorted(capitals.items()):
        if len(ids) > 1:
            err(f"capital {cap!r} shared by {' '.join(sorted(ids))}")
    print("rows:", ", ".join(f"{k} {v}" for k, v in counts.items()))
    print("shared surface forms kept on purpose:", "; ".join(kept) or "none")
    print("errors:", errors)
    return errors


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="only validate the kb files")
    args = ap.parse_args()
    if not args.check:
        rows = build()
        write(rows)
        by = defaultdict(int)
        for r in rows:
            by[r["_status"]] += 1
        print(f"wrote {OUT.relative_to(ROOT)}: {len(rows)} states ({dict(by)})")
    missing = [f for f in ("organisations.csv", "groups.csv") if not (KB_DIR / f).exists()]
    if missing:
        print("skipping check: missing", ", ".join(missing))
        return
    sys.exit(1 if check() else 0)


if __name__ == "__main__":
    main()
