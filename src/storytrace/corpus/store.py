"""store: an incremental article store with stable story ids (SQLite by default).

``storytrace ingest INPUT... --db FILE`` streams articles into the store in batches, one
transaction per batch (WAL journal), so killing the process loses at most the batch in flight and
running it again completes the store: articles already stored with the same content are skipped.

What the store keeps, per article: every revision of its text (the same id with new content is a
new revision, diffable with :meth:`SQLiteStore.diff`), its MinHash signature and LSH band keys,
optionally its document embedding, and its story. A new article joins the story of the articles it
duplicates (exact hash, or estimated Jaccard at least ``dedup_threshold``, or with ``semantic``
an embedding cosine at least ``semantic_threshold``). A story's id never changes when articles
join it; when an article links two stories, the older story absorbs the newer one and the merge is
recorded (``merges``), so an absorbed id can always be resolved.

A store records its schema version; a store written by a newer storytrace is refused with a
message, never modified; an older one is migrated in place when opened (version 1 -> 2 adds the
full-text index over titles and texts, filled from the stored revisions, and the table of cached
story analyses that the web app shows). The MinHash parameters are recorded too: signatures made with other
parameters are not comparable, so a config that differs is refused.
"""

from __future__ import annotations

import difflib
import hashlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..errors import ConfigError, InputError
from ..records import RawArticle, Skipped, skipped_lines
from ..text.fingerprint import SCHEME, MinHasher, band_keys
from ..version import __version__
from .browse import BrowseQueries, now
from .dedup import dedup_bands
from .schema import SCHEMA, SCHEMA_2, SCHEMA_VERSION, StoreVersionError, Transaction

Progress = Callable[[str, int, int], None]


@dataclass
class IngestSummary:
    """What an ingest run did."""

    db: Path
    read: int = 0
    new: int = 0
    revised: int = 0
    unchanged: int = 0
    new_stories: int = 0
    merges: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    stories: int = 0
    articles: int = 0

    def summary(self) -> str:
        lines = [
            f"{self.read} article(s) read: {self.new} new, {self.revised} revised, {self.unchanged} unchanged; "
            f"{self.new_stories} new story(ies), {self.merges} merge(s); {len(self.skipped)} input(s) skipped; "
            f"{self.seconds:.1f} s",
            f"store {self.db}: {self.articles} article(s) in {self.stories} story(ies)",
        ]
        lines += skipped_lines(self.skipped)
        return "\n".join(lines)


@dataclass(frozen=True)
class StoredStory:
    id: str
    articles: tuple[str, ...]
    created_at: str


class Store(Protocol):
    """What the rest of storytrace needs from a store (SQLite is the default implementation)."""

    def add_batch(
        self, articles: Sequence[RawArticle], summary: IngestSummary, vectors: npt.NDArray[np.float32] | None
    ) -> None: ...

    def articles(self, stories: Sequence[str] | None = None) -> Iterator[RawArticle]: ...

    def stories(self) -> list[StoredStory]: ...

    def close(self) -> None: ...


def _signed(x: int) -> int:
    """A uint64 as the int64 SQLite stores."""
    return x - (1 << 64) if x >= 1 << 63 else x


def content_digest(article: RawArticle) -> str:
    """What makes two versions of an article the same revision: text, title and publication time."""
    h = hashlib.blake2b(digest_size=16)
    for part in (
        article.text,
        article.title or "",
        article.published.isoformat() if article.published else "",
    ):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


