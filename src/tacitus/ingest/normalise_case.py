"""Make upper-case wire text and pre-tokenised text readable for the parser and the NER.

Two kinds of input defeat a model trained on ordinary cased prose:

* upper-case wire stories ("SALVADORAN PRESIDENT-ELECT ALFREDO CRISTIANI CONDEMNED ..."): every word looks like
  an acronym or a name. :func:`is_upper_case_document` spots them and :func:`restore_case` truecases them,
  changing letter case only, character for character, so that every offset into the text stays valid;
* pre-tokenised text (CoNLL/Penn Treebank style: "call to boycott British lamb .", "do n't", "( AP )",
  `` quotes ''): :func:`is_pretokenised` spots it and :func:`detokenise` joins it back (this one changes
  the length, so it must run before any offsets are taken).

Truecasing is a unigram model with a few context rules. The casing lexicon
(``tacitus/data/casing/casing.tsv.gz``, built by ``tools/build_casing.py``, see its README) gives each
lower-case key its usual in-sentence form ("the", "Bush", "FMLN", "U.S.", "McDonald"), the log-odds of its
Title-case against its lower-case use, flags for common given names and surnames, and multi-word names that are
cased as a whole ("United States", "North Korea"). A word the lexicon does not know is taken for a name
(Title-cased), or for an acronym when it has no vowel ("FMLN"). Context rules: a title word before a name
("President Cristiani", "Gen. Blandon"), a given name or a word often Title-cased next to a name ("Bill
Clinton", "Mark Green", "Davis Cup"), Spanish articles that begin names ("La Esperanza"), company suffixes,
abbreviations ("Ms.", "Calif."), months ("in May"), "US" the country, codes and ordinals ("G7", "61st"), and the
first word of each sentence.

On CoNLL++ dev (upper-cased, then restored) spaCy en_core_web_sm's NER F1 goes from 0.26 (upper case) to 0.63,
against 0.64 on the original text; ``tools/eval_casing.py`` measures it.

All functions are pure; the lexicon is read once, on first use, and shared read-only.
"""

from __future__ import annotations

import functools
import gzip
import re
from importlib import resources

__all__ = ["is_upper_case_document", "restore_case", "is_pretokenised", "detokenise"]

# --------------------------------------------------------------------------------------------- detection

_DETECT_WORD = re.compile(r"[^\W\d_]{2,}")
_ASCII_LOWER = b"abcdefghijklmnopqrstuvwxyz"
UPPER_SHARE = 0.9  # share of letters (in words of 2+ letters) that are upper case
MIN_WORDS = 8


def is_upper_case_document(text: str) -> bool:
    """True when the text is written (almost) entirely in capitals: at least ``MIN_WORDS`` words of two or
    more letters, and at least ``UPPER_SHARE`` of their letters upper case. Ordinary news with acronyms or an
    all-caps headline line stays well below that."""
    # fast exit for ordinary text: lower-case ASCII letters alone are over a fifth of all characters
    ascii_text = text.encode("ascii", "ignore")
    if len(ascii_text) - len(ascii_text.translate(None, _ASCII_LOWER)) > 0.2 * len(text):
        return False
    upper = total = words = 0
    for w in _DETECT_WORD.findall(text):
        n = len(w)
        total += n
        words += 1
        if w.isupper():
            upper += n
        elif not w.islower():
            upper += sum(1 for c in w if c.isupper())
    return words >= MIN_WORDS and upper >= UPPER_SHARE * total


# --------------------------------------------------------------------------------------------- lexicon

_KIND_LOWER, _KIND_TITLE, _KIND_UPPER, _KIND_MIXED = 0, 1, 2, 3
_NO_ODDS = 99


