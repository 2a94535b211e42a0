"""The watcher's state tables: a source's HTTP validators are kept between polls (so the next poll
is conditional), a failed poll keeps them, and the connections of finished threads are closed."""

from __future__ import annotations

import threading
from pathlib import Path

from storytrace.watch.state import WatchState, now_utc


def test_source_validators_are_kept_and_survive_a_failure(tmp_path: Path) -> None:
    state = WatchState(tmp_path / "w.db")
    url = "https://wire.example/rss.xml"
    state.source(url, "Wire")
    at = now_utc()
    state.polled(url, at, 600, kind="rss", etag='"v1"', last_modified="Thu, 13 Mar 2025 09:00:00 GMT")
    got = state.source(url, "Wire")
    assert (got.etag, got.last_modified, got.failures) == ('"v1"', "Thu, 13 Mar 2025 09:00:00 GMT", 0)
    state.polled(url, at, 600, error="HTTP 503 for https://wire.example/rss.xml")
    got = state.source(url, "Wire")
    assert (got.etag, got.last_modified, got.failures) == ('"v1"', "Thu, 13 Mar 2025 09:00:00 GMT", 1)
    state.polled(url, at, 600, kind="rss")  # a 304 without validators keeps the known ones
    got = state.source(url, "Wire")
    assert (got.etag, got.failures, got.last_error) == ('"v1"', 0, None)
    state.polled(url, at, 600, kind="rss", etag='"v2"')
    assert state.source(url, "Wire").etag == '"v2"'
    state.close()


def test_connections_of_finished_threads_are_closed(tmp_path: Path) -> None:
    state = WatchState(tmp_path / "w.db")
    for round_ in range(5):  # five polls, each with its own short-lived fetch threads
        urls = [f"https://a.example/{round_}/{i}" for i in range(3)]
        threads = [
            threading.Thread(target=lambda u=u: state.seen(u, "s", now_utc(), None, None)) for u in urls
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    state.page("https://a.example/0/0")  # the main thread's connection
    assert len(state._all) <= 4  # the main thread's and at most the last round's three
    assert state.page("https://a.example/4/2") is not None
    state.close()
