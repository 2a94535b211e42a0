"""The paraphrase / rewritten label of semantic links (storytrace.story.meaning, align.relabel_rewritten)."""

from __future__ import annotations

import json

import numpy as np
import numpy.typing as npt
import pytest

from storytrace.config import Config
from storytrace.errors import StorytraceError
from storytrace.records import Report, Sentence
from storytrace.render.report import derivation_json
from storytrace.story.align import align
from storytrace.story.meaning import (
    PARAPHRASE_FEATURES,
    ParaphraseModel,
    from_json,
    same_meaning,
    shipped_model,
    to_json,
)
from storytrace.text.embed import get_embedder
from storytrace.text.segment import segment

from ..conftest import story_of

FloatArray = npt.NDArray[np.float32]

SAME = [
    (
        "The city council approved the new harbour budget on Tuesday.",
        "On Tuesday the city council approved the new budget for the harbour.",
    ),
    (
        "Police closed the northern bridge after a lorry overturned early on Friday.",
        "The northern bridge was closed by police early on Friday after a lorry overturned.",
    ),
]
CHANGED = [
    (
        "The city council approved the new harbour budget on Tuesday.",
        "The city council approved the new harbour budget on Tuesday after a three-hour debate in which "
        "opposition members accused Mayor Brandt of hiding the cost of the ferry terminal.",
    ),
    (
        "Police closed the northern bridge after a lorry overturned early on Friday.",
        "Police closed the northern bridge on Friday, and engineers from Valdor Construction said repairs "
        "could take until March 2027.",
    ),
]


@pytest.fixture(scope="session")
def paraphrase_model() -> ParaphraseModel:
    """The shipped coefficients, read once for the session."""
    return shipped_model()


def _cosines(pairs: list[tuple[str, str]]) -> list[float]:
    emb = get_embedder()
    left = emb.encode([a for a, _ in pairs])
    right = emb.encode([b for _, b in pairs])
    return [float(a @ b) for a, b in zip(left, right, strict=True)]


def test_shipped_model_matches_the_features(paraphrase_model: ParaphraseModel) -> None:
    n = len(PARAPHRASE_FEATURES)
    assert len(paraphrase_model.weights) == len(paraphrase_model.means) == len(paraphrase_model.scales) == n
    assert all(s > 0 for s in paraphrase_model.scales)
    # the round trip through the JSON file format keeps the coefficients
    assert from_json(json.loads(json.dumps(to_json(paraphrase_model)))) == paraphrase_model
    data = to_json(paraphrase_model)
    data["features"] = data["features"][:-1]
    with pytest.raises(StorytraceError, match="other features"):
        from_json(data)


@pytest.mark.slow
def test_same_meaning_separates_rewordings_from_additions(paraphrase_model: ParaphraseModel) -> None:
    pairs = SAME + CHANGED
    p = same_meaning(pairs, _cosines(pairs), paraphrase_model)
    assert all(v >= 0.5 for v in p[: len(SAME)]), p
    assert all(v < 0.5 for v in p[len(SAME) :]), p
    assert len(same_meaning([], [], paraphrase_model)) == 0


def two_versions() -> tuple[tuple[Sentence, ...], tuple[Sentence, ...], FloatArray, FloatArray]:
    """Two three-sentence versions: a reworded sentence, one with material added, one verbatim
    (their sentences and sentence vectors)."""
    src = " ".join([SAME[0][0], SAME[1][0], "A jazz festival opens in the old town square next week."])
    tgt = " ".join([SAME[0][1], CHANGED[1][1], "A jazz festival opens in the old town square next week."])
    a, b = segment("src", src), segment("tgt", tgt)
    emb = get_embedder()
    return a, b, emb.encode([s.text for s in a]), emb.encode([s.text for s in b])


@pytest.mark.slow
def test_align_keeps_links_and_only_refines_their_label() -> None:
    a, b, va, vb = two_versions()
    refined = align(a, b, va, vb, Config())
    plain = align(a, b, va, vb, Config(rewrite_labels=False))
    # the same links with the same scores: lineage and drift see the same alignment
    assert [(lk.source, lk.target, lk.score) for lk in refined.links] == [
        (lk.source, lk.target, lk.score) for lk in plain.links
    ]
    assert refined.source_coverage == plain.source_coverage and refined.order == plain.order
    labels = {lk.target: lk.label for lk in refined.links}
    assert labels == {(0,): "paraphrase", (1,): "rewritten", (2,): "verbatim"}
    assert {lk.target: lk.label for lk in plain.links} == {
        (0,): "paraphrase",
        (1,): "paraphrase",
        (2,): "verbatim",
    }
    assert refined.count("rewritten") == 1 and plain.count("rewritten") == 0


@pytest.mark.slow
def test_derivations_count_rewritten_links(example_report: Report) -> None:
    story = story_of(example_report, "meridian-original")
    by_pair = {(a.source, a.target): a for a in story.alignments}
    by_pair.update({(a.target, a.source): a.reversed() for a in story.alignments})
    seen = 0
    for d in story.derivations:
        al = by_pair[(d.source, d.target)]
        assert (d.verbatim, d.near_verbatim, d.paraphrase, d.rewritten) == (
            al.count("verbatim"),
            al.count("near-verbatim"),
            al.count("paraphrase"),
            al.count("rewritten"),
        )
        assert derivation_json(d)["rewritten"] == d.rewritten
        assert f"{d.rewritten} rewritten" in d.evidence[0]
        seen += d.rewritten
    # the clickfeed rewrite adds material to sentences it keeps: some links are rewritten
    assert seen >= 1


@pytest.mark.slow
def test_html_report_shows_rewritten_rows(example_report: Report) -> None:
    from storytrace.render.html_report import render_report

    html = render_report(example_report)
    assert '<tr class="rewritten">' in html and '<tr class="paraphrase">' in html
    assert "var(--rewritten)" in html and ">rewritten</span>" in html  # colour and legend entry
