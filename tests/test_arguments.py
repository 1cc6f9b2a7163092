"""The argument classifier's pieces (:mod:`tacitus.extract.arguments`) on hand-built Docs, the bare sector
mentions and the dateline and home country it leans on. Our own sentences: regression tests, not evidence of
accuracy (that is the actor-slot gate in ``test_events_en_gold.py``, on real articles)."""

from __future__ import annotations

from spacy.tokens import Doc
from spacy.vocab import Vocab

from tacitus.extract.arguments import (
    FILL_SLOT, SOURCE, TARGET, argument_features, choose, path, sentence_mentions)
from tacitus.extract.events import ActorRef


def _doc(words, heads, deps, pos=None):
    doc = Doc(Vocab(), words=words, heads=heads, deps=deps, pos=pos or ["NOUN"] * len(words),
              sent_starts=[True] + [False] * (len(words) - 1))
    return doc


def _syria_doc():
    # Syria indicated it would resume talks with Israel
    words = ["Syria", "indicated", "it", "would", "resume", "talks", "with", "Israel"]
    heads = [1, 1, 4, 4, 1, 4, 5, 6]
    deps = ["nsubj", "ROOT", "nsubj", "aux", "ccomp", "dobj", "prep", "pobj"]
    pos = ["PROPN", "VERB", "PRON", "AUX", "VERB", "NOUN", "ADP", "PROPN"]
    return _doc(words, heads, deps, pos)


def test_path_goes_up_to_the_common_ancestor_and_down():
    doc = _syria_doc()
    talks, syria, israel = doc[5], doc[0], doc[7]
    assert path(talks, syria) == (["dobj", "ccomp"], ["nsubj"])
    assert path(talks, israel) == ([], ["prep", "pobj"])
    f = argument_features(talks, syria, "CONSULT", "SYR", 2)
    assert "path=^dobj^ccomp_nsubj" in f and "subj_of_ancestor" in f and "side=before" in f
    assert "sector=state" in f
    g = argument_features(talks, israel, "CONSULT", "ISR", 2)
    assert "in_subtree" in g and "prep=with" in g and "subj_of_ancestor" not in g


def test_sentence_mentions_one_per_mention_with_its_root():
    words = ["Afghan", "forces", "and", "the", "Taliban", "fought", "in", "Kunduz"]
    heads = [1, 5, 1, 4, 1, 5, 5, 6]
    deps = ["amod", "nsubj", "cc", "det", "conj", "ROOT", "prep", "pobj"]
    doc = _doc(words, heads, deps)
    afg = ActorRef("AFG-MIL", "Afghan military", "AFG MIL", "Afghan forces", 0, 13)
    tal = ActorRef("TALIBAN", "Taliban", "AFG INS", "the Taliban", 18, 29)
    by_token = {0: afg, 1: afg, 3: tal, 4: tal}
    found = sentence_mentions(doc[:], lambda t: by_token.get(t.i), [0, 1, 3, 4])
    assert [(ref.id, root.text) for ref, root in found] == [("AFG-MIL", "forces"), ("TALIBAN", "Taliban")]
    assert sentence_mentions(doc[:], lambda t: by_token.get(t.i)) == found  # without the index: every token looked at


def test_choose_fills_only_empty_slots_never_twice_and_above_the_threshold():
    a = ActorRef("A", "A", "USA", "A", 0, 1)
    b = ActorRef("B", "B", "RUS", "B", 2, 3)
    scored = [(a, 0.9, 0.6), (b, 0.3, 0.5)]
    assert choose(scored, True, True, set()) == (a, b)  # a is the source, so b the target
    assert choose(scored, False, True, set()) == (None, a)
    assert choose(scored, True, False, {"A"}) == (b, None)  # a is already in the event
    low = [(a, FILL_SLOT / 2, FILL_SLOT / 2)]
    assert choose(low, True, True, set()) == (None, None)
    assert SOURCE != TARGET


def _parsed(nlp, text, dateline=None):
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    return nlp(make_doc(nlp, RawArticle(key="t", source_path="t", text=text, published="1990-01-15",
                                        dateline=dateline)))


def test_bare_sector_nouns_are_bodies_of_the_home_country(nlp):
    doc = _parsed(nlp, "The police arrested three students, and the army clashed with the rebels.",
                  dateline="SAN SALVADOR, 15 JAN 90 (RADIO)")
    codes = {m.text: a.code for m, a in doc._.tacitus_actors}
    assert codes.get("The police") == "SLV COP" and codes.get("the army") == "SLV MIL"
    assert codes.get("the rebels") == "SLV REB"
    assert "three students" not in codes and "students" not in codes  # an object of the arrest, not a body


def test_vague_or_qualified_sector_nouns_are_not_bodies(nlp):
    doc = _parsed(nlp, "People in Kabul said the Kabul police had left.")
    bare = [m.text for m in doc._.tacitus_mentions if m.label == "COMPOSED" and m.country_text is None]
    assert bare == []


def test_find_dateline_reads_wire_and_broadcast_heads():
    from tacitus.ingest.textmeta import find_dateline

    assert find_dateline("DEV-X (NOSC)\n\n   SAN SALVADOR, 15 JAN 90 (ACAN-EFE) -- [TEXT] THE ARMY")\
        == "SAN SALVADOR, 15 JAN 90 (ACAN-EFE)"
    assert find_dateline("MOSCOW (AP)_ Presidents met on Friday.") == "MOSCOW (AP)"
    assert find_dateline("Federal officials said on Wednesday that the case was closed.") is None


def test_home_country_from_a_capital_dateline_or_capitals_named():
    from tacitus.extract.records import Mention
    from tacitus.resolve.actors import _home_country
    from tacitus.resolve.kb import KnowledgeBase

    kb = KnowledgeBase.load()
    assert _home_country([], kb, "MOSCOW (AP)") == "RUS"
    named = [Mention("Kabul", 0, 5, "GPE", "state"), Mention("Afghan forces", 10, 23, "COMPOSED", "organisation",
                                                             sector="MIL", country_text="Afghan")]
    assert _home_country(named, kb, None) == "AFG"
