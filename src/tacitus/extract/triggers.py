"""The learned trigger classifier: is this lexicon trigger a political event here, and of which type?

The lexicon gives every occurrence of "attack", "release", "support", "call" a PLOVER sense; on real news
most of them are not events of that sense ("attack ads", "released his tax returns", "won the support of
voters") and many events the rules drop for want of a resolved actor are real ("guerrillas attacked a
post"). This classifier reads each lexicon candidate in its parse and answers a type or ``NONE``; the event
extractor (:func:`tacitus.extract.events.extract_events`) drops the candidates it calls ``NONE``, takes its
type where it is confident, and codes the candidates it is sure of even when neither actor is resolved.

Model: a multinomial logistic regression over sparse features of the token (lemma, part of speech, the
lexicon's types for the lemma, dependency relation, head, children, objects and prepositions, subject,
negation and auxiliaries, neighbours, whether its subject and object are resolved actors). Weights are a
committed feature -> per-class table (``tacitus/data/plover/trigger-model.json.gz``, rebuilt by ``make
trigger-model`` = ``tools/train_triggers.py`` from our event gold on real articles,
``tacitus/data/gold/en_events.jsonl``, and the texts in ``../shared/eval``). No learning library at run time.
Trained and scored by :mod:`tacitus.evaluate.triggers`, cross-validated by article.

The same module holds the mode classifier's features (:func:`mode_features`: the words and relations above
the trigger, tense, auxiliaries, markers, quotation marks) and its weights (``mode-model.json.gz``, same
learner, same rebuild): it tells an event the author asserts from one someone claims and from one requested,
intended or conditional, and the extractor flags the latter two as hedged and future.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from importlib import resources
from typing import Callable

from spacy.tokens import Token

from tacitus.extract.events import TERRITORY, TROOP_WORDS

NONE = "NONE"
#: Objects that make a delivery political: weapons and supplies (forces are the event extractor's
#: ``TROOP_WORDS``, places its ``TERRITORY``).
ARMS = frozenset("weapon arm rifle missile tank gun ammunition munition aid equipment helicopter".split())
_SUBJ = ("nsubj", "nsubjpass", "csubj", "agent")
_OBJ = ("dobj", "obj", "dative", "attr", "oprd")


def _actor_in(tok: Token, actor_at: Callable[[Token], object]) -> bool:
    return actor_at(tok) is not None or any(actor_at(c) is not None for c in tok.children
                                            if c.dep_ in ("compound", "amod", "poss", "nmod", "conj"))


def trigger_features(tok: Token, lexicon_types: list[str], actor_at: Callable[[Token], object]) -> list[str]:
    """The features of lexicon candidate ``tok``; ``lexicon_types``: the types the lexicon gives its lemma."""
    lemma = tok.lemma_.lower()
    pos = tok.pos_
    head = tok.head
    f = [f"l={lemma}", f"lp={lemma}|{pos}", f"p={pos}", f"dep={tok.dep_}", f"dl={tok.dep_}|{lemma}",
         f"hl={head.lemma_.lower()}", f"hp={head.pos_}", f"dh={tok.dep_}|{head.lemma_.lower()}", f"tag={tok.tag_}"]
    f += [f"t={t}" for t in lexicon_types]
    f += [f"lt={lemma}|{t}" for t in lexicon_types[:1]]
    if tok.i > 0:
        f.append(f"l-1={tok.nbor(-1).lower_}")
    if tok.i + 1 < len(tok.doc):
        f.append(f"l+1={tok.nbor(1).lower_}")
    subj = obj = False
    for c in tok.children:
        d = c.dep_
        f.append(f"cd={d}")
        if d in _SUBJ:
            f += [f"sl={c.lemma_.lower()}", f"se={c.ent_type_ or '-'}"]
            subj = subj or _actor_in(c, actor_at)
        elif d in _OBJ:
            f += [f"ol={c.lemma_.lower()}", f"lo={lemma}|{c.lemma_.lower()}", f"oe={c.ent_type_ or '-'}"]
            obj = obj or _actor_in(c, actor_at)
            if c.lemma_.lower() in TERRITORY or c.ent_type_ in ("GPE", "LOC", "FAC"):
                f += ["oterr", f"oterr={lexicon_types[0] if lexicon_types else '-'}"]
            if c.lemma_.lower() in ARMS or c.lemma_.lower() in TROOP_WORDS:
                f += ["oarms", f"oarms={lexicon_types[0] if lexicon_types else '-'}"]
        elif d in ("prep", "agent"):
            f.append(f"pp={lemma}|{c.lower_}")
            for g in c.children:
                if g.dep_ == "pobj":
                    f += [f"ppo={c.lower_}|{g.lemma_.lower()}", f"ppe={c.lower_}|{g.ent_type_ or '-'}"]
                    obj = obj or _actor_in(g, actor_at)
        elif d in ("aux", "auxpass"):
            f.append(f"aux={c.lemma_.lower()}")
        elif d == "neg":
            f.append("neg")
        elif d == "prt":
            f.append(f"prt={lemma}|{c.lower_}")
        elif d in ("poss", "compound", "amod", "nmod"):
            f += [f"mod={d}|{c.lemma_.lower()}", f"mode={d}|{c.ent_type_ or '-'}"]
            if actor_at(c) is not None:
                f.append(f"modactor={d}")
    if tok.dep_ in _OBJ or tok.dep_ == "pobj":
        gov = head.head if tok.dep_ == "pobj" and head.dep_ == "prep" else head
        f.append(f"gov={gov.lemma_.lower()}")
        for c in gov.children:
            if c.dep_ in ("nsubj", "nsubjpass") and _actor_in(c, actor_at):
                subj = True
    f.append(f"actors={int(subj)}{int(obj)}")
    f.append(f"actors={int(subj)}{int(obj)}|{lexicon_types[0] if lexicon_types else '-'}")
    if tok.is_title and tok.i > tok.sent.start:
        f.append("title")
    return f


_QUOTES = frozenset('"“”«»')


def mode_features(tok: Token) -> list[str]:
    """The features of an event trigger's mode (asserted, reported by someone, planned or requested): the
    words and relations above it in the parse, its tense and auxiliaries, markers, and whether it stands
    inside quotation marks."""
    f = [f"l={tok.lemma_.lower()}", f"tag={tok.tag_}", f"dep={tok.dep_}"]
    for c in tok.children:
        if c.dep_ in ("aux", "auxpass", "mark", "neg", "advmod", "prt"):
            f.append(f"{c.dep_}={c.lower_}")
    node, path = tok, []
    for k in range(4):
        if node.head.i == node.i:
            f.append(f"root@{k}")
            break
        path.append(node.dep_)
        node = node.head
        lemma = node.lemma_.lower()
        f += [f"a={lemma}", f"a{k}={lemma}", f"ad{k}={path[-1]}|{lemma}", f"ap={'/'.join(path)}"]
        for c in node.children:
            if c.dep_ in ("aux", "auxpass", "mark", "neg") and c.i < tok.i:
                f.append(f"a{k}{c.dep_}={c.lower_}")
    sent = tok.sent
    before = sum(1 for t in sent if t.i < tok.i and t.text in _QUOTES)
    if before % 2:
        f.append("in_quote")
    return f


@dataclass
class TriggerModel:
    """Feature -> per-class weights; :meth:`predict` gives the best class and its probability."""

    classes: list[str]
    bias: list[float]
    weights: dict[str, dict[int, float]]
    meta: dict

    def probabilities(self, features: list[str]) -> list[float]:
        scores = list(self.bias)
        for name in dict.fromkeys(features):
            row = self.weights.get(name)
            if row:
                for k, w in row.items():
                    scores[k] += w
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return [e / total for e in exps]

    def predict(self, features: list[str]) -> tuple[str, float, float]:
        """(best class, its probability, the probability of ``NONE``)."""
        probs = self.probabilities(features)
        best = max(range(len(probs)), key=probs.__getitem__)
        none = probs[self.classes.index(NONE)] if NONE in self.classes else 0.0
        return self.classes[best], probs[best], none

    def to_json(self) -> dict:
        return {"classes": self.classes, "bias": [round(b, 4) for b in self.bias], "meta": self.meta,
                "weights": {f: {str(k): round(w, 4) for k, w in row.items()} for f, row in sorted(self.weights.items())}}

    @classmethod
    def from_json(cls, data: dict) -> "TriggerModel":
        return cls(list(data["classes"]), [float(b) for b in data["bias"]],
                   {f: {int(k): float(w) for k, w in row.items()} for f, row in data["weights"].items()},
                   dict(data.get("meta", {})))

    def save(self, path) -> None:
        data = json.dumps(self.to_json(), sort_keys=True, separators=(",", ":")).encode("utf-8")
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=9, mtime=0) as f:
            f.write(data)  # mtime 0: the same weights give the same bytes

    @classmethod
    def load(cls, path) -> "TriggerModel":
        with gzip.open(path, "rt", encoding="utf-8") as f:
            return cls.from_json(json.loads(f.read()))


TRIGGER_WEIGHTS = "trigger-model.json.gz"


def weights_path(name: str = TRIGGER_WEIGHTS):
    return resources.files("tacitus").joinpath("data", "plover", name)


MODE_WEIGHTS = "mode-model.json.gz"


def default_trigger_model(name: str = TRIGGER_WEIGHTS) -> TriggerModel | None:
    """The committed model (``name``: the trigger model, or :data:`MODE_WEIGHTS` for the mode model), or
    None when it is not there (the extractor then runs on its rules alone)."""
    path = weights_path(name)
    if not path.is_file():
        return None
    with resources.as_file(path) as p:
        return TriggerModel.load(p)
