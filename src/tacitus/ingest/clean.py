"""Boilerplate removal for plain-text scrapes: a page is judged as a whole, then its lines are scored.

1. :func:`judge_page`: does the page carry web-scrape structure at all (widget and form vocabulary, link
   lists, menu separators, teasers, repeated navigation lines, runs of one-word menu lines)? Plain
   articles, wire copy, statements, tables of results and one-paragraph texts do not, and go through
   with every line kept: losing an article is worse than keeping a junk line.
2. On a scraped page a two-stage line classifier scores every line as article text or web junk, over
   line features (length, end punctuation, link and URL density, stop-word ratio, capitalisation,
   position, repetition, likeness to the title, a generic web-interface vocabulary, bullets,
   separators, the page's main prose block, teaser structure); the second stage adds the first stage's
   scores of the neighbouring lines and of the rest of the page. Both stages are gradient-boosted trees
   trained mostly on real pages (``data/cleaner/README.md``; the committed ``model.json`` is rebuilt by
   ``make cleaner-model``) and evaluated here with numpy.
3. Where the classifier would remove most of the page's prose (:data:`MAX_PROSE_REMOVED`), the page is
   kept whole and the decision carries a warning instead of emptying it.

Labelled page format: one ``LABEL|text`` per line, LABEL one of ``T`` (title), ``M`` (date line,
byline, outlet), ``K`` (article text to keep), ``J`` (junk), ``?`` (not labelled: context only);
``|`` alone is a blank line.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

LABELS = frozenset("TMKJ?")  # "?": a line of the page left unlabelled (seen as context, not scored)

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
            raise ValueError(f"{name}:{n}: expected LABEL|text with LABEL in T, M, K, J, ?")
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


#: How many features a line has at each stage (a committed model must match).
N_FEATURES = (_base_features(["A line of text."], None).shape[1],
              _context_features(_base_features(["A line of text."], None), np.array([0.5])).shape[1])


def _trigrams(line: str) -> set[tuple[str, ...]]:
    words = [w.casefold().replace("’", "'") for w in _words(line)]
    return {tuple(words[j:j + 3]) for j in range(len(words) - 2)}


# -- the page as a whole ------------------------------------------------------------------------------

_WIDGET_START = re.compile(
    r"^\s*(?:share(?: this| on)?|tweet|pin it|email this|print(?: this)?|follow us|subscribe|sign (?:up|in)|"
    r"log ?in|register|(?:\d+\s+)?comments?|reply|related(?: posts?| articles?| stories)?|"
    r"read (?:more|also|next)|also read|see also|check also|recommended|you may (?:also )?like|more from|trending|"
    r"popular|tags?\s*:|filed under|categor(?:y|ies)\s*:|posted in|advertisement|sponsored|"
    r"(?:main )?menu|search(?: for)?\s*:?|home|previous(?: post| article)?|next(?: post| article)?|"
    r"newsletter|accept|contact us|about us|about (?:the )?author)\b", re.I)
#: Furniture no article text carries: comment forms, cookie and copyright notices, skip links.
_STRONG_WIDGET = re.compile(
    r"^\s*(?:leave a (?:reply|comment)|post (?:a |your )?comment|please enter your|your email address will not|"
    r"required fields are marked|you must be logged in|skip to (?:main )?content|all rights reserved|"
    r"(?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|[A-Z])|this site uses cookies|we use cookies|accept (?:all )?cookies|"
    r"privacy policy|terms of (?:use|service)|sign up for (?:our|the) newsletter|subscribe to (?:our|the) newsletter|"
    r"share (?:this|on)\b|click (?:here )?to share|like this:|loading\.\.\.)", re.I)
_MENU_SEPARATORS = re.compile(r"\s[|•·»›>/]\s")


@dataclass(frozen=True)
class PageJudgement:
    """Whether a page carries web-scrape structure at all, and the evidence (counts of lines)."""

    widget_lines: int = 0    # short lines of web-interface vocabulary: share bars, menus, "Related", "Reply"
    form_lines: int = 0      # comment forms, cookie and copyright notices, skip links (count double)
    url_lines: int = 0       # lines that are mostly web addresses: link lists (count double)
    menu_lines: int = 0      # lines cut by menu or breadcrumb separators (" | ", " » ")
    teaser_lines: int = 0    # lines cut off with an ellipsis or "Read more": teasers of other pages
    repeated_lines: int = 0  # short word-only lines that occur more than once (navigation, repeated titles)
    nav_runs: int = 0        # runs of five or more one-to-three-word lines without digits or end marks (double)

    @property
    def evidence(self) -> int:
        return (self.widget_lines + 2 * self.form_lines + 2 * self.url_lines + self.menu_lines + self.teaser_lines
                + self.repeated_lines + 2 * self.nav_runs)

    @property
    def structured(self) -> bool:
        return self.evidence >= STRUCTURE_EVIDENCE


#: A page is judged scraped when it shows at least this much evidence of web furniture.
STRUCTURE_EVIDENCE = 3


def judge_page(lines: Sequence[str]) -> PageJudgement:
    """Does the page carry web-scrape structure at all? Plain articles, wire copy, statements,
    one-paragraph texts and tables of results do not: they go through without line removal."""
    widget = forms = urls = menus = teasers = navs = 0
    seen: dict[str, int] = {}
    run = nonblank = digit_lines = 0
    for raw in lines:
        s = raw.strip()
        if not s:
            continue
        nonblank += 1
        digits = any(c.isdigit() for c in s)
        digit_lines += digits
        words = _words(s)
        nw = len(words)
        tokens = s.split()
        terminal = bool(_TERMINAL.search(s))
        if _STRONG_WIDGET.match(s) and nw <= 20:
            forms += 1
        elif nw <= 8:
            low = [w.casefold() for w in words]
            web = sum(1 for w in low if w in WEB_VOCABULARY)
            if (_WIDGET_START.match(s) and nw <= 6) or (nw >= 1 and web / nw >= 0.6 and (nw <= 6 or not terminal)):
                widget += 1
        if nw <= 8 and words and not terminal and not digits and s[0] not in "[(" \
                and not s.endswith(":"):
            key = " ".join(s.casefold().split())
            seen[key] = seen.get(key, 0) + 1
        if tokens and len(_URL.findall(s)) >= max(1, 0.5 * len(tokens)):
            urls += 1
        if len(_MENU_SEPARATORS.findall(s)) >= 2 and not terminal:
            menus += 1
        if nw <= 60 and _ELLIPSIS.search(s) and not s.endswith("..."):
            teasers += 1
        if 1 <= nw <= 3 and not digits and not terminal:
            run += 1
            if run == 5:
                navs += 1
        else:
            run = 0
    repeated = sum(n - 1 for n in seen.values() if n > 1)
    if digit_lines >= 0.5 * nonblank:
        # a table of results, standings or figures: its repeated headings ("W L PCT", "Men's singles") and
        # column separators are the table's own, not a site's navigation
        repeated = menus = 0
    return PageJudgement(widget, forms, urls, menus, teasers, repeated, navs)


def prose_line(line: str) -> bool:
    """A line that reads as article prose: a sentence of some length with an end mark, or a long line."""
    nw = len(_words(line))
    return (nw >= _PROSE_WORDS and bool(_TERMINAL.search(line.strip()))) or nw >= 25


# -- model ----------------------------------------------------------------------------------------

def _balanced(y: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
    """Sample weights with the two classes' totals made equal, so the rarer class is not ignored."""
    base = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    pos = max(1e-9, (base * y).sum())
    neg = max(1e-9, (base * (1 - y)).sum())
    return base * np.where(y > 0, base.sum() / (2 * pos), base.sum() / (2 * neg))


