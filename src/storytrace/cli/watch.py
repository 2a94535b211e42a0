"""``storytrace watch``: poll feeds, sitemaps and pages into a store, with alerts."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
from types import FrameType

from ..errors import MissingDependencyError
from .options import add_config, add_quiet, load_config, progress_line


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    wp = sub.add_parser(
        "watch",
        help="poll feeds, sitemaps and article pages into a store, alerting on copies, drift and revisions",
        description="Watch outlets: SOURCES are feed URLs (RSS, Atom, JSON Feed), sitemaps and news "
        "sitemaps, article URLs, or files listing them (one a line: URL [name=NAME] [every=10m]). New "
        "articles go through the same intake as storytrace ingest; articles of the last "
        "watch.revisit_days are re-read, a changed text becoming a new revision. Alert rules come "
        "from the config file ([[storytrace.watch.alert]]). SIGTERM or Ctrl-C stops it cleanly.",
    )
    wp.add_argument("sources", nargs="+", metavar="SOURCE", help="feed, sitemap or article URLs, or files of them")
    wp.add_argument("--db", required=True, metavar="FILE", help="the store (created if absent)")
    wp.add_argument(
        "--once",
        action="store_true",
        help="poll every source once and exit (for cron); without it, poll each source when it is due until stopped",
    )
    wp.add_argument(
        "--alerts",
        metavar="FILE",
        help="append alerts as JSON lines to FILE ('-' = standard output; default: watch.alert_file, '-')",
    )
    add_config(wp)
    add_quiet(wp)
    wp.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import feedparser  # noqa: F401
        import httpx  # noqa: F401
    except ImportError as err:
        raise MissingDependencyError(err.name or "feedparser", "storytrace watch", 'pip install "storytrace[watch]"') from err
    from ..watch import Watcher, read_sources
    from .corpus import store_config

    config = store_config(args) or load_config(args)  # like serve: the settings the store was analysed with
    if args.alerts:
        config = dataclasses.replace(config, watch=dataclasses.replace(config.watch, alert_file=args.alerts))
    sources = read_sources(args.sources)
    progress = progress_line(args)
    with Watcher(args.db, sources, config, progress=progress) as watcher:

        def stop(signum: int, frame: FrameType | None) -> None:
            print("storytrace: stopping after the current page", file=sys.stderr)
            watcher.stop.set()

        previous = signal.signal(signal.SIGTERM, stop)
        try:
            if args.once:
                summary = watcher.poll(force=True)
                if not args.quiet:
                    print(summary.summary(), file=sys.stderr)
                polled = [s for s in summary.sources if not s.skipped]
                return 0 if any(not s.errors or s.new or s.changed or s.unchanged for s in polled) else 1

            def report(summary: object) -> None:
                if not args.quiet:
                    print(summary.summary(), file=sys.stderr)  # type: ignore[attr-defined]

            try:
                watcher.run(report)
            except KeyboardInterrupt:
                watcher.stop.set()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
