"""Command line: a thin layer over :mod:`tacitus.api`."""
