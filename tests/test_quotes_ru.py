"""Russian quotes (:mod:`tacitus.extract.quotes_ru`): every frame on sentences written for these tests,
the non-quotes, the stance of each cue, and a quality gate on the gold of real news
(``data/gold/ru_quotes.jsonl``, skipped when ``../shared`` is absent)."""

from __future__ import annotations

import json
import time

import pytest

from tacitus.extract.quotes import SpeakerActor
from tacitus.extract.quotes_ru import (CUES_RU, attributions_ru, extract_quotes_ru, find_quotes_ru,
                                       stance_of_ru)

from conftest import SHARED


@pytest.fixture(scope="module")
def ru():
    from tacitus.nlp.blas import BlasThreads
    from tacitus.nlp.russian import RussianAnalyser, RussianUnavailable

    blas = BlasThreads(1)
    analyser = RussianAnalyser()
    try:
        analyser.models
    except RussianUnavailable as exc:
        blas.restore()
        pytest.skip(str(exc))
    yield analyser
    blas.restore()


def ents_actor_at(doc):
    """An ``actor_at`` from the Doc's PERSON entities: each one an actor named by its normal form."""
    from tacitus.nlp.russian import normal_form

    by_token = {}
    for e in doc.ents:
        if e.label_ != "PERSON":
            continue
        name = normal_form(doc, e.start_char, e.end_char) or e.text
        actor = SpeakerActor(f"person:{name}", name, None, "person", "PERSON", e.start_char, e.end_char)
        for t in e:
            by_token[t.i] = actor
    return lambda tok: by_token.get(tok.i)


def quotes(ru, text, actors=False):
    doc = ru(text)
    found = list(extract_quotes_ru(doc, ents_actor_at(doc)) if actors else extract_quotes_ru(doc))
    for q in found:  # the record invariants, on every test text
        assert doc.text[q.start:q.end] == q.text
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(doc.text)
    assert len({(q.start, q.end) for q in found}) == len(found), "duplicate attributions"
    return found


def one(found, kind=None):
    picked = [q for q in found if kind is None or q.kind == kind]
    assert len(picked) == 1, [(q.kind, q.text, q.speaker) for q in found]
    return picked[0]


# -- direct quotes -------------------------------------------------------------------------------------


def test_quote_then_dash_frame(ru):
    q = one(quotes(ru, "«Мы не намерены уходить из региона», — заявил Замир Кабулов журналистам в среду."))
    assert (q.kind, q.text, q.cue, q.speaker, q.speaker_kind) == (
        "direct", "Мы не намерены уходить из региона", "заявил", "Замир Кабулов", "named")


def test_frame_inside_the_marks_makes_two_quotes_and_resolves_he(ru):
    text = "Министр обороны Олег Смирнов выступил в парламенте. «Армия готова, — сказал он, — но приказа пока нет»."
    found = quotes(ru, text)
    assert [q.text for q in found] == ["Армия готова", "но приказа пока нет"]
    assert {(q.speaker, q.speaker_kind, q.cue) for q in found} == {("Олег Смирнов", "pronoun", "сказал")}
    assert text[found[0].speaker_start:found[0].speaker_end] == "он"


def test_colon_frame(ru):
    q = one(quotes(ru, "Анна Ковалёва заявила: «Переговоры зашли в тупик»."))
    assert (q.text, q.cue, q.speaker_kind) == ("Переговоры зашли в тупик", "заявила", "named")
    assert q.speaker.replace("ё", "е") == "Анна Ковалева"


def test_kak_zayavil_before_a_quote(ru):
    q = one(quotes(ru, "Как заявил Игорь Белов, «решение уже принято и пересмотру не подлежит»."))
    assert (q.kind, q.text, q.speaker, q.cue) == ("direct", "решение уже принято и пересмотру не подлежит",
                                                 "Игорь Белов", "заявил")


def test_low_high_and_straight_marks(ru):
    found = quotes(ru, "Глава компании Павел Орлов сказал: „Мы удвоим выпуск к осени“. "
                       "Его заместитель добавил: \"Новые цеха откроются в мае\".")
    assert [(q.text, q.cue) for q in found] == [("Мы удвоим выпуск к осени", "сказал"),
                                                ("Новые цеха откроются в мае", "добавил")]
    assert found[0].speaker == "Павел Орлов"
    assert (found[1].speaker, found[1].speaker_kind) == ("заместитель", "role")


