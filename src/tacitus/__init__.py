"""Tacitus: news articles in, event data out (actors, events, quotes, claims, places, counts).

>>> import tacitus
>>> summary = tacitus.process(["examples/demo-corpus"], db="demo.duckdb")   # doctest: +SKIP
>>> db = tacitus.open("demo.duckdb")                                          # doctest: +SKIP
>>> db.table("quotes")                                                        # doctest: +SKIP
"""

__version__ = "0.1.0"


def process(*args, **kwargs):
    """Run the pipeline into a store; see :func:`tacitus.api.run.process`."""
    from tacitus.api.run import process as _process

    return _process(*args, **kwargs)


def open(db, **kwargs):  # noqa: A001 - mirrors the built-in on purpose: tacitus.open(path)
    """Open a store read-only; see :class:`tacitus.api.reader.Database`."""
    from tacitus.api.reader import open_db

    return open_db(db, **kwargs)


__all__ = ["__version__", "process", "open"]
