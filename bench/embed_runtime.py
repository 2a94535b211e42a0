"""Sentence embeddings per second: the bundled MiniLM on torch (sentence-transformers) against the
same model on ONNX Runtime (``Config.embed_runtime``), in the same process, on real news sentences
(issue 16).

The sentences are the distinct sentences of real ECB+ articles (``../shared/data/ecbplus``), cut by
storytrace's own segmenter: real lengths, real names and numbers. Each runtime embeds the same
sentences ``--rounds`` times, alternating, so a change of machine load hits both alike; the script
prints sentences per wall second and per CPU second (this process: the runtimes' threads included),
the ratio torch/ONNX, and how far the vectors are from torch's (largest absolute difference, lowest
cosine). ``--int8`` adds the int8-quantised graph.

Usage: .venv/bin/python bench/embed_runtime.py [--sentences 4000] [--rounds 2] [--batch 64] [--int8]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
ECB = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"


def sentences(limit: int) -> list[str]:
    from storytrace.text.segment import segment

    out: dict[str, None] = {}
    with ECB.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            for s in segment(str(record.get("id", "")), str(record.get("text", ""))):
                out.setdefault(s.text)
            if len(out) >= limit:
                break
    return list(out)[:limit]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--int8", action="store_true", help="also time the int8-quantised graph")
    args = parser.parse_args()
    from storytrace.text.embed import SentenceTransformerEmbedder

    texts = sentences(args.sentences)
    runtimes = ["torch", "onnx"] + (["onnx-int8"] if args.int8 else [])
    embedders = {r: SentenceTransformerEmbedder(batch_size=args.batch, cache=False, runtime=r) for r in runtimes}
    for e in embedders.values():
        e.encode(texts[:8])  # load (and export once) outside the timing
    print(
        f"{len(texts)} distinct ECB+ sentences, batch {args.batch}, {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    wall: dict[str, float] = dict.fromkeys(runtimes, 0.0)
    cpu: dict[str, float] = dict.fromkeys(runtimes, 0.0)
    vectors: dict[str, np.ndarray] = {}
    for _ in range(args.rounds):
        for r in runtimes:
            start, start_cpu = time.perf_counter(), time.process_time()
            vectors[r] = embedders[r].encode(texts)
            wall[r] += time.perf_counter() - start
            cpu[r] += time.process_time() - start_cpu
    n = len(texts) * args.rounds
    for r in runtimes:
        diff = float(np.abs(vectors[r] - vectors["torch"]).max())
        cosine = float((vectors[r] * vectors["torch"]).sum(axis=1).min())
        print(
            f"{r:10s} {n / wall[r]:8.0f} sentences/s wall  {n / cpu[r]:8.0f} per CPU second  "
            f"ratio (CPU) {cpu['torch'] / cpu[r]:5.2f}x  (wall) {wall['torch'] / wall[r]:5.2f}x  "
            f"max |diff| {diff:.1e}  min cosine {cosine:.6f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
