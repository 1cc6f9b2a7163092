"""Reading ahead in a child process (``tacitus.api.readahead``, setting ``read_ahead``): the same results in
the same order as reading in the run's process, a run stores the same rows either way, and a child that
dies mid-way loses nothing and duplicates nothing."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from tacitus.api import readahead
from tacitus.api.runloop import _iter_units
from tacitus.ingest import InputFailure, Reader, discover
from tacitus.settings import resolve

TEXT = ("The foreign ministers of {a} and {b} met in Vienna on Tuesday to discuss the ceasefire, officials said. "
        "They agreed to meet again next month.\n")


def _write_inputs(folder: Path, n: int) -> None:
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(TEXT.format(a=f"Country{i}", b="Austria"), encoding="utf-8")
    (folder / "records.jsonl").write_text(
        "\n".join(json.dumps({"text": TEXT.format(a=f"Land{i}", b="Peru"), "id": f"r{i}"}) for i in range(5))
        + "\n{not json\n", encoding="utf-8")
    (folder / "bad.bin").write_bytes(b"\x00\x01\x02" * 50)


def _key(item) -> tuple:
    if isinstance(item, InputFailure):
        return ("failure", item.key, item.stage, item.reason)
    return (type(item).__name__, item.key, getattr(item, "text", None), getattr(item, "language", None))


def _in_process(settings, units) -> list[tuple]:
    reader = Reader(settings)
    return [_key(x) for x in _iter_units(units, reader, None, None)]


def _ahead(settings, units, kill_after: int | None = None) -> tuple[list[tuple], readahead.ReadAhead]:
    ahead = readahead.ReadAhead(settings, units)
    out = []
    for i, item in ahead.results(Reader(settings)):
        if item is None:
            continue
        out.append(_key(item))
        if kill_after is not None and len(out) == kill_after:
            os.kill(ahead.process.pid, signal.SIGKILL)
    return out, ahead


def test_same_results_in_the_same_order(tmp_path):
    _write_inputs(tmp_path, 6)
    settings = resolve(use_default_config=False)
    units = list(discover([str(tmp_path)]))
    assert readahead.usable(units)
    expected = _in_process(settings, units)
    got, ahead = _ahead(settings, units)
    assert got == expected
    assert not ahead.fell_back and ahead.child_seconds is not None
    assert any(k[0] == "failure" for k in expected) and sum(k[0] == "RawArticle" for k in expected) == 11


def test_a_killed_child_loses_nothing_and_duplicates_nothing(tmp_path, monkeypatch):
    _write_inputs(tmp_path, 40)
    settings = resolve(use_default_config=False)
    units = list(discover([str(tmp_path)]))
    expected = _in_process(settings, units)
    monkeypatch.setattr(readahead, "QUEUE_ITEMS", 2)  # the child cannot run far ahead before it is killed
    got, ahead = _ahead(settings, units, kill_after=3)
    assert ahead.fell_back
    assert got == expected


def test_standard_input_is_never_read_ahead(tmp_path):
    _write_inputs(tmp_path, 2)
    units = list(discover([str(tmp_path)]))
    assert readahead.usable(units)
    assert not readahead.usable(units[:1])
    stdin_units = list(discover(["-"]))
    assert not readahead.usable(units + stdin_units)


@pytest.mark.parametrize("n_process", [1])
def test_a_run_stores_the_same_rows_with_and_without_read_ahead(tmp_path, n_process):
    import duckdb

    import tacitus

    inputs = tmp_path / "in"
    inputs.mkdir()
    _write_inputs(inputs, 5)
    rows = {}
    for ahead in (True, False):
        db = tmp_path / f"{ahead}.duckdb"
        summary = tacitus.process([str(inputs)], db, read_ahead=ahead, n_process=n_process, progress=False)
        assert ("read_ahead" in summary.stages) is ahead
        con = duckdb.connect(str(db), read_only=True)
        rows[ahead] = {}
        for t in ("articles", "events", "failures", "quotes", "inputs"):
            cols = [c for c, kind in con.execute("SELECT column_name, data_type FROM information_schema.columns "
                                                 "WHERE table_name = ?", [t]).fetchall()
                    if c != "run_id" and "TIMESTAMP" not in kind]
            rows[ahead][t] = sorted(map(repr, con.execute(
                f"SELECT {', '.join(chr(34) + c + chr(34) for c in cols)} FROM {t}").fetchall()))
        con.close()
    assert rows[True] == rows[False]
    assert len(rows[True]["articles"]) == 10 and rows[True]["failures"]


def test_the_setting_is_a_documented_bool():
    from tacitus.errors import SettingsError

    assert resolve(use_default_config=False).read_ahead is True
    assert resolve(use_default_config=False, overrides={"read_ahead": False}).read_ahead is False
    with pytest.raises(SettingsError):
        resolve(use_default_config=False, overrides={"read_ahead": "sometimes"})


def test_the_child_ends_when_the_run_is_killed(tmp_path):
    """A run killed with SIGKILL cannot stop its read-ahead child; the child ends by itself instead of
    waiting on its full queue for ever."""
    import subprocess
    import sys
    import time

    _write_inputs(tmp_path, 40)
    script = (
        "import os, signal, sys\n"
        "from tacitus.api import readahead\n"
        "from tacitus.ingest import discover\n"
        "from tacitus.settings import resolve\n"
        "readahead.QUEUE_ITEMS = 2\n"
        f"ahead = readahead.ReadAhead(resolve(use_default_config=False), list(discover([{str(tmp_path)!r}])))\n"
        "print(ahead.process.pid, flush=True)\n"
        "import time; time.sleep(2)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    child = int(proc.stdout.split()[0])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
            state = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (ProcessLookupError, FileNotFoundError):
            return
        if state == "Z":  # ended, waiting to be reaped by whoever adopted it
            return
        time.sleep(0.2)
    os.kill(child, signal.SIGKILL)
    pytest.fail("the read-ahead child outlived its killed run")
