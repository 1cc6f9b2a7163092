"""Small typed records produced by the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputFailure:
    """An input that could not become an article: stored as a ``failures`` row."""

    key: str
    source_path: str
    stage: str
    reason: str
    fingerprint: str = ""
    record: str | None = None  # the line number of a JSONL record


@dataclass(frozen=True)
class InputSkip:
    """An input deliberately not read (unsupported type): stored in ``inputs`` with status 'skipped'."""

    key: str
    source_path: str
    reason: str
    fingerprint: str = ""


@dataclass
class RawArticle:
    """One article as read from its input, before NLP. ``text`` is the clean text all offsets refer to."""

    key: str
    source_path: str
    text: str
    fingerprint: str = ""
    fmt: str = "text"
    record: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None
    published_source: str | None = None
    published_precision: str | None = None
    date_ambiguous: bool = False
    outlet: str | None = None
    author: str | None = None
    dateline: str | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)  # lines dropped as web junk by the cleaner
    warnings: list[str] = field(default_factory=list)  # what ingest changed or doubted (page kept whole, case restored)
    extra: dict = field(default_factory=dict)
