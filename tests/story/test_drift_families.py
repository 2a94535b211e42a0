"""Drift on real-looking, independently written articles: the false-alarm families of issue 15
no longer fire, the true flags still do, each with its difference kind (conflict, update,
variant, rewording). Every example is written for this test."""

from __future__ import annotations

from datetime import datetime

import pytest

from storytrace.records import Alignment, Derivation, Link, LinkLabel
from storytrace.story.drift import story_drift
from storytrace.text.mentions import extract_numbers, sentence_facts
from storytrace.text.nlp import parse

MONDAY = datetime(2025, 3, 10, 9, 0)


def _drift(
    src: str,
    tgt: str,
    label: LinkLabel = "paraphrase",
    when: tuple[datetime | None, datetime | None] = (None, None),
) -> list[tuple[str, str, str, str]]:
    """(kind, before, after, difference) of every drift from ``src`` to ``tgt`` taken as one
    aligned passage of a derivation edge between two articles published at ``when``."""
    docs = parse([src, tgt])
    facts = {("a", 0): sentence_facts(src, docs[0]), ("b", 0): sentence_facts(tgt, docs[1])}
    alignment = Alignment("a", "b", (Link((0,), (0,), label, 0.8),), (), (), 1.0, 1.0, 1.0)
    edge = Derivation("a", "b", "rewrite", 0.9, 0, 1, 0, 0, ())
    drift = story_drift([edge], [alignment], facts, {"a": when[0], "b": when[1]})
    return [(d.kind, d.before, d.after, d.difference) for d in drift]


