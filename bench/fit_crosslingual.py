"""Fit the weights of ``storytrace.story.crosslingual`` on the tuning half of the SemEval-2022
Task 8 pairs (never the scored half) and print them, with the Pearson correlation they reach on
the tuning half.

1. WEIGHTS: least squares of -Overall on (multilingual embedding cosine, shared names and
   figures, time agreement, time conflict, 1) over the tuning pairs that involve an article not
   in English (the pairs the crosslingual score is for).
2. SCALE: the English grouping score of the tuning half's English pairs regressed on -Overall
   gives alpha + beta * y; the predictor of the other pairs regressed on -Overall gives c + d * y.
   The predictor is put on the English score's scale by matching the two at every y:
   alpha + beta * (predictor - c) / d, so one group_threshold means the same for both.

    PYTHONPATH=src python bench/fit_crosslingual.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from storytrace.config import Config
from storytrace.evaluation.crosslingual import (
    crosslingual_signals,
    load,
    pearson,
    read_half,
    split,
    storytrace_scores,
)
from storytrace.text.language import is_english


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default="../shared/data")
    args = parser.parse_args()
    path = Path(args.data) / "semeval2022_task8" / "pairs.csv"
    if not path.exists():
        print(f"{path} is absent", file=sys.stderr)
        return 1
    tuning, _ = split(load(path), fast=False)
    config = Config()
    half = read_half(tuning, config)
    signals = crosslingual_signals(half)
    english = [
        is_english(half.articles[a].language) and is_english(half.articles[b].language) for a, b in half.index
    ]
    y = np.array([-p.overall for p in half.pairs])
    x = np.array([[e, n, w[0], w[1], 1.0] for e, n, w in signals])
    other = [k for k, en in enumerate(english) if not en]
    weights, *_ = np.linalg.lstsq(x[other], y[other], rcond=None)
    english_rows = [k for k, en in enumerate(english) if en]
    base = np.array(storytrace_scores(half, config))
    beta, alpha = np.polyfit(y[english_rows], base[english_rows], 1)
    pred = x @ weights
    d, c = np.polyfit(y[other], pred[other], 1)
    print(f"tuning half: {len(half.pairs)} pairs, {len(other)} with an article not in English")
    print("WEIGHTS =", tuple(round(float(w), 4) for w in weights))
    print("SCALE =", (round(float(alpha - beta * c / d), 4), round(float(beta / d), 4)))
    print(
        "Pearson of the predictor on the tuning pairs it is for:",
        round(pearson(pred[other].tolist(), y[other].tolist()) or 0, 4),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
