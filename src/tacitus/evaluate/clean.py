"""``tacitus eval clean``: how well junk is removed, beside trafilatura and jusText on the same pages.

Two measurements:

* **Our labelled scrapes** (``tacitus/data/cleaner/pages``, plain text, every line labelled). Our
  cleaner is scored by k-fold cross-validation over pages: each page is cleaned by a model trained on
  the other folds only. trafilatura and jusText get the same pages as HTML (one ``<p>`` per line).
  Line level: a gold article line (K) found in the output is a true positive; any other line found
  (junk, title, byline) is a false positive.
* **The trafilatura benchmark** (``../shared/eval/trafilatura-eval``, HTML with must-keep and
  must-drop snippets; English pages by default). Snippet level, as upstream scores it: a "with"
  snippet found is a true positive, a "without" snippet found a false positive. Also the share of
  pages whose publication date and author we get right, where the benchmark has them.
"""

from __future__ import annotations

import gzip
import html as html_lib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from tacitus.evaluate.common import PRF
from tacitus.ingest.clean import Cleaner, LabelledPage, load_pages
from tacitus.settings import Settings, resolve

_SPACE = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _SPACE.sub(" ", s.replace("’", "'").replace("“", '"').replace("”", '"')).strip().casefold()


@dataclass
class Score(PRF):
    tn: int = 0
    pages: int = 0
    errors: int = 0

    def as_dict(self) -> dict:
        return super().as_dict() | {"tn": self.tn, "pages": self.pages, "errors": self.errors}


# -- systems ----------------------------------------------------------------------------------------

