"""Russian quotes scored on our gold (``data/gold/ru_quotes.jsonl``, guidelines in
``data/gold/README-ru-quotes.md``): 33 news documents of factRuEval-2016's development set
(``../shared/eval/factrueval2016-dev/devset``), split into the *dev* half (the rules were written looking
at its errors) and the *held-out* half.

Run: ``PYTHONPATH=src python -m tacitus.evaluate.quotes_ru [--dir FOLDER] [--json]`` (FOLDER: the
factRuEval folder or its ``devset``; default ``../shared/eval/factrueval2016-dev``), and ``--agreement``
for the second annotation pass against the first.

Scores, each for dev, held out and all, for :func:`~tacitus.extract.quotes_ru.attributions_ru` and a
baseline in the same run:

- **found**: a system attribution matches a gold one when their content spans (quote marks and spaces
  trimmed) overlap by at least half of their union, one to one, best overlap first; precision over the
  system's attributions, recall over the gold's; also by gold kind (direct, indirect) as recall;
- **exact**: the trimmed content spans are equal;
- **speaker**: a matched attribution whose speaker is right: the speaker spans overlap, or the names are
  the same person (equal after case folding, the same first and last words, with or without a
  patronymic, or one name's words are the other's last words: "Петров" and "Иван Петров"); a
  gold attribution with no speaker is right only with no speaker; counted like *found* (true
  positives are matched and right);
- **cue**: the distinct cue spans of each document, one to one by overlap (the colon of a transcript or
  headline included).

The baseline reads quote marks only: every « », „ “ and " " span of three words or more is a quote, its
speaker the nearest PERSON entity before it, its cue the nearest cue word (:data:`CUES_RU`) of its
sentence outside the quote.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Sequence

from tacitus.evaluate.common import PRF, strip_span

DEFAULT_DIR = "factrueval2016-dev"
GOLD_PATH = Path(__file__).resolve().parent.parent / "data" / "gold" / "ru_quotes.jsonl"
SHARED_DEFAULT = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / DEFAULT_DIR
SPLITS = ("dev", "held_out", "all")
_MARKS = " \t\n«»\"„“”'.,:;—–-"


@dataclass(frozen=True)
class Attribution:
    """One attribution, gold or system: content span, kind, cue span, speaker span and name."""

    start: int
    end: int
    kind: str
    cue: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None
    speaker: str | None = None


System = Callable[[object], list[Attribution]]


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    return strip_span(text, start, end, _MARKS)


# -- the gold ------------------------------------------------------------------------------------------


def _span(row: dict, a: str, b: str) -> tuple[int, int] | None:
    return (row[a], row[b]) if row.get(a) is not None and row.get(b) is not None else None


def load_gold(path: Path = GOLD_PATH, annotation_pass: int = 1) -> dict[str, tuple[str, list[Attribution]]]:
    """doc id -> (split, attributions) of one annotation pass (1: the gold; 2: the second pass of the
    agreement sample)."""
    out: dict[str, tuple[str, list[Attribution]]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            row = json.loads(line)
            if row.get("pass", 1) != annotation_pass:
                continue
            doc = row["doc"]
            entry = out.setdefault(doc, (row["split"], []))
            if row["kind"] == "doc":
                continue
            entry[1].append(Attribution(row["start"], row["end"], row["kind"], _span(row, "cue_start", "cue_end"),
                                        _span(row, "speaker_start", "speaker_end"), row.get("speaker")))
    return out


def devset_folder(path: Path) -> Path:
    """The folder holding the ``book_*.txt`` files: ``path`` or its ``devset``."""
    return path / "devset" if (path / "devset").is_dir() else path


def read_text(folder: Path, doc_id: str) -> str:
    return (devset_folder(folder) / f"{doc_id}.txt").read_text(encoding="utf-8")


# -- systems --------------------------------------------------------------------------------------------


def tacitus_system(doc) -> list[Attribution]:
    from tacitus.extract.quotes_ru import attributions_ru

    return [Attribution(q.start, q.end, q.kind, cue,
                        (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None, q.speaker)
            for q, cue in attributions_ru(doc)]


_BASE_QUOTE = re.compile(r"«([^«»\n]+)»|„([^„“\n]+)“|\"([^\"\n]+)\"")


def baseline_system(doc) -> list[Attribution]:
    """Quote marks only, the nearest PERSON before as speaker, the nearest cue word of the sentence."""
    from tacitus.extract.quotes_ru import CUES_RU
    from tacitus.nlp.russian import normal_form

    text = doc.text
    persons = [e for e in doc.ents if e.label_ == "PERSON"]
    out = []
    for m in _BASE_QUOTE.finditer(text):
        g = next(k for k in (1, 2, 3) if m.group(k) is not None)
        s, e = trim(text, m.start(g), m.end(g))
        if len(text[s:e].split()) < 3:
            continue
        before = [p for p in persons if p.end_char <= m.start()]
        speaker = before[-1] if before else None
        span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
        cue = None
        if span is not None:
            sent = span[0].sent
            cands = [t for t in sent if t.lemma_ in CUES_RU and not (m.start() <= t.idx < m.end())]
            if cands:
                t = min(cands, key=lambda t: min(abs(t.idx - m.start()), abs(t.idx - m.end())))
                cue = (t.idx, t.idx + len(t.text))
        span_, name = None, None
        if speaker is not None:
            span_ = (speaker.start_char, speaker.end_char)
            name = normal_form(doc, speaker.start_char, speaker.end_char) or speaker.text
        out.append(Attribution(s, e, "direct", cue, span_, name))
    return out


# -- matching and scores ----------------------------------------------------------------------------------


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(text: str, gold: Sequence[Attribution], system: Sequence[Attribution],
          exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) pairs, best overlap first (trimmed content spans)."""
    gs = [trim(text, g.start, g.end) for g in gold]
    ss = [trim(text, q.start, q.end) for q in system]
    cands = []
    for i, g in enumerate(gs):
        for j, q in enumerate(ss):
            if exact:
                if g == q:
                    cands.append((1.0, i, j))
                continue
            inter = _overlap(g, q)
            union = max(g[1], q[1]) - min(g[0], q[0])
            if inter and union and inter / union >= 0.5:
                cands.append((inter / union, i, j))
    pairs, used_g, used_s = [], set(), set()
    for _, i, j in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_g and j not in used_s:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    return pairs