@dataclass
class _Logistic:
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray  # bias last

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, l2: float = 1.0, sample_weight: np.ndarray | None = None) -> "_Logistic":
        from scipy.optimize import minimize

        mean = X.mean(axis=0)
        scale = X.std(axis=0)
        scale[scale == 0] = 1.0
        Z = np.column_stack([(X - mean) / scale, np.ones(len(X))])
        sw = _balanced(y, sample_weight)

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

    def as_dict(self) -> dict:
        return {"kind": "logistic", "mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "weights": self.weights.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> "_Logistic":
        return cls(np.asarray(d["mean"], dtype=float), np.asarray(d["scale"], dtype=float),
                   np.asarray(d["weights"], dtype=float))


@dataclass
class _Trees:
    """Gradient-boosted trees (fitted with scikit-learn's HistGradientBoostingClassifier, evaluated
    here with numpy so that running the cleaner needs no scikit-learn): nonlinear where the logistic
    regression is not, so one model fits news sites, blogs and our own scrapes at once."""

    baseline: float
    trees: list[dict[str, np.ndarray]]  # per tree: feature, threshold, left, right, leaf, value

    ITERATIONS = 200
    DEPTH = 4
    RATE = 0.05

    @classmethod
    def fit(cls, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> "_Trees":
        from sklearn.ensemble import HistGradientBoostingClassifier

        sw = _balanced(y, sample_weight)
        est = HistGradientBoostingClassifier(max_iter=cls.ITERATIONS, max_depth=cls.DEPTH, learning_rate=cls.RATE,
                                             early_stopping=False, random_state=0)
        est.fit(X, y.astype(int), sample_weight=sw)
        trees = []
        for (predictor,) in est._predictors:
            nodes = predictor.nodes
            trees.append({"feature": nodes["feature_idx"].astype(np.int64), "threshold": nodes["num_threshold"].astype(float),
                          "left": nodes["left"].astype(np.int64), "right": nodes["right"].astype(np.int64),
                          "leaf": nodes["is_leaf"].astype(bool), "value": nodes["value"].astype(float)})
        return cls(float(np.ravel(est._baseline_prediction)[0]), trees)

    def __post_init__(self) -> None:
        # all trees as one node table: children as global indexes, a leaf pointing to itself with an
        # infinite threshold, so every line walks every tree in the same number of steps
        offsets = np.cumsum([0] + [len(t["leaf"]) for t in self.trees])
        leaf = np.concatenate([t["leaf"] for t in self.trees])
        own = np.arange(offsets[-1])
        self._roots = offsets[:-1]
        self._feature = np.concatenate([t["feature"] for t in self.trees])
        self._threshold = np.where(leaf, np.inf, np.concatenate([t["threshold"] for t in self.trees]))
        self._left = np.where(leaf, own, np.concatenate([t["left"] + o for t, o in zip(self.trees, offsets)]))
        self._right = np.where(leaf, own, np.concatenate([t["right"] + o for t, o in zip(self.trees, offsets)]))
        self._value = np.concatenate([t["value"] for t in self.trees])

    #: Lines walked through the trees at once: the node table is lines x trees, so a page of 200,000
    #: one-word lines would otherwise need gigabytes.
    CHUNK = 2048

    def predict(self, X: np.ndarray) -> np.ndarray:
        raw = np.empty(len(X))
        for start in range(0, len(X), self.CHUNK):
            x = X[start:start + self.CHUNK]
            node = np.broadcast_to(self._roots, (len(x), len(self._roots))).copy()
            rows = np.arange(len(x))[:, None]
            while True:  # one step down per level; leaves point to themselves
                go_left = x[rows, self._feature[node]] <= self._threshold[node]
                step = np.where(go_left, self._left[node], self._right[node])
                if np.array_equal(step, node):
                    break
                node = step
            raw[start:start + len(x)] = self.baseline + self._value[node].sum(axis=1)
        return 1 / (1 + np.exp(-raw))

    def as_dict(self) -> dict:
        """Compact: leaves carry only their value, inner nodes only feature, threshold and children."""
        out = []
        for t in self.trees:
            leaf = t["leaf"]
            out.append({"feature": np.where(leaf, -1, t["feature"]).tolist(),
                        "threshold": [0 if lf else float(f"{x:.9g}") for lf, x in zip(leaf, t["threshold"])],
                        "left": np.where(leaf, 0, t["left"]).tolist(), "right": np.where(leaf, 0, t["right"]).tolist(),
                        "value": [float(f"{x:.9g}") if lf else 0 for lf, x in zip(leaf, t["value"])]})
        return {"kind": "trees", "baseline": self.baseline, "trees": out}

    @classmethod
    def from_dict(cls, d: dict) -> "_Trees":
        kinds = {"feature": np.int64, "threshold": float, "left": np.int64, "right": np.int64, "value": float}
        trees = []
        for t in d["trees"]:
            tree = {k: np.asarray(t[k], dtype=dt) for k, dt in kinds.items()}
            tree["leaf"] = tree["feature"] < 0
            tree["feature"] = np.maximum(tree["feature"], 0)
            trees.append(tree)
        return cls(float(d["baseline"]), trees)


@dataclass
class LineScores:
    """Per input line: probability that it is article text (None for blank lines)."""

    lines: list[str]
    keep_prob: list[float | None]


@dataclass
class CleanDecision:
    """What the cleaner decided for one page: a flag per line, the page judgement, and a warning when
    the page was kept whole because cleaning would have removed most of its prose."""

    keep: list[bool]
    judgement: PageJudgement
    warning: str | None = None


#: The committed model (rebuilt by ``make cleaner-model`` from the data it names).
MODEL_FILE = "model.json"
#: When cleaning would remove more than this share of a page's prose characters, the page is kept whole.
MAX_PROSE_REMOVED = 0.8


class Cleaner:
    """Scores the lines of a plain-text page; :meth:`decide` says which lines are article text."""

    def __init__(self, stage1: _Logistic, stage2: _Logistic, threshold: float = 0.5, info: dict | None = None,
                 judge_pages: bool = True, keep_whole: bool = True, line_rules: bool = True):
        self.stage1 = stage1
        self.stage2 = stage2
        self.threshold = threshold
        self.info = info or {}
        self.judge_pages = judge_pages  # off: every page goes to the line classifier (for ablations)
        self.keep_whole = keep_whole    # off: a page may lose most of its prose (for ablations)
        self.line_rules = line_rules    # off: no recurring-line and prose-between-kept-lines rules (the old cleaner)

    @classmethod
    def train(cls, pages: Iterable[LabelledPage], threshold: float = 0.5,
              page_weights: Sequence[float] | None = None, kind: str = "trees") -> "Cleaner":
        """Fit both stages on the labelled lines of ``pages`` (``?`` lines are context only), as
        gradient-boosted trees (``kind="trees"``, the default) or logistic regressions ("logistic").
        A page's weight multiplies each of its lines'."""
        X1, y, w, masks = [], [], [], []
        pages = list(pages)
        weights = list(page_weights) if page_weights is not None else [1.0] * len(pages)
        for page, pw in zip(pages, weights):
            texts = [t for label, t in page.lines if label]
            labels = [label for label, _t in page.lines if label]
            title = next((t for label, t in page.lines if label == "T"), None)
            mask = np.array([label != "?" for label in labels])
            if not texts or not mask.any():
                continue
            X1.append(_base_features(texts, title))
            y.append(np.array([1.0 if label == "K" else 0.0 for label in labels]))
            w.append(np.full(len(texts), float(pw)))
            masks.append(mask)
        if not X1:
            raise ValueError("no labelled lines to train the cleaner on")
        m = np.concatenate(masks)
        Xa, ya, wa = np.vstack(X1), np.concatenate(y), np.concatenate(w)
        model = _Trees if kind == "trees" else _Logistic
        stage1 = model.fit(Xa[m], ya[m], sample_weight=wa[m])
        X2 = np.vstack([_context_features(x, stage1.predict(x)) for x in X1])
        stage2 = model.fit(X2[m], ya[m], sample_weight=wa[m])
        return cls(stage1, stage2, threshold)

    # -- persistence ------------------------------------------------------------------------------
    def as_dict(self) -> dict:
        return {"format": 2, "features": list(N_FEATURES), "stage1": self.stage1.as_dict(),
                "stage2": self.stage2.as_dict(), "info": self.info}

    @classmethod
    def from_dict(cls, d: dict, threshold: float = 0.5) -> "Cleaner":
        if d.get("format") != 2:
            raise ValueError(f"unknown cleaner model format {d.get('format')!r}")
        if d.get("features") != list(N_FEATURES):
            raise ValueError(f"the cleaner model has {d.get('features')} line features, the code computes "
                             f"{N_FEATURES}: rebuild it with `make cleaner-model`")

        def stage(x: dict):
            return _Trees.from_dict(x) if x.get("kind") == "trees" else _Logistic.from_dict(x)

        return cls(stage(d["stage1"]), stage(d["stage2"]), threshold, d.get("info"))

    @classmethod
    def default(cls, threshold: float = 0.5) -> "Cleaner":
        """The committed model, trained mostly on real pages (see ``data/cleaner/README.md``)."""
        raw = resources.files("tacitus").joinpath("data", "cleaner", MODEL_FILE).read_text(encoding="utf-8")
        return cls.from_dict(json.loads(raw), threshold)

    # -- use --------------------------------------------------------------------------------------
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
        """One flag per line of ``text``: True for article text (blank lines are False), by the line
        classifier alone (no page judgement; :meth:`decide` adds it).

        Besides the classifier: a short line without an end mark that recurs three times or more is
        dropped; a prose line between two kept lines (or at the page's edge beside one) is kept; a kept
        line whose word trigrams nearly all recur in one longer kept line (a standfirst or pull quote
        repeating the article) is dropped: the text is kept once."""
        scores = self.score(text, title)
        keep = [p is not None and p >= self.threshold for p in scores.keep_prob]
        # a line of four to ten words without an end mark that recurs three times or more is furniture (a
        # repeated teaser, keyword stuffing), wherever it stands
        folded = [" ".join(s.casefold().split()) for s in scores.lines] if self.line_rules else []
        recurs: dict[str, int] = {}
        for f in folded:
            if f:
                recurs[f] = recurs.get(f, 0) + 1
        for i, s in enumerate(scores.lines if self.line_rules else ()):
            if keep[i] and recurs.get(folded[i], 0) >= 3 and 4 <= len(_words(s)) <= 10 and not _TERMINAL.search(s.strip()):
                keep[i] = False
        # a prose line between kept lines (or at the page's edge beside one) belongs to the article
        nonblank = [i for i, s in enumerate(scores.lines) if s.strip()] if self.line_rules else []
        rescued = []
        for j, i in enumerate(nonblank):
            if keep[i] or not prose_line(scores.lines[i]):
                continue
            before = keep[nonblank[j - 1]] if j > 0 else None
            after = keep[nonblank[j + 1]] if j + 1 < len(nonblank) else None
            if (before, after) in ((True, True), (None, True), (True, None)):
                rescued.append(i)
        for i in rescued:
            keep[i] = True
        kept = [i for i, k in enumerate(keep) if k]
        grams = {i: _trigrams(scores.lines[i]) for i in kept}
        postings: dict[tuple[str, ...], list[int]] = {}
        for i in kept:
            for t in grams[i]:
                postings.setdefault(t, []).append(i)
        for i in kept:  # only lines sharing a trigram are compared (not every pair: pages can be long)
            g = grams[i]
            if len(g) < 4:
                continue
            shared: dict[int, int] = {}
            for t in g:
                for j in postings[t]:
                    shared[j] = shared.get(j, 0) + 1
            if any(j != i and keep[j] and len(grams[j]) > len(g) and n >= 0.8 * len(g) for j, n in shared.items()):
                keep[i] = False
        return keep

    def decide(self, text: str, title: str | None = None) -> CleanDecision:
        """The page first judged as a whole: a page with no web-scrape structure keeps every line.
        Otherwise the line classifier decides, unless it would remove most of the page's prose: then
        the page is kept whole and the decision carries a warning."""
        lines = text.split("\n")
        judgement = judge_page(lines)
        everything = [bool(s.strip()) for s in lines]
        if self.judge_pages and not judgement.structured:
            return CleanDecision(everything, judgement)
        keep = self.keep(text, title)
        prose = [i for i, s in enumerate(lines) if prose_line(s)]
        total = sum(len(lines[i]) for i in prose)
        lost = sum(len(lines[i]) for i in prose if not keep[i])
        if self.keep_whole and total and lost > MAX_PROSE_REMOVED * total:
            n_lost = sum(1 for i in prose if not keep[i])
            return CleanDecision(everything, judgement,
                                 f"cleaning would have removed {n_lost} of {len(prose)} prose lines "
                                 f"({lost / total:.0%} of their characters): the page is kept whole")
        return CleanDecision(keep, judgement)
