"""Reliability: time limits, inputs that change between discovery and reading, a full disk and a
read-only database. Each ends in a failures row or one clear error line, and loses nothing."""

from __future__ import annotations

import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import spacy

from conftest import FIXTURES, model_available
from tacitus.ingest import InputFailure, RawArticle, Reader, discover
from tacitus.ingest.discover import InputUnit
from tacitus.limits import TimeLimitExceeded, time_limit
from tacitus.nlp.engine import NlpItem, run_pipeline
from tacitus.settings import resolve
from test_cli import snapshot

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
DROP_CAPS = ["setpriv", "--inh-caps=-dac_override,-dac_read_search", "--bounding-set=-dac_override,-dac_read_search"]


def _busy(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


# -- time limits ---------------------------------------------------------------------------------
def test_time_limit_interrupts_python_code_and_restores_the_timer():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded, match="doc_time_limit"):
        with time_limit(0.2):
            _busy(5)
    assert time.monotonic() - started < 2
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nothing left armed
    with time_limit(0.5):
        _busy(0.05)  # under the limit: no error
    with time_limit(0):
        _busy(0.05)  # 0 = no limit


def test_nested_time_limits_keep_the_outer_one():
    with pytest.raises(TimeLimitExceeded) as outer:
        with time_limit(0.4):
            with time_limit(5):
                _busy(0.1)
            _busy(5)
    assert outer.value.seconds == 0.4
    with pytest.raises(TimeLimitExceeded) as inner:
        with time_limit(5):
            with time_limit(0.1):
                _busy(5)
    assert inner.value.seconds == 0.1
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_time_limit_is_a_no_op_outside_the_main_thread():
    errors = []

    def work():
        try:
            with time_limit(0.05):
                _busy(0.2)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert errors == []


def test_slow_cleaning_becomes_a_failure_and_the_next_file_is_read(tmp_path, monkeypatch):
    import tacitus.ingest.readers as readers

    real = readers.parse_head

    def slow(text, *args, **kwargs):
        if "SLOW" in text:
            time.sleep(30)  # interrupted by the timer
        return real(text, *args, **kwargs)

    monkeypatch.setattr(readers, "parse_head", slow)
    (tmp_path / "a-slow.txt").write_text("SLOW " + (FIXTURES / "mini" / "convoy-attack.txt").read_text())
    (tmp_path / "b-fine.txt").write_bytes((FIXTURES / "mini" / "kabul-talks.txt").read_bytes())
    reader = Reader(resolve(overrides={"doc_time_limit": 3}))
    started = time.monotonic()
    out = [r for u in discover([tmp_path]) for r in reader.read(u)]
    assert time.monotonic() - started < 20  # the slow one would sleep 30 s
    assert isinstance(out[0], InputFailure) and out[0].stage == "clean" and "time limit of 3 s" in out[0].reason
    assert isinstance(out[1], RawArticle)


def test_slow_document_in_the_nlp_stage_fails_alone():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")

    @spacy.Language.component("tacitus_test_slow")
    def slow(doc):
        if "SLOW" in doc.text:
            time.sleep(30)
        return doc

    nlp.add_pipe("tacitus_test_slow")
    items = [NlpItem(f"id{i}", RawArticle(key=f"k{i}", source_path="p", text=text, fingerprint="f", fmt="text"))
             for i, text in enumerate(["A fine text. Two sentences.", "This one is SLOW.", "Another fine one."])]
    started = time.monotonic()
    out = run_pipeline(nlp, items, batch_size=8, time_limit_s=1.0)
    assert time.monotonic() - started < 20  # the slow one would sleep 30 s
    assert isinstance(out[0], dict) and isinstance(out[2], dict) and len(out[0]["sentences"]) == 2
    assert isinstance(out[1], str) and "time limit" in out[1]


def test_doc_time_limit_is_validated():
    from tacitus.errors import SettingsError

    assert resolve(overrides={"doc_time_limit": "0"}).doc_time_limit == 0.0
    with pytest.raises(SettingsError):
        resolve(overrides={"doc_time_limit": "-1"})


# -- special files ----------------------------------------------------------------------------------
def test_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "stream.txt"
    os.mkfifo(fifo)
    warc = tmp_path / "stream.warc"
    os.mkfifo(warc)
    reader = Reader(resolve())
    with time_limit(20):  # a blocking open would hang here; the guard turns that into an error
        out = [r for u in discover([fifo, warc, tmp_path]) for r in ([u] if isinstance(u, InputFailure) else reader.read(u))]
    assert len({r.key for r in out}) == 2  # named, and found again by the folder walk
    assert all(isinstance(r, InputFailure) and "named pipe" in r.reason for r in out)
    dev = [r for r in reader.read(InputUnit("/dev/zero", "text"))]
    assert isinstance(dev[0], InputFailure) and "character device" in dev[0].reason


