"""The Ray engine (setting ``engine = "ray"``): the NLP stage on Ray Data, one writer into DuckDB.

1. The driver reads and cleans the inputs exactly as the local engine does (fingerprints, exact
   and near-duplicate detection, language and length checks, failures), writing what needs no NLP
   straight to the store, and the articles that need NLP to *input shards*: Parquet files in a work
   folder, ``batch_size`` articles each (one spaCy batch), written atomically.
2. Ray Data reads the shards that have no result yet (a task on the driver's node reads each one's
   bytes), runs ``map_batches`` with an actor pool (:class:`NlpWorker`: each actor loads the spaCy
   pipeline once) that takes one whole shard at a time and returns its whole *output shard* (Parquet
   bytes), which the driver writes to the work folder (atomically). Moving shards, not rows, keeps
   the driver and Ray Data's own bookkeeping off the CPUs the actors need.
3. The driver, the only writer, loads output shards into the store in shard order, one transaction
   each, through the same :meth:`Store.write_articles` path and row builders as the local engine
   (same row ids), then refreshes actors and the corpus tables as every run does.

Resuming: a killed run leaves whole shards behind. Run again and the driver skips the inputs the
store already holds, finds the articles already in a shard (by input key and fingerprint) without
sharding them again, lets Ray process only shards without an output shard, and loads the rest.
A shard article whose input has changed or gone since is not loaded. The work folder (setting
``ray_work_dir``, default ``<db>.ray-work``) is removed after a completed run. A shard's rows are
pickled Python values in a Parquet binary column, so they come back as they were built.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path
from typing import Any, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from tacitus import __version__
from tacitus.api.runloop import RunSummary, _kb_files, _progress, _read_all, _Run
from tacitus.corpus.finalize import refresh_corpus
from tacitus.errors import NoInputError, TacitusError
from tacitus.ingest import InputUnit, discover
from tacitus.nlp.engine import NlpItem
from tacitus.settings import Settings
from tacitus.store import Store
from tacitus.store.rows import article_row, input_row

#: What a shard holds: its articles in order, each with its MinHash signature.
_IN_SCHEMA = pa.schema([("pos", pa.int64()), ("article_id", pa.string()), ("key", pa.string()),
                        ("fingerprint", pa.string()), ("item", pa.binary())])
_OUT_SCHEMA = pa.schema([("pos", pa.int64()), ("article_id", pa.string()), ("outcome", pa.binary())])
#: Settings that change what a shard's rows are; a work folder made under others is discarded.
_SHARD_SETTINGS = ("model", "kb_files", "event_fallback_threshold", "triage", "blas", "doc_time_limit", "parse_chunk_chars",
                   "max_doc_tokens", "languages",
                   "min_words", "near_duplicate_threshold")


class RayEngineError(TacitusError):
    """Ray could not be started or reached, or a Ray task failed."""


class NlpWorker:
    """A Ray Data actor: loads the pipeline once, then turns batches of shard rows into outcomes."""

    def __init__(self, model: list[str], batch_size: int, kb: list[tuple[str, bytes]], fallback_threshold: float,
                 time_limit_s: float, triage: bool, blas: str = "numpy", blas_threads: int = 1,
                 chunk_chars: int = 20_000, max_tokens: int = 300_000):
        import tempfile

        from tacitus.nlp.engine import load_for_worker

        self._kb_dir = tempfile.mkdtemp(prefix="tacitus-ray-kb-")  # the driver's KB files, rewritten here
        files = []
        for i, (name, data) in enumerate(kb):
            path = os.path.join(self._kb_dir, f"{i:03d}-{os.path.basename(name)}")
            with open(path, "wb") as fh:
                fh.write(data)
            files.append(path)
        # the actor keeps its pipeline (and its BLAS cap) to the end
        self.nlp, self._blas_threads = load_for_worker(model, files, fallback_threshold, triage, blas=blas,
                                                       blas_threads=blas_threads)
        self.batch_size = batch_size
        self.time_limit = time_limit_s
        self.chunk_chars = chunk_chars
        self.max_tokens = max_tokens

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        """Whole shards in, whole output shards out: each row holds an input shard's Parquet bytes and
        gets back its output shard's (the driver only writes them to disk)."""
        from tacitus.nlp.engine import run_pipeline

        outputs = []
        for data in batch["data"]:
            table = pq.read_table(pa.BufferReader(bytes(data)), columns=["pos", "article_id", "item"])
            items = [pickle.loads(b)[0] for b in table.column("item").to_pylist()]
            outcomes = run_pipeline(self.nlp, items, self.batch_size, self.time_limit, self.chunk_chars,
                                    self.max_tokens)
            out = pa.table({"pos": table.column("pos"), "article_id": table.column("article_id"),
                            "outcome": [pickle.dumps(o, protocol=pickle.HIGHEST_PROTOCOL) for o in outcomes]},
                           schema=_OUT_SCHEMA)
            sink = pa.BufferOutputStream()
            pq.write_table(out, sink)
            outputs.append(sink.getvalue().to_pybytes())
        return {"path": list(batch["path"]), "data": outputs}


