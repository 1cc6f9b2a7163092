"""The line classifier that removes web junk from plain-text scrapes, and its quality gate."""

from pathlib import Path

import numpy as np
import pytest

from tacitus.evaluate.clean import evaluate_pages
from tacitus.ingest.clean import Cleaner, load_pages, parse_labelled
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
    page = parse_labelled("y.txt", "T|Title\n|\nK|Body text.\nJ|Share\n")
    assert [label for label, _t in page.lines] == ["T", "", "K", "J"]


def test_training_is_deterministic():
    pages = load_pages()[:20]
    a, b = Cleaner.train(pages), Cleaner.train(pages)
    assert np.array_equal(a.stage2.weights, b.stage2.weights)


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
    assert "Leave a Reply" in article.text and article.removed == []


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


def test_quality_gate_cross_validated():
    """Pinned floors (like trafilatura's eval gate): a change that makes the cleaner worse fails CI.
    Scores at the time of pinning: precision 0.948, recall 0.925, F1 0.936 (6 folds, 52 pages)."""
    [ours, *_] = evaluate_pages(load_pages(), folds=6, baselines=False)
    assert ours.precision >= 0.93 and ours.recall >= 0.91 and ours.f1 >= 0.93, ours.as_dict()


# Line numbers in ../shared/corpus (we may read those files, not copy them): junk lines that must
# leave the text and article paragraphs that must stay.
SHARED_GOLD = {
    "000.txt": {"junk": [1, 5, 37, 39, 41, 43, 45], "prose": list(range(7, 36, 2))},
    "002.txt": {"junk": [36, 37], "prose": list(range(1, 34, 2))},
    "003.txt": {"junk": [5, 11, 12, 13, 21, 29, 39, 49, 53, 67],
                "prose": [7, 9, 15, 17, 19, 23, 25, 27, 31, 33, 35, 37, 41, 43, 45, 47, 51, 55, 57, 61, 63, 65, 69, 71, 73]},
    "004.txt": {"junk": [3, 5, 6, 24, 32, 34, 36, 38, 40, 42, 44, 46], "prose": [10, 12, 14, 16, 18, 20, 22, 26, 28, 30]},
}


@pytest.mark.parametrize("name", sorted(SHARED_GOLD))
def test_shared_corpus_junk_gone_and_prose_kept(name):
    path = SHARED / "corpus" / name
    if not path.exists():
        pytest.skip("../shared/corpus is not present")
    raw = path.read_text(encoding="utf-8").split("\n")
    article = Reader(resolve()).from_text("\n".join(raw), key=name, source_path=name)
    body_lines = [" ".join(x.split()) for x in article.text.split("\n")]
    for n in SHARED_GOLD[name]["prose"]:
        want = " ".join(raw[n - 1].split())
        assert any(want.endswith(line) and len(line) > 0.6 * len(want) for line in body_lines), f"{name}:{n} lost"
    for n in SHARED_GOLD[name]["junk"]:
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
