"""``storytrace dedup`` and ``storytrace ingest``: near-duplicate clusters of a corpus of any size
(streamed), and the incremental store with stable story ids."""

from __future__ import annotations

import argparse
import sys

from ..config import Config
from ..errors import ConfigError
from .options import add_config, add_engine, add_fingerprint, add_quiet, load_config, progress_line
from .progress import ProgressLine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    add_engine(dd)
    dd.set_defaults(run=run_dedup)
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
        "--batch-size",
        dest="store_batch",  # not Config.batch_size, the embedding batch
        type=int,
        default=500,
        metavar="N",
        help="articles per transaction (default 500: an interrupted run loses at most one batch)",
    )
    ing.set_defaults(run=run_ingest)
    for p in (dd, ing):
        add_config(p)
        add_fingerprint(p)
        add_quiet(p)


def run_ingest(args: argparse.Namespace) -> int:
    from ..corpus.ingest import ingest

    result = ingest(
        args.paths,
        args.db,
        load_config(args),
        semantic=args.semantic,
        batch_size=args.store_batch,
        progress=progress_line(args),
    )
    if not args.quiet:
        print(result.summary())
    return 0 if result.read or not result.skipped else 1


def run_dedup(args: argparse.Namespace) -> int:
    from ..corpus.dedup import dedup

    config = load_config(args)
    progress = progress_line(args)
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


def _dedup_spark(args: argparse.Namespace, config: Config, progress: ProgressLine) -> int:
    from ..spark import spark_dedup

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
