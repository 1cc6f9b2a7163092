"""Run the spaCy pipeline over batches of articles, in this process or in a pool of workers.

Each worker loads the pipeline once and returns plain table rows (picklable), so the parent only
writes. A document that makes the pipeline fail is isolated: the batch is retried one document at a
time and the bad one comes back as an error string, recorded as a failure row.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import weakref
from dataclasses import dataclass
from typing import Any, Sequence

from spacy.language import Language

from tacitus.ingest.records import RawArticle
from tacitus.limits import TimeLimitExceeded, time_limit
from tacitus.nlp.blas import BlasThreads
from tacitus.nlp.pipeline import build_pipeline
from tacitus.store.rows import doc_rows


@dataclass
class NlpItem:
    article_id: str
    article: RawArticle


Rows = dict[str, list[dict[str, Any]]]
Outcome = Rows | str  # rows, or an error message


def make_doc(nlp: Language, article: RawArticle):
    """A Doc carrying the article metadata the components use (publication date, dateline)."""
    doc = nlp.make_doc(article.text)
    doc._.tacitus_meta = {"published": article.published, "dateline": article.dateline}
    return doc


def run_pipeline(nlp: Language, items: Sequence[NlpItem], batch_size: int, time_limit_s: float = 0.0) -> list[Outcome]:
    """Rows for each item, or an error message. ``time_limit_s`` bounds each document (the batch gets
    that much per document); a batch that fails or runs out of time is redone one document at a time,
    so only the bad document is lost."""
    try:
        with time_limit(time_limit_s * len(items)):
            docs = list(nlp.pipe((make_doc(nlp, item.article) for item in items), batch_size=batch_size))
            return [doc_rows(doc, item.article, item.article_id) for doc, item in zip(docs, items)]
    except Exception:  # isolate the failing document(s)
        out: list[Outcome] = []
        for item in items:
            try:
                with time_limit(time_limit_s):
                    out.append(doc_rows(nlp(make_doc(nlp, item.article)), item.article, item.article_id))
            except TimeLimitExceeded as exc:
                out.append(f"NLP pipeline {exc}")
            except Exception as exc:  # noqa: BLE001 - any failure of one document is recorded, not raised
                out.append(f"{type(exc).__name__}: {exc}")
        return out


class _WorkerState:
    """The pipeline of one worker process, loaded once by the pool initializer."""

    nlp: Language | None = None
    batch_size: int = 16
    time_limit: float = 0.0
    blas_threads: BlasThreads | None = None


def freeze_loaded(collect: bool = True) -> None:
    """Move every object alive now (the loaded pipeline: model, knowledge base, gazetteer, about 300,000
    objects) to the garbage collector's permanent generation, so that the full collections a long run
    triggers do not rescan them (each took ~0.25 s, about 4% of the NLP time). For a process that
    keeps its pipeline to the end (a worker), or until :func:`gc.unfreeze` (the in-process engine).
    ``collect`` first frees what loading left behind (a worker does it once; the in-process engine
    skips it: a full collection of a big process costs more than a short run gains, and whatever
    garbage is frozen with the pipeline is collectable again after ``gc.unfreeze``)."""
    if collect:
        gc.collect()
    gc.freeze()


def load_for_worker(model: list[str], kb_files: list[str], fallback_threshold: float, triage: bool = False,
                    compiled_rules: bool = True, blas: str = "numpy",
                    blas_threads: int = 1) -> tuple[Language, BlasThreads]:
    """The pipeline of a process that keeps it for its lifetime (a pool worker, a Ray actor): its BLAS
    capped at ``blas_threads``, the pipeline built, then frozen out of the garbage collector's way.
    Keep the returned cap alive as long as the pipeline."""
    threads = BlasThreads(blas_threads)
    nlp, _ = build_pipeline(model, kb_files, fallback_threshold, triage, compiled_rules, blas)
    freeze_loaded()
    return nlp, threads


def _init_worker(model: list[str], batch_size: int, kb_files: list[str], fallback_threshold: float,
                 time_limit_s: float = 0.0, triage: bool = False, compiled_rules: bool = True,
                 blas: str = "numpy", blas_threads: int = 1) -> None:
    _WorkerState.nlp, _WorkerState.blas_threads = load_for_worker(model, kb_files, fallback_threshold, triage,
                                                                  compiled_rules, blas, blas_threads)
    _WorkerState.batch_size = batch_size
    _WorkerState.time_limit = time_limit_s


def _work(items: list[NlpItem]) -> list[Outcome]:
    assert _WorkerState.nlp is not None
    return run_pipeline(_WorkerState.nlp, items, _WorkerState.batch_size, _WorkerState.time_limit)


class Engine:
    """``process(items)`` returns one outcome per item, in order."""

    def __init__(self, model: Sequence[str], n_process: int = 1, batch_size: int = 16, kb_files: Sequence[str] = (),
                 fallback_threshold: float = 0.6, time_limit_s: float = 0.0, triage: bool = False,
                 compiled_rules: bool = True, blas: str = "numpy", blas_threads: int = 1):
        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self.time_limit = time_limit_s
        self.nlp: Language | None = None
        self.pool = None
        self._unfreeze_at_exit: weakref.finalize | None = None
        self.blas_threads: BlasThreads | None = None
        if self.n_process == 1:
            self.blas_threads = BlasThreads(blas_threads)  # undone by close()
            self.nlp, self.model_name = build_pipeline(list(model), list(kb_files), fallback_threshold, triage,
                                                       compiled_rules, blas)
            freeze_loaded(collect=False)  # undone by close()
            # an engine never closed (a script that just ends) is unfrozen when it is collected or at exit,
            # so the interpreter's shutdown frees the pipeline (else extension modules report it as leaked)
            self._unfreeze_at_exit = weakref.finalize(self, gc.unfreeze)
        else:
            from tacitus.nlp.pipeline import find_model

            self.model_name = find_model(list(model))
            ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else mp.get_context()
            self.pool = ctx.Pool(self.n_process, initializer=_init_worker, initargs=(list(model), batch_size, list(kb_files), fallback_threshold,
                                                       time_limit_s, triage, compiled_rules, blas, blas_threads))

    def process(self, items: Sequence[NlpItem]) -> list[Outcome]:
        if not items:
            return []
        if self.pool is None:
            assert self.nlp is not None
            return run_pipeline(self.nlp, items, self.batch_size, self.time_limit)
        size = max(1, -(-len(items) // self.n_process))
        parts = [list(items[i: i + size]) for i in range(0, len(items), size)]
        out: list[Outcome] = []
        for part in self.pool.map(_work, parts):
            out.extend(part)
        return out

    @property
    def frozen(self) -> bool:
        """Whether this engine's pipeline is frozen out of the garbage collector's way (until close())."""
        return self._unfreeze_at_exit is not None and self._unfreeze_at_exit.alive

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def close(self) -> None:
        if self.frozen:
            self._unfreeze_at_exit()  # gc.unfreeze(): the pipeline (and what else was frozen with it) can be
            # collected again; a finalizer runs once, so the exit hook is spent too
        if self.blas_threads is not None:
            self.blas_threads.restore()
            self.blas_threads = None
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None
