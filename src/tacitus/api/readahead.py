"""Reading ahead: the reader in a child process, so that reading, cleaning, language identification and
date finding of the next articles overlap with the parse of the batch before (setting ``read_ahead``).

The child is forked when the run starts, before the model loads, and reads the units in order (and
computes each article's near-duplicate signature, which the run would otherwise compute itself) into a
bounded queue (at most ``QUEUE_ITEMS`` results wait there, so memory stays bounded whatever the input).
Its results are the reader's own (articles, input failures, skips), in the same order as reading in the
run's process would give them, so a run stores the same rows either way. The reader's per-document time
limit is a timer signal; it still works, because the child reads in its own main thread (a read-ahead
*thread* would lose it).

Should the run be killed, the child notices that its parent is gone the next time it waits on a full
queue and ends. Should the child die (killed, out of memory), the run's process reads on by itself from where the child
stopped: the unit being read is read again and the results already received from it are passed over,
so nothing is lost and nothing is stored twice. Standard input, which cannot be read twice, is never
read ahead, nor is anything where ``fork`` is not available.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import queue
import time
from typing import Iterator, Sequence

from tacitus.ingest import InputFailure, InputUnit, Reader
from tacitus.settings import Settings

#: Results of the reader that may wait in the queue at once.
QUEUE_ITEMS = 32
#: Key of ``RawArticle.extra`` under which the child passes an article's MinHash signature.
MINHASH = "_minhash"
_POLL_S = 0.5


def read_guarded(reader: Reader, unit: InputUnit) -> Iterator:
    """The reader's results for ``unit``; should the reader itself fail on it (a bug, a library
    raising something unforeseen on hostile bytes), a failures row says so and the run goes on. What
    the unit yielded before the error is kept."""
    try:
        yield from reader.read(unit)
    except Exception as exc:  # noqa: BLE001 - one input must never end the run
        message = " ".join(str(exc).split())[:300]
        yield InputFailure(unit.key, unit.key, "read", f"unexpected error while reading: {type(exc).__name__}: {message}")


def usable(units: Sequence[InputUnit | InputFailure]) -> bool:
    """Whether these units can be read ahead: ``fork`` exists, no unit is standard input, and there is
    more than one unit to read."""
    if "fork" not in mp.get_all_start_methods():
        return False
    readable = [u for u in units if isinstance(u, InputUnit)]
    return len(readable) > 1 and not any(u.path == "-" for u in readable)


class _Orphaned(Exception):
    """The run that forked the child is gone."""


def _put(out, message, parent: int) -> None:
    """Put ``message`` in the bounded queue, waiting while it is full; give up once the parent has died (a
    run killed with SIGKILL cannot stop its child, and a full queue would keep it waiting for ever)."""
    while True:
        try:
            out.put(message, timeout=_POLL_S)
            return
        except queue.Full:
            if os.getppid() != parent:
                raise _Orphaned from None


def _child(settings: Settings, units: Sequence[InputUnit | InputFailure], out, parent: int) -> None:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        from tacitus.corpus.dedup import NearDuplicateIndex
        from tacitus.ingest import RawArticle

        reader = Reader(settings)
        reader.warm_up()
        hasher = NearDuplicateIndex(settings.near_duplicate_threshold)
        for i, unit in enumerate(units):
            if isinstance(unit, InputUnit):
                for item in read_guarded(reader, unit):
                    if isinstance(item, RawArticle):  # the near-duplicate signature, here rather than in the run
                        item.extra[MINHASH] = hasher.signature(item.text)
                    _put(out, ("item", i, item), parent)
            _put(out, ("done", i, None), parent)
        _put(out, ("end", time.perf_counter() - wall, time.process_time() - cpu), parent)
    except BaseException:  # noqa: BLE001 - the parent notices the missing "end" and reads on itself
        pass
    finally:
        if os.getppid() == parent:
            out.close()
            out.join_thread()  # flush what is queued to the parent
        else:
            out.cancel_join_thread()
        os._exit(0)  # no interpreter teardown: the forked copy of the parent's state is not ours to clean


class ReadAhead:
    """The reader's results for ``units`` from a child process; :meth:`results` yields ``(unit index,
    result or None)``, None once a unit is finished (after its last result)."""

    def __init__(self, settings: Settings, units: Sequence[InputUnit | InputFailure]):
        self.settings = settings
        self.units = list(units)
        ctx = mp.get_context("fork")
        self.queue = ctx.Queue(maxsize=QUEUE_ITEMS)
        self.process = ctx.Process(target=_child, args=(settings, self.units, self.queue, os.getpid()), daemon=True,
                                   name="tacitus-read-ahead")
        self.process.start()
        self.child_seconds: tuple[float, float] | None = None  # the child's (wall, CPU) seconds of reading
        self.fell_back = False

    def _get(self):
        while True:
            try:
                return self.queue.get(timeout=_POLL_S)
            except queue.Empty:
                if not self.process.is_alive():
                    try:
                        return self.queue.get(timeout=_POLL_S)
                    except queue.Empty:
                        return None

    def results(self, reader: Reader) -> Iterator[tuple[int, object]]:
        """``(unit index, result)`` in reading order, ``(unit index, None)`` after each unit; a unit that
        is an :class:`InputFailure` (found when the inputs were discovered) is its own result. ``reader``
        reads on in this process if the child dies."""
        current, received = 0, 0
        try:
            while True:
                msg = self._get()
                if msg is None:
                    break
                if msg[0] == "item":
                    current, received = msg[1], received + 1
                    yield msg[1], msg[2]
                elif msg[0] == "done":
                    i = msg[1]
                    if isinstance(self.units[i], InputFailure):
                        yield i, self.units[i]
                    yield i, None
                    current, received = i + 1, 0
                else:  # "end"
                    self.child_seconds = (msg[1], msg[2])
                    return
            self.fell_back = current < len(self.units)
            for i in range(current, len(self.units)):
                unit = self.units[i]
                if isinstance(unit, InputUnit):
                    for n, item in enumerate(read_guarded(reader, unit)):
                        if i == current and n < received:
                            continue  # the child read it and it was handled
                        yield i, item
                else:
                    yield i, unit
                yield i, None
        finally:
            self.close()

    def close(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
        self.process.join(timeout=5)
        self.queue.close()
        self.queue.cancel_join_thread()
