"""Geocoding with the article as context (``resolve/places.py``) and ``tacitus eval places --set``.

The quality gate runs the full pipeline over the first 40 LGL and 20 TR-News articles of
``../shared/eval/geoparsing`` and pins accuracy within 161 km a little under what was measured; it is
skipped where ../shared (the repository's sibling folder) or the spaCy model is absent."""

from __future__ import annotations

import gzip

import pytest

from conftest import SHARED, model_available

needs_model = pytest.mark.skipif(not model_available(), reason="no spaCy English model installed")
GEO = SHARED / "eval" / "geoparsing"
needs_geo = pytest.mark.skipif(not (GEO / "lgl.xml.gz").exists() or not (GEO / "TR-News.xml.gz").exists(),
                               reason="../shared/eval/geoparsing is not present")

# measured 2026-12-07 on these 60 articles (709 toponyms): Tacitus 0.786 within 161 km, the most populous
# candidate 0.643; with the article context switched off (each toponym resolved alone: Gazetteer.resolve_all
# replaced by one Gazetteer.resolve per toponym, no countries) 0.734, under the floor
GATE_FLOOR = 0.76
GATE_MARGIN_OVER_BASELINE = 0.03


def test_gazetteer_names_and_points():
    from tacitus.resolve.places import Gazetteer, km

    g = Gazetteer.load()
    texas = g.resolve("Texas", {"USA": 3}).entry
    assert texas.feature == "ADM1" and texas.name == "Texas"  # not Texas City: no suffix stripped off names
    assert g.resolve("Texas City").entry.feature == "city"
    assert g.resolve("Ky.", {"USA": 3}).entry.name == "Kentucky"  # news-style state abbreviation
    russia = g.resolve("Russia").entry
    moscow = g.resolve("Moscow").entry
    assert russia.feature == "country" and km((russia.latitude, russia.longitude),
                                               (moscow.latitude, moscow.longitude)) > 1000  # not its capital
    assert g.resolve("Laurel County", {"USA": 3}).entry.feature == "ADM2"
    assert g.resolve("Africa").entry.feature == "continent"
    assert g.resolve("Ontario").entry.feature == "ADM1"  # the province, not a namesake town


def test_article_context_decides():
    from tacitus.resolve.places import Gazetteer

    g = Gazetteer.load()
    alone = g.resolve_all([("Columbus", "")], {})[0].entry
    assert alone.admin1 == "OH"  # the largest
    in_georgia = g.resolve_all([("Georgia", ""), ("Atlanta", ""), ("Columbus", "")], {"USA": 1})
    assert in_georgia[0].entry.feature == "ADM1" and in_georgia[2].entry.admin1 == "GA"
    paris = g.resolve_all([("Paris", ""), ("Texas", ""), ("Dallas", "")], {"USA": 2})[0].entry
    assert paris.country == "USA" and paris.admin1 == "TX"


def test_loader_realigns_drifting_offsets(tmp_path):
    from tacitus.evaluate.places import load_geoparsing

    text = "Flooding hit Springfield and then Shelbyville on Tuesday."
    xml = f"""<articles><article docid="1"><text>{text}</text><toponyms>
      <toponym><start>14</start><end>25</end><phrase>Springfield</phrase>
        <gaztag geonameid="1"><fcode>PPL</fcode><lat>39.8</lat><lon>-89.6</lon></gaztag></toponym>
      <toponym><start>35</start><end>46</end><phrase>Shelbyville</phrase>
        <gaztag geonameid="2"><fcode>PPL</fcode><lat>39.4</lat><lon>-88.8</lon></gaztag></toponym>
      <toponym><start>0</start><end>8</end><phrase>Flooding</phrase></toponym>
    </toponyms></article></articles>"""
    (tmp_path / "geoparsing").mkdir()
    (tmp_path / "geoparsing" / "lgl.xml.gz").write_bytes(gzip.compress(xml.encode()))
    [art] = load_geoparsing(tmp_path, "lgl")
    assert [(g.phrase, text[g.start:g.end]) for g in art.toponyms] == [("Springfield", "Springfield"),
                                                                       ("Shelbyville", "Shelbyville")]
    assert art.without_point == 1


