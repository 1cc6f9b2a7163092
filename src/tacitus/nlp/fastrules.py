"""Compiled forms of two rule components of the spaCy model, with the same output (swapped in by
:func:`tacitus.nlp.pipeline.build_pipeline`; ``compiled_rules=False`` keeps spaCy's own).

spaCy's ``attribute_ruler`` runs a :class:`~spacy.matcher.Matcher` over every token for each of the
model's ~180 patterns (about 15 microseconds a token, 8% of the whole Tacitus pipeline), and its
``lemmatizer`` builds a Python ``Token`` and reads its part of speech and morphology for every token
(another 3%). Both results depend on a few token attributes only, so they are computed once per
distinct combination and then looked up:

- :class:`CompiledAttributeRuler`: a pattern of one token whose conditions are equality, ``IN``,
  ``NOT_IN`` or ``REGEX`` over string attributes (``TAG``, ``LOWER``, ``DEP``, ...) or a boolean
  flag (``IS_SPACE``) is decided once per token *signature* (the tuple of those attributes). Every
  other pattern (several tokens, operators, other predicates) stays with a spaCy ``Matcher`` that
  holds only those. The matched rules are applied to each token in the ruler's own order (by rule
  number, later rules winning), with spaCy's own ``set_token_attrs``, as the ruler does.
- :class:`CachedLemmatizer`: the rule lemmatiser's lemma is a function of the token's form, part of
  speech and morphology (that is the key of spaCy's own cache, which it consults only after building
  the token and testing for a base form); the lemma is looked up by those three from the token arrays.

``tests/test_fastrules.py`` checks that every token attribute comes out identical to the stock
components', parsed and unparsed (sentence triage runs the ruler before the parse).
"""

from __future__ import annotations

import re
from typing import Any, Iterable

import numpy as np
from spacy.attrs import IDS, LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

#: String attributes a compiled condition may read (token arrays give their string hashes).
_STRING_ATTRS = ("ORTH", "LOWER", "NORM", "TAG", "POS", "DEP", "LEMMA", "SHAPE", "ENT_TYPE")
#: Boolean flags a compiled condition may read.
_FLAG_ATTRS = ("IS_SPACE", "IS_PUNCT", "IS_ALPHA", "IS_DIGIT", "IS_STOP", "IS_TITLE", "IS_UPPER", "IS_LOWER")
#: Most distinct signatures or lemma keys kept; the cache is emptied when it is full.
CACHE_SIZE = 200_000


def _condition(key: str, value: Any):
    """A test on the signature value of ``key`` (a string, or a bool for a flag), or None when the
    condition is not one this module compiles."""
    if key in _FLAG_ATTRS:
        return (lambda v, want=bool(value): v == want) if isinstance(value, bool) else None
    if key not in _STRING_ATTRS:
        return None
    if isinstance(value, str):
        return lambda v, want=value: v == want
    if not isinstance(value, dict) or not value or set(value) - {"IN", "NOT_IN", "REGEX"}:
        return None
    tests = []
    for op, arg in value.items():
        if op == "REGEX":
            if not isinstance(arg, str):
                return None
            tests.append(lambda v, rx=re.compile(arg): bool(rx.search(v)))
        else:
            if not isinstance(arg, (list, tuple)) or not all(isinstance(a, str) for a in arg):
                return None
            members = frozenset(arg)
            tests.append((lambda v, m=members: v in m) if op == "IN" else (lambda v, m=members: v not in m))
    return lambda v: all(t(v) for t in tests)


