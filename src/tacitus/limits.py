"""Bounds on the time one document may take, and safe opening of input paths.

``time_limit(seconds)`` raises :class:`TimeLimitExceeded` inside the block once it has run that long.
It uses a real-time interval timer (``SIGALRM``), so it works in the main thread of a process (the
CLI, the API called from a script, each worker of the local engine's pool, a Ray worker's task); in
another thread or on a platform without ``SIGALRM`` it does nothing, and the block runs unbounded.
The signal interrupts Python code between bytecodes: a single long call into C (one regular
expression, one lxml parse) is interrupted when it returns, which the size limits keep short.
"""

from __future__ import annotations

import os
import signal
import stat
import threading
import time
from contextlib import contextmanager
from typing import Iterator


class TimeLimitExceeded(Exception):
    """A document took longer than its time limit."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than the time limit of {seconds:g} s (setting doc_time_limit)")
        self.seconds = seconds


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


#: Should the first alarm's exception be swallowed (it landed in a ``__del__`` or a callback whose
#: errors are ignored), the alarm fires again this many seconds later, until the block ends.
REFIRE_S = 0.25


class _Alarm:
    __slots__ = ("armed",)

    def __init__(self) -> None:
        self.armed = True


@contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise :class:`TimeLimitExceeded` in the block after ``seconds`` (``0`` or ``None``: no limit).

    Nested limits are honoured: the inner block gets at most what the outer one has left, and the
    outer timer is restored when the inner block ends."""
    if not seconds or seconds <= 0 or not _can_alarm():
        yield
        return
    outer_remaining, outer_interval = signal.getitimer(signal.ITIMER_REAL)
    outer_handler = signal.getsignal(signal.SIGALRM)
    if outer_handler is None:  # installed from C, not restorable from Python: restore the default
        outer_handler = signal.SIG_DFL
    started = time.monotonic()
    own = seconds if not outer_remaining else min(seconds, outer_remaining)
    inner_is_tighter = not outer_remaining or seconds <= outer_remaining
    state = _Alarm()

    def _raise(signum, frame):
        if not state.armed:
            return
        if inner_is_tighter:
            raise TimeLimitExceeded(seconds)
        if callable(outer_handler):  # the outer limit runs out first: its handler raises
            outer_handler(signum, frame)

    signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, own, REFIRE_S)
    try:
        yield
    finally:
        state.armed = False  # first, so that a late alarm does nothing
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, outer_handler)
        if outer_remaining:
            left = outer_remaining - (time.monotonic() - started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3), outer_interval)


_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular(mode: int) -> str | None:
    """What a non-regular file is ("a named pipe (FIFO)", ...), or None for a regular file."""
    for test, what in _KINDS:
        if test(mode):
            return what
    return None if stat.S_ISREG(mode) else "not a regular file"


def open_regular(path: str):
    """Open ``path`` for binary reading without ever blocking: a FIFO, device or socket raises
    :class:`NotRegularFileError` instead of waiting for a writer; OSError as ``open`` does."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        what = not_regular(mode)
        if what is not None:
            raise NotRegularFileError(what)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class NotRegularFileError(OSError):
    """The path is a FIFO, device, socket or folder: Tacitus reads regular files (and ``-``)."""

    def __init__(self, what: str):
        super().__init__(f"not a regular file: it is {what}; to read a stream, pipe it to 'tacitus run -'")
        self.what = what
