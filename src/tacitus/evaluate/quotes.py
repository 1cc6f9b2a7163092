"""`tacitus eval quotes`: quote spans and speaker attribution on PolNeAR and on our demo gold, beside textacy.

Matching: a system quote matches a gold attribution when their content spans overlap by at least half
of their union (characters, after trimming quote marks and spaces), one to one, best overlap first;
*exact* matching compares the trimmed spans. A speaker is right when the matched quote's speaker words
overlap a gold source span (PolNeAR), or when its name equals the gold speaker (demo gold: canonical
names; descriptions of anonymous or institutional speakers may contain one another). Precision counts
over the system's quotes, recall over the gold attributions. textacy's ``direct_quotations`` runs on
the same spaCy Docs; it finds direct quotes only, so both systems are also scored on the gold
attributions whose content is in quote marks.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from tacitus.evaluate.common import PRF, read_article, strip_span

_MARKS = "\"'“”‘’«»„ \n\t,."


@dataclass
class GoldQuote:
    start: int
    end: int
    sources: list[tuple[int, int]] = field(default_factory=list)
    direct: bool = False
    speaker: str | None = None  # demo gold: the canonical speaker
    speaker_kind: str | None = None
    kind: str | None = None
    cues: list[tuple[int, int]] = field(default_factory=list)  # PolNeAR: the cue's pieces


@dataclass
class SysQuote:
    start: int
    end: int
    speaker_span: tuple[int, int] | None
    speaker: str | None
    direct: bool


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    return strip_span(text, s, e, _MARKS)


def _is_direct(text: str, s: int, e: int) -> bool:
    before = text[max(0, s - 2):s + 1]
    after = text[max(0, e - 1):e + 2]
    return any(m in before for m in "\"“«„") and any(m in after for m in "\"”»“")


def polnear_documents(folder: Path, split: str = "dev", limit: int | None = None) -> Iterator[tuple[str, str, list[GoldQuote]]]:
    """(name, text, attributions) of a PolNeAR split; the first annotator's file of each text."""
    texts = folder / "data" / split / "text"
    anns = folder / "data" / split / "attributions"
    seen: set[str] = set()
    n = 0
    for ann in sorted(anns.glob("*.ann")):
        name = re.sub(r"_[0-9a-f]{4}$", "", ann.stem)
        if name in seen or not (texts / f"{name}.txt").exists():
            continue
        seen.add(name)
        text = (texts / f"{name}.txt").read_text(encoding="utf-8")
        yield name, text, parse_ann(ann.read_text(encoding="utf-8"), text)
        n += 1
        if limit is not None and n >= limit:
            return


def parse_ann(ann: str, text: str) -> list[GoldQuote]:
    spans: dict[str, tuple[str, list[tuple[int, int]]]] = {}
    relations = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, ranges = parts[1].partition(" ")
            pieces = []
            for r in ranges.split(";"):
                a, _, b = r.strip().partition(" ")
                if a.isdigit() and b.isdigit():
                    pieces.append((int(a), int(b)))
            spans[parts[0]] = (label, pieces)
        elif line.startswith("E") and len(parts) >= 2:
            relations.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
    out = []
    for rel in relations:
        content = spans.get(rel.get("Content", ""))
        if not content or not content[1]:
            continue
        s, e = _trim(text, min(a for a, _ in content[1]), max(b for _, b in content[1]))
        if e <= s:
            continue
        source = spans.get(rel.get("Source", ""))
        cue = spans.get(rel.get("Cue", ""))
        out.append(GoldQuote(s, e, list(source[1]) if source else [], _is_direct(text, s, e),
                             cues=list(cue[1]) if cue else []))
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match(gold: Sequence[GoldQuote], system: Sequence[SysQuote], exact: bool = False) -> list[tuple[int, int]]:
    """One-to-one (gold index, system index) pairs, best overlap first."""
    cands = []
    for i, g in enumerate(gold):
        for j, q in enumerate(system):
            if exact:
                if (g.start, g.end) == (q.start, q.end):
                    cands.append((1.0, i, j))
                continue
            inter = _overlap((g.start, g.end), (q.start, q.end))
            union = max(g.end, q.end) - min(g.start, q.start)
            if inter and inter / union >= 0.5:
                cands.append((inter / union, i, j))
    pairs, used_g, used_s = [], set(), set()
    for _, i, j in sorted(cands, reverse=True):
        if i not in used_g and j not in used_s:
            pairs.append((i, j))
            used_g.add(i)
            used_s.add(j)
    return pairs


