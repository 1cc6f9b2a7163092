"""Sentence triage: run the dependency parser only on the sentences some extractor needs.

With the setting ``triage`` on, the pipeline runs without its parser: the model's statistical
sentence segmenter (``senter``) splits the text, and the component ``tacitus_triage`` (placed after
NER, before the Tacitus extractors) asks of each sentence whether an extractor that reads the parse
could find something in it:

- a quote mark or a speech cue (a speech verb, "according to"): a quote may be there, and an
  indirect quote's speaker may be any noun phrase;
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
from dataclasses import dataclass
from typing import Callable, Iterable

import numpy as np
from spacy.attrs import DEP, HEAD
from spacy.language import Language
from spacy.tokens import Doc

from tacitus.extract.actors import ACTOR_LABELS, GROUP_TERMS
from tacitus.extract.lexicon import Lexicon
from tacitus.extract.quotes import SPEECH_VERBS

QUOTE_MARKS = frozenset('"“”«»„')
_QUOTE_RE = re.compile('["“”«»„]')
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
    starts = {t.i for t in doc if t.is_sent_start} | {0}
    for t in doc:
        if t.is_space and "\n" in t.text:
            starts.discard(t.i)
            if t.i + 1 < n:
                if t.i >= 2 and doc[t.i - 1].text in QUOTE_MARKS and doc[t.i - 2].text in _SENT_END:
                    starts.discard(t.i + 1)
                    starts.add(t.i - 1)
                else:
                    starts.add(t.i + 1)
    order = sorted(starts)
    return [(s, e) for s, e in zip(order, order[1:] + [n]) if e > s]


class Triage:
    """Decides which sentences to parse and parses them (see the module docstring)."""

    def __init__(self, parser, lexicon: Lexicon, role_words: Iterable[str], sector_of: Callable[[str], str | None],
                 fallback: Callable[[str], tuple[str, float]] | None = None, fallback_threshold: float = 1.0,
                 dep_rules=None, lemmatizer=None):
        self.parser = parser
        self.dep_rules = dep_rules
        self.lemmatizer = lemmatizer
        self.triggers = frozenset(lemma for lemma, _pos in lexicon.by_key)
        self.role_words = frozenset(w.casefold() for w in role_words)
        self.sector_of = sector_of
        self.fallback = fallback
        # a margin below the event stage's threshold: sentence boundaries may differ a little from the parser's
        self.fallback_threshold = max(0.0, fallback_threshold - 0.15)
        self.stats = TriageStats()

    # -- the predicate ---------------------------------------------------------------------------
    def needs_parse(self, doc: Doc, start: int, end: int) -> bool:
        span = doc[start:end]
        text = span.text
        if _QUOTE_RE.search(text):
            return True  # a direct quote, or a quoted claim: actor and speech cue at once
        ents = [e for e in span.ents if e.label_ in ACTOR_LABELS]
        actor = bool(ents) or bool(_GROUP_RE.search(text))
        event = False
        role = False
        sector = False
        for t in span:
            low = t.lower_
            lemma = t.lemma_.lower()
            if not actor and (low in PRONOUNS or low in self.role_words or lemma in self.role_words):
                actor = True
            if lemma in SPEECH_VERBS or low in SPEECH_FORMS or low == "according":
                return True  # a speech cue: an indirect quote's speaker may be any noun ("relief groups warn")
            if lemma in self.triggers or low in self.triggers:
                event = True
            if low in self.role_words or lemma in self.role_words:
                role = True
            if self.sector_of(low) or self.sector_of(lemma):
                sector = True
                actor = True
        if actor and event:
            return True
        labels = {e.label_ for e in ents}
        if role and "PERSON" in labels:
            return True  # "Maria Zakharova, the foreign ministry spokeswoman": a dated role
        if sector and labels & {"NORP", "GPE"}:
            return True  # "Russian officials", "Pakistan's army": a composed actor
        if actor and self.fallback is not None:
            label, p = self.fallback(text)
            if label != "NONE" and p >= self.fallback_threshold:
                return True
        return False

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

    def _apply_dep_rules(self, doc: Doc) -> None:
        """The model's attribute rules that read the parse (an ``aux`` is AUX, a ``mark`` SCONJ, ...) ran
        before there was one: apply them now, and lemmatise again the tokens whose part of speech they
        change (unless a rule, not the lemmatiser, gave the lemma)."""
        lem = self.lemmatizer
        before = {}
        if lem is not None:
            for t in doc:
                before[t.i] = (t.pos, t.lemma, lem.lemmatize(t)[0])
        self.dep_rules(doc)
        if lem is None:
            return
        for t in doc:
            pos, lemma, computed = before[t.i]
            if t.pos != pos and doc.vocab.strings[lemma] == computed:
                t.lemma_ = lem.lemmatize(t)[0]

    # -- parsing ---------------------------------------------------------------------------------
    @staticmethod
    def _piece(doc: Doc, start: int, end: int) -> Doc:
        """Tokens ``start:end`` as a new Doc with the full document's token vectors and no sentence
        boundaries set, so the parser splits it as it would split the full text."""
        tokens = doc[start:end]
        piece = Doc(doc.vocab, words=[t.text for t in tokens], spaces=[bool(t.whitespace_) for t in tokens])
        piece.tensor = doc.tensor[start:end]
        return piece

    def __call__(self, doc: Doc) -> Doc:
        ranges = sentence_ranges(doc)
        n = len(doc)
        if n == 0:
            return doc
        keep = self._close_gaps(doc, ranges, [self.needs_parse(doc, s, e) for s, e in ranges])
        # consecutive selected sentences form one piece, parsed as the full parse would see it
        pieces: list[tuple[int, int]] = []
        for (s, e), k in zip(ranges, keep):
            if not k:
                continue
            if pieces and pieces[-1][1] == s:
                pieces[-1] = (pieces[-1][0], e)
            else:
                pieces.append((s, e))
        heads = np.zeros(n, dtype="int64")  # absolute head index
        deps = [""] * n
        for (s, e), k in zip(ranges, keep):
            if not k:
                for i in range(s, e):
                    heads[i] = s
                    deps[i] = "dep"
                deps[s] = "ROOT"
        if pieces and (doc.tensor is None or doc.tensor.size == 0):
            raise ValueError("sentence triage needs the document's token vectors (tok2vec before the parser)")
        subdocs = [self._piece(doc, s, e) for s, e in pieces]
        if subdocs:
            for sub, parsed in zip(pieces, self.parser.pipe(subdocs)):
                s, _e = sub
                for t in parsed:
                    heads[s + t.i] = s + t.head.i
                    deps[s + t.i] = t.dep_
        strings = doc.vocab.strings
        arr = np.zeros((n, 2), dtype="uint64")
        arr[:, 0] = (heads - np.arange(n, dtype="int64")).astype("uint64")
        arr[:, 1] = [strings.add(d) for d in deps]
        doc.from_array([HEAD, DEP], arr)
        if self.dep_rules is not None and pieces:
            self._apply_dep_rules(doc)
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

        patterns = [p for p in nlp.get_pipe("attribute_ruler").patterns
                    if "DEP" in p["attrs"] or any("DEP" in t for pat in p["patterns"] for t in pat)]
        if patterns:
            dep_rules = AttributeRuler(nlp.vocab, name="tacitus_triage_dep_rules")
            dep_rules.add_patterns(patterns)
    if "lemmatizer" in nlp.component_names and hasattr(nlp.get_pipe("lemmatizer"), "lemmatize"):
        lemmatizer = nlp.get_pipe("lemmatizer")
    return Triage(nlp.get_pipe(parser), Lexicon.load(), kb.role_words, kb.sector_of, fallback, fallback_threshold,
                  dep_rules, lemmatizer)
