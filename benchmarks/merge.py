"""Benchmark the corpus view's merging (``tacitus.corpus.merge.rebuild_clusters``) on a synthetic store.

The store holds ``--articles`` articles over 1990-2021 (one in twenty a copy of the article before it), ten
event mentions per original (16 PLOVER types, 40 actor codes drawn with Zipf-like weights so that a few
actors dominate as in news, day dates within three days of publication, one in eight only a month and one
in eight only a year) and five quotes per original (twelve words from a 20,000-word Zipf vocabulary). It
times the full merge, then a second call (nothing changed: skipped by the fingerprint), then a merge after
one more copy article.

    .venv/bin/python benchmarks/merge.py --articles 10000 [--max-seconds S]

With ``--max-seconds`` it exits 1 when the full merge takes longer (a target for CI on a known machine).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

TYPES = [("ASSAULT", "material conflict"), ("COERCE", "material conflict"), ("MOBILIZE", "material conflict"),
         ("PROTEST", "material conflict"), ("SANCTION", "material conflict"), ("AID", "material cooperation"),
         ("COOPERATE", "material cooperation"), ("RETREAT", "material cooperation"), ("ACCUSE", "verbal conflict"),
         ("REJECT", "verbal conflict"), ("REQUEST", "verbal conflict"), ("THREATEN", "verbal conflict"),
         ("AGREE", "verbal cooperation"), ("CONCEDE", "verbal cooperation"), ("CONSULT", "verbal cooperation"),
         ("SUPPORT", "verbal cooperation")]
COUNTRIES = ["USA", "RUS", "AFG", "PAK", "CHN", "IRN", "IND", "UZB", "TJK", "GBR"]
SECTORS = ["", " GOV", " MIL", " INS"]


def build(path: Path, n_articles: int, seed: int = 1) -> dict[str, int]:
    import pandas as pd

    from tacitus.store import Store

    rnd = random.Random(seed)
    codes = [c + s for c in COUNTRIES for s in SECTORS]
    weights = [1 / (i + 1) for i in range(len(codes))]
    vocab_weights = [1 / (i + 1) for i in range(20000)]
    arts, events, quotes = [], [], []
    for i in range(n_articles):
        y, m, d = rnd.randint(1990, 2021), rnd.randint(1, 12), rnd.randint(1, 28)
        copy = i % 20 == 19
        arts.append({"id": f"a{i}", "outlet": f"outlet {rnd.randint(1, 300)}", "published": f"{y}-{m:02d}-{d:02d}",
                     "status": "duplicate" if copy else "ok", "duplicate_of": f"a{i - 1}" if copy else None,
                     "run_id": 1, "tone": rnd.uniform(-5, 5)})
        if copy:
            continue
        for j in range(10):
            type_, quad = rnd.choice(TYPES)
            src, tgt = rnd.choices(codes, weights, k=2)
            precision = rnd.choice(["day"] * 6 + ["month", "year"])
            day = min(28, max(1, d + rnd.randint(-3, 3)))
            date = {"day": f"{y}-{m:02d}-{day:02d}", "month": f"{y}-{m:02d}", "year": str(y)}[precision]
            events.append({"id": f"e{i}-{j}", "article_id": f"a{i}", "type": type_, "quad": quad,
                           "source": {"code": src, "name": src}, "target": {"code": tgt, "name": tgt},
                           "source_actor_id": src, "target_actor_id": tgt, "date": date, "date_precision": precision,
                           "negated": False, "hedged": False, "future": False, "historical": False, "intensity": 1.0,
                           "sentence": j, "start": j * 100})
        for j in range(5):
            words = rnd.choices(range(20000), vocab_weights, k=12)
            quotes.append({"id": f"q{i}-{j}", "article_id": f"a{i}", "text": " ".join(f"w{w}" for w in words),
                           "speaker_actor_id": rnd.choices(codes, weights)[0], "start": j * 50})
    with Store.open(path) as store:
        store._insert("runs", [{"id": 1, "status": "completed", "started": pd.Timestamp("2026-01-01")}])
        store._insert("articles", arts)
        store._insert("events", events)
        store._insert("quotes", quotes)
    return {"articles": len(arts), "events": len(events), "quotes": len(quotes)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=10000)
    ap.add_argument("--max-seconds", type=float, default=None)
    args = ap.parse_args()

    from tacitus.corpus.merge import rebuild_clusters
    from tacitus.settings import resolve
    from tacitus.store import Store

    settings = resolve()
    with tempfile.TemporaryDirectory(prefix="tacitus-merge-bench-") as tmp:
        path = Path(tmp) / "bench.duckdb"
        sizes = build(path, args.articles)
        print(f"store: {sizes['articles']} articles, {sizes['events']} event mentions, {sizes['quotes']} quotes")
        with Store.open(path) as store:
            t = time.perf_counter()
            n = rebuild_clusters(store, settings)
            full = time.perf_counter() - t
            print(f"full merge: {full:.1f} s -> {n['event_clusters']} events, {n['quote_clusters']} quotes")
            t = time.perf_counter()
            rebuild_clusters(store, settings)
            print(f"nothing changed: {time.perf_counter() - t:.3f} s")
            store._insert("articles", [{"id": "extra-copy", "outlet": "one more outlet", "published": "2000-01-01",
                                        "status": "duplicate", "duplicate_of": "a0", "run_id": 1}])
            t = time.perf_counter()
            rebuild_clusters(store, settings)
            print(f"after one more copy: {time.perf_counter() - t:.1f} s")
    if args.max_seconds is not None and full > args.max_seconds:
        print(f"full merge took {full:.1f} s, over the target of {args.max_seconds} s", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
