"""browse: the store's read-only queries for people browsing it (the web app): full-text search,
the filtered story list with headlines, outlets and publication dates, and an article with its
revisions and what cleaning removed from it."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

from ..errors import InputError
from .schema import FTS_TOKEN, NotFoundError, StoreBase


def now() -> str:
    """The current UTC time as the store writes it (ISO 8601, seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


class BrowseQueries(StoreBase):
    """Queries over an open store connection (mixed into :class:`~storytrace.corpus.store.SQLiteStore`)."""

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
        pending: frozenset[str] = frozenset(),
    ) -> tuple[list[dict[str, object]], int]:
        """One page of live stories (newest first, or best match first with ``query``) and the
        total count. ``min_sources`` counts distinct outlets (an article without one counts alone);
        ``since``/``until`` (ISO dates) keep stories with an article published in that range;
        ``has_drift`` looks at the stories' analyses: ``pending`` (stories whose analysis is
        missing or stale) are left out of it, so the caller can say how many it did not count."""
        where: list[str] = []
        params: list[object] = []
        ranked: dict[str, int] = {}
        if query.strip():
            ranked = {story: i for i, (story, _) in enumerate(self.search(query, limit=100_000))}
            if not ranked:
                return [], 0
        for name, value in (("since", since), ("until", until)):
            try:
                if value:
                    datetime.fromisoformat(value)
            except ValueError:
                raise InputError(
                    f"{name}={value!r} is not an ISO 8601 date: expected e.g. 2025-03-13"
                ) from None
        if since:
            where.append("a.published >= ?")
            params.append(since)
        if until:
            where.append("substr(a.published, 1, 10) <= ?")
            params.append(until)
        sql = (
            "SELECT m.story, count(*), count(DISTINCT coalesce(a.outlet, 'id:' || a.id)), min(a.published), "
            "max(a.published), s.seq, an.drift, an.state, s.title FROM story_members m "
            "JOIN articles a ON a.rowid = m.article JOIN stories s ON s.id = m.story "
            "LEFT JOIN analyses an ON an.story = m.story"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " GROUP BY m.story HAVING count(DISTINCT coalesce(a.outlet, 'id:' || a.id)) >= ?"
        )
        params.append(min_sources)
        rows = self.db.execute(sql, params).fetchall()
        if ranked:  # kept here, not as one SQL parameter per story (SQLite caps their number)
            rows = [r for r in rows if r[0] in ranked]
        if has_drift is not None:
            rows = [
                r for r in rows
                if r[0] not in pending and r[7] == "ok" and ((r[6] or 0) > 0) == has_drift
            ]  # fmt: skip
        if ranked:
            rows.sort(key=lambda r: ranked[r[0]])
        else:
            rows.sort(key=lambda r: -int(r[5]))
        page = rows[offset : offset + limit]
        outlets = self._outlets([str(r[0]) for r in page])
        out: list[dict[str, object]] = [
            {"id": r[0], "title": r[8] or r[0], "articles": r[1], "sources": r[2], "outlets": outlets.get(str(r[0]), []),
             "first_published": r[3], "last_published": r[4],
             "state": "pending" if r[0] in pending else (r[7] or "pending"),
             "drift": None if r[0] in pending or r[7] != "ok" else r[6]}
            for r in page
        ]  # fmt: skip
        return out, len(rows)

    def _outlets(self, stories: Sequence[str]) -> dict[str, list[str]]:
        """The distinct outlets of each story's articles, in order of arrival."""
        if not stories:
            return {}
        out: dict[str, list[str]] = {}
        for story, outlet in self.db.execute(
            "SELECT m.story, a.outlet FROM story_members m JOIN articles a ON a.rowid = m.article "
            f"WHERE m.story IN ({','.join('?' * len(stories))}) AND a.outlet IS NOT NULL ORDER BY a.rowid",
            list(stories),
        ):
            names = out.setdefault(str(story), [])
            if outlet not in names:
                names.append(str(outlet))
        return out

    def story_of(self, article_id: str) -> str | None:
        """The story of an article (``None`` while it waits to be grouped, or cannot be analysed)."""
        row = self.db.execute(
            "SELECT a.rowid, m.story FROM articles a LEFT JOIN story_members m ON m.article = a.rowid WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in this store")
        return None if row[1] is None else str(row[1])

    def story_articles(self, story: str) -> list[dict[str, object]]:
        """The members of a story with their headline, outlet and dates, in order of arrival."""
        return [
            {"id": r[0], "headline": r[1], "outlet": r[2], "published": r[3], "seen": r[4]}
            for r in self.db.execute(
                "SELECT a.id, a.headline, a.outlet, a.published, a.seen FROM story_members m "
                "JOIN articles a ON a.rowid = m.article WHERE m.story = ? ORDER BY a.rowid",
                (story,),
            )
        ]

    def story_title(self, story: str) -> str:
        row = self.db.execute("SELECT title FROM stories WHERE id = ?", (story,)).fetchone()
        return str(row[0]) if row and row[0] else story

    def article_record(self, article_id: str) -> dict[str, object]:
        """An article's metadata, story, analysis state, what cleaning removed (``removed``, from
        its prepared form) and every revision (oldest first) with its text."""
        row = self.db.execute(
            "SELECT a.rowid, a.id, a.revision, a.title, a.source, a.url, a.published, a.path, a.line, m.story, "
            "a.headline, a.outlet, a.seen, p.state, p.reason, p.record, p.content_hash = a.content_hash "
            "FROM articles a LEFT JOIN story_members m ON m.article = a.rowid "
            "LEFT JOIN prepared p ON p.article = a.rowid WHERE a.id = ?",
            (article_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no article {article_id!r} in this store")
        revisions = [
            {"revision": r[0], "title": r[1], "published": r[2], "ingested_at": r[3], "text": r[4]}
            for r in self.db.execute(
                "SELECT revision, title, published, ingested_at, text FROM revisions WHERE article = ? "
                "ORDER BY revision",
                (row[0],),
            )
        ]
        keys = ("id", "revision", "title", "source", "url", "published", "path", "line", "story", "headline",
                "outlet", "seen")  # fmt: skip
        record: dict[str, object] = dict(zip(keys, row[1:13], strict=True))
        current = bool(row[16])
        reason: str | None
        if row[13] is None or not current:
            state, reason = "pending", "waiting to be prepared and grouped"
        elif row[13] == "skipped":
            state, reason = "not analysable", str(row[14])
        else:
            state, reason = ("grouped", None) if row[9] else ("pending", "waiting to be grouped")
        removed: list[dict[str, str]] = []
        if row[15] and current:
            removed = [
                {"kind": r["kind"], "text": r["text"], "reason": r["reason"]}
                for r in json.loads(row[15])["removed"]
            ]
        record.update(state=state, reason=reason, removed=removed, revisions=revisions)
        return record
