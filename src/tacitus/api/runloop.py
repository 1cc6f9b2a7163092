"""The run loop both engines share: one unit at a time through the reader, the input and duplicate
checks, batches through an engine, every batch written in one transaction (:class:`_Run`), and the
helpers around it. :mod:`tacitus.api.run` (the local engine) and :mod:`tacitus.api.ray_run` (the Ray
engine) import this; neither imports the other at module level.
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from tacitus.api.readahead import MINHASH
from tacitus.api.readahead import read_guarded as _read_guarded
from tacitus.corpus.dedup import NearDuplicateIndex
from tacitus.errors import SettingsError
from tacitus.ingest import InputFailure, InputUnit, Reader, RawArticle
from tacitus.ingest.ids import article_id as make_article_id
from tacitus.ingest.ids import row_id
from tacitus.ingest.records import InputSkip
from tacitus.nlp.engine import Engine, NlpItem
from tacitus.settings import Settings
from tacitus.store import Store
from tacitus.store.rows import article_row, input_row

DONE_STATUSES = frozenset({"ok", "duplicate", "skipped", "skipped_language", "too_short"})


class StageClock:
    """Wall and CPU seconds per stage of a run, from any thread (CPU is the measuring thread's own: the
    NLP workers of ``-n 2`` or Ray are not in it). Stages: ``setup`` (store, knowledge base, model,
    reader), ``read`` (reading, cleaning, language; with read-ahead, the time spent waiting for the
    child's results), ``read_ahead`` (the read-ahead child's own reading, overlapped with the others),
    ``checks`` (input state, exact and near duplicates), ``nlp`` (the engine's batches), ``write`` (the
    store's transactions), ``corpus`` (actors and the corpus view)."""

    def __init__(self) -> None:
        self.wall: Counter[str] = Counter()
        self.cpu: Counter[str] = Counter()
        self._lock = threading.Lock()

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.thread_time()
        try:
            yield
        finally:
            with self._lock:
                self.wall[stage] += time.perf_counter() - wall
                self.cpu[stage] += time.thread_time() - cpu

    def as_dict(self) -> dict[str, dict[str, float]]:
        wall, cpu = Counter(self.wall), Counter(self.cpu)
        if "handle" in wall:  # handling an input includes the batch flushes (nlp, write) it triggers
            wall["checks"] = wall.pop("handle") - wall.get("nlp", 0.0) - wall.get("write", 0.0)
            cpu["checks"] = cpu.pop("handle") - cpu.get("nlp", 0.0) - cpu.get("write", 0.0)
        order = ("setup", "read", "read_ahead", "checks", "nlp", "write", "corpus")
        return {k: {"wall_s": round(max(0.0, wall.get(k, 0.0)), 3), "cpu_s": round(max(0.0, cpu.get(k, 0.0)), 3)}
                for k in order if k in wall or k in cpu}


@dataclass
class RunSummary:
    run_id: int
    db: str
    model: str
    elapsed: float
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str, str]] = field(default_factory=list)  # (key, stage, reason), first 20
    stages: dict[str, dict[str, float]] = field(default_factory=dict)  # StageClock.as_dict()

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "db": self.db, "model": self.model, "elapsed_s": round(self.elapsed, 2),
                **self.counts, "stages": self.stages}


