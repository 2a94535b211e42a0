"""storelink: everything the watcher asks of the store, in one place. New and changed articles go
through the store's own intake (the same path as ``storytrace ingest``); the analysis of a story
is the store's, from the same pipeline as ``storytrace analyze``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from ..config import Config
from ..corpus.store import IngestSummary, SQLiteStore
from ..pipeline import Pipeline
from ..records import RawArticle, Story
from ..story.versions import VersionDiff
from .alerts import ArticleRef

Outcome = Literal["new", "revised", "unchanged"]


@dataclass(frozen=True)
class Stored:
    """What the store did with one article: its outcome, revision number and story."""

    id: str
    outcome: Outcome
    revision: int
    story: str


class StoreLink:
    """The watcher's connection to the store ``db`` (created if absent)."""

    def __init__(self, db: str | Path, config: Config, pipeline: Pipeline | None = None) -> None:
        self.db = Path(db)
        self.config = config
        self.store = SQLiteStore(self.db, config)
        self.pipeline = pipeline or Pipeline.from_config(config)

    def close(self) -> None:
        self.store.close()

    def revision(self, article_id: str) -> int:
        """The current revision number of an article (0: not stored)."""
        row = self.store.db.execute("SELECT revision FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else 0

    def add(self, raws: Sequence[RawArticle]) -> list[Stored]:
        """Store ``raws`` in one transaction; what happened to each."""
        before = {r.id: self.revision(r.id) for r in raws}
        summary = IngestSummary(db=self.db)
        self.store.add_batch(list(raws), summary)
        out = []
        for raw in raws:
            rev = self.revision(raw.id)
            outcome: Outcome = "new" if before[raw.id] == 0 else "revised" if rev > before[raw.id] else "unchanged"
            out.append(Stored(raw.id, outcome, rev, self.store.story_of(raw.id)))
        return out

    def analyse(self, story: str) -> tuple[str, Story, dict[str, ArticleRef]] | None:
        """The analysed story ``story`` (resolved if it was merged) and its articles' references."""
        live = self.store.resolve(story)
        raws = list(self.store.articles([live]))
        if len(raws) < 2:
            return None
        report = self.pipeline.analyze_raw(raws)
        refs = {
            r.id: ArticleRef(r.id, r.source, r.url, r.title, r.published.isoformat() if r.published else None)
            for r in raws
        }
        stories = [s for s in report.stories if len(s.articles) > 1]
        if not stories:
            return None
        best = max(stories, key=lambda s: len(s.articles))
        return live, best, refs

    def story_of(self, article_id: str) -> str:
        return self.store.story_of(article_id)

    def ref(self, article_id: str) -> ArticleRef:
        """How alerts name an article: its outlet, URL, headline and publication time."""
        row = self.store.db.execute(
            "SELECT source, url, title, published FROM articles WHERE id = ?", (article_id,)
        ).fetchone()
        return ArticleRef(article_id, *row) if row else ArticleRef(article_id)

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
