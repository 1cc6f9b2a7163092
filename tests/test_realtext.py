"""``tacitus.evaluate.realtext``: raw article texts of the public corpora in ``../shared/eval``.

The real-data tests pin the document counts observed on the shared copy and check a format fact or
two per corpus (where a dataset has character offsets, that the text is reproduced verbatim). They
skip when ``../shared/eval`` is absent. The small synthetic tests below need no shared data.
"""

from __future__ import annotations

import functools
import gzip
import re
from pathlib import Path

import pytest

from tacitus.evaluate.realtext import CORPORA, RealDoc, available, load

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
needs_eval = pytest.mark.skipif(not EVAL.is_dir(), reason="../shared/eval is absent")

# corpus -> (documents, documents with a published date), as observed on the shared copy
EXPECTED = {
    "conll-train": (946, 919),
    "conll-dev": (216, 214),
    "polnear": (924, 924),
    "muc-dev": (1300, 1230),
    "timebank": (183, 183),
    "aquaint": (73, 73),
    "wikinews": (90, 90),
    "lgl": (588, 0),
    "trnews": (118, 0),
    "geovirus": (229, 0),
    "plover-gsr": (322, 0),
    "factrueval-dev": (122, 0),
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@functools.cache
def docs(name: str) -> tuple[RealDoc, ...]:
    return tuple(load(EVAL, name))


def test_expected_covers_all_corpora():
    assert tuple(EXPECTED) == CORPORA


# -- every corpus -----------------------------------------------------------------------------------

@needs_eval
def test_all_corpora_available():
    assert available(EVAL) == list(CORPORA)


@needs_eval
@pytest.mark.parametrize("name", CORPORA)
def test_corpus_loads(name):
    got = docs(name)
    n_docs, n_dated = EXPECTED[name]
    assert len(got) == n_docs
    assert all(d.corpus == name for d in got)
    assert all(d.text.strip() for d in got), "empty document"
    assert len({d.doc_id for d in got}) == len(got), "doc ids not unique"
    dated = [d.published for d in got if d.published is not None]
    assert len(dated) == n_dated
    assert all(ISO_DATE.fullmatch(p) for p in dated)
    assert {d.language for d in got} == ({"ru"} if name == "factrueval-dev" else {"en"})


@needs_eval
@pytest.mark.parametrize("name", ["conll-dev", "muc-dev", "lgl", "plover-gsr"])
def test_limit_and_order_are_deterministic(name):
    first = list(load(EVAL, name, limit=5))
    assert first == list(docs(name)[:5])
    assert list(load(EVAL, name, limit=0)) == []


# -- per-corpus format facts ------------------------------------------------------------------------

@needs_eval
@pytest.mark.parametrize("name,sentences,tokens", [("conll-train", 14041, 203621), ("conll-dev", 3250, 51362)])
def test_conll_sentences_and_tokens(name, sentences, tokens):
    lines = [line for d in docs(name) for line in d.text.split("\n")]
    assert len(lines) == sentences  # figures from conll2003/SOURCE.md
    assert sum(len(line.split(" ")) for line in lines) == tokens
    assert all(line and "  " not in line and line == line.strip() for line in lines)
    assert not any("-DOCSTART-" in d.text for d in docs(name))
    assert all(d.published.startswith("1996-") for d in docs(name) if d.published)


@needs_eval
def test_polnear_verbatim_and_dated():
    got = {d.doc_id: d for d in docs("polnear")}
    assert sum(i.startswith("train/") for i in got) == 840 and sum(i.startswith("dev/") for i in got) == 84
    for doc_id, d in got.items():
        assert f"_{d.published}_" in doc_id  # the file name carries the publication date too
    # brat spans of the dev annotations point into the text we yield
    checked = 0
    for ann in sorted((EVAL / "polnear" / "data" / "dev" / "attributions").glob("*.ann")):
        text = got["dev/" + re.sub(r"_[0-9a-f]{4}$", "", ann.stem)].text
        for line in ann.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if line.startswith("T") and len(parts) == 3:
                spans = [tuple(map(int, s.split())) for s in parts[1].split(" ", 1)[1].split(";")]
                assert " ".join(text[a:b] for a, b in spans) == parts[2], ann.name
                checked += 1
    assert checked > 5000


@needs_eval
def test_muc_messages():
    for d in docs("muc-dev"):
        assert re.fullmatch(r"DEV-MUC3-\d{4}", d.doc_id)
        assert d.text.startswith(d.doc_id)
        assert not re.search(r"[a-z]", d.text)  # upper-case wire text
        assert d.text == d.text.rstrip()
        assert max(len(line) for line in d.text.split("\n")) < 100  # original wrapping kept
        assert d.published is None or "1988-01-01" <= d.published <= "1990-12-31"
    assert [d.doc_id for d in docs("muc-dev")[:2]] == ["DEV-MUC3-0001", "DEV-MUC3-0002"]


@needs_eval
@pytest.mark.parametrize("name", ["timebank", "aquaint"])
def test_timeml_text_has_no_markup(name):
    for d in docs(name):
        assert not re.search(r"<[A-Za-z/!?]", d.text), d.doc_id
        assert not re.search(r"&(amp|lt|gt|quot);", d.text), d.doc_id
        assert d.text == d.text.strip()


@needs_eval
def test_wikinews_sentence_lines():
    got = docs("wikinews")
    assert [sum(d.doc_id.startswith(f"corpus_{n}/") for d in got) for n in (1, 2, 3)] == [30, 30, 30]
    for d in got:
        lines = d.text.split("\n")
        assert len(lines) >= 3 and all(line.strip() for line in lines)
        assert not re.search(r"<[A-Za-z/]", d.text)
        assert "2004-01-01" <= d.published <= "2013-12-31"


@needs_eval
def test_lgl_toponym_offsets_point_into_text():
    import xml.etree.ElementTree as ET

    texts = {d.doc_id: d.text for d in docs("lgl")}
    with gzip.open(EVAL / "geoparsing" / "lgl.xml.gz") as fh:
        root = ET.parse(fh).getroot()
    checked = 0
    for art in root.findall("article"):
        text = texts[art.get("docid")]
        for top in art.iter("toponym"):
            assert text[int(top.findtext("start")):int(top.findtext("end"))] == top.findtext("phrase")
            checked += 1
    assert checked == 5088


@needs_eval
@pytest.mark.parametrize("name", ["lgl", "trnews", "geovirus"])
def test_geoparsing_texts_are_plain(name):
    assert not any("CDATA" in d.text or "<text>" in d.text for d in docs(name))
    if name == "geovirus":
        assert docs(name)[0].doc_id == "0000"


@needs_eval
def test_plover_one_sentence_per_record():
    got = docs("plover-gsr")
    assert all("\n" not in d.text for d in got)
    assert all(d.doc_id.startswith("PLOVER-GSR01-") and "DOCUMENT" not in d.doc_id for d in got)
    assert [d.doc_id for d in got if "#" in d.doc_id] == ["PLOVER-GSR01-COERCE-0004#2"]


@needs_eval
def test_factrueval_russian_and_verbatim():
    got = docs("factrueval-dev")
    assert all(re.search(r"[а-яА-ЯёЁ]", d.text) for d in got)
    numbers = [int(d.doc_id.split("_")[1]) for d in got]
    assert numbers == sorted(numbers)
    for d in got[:40]:  # token offsets of the .tokens layer point into the text we yield
        tokens = (EVAL / "factrueval2016-dev" / "devset" / f"{d.doc_id}.tokens").read_text(encoding="utf-8")
        for line in tokens.splitlines():
            if line.strip():
                _tid, start, length, word = line.split(" ", 3)
                assert d.text[int(start):int(start) + int(length)] == word, d.doc_id


# -- synthetic, no shared data needed ---------------------------------------------------------------

def test_unknown_corpus_and_bad_limit(tmp_path):
    with pytest.raises(ValueError, match="unknown corpus"):
        list(load(tmp_path, "conll-test"))
    with pytest.raises(ValueError, match="limit"):
        load(tmp_path, "conll-dev", limit=-1)
    with pytest.raises(FileNotFoundError):
        load(tmp_path, "conll-dev")
    assert available(tmp_path) == []


def _gz(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text)


def test_conll_rendering(tmp_path):
    rows = ["-DOCSTART- -X- -X- O", "", "Ducks NNS B-NP O", "march VBP B-VP O", ". . O O", "",
            "OSLO NNP B-NP B-LOC", "2001-02-03 CD I-NP O", "", "-DOCSTART- -X- -X- O", "",
            "Hello UH B-INTJ O", ""]
    _gz(tmp_path / "conll2003" / "conllpp_dev.txt.gz", "\n".join(rows) + "\n")
    assert available(tmp_path) == ["conll-dev"]
    got = list(load(tmp_path, "conll-dev"))
    assert got == [RealDoc("conll-dev", "0000", "Ducks march .\nOSLO 2001-02-03", "2001-02-03"),
                   RealDoc("conll-dev", "0001", "Hello", None)]


def test_conll_bad_row_names_file(tmp_path):
    _gz(tmp_path / "conll2003" / "conllpp_train.txt.gz", "-DOCSTART- -X- -X- O\n\nonly two\n")
    with pytest.raises(ValueError, match=r"conllpp_train\.txt\.gz:3"):
        list(load(tmp_path, "conll-train"))


def test_muc_message_split_and_dateline(tmp_path):
    text = ("DEV-MUC3-0001 (TEST)\n\n   TOWN, 5 FEB 89 (RADIO) -- [TEXT] A LINE\nWRAPPED.\n\n\n"
            "DEV-MUC3-0002 (TEST)\n\n   TOWN, NO DATE -- [TEXT] OTHER.\n")
    _gz(tmp_path / "muc34" / "texts" / "dev-muc3-0001-0002.gz", text)
    got = list(load(tmp_path, "muc-dev"))
    assert got[0] == RealDoc("muc-dev", "DEV-MUC3-0001",
                             "DEV-MUC3-0001 (TEST)\n\n   TOWN, 5 FEB 89 (RADIO) -- [TEXT] A LINE\nWRAPPED.",
                             "1989-02-05")
    assert got[1].published is None and got[1].text.endswith("OTHER.")


def test_timeml_text_and_dct(tmp_path):
    folder = tmp_path / "tempeval3" / "TBAQ-cleaned" / "TimeBank"
    folder.mkdir(parents=True)
    (folder / "a.tml").write_text(
        '<?xml version="1.0" ?>\n<TimeML><DOCID>a</DOCID><DCT><TIMEX3 tid="t0" value="1999-04-05T10:00">x'
        '</TIMEX3></DCT>\n<TEXT>\nCats <EVENT eid="e1">sat</EVENT> &amp; slept.\n\nEnd.\n</TEXT></TimeML>\n',
        encoding="utf-8")
    (folder / "b.tml").write_text("<TimeML><TEXT>unclosed</TimeML>", encoding="utf-8")
    it = load(tmp_path, "timebank")
    assert next(it) == RealDoc("timebank", "a", "Cats sat & slept.\n\nEnd.", "1999-04-05")
    with pytest.raises(ValueError, match=r"b\.tml"):
        next(it)


def test_broken_geoparsing_xml_names_file(tmp_path):
    _gz(tmp_path / "geoparsing" / "lgl.xml.gz",
        '<articles><article docid="1"><text>Fine.</text></article><article docid="2"><text>Bro')
    it = load(tmp_path, "lgl")
    assert next(it) == RealDoc("lgl", "1", "Fine.")
    with pytest.raises(ValueError, match=r"lgl\.xml\.gz"):
        next(it)
