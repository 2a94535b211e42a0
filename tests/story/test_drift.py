from __future__ import annotations

from typing import Any

import pytest

from storytrace.records import Report
from storytrace.story.drift import compare
from storytrace.text.mentions import SentenceFacts, sentence_facts
from storytrace.text.nlp import parse

from ..conftest import S000, S001, S002, S003, S004, story_of


def _facts(*texts: str) -> list[SentenceFacts]:
    return [sentence_facts(t, d) for t, d in zip(texts, parse(list(texts)), strict=True)]


def _changes(src: str, tgt: str, strong: bool = False) -> list[tuple[str, str, str, bool]]:
    a, b = _facts(src, tgt)
    return [(c.kind, c.before, c.after, c.variant) for c in compare(a, b, strong)]


@pytest.mark.parametrize(
    ("src", "tgt", "expected"),
    [
        ("The canal will cost 3.4 billion dollars.", "The canal will cost 3.4 million dollars.",
         [("number", "3.4 billion", "3.4 million", False)]),
        ("The office said on Thursday that work starts.", "The office said on Tuesday that work starts.",
         [("date", "on Thursday", "on Tuesday", False)]),
        ("Minister Lennart Hvidsteen confirmed the date.", "Minister Lennart Hvidsten confirmed the date.",
         [("name", "Hvidsteen", "Hvidsten", True)]),
        ('"We welcome every partner," Vasko said.', '"We receive every partner," Vasko said.',
         [("quote", "welcome", "receive", False)]),
        ("She said the deal would not be directed against any neighbour.",
         "She said the deal would be directed against any neighbour.",
         [("negation", "would not be directed", "would be directed", False)]),
        ("Seoul discussed Putin's planned visit to the north.", "Seoul discussed Putin's recent visit to the north.",
         [("status", "planned visit", "recent visit", False)]),
        ("The two leaders will sign the treaty in Tirsk.", "The two leaders signed the treaty in Tirsk.",
         [("status", "will sign", "signed", False)]),
        ("Russia and North Korea may sign a pact.", "Russia and North Korea will sign a pact.",
         [("status", "may sign", "will sign", False)]),
        ("Mayor Ana Roth opened the bridge.", "Mayor Carl Weiss opened the bridge.", []),  # a rewrite: not sure
    ],
)  # fmt: skip
def test_each_kind(src: str, tgt: str, expected: list[tuple[str, str, str, bool]]) -> None:
    assert _changes(src, tgt) == expected


def test_substituted_person_in_a_near_copy() -> None:
    assert _changes(
        "Mayor Ana Roth opened the bridge.", "Mayor Carl Weiss opened the bridge.", strong=True
    ) == [("name", "Ana Roth", "Carl Weiss", False)]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("“We’re not concerned about the trip,” he said.", '"We are not concerned about the trip," he said.'),
        ("The defence programme will cost about 50 million dollars.", "The defense program will cost around $50 million."),
        ("Ukrainian officials counted about 50 missiles in January.", "Officials in Ukraine say they counted approximately 50 missiles last January."),
        ("Putin will visit North Korea on Tuesday.", "On Tuesday, Putin is scheduled to visit North Korea."),
        ("The deal would not be directed against any other country.", "Ushakov stressed the agreement would not target any specific country."),
        ("He said 11,000 containers were shipped.", "He says 11000 containers were shipped."),
        ("The U.S. and its allies were alarmed.", "The United States and its allies were worried."),
        ("South Korea's vice foreign minister spoke.", "The South Korean Deputy Foreign Minister spoke."),
    ],
)  # fmt: skip
def test_wording_that_keeps_the_facts_is_not_drift(src: str, tgt: str) -> None:
    assert _changes(src, tgt) == []


def _drift(report: Report, source: str, target: str) -> list[Any]:
    story = story_of(report, source)
    return [d for d in story.dossier.drift if {d.source, d.target} == {source, target}]


@pytest.mark.slow
def test_seed_name_drift_000_to_003(seeds_report: Report) -> None:
    names = {(d.before, d.after, d.variant) for d in _drift(seeds_report, S000, S003) if d.kind == "name"}
    assert ("Easley", "Isley", True) in names
    assert ("Ewha", "Ewa", True) in names
    d = next(d for d in _drift(seeds_report, S000, S003) if d.before == "Easley")
    assert (d.source, d.target) == (S000, S003)
    assert "Easley" in d.source_sentence and "Isley" in d.target_sentence


@pytest.mark.slow
def test_seed_status_drift_000_to_004(seeds_report: Report) -> None:
    status = [d for d in _drift(seeds_report, S000, S004) if d.kind == "status"]
    assert any("planned" in d.before and "recent" in d.after for d in status)


@pytest.mark.slow
def test_seed_quote_drift(seeds_report: Report) -> None:
    q12 = [d for d in _drift(seeds_report, S001, S002) if d.kind == "quote"]
    assert any("Kirby" in d.source_sentence or "concern" in d.source_sentence for d in q12)
    assert any({d.before, d.after} == {"unbreakable", "indissoluble"} for d in q12)  # comrades in arms
    q03 = [d for d in _drift(seeds_report, S000, S003) if d.kind == "quote"]
    assert any(d.before == "welcome" and d.after == "receive" for d in q03)


@pytest.mark.slow
def test_seed_drift_precision(seeds_report: Report) -> None:
    """No flood of false flags: contractions, quote styles and paraphrases are not drift."""
    story = story_of(seeds_report, S000)
    assert len(story.dossier.drift) <= 12
    for d in story.dossier.drift:
        assert d.before != d.after
        assert d.kind in {"name", "number", "date", "quote", "status", "negation"}
    kirby = [d for d in story.dossier.drift if "not concerned about the trip" in d.source_sentence]
    assert kirby == []  # "We're" / "We are"


@pytest.mark.slow
def test_example_drift_every_kind(example_report: Report, truth: dict[str, Any]) -> None:
    story = story_of(example_report, truth["origin"])
    got = {(d.source, d.target, d.kind, d.before, d.after, d.variant if d.kind == "name" else False)
           for d in story.dossier.drift}  # fmt: skip
    for want in truth["drift"]:
        matches = [g for g in got if g[:3] == (want["source"], want["target"], want["kind"])
                   and want["before"].startswith(g[3].split()[0]) and g[4].split()[0] in want["after"]]  # fmt: skip
        assert matches, (want, got)
        assert matches[0][5] == want["variant"]
    assert {d.kind for d in story.dossier.drift} == {"name", "number", "date", "quote", "status", "negation"}
    assert len(story.dossier.drift) == len(truth["drift"])  # nothing flagged that was not planted


@pytest.mark.slow
def test_seeds_checklist_all_found(seeds_report: Report) -> None:
    from storytrace.story.drift import seeds_checklist

    items = seeds_checklist(seeds_report)
    assert len(items) == 13
    assert [label for label, ok in items if not ok] == []
