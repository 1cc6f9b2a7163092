"""``process()``: input paths to a DuckDB store, streaming, resumable and idempotent.

Each input unit (a file, or a JSONL record) is read, checked against the ``inputs`` table (unchanged
inputs are skipped), identified by the hash of its clean text (an article already stored from
another input is a duplicate), then processed in batches; every batch is written in one transaction.
A killed run leaves only whole batches behind, and the next run picks up where it stopped.
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from typing import Any, Iterable

import duckdb

from tacitus import __version__
from tacitus.api import readahead
from tacitus.api.runloop import (DONE_STATUSES, RunSummary, StageClock, _iter_units, _kb_files, _read_all,  # noqa: F401 (re-exported)
                                 _progress, _read_guarded, _Run)
from tacitus.corpus.finalize import refresh_corpus
from tacitus.errors import NoInputError
from tacitus.ingest import InputUnit, discover
from tacitus.ingest.userdates import UserDates
from tacitus.nlp.engine import Engine
from tacitus.settings import Settings, resolve
from tacitus.store import Store
from tacitus.store.db import write_error


def process(
    paths: Iterable[str | os.PathLike[str]],
    db: str | os.PathLike[str],
    settings: Settings | None = None,
    *,
    config: str | os.PathLike[str] | None = None,
    force: bool = False,
    **overrides: Any,
) -> RunSummary:
    """Run the pipeline on ``paths`` (files, folders, ``-``) into the DuckDB file ``db``.

    ``settings`` (or ``config`` plus keyword ``overrides``, e.g. ``batch_size=32``) control the run.
    Raises :class:`~tacitus.errors.TacitusError` only when the run cannot proceed; bad inputs are
    recorded in ``failures`` and the run goes on.
    """
    settings = resolve(config, overrides) if settings is None else settings.replace(**overrides)
    paths = [str(p) for p in paths]
    UserDates.from_settings(settings.published, settings.published_file)  # a bad dates file: refused before the store is touched
    if settings.engine == "ray":
        from tacitus.api.ray_run import process_ray

        try:
            return process_ray(paths, db, settings, force=force)
        except duckdb.Error as exc:  # a write failed: disk full, read-only file or folder, ...
            raise write_error(exc, str(db)) from None
    units = list({u.key: u for u in discover(paths, settings.follow_symlinks)}.values())  # a file named twice is read once
    if not any(isinstance(u, InputUnit) for u in units):
        raise NoInputError(f"no input files found in: {' '.join(paths) or '(nothing given)'}")
    started = time.monotonic()
    clock = StageClock()
    setup = clock("setup")
    setup.__enter__()
    ahead = None
    if settings.read_ahead and readahead.usable(units):
        ahead = readahead.ReadAhead(settings, units)  # forked before the model loads: it warms up meanwhile
    try:
        store = Store.open(db)
    except BaseException:
        if ahead is not None:
            ahead.close()
        raise
    engine = None
    workdir = tempfile.TemporaryDirectory(prefix="tacitus-")
    try:
        kb_files = _kb_files(settings, store, workdir.name)
        engine = Engine(settings.model, settings.n_process, settings.batch_size, kb_files,
                        settings.event_fallback_threshold, time_limit_s=settings.doc_time_limit,
                        triage=settings.triage, blas=settings.blas, blas_threads=settings.blas_threads,
                        chunk_chars=settings.parse_chunk_chars, max_tokens=settings.max_doc_tokens)
        run_id = store.begin_run(settings.to_json(), engine.model_name, paths, __version__)
        progress = _progress(settings)
        run = _Run(store, settings, engine, run_id, force, progress, clock)
        if ahead is None:
            run.reader.warm_up()
        setup.__exit__(None, None, None)
        status = "interrupted"
        try:
            _read_all(run, units, progress, ahead)
            with clock("corpus"):
                store.refresh_actors()
                refresh_corpus(store, settings)
            status = "completed"
        finally:
            if progress is not None:
                progress.stop()
            try:
                store.finish_run(run_id, status, run.counts | {"units": len(units)})
            except duckdb.Error:
                if status == "completed":
                    raise
                # the store failed during the run (disk full, ...): that error is the one to report
        with clock("write"):
            store.checkpoint()
        return RunSummary(run_id, str(db), engine.model_name, time.monotonic() - started,
                          dict(run.counts) | {"units": len(units)}, run.failures, clock.as_dict())
    except duckdb.Error as exc:  # a write failed: disk full, read-only file or folder, ...
        raise write_error(exc, str(db)) from None
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EROFS):
            raise write_error(exc, str(db)) from None
        raise
    finally:
        if ahead is not None:
            ahead.close()
        if engine is not None:
            engine.close()
        store.close()
        workdir.cleanup()
