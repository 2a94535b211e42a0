"""``storytrace serve``: the web app over a store, on localhost unless told otherwise."""

from __future__ import annotations

import argparse
import sys

from ..errors import ConfigError, MissingDependencyError
from .options import add_config, load_config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sv = sub.add_parser(
        "serve",
        help="browse a store in the browser: stories, search, derivation graphs, versions side by side",
        description="Run the web app (and its JSON API, documented at /docs) over a store made by "
        "storytrace ingest, with a background worker that groups and analyses what is added (the same "
        "pipeline as analyze). Binds to localhost unless --host says otherwise; SIGTERM or Ctrl-C stop it.",
    )
    sv.add_argument("--db", required=True, metavar="FILE", help="the store")
    sv.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default %(default)s: only this machine; article text is untrusted and "
        "the app has no login, so expose it only behind your own access control)",
    )
    sv.add_argument("--port", type=int, default=8000, help="port (default %(default)s)")
    sv.add_argument(
        "--time-limit",
        type=float,
        dest="story_time_limit",
        metavar="SECONDS",
        help="a story whose analysis runs longer is marked too large to analyse (default 300)",
    )
    add_config(sv)
    sv.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..web.service import StoryService

    if not 0 < args.port < 65536:
        raise ConfigError(f"--port {args.port!r} is invalid: expected 1..65535")
    try:
        from ..web.app import serve
    except ImportError as err:
        raise MissingDependencyError(
            err.name or "fastapi", "storytrace serve", 'pip install "storytrace[web]"'
        ) from err
    from .corpus import store_config

    config = store_config(args) or load_config(args)
    service = StoryService(args.db, config, background=True)  # refuses a missing or newer store first
    print(f"storytrace: serving {args.db} at http://{args.host}:{args.port}/ (Ctrl-C stops)", file=sys.stderr)
    serve(service, host=args.host, port=args.port)
    return 0
