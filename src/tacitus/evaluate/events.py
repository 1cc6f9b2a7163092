"""``tacitus eval events``: event type, source, target, date and flags against labelled sentences.

Data: our own labelled sentences (``tacitus/data/plover/sentences.jsonl``, written and labelled by us,
all 16 PLOVER types, with publication dates) and, when present, the PLOVER gold standard records
(``../shared/eval/plover-gsr/PLOVER_GSR_CAMEO.json``; PLOVER 0.5 names mapped to 2021 ones: FIGHT ->
ASSAULT, DEMAND -> REQUEST, DISAPPROVE -> ACCUSE; INVESTIGATE has no 2021 type and is left out).

Per sentence, predicted events are matched to gold events of the same type (greedily, best argument
agreement first). Type precision/recall/F1 count matched pairs. For matched pairs: source and target are
right when the predicted actor's words overlap the gold actor's words (both datasets) and, on our data,
when the codes agree (exactly, and by country part); the date, for gold events the sentence dates, when it
equals the gold date at the gold's precision (undated gold events are not scored: we date recent news by
its publication day, the gold leaves them empty); the flags when they equal the gold flags.

Baseline, run in the same command: a bag-of-lemmas coder with the same lexicon and no parse -- every
trigger lemma in the sentence is an event, its source the first actor mention, its target the second, its
date the publication date. It shows what the dependency analysis adds.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable, Sequence

from tacitus.evaluate.common import PRF

GSR_MAP = {"FIGHT": "ASSAULT", "DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE"}


@dataclass
class GoldSentence:
    id: str
    text: str
    pub_date: str | None
    events: list[dict]


@dataclass
class EventScore(PRF):
    """Type counts (the PRF part) plus, per attribute, [right, scored] over matched events."""

    counts: dict = field(default_factory=lambda: {k: [0, 0] for k in (
        "source_words", "target_words", "source_code", "source_country", "target_code", "date", "negated", "hedged",
        "future", "historical")})
    sentences: int = 0

    def as_dict(self) -> dict:
        out = {"system": self.system, "sentences": self.sentences, "type_precision": round(self.precision, 3),
               "type_recall": round(self.recall, 3), "type_f1": round(self.f1, 3), "tp": self.tp, "fp": self.fp,
               "fn": self.fn}
        for k, (ok, n) in self.counts.items():
            out[f"{k}_accuracy"] = round(ok / n, 3) if n else None
            out[f"{k}_n"] = n
        return out


def load_ours() -> list[GoldSentence]:
    text = resources.files("tacitus").joinpath("data", "plover", "sentences.jsonl").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if line.strip():
            r = json.loads(line)
            out.append(GoldSentence(r["id"], r["text"], r.get("pub_date"), r.get("events", [])))
    return out


def load_gsr(path: Path) -> list[GoldSentence]:
    data = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for r in data:
        ev = (r.get("event") or "").upper()
        text = r.get("text")
        if not text or not ev or r.get("id", "").endswith("DOCUMENT"):
            continue
        ev = GSR_MAP.get(ev, ev)
        events = []
        if ev != "INVESTIGATE":
            src = " ".join(a.get("actorText", "") for a in r.get("source") or [] if isinstance(a, dict))
            tgt = " ".join(a.get("actorText", "") for a in r.get("target") or [] if isinstance(a, dict))
            events.append({"type": ev, "source_text": src or None, "target_text": tgt or None})
        out.append(GoldSentence(r.get("id", ""), text, None, events))
    return out


def _words(s: str | None) -> set[str]:
    return {w.strip(".,'\"’").casefold() for w in (s or "").split() if len(w.strip(".,'\"’")) > 1} - {"the", "of"}


def _overlap(a: str | None, b: str | None) -> bool:
    return bool(_words(a) & _words(b))


def _date_ok(pred: str | None, gold: str | None) -> bool:
    if gold is None:
        return pred is None
    gold = gold.rstrip("s") if gold.endswith("0s") else gold  # "1980s" -> "1980" -> decade prefix "198"
    if len(gold) == 4 and gold.endswith("0") and pred and len(pred) == 3:
        return pred == gold[:3]
    return bool(pred) and pred[:len(gold)] == gold


def score(sentences: Iterable[GoldSentence], predict: Callable[[GoldSentence], list[dict]], name: str,
          codes: bool, progress: Callable[[], None] | None = None) -> EventScore:
    sc = EventScore(name)
    for g in sentences:
        sc.sentences += 1
        pred = predict(g)
        gold = list(g.events)
        used = set()
        for p in pred:
            best, best_k = None, -1
            for i, ge in enumerate(gold):
                if i in used or ge["type"] != p["type"]:
                    continue
                k = _overlap(p.get("source_text"), ge.get("source_text")) + _overlap(p.get("target_text"), ge.get("target_text"))
                if k > best_k:
                    best, best_k = i, k
            if best is None:
                sc.fp += 1
                continue
            used.add(best)
            sc.tp += 1
            ge = gold[best]
            c = sc.counts
            if ge.get("source_text"):
                c["source_words"][0] += _overlap(p.get("source_text"), ge.get("source_text"))
                c["source_words"][1] += 1
            if ge.get("target_text"):
                c["target_words"][0] += _overlap(p.get("target_text"), ge.get("target_text"))
                c["target_words"][1] += 1
            if codes:
                if ge.get("source"):
                    c["source_code"][0] += (p.get("source") or "") == ge["source"]
                    c["source_code"][1] += 1
                    c["source_country"][0] += ((p.get("source") or "").split() or [""])[0] == ge["source"].split()[0]
                    c["source_country"][1] += 1
                if ge.get("target"):
                    c["target_code"][0] += (p.get("target") or "") == ge["target"]
                    c["target_code"][1] += 1
                if ge.get("date"):  # sentences that give the event a time; undated gold events are not scored
                    c["date"][0] += _date_ok(p.get("date"), ge.get("date"))
                    c["date"][1] += 1
                for flag in ("negated", "hedged", "future", "historical"):
                    if flag in ge:
                        c[flag][0] += bool(p.get(flag)) == bool(ge[flag])
                        c[flag][1] += 1
        sc.fn += len(gold) - len(used)
        if progress:
            progress()
    return sc


def pipeline_predictor(nlp, fallback: str = "default", cv_ids: Sequence[str] = (), folds: int = 5,
                       threshold: float | None = None) -> Callable[[GoldSentence], list[dict]]:
    """Tacitus's events. ``fallback``: "default" (the classifier trained on all our sentences), "off",
    or "cv": for a sentence of ``cv_ids``, a classifier trained on the other folds only."""
    from tacitus.extract.fallback import FallbackClassifier, default_classifier, labelled_examples
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    pipe = nlp.get_pipe("tacitus_events")
    fold_of = {sid: i % folds for i, sid in enumerate(cv_ids)}
    trained: dict[int, FallbackClassifier] = {}

    def classifier_for(sid: str):
        if fallback == "cv" and sid in fold_of:
            k = fold_of[sid]
            if k not in trained:
                trained[k] = FallbackClassifier.train(
                    labelled_examples(exclude=[s for s, f in fold_of.items() if f == k]))
            return trained[k]
        return default_classifier()

    def predict(g: GoldSentence) -> list[dict]:
        saved = pipe.fallback_threshold
        if fallback == "off":
            pipe.fallback_threshold = 1.0
        else:
            if threshold is not None:
                pipe.fallback_threshold = threshold
            pipe.classifier = classifier_for(g.id)
        try:
            doc = nlp(make_doc(nlp, RawArticle(key=g.id, source_path=g.id, text=g.text, published=g.pub_date)))
        finally:
            pipe.fallback_threshold = saved
            pipe.classifier = None
        return [{"type": e.type, "source": e.source.code if e.source else None,
                 "target": e.target.code if e.target else None,
                 "source_text": e.source.text if e.source else None, "target_text": e.target.text if e.target else None,
                 "date": e.date, "negated": e.negated, "hedged": e.hedged, "future": e.future,
                 "historical": e.historical} for e in doc._.tacitus_events or []]
    return predict


def baseline_predictor(nlp) -> Callable[[GoldSentence], list[dict]]:
    from tacitus.extract.lexicon import Lexicon
    from tacitus.ingest.records import RawArticle
    from tacitus.nlp.engine import make_doc

    lexicon = Lexicon.load()

    def predict(g: GoldSentence) -> list[dict]:
        doc = nlp(make_doc(nlp, RawArticle(key=g.id, source_path=g.id, text=g.text, published=g.pub_date)))
        actors = [(m, a) for m, a in doc._.tacitus_actors or [] if m.label not in ("PRON", "COREF")]
        out = []
        seen = set()
        for tok in doc:
            pos = "VERB" if tok.pos_ in ("VERB", "AUX") else "NOUN" if tok.pos_ == "NOUN" else None
            senses = lexicon.senses(tok.lemma_.lower(), pos) if pos else []
            bare = [s for s in senses if not s.particle and not s.prep]
            if not bare or (bare[0].type, tok.i) in seen:
                continue
            seen.add((bare[0].type, tok.i))
            src = actors[0] if actors else None
            tgt = actors[1] if len(actors) > 1 else None
            out.append({"type": bare[0].type, "source": src[1].code if src else None,
                        "target": tgt[1].code if tgt else None, "source_text": src[0].text if src else None,
                        "target_text": tgt[0].text if tgt else None, "date": g.pub_date, "negated": False,
                        "hedged": False, "future": False, "historical": False})
        return out
    return predict
