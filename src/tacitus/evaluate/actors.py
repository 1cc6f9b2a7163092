"""``tacitus eval actors``: actor mentions on CoNLL-2003 (CoNLL++ dev) and resolution on our demo gold.

* **Mentions** (``../shared/eval/conll2003/conllpp_dev.txt.gz``): persons (PER) and organisations (ORG),
  exact span and type, against bare spaCy NER of the same model on the same text. Tacitus's mentions are
  its NER-based ones (person, organisation, named armed group); composed sector actors ("Russian
  officials"), pronouns and generic group nouns have no CoNLL counterpart and are left out.
* **Resolution** (``examples/demo-gold/actors.csv``, written by us): for each annotated mention, is
  it found, and does it get the expected actor code and KB id? Rows marked ``PLACE`` or ``NONE`` must not
  become actors. The baseline is what a plain system does: spaCy NER plus an exact KB name lookup.
"""

from __future__ import annotations

import csv
import gzip
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from tacitus.evaluate.common import PRF, read_article

CONLL_TYPES = {"PER": "person", "ORG": "organisation"}
SPACY_TYPES = {"PERSON": "person", "ORG": "organisation"}


def conll_documents(path: Path, limit: int | None = None) -> Iterator[tuple[str, set[tuple[int, int, str]]]]:
    """(text, gold spans) per document: tokens joined by spaces, sentences by newlines; BIO or IOB1 tags."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        tokens: list[tuple[str, str]] = []
        docs = 0

        def flush():
            text_parts, spans, pos = [], set(), 0
            cur = None
            for tok, tag in tokens:
                if tok == "\n":
                    if cur:
                        spans.add(cur)
                        cur = None
                    text_parts.append("\n")
                    pos += 1
                    continue
                if text_parts and text_parts[-1] != "\n":
                    text_parts.append(" ")
                    pos += 1
                start, end = pos, pos + len(tok)
                text_parts.append(tok)
                pos = end
                kind = tag[2:] if tag != "O" else None
                if kind and (tag.startswith("B-") or cur is None or cur[2] != kind):
                    if cur:
                        spans.add(cur)
                    cur = (start, end, kind)
                elif kind:
                    cur = (cur[0], end, kind)
                else:
                    if cur:
                        spans.add(cur)
                    cur = None
            if cur:
                spans.add(cur)
            return "".join(text_parts), {s for s in spans if s[2] in CONLL_TYPES}

        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-"):
                if tokens:
                    yield flush()
                    docs += 1
                    if limit and docs >= limit:
                        return
                tokens = []
                continue
            if not line.strip():
                if tokens and tokens[-1][0] != "\n":
                    tokens.append(("\n", "O"))
                continue
            parts = line.split()
            if len(parts) != 4:  # token, POS, chunk, NER tag
                raise ValueError(f"{path}:{lineno}: expected 4 columns, got {len(parts)}: {line!r}")
            tokens.append((parts[0], parts[-1]))
        if tokens:
            yield flush()


def evaluate_conll(path: Path, nlp, limit: int | None = None, progress: Callable[[], None] | None = None) -> list[PRF]:
    ours, bare = PRF("tacitus actor mentions"), PRF("spaCy NER (same model)")
    docs = list(conll_documents(path, limit))
    texts = [t for t, _g in docs]
    for (text, gold), doc in zip(docs, nlp.pipe(texts, batch_size=16)):
        g = {(s, e, CONLL_TYPES[k]) for s, e, k in gold}
        bare.add(g, {(e.start_char, e.end_char, SPACY_TYPES[e.label_]) for e in doc.ents if e.label_ in SPACY_TYPES})
        pred = set()
        for m, a in doc._.tacitus_actors or []:
            if m.label in ("COMPOSED", "PRON", "COREF") or (m.label == "RULE_GROUP" and m.text.islower()):
                continue
            kind = "person" if m.kind == "person" else ("organisation" if m.kind in ("organisation", "group") else None)
            if kind and m.label in ("PERSON", "ORG", "RULE_GROUP", "NORP"):
                pred.add((m.start, m.end, kind))
        ours.add(g, pred)
        if progress:
            progress()
    for s in (ours, bare):
        s.extra["documents"] = len(docs)
    return [ours, bare]


@dataclass
class GoldMention:
    file: str
    snippet: str
    mention: str
    expected_id: str
    expected_code: str
    kind: str


def load_gold(path: Path) -> list[GoldMention]:
    with open(path, encoding="utf-8") as fh:
        return [GoldMention(r["file"], r.get("sentence_snippet", ""), r["mention"], (r.get("expected_id") or "").strip(),
                            (r.get("expected_code") or "").strip(), (r.get("kind") or "").strip())
                for r in csv.DictReader(fh) if r.get("file") and r.get("mention")]


def _locate(text: str, snippet: str, mention: str) -> tuple[int, int] | None:
    """Offsets of ``mention`` in the sentence that contains ``snippet`` (nearest occurrence)."""
    norm = " ".join(snippet.split())
    anchor = text.find(norm) if norm else -1
    if anchor < 0 and norm:
        anchor = text.find(" ".join(norm.split()[:4]))
    positions = []
    i = text.find(mention)
    while i >= 0:
        positions.append(i)
        i = text.find(mention, i + 1)
    if not positions:
        return None
    if anchor < 0:
        return positions[0], positions[0] + len(mention)
    best = min(positions, key=lambda p: (0 if anchor <= p <= anchor + len(norm) + 200 else 1, abs(p - anchor)))
    return best, best + len(mention)


def evaluate_resolution(gold: list[GoldMention], corpus: Path, nlp, kb, reader) -> list[PRF]:
    """Code and id accuracy of resolved mentions, Tacitus vs spaCy NER + exact KB lookup."""
    ours = PRF("tacitus", extra={"code_ok": 0, "id_ok": 0, "found": 0, "actors": 0, "not_actor_ok": 0, "not_actor": 0})
    base = PRF("spaCy NER + KB name lookup", extra=dict(ours.extra))
    by_file: dict[str, list[GoldMention]] = {}
    for g in gold:
        by_file.setdefault(g.file, []).append(g)
    for name, rows in sorted(by_file.items()):
        path = corpus / name
        if not path.exists():
            continue
        article = read_article(reader, path)
        from tacitus.nlp.engine import make_doc
        doc = nlp(make_doc(nlp, article))
        our_spans = [(m.start, m.end, a) for m, a in doc._.tacitus_actors or [] if m.label != "PLACE"]
        base_spans = []
        for e in doc.ents:
            if e.label_ in ("PERSON", "ORG", "GPE", "NORP"):
                a = kb.lookup(e.text)
                base_spans.append((e.start_char, e.end_char, a))
        for g in rows:
            where = _locate(article.text, g.snippet, g.mention)
            not_actor = g.expected_id in ("PLACE", "NONE")
            for score, spans in ((ours, our_spans), (base, base_spans)):
                hit = None
                if where:
                    s, e = where
                    hit = next((a for ms, me, a in spans if ms < e and s < me), None)
                    hit = hit if hit is not None or not any(ms < e and s < me for ms, me, _a in spans) else "unknown"
                if not_actor:
                    score.extra["not_actor"] += 1
                    ok = hit is None
                    score.extra["not_actor_ok"] += ok
                    score.fp += not ok
                    continue
                score.extra["actors"] += 1
                if hit is None:
                    score.fn += 1
                    continue
                score.extra["found"] += 1
                code = getattr(hit, "code", None) if hit != "unknown" else None
                aid = getattr(hit, "id", None) if hit != "unknown" else None
                code_ok = bool(g.expected_code) and (code or "") == g.expected_code
                id_ok = (not g.expected_id and code_ok) or (bool(g.expected_id) and aid == g.expected_id)
                score.extra["code_ok"] += code_ok
                score.extra["id_ok"] += id_ok
                if code_ok:
                    score.tp += 1
                else:
                    score.fp += 1
                    score.fn += 1
    for s in (ours, base):
        n = max(1, s.extra["actors"])
        s.extra["code_accuracy"] = round(s.extra["code_ok"] / n, 3)
        s.extra["id_accuracy"] = round(s.extra["id_ok"] / n, 3)
        s.extra["found_rate"] = round(s.extra["found"] / n, 3)
        s.extra["not_actor_accuracy"] = round(s.extra["not_actor_ok"] / max(1, s.extra["not_actor"]), 3)
    return [ours, base]
