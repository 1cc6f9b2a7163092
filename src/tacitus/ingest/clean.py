"""Boilerplate removal for plain-text scrapes: every line is scored as article text or web junk.

The scorer is a two-stage logistic regression over line features (length, end punctuation, link and
URL density, stop-word ratio, capitalisation, position, repetition, likeness to the title, a generic
web-interface vocabulary, bullets, separators), trained on our own hand-labelled scrapes shipped as
package data (``tacitus/data/cleaner/pages``). The second stage adds the first stage's scores of the
neighbouring lines and of the rest of the page, so a teaser blurb after a "Related" header or a line
inside a comment form is judged with its context, as jusText does with hand-set rules.

Training takes well under a second and is deterministic, so no weights are committed: a
:class:`Cleaner` is trained on first use and the same data always gives the same model.

Labelled page format: one ``LABEL|text`` per line, LABEL one of ``T`` (title), ``M`` (date line,
byline, outlet), ``K`` (article text to keep), ``J`` (junk); ``|`` alone is a blank line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

LABELS = frozenset("TMKJ")

#: Words typical of web-page furniture rather than news prose. Generic vocabulary of the web, not
#: phrases from any one page: a line's share of these is one feature among many.
WEB_VOCABULARY = frozenset("""
share shares shared tweet retweet facebook twitter whatsapp telegram linkedin pinterest reddit email
e-mail print copy link comment comments reply replies leave required fields marked website name
posted subscribe subscription newsletter sign login log register account cookie cookies privacy
policy terms conditions contact advertise advertisement sponsored ad ads related read more also
check previous next article articles post posts tags tag category categories filed under home menu
search trending popular recommended stories story watch video videos photo photos image images
credit credits courtesy gallery caption copyright rights reserved views view likes like love haha
wow sad angry reaction reactions please enter follow followers download app notification notifications click
here continue scroll skip content loading cancel submit save browser spam akismet admin author bio
minutes min read latest updates news section edition editions archive archives rss feed top back
""".split())

_STOP_WORDS = frozenset("""
a about above after again against all also am an and any are as at be because been before being
below between both but by could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me
more most my myself no nor not now of off on once only or other our ours ourselves out over own
same she should so some such than that the their theirs them themselves then there these they this
those through to too under until up very was we were what when where which while who whom why will
with would you your yours yourself yourselves said says told would could may might must shall
""".split())

_URL = re.compile(r"(?:https?://|www\.)\S+|\b(?:\d{1,3}\.){3}\d{1,3}\b|\b[\w-]+\.(?:com|org|net|info|io|ru|af|pk|uk|in|co)\b",
                  re.I)
_WORD = re.compile(r"[^\W\d_][\w'’-]*", re.U)
_TERMINAL = re.compile(r"[.!?][\"'”’)\]]*\s*$")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading)\s*[\]»›>]*\s*$", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪►‣◦*–-]|\d{1,2}[.)])\s+")
_SEPARATORS = re.compile(r"\s[|•·»›/]\s|\s{3,}")
_CUE_START = re.compile(
    r"^\s*(?:photo|image|picture|file photo|credit|courtesy|source|read more|read also|also read|see also|"
    r"related|check also|more from|you may|recommended|tags?|filed|categor|share|follow|subscribe|sign up|"
    r"advertisement|sponsored|copyright|©|all rights|about (?:the )?author|posted in|leave a|comments?\b|"
    r"reply|next|previous|trending|popular|watch)",
    re.I,
)
_QUOTE = re.compile(r"[\"“”«»]")
_COUNTER = re.compile(r"\b\d[\d.,]*\s*[kKmM]?\s*(?:views?|shares?|comments?|likes?|reads?|min(?:ute)?s?\b)", re.I)
_PROSE_WORDS = 12
_CREDIT = re.compile(r"(?i:\b(?:photo|photograph|image|picture|video|credit|courtesy)s?\s*(?::|by\b))|"
                     r"\b[A-Z]{2,}(?:/[A-Z][\w.]+)+\s*\)?\s*$|\b[A-Z][\w.]+/(?:[A-Z]{2,}|Getty|AFP|Reuters)\b")
_BIO = re.compile(r"^\s*(?:[A-Z][\w'’.-]+\s+){1,3}(?:is|was|has been)\s+(?:a|an|the)\s+", re.U)
_DISCLAIMER = re.compile(r"\b(?:views|opinions)\s+expressed\b|\bdisclaimer\b|\bdo(?:es)? not (?:necessarily )?reflect\b", re.I)
_SECOND_PERSON = frozenset({"you", "your", "yours", "you're", "you’re", "you'll", "you’ll"})


@dataclass(frozen=True)
class LabelledPage:
    name: str
    lines: tuple[tuple[str, str], ...]  # (label, text); label "" for a blank line

    @property
    def text(self) -> str:
        return "\n".join(t for _l, t in self.lines)


def parse_labelled(name: str, raw: str) -> LabelledPage:
    lines = []
    for n, line in enumerate(raw.split("\n"), start=1):
        if not line:
            continue
        label, sep, text = line.partition("|")
        if not sep or (label not in LABELS and label != ""):
            raise ValueError(f"{name}:{n}: expected LABEL|text with LABEL in T, M, K, J")
        if not text.strip():
            label = ""
        lines.append((label, text))
    return LabelledPage(name, tuple(lines))


def load_pages(folder: str | Path | None = None) -> list[LabelledPage]:
    """The labelled scrapes: from ``folder``, or the ones shipped with the package."""
    if folder is not None:
        files = sorted(Path(folder).glob("*.txt"))
        return [parse_labelled(p.name, p.read_text(encoding="utf-8")) for p in files]
    root = resources.files("tacitus").joinpath("data", "cleaner", "pages")
    entries = sorted((e for e in root.iterdir() if e.name.endswith(".txt")), key=lambda e: e.name)
    return [parse_labelled(e.name, e.read_text(encoding="utf-8")) for e in entries]


# -- features -------------------------------------------------------------------------------------

def _words(s: str) -> list[str]:
    return _WORD.findall(s)


def _base_features(lines: Sequence[str], title: str | None) -> np.ndarray:
    """Stage-1 features of the non-blank ``lines`` of one page (in order)."""
    n = len(lines)
    folded = [" ".join(s.casefold().split()) for s in lines]
    counts: dict[str, int] = {}
    for f in folded:
        counts[f] = counts.get(f, 0) + 1
    title_words = set(w.casefold() for w in _words(title or (lines[0] if lines else "")))
    word_lists = [_words(s) for s in lines]
    prose = [len(w) >= _PROSE_WORDS and bool(_TERMINAL.search(s)) for s, w in zip(lines, word_lists)]
    total_prose = max(1, sum(prose))
    prose_after = np.cumsum([0] + prose[::-1])[::-1][1:]  # prose lines strictly after i
    # word trigrams shared with another line: a standfirst or teaser repeating the article's own text
    grams = [{tuple(w.casefold() for w in ws[j:j + 3]) for j in range(len(ws) - 2)} for ws in word_lists]
    where: dict[tuple, set[int]] = {}
    for i, g in enumerate(grams):
        for t in g:
            where.setdefault(t, set()).add(i)
    shared = [sum(1 for t in g if len(where[t]) > 1) / len(g) if g else 0.0 for g in grams]
    # the main block: the stretch of the page with the most prose lines, cut where a gap of non-prose
    # lines (cue lines such as "Related" or "Leave a Reply" count double) grows to 4
    segments, start, gap, count = [], None, 0, 0
    for i in range(n):
        if prose[i]:
            if start is None:
                start, count = i, 0
            count += 1
            gap, end = 0, i
            continue
        gap += 2 if _CUE_START.match(lines[i].strip()) else 1
        if start is not None and gap >= 4:
            segments.append((count, start, end))
            start = None
    if start is not None:
        segments.append((count, start, end))
    main = max(segments, key=lambda s: (s[0], -s[1])) if segments else (0, 0, n - 1)
    # a teaser: a headline-like line (short, no final stop) right above, and a cue line shortly before it
    heading = [len(w) <= 14 and not _TERMINAL.search(s.strip()) for s, w in zip(lines, word_lists)]
    cue_line = [bool(_CUE_START.match(s.strip())) and len(w) <= 6 for s, w in zip(lines, word_lists)]
    teaser = [1.0 if i >= 2 and heading[i - 1] and any(cue_line[max(0, i - 6):i - 1]) else 0.0 for i in range(n)]
    # a list item introduced by a prose line ending with a colon ("Deaths by state:") belongs to it
    intro = [0.0] * n
    for i in range(n):
        j = i - 1
        while j >= 0 and _BULLET.match(lines[j]):
            j -= 1
        if j >= 0 and j < i and lines[j].strip().endswith(":") and len(word_lists[j]) >= 5:
            intro[i] = 1.0
    rows = []
    for i, s in enumerate(lines):
        words = word_lists[i]
        nw = len(words)
        low = [w.casefold() for w in words]
        tokens = s.split()
        alpha = max(1, nw)
        urls = len(_URL.findall(s))
        caps = sum(1 for w in words if w[:1].isupper())
        upper = sum(1 for w in words if len(w) > 1 and w.isupper())
        web = sum(1 for w in low if w in WEB_VOCABULARY)
        stop = sum(1 for w in low if w in _STOP_WORDS)
        wset = set(low)
        tsim = len(wset & title_words) / max(1, len(wset | title_words))
        digits = sum(c.isdigit() for c in s)
        stripped = s.strip()
        rows.append([
            math.log1p(nw),
            math.log1p(len(stripped)),
            1.0 if _TERMINAL.search(stripped) else 0.0,
            1.0 if _ELLIPSIS.search(stripped) else 0.0,
            urls / max(1, len(tokens)),
            1.0 if urls >= 2 else 0.0,
            stop / alpha,
            caps / alpha,
            upper / alpha,
            digits / max(1, len(stripped)),
            1.0 if _BULLET.match(s) else 0.0,
            i / max(1, n - 1),
            prose_after[i] / total_prose,
            1.0 if counts[folded[i]] > 1 else 0.0,
            tsim,
            1.0 if tsim > 0.8 and i > 0 else 0.0,
            web / alpha,
            1.0 if _CUE_START.match(stripped) else 0.0,
            1.0 if stripped.startswith(("(", "[")) and stripped.endswith((")", "]")) else 0.0,
            1.0 if _QUOTE.search(s) else 0.0,
            len(_SEPARATORS.findall(s)) / alpha,
            s.count(",") / alpha,
            1.0 if stripped.endswith(":") else 0.0,
            1.0 if nw <= 4 else 0.0,
            1.0 if "@" in s else 0.0,
            1.0 if _COUNTER.search(s) else 0.0,
            1.0 if prose[i] else 0.0,
            1.0 if nw == 0 else 0.0,
            sum(1 for w in low if w in _SECOND_PERSON) / alpha,
            shared[i],
            1.0 if nw <= 14 and not _TERMINAL.search(stripped) and caps / alpha > 0.5 else 0.0,
            1.0 if _CREDIT.search(stripped) else 0.0,
            1.0 if _BIO.match(stripped) else 0.0,
            1.0 if _DISCLAIMER.search(stripped) else 0.0,
            intro[i] * (1.0 if _BULLET.match(s) else 0.5),
            1.0 if main[1] <= i <= main[2] else 0.0,
            1.0 if i > main[2] else 0.0,
            1.0 if i > main[2] and any(_CUE_START.match(lines[j].strip()) for j in range(main[2] + 1, i)) else 0.0,
            teaser[i],
        ])
    return np.asarray(rows, dtype=float).reshape(n, -1)


def _context_features(base: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Stage-2 features: stage-1 scores of neighbours and of the page before and after each line."""
    n = len(p)
    pad = np.concatenate([[0.5, 0.5], p, [0.5, 0.5]])
    prev1, prev2 = pad[1:n + 1], pad[0:n]
    next1, next2 = pad[3:n + 3], pad[4:n + 4]
    csum = np.concatenate([[0.0], np.cumsum(p)])
    idx = np.arange(n)
    before = np.where(idx > 0, csum[idx] / np.maximum(idx, 1), 0.5)
    after = np.where(idx < n - 1, (csum[n] - csum[idx + 1]) / np.maximum(n - idx - 1, 1), 0.5)
    # a nearby short cue line ("Related", "Leave a Reply") above this line
    cue = base[:, 17] * base[:, 23]
    cue_above = np.zeros(n)
    since_cue = np.zeros(n)
    last = -100
    for i in range(n):
        cue_above[i] = 1.0 if i - last <= 6 else 0.0
        since_cue[i] = min(i - last, 20) / 20
        if cue[i] > 0:
            last = i
    # items of one bulleted run share their fate: the run's mean score
    bullet = base[:, 10] > 0
    run_mean = p.copy()
    i = 0
    while i < n:
        if bullet[i]:
            j = i
            while j < n and bullet[j]:
                j += 1
            run_mean[i:j] = p[i:j].mean()
            i = j
        else:
            i += 1
    return np.column_stack([base, p, prev1, prev2, next1, next2, before, after, cue_above, since_cue,
                            p * prev1, p * next1, run_mean])


