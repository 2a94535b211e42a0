"""schema: the store's tables, their version and how an older store is brought up to date.

Version 1: articles, revisions, signatures, LSH bands, embeddings, stories, members, merges.
Version 2: + the full-text index (contentless FTS5 over the current revision's title and text) and
the table of cached story analyses."""

from __future__ import annotations

import re
import sqlite3

from ..errors import StorytraceError

#: version of the table layout; stores with a higher version are refused, lower ones migrated
#: (1: articles, revisions, signatures, bands, embeddings, stories; 2: + articles_fts, analyses)
SCHEMA_VERSION = 2

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    exact INTEGER NOT NULL,
    length INTEGER NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, path TEXT, line INTEGER
);
CREATE INDEX IF NOT EXISTS articles_exact ON articles (exact);
CREATE TABLE IF NOT EXISTS revisions (
    article INTEGER NOT NULL REFERENCES articles (rowid),
    revision INTEGER NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT, published TEXT,
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (article, revision)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS signatures (article INTEGER PRIMARY KEY REFERENCES articles (rowid), sig BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS bands (
    key INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles (rowid), PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS bands_article ON bands (article);
CREATE TABLE IF NOT EXISTS embeddings (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid), model TEXT NOT NULL, vector BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, created_at TEXT NOT NULL, merged_into TEXT
);
CREATE TABLE IF NOT EXISTS story_members (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid),
    story TEXT NOT NULL REFERENCES stories (id),
    how TEXT NOT NULL, similarity REAL NOT NULL, joined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story);
CREATE TABLE IF NOT EXISTS merges (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kept TEXT NOT NULL, absorbed TEXT NOT NULL, article TEXT NOT NULL, similarity REAL NOT NULL,
    at TEXT NOT NULL
);
"""

#: schema version 2: full-text search (contentless FTS5: rowid = articles.rowid, holds the current
#: revision's title and text) and cached story analyses (``key`` changes when the story's members
#: or their contents change, which invalidates the cached view)
SCHEMA_2 = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "title, text, content='', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TABLE IF NOT EXISTS analyses (story TEXT PRIMARY KEY, key TEXT NOT NULL, drift INTEGER NOT NULL, "
    "view TEXT NOT NULL, created_at TEXT NOT NULL)",
]
FTS_TOKEN = re.compile(r"\w+", re.UNICODE)


class StoreVersionError(StorytraceError):
    """The store was written by a newer storytrace (a higher schema version)."""


class Transaction:
    """``with Transaction(db):`` runs the block in one ``BEGIN IMMEDIATE`` transaction, rolled back
    on an exception."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, *rest: object) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")