class _Lexicon:
    """The casing table: ``words[key] = (kind, odds)``, ``mixed[key] = form`` for forms such as "McDonald",
    ``phrases[key words] = form``, ``phrase_len[first word] = longest phrase length``, and the keys flagged as
    common given names (``given``) and as surnames that are also ordinary words (``surnames``)."""

    __slots__ = ("words", "mixed", "phrases", "phrase_len", "given", "surnames")

    def __init__(self, lines):
        words: dict[str, tuple[int, int]] = {}
        mixed: dict[str, str] = {}
        phrases: dict[str, str] = {}
        phrase_len: dict[str, int] = {}
        shared: dict[tuple[int, int], tuple[int, int]] = {}
        given: set[str] = set()
        surnames: set[str] = set()
        for line in lines:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            form, _, rest = line.partition("\t")
            if " " in form:
                key = form.lower()
                phrases[key] = form
                first, n = key.split(" ", 1)[0], key.count(" ") + 1
                if phrase_len.get(first, 0) < n:
                    phrase_len[first] = n
                continue
            key = form.lower()
            odds_s, _, flags = rest.partition("\t")
            if flags:
                if "F" in flags:
                    given.add(key)
                if "S" in flags:
                    surnames.add(key)
            odds = int(odds_s) if odds_s else _NO_ODDS
            if form == key:
                kind = _KIND_LOWER
            elif form == key.upper():
                kind = _KIND_UPPER
            elif form == key[:1].upper() + key[1:]:
                kind = _KIND_TITLE
            else:
                kind = _KIND_MIXED
                mixed[key] = form
            v = (kind, odds)
            words[key] = shared.setdefault(v, v)
        self.words = words
        self.mixed = mixed
        self.phrases = phrases
        self.phrase_len = phrase_len
        self.given = frozenset(given)
        self.surnames = frozenset(surnames)


@functools.lru_cache(maxsize=1)
def _lexicon() -> _Lexicon:
    path = resources.files("tacitus").joinpath("data", "casing", "casing.tsv.gz")
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        return _Lexicon(f)


# --------------------------------------------------------------------------------------------- truecasing