def _trigrams(line: str) -> set[tuple[str, ...]]:
    words = [w.casefold().replace("’", "'") for w in _words(line)]
    return {tuple(words[j:j + 3]) for j in range(len(words) - 2)}


# -- model ----------------------------------------------------------------------------------------

@dataclass
class _Logistic:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # bias last

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, l2: float = 1.0) -> "_Logistic":
        from scipy.optimize import minimize

        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        Z = np.column_stack([(X - mean) / scale, np.ones(len(X))])
        # balance the classes so the rarer one is not ignored
        pos = max(1.0, y.sum())
        neg = max(1.0, len(y) - y.sum())
        sw = np.where(y > 0, len(y) / (2 * pos), len(y) / (2 * neg))

        def loss(w):
            z = Z @ w
            lp = -np.logaddexp(0, -z)
            ln = -np.logaddexp(0, z)
            value = -(sw * (y * lp + (1 - y) * ln)).sum() + 0.5 * l2 * (w[:-1] @ w[:-1])
            prob = 1 / (1 + np.exp(-z))
            grad = Z.T @ (sw * (prob - y))
            grad[:-1] += l2 * w[:-1]
            return value, grad

        res = minimize(loss, np.zeros(Z.shape[1]), jac=True, method="L-BFGS-B", options={"maxiter": 500})
        return cls(mean, scale, res.x)

    def predict(self, X: np.ndarray) -> np.ndarray:
        Z = np.column_stack([(X - self.mean) / self.scale, np.ones(len(X))])
        return 1 / (1 + np.exp(-(Z @ self.weights)))


