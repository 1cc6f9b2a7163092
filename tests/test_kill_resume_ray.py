"""Crash safety of the Ray engine: ``tacitus run --engine ray`` killed with SIGKILL (the driver and
the local Ray it started) while shards are being processed, then run again: the store equals the
local engine's uninterrupted run row for row. (tests/test_cli.py does this for the local engine;
tests/test_scale.py checks shard-level resume after an in-process interruption.)"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time

import pytest

from conftest import FIXTURES, model_available

pytestmark = [pytest.mark.ray, pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")]


def _ray_engine_available() -> bool:
    import importlib.util

    if importlib.util.find_spec("ray") is None or importlib.util.find_spec("tacitus.api.ray_run") is None:
        return False
    from tacitus.settings import SETTINGS_BY_NAME

    return "engine" in SETTINGS_BY_NAME


def _corpus(folder, n: int) -> None:
    """The mini corpus (with its broken JSONL lines) plus n distinct articles made from its texts, each
    with a closing paragraph of its own, and one exact copy: one shard per article with -b 1."""
    from test_cli import _WORDS

    shutil.copytree(FIXTURES / "mini", folder)
    sources = sorted(p for p in folder.iterdir() if p.suffix == ".txt")
    rng = random.Random(3)
    for i in range(n):
        extra = " ".join(f"The {rng.choice(_WORDS)} of {rng.choice(_WORDS)} {k} was inspected in district {i}."
                         for k in range(25))
        (folder / f"{i:03d}-{sources[i % len(sources)].name}").write_text(sources[i % len(sources)].read_text()
                                                                          + f"\n\n{extra}\n")
    (folder / "zz-copy.txt").write_bytes((folder / f"000-{sources[0].name}").read_bytes())


@pytest.mark.skipif(not _ray_engine_available(), reason="the Ray engine (tacitus run --engine ray) is not in this tree")
def test_sigkill_during_a_ray_run_then_resume_equals_an_uninterrupted_run(tmp_path):
    from test_scale import table_differences

    corpus = tmp_path / "corpus"
    _corpus(corpus, 6)
    ref = tmp_path / "ref.duckdb"
    subprocess.run([sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(ref), "-b", "1"],
                   check=True, capture_output=True, timeout=300)

    db = tmp_path / "ray.duckdb"
    work = tmp_path / "work"
    args = [sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(db), "-b", "1", "--engine", "ray",
            "--set", "ray_workers=1", "--set", f"ray_work_dir={work}"]
    # its own session, so that the local Ray it starts (GCS, raylet, workers) is killed with it
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 240
    rng = random.Random(5)
    target = None
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            outs = len(list(work.glob("out-*.parquet"))) if work.is_dir() else 0
            if outs and target is None:  # the NLP stage has begun: every input shard is cut by now
                total = len(list(work.glob("in-*.parquet")))
                target = rng.randint(1, max(1, total - 2))  # kill after a random number of finished shards
            if target is not None and outs >= target:
                break
            time.sleep(0.02)
        alive = proc.poll() is None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=60)
    assert alive, f"the Ray run ended before it could be killed: {proc.stderr.read().decode()[-2000:]}"
    assert work.is_dir()  # the shards stay for the resume
    done_when_killed = len(list(work.glob("out-*.parquet")))

    p = subprocess.run(args, capture_output=True, timeout=400)
    assert p.returncode == 0, p.stderr.decode()[-3000:]
    assert table_differences(ref, db) == {}
    from hostile import record

    record("kill_resume_ray", kills=1, shards=total, shards_done_when_killed=done_when_killed, rows_lost=0)
    assert not work.exists()  # a completed run removes its shards
