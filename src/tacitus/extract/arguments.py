"""The learned argument classifier: which actor named in an event's sentence is its source, which its target?

The event extractor's rules read an event's source and target off the parse around the trigger (subject,
object, "by" agent, possessor, the light verb's subject). On real news most events leave them empty while
the actor stands a few relations away: "Syria indicated it would resume talks", "the extradition the
Colombian government authorized", "Israel was willing to withdraw", the guerrillas named in the clause
before. This classifier reads every actor mention of the sentence against the trigger and answers
``source``, ``target`` or ``none``; the extractor (:func:`tacitus.extract.events.extract_events`) fills a
slot the rules left empty with the mention it likes best for it, when that mention's probability is at
least ``FILL_SLOT``. It never overrides an actor the rules found.

Features of a (trigger, mention) pair: the dependency path between them (the relations up from the
trigger to their common ancestor, then down to the mention; whole, and its first and last steps), whether
the mention is the subject of one of the trigger's ancestors, whether it lies in the trigger's subtree,
before or after it and how far, its own relation and preposition, the event's type and the trigger's part
of speech and relation, the mention's sector, and how many mentions the sentence has. Same learner and
weight table as the trigger classifier (:class:`tacitus.extract.triggers.TriggerModel`; weights
``tacitus/data/plover/argument-model.json.gz``, rebuilt by ``make trigger-model`` from our event gold on
real articles); trained and cross-validated by article in :mod:`tacitus.evaluate.triggers`.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Callable, Sequence

from spacy.tokens import Span, Token

SOURCE, TARGET, NO_ROLE = "source", "target", "none"
ARGUMENT_WEIGHTS = "argument-model.json.gz"
#: A slot the rules left empty takes the mention the classifier gives at least this probability for it.
FILL_SLOT = 0.2
_SUBJ = frozenset({"nsubj", "nsubjpass", "csubj", "agent"})
MAX_PATH = 6


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3-5" if n < 6 else "6-10" if n < 11 else "far"


def _ancestors(tok: Token) -> list[Token]:
    out = [tok]
    while out[-1].head.i != out[-1].i and len(out) < 40:
        out.append(out[-1].head)
    return out


def path(trigger: Token, mention: Token) -> tuple[list[str], list[str]]:
    """The relations up from ``trigger`` to the common ancestor, and down from it to ``mention``."""
    up_chain = _ancestors(trigger)
    down_chain = _ancestors(mention)
    down_index = {t.i: k for k, t in enumerate(down_chain)}
    for k, t in enumerate(up_chain):
        if t.i in down_index:
            up = [x.dep_ for x in up_chain[:k]]
            down = [x.dep_ for x in reversed(down_chain[:down_index[t.i]])]
            return up, down
    return [x.dep_ for x in up_chain], ["?"]  # different sentences' trees


def mention_root(tokens: Sequence[Token]) -> Token:
    """The token of a mention whose head lies outside it (the first such)."""
    idx = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in idx or t.head.i == t.i), tokens[0])


def argument_features(trigger: Token, mention: Token, event_type: str, code: str | None,
                      mentions_in_sentence: int) -> list[str]:
    up, down = path(trigger, mention)
    p = "^" + "^".join(up[:MAX_PATH]) + "_" + "_".join(down[:MAX_PATH])
    f = [f"path={p}", f"tp={event_type}|{p}", f"up0={up[0] if up else '-'}", f"dn-1={down[-1] if down else '-'}",
         f"ud={len(up)}|{len(down)}", f"dep={mention.dep_}", f"t={event_type}", f"pos={trigger.pos_}",
         f"tdep={trigger.dep_}", f"n={_bucket(mentions_in_sentence)}"]
    if down and up:
        f.append(f"up0dn-1={up[0]}|{down[-1]}")
    side = "before" if mention.i < trigger.i else "after"
    f += [f"side={side}", f"dist={side}|{_bucket(abs(mention.i - trigger.i))}",
          f"tside={event_type}|{side}|{mention.dep_}", f"pside={trigger.pos_}|{side}|{mention.dep_}"]
    if mention.dep_ == "pobj":
        prep = mention.head.text.lower()
        f += [f"prep={prep}", f"tprep={event_type}|{prep}"]
    ancestors = _ancestors(trigger)[1:5]
    if mention.dep_ in _SUBJ and any(mention.head.i == a.i for a in ancestors):
        f.append("subj_of_ancestor")
    if mention.dep_ in _SUBJ and mention.head.i == trigger.i:
        f.append("own_subject")
    if trigger.left_edge.i <= mention.i <= trigger.right_edge.i:
        f.append("in_subtree")
    sector = (code or "").split()
    f.append(f"sector={sector[1] if len(sector) > 1 else 'state' if sector else 'none'}")
    f.append("bias")
    return f


def sentence_mentions(sent: Span, actor_at: Callable[[Token], object],
                      actor_tokens: Sequence[int] | None = None) -> list[tuple[object, Token]]:
    """The actor mentions of ``sent``: (actor reference, the mention's root token), in order, one per
    mention (tokens of one reference side by side are one mention)."""
    doc = sent.doc
    if actor_tokens is not None:
        lo = bisect_left(actor_tokens, sent.start)
        indices = actor_tokens[lo:bisect_left(actor_tokens, sent.end, lo)]
    else:
        indices = range(sent.start, sent.end)
    groups: list[tuple[object, list[Token]]] = []
    for i in indices:
        ref = actor_at(doc[i])
        if ref is None:
            continue
        if groups and groups[-1][0] == ref and groups[-1][1][-1].i == i - 1:
            groups[-1][1].append(doc[i])
        else:
            groups.append((ref, [doc[i]]))
    return [(ref, mention_root(toks)) for ref, toks in groups]


def choose(scored: list[tuple[object, float, float]], need_source: bool, need_target: bool,
           taken: set, threshold: float = FILL_SLOT) -> tuple[object | None, object | None]:
    """From (reference, p(source), p(target)) per mention: the best mention for each empty slot, at least
    ``threshold`` likely, never an actor already in the event (``taken``: ids) nor one in both slots."""
    source = target = None
    if need_source:
        best = max((s for s in scored if s[0].id not in taken), key=lambda s: s[1], default=None)
        if best is not None and best[1] >= threshold:
            source = best[0]
    if need_target:
        blocked = taken | ({source.id} if source is not None else set())
        best = max((s for s in scored if s[0].id not in blocked), key=lambda s: s[2], default=None)
        if best is not None and best[2] >= threshold:
            target = best[0]
    return source, target
