"""Spark benchmark: `storytrace dedup --engine spark --master local[2]` against the local engine.

A generated corpus (bench/corpus.py: ECB+ sentences, 5% exact, 10% near and 5% related articles
planted) is written to a temporary JSON-lines file; both engines run on it as the user runs them,
each in a child process, so the Spark wall time includes starting the JVM and the Python workers.
Both outputs are then compared row by row (cluster, canonical, similarity, match).

Prints both wall times, their ratio (target: Spark in local[2] within 3x of the local engine), and
docs/s per core (articles / wall time / cores), the figure to project to a cluster's executor
cores; also the Spark time without start-up (the time the run reports itself).

Usage: .venv/bin/python bench/spark.py [--articles 200000] [--cores 2]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_articles, ecb_absent, published_at

BIN = Path(sys.executable).parent


def generate(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for i, art in enumerate(corpus_articles(count)):
            record = {"id": art.id, "text": art.text}
            if i % 3:
                record["published"] = published_at(i)
            handle.write(json.dumps(record) + "\n")


def run(args: list[str]) -> tuple[float, str]:
    start = time.perf_counter()
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run(args, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return wall, done.stdout


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=200_000)
    parser.add_argument("--cores", type=int, default=2, help="Spark local[N] cores")
    args = parser.parse_args()
    if ecb_absent():
        return 0
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = work / "corpus.jsonl"
        t = time.perf_counter()
        generate(corpus, args.articles)
        size = corpus.stat().st_size
        print(
            f"corpus: {args.articles:,} articles, {size / 1e6:.0f} MB ({time.perf_counter() - t:.0f} s to generate)"
        )
        cli = str(BIN / "storytrace")
        local_wall, local_out = run([cli, "dedup", str(corpus), "--out", str(work / "local.jsonl")])
        print(f"local engine: {local_wall:.1f} s wall\n  {local_out.strip().splitlines()[0]}")
        spark_wall, spark_out = run(
            [cli, "dedup", str(corpus), "--engine", "spark", "--master", f"local[{args.cores}]",
             "--out", str(work / "spark")]
        )  # fmt: skip
        print(
            f"spark engine local[{args.cores}]: {spark_wall:.1f} s wall\n  {spark_out.strip().splitlines()[0]}"
        )
        local = {}
        with (work / "local.jsonl").open(encoding="utf-8") as handle:
            for line in handle:
                r = json.loads(line)
                local[r["id"]] = (r["cluster"], r["canonical"], r["similarity"], r["match"])
        rows = pq.read_table(str(work / "spark")).to_pylist()
        spark = {r["id"]: (r["cluster"], r["canonical"], r["similarity"], r["match"]) for r in rows}
        differ = sum(local[k] != spark.get(k) for k in local) + len(set(spark) - set(local))
        reported = float(spark_out.split(" s (")[0].rsplit("; ", 1)[-1])
        n = args.articles
        print()
        print("| engine | wall time | docs/s | docs/s per core |")
        print("|---|---|---|---|")
        print(f"| local (1 process) | {local_wall:.1f} s | {n / local_wall:,.0f} | {n / local_wall:,.0f} |")
        print(
            f"| spark local[{args.cores}], start-up included | {spark_wall:.1f} s | {n / spark_wall:,.0f} | "
            f"{n / spark_wall / args.cores:,.0f} |"
        )
        print(
            f"| spark local[{args.cores}], after start-up | {reported:.1f} s | {n / reported:,.0f} | "
            f"{n / reported / args.cores:,.0f} |"
        )
        print(f"\nratio spark/local wall time: {spark_wall / local_wall:.2f}x (target <= 3x)")
        print(f"rows that differ between the engines: {differ} of {len(local):,}")
        load = os.getloadavg()[0]
        print(f"load average during the run: {load:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