# a dotted acronym ("U.S.", "U.N."), or a word with internal apostrophes or ampersands ("COUNTRY'S", "AT&T")
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W\d_]+(?:['’&][^\W\d_]+)*")
_VOWELS = frozenset("aeiouyàáâãäåæèéêëìíîïòóôõöøùúûüýÿœ")
# a sentence ends in the gap before a word: terminal punctuation (closing quotes/brackets may follow) then space,
# or a blank line
_BOUNDARY = re.compile(r"[.!?][\"'”’)\]]*\s|\n[ \t]*\n")
# abbreviations after which a period does not end the sentence
_ABBREVIATIONS = frozenset("""mr mrs ms dr gen col lt sgt capt maj cmdr adm gov sen rep rev prof st mt ft
no nos vs messrs msgr fr brig""".split())
# abbreviations written Title-case before their period: titles, AP-style US states, months, company suffixes
_TITLE_ABBREVIATIONS = frozenset("""mr mrs ms dr gen col lt sgt capt maj cmdr adm gov sen rep rev prof st mt ft
messrs msgr brig jr sr ala ariz calif colo conn del fla ga ind kan ky md mich minn mo mont neb nev okla ore pa
tenn vt va wis wyo jan feb aug sept oct nov dec corp inc co ltd bros""".split())
# verbs that follow a closing quote inside the sentence: '"We will win," said ...'
_SPEECH_VERBS = frozenset("said says asked asks added adds told tells wrote writes replied explained".split())
_QUOTES = frozenset("\"'”’“‘")
_CONTRACTION_TAILS = frozenset(["s", "ll", "re", "ve", "d", "m"])
# words that are Title-cased before a name ("President Cristiani", "General Villamariona")
_TITLE_WORDS = frozenset("""president vice-president minister premier chancellor secretary king queen prince
princess emir sheikh ayatollah pope cardinal bishop archbishop father monsignor reverend rabbi imam mullah
general gen colonel col lieutenant lt major maj captain capt sergeant sgt commander cmdr admiral adm marshal
brigadier corporal private governor gov mayor senator sen representative rep congressman congresswoman judge
justice ambassador envoy commissioner chairman chairwoman director deputy doctor dr professor prof mr mrs ms
miss mister sir lady lord dame count baron""".split())
# Spanish/Portuguese articles and saints' words that open a name ("La Esperanza", "El Salvador", "San Rafael")
_NAME_OPENERS = frozenset("el la los las san santa santo sao são".split())
_MONTHS_AMBIGUOUS = frozenset(["may", "march"])
_MONTH_CUES = frozenset("""in on since until till by from during through early late mid last next this of
before after""".split())
# nouns after which "US" is the country, not the pronoun
_US_NOUNS = frozenset("""officials official troops forces force government army navy air marines embassy
president administration congress senate house military state department economy dollar dollars treasury
envoy ambassador diplomat diplomats aid citizens citizen soldiers soldier companies company firms market
markets stocks bonds policy interests intelligence sanctions team open secretary general officers forces
authorities court courts law laws election elections""".split())
# company suffixes Title-cased after a name
_NAME_CLOSERS = frozenset("inc corp co ltd plc llc bhd jr sr".split())
NAME_ODDS_NEXT = -1  # a lower-case word at least this often Title-cased (2 ln odds) is Title-cased before a name
NAME_ODDS_PREV = 0  # ... and after a name
NAME_ODDS_BETWEEN = -4  # ... and between two names ("Farabundo Marti National Liberation Front")


def _lower(w: str) -> str:
    low = w.lower()
    if len(low) == len(w):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in w)


def _title(w: str) -> str:
    return w[:1] + _lower(w[1:])


def _apply(w: str, form: str) -> str:
    """``w`` (upper case) in the letter case of ``form``, character for character."""
    if len(form) != len(w):
        return _title(w)
    return "".join(c if f.isupper() else (c.lower() if len(c.lower()) == 1 else c) for c, f in zip(w, form))


def _unknown(w: str, key: str) -> tuple[str, int]:
    """Casing of a word the lexicon does not know: a name, or an acronym if it has no vowel."""
    if len(key) == 1:
        return w, _KIND_UPPER
    if "." in key:  # dotted acronym
        return w, _KIND_UPPER
    if not any(c in _VOWELS for c in key):
        return w, _KIND_UPPER
    return _title(w), _KIND_TITLE


def _case_word(w: str, key: str, lex: _Lexicon) -> tuple[str, int, int, bool]:
    """(cased word, kind, odds, known) for one upper-case token."""
    if len(key) == 1 and key not in ("a", "i"):  # a single letter stays as written: "M-16", "plan B"
        return w, _KIND_UPPER, _NO_ODDS, True
    ent = lex.words.get(key)
    if ent is not None:
        kind, odds = ent
        if kind == _KIND_LOWER:
            return _lower(w), kind, odds, True
        if kind == _KIND_TITLE:
            return _title(w), kind, odds, True
        if kind == _KIND_UPPER:
            return w, kind, odds, True
        return _apply(w, lex.mixed[key]), kind, odds, True
    for q in ("'", "’"):
        if q in key:
            head, _, tail = key.partition(q)
            wh, wt = w[: len(head)], w[len(head) + 1:]
            if tail == "t" or tail.startswith("t" + q):  # don't, can't, won't
                return _lower(w), _KIND_LOWER, _NO_ODDS, True
            h, hkind, hodds, hknown = _case_word(wh, head, lex)
            if tail in _CONTRACTION_TAILS:  # country's, he'll, they're
                return h + w[len(head)] + _lower(wt), hkind, hodds, hknown
            t, tkind, _, _ = _case_word(wt, tail, lex)
            if len(head) == 1:  # O'BRIEN, D'AUBUISSON
                return _title(wh) + w[len(head)] + _title(wt), _KIND_TITLE, _NO_ODDS, False
            return h + w[len(head)] + t, max(hkind, tkind), hodds, hknown
    if "&" in key:  # AT&T, R&D
        return w, _KIND_UPPER, _NO_ODDS, False
    cased, kind = _unknown(w, key)
    return cased, kind, _NO_ODDS, False


def restore_case(text: str) -> str:
    """Truecase an upper-case document. Only the letter case changes, character for character: the result has
    the same length as ``text`` and every offset stays valid. Words that are not entirely upper case are left
    as they are, so a document that mixes cased and upper-case parts keeps its cased parts."""
    lex = _lexicon()
    words_get = lex.words.get
    given = lex.given
    surnames = lex.surnames
    toks = list(_TOKEN.finditer(text))
    n = len(toks)
    if not n:
        return text
    starts = [m.start() for m in toks]
    ends = [m.end() for m in toks]
    raw = [m.group() for m in toks]
    keys = [_lower(w) for w in raw]
    out: list[str | None] = [None] * n  # cased word, None where the token is left as written
    kinds = [_KIND_LOWER] * n
    odds = [_NO_ODDS] * n
    name = [False] * n  # a name by the lexicon or by a phrase, not by sentence position
    joined = [False] * n  # only whitespace between this token and the previous one

    prev_end = 0
    for i in range(n):
        if i:
            gap = text[prev_end:starts[i]]
            joined[i] = bool(gap) and (gap.isspace())
        prev_end = ends[i]

    # phrases first: multi-word names cased as a whole
    phrase_len = lex.phrase_len
    phrases = lex.phrases
    i = 0
    while i < n:
        w = raw[i]
        if not w.isupper():
            i += 1
            continue
        longest = phrase_len.get(keys[i], 0)
        done = False
        for m in range(min(longest, n - i), 1, -1):
            if not all(joined[j] and raw[j].isupper() for j in range(i + 1, i + m)):
                continue
            form = phrases.get(" ".join(keys[i:i + m]))
            if form is None:
                continue
            for j, fw in zip(range(i, i + m), form.split(" ")):
                out[j] = _apply(raw[j], fw)
                kinds[j] = _KIND_LOWER if fw.islower() else _KIND_TITLE
                name[j] = not fw.islower()
            i += m
            done = True
            break
        if not done:
            i += 1

    for i in range(n):
        if out[i] is not None:
            continue
        w = raw[i]
        if not w.isupper():
            continue
        key = keys[i]
        start, end = starts[i], ends[i]
        if start and text[start - 1].isdigit():  # an ordinal or unit: "61ST", "3RD", "10KM"
            out[i] = _lower(w)
            continue
        if end < len(text) and text[end].isdigit():  # a code: "G7", "MI6", "AK47"
            out[i] = w
            kinds[i] = _KIND_UPPER
            name[i] = True
            continue
        if len(key) == 1 and key != "i":
            initial_dot = text[ends[i]:ends[i] + 1] == "."
            if key in "sdmt" and starts[i] and text[starts[i] - 1] in "'’":  # a split-off clitic: 'S, 'D
                out[i] = _lower(w)
            elif key == "a" and not initial_dot:
                out[i] = _lower(w)
            else:  # an initial ("M. Waugh"), a letter as written ("M-16")
                out[i] = w
                kinds[i] = _KIND_UPPER
                name[i] = initial_dot
            continue
        if key in _TITLE_ABBREVIATIONS and text[end:end + 1] == ".":  # "Ms.", "Calif.", "Corp."
            out[i] = _title(w)
            kinds[i] = _KIND_TITLE
            continue
        ent = words_get(key)
        if ent is not None and ent[0] == _KIND_LOWER:  # the common case, fast
            out[i] = _lower(w)
            odds[i] = ent[1]
            continue
        cased, kind, od, _known = _case_word(w, key, lex)
        out[i] = cased
        kinds[i] = kind
        odds[i] = od
        name[i] = kind != _KIND_LOWER and key != "i"

    # context rules. Right to left: a title word or a word often Title-cased before a name ("President Bush",
    # "Bill Clinton", "La Esperanza"), so that a name's case spreads leftwards
    for i in range(n - 1, -1, -1):
        if out[i] is None or kinds[i] != _KIND_LOWER or name[i]:
            continue
        key = keys[i]
        if i + 1 < n and (joined[i + 1] or key in _ABBREVIATIONS and text[ends[i]:starts[i + 1]].strip() == ".") \
                and (name[i + 1] or keys[i + 1] in surnames and key in given):
            if key in _TITLE_WORDS:
                out[i] = _title(raw[i])
            elif key in _NAME_OPENERS or key in given or (
                    odds[i] != _NO_ODDS and odds[i] >= NAME_ODDS_NEXT):
                out[i] = _title(raw[i])
                name[i] = True
    # left to right: a word often Title-cased after a name ("Davis Cup", "Federal Reserve Bank"), company
    # suffixes ("Acme Corp"), months ("in May"), the country "US"
    for i in range(n):
        if out[i] is None or kinds[i] != _KIND_LOWER or name[i] or not out[i].islower():
            continue
        key = keys[i]
        if i and joined[i] and name[i - 1] and (
                key in _NAME_CLOSERS
                or i + 1 < n and joined[i + 1] and name[i + 1] and odds[i] != _NO_ODDS
                and odds[i] >= NAME_ODDS_BETWEEN
                or key in surnames and (keys[i - 1] in given or len(keys[i - 1]) == 1)
                or odds[i] != _NO_ODDS and odds[i] >= NAME_ODDS_PREV and key not in _TITLE_WORDS
               ):
            out[i] = _title(raw[i])
            name[i] = True
        elif key in _MONTHS_AMBIGUOUS:
            before = text[ends[i - 1] if i else 0:starts[i]]
            after = text[ends[i]:starts[i + 1] if i + 1 < n else len(text)]
            if (i and keys[i - 1] in _MONTH_CUES and joined[i]) or any(c.isdigit() for c in before[-4:]) \
                    or any(c.isdigit() for c in after[:4]):
                out[i] = _title(raw[i])
        elif key == "us":
            if (i and keys[i - 1] == "the" and joined[i]) or (i + 1 < n and joined[i + 1] and keys[i + 1] in _US_NOUNS):
                out[i] = raw[i]

    # first word of each sentence
    prev_end = 0
    for i in range(n):
        gap = text[prev_end:starts[i]]
        if i == 0:
            initial = not any(c.isdigit() for c in gap)
        else:
            last = None
            for last in _BOUNDARY.finditer(gap):
                pass
            # a boundary, and no number between it and the word ("7 p.m." is not a sentence's first word)
            initial = last is not None and not any(c.isdigit() for c in gap[last.end():])
        if i and initial and (gap.startswith(".") and keys[i - 1] in _ABBREVIATIONS
                              or keys[i] in _SPEECH_VERBS and any(c in _QUOTES for c in gap)):
            initial = False  # "Gen. Blandon", '"... a problem." said Smith
        if initial and out[i] is not None and out[i][:1].islower():
            out[i] = raw[i][:1] + out[i][1:]
        prev_end = ends[i]

    pieces = []
    pos = 0
    for i in range(n):
        o = out[i]
        if o is None:
            continue
        pieces.append(text[pos:starts[i]])
        pieces.append(o)
        pos = ends[i]
    pieces.append(text[pos:])
    result = "".join(pieces)
    if len(result) != len(text):  # cannot happen: every piece keeps its length
        raise AssertionError("restore_case changed the text's length")
    return result


# --------------------------------------------------------------------------------------------- pre-tokenised text

# a comma or full stop standing apart; one attached to a word of two or more letters (not "1." or "M.")
_SPACED_PUNCT = re.compile(r"\s[,.](?=\s|$)")
_ATTACHED_PUNCT = re.compile(r"[^\W\d_]{2}[,.](?=\s|$)")
# split-off clitics, PTB quotes and brackets, brackets with space inside: "( AP )"
_PTB_MARKS = re.compile(r"\s(?:``|''|-LRB-|-RRB-|n't|'s|'re|'ve|'ll|\(|\))(?=\s|$)", re.I)


def is_pretokenised(text: str) -> bool:
    """True for Penn Treebank / CoNLL-style tokenised text: commas and full stops stand apart ("lamb ."),
    or clitics and quotes are split off ("do n't", "`` quote ''"). False for ordinary prose."""
    text = " " + text
    evidence = len(_SPACED_PUNCT.findall(text)) + len(_PTB_MARKS.findall(text))
    if evidence == 0:  # ordinary prose stops here
        return False
    attached = len(_ATTACHED_PUNCT.findall(text))
    share = evidence / (evidence + attached)
    if evidence >= 2:
        return share >= 0.6
    # one sentence: "EU rejects German call to boycott British lamb ."
    return attached == 0 and bool(re.search(r"\s[.!?]\s*$", text))


_PTB_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
               "``": '"', "''": '"', "`": "'"}
