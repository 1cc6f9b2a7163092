"""Property-based invariants (hypothesis) of the text normaliser, quote finder, date normaliser and the
offset bookkeeping of every stored table: any text in, no crash, offsets inside the text, every span
equal to the text at its offsets. (tests/test_properties.py holds the older, narrower properties.)"""

from __future__ import annotations

import functools
import gzip
import json
import re
import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

from conftest import model_available
from tacitus.extract.quotes import extract_quotes, find_quote_spans
from tacitus.extract.timex import find_timexes
from tacitus.ingest.decode import decode_bytes, normalise_text

# Text made of what our extractors react to: quote marks of every family, cue verbs, names, numbers,
# dates, month names, line breaks, plus arbitrary Unicode (combining marks, RTL, surrogate-free).
PIECES = ["said ", "told ", "says ", "according to ", "Omar ", "Zakharova ", "Mr. Khan ", "he ", "she ", "the minister ",
          "\u201c", "\u201d", "\u2018", "\u2019", "\"", "'", "\u00ab", "\u00bb", "\u201e", ": ", ", ", ". ", "\n", "\n\n",
          "in 1979 ", "on 9/11 ", "March 4, 2021 ", "last week ", "two decades ", "three years ago ", "the 1990s ",
          "Monday ", "07/10/21 ", "2,000 troops ", "killed ", "yesterday ", "next month ", "the 19th century ",
          "\u0627\u0644\u0633\u0644\u0627\u0645 ", "\u05e9\u05dc\u05d5\u05dd ", "\u0301", "\u200f", "e\u0301 ", "\U0001F600 "]
newsy = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)
ISO_VALUE = re.compile(r"^-?\d{1,4}(-\d{2}(-\d{2})?)?$|^\d{2,3}X{1,2}$|^P|^\d{4}-W\d{2}$")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
@example("\x91\x86\x0c\x80")  # C1 controls repaired into what the next pass read as mojibake
def test_normalised_text_is_stable_and_clean(text):
    once = normalise_text(text)
    assert normalise_text(once) == once  # idempotent: the stored text does not change when read again
    assert not re.search(r"[\x00-\x08\x0b-\x0d\x0e-\x1f\x7f\u200b\u200d\u2060\ufeff\u202a-\u202e\u2066-\u2069\u2028\u2029]", once)
    assert "\r" not in once and once.splitlines() == once.split("\n")[: len(once.splitlines())]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_decoded_bytes_are_normalised_text(data):
    try:
        text, _enc = decode_bytes(data)
    except Exception as exc:  # only our clear error is allowed
        assert type(exc).__name__ == "InputError" and str(exc)
    else:
        assert normalise_text(text) == text


@settings(max_examples=300, deadline=None)
@given(newsy)
def test_quote_spans_lie_inside_the_text(text):
    for q in find_quote_spans(text):
        assert 0 <= q.start <= q.end <= len(text)
        assert q.open_at == -1 or 0 <= q.open_at < len(text)
        assert q.close_at == -1 or 0 <= q.close_at < len(text)
        assert q.open_at == -1 or q.open_at < q.start or q.start == q.end
        assert q.close_at == -1 or q.close_at >= q.end


@settings(max_examples=300, deadline=None)
@given(newsy, st.sampled_from([None, "2021-08-15", "1989-02-15", "2001-09-11", "2020-02-29"]))
def test_timexes_are_exact_and_values_well_formed(text, published):
    for t in find_timexes(text, published):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert t.type in ("DATE", "DURATION", "TIME", "SET")
        if t.value is not None:
            assert ISO_VALUE.match(t.value), t


@pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=newsy)
@example(text="\n\u00bb: said said \u00bbtold said ")  # a line break parsed as the speaker (found in CI)
def test_quotes_from_the_full_pipeline_are_exact(nlp, text):
    doc = nlp(text)
    for q in extract_quotes(doc):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.text
        assert q.kind in ("direct", "indirect")
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
            assert text[q.speaker_start:q.speaker_end].strip()


# -- offset bookkeeping of the store ------------------------------------------------------------------
def span_columns(columns: list[str]) -> list[tuple[str, str, str | None]]:
    """(start column, end column, text column or None) for every span a table stores."""
    out = []
    for col in columns:
        if col == "start" and "end" in columns:
            out.append(("start", "end", "text" if "text" in columns else None))
        elif col.endswith("_start") and col[:-6] + "_end" in columns:
            base = col[:-6]
            out.append((col, base + "_end", base + "_text" if base + "_text" in columns else None))
    return out


#: Spans whose text column is not the text at the offsets by design (a canonical name, a whole claim).
TEXT_IS_NOT_THE_SPAN = {("claims", "text")}


def assert_offsets_exact(db: Path) -> int:
    """Every start/end of every table with an article_id lies inside that article's stored text, and
    its text column (where there is one) equals the text at the offsets. Returns the spans checked."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        texts = dict(con.execute("SELECT id, text FROM articles").fetchall())
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.columns WHERE column_name = "
                                            "'article_id' AND table_schema = 'main'").fetchall()]
        checked = 0
        for table in sorted(set(tables)):
            columns = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()]
            for start, end, text_col in span_columns(columns):
                sel = f'article_id, "{start}", "{end}"' + (f', "{text_col}"' if text_col else "")
                for row in con.execute(f"SELECT {sel} FROM {table} WHERE \"{start}\" IS NOT NULL").fetchall():
                    article = texts[row[0]]
                    s, e = row[1], row[2]
                    assert 0 <= s <= e <= len(article), (table, start, row)
                    if text_col and (table, text_col) not in TEXT_IS_NOT_THE_SPAN and row[3] is not None:
                        assert article[s:e] == row[3], (table, start, row[3], article[s:e])
                    checked += 1
        return checked
    finally:
        con.close()


@pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
def test_every_span_of_every_table_is_exact_on_the_mini_corpus(mini, tmp_path):
    import tacitus

    db = tmp_path / "mini.duckdb"
    tacitus.process([mini], db, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("sentences", "mentions", "quotes", "places", "counts", "timexes", "events")}
    con.close()
    assert all(n > 0 for n in counts.values()), counts  # every kind of span is exercised
    assert assert_offsets_exact(db) > 100


# -- readers: any bytes, any format ---------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _reader():
    from tacitus.ingest import Reader
    from tacitus.settings import resolve

    return Reader(resolve(overrides={"max_file_bytes": 100_000}))


json_lines = st.lists(st.one_of(
    st.dictionaries(st.sampled_from(["id", "text", "title", "html", "published", "url"]),
                    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), newsy,
                              st.lists(st.integers(), max_size=3)), max_size=5).map(json.dumps),
    st.text(max_size=40)), max_size=6).map("\n".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=3000), newsy.map(str.encode), json_lines.map(str.encode),
                      newsy.map(lambda t: f"<html><body><p>{t}</p></body></html>".encode())),
       suffix=st.sampled_from([".txt", ".html", ".jsonl", ".warc", ".txt.gz", ".bin"]))
def test_the_reader_never_raises_on_any_bytes(data, suffix):
    from tacitus.ingest import InputFailure, RawArticle, discover
    from tacitus.ingest.records import InputSkip

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
        for unit in discover([path]):
            for result in ([unit] if isinstance(unit, InputFailure) else _reader().read(unit)):
                assert isinstance(result, (RawArticle, InputFailure, InputSkip))
                if isinstance(result, RawArticle):
                    assert result.text.strip() and normalise_text(result.text) == result.text
                else:
                    assert result.reason