def _norm(name: str | None) -> str:
    return " ".join(re.sub(r"[«»\"„“”]", "", (name or "")).casefold().replace("ё", "е").split())


def same_person(a: str | None, b: str | None) -> bool:
    """Equal names after case folding, or one name's words are the end of the other's ("Петров" and
    "Иван Петров")."""
    x, y = _norm(a).split(), _norm(b).split()
    if not x or not y:
        return False
    if x == y or (len(x) > 1 and len(y) > 1 and x[0] == y[0] and x[-1] == y[-1]):
        return True  # also with and without a patronymic
    short, long_ = (x, y) if len(x) < len(y) else (y, x)
    return long_[-len(short):] == short


def speaker_ok(g: Attribution, q: Attribution) -> bool:
    if g.speaker is None and g.speaker_span is None:
        return q.speaker is None and q.speaker_span is None
    if g.speaker_span is not None and q.speaker_span is not None and _overlap(g.speaker_span, q.speaker_span):
        return True
    return same_person(g.speaker, q.speaker)


@dataclass
class Scores:
    found: PRF
    exact: PRF
    speaker: PRF
    cue: PRF
    direct: PRF  # recall over the gold's direct quotes (fp unused)
    indirect: PRF

    def as_dict(self) -> dict:
        return {k: getattr(self, k).as_dict() for k in ("found", "exact", "speaker", "cue", "direct", "indirect")}


def new_scores(system: str) -> Scores:
    return Scores(*(PRF(system) for _ in range(6)))


def score_document(scores: Scores, text: str, gold: Sequence[Attribution], system: Sequence[Attribution]) -> None:
    for prf, exact in ((scores.found, False), (scores.exact, True)):
        n = len(match(text, gold, system, exact))
        prf.tp += n
        prf.fp += len(system) - n
        prf.fn += len(gold) - n
    pairs = match(text, gold, system)
    right = sum(1 for i, j in pairs if speaker_ok(gold[i], system[j]))
    scores.speaker.tp += right
    scores.speaker.fp += len(system) - right
    scores.speaker.fn += len(gold) - right
    matched = {i for i, _ in pairs}
    for kind, prf in (("direct", scores.direct), ("indirect", scores.indirect)):
        idx = [i for i, g in enumerate(gold) if g.kind == kind]
        prf.tp += sum(1 for i in idx if i in matched)
        prf.fn += sum(1 for i in idx if i not in matched)
    gc = sorted({g.cue for g in gold if g.cue is not None})
    sc = sorted({q.cue for q in system if q.cue is not None})
    used: set[int] = set()
    tp = 0
    for c in gc:
        j = next((j for j, s in enumerate(sc) if j not in used and _overlap(c, s)), None)
        if j is not None:
            used.add(j)
            tp += 1
    scores.cue.tp += tp
    scores.cue.fp += len(sc) - tp
    scores.cue.fn += len(gc) - tp


