"""Bounded memory and time per document: long articles parsed in pieces (offsets exact, one document
for the extractors), a per-document time limit whatever the batch size, a token cap."""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest
import spacy

from conftest import FIXTURES, SHARED, model_available
from tacitus.ingest.records import RawArticle
from tacitus.nlp.chunks import pieces, split_points
from tacitus.nlp.engine import NlpItem, process_one, run_pipeline

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")


def _item(i: int, text: str) -> NlpItem:
    return NlpItem(f"id{i}", RawArticle(key=f"k{i}", source_path="p", text=text, fingerprint="f", fmt="text"))


# -- splitting ----------------------------------------------------------------------------------------
def test_pieces_are_exact_bounded_and_cut_at_the_best_boundary():
    para = "The envoy met the minister. They spoke for an hour.\nA second line follows here."
    text = "\n\n".join(f"{para} ({i})" for i in range(200))
    parts = pieces(text, 1000)
    assert "".join(parts) == text
    assert len(parts) > 10 and all(len(p) <= 1000 for p in parts)
    assert all(p.endswith("\n\n") for p in parts[:-1])  # every cut at a paragraph break
    lines = "\n".join(f"a line of words number {i}" for i in range(400))
    assert all(p.endswith("\n") for p in pieces(lines, 500)[:-1])  # no blank line: at line breaks
    prose = " ".join(f"Sentence number {i} ends here." for i in range(300))
    parts = pieces(prose, 700)
    assert "".join(parts) == prose and all(p.endswith(". ") for p in parts[:-1])  # at sentence ends
    words = " ".join("word" for _ in range(2000))
    assert all(p.endswith(" ") for p in pieces(words, 300)[:-1])  # at spaces
    blob = "x" * 5000  # no whitespace at all: cut inside the "word", nothing lost
    assert "".join(pieces(blob, 1000)) == blob and max(map(len, pieces(blob, 1000))) == 1000
    assert split_points("short text", 1000) == [0]
    assert split_points(text, 0) == [0]  # 0: no splitting


# -- a long real text: parsed in pieces, extracted as one document -------------------------------------
@needs_model
def test_long_real_text_parsed_in_pieces_gives_the_same_extractions(nlp):
    """Real news (PolNeAR articles, 2016 US politics, joined into one long text): parsed whole and in
    pieces of 10,000 characters, the extractions agree. Offsets stay exact (every mention's text is
    the text at its offsets)."""
    eval_dir = SHARED / "eval"
    if not (eval_dir / "polnear").is_dir():
        pytest.skip("../shared/eval/polnear is not present")
    from tacitus.evaluate.realtext import load

    text = "\n\n".join(d.text for d in load(eval_dir, "polnear", limit=12))
    assert len(split_points(text, 10_000)) >= 4
    item = _item(0, text)
    whole = process_one(nlp, item, chunk_chars=0, max_tokens=0)
    split = process_one(nlp, item, chunk_chars=10_000, max_tokens=0)

    def rows(out, table):
        return {tuple(sorted((k, str(v)) for k, v in r.items() if k not in ("id", "sentence"))) for r in out[table]}

    for table, floor in (("sentences", 0.99), ("mentions", 0.97), ("events", 0.95), ("quotes", 0.95), ("timexes", 0.97)):
        a, b = rows(whole, table), rows(split, table)
        assert a, table
        assert len(a & b) / len(a | b) >= floor, table
    for m in split["mentions"]:
        assert text[m["start"]:m["end"]] == m["text"]


# -- time limit per document ----------------------------------------------------------------------------
def test_time_limit_is_per_document_whatever_the_batch_size():
    """A document that is slow in the extractors fails alone, under its own limit: the batch of three does
    not lend it the others' time (it used to get the limit times the batch's size)."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    @spacy.Language.component("tacitus_test_slowish")
    def slowish(doc):
        if "SLOW" in doc.text:
            time.sleep(2.5)
        return doc

    nlp.add_pipe("tacitus_test_slowish")
    items = [_item(i, t) for i, t in enumerate(["A fine text. Two sentences.", "This one is SLOW.", "Another fine one."])]
    out = run_pipeline(nlp, items, batch_size=8, time_limit_s=1.5)
    assert isinstance(out[0], dict) and isinstance(out[2], dict)
    assert isinstance(out[1], str) and "time limit of 1.5 s" in out[1]
    alone = run_pipeline(nlp, items[1:2], batch_size=8, time_limit_s=4)  # within its limit: stored
    assert isinstance(alone[0], dict)


def test_too_many_tokens_is_refused_before_parsing_and_the_batch_goes_on():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    items = [_item(0, "A fine text. Two sentences."), _item(1, "\n".join(["word"] * 5000)), _item(2, "Fine too.")]
    out = run_pipeline(nlp, items, batch_size=8, chunk_chars=1000, max_tokens=2000)
    assert isinstance(out[0], dict) and isinstance(out[2], dict)
    assert isinstance(out[1], str) and out[1].startswith("document too large: more than 2000 tokens")
    assert isinstance(run_pipeline(nlp, items[1:2], 8, chunk_chars=1000, max_tokens=0)[0], dict)


# -- the whole run: a giant line beside normal articles, peak memory ----------------------------------
_PEAK = """
import resource, subprocess, sys
rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


@needs_model
def test_one_megabyte_line_beside_normal_articles_stays_under_the_memory_bound(tmp_path):
    """An HTML page whose article is one line of 0.9 MB (no sentence end anywhere) beside two normal
    articles: all three stored, peak RSS of the whole run under 1.5 GB (it was 2.8 GB when the model
    got the whole text at once). With ``parse_chunk_chars`` set above the text's length this fails."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("convoy-attack.txt", "kabul-talks.txt"):
        (inputs / name).write_bytes((FIXTURES / "mini" / name).read_bytes())
    rng = random.Random(7)
    words = "the envoy said talks with officials would resume in the capital next week after the ceasefire".split()
    line = " ".join(rng.choice(words) for _ in range(150_000))
    (inputs / "giant-line.html").write_text(f"<html><head><title>One line</title></head><body><p>{line}</p></body></html>")
    db = tmp_path / "t.duckdb"
    cmd = [sys.executable, "-m", "tacitus", "run", str(inputs), "--db", str(db), "--json"]
    out = subprocess.run([sys.executable, "-c", _PEAK, *cmd], capture_output=True, text=True, timeout=300)
    rc, peak_kb = map(int, out.stdout.split())
    assert rc == 0, out.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = dict(con.execute("SELECT source_path, status FROM articles").fetchall())
        longest = con.execute("SELECT max(length(text)) FROM articles").fetchone()[0]
    finally:
        con.close()
    assert sorted(rows.values()) == ["ok", "ok", "ok"], rows
    assert longest > 800_000
    assert peak_kb < 1_500_000, f"peak RSS {peak_kb / 1e6:.2f} GB"
