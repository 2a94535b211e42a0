"""store: an incremental article store with stable story ids (SQLite), grouped and analysed by the
same pipeline as ``storytrace analyze``.

What the store keeps, per article: every revision of its text with its metadata (the same id with
new content is a new revision, diffable with :meth:`SQLiteStore.diff`), when it was first seen
(never its publication time), its headline and outlet, its prepared form (cleaned text, sentences,
removed parts, document vector: :mod:`storytrace.corpus.prepared`) and its story. Sentence vectors
are kept by content (:mod:`storytrace.corpus.vectors`).

Adding articles (:meth:`SQLiteStore.add`) is one transaction per call and does no analysis; any
caller (``storytrace ingest``, the web app's upload, paste form and JSON API, a feed watcher) then
runs :func:`storytrace.corpus.update.update`, or leaves it to ``storytrace serve``'s background
worker. An id already stored with other content is a new revision (``on_conflict="revise"``,
the default of ``ingest``, counted in its summary) or refused with a message
(``on_conflict="refuse"``, the default of the web app); never silently either.

A store records its schema version; a store written by a newer storytrace is refused with a
message, never modified; an older one is migrated in place when opened
(:mod:`storytrace.corpus.schema`).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..config import Config
from ..errors import InputError
from ..read.clean import repeat_keys
from ..read.metadata import headline, outlet
from ..records import RawArticle, Removed, Skipped, skipped_lines
from ..version import __version__
from .browse import BrowseQueries, now
from .identity import StoryIdentity
from .prepared import PreparedState
from .schema import SCHEMA, SCHEMA_VERSION, NotFoundError, StoreVersionError, migrate

#: progress callback: (stage, done, total); total 0 means unknown
Progress = Callable[[str, int, int], None]
#: what to do with an article whose id is stored with other content
OnConflict = Literal["revise", "refuse"]
ON_CONFLICT: tuple[OnConflict, ...] = ("revise", "refuse")


@dataclass
class IngestSummary:
    """What adding articles to the store did (and, after :func:`~storytrace.corpus.update.update`,
    what the analysis did: ``update``)."""

    db: Path
    read: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    #: articles refused because their id is stored with other content (``on_conflict="refuse"``)
    refused: list[Skipped] = field(default_factory=list)
    #: ids of the articles stored by this run (new or revised)
    stored: list[str] = field(default_factory=list)
    revised_ids: list[str] = field(default_factory=list)
    seconds: float = 0.0
    stories: int = 0
    articles: int = 0
    update: object | None = None

    def summary(self) -> str:
        lines = [
            f"{self.read} article(s) read: {self.new} new, {self.revised} revised, {self.unchanged} unchanged, "
            f"{len(self.refused)} refused; {len(self.skipped)} input(s) skipped; {self.seconds:.1f} s"
        ]
        if self.revised_ids:
            shown = ", ".join(self.revised_ids[:10]) + (" ..." if len(self.revised_ids) > 10 else "")
            lines.append(f"new revisions of: {shown}")
        if self.update is not None:
            lines.append(str(self.update))
        lines.append(f"store {self.db}: {self.articles} article(s) in {self.stories} story(ies)")
        lines += [f"refused {s}" for s in self.refused[:50]]
        lines += skipped_lines(self.skipped)
        return "\n".join(lines)


@dataclass(frozen=True)
class StoredStory:
    id: str
    articles: tuple[str, ...]
    created_at: str


def stored_config(db: str | Path) -> Config | None:
    """The settings a store's stories were last analysed with (``None``: a new store, or one
    analysed before it kept them); commands given no settings use these."""
    path = Path(db)
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'config'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    values = json.loads(row[0])
    known = {f.name for f in dataclasses.fields(Config)}
    return Config.from_dict({k: v for k, v in values.items() if k in known}, origin=f"store {path.name}")


def content_digest(article: RawArticle) -> str:
    """What makes two versions of an article the same revision: text, title and publication time."""
    h = hashlib.blake2b(digest_size=16)
    for part in (
        article.text,
        article.title or "",
        article.published.isoformat() if article.published else "",
    ):
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _removed_json(removed: Sequence[Removed]) -> str | None:
    if not removed:
        return None
    return json.dumps([[r.kind, r.text, r.reason] for r in removed], ensure_ascii=False)


def _removed_from(text: str | None) -> tuple[Removed, ...]:
    return tuple(Removed(kind, body, reason) for kind, body, reason in json.loads(text)) if text else ()


class SQLiteStore(BrowseQueries, PreparedState, StoryIdentity):
    """The SQLite store. Open with ``SQLiteStore(path, config)``; use as a context manager."""

    def __init__(self, path: str | Path, config: Config | None = None, *, create: bool = True) -> None:
        self.path = Path(path)
        self.config = config or Config()
        if not create and not self.path.exists():
            raise InputError(
                f"store {str(self.path)!r} does not exist; create it with: storytrace ingest INPUT --db FILE"
            )
        if not self.path.parent.exists():
            raise InputError(f"directory of store {str(self.path)!r} does not exist")
        try:
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        except sqlite3.DatabaseError as err:
            raise InputError(f"{str(self.path)!r} is not a storytrace store (SQLite says: {err})") from None
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            version = self._version()
        except sqlite3.DatabaseError as err:
            self.db.close()  # a refused file is not kept open
            raise InputError(f"{str(self.path)!r} is not a storytrace store (SQLite says: {err})") from None
        except InputError:
            self.db.close()
            raise
        if version is not None and version > SCHEMA_VERSION:
            self.db.close()
            raise StoreVersionError(
                f"store {str(self.path)!r} has schema version {version}, written by a newer storytrace; "
                f"this storytrace {__version__} reads schema versions up to {SCHEMA_VERSION}. Upgrade storytrace "
                f"(pip install -U storytrace) to use this store; it was not modified"
            )
        if version is None or version < SCHEMA_VERSION:
            with self._transaction():
                current = self._version()  # another process may have created or migrated it meanwhile
                if current is None:
                    for part in SCHEMA.split(";"):
                        if part.strip():
                            self.db.execute(part)
                    rows = {"schema_version": str(SCHEMA_VERSION), "created_by": f"storytrace {__version__}",
                            "story_seq": "0", "prepared_gen": "0", "grouped_gen": "0", "dirty_seq": "0"}  # fmt: skip
                    self.db.executemany(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows.items()
                    )
                elif current < SCHEMA_VERSION:
                    migrate(self.db, current)
                    for key in ("prepared_gen", "grouped_gen", "dirty_seq"):
                        self.db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES (?, '0')", (key,))
                    self.db.execute("UPDATE meta SET value = '1' WHERE key = 'prepared_gen'")

    # -- setup --------------------------------------------------------------------------

    def _version(self) -> int | None:
        has_meta = self.db.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='meta'"
        ).fetchone()
        if not has_meta:
            tables = self.db.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            if tables:
                raise InputError(f"{str(self.path)!r} is an SQLite database but not a storytrace store")
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        return int(row[0]) if row else None  # no row: interrupted while being created

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- adding articles ----------------------------------------------------------------

    def add(
        self, articles: Sequence[RawArticle], summary: IngestSummary, on_conflict: OnConflict = "revise"
    ) -> None:
        """Store a batch of articles in one transaction (no analysis: see ``update``)."""
        if on_conflict not in ON_CONFLICT:
            raise InputError(f"on_conflict={on_conflict!r} is invalid: expected 'revise' or 'refuse'")
        if not articles:
            return
        with self._transaction():
            for article in articles:
                self._add_one(article, summary, on_conflict)

    def _add_one(self, article: RawArticle, summary: IngestSummary, on_conflict: OnConflict) -> None:
        db = self.db
        digest = content_digest(article)
        stamp = now()
        published = article.published.isoformat() if article.published else None
        row = db.execute(
            "SELECT rowid, revision, content_hash, path, seen FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is not None and row[2] == digest:
            summary.unchanged += 1
            return
        where = article.path or article.id
        if row is not None and on_conflict == "refuse":
            summary.refused.append(
                Skipped(
                    where,
                    article.line,
                    f"article id {article.id!r} is already stored (revision {row[1]}, first seen {row[4]}"
                    + (f", from {Path(row[3]).name}" if row[3] else "")
                    + ") with other content: give this one another id, or store it as a new revision "
                    "of that article",
                )
            )
            return
        small = len(article.text) <= self.config.max_article_chars
        meta = (
            digest, len(article.text), article.title, article.source, article.url, published, article.path,
            article.line, headline(article.title, article.text), outlet(article.source, article.url, article.text),
        )  # fmt: skip
        if row is not None:  # same id, new content: a new revision; its story is decided by the next update
            rowid, revision = int(row[0]), int(row[1]) + 1
            db.execute(
                "UPDATE articles SET revision=?, content_hash=?, length=?, title=?, source=?, url=?, published=?, "
                "path=?, line=?, headline=?, outlet=? WHERE rowid=?",
                (revision, *meta, rowid),
            )
            old = db.execute(
                "SELECT coalesce(title, ''), text FROM revisions WHERE article = ? AND revision = ?",
                (rowid, revision - 1),
            ).fetchone()
            db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (rowid, old[0], old[1]),
            )
            self._mark_dirty(
                [str(r[0]) for r in db.execute("SELECT key FROM repeat_lines WHERE article = ?", (rowid,))]
            )
            db.execute("DELETE FROM repeat_lines WHERE article = ?", (rowid,))
            summary.revised += 1
            summary.revised_ids.append(article.id)
        else:
            revision = 1
            cur = db.execute(
                "INSERT INTO articles (id, revision, content_hash, length, title, source, url, published, path, "
                "line, headline, outlet, seen) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, *meta, stamp),
            )
            rowid = int(cur.lastrowid or 0)
            summary.new += 1
        summary.stored.append(article.id)
        db.execute(
            "INSERT INTO revisions (article, revision, text, content_hash, title, published, ingested_at, source, "
            "url, path, line, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rowid, revision, article.text, digest, article.title, published, stamp, article.source,
             article.url, article.path, article.line, _removed_json(article.removed)),
        )  # fmt: skip
        db.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            (rowid, article.title or "", article.text),
        )
        if small:  # an article too large to analyse does not count towards corpus repetition
            keys = sorted(repeat_keys(article.text))
            db.executemany(
                "INSERT OR IGNORE INTO repeat_lines (key, article) VALUES (?, ?)", [(k, rowid) for k in keys]
            )
            self._mark_dirty(keys)
        self._bump("intake_gen")

    def _mark_dirty(self, keys: Sequence[str]) -> None:
        """Short lines whose repeat count changed: the articles that have them may clean differently."""
        if keys:
            seq = self._bump("dirty_seq")
            self.db.executemany(
                "INSERT OR REPLACE INTO dirty_lines (key, seq) VALUES (?, ?)", [(k, seq) for k in keys]
            )

    # -- reading ------------------------------------------------------------------------

    def resolve(self, story: str) -> str:
        """The live story an id refers to (an absorbed story resolves to the one that absorbed it)."""
        row = self.db.execute("SELECT merged_into FROM stories WHERE id = ?", (story,)).fetchone()
        if row is None:
            raise NotFoundError(f"no story {story!r} in this store")
        seen = {story}
        while row[0]:  # a chain of merges ends at a live story
            story = str(row[0])
            if story in seen:
                break
            seen.add(story)
            row = self.db.execute("SELECT merged_into FROM stories WHERE id = ?", (story,)).fetchone()
        return story

    def stories(self) -> list[StoredStory]:
        """Live stories (with members) and the ids of their articles, oldest first."""
        out: dict[str, list[str]] = {}
        created: dict[str, str] = {}
        for story, at in self.db.execute(
            "SELECT id, created_at FROM stories WHERE merged_into IS NULL ORDER BY seq"
        ):
            out[story], created[story] = [], at
        for story, article in self.db.execute(
            "SELECT m.story, a.id FROM story_members m JOIN articles a ON a.rowid = m.article ORDER BY a.rowid"
        ):
            out.setdefault(story, []).append(article)
        return [StoredStory(s, tuple(ids), created.get(s, "")) for s, ids in out.items() if ids]

    def raw_articles(self, rowids: Sequence[int] | None = None) -> list[tuple[int, str, RawArticle]]:
        """(rowid, content hash, current revision) of the given articles (all when ``None``), in
        order of arrival."""
        query = (
            "SELECT a.rowid, r.content_hash, a.id, r.text, r.title, r.source, r.url, r.published, r.path, r.line, "
            "r.removed FROM articles a JOIN revisions r ON r.article = a.rowid AND r.revision = a.revision"
        )
        rows: list[sqlite3.Row] = []
        if rowids is None:
            rows = self.db.execute(query + " ORDER BY a.rowid").fetchall()
        else:
            for start in range(0, len(rowids), 500):
                part = list(rowids[start : start + 500])
                rows += self.db.execute(
                    query + f" WHERE a.rowid IN ({','.join('?' * len(part))})", part
                ).fetchall()
            rows.sort(key=lambda r: int(r[0]))
        return [
            (int(r[0]), str(r[1]), RawArticle(
                id=r[2], text=r[3], title=r[4], source=r[5], url=r[6],
                published=datetime.fromisoformat(r[7]) if r[7] else None, path=r[8], line=r[9],
                removed=_removed_from(r[10]),
            ))
            for r in rows
        ]  # fmt: skip

    def articles(self, stories: Sequence[str] | None = None) -> Iterator[RawArticle]:
        """The current revision of every article (of the given stories), in order of arrival."""
        if not stories:
            for _, _, raw in self.raw_articles():
                yield raw
            return
        live = sorted({self.resolve(s) for s in stories})
        rowids = [
            int(r[0])
            for r in self.db.execute(
                f"SELECT article FROM story_members WHERE story IN ({','.join('?' * len(live))})", live
            )
        ]
        for _, _, raw in self.raw_articles(sorted(rowids)):
            yield raw

    def revisions(self, article_id: str) -> list[str]:
        """Every stored text of an article, oldest first."""
        rows = self.db.execute(
            "SELECT r.text FROM revisions r JOIN articles a ON a.rowid = r.article WHERE a.id = ? ORDER BY r.revision",
            (article_id,),
        ).fetchall()
        if not rows:
            raise NotFoundError(f"no article {article_id!r} in this store")
        return [str(r[0]) for r in rows]

    def diff(self, article_id: str, old: int = -2, new: int = -1) -> str:
        """Unified diff between two revisions of an article (by default the last two)."""
        texts = self.revisions(article_id)
        if len(texts) < 2:
            return ""
        a, b = texts[old], texts[new]
        return "".join(
            difflib.unified_diff(
                a.splitlines(keepends=True),
                b.splitlines(keepends=True),
                f"{article_id}@{old}",
                f"{article_id}@{new}",
            )
        )

    def counts(self) -> tuple[int, int]:
        """(articles, live stories with members)."""
        articles = int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        stories = int(self.db.execute("SELECT count(DISTINCT story) FROM story_members").fetchone()[0])
        return articles, stories