_ATTACH_LEFT = frozenset([",", ".", ";", ":", "?", "!", "%", ")", "]", "}", "...", "…", "'s", "'S", "n't",
                          "N'T", "'re", "'RE", "'ve", "'VE", "'ll", "'LL", "'d", "'D", "'m", "'M", "’s"])
_ATTACH_RIGHT = frozenset(["(", "[", "{", "$", "#", "US$", "C$", "A$", "HK$", "£", "€", "¥"])
_SPLIT_PAIRS = {("gon", "na"), ("wan", "na"), ("got", "ta")}


def _detokenise_line(line: str, quotes: list[bool]) -> str:
    """One line; ``quotes`` = [double quote open, single quote open], carried from line to line."""
    toks = line.split()
    if not toks:
        return line
    out: list[str] = []
    space_before: list[bool] = []
    glue_next = False
    for tok in toks:
        t = _PTB_TOKENS.get(tok, tok)
        left = False
        right = False
        if tok == "``":
            right, quotes[0] = True, True
        elif tok == "''":
            left, quotes[0] = True, False
        elif t == '"':
            if quotes[0]:
                left, quotes[0] = True, False
            else:
                right, quotes[0] = True, True
        elif t == "'":
            prev = out[-1] if out else ""
            if quotes[1]:
                left, quotes[1] = True, False
            elif prev[-1:] in ("s", "S"):
                left = True  # the players ' union -> the players' union
            else:
                right, quotes[1] = True, True
        elif t in _ATTACH_LEFT:
            left = True
        elif t in _ATTACH_RIGHT:
            right = True
        elif out and (out[-1].lower(), t.lower()) in _SPLIT_PAIRS:
            left = True
        space_before.append(bool(out) and not left and not glue_next)
        out.append(t)
        glue_next = right
    lead = line[: len(line) - len(line.lstrip())]
    trail = line[len(line.rstrip()):]
    return lead + "".join((" " if sp else "") + t for sp, t in zip(space_before, out)) + trail


def detokenise(text: str) -> str:
    """Undo Penn Treebank / CoNLL tokenisation: "British lamb ." -> "British lamb.", "do n't" -> "don't",
    "( AP )" -> "(AP)", "`` x ''" -> '"x"', "$ 5" -> "$5", "5 %" -> "5%", "-LRB-" -> "(". Line breaks are
    kept. Text that is not pre-tokenised (see :func:`is_pretokenised`) is returned unchanged."""
    if not is_pretokenised(text):
        return text
    quotes = [False, False]
    return "\n".join(_detokenise_line(line, quotes) for line in text.split("\n"))