def tacitus_quotes(doc) -> list[SysQuote]:
    """Our quotes, less those nested inside another of ours (a partial quote within the reported
    speech that carries it): the gold sets annotate each token in at most one attribution."""
    out = []
    quotes = list(doc._.tacitus_quotes or [])
    for q in quotes:
        if any(o is not q and o.start <= q.start and q.end <= o.end and (o.end - o.start) > (q.end - q.start)
               for o in quotes):
            continue
        s, e = _trim(doc.text, q.start, q.end)
        if e > s:
            span = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else None
            out.append(SysQuote(s, e, span, q.speaker, q.kind == "direct"))
    return out


def textacy_quotes(doc) -> list[SysQuote]:
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # textacy gives up on some pages (unbalanced marks); that is its score
        return out
    for t in triples:
        s, e = _trim(doc.text, t.content.start_char, t.content.end_char)
        span = (min(x.idx for x in t.speaker), max(x.idx + len(x) for x in t.speaker)) if t.speaker else None
        name = " ".join(x.text for x in t.speaker) if t.speaker else None
        if e > s:
            out.append(SysQuote(s, e, span, name, True))
    return out


@dataclass
class Scores:
    spans: PRF
    exact: PRF
    speaker: PRF
    direct_spans: PRF
    direct_speaker: PRF

    def as_dict(self) -> dict:
        return {k: getattr(self, k).as_dict() for k in ("spans", "exact", "speaker", "direct_spans", "direct_speaker")}


def _new(system: str) -> Scores:
    return Scores(PRF(system), PRF(system), PRF(system), PRF(system), PRF(system))


def count_matches(overlap: PRF, exact: PRF, gold: Sequence[GoldQuote], system: Sequence[SysQuote]) -> list[tuple[int, int]]:
    """Adds one document's overlapping and exact span matches to ``overlap`` and ``exact``; the
    overlapping pairs."""
    for prf, is_exact in ((overlap, False), (exact, True)):
        n = len(match(gold, system, is_exact))
        prf.tp += n
        prf.fp += len(system) - n
        prf.fn += len(gold) - n
    return match(gold, system)


def score_doc(scores: Scores, gold: Sequence[GoldQuote], system: Sequence[SysQuote],
              speaker_ok: Callable[[GoldQuote, SysQuote], bool], direct_only_system: bool = False) -> None:
    pairs = count_matches(scores.spans, scores.exact, gold, system)
    right = sum(1 for i, j in pairs if speaker_ok(gold[i], system[j]))
    scores.speaker.tp += right
    scores.speaker.fp += len(system) - right
    scores.speaker.fn += len(gold) - right
    gd = [g for g in gold if g.direct]
    sd = [q for q in system if q.direct]
    pairs = match(gd, sd)
    scores.direct_spans.tp += len(pairs)
    scores.direct_spans.fp += len(sd) - len(pairs)
    scores.direct_spans.fn += len(gd) - len(pairs)
    right = sum(1 for i, j in pairs if speaker_ok(gd[i], sd[j]))
    scores.direct_speaker.tp += right
    scores.direct_speaker.fp += len(sd) - right
    scores.direct_speaker.fn += len(gd) - right


def _source_overlap(g: GoldQuote, q: SysQuote) -> bool:
    return q.speaker_span is not None and any(_overlap(src, q.speaker_span) for src in g.sources)


def evaluate_polnear(folder: Path, nlp, split: str = "dev", limit: int | None = None,
                     advance: Callable[[], None] | None = None) -> dict:
    ours, base = _new("Tacitus"), _new("textacy 0.13 direct_quotations")
    docs = gold_n = 0
    for _name, text, gold in polnear_documents(folder, split, limit):
        doc = nlp(text)
        score_doc(ours, gold, tacitus_quotes(doc), _source_overlap)
        score_doc(base, gold, textacy_quotes(doc), _source_overlap)
        docs += 1
        gold_n += len(gold)
        if advance:
            advance()
    return {"documents": docs, "attributions": gold_n, "split": split,
            "systems": [ours.as_dict(), base.as_dict()]}


