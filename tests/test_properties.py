"""Property-based tests: any text in, no crash, offsets inside the text, spans equal the text."""

import functools

import spacy
from hypothesis import HealthCheck, given, settings, strategies as st

from tacitus.extract.counts import extract_counts
from tacitus.extract.quotes import extract_direct_quotes
from tacitus.ingest.dates import parse_date
from tacitus.ingest.decode import decode_bytes
from tacitus.ingest.textmeta import parse_head
from tacitus.errors import InputError

NLP = spacy.blank("en")
# Text with plenty of the characters our extractors care about.
newsy = st.lists(
    st.sampled_from(list("abcXYZ ,.:;-—\n\"“”«»'0123456789") + ["said ", "Omar ", "killed ", "troops ", "he ", "some "]),
    max_size=120,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(newsy)
def test_quote_offsets_are_exact(text):
    doc = NLP(text)
    for q in extract_direct_quotes(doc):
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.text
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start <= q.speaker_end <= len(text)


@settings(max_examples=200, deadline=None)
@given(newsy)
def test_count_offsets_are_exact(text):
    for c in extract_counts(NLP(text)):
        assert text[c.start:c.end] == c.text and c.number >= 0


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_head_parser_and_dates_never_crash(text):
    head = parse_head(text)
    assert isinstance(head.body, str)
    parse_date(text)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoder_returns_text_or_a_clear_error(data):
    try:
        text, encoding = decode_bytes(data)
    except InputError as exc:
        assert exc.reason
    else:
        assert isinstance(text, str) and "\x00" not in text


@functools.lru_cache(maxsize=1)
def _cleaner():
    from tacitus.ingest.clean import Cleaner

    return Cleaner.default()


scrape = st.lists(
    st.one_of(
        st.sampled_from(["", "Share this:", "Leave a Reply", "http://203.0.113.9/ http://x.example/",
                         "  • Related story", "Officials said the talks would resume on Monday.", "(Photo: AFP)",
                         "By Jane Roe | Via Wire", "Posted on 07/10/21", "© 2023 All rights reserved"]),
        st.text(max_size=80),
    ),
    max_size=30,
).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scrape)
def test_cleaner_any_text_no_crash_and_keeps_only_its_own_lines(text):
    cleaner = _cleaner()
    keep = cleaner.keep(text)
    lines = text.split("\n")
    assert len(keep) == len(lines)
    assert not any(k and not line.strip() for k, line in zip(keep, lines))
    head = parse_head(text, cleaner=cleaner)
    source = {line.strip() for line in lines}
    for line in head.body.split("\n"):
        # every body line is an input line, or the first one with its dateline cut off
        assert not line or line in source or any(s.endswith(line) for s in source)
    assert set(head.removed) <= source
