"""Does sentence triage lose anything? Triage off against on, on our annotated data:

- the demo corpus (examples/demo-corpus, whose articles examples/demo-gold annotates): every table of
  a full run, compared row by row on every column but run ids and timestamps;
- our 372 labelled PLOVER sentences (``tacitus eval events``): each sentence's events, as that
  evaluation reads them, and its quotes.

Prints one JSON line: per table, rows with triage off, rows only off, rows only on.
Usage: python benchmarks/triage_check.py
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from corpus import DEMO  # noqa: E402


def demo_tables() -> dict:
    from tacitus.api.run import process
    from test_scale import table_differences

    import duckdb

    with tempfile.TemporaryDirectory(prefix="tacitus-bench-tri-") as tmp:
        off, on = Path(tmp) / "off.duckdb", Path(tmp) / "on.duckdb"
        process([str(DEMO)], off, progress=False)
        process([str(DEMO)], on, progress=False, triage=True)
        diffs = table_differences(off, on)
        with duckdb.connect(str(off), read_only=True) as con:
            sizes = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("events", "quotes", "mentions", "places", "counts", "roles", "timexes", "sentences")}
    return {t: {"rows_off": n, "only_off": diffs.get(t, (0, 0, 0, 0))[2], "only_on": diffs.get(t, (0, 0, 0, 0))[3]}
            for t, n in sizes.items()} | {"other_tables_differing": sorted(set(diffs) - set(sizes))}


def labelled_sentences() -> dict:
    from tacitus.evaluate.events import load_ours, pipeline_predictor
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc
    from tacitus.nlp.pipeline import build_pipeline
    from tacitus.settings import resolve

    model = resolve().model
    full, _ = build_pipeline(model)
    tri, _ = build_pipeline(model, triage=True)
    gold = load_ours()
    p_full, p_tri = pipeline_predictor(full), pipeline_predictor(tri)
    events_diff = quotes_diff = n_events = n_quotes = 0
    for g in gold:
        a, b = p_full(g), p_tri(g)
        n_events += len(a)
        events_diff += sum(1 for e in a if e not in b) + sum(1 for e in b if e not in a)
        art = RawArticle(key=g.id, source_path=g.id, text=g.text, published=g.pub_date)
        qa = [(q.kind, q.start, q.end, q.speaker) for q in full(make_doc(full, art))._.tacitus_quotes or []]
        qb = [(q.kind, q.start, q.end, q.speaker) for q in tri(make_doc(tri, art))._.tacitus_quotes or []]
        n_quotes += len(qa)
        quotes_diff += len(set(qa) ^ set(qb))
    st = tri.get_pipe("tacitus_triage").stats
    return {"sentences": len(gold), "events_off": n_events, "events_differing": events_diff, "quotes_off": n_quotes,
            "quotes_differing": quotes_diff, "parsed_sentences_share": round(st.parsed_sentences / max(1, st.sentences), 3)}


def main() -> None:
    print(json.dumps({"demo_corpus": demo_tables(), "plover_sentences": labelled_sentences()}))


if __name__ == "__main__":
    main()
