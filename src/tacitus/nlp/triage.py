"""Sentence triage: run the dependency parser only on the sentences some extractor needs.

With the setting ``triage`` on, the pipeline runs without its parser: the model's statistical
sentence segmenter (``senter``) splits the text, and the component ``tacitus_triage`` (placed after
NER, before the Tacitus extractors) asks of each sentence whether an extractor that reads the parse
could find something in it:

- a quote mark (double, or a single mark where one can open a quote), a transcript line
  ("LAVROV: ..."), or a cue word of the quote stage (speech, intent, denial, confirmation and
  allegation verbs, claim nouns; "according to"): a quote or claim may be there, and an indirect
  quote's speaker may be any noun phrase;
- an *actor cue* (an actor-type entity: person, organisation, state, nationality; a group term, a
  subject pronoun, a role or sector word such as ``the envoy``, ``officials``) together with an
  *event cue*: a word whose lemma or form is a PLOVER trigger (verb or noun), or (when the fallback
  classifier is on) a positive fallback prediction;
- or a *role cue*: a person named with a role word ("X, the foreign ministry spokeswoman"), and a
  nationality or state next to a sector word ("Russian officials"), which the actors stage reads
  from the parse.

Consecutive selected sentences are parsed together as one piece of the document, with the token
vectors the full document already has (the parser reads ``doc.tensor``), so the parser sees what it
sees in a full parse and decides sentence boundaries inside the piece itself. The other sentences
get a flat tree (the first token is the root, the rest attach to it with the label ``dep``): the
cheap path, with entities, tags and lemmas but no syntax.

Boundaries from ``senter`` are adjusted to how the parser splits news copy: a line break always
ends a sentence, and a closing quote mark after a full stop at a line end opens the next one.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, LOWER, ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

from tacitus.extract.actors import ACTOR_LABELS, GROUP_TERMS
from tacitus.extract.lexicon import Lexicon
from tacitus.extract import quotes as _quotes
from tacitus.extract.spans import doc_text

QUOTE_MARKS = frozenset('"“”«»„')
# double marks anywhere; single marks where they can open a quote (not the apostrophe in "Russia's");
# transcript lines ("LAVROV: ..."), which the quote stage reads as speech
_QUOTE_RE = re.compile('["“”«»„‟″‘‚‹›]|(?:^|(?<=[\\s(\\[{—–/:;,-]))\'|^[ \t"“]*[A-Z][A-Z.\'’ -]{1,38}[A-Z.]:[ \t]',
                       re.M)
#: Words that cue a quote or a claim in the quote stage (whatever lists it has).
SPEECH_VERBS = frozenset().union(*(getattr(_quotes, name, frozenset()) for name in (
    "SPEECH_VERBS", "INTENT_VERBS", "DENY_VERBS", "CONFIRM_VERBS", "ALLEGE_VERBS", "CLAIM_NOUNS")))
_GROUP_RE = re.compile(r"\b(?:" + "|".join(GROUP_TERMS) + r")\b")
PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i"})
SPEECH_FORMS = frozenset(SPEECH_VERBS | {"said", "says", "added", "told", "stated", "noted", "warned", "insisted",
                                         "explained", "continued", "argued", "wrote", "claimed", "denied",
                                         "believes"})
_SENT_END = frozenset({".", "?", "!"})


@dataclass
class TriageStats:
    """Sentences and tokens seen and parsed (summed over the documents of one process)."""

    sentences: int = 0
    parsed_sentences: int = 0
    tokens: int = 0
    parsed_tokens: int = 0


def sentence_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of the sentences: senter's starts, adjusted at line breaks (see module doc)."""
    n = len(doc)
    if n == 0:
        return []
    flags = doc.to_array([SENT_START, IS_SPACE])
    starts = set(np.flatnonzero(flags[:, 0] == 1).tolist()) | {0}
    for i in np.flatnonzero(flags[:, 1]).tolist():
        t = doc[i]
        if "\n" not in t.text:
            continue
        starts.discard(i)
        if i + 1 < n:
            if i >= 2 and doc[i - 1].text in QUOTE_MARKS and doc[i - 2].text in _SENT_END:
                starts.discard(i + 1)
                starts.add(i - 1)
            else:
                starts.add(i + 1)
    order = sorted(starts)
    return [(s, e) for s, e in zip(order, order[1:] + [n]) if e > s]


