"""Read access to a store: tables as pandas or Arrow, read-only SQL, statistics."""

from __future__ import annotations

import os
from typing import Any

import duckdb

from tacitus.errors import StoreError
from tacitus.store import EXPORT_TABLES, Store


class Database:
    """A read-only view of a Tacitus store. ``tacitus.open(path)`` returns one."""

    def __init__(self, store: Store):
        self.store = store

    @property
    def path(self) -> str:
        return self.store.path

    def table(self, name: str, limit: int | None = None):
        """A table as a pandas DataFrame."""
        return self._select(name, limit).df()

    def arrow(self, name: str, limit: int | None = None):
        """A table as a pyarrow Table."""
        return self._select(name, limit).fetch_arrow_table()

    def _select(self, name: str, limit: int | None):
        if name not in EXPORT_TABLES:
            raise StoreError(f"unknown table {name!r}; choose one of: {', '.join(EXPORT_TABLES)}")
        sql = f"SELECT * FROM {name}"
        params: list[Any] = []
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        return self.store.con.execute(sql, params)

    def articles(self):
        return self.table("articles")

    def actors(self):
        return self.table("actors")

    def mentions(self):
        return self.table("mentions")

    def events(self):
        return self.table("events")

    def quotes(self):
        return self.table("quotes")

    def places(self):
        return self.table("places")

    def counts(self):
        return self.table("counts")

    def sentences(self):
        return self.table("sentences")

    def failures(self):
        return self.table("failures")

    def sql(self, query: str, params: list[Any] | None = None):
        """Run read-only SQL (the connection is read-only: writes fail) and return a DataFrame."""
        try:
            return self.store.con.execute(query, params or []).df()
        except duckdb.Error as exc:
            raise StoreError(f"SQL error: {str(exc).splitlines()[0]}") from None

    def stats(self) -> dict[str, Any]:
        return self.store.stats()

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_db(db: str | os.PathLike[str]) -> Database:
    return Database(Store.open(db, read_only=True))