class WorkFolder:
    """Input shards, output shards and load markers of one database's Ray runs."""

    def __init__(self, path: Path, settings: Settings):
        self.path = path
        fingerprint = json.dumps({k: settings[k] for k in _SHARD_SETTINGS}, sort_keys=True, default=str)
        manifest = path / "manifest.json"
        if path.exists():
            try:
                same = json.loads(manifest.read_text(encoding="utf-8")).get("settings") == fingerprint
            except (OSError, ValueError):
                same = False
            if not same:
                shutil.rmtree(path)  # made under other settings: its rows would not be this run's
        path.mkdir(parents=True, exist_ok=True)
        if not manifest.exists():
            _atomic_write(manifest, json.dumps({"settings": fingerprint, "version": __version__}).encode())
        for tmp in path.glob("*.tmp"):
            tmp.unlink()  # a shard cut short by a kill
        #: (input key, fingerprint) -> article id, for every article already in an input shard
        self.sharded: dict[tuple[str, str], str] = {}
        self.shards: list[str] = sorted(p.stem for p in path.glob("in-*.parquet"))
        for name in self.shards:
            t = pq.read_table(self.input(name), columns=["article_id", "key", "fingerprint"])
            for aid, key, fp in zip(*(t.column(c).to_pylist() for c in ("article_id", "key", "fingerprint"))):
                self.sharded[(key, fp)] = aid

    def input(self, name: str) -> Path:
        return self.path / f"{name}.parquet"

    def output(self, name: str) -> Path:
        return self.path / f"out-{name[3:]}.parquet"

    def loaded(self, name: str) -> Path:
        return self.path / f"loaded-{name[3:]}"

    def add_shard(self, rows: list[tuple[NlpItem, list[int] | None]]) -> str:
        name = f"in-{len(self.shards):06d}"
        table = pa.table({
            "pos": list(range(len(rows))),
            "article_id": [item.article_id for item, _ in rows],
            "key": [item.article.key for item, _ in rows],
            "fingerprint": [item.article.fingerprint for item, _ in rows],
            "item": [pickle.dumps((item, sig), protocol=pickle.HIGHEST_PROTOCOL) for item, sig in rows],
        }, schema=_IN_SCHEMA)
        _atomic_parquet(table, self.input(name))
        self.shards.append(name)
        for item, _ in rows:
            self.sharded[(item.article.key, item.article.fingerprint)] = item.article_id
        return name


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _atomic_parquet(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    pq.write_table(table, tmp)
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class _ShardingRun(_Run):
    """The local run's input handling, but articles that need NLP go to input shards."""

    def __init__(self, store: Store, settings: Settings, work: WorkFolder, run_id: int, force: bool, progress,
                 shard_size: int):
        super().__init__(store, settings, None, run_id, force, progress)  # type: ignore[arg-type]
        self.work = work
        self.chunk = shard_size
        self.sharded_ids: dict[str, str] = {}  # article id -> input key, for articles sent to a shard this run
        self.wanted: set[tuple[str, str]] = set()  # (input key, fingerprint) of every article this run sends to NLP
        self.to_shard: list[tuple[NlpItem, list[int] | None]] = []
        self.on_shard = None  # called after each new input shard (the Ray engine starts Ray then)

    def handle(self, item) -> None:  # noqa: ANN001
        from tacitus.ingest import RawArticle
        from tacitus.ingest.ids import article_id as make_article_id

        if isinstance(item, RawArticle):
            aid = make_article_id(item.text)
            owner = self.sharded_ids.get(aid)
            if owner is not None and owner != item.key:
                self.pending_ids[aid] = owner  # an exact copy of an article still in a shard
        super().handle(item)

    def flush(self) -> None:
        batch = self.direct
        self.direct = []
        for item, key in self.pending:
            aid = item.article_id
            self.sharded_ids[aid] = key
            self.wanted.add((key, item.article.fingerprint))
            sig = self.signatures.pop(aid, None)
            if self.work.sharded.get((key, item.article.fingerprint)) == aid:
                continue  # already in a shard from an earlier, interrupted run
            self.to_shard.append((item, sig))
        self.pending = []
        with self.clock("write"):
            self.store.write_articles(batch, replace=self.force)
        self.pending_ids.clear()
        if len(self.to_shard) >= self.chunk:
            self.cut_shard()

    def cut_shard(self) -> None:
        while self.to_shard:
            part, self.to_shard = self.to_shard[:self.chunk], self.to_shard[self.chunk:]
            self.work.add_shard(part)
            if self.on_shard is not None:
                self.on_shard()


class _QuietRay:
    """Ray's own loggers at ERROR for the run (its INFO lines about execution plans and its warnings
    would drown the progress bar); the levels they had are restored after."""

    NAMES = ("ray", "ray.data", "ray._private", "ray.data._internal.execution.streaming_executor",
             "ray.data._internal.progress")

    def __init__(self):
        import logging

        self.levels = {n: logging.getLogger(n).level for n in self.NAMES}
        self.apply()

    @classmethod
    def apply(cls) -> None:
        """(Again once Ray Data has run: it sets its loggers up then.)"""
        import logging

        for n in cls.NAMES:
            logging.getLogger(n).setLevel(logging.ERROR)

    def restore(self) -> None:
        import logging

        for n, level in self.levels.items():
            logging.getLogger(n).setLevel(level)


def _check_reachable(address: str, timeout: float = 5.0) -> None:
    """A ``host:port`` or ``ray://host:port`` address that accepts no connection fails now, in a few
    seconds, instead of after Ray's own retries (minutes). Other forms (``auto``) are left to Ray."""
    import re
    import socket

    m = re.fullmatch(r"(?:ray://)?\[?([\w.:-]+?)\]?:(\d+)", address.strip())
    if m is None:
        return
    try:
        socket.create_connection((m.group(1), int(m.group(2))), timeout=timeout).close()
    except OSError as exc:
        raise RayEngineError(f"cannot reach a Ray cluster at {address}: {exc.strerror or exc}") from None


def _start_ray(settings: Settings):
    import logging

    try:
        import ray
    except ImportError as exc:  # pragma: no cover - ray is a dependency
        raise RayEngineError(f"the Ray engine needs ray[data]: {exc}") from None
    if ray.is_initialized():
        return ray, False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.ERROR,
                              "configure_logging": True}
    if settings.ray_address:
        _check_reachable(settings.ray_address)
    try:
        if settings.ray_address:
            ray.init(address=settings.ray_address, **kwargs)
        else:
            ray.init(num_cpus=max(1, settings.ray_workers), **kwargs)  # one CPU per pool actor
    except Exception as exc:  # noqa: BLE001 - ray raises many kinds; all mean "no cluster"
        where = settings.ray_address or "a local Ray"
        raise RayEngineError(f"cannot start or reach {where}: {type(exc).__name__}: {exc}") from None
    return ray, True


