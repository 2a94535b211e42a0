"""export: ``storytrace export --db FILE --out DIR [--html]``. The store's stories as report.json,
the same contract as ``analyze`` (format 1), plus what only a store knows:

- each story's ``state`` (``analysed``, ``pending``: its articles changed since it was analysed,
  ``too-large``: its analysis ran over ``story_time_limit`` in ``serve``), when it was
  ``created``, the ids it ``absorbed`` and its ``history`` (created, joined, merge, split, moved,
  left, emptied: each with its time and articles);
- each article's ``revision``, when it was first ``seen`` (never its publication time), its
  ``headline`` and ``outlet``, and its ``revisions`` (number, time, content hash);
- a ``store`` section: counts and the settings the stories were analysed with.

Story ids are the store's stable ids; articles that cannot be analysed (too large, no text left
after cleaning) are listed under ``skipped`` as ``analyze`` lists them. By default the store is
brought up to date first (:func:`~storytrace.corpus.update.update`), so the export holds
``analyze``'s answer for the store's articles.
"""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..config import Config
from ..records import Report, Skipped, Story
from ..render.report import to_json
from ..version import __version__
from .prepared import NOT_ANALYSIS
from .store import Progress, SQLiteStore


def store_report(store: SQLiteStore) -> tuple[Report, dict[str, Any]]:
    """The store as a :class:`~storytrace.records.Report` (stories in order of creation), and the
    store-only fields of each story and article."""
    from .update import stale_stories

    pending = {story for story, _, _ in stale_stories(store)}
    members = store.story_members()
    ok_rowids = store.grouping_scope(window=False)
    _, articles, _ = store.prepared_articles(ok_rowids)
    stories: list[Story] = []
    states: dict[str, dict[str, Any]] = {}
    live = [s for (s,) in store.db.execute("SELECT id FROM stories WHERE merged_into IS NULL ORDER BY seq")]
    for story in live:
        if story not in members:
            continue
        ids = tuple(sorted(ident for _, ident, _ in members[story]))
        found = store.analysis(story)
        record = found[2] if found is not None else None
        if story in pending or record is None:
            state = "pending" if story in pending else (found[1] if found else "pending")
            stories.append(Story(id=story, articles=ids, origin=None))
            states[story] = {"state": state, "message": found[3] if found else None}
        else:
            stories.append(replace(record, id=story))
            states[story] = {"state": "analysed", "message": None}
    skipped = [Skipped(path or ident, line, reason) for ident, path, line, reason in store.skipped_articles()]
    return Report(__version__, tuple(articles), tuple(stories), tuple(skipped)), states


def export_document(store: SQLiteStore) -> tuple[Report, dict[str, Any]]:
    """The report and its report.json document with the store's fields."""
    report, states = store_report(store)
    doc = to_json(report)
    db = store.db
    created = {str(s): str(c) for s, c in db.execute("SELECT id, created_at FROM stories")}
    absorbed: dict[str, list[str]] = {}
    for sid, kept in db.execute(
        "SELECT id, merged_into FROM stories WHERE merged_into IS NOT NULL ORDER BY seq"
    ):
        absorbed.setdefault(store.resolve(str(kept)), []).append(str(sid))
    for story in doc["stories"]:
        story.update(states[story["id"]])
        story["created"] = created.get(story["id"])
        story["absorbed"] = absorbed.get(story["id"], [])
        story["history"] = store.history(story["id"])
    info: dict[str, dict[str, Any]] = {}
    for ident, revision, seen, headline, outlet in db.execute(
        "SELECT id, revision, seen, headline, outlet FROM articles"
    ):
        info[str(ident)] = {"revision": revision, "seen": seen, "headline": headline, "outlet": outlet,
                            "revisions": []}  # fmt: skip
    for ident, revision, at, digest in db.execute(
        "SELECT a.id, r.revision, r.ingested_at, r.content_hash FROM revisions r JOIN articles a "
        "ON a.rowid = r.article ORDER BY a.rowid, r.revision"
    ):
        info[str(ident)]["revisions"].append(
            {"revision": revision, "ingested_at": at, "content_hash": digest}
        )
    for article in doc["articles"]:
        article.update(info.get(article["id"], {}))
    n_articles, n_stories = store.counts()
    doc["store"] = {
        "articles": n_articles,
        "stories": n_stories,
        "pending": sorted(s for s, v in states.items() if v["state"] == "pending"),
        "too_large": sorted(s for s, v in states.items() if v["state"] == "too-large"),
        "config": {k: v for k, v in asdict(store.config).items() if k not in NOT_ANALYSIS},
    }
    return report, doc


def export(
    db: str | Path,
    out: str | Path,
    config: Config | None = None,
    *,
    html: bool = False,
    bring_up_to_date: bool = True,
    progress: Progress | None = None,
) -> tuple[Path, Path | None, dict[str, Any]]:
    """Write ``out/report.json`` (and with ``html`` ``out/report.html``) for the store ``db``;
    returns both paths and the document."""
    from .update import update

    with SQLiteStore(db, config, create=False) as store:
        if bring_up_to_date:
            update(store, progress=progress)
        report, doc = export_document(store)
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    path = target / "report.json"
    tmp = target / ".report.json.tmp"
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    html_path = None
    if html:
        from ..render.html_report import write_html

        html_path = write_html(report, target)
    return path, html_path, doc
