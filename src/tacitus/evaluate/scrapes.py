"""Real web pages as a scraper saves them, with line labels from public gold: training and test data
for the line cleaner that nobody on the project wrote.

* :func:`render_lines` turns an HTML page into the plain-text lines a scrape or a browser's
  select-all-and-copy gives: every block element (paragraph, heading, list item, table row, div ...)
  starts a new line, inline text runs together, scripts, styles and hidden markup are dropped.
  Navigation, link lists, share bars, comment threads and footers stay, as they do in a real scrape.
* :func:`label_benchmark_page` labels those lines with the trafilatura benchmark's gold snippets
  (``../shared/eval/trafilatura-eval``): a line holding a must-keep snippet is article text (``K``),
  a line holding a must-drop snippet is junk (``J``), a line holding both or neither is unlabelled
  (``?``: it is part of the page the classifier sees, but not of the loss or the score).
* :func:`shared_corpus_pages` labels the pages of ``../shared/corpus`` by line numbers checked by hand
  (the table :data:`SHARED_CORPUS_GOLD`; the text is read from ``../shared``, never copied).

The site of a page (its host name without ``www.``) is its group for cross-validation: no page of a
site is ever scored by a model that saw another page of the same site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urlsplit

from tacitus.ingest.clean import LabelledPage

_SPACE = re.compile(r"\s+")

#: Elements whose text a reader never sees.
_INVISIBLE = frozenset({"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object",
                        "embed", "canvas", "select", "option", "map", "audio", "video", "source", "track"})
#: Elements that start a new line in a rendered page.
_BLOCK = frozenset({
    "address", "article", "aside", "blockquote", "body", "br", "caption", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2",
    "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "li", "main", "menu", "nav", "ol",
    "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul", "button",
    "label", "input", "textarea",
})
#: Block elements after which a scrape leaves an empty line (paragraph-like).
_PARAGRAPH = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "pre",
                        "article", "section", "header", "footer", "nav", "aside", "form", "figure"})


def render_lines(html: str) -> list[str]:
    """The visible text of ``html`` as a scraper saves it: one line per block, blank lines between
    paragraphs, whitespace inside a line collapsed."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(html)
    except Exception:  # empty or broken markup renders as nothing
        return []
    out: list[str] = []
    buf: list[str] = []

    def flush(blank: bool = False) -> None:
        line = _SPACE.sub(" ", "".join(buf)).strip()
        buf.clear()
        if line:
            out.append(line)
        if blank and out and out[-1] != "":
            out.append("")

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        tag = tag.lower().rpartition("}")[2]
        if not tag or tag in _INVISIBLE:  # comments, processing instructions, hidden elements
            if el.tail:
                buf.append(el.tail)
            return
        hidden = el.get("hidden") is not None or "display:none" in (el.get("style") or "").replace(" ", "").lower()
        block = tag in _BLOCK
        if not hidden:
            if block:
                flush()
            if tag == "input" and (el.get("type") or "").lower() in ("submit", "button") and el.get("value"):
                buf.append(el.get("value"))
            if el.text:
                buf.append(el.text)
            for child in el:
                walk(child)
            if block:
                flush(blank=tag in _PARAGRAPH)
            elif tag in ("td", "th"):
                buf.append(" ")
        if el.tail:
            buf.append(el.tail)

    body = root.find("body")
    walk(body if body is not None else root)
    flush()
    while out and out[-1] == "":
        out.pop()
    return out


def norm(s: str) -> str:
    """Comparison form: quotes and apostrophes unified, whitespace collapsed, case folded."""
    s = s.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"').replace("\xa0", " ")
    return _SPACE.sub(" ", s).strip().casefold()


