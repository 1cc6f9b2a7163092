"""`make bench`: every benchmark in its own process, one after another; results with the machine and
its load to benchmarks/results.json (and a summary on stdout). Not part of the tests.

Environment: BENCH_STEPS (comma list of end_to_end,triage,throughput,memory,ray,queries,long_docs,web,russian;
default all),
BENCH_MEMORY_SIZES (default 1,10,100), BENCH_COPIES (throughput corpus copies, default 2),
BENCH_RAY_COPIES (default 12, two alternating runs per worker count), BENCH_EVENTS (default 1000000).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine() -> dict:
    import duckdb
    import psutil
    import spacy

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import ray

        ray_version = ray.__version__
    except ImportError:
        ray_version = None
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "spacy": spacy.__version__, "duckdb": duckdb.__version__,
            "ray": ray_version, "platform": platform.platform()}


def step(name: str, args: list[str]) -> dict:
    print(f"[bench] {name}: {' '.join(args)}", file=sys.stderr, flush=True)
    load_before = os.getloadavg()
    t = time.perf_counter()
    proc = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-3000:], file=sys.stderr)
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else f"exit {proc.returncode}"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["_wall_s"] = round(time.perf_counter() - t, 1)
    result["_load_before"] = [round(x, 2) for x in load_before]
    result["_load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"[bench] {name}: {json.dumps(result)}", file=sys.stderr, flush=True)
    return result


def main() -> None:
    steps = os.environ.get("BENCH_STEPS",
                           "end_to_end,triage,throughput,memory,ray,queries,long_docs,web,russian").split(",")
    out: dict = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}
    if "end_to_end" in steps:  # the whole run, fresh processes, real news (../shared), as a user waits for it
        out["end_to_end"] = step("end to end against bare spaCy", ["end_to_end.py", "--ray"])
        out["end_to_end_bare_batch_64"] = step("end to end against bare spaCy (batch_size 64)",
                                               ["end_to_end.py", "--bare-batch-size", "64"])
    if "triage" in steps:
        out["triage_check"] = step("triage check", ["triage_check.py"])
    if "throughput" in steps:
        copies = os.environ.get("BENCH_COPIES", "2")
        out["throughput"] = step("throughput", ["throughput.py", copies, "1"])
        out["throughput_n2"] = step("throughput -n 2", ["throughput.py", copies, "2"])
    if "memory" in steps:
        out["memory"] = [step(f"memory x{n}", ["memory.py", n])
                         for n in os.environ.get("BENCH_MEMORY_SIZES", "1,10,100").split(",")]
    if "ray" in steps:
        out["ray"] = step("ray 1 vs 2 workers", ["ray_scaling.py", os.environ.get("BENCH_RAY_COPIES", "12"), "2"])
    if "queries" in steps:
        out["queries"] = step("query latency", ["queries.py", os.environ.get("BENCH_EVENTS", "1000000")])
    if "long_docs" in steps:
        out["long_docs"] = step("long documents", ["long_docs.py"])
        out["long_docs_unsplit"] = step("long documents, parsed whole", ["long_docs.py", "--chunk", "0"])
    if "web" in steps:
        out["web"] = step("explorer, 50 concurrent clients", ["web_concurrency.py"])
        out["web_uncached"] = step("explorer, 50 concurrent clients, no answer cache",
                                   ["web_concurrency.py", "--cache-mb", "0"])
    if "russian" in steps:  # Russian: the whole Russian pipeline against natasha alone, factRuEval dev texts
        out["russian"] = step("russian pipeline against natasha alone", ["russian.py"])
    path = HERE / "results.json"
    path.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
