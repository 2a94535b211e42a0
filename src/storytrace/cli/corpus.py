"""``storytrace dedup``, ``storytrace ingest`` and ``storytrace export``: near-duplicate clusters of
a corpus of any size (streamed), the incremental store with stable story ids, analysed as
``analyze`` would, and its stories written as report.json."""

from __future__ import annotations

import argparse
import sys

from ..config import Config
from ..errors import ConfigError
from .options import (
    add_config,
    add_engine,
    add_fingerprint,
    add_quiet,
    explicit_config,
    load_config,
    progress_line,
)
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
        help="add articles to an incremental store (SQLite) and analyse its stories as analyze would",
        description="Stream articles into a store, then group, trace and check them with the same pipeline "
        "as storytrace analyze (only what changed is redone); story ids stay stable as stories grow, merge "
        "and split. The same id with new content becomes a new revision. Safe to interrupt and run again.",
    )
    ing.add_argument("paths", nargs="+", metavar="INPUT", help="article files or directories")
    ing.add_argument("--db", required=True, metavar="FILE", help="the store (created if absent)")
    ing.add_argument(
        "--batch-size",
        dest="store_batch",  # not Config.batch_size, the embedding batch
        type=int,
        default=500,
        metavar="N",
        help="articles per transaction (default 500: an interrupted run loses at most one batch)",
    )
    ing.add_argument(
        "--on-conflict",
        choices=("revise", "refuse"),
        default="revise",
        help="an id already stored with other content: store it as a new revision (default; the summary "
        "names them) or refuse it with a message",
    )
    ing.add_argument(
        "--no-analyse",
        dest="analyse",
        action="store_false",
        help="only store the articles; the next ingest, export or serve groups and analyses them",
    )
    ing.add_argument(
        "--threshold",
        type=float,
        dest="group_threshold",
        metavar="X",
        help="same-story threshold, 0..1 (as analyze --threshold; default 0.15)",
    )
    # flags of the near-duplicate store before it grouped as analyze does: still accepted, ignored
    ing.add_argument("--semantic", action="store_true", dest="old_semantic", help=argparse.SUPPRESS)
    ing.add_argument("--shingle-size", type=int, dest="old_shingle_size", help=argparse.SUPPRESS)
    ing.add_argument("--num-perm", type=int, dest="old_num_perm", help=argparse.SUPPRESS)
    add_config(ing)
    add_quiet(ing)
    ing.set_defaults(run=run_ingest)
    ex = sub.add_parser(
        "export",
        help="write a store's stories as report.json (and report.html), the contract of analyze",
        description="Bring the store up to date, then write DIR/report.json: analyze's report for the store's "
        "articles, with each story's stable id, state and history and each article's revisions.",
    )
    ex.add_argument("--db", required=True, metavar="FILE", help="the store")
    ex.add_argument("--out", required=True, metavar="DIR", help="directory for report.json")
    ex.add_argument("--html", action="store_true", help="also write DIR/report.html (self-contained)")
    ex.add_argument(
        "--no-update",
        dest="bring_up_to_date",
        action="store_false",
        help="export what is analysed now; stories waiting for analysis are marked pending",
    )
    add_config(ex)
    add_quiet(ex)
    ex.set_defaults(run=run_export)
    for p in (dd,):
        add_config(p)
        add_fingerprint(p)
        add_quiet(p)


def store_config(args: argparse.Namespace) -> Config | None:
    """The settings for a store: the given ones, else those it was last analysed with."""
    from ..corpus.store import stored_config

    return explicit_config(args) or stored_config(args.db)


def run_ingest(args: argparse.Namespace) -> int:
    from ..corpus.ingest import ingest

    for flag, given in (
        ("--semantic", args.old_semantic),
        ("--shingle-size", args.old_shingle_size is not None),
        ("--num-perm", args.old_num_perm is not None),
    ):
        if given:
            print(
                f"storytrace: note: ingest {flag} is ignored: the store now groups and analyses its articles "
                "as storytrace analyze does (embeddings included)",
                file=sys.stderr,
            )

    result = ingest(
        args.paths,
        args.db,
        store_config(args),
        batch_size=args.store_batch,
        on_conflict=args.on_conflict,
        analyse=args.analyse,
        progress=progress_line(args),
    )
    if not args.quiet:
        print(result.summary())
    return 0 if result.read or not (result.skipped or result.refused) else 1


def run_export(args: argparse.Namespace) -> int:
    from ..corpus.export import export

    path, html_path, doc = export(
        args.db,
        args.out,
        store_config(args),
        html=args.html,
        bring_up_to_date=args.bring_up_to_date,
        progress=progress_line(args),
    )
    if not args.quiet:
        store = doc["store"]
        print(
            f"{len(doc['articles'])} article(s) in {len(doc['stories'])} story(ies) exported "
            f"({len(store['pending'])} pending, {len(store['too_large'])} too large to analyse, "
            f"{len(doc['skipped'])} article(s) not analysable)"
        )
        print(f"report written to {path}" + (f" and {html_path}" if html_path else ""))
    return 0


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
