"""Pure extractor functions: a spaCy ``Doc`` in, small typed records out (see :mod:`.records`).

They never touch the database and never mutate the Doc; the pipeline components in
:mod:`tacitus.nlp.components` call them and store the records on ``Doc._``.
"""
