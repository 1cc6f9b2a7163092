"""Hostile inputs, generated (never committed): what a broken, huge or malicious scrape holds.

``build(folder)`` writes every input into ``folder`` and returns the list of :class:`Case`: the
file name (relative to the folder), what it is, and the outcome it must end with: ``article`` (an
article row), ``failure`` (a ``failures`` row whose reason contains ``reason``), ``skip`` (an
``inputs`` row with status ``skipped``) or ``any`` (a clean result of either kind; the reason, if a
failure, must still be one of ours). The big inputs are written once per test session.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

# Our own articles (written for these tests), long enough to be processed.
ARTICLE = """Border crossing reopens after three weeks
By Lena Marsh | Via Northern Desk

TORKHAM: The main border crossing between the two countries reopened on Monday after three weeks of closure, officials said, letting hundreds of lorries loaded with fruit and cement move again.

"We lost almost a month of trade," said Karim Naseri, the head of a traders' association in Jalalabad. He said drivers had slept in their cabs while they waited for the gates to open.

The closure followed a dispute over a new fence near the crossing. Local officials said a committee of elders from both sides would meet next week to settle the matter.
"""

RTL_ARTICLE = """Water talks end without agreement
By Sara Idris

Negotiators from three upstream and downstream states ended two days of talks on the river on Thursday without an agreement, a spokesman said.
\u202eThe override should never reach the store\u202c, and neither should\u200b zero\u200d width\u2060 marks.
The spokesman, Yusuf Adeel, said in Arabic: \u0627\u0644\u0645\u0641\u0627\u0648\u0636\u0627\u062a \u0633\u062a\u0633\u062a\u0623\u0646\u0641 \u0627\u0644\u0634\u0647\u0631 \u0627\u0644\u0645\u0642\u0628\u0644\u200f, meaning the talks would resume next month.
Farmers along the lower river have complained for years that dams upstream leave their fields dry in the summer, and officials said a joint commission would study the flow records.
"""

PROSE = ("Officials in the northern province said the new road would link eleven villages to the market town, "
         "and that work on the bridge would start before the rains. ")


@dataclass(frozen=True)
class Case:
    name: str
    what: str
    expect: str  # article | failure | skip | any
    reason: str = ""


def _gzip_stream(path: Path, chunk: bytes, total: int) -> None:
    """A gzip file of ``total`` bytes of ``chunk`` repeated, written in pieces (small on disk)."""
    with gzip.open(path, "wb", compresslevel=9) as gz:
        written = 0
        while written < total:
            gz.write(chunk)
            written += len(chunk)


def _warc(records: list[tuple[str, str, bytes]]) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


def _html(body: str, title: str = "A page") -> str:
    return f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>"


def build(folder: Path, big: Path | None = None) -> list[Case]:
    """Write the hostile inputs into ``folder``. ``big`` is a folder holding the inputs that are slow
    to write (50 MB text, the zip bomb); they are created there once and linked into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261201)
    cases: list[Case] = []

    def put(name: str, data: bytes | str, what: str, expect: str, reason: str = "") -> None:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append(Case(name, what, expect, reason))

    # the normal articles (first in walk order): they must come out as if they were alone
    put("0-normal/border.txt", ARTICLE, "a normal article", "article")
    put("0-normal/river.txt", RTL_ARTICLE, "right-to-left text, bidi overrides and zero-width characters", "article")

    # binary
    put("binary/random.txt", rng.randbytes(64_000), "64 kB of random bytes", "failure", "binary")
    put("binary/elf.html", b"\x7fELF\x02\x01\x01" + rng.randbytes(5000), "an executable named .html", "failure", "executable")
    put("binary/png.jsonl", b"\x89PNG\r\n\x1a\n" + rng.randbytes(3000), "an image named .jsonl", "failure", "PNG")
    put("binary/nul.txt", (PROSE * 5).encode() + b"\x00\x00\x00" + (PROSE * 5).encode(), "text with NUL bytes",
        "failure", "NUL")
    put("binary/late-nul.txt", (PROSE * 60).encode() + b"\x00" + (PROSE * 5).encode(),
        "text with one NUL byte after the first 8 KB", "failure", "NUL")
    put("binary/double.txt.gz", gzip.compress(gzip.compress(ARTICLE.encode())), "gzip inside gzip",
        "failure", "gzip data")
    put("binary/corrupt.txt.gz", gzip.compress(ARTICLE.encode())[:40] + b"\x00garbage" * 20,
        "a corrupt gzip stream", "failure", "gzip")

    # encodings
    bad_utf8 = ARTICLE.encode("utf-8").replace(b" officials ", b" \xff\xfe officials ").replace(b"trade", b"tr\xc3(de")
    put("encoding/invalid-utf8.txt", bad_utf8, "invalid UTF-8 sequences inside English text", "any")
    put("encoding/utf16le-nobom.txt", ARTICLE.encode("utf-16-le"), "UTF-16 LE without BOM", "article")
    put("encoding/utf16be-nobom.txt", ARTICLE.replace("Torkham", "Chaman").replace("TORKHAM", "CHAMAN")
        .replace("fruit", "rice").encode("utf-16-be"), "UTF-16 BE without BOM", "article")
    put("encoding/utf16-odd-length.txt", ARTICLE.encode("utf-16-le") + b"\x41", "UTF-16 with a dangling byte", "any")
    put("encoding/only-controls.txt", bytes(range(1, 9)) * 300, "control characters only", "failure")
    put("encoding/only-zero-width.txt", "\u200b\u200d\u2060\ufeff\u202e" * 2000, "zero-width and bidi characters only",
        "failure", "no article text")

    # sizes
    put("size/one-long-line.txt", (PROSE * 40_000).encode(), "a single 5 MB line", "failure", "too long")
    put("size/many-lines.txt", ("Short line of text here.\n" * 150_000).encode(), "3.7 MB of short repeated lines",
        "failure", "too long")
    put("size/empty.html", b"", "an empty HTML file", "failure", "empty")
    put("size/whitespace.txt", b" \n\t\n" * 1000, "whitespace only", "failure", "empty")
    put("size/tiny.txt", b"Hi.", "one word", "any")

    # HTML
    depth = 100_000
    put("html/nested-divs.html", _html("<div>" * depth + f"<p>{PROSE * 3}</p>" + "</div>" * depth),
        "100,000 nested divs around a paragraph", "any")
    put("html/nested-unclosed.html", _html("<span><b><i>" * 40_000 + PROSE), "120,000 unclosed nested tags", "any")
    put("html/nested-tables.html", _html("<table><tr><td>" * 20_000 + PROSE + "</td></tr></table>" * 20_000),
        "20,000 nested tables", "any")
    put("html/entity-flood.html", _html("<p>" + "&amp;&#x1F600;&#0;&#xD800;&bogus;" * 40_000 + "</p>"),
        "entity flood with invalid code points", "any")
    put("html/script-only.html", _html("<script>" + "var a = 1;" * 50_000 + "</script>"), "only a script",
        "failure", "no main text")
    put("html/broken-markup.html", "<html><body><p>" + PROSE * 4 + "<p><<<>>>&&&</" + "<a href='" * 500,
        "unclosed attributes and stray brackets", "any")

    # JSONL with wrong types
    lines = [
        json.dumps({"id": 1, "title": "Good record", "text": ARTICLE.replace("Torkham", "Wagah").replace("TORKHAM", "WAGAH")
                    .replace("fruit and cement", "onions and salt")}),
        json.dumps({"id": 2, "text": 12345}),
        json.dumps({"id": 3, "text": ["a", "list"]}),
        json.dumps({"id": 4, "text": {"nested": "object"}}),
        json.dumps({"id": 5, "text": None}),
        json.dumps({"id": 6, "title": ["not", "a", "string"], "text": PROSE}),
        json.dumps({"id": True, "text": PROSE}),
        json.dumps(["a", "top-level", "array"]),
        json.dumps("a top-level string"),
        "[" * 100_000 + "]" * 100_000,
        '{"id": 11, "text": "' + "\\ud800" * 50 + PROSE + '"}',
        '{"id": 12, "text": "unterminated',
        '{"id": 13, "published": 1e999, "text": "x"}',
        '{"id": 14, "text": "' + "\\u0000" * 100 + PROSE * 3 + '"}',
        "\x00\x01\x02 not json",
        '{"id": 16, "title": "\\ud800 lone surrogate and \\u0000 NUL in a title", "text": "' + PROSE * 3 + '"}',
    ]
    put("jsonl/wrong-types.jsonl", "\n".join(lines) + "\n", "JSONL: numbers, lists, objects, null, deep nesting, "
        "lone surrogates, NUL escapes, cut lines", "any")

    # WARC with truncated records
    ok_page = _html(f"<article><h1>Dam inspection</h1><p>{PROSE * 3}</p><p>Engineers said the dam was safe.</p></article>",
                    "Dam inspection")
    other = _html(f"<article><h1>School rebuilt</h1><p>{PROSE.replace('road', 'school') * 3}</p></article>", "School rebuilt")
    data = _warc([("https://example.org/dam", "text/html", ok_page.encode()),
                  ("https://example.org/school", "text/html", other.encode())])
    put("warc/truncated.warc", data[: len(data) - 150], "a WARC whose last record is cut", "any")
    put("warc/headers-only.warc", b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 999999\r\n\r\n<html>",
        "a WARC record claiming a million bytes", "failure", "WARC")
    put("warc/not-a-warc.warc", PROSE.encode(), "text named .warc", "failure", "not a WARC")

    # file names: bytes that are not UTF-8 (kept by Python as surrogate escapes), a newline
    names = folder / "names"
    names.mkdir(exist_ok=True)
    with open(os.path.join(os.fsencode(names), b"caf\xe9-latin1.txt"), "wb") as fh:
        fh.write(ARTICLE.replace("Torkham", "Ghulam Khan").replace("TORKHAM", "GHULAM KHAN").encode())
    cases.append(Case("names/caf\\xe9-latin1.txt", "a file name with a byte that is not UTF-8", "article"))
    put("names/line\nbreak.txt", ARTICLE.replace("Torkham", "Angoor Adda").replace("TORKHAM", "ANGOOR ADDA"),
        "a newline in a file name", "article")

    # folders: symlink loops and dangling links
    loops = folder / "links"
    loops.mkdir(exist_ok=True)
    (loops / "inner").mkdir(exist_ok=True)
    (loops / "inner" / "up").symlink_to(loops, target_is_directory=True)
    (loops / "self-a.txt").symlink_to(loops / "self-b.txt")
    (loops / "self-b.txt").symlink_to(loops / "self-a.txt")
    (loops / "dangling.txt").symlink_to(folder / "does-not-exist.txt")
    cases.append(Case("links/self-a.txt", "a symlink loop between two file links", "failure", "link"))
    cases.append(Case("links/self-b.txt", "a symlink loop between two file links", "failure", "link"))
    cases.append(Case("links/dangling.txt", "a dangling symlink", "failure", "broken symbolic link"))

    # special files: a FIFO nobody writes to must not block the run
    if hasattr(os, "mkfifo"):
        (folder / "special").mkdir(exist_ok=True)
        os.mkfifo(folder / "special" / "pipe.txt")
        cases.append(Case("special/pipe.txt", "a FIFO with no writer", "failure", "named pipe"))

    # big inputs, written once per session
    if big is not None:
        big.mkdir(parents=True, exist_ok=True)
        huge = big / "huge-50MB.txt"
        if not huge.exists():
            line = (PROSE + "\n").encode()
            with open(huge, "wb") as fh:
                block = line * (1_000_000 // len(line))
                for _ in range(50):
                    fh.write(block)
        bomb = big / "bomb.txt.gz"
        if not bomb.exists():
            _gzip_stream(bomb, b"A" * 1_000_000, 200_000_000)  # 200 MB in about 200 kB
        for name, target in (("size/huge-50MB.txt", huge), ("size/bomb.txt.gz", bomb)):
            (folder / name).symlink_to(target)
        cases.append(Case("size/huge-50MB.txt", "50 MB of text", "failure", "too large"))
        cases.append(Case("size/bomb.txt.gz", "a gzip bomb (200 MB of 'A' in 200 kB)", "failure", "zip bomb"))
    return cases


def record(section: str, **figures) -> None:
    """Append ``{section: figures}`` as a JSON line to the file named by $TACITUS_RELIABILITY_SUMMARY,
    when it is set: the figures RELIABILITY.md quotes come from such a run."""
    path = os.environ.get("TACITUS_RELIABILITY_SUMMARY")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({section: figures}, sort_keys=True) + "\n")
