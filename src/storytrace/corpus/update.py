"""update: bring a store's stories up to date with its articles, by the same steps as ``analyze``.

1. **Prepare** the articles whose preparation is stale (:meth:`~PreparedState.stale_articles`):
   :meth:`Pipeline.prepare_each <storytrace.pipeline.Pipeline.prepare_each>` with the store's
   repeat counts, then their sentence vectors (:class:`~storytrace.corpus.vectors.StoredEmbedder`:
   only sentences never seen are embedded) and document vectors.
2. **Group** all analysable articles again with :meth:`Pipeline.group
   <storytrace.pipeline.Pipeline.group>` whenever any preparation changed: the grouping weighs
   words by their rarity in the whole corpus (TF-IDF, names), so one new article can change any
   score, and only a full regrouping gives ``analyze``'s answer whatever the order of arrival.
   Story ids follow the articles (:mod:`storytrace.corpus.identity`). Cost: one ``analyze``
   grouping of the store (candidate pairs from LSH and nearest neighbours, never all pairs); with
   ``group_window_days`` only the articles of the last days are regrouped and older ones keep
   their stories.
3. **Analyse** each story whose members or their contents changed (its analysis key,
   :meth:`~PreparedState.analysis_key`) with :meth:`Pipeline.analyze_story
   <storytrace.pipeline.Pipeline.analyze_story>`, and store its record and its web view.

Each step commits as it goes (a batch of prepared articles, the grouping, each story): killed at
any point, the store is consistent and the next update carries on from there.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..pipeline import Pipeline, Progress
from ..records import Article, Report
from ..render.views import story_view
from ..text.embed import Embedder
from ..version import __version__
from .store import SQLiteStore
from .vectors import StoredEmbedder

#: articles prepared (cleaned, embedded) per transaction
PREPARE_BATCH = 200


@dataclass
class UpdateSummary:
    """What an update did."""

    prepared: int = 0
    not_analysable: int = 0
    sentences_embedded: int = 0
    #: articles grouped (``None``: nothing changed, no regrouping)
    grouped: int | None = None
    events: dict[str, int] = field(default_factory=dict)
    analysed: int = 0
    #: stale stories left for a later update (``max_stories``) or articles (``max_articles``)
    pending_stories: int = 0
    pending_articles: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        parts = [f"{self.prepared} article(s) prepared ({self.not_analysable} not analysable)"]
        parts.append(f"{self.sentences_embedded} sentence(s) embedded")
        if self.grouped is not None:
            ev = self.events
            parts.append(
                f"{self.grouped} article(s) regrouped: {ev.get('new', 0)} new story(ies), {ev.get('merges', 0)} "
                f"merge(s), {ev.get('splits', 0)} split(s)"
            )
        parts.append(f"{self.analysed} story(ies) analysed")
        if self.pending_stories or self.pending_articles:
            parts.append(
                f"{self.pending_articles} article(s) and {self.pending_stories} story(ies) left for later"
            )
        return "analysis: " + "; ".join(parts) + f"; {self.seconds:.1f} s"

    @property
    def changed(self) -> bool:
        return bool(self.prepared or self.grouped is not None or self.analysed)


def store_pipeline(
    store: SQLiteStore,
    config: Config | None = None,
    progress: Progress | None = None,
    model: Callable[[], Embedder] | None = None,
) -> Pipeline:
    """The pipeline of ``config`` (the store's by default) with the store's sentence vectors;
    ``model`` makes the embedder asked for sentences the store has not seen (by default the
    config's sentence-transformers model, loaded on first use)."""
    config = config or store.config
    loaded: list[Embedder] = []

    def load() -> Embedder:
        if not loaded:
            if model is not None:
                loaded.append(model())
            else:
                from ..text.embed import SentenceTransformerEmbedder

                loaded.append(
                    SentenceTransformerEmbedder(
                        config.model, config.batch_size, cache=False, runtime=config.embed_runtime
                    )
                )
        return loaded[0]

    name = config.model if model is None else f"{config.model}+{load().name}"
    embedder = StoredEmbedder(store.db, name, load)
    return Pipeline(config=config, embedder=embedder, progress=progress or _noop)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def update(
    store: SQLiteStore,
    pipeline: Pipeline | None = None,
    progress: Progress | None = None,
    *,
    analyse: bool = True,
    max_articles: int | None = None,
    max_stories: int | None = None,
    on_story: Callable[[str, str], None] | None = None,
) -> UpdateSummary:
    """Prepare, regroup and analyse what changed in ``store`` (see the module notes).

    ``max_articles``/``max_stories`` bound one call (a background worker calls again);
    ``on_story(story, key)`` is told before each story's analysis starts."""
    start = time.perf_counter()
    progress = progress or _noop
    pipeline = pipeline or store_pipeline(store, progress=progress)
    out = UpdateSummary()
    remembered = json.dumps(dataclasses.asdict(store.config), sort_keys=True)
    if store.meta("config") != remembered:
        with store._transaction():
            store.set_meta("config", remembered)
    embedded_before = pipeline.embedder.embedded if isinstance(pipeline.embedder, StoredEmbedder) else 0
    _prepare(store, pipeline, progress, out, max_articles)
    generation = int(store.meta("prepared_gen", "0"))
    if generation > int(store.meta("grouped_gen", "0")) and not out.pending_articles:
        _regroup(store, pipeline, progress, out, generation)
    if analyse and not out.pending_articles:  # stories wait for the regrouping the new articles bring
        _analyse(store, pipeline, progress, out, max_stories, on_story)
    if isinstance(pipeline.embedder, StoredEmbedder):
        out.sentences_embedded = pipeline.embedder.embedded - embedded_before
    out.seconds = time.perf_counter() - start
    return out


def _prepare(
    store: SQLiteStore, pipeline: Pipeline, progress: Progress, out: UpdateSummary, limit: int | None
) -> None:
    stale, upto = store.stale_articles()
    todo = stale if limit is None else stale[:limit]
    out.pending_articles = len(stale) - len(todo)
    for start in range(0, len(todo), PREPARE_BATCH):
        progress("prepare", start, len(todo))
        chunk = todo[start : start + PREPARE_BATCH]
        raws = store.raw_articles(chunk)
        from ..read.clean import repeat_keys

        limit = pipeline.config.max_article_chars  # a text too large to analyse is not split at all
        counts = store.repeat_counts(
            k for _, _, raw in raws if len(raw.text) <= limit for k in repeat_keys(raw.text)
        )
        furniture = store.furniture([rowid for rowid, _, _ in raws])
        done = pipeline.prepare_each([raw for _, _, raw in raws], repeats=counts)
        ok = [a for a in done if isinstance(a, Article)]
        vectors = pipeline.embed_sentences(ok) if ok else {}
        docs: dict[str, npt.NDArray[np.float32]] = {}
        if ok:
            matrix = pipeline.document_vectors(ok, vectors)
            docs = {a.id: matrix[i] for i, a in enumerate(ok)}
        rows = [
            (rowid, furniture[rowid], result, docs.get(result.id) if isinstance(result, Article) else None)
            for (rowid, _, _), result in zip(raws, done, strict=True)
        ]
        store.save_prepared(rows, {rowid: digest for rowid, digest, _ in raws})
        out.prepared += len(rows)
        out.not_analysable += sum(1 for r in done if not isinstance(r, Article))
    if todo:
        progress("prepare", len(todo), len(todo))
    if not out.pending_articles:
        store.clear_dirty(upto)


def _regroup(
    store: SQLiteStore, pipeline: Pipeline, progress: Progress, out: UpdateSummary, generation: int
) -> None:
    everything = store.grouping_scope(window=False)
    scope = store.grouping_scope()
    rowids, articles, doc = store.prepared_articles(scope)
    progress("group", 0, len(articles))
    # articles not in English also need their multilingual vectors, as in analyze (kept by the
    # multilingual embedder for the life of the process, so a watcher or worker embeds each once)
    grouping = pipeline.group(articles, doc, pipeline.cross_vectors(articles)) if articles else None
    clusters = [[rowids[i] for i in c] for c in grouping.clusters] if grouping is not None else []
    outside = set(everything) - set(rowids)
    out.events = store.apply_grouping(clusters, outside, generation)
    out.grouped = len(articles)
    progress("group", len(articles), len(articles))


def stale_stories(store: SQLiteStore) -> list[tuple[str, str, list[int]]]:
    """(story, analysis key, member rowids) of the stories whose analysis is missing or stale,
    the most recently changed first."""
    states = store.analysis_states()
    todo: list[tuple[int, str, str, list[int]]] = []
    for story, members in store.story_members().items():
        key = store.analysis_key(members)
        if states.get(story, ("", ""))[0] != key:
            todo.append((max(r for r, _, _ in members), story, key, [r for r, _, _ in members]))
    todo.sort(reverse=True)
    return [(story, key, rowids) for _, story, key, rowids in todo]


def analyse_story(
    store: SQLiteStore, pipeline: Pipeline, story: str, key: str, rowids: Sequence[int]
) -> dict[str, Any]:
    """Analyse one story of the store now and keep its record and view; returns the view."""
    began = time.perf_counter()
    _, articles, _ = store.prepared_articles(rowids)
    vectors = pipeline.embed_sentences(articles)
    record = pipeline.analyze_story(story, articles, vectors)
    view = story_view(Report(__version__, tuple(articles), (record,), ()), record)
    store.save_analysis(story, key, record, view, time.perf_counter() - began)
    return view


def _analyse(
    store: SQLiteStore,
    pipeline: Pipeline,
    progress: Progress,
    out: UpdateSummary,
    limit: int | None,
    on_story: Callable[[str, str], None] | None,
) -> None:
    todo = stale_stories(store)
    if limit is not None:
        out.pending_stories = max(0, len(todo) - limit)
        todo = todo[:limit]
    if on_story is None:  # no one watches single stories: chunks of them on all cores
        _analyse_chunks(store, pipeline, progress, out, todo)
        return
    for number, (story, key, rowids) in enumerate(todo):
        progress("analyse", number, len(todo))
        on_story(story, key)
        analyse_story(store, pipeline, story, key, rowids)
        out.analysed += 1
    if todo:
        progress("analyse", len(todo), len(todo))


#: stories analysed together (on all cores) and then stored, one transaction each
ANALYSE_CHUNK = 64


def _analyse_chunks(
    store: SQLiteStore,
    pipeline: Pipeline,
    progress: Progress,
    out: UpdateSummary,
    todo: Sequence[tuple[str, str, list[int]]],
) -> None:
    """Stories analysed ``ANALYSE_CHUNK`` at a time with :func:`~storytrace.story.batch.analyze_stories`
    (the same records as one at a time); each is stored as soon as its chunk is done."""
    from ..story.batch import analyze_stories

    for start in range(0, len(todo), ANALYSE_CHUNK):
        progress("analyse", start, len(todo))
        chunk = todo[start : start + ANALYSE_CHUNK]
        began = time.perf_counter()
        members = [(story, key, store.prepared_articles(rowids)[1]) for story, key, rowids in chunk]
        vectors = pipeline.embed_sentences([a for _, _, articles in members for a in articles])
        records = analyze_stories([(story, articles) for story, _, articles in members], vectors, pipeline.config)
        seconds = (time.perf_counter() - began) / max(1, len(chunk))
        for (story, key, articles), record in zip(members, records, strict=True):
            view = story_view(Report(__version__, tuple(articles), (record,), ()), record)
            store.save_analysis(story, key, record, view, seconds)
            out.analysed += 1
    if todo:
        progress("analyse", len(todo), len(todo))
