"""Build src/tacitus/data/cameo/plover_to_cameo.csv: PLOVER (type, mode) -> CAMEO event, base and root codes.

Facts from the CAMEO-to-PLOVER conversion table of the PLOVER project (CAMEO2PLOVER-2021.txt, PLOVER manual
draft 0.8, in ../shared/eval/plover-gsr), read the other way round: for each PLOVER type and mode of our
lexicon, the CAMEO codes the table sends to it (matching the table's mode, or for a mode such as
"economic" its context column). One code: that code; several under one base code: the base code; several
under one root: the root's "not specified" code (e.g. 090); otherwise the type's root "not specified" code.
Three modes the table does not list take the CAMEO code of that name (rows marked "CAMEO name").

    python tools/build_cameo_map.py [--table PATH]
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src/tacitus/data/cameo/plover_to_cameo.csv"
LEXICON = ROOT / "src/tacitus/data/plover/lexicon.csv"
DEFAULT = {"AGREE": "030", "CONSULT": "040", "SUPPORT": "050", "COOPERATE": "060", "AID": "070", "CONCEDE": "080",
           "RETREAT": "080", "ACCUSE": "110", "REQUEST": "100", "REJECT": "120", "THREATEN": "130", "PROTEST": "140",
           "MOBILIZE": "150", "SANCTION": "160", "COERCE": "170", "ASSAULT": "180"}
CAMEO_NAMES = {("ASSAULT", "aerial"): ("195", "CAMEO name: 195 Employ aerial weapons"),
               ("ASSAULT", "fight"): ("190", "CAMEO name: 190 Use conventional military force"),
               ("ASSAULT", "invade"): ("192", "CAMEO name: 192 Occupy territory")}
CONTEXT_ALIASES = {"judicial": "legal"}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--table", default=str(ROOT.parent / "shared/eval/plover-gsr/CAMEO2PLOVER-2021.txt"))
    args = ap.parse_args()
    by_mode: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    by_context: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    for line in open(args.table, encoding="utf-8"):
        m = re.match(r"^(\d{3,4}):\s*([A-Z]+)\s*,([^,#]*)(?:,([^#]*))?", line)
        if not m:
            continue
        code, event, mode, context = m.group(1), m.group(2), m.group(3).strip(), (m.group(4) or "").strip()
        by_mode[(event, mode)].append(code)
        if not mode and context:
            by_context[(event, context)].append(code)
    modes = collections.defaultdict(set)
    for row in csv.DictReader(open(LEXICON, encoding="utf-8")):
        modes[row["type"]].add(row["mode"])
    rows = []
    for event in sorted(DEFAULT):
        for mode in sorted(modes[event] | {""}):
            codes = sorted(set(by_mode.get((event, mode), [])))
            how = "mode"
            if not codes and mode:
                codes = sorted(set(by_context.get((event, CONTEXT_ALIASES.get(mode, mode)), [])))
                how = "context"
            if (event, mode) in CAMEO_NAMES:
                code, source = CAMEO_NAMES[(event, mode)]
            elif len(codes) == 1:
                code, source = codes[0], f"table row {codes[0]} ({how})"
            elif codes and len({c[:3] for c in codes}) == 1:
                code, source = codes[0][:3], f"table rows {' '.join(codes)} ({how}): their base code"
            elif codes and len({c[:2] for c in codes}) == 1:
                code, source = codes[0][:2] + "0", f"table rows {' '.join(codes)} ({how}): their root, not specified"
            elif codes:
                code, source = DEFAULT[event], f"table rows {' '.join(codes)} ({how}) differ: type root, not specified"
            else:
                code, source = DEFAULT[event], "no table row for this mode: type root, not specified"
            rows.append([event, mode, code, code[:3], code[:2], source])
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["type", "mode", "event_code", "base_code", "root_code", "source"])
        w.writerows(rows)
    print(f"{len(rows)} rows -> {OUT}")


if __name__ == "__main__":
    main()
