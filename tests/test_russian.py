"""The Russian pipeline (natasha -> the same records as English). Regression tests on sentences we wrote
(never sentences of ../shared articles); accuracy on real text is measured by the gates on factRuEval-2016
development (tests/test_ner_ru.py) and the Russian golds made on it (tests/test_*_ru*.py)."""

from __future__ import annotations

import pytest

from tacitus.ingest.records import RawArticle


@pytest.fixture(scope="module")
def rp():
    from tacitus.nlp.blas import BlasThreads
    from tacitus.nlp.pipeline_ru import RussianPipeline

    cap = BlasThreads(1)
    yield RussianPipeline.from_files()
    cap.restore()


def run(rp, text: str, published: str = "2021-08-20", dateline: str | None = None):
    return rp(RawArticle(key="k", source_path="t.txt", text=text, published=published, language="ru",
                         dateline=dateline))


def events(doc):
    return [(e.type, e.source.code if e.source else None, e.target.code if e.target else None) for e in
            doc._.tacitus_events]


def test_doc_keeps_the_text_exactly(rp):
    from tacitus.nlp.russian import normal_form

    text = "  Вчера  министр\tвстретился с Кабуловым.\n\n«Это важно», — сказал он.\r\nКонец. "
    doc = rp.parse(text)
    assert doc.text == text
    assert [t.idx for t in doc if not t.is_space][:2] == [2, 9]
    assert len(list(doc.sents)) >= 3
    kab = [e for e in doc.ents if e.text == "Кабуловым"]
    assert kab and kab[0].label_ == "PERSON"
    assert normal_form(doc, kab[0].start_char, kab[0].end_char) == "Кабулов"


def test_empty_and_whitespace_text(rp):
    assert run(rp, "").text == ""
    assert run(rp, " \n ").text == " \n "


def test_actors_resolve_to_the_english_knowledge_base(rp):
    doc = run(rp, "Сергей Лавров встретился в Москве с делегацией талибов. Российские военные остались на базе.")
    codes = {m.text: a.code for m, a in doc._.tacitus_actors}
    assert codes["Сергей Лавров"] == "RUS GOV"
    assert codes["талиб"] == "AFG INS"
    assert any(m.label == "COMPOSED" and a.code == "RUS MIL" for m, a in doc._.tacitus_actors)


def test_meeting_is_coded_both_ways_with_its_place(rp):
    doc = run(rp, "Сергей Лавров в среду встретился в Москве с делегацией талибов.")
    evs = [e for e in doc._.tacitus_events if e.type == "CONSULT"]
    assert {(e.source.code, e.target.code) for e in evs} == {("RUS GOV", "AFG INS"), ("AFG INS", "RUS GOV")}
    assert all(e.place == "Moscow" for e in evs)
    assert all(e.date == "2021-08-18" and e.date_source == "sentence" for e in evs)


def test_negation_future_and_reporting(rp):
    doc = run(rp, "Талибы не стали атаковать американских военных. США намерены вывести войска из Афганистана. "
                  "Сергей Лавров заявил, что Пакистан поддерживает талибов.")
    by_type = {e.type: e for e in doc._.tacitus_events}
    assert by_type["ASSAULT"].negated and by_type["ASSAULT"].source.code == "AFG INS"
    assert by_type["RETREAT"].future and by_type["RETREAT"].source.code == "USA"
    sup = by_type["SUPPORT"]
    assert (sup.source.code, sup.target.code) == ("PAK", "AFG INS")
    assert sup.reported_by is not None and sup.reported_by.code == "RUS GOV"


def test_a_denial_is_a_claim_never_an_asserted_event(rp):
    doc = run(rp, "Министерство обороны России опровергло сообщения о поставках оружия талибам.")
    assert [e.type for e in doc._.tacitus_events] == ["REJECT"]
    claims = doc._.tacitus_claims
    assert [(c.stance, c.claimant_code, c.subject.code, c.relation, c.object.code) for c in claims] == [
        ("denies", "RUS GOV", "RUS GOV", "AID", "AFG INS")]


def test_an_accusation_is_a_claim_about_the_accused(rp):
    doc = run(rp, "Американский генерал обвинил Россию в поддержке талибов.")
    assert "SUPPORT" not in [e.type for e in doc._.tacitus_events]
    assert [(c.stance, c.subject.code, c.relation, c.object.code) for c in doc._.tacitus_claims] == [
        ("alleges", "RUS", "SUPPORT", "AFG INS")]


