"""Explorer latency under concurrent requests: ``tacitus serve`` on a store, 50 clients at once.

The store is built from ``examples/demo-corpus`` (or given with ``--db``). The server runs in its own
process (``tacitus serve``, as a user starts it); each round starts 50 threads at the same moment, each
sending one request of the mix the explorer sends when a page loads (summary, network, events for the
timeline, map, quotes, disputes, actors, articles, one actor, one dyad, search), over a fresh HTTP
connection. Latency is measured from the round's start to each answer's last byte. Prints one JSON line:
p50, p95 and max over all requests, the requests per second, and every answer's status.

Usage: python benchmarks/web_concurrency.py [--db store.duckdb] [--clients 50] [--rounds 4] [--cursors 4]
       [--cache-mb 64]   (--cache-mb 0: no answer cache, every request queries the store)
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int, path: str, timeout: float = 60) -> tuple[int, bytes]:
    con = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        con.request("GET", path, headers={"Host": "127.0.0.1"})
        r = con.getresponse()
        return r.status, r.read()
    finally:
        con.close()


def _paths(port: int) -> list[str]:
    """The requests of the explorer's pages, with an actor and a dyad taken from the store."""
    _, body = _get(port, "/api/network?max_edges=50")
    net = json.loads(body)
    edge = (net.get("edges") or [{}])[0]
    actor = (net.get("nodes") or [{"id": "nope"}])[0]["id"]
    a, b = edge.get("source", "RUS"), edge.get("target", "AFG")
    return ["/api/summary", "/api/network", "/api/events?brief=true&limit=2000", "/api/map", "/api/quotes",
            "/api/disputes", "/api/actors", "/api/articles", f"/api/actors/{actor}",
            f"/api/dyad?a={a}&b={b}", "/api/search?q=talks", "/api/events?since=1980&until=1990"]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--cursors", default="4", help="tacitus serve --cursors")
    ap.add_argument("--cache-mb", default="64", help="tacitus serve --cache-mb (0: every request queries the store)")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db
    if db is None:
        db = str(Path(tmp.name) / "demo.duckdb")
        subprocess.run([sys.executable, "-m", "tacitus", "run", str(ROOT / "examples" / "demo-corpus"), "--db", db],
                       check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "tacitus", "serve", "--db", db, "--port", str(port), "--cursors", args.cursors,
                               "--cache-mb", args.cache_mb],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _get(port, "/api/summary", 5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        paths = _paths(port)
        for path in paths:  # warm: one unmeasured request each
            _get(port, path)
        times: list[float] = []
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        started_all = time.perf_counter()
        for _round in range(args.rounds):
            barrier = threading.Barrier(args.clients + 1)
            start = [0.0]

            def client(i: int) -> None:
                barrier.wait()
                status, _body = _get(port, paths[i % len(paths)])
                took = time.perf_counter() - start[0]
                with lock:
                    times.append(took)
                    statuses[status] += 1

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            for t in threads:
                t.start()
            start[0] = time.perf_counter()
            barrier.wait()
            for t in threads:
                t.join()
        wall = time.perf_counter() - started_all
        times.sort()
        print(json.dumps({
            "clients": args.clients, "rounds": args.rounds, "cursors": int(args.cursors),
            "cache_mb": float(args.cache_mb), "requests": len(times),
            "p50_ms": round(1000 * statistics.median(times), 1),
            "p95_ms": round(1000 * times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(1000 * times[-1], 1), "requests_per_s": round(len(times) / wall, 1),
            "statuses": {str(k): v for k, v in sorted(statuses.items())},
        }))
    finally:
        server.terminate()
        server.wait(20)
        tmp.cleanup()


if __name__ == "__main__":
    main()
