"""`storytrace dedup` end to end against datasketch end to end, on the same documents (issue 16).

The documents are bench/corpus.py's (ECB+ sentences with planted exact and near duplicates and
related articles), written once to a JSON-lines file. Each contender runs in a fresh child
process, timed from process start to the last output line:

- **storytrace**: `storytrace dedup FILE --out CLUSTERS --quiet` (its defaults: 128 permutations,
  5-word shingles, threshold 0.7), on every core it may use;
- **datasketch**: the same job written with datasketch as a user would: read each JSON line,
  shingle (5-word, lower case), ``MinHash.update_batch`` (128 permutations), query a
  ``MinHashLSH`` with the same bands and rows before inserting, union-find over the matches,
  write one cluster line per document (one core: datasketch has no parallel path);
- **storytrace, starting commit** (with ``--baseline-tree``): the old dedup, for reference.

Beside the end-to-end ratio it prints the in-process one (sketching only, one core, as
bench/minhash.py measures it) and the agreement of the two clusterings (pairs of documents put
together by both, Jaccard of the pair sets).

Target: 30x datasketch end to end (1M articles in under a minute on 2 cores).

Usage: .venv/bin/python bench/dedup_e2e.py [--docs 60000] [--baseline-tree DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Generator, ecb_absent

ROOT = Path(__file__).resolve().parents[1]

DATASKETCH_JOB = r"""
import json, re, sys
from datasketch import MinHash, MinHashLSH
src, out, bands, rows = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
word = re.compile(r"\w+")
lsh = MinHashLSH(num_perm=128, params=(bands, rows))
parent, ids = [], []
def find(x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
sketches = []
with open(src, encoding="utf-8") as handle:
    for line in handle:
        row = json.loads(line)
        words = word.findall(row["text"].lower())
        shingles = {" ".join(words[i : i + 5]) for i in range(max(1, len(words) - 4))}
        m = MinHash(num_perm=128, seed=1)
        m.update_batch([s.encode("utf-8") for s in shingles])
        k = len(ids)
        ids.append(row["id"])
        parent.append(k)
        for other in lsh.query(m):
            if m.jaccard(sketches[other]) >= 0.7:
                a, b = find(k), find(other)
                parent[max(a, b)] = min(a, b)
        lsh.insert(k, m)
        sketches.append(m)
with open(out, "w", encoding="utf-8") as handle:
    for k, name in enumerate(ids):
        handle.write(json.dumps({"id": name, "cluster": ids[find(k)]}) + "\n")
"""


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    return time.perf_counter() - start


def pairs(path: Path) -> set[tuple[str, str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            groups[row["cluster"]].append(row["id"])
    return {(a, b) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=60000)
    parser.add_argument("--baseline-tree", help="a checkout of the starting commit, for its dedup")
    args = parser.parse_args()
    if ecb_absent():
        return 0
    try:
        import datasketch  # noqa: F401
    except ImportError:
        print("skipped: datasketch is not installed (pip install -e '.[dev]')")
        return 0
    from storytrace.config import Config
    from storytrace.corpus.dedup import dedup_bands
    from storytrace.text.fingerprint import MinHasher

    config = Config()
    bands, rows = dedup_bands(config.dedup_threshold, config.num_perm)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        texts = []
        with corpus.open("w", encoding="utf-8") as handle:
            for p in Generator(seed=11, shingle_size=5).generate(args.docs, 0.05, 0.15, 0.10):
                handle.write(json.dumps({"id": p.id, "text": p.text}) + "\n")
                texts.append(p.text)
        mb = corpus.stat().st_size / 1e6
        print(f"{args.docs:,} documents ({mb:.0f} MB of JSON lines); {os.cpu_count()} cores; LSH {bands}x{rows}")
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        ours = Path(tmp) / "ours.jsonl"
        st_s = timed([sys.executable, "-m", "storytrace.cli", "dedup", str(corpus), "--out", str(ours), "--quiet"], env)
        theirs = Path(tmp) / "theirs.jsonl"
        ds_s = timed([sys.executable, "-c", DATASKETCH_JOB, str(corpus), str(theirs), str(bands), str(rows)])
        print(f"storytrace dedup, end to end: {st_s:6.1f} s  {args.docs / st_s:>9,.0f} docs/s")
        print(f"datasketch, end to end:       {ds_s:6.1f} s  {args.docs / ds_s:>9,.0f} docs/s")
        print(f"end-to-end ratio: {ds_s / st_s:.1f}x (target 30x: {'met' if ds_s / st_s >= 30 else 'MISSED'})")
        if args.baseline_tree:
            old = Path(tmp) / "old.jsonl"
            env_old = dict(os.environ, PYTHONPATH=str(Path(args.baseline_tree) / "src"))
            cmd = [sys.executable, "-m", "storytrace.cli", "dedup", str(corpus), "--out", str(old), "--quiet"]
            old_s = timed(cmd, env_old)
            same = old.read_bytes() == ours.read_bytes()
            print(f"starting commit's dedup: {old_s:.1f} s ({ds_s / old_s:.1f}x datasketch); output identical: {same}")
        a, b = pairs(ours), pairs(theirs)
        union = a | b
        print(f"duplicate pairs: storytrace {len(a):,}, datasketch {len(b):,}; Jaccard {len(a & b) / max(1, len(union)):.4f}")

        # in process, sketching only, one core (as bench/minhash.py)
        from datasketch import MinHash

        if hasattr(os, "sched_setaffinity"):
            os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        hasher = MinHasher(num_perm=config.num_perm, shingle_size=config.dedup_shingle_size)
        hasher.fingerprints(texts[:50])
        sample = texts[:20000]
        start = time.perf_counter()
        hasher.fingerprints(sample)
        ours_in = time.perf_counter() - start
        start = time.perf_counter()
        import re

        word = re.compile(r"\w+")
        for text in sample:
            words = word.findall(text.lower())
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([" ".join(words[i : i + 5]).encode("utf-8") for i in range(max(1, len(words) - 4))])
        theirs_in = time.perf_counter() - start
        print(f"in process, sketching {len(sample):,} documents on one core: ratio {theirs_in / ours_in:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