# -- claims on PolNeAR: attributions whose cue denies, confirms or alleges -------------------------------

ALLEGING_CUES = frozenset("allege accuse claim charge suspect blame".split())


def cue_stance(text: str, g: GoldQuote) -> str | None:
    """denies, confirms or alleges for a gold attribution whose cue is a denying, confirming or alleging
    verb ("denied", "acknowledged", "accused"); None for other cues ("said", "according to")."""
    from tacitus.extract.quotes import CONFIRM_VERBS, DENY_VERBS, _bases

    for a, b in g.cues:
        for word in text[a:b].lower().split():
            forms = _bases(word.strip(".,;:\"'"))
            if forms & DENY_VERBS:
                return "denies"
            if forms & CONFIRM_VERBS:
                return "confirms"
            if forms & ALLEGING_CUES:
                return "alleges"
    return None


def evaluate_polnear_claims(folder: Path, nlp, split: str = "dev", limit: int | None = None,
                            advance: Callable[[], None] | None = None) -> dict:
    """Claims recall on real text: PolNeAR attributions whose cue denies, confirms or alleges ("denied",
    "accused", "acknowledged"), and whether Tacitus stores a claim on their content (overlapping it) with
    that stance. Precision: of Tacitus's claims whose content overlaps a stance-cued attribution, the share
    with the attribution's stance; ``claims_precision_all``: the same share of all Tacitus's claims in
    those documents (a claim on no stance-cued attribution counts as wrong). The quotes row shows the
    same for Tacitus's quotes (stance of their cue)."""
    from tacitus.extract.quotes import stance_of

    gold_n = 0
    by_stance: dict[str, dict[str, int]] = {}
    claim_tp = quote_tp = 0
    claim_on = claim_right = claims_all = 0
    docs = 0
    for _name, text, gold in polnear_documents(folder, split, limit):
        doc = nlp(text)
        docs += 1
        cued = [(g, st) for g in gold if (st := cue_stance(text, g)) is not None]
        claims = doc._.tacitus_claims or []
        quotes = doc._.tacitus_quotes or []
        for g, st in cued:
            gold_n += 1
            row = by_stance.setdefault(st, {"gold": 0, "claim": 0, "quote": 0})
            row["gold"] += 1
            if any(c.start < g.end and g.start < c.end and c.stance == st for c in claims):
                claim_tp += 1
                row["claim"] += 1
            if any(q.start < g.end and g.start < q.end and stance_of(q.cue) == st for q in quotes):
                quote_tp += 1
                row["quote"] += 1
        for c in claims:
            claims_all += 1
            on = [st for g, st in cued if c.start < g.end and g.start < c.end]
            if on:
                claim_on += 1
                claim_right += c.stance in on
        if advance:
            advance()
    return {"documents": docs, "split": split, "attributions": gold_n,
            "claims_recall": round(claim_tp / gold_n, 3) if gold_n else None,
            "claims_precision": round(claim_right / claim_on, 3) if claim_on else None,
            "claims_on_cued": claim_on, "claims": claims_all,
            "claims_precision_all": round(claim_right / claims_all, 3) if claims_all else None,
            "quotes_recall": round(quote_tp / gold_n, 3) if gold_n else None,
            "by_stance": by_stance}


# -- our demo gold ---------------------------------------------------------------------------------


def load_demo_gold(path: Path) -> dict[str, list[dict]]:
    by_file: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_file.setdefault(row["file"], []).append(row)
    return by_file


def _norm(name: str | None) -> str:
    return " ".join((name or "").casefold().replace("’", "'").split())


def _name_ok(g: GoldQuote, q: SysQuote) -> bool:
    ours, gold = _norm(q.speaker), _norm(g.speaker)
    if not ours or not gold:
        return False
    if ours == gold:
        return True
    if g.speaker_kind in ("anonymous", "institutional", "none"):
        return gold in ours or ours in gold
    return False


