from __future__ import annotations

import pytest

from storytrace.config import Config
from storytrace.records import Report
from storytrace.story.align import align, normalise
from storytrace.text.embed import get_embedder
from storytrace.text.segment import segment

from ..conftest import story_of


def test_normalise_quotes_case_and_space() -> None:
    assert normalise("“We’re  ready,” he said.") == normalise('"we\'re ready," He said')


def _align(src: str, tgt: str) -> object:
    emb = get_embedder()
    a, b = segment("src", src), segment("tgt", tgt)
    return align(a, b, emb.encode([s.text for s in a]), emb.encode([s.text for s in b]), Config())


@pytest.mark.slow
def test_labels_merge_and_added_dropped() -> None:
    src = (
        "The canal will be 48 kilometres long. It will cost 3.4 billion dollars. "
        "Work begins in April 2026 and ends in 2031. The port chief praised the plan. "
        "Fishermen fear for their catch."
    )
    tgt = (
        "The canal will be 48 kilometres long. It will now cost 3.4 billion dollars. "
        "Construction starts in April 2026 and is due to finish in 2031, with the port chief praising the plan. "
        "A local football club won the regional cup on Sunday."
    )
    al = _align(src, tgt)
    labels = {(lk.source, lk.target): lk.label for lk in al.links}  # type: ignore[attr-defined]
    assert labels[((0,), (0,))] == "verbatim"
    assert labels[((1,), (1,))] == "near-verbatim"
    # one target sentence merges two source sentences
    assert labels[((2, 3), (2,))] == "paraphrase"
    assert al.source_unaligned == (4,)  # type: ignore[attr-defined]  # dropped
    assert al.target_unaligned == (3,)  # type: ignore[attr-defined]  # added
    assert al.order == pytest.approx(1.0)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_example_copy_is_verbatim_and_retranslation_is_paraphrase(example_report: Report) -> None:
    story = story_of(example_report, "meridian-original")
    by_pair = {frozenset((a.source, a.target)): a for a in story.alignments}
    copy = by_pair[frozenset(("meridian-original", "portal24-furniture"))]
    assert copy.count("verbatim") == len(copy.links) == 22
    mt = by_pair[frozenset(("meridian-original", "globewire-retranslated"))]
    assert mt.count("paraphrase") >= 10
    assert mt.order > 0.95