# -- inputs that change between discovery and reading ------------------------------------------------
DRIVER = textwrap.dedent('''
    """Run the CLI with discovery wrapped: once every unit is found, the inputs are vandalised."""
    import os, sys
    import tacitus.api.run as run

    real = run.discover
    folder, db = sys.argv[1], sys.argv[2]

    def discover(paths, follow_symlinks=False):
        units = list(real(paths, follow_symlinks))
        p = lambda name: os.path.join(folder, name)
        os.remove(p("vanished.txt"))
        os.remove(p("dangling.txt")); os.symlink(p("nowhere.txt"), p("dangling.txt"))
        os.remove(p("now-a-folder.txt")); os.mkdir(p("now-a-folder.txt"))
        os.remove(p("now-a-fifo.txt")); os.mkfifo(p("now-a-fifo.txt"))
        open(p("emptied.txt"), "w").close()
        os.chmod(p("locked.txt"), 0)
        os.chmod(p("locked-folder"), 0)
        return iter(units)

    run.discover = discover
    from tacitus.cli.main import main
    sys.argv = ["tacitus", "run", folder, "--db", db, "--json"]
    main()
''')


def _drop_caps_works(tmp: Path) -> bool:
    """As root, setpriv without CAP_DAC_OVERRIDE makes file modes apply; check it really does."""
    if shutil.which("setpriv") is None:
        return False
    probe = tmp / "probe"
    probe.write_text("x")
    probe.chmod(0o444)
    p = subprocess.run([*DROP_CAPS, "sh", "-c", f"echo y > '{probe}'"], capture_output=True)
    probe.chmod(0o644)
    return p.returncode != 0 and probe.read_text() == "x"


def _prefix(tmp: Path) -> list[str] | None:
    """Command prefix under which file permissions are enforced, or None if they cannot be."""
    if not IS_ROOT:
        return []
    return DROP_CAPS if _drop_caps_works(tmp) else None


@needs_model
def test_inputs_that_vanish_or_change_after_discovery(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = (FIXTURES / "mini" / "convoy-attack.txt").read_text()
    (folder / "a-normal.txt").write_text(text)
    for name in ("vanished.txt", "dangling.txt", "now-a-folder.txt", "now-a-fifo.txt", "emptied.txt", "locked.txt"):
        (folder / name).write_text(f"{name}\n\n" + (FIXTURES / "mini" / "kabul-talks.txt").read_text())
    (folder / "locked-folder").mkdir()
    (folder / "locked-folder" / "inside.txt").write_text((FIXTURES / "mini" / "kabul-talks.txt").read_text())
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER)
    prefix = _prefix(tmp_path)
    db = tmp_path / "v.duckdb"
    cmd = [*(prefix or []), sys.executable, str(driver), str(folder), str(db)]
    p = subprocess.run(cmd, capture_output=True, timeout=300)
    for path in (folder / "locked.txt", folder / "locked-folder"):
        path.chmod(0o755)
    assert p.returncode == 0, p.stderr.decode()
    assert "Traceback" not in p.stderr.decode()
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    got = {os.path.basename(k): (s, r) for k, s, r in con.execute("SELECT key, status, reason FROM inputs").fetchall()}
    [(stored,)] = con.execute("SELECT count(*) FROM articles WHERE source_path LIKE '%a-normal.txt'").fetchall()
    con.close()
    assert stored == 1 and got["a-normal.txt"][0] == "ok"
    expect = {"vanished.txt": "vanished", "dangling.txt": "vanished", "now-a-folder.txt": "folder",
              "now-a-fifo.txt": "named pipe", "emptied.txt": "empty"}
    if prefix is not None:  # permissions are enforced: a file that lost its read permission
        expect["locked.txt"] = "permission denied"
        expect["inside.txt"] = "permission denied"  # its folder lost its permissions
    for name, reason in expect.items():
        status, why = got[name]
        assert status == "failed" and reason in why.lower(), (name, status, why)
    assert set(got) <= set(expect) | {"a-normal.txt", "locked.txt", "inside.txt"}


# -- full disk and read-only database -----------------------------------------------------------------
def _one_line_error(p: subprocess.CompletedProcess, *words: str) -> str:
    err = p.stderr.decode().strip()
    assert p.returncode not in (0, None) and p.returncode > 0, (p.returncode, err)
    assert "Traceback" not in err, err
    assert err.startswith("tacitus: error:") and len(err.splitlines()) == 1, err
    for word in words:
        assert word in err, err
    return err


