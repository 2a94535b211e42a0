"""ingest: ``storytrace ingest``. Stream articles from files into the store, batch by batch (one
transaction a batch), then bring its stories up to date (:func:`~storytrace.corpus.update.update`:
the same grouping, lineage and drift as ``storytrace analyze``); and analyse a store's articles
with the pipeline directly (``analyze --db``)."""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..config import Config
from ..errors import ConfigError
from ..records import RawArticle, Report, Skipped
from .dedup import batches
from .store import IngestSummary, OnConflict, Progress, SQLiteStore


def add_articles(
    store: SQLiteStore,
    items: Iterable[RawArticle | Skipped],
    summary: IngestSummary,
    *,
    on_conflict: OnConflict = "revise",
    batch_size: int = 500,
    progress: Progress | None = None,
) -> None:
    """Store articles (and count skipped inputs) batch by batch: the one intake of the store for
    every caller (``ingest``, the web app, a feed watcher). Inputs are read and checked by
    :mod:`storytrace.read` before they get here."""
    if batch_size < 1:
        raise ConfigError(f"batch_size={batch_size!r} is invalid: expected an integer >= 1")
    for batch in batches(items, batch_size):
        articles: list[RawArticle] = []
        seen: set[str] = set()
        for item in batch:
            if isinstance(item, Skipped):
                summary.skipped.append(item)
            elif item.id in seen:  # later in the same batch: the later version wins next run
                summary.skipped.append(
                    Skipped(item.path or "?", item.line, f"article id {item.id!r} appears twice in one batch")
                )
            else:
                seen.add(item.id)
                articles.append(item)
        store.add(articles, summary, on_conflict)
        summary.read += len(articles)
        if progress is not None:
            progress("ingest", summary.read, 0)


def ingest(
    paths: Iterable[str | Path],
    db: str | Path,
    config: Config | None = None,
    *,
    batch_size: int = 500,
    on_conflict: OnConflict = "revise",
    analyse: bool = True,
    progress: Progress | None = None,
) -> IngestSummary:
    """Stream the articles at ``paths`` into the store ``db`` (created if absent), then prepare,
    regroup and analyse what changed (unless ``analyse`` is false: the next ingest, ``export``
    or ``serve`` does it)."""
    from ..read.inputs import iter_inputs
    from .update import update

    config = config or Config()
    start = time.perf_counter()
    summary = IngestSummary(db=Path(db))
    with SQLiteStore(db, config) as store:
        add_articles(
            store, iter_inputs(paths, config), summary, on_conflict=on_conflict, batch_size=batch_size,
            progress=progress,
        )  # fmt: skip
        if progress is not None:
            progress("ingest", summary.read, summary.read)
        if analyse:
            summary.update = update(store, progress=progress)
        summary.articles, summary.stories = store.counts()
    summary.seconds = time.perf_counter() - start
    return summary


def analyze_db(
    db: str | Path,
    config: Config | None = None,
    stories: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> Report:
    """Run the analysis pipeline on the articles of a store (optionally only some stories)."""
    from ..errors import NothingToAnalyzeError
    from ..pipeline import Pipeline

    config = config or Config()
    with SQLiteStore(db, config, create=False) as store:
        raws = list(store.articles(stories))
    if not raws:
        raise NothingToAnalyzeError(f"nothing to analyse: store {str(db)!r} has no matching article")
    return Pipeline.from_config(config, progress).analyze_raw(raws)
