"""options: the flags several subcommands share, and the one way a command builds its
:class:`~storytrace.config.Config` from them (defaults -> ``--config`` file -> flags).

A flag that sets a config value uses the config field's name as its ``dest``; :func:`load_config`
picks up every such flag the subcommand has, so no subcommand lists its config fields twice."""

from __future__ import annotations

import argparse
import dataclasses
import sys

from ..config import Config
from .progress import ProgressLine

#: the Config fields a flag may set (a flag's dest is the field name)
CONFIG_FIELDS = frozenset(f.name for f in dataclasses.fields(Config))


def load_config(args: argparse.Namespace) -> Config:
    """The config of this run: defaults, then the ``--config`` file, then every config flag given."""
    flags = {k: v for k, v in vars(args).items() if k in CONFIG_FIELDS}
    return Config.load(getattr(args, "config", None), **flags)


def explicit_config(args: argparse.Namespace) -> Config | None:
    """The config of this run when ``--config`` or a config flag was given, else ``None`` (a
    store then uses the settings it was last analysed with)."""
    flags = {k: v for k, v in vars(args).items() if k in CONFIG_FIELDS and v is not None}
    if getattr(args, "config", None) is None and not flags:
        return None
    return load_config(args)


def progress_line(args: argparse.Namespace) -> ProgressLine:
    """Progress on stderr unless ``--quiet``."""
    return ProgressLine(sys.stderr, enabled=not getattr(args, "quiet", False))


def add_config(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--config",
        metavar="FILE",
        help="TOML config file ([storytrace] table); flags given here override it, it overrides the defaults",
    )


def add_quiet(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true", help="no progress and no summary")


def add_engine(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--engine",
        choices=("local", "spark"),
        help="compute engine: local (default: this machine) or spark (Apache Spark, for corpora that "
        "outgrow one machine; writes Parquet/JSON-lines directories)",
    )
    p.add_argument(
        "--master",
        dest="spark_master",
        metavar="URL",
        help="Spark master URL, e.g. local[2] or spark://host:7077 (default: as spark-submit set it, else local[*])",
    )


def add_fingerprint(p: argparse.ArgumentParser) -> None:
    """The near-duplicate settings of dedup and ingest (a store refuses settings it was not built with)."""
    p.add_argument(
        "--threshold",
        type=float,
        dest="dedup_threshold",
        metavar="X",
        help="near-duplicate threshold: estimated Jaccard similarity of word-shingle sets, 0..1 "
        "(default 0.7: light edits and trims stay in, independent reports on one event stay out)",
    )
    p.add_argument(
        "--shingle-size",
        type=int,
        dest="dedup_shingle_size",
        metavar="N",
        help="words per shingle (default 5: long enough that shared phrases are copied text)",
    )
    p.add_argument(
        "--num-perm",
        type=int,
        dest="num_perm",
        metavar="N",
        help="MinHash permutations (default 128: similarity estimates within about 0.03)",
    )
