"""Peak memory of one `tacitus.process` run over N varied copies of the demo corpus (one process per
size, so each peak is its own). Prints one JSON line. Usage: python benchmarks/memory.py N [n_process]"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_scaled  # noqa: E402


def tree_rss(proc: psutil.Process) -> int:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def main() -> None:
    n = int(sys.argv[1])
    n_process = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    triage = len(sys.argv) > 3 and sys.argv[3] == "triage"
    from tacitus.api.run import process

    with tempfile.TemporaryDirectory(prefix="tacitus-bench-mem-") as tmp:
        corpus = Path(tmp) / "corpus"
        files, words = write_scaled(corpus, n)
        me = psutil.Process()
        peak = [tree_rss(me)]
        samples = []
        stop = threading.Event()

        def sample() -> None:
            t0 = time.monotonic()
            while not stop.is_set():
                rss = tree_rss(me)
                peak[0] = max(peak[0], rss)
                samples.append((round(time.monotonic() - t0, 1), rss))
                stop.wait(0.25)

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        t = time.perf_counter()
        summary = process([str(corpus)], Path(tmp) / "bench.duckdb", progress=False, n_process=n_process,
                          triage=triage)
        elapsed = time.perf_counter() - t
        stop.set()
        th.join()
        db_bytes = (Path(tmp) / "bench.duckdb").stat().st_size
    # RSS in the second half of the run against the first: flat memory means no growth with input read
    half = [r for s, r in samples if s >= elapsed / 2]
    first = [r for s, r in samples if s < elapsed / 2]
    print(json.dumps({
        "copies": n, "files": files, "words": words, "n_process": n_process, "triage": triage,
        "elapsed_s": round(elapsed, 1), "articles": summary.counts.get("articles", 0),
        "duplicates": summary.counts.get("duplicates", 0), "failures": summary.counts.get("failures", 0),
        "peak_rss_mb": round(peak[0] / 2**20, 1),
        "max_rss_self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_rss_first_half_mb": round(max(first) / 2**20, 1) if first else None,
        "max_rss_second_half_mb": round(max(half) / 2**20, 1) if half else None,
        "db_mb": round(db_bytes / 2**20, 1), "pid": os.getpid(),
    }))


if __name__ == "__main__":
    main()
