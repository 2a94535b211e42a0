"""Throughput of the deep analysis (`storytrace analyze`) on a news day of 1k, 5k and 20k articles,
against the code path the issue started from, on the same corpus in the same run (issue 16).

The corpus is bench/newsday.py (real ECB+ stories, wire stories with copies, trims and rewrites,
some of 30+ versions, and unrelated singletons; its docstring says how it is built). For every
size the script writes the corpus to a temporary JSON-lines file and runs, in child processes,
`storytrace analyze FILE --out DIR --quiet`:

- **new**: this tree (``src/``);
- **old**: the starting commit (``--baseline-commit``, default 1600d86, the commit before this
  issue's work), checked out with ``git worktree`` into a temporary folder (or ``--baseline-tree``).

Both are timed end to end (process start, model loading, reading, writing report.json); peak RSS
is each child's. The script prints articles/s, peak RSS, the ratio old/new, the growth exponent
of time with corpus size (slope of log time against log articles), and how far the answers agree:
the share of old stories found unchanged in the new report, and of old derivation edges.

Targets: ratio at 20k at least 7 (20,000 articles under 10 minutes, under 4 GB); aim 100
articles/s. The old path needs about an hour at 20k: ``--baseline-sizes`` limits where it runs
(the ratio is printed only where both ran).

Usage: .venv/bin/python bench/throughput.py [--sizes 1000 5000 20000] [--baseline-sizes ...]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsday import ECB, NewsDay, describe, write_jsonl

ROOT = Path(__file__).resolve().parents[1]


def run_analyze(src: Path, corpus: Path, out: Path) -> tuple[float, float]:
    """Wall seconds and peak RSS (GB) of `storytrace analyze` from the tree ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-m", "storytrace.cli", "analyze", str(corpus), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (status {status})")
    return seconds, usage.ru_maxrss / 1024**2


def agreement(old: Path, new: Path) -> tuple[float, float, float]:
    """Shares of the old report's stories (as article sets), derivation edges and drift items
    (source, target, kind, before, after) found in the new report."""
    a = json.loads((old / "report.json").read_text(encoding="utf-8"))
    b = json.loads((new / "report.json").read_text(encoding="utf-8"))

    def parts(r: dict[str, Any]) -> tuple[set[Any], set[Any], set[Any]]:
        stories = {frozenset(s["articles"]) for s in r["stories"]}
        edges = {(d["source"], d["target"], d["relation"]) for s in r["stories"] for d in s["derivations"]}
        drift = {
            (x["source"], x["target"], x["kind"], x["before"], x["after"])
            for s in r["stories"]
            for x in s["drift"]
        }
        return stories, edges, drift

    (s1, e1, d1), (s2, e2, d2) = parts(a), parts(b)

    def share(x: set[Any], y: set[Any]) -> float:
        return len(x & y) / len(x) if x else 1.0

    return share(s1, s2), share(e1, e2), share(d1, d2)


def exponent(points: list[tuple[int, float]]) -> float | None:
    if len(points) < 2:
        return None
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def baseline_tree(args: argparse.Namespace, tmp: Path) -> Path:
    if args.baseline_tree:
        return Path(args.baseline_tree)
    tree = tmp / "baseline"
    subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.baseline_commit],
                   check=True, capture_output=True)  # fmt: skip
    return tree


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument(
        "--baseline-sizes", type=int, nargs="*", help="sizes the old path runs at (default all)"
    )
    parser.add_argument("--baseline-commit", default="1600d86")
    parser.add_argument("--baseline-tree", help="a checkout of the old code (default: a git worktree)")
    parser.add_argument("--keep", metavar="DIR", help="keep corpora and reports here")
    args = parser.parse_args()
    if not ECB.exists():
        print(f"skipped: {ECB} is absent (../shared is not checked out here)")
        return 0
    base_sizes = set(args.sizes if args.baseline_sizes is None else args.baseline_sizes)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(args.keep) if args.keep else Path(tmpdir)
        tmp.mkdir(parents=True, exist_ok=True)
        old_tree = baseline_tree(args, tmp) if base_sizes else None
        try:
            rows: list[dict[str, Any]] = []
            for n in args.sizes:
                corpus = tmp / f"newsday-{n}.jsonl"
                items = NewsDay(n).build()
                write_jsonl(items, corpus)
                print(f"\n== {describe(items)}", flush=True)
                new_s, new_gb = run_analyze(ROOT / "src", corpus, tmp / f"new-{n}")
                row: dict[str, Any] = {"n": n, "new_s": new_s, "new_gb": new_gb}
                print(f"new: {new_s:.1f} s, {n / new_s:.1f} articles/s, peak RSS {new_gb:.2f} GB", flush=True)
                if old_tree is not None and n in base_sizes:
                    old_s, old_gb = run_analyze(old_tree / "src", corpus, tmp / f"old-{n}")
                    same = agreement(tmp / f"old-{n}", tmp / f"new-{n}")
                    row.update(old_s=old_s, old_gb=old_gb, same=same)
                    print(
                        f"old: {old_s:.1f} s, {n / old_s:.1f} articles/s, peak RSS {old_gb:.2f} GB; "
                        f"ratio old/new {old_s / new_s:.2f}x; unchanged in the new report: stories "
                        f"{same[0]:.1%}, derivations {same[1]:.1%}, drift {same[2]:.1%}",
                        flush=True,
                    )
                rows.append(row)
        finally:
            if old_tree is not None and not args.baseline_tree:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)],
                               capture_output=True)  # fmt: skip
    print(
        "\n| articles | new s | articles/s | peak RSS GB | old s | old articles/s | old/new | stories same | derivations same |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        old = (f"{r['old_s']:.0f} | {r['n'] / r['old_s']:.1f} | {r['old_s'] / r['new_s']:.1f}x | "
               f"{r['same'][0]:.1%} | {r['same'][1]:.1%}") if "old_s" in r else "– | – | – | – | –"  # fmt: skip
        print(f"| {r['n']:,} | {r['new_s']:.0f} | {r['n'] / r['new_s']:.1f} | {r['new_gb']:.2f} | {old} |")
    k_new = exponent([(r["n"], r["new_s"]) for r in rows])
    k_old = exponent([(r["n"], r["old_s"]) for r in rows if "old_s" in r])
    if k_new is not None:
        print(f"\ngrowth exponent (time ~ articles^k): new k = {k_new:.2f}" +
              (f", old k = {k_old:.2f}" if k_old is not None else ""))  # fmt: skip
    last = rows[-1]
    if last["n"] >= 20000:
        ok = last["new_s"] < 600 and last["new_gb"] < 4
        print(f"20k target (under 10 min, under 4 GB): {'met' if ok else 'MISSED'}" +
              (f"; ratio {last['old_s'] / last['new_s']:.1f}x (target 7x)" if "old_s" in last else ""))  # fmt: skip
    resource.getrusage(resource.RUSAGE_SELF)
    return 0


if __name__ == "__main__":
    sys.exit(main())