def default_systems() -> dict[str, System]:
    return {"Tacitus": tacitus_system, "baseline (quote marks, nearest person)": baseline_system}


def evaluate(folder: Path | None = None, systems: dict[str, System] | None = None, gold_path: Path = GOLD_PATH,
             analyser=None, docs: Iterable[str] | None = None, progress: Callable[[], None] | None = None) -> dict:
    """Scores of each system on the gold, by split (dev, held_out, all)."""
    from tacitus.nlp.russian import RussianAnalyser

    folder = folder or SHARED_DEFAULT
    systems = systems or default_systems()
    analyser = analyser or RussianAnalyser()
    gold = load_gold(gold_path)
    wanted = set(docs) if docs is not None else None
    table = {name: {split: new_scores(name) for split in SPLITS} for name in systems}
    counts = {split: {"documents": 0, "attributions": 0, "direct": 0, "indirect": 0} for split in SPLITS}
    for doc_id, (split, attrs) in sorted(gold.items()):
        if wanted is not None and doc_id not in wanted:
            continue
        text = read_text(folder, doc_id)
        doc = analyser(text)
        for sp in (split, "all"):
            counts[sp]["documents"] += 1
            counts[sp]["attributions"] += len(attrs)
            counts[sp]["direct"] += sum(1 for a in attrs if a.kind == "direct")
            counts[sp]["indirect"] += sum(1 for a in attrs if a.kind == "indirect")
        for name, system in systems.items():
            found = system(doc)
            for sp in (split, "all"):
                score_document(table[name][sp], text, attrs, found)
        if progress is not None:
            progress()
    return {"gold": str(gold_path.name), "counts": counts,
            "systems": {name: {sp: table[name][sp].as_dict() for sp in SPLITS} for name in systems}}


def agreement(gold_path: Path = GOLD_PATH, folder: Path | None = None) -> dict:
    """The second annotation pass scored against the first on the documents it covers (the same
    matching as the evaluation), plus kind agreement on matched pairs."""
    folder = folder or SHARED_DEFAULT
    first, second = load_gold(gold_path, 1), load_gold(gold_path, 2)
    scores = new_scores("pass 2 vs pass 1")
    kind_same = pairs_n = 0
    for doc_id, (_split, attrs2) in sorted(second.items()):
        attrs1 = first.get(doc_id, ("", []))[1]
        text = read_text(folder, doc_id)
        score_document(scores, text, attrs1, attrs2)
        for i, j in match(text, attrs1, attrs2):
            pairs_n += 1
            kind_same += attrs1[i].kind == attrs2[j].kind
    return {"documents": sorted(second), "pass1": sum(len(first[d][1]) for d in second if d in first),
            "pass2": sum(len(a) for _s, a in second.values()), "scores": scores.as_dict(),
            "kind_agreement": round(kind_same / pairs_n, 3) if pairs_n else None, "matched": pairs_n}


def report_lines(result: dict) -> list[str]:
    lines = []
    for split in SPLITS:
        c = result["counts"][split]
        lines.append(f"{split}: {c['documents']} documents, {c['attributions']} attributions "
                     f"({c['direct']} direct, {c['indirect']} indirect)")
        for name, by_split in result["systems"].items():
            s = by_split[split]
            lines.append(
                f"  {name:40s} found P {s['found']['precision']:.3f} R {s['found']['recall']:.3f} "
                f"F1 {s['found']['f1']:.3f} | exact F1 {s['exact']['f1']:.3f} | speaker P {s['speaker']['precision']:.3f} "
                f"R {s['speaker']['recall']:.3f} F1 {s['speaker']['f1']:.3f} | cue F1 {s['cue']['f1']:.3f} | "
                f"recall direct {s['direct']['recall']:.3f} indirect {s['indirect']['recall']:.3f}")
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from tacitus.nlp.blas import BlasThreads

    parser = argparse.ArgumentParser(prog="python -m tacitus.evaluate.quotes_ru", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=SHARED_DEFAULT, help="the factRuEval folder or its devset")
    parser.add_argument("--gold", type=Path, default=GOLD_PATH)
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    parser.add_argument("--agreement", action="store_true", help="score the second annotation pass against the first")
    args = parser.parse_args(argv)
    if not devset_folder(args.dir).is_dir():
        sys.stderr.write(f"no factRuEval devset at {args.dir}\n")
        return 2
    blas = BlasThreads(1)
    try:
        result = agreement(args.gold, args.dir) if args.agreement else evaluate(args.dir, gold_path=args.gold)
    finally:
        blas.restore()
    if args.json or args.agreement:
        sys.stdout.write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write("\n".join(report_lines(result)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
