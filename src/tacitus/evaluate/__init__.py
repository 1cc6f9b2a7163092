"""Evaluation commands: score the pipeline on our labelled data and on public datasets."""
