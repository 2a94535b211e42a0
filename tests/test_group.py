from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from storytrace.group import average_link, knn_pairs, name_tokens
from storytrace.records import Report

from .conftest import S000, S001, S002, S003, S004


def test_average_link_does_not_chain() -> None:
    # a-b and b-c are similar, a-c is not: single linkage would chain all three
    edges = {(0, 1): 0.9, (1, 2): 0.6, (2, 3): 0.9}
    assert average_link(4, edges, 0.5) == [(0, 1), (2, 3)]
    assert average_link(4, {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.8}, 0.5) == [(0, 1, 2), (3,)]


def test_knn_pairs_are_nearest() -> None:
    vecs = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.1, 0.99]], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    pairs = knn_pairs(vecs, 1)
    assert set(pairs) == {(0, 1), (2, 3)}


def test_name_tokens() -> None:
    toks = name_tokens("The Kremlin said Putin will visit Pyongyang on Tuesday with 11,000 guards.")
    assert {"kremlin", "putin", "pyongyang", "11000"} <= set(toks)
    assert "the" not in toks and "tuesday" not in toks


@pytest.mark.slow
def test_seeds_are_one_story(seeds_report: Report) -> None:
    multi = [s for s in seeds_report.stories if len(s.articles) > 1]
    assert len(multi) == 1
    assert set(multi[0].articles) == {S000, S001, S002, S003, S004}


@pytest.mark.slow
def test_example_story_and_unrelated(example_report: Report, truth: dict[str, Any]) -> None:
    stories = {frozenset(s.articles) for s in example_report.stories}
    assert frozenset(truth["story_articles"]) in stories
    assert frozenset(truth["unrelated"]) in stories
    assert len(stories) == 2
