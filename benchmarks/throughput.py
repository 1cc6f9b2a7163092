"""Throughput: the full Tacitus pipeline against bare ``nlp.pipe`` of the same spaCy model, same texts,
same process, alternating, best of ``REPEATS``. Prints one JSON line.

- ``bare``: ``spacy.load(model).pipe(texts)`` with every default component (full parse), as spaCy
  runs it (its matrix products in BLIS).
- ``bare_numpy_blas``: the same with thinc's ``NumpyOps(use_blis=False)`` (numpy's BLAS), the ops
  Tacitus runs on by default (setting ``blas``): what of Tacitus' lead is the BLAS and what the rest.
- ``tacitus``: the Tacitus pipeline (the model plus every Tacitus component) and the rows built for the
  store (``doc_rows``), i.e. the whole NLP stage; ``tacitus_triage`` the same with ``triage`` on;
  ``tacitus_stock_rules`` the same with spaCy's own attribute ruler and lemmatiser instead of their
  compiled forms (:mod:`tacitus.nlp.fastrules`), to show what those give; ``tacitus_blis`` Tacitus
  on BLIS, spaCy's default (setting ``blas = "blis"``).
- Every setting runs ``REPEATS`` times, alternating; ``first`` is each one's first run (the compiled
  rules' caches and spaCy's lemma cache start empty), ``best`` the fastest.
- ``end_to_end``: ``tacitus.process`` over the demo corpus files into a new database (reading,
  cleaning, language id, de-duplication, NLP, writing), once per setting.

Usage: python benchmarks/throughput.py [copies] [n_process]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import DEMO, clean_articles, vary  # noqa: E402

REPEATS = 4


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    n_process = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    import spacy

    from tacitus.api.run import process
    from tacitus.nlp.engine import Engine, NlpItem
    from tacitus.settings import resolve

    settings = resolve(overrides={"progress": False})
    base = clean_articles()
    from dataclasses import replace

    arts = [replace(a, text=vary(a.text, k)) for k in range(copies) for a in base]
    texts = [a.text for a in arts]
    words = sum(len(t.split()) for t in texts)
    from tacitus.nlp.pipeline import find_model

    model = find_model(list(settings.model))
    bare = spacy.load(model)  # the same model, every default component, nothing of ours
    from tacitus.nlp.blas import use_blas

    bare_numpy = spacy.load(model)
    use_blas(bare_numpy, "numpy")
    items = [NlpItem(str(i), a) for i, a in enumerate(arts)]
    # Tacitus as `tacitus run [-n N]` runs it: the Engine (one process: in this process, with the
    # pipeline's objects frozen out of the garbage collector's way; N: a pool whose workers return rows)
    variants = {"tacitus": {}, "tacitus_triage": {"triage": True}, "tacitus_blis": {"blas": "blis"}}
    if n_process == 1:
        variants["tacitus_stock_rules"] = {"compiled_rules": False}
    engines = {name: Engine(settings.model, n_process, settings.batch_size, **kw) for name, kw in variants.items()}
    for e in engines.values():
        e.process(items[:max(2, n_process * 2)])

    def run_bare(nlp=bare) -> None:
        for _ in nlp.pipe(texts, batch_size=settings.batch_size, n_process=n_process):
            pass

    # warm up (first-use training of the cleaner and fallback classifier, caches)
    for nlp in (bare, bare_numpy):
        list(nlp.pipe(["The talks in Kabul ended on Monday, officials said."]))
    chunk = settings.batch_size * n_process  # what `tacitus run` hands the engine at a time

    def run_engine(e) -> None:
        for i in range(0, len(items), chunk):
            e.process(items[i:i + chunk])

    runs = [("bare", run_bare), ("bare_numpy_blas", lambda: run_bare(bare_numpy))] + [(name, lambda e=e: run_engine(e)) for name, e in engines.items()]
    best: dict[str, float] = {}
    first: dict[str, float] = {}
    cpu: dict[str, float] = {}  # CPU seconds of this process (one process only): less exposed to other load
    for _ in range(REPEATS):
        for name, fn in runs:
            t, c = time.perf_counter(), time.process_time()
            fn()
            took, used = time.perf_counter() - t, time.process_time() - c
            first.setdefault(name, took)
            best[name] = min(best.get(name, float("inf")), took)
            cpu[name] = min(cpu.get(name, float("inf")), used)
    tri = engines["tacitus_triage"].nlp
    stats = tri.get_pipe("tacitus_triage").stats if tri is not None else None
    for e in engines.values():
        e.close()
    e2e = {}
    for label, triage in (("end_to_end", False), ("end_to_end_triage", True)):
        with tempfile.TemporaryDirectory(prefix="tacitus-bench-") as tmp:
            t = time.perf_counter()
            s = process([str(DEMO)], Path(tmp) / "t.duckdb", progress=False, n_process=n_process, triage=triage)
            e2e[label] = {"s": round(time.perf_counter() - t, 2), "articles": s.counts.get("articles", 0)}
    demo_words = sum(len(a.text.split()) for a in base)
    out = {
        "model": model, "copies": copies, "n_process": n_process, "articles": len(texts), "words": words,
        "seconds": {k: round(v, 2) for k, v in best.items()},
        "words_per_s": {k: round(words / v) for k, v in best.items()},
        "articles_per_s": {k: round(len(texts) / v, 2) for k, v in best.items()},
        "ratio_vs_bare": {k: round(best["bare"] / v, 3) for k, v in best.items()},
        "cpu_ratio_vs_bare": {k: round(cpu["bare"] / v, 3) for k, v in cpu.items()} if n_process == 1 else None,
        "first_seconds": {k: round(v, 2) for k, v in first.items()},
        "first_ratio_vs_bare": {k: round(first["bare"] / v, 3) for k, v in first.items()},
        "triage_parsed": {"sentences": stats.sentences, "parsed_sentences": stats.parsed_sentences,
                          "tokens": stats.tokens, "parsed_tokens": stats.parsed_tokens} if stats else None,
        "end_to_end": {k: v | {"words_per_s": round(demo_words / v["s"]), "articles_per_s": round(v["articles"] / v["s"], 2)}
                       for k, v in e2e.items()},
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
