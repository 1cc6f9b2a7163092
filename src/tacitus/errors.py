"""Exceptions with messages meant for users: the CLI prints them as one line."""


class TacitusError(Exception):
    """Base class: the run cannot proceed."""


class SettingsError(TacitusError):
    """A setting, config file or override is invalid."""


class StoreBusyError(TacitusError):
    """The database is locked by another process."""


class StoreError(TacitusError):
    """The database cannot be opened, read or migrated."""


class ModelNotFoundError(TacitusError):
    """None of the configured spaCy pipelines is installed."""


class NoInputError(TacitusError):
    """No input files were found."""


class InputError(Exception):
    """One input cannot be read; recorded as a failure row, the run goes on.

    ``stage`` names the step that failed (read, decode, parse, extract, nlp, store).
    """

    def __init__(self, reason: str, stage: str = "read"):
        super().__init__(reason)
        self.reason = reason
        self.stage = stage
