"""Drift on the edit forms the widened planted-edit benchmark (generator v2 of ``bench/drift.py``)
showed the detector missing or misreading: antonym verbs that set a verb's polarity, hedges
dropped, a changed value or a misspelt name that the passage also gives elsewhere, percentages
written three ways. Every example is written for this test."""

from __future__ import annotations

import pytest

from .test_drift_families import _drift


@pytest.mark.parametrize(
    ("src", "tgt", "before", "after"),
    [
        ("The council failed to approve the budget before the deadline.",
         "The council managed to approve the budget before the deadline.", "failed to approve", "managed to approve"),
        ("The company refused to pay the fine imposed by the regulator.",
         "The company agreed to pay the fine imposed by the regulator.", "refused to pay", "agreed to pay"),
    ],
)  # fmt: skip
def test_a_verb_that_sets_polarity_is_shown_with_its_complement(
    src: str, tgt: str, before: str, after: str
) -> None:
    assert _drift(src, tgt, label="near-verbatim") == [("negation", before, after, "rewording")]


def test_declining_to_comment_is_not_commenting() -> None:
    assert (
        _drift(
            "The ministry declined to comment on the report.", "The ministry did not comment on the report."
        )
        == []
    )


@pytest.mark.parametrize(
    ("src", "tgt", "before", "after"),
    [
        ("Investigators said the clerk allegedly took $40,000 from the fund.",
         "Investigators said the clerk took $40,000 from the fund.", "allegedly took", "took"),
        ("The alleged arsonist was held overnight at the county jail.",
         "The arsonist was held overnight at the county jail.", "alleged arsonist", "arsonist"),
        ("Rebel units seized the airport overnight.", "Rebel units reportedly seized the airport overnight.",
         "seized", "reportedly seized"),
        # a verb such as "be" or "have" that only one side has is no attribution
        ("The clerk allegedly took $40,000 from the fund.",
         "The clerk took $40,000 from the fund and is now in custody.", "allegedly took", "took"),
        ("The clerk allegedly took $40,000 from the fund.",
         "The clerk took $40,000 from the fund and had no alibi.", "allegedly took", "took"),
    ],
)  # fmt: skip
def test_a_hedge_dropped_or_added_is_a_status_change(src: str, tgt: str, before: str, after: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == [("status", before, after, "rewording")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # the claim keeps an attribution: "according to" or a reporting verb stands for the hedge
        ("A former worker walked into the party on Friday and allegedly stabbed a guest.",
         "A former worker walked into the party on Friday and stabbed a guest, according to police."),
        ("The clerk allegedly took $40,000 from the fund.", "The clerk took $40,000 from the fund, police said."),
    ],
)  # fmt: skip
def test_a_hedge_replaced_by_an_attribution_is_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []


def test_a_changed_value_that_the_passage_also_gives_elsewhere_is_found() -> None:
    got = _drift(
        "Officials said 12 people died and 12 were hurt in the crash.",
        "Officials said 15 people died and 12 were hurt in the crash.",
        label="near-verbatim",
    )
    assert got == [("number", "12", "15", "conflict")]


def test_a_figure_repeated_in_a_headline_does_not_pair_with_another() -> None:
    # the merged headline says "240 yards" again; the "9-yard" pass of the text is not that figure
    assert _drift(
        "Lind threw for 240 yards Sunday, and his 9-yard pass to Cole Ames late in the game gave the Owls a 24-17 win.",
        "Lind throws for 240 yards as Owls beat Hawks 24-17 Lind threw for 240 yards, and his pass to Cole Ames "
        "late in the game Sunday gave the Owls a 24-17 win.",
    ) == []  # fmt: skip


def test_a_misspelt_name_that_the_passage_also_spells_right_is_found() -> None:
    got = _drift(
        "Police said Reid's car was found near Reid's home in the valley.",
        "Police said Ried's car was found near Reid's home in the valley.",
        label="near-verbatim",
    )
    assert got == [("name", "Reid", "Ried", "variant")]


@pytest.mark.parametrize("written", ['"Prices rose 5 per cent," she said.', '"Prices rose 5%," she said.'])
def test_a_percentage_written_otherwise_in_a_quote_is_not_drift(written: str) -> None:
    assert _drift('"Prices rose 5 percent," she said.', written, label="near-verbatim") == []