def test_dash_frame_without_comma(ru):
    q = one(quotes(ru, "«Цены вырастут ещё на десять процентов» — говорит экономист Ольга Сергеева."))
    assert (q.speaker, q.cue) == ("Ольга Сергеева", "говорит")


def test_continued_speaker_in_the_same_and_the_next_paragraph(ru):
    text = ("«Работы хватит всем», — сказал мэр Василий Громов. «Мы построим три новые школы и больницу».\n\n"
            "«Деньги на это уже выделены из городского бюджета и из областного фонда».")
    found = quotes(ru, text)
    assert [q.speaker for q in found] == ["Василий Громов"] * 3
    assert [q.speaker_kind for q in found] == ["named", "continued", "continued"]
    assert [q.cue for q in found] == ["сказал", None, None]


def test_a_quote_after_another_person_is_not_continued(ru):
    text = ("«Работы хватит всем», — сказал мэр Василий Громов. Его оппонент Игорь Павлов промолчал.\n\n"
            "«Деньги на это уже выделены из городского бюджета и из областного фонда».")
    found = quotes(ru, text)
    assert [q.speaker for q in found] == ["Василий Громов", None]


def test_narrative_between_two_quotes_is_not_a_quote(ru):
    text = ("«Мы победим», — сказал тренер Антон Рябов. После матча команда уехала в гостиницу. "
            "«Следующая игра будет труднее», — добавил он.")
    found = quotes(ru, text)
    assert [q.text for q in found] == ["Мы победим", "Следующая игра будет труднее"]
    assert [q.speaker for q in found] == ["Антон Рябов", "Антон Рябов"]
    assert not any("гостиницу" in q.text for q in found)


def test_quoted_fragment_named_by_its_cue(ru):
    q = one(quotes(ru, "Писатель назвал роман «очень смелым», но не стал объяснять почему."))
    assert (q.kind, q.text, q.cue, q.speaker, q.partial) == ("direct", "очень смелым", "назвал", "Писатель", True)


def test_clause_wholly_in_quote_marks_is_the_direct_quote(ru):
    q = one(quotes(ru, "Министр Олег Смирнов подчеркнул, что «армия готова к любому развитию событий»."))
    assert (q.kind, q.text, q.cue, q.speaker) == ("direct", "армия готова к любому развитию событий",
                                                 "подчеркнул", "Олег Смирнов")


def test_clause_partly_quoted_is_one_indirect_attribution(ru):
    q = one(quotes(ru, "Директор Нина Лаптева сказала, что завод работает «в три смены и без выходных»."))
    assert (q.kind, q.cue, q.speaker) == ("indirect", "сказала", "Нина Лаптева")
    assert q.text.startswith("завод работает") and "в три смены" in q.text


def test_interview_transcript(ru):
    text = ("Сергей Нечаев: Мы готовы к диалогу с оппозицией.\n"
            "Корреспондент: Когда начнутся переговоры?\n"
            "Сергей Нечаев: Уже на следующей неделе.\n"
            "Корреспондент: Спасибо за беседу.")
    found = quotes(ru, text)
    assert [(q.speaker, q.cue) for q in found] == [("Сергей Нечаев", ":"), ("Корреспондент", ":")] * 2
    assert found[0].text == "Мы готовы к диалогу с оппозицией."


def test_headline_name_colon_quote(ru):
    q = one(quotes(ru, "Виктор Ларин: «Команда играла без души и без плана»\n\nТренер недоволен игрой."))
    assert (q.text, q.cue, q.speaker) == ("Команда играла без души и без плана", ":", "Виктор Ларин")


# -- non-quotes ------------------------------------------------------------------------------------------


def test_names_and_titles_in_quote_marks_are_not_quotes(ru):
    assert quotes(ru, "Боевики «Талибана» и «Исламского государства» заняли город, сообщила газета "
                      "«Коммерсант».")[0].kind == "indirect"  # the report is; the names are not quotes
    assert quotes(ru, "Фестиваль «Белые ночи» открылся в субботу, а фильм «Дорога домой» получил приз.") == []
    assert quotes(ru, "Движение «Талибан» и группировка «Исламское государство» запрещены в России.") == []
    assert quotes(ru, "Корреспондент «Российской газеты» побывал на заводе «Красный октябрь».") == []


def test_scare_quotes_without_a_speaker_are_not_quotes(ru):
    assert quotes(ru, "Этот «мирный процесс» давно зашёл в тупик, а «перезагрузка» так и не случилась.") == []


