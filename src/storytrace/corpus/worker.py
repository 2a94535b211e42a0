"""worker: the store's background analysis for ``storytrace serve``.

A child process (:func:`work`) runs :func:`~storytrace.corpus.update.update` in small steps (up to
:data:`STEP_ARTICLES` articles prepared, one story analysed per step) whenever the store has
work, so uploads are grouped and analysed while pages keep answering: the web process never
parses, embeds or aligns, and the worker's memory is its own (returned when it exits).

:class:`BackgroundAnalysis` starts it, wakes it after an upload and watches it: a story whose
analysis runs over ``story_time_limit`` seconds gets the state ``too-large`` (with the time it
took) and the worker is restarted; that story is not tried again until its articles change. A
worker that dies is restarted (after a pause if it keeps dying). :meth:`BackgroundAnalysis.stop`
ends it (``serve`` calls it on SIGTERM and Ctrl-C): a step cut short is rolled back by SQLite and
redone by the next worker.
"""

from __future__ import annotations

import contextlib
import json
import logging
import multiprocessing
import signal
import threading
import time
from pathlib import Path
from typing import Any

from ..config import Config

log = logging.getLogger(__name__)

#: articles prepared per step of the worker
STEP_ARTICLES = 100
#: seconds between checks of the watcher
POLL = 0.25


def work(db: str, config: dict[str, Any], wake: Any, stop: Any) -> None:
    """The worker process: update the store step by step until ``stop`` is set."""
    from .store import SQLiteStore
    from .update import stale_stories, store_pipeline, update

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops it; Ctrl-C goes to the server
    store = SQLiteStore(db, Config.from_dict(config), create=False)
    last = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5 or (total and done >= total):
            last[0] = now
            with contextlib.suppress(Exception), store._transaction():
                store.set_meta(
                    "worker", json.dumps({"stage": stage, "done": done, "total": total, "at": time.time()})
                )

    def running(story: str, key: str) -> None:
        with store._transaction():
            store.set_meta("running", json.dumps({"story": story, "key": key, "since": time.time()}))

    pipeline = store_pipeline(store, progress=progress)
    while not stop.is_set():
        done = update(store, pipeline, progress, max_articles=STEP_ARTICLES, max_stories=1, on_story=running)
        with store._transaction():
            store.set_meta("running", "")
        if not done.changed and not stale_stories(store):
            with store._transaction():
                store.set_meta(
                    "worker", json.dumps({"stage": "idle", "done": 0, "total": 0, "at": time.time()})
                )
            wake.wait(2.0)
            wake.clear()
    store.close()


class BackgroundAnalysis:
    """Runs and watches the worker process of a store (see the module notes)."""

    def __init__(self, db: str | Path, config: Config) -> None:
        self.db = str(db)
        self.config = config
        self._ctx = multiprocessing.get_context("spawn")
        self._wake = self._ctx.Event()
        self._stop = self._ctx.Event()
        self._process: Any = None
        self._watcher: threading.Thread | None = None
        self._stopping = threading.Event()
        self.restarts = 0

    def start(self) -> None:
        self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="storytrace-watch", daemon=True)
        self._watcher.start()

    def _spawn(self) -> None:
        self._stop.clear()
        from dataclasses import asdict

        self._process = self._ctx.Process(
            target=work, args=(self.db, asdict(self.config), self._wake, self._stop), name="storytrace-worker",
            daemon=True,
        )  # fmt: skip
        self._process.start()

    @property
    def pid(self) -> int | None:
        return None if self._process is None else int(self._process.pid)

    def wake(self) -> None:
        """Tell the worker there is new work (it also looks every two seconds)."""
        self._wake.set()

    def _watch(self) -> None:
        from .store import SQLiteStore

        store = SQLiteStore(self.db, self.config, create=False)
        failures = 0
        try:
            while not self._stopping.wait(POLL):
                raw = store.meta("running")
                if raw:
                    running = json.loads(raw)
                    took = time.time() - float(running["since"])
                    if took > self.config.story_time_limit:
                        self._kill()
                        store.save_analysis(
                            running["story"], running["key"], None, None, took, state="too-large",
                            message=f"too large to analyse: the analysis ran over {self.config.story_time_limit:g} s "
                            f"(story_time_limit) and was stopped; it is tried again when its articles change",
                        )  # fmt: skip
                        with store._transaction():
                            store.set_meta("running", "")
                        self._spawn()
                        self.restarts += 1
                        continue
                if self._process is not None and not self._process.is_alive() and not self._stopping.is_set():
                    failures += 1
                    log.warning("the analysis worker exited (code %s); restarting it", self._process.exitcode)
                    if self._stopping.wait(min(30.0, 2.0**failures)):
                        break
                    self._spawn()
                    self.restarts += 1
        finally:
            store.close()

    def _kill(self) -> None:
        process = self._process
        if process is None:
            return
        process.kill()
        process.join(5)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the worker: ask, wait up to ``timeout`` seconds for the current step, then kill it."""
        self._stopping.set()
        self._stop.set()
        self._wake.set()
        process = self._process
        if process is not None and process.is_alive():
            process.join(timeout)
            if process.is_alive():
                process.terminate()
                process.join(2)
            if process.is_alive():
                process.kill()
                process.join(2)
        if self._watcher is not None:
            self._watcher.join(timeout)

    def status(self) -> dict[str, Any]:
        """What the worker is doing (stage, done, total) as it last said, and whether it runs."""
        from .store import SQLiteStore

        with SQLiteStore(self.db, self.config, create=False) as store:
            raw = store.meta("worker")
        state: dict[str, Any] = json.loads(raw) if raw else {"stage": "starting", "done": 0, "total": 0}
        state["alive"] = self._process is not None and self._process.is_alive()
        return state
