"""Ordering a page's revision history as a whole (``storytrace.story.revisions``)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import numpy as np
import pytest

from storytrace.story.revisions import (
    EXACT_MAX,
    _search_exact,
    _search_heuristic,
    edit_distances,
    order_revisions,
)

URL = "https://wiki.example.org/Kessling"

_R1 = [
    "Kessling is a small market town on the river Aube in the fictional province of Maren.",
    "It had a population of 4,200 at the census of 1999.",
    "The town grew up around a ford used by salt traders in the Middle Ages.",
    "Its church of St. Odile was built in the thirteenth century and has a tall wooden spire.",
    "The local economy depends on dairy farming and on a cheese cooperative founded in 1921.",
    "A weekly market is held on the main square every Thursday.",
]
# a railway paragraph and a football club (with a misspelling)
_R2 = [
    *_R1[:4],
    "The railway reached Kessling in 1887, and the station still has its original brick building.",
    *_R1[4:],
    "The town's football club, founded by railway workers, plays in the regional leauge.",
]
# the misspelling corrected, and a new sentence on the footbridge
_R3 = [
    *_R2[:3],
    "In 2004 the old ford was replaced by a footbridge designed by a local architect.",
    *_R2[3:-1],
    "The town's football club, founded by railway workers, plays in the regional league.",
]
# shortened: the church and railway sentences cut, the census updated
_R4 = [
    _R3[0],
    "It had a population of 4,350 at the census of 2011.",
    *_R3[2:4],
    *_R3[6:],
]
# a section on notable people
_R5 = [
    *_R4,
    "The painter Ilse Varga was born in Kessling in 1902 and painted the river meadows all her life.",
    "The cyclist Tomas Brenn, who won a stage of the national tour in 2016, grew up on a farm near the town.",
]
#: five revisions of a fictional encyclopedia page, oldest first: it grows, corrects a misspelling,
#: loses a section (the fourth is shorter than the third) and grows again
HISTORY = [" ".join(r) for r in (_R1, _R2, _R3, _R4, _R5)]
IDS = ["rev-a", "rev-b", "rev-c", "rev-d", "rev-e"]


def growth_score(texts: dict[str, str]) -> Callable[[str, str], float]:
    """A pairwise cue like lineage's growth cue: the longer revision is the later one."""

    def score(x: str, y: str) -> float:
        lx, ly = len(texts[x]), len(texts[y])
        return math.tanh((ly - lx) / max(lx, ly) / 0.1)

    return score


def test_fixture_history_has_a_shortened_revision() -> None:
    # the fourth revision is shorter than the third: growth alone gets that pair wrong
    lengths = [len(t) for t in HISTORY]
    assert lengths[3] < lengths[2]
    assert lengths[0] < lengths[1] < lengths[2] and lengths[3] < lengths[4]


@pytest.mark.parametrize("seed", range(6))
def test_shuffled_history_is_recovered(seed: int) -> None:
    texts = dict(zip(IDS, HISTORY, strict=True))
    shuffled = list(IDS)
    random.Random(seed).shuffle(shuffled)
    score = growth_score(texts)
    assert score("rev-c", "rev-d") < 0 and score("rev-b", "rev-d") < 0  # on their own: wrong way
    history = order_revisions(shuffled, [texts[x] for x in shuffled], score, url=URL)
    assert history.order == tuple(IDS)
    assert history.url == URL
    assert 0 < history.certainty <= 1
    assert len(history.distances) == 4 and all(0 < d < 0.5 for d in history.distances)


def test_history_explains_its_order() -> None:
    texts = dict(zip(IDS, HISTORY, strict=True))
    ids = ["rev-d", "rev-b", "rev-e", "rev-a", "rev-c"]
    history = order_revisions(ids, [texts[x] for x in ids], growth_score(texts), url=URL)
    seriation, orientation, certainty = history.evidence
    assert seriation.startswith(
        f"the 5 revisions of {URL} are ordered so that consecutive revisions differ least"
    )
    assert "the best other order costs +" in seriation
    assert orientation.startswith("the chain runs from rev-a to rev-e: the page grows from ")
    assert f"{len(HISTORY[0])} characters in rev-a to {len(HISTORY[4])} in rev-e" in orientation
    assert "10 pairs of revisions, summed, favour this direction" in orientation
    # rev-d (a section cut) is shorter than rev-b and rev-c: those two pairs point the wrong way
    assert "8 pair(s) for, 2 against, 0 silent" in orientation
    assert certainty.startswith(f"certainty {history.certainty:.2f}")


