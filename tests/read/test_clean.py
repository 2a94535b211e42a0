from __future__ import annotations

from typing import Any

import pytest

from storytrace.read.clean import classify, clean_article, clean_corpus, paragraphs
from storytrace.read.inputs import read_inputs
from storytrace.records import RawArticle

from ..conftest import EXAMPLES, S000, S001, SEEDS, needs_shared


def test_paragraphs_join_hard_wrapped_lines_only() -> None:
    text = "The council met on Tuesday and\nvoted to close the road.\nRead Mode\n\nSecond paragraph here."
    assert paragraphs(text) == [
        "The council met on Tuesday and voted to close the road.",
        "Read Mode",
        "Second paragraph here.",
    ]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Comment: This is outrageous, the government never listens.", "comment"),
        ("Reply from Jo: totally agree", "comment"),
        ("© Harbour Press/Photo: Ana Lee. Ships at the quay in this file photo.", "caption"),
        ("The mayor at the opening in this handout photo released by the city.", "caption"),
        ("Image Source: Lumen Photo Agency", "credit"),
        ("Written by Ana Silva and Tom Berg", "credit"),
        ("Read Mode", "boilerplate"),
        ("100% Font Size", "boilerplate"),
        ("7 min read", "boilerplate"),
        ("Sign up for our newsletter to get the morning briefing.", "boilerplate"),
        ("For all the latest headlines follow our Google News channel online or via the app.", "boilerplate"),
        ("Read more: Council approves new cycling lanes", "related"),
        ("* * *", "other"),
    ],
)
def test_classify_cues(line: str, kind: str) -> None:
    verdict = classify(line)
    assert verdict is not None and verdict[0] == kind, verdict


@pytest.mark.parametrize(
    "line",
    [
        "The minister said the port would reopen on Monday.",
        '"We will not give up," said the union leader, who has read more than 300 pages of the report.',
        "Share prices fell 3% after the announcement, analysts said.",
        "Soviet-era ties",
    ],
)
def test_body_lines_are_kept(line: str) -> None:
    assert classify(line) is None


def test_related_block_runs_until_body_text() -> None:
    raw = RawArticle(
        "x",
        "Body sentence one is here.\n\nRead more:\n\nStorm hits coast\n\nTrain fares rise again\n\n"
        "The ministry later said the deal stands.",
    )
    cleaned = clean_article(raw)
    assert [r.kind for r in cleaned.removed] == ["related", "related", "related"]
    assert cleaned.text == "Body sentence one is here.\n\nThe ministry later said the deal stands."


def test_repeated_short_line_across_corpus_is_furniture() -> None:
    raws = [
        RawArticle(
            f"a{i}",
            f"Story number {i} happened today in town.\n\nCoast Daily Morning Edition\n\nMore text {i}.",
        )
        for i in range(3)
    ]
    out = clean_corpus(raws)
    for c in out:
        assert [(r.kind, r.text) for r in c.removed] == [("boilerplate", "Coast Daily Morning Edition")]
        assert "repeated in 3 or more articles" in c.removed[0].reason
    # a repeated full sentence (a wire copy) is not furniture
    raws = [
        RawArticle(f"b{i}", "The minister resigned on Friday after a long row over the budget.")
        for i in range(4)
    ]
    assert all(not c.removed for c in clean_corpus(raws))


def test_dateline_and_byline_become_credits() -> None:
    raw = RawArticle(
        "x", "Written by Ana Silva and Tom Berg\n\nVALDORA, March 3 (Meridian Press) - The port reopened."
    )
    cleaned = clean_article(raw)
    assert cleaned.credits == ("Ana Silva", "Tom Berg", "Meridian Press")
    assert cleaned.text.startswith("VALDORA")


def _removed(article_id: str, path: Any) -> list[tuple[str, str]]:
    ing = read_inputs([path])
    cleaned = {c.id: c for c in clean_corpus(ing.articles)}
    return [(r.kind, r.text) for r in cleaned[article_id].removed]


def test_seed_000_comments_and_caption_removed() -> None:
    needs_shared(SEEDS)
    removed = _removed(S000, SEEDS)
    comments = [t for k, t in removed if k == "comment"]
    assert len(comments) == 2 and all(t.startswith("Comment:") for t in comments)
    captions = [t for k, t in removed if k in ("caption", "credit")]
    assert any(t.startswith("© KCNA via REUTERS") for t in captions)
    assert len(removed) == 3


def test_seed_001_site_furniture_removed() -> None:
    needs_shared(SEEDS)
    removed = dict((t, k) for k, t in _removed(S001, SEEDS))
    for line in ("Read Mode", "100% Font Size", "5 min read", "Top Content Trending"):
        assert line in removed, line
    assert any("Google News channel" in t for t in removed)
    assert removed["Read more:"] == "related"
    headlines = [t for t, k in removed.items() if k == "related" and t != "Read more:"]
    assert len(headlines) == 3
    ing = read_inputs([SEEDS])
    text = next(c for c in clean_corpus(ing.articles) if c.id == S001).text
    assert "Font Size" not in text and "Read more" not in text and "Trending" not in text
    assert "John Kirby" in text


def test_example_removals_match_truth(truth: dict[str, Any]) -> None:
    ing = read_inputs([EXAMPLES])
    cleaned = {c.id: c for c in clean_corpus(ing.articles)}
    for article_id, expected in truth["removed"].items():
        got = [(r.kind, r.text) for r in cleaned[article_id].removed]
        for item in expected:
            match = [k for k, t in got if t.startswith(item["startswith"])]
            assert match == [item["kind"]], (article_id, item, got)
        assert len(got) == len(expected), (article_id, got)
    # the original and the rewrite keep all body text; the rewrite's image credit is removed
    assert cleaned["meridian-original"].removed == ()
    assert [r.kind for r in cleaned["clickfeed-rewrite"].removed] == ["credit"]


def test_mojibake_is_repaired_and_reported_as_an_encoding_step() -> None:
    from storytrace.read.clean import clean_article, repair_encoding
    from storytrace.records import RawArticle

    broken = "FÃ¼r den Kanal zahlt Karsova 60 Prozent. Der Minister Ã¤uÃŸerte sich am Donnerstag."
    cleaned = clean_article(RawArticle("de-1", broken))
    assert cleaned.text == "Für den Kanal zahlt Karsova 60 Prozent. Der Minister äußerte sich am Donnerstag."
    (note,) = [r for r in cleaned.removed if r.kind == "encoding"]
    assert "'Ã¼' -> 'ü'" in note.text and "mojibake repaired by ftfy" in note.reason
    # curly quotes and full-width characters are left as written; clean text is untouched
    assert repair_encoding("“Ready,” he said. 部长。") == ("“Ready,” he said. 部长。", None)
