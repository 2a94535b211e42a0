"""batch: many stories analysed on all cores, and the multilingual document vectors of a pile.

Stories are independent: :func:`analyze_stories` runs :func:`~storytrace.story.dossier.analyze_story`
for each in a pool of forked worker processes (the articles, vectors and the loaded spaCy model
are inherited, not copied or reloaded), largest stories first so that no worker is left with a
big story at the end, one-article stories in chunks. The stories come back in the order given, the
same as a serial run. Without ``fork`` (Windows, macOS spawn), with one worker, for a small pile,
or with the cross-encoder judge (a transformer must not run in a process forked after it ran),
the stories are analysed in this process.

:func:`cross_document_vectors` encodes a pile's sentences with the multilingual model (needed for
every article as soon as one is not in English) in batches, on all cores for a large pile: the
model runs on one thread per process, and the batches go to forked workers that inherit the
articles and the loaded model.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterator, Sequence

import numpy as np
import numpy.typing as npt

from ..config import Config, usable_cores
from ..records import Article, Story
from ..text import nlp
from ..text.multilingual_embed import get_multilingual_embedder
from .dossier import Vectors, analyze_story, document_vectors, multilingual_vectors

#: (story id, members) of one story
Job = tuple[str, Sequence[Article]]
#: sentences below which a pile is analysed in this process (a fork costs more than it saves)
MIN_PARALLEL_SENTENCES = 2000

#: sentences per batch of :func:`cross_document_vectors` (a batch's sentence vectors, 512 floats
#: each, are dropped once its document vectors are taken: about 8 MB per batch, so a 20k-article
#: day never holds its 150,000 sentences' vectors at once)
CROSS_BATCH_SENTENCES = 4000

_shared: tuple[Sequence[Job], Vectors, Config] | None = None
_cross: tuple[Sequence[Article], Config] | None = None


def worker_count(config: Config) -> int:
    """Worker processes for ``config.workers`` (0: one per core this process may run on)."""
    return config.workers if config.workers > 0 else usable_cores()


def analyze_stories(
    jobs: Sequence[Job],
    vectors: Vectors,
    config: Config,
    progress: Callable[[int, int], None] | None = None,
) -> list[Story]:
    """:func:`analyze_story` of every job, in order; on all cores when it pays."""
    global _shared
    total = len(jobs)
    workers = min(worker_count(config), total)
    sentences = sum(len(a.sentences) for _, members in jobs for a in members)
    parallel = (
        workers > 1
        and sentences >= MIN_PARALLEL_SENTENCES
        and "fork" in multiprocessing.get_all_start_methods()
        and config.meaning_model != "cross-encoder"
    )
    out: list[Story | None] = [None] * total
    if not parallel:
        for k, (story_id, members) in enumerate(jobs):
            out[k] = analyze_story(story_id, members, vectors, config)
            if progress is not None:
                progress(k + 1, total)
        return [s for s in out if s is not None]
    if config.dossier:
        nlp.load(config.spacy_model)  # loaded once here, inherited by every worker
    _shared = (jobs, vectors, config)
    done = 0
    # objects made so far are left out of the collector's passes, so the workers' collections do
    # not write to (and so copy) every page of the articles and vectors they inherit
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for results in pool.imap_unordered(_run, _chunks(jobs, workers)):
                for k, story in results:
                    out[k] = story
                done += len(results)
                if progress is not None:
                    progress(done, total)
    finally:
        _shared = None
        gc.unfreeze()
    return [s for s in out if s is not None]


def _chunks(jobs: Sequence[Job], workers: int) -> Iterator[list[int]]:
    """Job indexes, largest stories first; small stories grouped so a chunk is worth a message."""
    cost = [sum(len(a.sentences) for a in members) * len(members) for _, members in jobs]
    order = sorted(range(len(jobs)), key=lambda k: -cost[k])
    target = max(200, sum(cost) // (workers * 64))
    chunk: list[int] = []
    weight = 0
    for k in order:
        chunk.append(k)
        weight += cost[k]
        if weight >= target:
            yield chunk
            chunk, weight = [], 0
    if chunk:
        yield chunk


def _run(indexes: list[int]) -> list[tuple[int, Story]]:
    assert _shared is not None, "worker started without the shared stories"
    jobs, vectors, config = _shared
    out = []
    for k in indexes:
        story_id, members = jobs[k]
        out.append((k, analyze_story(story_id, members, {a.id: vectors[a.id] for a in members}, config)))
    return out


def cross_document_vectors(
    articles: Sequence[Article], config: Config, progress: Callable[[int], None] | None = None
) -> npt.NDArray[np.float32]:
    """Multilingual document vectors of ``articles`` (one row each, in order), encoded in batches
    of about :data:`CROSS_BATCH_SENTENCES` sentences, in forked workers for a pile of two batches
    or more; ``progress`` gets the number of articles done."""
    global _cross
    if not articles:
        dimension = get_multilingual_embedder(config.multilingual_model).dimension
        return np.zeros((0, dimension), dtype=np.float32)
    batches: list[range] = []
    start, sentences = 0, 0
    for k, article in enumerate(articles, start=1):
        sentences += len(article.sentences)
        if sentences >= CROSS_BATCH_SENTENCES or k == len(articles):
            batches.append(range(start, k))
            start, sentences = k, 0
    workers = min(worker_count(config), len(batches))
    rows: list[npt.NDArray[np.float32]] = []
    done = 0
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for batch in batches:
            rows.append(_cross_batch(articles, batch, config))
            done += len(batch)
            if progress is not None:
                progress(done)
        return np.concatenate(rows)
    get_multilingual_embedder(config.multilingual_model).load()  # loaded once, inherited
    _cross = (articles, config)
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for batch, vectors in zip(batches, pool.imap(_run_cross, batches), strict=True):
                rows.append(vectors)
                done += len(batch)
                if progress is not None:
                    progress(done)
    finally:
        _cross = None
        gc.unfreeze()
    return np.concatenate(rows)


def _cross_batch(articles: Sequence[Article], batch: range, config: Config) -> npt.NDArray[np.float32]:
    members = [articles[k] for k in batch]
    return document_vectors(members, multilingual_vectors(members, config))


def _run_cross(batch: range) -> npt.NDArray[np.float32]:
    assert _cross is not None, "worker started without the shared articles"
    articles, config = _cross
    return _cross_batch(articles, batch, config)
