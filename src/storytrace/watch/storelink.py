"""storelink: everything the watcher asks of the store, in one place. Articles go through the
store's one intake (:func:`~storytrace.corpus.ingest.add_articles`, the path of ``storytrace
ingest`` and the web app); :func:`~storytrace.corpus.update.update` then prepares, regroups and
analyses what changed with the same pipeline as ``storytrace analyze``; the watcher reads the
stored analyses back."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..config import Config
from ..corpus.ingest import add_articles
from ..corpus.store import IngestSummary, SQLiteStore
from ..corpus.update import UpdateSummary, store_pipeline, update
from ..pipeline import Pipeline, Progress
from ..records import RawArticle, Story
from ..story.versions import VersionDiff
from .alerts import ArticleRef

Outcome = Literal["new", "revised", "unchanged"]


@dataclass(frozen=True)
class Stored:
    """What the store did with one article: its outcome and revision number."""

    id: str
    outcome: Outcome
    revision: int


class StoreLink:
    """The watcher's connection to the store ``db`` (created if absent)."""

    def __init__(self, db: str | Path, config: Config, progress: Progress | None = None) -> None:
        self.db = Path(db)
        self.config = config
        self.store = SQLiteStore(self.db, config)
        self.progress = progress
        self._pipeline: Pipeline | None = None

    @property
    def pipeline(self) -> Pipeline:
        """The store's pipeline (its stored sentence vectors; the model loads on first need)."""
        if self._pipeline is None:
            self._pipeline = store_pipeline(self.store, progress=self.progress)
        return self._pipeline

    def close(self) -> None:
        self.store.close()

    def revision(self, article_id: str) -> int:
        """The current revision number of an article (0: not stored)."""
        row = self.store.db.execute("SELECT revision FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else 0

    def add(self, raws: Sequence[RawArticle]) -> list[Stored]:
        """Store ``raws`` through the store's intake (one transaction); what happened to each.
        A changed text under a known id becomes a new revision of that article."""
        before = {r.id: self.revision(r.id) for r in raws}
        summary = IngestSummary(db=self.db)
        add_articles(self.store, raws, summary, on_conflict="revise", batch_size=max(1, len(raws)))
        out = []
        for raw in raws:
            rev = self.revision(raw.id)
            outcome: Outcome = "new" if before[raw.id] == 0 else "revised" if rev > before[raw.id] else "unchanged"
            out.append(Stored(raw.id, outcome, rev))
        return out

    def update(self) -> UpdateSummary:
        """Prepare, regroup and analyse what the stored articles changed."""
        return update(self.store, self.pipeline, self.progress)

    def story_of(self, article_id: str) -> str | None:
        return self.store.story_of(article_id)

    def analysed(self, story: str) -> tuple[str, Story, dict[str, ArticleRef]] | None:
        """The stored analysis of ``story`` (resolved if it was merged), with its articles'
        references; None while it waits for analysis or could not be analysed."""
        live = self.store.resolve(story)
        found = self.store.analysis(live)
        if found is None or found[2] is None:
            return None
        record = found[2]
        refs = {a: self.ref(a) for a in record.articles}
        return live, record, refs

    def ref(self, article_id: str) -> ArticleRef:
        """How alerts name an article: its outlet, URL, headline and publication time."""
        row = self.store.db.execute(
            "SELECT outlet, url, headline, published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return ArticleRef(article_id, row[0], row[1], row[2] or None, row[3]) if row else ArticleRef(article_id)

    def compare(self, article_id: str, old: int, new: int) -> VersionDiff | None:
        """What changed between two revisions (1-based) of an article."""
        texts = self.store.revisions(article_id)
        if not (1 <= old <= len(texts) and 1 <= new <= len(texts)):
            return None
        base = RawArticle(article_id, "")
        return self.pipeline.compare_revisions(
            replace(base, id=f"{article_id}@{old}", text=texts[old - 1]),
            replace(base, id=f"{article_id}@{new}", text=texts[new - 1]),
        )
