"""A learned attribution model: cue, source and content of reported speech and belief, direct or not.

Trained on PolNeAR train (``make attribution-model``, ``tools/train_attribution.py``) and scored on
PolNeAR dev (``tacitus eval quotes``). Four small logistic models over the spaCy parse, each a
feature -> weight table applied in plain Python (no learning library at run time):

1. **cue**: is a token the head of an attribution cue ("said", "according", "told", "believes")? Only
   tokens whose lemma was a cue head in training are looked at.
2. **cue span**: which tokens near the head belong to the cue ("according to", "said in a statement").
3. **source**: which noun phrase is the source; candidates are the phrases of the cue's sentence, each
   in three cuts (the words up to the head noun, its whole subtree, the name alone). No candidate
   scoring high enough = no source (PolNeAR's "Attribution-no-source").
4. **content**: which span is the content; candidates come from the parse (the cue's clausal and
   object complements, the clause the cue modifies, the rest of the sentence) and from the quote marks
   (a quote next to the cue's clause, however many sentences it runs).

Records are token offsets on the Doc; :func:`attributions` yields them in text order, at most one per
cue head, no two contents sharing a token (PolNeAR gives each token to one attribution).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from spacy.tokens import Doc, Token

from tacitus.extract.quotes import QuoteSpan, doc_quote_spans

FORMAT = 1
_CANDIDATE_POS = frozenset({"VERB", "NOUN", "ADP", "ADJ", "AUX", "PROPN", "PUNCT", "SCONJ", "ADV", "PART"})
_SOURCE_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})
_CONTENT_DEPS = frozenset({"ccomp", "xcomp", "dobj", "advcl", "parataxis", "dep", "attr", "oprd", "conj",
                           "acomp", "npadvmod", "pcomp", "advmod", "dative", "nsubj", "nsubjpass"})
WINDOW = 60  # tokens either side of a cue where its source is looked for
NEAR = 8  # beyond this many tokens a source candidate must stand in some relation to the cue in the parse
_SKIP_NOUN_DEPS = frozenset({"compound", "amod", "det", "nummod", "quantmod"})


@dataclass(frozen=True)
class Attribution:
    """Token offsets (end exclusive) on the Doc; ``source`` is None when no source is written."""

    cue: tuple[int, int]
    cue_head: int
    source: tuple[int, int] | None
    content: tuple[int, int]
    score: float
    direct: bool


# -- features -----------------------------------------------------------------------------------


def trim_span(skip: Sequence[bool], s: int, e: int) -> tuple[int, int]:
    """Token span ``s``-``e`` without the tokens at its edges that ``skip`` marks."""
    while s < e and skip[s]:
        s += 1
    while e > s and skip[e - 1]:
        e -= 1
    return s, e


def _bucket(n: int) -> str:
    n = abs(n)
    return str(n) if n < 4 else "4-7" if n < 8 else "8-15" if n < 16 else "16+"


class _Context:
    """What the feature functions need to know about a Doc beyond the parse: where quotes are."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.quotes: list[QuoteSpan] = doc_quote_spans(doc)
        self.in_quote = [False] * len(doc)
        self.quote_of: list[int] = [-1] * len(doc)
        for k, q in enumerate(self.quotes):
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is None:
                continue
            for i in range(span.start, span.end):
                self.in_quote[i] = True
                self.quote_of[i] = k
        self.quote_tokens: list[tuple[int, int]] = []
        for q in self.quotes:
            span = doc.char_span(q.start, q.end, alignment_mode="expand")
            if span is not None and span.end > span.start:
                self.quote_tokens.append((span.start, span.end))
        self.quote_starts = [qs for qs, _ in self.quote_tokens]
        self.quoted_before = [0] * (len(doc) + 1)  # in-quote tokens before each index
        for i, q in enumerate(self.in_quote):
            self.quoted_before[i + 1] = self.quoted_before[i] + q
        # token attributes read once, as plain lists (the source model looks at each token many times)
        rows = [(t.pos_, t.dep_, t.ent_type_, t.lower_, t.is_punct, t.is_space, t.head.i, t.left_edge.i,
                 t.right_edge.i) for t in doc]  # each token built once
        self.pos, self.dep, self.ent, self.lower, self.punct, space, self.head, self.left, self.right = (
            [list(c) for c in zip(*rows)] if rows else [[] for _ in range(9)])
        self.blank = [p or s for p, s in zip(self.punct, space)]  # what a content's edges shed
        self._lemmas: dict[int, str] = {}
        self.source_static: dict[int, float] = {}
        self.sent_start = [0] * len(doc)
        self.sent_end = [0] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_start[i] = sent.start
                self.sent_end[i] = sent.end

    def lemma_of(self, tok: Token) -> str:
        lemma = self._lemmas.get(tok.i)
        if lemma is None:
            lemma = self._lemmas[tok.i] = tok.lemma_.lower()
        return lemma

    def sentence(self, i: int) -> tuple[int, int]:
        return self.sent_start[i], self.sent_end[i]

    def quoted(self, s: int, e: int) -> int:
        """How many tokens of ``s``-``e`` are inside quote marks."""
        return self.quoted_before[e] - self.quoted_before[s]

    def quotes_near(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The quotes that end shortly before ``lo`` or start shortly after ``hi`` (token indices)."""
        a = max(0, bisect_left(self.quote_starts, lo) - 2)
        b = bisect_right(self.quote_starts, hi + 8)
        return self.quote_tokens[a:b]


def cue_features(tok: Token, ctx: _Context) -> list[str]:
    doc = tok.doc
    lemma = tok.lemma_.lower()
    f = ["b", "l=" + lemma, "w=" + tok.lower_, "p=" + tok.pos_, "t=" + tok.tag_, "d=" + tok.dep_,
         "ld=" + lemma + "|" + tok.dep_, "lt=" + lemma + "|" + tok.tag_]
    if tok.head.i != tok.i:
        f.append("hl=" + tok.head.lemma_.lower())
        f.append("hp=" + tok.head.pos_ + "|" + tok.dep_)
    deps = set()
    for c in tok.children:
        deps.add(c.dep_)
        if c.dep_ in ("prep", "mark", "dobj", "dative", "prt", "aux", "neg"):
            f.append("cl=" + c.dep_ + "|" + c.lemma_.lower())
        if c.dep_ in ("nsubj", "nsubjpass"):
            f.append("subj=" + (c.ent_type_ or c.pos_))
            f.append("lsubj=" + lemma + "|" + (c.ent_type_ or c.pos_))
    for d in deps:
        f.append("c=" + d)
        f.append("lc=" + lemma + "|" + d)
    i = tok.i
    f.append("p1=" + (doc[i - 1].lower_ if i > 0 else "<s>"))
    f.append("n1=" + (doc[i + 1].lower_ if i + 1 < len(doc) else "</s>"))
    f.append("ln1=" + lemma + "|" + (doc[i + 1].lower_ if i + 1 < len(doc) else "</s>"))
    if ctx.in_quote[i]:
        f.append("inq")
        f.append("linq=" + lemma)
    near = ctx.in_quote[max(0, i - 3):i] + ctx.in_quote[i + 1:i + 4]
    if any(near):
        f.append("nearq")
        f.append("lnearq=" + lemma)
    return f


def cue_span_features(tok: Token, head: Token) -> list[str]:
    off = tok.i - head.i
    rel = ("child=" + tok.dep_ if tok.head.i == head.i else "parent" if head.head.i == tok.i
           else "grand=" + tok.head.dep_ if tok.head.head.i == head.i else "other")
    lemma = head.lemma_.lower()
    return ["b", "o=" + str(max(-5, min(5, off))), "r=" + rel, "w=" + tok.lower_, "p=" + tok.pos_,
            "hw=" + lemma + "|" + tok.lower_, "hr=" + lemma + "|" + rel, "ro=" + rel + "|" + str(max(-5, min(5, off))),
            "pw=" + tok.pos_ + "|" + rel]


def _relation(n: int, h: int, ctx: _Context) -> str:
    """How the noun at ``n`` stands to the cue head at ``h`` in the parse."""
    head, dep = ctx.head, ctx.dep
    nh, hh = head[n], head[h]
    if nh == h:
        return "child=" + dep[n]
    if head[nh] == h:
        return "grand=" + dep[nh] + ">" + dep[n]
    if hh == n:
        return "headof"
    if nh == hh and n != h:
        return "sib=" + dep[n] + "|" + dep[h]
    if head[nh] == hh:
        return "nephew=" + dep[nh] + ">" + dep[n]
    return "none"


def source_candidates(head: Token, ctx: _Context) -> Iterator[tuple[int, int, str, int]]:
    """(start, end, cut, noun index) for the noun phrases of the cue's sentence, at most WINDOW tokens
    either side of the cue."""
    start, end = ctx.sentence(head.i)
    start, end = max(start, head.i - WINDOW), min(end, head.i + WINDOW + 1)
    pos, dep, heads, left_edge, right_edge, punct = ctx.pos, ctx.dep, ctx.head, ctx.left, ctx.right, ctx.punct
    h = head.i
    seen = set()
    for n in range(start, end):
        if pos[n] not in _SOURCE_POS or dep[n] in _SKIP_NOUN_DEPS or n == h:
            continue
        if abs(n - h) > NEAR and _relation(n, h, ctx) == "none":
            continue  # far and unrelated in the parse: 3% of PolNeAR train's sources, seldom chosen
        left, right = left_edge[n], right_edge[n]
        cuts = [(left, n + 1, "upto")]
        if right > n and not (left <= h <= right):
            cuts.append((left, right + 1, "tree"))
        k = n
        while k > start and dep[k - 1] == "compound" and heads[k - 1] == n:
            k -= 1
        if k != left:
            cuts.append((k, n + 1, "name"))
        for s, e, cut in cuts:
            s, e = trim_span(punct, s, e)  # a leading/trailing comma or quote mark
            if e > s and (s, e) not in seen:
                seen.add((s, e))
                yield s, e, cut, n


def source_static_features(n: int, ctx: _Context) -> list[str]:
    """The source features of the noun at ``n`` alone (scored once per noun and Doc)."""
    pos = ctx.pos[n]
    f = ["np=" + pos, "nd=" + ctx.dep[n], "ent=" + ctx.ent[n], "nl=" + ctx.lower[n] if pos == "PRON" else "nl=" + pos]
    if ctx.in_quote[n]:
        f.append("inq")
    return f


def source_pair_features(s: int, e: int, cut: str, n: int, head: Token, cue: tuple[int, int], ctx: _Context) -> list[str]:
    """The source features of a cut of the noun phrase at ``n`` as the source of the cue at ``head``."""
    lemma = ctx.lemma_of(head)
    rel = _relation(n, head.i, ctx)
    side = "before" if e <= cue[0] else "after" if s >= cue[1] else "over"
    dist = (cue[0] - e) if side == "before" else (s - cue[1]) if side == "after" else 0
    pos, lower = ctx.pos, ctx.lower
    f = ["b", "cut=" + cut, "rel=" + rel, "lrel=" + lemma + "|" + rel, "side=" + side, "dist=" + _bucket(dist),
         "sd=" + side + "|" + _bucket(dist), "cr=" + cut + "|" + rel, "cp=" + cut + "|" + pos[n],
         "len=" + _bucket(e - s), "cl=" + cut + "|" + _bucket(e - s),
         "first=" + (lower[s] if pos[s] in ("DET", "PRON", "ADP", "PUNCT") else pos[s])]
    if ctx.in_quote[n] and ctx.in_quote[head.i] and ctx.quote_of[n] == ctx.quote_of[head.i]:
        f.append("sameq")
    if n + 1 < len(lower) and e < len(lower):
        f.append("after=" + lower[e])
    return f


def source_features(s: int, e: int, cut: str, n: int, head: Token, cue: tuple[int, int], ctx: _Context) -> list[str]:
    return source_pair_features(s, e, cut, n, head, cue, ctx) + source_static_features(n, ctx)


def content_candidates(head: Token, cue: tuple[int, int], ctx: _Context) -> list[tuple[int, int, str]]:
    """(start, end, kind) spans that may be the content of the cue at ``head``."""
    sent_start, sent_end = ctx.sentence(head.i)
    out: list[tuple[int, int, str]] = []
    for c in head.children:
        if c.dep_ in _CONTENT_DEPS:
            out.append((c.left_edge.i, c.right_edge.i + 1, "child=" + c.dep_))
        elif c.dep_ in ("prep", "agent"):
            for g in c.children:
                if g.dep_ in ("pobj", "pcomp"):
                    out.append((g.left_edge.i, g.right_edge.i + 1, "pobj=" + c.lower_))
    h = head.head
    if h.i != head.i:
        s, e = h.left_edge.i, h.right_edge.i + 1
        if head.left_edge.i <= s:
            out.append((head.right_edge.i + 1, e, "headrest=" + head.dep_))
        elif head.right_edge.i + 1 >= e:
            out.append((s, head.left_edge.i, "headrest=" + head.dep_))
        else:
            out.append((s, e, "headall=" + head.dep_))
    right = [c for c in head.children if c.i > head.i and c.dep_ not in ("punct", "cc", "advmod", "neg", "prt")]
    if len(right) > 1:
        out.append((right[0].left_edge.i, right[-1].right_edge.i + 1, "rightkids"))
    for c in head.children:
        if c.i > head.i and c.dep_ in ("ccomp", "xcomp", "dobj", "advcl", "parataxis", "conj"):
            out.append((c.left_edge.i, sent_end, "childtoend=" + c.dep_))
    out.append((cue[1], sent_end, "sentafter"))
    out.append((sent_start, cue[0], "sentbefore"))
    if sent_start < cue[0] and cue[1] < sent_end - 1:
        out.append((sent_start, sent_end, "sentall"))
    # quotes beside the cue's clause, whatever their length
    lo, hi = head.left_edge.i, head.right_edge.i + 1
    near = ctx.quotes_near(min(lo, cue[0]), max(hi, cue[1]))
    for qs, qe in near:
        if qs <= head.i < qe:
            continue
        if 0 <= lo - qe <= 4 or 0 <= qs - hi <= 4 or (qe <= cue[0] and cue[0] - qe <= 6) or (qs >= cue[1] and qs - cue[1] <= 6):
            side = "qbefore" if qe <= head.i else "qafter"
            out.append((qs, qe, side))
    # a quote that goes on after the cue's sentence ("'A,' Cole said. 'B.'") or around the cue
    for qs, qe in ctx.quotes_near(max(hi, sent_end), max(hi, sent_end)):
        if qs >= hi and qs - max(sent_end, hi) <= 3 and qs >= sent_end - 1:
            for s, e, kind in list(out):
                if e <= qs and kind.split("=")[0] in ("child", "headrest", "sentbefore", "qbefore", "sentall"):
                    out.append((s, qe, "ext=" + kind.split("=")[0]))
            break
    seen = set()
    res = []
    for s, e, kind in out:
        s, e = trim_span(ctx.blank, s, e)
        if e <= s or (s <= head.i < e and not kind.startswith(("q", "ext", "sentall"))) or (s, e) in seen:
            continue
        seen.add((s, e))
        res.append((s, e, kind))
    return res


def content_features(s: int, e: int, kind: str, head: Token, cue: tuple[int, int], ctx: _Context) -> list[str]:
    doc = head.doc
    lemma = head.lemma_.lower()
    base = kind.split("=")[0]
    side = "before" if e <= cue[0] else "after" if s >= cue[1] else "over"
    f = ["b", "k=" + kind, "kb=" + base, "lk=" + lemma + "|" + kind, "side=" + side, "len=" + _bucket(e - s),
         "kl=" + kind + "|" + _bucket(e - s), "first=" + doc[s].lower_ if doc[s].pos_ in ("SCONJ", "PRON", "DET", "ADP", "PART", "PUNCT", "AUX") else "first=" + doc[s].pos_,
         "last=" + doc[e - 1].pos_]
    sent_start, sent_end = ctx.sentence(head.i)
    if s < sent_start or e > sent_end:
        f.append("crosses")
        f.append("kcross=" + base)
    inside = ctx.quoted(s, e)
    if inside == e - s:
        f.append("quoted")
        f.append("kq=" + base)
    elif inside:
        f.append("partq")
    if s > 0 and doc[s - 1].text in ('"', "“", "'", "‘"):
        f.append("openmark")
    if e < len(doc) and doc[e].text in ('"', "”", "'", "’"):
        f.append("closemark")
    if doc[s].lower_ == "that":
        f.append("that")
    for c in head.children:
        if c.dep_ in ("nsubj", "nsubjpass") and s <= c.i < e:
            f.append("subjin|" + base)
    f.append("kt=" + base + "|" + head.tag_)
    f.append("kd=" + base + "|" + head.dep_)
    return f


# -- the model ----------------------------------------------------------------------------------


def _score(weights: dict[str, float], feats: Iterable[str]) -> float:
    z = 0.0
    for x in feats:
        w = weights.get(x)
        if w is not None:
            z += w
    return z


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass
class AttributionModel:
    cue: dict[str, float]
    cue_span: dict[str, float]
    source: dict[str, float]
    content: dict[str, float]
    cue_lemmas: frozenset[str]
    threshold: float = 0.5
    source_threshold: float = 0.5
    data_sha256: str = ""

    def save(self, path: Path) -> None:
        body = {"format": FORMAT, "data_sha256": self.data_sha256, "threshold": self.threshold,
                "source_threshold": self.source_threshold, "cue_lemmas": sorted(self.cue_lemmas),
                "cue": self.cue, "cue_span": self.cue_span, "source": self.source, "content": self.content}
        path.write_bytes(gzip.compress(json.dumps(body, sort_keys=True, separators=(",", ":")).encode(), mtime=0))

    @classmethod
    def load(cls, path: Path) -> "AttributionModel":
        body = json.loads(gzip.decompress(path.read_bytes()))
        if body.get("format") != FORMAT:
            raise ValueError(f"{path}: attribution model format {body.get('format')!r}, expected {FORMAT}")
        return cls(body["cue"], body["cue_span"], body["source"], body["content"], frozenset(body["cue_lemmas"]),
                   body["threshold"], body["source_threshold"], body.get("data_sha256", ""))

    # -- prediction --

    def cue_heads(self, doc: Doc, ctx: _Context) -> list[tuple[Token, float]]:
        """Tokens whose lowercased lemma was a cue head in training and whose part of speech may head
        a cue (found over the Doc's arrays, each distinct lemma looked at once), scored."""
        import numpy as np
        from spacy.attrs import LEMMA, POS
        from spacy.parts_of_speech import IDS

        out: list[tuple[Token, float]] = []
        if not len(doc):
            return out
        arr = doc.to_array([POS, LEMMA])
        strings = doc.vocab.strings
        lemmas, inverse = np.unique(arr[:, 1], return_inverse=True)
        wanted = np.array([strings[int(h)].lower() in self.cue_lemmas if h in strings else False for h in lemmas],
                          dtype=bool)
        pos_ok = np.isin(arr[:, 0], [IDS[p] for p in _CANDIDATE_POS])
        for i in np.nonzero(wanted[inverse.reshape(-1)] & pos_ok)[0].tolist():
            tok = doc[i]
            p = _sigmoid(_score(self.cue, cue_features(tok, ctx)))
            if p >= self.threshold:
                out.append((tok, p))
        return out

    def cue_extent(self, head: Token, ctx: _Context) -> tuple[int, int]:
        doc = head.doc
        sent_start, sent_end = ctx.sentence(head.i)
        s = e = head.i
        while s - 1 >= max(sent_start, head.i - 5) and _score(self.cue_span, cue_span_features(doc[s - 1], head)) > 0:
            s -= 1
        while e + 1 < min(sent_end, head.i + 6) and _score(self.cue_span, cue_span_features(doc[e + 1], head)) > 0:
            e += 1
        return s, e + 1

    def best_source(self, head: Token, cue: tuple[int, int], ctx: _Context) -> tuple[int, int] | None:
        best, best_z = None, -1e9
        static = ctx.source_static  # the noun's own features' score, once per noun and Doc
        for s, e, cut, n in source_candidates(head, ctx):
            if s < cue[1] and cue[0] < e:
                continue
            z0 = static.get(n)
            if z0 is None:
                z0 = static[n] = _score(self.source, source_static_features(n, ctx))
            z = z0 + _score(self.source, source_pair_features(s, e, cut, n, head, cue, ctx))
            if z > best_z:
                best, best_z = (s, e), z
        if best is None or _sigmoid(best_z) < self.source_threshold:
            return None
        return best

    def best_content(self, head: Token, cue: tuple[int, int], source: tuple[int, int] | None,
                     ctx: _Context) -> tuple[int, int] | None:
        best, best_z = None, -1e9
        for s, e, kind in content_candidates(head, cue, ctx):
            if source is not None and s <= source[0] and source[1] <= e and kind != "qbefore" and kind != "qafter":
                feats = content_features(s, e, kind, head, cue, ctx) + ["hassource"]
            else:
                feats = content_features(s, e, kind, head, cue, ctx)
            z = _score(self.content, feats)
            if z > best_z:
                best, best_z = (s, e), z
        return best


def _rival(a: Attribution, kept: Attribution) -> bool:
    """Two readings of one attribution: contents sharing most of ``a``'s tokens, neither cue
    inside the other's content (a cue inside a content is an attribution nested in it)."""
    if kept.content[0] <= a.cue_head < kept.content[1] or a.content[0] <= kept.cue_head < a.content[1]:
        return False
    inter = min(a.content[1], kept.content[1]) - max(a.content[0], kept.content[0])
    return inter > 0.5 * (a.content[1] - a.content[0])


def attributions(doc: Doc, model: AttributionModel) -> Iterator[Attribution]:
    """The Doc's attributions in text order; of two cues whose contents are mostly the same tokens,
    the less likely one is dropped."""
    if not len(doc):
        return
    ctx = _Context(doc)
    found: list[Attribution] = []
    for head, p in model.cue_heads(doc, ctx):
        cue = model.cue_extent(head, ctx)
        source = model.best_source(head, cue, ctx)
        content = model.best_content(head, cue, source, ctx)
        if content is None:
            continue
        direct = ctx.quoted(*content) == content[1] - content[0]
        found.append(Attribution(cue, head.i, source, content, p, direct))
    kept: list[Attribution] = []
    covering: dict[int, list[int]] = {}  # token -> the kept attributions whose content covers it
    for a in sorted(found, key=lambda a: -a.score):
        # a rival shares over half of a's content, so it covers a's middle token (one of the two)
        mid = (a.content[0] + a.content[1] - 1) // 2
        near = covering.get(mid, []) + covering.get(mid + 1, [])
        if any(_rival(a, kept[k]) for k in near):
            continue
        for t in range(a.content[0], a.content[1]):
            covering.setdefault(t, []).append(len(kept))
        kept.append(a)
    yield from sorted(kept, key=lambda a: a.content[0])


def model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "attribution" / "attribution-model.json.gz"


def load_default() -> AttributionModel | None:
    path = model_path()
    return AttributionModel.load(path) if path.exists() else None


def files_sha256(paths: Sequence[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()
