"""The ``storytrace`` command: parse arguments, call the library, map errors to clean messages.

One module per subcommand (``analyze``, ``corpus``: dedup, ingest and export, ``serve``, ``evaluate``,
``watch``),
each with ``register(sub)`` adding its parser and a ``run(args)`` handler; ``options`` holds the
flags several subcommands share and builds the config from them."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from ..errors import NothingToAnalyzeError, StorytraceError
from ..version import __version__
from . import analyze, corpus, evaluate, serve, watch
from .progress import ProgressLine

__all__ = ["ProgressLine", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="storytrace", description="Trace how a news story spreads and mutates."
    )
    parser.add_argument("--version", action="version", version=f"storytrace {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in (analyze, corpus, evaluate, serve, watch):
        command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="storytrace: %(message)s")
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except NothingToAnalyzeError as err:
        for skipped in err.skipped:
            print(f"skipped {skipped}", file=sys.stderr)
        print(f"storytrace: error: {err}", file=sys.stderr)
        return 1
    except StorytraceError as err:
        print(f"storytrace: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C: a clean message and the shell's exit code, no traceback
        print("storytrace: interrupted", file=sys.stderr)
        return 130