# ------------------------------------------------------------------ false alarms that no longer fire
@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Tuesday, May 5", "WEDNESDAY 06 MAY"),
        ("May 2, 2013, 10: 41 AM", "May 3, 2013 | 4: 12 PM"),
        ("KESTROVO, April 27, 2009 - The river rose overnight.", "KESTROVO, April 28, 2009 - The river rose overnight."),
        ("Damage to the hall was put at $2 million, officials said Saturday.",
         "The hall, set on fire late on Friday, suffered $2 million in damage."),
    ],
)  # fmt: skip
def test_datelines_timestamps_and_statement_dates_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_spaced_thousands_are_one_number() -> None:
    assert [(n.text, n.value) for n in extract_numbers("The laptop sells for $1, 299 in 2, 000 shops.")] == [
        ("$1, 299", 1299.0),
        ("2, 000", 2000.0),
    ]
    assert _drift("About 2, 000 homes lost power.", "About 2000 homes lost power.") == []
    assert _drift("The tablet costs $1, 299.", "The tablet costs $1,299.") == []


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Orders can be placed on-line at the company's web site.",
         "Orders can be placed online at the company's website."),
        ("The fire spread through a warehouse in Memphis, Tenn., on Sunday.",
         "The fire spread through a warehouse in Memphis, Tennessee, on Sunday."),
        ("Indonesian rescuers searched the coast for survivors.",
         "Indonesians searched the coast for survivors."),
        ("Shares of Halvorsen Inc. fell sharply after the recall.",
         "Shares of Halvorsen fell sharply after the recall."),
        ('"Customers can order on-line from Monday," said spokesman Petr Dvorak.',
         '"Customers can order online from Monday," said spokesman Petr Dvorak.'),
        ("The Marshals added him to their list.", "The marshal added him to the list."),
        ("The Icelander, who lived in Norway, was found on Sunday.",
         "The Iceland-born man, who lived in Norway, was found on Sunday."),
        ("Voters in Turkmenistan chose a new parliament.", "Turkmen voters chose a new parliament."),
        ("Haemophilia Society members met at the Harbour Centre in Leeds.",
         "Hemophilia Society members met at the Harbor Center in Leeds."),
        ("The Labour Organisation said the Theatre would close.",
         "The Labor Organization said the Theater would close."),
    ],
)  # fmt: skip
def test_orthographic_variants_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Seven people were injured when the bus overturned.", "Fifteen people were killed when the bus overturned."),
        ("The storm dropped 30 centimetres of snow on the city.",
         "The record, set by a storm in 1998, was 45 centimetres of snow."),
        ("Police made 120 arrests nationwide.", "Police made 40 arrests in the capital alone."),
        ("The quake killed 12 people in Jakarta.", "The quake killed 30 people in Surabaya."),
    ],
)  # fmt: skip
def test_different_quantities_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ('"We will rebuild every school," said Governor Anna Roth.',
         '"We will rebuild every school by the winter," said opposition leader Carl Weiss.'),
        ('"The bridge is safe and will reopen on Friday," the mayor said.',
         '"Nobody should cross the river until the engineers have finished their work," the mayor said.'),
        ('Investigators called the blaze "potential arson" at first.',
         '"We are treating it as suspicious and as potential arson," said fire chief Lena Moss.'),
    ],
)  # fmt: skip
def test_different_quotes_are_not_reworded_quotes(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_light_verbs_of_two_rewritten_sentences_are_not_a_negation() -> None:
    assert (
        _drift(
            "The clinic that she entered is unlicensed, a state official said.",
            "Her arrival at the clinic was not without drama.",
        )
        == []
    )


# ------------------------------------------------------------------ true flags, with their kinds
def test_conflicting_toll_on_the_same_day_is_a_conflict() -> None:
    assert _drift(
        "At least 12 people were killed when the ferry capsized off Valdora.",
        "At least 17 people were killed when the ferry capsized off Valdora.",
        when=(MONDAY, MONDAY.replace(hour=11)),
    ) == [("number", "12", "17", "conflict")]


def test_toll_that_rises_the_next_day_is_an_update() -> None:
    assert _drift(
        "1 dead as ferry capsizes off Valdora.", "24 dead as ferry capsizes off Valdora.",
        when=(MONDAY, MONDAY.replace(day=11)),
    ) == [("number", "1", "24", "update")]  # fmt: skip


def test_rising_toll_without_publication_times_is_not_called_an_update() -> None:
    assert _drift(
        "The blast killed 1 person, police said.", "The blast killed 24 people, police said.",
    ) == [("number", "1", "24", "conflict")]  # fmt: skip


def test_place_name_spelled_two_ways_is_a_variant() -> None:
    assert _drift(
        "Rescuers reached the village of Kestrovo before dawn.",
        "Rescuers reached the village of Kestrowo before dawn.",
    ) == [("name", "Kestrovo", "Kestrowo", "variant")]


def test_trimmed_quote_is_a_variant() -> None:
    drift = _drift(
        '"We will rebuild every school and every clinic before the winter," Governor Anna Roth said.',
        '"We will rebuild every school before the winter," Governor Anna Roth said.',
    )
    assert drift == [("quote", "and every clinic", "", "variant")]


def test_negation_inside_a_quote_is_a_rewording() -> None:
    drift = _drift(
        '"The dam is safe and the town will not be evacuated," engineer Ivo Marek said.',
        '"The dam is safe and the town will be evacuated," engineer Ivo Marek said.',
        label="near-verbatim",
    )
    assert drift == [("negation", "will not be evacuated", "will be evacuated", "rewording")]


def test_planned_visit_reported_as_done_a_day_later_is_an_update() -> None:
    assert _drift(
        "Officials prepared for the minister's planned visit to the port.",
        "Officials discussed the minister's recent visit to the port.",
        when=(MONDAY, MONDAY.replace(day=12)),
    ) == [("status", "planned visit", "recent visit", "update")]
    assert _drift(
        "Officials prepared for the minister's planned visit to the port.",
        "Officials discussed the minister's recent visit to the port.",
    ) == [("status", "planned visit", "recent visit", "rewording")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Ortiz became the fourth manager dismissed this season.",
         "Ortiz would become the fourth manager dismissed this season."),
        ("He would not say how many people were inside the depot.",
         "It was not disclosed how many people were inside the depot."),
        ("Previously, builders were required to consult the river authority.",
         "Builders again will be required to consult the river authority."),
    ],
)  # fmt: skip
def test_narrative_would_and_other_times_are_not_status_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_changed_occurrence_of_a_repeated_verb_in_a_near_copy() -> None:
    drift = _drift(
        "Lund received a law degree in 1990 and received a medal in 2001.",
        "Lund will receive a law degree in 1990 and received a medal in 2001.",
        label="near-verbatim",
    )
    assert [(kind, before, after) for kind, before, after, _ in drift] == [
        ("status", "received", "will receive")
    ]


