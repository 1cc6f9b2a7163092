"""The line classifier that removes web junk from plain-text scrapes, and its quality gate."""

from pathlib import Path

import json

import numpy as np
import pytest

from tacitus.errors import InputError
from tacitus.evaluate.clean import evaluate_real_pages, evaluate_real_text, fold_of, training_pages
from tacitus.evaluate.scrapes import SHARED_CORPUS_GOLD, read_line_labels, render_lines
from tacitus.ingest.clean import Cleaner, judge_page, load_pages, parse_labelled
from tacitus.ingest.readers import Reader
from tacitus.settings import resolve

SHARED = Path(__file__).resolve().parents[2] / "shared"

# A page written for this test (not in the training pages): junk of every kind around an article.
PAGE = """Home » World » Middle East
Grain corridor reopens after week of talks
Posted on 03/14/23
By Lena Okafor | Via Harbour Wire
Share this: Facebook Twitter WhatsApp Email
ISTANBUL: Ships loaded with wheat left the port of Odesa on Tuesday after negotiators meeting in Istanbul agreed to reopen the corridor, the Turkish defence ministry said.

"This is a fragile arrangement, and everyone at the table knows it," said Mehmet Arslan, a ministry official who took part in the talks.

Officials shared a photo of the first convoy leaving the harbour before dawn.

Inspectors will check every vessel at an anchorage north of the Bosphorus, and any ship found carrying weapons will be turned back, according to the text of the agreement.

The ministry declined to comment further.

Vessels wait near the port entrance on Tuesday. Photo: Harbour Wire/Anton Melnyk

Diplomats said the deal could collapse if attacks on port infrastructure resume, as they did twice last year, and insurers have yet to lower their premiums for ships sailing to the region.

What's Your Reaction?
Like 12
Love 3
Angry 1

Related Posts

Floods cut power to thousands in the delta region
Rescue teams worked through the night as rivers rose across three provinces, officials said on Monday, and more rain is expected…

Leave a Reply
Your email address will not be published. Required fields are marked *
Name *
Email *
Post Comment
http://cheap-pills.example/ http://203.0.113.7/ https://casino-win.example/ http://198.51.100.4/
© 2023 Harbour Wire. All rights reserved.
"""
PROSE_STARTS = ["Ships loaded with wheat", '"This is a fragile', "Officials shared a photo", "Inspectors will check",
                "The ministry declined", "Diplomats said the deal"]
JUNK = ["Share this:", "Vessels wait near the port", "What's Your Reaction?", "Like 12", "Related Posts",
        "Floods cut power", "Rescue teams worked", "Leave a Reply", "Your email address", "Name *", "Post Comment",
        "http://cheap-pills", "© 2023", "Home » World"]


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner.default()


def test_bundled_pages_are_labelled_and_varied():
    pages = load_pages()
    assert len(pages) >= 40
    labels = [label for p in pages for label, _t in p.lines if label]
    assert labels.count("K") > 300 and labels.count("J") > 300
    assert all(any(label == "J" for label, _t in p.lines) for p in pages)  # every page carries junk


def test_labelled_format_errors_are_reported():
    with pytest.raises(ValueError, match="x.txt:2"):
        parse_labelled("x.txt", "K|fine\nQ|bad label\n")
    page = parse_labelled("y.txt", "T|Title\n|\nK|Body text.\n?|Not labelled\nJ|Share\n")
    assert [label for label, _t in page.lines] == ["T", "", "K", "?", "J"]


def test_training_is_deterministic_and_round_trips():
    pages = load_pages()[:20]
    a, b = Cleaner.train(pages), Cleaner.train(pages)
    probe = "\n".join(t for p in load_pages()[20:24] for _l, t in p.lines)
    assert a.score(probe).keep_prob == b.score(probe).keep_prob
    c = Cleaner.from_dict(json.loads(json.dumps(a.as_dict())))
    assert np.allclose([x or 0 for x in c.score(probe).keep_prob], [x or 0 for x in a.score(probe).keep_prob], atol=1e-6)


