"""Comparing a store's export with analyze's report.json."""

from __future__ import annotations

from typing import Any

#: the fields export adds to analyze's story and article records
STORE_STORY_FIELDS = {"id", "state", "message", "created", "absorbed", "history"}
STORE_ARTICLE_FIELDS = {"revision", "seen", "headline", "outlet", "revisions"}


def by_members(doc: dict[str, Any]) -> dict[frozenset[str], dict[str, Any]]:
    """Stories keyed by their set of articles, without their id and the store's fields."""
    return {
        frozenset(s["articles"]): {k: v for k, v in s.items() if k not in STORE_STORY_FIELDS}
        for s in doc["stories"]
    }


def articles(doc: dict[str, Any], fields: set[str]) -> dict[str, dict[str, Any]]:
    return {a["id"]: {k: v for k, v in a.items() if k in fields} for a in doc["articles"]}


def assert_same_answers(store_doc: dict[str, Any], analyze_doc: dict[str, Any]) -> None:
    """The same stories with the same origins, families, derivations, drift and dossier, and the
    same prepared articles (what was removed, credits, sentences), whatever the story ids."""
    ours, theirs = by_members(store_doc), by_members(analyze_doc)
    assert set(ours) == set(theirs), "different stories"
    for members, story in theirs.items():
        mine = ours[members]
        assert mine["origin"] == story["origin"], sorted(members)
        edges = {(d["source"], d["target"], d["relation"]) for d in mine["derivations"]}
        assert edges == {(d["source"], d["target"], d["relation"]) for d in story["derivations"]}
        drift = {(x["source"], x["target"], x["kind"], x["before"], x["after"]) for x in mine["drift"]}
        assert drift == {
            (x["source"], x["target"], x["kind"], x["before"], x["after"]) for x in story["drift"]
        }
        assert mine == story, f"story {sorted(members)[:3]} differs in " + ", ".join(
            k for k in story if story[k] != mine.get(k)
        )
    fields = set(analyze_doc["articles"][0]) - STORE_ARTICLE_FIELDS if analyze_doc["articles"] else set()
    assert articles(store_doc, fields) == articles(analyze_doc, fields)
