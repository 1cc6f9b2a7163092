"""Actors: the knowledge base, composed sector actors, roles, coreference, and the kb commands."""

import gzip
import json

import pytest
from spacy.tokens import Doc, Span

import tacitus
from tacitus.extract.actors import extract_mentions
from tacitus.extract.roles import extract_roles, split_title
from tacitus.resolve.actors import resolve_mentions
from tacitus.resolve.kb import KnowledgeBase, parse_rows
from tacitus.resolve.wikidata import actors_from_dump

from conftest import model_available, run_cli

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")


@pytest.fixture(scope="module")
def kb():
    return KnowledgeBase.load()


def test_bundled_kb_covers_every_state_and_the_regions_actors(kb):
    states = [a for a in kb.actors.values() if a.kind == "state"]
    assert len(states) >= 240
    assert sum(1 for a in states if a.capital and a.demonyms) >= 195  # every sovereign state, and more
    for name, code in [("Taliban", "AFG INS"), ("Islamic Emirate", "AFG INS"), ("Daesh", "IMG INS"),
                       ("ISIS", "IMG INS"), ("Islamic State", "IMG INS"), ("CSTO", "IGO MIL"), ("Kremlin", "RUS GOV"),
                       ("Soviet troops", "SUN MIL"), ("Maria Zakharova", "RUS GOV"), ("Zamir Kabulov", "RUS GOV"),
                       ("Pakistan", "PAK"), ("Tajikistan", "TJK"), ("Soviet Union", "SUN"), ("Stanford", "USA EDU")]:
        a = kb.lookup(name)
        assert a is not None and a.code == code, (name, a)
    assert kb.lookup("Daesh").id == kb.lookup("ISIS").id == kb.lookup("Islamic State").id
    assert kb.continuity("SUN MIL") == "RUS MIL" and kb.continuity("RUS GOV") == "RUS GOV"
    assert kb.state("Afghans").id == "AFG" and kb.capitals["Kabul"].id == "AFG"
    assert kb.sector_actor(kb.state("Tajik"), "MIL").code == "TJK MIL"  # composed on the fly


def test_kb_rows_are_checked():
    with pytest.raises(ValueError, match="missing column"):
        parse_rows("id,name\nX,Y\n", "mine.csv")
    with pytest.raises(ValueError, match="mine.csv:3: empty code"):
        parse_rows("id,name,code,kind\nA,Alpha,AAA,state\nB,Beta,,group\n", "mine.csv")


