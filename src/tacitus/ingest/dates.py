"""Publication dates from strings: ISO output with precision and an ambiguity flag."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?\s*$")
_NUMERIC = re.compile(r"^\s*(\d{1,4})[/.\-](\d{1,2})[/.\-](\d{1,4})\b(?:[ T,]+[\d:]+(?:\s*[ap]\.?m\.?)?)?\s*$", re.I)
_YEAR = re.compile(r"^\s*(1[89]\d\d|20\d\d)\s*$")
_MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)
_MONTH_WORD = re.compile(r"\b(" + "|".join(_MONTHS) + r")[a-z]*\.?", re.I)
_DAY = re.compile(r"(?<![\d:])([0-3]?\d)(?:st|nd|rd|th)?(?![\d:])")


@dataclass(frozen=True)
class ParsedDate:
    value: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # day, month, year
    ambiguous: bool = False


def _year(y: int, today: date) -> int:
    if y >= 100:
        return y
    pivot = today.year % 100
    return 2000 + y if y <= pivot else 1900 + y


def _valid(y: int, m: int, d: int | None) -> bool:
    try:
        date(y, m, d or 1)
    except ValueError:
        return False
    return 1800 <= y <= 2100


def iso_date(value: str) -> ParsedDate | None:
    """A date a user writes: an ISO date or a prefix of one that exists (2021, 2021-07, 2021-07-10); None for
    anything else ("last year", "21", "2021-13", "2021-02-30")."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", (value or "").strip())
    if m is None or int(m.group(1)) < 1:
        return None
    try:
        date(int(m.group(1)), int(m.group(2) or 1), int(m.group(3) or 1))
    except ValueError:
        return None
    return ParsedDate(m.group(0), "day" if m.group(3) else "month" if m.group(2) else "year")


#: A date in a URL's path: /2021/07/10/, /2021-07-10-, /20210710/; a month: /2021/07/. On the trafilatura
#: benchmark's pages with a gold date (728), a day pattern is in 120 URLs and gives the gold day for 112, a
#: month pattern in 30 more and gives the gold month for 29.
_URL_DAY = re.compile(r"/((?:19|20)\d\d)[/_-]?(0[1-9]|1[0-2])[/_-]?(0[1-9]|[12]\d|3[01])(?:/|\D|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d\d)/(0[1-9]|1[0-2])/")


def date_from_url(url: str | None) -> ParsedDate | None:
    """The publication date a URL's path carries, or None. The host is left out (a number in a domain
    is no date); a date after today is no publication date."""
    if not url:
        return None
    m = re.match(r"^[a-z][a-z0-9+.-]*://[^/]*", url, re.I)
    path = url[m.end():] if m else url
    today = date.today()
    found = _URL_DAY.search(path)
    if found and _valid(int(found.group(1)), int(found.group(2)), int(found.group(3))):
        value = f"{found.group(1)}-{found.group(2)}-{found.group(3)}"
        return ParsedDate(value, "day") if value <= today.isoformat() else None
    found = _URL_MONTH.search(path)
    if found:
        value = f"{found.group(1)}-{found.group(2)}"
        return ParsedDate(value, "month") if value <= today.isoformat()[:7] else None
    return None


def parse_date(text: str, order: str = "MDY", today: date | None = None) -> ParsedDate | None:
    """Parse one date expression as found in a header, meta tag or JSON field.

    Numeric dates follow ``order`` (MDY, DMY, YMD); when the other order would also be valid and give
    another date, the result is flagged ``ambiguous``.
    """
    today = today or date.today()
    text = (text or "").strip()
    if not text or len(text) > 80:
        return None
    if m := _ISO.match(text):
        y, mo, d = int(m.group(1)), int(m.group(2)), m.group(3)
        if _valid(y, mo, int(d) if d else None):
            return ParsedDate(f"{y:04d}-{mo:02d}-{int(d):02d}" if d else f"{y:04d}-{mo:02d}", "day" if d else "month")
        return None
    if m := _NUMERIC.match(text):
        if "." in m.group(0) and order == "MDY":
            order = "DMY"  # dotted numeric dates (09.11.2018) are day-first where they are used
        return _numeric(m.group(1), m.group(2), m.group(3), order, today)
    if m := _YEAR.match(text):
        return ParsedDate(m.group(1), "year")
    if _MONTH_WORD.search(text) or re.search(r"\b(1[89]\d\d|20\d\d)\b", text) and re.search(r"[^\W\d_]{3,}", text):
        return _textual(text)
    return None


def _numeric(a: str, b: str, c: str, order: str, today: date) -> ParsedDate | None:
    if len(a) == 4:  # 2021/07/10 is always Y-M-D
        y, mo, d = int(a), int(b), int(c)
        return ParsedDate(f"{y:04d}-{mo:02d}-{d:02d}", "day") if _valid(y, mo, d) else None
    x, yv = int(a), _year(int(c), today)
    y_ = int(b)
    orders = {"MDY": (x, y_), "DMY": (y_, x)}
    if order == "YMD":
        order = "MDY"  # a year-last numeric date cannot be Y-M-D; fall back to the US order
    mo, d = orders[order]
    alt_mo, alt_d = orders["DMY" if order == "MDY" else "MDY"]
    ok = _valid(yv, mo, d)
    alt_ok = _valid(yv, alt_mo, alt_d)
    if not ok and alt_ok:
        return ParsedDate(f"{yv:04d}-{alt_mo:02d}-{alt_d:02d}", "day")
    if not ok:
        return None
    ambiguous = alt_ok and (alt_mo, alt_d) != (mo, d)
    return ParsedDate(f"{yv:04d}-{mo:02d}-{d:02d}", "day", ambiguous)


#: The languages, besides English, whose written dates headers are read in.
_OTHER_LANGUAGES = ("ru", "uk", "de", "fr", "es", "it", "pt", "pl", "nl", "tr", "ar", "fa")


def _textual(text: str) -> ParsedDate | None:
    import dateparser  # imported lazily: slow to import

    year = re.search(r"\b(1[89]\d\d|20\d\d)\b", text)
    if not year:
        return None
    english = bool(_MONTH_WORD.search(text))
    if not english and len(re.findall(r"[^\W\d_]+", text)) > 4:
        return None  # a headline with a year in it ("2016 Dems React To GOP Debate."), not a date line
    parsed = dateparser.parse(
        text,
        # other languages ("9 ноября 2018", "12 März 2019"): a short list; with none dateparser tries each
        # of its 200 locales, 1.3 s for a title such as "2016 Dems React To GOP Debate." that is no date
        languages=["en"] if english else list(_OTHER_LANGUAGES),
        settings={"PREFER_DAY_OF_MONTH": "first", "RETURN_AS_TIMEZONE_AWARE": False, "STRICT_PARSING": False},
    )
    if not isinstance(parsed, datetime) or parsed.year != int(year.group(1)):
        return None
    stripped = text.replace(year.group(0), " ")
    has_day = bool(_DAY.search(_MONTH_WORD.sub(" ", stripped)))
    if has_day:
        return ParsedDate(parsed.strftime("%Y-%m-%d"), "day")
    return ParsedDate(parsed.strftime("%Y-%m"), "month")
