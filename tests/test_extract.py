"""Extractors on hand-built Docs: no model needed."""

from spacy.tokens import Doc, Span

from tacitus.extract.actors import extract_mentions
from tacitus.extract.counts import extract_counts, parse_number
from tacitus.extract.places import extract_places
from tacitus.extract.quotes import extract_direct_quotes
from tacitus.extract.spans import sentence_of, sentence_starts
from tacitus.resolve.actors import resolve_mentions
from tacitus.resolve.kb import KnowledgeBase


def make_doc(blank, words, ents=(), spaces=None, sent_starts=None, deps=None, heads=None):
    doc = Doc(blank.vocab, words=words, spaces=spaces, sent_starts=sent_starts, deps=deps, heads=heads)
    doc.ents = [Span(doc, s, e, label=l) for s, e, l in ents]
    return doc


def test_mentions_from_ner_plus_group_rule(blank):
    words = ["Maria", "Zakharova", "met", "the", "Taliban", "and", "the", "insurgents", "in", "Russia", "."]
    doc = make_doc(blank, words, ents=[(0, 2, "PERSON"), (9, 10, "GPE")])
    ms = list(extract_mentions(doc, capitals=["Moscow"], states=["Russia"]))
    assert [(m.text, m.kind) for m in ms] == [
        ("Maria Zakharova", "person"), ("the Taliban", "group"), ("the insurgents", "group"), ("Russia", "state")]
    for m in ms:
        assert doc.text[m.start:m.end] == m.text


def test_capital_is_actor_only_as_subject(blank):
    # "Moscow said ..." (subject) vs "... met in Moscow" (place)
    words = ["Moscow", "said", "envoys", "met", "in", "Moscow", "."]
    heads = [1, 1, 3, 1, 3, 4, 1]
    deps = ["nsubj", "ROOT", "nsubj", "ccomp", "prep", "pobj", "punct"]
    doc = make_doc(blank, words, ents=[(0, 1, "GPE"), (5, 6, "GPE")], heads=heads, deps=deps)
    ms = list(extract_mentions(doc, capitals=["Moscow"], states=["Russia"]))
    assert [m.role for m in ms] == ["actor", "place"]
    kb = KnowledgeBase.load()
    [(m, actor)], _roles = resolve_mentions(ms, kb)
    assert actor.code == "RUS GOV"


def test_resolution_kb_aliases_and_surnames(blank):
    kb = KnowledgeBase.load()
    words = ["Arkady", "Dubnov", "said", "Daesh", "and", "ISIS", "differ", ";", "Dubnov", "left", "the", "Kremlin", "."]
    doc = make_doc(blank, words, ents=[(0, 2, "PERSON"), (3, 4, "ORG"), (5, 6, "ORG"), (8, 9, "PERSON"), (10, 12, "ORG")])
    pairs, _roles = resolve_mentions(extract_mentions(doc), kb)
    names = [(m.text, a.name, a.code) for m, a in pairs]
    assert names[0] == ("Arkady Dubnov", "Arkady Dubnov", None)
    assert pairs[1][1].id == pairs[2][1].id == "ISIS"  # Daesh and ISIS are one actor
    assert pairs[3][1].id == pairs[0][1].id  # "Dubnov" is Arkady Dubnov
    assert names[4][2] == "RUS GOV"


def test_direct_quote_with_named_speaker_and_pronoun(blank):
    text = ('Omar Samad spoke first. “Russia has met the Taliban. It wants a say,” said Omar Samad. '
            '"It is a long game," he added.')
    doc = blank(text)
    start = text.index("Omar")
    doc.ents = [doc.char_span(start, start + len("Omar Samad"), label="PERSON")]
    quotes = list(extract_direct_quotes(doc))
    assert len(quotes) == 2
    # not cut at the inner full stop; the comma that joins the quote to its cue is not part of it
    assert quotes[0].text == "Russia has met the Taliban. It wants a say"
    assert quotes[0].speaker == "Omar Samad" and quotes[0].cue == "said"
    assert quotes[1].speaker == "Omar Samad" and quotes[1].cue == "added"
    for q in quotes:
        assert text[q.start:q.end] == q.text


def test_counts_numbers_and_categories(blank):
    doc = blank("The blast killed 13 US service members. Some 2,500 troops took part. "
                "Hundreds of thousands of refugees fled in 1980.")
    counts = list(extract_counts(doc))
    got = [(c.category, c.number, c.approximate) for c in counts]
    assert ("killed", 13, False) in got
    assert ("troops", 2500, True) in got
    assert ("refugees", 200_000, True) in got
    for c in counts:
        assert doc.text[c.start:c.end] == c.text
    assert parse_number("twenty-five") == 25 and parse_number("1.5 million") == 1_500_000


