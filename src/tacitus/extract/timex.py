"""Temporal expressions (TIMEX3-like), found by pattern and anchored to the publication date.

Each :class:`Timex` has the text and offsets, a ``value`` (ISO 8601, as precise as the text allows:
``1989-02-14``, ``1979-12``, ``1996``, ``198`` for "the 1980s", ``12`` for "the 13th century"), a
``precision`` (day, week, month, year, decade, century), a ``type`` (DATE or DURATION) and flags for
expressions resolved against the publication date (``anchored``) or too vague to date (``vague``).

Finding and anchoring are ours; dateparser is not needed for these forms. Years are only taken where the
context says they are years ("in 1979", "1996,", "since 2001"), so "2,000 troops" or "5000 soldiers" are not
dates, and "9/11" is 2001-09-11, never a date in the publication year.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from tacitus.extract.spans import regex_folded

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "a": 1, "an": 1, "several": 3, "few": 3})

_MON = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_MOD = r"(?:(?P<mod>early|late|mid|the end of|the beginning of|the start of|the middle of)[- ]?)?"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("named", re.compile(r"\b9/11\b")),
    ("iso", re.compile(r"\b(?P<y>1[89]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(r"\b" + _MON + r"\s+" + _DAY + r",?\s+" + _YEAR + r"\b")),
    ("dmy", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r",?\s+" + _YEAR + r"\b")),
    ("my", re.compile(r"\b" + _MOD + _MON + r",?\s+(?:of\s+)?" + _YEAR + r"\b")),
    ("md", re.compile(r"\b" + _MON + r"\s+" + _DAY + r"\b(?!,?\s+\d)")),
    ("dm", re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MON + r"\b(?!,?\s+\d)")),
    ("century", re.compile(r"\b(?:the\s+)?(?P<c>\d{1,2})(?:st|nd|rd|th)\s+century\b", re.I)),
    ("decade", re.compile(r"\b(?:the\s+)?(?P<mod2>early|late|mid)?[- ]?(?P<d>1[89]\d0|20\d0)s\b", re.I)),
    ("year", re.compile(r"\b(?:(?P<prep>in|since|by|until|till|from|to|of|after|before|during|around|circa|c\.|early|late|mid|year|the year|summer|winter|spring|autumn|fall)[- ]+)" + _YEAR + r"\b(?![,.]?\d)(?!\s*(?:km|kilometres|kilometers|miles|troops|soldiers|people|men|fighters|dollars|tonnes|tons|metres|meters)\b)", re.I)),
    ("year_bare", re.compile(r"(?<![\d,.$])\b" + _YEAR + r"\b(?=\s*[,;:)]|\s*$|\s+(?:and|when|as|after|before|the|a|an|Soviet|US|Russia)\b|\.\s)")),
    ("ago", re.compile(r"\b(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")\s+(?P<unit>years?|months?|weeks?|days?|decades?)\s+ago\b", re.I)),
    ("relative", re.compile(r"\b(?P<rel>last|this|next|past|previous|coming)\s+(?P<unit>year|month|week|night|weekend|summer|winter|spring|autumn|fall)\b", re.I)),
    ("weekday", re.compile(r"\b(?:on\s+|last\s+|this\s+|next\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("deictic", re.compile(r"\b(?P<w>yesterday|today|tomorrow|tonight)\b", re.I)),
    ("duration", re.compile(r"\b(?:(?:the|a|an|over the|for|past|last)\s+)?(?P<n>\d+|" + "|".join(NUMBER_WORDS) + r")[- ](?P<unit>years?|months?|weeks?|days?|decades?|centuries|century)(?:[- ](?:long|old))?\b", re.I)),
    ("vague", re.compile(r"\b(?P<v>now|recently|currently|nowadays|these days|at present|soon)\b", re.I)),
]


#: Words (lower case) one of which every match of a pattern contains; a text without them skips it.
_NEEDS = {"named": ("9/11",), "century": ("century",), "decade": ("0s",), "ago": ("ago",)}


@dataclass(frozen=True)
class Timex:
    text: str
    start: int
    end: int
    value: str | None
    precision: str | None
    type: str = "DATE"  # DATE or DURATION
    anchored: bool = False  # resolved against the publication date
    vague: bool = False

    @property
    def year(self) -> int | None:
        if self.value and self.type == "DATE" and len(self.value) >= 4 and self.value[:4].isdigit():
            return int(self.value[:4])
        return None


def _num(s: str) -> int:
    return int(s) if s.isdigit() else NUMBER_WORDS.get(s.lower(), 1)


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return date(y, m, d).isoformat()
    except ValueError:
        return None
    if m is not None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}"


def _pub(pub: str | None) -> date | None:
    if not pub:
        return None
    try:
        parts = [int(x) for x in pub[:10].split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 7, parts[2] if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def find_timexes(text: str, pub_date: str | None = None, context_year: int | None = None) -> list[Timex]:
    """Temporal expressions in ``text``, longest first where they overlap, in text order.

    ``pub_date`` anchors relative expressions; ``context_year`` (a year set by the surrounding passage)
    completes day-and-month expressions without a year before the publication year does.
    """
    pub = _pub(pub_date)
    found: list[Timex] = []
    taken: list[tuple[int, int]] = []
    low = regex_folded(text)
    for kind, rx in PATTERNS:
        needs = _NEEDS.get(kind)
        if needs is not None and not any(w in low for w in needs):
            continue  # the pattern cannot match without one of these (a scan of the text saved)
        for m in rx.finditer(text):
            s, e = m.span()
            if kind == "year":  # the year alone, without its preposition
                s = m.start("year")
            if any(a < e and s < b for a, b in taken):
                continue
            t = _make(kind, m, text[s:e], s, e, pub, context_year)
            if t is not None:
                found.append(t)
                taken.append((s, e))
    found.sort(key=lambda t: t.start)
    return found


def _make(kind: str, m: re.Match, text: str, s: int, e: int, pub: date | None, ctx: int | None) -> Timex | None:
    g = m.groupdict()
    year_for_partial = ctx or (pub.year if pub else None)
    if kind == "named":
        return Timex(text, s, e, "2001-09-11", "day")
    if kind == "iso":
        return Timex(text, s, e, _iso(int(g["y"]), int(g["m"]), int(g["d"])), "day")
    if kind in ("mdy", "dmy"):
        v = _iso(int(g["year"]), MONTHS[g["mon"].lower().rstrip(".")[:4] if g["mon"].lower().startswith("sept") else g["mon"].lower().rstrip(".")[:3]], int(g["day"]))
        return Timex(text, s, e, v, "day") if v else None
    if kind == "my":
        mon = MONTHS[g["mon"].lower().rstrip(".")[:3]]
        return Timex(text, s, e, _iso(int(g["year"]), mon), "month")
    if kind in ("md", "dm"):
        if year_for_partial is None:
            return Timex(text, s, e, None, "day", vague=True)
        mon = MONTHS[g["mon"].lower().rstrip(".")[:3]]
        if g["mon"].lower().rstrip(".") == "may" and kind == "md" and not g["day"]:
            return None
        v = _iso(year_for_partial, mon, int(g["day"]))
        if v and pub and ctx is None and v > pub.isoformat():
            v = _iso(year_for_partial - 1, mon, int(g["day"]))  # "July 1" in a report of July 10 is this year's
        return Timex(text, s, e, v, "day") if v else None  # the year is inferred, the day is explicit
    if kind == "century":
        c = int(g["c"])
        return Timex(text, s, e, f"{c - 1:02d}", "century") if 1 <= c <= 21 else None
    if kind == "decade":
        return Timex(text, s, e, g["d"][:3], "decade")
    if kind in ("year", "year_bare"):
        y = int(g["year"])
        if pub and y > pub.year + 10:
            return None
        return Timex(text, s, e, f"{y:04d}", "year")
    if kind == "ago":
        if pub is None:
            return Timex(text, s, e, None, None, anchored=True, vague=True)
        n, unit = _num(g["n"]), g["unit"].lower().rstrip("s")
        if unit == "year":
            return Timex(text, s, e, f"{pub.year - n:04d}", "year", anchored=True)
        if unit == "decade":
            return Timex(text, s, e, f"{pub.year - 10 * n:04d}"[:3], "decade", anchored=True)
        days = {"month": 30, "week": 7, "day": 1}[unit] * n
        d = pub - timedelta(days=days)
        return Timex(text, s, e, d.isoformat()[:7] if unit == "month" else d.isoformat(),
                     "month" if unit == "month" else "day", anchored=True)
    if kind == "relative":
        if pub is None:
            return Timex(text, s, e, None, None, anchored=True, vague=True)
        rel, unit = g["rel"].lower(), g["unit"].lower()
        step = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[rel]
        if unit == "year":
            return Timex(text, s, e, f"{pub.year + step:04d}", "year", anchored=True)
        if unit == "month":
            y, mo = pub.year, pub.month + step
            if mo < 1:
                y, mo = y - 1, 12
            if mo > 12:
                y, mo = y + 1, 1
            return Timex(text, s, e, f"{y:04d}-{mo:02d}", "month", anchored=True)
        if unit in ("week", "weekend"):
            return Timex(text, s, e, (pub + timedelta(days=7 * step)).isoformat(), "week", anchored=True)
        if unit == "night":
            return Timex(text, s, e, (pub - timedelta(days=1 if step <= 0 else 0)).isoformat(), "day", anchored=True)
        return Timex(text, s, e, f"{pub.year + (step if step < 0 else 0):04d}", "year", anchored=True)  # seasons
    if kind == "weekday":
        if pub is None:
            return Timex(text, s, e, None, "day", anchored=True, vague=True)
        wd = WEEKDAYS[g["wd"].lower()]
        back = (pub.weekday() - wd) % 7
        if text.lower().startswith("next"):
            d = pub + timedelta(days=(wd - pub.weekday()) % 7 or 7)
        else:
            d = pub - timedelta(days=back)
        return Timex(text, s, e, d.isoformat(), "day", anchored=True)
    if kind == "deictic":
        if pub is None:
            return Timex(text, s, e, None, "day", anchored=True, vague=True)
        shift = {"yesterday": -1, "today": 0, "tonight": 0, "tomorrow": 1}[g["w"].lower()]
        return Timex(text, s, e, (pub + timedelta(days=shift)).isoformat(), "day", anchored=True)
    if kind == "duration":
        n, unit = _num(g["n"]), g["unit"].lower()
        letter = {"y": "Y", "m": "M", "w": "W", "d": "D"}[unit[0]] if not unit.startswith(("dec", "cent")) else "Y"
        amount = n * (10 if unit.startswith("dec") else 100 if unit.startswith("cent") else 1)
        return Timex(text, s, e, f"P{amount}{letter}", None, type="DURATION")
    if kind == "vague":
        return Timex(text, s, e, pub.isoformat() if pub else None, None, anchored=True, vague=True)
    return None


def iter_dates(timexes: list[Timex]) -> Iterator[Timex]:
    """The datable expressions: DATE type with a value and not vague."""
    for t in timexes:
        if t.type == "DATE" and t.value and not t.vague:
            yield t
