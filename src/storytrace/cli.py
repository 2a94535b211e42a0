"""The ``storytrace`` command: parse arguments, call the library, map errors to clean messages."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .config import Config
from .errors import NothingToAnalyzeError, StorytraceError


class ProgressLine:
    """Progress on stderr: one rewritten line on a terminal, a line every few seconds otherwise."""

    def __init__(self, stream: TextIO, enabled: bool = True) -> None:
        self.stream = stream
        self.enabled = enabled
        self.tty = stream.isatty()
        self.last = 0.0
        self.start = time.monotonic()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        finished = done >= total
        if not finished and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        pct = 100 * done // total if total else 100
        text = f"[{now - self.start:6.1f}s] {stage:<8} {done}/{total} ({pct}%)"
        if self.tty:
            self.stream.write("\r" + text + ("\n" if finished else ""))
        elif finished or done:
            self.stream.write(text + "\n")
        self.stream.flush()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storytrace", description="Trace how a news story spreads and mutates."
    )
    parser.add_argument("--version", action="version", version=f"storytrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser(
        "analyze",
        help="group articles into stories and explain who copied whom",
        description="Analyse files or directories of articles (.txt, .md, .html, .jsonl).",
    )
    an.add_argument(
        "paths", nargs="+", metavar="PATH", help="article files or directories (read recursively)"
    )
    an.add_argument("--out", required=True, metavar="DIR", help="directory for report.json")
    an.add_argument("--config", metavar="FILE", help="TOML config file ([storytrace] table)")
    an.add_argument(
        "--threshold",
        type=float,
        dest="group_threshold",
        metavar="X",
        help="same-story threshold, 0..1 (default %(default)s from the config)",
    )
    an.add_argument("--model", metavar="NAME", help="sentence-transformers model name or path")
    an.add_argument("--quiet", action="store_true", help="no progress and no summary")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="storytrace: %(message)s")
    try:
        if args.command == "analyze":
            return _analyze(args)
    except NothingToAnalyzeError as err:
        for skipped in err.skipped:
            print(f"skipped {skipped}", file=sys.stderr)
        print(f"storytrace: error: {err}", file=sys.stderr)
        return 1
    except StorytraceError as err:
        print(f"storytrace: error: {err}", file=sys.stderr)
        return 2
    return 2


def _analyze(args: argparse.Namespace) -> int:
    from .pipeline import Pipeline
    from .report import summary, write_json

    config = Config.load(args.config, group_threshold=args.group_threshold, model=args.model)
    progress = ProgressLine(sys.stderr, enabled=not args.quiet)
    report = Pipeline.from_config(config, progress).analyze_paths(args.paths)
    path = write_json(report, args.out)
    if not args.quiet:
        print(summary(report))
        print(f"\nreport written to {path}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