def test_a_year_before_its_clause_is_no_count(blank):
    """Regression sentences of ours: a year after a month or "in" is a date, even with a noun after it; a
    count with a noun stays one."""
    doc = blank("In March 2011 a soldier shot dead a driver at the gate. Militants killed 2011 people, "
                "a report said. Since 1999 two guards were killed.")
    got = [(c.category, c.number) for c in extract_counts(doc)]
    assert ("killed", 2011) in got  # "killed 2011 people": a count
    assert all(n != 1999 for _, n in got)
    assert [n for cat, n in got if n == 2011] == [2011]  # the "March 2011" one is not


def test_places_and_sentences(blank):
    doc = make_doc(blank, ["They", "met", "in", "Kabul", ".", "Then", "Termez", "."], ents=[(3, 4, "GPE"), (6, 7, "GPE")],
                   sent_starts=[True, False, False, False, False, True, False, False])
    places = list(extract_places(doc))
    assert [p.text for p in places] == ["Kabul", "Termez"]
    starts = sentence_starts(doc)
    assert [sentence_of(starts, p.start) for p in places] == [0, 1]


def test_model_folder_and_missing_model(tmp_path):
    import pytest

    from tacitus.errors import ModelNotFoundError
    from tacitus.nlp.pipeline import find_model

    (tmp_path / "config.cfg").write_text("[nlp]\n")
    assert find_model(["not_installed_model", str(tmp_path)]) == str(tmp_path)
    with pytest.raises(ModelNotFoundError, match="none of the spaCy models"):
        find_model(["not_installed_model", "./no/such/folder"])


def test_partitive_count_is_the_part(blank):
    from tacitus.extract.counts import extract_counts

    doc = blank("13,000 of 100,000 Soviet soldiers serving in the war were killed and 35,000 others wounded.")
    counts = [(c.number, c.category, c.object) for c in extract_counts(doc)]
    assert (13000.0, "killed", "Soviet soldiers") in counts and (35000.0, "wounded", "others") in counts


def test_gazetteer_context_decides_between_candidates():
    from tacitus.resolve.places import Gazetteer

    g = Gazetteer.load()
    assert g.resolve("Georgia").entry.country == "GEO"  # the country, by default
    assert g.resolve("Georgia", {"USA": 6}).entry.feature == "ADM1"  # the US state in a US story
    assert g.resolve("Kabul").entry.feature == "capital"
    assert g.resolve("Kabul", following=" province").entry.feature == "ADM1"
    assert g.resolve("Kabul province").entry.feature == "ADM1"
    bagram = g.resolve("Bagram Air Base").entry
    assert bagram.country == "AFG" and 34 < bagram.latitude < 36
    assert g.resolve("Nowhere-on-earth").entry is None


def test_regex_folded_keeps_every_ascii_word_a_case_insensitive_regex_matches():
    """The prefilters of the timex and count scans test words in ``regex_folded(text)``; every
    character ``re.I`` takes for an ASCII letter or digit must fold to it, one for one."""
    import re
    import string

    from tacitus.extract.spans import regex_folded

    for cp in range(0x10000):
        c = chr(cp)
        for ch in string.ascii_lowercase + string.digits:
            if re.fullmatch(re.escape(ch), c, re.I):
                assert regex_folded(c) == ch, (hex(cp), ch)


def test_prefiltered_scans_find_odd_spellings(blank):
    """Dotless i, dotted capital I, long s and the Kelvin sign match the count and timex patterns
    case-insensitively; the prefilters must not skip them."""
    from tacitus.extract.timex import find_timexes

    def counts(word: str) -> list:
        doc = blank(f"Five of the 20 detainees were {word}.")  # only the partitive pattern reads it so
        return [(c.number, c.category.lower(), c.start, c.end) for c in extract_counts(doc)]

    plain = counts("killed")
    assert plain == [(5.0, "killed", 0, 36)]
    for word in ("kılled", "KİLLED", "\u212Ailled"):  # the same match, its category as written
        [(number, _category, start, end)] = counts(word)
        assert (number, start, end) == plain[0][:1] + plain[0][2:], word
    assert any("1990ſ" in t.text for t in find_timexes("In the 1990ſ the war went on.", "2021-08-15"))
    assert any("ago" in t.text.lower() for t in find_timexes("Three years AGO it began.", "2021-08-15"))
