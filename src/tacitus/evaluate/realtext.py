"""Raw article texts of the real-prose corpora in ``../shared/eval``, one document per article.

The point is to feed a news-processing step (the text cleaner first of all) the documents a user
would give it, and measure whether any document or character gets lost. Only the train/dev material
present under ``shared/eval`` is read; nothing here looks for test splits. Every loader streams
(gzip through the :mod:`gzip` module, XML through ``iterparse`` or one small file at a time) and
yields documents in a fixed order. A file that cannot be decoded or parsed raises a ``ValueError``
naming it; nothing is skipped silently (the only records passed over are documented below).

Per corpus, what one document is and how its text is rendered:

``conll-train``, ``conll-dev``
    ``conll2003/conllpp_{train,dev}.txt.gz`` (CoNLL++ = CoNLL-2003 Reuters, Aug-Dec 1996). A document
    is everything between two ``-DOCSTART-`` lines. Each sentence becomes one line of its tokens (first
    column) joined by single spaces, exactly as distributed: pre-tokenised ("... British lamb ."), no
    original whitespace. ``doc_id`` is the 0-based document index (``"0000"``). ``published`` is the
    date of the dateline sentence (a sentence among the first four whose last token is ``YYYY-MM-DD``,
    e.g. "BRUSSELS 1996-08-22"); None for the few documents without one (tables, digests).
``polnear``
    ``polnear/data/{train,dev}/text/*.txt`` (US election news 2015-16), train then dev, files sorted
    by name. The file text verbatim (UTF-8; the brat ``.ann`` offsets stay valid). ``doc_id`` is
    ``"<split>/<file stem>"``; ``published`` is ``publication_date`` from ``data/metadata.tsv``.
``muc-dev``
    ``muc34/texts/dev-muc3-*.gz`` (MUC-3/4 DEV, FBIS Latin-American wire/radio 1988-90, all upper
    case). A document is one message: from its id line (``DEV-MUC3-0001 (NOSC)``) up to the next one.
    The text is kept as in the file, id line included (it is a record id plus the site that keyed the
    message, not story text; we keep it so the file is reproduced exactly, callers may drop line 1),
    original 70-column line wrapping and blank lines between paragraphs kept; only the blank lines
    after the last paragraph are removed. ``doc_id`` is ``DEV-MUC3-NNNN``; ``published`` is the
    dateline date ("SAN SALVADOR, 3 JAN 90 --" -> 1990-01-03) when it has day, month and a year in
    80-99; None for "NO DATE" and other forms.
``timebank``, ``aquaint``
    ``tempeval3/TBAQ-cleaned/{TimeBank,AQUAINT}/*.tml`` (1990s newswire, TimeML), files sorted by
    name. The character data of the ``<TEXT>`` element with all inline tags (EVENT, TIMEX3, SIGNAL...)
    removed and entities decoded; leading/trailing whitespace (XML layout) stripped, inner newlines
    kept. The AQUAINT ``<TITLE>`` and ``<EXTRAINFO>`` elements are not part of ``<TEXT>`` and are left
    out. ``doc_id`` is the file stem; ``published`` is the date part of the DCT TIMEX3 ``value``.
``wikinews``
    ``semeval2015-timeline/corpus_{1,2,3}/corpus_trackA_TimeML/*.tml`` (Wikinews 2003-2012, the
    track-A raw texts). The ``<TEXT>`` holds ``<s>`` sentences with no whitespace between them; each
    sentence is one line. The texts are tokenised ("$ 40 billion", "aircraft 's"); the first line is
    the headline and the second the date line. ``doc_id`` is ``"corpus_N/<file stem>"``;
    ``published`` is the DCT value (one file writes it ``DD-MM-YYYY``; it is turned into ISO).
``lgl``, ``trnews``, ``geovirus``
    ``geoparsing/{lgl,TR-News,GeoVirus}.xml.gz``: one ``<article>`` each, its ``<text>`` verbatim (the
    toponym offsets of LGL point into it). The title is not prepended (LGL texts already start with
    it). ``doc_id`` is the ``docid`` attribute (LGL, TR-News) or the 0-based article index
    (GeoVirus: no docid, and its source URLs repeat). ``published`` is None: the files only give the
    crawl time (``dltime``), not a publication date.
``plover-gsr``
    ``plover-gsr/PLOVER_GSR_CAMEO.json``: each coded record's ``text`` (one sentence from the CAMEO
    manual) as a one-line document. The leading ``DOCUMENT`` record is file documentation, not a coded
    item, and is passed over. ``doc_id`` is the record id; a repeated id (the file has one) gets
    ``#2``. ``published`` is None (the ``date`` fields are all 2000-01-01 placeholders).
``factrueval-dev``
    ``factrueval2016-dev/devset/book_N.txt`` (Russian news), sorted by N. The file text verbatim
    (UTF-8; the ``.tokens`` offsets stay valid). ``language`` is ``"ru"``; ``published`` None.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import itertools
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator


@dataclass(frozen=True)
class RealDoc:
    corpus: str
    doc_id: str
    text: str
    published: str | None = None
    language: str = "en"


CORPORA: tuple[str, ...] = (
    "conll-train",
    "conll-dev",
    "polnear",
    "muc-dev",
    "timebank",
    "aquaint",
    "wikinews",
    "lgl",
    "trnews",
    "geovirus",
    "plover-gsr",
    "factrueval-dev",
)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_DMY_DATE = re.compile(r"(\d{2})-(\d{2})-(\d{4})")


def _date(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def _iso(value: str | None) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or datetime (``1998-01-08T10:30``), or from ``DD-MM-YYYY``."""
    if not value:
        return None
    value = value.strip()
    if m := _ISO_DATE.match(value):
        return _date(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY_DATE.fullmatch(value):
        return _date(int(m[3]), int(m[2]), int(m[1]))
    return None


def _read_text(path: Path) -> str:
    """A whole UTF-8 file, verbatim (no newline translation; a BOM, if any, dropped)."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{path}: not valid UTF-8 ({e})") from e


def _sorted_files(folder: Path, pattern: str) -> list[Path]:
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder}: corpus folder missing")
    return sorted(folder.glob(pattern), key=lambda p: p.name)


# -- CoNLL ------------------------------------------------------------------------------------------

def _load_conll(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    """The documents as :func:`tacitus.evaluate.actors.conll_documents` renders them (the reader the actor
    evaluation uses), dated by their dateline ("BRUSSELS 1996-08-22") when one of the first lines has it."""
    from tacitus.evaluate.actors import conll_documents

    path = eval_dir / "conll2003" / f"conllpp_{corpus.split('-')[1]}.txt.gz"
    if not path.exists():
        raise FileNotFoundError(f"{path}: corpus file missing")
    try:
        for index, (text, _spans) in enumerate(conll_documents(path)):
            text = text.strip("\n")
            published = next((_iso(line.split()[-1]) for line in text.split("\n")[:4]
                              if line.split() and _ISO_DATE.fullmatch(line.split()[-1])), None)
            yield RealDoc(corpus, f"{index:04d}", text, published)
    except (OSError, EOFError, UnicodeDecodeError, IndexError) as e:
        raise ValueError(f"{path}: cannot read ({e})") from e


# -- PolNeAR ----------------------------------------------------------------------------------------

def _polnear_dates(path: Path) -> dict[tuple[str, str], str | None]:
    if not path.exists():
        return {}
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    except (UnicodeDecodeError, csv.Error) as e:
        raise ValueError(f"{path}: cannot parse ({e})") from e
    if rows and not {"compartment", "filename", "publication_date"} <= set(rows[0]):
        raise ValueError(f"{path}: missing compartment/filename/publication_date columns")
    return {(r["compartment"], r["filename"]): _iso(r["publication_date"]) for r in rows}


def _load_polnear(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    data = eval_dir / "polnear" / "data"
    dates = _polnear_dates(data / "metadata.tsv")
    for split in ("train", "dev"):
        for path in _sorted_files(data / split / "text", "*.txt"):
            yield RealDoc(corpus, f"{split}/{path.stem}", _read_text(path), dates.get((split, path.stem)))


# -- MUC-3/4 ----------------------------------------------------------------------------------------

_MUC_ID = re.compile(r"(DEV-MUC3-\d{4})\b")
_MUC_DATELINE = re.compile(r"\s*[^,\n]+(?:,[^,\n]+)*?,\s+(\d{1,2})\s+([A-Z]{3})[A-Z]*\.?\s+(\d{2})\b")
_MONTHS = {m: i for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1)}


def _muc_doc(corpus: str, doc_id: str, lines: list[str]) -> RealDoc:
    text = "".join(lines).rstrip()
    published = None
    body = next((line for line in lines[1:] if line.strip()), "")
    if (m := _MUC_DATELINE.match(body)) and m[2] in _MONTHS and 80 <= int(m[3]) <= 99:
        published = _date(1900 + int(m[3]), _MONTHS[m[2]], int(m[1]))
    return RealDoc(corpus, doc_id, text, published)


def _load_muc(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    files = _sorted_files(eval_dir / "muc34" / "texts", "dev-muc3-*.gz")
    if not files:
        raise FileNotFoundError(f"{eval_dir / 'muc34' / 'texts'}: no dev-muc3-*.gz files")
    for path in files:
        doc_id: str | None = None
        lines: list[str] = []
        try:
            with gzip.open(path, "rt", encoding="utf-8", newline=None) as fh:
                for lineno, line in enumerate(fh, 1):
                    if m := _MUC_ID.match(line):
                        if doc_id is not None:
                            yield _muc_doc(corpus, doc_id, lines)
                        doc_id, lines = m[1], [line]
                    elif doc_id is None:
                        if line.strip():
                            raise ValueError(f"{path}:{lineno}: text before the first DEV-MUC3 id line")
                    else:
                        lines.append(line)
        except (OSError, EOFError, UnicodeDecodeError) as e:
            raise ValueError(f"{path}: cannot read ({e})") from e
        if doc_id is None:
            raise ValueError(f"{path}: no DEV-MUC3 message in file")
        yield _muc_doc(corpus, doc_id, lines)


# -- TimeML -----------------------------------------------------------------------------------------

def _parse_xml_file(path: Path) -> ET.Element:
    try:
        return ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError(f"{path}: not well-formed XML ({e})") from e


def _timeml(path: Path) -> tuple[ET.Element, str | None]:
    root = _parse_xml_file(path)
    body = root.find("TEXT")
    if body is None:
        raise ValueError(f"{path}: no <TEXT> element")
    dct = root.find("DCT/TIMEX3")
    return body, _iso(dct.get("value") if dct is not None else None)


def _load_tbaq(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    # not tacitus.evaluate.time.read_tml: that one reads a file without <TEXT> as empty; here it is an error
    folder = eval_dir / "tempeval3" / "TBAQ-cleaned" / {"timebank": "TimeBank", "aquaint": "AQUAINT"}[corpus]
    for path in _sorted_files(folder, "*.tml"):
        body, published = _timeml(path)
        yield RealDoc(corpus, path.stem, "".join(body.itertext()).strip(), published)


def _load_wikinews(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    base = eval_dir / "semeval2015-timeline"
    folders = sorted((p for p in base.glob("corpus_*") if p.is_dir()), key=lambda p: p.name)
    if not folders:
        raise FileNotFoundError(f"{base}: no corpus_* folders")
    for folder in folders:
        for path in _sorted_files(folder / "corpus_trackA_TimeML", "*.tml"):
            body, published = _timeml(path)
            stray = [body.text or ""] + [s.tail or "" for s in body]
            if any(t.strip() for t in stray) or any(s.tag != "s" for s in body):
                raise ValueError(f"{path}: <TEXT> holds something besides <s> sentences")
            text = "\n".join("".join(s.itertext()) for s in body)
            yield RealDoc(corpus, f"{folder.name}/{path.stem}", text, published)


# -- geoparsing -------------------------------------------------------------------------------------

def _load_geo(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    path = eval_dir / "geoparsing" / {"lgl": "lgl", "trnews": "TR-News", "geovirus": "GeoVirus"}[corpus]
    path = path.with_name(path.name + ".xml.gz")
    if not path.exists():
        raise FileNotFoundError(f"{path}: corpus file missing")
    index = 0
    depth = 0
    try:
        with gzip.open(path, "rb") as fh:
            for event, elem in ET.iterparse(fh, events=("start", "end")):
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth != 1 or elem.tag != "article":
                    continue
                text = elem.findtext("text")
                if text is None:
                    raise ValueError(f"{path}: article {index} has no <text>")
                doc_id = elem.get("docid") if corpus != "geovirus" else None
                yield RealDoc(corpus, doc_id or f"{index:04d}", text)
                index += 1
                elem.clear()
    except ET.ParseError as e:
        raise ValueError(f"{path}: not well-formed XML ({e})") from e
    except (EOFError, gzip.BadGzipFile) as e:
        raise ValueError(f"{path}: cannot read ({e})") from e


# -- PLOVER -----------------------------------------------------------------------------------------

def _load_plover(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    path = eval_dir / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
    try:
        records = json.loads(_read_text(path))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from e
    if not isinstance(records, list):
        raise ValueError(f"{path}: expected a JSON array of records")
    seen: dict[str, int] = {}
    for n, rec in enumerate(records):
        if not isinstance(rec, dict):
            raise ValueError(f"{path}: record {n} is not an object")
        if rec.get("event") == "DOCUMENT":  # file documentation, not a coded sentence
            continue
        rec_id, text = rec.get("id"), rec.get("text")
        if not isinstance(rec_id, str) or not isinstance(text, str) or not text.strip():
            raise ValueError(f"{path}: record {n} ({rec_id!r}) lacks an id or a text")
        seen[rec_id] = seen.get(rec_id, 0) + 1
        doc_id = rec_id if seen[rec_id] == 1 else f"{rec_id}#{seen[rec_id]}"
        yield RealDoc(corpus, doc_id, text, None, rec.get("language") or "en")


# -- factRuEval -------------------------------------------------------------------------------------

def _book_key(path: Path) -> tuple[int, str]:
    m = re.search(r"(\d+)$", path.stem)
    return (int(m[1]) if m else -1, path.stem)


def _load_factru(eval_dir: Path, corpus: str) -> Iterator[RealDoc]:
    for path in sorted(_sorted_files(eval_dir / "factrueval2016-dev" / "devset", "*.txt"), key=_book_key):
        yield RealDoc(corpus, path.stem, _read_text(path), None, "ru")


# -- registry ---------------------------------------------------------------------------------------

_Loader = Callable[[Path, str], Iterator[RealDoc]]

# name -> (loader, paths relative to eval_dir that must exist, glob that must match under the first)
_SPECS: dict[str, tuple[_Loader, tuple[str, ...], str | None]] = {
    "conll-train": (_load_conll, ("conll2003/conllpp_train.txt.gz",), None),
    "conll-dev": (_load_conll, ("conll2003/conllpp_dev.txt.gz",), None),
    "polnear": (_load_polnear, ("polnear/data/train/text", "polnear/data/dev/text"), "*.txt"),
    "muc-dev": (_load_muc, ("muc34/texts",), "dev-muc3-*.gz"),
    "timebank": (_load_tbaq, ("tempeval3/TBAQ-cleaned/TimeBank",), "*.tml"),
    "aquaint": (_load_tbaq, ("tempeval3/TBAQ-cleaned/AQUAINT",), "*.tml"),
    "wikinews": (_load_wikinews, ("semeval2015-timeline",), "corpus_*/corpus_trackA_TimeML/*.tml"),
    "lgl": (_load_geo, ("geoparsing/lgl.xml.gz",), None),
    "trnews": (_load_geo, ("geoparsing/TR-News.xml.gz",), None),
    "geovirus": (_load_geo, ("geoparsing/GeoVirus.xml.gz",), None),
    "plover-gsr": (_load_plover, ("plover-gsr/PLOVER_GSR_CAMEO.json",), None),
    "factrueval-dev": (_load_factru, ("factrueval2016-dev/devset",), "*.txt"),
}
assert tuple(_SPECS) == CORPORA


def available(eval_dir: Path) -> list[str]:
    """The corpora of :data:`CORPORA` (in that order) whose files exist under ``eval_dir``."""
    eval_dir = Path(eval_dir)
    out = []
    for name, (_loader, paths, pattern) in _SPECS.items():
        targets = [eval_dir / p for p in paths]
        if not all(t.exists() for t in targets):
            continue
        if pattern is not None and not next(iter(targets[0].glob(pattern)), None):
            continue
        out.append(name)
    return out


def load(eval_dir: Path, name: str, limit: int | None = None) -> Iterator[RealDoc]:
    """The documents of corpus ``name`` in a fixed order; ``limit`` keeps the first N.

    Raises ``ValueError`` for an unknown corpus, a negative limit, a file that cannot be parsed, or a
    repeated document id; ``FileNotFoundError`` when the corpus is not under ``eval_dir``.
    """
    if name not in _SPECS:
        raise ValueError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    if limit is not None and limit < 0:
        raise ValueError(f"limit must be >= 0, got {limit}")
    eval_dir = Path(eval_dir)
    for rel in _SPECS[name][1]:
        if not (eval_dir / rel).exists():
            raise FileNotFoundError(f"{eval_dir / rel}: corpus {name!r} not found")
    return _unique(name, itertools.islice(_SPECS[name][0](eval_dir, name), limit))


def _unique(name: str, docs: Iterator[RealDoc]) -> Iterator[RealDoc]:
    seen: set[str] = set()
    for doc in docs:
        if doc.doc_id in seen:
            raise ValueError(f"corpus {name!r}: document id {doc.doc_id!r} occurs twice")
        seen.add(doc.doc_id)
        yield doc
