"""Pathological long documents beside normal articles: time and peak memory of the whole ``tacitus run``.

Each case is a folder with two short articles of our own (``tests/fixtures/mini``) and one generated
long document, run as a user runs it (``python -m tacitus run FOLDER --db NEW.duckdb``, a fresh
process); peak RSS is that process's (``ru_maxrss`` of the child). The generated texts are random word
sequences of a fixed seed (not news: they test bounds, not accuracy):

- ``lines_200k``: 200,000 one-word lines (about 0.97 MB), once as it comes (cleaning judges it junk)
  and once with ``clean_text=false`` so that it reaches the parser (399,999 tokens);
- ``line_1mb_html``: an HTML page whose article is one line of about 0.9 MB with no sentence end;
- ``prose_1m``: 0.99 MB of prose in paragraphs (about 160,000 tokens);
- ``prose_2m``: 2 MB of prose (over ``max_doc_chars``: recorded as a failure before parsing).

``--chunk 0`` passes ``parse_chunk_chars`` = 100,000,000 (no splitting) for the baseline. Prints one
JSON line: per case, wall seconds, peak RSS in MB, and the statuses of the articles and failures.

Usage: python benchmarks/long_docs.py [--chunk N]
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NORMAL = ("convoy-attack.txt", "kabul-talks.txt")
WORDS = ("the minister said talks with the government would continue next week in the capital after "
         "officials reported that the convoy had reached the border town").split()


def _prose(rng: random.Random, chars: int) -> str:
    paras, n = [], 0
    while n < chars:
        para = " ".join(" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 25))).capitalize() + "."
                        for _ in range(5))
        paras.append(para)
        n += len(para) + 2
    return "\n\n".join(paras)[:chars]


def cases(folder: Path) -> dict[str, tuple[Path, list[str]]]:
    rng = random.Random(11)
    out = {}

    def case(name: str, file: str, data: str, extra: list[str] | None = None) -> None:
        d = folder / name
        d.mkdir()
        for n in NORMAL:
            (d / n).write_bytes((ROOT / "tests" / "fixtures" / "mini" / n).read_bytes())
        (d / file).write_text(data)
        out[name] = (d, extra or [])

    one_word = "the said talks war army peace and was he they were that with from this have been would".split()
    lines = "\n".join(rng.choice(one_word) for _ in range(200_000))
    case("lines_200k", "lines.txt", lines)
    case("lines_200k_not_cleaned", "lines.txt", lines, ["--set", "clean_text=false"])
    line = " ".join(rng.choice(WORDS) for _ in range(150_000))
    case("line_1mb_html", "page.html", f"<html><head><title>One line</title></head><body><p>{line}</p></body></html>")
    case("prose_1m", "prose.txt", _prose(rng, 990_000))
    case("prose_2m", "prose.txt", _prose(rng, 2_000_000))
    return out


_PEAK = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def run(folder: Path, db: Path, extra: list[str]) -> dict:
    import duckdb

    cmd = [sys.executable, "-m", "tacitus", "run", str(folder), "--db", str(db), *extra]
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    rc, peak_kb = map(int, out.stdout.split())
    con = duckdb.connect(str(db), read_only=True)
    try:
        articles = con.execute("SELECT status, count(*) FROM articles GROUP BY 1 ORDER BY 1").fetchall()
        failures = [f"{stage}: {error[:80]}" for stage, error in con.execute("SELECT stage, error FROM failures").fetchall()]
    finally:
        con.close()
    return {"exit": rc, "wall_s": round(wall, 1), "peak_rss_mb": round(peak_kb / 1024),
            "articles": dict(articles), "failures": failures}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunk", type=int, default=None, help="parse_chunk_chars (0: no splitting)")
    args = ap.parse_args()
    extra = [] if args.chunk is None else ["--set", f"parse_chunk_chars={args.chunk or 100_000_000}"]
    result = {"parse_chunk_chars": "default" if args.chunk is None else (args.chunk or "no splitting")}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (folder, case_extra) in cases(Path(tmp)).items():
            print(f"[long_docs] {name}", file=sys.stderr, flush=True)
            result[name] = run(folder, Path(tmp) / f"{name}.duckdb", case_extra + extra)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
