"""identity: stable story ids over regrouping.

After each update the store regroups its articles with ``analyze``'s grouping, so a story's
members can grow, merge with another story's or split. Story ids follow the articles:

- each existing story's *heir* is the new cluster that holds most of its grouped articles (ties:
  the cluster whose first article arrived first);
- a cluster that is the heir of one or more stories keeps the oldest of their ids; the others are
  absorbed (``merged_into``; a ``merge`` event records the ids it absorbed and their articles), so
  an absorbed id still resolves;
- a cluster that is nobody's heir is a new story; when its articles came from an existing story,
  that story records a ``split`` event (the larger part kept the id);
- a story none of whose articles is grouped any more (all revised to nothing analysable) is
  ``emptied``.

Every event names its articles; the export lists them as each story's history.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from .browse import now
from .schema import StoreBase


@dataclass
class Assignment:
    """Story ids for new clusters, and what happened to the old stories."""

    #: story id of each cluster (same order as the clusters)
    ids: list[str]
    #: clusters that need a new story id (indexes)
    new: list[int] = field(default_factory=list)
    #: absorbed story -> the story that absorbed it
    absorbed: dict[str, str] = field(default_factory=dict)


def assign(clusters: Sequence[Sequence[int]], previous: dict[int, str], seqs: dict[str, int]) -> Assignment:
    """Story ids for ``clusters`` (lists of article rowids) given each article's ``previous``
    story and the stories' sequence numbers (lower: older). New clusters get ``""``."""
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    first = [min(c) if c else 0 for c in clusters]
    for index, cluster in enumerate(clusters):
        for rowid in cluster:
            story = previous.get(rowid)
            if story is not None:
                counts[story][index] += 1
    claimants: dict[int, list[str]] = defaultdict(list)
    for story, per_cluster in counts.items():
        heir = min(per_cluster, key=lambda i: (-per_cluster[i], first[i]))
        claimants[heir].append(story)
    result = Assignment(ids=[""] * len(clusters))
    for index in range(len(clusters)):
        stories = sorted(claimants.get(index, []), key=lambda s: seqs.get(s, 1 << 62))
        if not stories:
            result.new.append(index)
            continue
        result.ids[index] = stories[0]
        for other in stories[1:]:
            result.absorbed[other] = stories[0]
    result.new.sort(key=lambda i: first[i])
    return result


