"""Scores for clusterings and classifications, and threshold tuning on a tuning split.

Pure functions over lists of labels, no dependency beyond numpy: used by the evaluation suites
(``storytrace eval``, :mod:`storytrace.evaluation`) and by the benchmarks under ``bench/``.

>>> round(bcubed_f1(["a", "a", "b"], [1, 1, 2]), 3)
1.0
>>> round(ari(["a", "a", "b", "b"], [1, 1, 1, 2]), 3)
0.0
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

import numpy as np

L = TypeVar("L", bound=Hashable)


def _check(gold: Sequence[object], pred: Sequence[object]) -> None:
    if len(gold) != len(pred):
        raise ValueError(f"gold has {len(gold)} labels but pred has {len(pred)}")
    if not gold:
        raise ValueError("cannot score an empty set of labels")


def ari(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """Adjusted Rand index of a clustering ``pred`` against ``gold`` (1: identical, ~0: chance)."""
    _check(gold, pred)
    both = Counter(zip(gold, pred, strict=True))
    rows, cols = Counter(gold), Counter(pred)

    def pairs(counts: Counter[object] | Counter[tuple[object, object]]) -> float:
        return float(sum(c * (c - 1) / 2 for c in counts.values()))

    index, sum_rows, sum_cols = pairs(both), pairs(rows), pairs(cols)
    total = len(gold) * (len(gold) - 1) / 2
    expected = sum_rows * sum_cols / total if total else 0.0
    maximum = (sum_rows + sum_cols) / 2
    if maximum == expected:  # both clusterings trivial (all singletons or one cluster)
        return 1.0
    return (index - expected) / (maximum - expected)


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 of a clustering (Bagga & Baldwin 1998)."""
    _check(gold, pred)
    n = len(gold)
    gsize, psize = Counter(gold), Counter(pred)
    both = Counter(zip(gold, pred, strict=True))
    p = sum(both[(g, c)] / psize[c] for g, c in zip(gold, pred, strict=True)) / n
    r = sum(both[(g, c)] / gsize[g] for g, c in zip(gold, pred, strict=True)) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed_f1(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    return bcubed(gold, pred)[2]


def accuracy(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    _check(gold, pred)
    return sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)


def precision_recall_f1(gold: Sequence[L], pred: Sequence[L], positive: L) -> tuple[float, float, float]:
    """Precision, recall and F1 of the class ``positive``."""
    _check(gold, pred)
    tp = sum(g == positive and p == positive for g, p in zip(gold, pred, strict=True))
    fp = sum(g != positive and p == positive for g, p in zip(gold, pred, strict=True))
    fn = sum(g == positive and p != positive for g, p in zip(gold, pred, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro_f1(gold: Sequence[L], pred: Sequence[L], labels: Sequence[L] | None = None) -> float:
    """Unweighted mean of the per-class F1 over ``labels`` (default: the gold labels)."""
    _check(gold, pred)
    classes = list(labels) if labels is not None else sorted(set(gold), key=str)
    return sum(precision_recall_f1(gold, pred, c)[2] for c in classes) / len(classes)


def confusion(gold: Sequence[L], pred: Sequence[L], labels: Sequence[L]) -> list[list[int]]:
    """Rows: gold label, columns: predicted label, in the order of ``labels``."""
    _check(gold, pred)
    at = {label: k for k, label in enumerate(labels)}
    out = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred, strict=True):
        out[at[g]][at[p]] += 1
    return out


def best_threshold(
    scores: Sequence[float],
    gold: Sequence[bool],
    metric: Callable[[Sequence[bool], Sequence[bool]], float] = accuracy,
) -> tuple[float, float]:
    """The cut ``t`` maximising ``metric(gold, [s >= t for s in scores])`` and that metric.

    Candidate cuts are the midpoints between consecutive distinct scores (and both ends, at most
    about 400 of them); ties go to the lowest cut, so the choice is deterministic.
    """
    _check(gold, scores)
    values = np.unique(np.asarray(scores, dtype=np.float64))
    cuts = [float(values[0]) - 1e-9]
    cuts += [float(x) for x in (values[1:] + values[:-1]) / 2]
    cuts.append(float(values[-1]) + 1e-9)
    if len(cuts) > 400:  # enough resolution, bounded cost
        cuts = [float(x) for x in np.quantile(values, np.linspace(0, 1, 401))]
    best_t, best_m = cuts[0], -math.inf
    for t in cuts:
        m = metric(gold, [s >= t for s in scores])
        if m > best_m + 1e-12:
            best_t, best_m = t, m
    return best_t, best_m
