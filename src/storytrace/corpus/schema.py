"""schema: the store's tables, their version and how an older store is brought up to date.

Version 1: articles, revisions, signatures, LSH bands, embeddings, stories, members, merges.
Version 2: + the full-text index (contentless FTS5 over the current revision's title and text) and
the table of cached story analyses.
Version 3: stories are grouped and analysed by the same pipeline as ``analyze``: + each article's
prepared form (cleaned text, sentences, removed parts, document vector), the sentence vectors by
content, the short lines that count towards corpus repetition, story events (merges, splits),
headline, outlet and first-seen time per article; - MinHash signatures, bands and embeddings."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from ..config import Config
from ..errors import InputError, StorytraceError

#: version of the table layout; stores with a higher version are refused, lower ones migrated
SCHEMA_VERSION = 3

#: schema 3, every table (``IF NOT EXISTS``: also the target of a migration)
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    length INTEGER NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, path TEXT, line INTEGER,
    seen TEXT NOT NULL,
    headline TEXT NOT NULL DEFAULT '',
    outlet TEXT
);
CREATE TABLE IF NOT EXISTS revisions (
    article INTEGER NOT NULL REFERENCES articles (rowid),
    revision INTEGER NOT NULL,
    text TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    title TEXT, published TEXT,
    ingested_at TEXT NOT NULL,
    source TEXT, url TEXT, path TEXT, line INTEGER,
    removed TEXT,
    PRIMARY KEY (article, revision)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS prepared (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid),
    content_hash TEXT NOT NULL,
    furniture TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL,
    reason TEXT,
    record TEXT,
    vector BLOB
);
CREATE TABLE IF NOT EXISTS repeat_lines (
    key TEXT NOT NULL, article INTEGER NOT NULL REFERENCES articles (rowid), PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS repeat_lines_article ON repeat_lines (article);
CREATE TABLE IF NOT EXISTS dirty_lines (key TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sentence_vectors (key BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, created_at TEXT NOT NULL, merged_into TEXT,
    title TEXT, updated_at TEXT
);
CREATE TABLE IF NOT EXISTS story_members (
    article INTEGER PRIMARY KEY REFERENCES articles (rowid),
    story TEXT NOT NULL REFERENCES stories (id),
    joined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_members_story ON story_members (story);
CREATE TABLE IF NOT EXISTS story_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    story TEXT NOT NULL, at TEXT NOT NULL, event TEXT NOT NULL, other TEXT, articles TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_events_story ON story_events (story);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS analyses (
    story TEXT PRIMARY KEY, key TEXT NOT NULL, state TEXT NOT NULL, drift INTEGER,
    record TEXT, view TEXT, message TEXT, analysed_at TEXT NOT NULL, seconds REAL NOT NULL
);
"""
FTS_TOKEN = re.compile(r"\w+", re.UNICODE)

#: a store of schema 1 or 2, brought to schema 3 in one transaction: articles and revisions gain
#: their new columns, memberships and merges carry over (so story ids survive the next grouping),
#: the MinHash tables and the old analysis cache go (the pipeline recomputes what it needs)
MIGRATE_TO_3 = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5("
    "title, text, content='', tokenize='unicode61 remove_diacritics 2')",
    "ALTER TABLE articles RENAME TO articles_v2",
    "ALTER TABLE revisions RENAME TO revisions_v2",
    "ALTER TABLE stories RENAME TO stories_v2",
    "ALTER TABLE story_members RENAME TO story_members_v2",
    "DROP INDEX IF EXISTS articles_exact",
    "DROP INDEX IF EXISTS story_members_story",
    "DROP TABLE IF EXISTS analyses",
    SCHEMA,
    "INSERT INTO articles (rowid, id, revision, content_hash, length, title, source, url, published, path, line, "
    "seen, headline, outlet) SELECT a.rowid, a.id, a.revision, a.content_hash, a.length, a.title, a.source, a.url, "
    "a.published, a.path, a.line, (SELECT min(r.ingested_at) FROM revisions_v2 r WHERE r.article = a.rowid), "
    "coalesce(a.title, a.id), a.source FROM articles_v2 a",
    "INSERT INTO revisions (article, revision, text, content_hash, title, published, ingested_at, source, url, "
    "path, line) SELECT r.article, r.revision, r.text, r.content_hash, r.title, r.published, r.ingested_at, "
    "a.source, a.url, a.path, a.line FROM revisions_v2 r JOIN articles_v2 a ON a.rowid = r.article",
    "INSERT INTO stories (id, seq, created_at, merged_into) SELECT id, seq, created_at, merged_into FROM stories_v2",
    "INSERT INTO story_members (article, story, joined_at) SELECT article, story, joined_at FROM story_members_v2",
    "INSERT INTO story_events (story, at, event, other, articles) SELECT kept, at, 'merge', absorbed, "
    "json_array(article) FROM merges ORDER BY seq",
    "DROP TABLE IF EXISTS merges",
    "DROP TABLE IF EXISTS bands",
    "DROP TABLE IF EXISTS signatures",
    "DROP TABLE IF EXISTS embeddings",
    "DROP TABLE story_members_v2",
    "DROP TABLE stories_v2",
    "DROP TABLE revisions_v2",
    "DROP TABLE articles_v2",
]
#: the meta rows of schema 1 and 2 that schema 3 no longer uses
OLD_META = ("num_perm", "shingle_size", "signature_scheme", "threshold")


class NotFoundError(InputError):
    """No such story or article in the store (the message names the id, not the store's path)."""


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


def migrate(db: sqlite3.Connection, version: int) -> None:
    """Bring a store of schema ``version`` (1 or 2) to :data:`SCHEMA_VERSION`, in the caller's
    transaction (an interrupted migration leaves the old version, which migrates again)."""
    from ..read.metadata import headline, outlet

    for statement in MIGRATE_TO_3:
        if statement == SCHEMA:
            for part in SCHEMA.split(";"):
                if part.strip():
                    db.execute(part)
        else:
            db.execute(statement)
    rows = db.execute(
        "SELECT a.rowid, a.title, a.source, a.url, r.text FROM articles a "
        "JOIN revisions r ON r.article = a.rowid AND r.revision = a.revision"
    ).fetchall()
    db.executemany(
        "UPDATE articles SET headline = ?, outlet = ? WHERE rowid = ?",
        [
            (headline(title, text), outlet(source, url, text), rowid)
            for rowid, title, source, url, text in rows
        ],
    )
    if version < 2:  # a schema-1 store: index what it holds
        db.execute(
            "INSERT INTO articles_fts (rowid, title, text) SELECT a.rowid, coalesce(a.title, ''), r.text "
            "FROM articles a JOIN revisions r ON r.article = a.rowid AND r.revision = a.revision"
        )
    db.executemany("DELETE FROM meta WHERE key = ?", [(k,) for k in OLD_META])
    db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))


class StoreBase:
    """What the store's parts share: the connection, its path and config, the meta rows."""

    db: sqlite3.Connection
    path: Path
    config: Config

    def _transaction(self) -> Transaction:
        return Transaction(self.db)

    def meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def _bump(self, key: str) -> int:
        value = int(self.meta(key, "0")) + 1
        self.set_meta(key, str(value))
        return value
