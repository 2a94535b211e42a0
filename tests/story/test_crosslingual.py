"""The time cues of the cross-language same-story score agree as the English ones do
(story.group.when_agreement): days are compared as dates when both articles name one, else as
weekdays, never a date with a weekday (which could only ever look like a conflict)."""

from __future__ import annotations

from collections import Counter

from storytrace.story.crosslingual import Anchors, time_agreement


def _anchors(days: set[tuple[int, int]], weekdays: set[int]) -> Anchors:
    return Anchors(Counter(), frozenset({2025}), frozenset({3}), frozenset(days), frozenset(weekdays))


def test_a_date_and_a_weekday_are_not_a_conflict() -> None:
    dated = _anchors({(3, 13)}, {3})  # "Donnerstag, 13. März 2025"
    weekday_only = _anchors(set(), {3})  # "on Thursday, in March 2025"
    assert time_agreement(dated, weekday_only) == (1.0, 0.0)
    assert time_agreement(weekday_only, dated) == (1.0, 0.0)
    other_day = _anchors(set(), {0})  # "on Monday"
    assert time_agreement(dated, other_day) == (2 / 3, 1 / 3)
    assert time_agreement(dated, _anchors({(3, 14)}, set())) == (2 / 3, 1 / 3)