def test_user_kb_file_adds_and_overrides(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("id,name,code,kind,country,sector,aliases\n"
                 "P-LENA-OKAFOR,Lena Okafor,NGA JRN,person,NGA,JRN,L. Okafor\n"
                 "TALIBAN,Taliban movement,AFG INS,group,AFG,INS,Taliban|Talibs\n", encoding="utf-8")
    kb = KnowledgeBase.load([p])
    assert kb.lookup("L. Okafor").code == "NGA JRN"
    assert kb.lookup("Talibs").id == "TALIBAN" and kb.actors["TALIBAN"].name == "Taliban movement"
    with pytest.raises(ValueError, match="cannot read"):
        KnowledgeBase.load([tmp_path / "missing.csv"])


def make_doc(blank, words, ents=(), deps=None, heads=None, pos=None, lemmas=None):
    doc = Doc(blank.vocab, words=words, deps=deps, heads=heads, pos=pos, lemmas=lemmas)
    doc.ents = [Span(doc, s, e, label=lab) for s, e, lab in ents]
    return doc


def test_nationality_with_sector_word_is_one_composed_actor(blank, kb):
    # "Russian officials met Afghan forces ."
    words = ["Russian", "officials", "met", "Afghan", "forces", "."]
    doc = make_doc(blank, words, ents=[(0, 1, "NORP"), (3, 4, "NORP")],
                   heads=[1, 2, 2, 4, 2, 2], deps=["amod", "nsubj", "ROOT", "amod", "dobj", "punct"],
                   pos=["ADJ", "NOUN", "VERB", "ADJ", "NOUN", "PUNCT"])
    ms = list(extract_mentions(doc, kb.capitals, kb.state_names(), kb.sector_of))
    assert [(m.text, m.label, m.sector) for m in ms] == [("Russian officials", "COMPOSED", "GOV"),
                                                         ("Afghan forces", "COMPOSED", "MIL")]
    pairs, _ = resolve_mentions(ms, kb)
    assert [a.code for _m, a in pairs] == ["RUS GOV", "AFG MIL"]


def test_titles_are_split_from_names_and_junk_is_not_an_actor(blank, kb):
    words = ["General", "Boris", "Gromov", "left", "Home", "/", "Latest", "Updates", "and", "InTajik", "."]
    doc = make_doc(blank, words, ents=[(0, 3, "PERSON"), (4, 8, "ORG"), (9, 10, "ORG")])
    is_role = lambda w: w.casefold() in kb.role_words  # noqa: E731
    assert split_title(doc.ents[0], is_role).text == "Boris Gromov"
    ms = list(extract_mentions(doc, is_role_word=is_role))
    assert [m.text for m in ms] == ["Boris Gromov"]


def test_generic_insurgents_are_the_taliban_in_a_taliban_article(blank, kb):
    text = "The Taliban advanced. The insurgents took the town."
    doc = blank(text)
    ms = list(extract_mentions(doc))
    pairs, _ = resolve_mentions(ms, kb, text)
    assert {a.id for _m, a in pairs} == {"TALIBAN"}
    pairs, _ = resolve_mentions(list(extract_mentions(blank("The insurgents took the town."))), kb,
                                "The insurgents took the town.")
    assert pairs[0][1].id != "TALIBAN" and pairs[0][1].sector == "INS"


ROLE_TEXT = ("Maria Zakharova, the foreign ministry spokeswoman, spoke on Tuesday. President Vladimir Putin met "
             "Zamir Kabulov, his special envoy for Afghanistan. Lena Okafor, an associate at the Center for "
             "International Security and Cooperation at Stanford, said the talks were useful. She added that "
             "Kabulov would travel to Doha. The envoy said he was hopeful.")


@needs_model
def test_roles_codes_and_coreference(nlp):
    doc = nlp(ROLE_TEXT)
    actors = {m.text: a for m, a in doc._.tacitus_actors}
    roles = {r.actor_id: r for r in doc._.tacitus_roles}
    zak = actors["Maria Zakharova"]
    assert zak.code == "RUS GOV" and "spokeswoman" in roles[zak.id].text
    kab = actors["Zamir Kabulov"]
    assert "envoy" in roles[kab.id].title and roles[kab.id].code == "RUS GOV"  # "his" = Putin's
    okafor = actors["Lena Okafor"]
    assert okafor.code == "USA EDU" and roles[okafor.id].organisation == "Stanford University"
    assert actors["She"].id == okafor.id  # a pronoun subject refers to the last person
    assert actors["Kabulov"].id == kab.id  # surname
    assert actors.get("The envoy") is not None and actors["The envoy"].id == kab.id


def write_dump(path):
    entities = [
        {"id": "Q999001", "type": "item", "labels": {"en": {"language": "en", "value": "Lena Okafor"}},
         "aliases": {"en": [{"language": "en", "value": "Helena Okafor"}]},
         "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q5"}}}}],
                    "P27": [{"mainsnak": {"datavalue": {"value": {"id": "Q1033"}}}}],
                    "P106": [{"mainsnak": {"datavalue": {"value": {"id": "Q1930187"}}}}]}},
        {"id": "Q1033", "type": "item", "labels": {"en": {"language": "en", "value": "Nigeria"}},
         "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q6256"}}}}],
                    "P298": [{"mainsnak": {"datavalue": {"value": "NGA"}}}]}},
        {"id": "Q999002", "type": "item", "labels": {"en": {"language": "en", "value": "Delta Avengers Front"}},
         "claims": {"P31": [{"mainsnak": {"datavalue": {"value": {"id": "Q17149090"}}}}],
                    "P17": [{"mainsnak": {"datavalue": {"value": {"id": "Q1033"}}}}]}},
        {"id": "Q999003", "type": "item", "labels": {"de": {"language": "de", "value": "Nur deutsch"}}, "claims": {}},
    ]
    lines = ["["] + [json.dumps(e) + "," for e in entities[:-1]] + [json.dumps(entities[-1]), "]"]
    path.write_bytes(gzip.compress("\n".join(lines).encode("utf-8")))


def test_wikidata_dump_becomes_kb_rows(tmp_path):
    dump = tmp_path / "wd.json.gz"
    write_dump(dump)
    actors = {a.name: a for a in actors_from_dump(dump)}
    assert set(actors) == {"Lena Okafor", "Nigeria", "Delta Avengers Front"}
    assert actors["Lena Okafor"].code == "NGA JRN" and actors["Lena Okafor"].aliases == ("Helena Okafor",)
    assert actors["Delta Avengers Front"].code == "NGA INS" and actors["Delta Avengers Front"].kind == "group"
    bad = tmp_path / "bad.json"
    bad.write_text("[\n{not json\n]\n")
    with pytest.raises(ValueError, match="bad.json:2"):
        actors_from_dump(bad)