def test_a_figure_kept_elsewhere_in_the_sentence_with_another_unit_still_drifts() -> None:
    drift = _drift(
        "A 911 dispatcher said the caller had dialled 911 twice.",
        "A 1366 dispatcher said the caller had dialled 911 twice.",
        label="near-verbatim",
    )
    assert drift == [("number", "911", "1366", "conflict")]


def test_a_rounded_figure_is_a_variant() -> None:
    assert _drift(
        "The fire destroyed 2,017 homes, the county said.",
        "The fire destroyed about 2,000 homes, the county said.",
    ) == [("number", "2,017", "2,000", "variant")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        ("Ortiz became the fourth manager dismissed this season, after Lind and Berg.",
         "Ortiz would become the fourth manager dismissed this season, along with Lind and Berg."),
        ("Previously, builders were required to consult the river authority.",
         "Builders again will be required to consult the river authority."),
        ("The 36-year-old Kovac won his 40th fight on Saturday.",
         "Kovac, 36, beat the 40-year-old Mertens on Saturday."),
    ],
)  # fmt: skip
def test_near_copies_that_say_the_same_or_speak_of_other_things(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []


def test_a_changed_age_of_the_same_person_still_drifts() -> None:
    assert _drift(
        "A 36-year-old man was arrested at the scene.", "A 63-year-old man was arrested at the scene.",
        label="near-verbatim",
    ) == [("number", "36", "63", "conflict")]  # fmt: skip


def test_decimals_and_event_times_are_still_figures_and_dates() -> None:
    assert [n.value for n in extract_numbers("It cost $2.99, or 2.65 million euros in all, at 4 p.m.")] == [
        2.99,
        2650000.0,
    ]
    assert _drift(
        "At 10:41 AM on Tuesday, 7 people were killed in the blast.",
        "At 10:41 AM on Wednesday, 7 people were killed in the blast.",
        label="near-verbatim",
    ) == [("date", "on Tuesday", "on Wednesday", "conflict")]


def test_a_converted_figure_in_brackets_is_not_drift() -> None:
    assert _drift(
        "Damage to the depot was put at $2 million, officials said.",
        "Damage to the depot was put at $US2 million ($3.1 million), officials said.",
    ) == []
    assert _drift("The climber fell 60 metres on Sunday.", "The climber fell 60 metres (200 feet) on Sunday.") == []


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # tokenised text puts spaces around apostrophes: the same negation, the same contraction
        ("Ortiz didn't return a call seeking comment.", "Ortiz didn ’ t return a call seeking comment."),
        ('"It\'s a sad day for the club," Ortiz said.', '“ It ’ s a sad day for the club, ” Ortiz said.'),
        # "Will" the first name is not the modal
        ("Will Hartley scored 14 points off the bench.", "Hartley scored 14 points off the bench."),
        # an abbreviation inside the same quotation
        ('"We urge all IE users to install the update," said Lena Moss.',
         '"We urge all Internet Explorer users to install the update," said Lena Moss.'),
        # "won't be known for weeks" / "were not yet known": the same statement at two moments
        ("The results of the test won't be known for a few weeks.", "The results of the test were not yet known."),
    ],
)  # fmt: skip
def test_tokenised_text_names_abbreviations_and_not_yet(src: str, tgt: str) -> None:
    assert _drift(src, tgt, label="near-verbatim") == []


