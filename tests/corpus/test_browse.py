"""The story list's full-text search works whatever the number of matching stories (it must not
put one SQL parameter per matching story into a query: SQLite builds cap them, often at 32,766)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from storytrace.config import Config
from storytrace.corpus.store import IngestSummary, SQLiteStore
from storytrace.records import RawArticle


def test_search_matching_more_stories_than_sqlite_takes_parameters(tmp_path: Path) -> None:
    with SQLiteStore(tmp_path / "s.db", Config()) as store:
        raws = [
            RawArticle(f"a{i}", f"The canal authority approved toll plan number {i} on Tuesday.", source=f"Outlet {i}")
            for i in range(12)
        ]
        store.add(raws, IngestSummary(db=store.path))
        rowids = [int(r[0]) for r in store.db.execute("SELECT rowid FROM articles ORDER BY rowid")]
        store.apply_grouping([[r] for r in rowids], set(), 1)
        store.db.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 8)
        rows, total = store.list_stories(query="canal toll", limit=5)
        assert total == 12 and len(rows) == 5
        rows, total = store.list_stories(query="canal", min_sources=1, offset=10)
        assert total == 12 and len(rows) == 2
        assert store.list_stories(query="ferry")[1] == 0


def test_a_date_filter_that_is_not_a_date_is_refused_with_a_message(tmp_path: Path) -> None:
    import pytest

    from storytrace.errors import InputError

    with SQLiteStore(tmp_path / "s.db", Config()) as store:
        with pytest.raises(InputError, match=r"since='March 2025' is not an ISO 8601 date"):
            store.list_stories(since="March 2025")
        with pytest.raises(InputError, match=r"until='13/03/2025'"):
            store.list_stories(until="13/03/2025")
        assert store.list_stories(since="2025-03-01", until="2025-03-31T23:59:59+00:00") == ([], 0)
