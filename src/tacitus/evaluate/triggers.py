"""Training and cross-validating the trigger classifier (:mod:`tacitus.extract.triggers`) on our event gold
on real articles (``tacitus/data/gold/en_events.jsonl``).

Examples: every lexicon candidate the event extractor reads (a token with a lexicon sense, as
:func:`tacitus.extract.events._sense` finds it) in the gold's documents, parsed by the pipeline; its label
is the type of the first-pass gold event whose trigger (or ``alt`` span) overlaps it, else ``NONE``.
Learner: scikit-learn's multinomial logistic regression (lbfgs, L2, ``C``), weights below ``PRUNE`` in
absolute value dropped. Cross-validation is by article: the documents are dealt into ``FOLDS`` folds in
the gold's order, and each document is scored with the model trained on the other folds.
"""

from __future__ import annotations

import hashlib
from typing import Callable, Iterable, NamedTuple

from tacitus.evaluate.event_gold import GoldDoc, trigger_spans
from tacitus.extract.triggers import NONE, TriggerModel, mode_features, trigger_features

C = 0.3
PRUNE = 0.01
FOLDS = 5
MAX_ITER = 2000


class Example(NamedTuple):
    features: list[str]
    label: str  # a PLOVER type or NONE
    mode_features: list[str]
    mode: str | None  # the gold event's mode (asserted, reported, planned); None for NONE


def _candidates(doc, lexicon):
    """(token, start, end) of every lexicon candidate the event extractor reads (a token with a sense)."""
    from tacitus.extract.events import _sense, _trigger_candidates

    for i in _trigger_candidates(doc, lexicon):
        tok = doc[i]
        if _sense(tok, lexicon) is not None:
            yield tok, tok.idx, tok.idx + len(tok.text)


def doc_examples(doc, gold: GoldDoc, events_pipe) -> list[Example]:
    """(features, label) of every lexicon candidate of ``doc`` (parsed by the pipeline up to the events)."""
    actor_at, _is_place, _tokens = events_pipe.actor_lookup(doc)
    lexicon = events_pipe.lexicon
    spans = [(s, e["type"], e["mode"]) for e in gold.events for s in trigger_spans(e)]
    out = []
    for tok, a, b in _candidates(doc, lexicon):
        label, status = next(((t, m) for (s, e), t, m in spans if s < b and a < e), (NONE, None))
        out.append(Example(trigger_features(tok, lexicon.types_of(tok.lemma_.lower(), tok.pos_), actor_at), label,
                           mode_features(tok), status))
    return out


def argument_examples(doc, gold: GoldDoc, events_pipe) -> list[tuple[list[str], str]]:
    """(features, role) of every (candidate, actor mention of its sentence) pair, for the lexicon candidates
    that are gold events: ``source`` or ``target`` when the mention overlaps the gold source's or target's
    words in the sentence (where the gold's words are not in the sentence: when its code is the gold's
    code), else ``none``."""
    from tacitus.evaluate.event_gold import code_ok
    from tacitus.extract.arguments import NO_ROLE, SOURCE, TARGET, argument_features, sentence_mentions

    actor_at, _is_place, actor_tokens = events_pipe.actor_lookup(doc)
    lexicon = events_pipe.lexicon
    text = doc.text
    out = []
    for tok, a, b in _candidates(doc, lexicon):
        event = next((e for e in gold.events for s, t in trigger_spans(e) if s < b and a < t), None)
        if event is None:
            continue
        sent = tok.sent
        mentions = sentence_mentions(sent, actor_at, actor_tokens)
        lowered = text[sent.start_char:sent.end_char].lower()

        def where(words):
            at = lowered.find(words.lower()) if words else -1
            return (sent.start_char + at, sent.start_char + at + len(words)) if at >= 0 else None

        spans = {role: where(event.get(f"{role}_text")) for role in (SOURCE, TARGET)}
        for ref, root in mentions:
            label = NO_ROLE
            for role in (SOURCE, TARGET):
                span, code = spans[role], event.get(role)
                if not code:
                    continue
                if span is not None and ref.start < span[1] and span[0] < ref.end or span is None and code_ok(
                        ref.code, code):
                    label = role
                    break
            out.append((argument_features(tok, root, event["type"], ref.code, len(mentions)), label))
    return out


def mode_examples(examples: Iterable["Example"]) -> list[tuple[list[str], str]]:
    """The (mode features, gold mode) of the candidates that are events."""
    return [(ex.mode_features, ex.mode) for ex in examples if ex.mode is not None]


def train(examples: Iterable[tuple[list[str], str]], c: float = C, meta: dict | None = None) -> TriggerModel:
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    examples = list(examples)
    if not examples:  # nothing to learn from (no lexicon candidate at all): a model that answers NONE
        return TriggerModel([NONE], [0.0], {}, dict(meta or {}, examples=0, features=0, C=c))
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for r, (feats, _label, *_rest) in enumerate(examples):
        for f in dict.fromkeys(feats):  # in the features' order: the same columns in every process
            rows.append(r)
            cols.append(vocab.setdefault(f, len(vocab)))
    x = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(examples), len(vocab)))
    classes = sorted({ex[1] for ex in examples})
    y = np.array([classes.index(ex[1]) for ex in examples])
    from threadpoolctl import threadpool_limits

    clf = LogisticRegression(C=c, max_iter=MAX_ITER)
    with threadpool_limits(1):  # one BLAS thread: the same sums in the same order, the same weights
        clf.fit(x, y)
    coef = clf.coef_
    intercept = clf.intercept_
    if len(classes) == 2:  # sklearn gives one row for two classes: the second class against the first
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-intercept[0] / 2, intercept[0] / 2])
    names = sorted(vocab, key=vocab.get)
    weights: dict[str, dict[int, float]] = {}
    for f, j in zip(names, range(len(names))):
        row = {k: float(coef[k, j]) for k in range(len(classes)) if abs(coef[k, j]) >= PRUNE}
        if row:
            weights[f] = row
    return TriggerModel(classes, [float(b) for b in intercept], weights,
                        dict(meta or {}, examples=len(examples), features=len(weights), C=c))