def test_counts(rp):
    doc = run(rp, "В результате обстрела погибли 12 человек, не менее 30 мирных жителей были ранены. "
                  "Никто из военных не погиб. К границе перебросили около 2 тысяч военнослужащих.")
    got = {(c.category, c.number, c.approximate) for c in doc._.tacitus_counts}
    assert ("killed", 12.0, False) in got
    assert ("wounded", 30.0, True) in got
    assert ("troops", 2000.0, True) in got
    assert not any(c.category == "killed" and c.number != 12.0 for c in doc._.tacitus_counts)


def test_pronoun_refers_to_the_last_person_of_its_gender(rp):
    doc = run(rp, "Мария Захарова выступила в среду. Сергей Лавров приехал позже. Он заявил, что переговоры "
                  "продолжатся. Она добавила, что Москва готова помочь.")
    refs = {m.text: m.refers_to for m in doc._.tacitus_mentions if m.label == "PRON"}
    text = doc.text
    assert refs["Он"] == text.index("Сергей Лавров")
    assert refs["Она"] == text.index("Мария Захарова")


def test_role_in_apposition(rp):
    doc = run(rp, "Спецпредставитель президента России по Афганистану Замир Кабулов прибыл в Кабул.")
    roles = doc._.tacitus_roles
    assert roles and roles[0].title == "спецпредставитель" and roles[0].country == "RUS"


def test_engine_routes_russian_articles_and_keeps_order(tmp_path):
    from tacitus.nlp.engine import NlpItem, run_pipeline
    from tacitus.nlp.pipeline import build_pipeline
    from tacitus.settings import resolve

    nlp, _ = build_pipeline(resolve().model)
    items = [
        NlpItem("a", RawArticle("a", "a.txt", "Russia and the Taliban met in Moscow on Friday.", published="2021-08-20",
                                language="en")),
        NlpItem("b", RawArticle("b", "b.txt", "Россия и талибы встретились в Москве в пятницу.", published="2021-08-20",
                                language="ru")),
        NlpItem("c", RawArticle("c", "c.txt", "The United States imposed sanctions on Russia.", published="2021-08-20",
                                language="en")),
    ]
    out = run_pipeline(nlp, items, batch_size=8)
    assert all(isinstance(o, dict) for o in out), out
    assert [e["type"] for e in out[1]["events"]] and all(e["article_id"] == "b" for e in out[1]["events"])
    assert {e["type"] for e in out[2]["events"]} == {"SANCTION"}
    assert {(e["source"]["code"], e["target"]["code"]) for e in out[1]["events"] if e["source"] and e["target"]} \
        >= {("RUS", "AFG INS")}


def test_a_russian_article_is_processed_into_the_store(tmp_path):
    import tacitus

    p = tmp_path / "ru.txt"
    p.write_text("Переговоры в Москве\n\nВ пятницу министр иностранных дел России Сергей Лавров встретился в Москве "
                 "с делегацией талибов. Стороны обсудили безопасность на границе, сообщили в МИД России.",
                 encoding="utf-8")
    db = tmp_path / "ru.duckdb"
    s = tacitus.process([p], db, progress=False)
    assert s.counts.get("skipped_language", 0) == 0
    with tacitus.open(db) as d:
        a = d.articles().iloc[0]
        assert a["language"] == "ru" and a["status"] == "ok"
        ev = d.events()
        assert {"CONSULT"} <= set(ev["type"])
        assert "Sergei Lavrov" in set(d.sql("SELECT name FROM actors")["name"])


