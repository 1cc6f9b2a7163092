"""Check annotators' event files and merge them into ``tacitus/data/gold/en_events.jsonl``.

Usage:
  ``python tools/event_gold_merge.py --check build/event-gold/out/batch_03.jsonl``  (check one file)
  ``python tools/event_gold_merge.py``  (check every ``out/batch_NN.jsonl`` and write the gold file)

An annotator's file (see ``tools/event_gold_tasks.py`` and ``README-en-events.md``) has one JSON object per
line: ``{"doc", "kind": "doc", "pass"}`` once a document's every sentence is coded, and per event
``{"doc", "pass", "sent", "trigger", "nth"?, "type", "source", "target", "source_text", "target_text",
"mode", "negated", "reporter", "alt"?, "note"?}``. ``trigger`` is the word as it stands in sentence
``sent``; ``nth`` (default 1) picks its occurrence there; each ``alt`` word is looked for in the same
sentence. The merge turns words into character offsets of the document text.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

TYPES = frozenset("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT THREATEN PROTEST "
                  "SANCTION MOBILIZE COERCE ASSAULT".split())
MODES = frozenset({"asserted", "reported", "planned"})
SECTORS = frozenset("GOV MIL REB INS OPP PTY MED EDU NGO IGO BUS CVL SPY COP JUD LEG REL UNO".split())
_CODE = re.compile(r"^[A-Z]{3}( [A-Z]{3})?$")


def code_ok(code) -> bool:
    return code is None or (isinstance(code, str) and bool(_CODE.match(code))
                            and (" " not in code or code.split()[1] in SECTORS))


def find(sentence: str, word: str, nth: int = 1) -> int | None:
    """Offset of the ``nth`` occurrence of ``word`` in ``sentence`` (whole-word when it starts and ends
    with a letter or digit), or None."""
    pattern = re.escape(word)
    if word[:1].isalnum():
        pattern = r"(?<![\w])" + pattern
    if word[-1:].isalnum():
        pattern += r"(?![\w])"
    hits = [m.start() for m in re.finditer(pattern, sentence)]
    if len(hits) < nth:
        hits = [m.start() for m in re.finditer(re.escape(word), sentence)]
    return hits[nth - 1] if 0 < nth <= len(hits) else None


def check(records: list[dict], meta: dict[str, dict], texts: dict[str, str]) -> tuple[list[dict], list[str]]:
    """Events with offsets, and the problems found (an empty list when the file is clean)."""
    problems: list[str] = []
    out: list[dict] = []
    for n, r in enumerate(records, 1):
        where = f"line {n} ({r.get('doc')})"
        if r.get("doc") not in meta:
            problems.append(f"{where}: unknown doc")
            continue
        if r.get("pass") not in ("first", "second"):
            problems.append(f"{where}: pass must be 'first' or 'second'")
        if r.get("kind") == "doc":
            continue
        m, text = meta[r["doc"]], texts[r["doc"]]
        spans = m["sentence_spans"]
        if not isinstance(r.get("sent"), int) or not 0 <= r["sent"] < len(spans):
            problems.append(f"{where}: sent {r.get('sent')!r} out of range 0..{len(spans) - 1}")
            continue
        s0, s1 = spans[r["sent"]]
        sentence = text[s0:s1]
        trig = r.get("trigger") or ""
        at = find(sentence, trig, int(r.get("nth") or 1)) if trig else None
        if at is None:
            problems.append(f"{where}: trigger {trig!r} not in sentence {r['sent']}")
            continue
        if r.get("type") not in TYPES:
            problems.append(f"{where}: type {r.get('type')!r}")
        if r.get("mode") not in MODES:
            problems.append(f"{where}: mode {r.get('mode')!r}")
        if not isinstance(r.get("negated"), bool):
            problems.append(f"{where}: negated must be true/false")
        for key in ("source", "target", "reporter"):
            if not code_ok(r.get(key)):
                problems.append(f"{where}: {key} {r.get(key)!r} is not a code like 'USA', 'USA GOV', 'IMG INS'")
        alts = []
        for w in r.get("alt") or []:
            a = find(sentence, w)
            if a is None:
                problems.append(f"{where}: alt {w!r} not in sentence {r['sent']}")
            else:
                alts.append([s0 + a, s0 + a + len(w)])
        ev = {"doc": r["doc"], "kind": "event" if r["pass"] == "first" else "pass2", "sent": r["sent"],
              "start": s0 + at, "end": s0 + at + len(trig), "trigger": trig, "type": r.get("type"),
              "source": r.get("source"), "target": r.get("target"), "source_text": r.get("source_text"),
              "target_text": r.get("target_text"), "mode": r.get("mode"), "negated": r.get("negated"),
              "reporter": r.get("reporter")}
        if alts:
            ev["alt"] = alts
        if r.get("note"):
            ev["note"] = r["note"]
        out.append(ev)
    done = {(r["doc"], r.get("pass")) for r in records if r.get("kind") == "doc" and r.get("doc") in meta}
    for ev in out:
        if (ev["doc"], "first" if ev["kind"] == "event" else "second") not in done:
            problems.append(f"{ev['doc']}: events but no closing doc line")
            break
    return out, problems


def load_meta(folder: Path, shared: Path) -> tuple[dict[str, dict], dict[str, str]]:
    from tacitus.evaluate import realtext

    meta = {m["doc"]: m for m in json.loads((folder / "documents.json").read_text(encoding="utf-8"))}
    texts: dict[str, str] = {}
    for corpus in sorted({m["corpus"] for m in meta.values()}):
        for d in realtext.load(shared / "eval", corpus):
            key = f"{corpus}/{d.doc_id}"
            if key in meta:
                texts[key] = d.text
    return meta, texts


def read_jsonl(path: Path) -> list[dict]:
    out = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise SystemExit(f"{path}:{n}: not JSON: {e}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", type=Path, help="check one annotator file and stop")
    ap.add_argument("--folder", type=Path, default=Path("build/event-gold"))
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--gold", type=Path,
                    default=Path(__file__).resolve().parents[1] / "src/tacitus/data/gold/en_events.jsonl")
    args = ap.parse_args(argv)
    meta, texts = load_meta(args.folder, args.shared)
    if args.check:
        events, problems = check(read_jsonl(args.check), meta, texts)
        docs = {r["doc"] for r in read_jsonl(args.check) if r.get("kind") == "doc"}
        print(f"{args.check}: {len(docs)} documents closed, {len(events)} events, {len(problems)} problems")
        for p in problems:
            print("  " + p)
        return 1 if problems else 0
    all_events: list[dict] = []
    closed: set[tuple[str, str]] = set()
    bad = 0
    for path in sorted((args.folder / "out").glob("batch_*.jsonl")):
        records = read_jsonl(path)
        events, problems = check(records, meta, texts)
        for p in problems:
            print(f"{path.name}: {p}", file=sys.stderr)
        bad += len(problems)
        all_events.extend(events)
        closed |= {(r["doc"], r["pass"]) for r in records if r.get("kind") == "doc"}
    if bad:
        print(f"{bad} problems: nothing written", file=sys.stderr)
        return 1
    lines = []
    for key in sorted(meta, key=lambda k: (meta[k]["batch"], k)):
        if (key, "first") not in closed:
            print(f"not coded: {key}", file=sys.stderr)
            continue
        m = meta[key]
        evs = sorted((e for e in all_events if e["doc"] == key), key=lambda e: (e["kind"] != "event", e["start"]))
        header = {"doc": key, "kind": "doc", "corpus": m["corpus"], "doc_id": m["doc_id"],
                  "published": m["published"], "batch": m["batch"], "sentences": len(m["sentence_spans"]),
                  "sentence_spans": m["sentence_spans"], "chars": m["chars"],
                  "events": sum(1 for e in evs if e["kind"] == "event")}
        if (key, "second") in closed:
            header["second_pass_batch"] = m.get("second_pass_batch")
        lines.append(json.dumps(header, ensure_ascii=False))
        lines.extend(json.dumps(e, ensure_ascii=False) for e in evs
                     if e["kind"] == "event" or (key, "second") in closed)
    args.gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    n_docs = sum(1 for line in lines if '"kind": "doc"' in line)
    n_ev = sum(1 for line in lines if '"kind": "event"' in line)
    print(f"{n_docs} documents, {n_ev} events -> {args.gold}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