def test_an_unbalanced_mark_is_not_a_quote(ru):
    found = quotes(ru, "Депутат сказал «это неправда и мы это докажем в суде.")
    assert all(q.kind == "indirect" and not q.text.startswith("«") for q in found)


def test_impersonal_and_passive_frames_have_no_speaker(ru):
    assert quotes(ru, "Говорят, что мэр скоро уйдёт в отставку. Вчера было заявлено, что завод закроют.") == []


def test_a_cue_with_a_noun_object_is_no_attribution(ru):
    assert quotes(ru, "Посол отверг обвинения в шпионаже. Министерство ни подтвердило, ни опровергло эти "
                      "сведения.") == []


# -- reported speech -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("frame, cue", [
    ("Иван Петров заявил, что", "заявил"),
    ("Иван Петров сообщил, что", "сообщил"),
    ("Иван Петров отметил, что", "отметил"),
    ("Иван Петров подчеркнул, что", "подчеркнул"),
    ("Иван Петров добавил, что", "добавил"),
    ("Иван Петров считает, что", "считает"),
    ("Иван Петров уверен, что", "уверен"),
    ("Иван Петров признал, что", "признал"),
    ("Иван Петров пообещал, что", "пообещал"),
    ("Иван Петров предупредил, что", "предупредил"),
    ("Иван Петров заявил о том, что", "заявил"),
    ("Иван Петров опроверг сообщения, что", "опроверг"),
    ("Иван Петров отверг утверждения, что", "отверг"),
])
def test_speech_verbs_with_a_that_clause(ru, frame, cue):
    q = one(quotes(ru, f"{frame} переговоры с соседями сорвались."))
    assert (q.kind, q.text, q.cue, q.speaker, q.speaker_kind) == (
        "indirect", "переговоры с соседями сорвались", cue, "Иван Петров", "named")


def test_accused_of_that(ru):
    q = one(quotes(ru, "Прокурор обвинил директора в том, что тот скрыл доходы."))
    assert (q.text, q.cue, q.speaker, stance_of_ru(q.cue)) == ("тот скрыл доходы", "обвинил", "Прокурор", "alleges")


def test_appeal_with_an_infinitive(ru):
    q = one(quotes(ru, "Генсек ООН Антониу Гутерриш призвал стороны прекратить огонь."))
    assert (q.text, q.cue, q.speaker) == ("прекратить огонь", "призвал", "Антониу Гутерриш")


@pytest.mark.parametrize("text, content, cue, speaker", [
    ("По словам министра финансов Ивана Петрова, бюджет будет исполнен полностью.",
     "бюджет будет исполнен полностью", "словам", "Иван Петров"),
    ("Как сообщил представитель МВД Андрей Лосев, задержаны трое подозреваемых.",
     "задержаны трое подозреваемых", "сообщил", "Андрей Лосев"),
    ("По мнению аналитика Семёна Гуревича, рынок восстановится через год.",
     "рынок восстановится через год", "мнению", "Семен Гуревич"),
    ("По данным Росстата, инфляция замедлилась.", "инфляция замедлилась", "данным", "Росстат"),
    ("Заводы в регионе закроют до конца месяца, сообщает ТАСС.",
     "Заводы в регионе закроют до конца месяца", "сообщает", "ТАСС"),
    ("Забастовка продлится до пятницы. Об этом заявил лидер профсоюза Денис Котов.",
     "Забастовка продлится до пятницы", "заявил", "Денис Котов"),
])
def test_source_frames(ru, text, content, cue, speaker):
    q = one(quotes(ru, text))
    assert (q.kind, q.text, q.cue, q.speaker.replace("ё", "е")) == ("indirect", content, cue, speaker)


def test_parenthetical_frame_inside_the_clause(ru):
    text = "Переговоры, считает политолог Ирина Лебедева, продлятся ещё несколько недель."
    q = one(quotes(ru, text))
    assert (q.cue, q.speaker) == ("считает", "Ирина Лебедева")
    assert q.text.startswith("Переговоры") and q.text.endswith("несколько недель")


def test_speaker_named_in_the_genitive_is_given_in_the_nominative(ru):
    text = "По словам министра финансов Ивана Петрова, бюджет будет исполнен полностью."
    q = one(quotes(ru, text))
    assert q.speaker == "Иван Петров" and text[q.speaker_start:q.speaker_end] == "Ивана Петрова"


