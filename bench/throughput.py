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
is each child's (largest process) and the sum over its process tree (PSS,
shared pages counted once); CPU time includes its worker processes. The script prints articles/s, peak RSS, the ratio old/new, the growth exponent
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
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsday import ECB, NewsDay, describe, write_jsonl

ROOT = Path(__file__).resolve().parents[1]


def _tree_pss(root: int) -> int:
    """Proportional set size (kB) of ``root`` and every descendant: shared pages counted once."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack += children.get(pid, [])
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_analyze(src: Path, corpus: Path, out: Path) -> dict[str, float]:
    """`storytrace analyze` from the tree ``src``: wall seconds, CPU seconds (its workers
    included), peak RSS of its largest process and peak PSS of its process tree (GB)."""
    env = dict(os.environ, PYTHONPATH=str(src))
    cmd = [sys.executable, "-m", "storytrace.cli", "analyze", str(corpus), "--out", str(out), "--quiet"]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if Path("/proc").exists():
            peak = max(peak, _tree_pss(proc.pid))
        time.sleep(0.5)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed (status {status})")
    # the child's own usage: its CPU time includes the workers it waited for
    cpu = usage.ru_utime + usage.ru_stime
    return {"s": seconds, "cpu": cpu, "rss": usage.ru_maxrss / 1024**2, "pss": peak / 1024**2}


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
                row: dict[str, Any] = {"n": n, "new": run_analyze(ROOT / "src", corpus, tmp / f"new-{n}")}
                print("new: " + _line(n, row["new"]), flush=True)
                if old_tree is not None and n in base_sizes:
                    row["old"] = run_analyze(old_tree / "src", corpus, tmp / f"old-{n}")
                    row["same"] = agreement(tmp / f"old-{n}", tmp / f"new-{n}")
                    print("old: " + _line(n, row["old"]), flush=True)
                    print(
                        f"ratio old/new: wall {row['old']['s'] / row['new']['s']:.2f}x, CPU "
                        f"{row['old']['cpu'] / row['new']['cpu']:.2f}x; unchanged in the new report: stories "
                        f"{row['same'][0]:.1%}, derivations {row['same'][1]:.1%}, drift {row['same'][2]:.1%}",
                        flush=True,
                    )
                rows.append(row)
        finally:
            if old_tree is not None and not args.baseline_tree:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(old_tree)],
                               capture_output=True)  # fmt: skip
    print("\n| articles | new s | articles/s | CPU s | peak PSS GB | old s | old CPU s | old/new wall | old/new CPU | stories same | derivations same |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        new, old = r["new"], r.get("old")
        tail = (f"{old['s']:.0f} | {old['cpu']:.0f} | {old['s'] / new['s']:.1f}x | {old['cpu'] / new['cpu']:.1f}x | "
                f"{r['same'][0]:.1%} | {r['same'][1]:.1%}") if old else "– | – | – | – | – | –"  # fmt: skip
        print(f"| {r['n']:,} | {new['s']:.0f} | {r['n'] / new['s']:.1f} | {new['cpu']:.0f} | {new['pss']:.2f} | {tail} |")
    k_new = exponent([(r["n"], r["new"]["s"]) for r in rows])
    k_old = exponent([(r["n"], r["old"]["s"]) for r in rows if "old" in r])
    if k_new is not None:
        print(f"\ngrowth exponent (wall time ~ articles^k): new k = {k_new:.2f}" +
              (f", old k = {k_old:.2f}" if k_old is not None else ""))  # fmt: skip
    last = rows[-1]
    if last["n"] >= 20000:
        ok = last["new"]["s"] < 600 and last["new"]["pss"] < 4
        print(f"20k target (under 10 min, under 4 GB): {'met' if ok else 'MISSED'}" +
              (f"; ratio {last['old']['s'] / last['new']['s']:.1f}x (target 7x)" if "old" in last else ""))  # fmt: skip
    return 0


def _line(n: int, run: dict[str, float]) -> str:
    return (
        f"{run['s']:.1f} s, {n / run['s']:.1f} articles/s, {run['cpu']:.0f} CPU s, peak RSS "
        f"{run['rss']:.2f} GB (largest process), peak PSS {run['pss']:.2f} GB (process tree)"
    )


if __name__ == "__main__":
    sys.exit(main())
