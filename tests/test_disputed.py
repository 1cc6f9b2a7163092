"""Denied, non-committal and embedded frames in English: who asserts, who denies, and what is only reported.
Sentences written for these tests (regression tests, not evidence of accuracy on real news); each frame's
content must never come out as an asserted event of the party that denied it or left it unconfirmed."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.model


def _run(nlp, text: str):
    from tacitus.nlp.engine import with_meta
    from tacitus.ingest.records import RawArticle

    doc = nlp.make_doc(text)
    with_meta(doc, RawArticle("k", "t.txt", text, published="2019-05-02"))
    for _name, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _claims(doc):
    return [(c.stance, c.claimant_code, c.subject.code if c.subject else None, c.relation,
             c.object.code if c.object else None) for c in doc._.tacitus_claims]


def _plain(doc, relation: str):
    """Events of ``relation`` stated as plain fact: not negated, hedged, future or reported by anyone."""
    return [e for e in doc._.tacitus_events if e.type == relation and not (e.negated or e.hedged or e.future
                                                                          or e.reported_by)]


@pytest.mark.parametrize("sentence, claims", [
    ("Russian diplomats rejected allegations that Russia is sending weapons to the Taliban.",
     [("denies", "RUS GOV", "RUS", "AID", "AFG INS")]),
    ("The Kremlin denied reports that Russia armed the Taliban last year.",
     [("denies", "RUS GOV", "RUS", "AID", "AFG INS")]),
    ("Islamabad denied that Pakistan supplies the Taliban.",
     [("denies", "PAK GOV", "PAK", "AID", "AFG INS")]),
])
def test_a_denial_is_the_deniers_claim_and_no_event(nlp, sentence, claims):
    doc = _run(nlp, sentence)
    assert _claims(doc) == claims
    assert not _plain(doc, "AID")


@pytest.mark.parametrize("sentence", [
    "The Pentagon neither confirmed nor denied that the United States bombs the Taliban.",
    "The Russian Foreign Ministry refused to confirm that Russia arms the Taliban.",
    "A spokesman for Pakistan declined to deny that Pakistan shelters the Taliban.",
    "The Kremlin did not confirm that Russia pays the Taliban.",
    "The spokesman refused to confirm that the senator had resigned.",
])
def test_a_noncommittal_answer_is_neither_claim_nor_event(nlp, sentence):
    doc = _run(nlp, sentence)
    assert _claims(doc) == []
    assert not [e for e in doc._.tacitus_events if e.type in ("AID", "ASSAULT", "SUPPORT")]
    assert not [e for e in doc._.tacitus_events if e.type == "REJECT"]  # refusing to say rejects nothing


def test_the_object_of_a_denial_carries_what_depends_on_it(nlp):
    doc = _run(nlp, "Pakistan denied the existence of an investigation into its support for the Taliban.")
    assert not _plain(doc, "SUPPORT")
    assert [e.type for e in doc._.tacitus_events] == ["REJECT"]


def test_a_confirmation_and_an_allegation_keep_their_content(nlp):
    doc = _run(nlp, "The Pentagon confirmed that the United States bombed Taliban positions. "
                    "General John Nicholson said Russia may be supplying the Taliban.")
    assert ("confirms", "USA MIL", "USA", "ASSAULT", "AFG INS") in _claims(doc)
    assert ("alleges", "USA MIL", "RUS", "AID", "AFG INS") in _claims(doc)
    aid = [e for e in doc._.tacitus_events if e.type == "AID"]
    assert aid and all(e.hedged and e.reported_by is not None for e in aid)  # "may be": hedged, reported


def test_a_negated_content_is_a_denial_by_the_speaker(nlp):
    doc = _run(nlp, "Russian officials said that Russia does not arm the Taliban.")
    assert _claims(doc) == [("denies", "RUS GOV", "RUS", "AID", "AFG INS")]
    assert not _plain(doc, "AID")


def test_polnear_cue_stance_reader():
    """The claims measure on PolNeAR reads each attribution's cue (brat Cue argument) into its stance."""
    from tacitus.evaluate.quotes import cue_stance, parse_ann

    text = "The mayor denied that the city paid the firm. Critics accused him of lying. He said no."
    ann = ("T1\tSource 0 9\nT2\tCue 10 16\nT3\tContent 22 44\nE1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n"
           "T4\tSource 46 53\nT5\tCue 54 61\nT6\tContent 62 75\nE2\tAttribution:T5 Source:T4 Cue:T5 Content:T6\n"
           "T7\tSource 77 79\nT8\tCue 80 84\nT9\tContent 85 87\nE3\tAttribution:T8 Source:T7 Cue:T8 Content:T9\n")
    gold = parse_ann(ann, text)
    assert [cue_stance(text, g) for g in gold] == ["denies", "alleges", None]


@pytest.mark.parametrize("sentence, stance, content", [
    ("The campaign denied that the emails contained classified material.", "denies",
     "the emails contained classified material"),
    ("The mayor acknowledged that the new budget had been delayed by a month.", "confirms",
     "the new budget had been delayed by a month"),
    ("Opposition lawmakers alleged that the contract had been awarded without a tender.", "alleges",
     "the contract had been awarded without a tender"),
])
def test_a_stance_on_words_is_a_statement_claim(nlp, sentence, stance, content):
    """A denial, confirmation or allegation of something that is no relation between two actors is still
    a claim with that stance: no subject, relation or object, its content the proposition in words."""
    doc = _run(nlp, sentence)
    statements = [c for c in doc._.tacitus_claims if c.subject is None]
    assert [(c.stance, c.text) for c in statements] == [(stance, content)]
    assert statements[0].relation is None and statements[0].claimant


def test_an_accusation_between_actors_makes_no_statement_claim_as_well(nlp):
    """The words of an actor-to-actor accusation carry that claim only, not a second statement claim."""
    doc = _run(nlp, "Moscow accused Pakistan of arming the Taliban.")
    assert _claims(doc) == [("alleges", "RUS GOV", "PAK", "AID", "AFG INS")]