class SQLiteStore(BrowseQueries):
    """The SQLite store. Open with :meth:`open`; use as a context manager."""

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
            self.db = sqlite3.connect(self.path, timeout=30.0, isolation_level=None)
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            version = self._version()
        except sqlite3.DatabaseError as err:
            raise InputError(f"{str(self.path)!r} is not a storytrace store (SQLite says: {err})") from None
        if version is not None and version > SCHEMA_VERSION:
            self.db.close()
            raise StoreVersionError(
                f"store {str(self.path)!r} has schema version {version}, written by a newer storytrace; "
                f"this storytrace {__version__} reads schema versions up to {SCHEMA_VERSION}. Upgrade storytrace "
                f"(pip install -U storytrace) to use this store; it was not modified"
            )
        self.hasher = MinHasher(num_perm=self.config.num_perm, shingle_size=self.config.dedup_shingle_size)
        self.bands, self.rows = dedup_bands(self.config.dedup_threshold, self.config.num_perm)
        if version is None:
            self.db.executescript(SCHEMA)  # idempotent; meta rows follow in one transaction
        with self._transaction():
            self._check_params(version is None)
            self._migrate(version)
        self._vectors: npt.NDArray[np.float32] | None = None
        self._vector_rows: list[int] = []

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

    def _params(self) -> dict[str, str]:
        return {
            "num_perm": str(self.config.num_perm),
            "shingle_size": str(self.config.dedup_shingle_size),
            "signature_scheme": SCHEME,
            "threshold": str(self.config.dedup_threshold),
        }

    def _check_params(self, new: bool) -> None:
        if new or not self.db.execute("SELECT 1 FROM meta WHERE key='schema_version'").fetchone():
            rows = {
                "schema_version": str(SCHEMA_VERSION),
                "created_by": f"storytrace {__version__}",
                "story_seq": "0",
            }
            rows.update(self._params())
            self.db.executemany("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", rows.items())
            return
        stored = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        for key, value in self._params().items():
            if key == "threshold":
                continue  # the threshold may change between runs; it only affects new matches
            if stored.get(key) != value:
                raise ConfigError(
                    f"store {str(self.path)!r} was built with {key}={stored.get(key)!r} but the config has "
                    f"{key}={value!r}; signatures made with different parameters are not comparable: "
                    f"use the same settings or a new store"
                )

    def _migrate(self, version: int | None) -> None:
        """Bring a store of an older schema version up to :data:`SCHEMA_VERSION` (in the caller's
        transaction: an interrupted migration leaves the old version, which migrates again)."""
        current = int(self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
        if version is None or current < 2:
            for statement in SCHEMA_2:
                self.db.execute(statement)
            if version is not None:  # an existing store: index what it holds
                self.db.execute(
                    "INSERT INTO articles_fts (rowid, title, text) SELECT a.rowid, coalesce(a.title, ''), r.text "
                    "FROM articles a JOIN revisions r ON r.article = a.rowid AND r.revision = a.revision"
                )
        if current != SCHEMA_VERSION:
            self.db.execute("UPDATE meta SET value=? WHERE key='schema_version'", (str(SCHEMA_VERSION),))

    def _transaction(self) -> Transaction:
        return Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ingest -------------------------------------------------------------------------

    def add_batch(
        self,
        articles: Sequence[RawArticle],
        summary: IngestSummary,
        vectors: npt.NDArray[np.float32] | None = None,
    ) -> None:
        """Add a batch of articles in one transaction."""
        if not articles:
            return
        fp = self.hasher.fingerprints([a.text for a in articles])
        keys = band_keys(fp.signatures, self.bands, self.rows)
        if vectors is not None and self._vectors is None:
            self._load_vectors()
        with self._transaction():
            for i, article in enumerate(articles):
                self._add_one(
                    article,
                    fp.signatures[i],
                    int(fp.exact[i]),
                    keys[i],
                    None if vectors is None else vectors[i],
                    summary,
                )

    def _add_one(
        self,
        article: RawArticle,
        signature: npt.NDArray[np.uint32],
        exact: int,
        keys: npt.NDArray[np.uint64],
        vector: npt.NDArray[np.float32] | None,
        summary: IngestSummary,
    ) -> None:
        db = self.db
        digest = content_digest(article)
        stamp = now()
        published = article.published.isoformat() if article.published else None
        row = db.execute(
            "SELECT rowid, revision, content_hash FROM articles WHERE id = ?", (article.id,)
        ).fetchone()
        if row is not None and row[2] == digest:
            summary.unchanged += 1
            return
        # the columns after id and revision, in the order of both statements below
        fields = (
            digest,
            _signed(exact),
            len(article.text),
            article.title,
            article.source,
            article.url,
            published,
            article.path,
            article.line,
        )
        if row is not None:  # same id, new content: a new revision; the article keeps its story
            rowid, revision = int(row[0]), int(row[1]) + 1
            db.execute(
                "UPDATE articles SET revision=?, content_hash=?, exact=?, length=?, title=?, source=?, url=?, "
                "published=?, path=?, line=? WHERE rowid=?",
                (revision, *fields, rowid),
            )
            db.execute("DELETE FROM bands WHERE article = ?", (rowid,))
            old = db.execute(
                "SELECT coalesce(title, ''), text FROM revisions WHERE article = ? AND revision = ?",
                (rowid, revision - 1),
            ).fetchone()
            db.execute(
                "INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                (rowid, old[0], old[1]),
            )
            summary.revised += 1
        else:
            revision = 1
            cur = db.execute(
                "INSERT INTO articles (id, revision, content_hash, exact, length, title, source, url, published, "
                "path, line) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (article.id, *fields),
            )
            rowid = int(cur.lastrowid or 0)
            summary.new += 1
        db.execute(
            "INSERT INTO revisions (article, revision, text, content_hash, title, published, ingested_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (rowid, revision, article.text, digest, article.title, published, stamp),
        )
        db.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            (rowid, article.title or "", article.text),
        )
        db.execute(
            "INSERT OR REPLACE INTO signatures (article, sig) VALUES (?, ?)", (rowid, signature.tobytes())
        )
        key_list = [_signed(int(k)) for k in keys]
        db.executemany(
            "INSERT OR IGNORE INTO bands (key, article) VALUES (?, ?)", [(k, rowid) for k in key_list]
        )
        if vector is not None:
            db.execute(
                "INSERT OR REPLACE INTO embeddings (article, model, vector) VALUES (?, ?, ?)",
                (rowid, self.config.model, vector.astype(np.float32).tobytes()),
            )
        if revision > 1:
            return
        matches = self._matches(rowid, signature, exact, key_list, vector)
        self._place(rowid, article.id, matches, stamp, summary)
        if vector is not None:
            self._remember_vector(rowid, vector)

    def _matches(
        self,
        rowid: int,
        signature: npt.NDArray[np.uint32],
        exact: int,
        keys: list[int],
        vector: npt.NDArray[np.float32] | None,
    ) -> list[tuple[str, str, float]]:
        """(story, how, similarity) of every stored article this one duplicates."""
        db = self.db
        found: dict[int, tuple[str, float]] = {}
        for (other,) in db.execute(
            "SELECT rowid FROM articles WHERE exact = ? AND rowid != ? LIMIT 50", (_signed(exact), rowid)
        ):
            found[int(other)] = ("exact", 1.0)
        marks = ",".join("?" * len(keys))
        candidates = db.execute(
            f"SELECT DISTINCT s.article, s.sig FROM bands b JOIN signatures s ON s.article = b.article "
            f"WHERE b.key IN ({marks}) AND b.article != ?",
            [*keys, rowid],
        ).fetchall()
        for other, blob in candidates:
            if int(other) in found:
                continue
            theirs = np.frombuffer(blob, dtype=np.uint32)
            sim = float(np.mean(theirs == signature))
            if sim >= self.config.dedup_threshold:
                found[int(other)] = ("near", sim)
        if not found and vector is not None and self._vectors is not None and len(self._vector_rows):
            sims = self._vectors @ vector
            for pos in np.flatnonzero(sims >= self.config.semantic_threshold):
                found[self._vector_rows[int(pos)]] = ("semantic", float(sims[pos]))
        out: list[tuple[str, str, float]] = []
        for other, (how, sim) in found.items():
            story = db.execute("SELECT story FROM story_members WHERE article = ?", (other,)).fetchone()
            if story is not None:
                out.append((str(story[0]), how, sim))
        return out

    def _place(
        self,
        rowid: int,
        article_id: str,
        matches: list[tuple[str, str, float]],
        stamp: str,
        summary: IngestSummary,
    ) -> None:
        db = self.db
        if not matches:
            seq = int(db.execute("SELECT value FROM meta WHERE key='story_seq'").fetchone()[0]) + 1
            db.execute("UPDATE meta SET value=? WHERE key='story_seq'", (str(seq),))
            story = f"story-{seq:06d}"
            db.execute("INSERT INTO stories (id, seq, created_at) VALUES (?, ?, ?)", (story, seq, stamp))
            db.execute(
                "INSERT INTO story_members (article, story, how, similarity, joined_at) VALUES (?, ?, 'first', 1.0, ?)",
                (rowid, story, stamp),
            )
            summary.new_stories += 1
            return
        best: dict[str, tuple[str, float]] = {}
        for story, how, sim in matches:
            if story not in best or sim > best[story][1]:
                best[story] = (how, sim)
        seqs = dict(
            db.execute(
                f"SELECT id, seq FROM stories WHERE id IN ({','.join('?' * len(best))})", list(best)
            ).fetchall()
        )
        kept = min(best, key=lambda s: seqs[s])
        how, sim = best[kept]
        db.execute(
            "INSERT INTO story_members (article, story, how, similarity, joined_at) VALUES (?, ?, ?, ?, ?)",
            (rowid, kept, how, sim, stamp),
        )
        for absorbed in sorted(best, key=lambda s: seqs[s]):
            if absorbed == kept:
                continue
            db.execute("UPDATE story_members SET story=? WHERE story=?", (kept, absorbed))
            db.execute("UPDATE stories SET merged_into=? WHERE id=?", (kept, absorbed))
            db.execute("UPDATE stories SET merged_into=? WHERE merged_into=?", (kept, absorbed))
            db.execute(
                "INSERT INTO merges (kept, absorbed, article, similarity, at) VALUES (?, ?, ?, ?, ?)",
                (kept, absorbed, article_id, best[absorbed][1], stamp),
            )
            summary.merges += 1

    def _load_vectors(self) -> None:
        rows = self.db.execute("SELECT article, vector FROM embeddings ORDER BY article").fetchall()
        self._vector_rows = [int(r[0]) for r in rows]
        vecs = [np.frombuffer(r[1], dtype=np.float32) for r in rows]
        self._vectors = np.stack(vecs) if vecs else np.zeros((0, 0), dtype=np.float32)

    def _remember_vector(self, rowid: int, vector: npt.NDArray[np.float32]) -> None:
        v = vector.astype(np.float32)[None, :]
        if self._vectors is None or self._vectors.size == 0:
            self._vectors = v
        else:
            self._vectors = np.concatenate([self._vectors, v])
        self._vector_rows.append(rowid)

    # -- reading ------------------------------------------------------------------------

    def resolve(self, story: str) -> str:
        """The live story an id refers to (an absorbed story resolves to the one that absorbed it)."""
        row = self.db.execute("SELECT merged_into FROM stories WHERE id = ?", (story,)).fetchone()
        if row is None:
            raise InputError(f"no story {story!r} in store {str(self.path)!r}")
        return str(row[0]) if row[0] else story

    def stories(self) -> list[StoredStory]:
        """Live stories with the ids of their articles, oldest first."""
        out: dict[str, list[str]] = {}
        created: dict[str, str] = {}
        for story, at in self.db.execute(
            "SELECT id, created_at FROM stories WHERE merged_into IS NULL ORDER BY seq"
        ):
            out[story], created[story] = [], at
        for story, article in self.db.execute(
            "SELECT m.story, a.id FROM story_members m JOIN articles a ON a.rowid = m.article ORDER BY a.rowid"
        ):
            out[story].append(article)
        return [StoredStory(s, tuple(ids), created[s]) for s, ids in out.items()]

    def articles(self, stories: Sequence[str] | None = None) -> Iterator[RawArticle]:
        """The current revision of every article (of the given stories), in order of arrival."""
        query = (
            "SELECT a.id, r.text, a.title, a.source, a.url, a.published, a.path, a.line FROM articles a "
            "JOIN revisions r ON r.article = a.rowid AND r.revision = a.revision"
        )
        params: list[str] = []
        if stories:
            live = sorted({self.resolve(s) for s in stories})
            query += (
                " JOIN story_members m ON m.article = a.rowid WHERE m.story IN ("
                + ",".join("?" * len(live))
                + ")"
            )
            params = live
        for ident, text, title, source, url, published, path, line in self.db.execute(
            query + " ORDER BY a.rowid", params
        ):
            yield RawArticle(
                id=ident,
                text=text,
                title=title,
                source=source,
                url=url,
                published=datetime.fromisoformat(published) if published else None,
                path=path,
                line=line,
            )

    def revisions(self, article_id: str) -> list[str]:
        """Every stored text of an article, oldest first."""
        rows = self.db.execute(
            "SELECT r.text FROM revisions r JOIN articles a ON a.rowid = r.article WHERE a.id = ? ORDER BY r.revision",
            (article_id,),
        ).fetchall()
        if not rows:
            raise InputError(f"no article {article_id!r} in store {str(self.path)!r}")
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
        articles = int(self.db.execute("SELECT count(*) FROM articles").fetchone()[0])
        stories = int(self.db.execute("SELECT count(*) FROM stories WHERE merged_into IS NULL").fetchone()[0])
        return articles, stories