@needs_model
def test_kb_commands_and_a_run_that_uses_them(tmp_path):
    db = tmp_path / "kb.duckdb"
    dump = tmp_path / "wd.json.gz"
    write_dump(dump)
    out = run_cli("kb", "import", str(dump), "--db", str(db), check=True).stdout.decode()
    assert "imported 3 actors" in out
    run_cli("kb", "add", "--db", str(db), "--name", "Tomas Varga", "--code", "HUN GOV", "--alias", "T. Varga",
            "--role", "deputy foreign minister|HUN GOV|2022|", check=True)
    looked = run_cli("kb", "lookup", "Helena Okafor", "T. Varga", "--db", str(db), "--json", check=True).stdout
    found = [json.loads(line) for line in looked.decode().splitlines()]
    assert found[0]["actor"]["code"] == "NGA JRN" and found[1]["actor"]["roles"][0]["role"] == "deputy foreign minister"
    bad = run_cli("kb", "add", "--db", str(db), "--name", "X", "--code", "russia gov!")
    assert bad.returncode != 0 and "code must be" in bad.stderr.decode()
    art = tmp_path / "in" / "a.txt"
    art.parent.mkdir()
    art.write_text("Budapest talks\n\nTomas Varga met Helena Okafor in Budapest on Monday to discuss press freedom, "
                   "and the Delta Avengers Front said it would observe a truce during the visit by the delegation.\n")
    tacitus.process([art.parent], db, progress=False)
    with tacitus.open(db) as d:
        codes = dict(d.sql("SELECT name, code FROM actors").itertuples(index=False))
    assert codes.get("Tomas Varga") == "HUN GOV" and codes.get("Lena Okafor") == "NGA JRN"


@needs_model
def test_shared_corpus_actors(shared_db):
    with tacitus.open(shared_db) as d:
        actors = d.actors()
        roles = d.roles()
    codes = set(actors["code"].dropna())
    for code in ("RUS", "AFG", "USA", "AFG INS", "PAK", "IRN", "CHN", "IND", "TJK", "SUN", "RUS GOV", "SUN MIL"):
        assert code in codes, code
    names = list(actors["name"])
    assert not any("/" in n or "Latest Updates" in n or n.upper() == "KABUL" for n in names)
    persons = actors[actors["kind"] == "person"]["name"]
    surnames = [n.split()[-1] for n in persons]
    assert len(surnames) == len(set(surnames)), "a person split in two"
    zak = actors[actors["name"] == "Maria Zakharova"].iloc[0]
    assert zak["code"] == "RUS GOV"
    assert "spokesperson" in " ".join(roles[roles["actor_id"] == zak["id"]]["text"])


@needs_model
def test_possessive_country_with_sector_word(nlp):
    doc = nlp("Russia’s foreign ministry rejected the accusation. Pakistan's army denied it.")
    assert [(m.text, a.code) for m, a in doc._.tacitus_actors] == [("Russia’s foreign ministry", "RUS GOV"),
                                                                   ("Pakistan's army", "PAK MIL")]


def test_a_persons_code_is_the_office_held_at_the_publication_date():
    from tacitus.resolve.kb import KnowledgeBase, code_at

    kb = KnowledgeBase.load()
    trump, obama = kb.actors["P-DONALD-TRUMP"], kb.actors["P-BARACK-OBAMA"]
    assert code_at(trump, "2016-06-20") == "USA PTY"  # a candidate is not the government
    assert code_at(trump, "2018-01-01") == "USA GOV"
    assert code_at(obama, "2018-01-01") == "USA"  # out of office: the country, affiliation unknown
    assert code_at(obama, "2010") == "USA GOV" and code_at(obama, None) == obama.code
    massoud = kb.actors["P-AHMAD-SHAH-MASSOUD"]  # a commander, not a state's office holder: his code at any date
    assert code_at(massoud, "1950-01-01") == massoud.code == code_at(massoud, "2030-01-01")
    general = kb.actors["P-JOHN-NICHOLSON"]  # a career soldier stays one between the postings the KB lists
    assert code_at(general, "2019-05-02") == "USA MIL"


def test_resolved_persons_carry_the_dated_code(nlp):
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    text = "Donald Trump attacked Barack Obama over the deal."
    for published, trump_code, obama_code in (("2016-06-20", "USA PTY", "USA GOV"), ("2018-03-01", "USA GOV", "USA")):
        doc = nlp(make_doc(nlp, RawArticle(key="t", source_path="t", text=text, published=published)))
        codes = {a.name: a.code for _m, a in doc._.tacitus_actors}
        assert codes["Donald Trump"] == trump_code and codes["Barack Obama"] == obama_code, (published, codes)


def test_home_country_default_and_dated_codes_stay_out_of_the_registry():
    from tacitus.extract.records import Mention
    from tacitus.resolve.actors import resolve_mentions
    from tacitus.resolve.kb import KnowledgeBase

    kb = KnowledgeBase.load()
    mentions = [Mention("Ivan Petrovsky", 0, 14, "PERSON", "person"), Mention("Barack Obama", 20, 32, "PERSON", "person")]
    pairs, _roles = resolve_mentions(mentions, kb, "", pub_year=2018, dateline="MOSCOW (AP)", published="2018-03-01")
    by_name = {a.name: a for _m, a in pairs}
    unknown, obama = by_name["Ivan Petrovsky"], by_name["Barack Obama"]
    assert unknown.code == "RUS" and unknown.registry[0] is None  # events: the home country; registry: unknown
    assert obama.code == "USA" and obama.registry[0] == "USA GOV"  # events: out of office then; registry: the KB's
