"""The background worker of ``storytrace serve``: it analyses what is stored, and a story whose
analysis runs over ``story_time_limit`` is stopped, marked too large to analyse, and not tried
again until its articles change."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from storytrace.config import Config
from storytrace.corpus.export import export_document
from storytrace.corpus.ingest import ingest
from storytrace.corpus.store import SQLiteStore
from storytrace.corpus.update import stale_stories, update
from storytrace.corpus.worker import BackgroundAnalysis

from ..conftest import EXAMPLES

pytestmark = pytest.mark.slow


def _wait(db: Path, config: Config, done: object, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with SQLiteStore(db, config) as store:
            if done(store):  # type: ignore[operator]
                return
        time.sleep(0.3)
    raise AssertionError("the worker did not get there in time")


def test_worker_analyses_and_a_story_over_the_time_limit_is_marked_too_large(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    ingest([EXAMPLES], db, analyse=False)
    slow = Config(story_time_limit=0.5)  # no analysis fits: loading spaCy alone takes longer
    with SQLiteStore(db, slow) as store:
        update(store, analyse=False)  # prepared and grouped here; the worker only analyses
        stories = {s.id for s in store.stories()}
    worker = BackgroundAnalysis(db, slow)
    worker.start()
    try:
        _wait(db, slow, lambda store: set(store.analysis_states()) >= stories)
        states = {}
        with SQLiteStore(db, slow) as store:
            states = {story: store.analysis(story) for story in stories}
        assert all(state is not None and state[1] == "too-large" for state in states.values()), states
        assert worker.restarts >= len(stories)
        time.sleep(3)  # the restarted worker leaves them alone: their articles did not change
        with SQLiteStore(db, slow) as store:
            assert stale_stories(store) == []
            doc = export_document(store)[1]
        assert {s["state"] for s in doc["stories"]} == {"too-large"}
        assert all("story_time_limit" in s["message"] for s in doc["stories"])
    finally:
        worker.stop()
    assert not worker.status()["alive"]
    # with time enough, a worker analyses what waits (a new article changes a story's key)
    ingest([EXAMPLES / "meridian-original.txt"], db, Config(), analyse=False)  # unchanged: nothing to do
    fresh = Config()
    with SQLiteStore(db, fresh) as store:
        store.db.execute("DELETE FROM analyses")
    worker = BackgroundAnalysis(db, fresh)
    worker.start()
    try:
        _wait(db, fresh, lambda store: not stale_stories(store))
        with SQLiteStore(db, fresh) as store:
            assert {store.analysis(s)[1] for s in stories} == {"ok"}  # type: ignore[index]
    finally:
        worker.stop()
