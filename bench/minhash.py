"""MinHash throughput and agreement: storytrace vs datasketch (and rensa where installed).

The same documents (ECB+ sentences with planted exact and near duplicates, bench/corpus.py) go
through each implementation with the same parameters (128 permutations, word 5-gram shingles,
threshold 0.7), in one process pinned to one core. Throughput includes lowercasing, tokenisation
and shingling. Near-duplicate pairs are LSH candidates (the same bands and rows for both) whose
estimated Jaccard similarity is at least the threshold; the two pair sets are compared.

Targets (issue 4): storytrace at least 20 times datasketch's docs/s on one core; Jaccard of the
two pair sets at least 0.98.

Usage: .venv/bin/python bench/minhash.py [--docs 6000] [--threshold 0.7]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import Generator, ecb_absent, jaccard

_WORD = re.compile(r"\w+")


def python_shingles(text: str, n: int) -> list[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return [" ".join(words).encode("utf-8")] if words else []
    return list({" ".join(words[i : i + n]).encode("utf-8") for i in range(len(words) - n + 1)})


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def pairs_from(
    candidates: set[tuple[int, int]], sim: Callable[[int, int], float], t: float
) -> set[tuple[int, int]]:
    return {p for p in candidates if sim(*p) >= t}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=6000)
    parser.add_argument("--threshold", type=float, default=0.7)
    parser.add_argument("--shingle-size", type=int, default=5)
    parser.add_argument("--num-perm", type=int, default=128)
    args = parser.parse_args()
    if ecb_absent():
        return 0
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        print("skipped: datasketch is not installed (pip install -e '.[dev]')")
        return 0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    from storytrace.corpus.dedup import dedup_bands
    from storytrace.text.fingerprint import MinHasher, band_keys

    k, n, t = args.num_perm, args.shingle_size, args.threshold
    planted = list(Generator(seed=11, shingle_size=n).generate(args.docs, 0.05, 0.15, 0.10))
    texts = [p.text for p in planted]
    mb = sum(len(x.encode("utf-8")) for x in texts) / 1e6
    bands, rows = dedup_bands(t, k)
    print(
        f"{len(texts)} documents, {mb:.1f} MB ({sum(p.kind == 'near' for p in planted)} planted near, "
        f"{sum(p.kind == 'exact' for p in planted)} exact, {sum(p.kind == 'related' for p in planted)} related); "
        f"num_perm={k}, {n}-word shingles, threshold {t}, LSH {bands} bands x {rows} rows; one core"
    )

    hasher = MinHasher(num_perm=k, shingle_size=n)
    hasher.fingerprints(texts[:50])  # warm-up: power tables
    st_s = best_of(3, lambda: hasher.fingerprints(texts))
    sigs = hasher.signatures(texts)

    ds: list[MinHash] = []

    def run_datasketch() -> None:
        ds.clear()
        for text in texts:
            m = MinHash(num_perm=k, seed=1)
            m.update_batch(python_shingles(text, n))
            ds.append(m)

    ds_s = best_of(1, run_datasketch)
    results = [("storytrace", st_s), ("datasketch", ds_s)]
    try:
        from rensa import RMinHash

        def run_rensa() -> None:
            for text in texts:
                r = RMinHash(num_perm=k, seed=1)
                r.update([s.decode("utf-8") for s in python_shingles(text, n)])

        results.append(("rensa", best_of(1, run_rensa)))
    except ImportError:
        print("rensa is not installed: skipped (pip install rensa)")

    for name, secs in results:
        print(
            f"{name:<11} {len(texts) / secs:>9,.0f} docs/s  {mb / secs:>7.2f} MB/s per core  "
            f"ratio to datasketch {ds_s / secs:6.1f}x"
        )
    ratio = ds_s / st_s
    print(f"throughput target: >= 20x datasketch: {'met' if ratio >= 20 else 'MISSED'} ({ratio:.1f}x)")

    # near-duplicate pairs found by each, same bands and rows
    keys = band_keys(sigs, bands, rows)
    st_cand: set[tuple[int, int]] = set()
    for b in range(bands):
        order = np.argsort(keys[:, b], kind="stable")
        sk = keys[order, b]
        for grp in np.split(order, np.flatnonzero(sk[1:] != sk[:-1]) + 1):
            g = sorted(int(x) for x in grp)
            st_cand.update((g[i], g[j]) for i in range(len(g)) for j in range(i + 1, len(g)))
    st_pairs = pairs_from(st_cand, lambda i, j: float(np.mean(sigs[i] == sigs[j])), t)

    lsh = MinHashLSH(num_perm=k, params=(bands, rows))
    for i, m in enumerate(ds):
        lsh.insert(i, m)
    ds_cand = {(min(i, j), max(i, j)) for i, m in enumerate(ds) for j in lsh.query(m) if j != i}
    ds_pairs = pairs_from(ds_cand, lambda i, j: float(ds[i].jaccard(ds[j])), t)

    union = st_pairs | ds_pairs
    agreement = len(st_pairs & ds_pairs) / len(union) if union else 1.0
    print(
        f"near-duplicate pairs: storytrace {len(st_pairs)}, datasketch {len(ds_pairs)}, both {len(st_pairs & ds_pairs)}; "
        f"Jaccard of the pair sets {agreement:.4f} (target >= 0.98: {'met' if agreement >= 0.98 else 'MISSED'})"
    )
    # where they differ, against the true Jaccard of the shingle sets
    truth = {p: jaccard(texts[p[0]], texts[p[1]], n) for p in union | st_cand | ds_cand}
    true_pairs = {p for p, j in truth.items() if j >= t}
    border = sum(1 for p in union - (st_pairs & ds_pairs) if abs(truth[p] - t) < 0.1)
    print(
        f"pairs found by only one of them: {len(union - (st_pairs & ds_pairs))}, of which {border} have a true "
        f"Jaccard within 0.1 of the threshold (estimator noise, std ~{np.sqrt(t * (1 - t) / k):.3f} at {t})"
    )
    for name, found in (("storytrace", st_pairs), ("datasketch", ds_pairs)):
        tp = len(found & true_pairs)
        print(
            f"{name:<11} against true Jaccard >= {t}: precision {tp / max(1, len(found)):.4f}, "
            f"recall {tp / max(1, len(true_pairs)):.4f} (of {len(true_pairs)} true pairs among all candidates)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