def _driver_has_spare_cpu(ray, settings: Settings) -> bool:
    """Whether the cores of the driver's machine outnumber the pool's actors placed there (a local Ray
    started by the command places them all there; on an existing cluster, the driver's node)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if not settings.ray_address:
        return cores > max(1, settings.ray_workers)
    try:
        here = ray.get_runtime_context().get_node_id()
        node = next(n for n in ray.nodes() if n.get("NodeID") == here)
        return cores > int(node.get("Resources", {}).get("CPU", 0))
    except Exception:  # noqa: BLE001 - no node information: assume the driver has its own core
        return True


def _quiet_data_context() -> None:
    """Ray Data draws no progress bars of its own (the run has one) and logs no statistics."""
    import ray.data

    ctx = ray.data.DataContext.get_current()
    ctx.enable_progress_bars = False
    ctx.verbose_stats_logs = False
    try:
        ctx.enable_operator_progress_bars = False
    except AttributeError:  # pragma: no cover - older Ray Data
        pass


class _Warmup:
    """Brings up Ray Data's cluster-wide helper actors while the driver is still reading.

    On a cluster's first dataset with an actor pool, Ray Data starts a stats actor, an autoscaling
    coordinator and an actor-location tracker: a Python process each, about 1.5 s of CPU apiece to
    start (measured on our 2-core machine). Started with the Ray stage they take that CPU from the
    NLP actors loading their pipelines; started by a trivial dataset in a background thread as soon as
    the first shard is cut, they use the core the driver's reading leaves idle. The warm-up is only an
    optimisation: if it fails, the stage starts them itself."""

    def __init__(self):
        self.thread = None

    def start(self) -> None:
        import threading

        if self.thread is None:
            _quiet_data_context()
            self.thread = threading.Thread(target=self._run, name="tacitus-ray-warmup", daemon=True)
            self.thread.start()

    @staticmethod
    def _run() -> None:
        try:
            import ray
            import ray.data

            if not ray.is_initialized():  # the run ended first: do not let Ray Data start a Ray of its own
                return

            class Identity:  # a local class: Ray ships it by value, so its worker imports nothing of ours
                def __call__(self, batch):
                    return batch

            ray.data.range(1, override_num_blocks=1).map_batches(
                Identity, batch_size=None, num_cpus=0, compute=ray.data.ActorPoolStrategy(size=1)).materialize()
        except Exception:  # noqa: BLE001 - an optimisation only: the Ray stage starts what is missing
            pass

    def join(self, timeout: float = 120.0) -> None:
        """Wait for the warm-up (before the stage, so the two never share the cluster)."""
        if self.thread is not None:
            self.thread.join(timeout)
            _QuietRay.apply()  # Ray Data has set its loggers up by now


def _run_shards(ray, work: WorkFolder, names: list[str], settings: Settings, kb: list[tuple[str, bytes]],
                on_shard_done) -> None:
    """Ray Data over the input shards ``names``; each finished shard's rows go to its output shard."""
    import ray.data

    _quiet_data_context()
    by_path = {str(work.input(n)): n for n in names}
    # One item per shard. Its bytes are read by a task on this node (where the work folder is: a cluster
    # needs no shared storage), one at a time and as the pool needs them (so the corpus is never all in
    # the object store); an actor gets whole shards, one at a time, and returns whole output shards, so
    # Ray Data moves a few large objects per shard and the driver does little but write them.
    # (ray.data.read_parquet would resolve paths through fsspec's HTTP filesystem, which needs aiohttp.)
    ds = ray.data.from_items([{"path": p} for p in by_path], override_num_blocks=len(names))
    here = {"ray.io/node-id": ray.get_runtime_context().get_node_id()}
    ds = ds.map(_read_shard, num_cpus=0, compute=ray.data.TaskPoolStrategy(size=1), label_selector=here)
    ds = ds.map_batches(
        NlpWorker,
        fn_constructor_kwargs={"model": list(settings.model), "batch_size": settings.batch_size, "kb": kb,
                               "fallback_threshold": settings.event_fallback_threshold,
                               "time_limit_s": settings.doc_time_limit, "triage": settings.triage,
                               "blas": settings.blas, "blas_threads": settings.blas_threads,
                               "chunk_chars": settings.parse_chunk_chars, "max_tokens": settings.max_doc_tokens},
        batch_size=1, num_cpus=1, batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(size=max(1, settings.ray_workers), max_tasks_in_flight_per_actor=2,
                                                 max_concurrent_calls_per_actor=1),
    )
    done = set()
    for n, batch in enumerate(ds.iter_batches(batch_size=None, batch_format="numpy")):
        if n == 0:
            _QuietRay.apply()  # Ray Data has set its loggers up by now
        for path, data in zip(batch["path"], batch["data"]):
            path = _local_path(str(path), by_path)
            name = by_path[path]
            _atomic_write(work.output(name), bytes(data))
            done.add(name)
            on_shard_done(name)
    missing = sorted(set(names) - done)
    if missing:
        raise RayEngineError(f"Ray returned no rows for shards: {', '.join(missing)}")


