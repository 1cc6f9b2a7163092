"""Which BLAS does the model's matrix products, and with how many threads.

spaCy's CPU models run on thinc's ``NumpyOps``, whose ``gemm`` (the tok2vec encoders' and the
parser's and NER's feature layers: about 35% of a full parse) calls BLIS. ``NumpyOps(use_blis=False)``,
thinc's own switch, hands the same products to numpy, whose wheels carry OpenBLAS: on the machines we
measured (AMD EPYC, see ``benchmarks/RESULTS.md``) 2.5-3x faster per product on one thread, with the
same annotations on our corpora (checked token by token by ``tests/test_blas.py``; the products agree
to about 1e-6, so an argmax could in principle differ where two scores tie that closely).

The setting ``blas`` chooses (``numpy``, the default, or ``blis``, spaCy's); ``blas_threads`` caps the
threads numpy's BLAS may start in a process that runs the pipeline (1: parallelism comes from
``n_process`` or Ray workers, one core each; 0: the library's own default). The parser's per-step
products inside spaCy's Cython code use BLIS either way.
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from thinc.api import Model, NumpyOps

BLAS_CHOICES = ("numpy", "blis")


def use_blas(nlp: Language, blas: str = "numpy") -> int:
    """Give every thinc model node of ``nlp`` that runs on ``NumpyOps`` the ops of ``blas``; returns
    how many nodes it set. Other ops (a GPU's) are left alone."""
    if blas not in BLAS_CHOICES:
        raise ValueError(f"blas must be one of {', '.join(BLAS_CHOICES)}, not {blas!r}")
    ops = NumpyOps(use_blis=blas == "blis")
    n = 0
    seen: set[int] = set()
    for _name, proc in nlp.components:
        model = getattr(proc, "model", None)
        if not isinstance(model, Model):
            continue
        for node in model.walk():
            if id(node) in seen or type(node.ops) is not NumpyOps:
                continue
            seen.add(id(node))
            node.ops = ops
            n += 1
    return n


class BlasThreads:
    """Caps the threads of the BLAS libraries loaded in this process until :meth:`restore`
    (``threads`` 0 or less: leaves them as they are)."""

    def __init__(self, threads: int):
        self._limiter: Any = None
        if threads > 0:
            from threadpoolctl import threadpool_limits

            self._limiter = threadpool_limits(limits=threads, user_api="blas")

    def restore(self) -> None:
        if self._limiter is not None:
            self._limiter.restore_original_limits()
            self._limiter = None
