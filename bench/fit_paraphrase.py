"""Fit the paraphrase model of :mod:`storytrace.meaning` on the tuning half of MRPC.

Tuning half: odd lines of ``mrpc/msr_paraphrase_train.txt`` (the scored half, even lines, is
never read). Logistic regression over the twelve pair features (Newton's method, deterministic);
writes ``src/storytrace/models/paraphrase_logistic.json``.

Usage: .venv/bin/python bench/fit_paraphrase.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from storytrace import meaning
from storytrace.embed import get_embedder
from storytrace.evaluation.paraphrase import load

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "storytrace" / meaning.WEIGHTS


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    pairs = load(args.data / "mrpc" / "msr_paraphrase_train.txt")
    tuning = [k for k in range(len(pairs.gold)) if k % 2 == 1]  # odd lines only
    left = [pairs.left[k] for k in tuning]
    right = [pairs.right[k] for k in tuning]
    vectors = get_embedder().encode(left + right)
    features = meaning.paraphrase_features(left, right, vectors[: len(left)], vectors[len(left) :])
    gold = np.asarray([pairs.gold[k] for k in tuning], dtype=bool)
    model = meaning.fit_paraphrase_model(features, gold)
    fitted = float(np.mean(model.predict(features) == gold))
    data = {
        "fitted_on": f"MRPC msr_paraphrase_train.txt, odd lines ({len(tuning)} pairs), by bench/fit_paraphrase.py",
        **meaning.to_json(model),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}; accuracy on the tuning half it was fitted on: {fitted:.4f}")


if __name__ == "__main__":
    main()
