"""WARC archives and near-duplicate articles."""

import gzip
import io

import pytest

import tacitus
from tacitus.corpus.dedup import NearDuplicateIndex, shingles
from tacitus.ingest import InputFailure, RawArticle, Reader, discover
from tacitus.ingest.records import InputSkip
from tacitus.settings import resolve

from conftest import model_available

STORY = ("<html><head><title>Ceasefire talks resume in Doha</title>"
         "<meta name='author' content='Rana Haddad'><meta property='article:published_time' content='2022-03-04'>"
         "</head><body><nav>Home | World | Sport</nav><article><h1>Ceasefire talks resume in Doha</h1>"
         "<p>Delegations from both sides met in Doha on Tuesday to resume talks on a ceasefire, officials said, "
         "after a pause of almost two months caused by a dispute over prisoner releases.</p>"
         "<p>\u201cWe came here to reach an agreement,\u201d said Omar Saleh, a member of one delegation, "
         "adding that both sides had exchanged written proposals.</p></article>"
         "<footer>\u00a9 2022 Gulf Ledger. All rights reserved.</footer></body></html>")


def warc_bytes(records, gz: bool) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("test.warc", {"software": "tacitus tests"}))
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return buf.getvalue()


RECORDS = [
    ("https://gulf.example/doha", "text/html; charset=utf-8", STORY.encode("utf-8")),
    ("https://gulf.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\nxxxx"),
    ("https://gulf.example/oslo", "text/html", STORY.replace("Doha", "Oslo").encode("utf-8")),
]


def read_all(path, reader=None):
    reader = reader or Reader(resolve())
    out = []
    for unit in discover([path]):
        out.extend([unit] if isinstance(unit, InputFailure) else reader.read(unit))
    return out


@pytest.mark.parametrize("gz", [False, True])
def test_warc_html_records_become_articles_and_other_records_are_skipped(tmp_path, gz):
    p = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    p.write_bytes(warc_bytes(RECORDS, gz))
    out = read_all(p)
    arts = [x for x in out if isinstance(x, RawArticle)]
    skips = [x for x in out if isinstance(x, InputSkip)]
    assert [a.url for a in arts] == ["https://gulf.example/doha", "https://gulf.example/oslo"]
    assert len(skips) == 1 and "image/png" in skips[0].reason
    a = arts[0]
    assert a.title == "Ceasefire talks resume in Doha" and a.published == "2022-03-04" and a.published_source == "html"
    assert a.fmt == "warc-html" and a.key.startswith(str(p) + "#") and a.record.startswith("<urn:uuid:")
    assert "Delegations from both sides" in a.text and "All rights reserved" not in a.text
    assert len({x.key for x in out}) == len(out)  # every record has its own key


@pytest.mark.parametrize("gz", [False, True])
def test_truncated_warc_keeps_earlier_records_and_records_a_failure(tmp_path, gz):
    data = warc_bytes(RECORDS, gz)
    p = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    p.write_bytes(data[: len(data) - 200])
    out = read_all(p)
    arts = [x for x in out if isinstance(x, RawArticle)]
    fails = [x for x in out if isinstance(x, InputFailure)]
    assert len(arts) >= 1 and arts[0].url == "https://gulf.example/doha"
    assert len(fails) == 1 and ("truncated" in fails[0].reason or "corrupt" in fails[0].reason)


def test_garbage_with_warc_suffix_is_a_failure(tmp_path):
    p = tmp_path / "junk.warc.gz"
    p.write_bytes(gzip.compress(b"this is not a web archive at all\n" * 10))
    [f] = read_all(p)
    assert isinstance(f, InputFailure) and "WARC" in f.reason


def test_warc_without_publication_date_uses_crawl_date_marked_as_such(tmp_path):
    page = STORY.replace("<meta property='article:published_time' content='2022-03-04'>", "").encode()
    p = tmp_path / "nodate.warc"
    p.write_bytes(warc_bytes([("https://gulf.example/x", "text/html", page)], False))
    [a] = [x for x in read_all(p) if isinstance(x, RawArticle)]
    assert a.published_source in ("crawl", "html")
    assert a.published is not None


def test_shingles_and_index():
    text = "one two three four five six seven eight nine ten " * 3
    assert len(shingles(text)) == 10 and shingles("") == set() and shingles("a b") == {b"a b"}
    ix = NearDuplicateIndex(0.8)
    base = " ".join(f"word{i}" for i in range(300))
    ix.add("A", ix.signature(base), "a.txt")
    near = base.replace("word150", "changed")
    m = ix.find(ix.signature(near))
    assert m is not None and m.article_id == "A" and m.similarity >= 0.8
    assert ix.find(ix.signature(near), exclude_owner="a.txt") is None
    assert ix.find(ix.signature(" ".join(f"other{i}" for i in range(300)))) is None
    ix.discard("A")
    assert len(ix) == 0 and ix.find(ix.signature(base)) is None
    with pytest.raises(ValueError):
        NearDuplicateIndex(0.0)


ORIGINAL = """Border crossing reopens

Trucks carrying food and medicine crossed the border on Thursday for the first time in three weeks after
the two governments agreed to reopen the crossing, customs officials said. Drivers had waited in queues
stretching several kilometres, and some said they had run out of water. The agreement followed talks between
the interior ministers of both countries, who met in the border town on Monday. A spokesman for the interior
ministry said the crossing would stay open around the clock and that inspections would be shortened. Aid
agencies welcomed the decision but warned that stocks in the region remained low after the long closure.
"""


@pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
def test_near_and_exact_copies_point_to_their_original(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a-original.txt").write_text(ORIGINAL)
    (folder / "b-exact.txt").write_text(ORIGINAL)
    (folder / "c-near.txt").write_text(ORIGINAL.replace("Thursday", "Friday").replace("three weeks", "21 days"))
    (folder / "d-other.txt").write_text(ORIGINAL.replace("Trucks", "Buses").split("\n", 1)[0] + "\n\n" +
                                        "Parliament passed the budget on Wednesday after a long debate. " * 6)
    db = tmp_path / "d.duckdb"
    s = tacitus.process([folder], db, progress=False)
    assert s.counts["articles"] == 2 and s.counts["duplicates"] == 2
    with tacitus.open(db) as d:
        arts = d.sql("SELECT source_path, id, status, duplicate_of, similarity FROM articles ORDER BY source_path")
        by = {p.rsplit("/", 1)[-1]: row for p, *row in arts.itertuples(index=False)}
        orig = by["a-original.txt"][0]
        assert by["b-exact.txt"][1:] == ["duplicate", orig, 1.0]
        assert by["c-near.txt"][1] == "duplicate" and by["c-near.txt"][2] == orig and 0.8 <= by["c-near.txt"][3] < 1.0
        assert by["d-other.txt"][1] == "ok" and by["d-other.txt"][2] is None
        copies = [by["b-exact.txt"][0], by["c-near.txt"][0]]
        assert d.sql("SELECT count(*) AS n FROM mentions WHERE article_id IN (SELECT unnest(?))", [copies])["n"][0] == 0
    # a second run finds copies of articles stored by the first
    (folder / "e-later.txt").write_text(ORIGINAL.replace("Monday", "Sunday"))
    s2 = tacitus.process([folder], db, progress=False)
    assert s2.counts["duplicates"] == 1 and s2.counts["unchanged"] == 4
    # threshold 1.0: only exact copies are duplicates
    db2 = tmp_path / "exact.duckdb"
    s3 = tacitus.process([folder], db2, progress=False, near_duplicate_threshold=1.0)
    assert s3.counts["duplicates"] == 1 and s3.counts["articles"] == 4
