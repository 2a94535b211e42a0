"""ingest: ``storytrace ingest``. Stream articles from files into the store, batch by batch (one
transaction a batch), and analyse a store's articles with the same pipeline as ``storytrace analyze``."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..errors import ConfigError
from ..records import RawArticle, Report, Skipped
from .dedup import batches
from .store import IngestSummary, Progress, SQLiteStore

_HAS_WORD = re.compile(r"\w")


def ingest(
    paths: Iterable[str | Path],
    db: str | Path,
    config: Config | None = None,
    *,
    semantic: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> IngestSummary:
    """Stream the articles at ``paths`` into the store ``db`` (created if absent)."""
    from ..read.inputs import iter_inputs

    config = config or Config()
    if batch_size < 1:
        raise ConfigError(f"batch_size={batch_size!r} is invalid: expected an integer >= 1")
    progress = progress or (lambda stage, done, total: None)
    start = time.perf_counter()
    summary = IngestSummary(db=Path(db))
    embed: Callable[[Sequence[str]], npt.NDArray[np.float32]] | None = None
    if semantic:
        from ..text.embed import SentenceTransformerEmbedder

        embed = SentenceTransformerEmbedder(config.model, config.batch_size, cache=False).encode
    with SQLiteStore(db, config) as store:
        for batch in batches(iter_inputs(paths, config), batch_size):
            articles: list[RawArticle] = []
            seen: set[str] = set()
            for item in batch:
                if isinstance(item, Skipped):
                    summary.skipped.append(item)
                elif not _HAS_WORD.search(item.text):
                    summary.skipped.append(Skipped(item.path or item.id, item.line, "no words in the text"))
                elif item.id in seen:  # later in the same batch: the later version wins next run
                    summary.skipped.append(
                        Skipped(
                            item.path or "?", item.line, f"article id {item.id!r} appears twice in one batch"
                        )
                    )
                else:
                    seen.add(item.id)
                    articles.append(item)
            vectors = embed([a.text[:2000] for a in articles]) if embed is not None and articles else None
            store.add_batch(articles, summary, vectors)
            summary.read += len(articles)
            progress("ingest", summary.read, 0)
        progress("ingest", summary.read, summary.read)
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
