"""Scale benchmark: `storytrace dedup` on a generated corpus of one million articles.

The corpus (bench/corpus.py) is drawn sentence by sentence from ECB+ topics, with planted exact
duplicates (5%), near duplicates (10%, true Jaccard of 5-word shingles >= 0.8 with their source)
and related articles that reuse half of a source's sentences (5%, hard negatives). It is written
to a temporary JSON-lines file and `storytrace dedup` runs on it in a child process, with its
progress line, at the default settings.

Prints docs/s, the child's peak RSS, and recall and precision of the planted duplicates.
Targets (issue 4): 1M articles in under 15 minutes on 2 cores, peak memory under 4 GB, recall
>= 0.98 and precision >= 0.99 on planted near duplicates of Jaccard >= 0.8.

Usage: .venv/bin/python bench/scale.py [--articles 1000000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_articles, ecb_absent, published_at

KINDS = {"original": 0, "exact": 1, "near": 2, "related": 3}


def generate(path: Path, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    kind = np.zeros(count, dtype=np.int8)
    source = np.zeros(count, dtype=np.int64)
    sim = np.ones(count, dtype=np.float32)
    start = time.perf_counter()
    with path.open("w", encoding="utf-8") as handle:
        for i, art in enumerate(corpus_articles(count)):
            kind[i], source[i], sim[i] = KINDS[art.kind], art.source, art.jaccard
            record = {"id": art.id, "text": art.text, "published": published_at(i)}
            handle.write(json.dumps(record) + "\n")
            if (i + 1) % 100_000 == 0:
                print(f"  generated {i + 1:,} articles ({time.perf_counter() - start:.0f} s)", flush=True)
    return kind, source, sim


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1_000_000)
    parser.add_argument("--keep", metavar="DIR", help="write the corpus and clusters here and keep them")
    args = parser.parse_args()
    if ecb_absent():
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        corpus, clusters = work / "corpus.jsonl", work / "clusters.jsonl"
        print(f"generating {args.articles:,} articles into {corpus}", flush=True)
        kind, source, sim = generate(corpus, args.articles)
        size_mb = corpus.stat().st_size / 1e6
        print(f"corpus: {size_mb:,.0f} MB; running storytrace dedup", flush=True)
        cmd = [sys.executable, "-m", "storytrace.cli", "dedup", str(corpus), "--out", str(clusters)]
        start = time.perf_counter()
        subprocess.run(cmd, check=True)
        seconds = time.perf_counter() - start
        peak_gb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024**2

        n = args.articles
        cluster = np.empty(n, dtype=np.int64)
        canonical = np.empty(n, dtype=np.int64)
        with clusters.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                i = int(row["id"][1:])
                cluster[i] = int(row["cluster"][1:])
                canonical[i] = int(row["canonical"][1:])
    family = np.where((kind == 1) | (kind == 2), source, np.arange(n))
    same = cluster == cluster[source]
    near = (kind == 2) & (sim >= 0.8)
    exact = kind == 1
    linked = canonical != np.arange(n)  # predicted duplicate: article -> its cluster's canonical
    correct = family[linked] == family[canonical[linked]]
    precision = float(correct.mean()) if linked.any() else 1.0
    related = kind == 3
    print(
        f"\n{n:,} articles ({size_mb:,.0f} MB) in {seconds:.0f} s: {n / seconds:,.0f} docs/s, "
        f"peak RSS {peak_gb:.2f} GB (target: 15 min, 4 GB: "
        f"{'met' if seconds < 900 and peak_gb < 4 else 'MISSED'})"
    )
    recall = float(same[near].mean())
    print(
        f"planted near duplicates (true Jaccard >= 0.8): {int(near.sum()):,}, recall {recall:.4f} "
        f"(target 0.98: {'met' if recall >= 0.98 else 'MISSED'})"
    )
    print(f"planted exact duplicates: {int(exact.sum()):,}, recall {float(same[exact].mean()):.4f}")
    print(
        f"precision of the duplicate links (article -> canonical in the same planted family): {precision:.4f} "
        f"over {int(linked.sum()):,} links (target 0.99: {'met' if precision >= 0.99 else 'MISSED'})"
    )
    print(
        f"related articles (half the sentences of a source, true Jaccard mean {float(sim[related].mean()):.2f}) "
        f"wrongly merged with their source: {int(same[related].sum()):,} of {int(related.sum()):,}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
