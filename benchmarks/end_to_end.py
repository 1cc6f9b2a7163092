"""The whole run as a user waits for it: a fresh ``tacitus run`` process, from start to a committed store,
against a fresh process that does a bare ``spacy.load`` + ``nlp.pipe`` of the same texts (read from the
same files), one after the other on the same machine, alternating, ``--reps`` times each.

Texts: real news from ``../shared/eval`` (PolNeAR, US election coverage 2015-16): the train articles in
file order up to ``--words`` words, and ``--short`` short dev articles (at most 900 words each). Prints one
JSON line per case, then one with them all (wall seconds, words per second, the ratio Tacitus / bare spaCy, peak RSS, and
Tacitus's own seconds by stage), and a table on stderr.

Usage: python benchmarks/end_to_end.py [--words 100000] [--short 45] [--reps 2] [--n 1 2] [--ray]
       [--bare-batch-size 64] [--cases real_news short] [--also read_ahead=false]

``--also KEY=VALUE`` adds a third arm in the same alternation: ``tacitus run`` with that setting (``--set``),
e.g. the run without read-ahead, so that a change is measured against its own absence on the same machine
minutes apart.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TACITUS_SHARED", ROOT.parent / "shared"))
POLNEAR = SHARED / "eval" / "polnear" / "data"

BARE = """
import pathlib, sys
import spacy
nlp = spacy.load(sys.argv[1])
texts = [p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[2]).glob("*.txt"))]
batch = int(sys.argv[4]) if len(sys.argv) > 4 and int(sys.argv[4]) > 0 else None  # None: spaCy's own default
for _ in nlp.pipe(texts, n_process=int(sys.argv[3]), batch_size=batch):
    pass
"""


def _copy(texts: list[Path], dest: Path, keep, enough) -> tuple[Path, int, int]:
    """Copy the texts ``keep`` accepts (by word count) into ``dest`` until ``enough(articles, words)``."""
    dest.mkdir()
    total = n = 0
    for path in texts:
        text = path.read_text(encoding="utf-8")
        words = len(text.split())
        if not keep(words):
            continue
        (dest / path.name).write_text(text, encoding="utf-8")
        total, n = total + words, n + 1
        if enough(n, total):
            break
    return dest, n, total


def build_inputs(folder: Path, words: int, short: int) -> dict[str, tuple[Path, int, int]]:
    """{case: (folder, articles, words)} with the texts copied in as .txt files."""
    return {
        "real_news": _copy(sorted((POLNEAR / "train" / "text").glob("*.txt")), folder / "long",
                           lambda w: True, lambda n, total: total >= words),
        "short": _copy(sorted((POLNEAR / "dev" / "text").glob("*.txt")), folder / "short",
                       lambda w: w <= 900, lambda n, total: n >= short),
    }


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the process tree the command waited for, and its stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024, out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=100_000)
    ap.add_argument("--short", type=int, default=45)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--n", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--ray", action="store_true", help="also the Ray engine (2 workers) on the real-news set")
    ap.add_argument("--bare-batch-size", type=int, default=0,
                    help="nlp.pipe's batch_size for bare spaCy (0: spaCy's default, 1,000 texts a batch)")
    ap.add_argument("--cases", nargs="+", default=["real_news", "short"])
    ap.add_argument("--also", action="append", default=[], metavar="KEY=VALUE",
                    help="also time tacitus run with this setting (repeatable: all of them in one arm)")
    args = ap.parse_args()
    if not POLNEAR.is_dir():
        raise SystemExit(f"needs PolNeAR in {POLNEAR} (../shared/eval)")
    from tacitus.nlp.pipeline import find_model
    from tacitus.settings import resolve

    model = find_model(resolve().model)
    py = sys.executable
    tacitus = [py, "-m", "tacitus"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="tacitus-e2e-") as tmp:
        cases = build_inputs(Path(tmp), args.words, args.short)
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE, encoding="utf-8")
        plan = [(case, n, "local") for case in cases if case in args.cases
                for n in (args.n if case == "real_news" else [1])]
        if args.ray:
            plan.append(("real_news", 2, "ray"))
        for case, n, engine in plan:
            folder, articles, words = cases[case]
            bare, ours, stages, also = [], [], [], []
            for rep in range(args.reps):
                db = Path(tmp) / f"{case}-{n}-{engine}-{rep}.duckdb"
                cmd = [*tacitus, "run", str(folder), "--db", str(db), "--json", "-n", str(n)]
                if engine == "ray":
                    cmd = [*tacitus, "run", str(folder), "--db", str(db), "--json", "--engine", "ray",
                           "--ray-workers", str(n)]
                wall, rss, out = timed(cmd)
                ours.append((wall, rss))
                stages.append(json.loads(out.strip().splitlines()[-1]).get("stages", {}))
                bare.append(timed([py, str(bare_script), model, str(folder), str(n), str(args.bare_batch_size)])[:2])
                if args.also:
                    db2 = Path(tmp) / f"{case}-{n}-{engine}-{rep}-also.duckdb"
                    extra = [x for kv in args.also for x in ("--set", kv)]
                    also.append(timed([*cmd[:6], str(db2), *cmd[7:], *extra])[:2])
            t_ours = statistics.median(w for w, _ in ours)
            t_bare = statistics.median(w for w, _ in bare)
            row = {"case": case, "engine": engine, "n": n, "articles": articles, "words": words, "reps": args.reps,
                   "bare_batch_size": args.bare_batch_size or "spaCy default",
                   "tacitus_s": [round(w, 2) for w, _ in ours], "bare_s": [round(w, 2) for w, _ in bare],
                   "tacitus_words_per_s": round(words / t_ours), "bare_words_per_s": round(words / t_bare),
                   "ratio": round(t_bare / t_ours, 3),
                   "tacitus_peak_rss_mb": round(max(r for _, r in ours)),
                   "bare_peak_rss_mb": round(max(r for _, r in bare)),
                   "stages_s": {k: round(statistics.median(s.get(k, {}).get("wall_s", 0.0) for s in stages), 2)
                                for k in (stages[0] if stages else {})}}
            if also:
                t_also = statistics.median(w for w, _ in also)
                row["also"] = {"settings": args.also, "tacitus_s": [round(w, 2) for w, _ in also],
                               "words_per_s": round(words / t_also), "ratio": round(t_bare / t_also, 3),
                               "peak_rss_mb": round(max(r for _, r in also))}
            rows.append(row)
            print(json.dumps(row), flush=True)
    print(json.dumps({"rows": rows}))  # last line: everything (for bench.py)
    print(f"{'case':10} {'engine':6} {'n':>2} {'words':>7} {'tacitus w/s':>11} {'bare w/s':>9} {'ratio':>6} "
          f"{'peak MB':>8}", file=sys.stderr)
    for r in rows:
        print(f"{r['case']:10} {r['engine']:6} {r['n']:>2} {r['words']:>7} {r['tacitus_words_per_s']:>11} "
              f"{r['bare_words_per_s']:>9} {r['ratio']:>6} {r['tacitus_peak_rss_mb']:>8}"
              + (f"   with {' '.join(r['also']['settings'])}: {r['also']['words_per_s']} w/s, ratio {r['also']['ratio']}"
                 if "also" in r else ""), file=sys.stderr)


if __name__ == "__main__":
    main()
