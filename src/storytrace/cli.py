"""The ``storytrace`` command: parse arguments, call the library, map errors to clean messages."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .config import MEANING_MODELS, Config
from .errors import ConfigError, NothingToAnalyzeError, StorytraceError


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
        finished = total > 0 and done >= total
        if not finished and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        if total <= 0:  # a stream of unknown length: count and rate
            rate = done / max(now - self.start, 1e-9)
            text = f"[{now - self.start:6.1f}s] {stage:<8} {done:,} ({rate:,.0f}/s)"
        else:
            pct = 100 * done // total
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
        "paths", nargs="*", metavar="PATH", help="article files or directories (read recursively)"
    )
    an.add_argument("--out", required=True, metavar="DIR", help="directory for report.json")
    an.add_argument("--db", metavar="FILE", help="read the articles from a store made by storytrace ingest")
    an.add_argument("--story", action="append", metavar="ID", help="with --db: only this story (repeatable)")
    an.add_argument("--config", metavar="FILE", help="TOML config file ([storytrace] table)")
    an.add_argument(
        "--threshold",
        type=float,
        dest="group_threshold",
        metavar="X",
        help="same-story threshold, 0..1 (default %(default)s from the config)",
    )
    an.add_argument("--model", metavar="NAME", help="sentence-transformers model name or path")
    an.add_argument(
        "--meaning-model",
        choices=MEANING_MODELS,
        help="judge of paraphrase vs rewritten links: logistic (default, fast) or cross-encoder (more accurate)",
    )
    an.add_argument("--html", action="store_true", help="also write DIR/report.html (self-contained)")
    an.add_argument("--quiet", action="store_true", help="no progress and no summary")
    _add_engine_options(an, analyze=True)
    _add_dedup_parsers(sub)
    _add_eval_parser(sub)
    sv = sub.add_parser(
        "serve",
        help="browse a store in the browser: stories, search, derivation graphs, versions side by side",
        description="Run the web app (and its JSON API, documented at /docs) over a store made by "
        "storytrace ingest. Binds to localhost unless --host says otherwise.",
    )
    sv.add_argument("--db", required=True, metavar="FILE", help="the store")
    sv.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    sv.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    sv.add_argument("--config", metavar="FILE", help="TOML config file ([storytrace] table)")
    return parser


def _add_engine_options(p: argparse.ArgumentParser, analyze: bool = False) -> None:
    p.add_argument(
        "--engine",
        choices=("local", "spark"),
        help="compute engine: local (default) or spark (writes Parquet/JSON-lines directories)",
    )
    p.add_argument("--master", metavar="URL", help="Spark master URL, e.g. local[2] or spark://host:7077")
    if analyze:
        p.add_argument(
            "--story-column",
            default="story",
            metavar="NAME",
            help="--engine spark: input column naming each article's story (default %(default)s; "
            "without it, stories are the near-duplicate clusters)",
        )
        p.add_argument(
            "--format",
            choices=("jsonl", "parquet"),
            default="jsonl",
            dest="out_format",
            help="--engine spark: record format (default %(default)s)",
        )


def _add_eval_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ev = sub.add_parser(
        "eval",
        help="score storytrace on public benchmarks next to baselines (and gate against pinned scores)",
        description="Run evaluation suites (grouping, paraphrase, reuse, direction, seeds, drift; all "
        "by default) in one process and print their tables.",
    )
    ev.add_argument("suites", nargs="*", metavar="SUITE", help="suites to run (default: all)")
    ev.add_argument("--data", default="../shared/data", metavar="DIR", help="data sets (default %(default)s)")
    ev.add_argument("--out", metavar="FILE", help="write the tables as Markdown (e.g. docs/benchmarks.md)")
    ev.add_argument("--fast", action="store_true", help="the fast CI subset (deterministic subsample)")
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


def _add_dedup_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dd = sub.add_parser(
        "dedup",
        help="cluster exact and near-duplicate articles in a corpus of any size (streamed)",
        description="Find exact and near-duplicate articles in files or directories (.txt, .md, "
        ".html, .jsonl, .parquet, .warc, .warc.gz); one output line per article.",
    )
    dd.add_argument("paths", nargs="+", metavar="INPUT", help="article files or directories")
    dd.add_argument(
        "--out", required=True, metavar="FILE", help="clusters JSON lines: id, cluster, canonical, similarity"
    )
    dd.add_argument(
        "--write-unique", metavar="FILE", help="also write the canonical article of every cluster"
    )
    dd.add_argument(
        "--semantic", action="store_true", help="also link same-story rewrites by document embeddings"
    )
    _add_engine_options(dd)
    ing = sub.add_parser(
        "ingest",
        help="add articles to an incremental store (SQLite) with stable story ids",
        description="Stream articles into a store: new articles join the stories they duplicate; the same "
        "id with new content becomes a new revision. Safe to interrupt and run again.",
    )
    ing.add_argument("paths", nargs="+", metavar="INPUT", help="article files or directories")
    ing.add_argument("--db", required=True, metavar="FILE", help="the store (created if absent)")
    ing.add_argument(
        "--semantic", action="store_true", help="also join same-story rewrites by document embeddings"
    )
    ing.add_argument(
        "--batch-size", type=int, default=500, metavar="N", help="articles per transaction (default 500)"
    )
    for p in (dd, ing):
        p.add_argument("--config", metavar="FILE", help="TOML config file ([storytrace] table)")
        p.add_argument(
            "--threshold",
            type=float,
            dest="dedup_threshold",
            metavar="X",
            help="near-duplicate threshold: estimated Jaccard of shingle sets, 0..1 (default 0.7)",
        )
        p.add_argument(
            "--shingle-size",
            type=int,
            dest="dedup_shingle_size",
            metavar="N",
            help="words per shingle (default 5)",
        )
        p.add_argument(
            "--num-perm", type=int, dest="num_perm", metavar="N", help="MinHash permutations (default 128)"
        )
        p.add_argument("--quiet", action="store_true", help="no progress and no summary")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="storytrace: %(message)s")
    try:
        if args.command == "analyze":
            return _analyze(args)
        if args.command == "dedup":
            return _dedup(args)
        if args.command == "ingest":
            return _ingest(args)
        if args.command == "eval":
            return _eval(args)
        if args.command == "serve":
            return _serve(args)
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

    config = Config.load(
        args.config,
        group_threshold=args.group_threshold,
        model=args.model,
        meaning_model=args.meaning_model,
        engine=args.engine,
        spark_master=args.master,
    )
    progress = ProgressLine(sys.stderr, enabled=not args.quiet)
    if config.engine == "spark":
        return _analyze_spark(args, config, progress)
    if args.db:
        from .store import analyze_db

        if args.paths:
            raise ConfigError("give input PATHs or --db FILE, not both")
        report = analyze_db(args.db, config, args.story, progress)
    elif not args.paths:
        raise ConfigError("nothing to analyse: give input PATHs or --db FILE")
    else:
        report = Pipeline.from_config(config, progress).analyze_paths(args.paths)
    path = write_json(report, args.out)
    html_path = None
    if args.html:
        from .html_report import write_html

        html_path = write_html(report, args.out)
    if not args.quiet:
        print(summary(report))
        print(f"\nreport written to {path}" + (f" and {html_path}" if html_path else ""))
    return 0


def _analyze_spark(args: argparse.Namespace, config: Config, progress: ProgressLine) -> int:
    from .spark import spark_analyze

    if args.db or args.html:
        raise ConfigError(
            "--engine spark reads input PATHs and writes records; --db and --html are local only"
        )
    if not args.paths:
        raise ConfigError("nothing to analyse: give input PATHs")
    result = spark_analyze(
        args.paths,
        args.out,
        config,
        master=config.spark_master or None,
        story_column=args.story_column,
        fmt=args.out_format,
        progress=progress,
    )
    if not args.quiet:
        print(result.summary())
    return 0


def _dedup_spark(args: argparse.Namespace, config: Config, progress: ProgressLine) -> int:
    from .spark import spark_dedup

    if args.write_unique or args.semantic:
        raise ConfigError(
            "--write-unique and --semantic are local-engine options; drop them or use --engine local"
        )
    result = spark_dedup(args.paths, args.out, config, master=config.spark_master or None, progress=progress)
    if not args.quiet:
        print(result.summary())
    elif result.skipped:
        print(f"{len(result.skipped)} input(s) skipped", file=sys.stderr)
    return 0 if result.articles else 1


def _serve(args: argparse.Namespace) -> int:
    from .errors import MissingDependencyError
    from .web.service import StoryService

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port!r} is invalid: expected 1..65535")
    try:
        from .web.app import serve
    except ImportError as err:
        raise MissingDependencyError(
            err.name or "fastapi", "storytrace serve", 'pip install "storytrace[web]"'
        ) from err
    service = StoryService(args.db, Config.load(args.config))  # refuses a missing or newer store first
    print(f"storytrace: serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    serve(service, host=args.host, port=args.port)
    return 0


def _ingest(args: argparse.Namespace) -> int:
    from .store import ingest

    config = Config.load(
        args.config,
        dedup_threshold=args.dedup_threshold,
        dedup_shingle_size=args.dedup_shingle_size,
        num_perm=args.num_perm,
    )
    progress = ProgressLine(sys.stderr, enabled=not args.quiet)
    result = ingest(
        args.paths, args.db, config, semantic=args.semantic, batch_size=args.batch_size, progress=progress
    )
    if not args.quiet:
        print(result.summary())
    return 0 if result.read or not result.skipped else 1


def _dedup(args: argparse.Namespace) -> int:
    from .dedup import dedup

    config = Config.load(
        args.config,
        dedup_threshold=args.dedup_threshold,
        dedup_shingle_size=args.dedup_shingle_size,
        num_perm=args.num_perm,
        engine=args.engine,
        spark_master=args.master,
    )
    progress = ProgressLine(sys.stderr, enabled=not args.quiet)
    if config.engine == "spark":
        return _dedup_spark(args, config, progress)
    result = dedup(
        args.paths,
        args.out,
        config,
        write_unique=args.write_unique,
        semantic=args.semantic,
        progress=progress,
    )
    if not args.quiet:
        print(result.summary())
    elif result.skipped:
        print(f"{len(result.skipped)} input(s) skipped", file=sys.stderr)
    return 0 if result.articles else 1


def _eval(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .errors import ConfigError
    from .evaluation import (
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