def test_orientation_follows_the_pairwise_cues() -> None:
    # the same texts with cues saying the opposite: the same chain, read the other way
    texts = dict(zip(IDS, HISTORY, strict=True))
    grow = growth_score(texts)

    def shrink(x: str, y: str) -> float:
        return -grow(x, y)

    history = order_revisions(IDS, HISTORY, shrink)
    assert history.order == tuple(reversed(IDS))
    assert "the page shrinks from" in history.evidence[1]


def test_identical_revisions_keep_the_input_order() -> None:
    body = HISTORY[0]
    history = order_revisions(["z", "y", "x"], [body, body, body], lambda x, y: 0.0)
    assert history.order == ("z", "y", "x")
    assert history.distances == (0.0, 0.0)
    assert history.certainty == 0.0
    assert "silent on the direction, so the input order decides" in history.evidence[1]


def test_small_inputs_and_bad_input() -> None:
    assert order_revisions([], [], lambda x, y: 0.0).order == ()
    assert order_revisions(["only"], ["text"], lambda x, y: 0.0).order == ("only",)
    two = order_revisions(["new", "old"], ["a b c d", "a b c"], lambda x, y: -1.0 if x == "new" else 1.0)
    assert two.order == ("old", "new")
    with pytest.raises(ValueError, match="2 ids but 1 texts"):
        order_revisions(["a", "b"], ["text"], lambda x, y: 0.0)
    with pytest.raises(ValueError, match="unique"):
        order_revisions(["a", "a"], ["x", "y"], lambda x, y: 0.0)


def test_edit_distance_counts_words() -> None:
    d = edit_distances(["The cat sat on the mat.", "the cat sat on the mat", "The dog sat on the mat."])
    assert d[0, 1] == 0.0  # case and punctuation are not words
    assert d[0, 2] == pytest.approx(2 / 12)  # one word out, one in, of 6 + 6
    assert np.allclose(d, d.T)


def _long_history(n: int) -> list[str]:
    """``n`` revisions of a page that gains a sentence per revision and has a few words edited."""
    facts = [
        f"In {1900 + 7 * k} the council of Kessling approved project number {k}, "
        f"a {['bridge', 'school', 'road', 'library', 'market hall', 'park'][k % 6]} near the {['river', 'square', 'station'][k % 3]}."
        for k in range(n + 2)
    ]
    revisions = []
    for r in range(n):
        sentences = [HISTORY[0], *facts[: r + 2]]
        if r >= n // 2:  # a word edited half way through the history
            sentences[1] = sentences[1].replace("approved", "finally approved")
        revisions.append(" ".join(sentences))
    return revisions


def test_long_history_uses_the_heuristic_and_recovers_the_order() -> None:
    n = 12
    assert n > EXACT_MAX
    texts = _long_history(n)
    ids = [f"r{k:02d}" for k in range(n)]
    by_id = dict(zip(ids, texts, strict=True))
    shuffled = list(ids)
    random.Random(7).shuffle(shuffled)
    history = order_revisions(shuffled, [by_id[x] for x in shuffled], growth_score(by_id), url=URL)
    assert history.order == tuple(ids)
    assert len(history.distances) == n - 1
    assert 0 < history.certainty <= 1


def test_heuristic_finds_the_exact_optimum_on_small_histories() -> None:
    # revisions as points drifting along a line (consecutive ones close), noisy cues
    rng = np.random.default_rng(3)
    for _ in range(25):
        n = int(rng.integers(4, EXACT_MAX + 1))
        position = np.cumsum(rng.uniform(0.01, 0.1, n))
        dist = np.abs(position[:, None] - position[None, :]) + rng.uniform(0, 0.02, (n, n))
        dist = (dist + dist.T) / 2
        np.fill_diagonal(dist, 0.0)
        tanh_s = np.tanh(rng.normal(0.3, 1.0, (n, n)))
        tanh_s = np.triu(tanh_s, 1) - np.triu(tanh_s, 1).T
        weight = 0.05 / (n - 1)
        exact, exact_cost, _ = _search_exact(dist, tanh_s, weight)
        heuristic, heuristic_cost, alt = _search_heuristic(dist, tanh_s, weight)
        assert heuristic_cost == pytest.approx(exact_cost, abs=1e-9), (exact, heuristic)
        assert alt is not None and alt >= heuristic_cost


def test_exact_search_breaks_ties_by_input_order() -> None:
    n = 4
    dist = np.zeros((n, n))
    tanh_s = np.zeros((n, n))
    order, cost, alt = _search_exact(dist, tanh_s, 0.05 / 3)
    assert order == (0, 1, 2, 3) and cost == 0.0 and alt == 0.0