def site_of(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def label_lines(lines: Sequence[str], keep_snippets: Iterable[str], drop_snippets: Iterable[str]) -> list[str]:
    """``K``/``J``/``?`` per non-blank line (``""`` for blank lines) from gold snippets."""
    keep = [n for n in (norm(s) for s in keep_snippets) if n]
    drop = [n for n in (norm(s) for s in drop_snippets) if n]
    labels = []
    for line in lines:
        n = norm(line)
        if not n:
            labels.append("")
            continue
        k = any(s in n for s in keep) or any(len(n) >= 20 and n in s for s in keep)
        j = any(s in n for s in drop) or any(len(n) >= 20 and n in s for s in drop)
        labels.append("K" if k and not j else "J" if j and not k else "?")
    return labels


@dataclass(frozen=True)
class ScrapedPage:
    """A real page rendered to text lines, labelled from gold, with its site for grouping."""

    page: LabelledPage
    site: str
    source: str  # "trafilatura-eval", "shared-corpus" or "ours"
    keep_snippets: tuple[str, ...] = ()
    drop_snippets: tuple[str, ...] = ()


def benchmark_pages(eval_dir: Path, languages: Iterable[str] | None = ("en",), limit: int | None = None,
                    min_labelled: int = 1, exclude: Iterable[str] | None = None) -> list[ScrapedPage]:
    """The trafilatura benchmark's pages (by default those marked English), rendered and labelled by
    their snippets; pages whose URL is in ``exclude`` are left out."""
    from tacitus.evaluate.clean import load_benchmark

    pages = []
    for bp in load_benchmark(eval_dir / "trafilatura-eval", languages=languages, limit=limit, exclude=exclude):
        lines = render_lines(bp.html)
        labels = label_lines(lines, bp.with_, bp.without)
        if sum(1 for lab in labels if lab in ("K", "J")) < min_labelled:
            continue
        page = LabelledPage(bp.url, tuple((lab, line) for lab, line in zip(labels, lines)))
        pages.append(ScrapedPage(page, site_of(bp.url), "trafilatura-eval", tuple(bp.with_), tuple(bp.without)))
    return pages


#: Hand-checked line numbers (1-based) of the pages in ``../shared/corpus``: junk lines that must
#: leave the text and article paragraphs that must stay; every other non-blank line is unlabelled.
SHARED_CORPUS_GOLD = {
    "000.txt": {"junk": [1, 5, 37, 39, 41, 43, 45], "prose": list(range(7, 36, 2))},
    "002.txt": {"junk": [36, 37], "prose": list(range(1, 34, 2))},
    "003.txt": {"junk": [5, 11, 12, 13, 21, 29, 39, 49, 53, 67],
                "prose": [7, 9, 15, 17, 19, 23, 25, 27, 31, 33, 35, 37, 41, 43, 45, 47, 51, 55, 57, 61, 63, 65,
                          69, 71, 73]},
    "004.txt": {"junk": [3, 5, 6, 24, 32, 34, 36, 38, 40, 42, 44, 46],
                "prose": [10, 12, 14, 16, 18, 20, 22, 26, 28, 30]},
}


def shared_corpus_pages(corpus_dir: Path) -> list[ScrapedPage]:
    pages = []
    for name, gold in sorted(SHARED_CORPUS_GOLD.items()):
        path = corpus_dir / name
        if not path.exists():
            continue
        raw = path.read_text(encoding="utf-8").split("\n")
        junk, prose = set(gold["junk"]), set(gold["prose"])
        lines = []
        for n, text in enumerate(raw, start=1):
            label = "" if not text.strip() else "K" if n in prose else "J" if n in junk else "?"
            lines.append((label, text))
        pages.append(ScrapedPage(LabelledPage(name, tuple(lines)), f"shared-corpus/{name}", "shared-corpus"))
    return pages


def own_pages() -> list[ScrapedPage]:
    """Our own labelled scrapes (package data): each page is its own group."""
    from tacitus.ingest.clean import load_pages

    return [ScrapedPage(p, f"ours/{p.name}", "ours") for p in load_pages()]


# -- our line annotation of real pages ------------------------------------------------------------

#: Line labels of real pages, by our annotators (guidelines: ``docs/annotation/cleaner-lines.md``):
#: the primary labels, and a second annotation of a sample for agreement. Only labels and a short
#: hash of each line are stored, never the pages' text (which is read from ``../shared/eval``).
LABEL_FILES = {"primary": "real_labels.tsv.gz", "second": "real_labels_second.tsv.gz"}


def line_hash(line: str) -> str:
    import hashlib

    return hashlib.sha1(norm(line).encode("utf-8")).hexdigest()[:8]


def read_line_labels(which: str = "primary") -> dict[str, dict[int, tuple[str, str]]]:
    """``{url: {line number: (label, line hash)}}`` from the committed label file."""
    import csv
    import gzip
    import io
    from importlib import resources

    raw = resources.files("tacitus").joinpath("data", "cleaner", LABEL_FILES[which]).read_bytes()
    out: dict[str, dict[int, tuple[str, str]]] = {}
    for row in csv.DictReader(io.StringIO(gzip.decompress(raw).decode("utf-8")), delimiter="\t"):
        out.setdefault(row["url"], {})[int(row["line"])] = (row["label"], row["line_sha1"])
    return out


def annotated_pages(eval_dir: Path, which: str = "primary") -> list[ScrapedPage]:
    """The benchmark pages we annotated line by line, rendered again and labelled; a line whose text
    no longer matches its stored hash (a changed renderer) is an error, not a silent mislabel."""
    from tacitus.evaluate.clean import load_benchmark

    labels = read_line_labels(which)
    pages = []
    for bp in load_benchmark(eval_dir / "trafilatura-eval", languages=None, urls=labels):
        lines = render_lines(bp.html)
        marks = labels[bp.url]
        out = []
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                out.append(("", line))
                continue
            label, digest = marks.get(n, ("?", ""))
            if digest and digest != line_hash(line):
                raise ValueError(f"{bp.url}: line {n} no longer matches its annotation (renderer changed?)")
            out.append((label, line))
        pages.append(ScrapedPage(LabelledPage(bp.url, tuple(out)), site_of(bp.url), "annotated",
                                 tuple(bp.with_), tuple(bp.without)))
    missing = set(labels) - {p.page.name for p in pages}
    if missing:
        raise ValueError(f"annotated pages missing from {eval_dir / 'trafilatura-eval'}: {sorted(missing)[:3]}")
    return pages
