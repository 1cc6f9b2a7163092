"""Counts of the killed: our own sentences as regression tests (one victim is one dead; attempts, threats
and denials are none), and a quality gate on MUC-3/4 development stories (real wire news we did not write;
never the TST3/TST4 test sets) with floors pinned under the scores measured on 2026-12-07."""

from __future__ import annotations

import pytest
from spacy.tokens import Doc

from tacitus.extract.counts import extract_counts

from conftest import SHARED

MUC = SHARED / "eval" / "muc34"
needs_muc = pytest.mark.skipif(not (MUC / "keys").is_dir(), reason="../shared/eval/muc34 is absent")


def killed(nlp, text: str) -> list[float]:
    return sorted(c.number for c in extract_counts(nlp(text)) if c.category == "killed")


def test_hand_built_parse_gives_one_victim(blank):
    words = ["Gunmen", "killed", "the", "mayor", "."]
    doc = Doc(blank.vocab, words=words, pos=["NOUN", "VERB", "DET", "NOUN", "PUNCT"],
              tags=["NNS", "VBD", "DT", "NN", "."], lemmas=["gunman", "kill", "the", "mayor", "."],
              heads=[1, 1, 3, 1, 1], deps=["nsubj", "ROOT", "det", "dobj", "punct"])
    (c,) = [c for c in extract_counts(doc) if c.category == "killed"]
    assert (c.number, c.object, c.text) == (1.0, "mayor", "killed the mayor")


@pytest.mark.parametrize("text, expected", [
    ("Gunmen shot dead a judge outside the court on Monday.", [1.0]),
    ("The governor was assassinated in his car.", [1.0]),
    ("Rebels killed the mayor and his driver.", [1.0, 1.0]),
    ("The ministry condemned the murder of Maria Lopez, a nurse.", [1.0]),
    ("The bodies of four of the missing students were found near the river.", [4.0]),
    ("A bomb killed 12 soldiers near the border.", [12.0]),
])
def test_victims_are_counted(nlp, text, expected):
    assert killed(nlp, text) == expected


@pytest.mark.parametrize("text", [
    "The rebels tried to kill the mayor.",
    "They threatened to murder the judge.",
    "The army did not kill the prisoner.",
    "Not a single person was killed in the city.",
    "The death squads roam the province.",
    "A judge said the killers would face trial.",
    "The attack on 31 October left the building in ruins.",
])
def test_no_death_is_counted(nlp, text):
    assert killed(nlp, text) == []


@needs_muc
def test_quality_gate_on_muc_development_stories(monkeypatch):
    """The first 100 relevant DEV stories (all in the development half): Tacitus recall 0.794 at precision
    0.510 over all of them (0.633 over those with a gold death count), the regex baseline 0.476; the same
    run without the victims read from the parse must fall under the floor."""
    import tacitus.extract.counts as counts
    from tacitus.evaluate.counts import evaluate

    result = evaluate(MUC, 100)["views"]["all"]
    scores = result["all relevant stories"]
    assert result["all relevant stories"]["stories"] == 100
    assert scores["tacitus"]["recall"] >= 0.76
    assert scores["tacitus"]["precision"] >= 0.48
    assert scores["tacitus"]["recall"] > scores["regex baseline"]["recall"] + 0.2

    monkeypatch.setattr(counts, "_victim_counts", lambda doc, text: iter(()))
    off = evaluate(MUC, 100)["views"]["all"]["all relevant stories"]["tacitus"]["recall"]
    assert off < 0.76, off
