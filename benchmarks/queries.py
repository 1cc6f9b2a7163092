"""Query latency of the main read API on a store of synthetic rows (default 1,000,000 events).

The store has the real schema (``Store.open`` applies every migration) and is filled by SQL with a
fixed seed: 100 articles' worth of rows per 1,000 events (articles, 10 sentences each with a tone,
3 actor mentions per event), 2,000 actors whose codes are country + sector (``RUS``, ``RUS GOV``,
``AFG INS``...) drawn with a skew (a few actors are in most events, as in news), 16 PLOVER types,
dates 1979-2021, and one merged event (``event_clusters`` row) per event. Each API call runs
``REPS`` times with parameters drawn from the most frequent actors (warm: after one unmeasured call).
Prints one JSON line. Usage: python benchmarks/queries.py [events] [reps]
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

COUNTRIES = ["RUS", "AFG", "USA", "PAK", "SUN", "IRN", "CHN", "IND", "TJK", "UZB", "TKM", "KGZ", "KAZ", "GBR",
             "FRA", "DEU", "TUR", "SAU", "QAT", "ARE", "IRQ", "SYR", "ISR", "EGY", "UKR", "BLR", "GEO", "ARM",
             "AZE", "MNG", "JPN", "KOR", "PRK", "IDN", "MYS", "BGD", "LKA", "NPL", "CAN", "AUS"]
SECTORS = ["", " GOV", " MIL", " INS", " REB", " OPP", " COP", " SPY", " MED", " EDU"]
TYPES = ["AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
         "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"]
QUAD = {"AGREE": "verbal cooperation", "CONSULT": "verbal cooperation", "SUPPORT": "verbal cooperation",
        "CONCEDE": "verbal cooperation", "COOPERATE": "material cooperation", "AID": "material cooperation",
        "RETREAT": "material cooperation", "REQUEST": "verbal conflict", "ACCUSE": "verbal conflict",
        "REJECT": "verbal conflict", "THREATEN": "verbal conflict", "PROTEST": "material conflict",
        "SANCTION": "material conflict", "MOBILIZE": "material conflict", "COERCE": "material conflict",
        "ASSAULT": "material conflict"}


def build(path: Path, n_events: int) -> dict:
    from tacitus.store import Store

    n_articles = max(10, n_events // 10)
    n_actors = 2000
    t0 = time.perf_counter()
    store = Store.open(path)
    con = store.con
    con.execute("SELECT setseed(0.42)")
    codes = [c + s for c in COUNTRIES for s in SECTORS]  # 400 codes, 5 actors each
    con.execute("CREATE TEMP TABLE codes AS SELECT * FROM (SELECT unnest(?) AS code, generate_subscripts(?, 1) - 1 AS k)",
                [codes, codes])
    con.execute("CREATE TEMP TABLE types AS SELECT * FROM (SELECT unnest(?) AS type, unnest(?) AS quad, "
                "generate_subscripts(?, 1) - 1 AS k)", [TYPES, [QUAD[t] for t in TYPES], TYPES])
    # actor i has code codes[i % 400]; actor ranks follow the code list, so RUS, AFG, USA... come first
    con.execute(f"""INSERT INTO actors (id, name, code, kind, country, sector, aliases, roles, mention_count)
        SELECT 'A' || i, 'Actor ' || i || ' ' || c.code, c.code, 'organisation', left(c.code, 3),
               nullif(trim(substr(c.code, 4)), ''), [], '[]', 0
        FROM range({n_actors}) r(i) JOIN codes c ON c.k = i % 400""")
    con.execute(f"""INSERT INTO articles (id, source_path, title, published, text, status, language, word_count, run_id)
        SELECT 'art' || i, 'synthetic/' || i || '.txt', 'Article ' || i,
               strftime(DATE '1979-01-01' + CAST(floor(random() * 15340) AS INTEGER), '%Y-%m-%d'),
               repeat('Synthetic sentence about actors and events. ', 10), 'ok', 'en', 60, 1
        FROM range({n_articles}) r(i)""")
    con.execute(f"""INSERT INTO sentences (article_id, sentence, start, "end", tone)
        SELECT 'art' || a, s, s * 45, s * 45 + 44, round(random() * 20 - 10, 2)
        FROM range({n_articles}) r(a), range(10) q(s)""")
    # skewed actor choice: floor(n * u^3) puts most mass on low ids (the first countries)
    con.execute(f"""CREATE TEMP TABLE ev AS SELECT i,
            'art' || (i // 10) AS article_id, CAST(i % 10 AS INTEGER) AS sentence,
            CAST(floor({n_actors} * pow(random(), 3)) AS INTEGER) AS s,
            CAST(floor({n_actors} * pow(random(), 3)) AS INTEGER) AS t,
            CAST(floor(random() * 16) AS INTEGER) AS ty, random() AS u
        FROM range({n_events}) r(i)""")
    con.execute("""INSERT INTO events BY NAME SELECT
            'e' || ev.i AS id, ev.article_id, 'synthetic' AS source_path, ty.type, NULL AS mode,
            {'code': sa.code, 'name': sa.name} AS source, {'code': ta.code, 'name': ta.name} AS target,
            sa.id AS source_actor_id, ta.id AS target_actor_id, a.published AS date, 'day' AS date_precision,
            ev.u < 0.05 AS negated, ev.u > 0.9 AS hedged, FALSE AS future, FALSE AS historical,
            CAST(round(ev.u * 20 - 10) AS DOUBLE) AS intensity, ty.quad, NULL AS place, ev.sentence,
            ev.sentence * 45 AS start, ev.sentence * 45 + 10 AS "end", 'trigger' AS trigger, 0.7 AS confidence,
            'c' || ev.i AS cluster_id
        FROM ev JOIN articles a ON a.id = ev.article_id JOIN actors sa ON sa.id = 'A' || ev.s
        JOIN actors ta ON ta.id = 'A' || ev.t JOIN types ty ON ty.k = ev.ty""")
    con.execute("""INSERT INTO mentions (id, article_id, actor_id, text, label, start, "end", sentence)
        SELECT 'm' || i || '-' || side, article_id, 'A' || CASE side WHEN 0 THEN s WHEN 1 THEN t
                   ELSE CAST(floor(2000 * pow(u, 3)) AS INTEGER) END, 'name', 'ORG', sentence * 45, sentence * 45 + 4,
               sentence
        FROM ev, range(3) q(side)""")
    con.execute("""INSERT INTO event_clusters BY NAME SELECT
            e.cluster_id AS id, e.type, e.mode, e.quad, e.source, e.target, e.source_actor_id, e.target_actor_id,
            e.date, e.date_precision, CAST(e.date AS DATE) AS date_start, CAST(e.date AS DATE) AS date_end,
            e.negated, e.hedged, e.future, e.historical, e.intensity, e.place, 1 AS mentions, 1 AS articles,
            1 AS outlets, 0 AS copies, ['Synthetic Times'] AS outlet_names, [e.article_id] AS article_ids,
            [e.id] AS event_ids, e.date AS first_reported, e.date AS last_reported, 0.0 AS tone, TRUE AS lead
        FROM events e""")
    con.execute("CHECKPOINT")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("articles", "sentences", "actors", "mentions", "events", "event_clusters")}
    store.close()
    return {"build_s": round(time.perf_counter() - t0, 1), "rows": counts, "db_mb": round(path.stat().st_size / 2**20)}


def timed(fn, reps: int) -> dict:
    fn()  # warm
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {"p50_ms": round(statistics.median(times), 1), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1),
            "max_ms": round(times[-1], 1)}


def main() -> None:
    n_events = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    import tacitus

    rng = random.Random(7)
    top = ["RUS", "AFG", "USA", "PAK", "SUN", "IRN"]
    years = [str(y) for y in range(1980, 2021)]
    with tempfile.TemporaryDirectory(prefix="tacitus-bench-q-") as tmp:
        path = Path(tmp) / "q.duckdb"
        info = build(path, n_events)
        results = {}
        with tacitus.open(path) as db:
            has_dyad = hasattr(db, "dyad") and hasattr(db, "timeline")

            def pair():
                a, b = rng.sample(top, 2)
                return a, b

            def span():
                y = rng.randrange(1980, 2016)
                return str(y), str(y + rng.randrange(1, 6))

            calls = {
                "events(source, since, until, limit=100)": lambda: db.events(source=rng.choice(top), since=span()[0],
                                                                              until=span()[1], limit=100),
                "events(type, target, limit=100)": lambda: db.events(type=rng.choice(TYPES), target=rng.choice(top),
                                                                     limit=100),
                "events(source, target) all rows": lambda: db.events(source=rng.choice(top) + " GOV",
                                                                     target=rng.choice(top) + " MIL"),
            }
            if has_dyad:
                calls["dyad(a, b, by=month)"] = lambda: db.dyad(*pair(), by="month")
                calls["dyad(a, b, by=year, since, until)"] = lambda: db.dyad(*pair(), by="year", since=span()[0],
                                                                             until=span()[1])
                calls["timeline(actor, since, until, limit=200)"] = lambda: db.timeline(
                    actor=rng.choice(top), since=span()[0], until=span()[1], limit=200)
                calls["dyad_events(a, b, since)"] = lambda: db.dyad_events(*pair(), since=rng.choice(years))
            for name, fn in calls.items():
                results[name] = timed(fn, reps)
            sample = db.events(source="RUS GOV", target="AFG MIL")
            results["events(source, target) all rows"]["rows"] = len(sample)
    print(json.dumps({"events": n_events, "reps": reps, "dyad_timeline_api": has_dyad, **info, "latency": results}))


if __name__ == "__main__":
    main()
