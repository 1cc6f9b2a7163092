"""NLP stage: the spaCy model plus Tacitus components (all registered in :mod:`.components`)."""

from tacitus.nlp.pipeline import COMPONENTS, build_pipeline, find_model

__all__ = ["COMPONENTS", "build_pipeline", "find_model"]