def test_pronoun_resolved_by_grammatical_gender(ru):
    text = ("Мария Иванова и Пётр Сидоров встретились в Москве. Она заявила, что соглашение будет подписано "
            "до конца года. Он добавил, что текст согласуют юристы.")
    found = quotes(ru, text)
    assert [(q.speaker.replace("ё", "е"), q.speaker_kind) for q in found] == [
        ("Мария Иванова", "pronoun"), ("Петр Сидоров", "pronoun")]


def test_surname_gets_the_full_name(ru):
    text = "Министр иностранных дел Сергей Лавров прибыл в Токио. Лавров заявил, что визит будет коротким."
    q = one(quotes(ru, text))
    assert (q.speaker, q.speaker_kind) == ("Сергей Лавров", "surname")


def test_impersonal_plural_with_a_place(ru):
    q = one(quotes(ru, "В министерстве уверены, что цены снизятся."))
    assert (q.text, q.speaker, q.speaker_kind) == ("цены снизятся", "министерство", "institutional")


def test_second_level_source_goes_to_the_speaker(ru):
    q = one(quotes(ru, "Министр связи Игорь Щёголев рассказал о том, что тарифы снизятся, сообщает агентство "
                       "«Интерфакс»."))
    assert (q.cue, q.speaker.replace("ё", "е"), q.text) == ("рассказал", "Игорь Щеголев", "тарифы снизятся")


def test_nested_attribution_inside_a_quote_is_left_out(ru):
    found = quotes(ru, "«Коллеги сказали мне, что проект закрыт», — рассказал инженер Олег Рыбин.")
    assert [(q.kind, q.speaker) for q in found] == [("direct", "Олег Рыбин")]


def test_actor_at_names_the_speaker(ru):
    text = "Пётр Сидоров прибыл в Казань. «Мы откроем здесь завод», — сказал он."
    q = one(quotes(ru, text, actors=True))
    assert q.speaker_actor_id is not None and q.speaker_actor_id.startswith("person:")
    assert q.speaker == q.speaker_actor_id.removeprefix("person:")


def test_attributions_carry_cue_offsets(ru):
    text = "«Работы хватит всем», — сказал мэр Василий Громов."
    doc = ru(text)
    [(q, cue)] = list(attributions_ru(doc))
    assert text[cue[0]:cue[1]] == "сказал"


def test_empty_and_speechless_texts(ru):
    assert quotes(ru, "") == []
    assert quotes(ru, "Дождь шёл весь день. Реки вышли из берегов.") == []


@pytest.mark.parametrize("text", ["«»«»", '"""', "«««« сказал он »»", "—", ":", "Он: «", "«Да",
                                  "«" * 300 + " заявил " + "»" * 3, "Иван сказал, что", "По словам, ,",
                                  "Об этом заявил."])
def test_broken_inputs_give_nothing_and_do_not_fail(ru, text):
    assert quotes(ru, text) == []


# -- the scanner, stance and cues (no model) --------------------------------------------------------------


def test_scanner_nested_guillemets_and_inner_marks():
    text = "Он сказал: «В случае с «Союзом» это не так, а „Прогресс“ надёжен». Потом ушёл."
    [q] = find_quotes_ru(text)
    assert text[q.start:q.end] == "В случае с «Союзом» это не так, а „Прогресс“ надёжен"


def test_scanner_unbalanced_mark_in_running_text_is_dropped():
    assert find_quotes_ru("Депутат сказал «это неправда и ушёл.") == []
    [q] = find_quotes_ru("Депутат сказал: «это неправда и мы это докажем")
    assert q.close_at == -1


@pytest.mark.parametrize("cue, stance", [
    ("опровергнуть", "denies"), ("опроверг", "denies"), ("опровергать", "denies"), ("отвергнуть", "denies"),
    ("отвергли", "denies"), ("отрицать", "denies"), ("отрицает", "denies"),
    ("подтвердить", "confirms"), ("подтвердили", "confirms"), ("признать", "confirms"), ("признал", "confirms"),
    ("обвинить", "alleges"), ("обвинил", "alleges"), ("заявить", "alleges"), ("утверждать", "alleges"),
    ("сказал", "alleges"), (None, "alleges"), ("", "alleges"),
    # neither confirmed nor denied: the neutral value
    ("ни подтвердил, ни опроверг", "alleges"), ("отказался подтвердить", "alleges"),
    ("не подтвердил", "alleges"), ("не опроверг", "alleges"),
])
def test_stance_of_ru(cue, stance):
    assert stance_of_ru(cue) == stance