def test_committed_model_is_trained_mostly_on_real_pages():
    info = Cleaner.default().info
    lines = info["labelled_lines"]
    assert lines["ours"] < 0.25 * sum(lines.values()), info  # our own pages are a minority
    assert info["pages"]["annotated"] >= 70 and info["sites"] >= 200, info


def test_unlabelled_lines_are_context_not_training_targets():
    pages = load_pages()[:12]
    hidden = [parse_labelled(p.name, "\n".join(f"{'?' if lab == 'K' and i % 2 else lab}|{t}"
                                                for i, (lab, t) in enumerate(p.lines))) for p in pages]
    assert any(lab == "?" for p in hidden for lab, _t in p.lines)
    Cleaner.train(hidden)  # trains on the labelled lines only, without error
    with pytest.raises(ValueError, match="no labelled lines"):
        Cleaner.train([parse_labelled("q.txt", "?|one\n?|two\n")])


def test_unseen_page_keeps_prose_and_drops_every_kind_of_junk():
    article = Reader(resolve()).from_text(PAGE, key="p", source_path="p")
    lines = article.text.split("\n")
    for start in PROSE_STARTS:
        assert any(line.startswith(start) for line in lines), start
    for junk in JUNK:
        assert not any(line.startswith(junk) for line in lines), junk
    assert article.title == "Grain corridor reopens after week of talks"
    assert article.author == "Lena Okafor" and article.outlet == "Harbour Wire" and article.dateline == "ISTANBUL"
    assert article.published == "2023-03-14" and article.published_source == "text" and article.date_ambiguous is False
    assert "Leave a Reply" in article.removed and "Related Posts" in article.removed


def test_cleaner_can_be_switched_off():
    article = Reader(resolve(overrides={"clean_text": False})).from_text(PAGE, key="p", source_path="p")
    # only the breadcrumb above the title leaves the text (the head parser's, recorded as removed)
    assert "Leave a Reply" in article.text and article.removed == ["Home » World » Middle East"]


def test_scores_cover_every_line(cleaner):
    scores = cleaner.score("a\n\nb line of text.\n")
    assert len(scores.keep_prob) == 4 and scores.keep_prob[1] is None and scores.keep_prob[3] is None
    assert cleaner.keep("") == [False]


def test_repeated_standfirst_is_kept_once(cleaner):
    body = ("Rebels seized two border posts overnight and the army said it would retake them within days.\n\n"
            "The fighting began late on Friday when rebels attacked the posts from three sides, residents said.\n\n"
            "Officials in the capital said rebels seized two border posts overnight and the army said it would "
            "retake them within days, calling the attack a provocation.\n\n"
            "Aid groups said hundreds of families had fled towards the river since the weekend.")
    keep = cleaner.keep(body)
    kept = [line for line, k in zip(body.split("\n"), keep) if k]
    assert len(kept) == 3 and not kept[0].startswith("Rebels seized")


@pytest.mark.parametrize("name", sorted(SHARED_CORPUS_GOLD))
def test_shared_corpus_junk_gone_and_prose_kept(name):
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip("../shared/corpus is not present")
    raw = path.read_text(encoding="utf-8").split("\n")
    article = Reader(resolve()).from_text("\n".join(raw), key=name, source_path=name)
    body_lines = [" ".join(x.split()) for x in article.text.split("\n")]
    for n in SHARED_CORPUS_GOLD[name]["prose"]:
        want = " ".join(raw[n - 1].split())
        assert any(want.endswith(line) and len(line) > 0.6 * len(want) for line in body_lines), f"{name}:{n} lost"
    for n in SHARED_CORPUS_GOLD[name]["junk"]:
        junk = " ".join(raw[n - 1].split())
        assert junk not in body_lines, f"{name}:{n} left in"


