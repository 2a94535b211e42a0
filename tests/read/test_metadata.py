"""Publication metadata inside article text: date lines, datelines and timestamps that open a
sentence are told apart from event dates (``read.metadata.metadata_end``)."""

from __future__ import annotations

import pytest

from storytrace.read.metadata import metadata_end


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