def test_stance_of_a_negated_cue_from_the_text(ru):
    q = one(quotes(ru, "Министр не исключил, что выборы перенесут."))
    assert q.cue == "не исключил" and stance_of_ru(q.cue) == "alleges"


def test_cue_lemmas():
    assert isinstance(CUES_RU, frozenset)
    assert {"заявить", "сообщить", "отметить", "подчеркнуть", "добавить", "считать", "уверить", "признать",
            "опровергнуть", "отвергнуть", "обвинить", "пообещать", "предупредить", "сказать"} <= CUES_RU


def test_extraction_is_fast(ru):
    parts = ["«Работы хватит всем», — сказал мэр Василий Громов.",
             "По словам министра финансов Ивана Петрова, бюджет будет исполнен полностью.",
             "Мария Иванова заявила, что соглашение будет подписано до конца года.",
             "Фестиваль «Белые ночи» открылся в субботу.", "Дождь шёл весь день, реки вышли из берегов."]
    text = "\n\n".join(" ".join(parts) for _ in range(40))
    doc = ru(text)
    t0 = time.perf_counter()
    found = list(extract_quotes_ru(doc))
    elapsed = time.perf_counter() - t0
    assert len(found) >= 120
    assert elapsed < 2.0, f"{elapsed:.2f}s for {len(doc)} tokens"


# -- the gold: real news nobody in the project wrote ------------------------------------------------------

DEVSET = SHARED / "eval" / "factrueval2016-dev" / "devset"
#: floors just under the scores measured when the gate was set (see README-ru-quotes.md)
FLOORS = {
    "all": {"found": 0.93, "speaker": 0.87, "cue": 0.95},
    "held_out": {"found": 0.89, "speaker": 0.79, "cue": 0.93},
}


def gate(by_split: dict) -> list[str]:
    """The floors a system misses: 'split metric score < floor'."""
    out = []
    for split, floors in FLOORS.items():
        for metric, floor in floors.items():
            got = by_split[split][metric]["f1"]
            if got < floor:
                out.append(f"{split} {metric} F1 {got:.3f} < {floor}")
    return out


@pytest.fixture(scope="module")
def gold_scores(ru):
    if not DEVSET.is_dir():
        pytest.skip("../shared/eval/factrueval2016-dev is not present")
    from tacitus.evaluate import quotes_ru as ev

    return ev.evaluate(DEVSET.parent, analyser=ru)


def test_gold_file_is_offsets_only():
    from tacitus.evaluate.quotes_ru import GOLD_PATH

    rows = [json.loads(line) for line in GOLD_PATH.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = {r["doc"] for r in rows if r.get("pass", 1) == 1}
    assert len(docs) >= 25
    allowed = {"doc", "split", "kind", "start", "end", "cue_start", "cue_end", "speaker_start", "speaker_end",
               "speaker", "pass"}
    for r in rows:
        assert set(r) <= allowed
        assert r["split"] in ("dev", "held_out")
        if r["kind"] != "doc":
            assert r["kind"] in ("direct", "indirect") and 0 <= r["start"] < r["end"]
            assert r["speaker"] is None or len(r["speaker"].split()) <= 8  # a name, never a sentence
    assert {r["split"] for r in rows} == {"dev", "held_out"}


def test_gold_offsets_fit_the_texts():
    if not DEVSET.is_dir():
        pytest.skip("../shared/eval/factrueval2016-dev is not present")
    from tacitus.evaluate.quotes_ru import GOLD_PATH

    for line in GOLD_PATH.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r["kind"] == "doc":
            continue
        text = (DEVSET / f"{r['doc']}.txt").read_text(encoding="utf-8")
        assert r["end"] <= len(text) and text[r["start"]].strip() and text[r["end"] - 1].strip()
        for a, b in (("cue_start", "cue_end"), ("speaker_start", "speaker_end")):
            if r[a] is not None:
                assert text[r[a]:r[b]].strip() == text[r[a]:r[b]]


def test_quality_gate_on_the_gold(gold_scores):
    ours = gold_scores["systems"]["Tacitus"]
    assert gate(ours) == []


def test_the_gate_fails_the_baseline(gold_scores):
    base = next(v for k, v in gold_scores["systems"].items() if k.startswith("baseline"))
    missed = gate(base)
    assert len(missed) == sum(len(f) for f in FLOORS.values()), missed