class Triage:
    """Decides which sentences to parse and parses them (see the module docstring)."""

    def __init__(self, parser, lexicon: Lexicon, role_words: Iterable[str], sector_words: Iterable[str],
                 fallback: Callable[[str], tuple[str, float]] | None = None, fallback_threshold: float = 1.0,
                 dep_rules=None, lemmatizer=None):
        self.parser = parser
        self.dep_rules = dep_rules
        self.lemmatizer = lemmatizer
        self.triggers = frozenset(lemma for lemma, _pos in lexicon.by_key)
        self.role_words = frozenset(w.casefold() for w in role_words)
        self.sector_words = frozenset(w.casefold() for w in sector_words)
        self.fallback = fallback
        self._hashes: dict[int, dict[str, np.ndarray]] = {}  # per StringStore: word sets as hash arrays
        # a margin below the event stage's threshold: sentence boundaries may differ a little from the parser's
        self.fallback_threshold = max(0.0, fallback_threshold - 0.15)
        self.stats = TriageStats()

    # -- the predicate ---------------------------------------------------------------------------
    def _sets(self, doc: Doc) -> dict[str, np.ndarray]:
        key = id(doc.vocab.strings)
        found = self._hashes.get(key)
        if found is None:
            strings = doc.vocab.strings

            def h(words) -> np.ndarray:
                forms = {v for w in words for v in (w, w.capitalize(), w.upper())}
                return np.array(sorted(strings.add(w) for w in forms), dtype="uint64")

            found = {"pronoun": h(PRONOUNS), "role": h(self.role_words), "trigger": h(self.triggers),
                     "speech": h(SPEECH_VERBS | SPEECH_FORMS | {"according"}),
                     "sector": h(w for w in self.sector_words if " " not in w)}
            self._hashes = {key: found}
        return found

    def needs_parse_all(self, doc: Doc, ranges: list[tuple[int, int]]) -> list[bool]:
        """The predicate (see the module docstring) for every sentence of ``doc``, from token arrays."""
        sets = self._sets(doc)
        arr = doc.to_array([LOWER, LEMMA])
        lower, lemma = arr[:, 0], arr[:, 1]

        def any_of(name: str) -> np.ndarray:
            return np.isin(lower, sets[name]) | np.isin(lemma, sets[name])

        flags = np.stack([any_of("speech"), any_of("trigger"), any_of("pronoun") | any_of("role"),
                          any_of("role"), any_of("sector")], axis=1).astype("int64")
        starts = [s for s, _e in ranges]
        per = np.add.reduceat(flags, starts, axis=0) > 0  # (sentences, 5): speech, event, actor, role, sector
        text = doc_text(doc)
        sent_of_char = [doc[s].idx for s in starts]
        quoted = np.zeros(len(ranges), dtype=bool)
        grouped = np.zeros(len(ranges), dtype=bool)
        for rx, out in ((_QUOTE_RE, quoted), (_GROUP_RE, grouped)):
            for m in rx.finditer(text):
                out[bisect_right(sent_of_char, m.start()) - 1] = True
        labels: list[set[str]] = [set() for _ in ranges]
        for e in doc.ents:
            if e.label_ in ACTOR_LABELS:
                labels[bisect_right(starts, e.start) - 1].add(e.label_)
        keep = []
        for k, (s, e) in enumerate(ranges):
            speech, event, actor_word, role, sector = per[k]
            actor = bool(labels[k]) or grouped[k] or actor_word or sector
            if quoted[k] or speech:
                keep.append(True)  # a quote mark or a speech cue: an indirect quote's speaker may be any noun
            elif actor and event:
                keep.append(True)
            elif role and "PERSON" in labels[k]:
                keep.append(True)  # "Maria Zakharova, the foreign ministry spokeswoman": a dated role
            elif sector and labels[k] & {"NORP", "GPE"}:
                keep.append(True)  # "Russian officials", "Pakistan's army": a composed actor
            elif actor and self.fallback is not None:
                label, p = self.fallback(doc[s:e].text)
                keep.append(label != "NONE" and p >= self.fallback_threshold)
            else:
                keep.append(False)
        return keep

    def needs_parse(self, doc: Doc, start: int, end: int) -> bool:
        """The predicate for one sentence (token range) of ``doc``."""
        return self.needs_parse_all(doc[start:end].as_doc(), [(0, end - start)])[0]

    @staticmethod
    def _close_gaps(doc: Doc, ranges: list[tuple[int, int]], keep: list[bool]) -> list[bool]:
        """Also parse a sentence that sits between two parsed ones in the same paragraph, and a fragment
        (under five words, or no verb) next to a parsed one: where the segmenter cut a sentence the
        parser would not have ("“They [the Americans] came ..."), the parser must see the whole."""
        out = list(keep)

        def same_paragraph(a: int, b: int) -> bool:  # sentences a < b, adjacent
            return not any(t.is_space and "\n" in t.text for t in doc[ranges[a][0]:ranges[b][0]])

        for k, (s, e) in enumerate(ranges):
            if keep[k]:
                continue
            prev_kept = k > 0 and keep[k - 1] and same_paragraph(k - 1, k)
            next_kept = k + 1 < len(ranges) and keep[k + 1] and same_paragraph(k, k + 1)
            if prev_kept and next_kept:
                out[k] = True
            elif prev_kept or next_kept:
                words = [t for t in doc[s:e] if not (t.is_space or t.is_punct)]
                if len(words) < 5 or not any(t.pos_ in ("VERB", "AUX") for t in words):
                    out[k] = True
        return out

    def _apply_dep_rules(self, doc: Doc, pieces: list[tuple[int, int]]) -> None:
        """The model's attribute rules that read the parse (an ``aux`` is AUX, a ``mark`` SCONJ, ...) ran
        before there was one: apply them now inside the parsed pieces, and lemmatise again the tokens
        whose part of speech they change (unless a rule, not the lemmatiser, gave the lemma)."""
        inside = np.zeros(len(doc) + 1, dtype=bool)
        for s, e in pieces:
            inside[s:e] = True
        matches = [m for m in self.dep_rules.match(doc) if inside[m[2]:m[3]].all()]  # (rule, id, start, end)
        if not matches:
            return
        lem = self.lemmatizer
        touched = sorted({i for _a, _m, s, e in matches for i in range(s, e)})
        before = {i: (doc[i].pos, doc[i].lemma_, lem.lemmatize(doc[i])[0] if lem is not None else None)
                  for i in touched}
        self.dep_rules.set_annotations(doc, matches)
        if lem is None:
            return
        for i, (pos, lemma, computed) in before.items():
            t = doc[i]
            if t.pos != pos and lemma == computed:
                t.lemma_ = lem.lemmatize(t)[0]

    # -- parsing ---------------------------------------------------------------------------------
    @staticmethod
    def _piece(doc: Doc, start: int, end: int) -> Doc:
        """Tokens ``start:end`` as a new Doc with the full document's token vectors and no sentence
        boundaries set, so the parser splits it as it would split the full text."""
        strings = doc.vocab.strings
        arr = doc.to_array([ORTH, SPACY])[start:end]
        piece = Doc(doc.vocab, words=[strings[int(o)] for o in arr[:, 0]], spaces=arr[:, 1].astype(bool).tolist())
        piece.tensor = doc.tensor[start:end]
        return piece

    def __call__(self, doc: Doc) -> Doc:
        ranges = sentence_ranges(doc)
        n = len(doc)
        if n == 0:
            return doc
        keep = self._close_gaps(doc, ranges, self.needs_parse_all(doc, ranges))
        # consecutive selected sentences form one piece, parsed as the full parse would see it
        pieces: list[tuple[int, int]] = []
        for (s, e), k in zip(ranges, keep):
            if not k:
                continue
            if pieces and pieces[-1][1] == s:
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        if pieces and (doc.tensor is None or doc.tensor.size == 0):
            raise ValueError("sentence triage needs the document's token vectors (tok2vec before the parser)")
        strings = doc.vocab.strings
        # unparsed sentences: a flat tree, the first token the root (relative head offsets, as from_array wants)
        arr = np.zeros((n, 2), dtype="uint64")
        dep_id, root_id = strings.add("dep"), strings.add("ROOT")
        for (s, e), k in zip(ranges, keep):
            if not k:
                arr[s:e, 0] = (s - np.arange(s, e, dtype="int64")).astype("uint64")
                arr[s:e, 1] = dep_id
                arr[s, 1] = root_id
        subdocs = [self._piece(doc, s, e) for s, e in pieces]
        if subdocs:
            for (s, e), parsed in zip(pieces, self.parser.pipe(subdocs)):
                arr[s:e] = parsed.to_array([HEAD, DEP])  # offsets are the same within a contiguous piece
        doc.from_array([HEAD, DEP], arr)
        if self.dep_rules is not None and pieces:
            self._apply_dep_rules(doc, pieces)
        st = self.stats
        st.sentences += len(ranges)
        st.parsed_sentences += sum(keep)
        st.tokens += n
        st.parsed_tokens += sum(e - s for s, e in pieces)
        return doc


