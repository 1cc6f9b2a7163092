"""Russian text analysis with natasha, given to the extractors as a spaCy ``Doc``.

natasha 1.6.0 carries its models in the wheel (navec news embeddings, slovnet morphology, syntax and
NER) and needs no network. It imports ``pymorphy2``, whose last release fails on Python 3.11; its
maintained fork ``pymorphy3`` has the same API, so :func:`load_natasha` makes it importable under the
old name before natasha is imported (the Makefile installs natasha and yargy without their pinned
dependencies for this reason).

:func:`to_doc` turns natasha's analysis into a ``Doc`` on a vocabulary of its own: tokens with their
whitespace (offsets are the text's), universal POS tags, morphological features, lemmas, universal
dependencies, sentence starts and entities. NER labels are mapped to the labels the English model uses
(``PER`` -> ``PERSON``, ``LOC`` -> ``GPE`` or ``LOC``, ``ORG`` -> ``ORG``), and each entity's nominative
form (``Кабулова`` -> ``Кабулов``, ``Амиром Ханом Муттаки`` -> ``Амир Хан Муттаки``) is kept in
``doc.user_data`` (see :func:`normal_form`), which is what the knowledge base and the gazetteer are
asked for.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from tacitus.errors import TacitusError
from tacitus.nlp.engine import PARSE_CHUNK_CHARS

_NORMAL_KEY = ("tacitus", "ru_normal")

#: Places natasha labels LOC that are states, regions or cities (GPE) rather than geographic features
#: (LOC in the English model's scheme): the latter are told by their head noun.
_FEATURE_WORDS = frozenset("""река озеро море океан гора горы хребет залив пролив остров острова полуостров
долина пустыня перевал канал побережье берег""".split())


class RussianUnavailable(TacitusError):
    """natasha (or pymorphy3) is not installed."""


@dataclass
class NatashaModels:
    segmenter: Any
    morph_vocab: Any
    morph_tagger: Any
    syntax_parser: Any
    ner_tagger: Any
    lemmas: dict = field(default_factory=dict)  # (word, pos, feats) -> lemma: a word form's lemma is looked up once


#: Characters natasha is given at once: the English model's default piece (the engine passes the setting
#: ``parse_chunk_chars``).
CHUNK_CHARS = PARSE_CHUNK_CHARS
#: Word forms whose lemma is remembered (about 100 bytes each); the memory is cleared when full.
LEMMA_CACHE = 200_000


def load_natasha() -> NatashaModels:
    """natasha's segmenter, morphology vocabulary, tagger, parser and NER, loaded from its wheel."""
    try:
        import pymorphy3
    except ImportError as exc:  # pragma: no cover - the Makefile installs it
        raise RussianUnavailable("Russian needs pymorphy3 and pymorphy3-dicts-ru (make install)") from exc
    if "pymorphy2" not in sys.modules:
        try:
            import pymorphy2  # noqa: F401  # a working one, if present, is used as is
        except Exception:  # noqa: BLE001 - the 0.9.1 release fails to import on Python 3.11
            sys.modules["pymorphy2"] = pymorphy3
    try:
        from natasha import (MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser,
                             Segmenter)
    except ImportError as exc:  # pragma: no cover
        raise RussianUnavailable("Russian needs natasha 1.6.0 (make install)") from exc
    emb = NewsEmbedding()
    return NatashaModels(Segmenter(), MorphVocab(), NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb))


def analyse(models: NatashaModels, text: str):
    """natasha's ``Doc`` for ``text``: sentences, tokens with morphology, lemmas and syntax, and entities
    with their normal (nominative) forms."""
    from natasha import Doc as NatashaDoc

    nd = NatashaDoc(text)
    nd.segment(models.segmenter)
    _split_at_line_breaks(nd)
    nd.tag_morph(models.morph_tagger)
    nd.parse_syntax(models.syntax_parser)
    nd.tag_ner(models.ner_tagger)
    lemmas = models.lemmas
    if len(lemmas) > LEMMA_CACHE:
        lemmas.clear()
    for token in nd.tokens:  # pymorphy's lemmatisation is a third of the analysis; most forms recur
        key = (token.text, token.pos, tuple(sorted((token.feats or {}).items())))
        lemma = lemmas.get(key)
        if lemma is None:
            token.lemmatize(models.morph_vocab)
            lemmas[key] = token.lemma
        else:
            token.lemma = lemma
    for span in nd.spans:
        span.normalize(models.morph_vocab)
    return nd