def _gate_scores(nlp) -> tuple[float, float]:
    from tacitus.evaluate.places import evaluate_geoparsing

    ours = base = n = 0
    for name, limit in (("lgl", 40), ("trnews", 20)):
        r = evaluate_geoparsing(SHARED / "eval", [name], nlp, limit)[name]["scores"]
        n += r[0]["toponyms"]
        ours += r[0]["accuracy_161km"] * r[0]["toponyms"]
        base += r[1]["accuracy_161km"] * r[1]["toponyms"]
    return ours / n, base / n


@needs_model
@needs_geo
def test_geocoding_quality_gate(nlp):
    ours, base = _gate_scores(nlp)
    assert ours >= GATE_FLOOR, (ours, base)
    assert ours >= base + GATE_MARGIN_OVER_BASELINE, (ours, base)


def test_name_index_is_derived_from_the_gazetteer():
    """names.tsv.gz is name_index(places.tsv.gz), byte for byte: rebuilt with the gazetteer or stale."""
    from importlib import resources

    from tacitus.resolve.places import name_index

    geo = resources.files("tacitus").joinpath("data", "geo")
    assert geo.joinpath("names.tsv.gz").read_bytes() == name_index(geo.joinpath("places.tsv.gz").read_bytes())


def test_lazy_names_find_every_name_and_mark_primary_names():
    from tacitus.resolve.places import _load

    g = _load()
    assert "kabul" in g.names and "no such place zzq" not in g.names
    kabul = g.names["kabul"]
    assert any(e.feature == "capital" and e.country == "AFG" for e in kabul)
    assert any(("kabul", e.geonameid) in g.primary for e in kabul)
    assert g.country("AFG") is not None and g.country("AFG").feature == "country"


def test_text_rules_find_datelines_tags_and_county_lists():
    """Our own sentences: toponyms the form of the text gives away, each only if the gazetteer knows it."""
    from tacitus.extract.records import PlaceMention
    from tacitus.nlp.components import text_rules
    from tacitus.resolve.places import Gazetteer

    g = Gazetteer.load()
    text = ("Bridge repairs start early. SALINA, Kan. (AP) — Crews closed a lane, said Rep. Jo Fenn, R-Elbow Lake, "
            "and roads in Hayes and Chase counties stay open. UPDATE: none. Salina crews rest; Jim Salina does not.")
    queries: dict[int, str] = {}
    found = [PlaceMention("Salina", 0, 0, "GPE")]  # NER's place elsewhere in the article
    out = text_rules(text, g, found, queries, other_entities=[(text.index("Jim Salina"), len(text) - 10)])
    got = {(m.text, m.label) for m in out}
    assert {("SALINA", "DATELINE"), ("Kan.", "DATELINE"), ("Elbow Lake", "TAG"), ("Hayes", "LIST"),
            ("Chase", "LIST"), ("Salina", "REPEAT")} <= got
    assert not any(m.text == "UPDATE" for m in out)  # capitals that are no place
    assert sum(m.label == "REPEAT" for m in out) == 1  # not inside another entity ("Jim Salina")
    hayes = next(m for m in out if m.text == "Hayes")
    assert queries[id(hayes)] == "Hayes County" and g.resolve("Hayes County").entry.feature == "ADM2"


def test_own_mentions_do_not_vote_for_themselves():
    """A name's first-pass reading does not count as context for itself: four "Georgia"s and an "Atlanta"
    in a US story are the state, not the country."""
    from tacitus.resolve.places import Gazetteer

    g = Gazetteer.load()
    rs = g.resolve_all([("Georgia", ""), ("Atlanta", ""), ("Georgia", ""), ("Georgia", ""), ("Chicago", ""),
                        ("Georgia", "")], {"USA": 1})
    assert rs[1].entry.admin1 == "GA" and all(rs[i].entry.feature == "ADM1" for i in (0, 2, 3, 5))