def lines_as_html(text: str) -> str:
    body = "\n".join(f"<p>{html_lib.escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"<html><head><meta charset='utf-8'></head><body>{body}</body></html>"


def trafilatura_text(html: str) -> str:
    import trafilatura

    return trafilatura.extract(html, include_comments=False, include_tables=False) or ""


def justext_text(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"), encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def _found(line: str, out_lines: set[str], out_text: str) -> bool:
    n = _norm(line)
    if not n:
        return False
    return n in out_lines or (len(n) >= 30 and n in out_text)


def _score_page(score: Score, page: LabelledPage, output: str) -> None:
    out_lines = {_norm(x) for x in output.split("\n") if x.strip()}
    out_text = _norm(output)
    for label, text in page.lines:
        if not label:
            continue
        found = _found(text, out_lines, out_text)
        if label == "K":
            score.tp += found
            score.fn += not found
        else:
            score.fp += found
            score.tn += not found
    score.pages += 1


def evaluate_pages(pages: Sequence[LabelledPage] | None = None, folds: int = 6,
                   settings: Settings | None = None, baselines: bool = True) -> list[Score]:
    """Line-level scores on labelled plain-text pages (ours cross-validated, baselines as they are)."""
    from tacitus.ingest.readers import Reader

    pages = list(pages if pages is not None else load_pages())
    settings = settings or resolve(use_default_config=False)
    ours = Score("tacitus (cross-validated)")
    plain = Score("tacitus head parser only (no cleaner)")
    for f in range(folds):
        train = [p for i, p in enumerate(pages) if i % folds != f]
        test = [p for i, p in enumerate(pages) if i % folds == f]
        reader = Reader(settings)
        reader._cleaner = Cleaner.train(train, settings.clean_threshold)
        bare = Reader(settings.replace(clean_text=False))
        for page in test:
            _score_page(ours, page, reader.from_text(page.text, key=page.name, source_path=page.name).text)
            _score_page(plain, page, bare.from_text(page.text, key=page.name, source_path=page.name).text)
    scores = [ours, plain]
    if baselines:
        for name, fn in (("trafilatura 2.3 (extract)", trafilatura_text), ("jusText 3.0 (English stoplist)", justext_text)):
            score = Score(name)
            for page in pages:
                try:
                    out = fn(lines_as_html(page.text))
                except Exception:  # a baseline failing on a page counts as an empty output
                    score.errors += 1
                    out = ""
                _score_page(score, page, out)
            scores.append(score)
    return scores


# -- the public trafilatura benchmark ---------------------------------------------------------------

_LANG = re.compile(rb"<html[^>]*\blang\s*=\s*[\"']?([A-Za-z-]+)", re.I)


@dataclass
class BenchPage:
    url: str
    html: str
    lang: str
    with_: list[str]
    without: list[str]
    date: str | None
    author: str | None


def load_benchmark(folder: Path, languages: Iterable[str] | None = ("en",), limit: int | None = None) -> list[BenchPage]:
    data = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    wanted = {lang.lower() for lang in languages} if languages else None
    pages = []
    for url, item in sorted(data.items()):
        path = folder / "html" / (item["file"] + ".gz")
        if not path.exists():
            path = folder / "html" / item["file"]
            if not path.exists():
                continue
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        m = _LANG.search(raw[:5000])
        lang = m.group(1).decode("ascii", "replace").lower().split("-")[0] if m else ""
        if wanted is not None and lang not in wanted:
            continue
        from tacitus.ingest.decode import decode_bytes

        try:
            text, _enc = decode_bytes(raw)
        except Exception:
            continue
        pages.append(BenchPage(url, text, lang, list(item.get("with", [])), list(item.get("without", [])),
                               _one(item.get("date")), _one(item.get("author"))))
        if limit and len(pages) >= limit:
            break
    return pages


def _one(value) -> str | None:
    """The benchmark gives some dates and authors as lists: keep them as one string."""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value if v) or None
    return str(value) if value else None


def _score_snippets(score: Score, page: BenchPage, output: str) -> None:
    out = _norm(output)
    for s in page.with_:
        found = _norm(s) in out
        score.tp += found
        score.fn += not found
    for s in page.without:
        found = _norm(s) in out
        score.fp += found
        score.tn += not found
    score.pages += 1


def evaluate_benchmark(pages: Sequence[BenchPage], settings: Settings | None = None,
                       baselines: bool = True, progress: Callable[[], None] | None = None) -> list[Score]:
    from tacitus.errors import InputError
    from tacitus.ingest.readers import Reader

    settings = settings or resolve(use_default_config=False)
    systems: list[tuple[Score, Callable[[str, str], object]]] = []
    readers = {"tacitus (HTML reader)": Reader(settings.replace(clean_html=False)),
               "tacitus + line cleaner on HTML": Reader(settings.replace(clean_html=True))}
    for name, reader in readers.items():
        def run(html: str, url: str, reader=reader):
            return reader.from_html(html, key=url, source_path=url, url=url)
        systems.append((Score(name, extra={"date_ok": 0, "date_gold": 0, "author_ok": 0, "author_gold": 0}), run))
    if baselines:
        systems.append((Score("trafilatura 2.3 (extract)"), lambda html, url: trafilatura_text(html)))
        systems.append((Score("jusText 3.0 (English stoplist)"), lambda html, url: justext_text(html)))
    for page in pages:
        for score, fn in systems:
            try:
                result = fn(page.html, page.url)
            except InputError:
                result = ""
            except Exception:
                score.errors += 1
                result = ""
            text = result if isinstance(result, str) else result.text
            _score_snippets(score, page, text)
            if not isinstance(result, str) and result != "":
                _score_metadata(score, page, result)
            elif "date_gold" in score.extra:
                score.extra["date_gold"] += bool(page.date)
                score.extra["author_gold"] += bool(page.author)
        if progress is not None:
            progress()
    return [s for s, _fn in systems]


def _score_metadata(score: Score, page: BenchPage, article) -> None:
    if page.date:
        score.extra["date_gold"] += 1
        score.extra["date_ok"] += (article.published or "")[:10] == page.date[:10]
    if page.author:
        score.extra["author_gold"] += 1
        got = _norm(article.author or "")
        gold = _norm(page.author)
        score.extra["author_ok"] += bool(got) and (got == gold or gold in got or got in gold)
