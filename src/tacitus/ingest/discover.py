"""Find input units: files (recursively in folders) and ``-`` for standard input."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from tacitus.ingest.records import InputFailure

#: Formats by suffix (after removing a trailing ``.gz``).
FORMATS = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".warc": "warc",
    ".arc": "warc",
}

STDIN = "-"


def display_path(path: str) -> str:
    """``path`` as text that can be stored and printed: bytes that are not UTF-8 (which Python keeps as
    surrogate escapes) are written ``\\xNN``. Equal to ``path`` for every ordinary name."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        pass
    try:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        return path.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class InputUnit:
    """A file (or stdin) to read. ``fmt`` is None for an unsupported type."""

    path: str
    fmt: str | None
    gzipped: bool = False

    @property
    def key(self) -> str:
        """The unit's name in the store (its path, undecodable bytes escaped); ``path`` is for opening."""
        return display_path(self.path)


def classify(path: str) -> tuple[str | None, bool]:
    name = path.lower()
    gz = name.endswith(".gz")
    if gz:
        name = name[:-3]
    suffix = os.path.splitext(name)[1]
    return FORMATS.get(suffix), gz


def _unit(path: str) -> InputUnit:
    fmt, gz = classify(path)
    return InputUnit(path, fmt, gz)


def discover(paths: Iterable[str | os.PathLike[str]], follow_symlinks: bool = False) -> Iterator[InputUnit | InputFailure]:
    """Yield input units in a stable order (sorted within each folder).

    Missing paths, unreadable folders and symlink loops are yielded as failures; hidden files and
    folders (starting with ``.``) are ignored when walking a folder. FIFOs, sockets and devices are
    yielded as units like files: the reader refuses them without blocking.
    """
    for raw in paths:
        p = str(raw)
        if p == STDIN:
            yield InputUnit(STDIN, "auto")
            continue
        path = Path(p)
        if path.is_dir():
            yield from _walk(path, follow_symlinks)
        elif path.exists():
            yield _unit(str(path))
        elif path.is_symlink():
            yield InputFailure(display_path(p), display_path(p), "discover", "broken symbolic link")
        else:
            yield InputFailure(display_path(p), display_path(p), "discover", "no such file or folder")


def _walk(root: Path, follow_symlinks: bool) -> Iterator[InputUnit | InputFailure]:
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
        except OSError as exc:
            name = display_path(str(folder))
            yield InputFailure(name, name, "discover", f"cannot read folder: {exc.strerror or exc}")
            continue
        ident = (st.st_dev, st.st_ino)
        if ident in seen:
            name = display_path(str(folder))
            yield InputFailure(name, name, "discover", "symbolic link loop (folder already visited)")
            continue
        seen.add(ident)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            name = display_path(str(folder))
            yield InputFailure(name, name, "discover", f"cannot list folder: {exc.strerror or exc}")
            continue
        subfolders = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_symlink() and not follow_symlinks:
                    if entry.is_dir(follow_symlinks=True):
                        continue  # symlinked folders are not followed unless asked
                if entry.is_dir(follow_symlinks=follow_symlinks):
                    subfolders.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=True):
                    yield _unit(entry.path)
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    name = display_path(entry.path)
                    yield InputFailure(name, name, "discover", "broken symbolic link")
                else:  # a FIFO, socket or device: the reader records it (it is never opened for waiting)
                    yield _unit(entry.path)
            except OSError as exc:
                name = display_path(entry.path)
                yield InputFailure(name, name, "discover", f"cannot stat: {exc.strerror or exc}")
        stack.extend(reversed(subfolders))
