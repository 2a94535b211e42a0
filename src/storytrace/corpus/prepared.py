"""prepared: what the store keeps between runs so that the next run only does new work.

- **Prepared articles**: each article as :meth:`Pipeline.prepare_each <storytrace.pipeline.Pipeline.prepare_each>`
  made it (cleaned text, sentences, removed parts, credits; or why it cannot be analysed) and its
  document vector. Its ``key`` digests everything the preparation depended on: the revision's
  content, which of its short lines were site furniture (a line repeated in
  ``furniture_min_repeats`` articles of the store, counted over the whole store exactly as
  ``analyze`` counts over its inputs), the preparation settings and the storytrace version. An
  article is prepared again when its content changes or when one of its short lines crosses the
  repeat threshold (the lines whose count changed are kept in ``dirty_lines`` until then).
- **Analyses**: each story's :class:`~storytrace.records.Story` record and its web view, keyed by
  the analysis settings, the version and the keys of its members; a story is analysed again
  exactly when that key changes.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from ..records import Article, Story
from ..version import __version__
from .browse import now
from .codec import article_from_json, dumps, story_from_json
from .schema import StoreBase

#: settings that never change a story's analysis (operational, or used by other commands)
NOT_ANALYSIS = frozenset(
    {"batch_size", "max_file_bytes", "engine", "spark_master", "dedup_threshold", "dedup_shingle_size",
     "semantic_threshold", "story_time_limit", "group_window_days", "workers", "watch"}
)  # fmt: skip
#: the settings an article's preparation depends on
PREPARATION = ("furniture_min_repeats", "max_article_chars", "model")
_CHUNK = 500


def _digest(*parts: object) -> str:
    h = hashlib.blake2b(digest_size=12)
    for part in parts:
        h.update(str(part).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _utc(value: str) -> datetime:
    when = datetime.fromisoformat(value)
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


class PreparedState(StoreBase):
    """Prepared articles, repeat counts and story analyses (mixed into the SQLite store)."""

    # -- settings digests ---------------------------------------------------------------

    def preparation_salt(self) -> str:
        settings = {k: getattr(self.config, k) for k in PREPARATION}
        return _digest(__version__, json.dumps(settings, sort_keys=True))

    def analysis_salt(self) -> str:
        settings = {k: v for k, v in asdict(self.config).items() if k not in NOT_ANALYSIS}
        return _digest(__version__, json.dumps(settings, sort_keys=True, default=str))

    # -- what needs preparing -----------------------------------------------------------

    def stale_articles(self) -> tuple[list[int], int]:
        """Articles to prepare (new or revised content, other settings, or a short line that
        crossed the repeat threshold), in order of arrival, and the ``dirty_lines`` sequence
        number they account for."""
        upto = int(self.meta("dirty_seq", "0"))
        salt = self.preparation_salt()
        if self.meta("preparation_salt") != salt:
            with self._transaction():
                self.db.execute("DELETE FROM prepared")
                self.set_meta("preparation_salt", salt)
        stale = {
            int(r[0])
            for r in self.db.execute(
                "SELECT a.rowid FROM articles a LEFT JOIN prepared p ON p.article = a.rowid "
                "WHERE p.article IS NULL OR p.content_hash != a.content_hash"
            )
        }
        dirty = [str(r[0]) for r in self.db.execute("SELECT key FROM dirty_lines WHERE seq <= ?", (upto,))]
        candidates: set[int] = set()
        for part in _chunks(dirty):
            candidates |= {
                int(r[0])
                for r in self.db.execute(
                    f"SELECT DISTINCT article FROM repeat_lines WHERE key IN ({','.join('?' * len(part))})",
                    part,
                )
            }
        candidates -= stale
        if candidates:
            now_furniture = self.furniture(sorted(candidates))
            for rowid, furniture in self.db_prepared_furniture(sorted(candidates)).items():
                if now_furniture.get(rowid, "") != furniture:
                    stale.add(rowid)
        return sorted(stale), upto

    def db_prepared_furniture(self, rowids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for part in _chunks(rowids):
            for rowid, furniture in self.db.execute(
                f"SELECT article, furniture FROM prepared WHERE article IN ({','.join('?' * len(part))})",
                part,
            ):
                out[int(rowid)] = str(furniture)
        return out

    def _keys_of(self, rowids: Sequence[int]) -> dict[int, list[str]]:
        keys: dict[int, list[str]] = defaultdict(list)
        for part in _chunks(rowids):
            for key, article in self.db.execute(
                f"SELECT key, article FROM repeat_lines WHERE article IN ({','.join('?' * len(part))})", part
            ):
                keys[int(article)].append(str(key))
        return keys

    def repeat_counts(self, keys: Iterable[str]) -> dict[str, int]:
        """For each short line: how many stored articles have it."""
        wanted = sorted(set(keys))
        counts: dict[str, int] = {}
        for part in _chunks(wanted):
            for key, count in self.db.execute(
                f"SELECT key, count(*) FROM repeat_lines WHERE key IN ({','.join('?' * len(part))}) GROUP BY key",
                part,
            ):
                counts[str(key)] = int(count)
        return counts

    def furniture(self, rowids: Sequence[int]) -> dict[int, str]:
        """Per article: a digest of its short lines that are furniture now (repeated in at least
        ``furniture_min_repeats`` stored articles)."""
        keys = self._keys_of(rowids)
        counts = self.repeat_counts(k for ks in keys.values() for k in ks)
        least = self.config.furniture_min_repeats
        return {
            rowid: _digest(*sorted(k for k in keys.get(rowid, []) if counts.get(k, 0) >= least))
            for rowid in rowids
        }

    def clear_dirty(self, upto: int) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM dirty_lines WHERE seq <= ?", (upto,))

    # -- saving and loading prepared articles ------------------------------------------------

    def save_prepared(
        self,
        rows: Sequence[tuple[int, str, Article | str, npt.NDArray[np.float32] | None]],
        content: dict[int, str],
    ) -> None:
        """Store (rowid, furniture digest, prepared article or reason, document vector) rows in
        one transaction; ``content`` maps each rowid to the content hash it was prepared from."""
        salt = self.preparation_salt()
        with self._transaction():
            for rowid, furniture, done, vector in rows:
                key = _digest(content[rowid], furniture, salt)
                if isinstance(done, Article):
                    record, reason, state = dumps(done), None, "ok"
                else:
                    record, reason, state = None, done, "skipped"
                self.db.execute(
                    "INSERT OR REPLACE INTO prepared (article, content_hash, furniture, key, state, reason, record, "
                    "vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (rowid, content[rowid], furniture, key, state, reason, record,
                     None if vector is None else vector.astype(np.float32).tobytes()),
                )  # fmt: skip
            self._bump("prepared_gen")

    def content_hashes(self, rowids: Sequence[int]) -> dict[int, str]:
        out: dict[int, str] = {}
        for part in _chunks(rowids):
            for rowid, digest in self.db.execute(
                f"SELECT rowid, content_hash FROM articles WHERE rowid IN ({','.join('?' * len(part))})", part
            ):
                out[int(rowid)] = str(digest)
        return out

    def grouping_scope(self, window: bool = True) -> list[int]:
        """The prepared articles the next grouping covers, in order of arrival: all of them, or with
        ``group_window_days`` (and ``window``) those seen or published within that many days of the
        newest."""
        rows = self.db.execute(
            "SELECT a.rowid, coalesce(a.published, a.seen) FROM prepared p JOIN articles a ON a.rowid = p.article "
            "WHERE p.state = 'ok' AND p.content_hash = a.content_hash ORDER BY a.rowid"
        ).fetchall()
        days = self.config.group_window_days if window else 0
        if not days or not rows:
            return [int(r[0]) for r in rows]
        times = {int(r[0]): _utc(str(r[1])) for r in rows}
        newest = max(times.values())
        return [rowid for rowid, when in times.items() if when >= newest - timedelta(days=days)]

    def prepared_articles(
        self, rowids: Sequence[int]
    ) -> tuple[list[int], list[Article], npt.NDArray[np.float32]]:
        """The prepared articles among ``rowids`` (state ok) in that order: their rowids, the
        articles and their document vectors."""
        found: dict[int, tuple[str, bytes]] = {}
        for part in _chunks(rowids):
            for rowid, record, vector in self.db.execute(
                f"SELECT article, record, vector FROM prepared WHERE state = 'ok' AND article IN "
                f"({','.join('?' * len(part))})",
                part,
            ):
                found[int(rowid)] = (str(record), bytes(vector))
        kept = [r for r in rowids if r in found]
        articles = [article_from_json(found[r][0]) for r in kept]
        vectors = [np.frombuffer(found[r][1], dtype=np.float32) for r in kept]
        matrix = np.stack(vectors) if vectors else np.zeros((0, 0), dtype=np.float32)
        return kept, articles, matrix

    def skipped_articles(self) -> list[tuple[str, str | None, int | None, str]]:
        """(id, path, line, reason) of the stored articles that cannot be analysed."""
        return [
            (str(r[0]), r[1], r[2], str(r[3]))
            for r in self.db.execute(
                "SELECT a.id, a.path, a.line, p.reason FROM prepared p JOIN articles a ON a.rowid = p.article "
                "WHERE p.state = 'skipped' AND p.content_hash = a.content_hash ORDER BY a.rowid"
            )
        ]

    # -- story analyses -----------------------------------------------------------------

    def story_members(self) -> dict[str, list[tuple[int, str, str]]]:
        """Per live story: (rowid, article id, prepared key) of its members, in order of arrival."""
        out: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        for story, rowid, ident, key in self.db.execute(
            "SELECT m.story, a.rowid, a.id, coalesce(p.key, '') FROM story_members m JOIN articles a ON "
            "a.rowid = m.article LEFT JOIN prepared p ON p.article = a.rowid ORDER BY a.rowid"
        ):
            out[str(story)].append((int(rowid), str(ident), str(key)))
        return dict(out)

    def analysis_key(self, members: Sequence[tuple[int, str, str]]) -> str:
        """The key of a story's analysis: the settings, the version and its members' prepared keys."""
        return _digest(self.analysis_salt(), *sorted(f"{ident}\x01{key}" for _, ident, key in members))

    def analysis_states(self) -> dict[str, tuple[str, str]]:
        """Per story with an analysis: (key, state)."""
        return {
            str(r[0]): (str(r[1]), str(r[2]))
            for r in self.db.execute("SELECT story, key, state FROM analyses")
        }

    def save_analysis(
        self, story: str, key: str, record: Story | None, view: dict[str, Any] | None, seconds: float,
        state: str = "ok", message: str | None = None,
    ) -> None:  # fmt: skip
        with self._transaction():
            self.db.execute(
                "INSERT OR REPLACE INTO analyses (story, key, state, drift, record, view, message, analysed_at, "
                "seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (story, key, state, None if record is None else len(record.dossier.drift),
                 None if record is None else dumps(record),
                 None if view is None else json.dumps(view, ensure_ascii=False), message, now(), seconds),
            )  # fmt: skip
            if view is not None:
                self.db.execute(
                    "UPDATE stories SET title = ?, updated_at = ? WHERE id = ?", (view["title"], now(), story)
                )

    def analysis(self, story: str) -> tuple[str, str, Story | None, str | None] | None:
        """(key, state, story record, message) of a story's analysis, if any."""
        row = self.db.execute(
            "SELECT key, state, record, message FROM analyses WHERE story = ?", (story,)
        ).fetchone()
        if row is None:
            return None
        return str(row[0]), str(row[1]), story_from_json(row[2]) if row[2] else None, row[3]

    def analysis_view(self, story: str) -> tuple[str, str, str | None, str | None] | None:
        """(key, state, view JSON, message) of a story's analysis, if any."""
        row = self.db.execute(
            "SELECT key, state, view, message FROM analyses WHERE story = ?", (story,)
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]), row[2], row[3])
