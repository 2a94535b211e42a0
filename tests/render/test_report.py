from __future__ import annotations

import json
from pathlib import Path

import pytest

from storytrace import __version__
from storytrace.records import Report
from storytrace.render.report import summary, to_json, write_json


@pytest.mark.slow
def test_report_json_contract(example_report: Report, tmp_path: Path) -> None:
    path = write_json(example_report, tmp_path / "out")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["storytrace"] == __version__
    assert set(data) >= {"storytrace", "articles", "stories", "skipped"}
    for art in data["articles"]:
        assert set(art) >= {"id", "title", "source", "url", "published", "sentences", "removed"}
        assert isinstance(art["sentences"], int) and art["sentences"] > 0
        for r in art["removed"]:
            assert r["kind"] in {"caption", "comment", "boilerplate", "related", "credit", "other"}
            assert r["text"]
    for story in data["stories"]:
        assert set(story) >= {"id", "articles", "origin", "derivations"}
        for d in story["derivations"]:
            assert set(d) >= {
                "source",
                "target",
                "relation",
                "confidence",
                "verbatim",
                "paraphrase",
                "added",
                "dropped",
                "evidence",
            }
            assert d["relation"] in {"copy", "rewrite", "partial"}
            assert 0.0 <= d["confidence"] <= 1.0
            assert d["evidence"] and all(isinstance(e, str) for e in d["evidence"])
    story = next(s for s in data["stories"] if "meridian-original" in s["articles"])
    assert set(story) >= {"drift", "quotes", "facts", "entities", "timeline", "summary"}
    for d in story["drift"]:
        assert set(d) >= {
            "source",
            "target",
            "kind",
            "before",
            "after",
            "source_sentence",
            "target_sentence",
            "variant",
        }
        assert d["kind"] in {"name", "number", "date", "quote", "status", "negation", "other"}
        assert isinstance(d["variant"], bool) if d["kind"] == "name" else d["variant"] is None
        assert d["before"] in d["source_sentence"] or d["kind"] == "quote"
    for q in story["quotes"]:
        assert set(q) == {"speaker", "renderings"} and all(
            r["text"] and r["sources"] for r in q["renderings"]
        )
    for f in story["facts"]:
        assert set(f) >= {"text", "sources", "single_source", "conflicts"}
        assert f["single_source"] == (len(f["sources"]) == 1)
    for e in story["entities"]:
        assert set(e) >= {"name", "type", "roles", "sources"}
    dates = [t["date"] for t in story["timeline"]]
    assert dates == sorted(dates) and all(len(d) in (4, 7, 10) for d in dates)
    assert 3 <= len(story["summary"]) <= 6 and all(s["sources"] for s in story["summary"])
    # the user's own ids everywhere
    ids = {a["id"] for a in data["articles"]}
    assert ids == {
        "meridian-original",
        "dailyvoice-copy",
        "portal24-furniture",
        "globewire-retranslated",
        "clickfeed-rewrite",
        "northstar-report",
        "unrelated-bakery",
    }
    northstar = next(a for a in data["articles"] if a["id"] == "northstar-report")
    assert northstar["source"] == "Northstar News" and northstar["published"].startswith("2025-03-")
    assert not list(tmp_path.joinpath("out").glob(".*.tmp"))


@pytest.mark.slow
def test_summary_lists_stories_families_and_removals(example_report: Report) -> None:
    text = summary(example_report)
    assert "likely original meridian-original" in text
    assert "meridian-original -> portal24-furniture  copy" in text
    assert "independent: northstar-report" in text
    assert "dailyvoice-copy: 1 caption, 2 comment" in text


def test_to_json_of_empty_report() -> None:
    data = to_json(Report("0", (), (), ()))
    assert data["articles"] == [] and data["stories"] == [] and data["skipped"] == []
