"""The store: one DuckDB file with a versioned schema."""

from tacitus.store.db import Store
from tacitus.store.schema import EXPORT_TABLES, SCHEMA_VERSION

__all__ = ["Store", "EXPORT_TABLES", "SCHEMA_VERSION"]
