"""Fit the paraphrase judges of :mod:`storytrace.story.meaning` on the tuning half of MRPC.

Tuning half: odd lines of ``mrpc/msr_paraphrase_train.txt`` (the scored half, even lines, is
never read).

- default: logistic regression over the twelve pair features (Newton's method, deterministic);
  writes ``src/storytrace/models/paraphrase_logistic.json`` (seconds).
- ``--cross-encoder``: fine-tunes the bundled MiniLM as a cross-encoder
  (:mod:`storytrace.story.crossencoder`, deterministic for given settings and thread count) and writes
  the weight difference to ``src/storytrace/models/paraphrase_crossencoder.npz`` (about 10 minutes
  on 2 idle cores). ``--hold-out N`` keeps the last N tuning pairs out of training and prints the
  accuracy on them (how the settings were chosen; the shipped judge is trained with
  ``--hold-out 0``); ``--seed N`` and ``--epochs N`` train other runs than the shipped one (seed 0,
  4 epochs): give them ``--out`` so as not to overwrite it.

Usage: .venv/bin/python bench/fit_paraphrase.py [--data ../shared/data] [--cross-encoder [--seed N] [--epochs N] [--hold-out N] [--out F]]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

from storytrace.evaluation.paraphrase import Pairs, load
from storytrace.story import crossencoder, meaning
from storytrace.text.embed import get_embedder

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "storytrace" / meaning.WEIGHTS
OUT_CROSS = ROOT / "src" / "storytrace" / crossencoder.DELTA


def fit_logistic(pairs: Pairs, tuning: list[int], out: Path) -> None:
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
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out}; accuracy on the tuning half it was fitted on: {fitted:.4f}")


def fit_cross_encoder(
    pairs: Pairs, tuning: list[int], out: Path, hold_out: int, settings: crossencoder.TrainingSettings
) -> None:
    train_ids = tuning[: len(tuning) - hold_out] if hold_out else tuning
    held = tuning[len(tuning) - hold_out :] if hold_out else []
    start = time.perf_counter()

    def progress(step: int, steps: int, loss: float) -> None:
        if step % 50 == 0 or step == steps:
            print(f"step {step}/{steps} loss {loss:.3f} ({time.perf_counter() - start:.0f} s)", flush=True)

    model, tokenizer = crossencoder.train(
        [(pairs.left[k], pairs.right[k]) for k in train_ids],
        [pairs.gold[k] for k in train_ids],
        settings,
        progress=progress,
    )
    if held:
        logits = crossencoder.pair_logits(model, tokenizer, [(pairs.left[k], pairs.right[k]) for k in held])
        gold = np.asarray([pairs.gold[k] for k in held])
        print(f"accuracy on the {len(held)} held-out tuning pairs: {np.mean((logits > 0) == gold):.4f}")
    fitted_on = (
        f"MRPC msr_paraphrase_train.txt, odd lines ({len(train_ids)} pairs"
        + (f", the last {hold_out} odd lines held out" if hold_out else "")
        + "), by bench/fit_paraphrase.py --cross-encoder"
    )
    crossencoder.save_delta(model, out, crossencoder.settings_meta(settings, fitted_on))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - start:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--cross-encoder", action="store_true", help="fine-tune the cross-encoder judge")
    ap.add_argument(
        "--hold-out", type=int, default=0, help="tuning pairs kept out of training (cross-encoder)"
    )
    defaults = crossencoder.TrainingSettings()
    ap.add_argument("--seed", type=int, default=defaults.seed, help="training seed (cross-encoder)")
    ap.add_argument("--epochs", type=int, default=defaults.epochs, help="training epochs (cross-encoder)")
    args = ap.parse_args()
    path = args.data / "mrpc" / "msr_paraphrase_train.txt"
    if not path.exists():
        sys.exit(f"{path} is absent: point --data at the shared data folder")
    pairs = load(path)
    tuning = [k for k in range(len(pairs.gold)) if k % 2 == 1]  # odd lines only
    if args.cross_encoder:
        settings = crossencoder.TrainingSettings(seed=args.seed, epochs=args.epochs)
        fit_cross_encoder(pairs, tuning, args.out or OUT_CROSS, args.hold_out, settings)
    else:
        fit_logistic(pairs, tuning, args.out or OUT)


if __name__ == "__main__":
    main()
