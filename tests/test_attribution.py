"""The learned attribution model (PolNeAR train): its committed weights, our own sentences as regression
tests, and a quality gate on real text (the first 30 PolNeAR dev articles)."""

from __future__ import annotations

import pytest

from conftest import SHARED
from tacitus.extract.attribution import AttributionModel, attributions, files_sha256, load_default, model_path

POLNEAR = SHARED / "eval" / "polnear"


def test_committed_weights_load_and_are_whole():
    model = load_default()
    assert model is not None, f"{model_path()} is missing: run make attribution-model"
    for table in ("cue", "cue_span", "source", "content"):
        assert len(getattr(model, table)) > 1000, table
    assert {"say", "tell", "accord", "deny", "claim"} <= model.cue_lemmas or "according" in model.cue_lemmas
    assert 0 < model.threshold < 1


def test_weights_come_from_polnear_train_as_it_is():
    """The committed weights name the PolNeAR train annotations they were fitted to; a changed train
    split (or a model fitted elsewhere) fails here: rebuild with make attribution-model."""
    ann = POLNEAR / "data" / "train" / "attributions"
    if not ann.is_dir():
        pytest.skip("../shared/eval/polnear is not present")
    assert load_default().data_sha256 == files_sha256(sorted(ann.glob("*.ann")))


def test_save_and_load_round_trip(tmp_path):
    m = AttributionModel({"b": -1.0, "l=say": 3.0}, {"b": -2.0}, {"b": 0.5}, {"b": 0.0}, frozenset({"say"}),
                         0.4, 0.6, "abc")
    m.save(tmp_path / "m.json.gz")
    back = AttributionModel.load(tmp_path / "m.json.gz")
    assert back == m


def _one(nlp, text: str):
    doc = nlp(text)
    found = list(attributions(doc, load_default()))
    return doc, found


@pytest.mark.model
def test_reported_speech_our_sentence(nlp):
    """Regression (our own sentence): cue, source and content of plain reported speech."""
    doc, found = _one(nlp, "The provincial governor said on Tuesday that the new bridge would open next spring.")
    assert len(found) == 1
    a = found[0]
    assert doc[a.cue_head].lemma_ == "say"
    assert doc[a.source[0]:a.source[1]].text == "The provincial governor"
    assert "the new bridge would open next spring" in doc[a.content[0]:a.content[1]].text
    assert not a.direct


@pytest.mark.model
@pytest.mark.parametrize("text, source, content_starts, direct", [
    ('The harbour master told reporters: "We will close the port until the storm has passed."',
     "The harbour master", "We will close the port", True),
    ("According to the election commission, turnout fell to its lowest level in decades.",
     "the election commission", "turnout fell", False),
])
def test_direct_quote_and_according_to_our_sentences(nlp, text, source, content_starts, direct):
    """Regression (our sentences): a direct quote after its cue, and "according to X"."""
    doc, found = _one(nlp, text)
    assert found
    a = found[0]
    assert doc[a.source[0]:a.source[1]].text == source
    assert doc[a.content[0]:a.content[1]].text.startswith(content_starts)
    assert a.direct is direct


def test_interval_lookup_agrees_with_a_scan():
    """The quotes' overlap lookup (log time on long articles) answers as a scan over every span."""
    from hypothesis import given, strategies as st

    from tacitus.extract.quotes import _Intervals

    span = st.tuples(st.integers(0, 200), st.integers(1, 40)).map(lambda t: (t[0], t[0] + t[1]))

    @given(st.lists(span, max_size=12), span)
    def check(spans, probe):
        s, e = probe
        assert _Intervals(spans).overlaps(s, e) == any(a < e and s < b for a, b in spans)

    check()


@pytest.mark.model
def test_learned_quotes_in_the_pipeline_resolve_speakers(nlp):
    """The pipeline's quotes carry the model's attributions, speakers resolved through the article's
    actors: "he" is the person named before (regression, our sentences)."""
    doc = nlp("Sergei Lavrov arrived in Kabul on Monday. He told journalists that the talks had been useful "
              "and that Moscow was ready to help.")
    quotes = doc._.tacitus_quotes
    assert any("talks had been useful" in q.text and q.speaker == "Sergei Lavrov" for q in quotes), quotes


@pytest.mark.model
def test_polnear_dev_gate(nlp):
    """Quality gate on real text: the first 30 PolNeAR dev articles (812 attributions). Measured
    2026-12-07: the learned model alone content overlap F1 0.624, source exact F1 0.543, cue F1 0.689;
    Tacitus as it runs (direct quotes cut by the quote marks, then the model, then the rules' reported
    speech) 0.577 and 0.432; the rules alone (the model switched off) 0.495 and 0.305, under every floor.
    2026-12-08, direct quotes taking the model's speaker unless the rules found one named beside them:
    Tacitus source exact 0.455, named source right 0.761 (the rules alone 0.663)."""
    if not (POLNEAR / "data" / "dev").is_dir():
        pytest.skip("../shared/eval/polnear is not present")
    from tacitus.evaluate.attribution import evaluate_polnear_attribution

    r = evaluate_polnear_attribution(POLNEAR, nlp, load_default(), "dev", limit=30)
    learned, tacitus, rules = r["systems"][:3]
    assert r["attributions"] == 812
    assert learned["content_overlap"]["f1"] >= 0.60 and learned["source"]["f1"] >= 0.52
    assert learned["cue"]["f1"] >= 0.67
    assert tacitus["content_overlap"]["f1"] >= 0.55 and tacitus["source"]["f1"] >= 0.44
    assert tacitus["source_right"]["named"]["share"] >= 0.74
    # the gate fails with the model off: the rules alone are under the floors
    assert rules["content_overlap"]["f1"] < 0.55 and rules["source"]["f1"] < 0.44
    assert rules["source_right"]["named"]["share"] < 0.74


@pytest.mark.model
def test_a_name_beside_the_description_is_the_speaker(nlp):
    """Regression (our sentence): the model's source is the description; the name in apposition to it
    is who speaks."""
    doc = nlp("The head of the border guards, Colonel Anna Petrova, said on Friday that smugglers were "
              "using the old river crossing every night.")
    quotes = [q for q in doc._.tacitus_quotes if "smugglers were using" in q.text]
    assert quotes and quotes[0].speaker == "Anna Petrova", doc._.tacitus_quotes