@pytest.fixture(scope="module")
def mini_reference(tmp_path_factory):
    """The mini corpus (with its broken inputs) and the store an uninterrupted run makes of it."""
    root = tmp_path_factory.mktemp("ref")
    corpus = root / "mini"
    shutil.copytree(FIXTURES / "mini", corpus)
    (corpus / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (corpus / "copy-of-convoy.txt").write_bytes((corpus / "convoy-attack.txt").read_bytes())
    db = root / "ref.duckdb"
    subprocess.run([sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(db), "-b", "1"], check=True,
                   capture_output=True, timeout=300)
    return corpus, snapshot(db)


def _limited(kib: int):
    def pre():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (kib * 1024, kib * 1024))
    return pre


@needs_model
def test_full_disk_is_a_clear_error_and_resume_loses_nothing(mini_reference, tmp_path):
    """The disk fills up during the batches (40 KiB), then, on the resume, at the final checkpoint (400
    KiB); a third run with room to write ends with the uninterrupted run's rows."""
    corpus, expected = mini_reference
    db = tmp_path / "full.duckdb"
    args = [sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(db), "-b", "1"]
    for kib in (40, 400):
        p = subprocess.run(args, preexec_fn=_limited(kib), capture_output=True, timeout=300)
        err = _one_line_error(p, "cannot write to database", "disk is full", "run the same command again")
        assert ("checkpoint" in err) == (kib == 400), err  # where it filled up: a batch, then the checkpoint
    p = subprocess.run(args, capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr.decode()
    assert snapshot(db) == expected
    from hostile import record

    record("disk_full", limits_kib=[40, 400], exit_codes_when_full=[1, 1], rows_compared=sum(len(v) for v in expected.values()),
           rows_lost=0)


@needs_model
def test_read_only_database_file_and_folder_are_clear_errors(mini_reference, tmp_path):
    corpus, _expected = mini_reference
    prefix = _prefix(tmp_path)
    if prefix is None:
        pytest.skip("running as root without setpriv able to drop CAP_DAC_OVERRIDE: file modes are not enforced")
    db = tmp_path / "ro.duckdb"
    subprocess.run([sys.executable, "-m", "tacitus", "run", str(corpus / "kabul-talks.txt"), "--db", str(db)],
                   check=True, capture_output=True, timeout=300)
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    args = [*prefix, sys.executable, "-m", "tacitus", "run", str(corpus), "--db", str(db)]
    db.chmod(0o444)
    try:
        _one_line_error(subprocess.run(args, capture_output=True, timeout=300), "not writable")
    finally:
        db.chmod(0o644)
    tmp_path.chmod(0o555)  # the file is writable, its folder (where the .wal goes) is not
    try:
        _one_line_error(subprocess.run(args, capture_output=True, timeout=300), "not writable")
    finally:
        tmp_path.chmod(0o755)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == digest
    # reading a read-only store works
    p = subprocess.run([*prefix, sys.executable, "-m", "tacitus", "stats", "--db", str(db), "--json"],
                       capture_output=True, timeout=300)
    assert p.returncode == 0 and json.loads(p.stdout)["tables"]["articles"] == 1


def test_export_to_a_full_disk_is_a_clear_error(tmp_path):
    from tacitus.store import Store

    db = tmp_path / "x.duckdb"
    with Store.open(db) as store:
        for i in range(300):
            store.record_failure(f"f{i}", f"/in/{i}.txt", f"/in/{i}.txt", None, "read", "a long reason " * 5, "", 1)
        store.checkpoint()
    out = tmp_path / "failures.csv"
    args = [sys.executable, "-m", "tacitus", "export", "failures", "--db", str(db), "--format", "csv", "-o", str(out)]
    p = subprocess.run(args, preexec_fn=_limited(4), capture_output=True, timeout=120)
    _one_line_error(p, "cannot write", str(out))
    p = subprocess.run(args, capture_output=True, timeout=120)
    assert p.returncode == 0 and len(out.read_text().splitlines()) == 301


def test_a_fifo_folder_or_device_as_database_or_config_is_a_clear_error(tmp_path):
    from conftest import run_cli

    fifo = tmp_path / "pipe.duckdb"
    os.mkfifo(fifo)
    folder = tmp_path / "folder.duckdb"
    folder.mkdir()
    article = tmp_path / "a.txt"
    article.write_bytes((FIXTURES / "mini" / "convoy-attack.txt").read_bytes())
    for db, what in ((fifo, "named pipe"), (folder, "folder"), (Path("/dev/null"), "character device")):
        _one_line_error(run_cli("stats", "--db", str(db), timeout=60), what)
        _one_line_error(run_cli("run", str(article), "--db", str(db), timeout=60), what)
    config = tmp_path / "tacitus.toml"
    os.mkfifo(config)
    _one_line_error(run_cli("settings", "--config", str(config), timeout=60), "named pipe")