def test_shared_004_metadata():
    path = SHARED / "corpus" / "004.txt"
    if not path.exists():
        pytest.skip("../shared/corpus is not present")
    a = Reader(resolve()).from_text(path.read_text(encoding="utf-8"), key="004", source_path="004")
    assert a.published == "2021-07-10" and a.published_precision == "day" and a.published_source == "text"
    assert a.date_ambiguous is True  # 07/10/21 read month first by default, and flagged
    assert a.author == "Imtiaz Gul" and a.outlet == "MatrixMag"
    b = Reader(resolve(overrides={"date_order": "DMY"})).from_text(path.read_text(encoding="utf-8"), key="004", source_path="004")
    assert b.published == "2021-10-07"


def test_non_english_page_is_not_cleaned_by_the_english_model():
    page = ("Переговоры в Москве\n\nДелегации встретились во вторник в Москве и обсудили безопасность на границе, "
            "сообщили в министерстве.\n\nПоделиться\n\nСтороны договорились продолжить консультации в следующем месяце.\n")
    a = Reader(resolve()).from_text(page, key="ru", source_path="ru")
    assert a.removed == [] and "Поделиться" in a.text


# -- the page judged as a whole (texts written for these tests) -----------------------------------------

WIRE = """Port workers end strike after pay deal

HALDEN, March 3 (Northwind) - Dock workers at the port of Halden returned to work on Tuesday after their union
accepted a two-year pay deal, ending a nine-day strike that had left forty ships waiting offshore.

The union said members voted by a wide margin to accept a 6 percent rise this year and 4 percent next year.

"It is not everything we asked for, but it is a fair result," union secretary Maren Dahl told reporters.

The port authority said it expected the backlog to be cleared by the end of the month.
"""

RESULTS = """CYCLING - RESULTS OF THE TOUR OF THE LAKES STAGE THREE .
Men's results
1. Aldo Ferri (Italy) 4:12:33
2. Piet de Wit (Netherlands) 4:12:40
3. Jonas Berg (Norway) 4:12:41
Women's results
1. Ana Ruiz (Spain) 3:55:02
2. Lena Voss (Germany) 3:55:10
Men's results
Overall standings after three stages : 1. Aldo Ferri 12:40:11
Women's results
Overall standings after three stages : 1. Ana Ruiz 11:02:45
"""

STATEMENT = "I welcome the decision of both governments to reopen the border crossing for aid convoys from Monday."

UPPER = """NAIROBI, 12 MAY 91 -- POLICE SAID TODAY THAT TWO MEN ARMED WITH RIFLES ATTACKED A BANK IN
THE CENTRE OF NAIROBI YESTERDAY AND ESCAPED WITH THE EQUIVALENT OF 40,000 DOLLARS. NO ONE WAS HURT IN
THE ATTACK, ACCORDING TO A POLICE SPOKESMAN.
"""


@pytest.mark.parametrize("text", [WIRE, RESULTS, STATEMENT, UPPER], ids=["wire", "results", "statement", "upper"])
def test_plain_texts_have_no_web_structure_and_lose_nothing(text):
    assert not judge_page(text.split("\n")).structured
    article = Reader(resolve()).finish(Reader(resolve()).from_text(text, key="k", source_path="k"))
    assert article.removed == [] and not any(w.startswith("cleaning would") for w in article.warnings)
    words = lambda s: sorted(w.casefold() for w in s.replace(" .", ".").split())  # noqa: E731
    got = " ".join(filter(None, [article.title, article.dateline, article.text]))
    assert len(words(got)) >= len(words(text)) - 2  # at most a date line became metadata


def test_scraped_page_is_judged_structured():
    j = judge_page(PAGE.split("\n"))
    assert j.structured and j.form_lines >= 2 and j.url_lines >= 1 and j.widget_lines >= 3, j


def test_one_sentence_statement_is_its_own_body():
    article = Reader(resolve()).finish(Reader(resolve()).from_text(STATEMENT, key="s", source_path="s"))
    assert article.text == STATEMENT


