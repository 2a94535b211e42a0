"""browse: the store's read-only queries for people browsing it (the web app): full-text search,
the filtered story list, an article with its revisions, and the cache of story analyses."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from .schema import FTS_TOKEN, Transaction


def now() -> str:
    """The current UTC time as the store writes it (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class BrowseQueries:
    """Queries over an open store connection (mixed into :class:`~storytrace.corpus.store.SQLiteStore`)."""

    db: sqlite3.Connection
    path: Path

    def search(self, query: str, limit: int = 200) -> list[tuple[str, float]]:
        """Live stories whose articles match every word of ``query`` (full-text, titles and texts),
        best first, as (story, bm25 rank; lower is better). Words only: no query syntax."""
        words = FTS_TOKEN.findall(query)
        if not words:
            return []
        match = " ".join('"' + w.replace('"', "") + '"' for w in words)
        rows = self.db.execute(
            "WITH f AS MATERIALIZED (SELECT rowid AS article, bm25(articles_fts) AS score FROM articles_fts "
            "WHERE articles_fts MATCH ?) SELECT m.story, min(f.score) AS best FROM f "
            "JOIN story_members m ON m.article = f.article GROUP BY m.story ORDER BY best LIMIT ?",
            (match, limit),
        ).fetchall()
        return [(str(story), float(rank)) for story, rank in rows]

    def list_stories(
        self,
        *,
        query: str = "",
        has_drift: bool | None = None,
        min_sources: int = 1,
        since: str | None = None,
        until: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[list[dict[str, object]], int]:
        """One page of live stories (newest first, or best match first with ``query``) and the
        total count. ``min_sources`` counts distinct sources (an article without one counts alone);
        ``since``/``until`` (ISO dates) keep stories with an article published in that range;
        ``has_drift`` looks at the cached analyses (stories never analysed have no known drift)."""
        where: list[str] = []
        params: list[object] = []
        ranked: dict[str, int] = {}
        if query.strip():
            ranked = {story: i for i, (story, _) in enumerate(self.search(query, limit=100_000))}
            if not ranked:
                return [], 0
            where.append(f"m.story IN ({','.join('?' * len(ranked))})")
            params += list(ranked)
        if since:
            where.append("a.published >= ?")
            params.append(since)
        if until:
            where.append("substr(a.published, 1, 10) <= ?")
            params.append(until)
        sql = (
            "SELECT m.story, count(*), count(DISTINCT coalesce(a.source, 'id:' || a.id)), min(a.published), "
            "max(a.published), s.seq, an.drift FROM story_members m JOIN articles a ON a.rowid = m.article "
            "JOIN stories s ON s.id = m.story LEFT JOIN analyses an ON an.story = m.story"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " GROUP BY m.story HAVING count(DISTINCT coalesce(a.source, 'id:' || a.id)) >= ?"
        )
        params.append(min_sources)
        if has_drift is not None:
            sql += " AND coalesce(max(an.drift), 0) " + ("> 0" if has_drift else "= 0")
        rows = self.db.execute(sql, params).fetchall()
        if ranked:
            rows.sort(key=lambda r: ranked[r[0]])
        else:
            rows.sort(key=lambda r: -int(r[5]))
        page = rows[offset : offset + limit]
        titles = self._titles([str(r[0]) for r in page])
        out: list[dict[str, object]] = [
            {"id": r[0], "articles": r[1], "sources": r[2], "first_published": r[3], "last_published": r[4],
             "drift": r[6], "title": titles.get(str(r[0]))}
            for r in page
        ]  # fmt: skip
        return out, len(rows)

    def _titles(self, stories: Sequence[str]) -> dict[str, str]:
        """The title of each story's first article that has one (else its id)."""
        if not stories:
            return {}
        rows = self.db.execute(
            "SELECT m.story, a.title, a.id FROM story_members m JOIN articles a ON a.rowid = m.article "
            f"WHERE m.story IN ({','.join('?' * len(stories))}) ORDER BY a.title IS NULL, a.rowid",
            list(stories),
        ).fetchall()
        out: dict[str, str] = {}
        for story, title, ident in rows:
            out.setdefault(str(story), str(title or ident))
        return out

    def story_key(self, story: str) -> str:
        """A digest of the story's members and their current contents (changes when either does)."""
        rows = self.db.execute(
            "SELECT a.id, a.content_hash FROM story_members m JOIN articles a ON a.rowid = m.article "
            "WHERE m.story = ? ORDER BY a.rowid",
            (story,),
        ).fetchall()
        h = hashlib.blake2b(digest_size=12)
        for ident, digest in rows:
            h.update(f"{ident}\x00{digest}\x00".encode())
        return h.hexdigest()

    def cached_analysis(self, story: str) -> tuple[str, str] | None:
        """(key, view JSON) of the cached analysis of ``story``, if any."""
        row = self.db.execute("SELECT key, view FROM analyses WHERE story = ?", (story,)).fetchone()
        return (str(row[0]), str(row[1])) if row else None

    def save_analysis(self, story: str, key: str, drift: int, view: str) -> None:
        with Transaction(self.db):
            self.db.execute(
                "INSERT OR REPLACE INTO analyses (story, key, drift, view, created_at) VALUES (?, ?, ?, ?, ?)",
                (story, key, drift, view, now()),
            )

    def story_of(self, article_id: str) -> str:
        row = self.db.execute(
            "SELECT m.story FROM story_members m JOIN articles a ON a.rowid = m.article WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise InputError(f"no article {article_id!r} in store {str(self.path)!r}")
        return str(row[0])

    def article_record(self, article_id: str) -> dict[str, object]:
        """An article's metadata, story and every revision (oldest first) with its text."""
        row = self.db.execute(
            "SELECT a.rowid, a.id, a.revision, a.title, a.source, a.url, a.published, a.path, a.line, m.story "
            "FROM articles a LEFT JOIN story_members m ON m.article = a.rowid WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise InputError(f"no article {article_id!r} in store {str(self.path)!r}")
        revisions = [
            {"revision": r[0], "title": r[1], "published": r[2], "ingested_at": r[3], "text": r[4]}
            for r in self.db.execute(
                "SELECT revision, title, published, ingested_at, text FROM revisions WHERE article = ? "
                "ORDER BY revision",
                (row[0],),
            )
        ]
        keys = ("id", "revision", "title", "source", "url", "published", "path", "line", "story")
        return {**dict(zip(keys, row[1:], strict=True)), "revisions": revisions}
