"""The web app's access to the store: one SQLite connection per worker thread, story analyses
computed on first view and cached in the store (and parsed views in memory), ingestion of pasted
text and uploaded files."""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import Config
from ..corpus.store import IngestSummary, SQLiteStore
from ..errors import InputError
from ..records import RawArticle, Report, Skipped
from ..render.views import story_view
from ..version import __version__

#: a story with more versions is analysed on its first ``MAX_ANALYSED`` (oldest) articles: the
#: alignment of every pair grows with the square of the count
MAX_ANALYSED = 40


class StoryService:
    """Everything the pages and the JSON API read and write."""

    def __init__(self, db: str | Path, config: Config | None = None, cache_size: int = 256) -> None:
        self.db = Path(db)
        self.config = config or Config()
        SQLiteStore(self.db, self.config, create=False).close()  # fail early: missing or newer store
        self._local = threading.local()
        self._views: OrderedDict[str, tuple[str, dict[str, Any]]] = OrderedDict()
        self._pages: OrderedDict[tuple[str, ...], str] = OrderedDict()
        self._views_lock = threading.Lock()
        self._analyse_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._pipeline: Any = None
        self.cache_size = cache_size

    def store(self) -> SQLiteStore:
        """This thread's store connection (SQLite connections stay in the thread that made them)."""
        store: SQLiteStore | None = getattr(self._local, "store", None)
        if store is None:
            store = SQLiteStore(self.db, self.config, create=False)
            self._local.store = store
        return store

    # -- stories ------------------------------------------------------------------------

    def resolve(self, story: str) -> str:
        return self.store().resolve(story)

    def story(self, story: str) -> dict[str, Any]:
        """The view of a live story: from memory, else from the store's cache, else analysed now."""
        return self.story_keyed(story)[1]

    def story_keyed(self, story: str) -> tuple[str, dict[str, Any]]:
        """(content key, view) of a live story; the key changes when its members or texts do."""
        store = self.store()
        key = store.story_key(story)
        with self._views_lock:
            hit = self._views.get(story)
            if hit is not None and hit[0] == key:
                self._views.move_to_end(story)
                return key, hit[1]
        cached = store.cached_analysis(story)
        if cached is not None and cached[0] == key:
            view: dict[str, Any] = json.loads(cached[1])
        else:
            view = self._analyse(story, key)
        with self._views_lock:
            self._views[story] = (key, view)
            while len(self._views) > self.cache_size:
                self._views.popitem(last=False)
        return key, view

    def cached_page(self, kind: str, story: str, *extra: str) -> str | None:
        """The page ``(kind, story, content key, *extra)`` if it is rendered and in memory: one
        indexed query, cheap enough for the event loop (the web app's fast path)."""
        key = self.store().story_key(story)
        with self._views_lock:
            return self._pages.get((kind, story, key, *extra))

    def rendered(self, cache_key: tuple[str, ...], render: Callable[[], str]) -> str:
        """A rendered page from memory, or ``render()`` it now; ``cache_key`` must include the
        story's content key, so a page is never served for content that changed since."""
        with self._views_lock:
            page = self._pages.get(cache_key)
            if page is not None:
                self._pages.move_to_end(cache_key)
                return page
        page = render()
        with self._views_lock:
            self._pages[cache_key] = page
            while len(self._pages) > 4 * self.cache_size:
                self._pages.popitem(last=False)
        return page

    def _analyse(self, story: str, key: str) -> dict[str, Any]:
        from ..pipeline import Pipeline
        from ..story.group import Grouping

        with self._analyse_lock:  # one analysis at a time: it is CPU-bound and loads the model once
            store = self.store()
            cached = store.cached_analysis(story)
            if cached is not None and cached[0] == key:  # another thread just did it
                done: dict[str, Any] = json.loads(cached[1])
                return done
            raws = list(store.articles([story]))
            total = len(raws)
            if self._pipeline is None:
                self._pipeline = Pipeline.from_config(self.config)
            pipeline = self._pipeline
            articles, skipped = pipeline.prepare(raws[:MAX_ANALYSED])
            if articles:
                vectors = pipeline.embed_sentences(articles)
                grouping = Grouping(clusters=(tuple(range(len(articles))),), pairs=())
                built = pipeline.build_stories(articles, vectors, grouping)[0]
                record = replace(built, id=story)
                report = Report(__version__, tuple(articles), (record,), tuple(skipped))
                view = story_view(report, record)
            else:
                view = {"id": story, "title": story, "origin": None, "articles": [], "pairs": [],
                        "derivations": [], "drift": [], "drift_kinds": [], "facts": [], "quotes": [],
                        "timeline": [], "summary": [], "entities": [], "families": [],
                        "graph": {"width": 0, "height": 0, "nodes": [], "edges": []}}  # fmt: skip
            view["analysed"] = len(articles)
            view["total"] = total
            view["skipped"] = [str(s) for s in skipped]
            store.save_analysis(story, key, len(view["drift"]), json.dumps(view, ensure_ascii=False))
            return view

    def analyse_all(self, stories: Sequence[str]) -> None:
        """Analyse (and cache) the given stories now, e.g. before serving them."""
        for story in stories:
            self.story(self.resolve(story))

    # -- articles -----------------------------------------------------------------------

    def article(self, article_id: str) -> dict[str, Any]:
        return self.store().article_record(article_id)

    def add_text(
        self, text: str, title: str | None = None, source: str | None = None, url: str | None = None
    ) -> tuple[str, str, IngestSummary]:
        """Ingest pasted text as a new article; returns (article id, its story, summary)."""
        if not re.search(r"\w", text):
            raise InputError("the text has no words: paste an article's text")
        digest = hashlib.blake2b(f"{title}\x00{text}".encode(), digest_size=8).hexdigest()
        raw = RawArticle(id=f"web-{digest}", text=text, title=title or None, source=source or None,
                         url=url or None, published=datetime.now().astimezone())  # fmt: skip
        summary = self._add([raw])
        return raw.id, self.store().story_of(raw.id), summary

    def add_files(self, files: Sequence[tuple[str, bytes]]) -> tuple[list[str], IngestSummary]:
        """Ingest uploaded files (any format storytrace reads); returns the stored ids and summary."""
        from ..read.inputs import iter_inputs

        raws: list[RawArticle] = []
        skipped: list[Skipped] = []
        with tempfile.TemporaryDirectory(prefix="storytrace-upload-") as tmp:
            for k, (name, data) in enumerate(files):
                safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in Path(name).name)[:100]
                folder = Path(tmp) / str(k)
                folder.mkdir()
                (folder / (safe.lstrip(".") or "upload.txt")).write_bytes(data)
            for item in iter_inputs([tmp], self.config):
                if isinstance(item, Skipped):
                    skipped.append(replace(item, path=Path(item.path).name))
                elif any(r.id == item.id for r in raws):
                    skipped.append(
                        Skipped(
                            Path(item.path or "?").name, item.line, f"article id {item.id!r} appears twice"
                        )
                    )
                elif not re.search(r"\w", item.text):
                    skipped.append(Skipped(Path(item.path or "?").name, item.line, "no words in the text"))
                else:
                    raws.append(replace(item, path=Path(item.path).name if item.path else None))
        summary = self._add(raws)
        summary.skipped[:0] = skipped
        return [r.id for r in raws], summary

    def _add(self, raws: list[RawArticle]) -> IngestSummary:
        summary = IngestSummary(db=self.db)
        if raws:
            with self._write_lock:
                self.store().add_batch(raws, summary)
        summary.read = len(raws)
        return summary
