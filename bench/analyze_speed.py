"""Speed of `storytrace analyze` (issue: foundation).

Targets on a 2-core machine:
  1. the five seeds end to end, model loading included, under 20 s (a fresh process);
  2. the first 1,000 articles of ../shared/data/ecbplus/articles.jsonl under 3 minutes.

Machines are noisy, so next to each wall time the script prints a ratio against a baseline run
in the same process: the bare cost of embedding the same sentences with the same model (the
floor any embedding-based analysis pays). Also prints the story-grouping scores on ECB+ (ARI,
B-cubed F1) as a sanity check.

Usage: .venv/bin/python bench/analyze_speed.py [--limit 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def seeds_fresh_process() -> float:
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "storytrace.cli",
                "analyze",
                str(SHARED / "seeds"),
                "--out",
                out,
                "--quiet",
            ],
            check=True,
        )
        return time.perf_counter() - start


def seeds_fresh_process_without_dossier() -> float:
    """The same run with drift, quotes and consolidation switched off (config dossier = false)."""
    with tempfile.TemporaryDirectory() as out:
        cfg = Path(out) / "st.toml"
        cfg.write_text("[storytrace]\ndossier = false\n", encoding="utf-8")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "storytrace.cli", "analyze", str(SHARED / "seeds"), "--out", out, "--quiet",
             "--config", str(cfg)],
            check=True,
        )  # fmt: skip
        return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent")
        return 0

    seeds_s = seeds_fresh_process()
    print(
        f"seeds, fresh process, model loading included: {seeds_s:.1f} s (target 20 s, {seeds_s / 20:.2f} of target)"
    )
    bare_s = seeds_fresh_process_without_dossier()
    print(
        f"seeds without drift/quotes/consolidation: {bare_s:.1f} s; drift and consolidation add "
        f"{(seeds_s - bare_s) / bare_s:.0%} (target at most 50%)"
    )

    from storytrace.config import Config
    from storytrace.evaluation.metrics import ari, bcubed_f1
    from storytrace.pipeline import Pipeline
    from storytrace.records import RawArticle
    from storytrace.text.embed import get_embedder

    rows = [json.loads(line) for line in (SHARED / "data/ecbplus/articles.jsonl").open(encoding="utf-8")][
        : args.limit
    ]
    raws = [RawArticle(r["id"], r["text"]) for r in rows]
    config = Config()
    pipe = Pipeline.from_config(config)
    get_embedder(config.model).encode(["warm up"])  # model load is not part of this measurement

    start = time.perf_counter()
    report = pipe.analyze_raw(raws)
    analyze_s = time.perf_counter() - start

    # baseline: embedding the same sentences with a fresh cache
    from storytrace.text.embed import SentenceTransformerEmbedder

    texts = [s.text for a in report.articles for s in a.sentences]
    fresh = SentenceTransformerEmbedder(config.model, config.batch_size)
    start = time.perf_counter()
    fresh.encode(texts)
    embed_s = time.perf_counter() - start

    n = len(raws)
    print(
        f"ecbplus first {n} articles ({len(texts)} sentences): analyze {analyze_s:.1f} s "
        f"(target 180 s, {analyze_s / 180:.2f} of target); {n / analyze_s:.1f} articles/s"
    )
    print(
        f"baseline, embedding the same sentences only: {embed_s:.1f} s; analyze / baseline = {analyze_s / embed_s:.2f}"
    )

    story_of = {a: s.id for s in report.stories for a in s.articles}
    gold = [r["story"] for r in rows if r["id"] in story_of]
    pred_names = [story_of[r["id"]] for r in rows if r["id"] in story_of]
    ids = {name: k for k, name in enumerate(dict.fromkeys(pred_names))}
    pred = [ids[p] for p in pred_names]
    print(
        f"story grouping on these articles: ARI {ari(gold, pred):.3f}, B-cubed F1 {bcubed_f1(gold, pred):.3f}, "
        f"{len(set(pred))} stories found, {len(set(gold))} gold"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