class StoryIdentity(StoreBase):
    """Applies a grouping to the store's stories (mixed into the SQLite store)."""

    def apply_grouping(
        self, clusters: Sequence[Sequence[int]], outside: set[int], generation: int
    ) -> dict[str, int]:
        """Make ``clusters`` (article rowids) the stories of their articles, in one transaction, and
        record ``generation`` as grouped. ``outside``: analysable articles outside the grouping's
        window, which keep their stories; every other article not in a cluster leaves its story.
        Returns counts of what happened (new, joined, merges, splits, moved, emptied)."""
        stats: Counter[str] = Counter()
        stamp = now()
        db = self.db
        with self._transaction():
            previous = {int(a): str(s) for a, s in db.execute("SELECT article, story FROM story_members")}
            seqs = {str(s): int(q) for s, q in db.execute("SELECT id, seq FROM stories")}
            result = assign(clusters, {a: s for a, s in previous.items() if a not in outside}, seqs)
            for index in result.new:
                seq = self._bump("story_seq")
                story = f"story-{seq:06d}"
                db.execute("INSERT INTO stories (id, seq, created_at) VALUES (?, ?, ?)", (story, seq, stamp))
                result.ids[index] = story
                stats["new"] += 1
            ids = {int(r): str(i) for r, i in db.execute("SELECT rowid, id FROM articles")}
            events: list[tuple[str, str, str | None, list[int]]] = []
            moved: dict[tuple[str, str], list[int]] = defaultdict(list)
            for index, cluster in enumerate(clusters):
                story = result.ids[index]
                created = index in result.new
                joined = [r for r in cluster if r not in previous]
                if joined:
                    events.append((story, "created" if created else "joined", None, joined))
                    stats["joined"] += len(joined)
                for rowid in cluster:
                    before = previous.get(rowid)
                    if before is not None and before != story and result.absorbed.get(before) != story:
                        moved[(before, story)].append(rowid)
                    if before != story:
                        db.execute(
                            "INSERT OR REPLACE INTO story_members (article, story, joined_at) VALUES (?, ?, ?)",
                            (rowid, story, stamp),
                        )
            for (before, story), rowids in sorted(moved.items()):
                new_story = any(result.ids[i] == story for i in result.new)
                events.append((before, "split" if new_story else "moved", story, rowids))
                stats["splits" if new_story else "moved"] += 1
            for absorbed, kept in sorted(result.absorbed.items()):
                rowids = sorted(a for a, s in previous.items() if s == absorbed)
                events.append((kept, "merge", absorbed, rowids))
                db.execute(
                    "UPDATE story_members SET story = ? WHERE story = ?", (kept, absorbed)
                )  # outside the window
                db.execute("UPDATE stories SET merged_into = ? WHERE id = ?", (kept, absorbed))
                db.execute("UPDATE stories SET merged_into = ? WHERE merged_into = ?", (kept, absorbed))
                stats["merges"] += 1
            grouped = {r for c in clusters for r in c}
            leaving = sorted(a for a in previous if a not in grouped and a not in outside)
            if leaving:
                db.executemany("DELETE FROM story_members WHERE article = ?", [(a,) for a in leaving])
                by_story: dict[str, list[int]] = defaultdict(list)
                for a in leaving:
                    by_story[previous[a]].append(a)
                for story, rowids in sorted(by_story.items()):
                    events.append((story, "left", None, sorted(rowids)))
            live = {str(s) for (s,) in db.execute("SELECT DISTINCT story FROM story_members")}
            for story in sorted(set(previous.values()) - live - set(result.absorbed)):
                events.append((story, "emptied", None, []))
                stats["emptied"] += 1
            for story, event, other, rowids in events:
                db.execute(
                    "INSERT INTO story_events (story, at, event, other, articles) VALUES (?, ?, ?, ?, ?)",
                    (
                        story,
                        stamp,
                        event,
                        other,
                        json.dumps([ids[r] for r in sorted(rowids)], ensure_ascii=False),
                    ),
                )
            touched = {e[0] for e in events} | {e[2] for e in events if e[2]}
            self._retitle(sorted(touched & (live | set(result.ids))))
            self.set_meta("grouped_gen", str(generation))
        return dict(stats)

    def _retitle(self, stories: Sequence[str]) -> None:
        """Until a story is analysed, its title is the headline of its first titled article."""
        for story in stories:
            row = self.db.execute(
                "SELECT a.headline FROM story_members m JOIN articles a ON a.rowid = m.article WHERE m.story = ? "
                "ORDER BY a.title IS NULL, a.rowid LIMIT 1",
                (story,),
            ).fetchone()
            if row is not None:
                self.db.execute(
                    "UPDATE stories SET title = ?, updated_at = ? WHERE id = ?", (row[0], now(), story)
                )

    def history(self, story: str) -> list[dict[str, object]]:
        """The events of a story (and of the stories it absorbed), oldest first."""
        absorbed = [story] + [
            str(r[0]) for r in self.db.execute("SELECT id FROM stories WHERE merged_into = ?", (story,))
        ]
        rows = self.db.execute(
            f"SELECT at, story, event, other, articles FROM story_events WHERE story IN ({','.join('?' * len(absorbed))}) "
            "ORDER BY seq",
            absorbed,
        ).fetchall()
        return [
            {"at": at, "story": s, "event": event, "other": other, "articles": json.loads(articles)}
            for at, s, event, other, articles in rows
        ]
