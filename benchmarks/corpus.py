"""Benchmark corpora built from examples/demo-corpus (our own articles, see its README).

``clean_articles()`` reads the demo corpus through Tacitus' own reader, so bare spaCy and Tacitus get
the same clean texts. ``write_scaled(folder, n)`` writes ``n`` copies of every English article as
text files, copy ``k > 0`` with about one lower-case word in six replaced (different words for each
copy), so that no copy is an exact or near duplicate of another (threshold 0.8) and the run processes
them all; the demo's own exact and near copies stay copies in every set.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "examples" / "demo-corpus"
FILLERS = ("local", "recent", "several", "formal", "early", "northern", "public", "regional", "further", "later",
           "weekly", "joint", "senior", "broader", "renewed", "separate")
_WORD = re.compile(r"[a-z]{4,}")


def clean_articles(min_words: int = 20):
    """The demo corpus' English articles as Tacitus reads them (RawArticle objects)."""
    from tacitus.ingest import RawArticle, Reader, discover
    from tacitus.settings import resolve

    settings = resolve(overrides={"progress": False})
    reader = Reader(settings)
    out = []
    for unit in discover([str(DEMO)], False):
        if not hasattr(unit, "path"):
            continue
        try:
            for item in reader.read(unit):
                if isinstance(item, RawArticle) and item.language == "en" and len(item.text.split()) >= min_words:
                    out.append(item)
        except Exception:  # noqa: BLE001 - a broken demo input is a failure row in a real run, skipped here
            continue
    return out


def vary(text: str, k: int) -> str:
    """Copy ``k`` of ``text``: about one lower-case word of 4+ letters in six replaced by a filler word,
    which words and which filler drawn from a hash of (k, word position), so every copy differs."""
    if k == 0:
        return text
    count = 0

    def sub(m: re.Match) -> str:
        nonlocal count
        count += 1
        h = zlib.crc32(f"{k}:{count}".encode())
        if h % 6:
            return m.group(0)
        return FILLERS[(h // 6) % len(FILLERS)]

    return _WORD.sub(sub, text)


def write_scaled(folder: Path, n: int) -> tuple[int, int]:
    """Write ``n`` varied copies of each English demo article into ``folder``; (files, words)."""
    folder.mkdir(parents=True, exist_ok=True)
    arts = clean_articles()
    files = words = 0
    for k in range(n):
        for j, a in enumerate(arts):
            text = vary(a.text, k)
            head = (a.title or f"Article {j}") + "\n\n"
            (folder / f"c{k:04d}-a{j:03d}.txt").write_text(head + text + "\n", encoding="utf-8")
            files += 1
            words += len(text.split())
    return files, words