def test_upper_case_wire_text_is_truecased_for_the_parser():
    article = Reader(resolve()).finish(Reader(resolve()).from_text(UPPER, key="u", source_path="u"))
    assert article.title is None  # a hard-wrapped first line is not a headline
    assert article.text.startswith("Nairobi, 12 May 91 -- police said today") and "centre of Nairobi" in article.text
    assert article.warnings == ["upper-case text: letter case restored for the parser"]
    off = Reader(resolve(overrides={"restore_case": False})).from_text(UPPER, key="u", source_path="u")
    assert "POLICE SAID TODAY" in off.text and off.warnings == []


def test_pretokenised_text_is_joined():
    text = ("Rail unions call off strike after talks .\n\nThe unions said they had won `` real guarantees '' on "
            "jobs , and that members would n't strike again this year .")
    article = Reader(resolve()).from_text(text, key="t", source_path="t")
    assert 'won "real guarantees" on jobs, and that members wouldn\'t strike again this year.' in article.text
    assert "pre-tokenised text" in article.warnings[0]


def _never_keep() -> Cleaner:
    """A cleaner whose line classifier calls every line junk (stands for a model gone wrong)."""
    from tacitus.ingest.clean import N_FEATURES, _Logistic

    stage = lambda n: _Logistic(np.zeros(n), np.ones(n), np.r_[np.zeros(n), -20.0])  # noqa: E731
    return Cleaner(stage(N_FEATURES[0]), stage(N_FEATURES[1]))


def test_page_whose_prose_would_be_removed_is_kept_whole_with_a_warning():
    reader = Reader(resolve(), cleaner=_never_keep())
    article = reader.finish(reader.from_text(PAGE, key="p", source_path="p"))
    assert "Diplomats said the deal could collapse" in article.text and "Leave a Reply" in article.text
    assert any(w.startswith("cleaning would have removed 5 of 5 prose lines") for w in article.warnings), article.warnings
    reader.cleaner.keep_whole = False  # the safety off: the page is emptied and recorded as a failure
    with pytest.raises(InputError, match="no article text left"):
        reader.finish(reader.from_text(PAGE, key="p", source_path="p"))


def test_page_of_nothing_but_web_junk_is_still_a_failure():
    junk = "\n".join(["Home", "News", "Sport", "Weather", "Contact us", "Share this: Facebook Twitter Email",
                      "Leave a Reply", "Your email address will not be published.", "Post Comment",
                      "http://casino.example/ http://pills.example/", "© 2024 Example Media. All rights reserved."])
    assert judge_page(junk.split("\n")).structured
    with pytest.raises(InputError, match="no article text left"):
        Reader(resolve()).finish(Reader(resolve()).from_text(junk, key="j", source_path="j"))


def test_render_lines_as_a_scrape():
    html = ("<html><head><title>T</title><style>p{}</style><script>var x=1;</script></head><body>"
            "<nav><ul><li><a href='/'>Home</a></li><li>World</li></ul></nav><article><h1>A headline</h1>"
            "<p>First <b>bold</b> paragraph\n continues.</p><p>Second.</p><div hidden>secret</div></article>"
            "<footer>© 2024 Example</footer></body></html>")
    assert render_lines(html) == ["Home", "World", "", "A headline", "", "First bold paragraph continues.", "",
                                  "Second.", "", "© 2024 Example"]


def test_line_annotation_agreement():
    """Our line annotation of real pages (docs/annotation/cleaner-lines.md): a sample labelled twice, by
    different annotators. Measured at labelling: 1,039 lines, raw agreement 0.997, Cohen's kappa 0.993."""
    first, second = read_line_labels("primary"), read_line_labels("second")
    assert len(first) == 72 and len(second) == 8 and set(second) <= set(first)
    pairs = [(first[u][n][0] == "K", lab == "K") for u, lines in second.items() for n, (lab, _h) in lines.items()]
    assert len(pairs) > 1000
    n = len(pairs)
    po = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    kappa = (po - (pa * pb + (1 - pa) * (1 - pb))) / (1 - (pa * pb + (1 - pa) * (1 - pb)))
    assert po >= 0.98 and kappa >= 0.95, (po, kappa)


