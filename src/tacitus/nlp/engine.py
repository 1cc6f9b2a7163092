"""Run the spaCy pipeline over batches of articles, in this process or in a pool of workers.

Each worker loads the pipeline once and returns plain table rows (picklable), so the parent only
writes. A document that makes the pipeline fail is isolated: the batch is retried one document at a
time and the bad one comes back as an error string, recorded as a failure row.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import time
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
    return with_meta(doc, article)


def with_meta(doc, article: RawArticle):
    doc._.tacitus_meta = {"published": article.published, "dateline": article.dateline}
    return doc


#: Characters of text the statistical model is given at once (setting ``parse_chunk_chars``): a longer
#: article is parsed in pieces of at most this size (:mod:`tacitus.nlp.chunks`).
PARSE_CHUNK_CHARS = 20_000
#: Tokens one document may have (setting ``max_doc_tokens``): the joined Doc, which the extractors
#: need whole, takes about 1 KB a token, so this bounds a document's memory whatever its text.
MAX_DOC_TOKENS = 300_000
#: At most this many characters of pieces go through the model in one minibatch.
BATCH_CHARS = 60_000


class DocumentTooLarge(ValueError):
    """A document has more tokens than ``max_doc_tokens``."""


def is_model_component(name: str) -> bool:
    """The model's own components (tok2vec, tagger, parser, NER, ...) run on pieces of bounded size;
    the Tacitus components (``tacitus_*``) run on the whole document."""
    return not name.startswith("tacitus_")


def tokenize(nlp: Language, text: str, chunk_chars: int = PARSE_CHUNK_CHARS,
             max_tokens: int = MAX_DOC_TOKENS) -> list:
    """The pieces of ``text`` (at most ``chunk_chars`` characters each) as tokenised Docs; raises
    :class:`DocumentTooLarge` as soon as they hold more than ``max_tokens`` tokens (0: no limit)."""
    from tacitus.nlp.chunks import pieces

    docs, count = [], 0
    for piece in pieces(text, chunk_chars):
        doc = nlp.make_doc(piece)
        count += len(doc)
        if max_tokens and count > max_tokens:
            raise DocumentTooLarge(f"more than {max_tokens} tokens (setting max_doc_tokens) in "
                                   f"{len(text)} characters")
        docs.append(doc)
    return docs


def _minibatches(lengths: Sequence[int], batch_size: int, batch_chars: int) -> list[tuple[int, int]]:
    out, start, chars = [], 0, 0
    for i, n in enumerate(lengths):
        if i > start and (i - start >= batch_size or chars + n > batch_chars):
            out.append((start, i))
            start, chars = i, 0
        chars += n
    if start < len(lengths):
        out.append((start, len(lengths)))
    return out


def parse_model(nlp: Language, docs_pieces: Sequence[Sequence], batch_size: int,
                batch_chars: int = BATCH_CHARS) -> list:
    """One Doc per document, given as its tokenised pieces (:func:`tokenize`), with the model's
    annotations (no Tacitus component run): the pieces go through the model in minibatches of at
    most ``batch_size`` pieces and ``batch_chars`` characters, so its memory is bounded whatever
    the documents' lengths, and each document's pieces are then joined into one Doc."""
    from tacitus.nlp.chunks import join_pieces

    skip = [name for name in nlp.pipe_names if not is_model_component(name)]
    flat = [piece for parts in docs_pieces for piece in parts]
    parsed = []
    for a, b in _minibatches([len(p.text) for p in flat], batch_size, batch_chars):
        parsed.extend(nlp.pipe(flat[a:b], batch_size=b - a, disable=skip))
    del flat
    out, at = [], 0
    for parts in docs_pieces:
        out.append(join_pieces(parsed[at: at + len(parts)]))
        parsed[at: at + len(parts)] = [None] * len(parts)  # the pieces are freed as each document is joined
        at += len(parts)
    return out


def extract(nlp: Language, doc):
    """Run the Tacitus components (in pipeline order) on a Doc the model has annotated."""
    for name, proc in nlp.pipeline:
        if not is_model_component(name):
            doc = proc(doc)
    return doc


def process_one(nlp: Language, item: NlpItem, chunk_chars: int = PARSE_CHUNK_CHARS,
                max_tokens: int = MAX_DOC_TOKENS) -> Rows:
    """Rows for one article: parsed in bounded pieces, then extracted as one document."""
    doc = parse_model(nlp, [tokenize(nlp, item.article.text, chunk_chars, max_tokens)], 1)[0]
    return doc_rows(extract(nlp, with_meta(doc, item.article)), item.article, item.article_id)


def run_pipeline(nlp: Language, items: Sequence[NlpItem], batch_size: int, time_limit_s: float = 0.0,
                 chunk_chars: int = PARSE_CHUNK_CHARS, max_tokens: int = MAX_DOC_TOKENS) -> list[Outcome]:
    """Rows for each item, or an error message.

    The model parses the batch's texts together, in pieces of at most ``chunk_chars`` characters
    (a document of more than ``max_tokens`` tokens is refused before it is parsed); the model's time
    is shared among the documents in proportion to their length (parsing is linear in the text).
    Each document is then extracted on its own under what is left of its ``time_limit_s``, so the
    limit is per document whatever the batch size. Should the model stage fail or take longer than
    the limit times the batch's size, the batch is redone one document at a time, each under its
    own limit, so only the bad document is lost."""
    russian = [i for i, item in enumerate(items) if item.article.language == RUSSIAN]
    if russian:  # Russian articles go through natasha and the Russian extractors, one at a time
        others = [i for i in range(len(items)) if items[i].article.language != RUSSIAN]
        mixed: list[Outcome | None] = [None] * len(items)
        for i, outcome in zip(others, run_pipeline(nlp, [items[i] for i in others], batch_size, time_limit_s,
                                                   chunk_chars, max_tokens) if others else []):
            mixed[i] = outcome
        rp = russian_pipeline(nlp)
        for i in russian:
            mixed[i] = _guarded(lambda: _russian_rows(rp, items[i], max_tokens, chunk_chars), time_limit_s,
                                time_limit_s)
        return mixed  # type: ignore[return-value]
    out: list[Outcome | None] = [None] * len(items)
    todo: list[int] = []
    pieces: list[list] = []
    try:
        started = time.monotonic()
        with time_limit(time_limit_s * len(items)):
            for i, item in enumerate(items):
                try:
                    pieces.append(tokenize(nlp, item.article.text, chunk_chars, max_tokens))
                    todo.append(i)
                except DocumentTooLarge as exc:
                    out[i] = f"document too large: {exc}"
            docs = parse_model(nlp, pieces, batch_size)
            del pieces
        spent = time.monotonic() - started
    except Exception:  # isolate the failing document(s)
        return [_one_alone(nlp, item, time_limit_s, chunk_chars, max_tokens) for item in items]
    total = sum(len(items[i].article.text) for i in todo) or 1
    for k, i in enumerate(todo):
        doc, item = docs[k], items[i]
        docs[k] = None  # the rows are what is kept: a document's Doc is freed once extracted
        share = spent * len(item.article.text) / total
        if time_limit_s and share >= time_limit_s:
            out[i] = f"NLP pipeline {TimeLimitExceeded(time_limit_s)}"
            continue
        out[i] = _guarded(lambda: doc_rows(extract(nlp, with_meta(doc, item.article)), item.article, item.article_id),
                          time_limit_s - share if time_limit_s else 0.0, time_limit_s)
        del doc
    return out  # type: ignore[return-value]


RUSSIAN = "ru"


def russian_pipeline(nlp: Language):
    """The Russian pipeline that goes with ``nlp`` (same knowledge base), made on first use and kept
    with it, so a process loads natasha once and only when it meets a Russian article."""
    rp = getattr(nlp, "_tacitus_russian", None)
    if rp is None:
        from tacitus.nlp.pipeline_ru import RussianPipeline
        from tacitus.resolve.kb import KnowledgeBase

        kb = nlp.get_pipe("tacitus_resolve").kb if "tacitus_resolve" in nlp.pipe_names else KnowledgeBase.load()
        rp = RussianPipeline(kb)
        nlp._tacitus_russian = rp  # type: ignore[attr-defined]
    return rp


def _russian_rows(rp, item: NlpItem, max_tokens: int, chunk_chars: int = PARSE_CHUNK_CHARS) -> Rows:
    words = len(item.article.text.split())  # natasha's tokens are as many, give or take punctuation
    if max_tokens and words > max_tokens:
        raise DocumentTooLarge(f"more than {max_tokens} tokens (setting max_doc_tokens) in "
                               f"{len(item.article.text)} characters")
    return doc_rows(rp(item.article, chunk_chars), item.article, item.article_id)


def _one_alone(nlp: Language, item: NlpItem, time_limit_s: float, chunk_chars: int, max_tokens: int) -> Outcome:
    return _guarded(lambda: process_one(nlp, item, chunk_chars, max_tokens), time_limit_s, time_limit_s)


def _guarded(work, seconds: float, limit: float) -> Outcome:
    try:
        with time_limit(seconds):
            return work()
    except TimeLimitExceeded:
        return f"NLP pipeline {TimeLimitExceeded(limit)}"
    except DocumentTooLarge as exc:
        return f"document too large: {exc}"
    except Exception as exc:  # noqa: BLE001 - any failure of one document is recorded, not raised
        return f"{type(exc).__name__}: {exc}"


class _WorkerState:
    """The pipeline of one worker process, loaded once by the pool initializer."""

    nlp: Language | None = None
    batch_size: int = 16
    time_limit: float = 0.0
    chunk_chars: int = PARSE_CHUNK_CHARS
    max_tokens: int = MAX_DOC_TOKENS
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
                 blas: str = "numpy", blas_threads: int = 1, chunk_chars: int = PARSE_CHUNK_CHARS,
                 max_tokens: int = MAX_DOC_TOKENS) -> None:
    _WorkerState.nlp, _WorkerState.blas_threads = load_for_worker(model, kb_files, fallback_threshold, triage,
                                                                  compiled_rules, blas, blas_threads)
    _WorkerState.batch_size = batch_size
    _WorkerState.time_limit = time_limit_s
    _WorkerState.chunk_chars = chunk_chars
    _WorkerState.max_tokens = max_tokens


def _work(items: list[NlpItem]) -> list[Outcome]:
    assert _WorkerState.nlp is not None
    return run_pipeline(_WorkerState.nlp, items, _WorkerState.batch_size, _WorkerState.time_limit,
                        _WorkerState.chunk_chars, _WorkerState.max_tokens)


class Engine:
    """``process(items)`` returns one outcome per item, in order."""

    def __init__(self, model: Sequence[str], n_process: int = 1, batch_size: int = 16, kb_files: Sequence[str] = (),
                 fallback_threshold: float = 0.6, time_limit_s: float = 0.0, triage: bool = False,
                 compiled_rules: bool = True, blas: str = "numpy", blas_threads: int = 1,
                 chunk_chars: int = PARSE_CHUNK_CHARS, max_tokens: int = MAX_DOC_TOKENS):
        self.n_process = max(1, n_process)
        self.batch_size = batch_size
        self.time_limit = time_limit_s
        self.chunk_chars = chunk_chars
        self.max_tokens = max_tokens
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
                                                       time_limit_s, triage, compiled_rules, blas, blas_threads,
                                                       chunk_chars, max_tokens))

    def process(self, items: Sequence[NlpItem]) -> list[Outcome]:
        if not items:
            return []
        if self.pool is None:
            assert self.nlp is not None
            return run_pipeline(self.nlp, items, self.batch_size, self.time_limit, self.chunk_chars, self.max_tokens)
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