@pytest.mark.parametrize(
    ("src", "tgt", "before", "after"),
    [
        ("Hiller admitted killing two co-workers at the depot.", "Hiller denied killing two co-workers at the depot.",
         "admitted", "denied"),
        ("He pleaded not guilty to all four charges on Monday.", "He pleaded guilty to all four charges on Monday.",
         "not guilty", "guilty"),
    ],
)  # fmt: skip
def test_an_opposite_verb_or_a_dropped_not_is_a_negation(src: str, tgt: str, before: str, after: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == [("negation", before, after, "rewording")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # a curly apostrophe and a contraction spelt out say the same
        ("The mayor was not in the building when the alarm sounded.",
         "The mayor wasn’t in the building when the alarm sounded."),
        ("Coach Lind said the team played well, though Ames wasn't sure about the result.",
         "Coach Lind said the team played well, though Ames wasn’t sure about the result."),
        ("About 32 million people watched the final on Sunday.", "About 32m people watched the final on Sunday."),
        ('"We counted the grey seals twice," she said.', '"We counted the gray seals twice," she said.'),
    ],
)  # fmt: skip
def test_the_same_words_written_otherwise_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []


def test_a_changed_quote_word_is_shown_as_written() -> None:
    got = _drift('"I was excited to be travelling there," she said.', '"I was thrilled to be travelling there," she said.',
                 label="near-verbatim")  # fmt: skip
    assert [(k, b, a) for k, b, a, _ in got] == [("quote", "excited", "thrilled")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # tokenised text cut a figure at its point: a sentence split, or a spaced point
        ("Rings and watches worth £3.", "Rings and watches worth £3.4m were taken from the shop."),
        ("The quake measured magnitude - 4. 8, the institute said.", "The quake measured magnitude - 4.8, the institute said."),
        # site furniture: when the page was last changed, a dateline without an agency
        ("Last modified 05/10/2009 03:52", "Last modified 12/07/2012 20:35"),
        ("KESTROVO, Friday, June 12 - Ida Lenz, Hurt in Crash, Leaves Hospital",
         "VALDORA, Monday, March 3 - Ida Lenz, Hurt in Crash, Leaves Hospital"),
    ],
)  # fmt: skip
def test_cut_figures_and_page_metadata_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []


def test_a_trimmed_decimal_is_still_drift() -> None:
    got = _drift("The fund lost 2.5 million dollars last year.", "The fund lost 2 million dollars last year.",
                 label="near-verbatim")  # fmt: skip
    assert [(k, b, a) for k, b, a, _ in got] == [("number", "2.5 million", "2 million")]


@pytest.mark.parametrize(
    ("src", "tgt", "before", "after"),
    [
        ("Hastings did not know why the gate was left open.", "Hastigns did not know why the gate was left open.",
         "Hastings", "Hastigns"),
        ("Klitschko's younger brother won again on Saturday night.",
         "Klitschka's younger brother won again on Saturday night.", "Klitschko", "Klitschka"),
    ],
)  # fmt: skip
def test_a_misspelt_name_opening_a_near_copy_is_found(src: str, tgt: str, before: str, after: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == [("name", before, after, "variant")]


def test_two_common_words_opening_a_near_copy_are_not_names() -> None:
    assert (
        _drift("These are the facts, said Moss.", "Those are the facts, said Moss.", label="near-verbatim")
        == []
    )


@pytest.mark.parametrize(
    ("src", "tgt", "before", "after"),
    [
        # a past progressive and a past with "did" are past tenses
        ("However, Jackson will be playing in this week's playoff at Pittsburgh.",
         "However, Jackson was playing in this week's playoff at Pittsburgh.", "will be playing", "was playing"),
        ("The minister will not attend the summit in Geneva on Friday.",
         "The minister did not attend the summit in Geneva on Friday.", "will not attend", "did not attend"),
        # "make", "be" and "have" are no reporting verbs whose tense a rewrite may change freely
        ("Instead, federal agencies will make their own assessment of the projects.",
         "Instead, federal agencies made their own assessment of the projects.", "will make", "made"),
        ("The new bridge will be ready for traffic in March, the council said.",
         "The new bridge was ready for traffic in March, the council said.", "will be", "was"),
    ],
)  # fmt: skip
def test_a_future_event_told_as_past_is_a_status_change(src: str, tgt: str, before: str, after: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == [("status", before, after, "rewording")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("The company said on Monday it was cutting 200 jobs at the plant.",
         "The company says it is cutting 200 jobs at the plant."),
        ("He was playing for the club when he was injured in 2009.",
         "He played for the club when he was injured in 2009."),
    ],
)  # fmt: skip
def test_past_and_present_tenses_of_one_event_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []
