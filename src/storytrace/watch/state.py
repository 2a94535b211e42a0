"""state: what the watcher remembers between polls and across restarts, in its own tables of the
store's SQLite file (so ``storytrace serve`` can run beside it on the same store):

- ``watch_sources``: each source's validators (ETag, Last-Modified), when it was polled, when it
  is due, and its consecutive failures with the last error (a failing source backs off);
- ``watch_pages``: each article URL seen, its source, validators, first and last time seen and
  fetched, and the article id it is stored under;
- ``watch_pending``: articles handed to the store whose events (copies, drift, revisions) are not
  yet turned into alerts, with the revision they had before: recorded before the store is
  written and cleared once the alerts are recorded, so a kill in between loses no alert;
- ``watch_alerts``: every alert fired, keyed by (rule, event key) so none fires twice, with
  whether it was written and posted.

Every change is one short transaction; a kill at any moment leaves the tables as they were
before or after it, and the next poll redoes what was not recorded (storing an article with the
same content again changes nothing)."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ..errors import InputError

_TABLES = """
CREATE TABLE IF NOT EXISTS watch_sources (
    url TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT, etag TEXT, last_modified TEXT,
    polled_at TEXT, due_at TEXT, failures INTEGER NOT NULL DEFAULT 0, last_error TEXT
);
CREATE TABLE IF NOT EXISTS watch_pages (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, article TEXT, etag TEXT, last_modified TEXT,
    first_seen TEXT NOT NULL, last_seen TEXT NOT NULL, fetched_at TEXT, published TEXT, title TEXT
);
CREATE INDEX IF NOT EXISTS watch_pages_first_seen ON watch_pages (first_seen);
CREATE TABLE IF NOT EXISTS watch_pending (
    article TEXT PRIMARY KEY, revision INTEGER NOT NULL, at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watch_alerts (
    id TEXT PRIMARY KEY, rule TEXT NOT NULL, event TEXT NOT NULL, created_at TEXT NOT NULL,
    payload TEXT NOT NULL, written INTEGER NOT NULL DEFAULT 0, posted INTEGER NOT NULL DEFAULT 0
);
"""


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class SourceState:
    url: str
    name: str
    kind: str | None
    etag: str | None
    last_modified: str | None
    due_at: str | None
    failures: int
    last_error: str | None


@dataclass(frozen=True)
class PageState:
    url: str
    source: str
    article: str | None
    etag: str | None
    last_modified: str | None
    first_seen: str


class WatchState:
    """The watcher's tables in the store file ``db`` (created beside the store's own tables).
    Safe to use from the watcher's fetch threads: each thread has its own connection."""

    def __init__(self, db: str | Path) -> None:
        self.path = Path(db)
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, sqlite3.Connection]] = []
        self._lock = threading.Lock()
        try:
            self.db.executescript(_TABLES)
        except sqlite3.DatabaseError as err:
            raise InputError(f"{str(self.path)!r} cannot hold the watcher's state (SQLite says: {err})") from None

    @property
    def db(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60.0, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                # the connections of finished threads (each poll's fetch threads) are closed, or a
                # long watch run would keep one open file per thread it ever started
                for thread, old in self._all:
                    if not thread.is_alive():
                        old.close()
                self._all = [(t, c) for t, c in self._all if t.is_alive()]
                self._all.append((threading.current_thread(), conn))
        return conn

    def close(self) -> None:
        with self._lock:
            for _, conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()

    # -- sources ------------------------------------------------------------------------

    def source(self, url: str, name: str) -> SourceState:
        row = self.db.execute(
            "SELECT url, name, kind, etag, last_modified, due_at, failures, last_error FROM watch_sources "
            "WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            self.db.execute("INSERT INTO watch_sources (url, name) VALUES (?, ?)", (url, name))
            return SourceState(url, name, None, None, None, None, 0, None)
        if row[1] != name:
            self.db.execute("UPDATE watch_sources SET name = ? WHERE url = ?", (name, url))
        return SourceState(url, name, row[2], row[3], row[4], row[5], int(row[6]), row[7])

    def due(self, state: SourceState, at: datetime) -> bool:
        return state.due_at is None or datetime.fromisoformat(state.due_at) <= at

    def polled(
        self,
        url: str,
        at: datetime,
        every: float,
        *,
        kind: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        error: str | None = None,
    ) -> datetime:
        """Record a poll; a failing source waits longer each time (doubling, at most a day).
        Returns when the source is due next."""
        failures = 0
        if error is not None:
            row = self.db.execute("SELECT failures FROM watch_sources WHERE url = ?", (url,)).fetchone()
            failures = (int(row[0]) if row else 0) + 1
        wait = every if error is None else min(every * 2 ** (failures - 1), 86400.0)
        due = at + timedelta(seconds=wait)
        self.db.execute(
            "UPDATE watch_sources SET polled_at = ?, due_at = ?, failures = ?, last_error = ?, "
            "kind = coalesce(?, kind), etag = CASE WHEN ? IS NULL THEN coalesce(?, etag) ELSE etag END, "
            "last_modified = CASE WHEN ? IS NULL THEN coalesce(?, last_modified) ELSE last_modified END WHERE url = ?",
            (iso(at), iso(due), failures, error, kind, error, etag, error, last_modified, url),
        )
        return due

    # -- pages --------------------------------------------------------------------------

    def page(self, url: str) -> PageState | None:
        row = self.db.execute(
            "SELECT url, source, article, etag, last_modified, first_seen FROM watch_pages WHERE url = ?", (url,)
        ).fetchone()
        return PageState(*row) if row else None

    def seen(self, url: str, source: str, at: datetime, title: str | None, published: datetime | None) -> bool:
        """Record that a source lists ``url``; True when it was never seen before."""
        known = self.db.execute("SELECT 1 FROM watch_pages WHERE url = ?", (url,)).fetchone() is not None
        self.db.execute(
            "INSERT INTO watch_pages (url, source, first_seen, last_seen, title, published) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (url) DO UPDATE SET last_seen = excluded.last_seen, "
            "title = coalesce(excluded.title, title), published = coalesce(excluded.published, published)",
            (url, source, iso(at), iso(at), title, iso(published) if published else None),
        )
        return not known

    def fetched(self, url: str, at: datetime, article: str | None, etag: str | None, last_modified: str | None) -> None:
        self.db.execute(
            "UPDATE watch_pages SET fetched_at = ?, article = coalesce(?, article), etag = ?, last_modified = ? "
            "WHERE url = ?",
            (iso(at), article, etag, last_modified, url),
        )

    def listed(self, url: str) -> tuple[str | None, datetime | None]:
        """The title and publication time the source's feed gave for ``url``."""
        row = self.db.execute("SELECT title, published FROM watch_pages WHERE url = ?", (url,)).fetchone()
        if row is None:
            return None, None
        return row[0], datetime.fromisoformat(row[1]) if row[1] else None

    def recent(self, source: str, since: datetime) -> list[PageState]:
        """Pages of ``source`` first seen since ``since``: re-read on every poll for revisions."""
        rows = self.db.execute(
            "SELECT url, source, article, etag, last_modified, first_seen FROM watch_pages "
            "WHERE source = ? AND first_seen >= ? ORDER BY first_seen, url",
            (source, iso(since)),
        ).fetchall()
        return [PageState(*r) for r in rows]

    # -- articles whose events are not yet alerted ----------------------------------------

    def pending_add(self, article: str, revision: int, at: datetime) -> None:
        """``article`` (at ``revision`` before this store write) awaits its events; an article
        already pending keeps its older revision, so no change in between is missed."""
        self.db.execute(
            "INSERT OR IGNORE INTO watch_pending (article, revision, at) VALUES (?, ?, ?)", (article, revision, iso(at))
        )

    def pending(self) -> list[tuple[str, int]]:
        return [(r[0], int(r[1])) for r in self.db.execute("SELECT article, revision FROM watch_pending ORDER BY at, article")]

    def pending_done(self, articles: list[str]) -> None:
        self.db.executemany("DELETE FROM watch_pending WHERE article = ?", [(a,) for a in articles])

    # -- alerts -------------------------------------------------------------------------

    def record_alert(self, alert_id: str, rule: str, event: str, at: datetime, payload: dict[str, Any]) -> bool:
        """Keep an alert to send; False when it was already recorded (it never fires twice)."""
        cur = self.db.execute(
            "INSERT OR IGNORE INTO watch_alerts (id, rule, event, created_at, payload) VALUES (?, ?, ?, ?, ?)",
            (alert_id, rule, event, iso(at), json.dumps(payload, ensure_ascii=False)),
        )
        return cur.rowcount == 1

    def unsent(self, webhook: bool) -> list[tuple[str, dict[str, Any], bool, bool]]:
        """Alerts not yet written (or, with a webhook, not yet posted): (id, payload, written, posted)."""
        rows = self.db.execute(
            "SELECT id, payload, written, posted FROM watch_alerts WHERE written = 0"
            + (" OR posted = 0" if webhook else "")
            + " ORDER BY created_at, id"
        ).fetchall()
        return [(r[0], json.loads(r[1]), bool(r[2]), bool(r[3])) for r in rows]

    def mark(self, alert_id: str, *, written: bool | None = None, posted: bool | None = None) -> None:
        if written is not None:
            self.db.execute("UPDATE watch_alerts SET written = ? WHERE id = ?", (int(written), alert_id))
        if posted is not None:
            self.db.execute("UPDATE watch_alerts SET posted = ? WHERE id = ?", (int(posted), alert_id))
