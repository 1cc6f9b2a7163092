"""Place mentions: toponyms from NER (GPE, LOC, FAC). Resolution to a gazetteer happens later."""

from __future__ import annotations

from typing import Iterator

from spacy.tokens import Doc

from tacitus.extract.records import PlaceMention

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def extract_places(doc: Doc) -> Iterator[PlaceMention]:
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS and any(ch.isalpha() for ch in ent.text):
            text = ent.text.strip()
            start = ent.start_char + (len(ent.text) - len(ent.text.lstrip()))
            yield PlaceMention(text, start, start + len(text), ent.label_)