class _Run:
    def __init__(self, store: Store, settings: Settings, engine: Engine, run_id: int, force: bool, progress,
                 clock: StageClock | None = None):
        self.clock = clock or StageClock()
        self.store = store
        self.settings = settings
        self.engine = engine
        self.run_id = run_id
        self.force = force
        self.progress = progress
        self.counts: Counter[str] = Counter()
        self.failures: list[tuple[str, str, str]] = []
        self.reader = Reader(settings)
        self.pending: list[tuple[NlpItem, str]] = []
        self.pending_ids: dict[str, str] = {}  # article id -> input key, for this batch
        self.direct: list[dict[str, list[dict[str, Any]]]] = []
        self.chunk = settings.batch_size * max(1, settings.n_process)
        self.signatures: dict[str, list[int]] = {}  # article id -> MinHash, for this batch
        self.dedup = NearDuplicateIndex(settings.near_duplicate_threshold)
        for aid, minhash, key in store.signatures():
            self.dedup.add(aid, minhash, key or "")

    # -- per unit ------------------------------------------------------------------------------
    def fail(self, key: str, path: str, record: str | None, stage: str, reason: str, fp: str = "") -> None:
        self.counts["failures"] += 1
        if len(self.failures) < 20:
            self.failures.append((key, stage, reason))
        fid = row_id("failure", key, stage, reason, fp)
        self.store.record_failure(fid, key, path, record, stage, reason, fp, self.run_id)

    def handle(self, item: RawArticle | InputFailure | InputSkip) -> None:
        if isinstance(item, InputFailure):
            self.fail(item.key, item.source_path, item.record, item.stage, item.reason, item.fingerprint)
            return
        if isinstance(item, InputSkip):
            self.counts["skipped"] += 1
            self.store.record_input(item.key, item.source_path, None, item.fingerprint, "skipped", item.reason, self.run_id)
            return
        article = item
        fp, status = self.store.input_state(article.key)
        if not self.force and fp == article.fingerprint and status in DONE_STATUSES:
            self.counts["unchanged"] += 1
            return
        aid = make_article_id(article.text)
        owner = self.store.article_owner(aid)
        owner = owner or self.pending_ids.get(aid)
        if owner is not None and owner != article.key:
            self._copy(article, aid, aid, 1.0, f"same text as {owner}")
            return
        signature = article.extra.pop(MINHASH, None)  # computed by the read-ahead child
        if signature is None:
            signature = self.dedup.signature(article.text)
        match = self.dedup.find(signature, exclude_id=aid, exclude_owner=article.key)
        if match is not None:
            self._copy(article, aid, match.article_id, match.similarity,
                       f"near copy (similarity {match.similarity:.2f}) of article {match.article_id}")
            return
        self.dedup.add(aid, signature, article.key)
        self.signatures[aid] = [int(v) for v in signature]
        self.pending_ids[aid] = article.key
        if article.language not in self.settings.languages:
            self.counts["skipped_language"] += 1
            self._direct(article, aid, "skipped_language", f"language {article.language!r} not in settings.languages")
        elif len(article.text.split()) < self.settings.min_words:
            self.counts["too_short"] += 1
            self._direct(article, aid, "too_short", f"fewer than {self.settings.min_words} words")
        else:
            self.pending.append((NlpItem(aid, article), article.key))
        if len(self.pending) + len(self.direct) >= self.chunk:
            self.flush()

    def _direct(self, article: RawArticle, aid: str, status: str, reason: str) -> None:
        self.direct.append({
            "articles": [article_row(article, aid, status, self.run_id, None)],
            "inputs": [input_row(article, aid, status, self.run_id, reason)],
            "signatures": self._signature_rows(aid),
        })

    def _copy(self, article: RawArticle, aid: str, original: str, similarity: float, reason: str) -> None:
        """An exact or near copy: its own article row (its outlet, URL and date count as another
        source), pointing to the original, with no extractions."""
        self.counts["duplicates"] += 1
        copy_id = row_id("copy", aid, article.key)[:20]
        self.direct.append({
            "articles": [article_row(article, copy_id, "duplicate", self.run_id, None, original, round(similarity, 4))],
            "inputs": [input_row(article, copy_id, "duplicate", self.run_id, reason)],
        })
        if len(self.pending) + len(self.direct) >= self.chunk:
            self.flush()

    def _signature_rows(self, aid: str) -> list[dict[str, Any]]:
        sig = self.signatures.pop(aid, None)
        return [{"article_id": aid, "minhash": sig}] if sig is not None else []

    def flush(self) -> None:
        batch = self.direct
        self.direct = []
        items = [item for item, _key in self.pending]
        self.pending = []
        with self.clock("nlp"):
            outcomes = self.engine.process(items)
        for item, outcome in zip(items, outcomes):
            article = item.article
            if isinstance(outcome, str):
                self.fail(article.key, article.source_path, article.record, "nlp", outcome, article.fingerprint)
                self.dedup.discard(item.article_id)
                self.signatures.pop(item.article_id, None)
                continue
            self.counts["articles"] += 1
            extra = (outcome.pop("_article", None) or [{}])[0]
            outcome["articles"] = [article_row(article, item.article_id, "ok", self.run_id) | extra]
            outcome["inputs"] = [input_row(article, item.article_id, "ok", self.run_id)]
            outcome["signatures"] = self._signature_rows(item.article_id)
            batch.append(outcome)
        with self.clock("write"):
            self.store.write_articles(batch, replace=self.force)
        self.pending_ids.clear()