def _read_shard(row: dict[str, Any]) -> dict[str, Any]:
    with open(row["path"], "rb") as fh:
        return {"path": row["path"], "data": fh.read()}


def _local_path(path: str, known: dict[str, str]) -> str:
    if path in known:
        return path
    for p in known:  # Ray may report paths without the leading slash or with a scheme
        if path.endswith(p.lstrip("/")):
            return p
    raise RayEngineError(f"Ray returned rows of an unknown shard: {path}")


def _count_shards(progress, task, done: int):
    """A shard-done callback that only moves the bar (``done`` shards had their rows already)."""
    if progress is None:
        return lambda _name: None
    progress.update(task, completed=done)
    return lambda _name: progress.advance(task)


class _Loader:
    """Loads output shards into the store in shard order (the single writer)."""

    def __init__(self, run: _ShardingRun, work: WorkFolder, progress, task):
        self.run = run
        self.work = work
        self.progress = progress
        self.task = task
        self.next = 0

    def advance(self) -> None:
        work = self.work
        while self.next < len(work.shards):
            name = work.shards[self.next]
            if not work.loaded(name).exists():
                if not work.output(name).exists():
                    return
                self.load(name)
                _atomic_write(work.loaded(name), b"")
            self.next += 1
            if self.progress is not None:
                self.progress.advance(self.task)

    def load(self, name: str) -> None:
        run = self.run
        items = {}
        inputs = pq.read_table(self.work.input(name))
        for aid, blob in zip(inputs.column("article_id").to_pylist(), inputs.column("item").to_pylist()):
            items[aid] = pickle.loads(blob)
        out = pq.read_table(self.work.output(name))
        batch = []
        for aid, blob in zip(out.column("article_id").to_pylist(), out.column("outcome").to_pylist()):
            item, sig = items[aid]
            article = item.article
            if (article.key, article.fingerprint) not in run.wanted:
                continue  # left by an interrupted run, and the input has changed or gone since
            outcome = pickle.loads(blob)
            if isinstance(outcome, str):
                run.fail(article.key, article.source_path, article.record, "nlp", outcome, article.fingerprint)
                continue
            run.counts["articles"] += 1
            extra = (outcome.pop("_article", None) or [{}])[0]
            outcome["articles"] = [article_row(article, item.article_id, "ok", run.run_id) | extra]
            outcome["inputs"] = [input_row(article, item.article_id, "ok", run.run_id)]
            outcome["signatures"] = [{"article_id": item.article_id, "minhash": sig}] if sig is not None else []
            batch.append(outcome)
        run.store.write_articles(batch, replace=run.force)


