"""``storytrace eval``: score storytrace on public benchmarks next to baselines, and the CI gate
against the pinned scores of bench/baseline.json."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import ConfigError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser(
        "eval",
        help="score storytrace on public benchmarks next to baselines (and gate against pinned scores)",
        description="Run evaluation suites (grouping, paraphrase, reuse, direction, seeds, drift, crosslingual, drift-real; "
        "all by default) in one process and print their tables.",
    )
    ev.add_argument("suites", nargs="*", metavar="SUITE", help="suites to run (default: all)")
    ev.add_argument("--data", default="../shared/data", metavar="DIR", help="data sets (default %(default)s)")
    ev.add_argument("--out", metavar="FILE", help="write the tables as Markdown (e.g. docs/benchmarks.md)")
    ev.add_argument(
        "--fast",
        action="store_true",
        help="the fast CI subset (a deterministic subsample, minutes instead of a quarter of an hour)",
    )
    ev.add_argument(
        "--baseline",
        default="bench/baseline.json",
        metavar="FILE",
        help="pinned scores (default %(default)s)",
    )
    ev.add_argument(
        "--no-baselines", action="store_true", help="storytrace's rows only (what the gate needs)"
    )
    ev.add_argument("--check", action="store_true", help="fail (exit 1) when a score falls below its pin")
    ev.add_argument("--update-baseline", action="store_true", help="pin the measured scores (needs --fast)")
    ev.add_argument("--reason", metavar="TEXT", help="why pins change; required to lower any pin")
    ev.add_argument("--quiet", action="store_true", help="no progress lines")
    ev.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..evaluation import (
        Context,
        check_baseline,
        load_baseline,
        run_suites,
        section,
        update_baseline,
        write_document,
    )

    if (args.check or args.update_baseline) and not args.fast:
        raise ConfigError("--check and --update-baseline compare the fast subset: add --fast")
    data = Path(args.data)
    if not data.is_dir():
        raise ConfigError(f"data directory {args.data!r} does not exist")
    log = (lambda m: None) if args.quiet else (lambda m: print(f"storytrace eval: {m}", file=sys.stderr))
    results = run_suites(args.suites, Context(data, fast=args.fast, baselines=not args.no_baselines, log=log))
    for r in results:
        print(section(r) + "\n")
    if args.out:
        print(f"tables written to {write_document(results, args.out, args.fast)}")
    if args.update_baseline:
        _, changes = update_baseline(results, args.baseline, args.reason)
        print(f"{args.baseline}: " + ("; ".join(changes) if changes else "pins unchanged"))
    if args.check:
        failures = check_baseline(results, load_baseline(args.baseline))
        for f in failures:
            print(f"REGRESSION {f}", file=sys.stderr)
        if failures:
            return 1
        print(f"all pinned scores hold ({args.baseline})")
    return 0
