from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pytest

from storytrace.records import Report
from storytrace.story.group import (
    WhenCues,
    average_link,
    knn_pairs,
    name_tokens,
    score_pair,
    when_agreement,
    when_cues,
)

from ..conftest import S000, S001, S002, S003, S004


def test_average_link_does_not_chain() -> None:
    # a-b and b-c are similar, a-c is not: single linkage would chain all three
    edges = {(0, 1): 0.9, (1, 2): 0.6, (2, 3): 0.9}
    assert average_link(4, edges, 0.5) == [(0, 1), (2, 3)]
    assert average_link(4, {(0, 1): 0.9, (1, 2): 0.9, (0, 2): 0.8}, 0.5) == [(0, 1, 2), (3,)]


def test_knn_pairs_are_nearest() -> None:
    vecs = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.1, 0.99]], dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    pairs = knn_pairs(vecs, 1)
    assert set(pairs) == {(0, 1), (2, 3)}


def test_name_tokens() -> None:
    toks = name_tokens("The Kremlin said Putin will visit Pyongyang on Tuesday with 11,000 guards.")
    assert {"kremlin", "putin", "pyongyang", "11000"} <= set(toks)
    assert "the" not in toks and "tuesday" not in toks


QUAKE_2009 = (
    "A 6.3-magnitude earthquake struck central Italy on Monday, April 6, 2009, killing at least 150 "
    "people in and around L'Aquila. Rescuers worked through the night, officials said on Tuesday."
)
QUAKE_2009_FOLLOWUP = (
    "The death toll from Monday's earthquake in the Abruzzo region rose to 207 on Tuesday, as "
    "aftershocks rattled L'Aquila. Prime Minister Silvio Berlusconi declared a state of emergency."
)
QUAKE_2016 = (
    "A magnitude 6.2 earthquake hit central Italy early on Wednesday, August 24, 2016, flattening "
    "the town of Amatrice. Officials said on Thursday that 247 people had died."
)


def test_when_cues_names_years_months_and_weekdays() -> None:
    cues = when_cues(QUAKE_2009)
    assert cues.years == {2009} and cues.months == {4}
    assert cues.weekdays == {0, 1}  # Monday, Tuesday
    assert cues.days == {date(2009, 4, 6)}  # the full date; weekdays need a publication date
    # "may" the modal verb and "the 1990s" are no time cues
    plain = when_cues("Officials may say more in the coming days about the 1990s inquiry.")
    assert plain == WhenCues()


def test_when_cues_resolve_weekdays_against_publication() -> None:
    published = datetime(2009, 4, 7, 9, 30)  # a Tuesday
    cues = when_cues(QUAKE_2009_FOLLOWUP + " Schools stay closed today.", published)
    assert cues.days == {date(2009, 4, 6), date(2009, 4, 7)}  # Monday's quake; Tuesday = today
    assert when_cues("The verdict came yesterday.", published).days == {date(2009, 4, 6)}


def test_when_agreement_same_event_and_other_event() -> None:
    a, follow, other = when_cues(QUAKE_2009), when_cues(QUAKE_2009_FOLLOWUP), when_cues(QUAKE_2016)
    # the follow-up names no year or month: only the weekdays are compared (Monday, Tuesday)
    assert when_agreement(a, follow) == (1.0, 0.0)
    # another earthquake: other year, month and weekdays
    assert when_agreement(a, other) == (0.0, 1.0)
    # an article without time cues neither agrees nor conflicts
    assert when_agreement(a, WhenCues()) == (0.0, 0.0)
    # resolved days are compared when both articles have them: the same weekday a week apart conflicts
    monday = when_cues("It happened on Monday.", datetime(2009, 4, 7))
    monday_later = when_cues("It happened on Monday.", datetime(2009, 4, 14))
    assert when_agreement(monday, monday_later) == (0.0, 1.0)
    undated = when_cues("It happened on Monday."), when_cues("Monday, it happened.")
    assert when_agreement(*undated) == (1.0, 0.0)


def test_score_pair_time_cues_separate_events_of_one_kind() -> None:
    # two reports of the same kind of event: little shared wording, close embeddings
    same = score_pair(0.2, 0.75, 0.15, 0.0, when=(1.0, 0.0))
    unknown = score_pair(0.2, 0.75, 0.15, 0.0)
    other = score_pair(0.2, 0.75, 0.15, 0.0, when=(0.0, 1.0))
    assert other < unknown < same
    assert unknown == pytest.approx(0.4 * 0.2 + 0.1 * 0.8 + 0.5 * 0.15)
    # a near copy stays one story whatever its dates say; scores stay in [0, 1]
    assert score_pair(0.9, 0.99, 0.9, 0.8, (1.0, 0.0)) == 1.0
    assert score_pair(0.9, 0.99, 0.9, 0.8, (0.0, 1.0)) >= 0.85
    assert score_pair(0.0, 0.1, 0.0, 0.0, (0.0, 1.0)) == 0.0


@pytest.mark.slow
def test_seeds_are_one_story(seeds_report: Report) -> None:
    multi = [s for s in seeds_report.stories if len(s.articles) > 1]
    assert len(multi) == 1
    assert set(multi[0].articles) == {S000, S001, S002, S003, S004}


@pytest.mark.slow
def test_example_story_and_unrelated(example_report: Report, truth: dict[str, Any]) -> None:
    stories = {frozenset(s.articles) for s in example_report.stories}
    assert frozenset(truth["story_articles"]) in stories
    assert frozenset(truth["unrelated"]) in stories
    assert len(stories) == 2
