"""Publication metadata inside article text: date lines, datelines and timestamps that open a
sentence are told apart from event dates (``read.metadata.metadata_end``); dated lines at the top of a
text give its publication date (``read.metadata.dateline_date``)."""

from __future__ import annotations

from datetime import datetime

import pytest

from storytrace.read.metadata import _MONTHS, _dates_in, dateline_date, metadata_end


@pytest.mark.parametrize(
    ("sentence", "metadata"),
    [
        ("Tuesday, May 5", "Tuesday, May 5"),
        ("WEDNESDAY 06 MAY", "WEDNESDAY 06 MAY"),
        ("May 2, 2013, 1: 12 PM", "May 2, 2013, 1: 12 PM"),
        ("Posted on Thu Jun 13, 2013 08: 45 AM PDT", "Posted on Thu Jun 13, 2013 08: 45 AM PDT"),
        ("26 September 2013, 10: 00 (GMT+05: 00)", "26 September 2013, 10: 00 (GMT+05: 00)"),
        ("KESTROVO, DC, April 28, 2009", "KESTROVO, DC, April 28, 2009"),
        ("VALDORA, March 13 (Meridian Press) - The mayor spoke.", "VALDORA, March 13 (Meridian Press) -"),
        ("Tuesday, May 5 - The storm hit Tirsk.", "Tuesday, May 5 -"),
        ("May 2, 2013, 1: 12 PM Lena Moss checked in.", "May 2, 2013, 1: 12 PM"),
        # a dateline without an agency, before a headline whose first words end in a comma
        ("KESTROVO, Friday, June 12 - Ida Lenz, Hurt in Crash, Leaves Hospital",
         "KESTROVO, Friday, June 12 -"),
        ("Last modified 05/10/2009 03:52", "Last modified 05/10/2009 03:52"),
        # event dates that open a sentence are not metadata
        ("May 5 was a dark day for the town.", ""),
        ("On Tuesday, May 5, 2009, the storm hit.", ""),
        ("At 10:41 AM on Tuesday, 7 people were killed.", ""),
        ("In 2004, 20 people died.", ""),
    ],
)  # fmt: skip
def test_metadata_end(sentence: str, metadata: str) -> None:
    assert sentence[: metadata_end(sentence)] == metadata


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Headline\nMay 03, 2013\nBody.", datetime(2013, 5, 3)),
        ("Headline\n3 May 1999\nBody.", datetime(1999, 5, 3)),
        # every month name and abbreviation, in any case
        *((f"Headline\n{name.upper()}. 3, 2013\nBody.", datetime(2013, month, 3)) for name, month in _MONTHS.items()),
        *((f"Headline\n21st {name.title()} 2011\nBody.", datetime(2011, month, 21)) for name, month in _MONTHS.items()),
        ("Headline\n2020-02-29\nBody.", datetime(2020, 2, 29)),
        ("Headline\n13/05/2019\nBody.", datetime(2019, 5, 13)),
        # years appear only as parts of other numbers, or not at all: no date
        ("Headline\nMay 03, 1850\nBody.", None),
        ("Headline\nMay 3\nBody of 219 words.", None),
        ("VALDORA, March 13 (Meridian Press) - no year", None),
    ],
)  # fmt: skip
def test_dateline_date_needs_a_year(text: str, date: datetime | None) -> None:
    assert dateline_date(text) == date


def test_dates_in_lines_without_a_year_are_none() -> None:
    # every date pattern needs 19xx or 20xx: lines without either are skipped before any pattern runs
    assert _dates_in("Tuesday, May 5 at 10:41 AM, 7 people were killed in 218 B.C.") == []
    found = _dates_in("Tuesday, May 5, 2009 and 05/13/2010")
    assert [when for _, when in found] == [datetime(2009, 5, 5), datetime(2010, 5, 13)]
