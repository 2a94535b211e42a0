from __future__ import annotations

import pytest

from storytrace.text.mentions import (
    canonical_words,
    extract_dates,
    extract_numbers,
    extract_quotes,
    norm_name,
)


def test_numbers_with_units_and_scales() -> None:
    nums = extract_numbers("It will cost $3.4 billion, employ about 1,200 workers and 11000 guards, up 12%.")
    got = [(n.text, n.value, n.unit) for n in nums]
    assert got == [("$3.4 billion", 3.4e9, "currency"), ("1,200", 1200.0, "worker"), ("11000", 11000.0, "guard"),
                   ("12%", 12.0, "%")]  # fmt: skip
    assert nums[1].approximate and not nums[2].approximate


def test_decades_ordinals_and_dates_are_not_figures() -> None:
    text = "In the 1990s, on June 19-20 and for the 24th time, about 50 such missiles were fired."
    dates, spans = extract_dates(text)
    nums = extract_numbers(text, spans)
    assert [(n.text, n.unit) for n in nums] == [("50", "missile")]
    assert [(d.month, d.day, d.day_end) for d in dates] == [(6, 19, 20)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Putin last visited Pyongyang in July 2000.", [(2000, 7, None, None, None)]),
        ("He met Kim last September.", [(None, 9, None, None, "last")]),
        ("The ministry said on Friday that it may act in May 2025.",
         [(None, None, None, 4, None), (2025, 5, None, None, None)]),
        ("You may go, and march on.", []),
        ("It happened last year, in March this year.", [(None, None, None, None, "last"), (None, 3, None, None, None),
                                                         (None, None, None, None, "this")]),
    ],
)  # fmt: skip
def test_dates(text: str, expected: list[tuple[object, ...]]) -> None:
    dates, _ = extract_dates(text)
    assert [(d.year, d.month, d.day, d.weekday, d.relative) for d in dates] == expected


def test_date_compatibility() -> None:
    (jan,), _ = extract_dates("in January")
    (last_jan,), _ = extract_dates("last January")
    (thursday,), _ = extract_dates("on Thursday")
    (march13,), _ = extract_dates("March 13")
    assert jan.compatible(last_jan)
    assert not thursday.compatible(march13)  # nothing in common: neither confirms the other


def test_quotes_curly_straight_and_apostrophes() -> None:
    text = "“We’re ready,” he said, adding \"this is final\" and that 'the deal is done now'. It's Kim's."
    assert extract_quotes(text) == ["We’re ready,", "this is final", "the deal is done now"]


def test_canonical_words_ignore_style() -> None:
    a = canonical_words("We’re not concerned about the “comrades-in-arms” programme, 11,000 defence")
    b = canonical_words('We are not concerned about the "comrades in arms" program, 11000 defense')
    assert a == b


def test_norm_name() -> None:
    assert norm_name("the U.S.") == "united states"
    assert norm_name("Kim Jong-un") == norm_name("Kim Jong Un")
    assert norm_name("Russia's") == "russia"