def test_figures_are_paired_by_what_they_are_about_not_by_position() -> None:
    """Berg's 13 is kept; Lund's 14 points become 12: a conflict, though "12" has no unit written."""
    assert _drift(
        "Lund scored 14 points and Berg scored 13 for the Hawks.",
        "Berg led the Hawks with 13 points, while Lund added 12 for the visitors.",
    ) == [("number", "14", "12", "conflict")]
    assert _drift(
        "Lund scored 14 points and Berg scored 13 for the Hawks.",
        "Lund scored 14 points and Berg scored 11 for the Hawks.",
    ) == [("number", "13", "11", "conflict")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # the years of two different ships, two different works
        ("Arden, a 74-gun ship taken as a prize from the French in 1798, was broken up in 1810.",
         "HMS Arden (1815)"),
        ("The novel Grey Harbour (1905) and the opera Salt (1911) were both inspired by her.",
         "A cycle of poems, Tides (1892-1919), was inspired by her."),
        # an end of a period is not a point in time
        ("The frigate was still in active service as of 2009.",
         "The frigate is expected to remain in service until 2013."),
        # another figure of another thing in the same passage
        ("Among the migrants, 63% are women.", "A survey found that 81% of voters back the plan."),
    ],
)  # fmt: skip
def test_dates_and_figures_of_different_things_are_not_paired(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_date_of_the_same_thing_still_drifts_in_a_rewrite() -> None:
    assert _drift(
        "Development began with government funding in 1985.",
        "Government funding for the development began in 1986, officials said.",
    ) == [("date", "1985", "1986", "conflict")]


def test_british_spelling_does_not_hide_a_garbled_name() -> None:
    """Spelling conventions fold, a changed name still drifts: "Michael" / "Michel" and
    "Easley" / "Isley" are other spellings of a name, worth a person's time."""
    assert _drift(
        "The governor, Mike Easley, met the mayor in Leeds on Monday.",
        "The governor, Mike Isley, met the mayor in Leeds on Monday.",
    ) == [("name", "Easley", "Isley", "variant")]
    assert _drift(
        "The minister, Michael Berger, opened the Harbour Centre on Monday.",
        "The minister, Michel Berger, opened the Harbor Center on Monday.",
    ) == [("name", "Michael", "Michel", "variant")]


def test_space_grouped_millions_are_one_number() -> None:
    assert [(n.text, n.value) for n in extract_numbers("An estimated 41 300 000 people had the virus.")] == [
        ("41 300 000", 41300000.0)
    ]
    assert _drift(
        "An estimated 41 300 000 people had the virus in 2003.", "An estimated 41,300,000 people had the virus in 2003."
    ) == []  # fmt: skip
    assert _drift(
        "An estimated 41 300 000 people had the virus in 2003.", "An estimated 44 912 850 people had the virus in 2003."
    ) == [("number", "41 300 000", "44 912 850", "conflict")]  # fmt: skip


def test_a_table_whose_columns_run_together_is_not_drift() -> None:
    """The same digits, spaced otherwise ("10-2 450" / "10-2450"): the same table; a moved point is not."""
    assert _drift(
        "depth (m) ratio 50 3.1 x 10-2 450 2.2 x 10-3 600 1.9 x 10-4",
        "depth (m) ratio 50 3.1 x 10-2450 2.2 x 10-3600 1.9 x 10-4",
        label="near-verbatim",
    ) == []
    assert _drift("The dam holds 1.5 million cubic metres.", "The dam holds 15 million cubic metres.",
                  label="near-verbatim") == [("number", "1.5 million", "15 million", "conflict")]  # fmt: skip


def test_a_figure_given_with_more_decimals_is_not_drift() -> None:
    assert _drift(
        "Turnout was 61.4%, and 38.6% stayed home.", "Turnout was 61.38%, and 38.62% stayed home.",
        label="near-verbatim",
    ) == []  # fmt: skip
    assert _drift(
        "Turnout was 61.4% in the city.", "Turnout was 61.9% in the city.", label="near-verbatim"
    ) == [("number", "61.4%", "61.9%", "conflict")]  # fmt: skip
    assert _drift(
        "Turnout was 61% in the city.", "Turnout was 61.4% in the city.", label="near-verbatim"
    ) == [("number", "61%", "61.4%", "conflict")]  # fmt: skip


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # an editor's bracketed words stand for the speaker's, whatever they are
        ('"Whoever advises [the governor] at [City Hall] should read the audit," Marek wrote.',
         'Marek wrote: "Whoever advises [Governor Roth] at CH should read the audit."'),
        # a quotation run into the sentence starts where its writer chose
        ('"Harbour Bank urges all customers to change their passwords today," said spokeswoman Ida Lenz.',
         'Ida Lenz, of the lender\'s security team, said the bank "urges all customers to change their '
         'passwords today".'),
    ],
)  # fmt: skip
def test_bracketed_insertions_and_quoted_fragments_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_full_quotation_trimmed_at_its_start_still_drifts() -> None:
    assert _drift(
        '"Since Monday we have had no water at all," resident Ida Lenz said.',
        '"We have had no water at all," resident Ida Lenz said.',
    ) == [("quote", "since monday", "", "variant")]


def test_a_misspelt_common_noun_in_a_title_case_headline_is_not_a_name() -> None:
    assert _drift(
        "Convicted Arsonist Kalev Toome Escapes From Prison Van in Tartu",
        "Kalev Toome: Tartu Arsonnist Escaped From Prison Van",
    ) == []
    # a near copy of the headline with one word garbled is still worth a look
    assert _drift(
        "Convicted Arsonist Kalev Toome Escapes From Prison Van in Tartu",
        "Convicted Arsonist Kalev Toome Escapes From Prizon Van in Tartu",
        label="near-verbatim",
    ) == [("name", "Prison", "Prizon", "variant")]


def test_accented_and_unaccented_spellings_in_a_quote_are_one_word() -> None:
    assert _drift(
        'The guide calls the dish "pierogi z kapustą, the pride of Kraków".',
        'The guide calls the dish "pierogi z kapusta, the pride of Krakow".',
    ) == []


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # two moments of one market or one storm
        ("Spot copper was fetching $8,410 a tonne at 0630 GMT.", "Spot copper was quoted at $8,455 a tonne at 1100 GMT."),
        ("At 5 p.m. EDT, the storm's centre was about 310 miles east of Nassau.",
         "At 11 a.m. EDT, the storm's centre was about 420 miles east of Nassau."),
        # a figure that describes its noun: another instrument, not another term
        ("The 30-year bond fell 12/32.", "The 10-year note fell 12/32."),
    ],
)  # fmt: skip
def test_figures_of_two_moments_or_two_instruments_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_the_same_moment_written_two_ways_keeps_its_figures_comparable() -> None:
    assert _drift(
        "At 6 p.m. the river stood at 4.2 metres in Tirsk.", "At 6:00 p.m. the river stood at 4.9 metres in Tirsk."
    ) == [("number", "4.2", "4.9", "conflict")]  # fmt: skip
    assert _drift("He signed a five-year deal worth $40 million.", "He signed a six-year deal worth $40 million.",
                  label="near-verbatim") == [("number", "five", "six", "conflict")]  # fmt: skip


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # an editor's insertion in parentheses, a figure in digits or in words, a name particle
        ('"The (rail) budget is the same for every region," Minister Lund said.',
         '"The budget is the same for every region," Minister Lund said.'),
        ('"How did 12 inspections over 3 years miss the cracks?" asked engineer Ivo Marek.',
         '"How did 12 inspections over three years miss the cracks?" asked engineer Ivo Marek.'),
        ('"The arrest of al-Rashed shows no one is beyond reach," Minister Lund said.',
         '"The arrest of Rashed shows no one is beyond reach," Minister Lund said.'),
        # an apostrophe left out is the same contraction
        ('"Recall isnt the answer," adviser Ida Lenz said.', '"Recall isn\'t the answer," adviser Ida Lenz said.'),
        # "failing to meet" is "not meeting"
        ("The firm paid $3 million in penalties for not meeting its hiring targets.",
         "The firm paid $3 million in penalties for failing to meet its hiring targets."),
    ],
)  # fmt: skip
def test_quotes_rendered_alike_and_negations_said_otherwise_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_refusal_is_the_negation_of_the_act() -> None:
    assert _drift(
        "The mayor refused to resign on Monday.", "The mayor resigned on Monday.", label="near-verbatim"
    ) == [("negation", "refused to resign", "resigned", "rewording")]  # fmt: skip


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # two rewritten sentences: the "same" verb is another statement, or the same one told otherwise
        ("Allegedly, Moss was paid $2 million to direct the film.",
         "The studio had never paid a director that much before the film was made, insiders say."),
        ("Berg was replaced on an interim basis by his assistant, Ivo Marek, a long-time member of the staff.",
         "Assistant coach Ivo Marek will replace Berg as interim head coach for the rest of the season."),
    ],
)  # fmt: skip
def test_tense_and_polarity_of_two_rewritten_sentences_are_not_compared(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_tense_and_polarity_of_a_lightly_edited_sentence_still_drift() -> None:
    assert _drift(
        "A carrier of the gene will not be affected by the disease, the report says.",
        "A carrier of the gene may not be affected by the disease, the report says.",
    ) == [("status", "will not be affected", "may not be affected", "rewording")]


def test_compound_number_words_and_spaced_decimals_are_one_figure() -> None:
    assert [(n.text, n.value) for n in extract_numbers("Seventy-two per cent voted, and shares fell 4. 7 per cent.")] == [
        ("Seventy-two per cent", 72.0),
        ("4. 7 per cent", 4.7),
    ]
    assert _drift("Seventy-two per cent of the vote went to Lund.", "72% of the vote went to Lund.") == []
    assert _drift("Shares in Tirsk fell 4. 7 per cent.", "Shares in Tirsk closed down 3. 2 per cent.") == [
        ("number", "4. 7 per cent", "3. 2 per cent", "conflict")
    ]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # one sum or one area given in another currency or unit
        ("Thieves took jewels worth €40 million from the Tirsk gallery.",
         "Thieves took jewels worth £34m from the Tirsk gallery."),
        ("The hall has 9,300 square metres of office space.", "The hall has 100,000 square feet of office space."),
    ],
)  # fmt: skip
def test_a_figure_in_another_currency_or_unit_is_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_changed_sum_in_the_same_currency_still_drifts() -> None:
    assert _drift("The bridge cost $40 million, the council said.", "The bridge cost 45 million dollars, the council said.") == [
        ("number", "$40 million", "45 million", "conflict")
    ]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # the same time of day, the same British spelling inside a longer word
        ('"The gunman gave himself up just after 9: 00 p.m.," Sgt. Ida Lenz said.',
         '"The gunman gave himself up just after 9 p.m.," Sgt. Ida Lenz said.'),
        ('"Police sealed off the neighbourhood," Sgt. Ida Lenz said.',
         '"Police sealed off the neighborhood," Sgt. Ida Lenz said.'),
    ],
)  # fmt: skip
def test_times_and_spellings_written_otherwise_inside_a_quote_are_not_drift(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_another_time_inside_a_quote_still_drifts() -> None:
    assert _drift(
        '"The gunman gave himself up just after 9 p.m.," Sgt. Ida Lenz said.',
        '"The gunman gave himself up just after 11 p.m.," Sgt. Ida Lenz said.',
    ) == [("quote", "21h00", "23h00", "rewording")]


@pytest.mark.parametrize(
    ("src", "tgt"),
    [
        # a fraction written three ways, one with its "½" lost in encoding
        ("He served 4\ufffd months in prison for perjury.", "He served 4 1/2 months in prison for perjury."),
        ("He served 4\ufffd months in prison for perjury.", "He served 41 / 2 months in prison for perjury."),
        # bid and ask, a bond's price in 32nds
        ("Gold was quoted at $1,905.20/1,906.10 an ounce.", "Gold was quoted at $1,907.80/1,908.40 an ounce."),
    ],
)  # fmt: skip
def test_parts_of_fractions_and_lost_characters_are_not_figures(src: str, tgt: str) -> None:
    assert _drift(src, tgt) == []


def test_a_whole_figure_beside_a_fraction_elsewhere_still_drifts() -> None:
    assert _drift(
        "He served 4 1/2 months of a 12-month sentence.", "He served 4 1/2 months of a 15-month sentence.",
        label="near-verbatim",
    ) == [("number", "12", "15", "conflict")]  # fmt: skip