def _read_all(run: _Run, units: Sequence[InputUnit | InputFailure], progress, ahead=None) -> None:
    """Every unit read and handed to ``run`` (the local and Ray engines alike), the progress bar started.
    ``ahead``: a :class:`~tacitus.api.readahead.ReadAhead` reading ``units`` in a child process."""
    if progress is not None:
        progress.start()
    task = progress.add_task("reading", total=len(units)) if progress is not None else None
    clock = run.clock
    # Reading stays in a main thread, this one or the read-ahead child's: its per-document time limit is
    # a timer signal, which only a main thread receives.
    items = _iter_ahead(ahead, run.reader, progress, task, clock) if ahead is not None \
        else _iter_units(units, run.reader, progress, task, clock)
    for item in items:
        with clock("handle"):
            run.handle(item)
    with clock("handle"):
        run.flush()


def _iter_ahead(ahead, reader: Reader, progress, task, clock: StageClock) -> Iterator:
    results = ahead.results(reader)
    described = -1
    while True:
        with clock("read"):
            got = next(results, _END)
        if got is _END:
            break
        i, item = got
        if item is None:
            if progress is not None:
                progress.advance(task)
            continue
        if progress is not None and i != described:
            described = i
            progress.update(task, description=_short(ahead.units[i].key))
        yield item
    if ahead.child_seconds is not None:
        clock.wall["read_ahead"] += ahead.child_seconds[0]
        clock.cpu["read_ahead"] += ahead.child_seconds[1]


def _iter_units(units: Sequence[InputUnit | InputFailure], reader: Reader, progress, task,
                clock: StageClock | None = None) -> Iterator:
    for unit in units:
        if isinstance(unit, InputFailure):
            yield unit
        else:
            if progress is not None:
                progress.update(task, description=_short(unit.key))
            produced = _read_guarded(reader, unit)
            while True:
                if clock is None:
                    item = next(produced, _END)
                else:
                    with clock("read"):
                        item = next(produced, _END)
                if item is _END:
                    break
                yield item
        if progress is not None:
            progress.advance(task)


_END = object()


def _short(path: str, width: int = 40) -> str:
    name = os.path.basename(path) or path
    return name if len(name) <= width else "…" + name[-(width - 1):]


def _kb_files(settings: Settings, store: Store, workdir: str) -> list[str]:
    """The user's KB files (setting ``kb_files``), checked now, plus the actors added to this store."""
    from tacitus.resolve.kb import KnowledgeBase

    files = [str(p) for p in settings.kb_files]
    path = os.path.join(workdir, "store-kb.csv")
    if store.write_kb_csv(path):
        files.append(path)
    try:
        KnowledgeBase.load(files)
    except ValueError as exc:
        raise SettingsError(f"knowledge base: {exc}") from None
    return files


def _progress(settings: Settings):
    if not settings.progress:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    return Progress(
        TextColumn("[bold]tacitus[/]"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TextColumn("{task.description}"), console=console, transient=False,
        disable=not console.is_terminal and os.environ.get("TACITUS_PROGRESS") != "1",
    )
