"""Metadata from the head of a plain-text article: title, date line, byline, dateline.

Works on the first lines only: a short first line without a final full stop is the title; a line
that is (or starts with "Published/Posted/Updated" and is followed by) a date is the date line; a
line starting with "By" is the byline, optionally with an outlet after "|", "/" or "Via".
These lines become metadata and leave the body text. A dateline opening the first paragraph
("KABUL:", "MOSCOW, Feb. 15 —") is kept as metadata and removed from the body too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tacitus.ingest.dates import ParsedDate, parse_date

if TYPE_CHECKING:
    from tacitus.ingest.clean import Cleaner

HEAD_LINES = 8
_DATE_PREFIX = re.compile(
    r"^\s*(?:(?:last\s+)?(?:published|posted|updated|date|modified)(?:\s+on)?\s*[:\-–]?\s*)(.+)$", re.I
)
_BYLINE = re.compile(r"^\s*by\s+(?P<author>[^|/]+?)\s*(?:(?:\||/|\bvia\b|,)\s*(?:via\s+)?(?P<outlet>.+?))?\s*$", re.I)
_DATELINE = re.compile(  # "MOSCOW, Feb. 15 —", and in Russian "МОСКВА, 9 июля —"
    r"^(?P<place>[A-ZА-ЯЁ][A-ZА-ЯЁ .'\-]{1,40}?)"
    r"(?:\s*,\s*(?P<date>[A-Z][a-z]{2,4}\.?\s+\d{1,2}|\d{1,2}\s+[а-яё]{3,8}|\d{1,2}\s+[A-Z]{3}(?:\s+\d{2,4})?))?"
    r"(?:\s*\((?P<agency>[^)]{1,40})\))?"
    r"\s*(?::|—|–|--|-|(?<=\))_)\s+"  # "SAN SALVADOR, 15 JAN 90 (ACAN-EFE) --", "MOSCOW (AP)_"
)
#: A byline without "By", right after the date line: "Oleg Zaitsev, Moscow bureau | Oxus Review",
#: "Анна Морозова | Волжский вестник" (two or three capitalised words, an optional desk, the outlet).
_NAMED_BYLINE = re.compile(r"^(?P<author>[A-ZА-ЯЁ][\w.'\-]+(?:\s+[A-ZА-ЯЁ][\w.'\-]+){1,2})(?:,\s*[^|,]{1,40})?"
                           r"\s*\|\s*(?P<outlet>[^|]{2,60}?)\s*$")
_TIME_TAIL = re.compile(r"[\s,|]+\d{1,2}:\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*(?:[A-Z]{2,4})?\s*$", re.I)
_BREADCRUMB = re.compile(r"^[^/›»>|]{1,60}(?:\s+[/›»>|]\s+[^/›»>|]{1,120}){2,}$")
_NO_TITLE_END = frozenset("a an the of in on at to for from by with and or but as that which who than".split())
_WEEKDAY = re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.I)


@dataclass
class TextHead:
    title: str | None = None
    date: ParsedDate | None = None
    date_line: str | None = None
    author: str | None = None
    outlet: str | None = None
    dateline: str | None = None
    body: str = ""
    removed: list[str] = field(default_factory=list)  # lines the cleaner dropped as web junk
    warnings: list[str] = field(default_factory=list)  # what the reader should know about this page's cleaning
    structured: bool | None = None  # the cleaner's page judgement: web-scrape structure (None: not judged)


def _as_date(line: str, order: str) -> ParsedDate | None:
    candidate = line.strip()
    if len(candidate) > 60:
        return None
    m = _DATE_PREFIX.match(candidate)
    if m:
        candidate = m.group(1)
    candidate = _WEEKDAY.sub("", candidate)
    candidate = re.sub(r"\s*[|].*$", "", candidate)  # "09.11.2018 | 19:45"
    candidate = _TIME_TAIL.sub("", candidate)
    return parse_date(candidate, order=order)


def _looks_like_title(line: str) -> bool:
    s = line.strip()
    return 0 < len(s) <= 200 and not s.endswith((".", ",", ";")) and len(s.split()) <= 30


_OUTLET_WORD = re.compile(r"^(?:[A-Z][\w&'’.-]*|of|the|and|de|al)$")


def _looks_like_outlet(line: str) -> bool:
    """A name alone on a line under the title ("AT News", "Gulf Ledger"): 1-4 capitalised words."""
    words = line.split()
    return (0 < len(words) <= 4 and all(_OUTLET_WORD.match(w) for w in words) and words[0][:1].isupper()
            and not any(c.isdigit() for c in line) and not line.rstrip().endswith((".", "!", "?", ":")))


def parse_head(text: str, date_order: str = "MDY", cleaner: "Cleaner | None" = None) -> TextHead:
    """Split a plain-text page into metadata and body; with a ``cleaner``, junk lines leave the body."""
    lines = text.split("\n")
    head = TextHead()
    consumed: set[int] = set()
    seen_nonempty = 0
    after_title = after_date = False
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen_nonempty += 1
        if seen_nonempty > HEAD_LINES:
            break
        stripped = line.strip()
        was_after_title, after_title = after_title, False
        if was_after_title and head.outlet is None and head.author is None and _looks_like_outlet(stripped) \
                and stripped.casefold() != (head.title or "").casefold():
            head.outlet = stripped
            consumed.add(i)
            continue
        if head.title is None and seen_nonempty <= 2 and _BREADCRUMB.match(stripped):
            consumed.add(i)  # "Home / World / Asia / <headline>": navigation, not text
            head.removed.append(stripped)
            seen_nonempty -= 1
            continue
        if head.date is None and (parsed := _as_date(stripped, date_order)):
            head.date, head.date_line = parsed, stripped
            consumed.add(i)
            after_date = True
            continue
        was_after_date, after_date = after_date, False
        if head.author is None and (m := _BYLINE.match(stripped)) and len(stripped) < 100:
            head.author = m.group("author").strip()
            if m.group("outlet"):
                head.outlet = m.group("outlet").strip()
            consumed.add(i)
            continue
        if was_after_date and head.author is None and (m := _NAMED_BYLINE.match(stripped)):
            head.author, head.outlet = m.group("author").strip(), m.group("outlet").strip()
            consumed.add(i)
            continue
        # a paragraph's first line, hard-wrapped: the next line goes on in lower case, or this one stops on
        # a word no headline ends with ("... ATTACKED A BANK IN")
        wrapped = i + 1 < len(lines) and bool(lines[i + 1].strip()) and (
            lines[i + 1].lstrip()[:1].islower() or stripped.rsplit(None, 1)[-1].casefold() in _NO_TITLE_END)
        if head.title is None and seen_nonempty == 1 and _looks_like_title(stripped) and not wrapped:
            head.title = stripped
            consumed.add(i)
            after_title = True
            continue
        if head.title is not None and stripped.casefold() == head.title.casefold():
            consumed.add(i)  # the title repeated, as scrapers often save it
            after_title = was_after_title or seen_nonempty == 2
            continue
    keep = None
    if cleaner is not None:
        decision = cleaner.decide(text, head.title)
        keep = decision.keep
        head.structured = decision.judgement.structured
        if decision.warning:
            head.warnings.append(decision.warning)
    body_lines = []
    for i, line in enumerate(lines):
        if i in consumed:
            continue
        if keep is not None and line.strip() and not keep[i]:
            head.removed.append(line.strip())
            continue
        body_lines.append(line)
    body = "\n".join(body_lines).strip("\n")
    m = _DATELINE.match(body)
    if m and m.group("place").strip().upper() == m.group("place").strip() and len(m.group("place").strip()) >= 3:
        head.dateline = m.group(0).strip().rstrip(":—–-_").strip()
        body = body[m.end():]
    head.body = tidy_paragraphs(body)
    if not head.body and head.title and not head.structured:
        # a one-line text (a statement, a wire flash, a coded sentence) is its own body, not only a title
        head.body = head.title
    return head


def find_dateline(text: str, lines: int = 3) -> str | None:
    """The dateline opening one of the first ``lines`` non-empty lines of ``text`` (as
    :func:`parse_head` reads it), for a text whose head is kept as it is (an evaluation's offsets)."""
    seen = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if not stripped:
            continue
        m = _DATELINE.match(stripped)
        if m and m.group("place").strip().upper() == m.group("place").strip() and len(m.group("place").strip()) >= 3:
            return m.group(0).strip().rstrip(":—–-_").strip()
        seen += 1
        if seen >= lines:
            break
    return None


def tidy_paragraphs(text: str) -> str:
    """Strip line ends, collapse runs of blank lines to one, trim."""
    lines = [line.rstrip() for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line.strip():
            if out and not blank:
                out.append("")
            blank = True
            continue
        blank = False
        out.append(line.strip())
    return "\n".join(out).strip()
