"""Drift on real articles: collect every drift flag storytrace raises on the benchmark set (ECB+
gold stories, SemEval and MRPC news pairs, consecutive revisions of a few Wikipedia pages), match them to
the hand labels of bench/data/drift_real_flags.jsonl, print precision, coverage and true flags
kept per part, and list the flags that have no label yet.

To label new flags (after a change to the drift code):

    PYTHONPATH=src .venv/bin/python bench/drift_real.py --todo /tmp/todo.jsonl

prints each unlabelled flag with its two sentences (read from ../shared/data, never stored in the
repository) and writes a label template per flag to /tmp/todo.jsonl. Read the sentences, fill in
``label`` (true/false), ``family``, ``difference`` (true flags: conflict, update, variant or
rewording) and a one-line ``reason``, and append the lines to the label file. Families and the
labelling guide: bench/data/README.md. `storytrace eval drift-real` runs the same scores as a
suite of the CI gate.

Usage: .venv/bin/python bench/drift_real.py [--data ../shared/data] [--todo FILE] [--show-labelled] [--fast]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from storytrace.config import Config  # noqa: E402
from storytrace.evaluation.drift_real import (  # noqa: E402
    ALL_ECB_STORIES,
    FAST_ECB_STORIES,
    FAST_MRPC_PAIRS,
    FAST_SEMEVAL_PAIRS,
    FAST_VERSION_PAGES,
    LABEL_FILE,
    MRPC_PAIRS,
    SEMEVAL_PAIRS,
    VERSION_PAGES,
    collect,
    describe,
    label_template,
    match,
    of_set,
    read_labels,
)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--labels", type=Path, default=ROOT / LABEL_FILE)
    parser.add_argument("--todo", type=Path, help="write a label template for each unlabelled flag here")
    parser.add_argument("--show-labelled", action="store_true", help="also print the labelled flags raised")
    parser.add_argument("--fast", action="store_true", help="the fast subset of the CI gate only")
    args = parser.parse_args()
    start = time.perf_counter()
    labels = read_labels(args.labels) if args.labels.exists() else []
    stories, pages, pairs, mrpc = (
        (FAST_ECB_STORIES, FAST_VERSION_PAGES, FAST_SEMEVAL_PAIRS, FAST_MRPC_PAIRS)
        if args.fast
        else (ALL_ECB_STORIES, VERSION_PAGES, SEMEVAL_PAIRS, MRPC_PAIRS)
    )
    labels = of_set(labels, stories, pages, pairs, mrpc)
    flags = collect(
        args.data, Config(), stories, pages, pairs, log=lambda m: print(m, file=sys.stderr), mrpc=mrpc
    )
    m = match(flags, labels)
    shown = list(m.unlabelled)
    if args.show_labelled:
        shown += [f for f, _ in m.matched]
    for number, flag in enumerate(shown, start=1):
        print(
            f"\n#{number} {flag.story} {flag.source} -> {flag.target} {flag.kind}: {flag.before!r} -> {flag.after!r}"
            + (f" [{flag.difference}]" if flag.difference else "")
        )
        print(f"  source: {flag.source_sentence}")
        print(f"  target: {flag.target_sentence}")
    if args.todo:
        with args.todo.open("w", encoding="utf-8") as fh:
            for flag in m.unlabelled:
                fh.write(json.dumps(label_template(flag), ensure_ascii=False) + "\n")
    summary = describe(m, labels)
    print()
    for part in ("all", "tune", "held-out", "fresh", "ECB+", "SemEval", "MRPC", "versions"):
        s = summary[part]
        cells = ", ".join(f"{k} {'–' if v is None else f'{v:.3f}'}" for k, v in s.items())
        print(f"{part}: {cells}")
    print("false flags raised by family:", summary["false families"])
    print(f"labels not raised: {len(m.not_raised)}")
    print(
        f"unlabelled: {len(m.unlabelled)}"
        + (f" (templates in {args.todo})" if args.todo and m.unlabelled else "")
    )
    print(f"time: {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
