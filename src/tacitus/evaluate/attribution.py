"""Training and scoring of the learned attribution model (:mod:`tacitus.extract.attribution`) on PolNeAR.

``train_model`` fits the four small logistic models on PolNeAR train (scikit-learn, a test/training
dependency only; the run-time model is a feature -> weight table). ``evaluate_polnear_attribution``
scores attributions on a PolNeAR split the way attribution work reports them (Citron on PARC 3.0):

- **cue**: the cue's extent (first to last character of its pieces) exactly;
- **source exact**: an attribution whose content matches a gold one (overlap of half their union) and
  whose source span equals the gold source exactly; precision over the system's attributions with a
  source, recall over the gold attributions with one;
- **content exact** and **content overlap** (half the union), one to one.

Spans are compared after trimming quote marks, spaces, commas and full stops at their edges.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from spacy.tokens import Doc

from tacitus.evaluate.common import PRF
from tacitus.evaluate.quotes import GoldQuote, SysQuote, _trim, count_matches, match, polnear_documents
from tacitus.extract.attribution import (AttributionModel, _Context, attributions, content_candidates,
                                         content_features, cue_features, cue_span_features, source_candidates,
                                         source_features, trim_span)


@dataclass
class GoldTokens:
    cue_head: int
    cue: set[int]
    source: tuple[int, int] | None
    content: tuple[int, int]


def _tokens(doc: Doc, pieces: Sequence[tuple[int, int]]) -> list[int]:
    out = []
    for a, b in pieces:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is not None:
            out.extend(range(span.start, span.end))
    return sorted(set(out))


def gold_tokens(doc: Doc, gold: Sequence[GoldQuote]) -> list[GoldTokens]:
    out = []
    blank = [t.is_punct or t.is_space for t in doc]
    for g in gold:
        cue = _tokens(doc, g.cues)
        content = _tokens(doc, [(g.start, g.end)])
        if not cue or not content:
            continue
        cset = set(cue)
        heads = [i for i in cue if doc[i].head.i not in cset or doc[i].head.i == i]
        verbs = [i for i in heads if doc[i].pos_ in ("VERB", "AUX")]
        head = (verbs or heads or cue)[0]
        src = _tokens(doc, g.sources)
        source = trim_span(blank, src[0], src[-1] + 1) if src else None
        if source is not None and source[1] <= source[0]:
            source = None
        cs, ce = trim_span(blank, content[0], content[-1] + 1)
        if ce <= cs:
            continue
        out.append(GoldTokens(head, cset, source, (cs, ce)))
    return out


def train_model(data: Sequence[tuple[Doc, list[GoldTokens]]], data_sha256: str = "", c: float = 0.5,
                min_lemma: int = 2, min_share: float = 0.05) -> tuple[AttributionModel, dict]:
    from collections import Counter

    from tacitus.extract.attribution import _CANDIDATE_POS

    lemmas, seen = Counter(), Counter()
    for doc, golds in data:
        for g in golds:
            lemmas[doc[g.cue_head].lemma_.lower()] += 1
        for tok in doc:
            if tok.pos_ in _CANDIDATE_POS:
                seen[tok.lemma_.lower()] += 1
    # a lemma is looked at when it was a cue head at least twice and in at least min_share of its uses
    cue_lemmas = frozenset(k for k, n in lemmas.items() if n >= min_lemma and n >= min_share * seen[k])
    X_cue, y_cue, X_span, y_span, X_src, y_src, X_con, y_con = ([] for _ in range(8))
    missed_src = missed_con = 0

    for doc, golds in data:
        ctx = _Context(doc)
        heads = {g.cue_head for g in golds}
        for tok in doc:
            if tok.pos_ in _CANDIDATE_POS and tok.lemma_.lower() in cue_lemmas:
                X_cue.append(cue_features(tok, ctx))
                y_cue.append(tok.i in heads)
        for g in golds:
            head = doc[g.cue_head]
            sent_start, sent_end = ctx.sentence(head.i)
            for i in range(max(sent_start, head.i - 5), min(sent_end, head.i + 6)):
                if i != head.i:
                    X_span.append(cue_span_features(doc[i], head))
                    y_span.append(i in g.cue)
            cue = (min(g.cue), max(g.cue) + 1)
            hit = False
            for s, e, cut, n in source_candidates(head, ctx):
                if s < cue[1] and cue[0] < e:
                    continue
                X_src.append(source_features(s, e, cut, n, head, cue, ctx))
                ok = g.source is not None and (s, e) == g.source
                hit |= ok
                y_src.append(ok)
            missed_src += g.source is not None and not hit
            group = []
            for s, e, kind in content_candidates(head, cue, ctx):
                feats = content_features(s, e, kind, head, cue, ctx)
                if g.source is not None and s <= g.source[0] and g.source[1] <= e and kind not in ("qbefore", "qafter"):
                    feats = feats + ["hassource"]
                group.append((feats, (s, e) == g.content))
            right = [f for f, ok in group if ok]
            if not right:
                missed_con += 1
                continue
            # pairwise ranking: the right candidate against each other one, both ways round
            for f, ok in group:
                if not ok:
                    X_con.append((right[0], f))
                    y_con.append(True)
                    X_con.append((f, right[0]))
                    y_con.append(False)
    weights = [_fit(X, y, c) for X, y in ((X_cue, y_cue), (X_span, y_span), (X_src, y_src), (X_con, y_con))]
    model = AttributionModel(*weights, cue_lemmas=cue_lemmas, data_sha256=data_sha256)
    n_gold = sum(len(g) for _, g in data)
    stats = {"attributions": n_gold, "cue_lemmas": len(cue_lemmas), "cue_examples": len(y_cue),
             "gold_source_not_a_candidate": missed_src, "gold_content_not_a_candidate": missed_con}
    return model, stats


def _as_row(x) -> dict[str, float]:
    if isinstance(x, tuple):  # a ranking pair: the first candidate's features less the second's
        row = {f: 1.0 for f in x[0]}
        for f in x[1]:
            row[f] = row.get(f, 0.0) - 1.0
        return row
    return {f: 1.0 for f in x}


def _fit(X: list, y: list[bool], c: float, prune: float = 0.05) -> dict[str, float]:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vec = DictVectorizer()
    m = vec.fit_transform([_as_row(x) for x in X]).tocsr()
    m.indices = m.indices.astype("int32")
    m.indptr = m.indptr.astype("int32")
    clf = LogisticRegression(C=c, fit_intercept=False, max_iter=2000, solver="liblinear", random_state=0)
    clf.fit(m, y)
    names = vec.get_feature_names_out()
    return {str(n): round(float(w), 3) for n, w in zip(names, clf.coef_[0]) if abs(w) >= prune}


# -- scoring -------------------------------------------------------------------------------------


@dataclass
class AttrSys:
    cue: tuple[int, int] | None  # characters
    source: tuple[int, int] | None
    content: tuple[int, int]


def learned_system(doc: Doc, model: AttributionModel) -> list[AttrSys]:
    out = []
    text = doc.text
    for a in attributions(doc, model):
        cue = (doc[a.cue[0]].idx, doc[a.cue[1] - 1].idx + len(doc[a.cue[1] - 1]))
        src = None
        if a.source is not None:
            src = _trim(text, doc[a.source[0]].idx, doc[a.source[1] - 1].idx + len(doc[a.source[1] - 1]))
        s, e = _trim(text, doc[a.content[0]].idx, doc[a.content[1] - 1].idx + len(doc[a.content[1] - 1]))
        if e > s:
            out.append(AttrSys(cue, src, (s, e)))
    return out


def rules_system(doc: Doc, quotes: Sequence[SysQuote]) -> list[AttrSys]:
    text = doc.text
    return [AttrSys(None, _trim(text, *q.speaker_span) if q.speaker_span else None, (q.start, q.end)) for q in quotes]


@dataclass
class AttrScores:
    name: str
    cue: PRF
    source: PRF
    content_exact: PRF
    content_overlap: PRF

    def as_dict(self) -> dict:
        return {"system": self.name, **{k: getattr(self, k).as_dict()
                                        for k in ("cue", "source", "content_exact", "content_overlap")}}


def _new(name: str) -> AttrScores:
    return AttrScores(name, PRF(name), PRF(name), PRF(name), PRF(name))


def score_attributions(sc: AttrScores, text: str, gold: Sequence[GoldQuote], system: Sequence[AttrSys],
                       cues: bool = True) -> None:
    gq = [GoldQuote(g.start, g.end) for g in gold]
    sq = [SysQuote(a.content[0], a.content[1], None, None, False) for a in system]
    pairs = count_matches(sc.content_overlap, sc.content_exact, gq, sq)
    gsrc = [(_trim(text, min(a for a, _ in g.sources), max(b for _, b in g.sources)) if g.sources else None)
            for g in gold]
    right = sum(1 for i, j in pairs if gsrc[i] is not None and system[j].source == gsrc[i])
    sc.source.tp += right
    sc.source.fp += sum(1 for a in system if a.source is not None) - right
    sc.source.fn += sum(1 for s in gsrc if s is not None) - right
    if cues:
        gc = {(min(a for a, _ in g.cues), max(b for _, b in g.cues)) for g in gold if g.cues}
        sc_ = {a.cue for a in system if a.cue is not None}
        sc.cue.add(gc, sc_)


def _rules_alone(doc: Doc) -> list[SysQuote]:
    """The quote rules without the learned model, on a Doc the pipeline has run over."""
    from tacitus.evaluate.quotes import tacitus_quotes
    from tacitus.extract.quotes import extract_quotes
    from tacitus.nlp.components import speaker_lookup

    saved = doc._.tacitus_quotes
    doc._.tacitus_quotes = list(extract_quotes(doc, speaker_lookup(doc)))
    try:
        return tacitus_quotes(doc)
    finally:
        doc._.tacitus_quotes = saved


def _speaker_right(stats: dict, text: str, gold: Sequence[GoldQuote], system: Sequence[AttrSys]) -> None:
    """Of the gold attributions with a source that a system attribution matches (content), how many
    have a system source overlapping the gold source; ``named``: the same for gold sources that
    start with a capital letter and are not a pronoun or "The ..." description."""
    gq = [GoldQuote(g.start, g.end) for g in gold]
    sq = [SysQuote(a.content[0], a.content[1], None, None, False) for a in system]
    for i, j in match(gq, sq):
        g = gold[i]
        if not g.sources:
            continue
        src = system[j].source
        ok = src is not None and any(src[0] < b and a < src[1] for a, b in g.sources)
        words = text[g.sources[0][0]:g.sources[-1][1]].split()
        named = bool(words) and words[0][:1].isupper() and words[0].lower() not in {
            "the", "a", "an", "he", "she", "they", "it", "we", "i", "his", "her", "their", "its", "this", "that"}
        for key in ("all", "named") if named else ("all",):
            row = stats.setdefault(key, [0, 0])
            row[0] += 1
            row[1] += ok


def evaluate_polnear_attribution(folder: Path, nlp, model: AttributionModel | None, split: str = "dev",
                                 limit: int | None = None, advance: Callable[[], None] | None = None) -> dict:
    """Learned model alone, Tacitus as it runs (learned model, then the rules where it found nothing),
    the rules alone and textacy, on the same parses of a PolNeAR split."""
    from tacitus.evaluate.quotes import tacitus_quotes, textacy_quotes

    names = ("Tacitus learned model alone (PolNeAR train)", "Tacitus (learned + rules)", "Tacitus rules alone",
             "textacy 0.13 direct_quotations")
    scores = [_new(n) for n in names]
    speakers: list[dict] = [{} for _ in names]
    n_docs = n_gold = 0
    for _name, text, gold in polnear_documents(folder, split, limit):
        doc = nlp(text)
        systems = [learned_system(doc, model) if model is not None else [],
                   rules_system(doc, tacitus_quotes(doc)), rules_system(doc, _rules_alone(doc)),
                   rules_system(doc, textacy_quotes(doc))]
        for k, (sc, system) in enumerate(zip(scores, systems)):
            score_attributions(sc, text, gold, system, cues=k == 0)
            _speaker_right(speakers[k], text, gold, system)
        n_docs += 1
        n_gold += len(gold)
        if advance:
            advance()
    out = []
    for sc, sp in zip(scores, speakers):
        row = sc.as_dict()
        row["source_right"] = {k: {"matched": v[0], "right": v[1], "share": round(v[1] / v[0], 3) if v[0] else None}
                               for k, v in sorted(sp.items())}
        out.append(row)
    return {"documents": n_docs, "attributions": n_gold, "split": split, "systems": out}
