"""The English event gold on real articles (``tacitus/data/gold/en_events.jsonl``) and its quality gate
(``tacitus.evaluate.events_en``).

The gate scores the pipeline on the first documents of each corpus of the gold (the subset fits CI's time)
beside the lexicon-only baseline, with floors just under the scores measured when they were set. A gate
must fail when its feature is off: with the event extractor silenced, recall is 0.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from tacitus.evaluate import events_en
from tacitus.evaluate.event_gold import MODES
from tacitus.extract.lexicon import TYPES

SHARED = Path(__file__).resolve().parents[2] / "shared"
HAVE_SHARED = (SHARED / "eval" / "polnear").is_dir()
GATE_DOCS_PER_CORPUS = 6

# Measured on the gate subset (6 documents of each of the 5 corpora) when the floors were set; see the
# README's status table for the figures on the whole gold.
# Measured 0.751 / 0.521 / 0.615 with the trigger, mode and argument classifiers (cross-validated by
# article; a candidate typed with p >= 0.5 coded without actors); the rules alone 0.686 / 0.324 / 0.440,
# the lexicon baseline 0.453 / 0.589 / 0.512 (2026-12-08).
FLOORS = {"precision": 0.74, "recall_asserted": 0.49, "f1_asserted": 0.58}
# Leakage (reported or planned gold events output as plain asserted), with the mode classifier
# cross-validated: measured 0.571 (rules alone 0.810); asserted events wrongly flagged 0.029.
CEILINGS = {"leakage": 0.62, "asserted_flagged": 0.06}
# Actor slots (country right, over matched events whose gold has that slot; an empty slot is wrong), with
# the argument classifier cross-validated: measured source 0.455, target 0.392; without it ("no-args")
# 0.268 / 0.279 (2026-12-08, actors nothing codes taking the article's home country).
SLOT_FLOORS = {"source_country_accuracy": 0.42, "target_country_accuracy": 0.38}


def _lines():
    return [json.loads(x) for x in events_en.gold_path().read_text(encoding="utf-8").splitlines() if x.strip()]


def test_gold_is_large_enough_and_well_formed():
    lines = _lines()
    docs = [r for r in lines if r["kind"] == "doc"]
    events = [r for r in lines if r["kind"] == "event"]
    assert len(docs) >= 150 and len(events) >= 800
    assert {d["corpus"] for d in docs} == {"polnear", "muc-dev", "timebank", "aquaint", "wikinews"}
    assert not any("test" in d["doc"].split("/")[1] for d in docs if d["corpus"] == "polnear")
    keys = {d["doc"] for d in docs}
    for e in events:
        assert e["doc"] in keys
        assert e["type"] in TYPES and e["mode"] in MODES and isinstance(e["negated"], bool)
        assert 0 <= e["start"] < e["end"] and e["end"] - e["start"] == len(e["trigger"])
    per_doc = Counter(e["doc"] for e in events)
    assert all(per_doc[d["doc"]] == d["events"] for d in docs)
    modes = Counter(e["mode"] for e in events)
    assert modes["asserted"] > modes["reported"] > 0 and modes["planned"] > 0


def test_second_pass_agreement_is_computed():
    a = events_en.agreement()
    assert len(a["documents"]) >= 10 and a["pass1_events"] > 50
    assert a["detection_f1"] is not None and 0.0 < a["detection_f1"] <= 1.0


@pytest.mark.skipif(not HAVE_SHARED, reason="needs ../shared/eval")
def test_gold_offsets_match_the_texts():
    texts = events_en.read_texts(SHARED, events_en.load_gold())  # raises on any mismatch
    assert len(texts) >= 150


@pytest.fixture(scope="module")
def gate_result(nlp):
    """Every gold document parsed once; the trigger classifier trained on the other folds (by article) for
    each scored document: never scored on what it was fitted to."""
    from tacitus.evaluate import triggers

    gold = events_en.load_gold()
    subset = events_en.load_gold(limit=GATE_DOCS_PER_CORPUS)
    return triggers.cv_evaluate(nlp, SHARED, gold, score_docs=list(subset))


@pytest.mark.skipif(not HAVE_SHARED, reason="needs ../shared/eval")
def test_quality_gate_on_real_articles(gate_result):
    allv = gate_result["views"]["all"]
    ours, rules, base = allv["tacitus"], allv["rules"], allv["lexicon"]
    assert ours["documents"] == 5 * GATE_DOCS_PER_CORPUS
    for key, floor in FLOORS.items():
        assert ours[key] >= floor, (key, ours[key], floor)
    assert ours["precision"] > base["precision"]
    for key, ceiling in CEILINGS.items():
        assert ours[key] <= ceiling, (key, ours[key], ceiling)
    # the gate fails with the classifiers off: the rules alone fall under the floors and over the ceiling
    assert rules["f1_asserted"] < FLOORS["f1_asserted"] and rules["leakage"] > CEILINGS["leakage"]


@pytest.mark.skipif(not HAVE_SHARED, reason="needs ../shared/eval")
def test_actor_slot_gate_on_real_articles(gate_result):
    allv = gate_result["views"]["all"]
    ours, without = allv["tacitus"], allv["no-args"]
    for key, floor in SLOT_FLOORS.items():
        assert ours[key] >= floor, (key, ours[key], floor)
        # the gate fails with the argument classifier off
        assert without[key] < floor, (key, without[key], floor)
    assert ours["precision"] >= FLOORS["precision"]  # filling slots does not bring back dropped events


@pytest.mark.skipif(not HAVE_SHARED, reason="needs ../shared/eval")
def test_gate_fails_with_the_event_extractor_off(nlp):
    gold = events_en.load_gold(limit=2)
    pipe = nlp.get_pipe("tacitus_events")
    saved = pipe.lexicon
    try:
        from tacitus.extract.lexicon import Lexicon

        pipe.lexicon = Lexicon([])
        saved_threshold, pipe.fallback_threshold = pipe.fallback_threshold, 1.0
        from tacitus.evaluate import triggers

        result = triggers.cv_evaluate(nlp, SHARED, gold)
    finally:
        pipe.lexicon = saved
        pipe.fallback_threshold = saved_threshold
    assert (result["views"]["all"]["tacitus"]["recall_asserted"] or 0.0) < FLOORS["recall_asserted"]


def test_trigger_and_mode_weights_were_trained_on_this_gold():
    import hashlib

    from tacitus.extract.arguments import ARGUMENT_WEIGHTS
    from tacitus.extract.triggers import MODE_WEIGHTS, default_trigger_model

    model = default_trigger_model()
    assert model is not None and "NONE" in model.classes and len(model.weights) > 1000
    mode = default_trigger_model(MODE_WEIGHTS)
    assert mode is not None and sorted(mode.classes) == ["asserted", "planned", "reported"]
    arguments = default_trigger_model(ARGUMENT_WEIGHTS)
    assert arguments is not None and sorted(arguments.classes) == ["none", "source", "target"]
    for m in (model, mode, arguments):
        assert m.meta["data_sha256"] == hashlib.sha256(events_en.gold_path().read_bytes()).hexdigest()
        assert m.meta["documents"] == len(events_en.load_gold())


# Regression sentences (our own text, not evidence of accuracy): the non-political senses the issue lists,
# and seizures and deliveries by a named actor that the classifier must not drop.
@pytest.mark.parametrize("text, kind, expected", [
    ("Donald Trump has not released his tax returns, his critics said on Monday.", "RETREAT", False),
    ("The Taliban captured 30 districts in northern Afghanistan last week.", "COERCE", True),
    ("Russian diplomats rejected allegations that Russia is sending weapons to the Taliban.", "REJECT", True),
    ("Guerrillas attacked an army post near the capital on Tuesday, the police said.", "ASSAULT", True),
])
def test_trigger_classifier_on_regression_sentences(nlp, text, kind, expected):
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    doc = nlp(make_doc(nlp, RawArticle(key="t", source_path="t", text=text, published="2021-07-05")))
    assert any(e.type == kind for e in doc._.tacitus_events) is expected, [(e.type, e.trigger) for e in doc._.tacitus_events]


# Regression sentences (ours) for the mode classifier: a requested act and an alleged one are not plain
# asserted events; the request itself is.
@pytest.mark.parametrize("text, kind, plain", [
    ("The United Nations urged Israel to withdraw its troops from southern Lebanon.", "REQUEST", True),
    ("The United Nations urged Israel to withdraw its troops from southern Lebanon.", "RETREAT", False),
])
def test_mode_classifier_on_regression_sentences(nlp, text, kind, plain):
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    doc = nlp(make_doc(nlp, RawArticle(key="t", source_path="t", text=text, published="2021-07-05")))
    evs = [e for e in doc._.tacitus_events if e.type == kind]
    assert evs, [(e.type, e.trigger) for e in doc._.tacitus_events]
    assert all((not (e.hedged or e.future or e.reported_by)) is plain for e in evs)
