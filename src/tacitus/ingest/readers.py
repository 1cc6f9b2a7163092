"""Readers: one input unit in, articles or failures out. Nothing here raises for bad input."""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from pathlib import Path
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

from tacitus.errors import InputError
from tacitus.ingest.dates import ParsedDate, date_from_url, parse_date
from tacitus.ingest.decode import decode_bytes, normalise_text
from tacitus.ingest.discover import STDIN, InputUnit
from tacitus.ingest.ids import fingerprint
from tacitus.ingest.language import UNDETERMINED, LanguageIdentifier
from tacitus.ingest.records import InputFailure, InputSkip, RawArticle
from tacitus.ingest.textmeta import parse_head, tidy_paragraphs
from tacitus.ingest.userdates import UserDates
from tacitus.limits import NotRegularFileError, TimeLimitExceeded, open_regular, time_limit
from tacitus.settings import Settings

Result = RawArticle | InputFailure | InputSkip

#: htmldate settings: the original publication date from markup only. Its default floor (1995) would
#: reject archive pages, and its extensive search guesses from copyright lines and footers.
HTML_DATE_PARAMS = {"min_date": "1900-01-01", "original_date": True, "extensive_search": False,
                    "outputformat": "%Y-%m-%d"}


class Reader:
    """Reads input units according to the settings. Holds the language identifier for a run."""

    def __init__(self, settings: Settings, stdin=None, cleaner=None):
        self.settings = settings
        self.languages = LanguageIdentifier(settings.detect_languages)
        self._stdin = stdin
        self._cleaner = cleaner  # a given Cleaner (evaluation, tests); else the committed model, loaded on first use
        self._warm = False
        # dates the user gives (settings published, published_file); a bad file fails the run before it starts
        self.user_dates = UserDates.from_settings(settings.published, settings.published_file)

    def warm_up(self) -> None:
        """Train the line classifier, load the language models and dateparser's data now, so that
        their one-time cost is not charged to the first document's time limit."""
        self._warm = True
        if self.settings.clean_text or self.settings.clean_html:
            _ = self.cleaner
        # longer than 120 characters, as articles are: lingua then needs only its trigram models (a short
        # text loads every n-gram size of every candidate language, 0.9 s instead of 0.2 s)
        self.languages.identify("Officials said on Monday that the talks would resume next week in the capital, "
                                "after two days of meetings between the delegations and their advisers.")
        parse_date("March 4, 2021")  # dateparser loads its locale data on first use

    @property
    def cleaner(self):
        """The line cleaner: the committed model, loaded on first use (milliseconds)."""
        if self._cleaner is None:
            from tacitus.ingest.clean import Cleaner

            self._cleaner = Cleaner.default(self.settings.clean_threshold)
        return self._cleaner

    @cleaner.setter
    def cleaner(self, cleaner) -> None:
        self._cleaner = cleaner

    # -- bytes -------------------------------------------------------------------------------
    def read_bytes(self, unit: InputUnit) -> bytes:
        limit = self.settings.max_file_bytes
        try:
            if unit.path == STDIN:
                stream = self._stdin if self._stdin is not None else sys.stdin.buffer
                data = stream.read(limit + 1)
            else:
                with open_regular(unit.path) as fh:  # a FIFO or device is refused, never waited on
                    size = os.fstat(fh.fileno()).st_size
                    if size > limit:
                        raise InputError(f"file too large: {size} bytes > max_file_bytes {limit}")
                    data = fh.read(limit + 1)
        except NotRegularFileError as exc:
            raise InputError(str(exc)) from None
        except FileNotFoundError:
            raise InputError("file vanished before it could be read") from None
        except PermissionError:
            raise InputError("permission denied") from None
        except IsADirectoryError:
            raise InputError("is a folder, not a file") from None
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror or exc}") from None
        if len(data) > limit:
            raise InputError(f"input too large: more than max_file_bytes {limit} bytes")
        if unit.gzipped or (unit.path == STDIN and data[:2] == b"\x1f\x8b"):
            data = self._gunzip(data, limit)
        return data

    @staticmethod
    def _gunzip(data: bytes, limit: int) -> bytes:
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as gz:
                out = gz.read(limit + 1)
        except (OSError, EOFError, zlib.error) as exc:
            raise InputError(f"corrupt gzip data: {exc}", stage="decode") from None
        if len(out) > limit:
            raise InputError(f"decompressed size exceeds max_file_bytes {limit} (possible zip bomb)", stage="decode")
        return out

    # -- units ---------------------------------------------------------------------------------
    def read(self, unit: InputUnit) -> Iterator[Result]:
        if unit.fmt is None:
            yield InputSkip(unit.key, unit.key, f"unsupported file type: {Path(unit.key).name}")
            return
        if unit.fmt == "warc" and unit.path != STDIN:
            yield from self._warc_file(unit)
            return
        try:
            data = self.read_bytes(unit)
        except InputError as exc:
            yield InputFailure(unit.key, unit.key, exc.stage, exc.reason)
            return
        fp = fingerprint(data)
        fmt = unit.fmt if unit.fmt != "auto" else sniff_format(data)
        try:
            if fmt == "warc":
                yield from self._warc(unit, io.BytesIO(data))
                return
            if fmt == "jsonl":
                yield from self._jsonl(unit, data, fp)
                return
            if not data.strip():
                raise InputError("empty file (no text)")
            with self.limited():
                if fmt == "html":
                    text, _encoding = decode_bytes(data)
                    article = self.from_html(text, key=unit.key, source_path=unit.key, fp=fp)
                else:
                    text, _encoding = decode_bytes(data, repair=False)
                    self._check_raw_length(text)  # before the (slow) repair of a text too long to keep
                    article = self.from_text(normalise_text(text), key=unit.key, source_path=unit.key, fp=fp)
                article = self.finish(article)
            yield article
        except InputError as exc:
            yield InputFailure(unit.key, unit.key, exc.stage, exc.reason, fp)

    @contextmanager
    def limited(self):
        """Bound the time of reading, decoding and cleaning one document (setting doc_time_limit);
        running out is an :class:`InputError` of stage ``clean``."""
        if self.settings.doc_time_limit and not self._warm:
            self.warm_up()
        try:
            with time_limit(self.settings.doc_time_limit):
                yield
        except TimeLimitExceeded as exc:
            raise InputError(f"reading and cleaning {exc}", stage="clean") from None

    def _check_raw_length(self, text: str) -> None:
        """Refuse, before cleaning, a text so long that its clean text cannot fit max_doc_chars
        without dropping more than half of it: cleaning megabytes of one page costs seconds and memory."""
        limit = 2 * self.settings.max_doc_chars
        if len(text) > limit:
            raise InputError(f"text too long: {len(text)} characters before cleaning > twice max_doc_chars "
                             f"({self.settings.max_doc_chars})", stage="clean")

    # -- formats -------------------------------------------------------------------------------
    def from_text(self, text: str, *, key: str, source_path: str, fp: str = "", **meta: Any) -> RawArticle:
        self._check_raw_length(text)
        text, warnings = self.readable(text)
        cleaner = self.cleaner if self.settings.clean_text else None
        head = parse_head(text, self.settings.date_order, cleaner)
        language = None
        if head.removed:
            language = self.languages.identify(head.body)
            if language not in ("en", UNDETERMINED):
                head = parse_head(text, self.settings.date_order)  # the classifier learned English pages only
        article = RawArticle(key=key, source_path=source_path, text=head.body, fingerprint=fp, fmt="text")
        article.removed = head.removed
        article.warnings.extend(warnings + head.warnings)
        if head.structured is not None:
            article.extra["structured"] = head.structured
        if language is not None:
            article.language = language  # already identified on this page's body: finish() need not ask again
        article.title = head.title
        article.author = head.author
        article.outlet = head.outlet
        article.dateline = head.dateline
        if head.date:
            _set_date(article, head.date, "text")
        _apply_meta(article, meta)
        return article

    def readable(self, text: str) -> tuple[str, list[str]]:
        """Text the parser can read, before cleaning (plain text) or after extraction (HTML): an English
        page written all in capitals truecased (letter case only: every offset stays valid),
        pre-tokenised text joined back into prose. Each change is said in a warning."""
        from tacitus.ingest.normalise_case import detokenise, is_pretokenised, is_upper_case_document, restore_case

        warnings = []
        if self.settings.restore_case and is_upper_case_document(text) \
                and self.languages.identify(text[:3000].lower()) in ("en", UNDETERMINED):
            text = restore_case(text)
            warnings.append("upper-case text: letter case restored for the parser")
        if self.settings.detokenise and is_pretokenised(text):
            text = detokenise(text)
            warnings.append("pre-tokenised text: spaces before punctuation and split words joined")
        return text, warnings

    def from_html(self, html: str, *, key: str, source_path: str, fp: str = "", **meta: Any) -> RawArticle:
        import trafilatura

        try:
            doc = trafilatura.bare_extraction(
                html, url=meta.get("url"), with_metadata=True, include_comments=False, include_tables=False,
                date_extraction_params=HTML_DATE_PARAMS,
            )
        except Exception as exc:  # trafilatura/lxml raise many types on broken markup
            raise InputError(f"HTML could not be parsed: {type(exc).__name__}: {exc}", stage="parse") from None
        if doc is None:
            raise InputError("no main text found in the HTML", stage="parse")
        data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        body, warnings = self.readable(tidy_paragraphs(normalise_text(data.get("text") or "")))
        removed: list[str] = []
        if self.settings.clean_html and body:
            lines = body.split("\n")
            decision = self.cleaner.decide(body, data.get("title"))
            removed = [line for line, k in zip(lines, decision.keep) if line.strip() and not k]
            body = tidy_paragraphs("\n".join(line for line, k in zip(lines, decision.keep) if k or not line.strip()))
            warnings += [decision.warning] if decision.warning else []
        article = RawArticle(key=key, source_path=source_path, text=body, fingerprint=fp, fmt="html")
        article.removed = removed
        article.warnings = warnings
        article.title = data.get("title") or None
        article.author = data.get("author") or None
        article.outlet = data.get("sitename") or data.get("hostname") or None
        article.url = data.get("url") or None
        if data.get("date") and (parsed := parse_date(str(data["date"]))):
            _set_date(article, parsed, "html")
        _apply_meta(article, meta)
        return article

    def _jsonl(self, unit: InputUnit, data: bytes, file_fp: str) -> Iterator[Result]:
        try:
            # fields are repaired one by one, after json.loads; a NUL byte fails its record alone (invalid JSON)
            text, _enc = decode_bytes(data, repair=False, whole=False)
        except InputError as exc:
            yield InputFailure(unit.key, unit.key, exc.stage, exc.reason, file_fp)
            return
        if not text.strip():
            yield InputFailure(unit.key, unit.key, "read", "empty file (no records)", file_fp)
            return
        for lineno, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            key = f"{unit.key}#{lineno}"
            fp = fingerprint(line.encode("utf-8"))
            try:
                with self.limited():
                    article = self._jsonl_record(line, lineno, key, unit.key, fp)
                yield article
            except json.JSONDecodeError as exc:
                reason = f"line {lineno}: invalid JSON: {exc.msg} at column {exc.colno}"
                yield InputFailure(key, unit.key, "parse", reason, fp, str(lineno))
            except RecursionError:
                reason = f"line {lineno}: invalid JSON: nested too deeply"
                yield InputFailure(key, unit.key, "parse", reason, fp, str(lineno))
            except InputError as exc:
                yield InputFailure(key, unit.key, exc.stage, exc.reason, fp, str(lineno))

    def _jsonl_record(self, line: str, lineno: int, key: str, path: str, fp: str) -> RawArticle:
        s = self.settings
        record = json.loads(line)
        if not isinstance(record, dict):
            raise InputError(f"line {lineno}: expected a JSON object, got {type(record).__name__}", stage="parse")
        meta = {
            "title": _field(record, [s.jsonl_title_field], lineno),
            "url": _field(record, [s.jsonl_url_field], lineno),
            "outlet": _field(record, [s.jsonl_outlet_field], lineno),
            "published": _field(record, s.jsonl_date_fields, lineno),
            "record": _field(record, [s.jsonl_id_field], lineno, allow_number=True),
        }
        body = _field(record, s.jsonl_text_fields, lineno)
        if body:
            article = self.from_text(normalise_text(body), key=key, source_path=path, fp=fp, **meta)
            article.fmt = "jsonl"
        else:
            html = _field(record, s.jsonl_html_fields, lineno)
            if not html:
                fields = ", ".join(s.jsonl_text_fields + s.jsonl_html_fields)
                raise InputError(f"line {lineno}: no text in any of the fields {fields}", stage="parse")
            article = self.from_html(normalise_text(html), key=key, source_path=path, fp=fp, **meta)
            article.fmt = "jsonl-html"
        return self.finish(article)

    def _warc_file(self, unit: InputUnit) -> Iterator[Result]:
        try:
            fh = open_regular(unit.path)
        except FileNotFoundError:
            yield InputFailure(unit.key, unit.key, "read", "file vanished before it could be read")
            return
        except NotRegularFileError as exc:
            yield InputFailure(unit.key, unit.key, "read", str(exc))
            return
        except OSError as exc:
            yield InputFailure(unit.key, unit.key, "read", f"cannot read file: {exc.strerror or exc}")
            return
        with fh:
            yield from self._warc(unit, fh)

    def _warc(self, unit: InputUnit, stream) -> Iterator[Result]:
        """Each HTTP response (or resource) record with an HTML or text payload is one article, keyed
        ``path#offset``. Requests, metadata and warcinfo records are not documents and are passed
        over; responses of other types (images, PDFs) are recorded as skipped; a truncated or corrupt
        record is a failure and ends the file (the records before it are kept)."""
        from warcio.archiveiterator import ArchiveIterator

        limit = self.settings.max_file_bytes
        offset = 0
        seen = 0
        try:
            start = stream.read(2)
            if start == b"\x1f\x8b":
                stream.seek(0)
                with gzip.GzipFile(fileobj=stream) as gz:
                    start = gz.read(16)
            else:
                start += stream.read(14)
            stream.seek(0)
        except (OSError, EOFError, zlib.error) as exc:
            yield InputFailure(unit.key, unit.key, "read", f"not a readable WARC file: {exc}")
            return
        if not start.startswith((b"WARC/", b"filedesc:")):
            yield InputFailure(unit.key, unit.key, "read", "not a WARC file (it does not start with a WARC record header)")
            return
        try:
            records = ArchiveIterator(stream, check_digests=False)
            for rec in records:
                seen += 1
                if rec.rec_type not in ("response", "resource"):
                    continue
                headers = rec.rec_headers
                url = headers.get_header("WARC-Target-URI") or None
                rid = headers.get_header("WARC-Record-ID")
                if rec.http_headers is not None:
                    ctype = rec.http_headers.get_header("Content-Type") or ""
                    status = rec.http_headers.get_statuscode() or ""
                else:
                    ctype = headers.get_header("Content-Type") or ""
                    status = "200"
                payload = rec.content_stream().read(limit + 1)
                offset = records.get_record_offset()
                key = f"{unit.key}#{offset}"
                truncated = getattr(rec.raw_stream, "limit", 0) > 0 and len(payload) <= limit
                if truncated:
                    yield InputFailure(key, unit.key, "read",
                                       f"truncated WARC record at offset {offset} ({url or 'no URL'})",
                                       fingerprint(payload), rid)
                    return
                kind = ctype.split(";")[0].strip().lower()
                fmt = {"text/html": "html", "application/xhtml+xml": "html", "text/plain": "text"}.get(kind)
                if fmt is None:
                    yield InputSkip(key, unit.key, f"WARC record {url or rid} is {kind or 'untyped'}, not HTML or text",
                                    fingerprint(payload))
                    continue
                if status and not str(status).startswith("2"):
                    yield InputSkip(key, unit.key, f"WARC record {url or rid} has HTTP status {status}",
                                    fingerprint(payload))
                    continue
                fp = fingerprint(payload)
                try:
                    if len(payload) > limit:
                        raise InputError(f"WARC record larger than max_file_bytes {limit}")
                    if not payload.strip():
                        raise InputError("empty WARC record (no text)")
                    with self.limited():
                        text, _enc = decode_bytes(payload)
                        meta = {"url": url, "record": rid}
                        if fmt == "html":
                            article = self.from_html(text, key=key, source_path=unit.key, fp=fp, **meta)
                        else:
                            article = self.from_text(text, key=key, source_path=unit.key, fp=fp, **meta)
                        article.fmt = "warc-" + fmt
                        if article.published is None and (crawled := headers.get_header("WARC-Date")):
                            if parsed := parse_date(crawled[:10]):  # crawl date: an upper bound, marked as such
                                _set_date(article, parsed, "crawl")
                        article = self.finish(article)
                    yield article
                except InputError as exc:
                    yield InputFailure(key, unit.key, exc.stage, exc.reason, fp, rid)
            # warcio stops quietly when a record's headers are cut off: compare with the stream's size
            end = records.offset
            size = stream.seek(0, io.SEEK_END)
            if size - end > 4:
                yield InputFailure(f"{unit.key}#{end}", unit.key, "read",
                                   f"truncated WARC: {size - end} bytes after offset {end} are not a complete record")
        except Exception as exc:  # warcio raises ArchiveLoadFailed, EOFError, zlib errors, ValueError ...
            where = f"after the record at offset {offset}" if seen else "at the start"
            yield InputFailure(f"{unit.key}#{'after-' + str(offset) if seen else 'start'}", unit.key, "read",
                               f"corrupt or truncated WARC {where} ({type(exc).__name__}: "
                               f"{' '.join(str(exc).split())[:200]})")

    # -- common --------------------------------------------------------------------------------
    def finish(self, article: RawArticle) -> RawArticle:
        if not article.text.strip():
            raise InputError("no article text left after cleaning", stage="clean")
        if len(article.text) > self.settings.max_doc_chars:
            raise InputError(
                f"article text too long: {len(article.text)} characters > max_doc_chars {self.settings.max_doc_chars}",
                stage="clean",
            )
        if article.language is None:
            article.language = self.languages.identify(article.text)
        if (article.published is None or article.published_source == "crawl") and article.url:
            if parsed := date_from_url(article.url):  # "/2021/07/10/" in the path; a crawl date is only a bound
                _set_date(article, parsed, "url")
        if self.user_dates:
            self.user_dates.apply(article)
        return article


