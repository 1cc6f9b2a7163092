"""Corpus-level stages: near-duplicate detection (more to come: event merging, disputes)."""