def fold_of(doc_key: str, folds: int = FOLDS) -> int:
    """A document's fold: from the hash of its key, so that adding documents does not move the others."""
    return int(hashlib.sha256(doc_key.encode("utf-8")).hexdigest(), 16) % folds


def cv_models(examples_by_doc: dict[str, list[Example]], folds: int = FOLDS, c: float = C,
              arguments_by_doc: dict[str, list[tuple[list[str], str]]] | None = None,
              ) -> dict[str, tuple[TriggerModel, TriggerModel, TriggerModel | None]]:
    """doc key -> the (trigger, mode, argument) models trained on the documents of the other folds (the
    argument model None without ``arguments_by_doc``)."""
    by_fold: dict[int, tuple[TriggerModel, TriggerModel, TriggerModel | None]] = {}
    for k in range(folds):
        train_ex = [ex for key, exs in examples_by_doc.items() if fold_of(key, folds) != k for ex in exs]
        arguments = None
        if arguments_by_doc is not None:
            arguments = train([ex for key, exs in arguments_by_doc.items() if fold_of(key, folds) != k for ex in exs],
                              c, {"fold": k})
        by_fold[k] = (train(train_ex, c, {"fold": k}), train(mode_examples(train_ex), c, {"fold": k}), arguments)
    return {key: by_fold[fold_of(key, folds)] for key in examples_by_doc}


def parse_gold_docs(nlp, texts: dict[str, str], gold: dict[str, GoldDoc],
                    progress: Callable[[], None] | None = None) -> dict:
    """doc key -> the pipeline's Doc of its text (events component included)."""
    from tacitus.evaluate.events_en import parse_input
    from tacitus.ingest.records import RawArticle
    from tacitus.ingest.textmeta import find_dateline
    from tacitus.nlp.engine import make_doc

    out = {}
    for key, text in texts.items():
        article = RawArticle(key=key, source_path=key, text=parse_input(text), published=gold[key].published,
                             dateline=find_dateline(text))  # as the reader finds it, the text left as it is
        out[key] = nlp(make_doc(nlp, article))
        if progress:
            progress()
    return out


def cv_evaluate(nlp, shared, gold: dict[str, GoldDoc], score_docs: Iterable[str] | None = None,
                progress: Callable[[], None] | None = None, c: float = C) -> dict:
    """Four systems on the gold documents ``score_docs`` (default: all), from one parse of every gold
    document: ``tacitus`` (the events with the trigger, mode and argument classifiers trained on the other
    folds), ``no-args`` (the same without the argument classifier), ``rules`` (the events without any
    classifier) and ``lexicon`` (the lexicon-only baseline). Returns the views of
    :func:`tacitus.evaluate.event_gold.score`, the predictions and the examples' label counts."""
    from collections import Counter

    from tacitus.evaluate.event_gold import baseline_events, event_dict, score
    from tacitus.evaluate.events_en import read_texts

    texts = read_texts(shared, gold)
    pipe = nlp.get_pipe("tacitus_events")
    saved = (pipe.use_trigger_model, pipe.trigger_model, pipe.mode_model, pipe.argument_model)
    try:
        pipe.use_trigger_model = False
        docs = parse_gold_docs(nlp, texts, gold, progress)
        examples = {key: doc_examples(doc, gold[key], pipe) for key, doc in docs.items()}
        arguments = {key: argument_examples(doc, gold[key], pipe) for key, doc in docs.items()}
        models = cv_models(examples, c=c, arguments_by_doc=arguments)
        keys = list(score_docs) if score_docs is not None else list(docs)
        predicted: dict[str, dict[str, list[dict]]] = {"tacitus": {}, "no-args": {}, "rules": {}, "lexicon": {}}
        pipe.use_trigger_model = True
        for key in keys:
            doc = docs[key]
            predicted["rules"][key] = [event_dict(e) for e in doc._.tacitus_events or []]
            predicted["lexicon"][key] = baseline_events(doc, pipe.lexicon)
            trigger_model, mode_model, argument_model = models[key]
            pipe.trigger_model, pipe.mode_model, pipe.argument_model = trigger_model, mode_model, False
            pipe(doc)
            predicted["no-args"][key] = [event_dict(e) for e in doc._.tacitus_events or []]
            pipe.argument_model = argument_model
            pipe(doc)
            predicted["tacitus"][key] = [event_dict(e) for e in doc._.tacitus_events or []]
    finally:
        pipe.use_trigger_model, pipe.trigger_model, pipe.mode_model, pipe.argument_model = saved
    labels = Counter(ex.label for exs in examples.values() for ex in exs)
    return {"views": score({k: gold[k] for k in keys}, predicted), "predicted": predicted,
            "candidates": sum(labels.values()), "candidate_labels": dict(labels)}
