"""Ingest: find input files, read them (text, HTML, JSONL, gzipped), decode, and turn each into a
:class:`~tacitus.ingest.records.RawArticle` with its metadata, or an :class:`~tacitus.ingest.records.InputFailure`."""

from tacitus.ingest.discover import InputUnit, discover
from tacitus.ingest.readers import Reader
from tacitus.ingest.records import InputFailure, RawArticle

__all__ = ["InputUnit", "discover", "Reader", "InputFailure", "RawArticle"]
