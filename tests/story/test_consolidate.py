from __future__ import annotations

from typing import Any

import pytest

from storytrace.records import Report

from ..conftest import S000, S001, S002, S003, S004, story_of


def _fact(report: Report, article: str, *needles: str) -> Any:
    story = story_of(report, article)
    found = [f for f in story.dossier.facts if all(n in f.text for n in needles)]
    assert found, needles
    return found[0]


@pytest.mark.slow
def test_seed_facts_and_support(seeds_report: Report) -> None:
    july = _fact(seeds_report, S000, "July 2000")
    assert len(july.sources) >= 3
    vietnam = _fact(seeds_report, S000, "Vietnam", "June 19-20")
    assert {S000, S003, S004} <= set(vietnam.sources)
    missiles = _fact(seeds_report, S000, "50 such missiles")
    assert {S000, S003, S004} <= set(missiles.sources)
    containers = _fact(seeds_report, S004, "11,000 containers")
    assert containers.sources == (S004,) and containers.single_source


@pytest.mark.slow
def test_seed_timeline(seeds_report: Report) -> None:
    timeline = story_of(seeds_report, S000).dossier.timeline
    dated = {(t.date, t.end) for t in timeline}
    assert ("2024-06-18", "2024-06-19") in dated  # the visit, "June 18-19"
    assert any(t.date == "2023-09" and "Vostochny" in t.event for t in timeline)
    assert any(t.date == "2000-07" and "2000" in t.event for t in timeline)
    assert [t.date for t in timeline] == sorted(t.date for t in timeline)


@pytest.mark.slow
def test_seed_quotes_with_speakers_and_renderings(seeds_report: Report) -> None:
    quotes = story_of(seeds_report, S000).dossier.quotes
    kirby = [q for q in quotes if q.speaker and "Kirby" in q.speaker]
    trip = next(q for q in kirby if any("about the trip" in r.text for r in q.renderings))
    # "We're" and "We are" are one rendering carried by both sources
    assert len(trip.renderings) == 1 and set(trip.renderings[0].sources) == {S001, S002}
    kim = next(q for q in quotes if any("comrades" in r.text for r in q.renderings))
    assert len(kim.renderings) == 2
    assert {s for r in kim.renderings for s in r.sources} == {S001, S002}
    easley = next(q for q in quotes if any("list of countries" in r.text for r in q.renderings))
    assert easley.speaker == "Leif-Eric Easley"
    assert {s for r in easley.renderings for s in r.sources} >= {S000, S003}


@pytest.mark.slow
def test_seed_entities_and_summary(seeds_report: Report) -> None:
    dossier = story_of(seeds_report, S000).dossier
    by_name = {e.name: e for e in dossier.entities}
    assert "a professor at Ewha University in Seoul" in by_name["Leif-Eric Easley"].roles
    assert any("spokes" in r for r in by_name["John Kirby"].roles)
    assert by_name["Vladimir Putin"].type == "PERSON" and len(by_name["Vladimir Putin"].sources) == 5
    assert 3 <= len(dossier.summary) <= 6
    assert all(s.sources for s in dossier.summary)
    assert dossier.summary[0].text.startswith("Russian President Vladimir Putin will visit North Korea")
    all_ids = {S000, S001, S002, S003, S004}
    assert all(set(s.sources) <= all_ids for s in dossier.summary)


@pytest.mark.slow
def test_example_facts_conflict_and_single_source(example_report: Report, truth: dict[str, Any]) -> None:
    dossier = story_of(example_report, truth["origin"]).dossier
    for item in truth["shared_facts"]:
        facts = [f for f in dossier.facts if item["text_contains"] in f.text]
        carried = {s for f in facts for s in f.sources}
        assert len(carried) >= 3, item
    for item in truth["single_source_facts"]:
        fact = next(f for f in dossier.facts if item["text_contains"] in f.text)
        assert fact.single_source and fact.sources == (item["article"],)
    conflict = truth["conflict"]
    notes = [c for f in dossier.facts for c in f.conflicts]
    assert any(conflict["before"] in c and conflict["after"] in c and all(a in c for a in conflict["articles"])
               for c in notes), notes  # fmt: skip
    assert len(set(notes)) == 3  # the two planted drifts seen as disagreements, and the honest conflict


def test_zero_figures_do_not_break_conflicts() -> None:
    import numpy as np

    from storytrace.story.consolidate import Claim, _Conflicts, _figure_conflicts
    from storytrace.text.mentions import NumberMention, SentenceFacts

    def facts(text: str, value: float) -> SentenceFacts:
        return SentenceFacts(
            text, (NumberMention(str(int(value)), value, "worker", False),), (), (), (), (), ()
        )

    claims = [Claim((("a", 0),), ("a",), ("a", 0)), Claim((("b", 0),), ("b",), ("b", 0)),
              Claim((("c", 0),), ("c",), ("c", 0))]  # fmt: skip
    index = {
        ("a", 0): facts("3 workers", 3),
        ("b", 0): facts("0 workers", 0),
        ("c", 0): facts("4 workers", 4),
    }
    vec = np.ones((1, 4), dtype=np.float32) / 2.0
    notes = {k: _Conflicts() for k in range(3)}
    _figure_conflicts(claims, notes, index, [], {"a": vec, "b": vec, "c": vec})
    assert notes[1].notes() == ()  # zero is no figure to compare
    assert notes[0].notes() == ("number: '3' (a) vs '4' (c)",)
