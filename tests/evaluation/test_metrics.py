from __future__ import annotations

import pytest

from storytrace.evaluation.metrics import (
    accuracy,
    ari,
    bcubed,
    best_threshold,
    confusion,
    macro_f1,
    precision_recall_f1,
)


def test_ari_matches_known_values() -> None:
    assert ari(["a", "a", "b", "b"], [1, 1, 2, 2]) == pytest.approx(1.0)
    assert ari(["a", "a", "b", "b"], [1, 2, 1, 2]) == pytest.approx(-0.5)
    # the value sklearn.metrics.adjusted_rand_score gives for this pair of labelings
    assert ari([0, 0, 1, 1, 2, 2], [0, 0, 1, 2, 2, 2]) == pytest.approx(0.4444444, abs=1e-6)


def test_bcubed_splitting_a_story_costs_recall_not_precision() -> None:
    p, r, f = bcubed(["s", "s", "s", "t"], [1, 1, 2, 3])
    assert p == pytest.approx(1.0)
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    assert f == pytest.approx(2 * p * r / (p + r))


def test_classification_scores() -> None:
    gold = ["cut", "light", "heavy", "non", "non"]
    pred = ["cut", "heavy", "heavy", "non", "light"]
    assert accuracy(gold, pred) == pytest.approx(0.6)
    assert precision_recall_f1(gold, pred, "heavy") == pytest.approx((0.5, 1.0, 2 / 3))
    # per class F1: cut 1, light 0, heavy 2/3, non 2/3
    assert macro_f1(gold, pred, ["cut", "light", "heavy", "non"]) == pytest.approx(
        (1 + 0 + 2 / 3 + 2 / 3) / 4
    )
    assert confusion(gold, pred, ["cut", "light", "heavy", "non"])[1] == [0, 0, 1, 0]


def test_best_threshold_separates_and_rejects_bad_input() -> None:
    t, acc = best_threshold([0.1, 0.3, 0.6, 0.9], [False, False, True, True])
    assert 0.3 < t < 0.6 and acc == 1.0
    with pytest.raises(ValueError, match="gold has 2 labels but pred has 1"):
        accuracy(["a", "b"], ["a"])