def _split_at_line_breaks(nd) -> None:
    """A line break ends a sentence: a title, a byline or a dateline line is not parsed into the
    sentence after it (razdel joins lines that end without punctuation)."""
    from natasha.doc import DocSent

    out = []
    for sent in nd.sents:
        tokens = sent.tokens or []
        group: list = []
        for tok in tokens:
            if group and "\n" in nd.text[group[-1].stop:tok.start]:
                out.append(DocSent(group[0].start, group[-1].stop, nd.text[group[0].start:group[-1].stop], group))
                group = []
            group.append(tok)
        if group:
            out.append(DocSent(group[0].start, group[-1].stop, nd.text[group[0].start:group[-1].stop], group))
    nd.sents = out


def _place_label(tokens: list) -> str:
    return "LOC" if any((t.lemma or "").lower() in _FEATURE_WORDS for t in tokens) else "GPE"


_NER_LABELS = {"PER": "PERSON", "ORG": "ORG"}


def to_doc(nd, text: str, vocab: Vocab) -> Doc:
    """A spaCy ``Doc`` with natasha's annotations; its text is ``text`` exactly."""
    tokens = nd.tokens
    words: list[str] = []
    spaces: list[bool] = []
    lead = text[: tokens[0].start] if tokens else text
    if lead:  # whitespace before the first token is a token of its own
        words.append(lead)
        spaces.append(False)
    for i, t in enumerate(tokens):
        words.append(t.text)
        gap = text[t.stop: tokens[i + 1].start if i + 1 < len(tokens) else len(text)]
        spaces.append(gap.startswith(" "))
        rest = gap[1:] if gap.startswith(" ") else gap
        if rest:  # other whitespace (newlines, several spaces) becomes a whitespace token
            words.append(rest)
            spaces.append(False)
    if not words:
        return Doc(vocab, words=[])
    doc = Doc(vocab, words=words, spaces=spaces)
    # natasha token index -> spaCy token index
    by_char = {tok.idx: tok.i for tok in doc}
    index = [by_char[t.start] for t in tokens]
    id_to_i = {t.id: index[k] for k, t in enumerate(tokens)}
    heads = list(range(len(doc)))
    deps = ["dep"] * len(doc)
    pos = ["SPACE"] * len(doc)
    lemmas = [tok.text for tok in doc]
    morphs = [""] * len(doc)
    sent_starts = [False] * len(doc)
    sent_starts[0] = True
    for k, t in enumerate(tokens):
        i = index[k]
        pos[i] = t.pos or "X"
        lemmas[i] = t.lemma or t.text.lower()
        morphs[i] = "|".join(f"{a}={b}" for a, b in sorted((t.feats or {}).items()))
        if t.head_id in id_to_i:
            heads[i] = id_to_i[t.head_id]
            deps[i] = t.rel or "dep"
        else:
            deps[i] = "ROOT"
    for sent in nd.sents:
        if sent.tokens:
            sent_starts[by_char[sent.tokens[0].start]] = True
    # whitespace tokens hang on the token before them (spaCy's own convention)
    for i, tok in enumerate(doc):
        if pos[i] == "SPACE":
            heads[i] = i - 1 if i > 0 and not sent_starts[i] else i
            deps[i] = "dep" if heads[i] != i else "ROOT"
            lemmas[i] = tok.text
            if i > 0 and not sent_starts[i]:
                sent_starts[i] = False
    # a sentence's tokens must head within it: cross-sentence heads (rare with natasha) become roots
    sent_id, cur = [0] * len(doc), -1
    for i in range(len(doc)):
        if sent_starts[i]:
            cur += 1
        sent_id[i] = cur
    for i in range(len(doc)):
        if sent_id[heads[i]] != sent_id[i]:
            heads[i], deps[i] = i, "ROOT"
    _break_cycles(heads, deps, sent_id)
    doc = Doc(vocab, words=words, spaces=spaces, pos=pos, lemmas=lemmas, morphs=morphs, heads=heads,
              deps=deps, sent_starts=sent_starts)
    ents, normal = [], {}
    for span in nd.spans:
        s = doc.char_span(span.start, span.stop, alignment_mode="expand")
        if s is None or any(s.start < e.end and e.start < s.end for e in ents):
            continue
        label = _NER_LABELS.get(span.type) or _place_label(span.tokens)
        ents.append(Span(doc, s.start, s.end, label=label))
        normal[(s.start_char, s.end_char)] = span.normal or span.text
    doc.ents = sorted(ents, key=lambda e: e.start)
    doc.user_data[_NORMAL_KEY] = normal
    return doc