def evaluate_demo(gold_path: Path, corpus: Path, nlp, reader) -> dict:
    from tacitus.nlp.engine import make_doc

    gold_by_file = load_demo_gold(gold_path)
    ours, base = _new("Tacitus"), _new("textacy 0.13 direct_quotations")
    by_kind: dict[str, list[int]] = {}
    unfound = 0
    rows = 0
    for name, rows_ in sorted(gold_by_file.items()):
        path = corpus / name
        if not path.exists():
            unfound += len(rows_)
            continue
        article = read_article(reader, path)
        doc = nlp(make_doc(nlp, article))
        text = doc.text
        gold: list[GoldQuote] = []
        cursor: dict[str, int] = {}
        for r in rows_:
            rows += 1
            content = r["content"]
            at = text.find(content, cursor.get(content, 0))
            if at < 0:
                at = text.find(content)
            if at < 0:
                unfound += 1
                continue
            cursor[content] = at + 1
            s, e = _trim(text, at, at + len(content))
            gold.append(GoldQuote(s, e, [], r["kind"] == "direct" or (r["kind"] == "partial"),
                                  r["speaker"], r["speaker_kind"], r["kind"]))
        system = tacitus_quotes(doc)
        score_doc(ours, gold, system, _name_ok)
        score_doc(base, gold, textacy_quotes(doc), _name_ok)
        for i, j in match(gold, system):
            by_kind.setdefault(gold[i].speaker_kind or "none", [0, 0])[0] += 1
            by_kind[gold[i].speaker_kind or "none"][1] += int(_name_ok(gold[i], system[j]))
        for g in gold:
            by_kind.setdefault(g.speaker_kind or "none", [0, 0])
    kinds = {k: {"matched": v[0], "speaker_right": v[1]} for k, v in sorted(by_kind.items())}
    gold_counts: dict[str, int] = {}
    for rows_ in gold_by_file.values():
        for r in rows_:
            gold_counts[r["speaker_kind"]] = gold_counts.get(r["speaker_kind"], 0) + 1
    for k, n in gold_counts.items():
        kinds.setdefault(k, {"matched": 0, "speaker_right": 0})["gold"] = n
    return {"rows": rows, "articles": len(gold_by_file), "content_not_found": unfound,
            "systems": [ours.as_dict(), base.as_dict()], "by_speaker_kind": kinds}


# -- claims on our demo gold ---------------------------------------------------------------------------


def _gold_root(name: str, kb) -> str:
    """A gold actor name as a proposition root: its KB code reduced like ours ("Afghan government" -> AFG)."""
    from tacitus.extract.claims import root_code

    a = kb.lookup(name) or kb.lookup(name.removeprefix("the ").strip())
    if a is None:
        words = name.split()
        st = kb.state(words[0]) if words else None
        if st is not None and len(words) > 1 and kb.sector_of(words[-1]):
            return root_code(f"{st.code} {kb.sector_of(words[-1])}")
        return _norm(name)
    return root_code(a.code, a.id)


def evaluate_claims(gold_path: Path, corpus: Path, nlp, reader, kb) -> dict:
    """Claims per article as (subject, relation family, object) sets: the proposition alone, with its
    stance, and with stance and claimant (claimant by name, as speakers are scored)."""
    from tacitus.extract.claims import FAMILIES, root_code
    from tacitus.nlp.engine import make_doc

    by_file: dict[str, list[dict]] = {}
    with gold_path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            by_file.setdefault(row["file"], []).append(row)
    prop, stance, claimant = PRF("Tacitus: proposition"), PRF("Tacitus: + stance"), PRF("Tacitus: + stance + claimant")
    for name, rows in sorted(by_file.items()):
        path = corpus / name
        if not path.exists():
            continue
        doc = nlp(make_doc(nlp, read_article(reader, path)))

        def fam(rel: str) -> str:
            return FAMILIES.get(rel, rel.lower())

        gold = [(_gold_root(r["subject"], kb), fam(r["relation"]), _gold_root(r["object"], kb), r["stance"],
                 _norm(r["claimant"])) for r in rows]
        ours = [(root_code(c.subject.code, c.subject.id), fam(c.relation),
                 root_code(c.object.code, c.object.id) if c.object else "", c.stance, _norm(c.claimant))
                for c in doc._.tacitus_claims or [] if c.subject is not None]  # statement claims have no proposition
        prop.add({g[:3] for g in gold}, {o[:3] for o in ours})
        stance.add({g[:4] for g in gold}, {o[:4] for o in ours})
        claimant.add(set(gold), set(ours))
    return {"articles": len(by_file), "rows": sum(len(v) for v in by_file.values()),
            "systems": [prop.as_dict(), stance.as_dict(), claimant.as_dict()]}