#: What a JSON string may hold that no text column can: lone surrogates ("\\ud800") and NUL.
_UNSAFE_CHARS = re.compile("[\ud800-\udfff\x00]")


def _safe_char(m: re.Match) -> str:
    return "" if m.group(0) == "\x00" else "\ufffd"


def sniff_format(data: bytes) -> str:
    head = data[:2048].lstrip()
    if head.startswith(b"WARC/"):
        return "warc"
    if head.startswith(b"{"):
        return "jsonl"
    if head[:1] == b"<" and (b"<html" in head.lower() or b"<!doctype" in head.lower() or b"<p" in head.lower()):
        return "html"
    return "text"


def _field(record: Mapping[str, Any], names: list[str], lineno: int, allow_number: bool = False) -> str | None:
    for name in names:
        if name in record and record[name] is not None:
            value = record[name]
            if allow_number and isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            if not isinstance(value, str):
                raise InputError(f"line {lineno}: field {name!r} must be a string, got {type(value).__name__}", stage="parse")
            return _UNSAFE_CHARS.sub(_safe_char, value)
    return None


def _set_date(article: RawArticle, parsed: ParsedDate, source: str) -> None:
    article.published = parsed.value
    article.published_precision = parsed.precision
    article.published_source = source
    article.date_ambiguous = parsed.ambiguous


def _apply_meta(article: RawArticle, meta: Mapping[str, Any]) -> None:
    """Metadata given with the input (JSONL fields) wins over what was found in the text."""
    for name in ("title", "url", "outlet", "author", "record"):
        if meta.get(name):
            setattr(article, name, meta[name])
    if meta.get("published"):
        parsed = parse_date(meta["published"])
        if parsed:
            _set_date(article, parsed, "record")
