"""The web app's access to the store: one SQLite connection per thread, stories as their stored
analyses (analysed when stored, never when viewed: by ``storytrace ingest`` or the background
worker of ``storytrace serve``, :mod:`storytrace.corpus.worker`), rendered pages cached in memory
under the analysis key, and the intake of uploads, pasted text and JSON through the one set of
rules of :mod:`storytrace.read.intake`."""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..corpus.ingest import add_articles
from ..corpus.store import IngestSummary, OnConflict, SQLiteStore
from ..corpus.update import update
from ..corpus.worker import BackgroundAnalysis
from ..records import RawArticle, Skipped
from ..render.views import drift_by_difference
from ..story.versions import VersionDiff


@dataclass(frozen=True)
class StoryPage:
    """What a story page shows: its state (``ok``, ``pending``, ``too-large``), the analysis key,
    the stored view (the last analysis, possibly of fewer articles, when pending), its members."""

    id: str
    state: str
    key: str
    view: dict[str, Any] | None
    members: list[dict[str, object]]
    message: str | None
    title: str


class StoryService:
    """Everything the pages and the JSON API read and write.

    With ``background`` (``storytrace serve``) a worker process analyses what is added; without it
    (tests, scripts) each intake updates the store before it returns."""

    def __init__(
        self, db: str | Path, config: Config | None = None, cache_size: int = 256, *, background: bool = False
    ) -> None:
        self.db = Path(db)
        self.config = config or Config()
        SQLiteStore(self.db, self.config, create=False).close()  # fail early: missing or newer store
        self._local = threading.local()
        self._pages: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._diffs: OrderedDict[tuple[str, int, int], VersionDiff | None] = OrderedDict()
        self._lock = threading.Lock()
        self._update_lock = threading.Lock()
        self._pipeline: Any = None
        self.cache_size = cache_size
        self.worker = BackgroundAnalysis(self.db, self.config) if background else None

    def start(self) -> None:
        if self.worker is not None:
            self.worker.start()

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.stop()

    def store(self) -> SQLiteStore:
        """This thread's store connection."""
        store: SQLiteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = SQLiteStore(self.db, self.config, create=False)
            self._local.store = store
        return store

    def hide_paths(self, message: str) -> str:
        """A message without the store's location on disk."""
        for where in (
            str(self.db.resolve()),
            str(self.db),
            str(self.db.resolve().parent),
            str(self.db.parent),
        ):
            if where not in ("", "."):
                message = message.replace(where, "the store")
        return message

    # -- stories ------------------------------------------------------------------------

    def resolve(self, story: str) -> str:
        return self.store().resolve(story)

    def pending(self) -> frozenset[str]:
        """Stories whose analysis is missing or stale (their articles changed since)."""
        from ..corpus.update import stale_stories

        return frozenset(story for story, _, _ in stale_stories(self.store()))

    def list_stories(self, **filters: Any) -> tuple[list[dict[str, object]], int, int]:
        """(one page of stories, total, stories waiting for analysis) for the story list."""
        pending = self.pending()
        rows, total = self.store().list_stories(pending=pending, **filters)
        return rows, total, len(pending)

    def story(self, story: str) -> StoryPage:
        """The page data of a live story (no analysis happens here)."""
        store = self.store()
        members = store.story_members().get(story, [])
        key = store.analysis_key(members) if members else ""
        found = store.analysis_view(story)
        articles = store.story_articles(story)
        title = store.story_title(story)
        if found is None:
            return StoryPage(story, "pending", key, None, articles, None, title)
        stored_key, state, view_json, message = found
        view = json.loads(view_json) if view_json else None
        if view is not None and "drift_groups" not in view:  # stored before drift had difference kinds
            view["drift_groups"] = drift_by_difference(view.get("drift", []))
        if stored_key != key:
            state = "pending"
        return StoryPage(story, state, key, view, articles, message, title)

    def rendered(self, cache_key: tuple[str, ...], render: Callable[[], str]) -> str:
        """A rendered page from memory, or ``render()`` it now; ``cache_key`` must include the
        analysis key, so a page is never served for content that changed since."""
        with self._lock:
            page = self._pages.get(cache_key)
            if page is not None:
                self._pages.move_to_end(cache_key)
                return page
        page = render()
        with self._lock:
            self._pages[cache_key] = page
            while len(self._pages) > 4 * self.cache_size:
                self._pages.popitem(last=False)
        return page

    # -- articles -----------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any]:
        return self.store().article_record(article_id)

    def compare_revisions(self, article_id: str, old: int, new: int) -> VersionDiff | None:
        """What changed from revision ``old`` to revision ``new`` of an article: sentences added,
        removed and reworded, and the facts that drifted (:mod:`storytrace.story.versions`).
        Revisions never change, so each comparison is computed once (the sentence vectors come
        from the store; spaCy loads on the first comparison)."""
        key = (article_id, old, new)
        with self._lock:
            if key in self._diffs:
                self._diffs.move_to_end(key)
                return self._diffs[key]
        from ..corpus.update import store_pipeline

        texts = self.store().revisions(article_id)
        if not (1 <= old <= len(texts) and 1 <= new <= len(texts)) or old == new:
            return None
        base = RawArticle(article_id, "")
        diff = store_pipeline(self.store()).compare_revisions(
            replace(base, id=f"{article_id}@{old}", text=texts[old - 1]),
            replace(base, id=f"{article_id}@{new}", text=texts[new - 1]),
        )
        with self._lock:
            self._diffs[key] = diff
            while len(self._diffs) > self.cache_size:
                self._diffs.popitem(last=False)
        return diff

    def add_fields(
        self, fields: dict[str, Any], where: str, on_conflict: OnConflict = "refuse"
    ) -> tuple[RawArticle | None, IngestSummary]:
        """Store one article given as named fields (paste form, JSON API); without an ``id`` it
        gets ``web-`` and a digest of its title and text. Returns the article (``None`` when it
        was refused or skipped: the summary says why)."""
        from ..read.intake import from_fields

        fields = {k: v for k, v in fields.items() if v not in (None, "")}
        if "id" not in fields:
            body = f"{fields.get('title', '')}\x00{fields.get('text', '')}{fields.get('html', '')}"
            fields["id"] = (
                "web-" + hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
            )
        item = from_fields(fields, where, self.config)
        summary = self._add([item], on_conflict)
        if isinstance(item, RawArticle) and (summary.stored or summary.unchanged):
            return item, summary
        return None, summary

    def add_uploads(
        self, files: Sequence[tuple[str, bytes]], on_conflict: OnConflict = "refuse"
    ) -> IngestSummary:
        """Store uploaded files (any format storytrace reads), one article per file or JSON line."""
        from ..read.intake import read_upload

        items: list[RawArticle | Skipped] = []
        for name, data in files:
            items.extend(read_upload(name, data, self.config))
        return self._add(items, on_conflict)

    def _add(self, items: Sequence[RawArticle | Skipped], on_conflict: OnConflict) -> IngestSummary:
        summary = IngestSummary(db=self.db)
        add_articles(self.store(), items, summary, on_conflict=on_conflict)
        if summary.stored:
            if self.worker is not None:
                self.worker.wake()
            else:
                self.update_now()
        return summary

    def update_now(self) -> None:
        """Bring the store up to date in this thread (no background worker)."""
        from ..corpus.update import store_pipeline

        with self._update_lock:
            store = self.store()
            if self._pipeline is None:
                self._pipeline = store_pipeline(store)
            update(store, self._pipeline)

    def status(self) -> dict[str, Any]:
        """The background analysis: what it does now, and how much waits."""
        store = self.store()
        raw = store.meta("worker")
        state: dict[str, Any] = json.loads(raw) if raw else {"stage": "idle", "done": 0, "total": 0}
        state["background"] = self.worker is not None
        state["pending_stories"] = len(self.pending())
        stale, _ = store.stale_articles()
        state["pending_articles"] = len(stale)
        state["pending_grouping"] = int(store.meta("prepared_gen", "0")) > int(store.meta("grouped_gen", "0"))
        return state