@dataclass
class LineScores:
    """Per input line: probability that it is article text (None for blank lines)."""

    lines: list[str]
    keep_prob: list[float | None]


class Cleaner:
    """Scores the lines of a plain-text page; :meth:`keep` says which lines are article text."""

    def __init__(self, stage1: _Logistic, stage2: _Logistic, threshold: float = 0.5):
        self.stage1 = stage1
        self.stage2 = stage2
        self.threshold = threshold

    @classmethod
    def train(cls, pages: Iterable[LabelledPage], threshold: float = 0.5) -> "Cleaner":
        X1, y, groups = [], [], []
        for page in pages:
            texts = [t for label, t in page.lines if label]
            labels = [label for label, _t in page.lines if label]
            title = next((t for label, t in page.lines if label == "T"), None)
            if not texts:
                continue
            X1.append(_base_features(texts, title))
            y.append(np.array([1.0 if label == "K" else 0.0 for label in labels]))
            groups.append(len(texts))
        if not X1:
            raise ValueError("no labelled lines to train the cleaner on")
        Xa, ya = np.vstack(X1), np.concatenate(y)
        stage1 = _Logistic.fit(Xa, ya)
        X2 = [_context_features(x, stage1.predict(x)) for x in X1]
        stage2 = _Logistic.fit(np.vstack(X2), ya)
        return cls(stage1, stage2, threshold)

    @classmethod
    def default(cls, threshold: float = 0.5) -> "Cleaner":
        return cls.train(load_pages(), threshold)

    def score(self, text: str, title: str | None = None) -> LineScores:
        lines = text.split("\n")
        idx = [i for i, s in enumerate(lines) if s.strip()]
        probs: list[float | None] = [None] * len(lines)
        if idx:
            base = _base_features([lines[i] for i in idx], title)
            p2 = self.stage2.predict(_context_features(base, self.stage1.predict(base)))
            for i, p in zip(idx, p2):
                probs[i] = float(p)
        return LineScores(lines, probs)

    def keep(self, text: str, title: str | None = None) -> list[bool]:
        """One flag per line of ``text``: True for article text (blank lines are False).

        Besides the classifier, a kept line whose word trigrams nearly all recur in one longer kept
        line (a standfirst or pull quote repeating the article) is dropped: the text is kept once."""
        scores = self.score(text, title)
        keep = [p is not None and p >= self.threshold for p in scores.keep_prob]
        kept = [i for i, k in enumerate(keep) if k]
        grams = {i: _trigrams(scores.lines[i]) for i in kept}
        for i in kept:
            g = grams[i]
            if len(g) < 4:
                continue
            for j in kept:
                if j != i and keep[j] and len(grams[j]) > len(g) and len(g & grams[j]) >= 0.8 * len(g):
                    keep[i] = False
                    break
        return keep