@Language.factory("tacitus_triage", requires=["doc.ents", "token.lemma", "doc.tensor"],
                  assigns=["token.dep", "token.head", "token.is_sent_start"],
                  default_config={"kb_files": [], "fallback_threshold": 0.6, "parser": "parser"})
def make_triage(nlp: Language, name: str, kb_files: list[str], fallback_threshold: float, parser: str) -> Triage:
    from tacitus.resolve.kb import KnowledgeBase

    kb = KnowledgeBase.load(kb_files)
    fallback = None
    if fallback_threshold < 1.0:
        def fallback(text: str) -> tuple[str, float]:
            from tacitus.extract.fallback import default_classifier

            return default_classifier().predict(text)
    dep_rules = lemmatizer = None
    if "attribute_ruler" in nlp.component_names:
        from spacy.pipeline import AttributeRuler

        from tacitus.nlp.fastrules import CompiledAttributeRuler

        patterns = [p for p in nlp.get_pipe("attribute_ruler").patterns
                    if "DEP" in p["attrs"] or any("DEP" in t for pat in p["patterns"] for t in pat)]
        if patterns:
            ruler = AttributeRuler(nlp.vocab, name="tacitus_triage_dep_rules")
            ruler.add_patterns(patterns)
            try:  # matched on the token arrays, as the pipeline's own ruler is
                dep_rules = CompiledAttributeRuler(ruler)
            except ValueError:  # rules it does not compile as a whole: spaCy's matcher
                dep_rules = ruler
    if "lemmatizer" in nlp.component_names and hasattr(nlp.get_pipe("lemmatizer"), "lemmatize"):
        lemmatizer = nlp.get_pipe("lemmatizer")
    return Triage(nlp.get_pipe(parser), Lexicon.load(), kb.role_words, kb.sector_words, fallback, fallback_threshold,
                  dep_rules, lemmatizer)