class CompiledAttributeRuler:
    """The model's ``attribute_ruler`` (``base``), its rules decided per token signature.

    Anything not defined here (``patterns``, serialisation, ...) is the base ruler's."""

    def __init__(self, base):
        self.base = base
        self.vocab = base.vocab
        self.name = getattr(base, "name", "attribute_ruler")
        if any(not isinstance(attr, int) for a in base.attrs for attr in a):
            raise ValueError("attribute rules that set extension attributes are not compiled")
        #: attributes (ids) some rule writes, in a fixed order: the columns written back
        self.written = sorted({attr for a in base.attrs for attr in a})
        self.rules: list[tuple[int, list]] = []  # one-token rules: (rule number, [(attribute, test, spec)])
        #: fixed-length rules: (rule number, index, [[(attribute, test, spec)] per token])
        self.sequences: list[tuple[int, int, list[list]]] = []
        residual = Matcher(self.vocab)
        self.residual_rules = 0
        keys: set[str] = set()
        for number, (patterns, index) in enumerate(zip(self._patterns_by_rule(), base.indices)):
            for pattern in patterns:
                seq = [self._compile_token(t) for t in pattern] if pattern else [None]
                if any(conds is None for conds in seq):
                    residual.add(self.vocab.strings.add(str(number)), [pattern])
                    self.residual_rules += 1
                    continue
                keys.update(k for conds in seq for k, _t, _v in conds)
                if len(seq) == 1 and index in (0, -1):
                    self.rules.append((number, seq[0]))
                else:
                    self.sequences.append((number, index, seq))
        self.residual = residual if self.residual_rules else None
        # the rules to test for a signature: those with no equality condition on TAG or LOWER, and
        # those whose equality condition the signature meets
        self._keyed: dict[tuple[str, str], list] = {}
        self._general: list = []
        for entry in [("rule", r) for r in self.rules] + [("seq", (r, j, conds)) for r, (_n, _i, seq) in
                                                            enumerate(self.sequences) for j, conds in enumerate(seq)]:
            conds = entry[1][1] if entry[0] == "rule" else entry[1][2]
            key = next(((k, spec) for k, _t, spec in conds if k in ("TAG", "LOWER") and isinstance(spec, str)), None)
            (self._keyed.setdefault(key, []) if key else self._general).append(entry)
        self.columns = sorted(keys)
        self.column_ids = [IDS[c] for c in self.columns]
        self._clear()

    @staticmethod
    def _compile_token(spec) -> list | None:
        if not isinstance(spec, dict):
            return None
        conds = [(k, _condition(k, v), v) for k, v in spec.items()]
        return None if any(test is None for _k, test, _v in conds) else conds

    def _patterns_by_rule(self) -> list[list[list[dict]]]:
        """Each rule's token patterns, in rule order (the ruler keeps them in its matcher)."""
        base = self.base
        return [base.matcher.get(base.vocab.strings[str(n)])[1] for n in range(len(base.attrs))]

    def __getattr__(self, name: str):  # everything else is the base ruler's
        return getattr(self.__dict__["base"], name)

    # -- matching ------------------------------------------------------------------------------------
    def _decide(self, signature: tuple) -> tuple[tuple[int, ...], np.ndarray, np.ndarray, frozenset]:
        """For a token of ``signature``: the one-token rules it matches, what they leave in each
        written column (values, and a mask of the columns they write), and the positions
        ``(sequence, j)`` of the fixed-length rules it satisfies."""
        strings = self.vocab.strings
        values = {}
        for col, v in zip(self.columns, signature):
            values[col] = bool(v) if col in _FLAG_ATTRS else strings[v] if v else ""
        candidates = list(self._general)
        for k in ("TAG", "LOWER"):
            if k in values:
                candidates += self._keyed.get((k, values[k]), ())
        numbers, positions = set(), set()
        for kind, entry in candidates:
            conds = entry[1] if kind == "rule" else entry[2]
            if all(test(values[k]) for k, test, _v in conds):
                if kind == "rule":
                    numbers.add(entry[0])
                else:
                    positions.add((entry[0], entry[1]))
        numbers = sorted(numbers)
        out = np.zeros(len(self.written), dtype="uint64")
        mask = np.zeros(len(self.written), dtype=bool)
        for n in numbers:  # later rules overwrite earlier ones, attribute by attribute
            for attr, value in self.base.attrs[n].items():
                j = self.written.index(attr)
                out[j], mask[j] = value, True
        return tuple(numbers), out, mask, frozenset(positions)

    def _arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """The table's values and masks as two arrays (row k = signature k), extended as it grows."""
        have = len(self._values)
        if have < len(self._table):
            self._values = np.concatenate([self._values] + [t[1][None, :] for t in self._table[have:]])
            self._masks = np.concatenate([self._masks] + [t[2][None, :] for t in self._table[have:]])
        return self._values, self._masks

    def _clear(self) -> None:
        self._cache: dict[tuple, int] = {}  # signature -> row of _table
        self._table: list[tuple[tuple[int, ...], np.ndarray, np.ndarray, frozenset]] = []
        self._values = np.zeros((0, len(self.written)), dtype="uint64")
        self._masks = np.zeros((0, len(self.written)), dtype=bool)

    def _signature_rows(self, doc: Doc) -> list[int]:
        """Each token's row of the signature table (decided now for a signature not seen before)."""
        n = len(doc)
        if len(self._cache) > CACHE_SIZE:
            self._clear()
        cache, table = self._cache, self._table
        rows = doc.to_array(self.column_ids) if self.column_ids else np.zeros((n, 0), dtype="uint64")
        index = []
        for row in rows.reshape(n, -1).tolist():
            signature = tuple(row)
            k = cache.get(signature)
            if k is None:
                k = cache[signature] = len(table)
                table.append(self._decide(signature))
            index.append(k)
        return index

    def _multi_token(self, doc: Doc, index: list[int]) -> list[tuple[int, int, int]]:
        """(rule number, start, end) of every match of a fixed-length rule (from the signature table)
        and of a rule left to the matcher."""
        table, sequences, n = self._table, self.sequences, len(index)
        out = []
        for i, k in enumerate(index):
            for r, j in table[k][3]:
                if j:
                    continue
                size = len(sequences[r][2])
                if i + size <= n and all((r, m) in table[index[i + m]][3] for m in range(1, size)):
                    out.append((sequences[r][0], i, i + size))
        if self.residual is not None:
            strings = self.vocab.strings
            out += [(int(strings[m]), s, e) for m, s, e in self.residual(doc, allow_missing=True, as_spans=False)]
        return out

    def _target(self, number: int, start: int, end: int) -> int:
        offset = self.base.indices[number]
        target = start + offset if offset >= 0 else end + offset
        if not start <= target < end:
            raise ValueError(f"attribute rule {number} has index {offset} outside its match {start}:{end}")
        return target

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """The matches as :meth:`AttributeRuler.match` gives them, ``(rule, match id, start, end)`` sorted,
        for the base ruler's ``set_annotations``."""
        if not len(doc):
            return []
        index = self._signature_rows(doc)
        strings = self.vocab.strings
        found = [(n, i, i + 1) for i, k in enumerate(index) for n in self._table[k][0]] + self._multi_token(doc, index)
        return sorted((n, strings[str(n)], s, e) for n, s, e in found)

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if n == 0:
            return doc
        index = self._signature_rows(doc)
        table = self._table
        extra: dict[int, list[int]] = {}
        for number, start, end in self._multi_token(doc, index):
            extra.setdefault(self._target(number, start, end), []).append(number)
        if self.written:
            values, masks = self._arrays()
            at = np.asarray(index, dtype="int64")
            mask = masks[at]
            if extra:
                mask[list(extra)] = False  # tokens a multi-token rule also touches: one rule at a time, below
            if mask.any():
                current = doc.to_array(self.written).reshape(n, -1)
                doc.from_array(self.written, np.where(mask, values[at], current).astype("uint64"))
        attrs = self.base.attrs
        for i, more in extra.items():
            token = doc[i]
            for number in sorted(table[index[i]][0] + tuple(more)):
                set_token_attrs(token, attrs[number])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