def _break_cycles(heads: list[int], deps: list[str], sent_id: list[int]) -> int:
    """natasha's parser can return heads that form a cycle (no path to a root), which spaCy cannot
    hold: each cycle's first token is attached to its sentence's root (or made a root). In place;
    returns the number of cycles broken."""
    state = [0] * len(heads)  # 0 unseen, 1 on the current path, 2 reaches a root
    broken = 0
    for i in range(len(heads)):
        path = []
        j = i
        while state[j] == 0:
            state[j] = 1
            path.append(j)
            if heads[j] == j:
                break
            j = heads[j]
        if state[j] == 1 and heads[j] != j:  # came back to the current path: a cycle
            cycle = path[path.index(j):]
            first = min(cycle)
            roots = [k for k in range(len(heads)) if sent_id[k] == sent_id[first] and heads[k] == k]
            heads[first] = roots[0] if roots else first
            deps[first] = "dep" if roots else "ROOT"
            broken += 1
        for k in path:
            state[k] = 2
    return broken


def normal_form(doc: Doc, start: int, end: int) -> str | None:
    """The nominative form natasha gave the entity at characters ``start``-``end``, if any."""
    return (doc.user_data.get(_NORMAL_KEY) or {}).get((start, end))


class RussianAnalyser:
    """Loads natasha once (lazily) and turns texts into annotated ``Doc``s; one per pipeline."""

    def __init__(self):
        import spacy

        self._models: NatashaModels | None = None
        self.vocab = spacy.blank("ru").vocab  # its lexical attributes (lower_, is_punct, like_num) are Russian

    @property
    def models(self) -> NatashaModels:
        if self._models is None:
            self._models = load_natasha()
        return self._models

    def __call__(self, text: str, chunk_chars: int = CHUNK_CHARS) -> Doc:
        """The annotated Doc of ``text``; a text longer than ``chunk_chars`` is analysed in pieces cut at
        paragraph, line or sentence breaks (:mod:`tacitus.nlp.chunks`, as English is parsed) and joined,
        so that memory stays flat in the text's length (0: one piece)."""
        from tacitus.nlp.chunks import join_pieces, split_points

        starts = split_points(text, chunk_chars)
        if len(starts) == 1:
            return self._piece(text)
        docs, normal = [], {}
        for a, b in zip(starts, starts[1:] + [len(text)]):
            piece = self._piece(text[a:b])
            normal.update({(s + a, e + a): v for (s, e), v in piece.user_data.pop(_NORMAL_KEY).items()})
            docs.append(piece)
        doc = join_pieces(docs)
        doc.user_data[_NORMAL_KEY] = normal
        return doc

    def _piece(self, text: str) -> Doc:
        if not text.strip():  # natasha's parser fails on a text with no token
            doc = Doc(self.vocab, words=[text] if text else [], spaces=[False] if text else [])
            doc.user_data[_NORMAL_KEY] = {}
            return doc
        return to_doc(analyse(self.models, text), text, self.vocab)
