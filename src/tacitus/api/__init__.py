"""Python API: ``process`` runs the pipeline into a store; ``open`` reads a store."""

from tacitus.api.reader import Database, open_db
from tacitus.api.run import RunSummary, process

__all__ = ["process", "RunSummary", "open_db", "Database"]