class CachedLemmatizer:
    """The model's rule ``lemmatizer`` (``base``), its lemmas looked up by (form, POS, morphology)."""

    def __init__(self, base):
        self.base = base
        self.vocab = base.vocab
        self.name = getattr(base, "name", "lemmatizer")
        self._cache: dict[tuple[int, int, int], int] = {}

    def __getattr__(self, name: str):  # lemmatize(), mode, serialisation, ... are the base's
        return getattr(self.__dict__["base"], name)

    def __call__(self, doc: Doc) -> Doc:
        base = self.base
        if not getattr(base, "_validated", True):
            from spacy.errors import Errors

            base._validate_tables(Errors.E1004)
        cache = self._cache
        if len(cache) > CACHE_SIZE:
            cache.clear()
        overwrite = base.overwrite
        strings = self.vocab.strings
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        todo = range(len(doc)) if overwrite else np.flatnonzero(lemmas == 0).tolist()
        if not len(todo):
            return doc
        keys = arr[:, :3].tolist()
        for i in todo:
            key = tuple(keys[i])
            value = cache.get(key)
            if value is None:
                value = cache[key] = strings.add(base.lemmatize(doc[i])[0])
            lemmas[i] = value
        doc.from_array([LEMMA], lemmas.reshape(-1, 1))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


def compile_rules(nlp: Language) -> Language:
    """Swap the model's ``attribute_ruler`` and rule ``lemmatizer`` (when they are spaCy's own, in
    any pipeline position) for their compiled forms, under the same names."""
    from spacy.pipeline import AttributeRuler, Lemmatizer

    for name, proc in list(nlp.pipeline):
        if type(proc) is AttributeRuler:
            try:
                compiled = CompiledAttributeRuler(proc)
            except ValueError:  # a rule this module does not compile as a whole: spaCy's ruler stays
                continue
            _swap(nlp, name, compiled)
        elif type(proc).__module__.startswith("spacy.") and isinstance(proc, Lemmatizer) and getattr(proc, "mode", None) == "rule":
            _swap(nlp, name, CachedLemmatizer(proc))
    return nlp


def _swap(nlp: Language, name: str, component) -> None:
    """Put ``component`` in the place of the pipe ``name`` (spaCy has no public call that replaces a
    pipe by an object; ``replace_pipe`` builds one from a factory)."""
    for i, (n, _proc) in enumerate(nlp._components):
        if n == name:
            nlp._components[i] = (name, component)
            nlp._link_components()
            return
