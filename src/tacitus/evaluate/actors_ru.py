"""``tacitus eval actors --lang ru``: Russian person, organisation and location mentions on the
factRuEval-2016 development set, natasha's NER alone beside natasha plus :func:`refine_entities`.

Data: ``../shared/eval/factrueval2016-dev`` (``devset/``: 122 news and analytical articles; the
evaluation's test set is never read). Each document has its text (``.txt``: UTF-8, no BOM, ``\\n``
line ends; the character offsets of ``.tokens`` and ``.spans`` are offsets into that text as Python
reads it, checked on all 122 documents), its tokens, its *spans* (``name``, ``surname``, ``org_name``,
``org_descr``, ``loc_name``, ``loc_descr``, ``job``, ``geo_adj``, ...) and its *objects* (``Person``,
``Org``, ``Location``, ``LocOrg``, ``Project``), each made of spans.

Gold mentions follow the official track-1 comparator (``t1_eval.py``, package ``dialent``), turned into
an exact-span score:

- **types**: ``Person`` -> PER, ``Org`` -> ORG, ``Location`` and ``LocOrg`` -> LOC (the comparator's
  ``-l`` mode, "locorg mentions are considered locations": natasha has no LocOrg type, and a country is
  an actor and a place alike); ``Project`` is not scored (the comparator skips it too);
- **name and descriptors**: the comparator weighs a mention's tokens by their span: names (PER: ``name``,
  ``surname``, ``patronymic``, ``nickname``; ORG and LOC: ``org_name``, ``loc_name``) weigh 1,
  descriptors (``org_descr``, ``loc_descr``, ``job``, ``geo_adj``) 0, so a response that leaves a
  descriptor out and one that takes it in score the same. Here a mention therefore has two admissible
  extents: its *name* (first to last name token: ``Зелёный союз`` in ``партии «Зелёный союз»``) and its
  *full* extent (first to last token of all its spans: ``партии «Зелёный союз»``); a predicted span of
  the mention's type that equals either is a hit. Quotes and spaces at either end are trimmed from gold
  and predicted spans before comparing (the comparator ignores punctuation; ``«Зелёный союз»`` and
  ``Зелёный союз`` are the same answer);
- **ignored mentions**, as in the comparator: an object with no name token (``министерства`` alone, a
  ``geo_adj`` like ``казанского``) and an object *embedded* in another (its tokens a strict subset of
  the other's, the other of a type it may nest in: PER and LOC in LOC or ORG, ORG in ORG) are neither
  found nor missed: a prediction equal to one counts neither way. Objects with identical tokens
  (siblings: a city annotated both Org and LocOrg) are one mention that either type matches; missed,
  it counts once, as ORG when one of them is an Org (the comparator keeps the organisation).

Scores: per type and overall (micro), true positives, false positives, false negatives, precision, recall
and F1, one-to-one matching. Stricter than the comparator, which gives a partial overlap partial credit
(shared name tokens over all tokens): here a span one word too long or short is a miss and a false
alarm. Documents are split by sorted name: even positions are the *fit* half (the
refinement rules were written looking only at its errors), odd positions the *held-out* half.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from tacitus.evaluate.common import PRF, strip_span

TYPES = ("PER", "ORG", "LOC")
OBJECT_TYPES = {"Person": "PER", "Org": "ORG", "Location": "LOC", "LocOrg": "LOC"}
#: span types that carry a mention's name (weight 1 in the comparator's table); the others describe it
NAME_SPANS = {
    "PER": frozenset({"name", "surname", "patronymic", "nickname"}),
    "ORG": frozenset({"org_name", "loc_name"}),
    "LOC": frozenset({"org_name", "loc_name"}),
}
#: the types a mention of each type may be embedded in (the comparator's PARENT_TAGS in ``-l`` mode)
PARENT_TYPES = {"PER": frozenset({"LOC", "ORG"}), "LOC": frozenset({"LOC", "ORG"}), "ORG": frozenset({"ORG"})}
#: entity labels of :class:`~tacitus.nlp.russian.RussianAnalyser` -> scored types
LABEL_TYPES = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
_TRIM = " \t\n«»\"'„“”‘’"

Span = tuple[int, int, str]
System = Callable[[str], list[Span]]


class GoldMention(NamedTuple):
    """One scored object: ``start``-``end`` its name (quotes trimmed), ``full`` its extent with
    descriptors; ``also`` the types of its siblings; ``ignored`` when the comparator ignores it."""

    start: int
    end: int
    type: str
    full: tuple[int, int]
    also: frozenset = frozenset()
    ignored: bool = False


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    return strip_span(text, start, end, _TRIM)


def split_of(doc_ids: Iterable[str]) -> dict[str, str]:
    """``fit`` or ``held-out`` for each document: even and odd positions in name order."""
    return {d: ("fit" if i % 2 == 0 else "held-out") for i, d in enumerate(sorted(doc_ids))}


def _read_tokens(path: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 3:
            out[parts[0]] = (int(parts[1]), int(parts[1]) + int(parts[2]))
    return out


def _read_spans(path: Path, tokens: dict[str, tuple[int, int]]) -> dict[str, list[tuple[str, list]]]:
    """span id -> [(span type, its tokens' (start, end))]; one id may carry two types (surname + nickname)."""
    out: dict[str, list[tuple[str, list]]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "#" not in line:
            continue
        left, right = line.split("#", 1)
        fields, refs = left.split(), right.split()
        if len(fields) < 6:
            continue
        n = int(fields[5])
        out.setdefault(fields[0], []).append((fields[1], [tokens[t] for t in refs[:n]]))
    return out


def _read_objects(path: Path, spans: dict) -> list[tuple[str, list[tuple[str, list]]]]:
    """[(object type, [(span type, tokens)])] in file order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) >= 3:
            out.append((fields[1], [s for sid in fields[2:] for s in spans.get(sid, [])]))
    return out


def gold_mentions(text: str, objects: list[tuple[str, list[tuple[str, list]]]]) -> list[GoldMention]:
    """The scored mentions of one document's objects (see the module docstring for the conventions)."""
    found = []  # (type, all tokens, name tokens)
    for obj_type, spans in objects:
        kind = OBJECT_TYPES.get(obj_type)
        if kind is None:
            continue
        tokens = frozenset(t for _st, ts in spans for t in ts)
        named = frozenset(t for st, ts in spans if st in NAME_SPANS[kind] for t in ts)
        if tokens:
            found.append((kind, tokens, named))
    out: list[GoldMention] = []
    seen: dict[frozenset, int] = {}
    for kind, tokens, named in found:
        embedded = any(tokens < other and k in PARENT_TYPES[kind] for k, other, _n in found)
        core = named or tokens
        full = trim(text, min(t[0] for t in tokens), max(t[1] for t in tokens))
        start, end = trim(text, min(t[0] for t in core), max(t[1] for t in core))
        mention = GoldMention(start, end, kind, full, frozenset(), embedded or not named)
        if tokens in seen:  # a sibling: one mention that either type matches, kept as ORG if one is
            i = seen[tokens]
            prev = out[i]
            main, other = (mention, prev) if kind == "ORG" and prev.type != "ORG" else (prev, mention)
            out[i] = main._replace(also=prev.also | {other.type} - {main.type},
                                   ignored=prev.ignored and mention.ignored)
            continue
        seen[tokens] = len(out)
        out.append(mention)
    return out


def load_document(folder: Path, doc_id: str) -> tuple[str, list[GoldMention]]:
    base = folder / doc_id
    text = base.with_suffix(".txt").read_text(encoding="utf-8")
    tokens = _read_tokens(base.with_suffix(".tokens"))
    spans = _read_spans(base.with_suffix(".spans"), tokens)
    return text, gold_mentions(text, _read_objects(base.with_suffix(".objects"), spans))


def devset_folder(path: Path) -> Path:
    """The folder of ``.txt`` documents: ``path`` itself or its ``devset/``."""
    return path / "devset" if (path / "devset").is_dir() else path


def load_gold(path: Path) -> dict[str, tuple[str, list[GoldMention]]]:
    """doc id (``book_100``) -> (its text, its gold mentions), for every document with an ``.objects``
    layer under ``path`` (the dataset folder or its ``devset/``)."""
    folder = devset_folder(Path(path))
    ids = sorted(p.stem for p in folder.glob("*.objects") if p.with_suffix(".txt").exists())
    return {d: load_document(folder, d) for d in ids}


def _admissible(g: GoldMention) -> tuple[tuple[int, int], ...]:
    return ((g.start, g.end), g.full)


def match_document(text: str, gold: list[GoldMention], predicted: Iterable[Span]) -> dict[str, PRF]:
    """Per type counts for one document: each prediction (quotes trimmed) hits at most one unmatched
    gold mention of its type with the same name or full extent; one equal to an ignored mention counts
    neither way."""
    counts = {t: PRF(t) for t in TYPES}
    used = [False] * len(gold)
    for start, end, kind in sorted(predicted):
        if kind not in counts:
            continue
        span = trim(text, start, end)
        hit = neutral = False
        for i, g in enumerate(gold):
            if kind != g.type and kind not in g.also or span not in _admissible(g):
                continue
            if g.ignored:
                neutral = True
            elif not used[i]:
                used[i], hit = True, True
                break
        if hit:
            counts[kind].tp += 1
        elif not neutral:
            counts[kind].fp += 1
    for i, g in enumerate(gold):
        if not used[i] and not g.ignored:
            counts[g.type].fn += 1
    return counts


def score(gold: dict[str, tuple[str, list[GoldMention]]], predicted: dict[str, list[Span]],
          docs: Iterable[str] | None = None) -> dict:
    """Precision, recall and F1 per type and overall (micro) of ``predicted`` (doc id -> spans) over
    the documents ``docs`` (default: all of ``gold``)."""
    total = {t: PRF(t) for t in (*TYPES, "all")}
    for d in (gold if docs is None else docs):
        text, mentions = gold[d]
        for kind, c in match_document(text, mentions, predicted.get(d, [])).items():
            for agg in (total[kind], total["all"]):
                agg.tp, agg.fp, agg.fn = agg.tp + c.tp, agg.fp + c.fp, agg.fn + c.fn
    return {t: {k: v for k, v in p.as_dict().items() if k != "system"} for t, p in total.items()}


def evaluate(path: Path, systems: dict[str, System], docs: Iterable[str] | None = None,
             progress: Callable[[], None] | None = None) -> dict:
    """Run every system on every document (or the ``docs`` named) and score them on the fit half, the
    held-out half and all: ``{"documents": n, "views": {view: {"documents": k, system: scores}}}``."""
    gold = load_gold(path)
    chosen = sorted(gold) if docs is None else [d for d in sorted(set(docs)) if d in gold]
    halves = split_of(gold)
    predicted: dict[str, dict[str, list[Span]]] = {name: {} for name in systems}
    for d in chosen:
        for name, system in systems.items():
            predicted[name][d] = system(gold[d][0])
        if progress:
            progress()
    out: dict = {"documents": len(chosen), "views": {}}
    for view in ("fit", "held-out", "all"):
        in_view = [d for d in chosen if view == "all" or halves[d] == view]
        out["views"][view] = {"documents": len(in_view),
                              **{name: score(gold, predicted[name], in_view) for name in systems}}
    return out


def doc_spans(doc) -> list[Span]:
    """A spaCy ``Doc``'s entities as (start char, end char, scored type)."""
    return [(e.start_char, e.end_char, LABEL_TYPES[e.label_]) for e in doc.ents if e.label_ in LABEL_TYPES]


class _Paired:
    """natasha's entities and the refined ones from one analysis of each text (the last text is kept)."""

    def __init__(self, analyser):
        self.analyser = analyser
        self._text: str | None = None
        self._spans: tuple[list[Span], list[Span]] = ([], [])

    def spans(self, text: str) -> tuple[list[Span], list[Span]]:
        if text != self._text:
            from tacitus.nlp.ner_ru import refine_entities

            doc = self.analyser(text)
            before = doc_spans(doc)
            refine_entities(doc)
            self._text, self._spans = text, (before, doc_spans(doc))
        return self._spans


def default_systems(analyser=None) -> dict[str, System]:
    """``natasha`` (its NER as the analyser gives it) and ``tacitus`` (after :func:`refine_entities`),
    sharing one analysis per text."""
    if analyser is None:
        from tacitus.nlp.russian import RussianAnalyser

        analyser = RussianAnalyser()
    paired = _Paired(analyser)
    return {"natasha": lambda text: paired.spans(text)[0], "tacitus": lambda text: paired.spans(text)[1]}


DEFAULT_DIR = "factrueval2016-dev"


def run_devset(path: Path, docs: Iterable[str] | None = None, progress: Callable[[], None] | None = None) -> dict:
    """:func:`evaluate` of natasha and Tacitus (:func:`default_systems`) on the factRuEval folder
    ``path``, with the BLAS threads capped at one (natasha is 5-10x slower with more)."""
    from tacitus.nlp.blas import BlasThreads

    blas = BlasThreads(1)
    try:
        return evaluate(path, default_systems(), docs, progress)
    finally:
        blas.restore()


def document_count(path: Path) -> int:
    """How many annotated documents :func:`load_gold` would read under ``path``."""
    folder = devset_folder(Path(path))
    return sum(1 for p in folder.glob("*.objects") if p.with_suffix(".txt").exists())


VIEW_NAMES = {"fit": "fit half (rules written on its errors)", "held-out": "held-out half", "all": "all"}


def report_lines(result: dict) -> list[str]:
    """:func:`evaluate`'s result as a plain-text table: per view and type, P/R/F1 of each system and
    Tacitus's F1 gain over natasha."""
    lines = [f"factRuEval-2016 dev, {result['documents']} documents: mention P/R/F1, exact span and type "
             "(name or name with descriptors; see tacitus.evaluate.actors_ru)"]
    for view, scores in result["views"].items():
        systems = [k for k in scores if k != "documents"]
        lines.append("")
        lines.append(f"{VIEW_NAMES.get(view, view)}: {scores['documents']} documents")
        head = f"  {'type':<5}" + "".join(f"  {s + ' P':>11} {'R':>6} {'F1':>6}" for s in systems)
        if {"natasha", "tacitus"} <= set(systems):
            head += f"  {'F1 gain':>8}"
        lines.append(head)
        for kind in (*TYPES, "all"):
            cells = [scores[s][kind] for s in systems]
            row = f"  {kind:<5}" + "".join(f"  {c['precision']:>11.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}" for c in cells)
            if {"natasha", "tacitus"} <= set(systems):
                row += f"  {scores['tacitus'][kind]['f1'] - scores['natasha'][kind]['f1']:>+8.3f}"
            lines.append(row)
    return lines
