"""metadata: what a newsroom expects to see for an article when its data does not say it.

- **Publication date**: the data's ``published``, else the page's HTML metadata (trafilatura asks
  ``htmldate`` for the date the page states, see :mod:`storytrace.read.html`), else a dated line
  at the top of the text: a dateline (``WASHINGTON, March 3, 2009 (Reuters) -``) or a line that
  is a date and little else (``May 03, 2013``, ``Posted on Thu Jun 13, 2013 08: 45 AM PDT``).
  Only dates with a year count, and a numeric date only when day and month cannot be swapped
  (``05/13/2013``, not ``05/02/2013``): a wrong date would steer the timeline and the choice of
  original. The time an article was seen (ingested) is never its publication time.
- **Headline**: the data's title when it reads as one, else the text's first line when it reads
  as a headline, else the start of the first sentence.
- **Outlet**: the data's source, else the URL's host, else the agency credited in a dateline
  (``VALDORA, March 13 (Meridian Press) -``); a photo credit (``© KCNA via REUTERS``) names the
  picture's source, not the article's, and is not used.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
#: the first letters of the month names: a lookahead that lets the regex engine skip other
#: positions at once (the same matches; the first pattern runs about twice as fast)
_MONTH_START = "(?=[" + "".join(sorted({name[0] for name in _MONTHS})) + "])"
_DATES = [
    re.compile(rf"{_MONTH_START}\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),  # May 3, 2013
    re.compile(rf"(?=\d)\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),  # 3 May 2013
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})\b"),  # 2013-05-03
    re.compile(r"\b(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})\s*/\s*(?P<year>(?:19|20)\d{2})\b"),  # 05/13/2013
]
#: words a date line may carry besides the date: "Published", "Updated", times, zones, weekdays
_DATE_LINE_WORDS = re.compile(
    r"\b(?:first|originally|last|published|updated|posted|modified|on|at|by|and|"
    r"mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|am|pm|a\.?\s?m|p\.?\s?m|[a-z]?[ecmp][sd]?t|gmt|utc|bst|cet|cest)\b\.?",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?\s*(?:[ap]\.?\s?m\.?)?", re.IGNORECASE)
#: a dateline opening the body: "WASHINGTON, March 3, 2009 (Reuters) -" or "MOSCOW (AP) —"
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'/,-]{2,60}?,?\s*(?P<rest>[^()]{0,40})\((?P<agency>[A-Za-z][\w .&-]{1,40})\)\s*[-–—:]"
)
_CAPTION_OR_CREDIT = re.compile(
    r"^\s*(?:©|\(c\)\s|(?:photo|image|picture|file photo)\s*(?::|by\b)|(?:written|reporting|story)?\s*by\s+[A-Z])",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“'‘])")
#: lines looked at for a dateline or a headline
TOP_LINES = 6


def _top_lines(text: str, count: int = TOP_LINES) -> list[str]:
    lines: list[str] = []
    for line in text[:20_000].splitlines():  # the top of the text: never split a huge text whole
        if line.strip():
            lines.append(line.strip())
            if len(lines) == count:
                break
    return lines


def _date_from(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    year = int(groups["year"])
    if "mon" in groups and groups.get("mon"):
        month, day = _MONTHS[groups["mon"].lower().rstrip(".")], int(groups["day"])
    elif groups.get("m"):
        month, day = int(groups["m"]), int(groups["d"])
    else:
        a, b = int(groups["a"]), int(groups["b"])
        if a > 12 >= b:
            day, month = a, b
        elif b > 12 >= a:
            month, day = a, b
        else:  # 05/02/2013: May 2 or 5 February; a guess would be worse than nothing
            return None
    try:
        return datetime(year, month, day)
    except ValueError:
        return None


def _dates_in(line: str) -> list[tuple[re.Match[str], datetime]]:
    found: list[tuple[re.Match[str], datetime]] = []
    if "19" not in line and "20" not in line:  # every pattern needs a year: a quick way out
        return found
    for pattern in _DATES:
        for m in pattern.finditer(line):
            when = _date_from(m)
            if when is not None and not any(m.start() < f.end() and f.start() < m.end() for f, _ in found):
                found.append((m, when))
    return found


def dateline_date(text: str) -> datetime | None:
    """The publication date a dated line at the top of ``text`` states (see the module notes),
    the earliest when several do ("Updated ..." after "Published ..."); ``None`` when none does."""
    dates: list[datetime] = []
    for line in _top_lines(text):
        found = _dates_in(line)
        if not found:
            continue
        dateline = _DATELINE.match(line)
        if dateline is not None and any(m.start() < dateline.end() for m, _ in found):
            dates.extend(when for m, when in found if m.start() < dateline.end())
            continue
        rest = line
        for m, _ in sorted(found, key=lambda f: -f[0].start()):
            rest = rest[: m.start()] + " " + rest[m.end() :]
        rest = _DATE_LINE_WORDS.sub(" ", _CLOCK.sub(" ", rest))
        if len(re.findall(r"[^\W\d_]{2,}", rest)) <= 1:  # the line is a date and little else
            dates.extend(when for _, when in found)
    return min(dates) if dates else None


#: one element of a date or time line: a place in capitals, a weekday, a month, a day, a year, a
#: clock time, a time zone or offset, "Posted"/"Updated"/"on"/"at", separators
_LINE_PART = re.compile(
    r"\s*(?:"
    r"[A-Z][A-Z.'/-]+(?:\s+[A-Z][A-Z.'/-]+)*(?=\s*,)"  # WASHINGTON, / NEW YORK, / D.C.,
    r"|\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}\b"  # 05/10/2009
    r"|\d{1,2}\s*[:.]\s*\d{2}(?:\s*[:.]\s*\d{2})?(?:\s*[ap]\.?\s?m\b\.?)?"  # 10:41 AM, 11: 45
    r"|\(?(?:gmt|utc)\s*[+-]\s*\d{1,2}(?:\s*:\s*\d{2})?\)?"  # (GMT+05: 00)
    r"|(?:19|20)\d{2}\b|" + _MONTH.replace("?P<mon>", "?:") + r"(?![a-z])(?:\s*\d{1,2}(?:st|nd|rd|th)?\b)?"
    r"|\d{1,2}(?:st|nd|rd|th)?(?=\s+" + _MONTH.replace("?P<mon>", "?:") + r"(?![a-z])|,?\s+(?:19|20)\d{2}\b)"
    r"|[|,\-–—/]|\((?:[A-Za-z][\w .&-]{1,40})\)"  # separators, (Reuters)
    r"|" + _DATE_LINE_WORDS.pattern + r")",
    re.IGNORECASE,
)
_ANY_MONTH = _MONTH.replace("?P<mon>", "?:")
_HAS_DATE = re.compile(
    rf"{_ANY_MONTH}\s*\d{{1,2}}\b|\b\d{{1,2}}\s+{_ANY_MONTH}|\b(?:19|20)\d{{2}}\b|\d{{1,2}}\s*:\s*\d{{2}}",
    re.IGNORECASE,
)


def metadata_end(sentence: str) -> int:
    """Where the publication metadata opening ``sentence`` ends: the whole sentence when it is a
    date or time line ("Tuesday, May 5", "WEDNESDAY 06 MAY", "May 2, 2013, 1: 12 PM", "WASHINGTON,
    DC, April 28, 2009"), the end of a dateline ("VALDORA, March 13 (Meridian Press) -") when one
    opens it, else 0. Dates there say when the article was written, not when its events happened."""
    dateline = _DATELINE.match(sentence)
    if dateline is not None:
        return dateline.end()
    end = 0
    while True:
        m = _LINE_PART.match(sentence, end)
        if m is None or m.end() == end:
            break
        end = m.end()
        if m.group().strip() in ("-", "–", "—") and _HAS_DATE.search(sentence, 0, end):
            break  # "NEW YORK, Wednesday, May 26 - Ann Lee, ...": the dash ends the dateline
    head, rest = sentence[:end], sentence[end:].strip()
    if not _HAS_DATE.search(head):
        return 0
    if not rest.strip(" .|"):
        return len(sentence)
    # a date run that opens a sentence is metadata only when it is set off as a line: a time of
    # day or a separator ends it ("May 2, 2013, 1: 12 PM Lindsay ..."), never "May 5 was ..."
    if head.rstrip().endswith(("|", "-", "–", "—")):
        return end
    if _CLOCK.search(head) and rest[:1].isupper() and not head.rstrip().endswith(","):
        return end
    return 0


def _reads_as_headline(line: str) -> bool:
    words = line.split()
    return 2 <= len(words) <= 24 and len(line) <= 200 and not line.rstrip().endswith((".", ":", ";", ","))


def reads_as_title(title: str) -> bool:
    """Several words with a capital letter (or five words or more): a headline, not a slug such
    as "putin kim"."""
    words = title.split()
    return len(words) >= 5 or (len(words) >= 2 and any(c.isupper() for c in title))


def headline(title: str | None, text: str, limit: int = 110) -> str:
    """What to show as an article's headline: ``title`` when it reads as one (several words, a
    capital letter: not a slug such as "putin kim"), else the text's first line when it reads as
    a headline, else the start of its first sentence; ``title`` or "" as the last resort."""
    if title and reads_as_title(title):
        return title.strip()
    for line in _top_lines(text):
        if _CAPTION_OR_CREDIT.match(line) or (_DATELINE.match(line) and len(line) < 60):
            continue
        if _dates_in(line) and dateline_date(line) is not None:
            continue  # a date line
        if _reads_as_headline(line) and any(c.isupper() for c in line):
            return line
        first = _SENTENCE_END.split(line, maxsplit=1)[0]
        if len(first) <= limit:
            return first
        cut = first[:limit].rsplit(" ", 1)[0]
        return cut.rstrip(",;:") + "…"
    return (title or "").strip()


def outlet(source: str | None, url: str | None, text: str) -> str | None:
    """Who published an article: ``source``, else the URL's host (without ``www.``), else the
    agency credited in a dateline at the top of the text; ``None`` when nothing says."""
    if source and source.strip():
        return source.strip()
    if url:
        try:
            host = urlsplit(url.strip()).hostname
        except ValueError:
            host = None
        if host:
            return host.removeprefix("www.")
    for line in _top_lines(text, 4):
        m = _DATELINE.match(line)
        if m is not None:
            return m.group("agency").strip()
    return None
