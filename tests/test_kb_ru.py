"""Russian names: the knowledge base's Russian aliases, demonyms, capitals, sector and role words, and the
gazetteer's Russian place names (``aliases_ru.csv``, ``sectors_ru.csv``, ``roles_ru.csv``, ``names_ru.tsv``)."""

from __future__ import annotations

import csv
import re
from importlib import resources

import pytest

from tacitus.resolve.kb import KnowledgeBase, _bundled_rows, _word_table, apply_aliases, parse_aliases
from tacitus.resolve.places import Gazetteer, GeoEntry, km

CYRILLIC = re.compile("[\u0400-\u04ff]")
#: Demonyms two states share, as in the English data ("Congolese", "Dominican"): the first state keeps them.
SHARED_DEMONYMS = {("COG", "конголезский"), ("DOM", "доминиканский")}


def _data(folder: str, name: str) -> str:
    return resources.files("tacitus").joinpath("data", folder, name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.load()


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.load()


def _near(entry: GeoEntry | None, lat: float, lon: float, within_km: float = 25) -> bool:
    return entry is not None and km((entry.latitude, entry.longitude), (lat, lon)) <= within_km


# -- knowledge base ------------------------------------------------------------------------------------

def test_russian_names_of_states_bodies_groups_and_people(kb):
    for name, want in [("Россия", "RUS"), ("Российская Федерация", "RUS"), ("РФ", "RUS"), ("США", "USA"),
                       ("Соединённые Штаты", "USA"), ("Соединенные Штаты Америки", "USA"), ("Великобритания", "GBR"),
                       ("Британия", "GBR"), ("КНР", "CHN"), ("Китай", "CHN"), ("СССР", "SUN"), ("Афганистан", "AFG"),
                       ("МИД России", "RUS-GOV"), ("МИД РФ", "RUS-GOV"),
                       ("Министерство иностранных дел России", "RUS-GOV"),
                       ("Кремль", "RUS-GOV"), ("Минобороны России", "RUS-GOV"), ("ФСБ", "RUS-SPY"), ("ГРУ", "RUS-SPY"),
                       ("Пентагон", "USA-MIL"), ("Госдеп", "USA-GOV"), ("ООН", "UN"), ("Совбез ООН", "UN-SC"),
                       ("НАТО", "NATO"), ("ОДКБ", "CSTO"), ("ШОС", "SCO"), ("Евросоюз", "EU"), ("ЕС", "EU"),
                       ("талиб", "TALIBAN"), ("талибы", "TALIBAN"), ("Талибан", "TALIBAN"), ("«Талибан»", "TALIBAN"),
                       ("движение «Талибан»", "TALIBAN"), ("Движение Талибан", "TALIBAN"),
                       ("Исламский Эмират Афганистан", "TALIBAN"), ("Исламское государство", "ISIS"), ("ИГИЛ", "ISIS"),
                       ("ИГ", "ISIS"), ("Аль-Каида", "AL-QAEDA"), ("ИГИЛ-Хорасан", "ISIS-K"),
                       ("Сергей Лавров", "P-SERGEI-LAVROV"), ("Сергей Викторович Лавров", "P-SERGEI-LAVROV"),
                       ("Амир Хан Муттаки", "P-AMIR-KHAN-MUTTAQI"), ("Замир Кабулов", "P-ZAMIR-KABULOV")]:
        found = kb.lookup(name)
        assert found is not None and found.id == want, (name, found and found.id)
    assert kb.state("Россия").id == "RUS" and kb.state("РФ").id == "RUS"


def test_cyrillic_lookups_fold_case_and_yo_as_english_ones_fold_case(kb):
    assert kb.lookup("россия").id == "RUS"  # more than four letters: case-folded, as "russia" is
    assert kb.lookup("сша") is None and kb.lookup("us") is None  # short forms stay case-sensitive
    assert kb.lookup("ТАЛИБАН").id == "TALIBAN"
    for yo, ye in [("Соединённые Штаты", "Соединенные Штаты"),
                   ("Объединённые Арабские Эмираты", "Объединенные Арабские Эмираты"),
                   ("Михаил Горбачёв", "Михаил Горбачев"), ("Вооружённые силы России", "Вооруженные силы России")]:
        assert kb.lookup(yo) is not None and kb.lookup(yo) is kb.lookup(ye), (yo, ye)
    assert "Объединенные Арабские Эмираты" in kb.state_names() and "Россия" in kb.state_names()


def test_surnames_resolve_as_english_surnames_do(kb):
    # a bare surname is not an alias: KnowledgeBase.person_by_surname finds the one KB person who has it
    assert kb.lookup("Лавров") is None
    assert kb.person_by_surname("Лавров").id == "P-SERGEI-LAVROV"
    assert kb.person_by_surname("Горбачёв").id == kb.person_by_surname("Горбачев").id == "P-MIKHAIL-GORBACHEV"
    assert kb.person_by_surname("Иванов") is None  # Igor and Sergei Ivanov: ambiguous, as "Ivanov" is
    assert kb.person_by_surname("Lavrov").id == "P-SERGEI-LAVROV"


def test_demonyms_sectors_roles_and_capitals(kb):
    for word, want in [("российский", "RUS"), ("Российский", "RUS"), ("американский", "USA"), ("афганский", "AFG"),
                       ("афганцы", "AFG"), ("россиянин", "RUS"), ("советский", "SUN")]:
        assert kb.state(word) is not None and kb.state(word).id == want, word
    assert kb.sector_actor(kb.state("афганский"), kb.sector_of("военные")).id == "AFG-MIL"
    assert kb.sector_actor(kb.state("российский"), kb.sector_of("Правительство")).id == "RUS-GOV"
    assert kb.sector_of("боевик") == "INS" and kb.sector_of("боевики") == "INS" and kb.sector_of("полиция") == "COP"
    assert kb.sector_of("оппозиция") == "OPP" and kb.sector_of("войска") == "MIL" and kb.sector_of("армия") == "MIL"
    assert kb.sector_of("учёные") == kb.sector_of("ученые") == "EDU"
    for title, want in [("президент", "GOV"), ("министр", "GOV"), ("спецпредставитель", "GOV"), ("посол", "GOV"),
                        ("представитель", "GOV"), ("глава", "GOV"), ("премьер-министр", "GOV"), ("генерал", "MIL"),
                        ("учёный", "EDU"), ("ученый", "EDU")]:
        assert kb.role_words.get(title.casefold()) == want, title
    assert kb.capitals["Москва"].id == "RUS" and kb.capitals["Кабул"].id == "AFG"
    assert kb.capitals["Кишинёв"].id == kb.capitals["Кишинев"].id == "MDA"
    assert kb.lookup("Москва") is None  # a capital is not its state: the resolver decides (acting -> government)
    assert kb.historical_state(kb.actors["RUS"], "Москва", 1985).id == "SUN"
    assert kb.historical_state(kb.actors["RUS"], "Москва", 2001).id == "RUS"


def test_every_russian_alias_row_resolves_to_its_actor(kb):
    rows = list(csv.DictReader(_data("kb", "aliases_ru.csv").splitlines()))
    assert len(rows) > 1500
    ids = set(kb.actors)
    for r in rows:
        assert r["id"] in ids and CYRILLIC.search(r["alias"]), r
        kind = r["type"] or "alias"
        if kind == "alias":
            assert kb.lookup(r["alias"]).id == r["id"], r
        elif kind == "demonym":
            assert (r["id"], r["alias"]) in SHARED_DEMONYMS or kb.state(r["alias"]).id == r["id"], r
        else:
            assert kb.capitals[r["alias"]].id == r["id"], r
    # every state has its Russian name, every sovereign state its capital
    named = {r["id"] for r in rows if not r["type"]}
    assert {a.id for a in kb.actors.values() if a.kind == "state"} <= named
    with_capital = {r["id"] for r in rows if r["type"] == "capital"}
    assert {a.id for a in kb.actors.values() if a.kind == "state" and "sovereign" in a.note} <= with_capital


def test_unknown_id_or_bad_row_in_the_alias_table_raises():
    rows = _bundled_rows()
    with pytest.raises(ValueError, match=r"aliases_ru.csv:3: unknown id 'NO-SUCH-ACTOR'"):
        apply_aliases(rows, parse_aliases("id,alias,type,note\nRUS,Русь,,\nNO-SUCH-ACTOR,Нечто,,\n", "aliases_ru.csv"),
                      "aliases_ru.csv")
    with pytest.raises(ValueError, match="needs a state"):
        apply_aliases(rows, parse_aliases("id,alias,type\nTALIBAN,талибский,demonym\n", "x.csv"), "x.csv")
    with pytest.raises(ValueError, match="unknown type"):
        parse_aliases("id,alias,type\nRUS,Россия,nickname\n", "x.csv")
    with pytest.raises(ValueError, match="missing column"):
        parse_aliases("id,name\nRUS,Россия\n", "x.csv")
    actors, capitals = apply_aliases(rows, parse_aliases("id,alias,note\nRUS,Русь,\n", "x.csv"), "x.csv")
    assert "Русь" in next(a for a in actors if a.id == "RUS").aliases and capitals == {}


def test_user_rows_keep_the_russian_aliases(tmp_path):
    p = tmp_path / "mine.csv"
    p.write_text("id,name,code,kind,country,sector,aliases\nTALIBAN,Taliban movement,AFG INS,group,AFG,INS,Talibs\n",
                 encoding="utf-8")
    kb = KnowledgeBase.load([p])
    assert kb.actors["TALIBAN"].name == "Taliban movement" and kb.lookup("талибы").id == "TALIBAN"


def test_english_lookups_are_unchanged(kb):
    """Every English name, alias, demonym, capital and surname finds what it found without the Russian data."""
    plain = KnowledgeBase(_bundled_rows())
    latin = [x for a in plain.actors.values() for x in (a.name, *a.aliases, *a.demonyms) if not CYRILLIC.search(x)]
    assert len(latin) > 2500
    for x in latin:
        for v in (x, x.lower(), x.upper(), f"the {x}", f"{x}'s"):
            assert getattr(kb.lookup(v), "id", None) == getattr(plain.lookup(v), "id", None), v
            assert getattr(kb.state(v), "id", None) == getattr(plain.state(v), "id", None), v
    for name, state in plain.capitals.items():
        assert kb.capitals[name].id == state.id
    for surname in plain.surnames:
        if not CYRILLIC.search(surname):
            found = kb.person_by_surname(surname)
            assert getattr(found, "id", None) == getattr(plain.person_by_surname(surname), "id", None), surname
    english = _word_table("sectors.csv")
    assert {w: s for w, s in kb.sector_words.items() if not CYRILLIC.search(w)} == english
    assert {w: s for w, s in kb.role_words.items() if not CYRILLIC.search(w)} == _word_table("roles.csv")
    assert kb.lookup("Russia").id == "RUS" and kb.lookup("us") is None and kb.state("Afghans").id == "AFG"


# -- gazetteer -----------------------------------------------------------------------------------------

def test_russian_place_names_resolve(gaz):
    assert _near(gaz.resolve("Москва").entry, 55.75, 37.62)
    assert _near(gaz.resolve("Кабул").entry, 34.5, 69.2) and gaz.resolve("Кабул").entry.feature == "capital"
    assert gaz.resolve("провинция Кабул").entry.feature == "ADM1"
    assert gaz.resolve("город Кабул").entry.feature == "capital"  # a leading generic word is dropped
    assert gaz.resolve("регион Кандагар", following=" заявили").entry.feature == "ADM1"  # the cue decides
    assert gaz.resolve("Кандагар", following=" заявили").entry.feature == "city"
    for name in ("Мазари-Шариф", "Мазар-и-Шариф", "Мазари Шариф"):
        assert _near(gaz.resolve(name).entry, 36.71, 67.11), name
    assert _near(gaz.resolve("Киев").entry, 50.45, 30.52) and _near(gaz.resolve("Ташкент").entry, 41.3, 69.24)
    assert gaz.resolve("Россия").entry.feature == "country" and gaz.resolve("Россия").entry.country == "RUS"
    assert gaz.resolve("Крым").entry.country == "UKR" and gaz.resolve("Курская область").entry.feature == "ADM1"
    for yo, ye in [("Кишинёв", "Кишинев"), ("Орёл", "Орел"), ("Артёмовск", "Артемовск")]:
        assert gaz.candidates(yo) and gaz.candidates(yo) == gaz.candidates(ye), yo
    assert gaz.candidates("«Крым»") == gaz.candidates("Крым") and gaz.candidates("МОСКВА") == gaz.candidates("Москва")
    assert gaz.candidates("Нигдеград") == [] and gaz.resolve("Нигдеград").entry is None
    out = gaz.resolve_all([("Кабул", ""), ("Герат", ""), ("Москва", "")], {})
    assert [r.entry.country for r in out] == ["AFG", "AFG", "RUS"]


def test_every_russian_place_row_points_at_the_row_it_names(gaz):
    rows = [line.split("\t") for line in _data("geo", "names_ru.tsv").splitlines()
            if line.strip() and not line.startswith("#")]
    assert rows[0] == ["name", "ref", "place"]
    rows = rows[1:]
    assert len(rows) > 1000
    by_id, regions = gaz._id_index()
    for name, ref, place in rows:
        assert CYRILLIC.search(name) and not re.search("[A-Za-z]", name), name
        if ref.startswith("ADM1:"):
            _, country, admin1 = ref.split(":")
            e = regions(country, admin1)
        else:
            e = by_id(int(ref))
        assert e is not None and place == f"{e.name}, {e.country or '-'}, {e.feature}", (name, ref, place)
        assert e in gaz.candidates(name), name
    assert sum(len(v) for v in gaz.russian_names().values()) >= len({(n, r) for n, r, _ in rows}) - 5


def test_english_place_lookups_do_not_read_the_russian_names(gaz):
    fresh = Gazetteer(gaz.entries, gaz.names, set())
    for name in ("Kabul", "Moscow", "Georgia", "Kabul province", "Ohio's", "the Hague"):
        assert fresh.candidates(name) == gaz.candidates(name)
    assert fresh._ru is None
    assert fresh.candidates("Москва") and fresh._ru is not None


def test_a_small_gazetteer_finds_russian_names_by_id():
    moscow = GeoEntry(524901, "Moscow", "RUS", "capital", "48", 10381222, 55.75, 37.62)
    kursk = GeoEntry(9100002432, "Kursk", "RUS", "ADM1", "41", 796785, 51.74, 36.23)
    g = Gazetteer([moscow, kursk], {"moscow": [moscow], "kursk": [kursk]})
    assert g.candidates("Москва") == [moscow] and g.candidates("Курская область") == [kursk]
    assert g.candidates("Кабул") == []
