"""Publication dates the user gives: one for a whole run (setting ``published``) and a file mapping
inputs to dates (setting ``published_file``), for pages that print none (three of the four scraped pages
in ``../shared/corpus`` give no date). A date from the file wins over one found on the page; the run's
date only fills a gap."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.errors import SettingsError
from tacitus.ingest.dates import ParsedDate, iso_date
from tacitus.ingest.records import RawArticle


@dataclass
class UserDates:
    default: ParsedDate | None = None
    by_path: dict[str, ParsedDate] = field(default_factory=dict)  # absolute, normalised path -> date
    by_name: dict[str, ParsedDate] = field(default_factory=dict)  # file name -> date (names given once only)
    by_key: dict[str, ParsedDate] = field(default_factory=dict)  # the entry as written -> date

    @classmethod
    def from_settings(cls, published: str, published_file: str) -> "UserDates":
        default = None
        if published:
            default = iso_date(published)
            if default is None:
                raise SettingsError(f"setting 'published' must be a date (YYYY, YYYY-MM or YYYY-MM-DD), "
                                    f"got {published!r}")
        dates = cls(default)
        if published_file:
            dates._load(Path(published_file))
        return dates

    def _load(self, path: Path) -> None:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise SettingsError(f"published_file {str(path)!r} cannot be read: {exc}") from None
        first = text.splitlines()[0] if text.strip() else ""
        rows = csv.reader(io.StringIO(text), delimiter="\t" if "\t" in first else ",")
        names: dict[str, ParsedDate | None] = {}
        for lineno, row in enumerate(rows, 1):
            cells = [c.strip() for c in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if len(cells) < 2:
                raise SettingsError(f"published_file {path.name}, line {lineno}: want an input and a date, got {row!r}")
            entry, value = cells[0], cells[1]
            parsed = iso_date(value)
            if parsed is None:
                if lineno == 1 and not any(ch.isdigit() for ch in value):  # a header row ("input,date")
                    continue
                raise SettingsError(f"published_file {path.name}, line {lineno}: not a date: {value!r} "
                                    "(write YYYY, YYYY-MM or YYYY-MM-DD)")
            self.by_key[entry] = parsed
            self.by_path[_norm(entry if os.path.isabs(entry) else path.parent / entry)] = parsed
            name = os.path.basename(entry)
            names[name] = parsed if name not in names or names[name] == parsed else None  # ambiguous: dropped
        self.by_name = {n: d for n, d in names.items() if d is not None}

    def __bool__(self) -> bool:
        return self.default is not None or bool(self.by_key)

    def lookup(self, article: RawArticle) -> ParsedDate | None:
        """The file's date for this article's input, if it names it."""
        if not self.by_key:
            return None
        path = article.source_path or article.key
        for candidate in (article.key, path):
            if candidate in self.by_key:
                return self.by_key[candidate]
        found = self.by_path.get(_norm(path))
        if found is not None:
            return found
        return self.by_name.get(os.path.basename(path))

    def apply(self, article: RawArticle) -> None:
        given = self.lookup(article)
        if given is not None:
            source = "user file"
        elif article.published is None and self.default is not None:
            given, source = self.default, "user"
        else:
            return
        article.published = given.value
        article.published_precision = given.precision
        article.published_source = source
        article.date_ambiguous = False


def _norm(path) -> str:
    return os.path.normcase(os.path.abspath(str(path)))