def process_ray(paths: Sequence[str], db: str | os.PathLike[str], settings: Settings, *, force: bool = False) -> RunSummary:
    """:func:`tacitus.process` on the Ray engine (see the module docstring)."""
    paths = [str(p) for p in paths]
    units = list({u.key: u for u in discover(paths, settings.follow_symlinks)}.values())
    if not any(isinstance(u, InputUnit) for u in units):
        raise NoInputError(f"no input files found in: {' '.join(paths) or '(nothing given)'}")
    started = time.monotonic()
    store = Store.open(db)
    import tempfile

    tmp = tempfile.TemporaryDirectory(prefix="tacitus-")
    ray = None
    started_ray = False
    quiet = _QuietRay()
    warmup = _Warmup()
    try:
        kb_files = _kb_files(settings, store, tmp.name)
        kb = [(f, Path(f).read_bytes()) for f in kb_files]
        from tacitus.nlp.pipeline import find_model

        model_name = find_model(list(settings.model))
        work_dir = Path(settings.ray_work_dir) if settings.ray_work_dir else Path(f"{db}.ray-work")
        if settings.ray_address:  # an existing cluster: fail before reading anything if it is not there
            ray, started_ray = _start_ray(settings)
        work = WorkFolder(work_dir, settings)
        run_id = store.begin_run(settings.to_json(), model_name, paths, __version__)
        progress = _progress(settings)
        run = _ShardingRun(store, settings, work, run_id, force, progress, settings.batch_size)

        def start_ray() -> None:
            """At the first new shard (there is NLP to do): Ray, and its warm-up, while reading goes on."""
            nonlocal ray, started_ray
            run.on_shard = None
            if ray is None:
                ray, started_ray = _start_ray(settings)
            warmup.start()

        run.on_shard = start_ray
        status = "interrupted"
        try:
            _read_all(run, units, progress)
            run.cut_shard()
            todo = [n for n in work.shards if not work.output(n).exists() and not work.loaded(n).exists()]
            shard_task = progress.add_task("nlp shards", total=len(work.shards)) if progress is not None else None
            loader = _Loader(run, work, progress, shard_task)
            loader.advance()
            if todo:
                if ray is None:
                    ray, started_ray = _start_ray(settings)
                warmup.join()
                # The driver loads finished shards while the actors work only when it has a core of its own:
                # Ray runs its workers at nice 15, so on a machine whose cores all hold actors every
                # load would stall one; there the shards are loaded once the Ray stage is done.
                on_shard_done = lambda _name: loader.advance()  # noqa: E731
                if not _driver_has_spare_cpu(ray, settings):
                    on_shard_done = _count_shards(progress, shard_task, len(work.shards) - len(todo))
                    if progress is not None:  # the loads after the stage get a bar of their own
                        loader.task = progress.add_task("loading shards", total=len(work.shards),
                                                        completed=loader.next)
                try:
                    _run_shards(ray, work, todo, settings, kb, on_shard_done)
                except (TacitusError, KeyboardInterrupt):
                    raise
                except Exception as exc:  # noqa: BLE001 - a Ray task or actor failed; finished shards are kept
                    message = " ".join(str(exc).split())[:500]
                    raise RayEngineError(f"the Ray stage failed ({type(exc).__name__}: {message}); finished shards "
                                         f"are kept in {work.path}, run the same command again to resume") from exc
            loader.advance()
            if loader.next != len(work.shards):
                raise RayEngineError("some shards were not processed")
            store.refresh_actors()
            refresh_corpus(store, settings)
            status = "completed"
        finally:
            if progress is not None:
                progress.stop()
            store.finish_run(run_id, status, run.counts | {"units": len(units)})
        shutil.rmtree(work.path, ignore_errors=True)
        return RunSummary(run_id, str(db), model_name, time.monotonic() - started,
                          dict(run.counts) | {"units": len(units)}, run.failures)
    finally:
        warmup.join(timeout=30.0)  # (seconds, normally; before Ray goes away under it)
        if started_ray and ray is not None:
            ray.shutdown()
        quiet.restore()
        store.close()
        tmp.cleanup()