# -- quality gates on real text (skip without ../shared) ------------------------------------------------

def _eval_dir():
    path = SHARED / "eval"
    if not (path / "trafilatura-eval" / "evaldata.json").exists():
        pytest.skip("../shared/eval is not present")
    return path


def test_real_prose_survives_cleaning():
    """Every real-prose corpus in ../shared/eval (first 150 documents of each): no document lost, at least
    99% of characters kept. The line classifier alone (no page judgement, no keep-whole) loses documents
    here, so this gate fails when the page judgement is off."""
    eval_dir = _eval_dir()
    scores = evaluate_real_text(eval_dir, limit=150)
    assert len(scores) >= 12
    for s in scores:
        assert s.lost == 0 and s.kept_share >= 0.99, s.as_dict()
    alone = Cleaner.default()
    alone.judge_pages = alone.keep_whole = False
    off = evaluate_real_text(eval_dir, ["conll-dev", "lgl"], limit=150, cleaner=alone)
    assert sum(s.lost for s in off) > 0 or min(s.kept_share for s in off) < 0.99, [s.as_dict() for s in off]


def test_quality_gate_real_pages_cross_validated_by_site():
    """Pinned floors on real pages (like trafilatura's eval gate), each page cleaned by a model trained
    without its site. Scores at the time of pinning (5 folds): annotated lines of 57 English real pages
    P 0.796 R 0.877 F1 0.834; benchmark snippets of 144 English pages P 0.904 R 0.902 F1 0.903; the four
    ../shared/corpus pages P 0.985 R 1.0 F1 0.993; our own 52 pages F1 0.939. With the cleaner off,
    precision falls to the share of article lines and this gate fails."""
    pages = training_pages(_eval_dir(), SHARED / "corpus")
    result = evaluate_real_pages(pages, baselines=False)
    first = {group: scores[0] for group, scores in result.items() if isinstance(scores, list)}
    annotated, snippets = first["annotated"], first["trafilatura-eval snippets (rendered as a scrape)"]
    assert annotated.pages >= 55 and annotated.recall >= 0.85 and annotated.f1 >= 0.81, annotated.as_dict()
    assert snippets.pages >= 140 and snippets.recall >= 0.88 and snippets.f1 >= 0.88, snippets.as_dict()
    assert first["ours"].f1 >= 0.92 and first["shared-corpus"].f1 >= 0.98, (first["ours"], first["shared-corpus"])
    # the previous cleaner (our pages only) on the same real pages, for the record: it must stay below
    prev = {group: scores[2] for group, scores in result.items() if isinstance(scores, list)}
    assert prev["annotated"].f1 < annotated.f1 and prev["annotated"].recall < annotated.recall


def test_tree_model_predicts_in_bounded_chunks_with_the_same_result():
    from tacitus.ingest.clean import _base_features

    model = Cleaner.default().stage1
    lines = [t for p in load_pages()[:6] for _l, t in p.lines if t.strip()]
    X = _base_features(lines, None)
    whole = model.predict(X)
    model.CHUNK = 7  # an instance attribute: many small chunks, the last one partial
    assert len(X) > 50 and np.array_equal(model.predict(X), whole)


def test_upper_case_html_article_is_truecased_too():
    html = "<html><body><article>" + "".join(f"<p>{line}</p>" for line in UPPER.strip().split("\n")) + \
           "<p>THE BANK SAID IT WOULD REOPEN ON MONDAY.</p></article></body></html>"
    article = Reader(resolve()).from_html(html, key="h", source_path="h")
    assert "police said today" in article.text and "centre of Nairobi" in article.text, article.text
    assert article.warnings == ["upper-case text: letter case restored for the parser"]