@pytest.mark.parametrize("sentence, expected", [
    # each frame: who asserts, who denies, what is only reported
    ("Сергей Лавров заявил, что Пакистан поддерживает талибов.", [("alleges", "RUS GOV", "PAK", "SUPPORT", "AFG INS")]),
    ("Сергей Лавров опроверг, что Россия поддерживает талибов.", [("denies", "RUS GOV", "RUS", "SUPPORT", "AFG INS")]),
    ("Сергей Лавров подтвердил, что Россия поддерживает талибов.", [("confirms", "RUS GOV", "RUS", "SUPPORT", "AFG INS")]),
    ("Сергей Лавров ни подтвердил, ни опроверг, что Россия поддерживает талибов.", []),
    ("Сергей Лавров отказался подтвердить, что Россия поддерживает талибов.", []),
    ("Сергей Лавров заявил, что Россия не поддерживает талибов.", [("denies", "RUS GOV", "RUS", "SUPPORT", "AFG INS")]),
])
def test_claim_frames_keep_who_asserts_and_who_denies(rp, sentence, expected):
    doc = run(rp, sentence)
    got = [(c.stance, c.claimant_code, c.subject.code, c.relation, c.object.code) for c in doc._.tacitus_claims]
    assert got == expected
    if not expected or expected[0][0] != "alleges":  # a denied or unconfirmed support is no asserted event
        assert not [e for e in doc._.tacitus_events if e.type == "SUPPORT" and e.reported_by is None
                    and not e.negated]


def test_sector_without_country_is_the_home_country_but_foreign_troops_are_nobody(rp):
    doc = run(rp, "МОСКВА, 9 июля — Власти заявили, что иностранные войска должны покинуть Афганистан. "
                  "Полиция задержала троих.", dateline="МОСКВА, 9 июля")
    by_text = {m.text: a.code for m, a in doc._.tacitus_actors}
    assert by_text.get("власть") == "RUS GOV" and by_text.get("полиция") == "RUS COP"
    assert "войско" not in by_text
    assert all(m.text != "МОСКВА" for m, a in doc._.tacitus_actors if m.label != "PLACE")


def test_russian_dateline_leaves_the_body():
    from tacitus.ingest.textmeta import parse_head

    head = parse_head("Переговоры в Москве\n\n9 июля 2021\n\nМОСКВА, 9 июля — Делегации встретились в пятницу.")
    assert head.dateline == "МОСКВА, 9 июля"
    assert head.body.startswith("Делегации встретились")


def test_a_byline_without_by_after_the_date_line():
    from tacitus.ingest.textmeta import parse_head

    ru = parse_head("Переговоры в Москве\n\n9 июля 2021, 18:30\nИгорь Белов | Северная почта\n\n"
                    "МОСКВА, 9 июля — Делегации встретились в пятницу.")
    assert (ru.author, ru.outlet, ru.dateline) == ("Игорь Белов", "Северная почта", "МОСКВА, 9 июля")
    en = parse_head("Talks in Moscow\n\n09.11.2018 | 19:45\nJane Roe, Moscow bureau | Steppe Courier\n\n"
                    "MOSCOW — The delegations met on Friday.", date_order="DMY")
    assert (en.author, en.outlet, en.dateline) == ("Jane Roe", "Steppe Courier", "MOSCOW")
    assert en.body.startswith("The delegations met")


def test_a_referring_noun_is_the_group_it_was_said_of(rp):
    doc = run(rp, "В Москву прибыли представители движения «Талибан». Позже представители движения пообещали "
                  "не нарушать границы соседних стран.")
    corefs = [(m.text, a.code) for m, a in doc._.tacitus_actors if m.label == "COREF"]
    assert ("движения", "AFG INS") in corefs
    assert [(e.type, e.source.code) for e in doc._.tacitus_events if e.type == "AGREE"] == [("AGREE", "AFG INS")]


def test_a_long_text_is_analysed_in_pieces_with_the_same_offsets(rp):
    """Memory stays flat in the text's length: natasha gets pieces of at most ``chunk_chars`` characters
    (cut at paragraph breaks), joined into one Doc whose offsets, sentences and entities are the text's."""
    from tacitus.nlp.russian import normal_form

    para = "Сергей Лавров в среду встретился в Москве с делегацией талибов. Стороны обсудили границу."
    text = "\n\n".join([para] * 12)
    whole = rp.parse(text, chunk_chars=0)
    pieces = rp.parse(text, chunk_chars=300)
    assert pieces.text == text
    assert [(e.start_char, e.end_char, e.label_) for e in pieces.ents] == [
        (e.start_char, e.end_char, e.label_) for e in whole.ents]
    last = [e for e in pieces.ents if e.text == "Москве"][-1]
    assert last.start_char > 900 and normal_form(pieces, last.start_char, last.end_char) == "Москва"
    assert len(list(pieces.sents)) == len(list(whole.sents))
