"""comparable: what makes two facts of two versions the same fact, so that only those are compared.

- **Counted things and scope of a figure**: "seven injured" and "fifteen killed" count different
  things; "30 cm" of today's storm and "45 cm" of the record storm of 1998 belong to different
  events; a total "nationwide" and one "in the capital alone" cover different places. A figure
  carries what it counts (:func:`counted`: killed, injured, missing, ...) and the words that
  scope it (:func:`scope_of`: "alone", "nationwide", "record", the years its sentence names).
- **What a figure or a date is about**: in a passage with several figures or dates, "Lund scored
  14 points" pairs with "Lund added 12", not with "Berg scored 13"; the year a ship was broken up
  does not pair with the year another ship was launched. Each mention carries the content words of
  its clause (:func:`context_of`) and of its sentence around it (:func:`around_of`) and, for dates, the relation its
  preposition gives ("until 2013" is an end, "as of 2009" a point: :func:`date_relation`).
- **Times of day** ("10:41 AM", "4 p.m.", "0520 GMT") are timestamps, not figures
  (:func:`clock_spans`); passages stamped with different times report two moments
  (:func:`times_of_day`). A figure that describes its noun ("the 30-year bond", "a 12-point
  plan") counts that noun: the 10-year note is another instrument.
- **Digits grouped or rounded otherwise**: "54 862 417" and "54,862,417", a table whose columns
  run together ("10-1 300" / "10-1300"), "75.8%" and "75.79%" are the same figures
  (:func:`same_but_grouping`, :func:`rounded_alike`).
- **Orthography of names and words**: "on-line"/"online", "web site"/"website", "Tenn."/
  "Tennessee", "Indonesian"/"Indonesians", "Acme Inc."/"Acme" are one name or word written two
  ways (:func:`name_key`, :func:`same_spelling`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

#: US state abbreviations of the AP style and the postal codes that read as words
US_STATES = {
    "ala": "alabama", "ariz": "arizona", "ark": "arkansas", "calif": "california", "cal": "california",
    "colo": "colorado", "conn": "connecticut", "del": "delaware", "fla": "florida", "ga": "georgia",
    "ill": "illinois", "ind": "indiana", "kan": "kansas", "kans": "kansas", "ky": "kentucky", "la": "louisiana",
    "md": "maryland", "mass": "massachusetts", "mich": "michigan", "minn": "minnesota", "miss": "mississippi",
    "mo": "missouri", "mont": "montana", "neb": "nebraska", "nebr": "nebraska", "nev": "nevada",
    "okla": "oklahoma", "ore": "oregon", "oreg": "oregon", "pa": "pennsylvania", "penn": "pennsylvania",
    "tenn": "tennessee", "tex": "texas", "vt": "vermont", "va": "virginia", "wash": "washington",
    "wis": "wisconsin", "wisc": "wisconsin", "wyo": "wyoming", "nh": "new hampshire",
    "nj": "new jersey", "nm": "new mexico", "ny": "new york", "nc": "north carolina", "nd": "north dakota",
    "sc": "south carolina", "sd": "south dakota", "wva": "west virginia", "ri": "rhode island",
    "dc": "district of columbia",
}  # fmt: skip
#: company and organisation suffixes that headlines and bodies keep or drop
_SUFFIXES = {"inc", "incorporated", "corp", "corporation", "co", "company", "ltd", "limited", "llc", "plc",
             "group", "holdings", "ag", "sa", "gmbh"}  # fmt: skip

#: what a figure counts, by the word that says it (participles, nouns and the -ing verbs before it)
_OUTCOMES = {
    "killed": "dead", "dead": "dead", "died": "dead", "die": "dead", "deaths": "dead", "death": "dead",
    "fatalities": "dead", "fatality": "dead", "lives": "dead", "bodies": "dead", "killing": "dead",
    "perished": "dead", "toll": "dead", "victims": "dead",
    "injured": "injured", "wounded": "injured", "hurt": "injured", "injuries": "injured", "injuring": "injured",
    "wounding": "injured", "hospitalised": "injured", "hospitalized": "injured",
    "missing": "missing", "unaccounted": "missing",
    "arrested": "arrested", "detained": "arrested", "arrests": "arrested", "held": "arrested",
    "evacuated": "evacuated", "evacuees": "evacuated", "displaced": "displaced", "homeless": "displaced",
    "rescued": "rescued", "survivors": "rescued", "saved": "rescued",
    "destroyed": "destroyed", "damaged": "damaged", "affected": "affected", "infected": "infected",
    "cases": "infected", "confirmed": "confirmed", "fired": "fired", "laid": "fired", "sacked": "fired",
    "hired": "hired", "sold": "sold",
}  # fmt: skip
#: words that put a figure in another scope than the same figure without them
_SCOPE_WORDS = {
    "alone", "nationwide", "countrywide", "statewide", "worldwide", "globally", "total", "overall",
    "altogether", "combined", "each", "per", "annually", "daily", "weekly", "monthly", "record", "previous",
    "earlier", "former", "average", "another", "additional", "first", "second", "third",
    "remaining", "last", "since", "before", "after", "rate",
}  # fmt: skip
_AGE = re.compile(r"\s*-?\s*years?\s*-?\s*old\s+(?:(?:man|woman|boy|girl)\b\s*)?(\w+)", re.IGNORECASE)
#: a figure that describes its noun ("a 10-year note", "a 12-point plan", "a 90-day review")
_TERM = re.compile(
    r"\s*-\s*(year|month|week|day|hour|minute|point|game|seat|mile|member)\s*-?\s+(?!old\b)([a-z]+)",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[,;:()\u2013\u2014]|\s-\s|\band\b|\bbut\b|\bwhile\b|\bwhereas\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z]+")
_CLOCK = re.compile(
    r"\b(?P<h1>\d{1,2})\s*:\s*(?P<m1>\d{2})(?:\s*:\s*\d{2})?(?:\s*(?P<p1>[ap])\.?\s?m\b\.?)?"  # 10:41, 11: 45 AM
    r"|\b(?P<h2>\d{1,2})(?:\.(?P<m2>\d{2}))?\s*(?P<p2>[ap])\.?\s?m\b\.?"  # 4 p.m., 4.30pm (never 2.65 million)
    r"|\b(?P<h3>[01]?\d|2[0-3])(?P<m3>[0-5]\d)?\s*(?:[ecmp][sd]t|gmt|utc|bst|cet|cest)\b",  # 16 GMT, 0520 GMT
    re.IGNORECASE,
)


_DIGIT_GAP = re.compile(r"(?<=\d)[\s,\u00a0\u202f\u2009]+(?=\d)")
_LITERAL = re.compile(r"\d+(?:[,\s\u00a0\u202f]\d{3}(?!\d))*(?:\.(\d+))?")


def _joined(text: str) -> str:
    return _DIGIT_GAP.sub("", " ".join(text.lower().split()))


def same_but_grouping(a: str, b: str) -> bool:
    """The two passages are the same text but for how their digits are grouped or spaced ("54 862
    417" / "54,862,417"; a table whose columns run together, "10-1 300" / "10-1300"); a point or a hyphen
    still counts ("1.5" is not "15")."""
    return a != b and _joined(a) == _joined(b)


def _literal(text: str) -> tuple[float, int] | None:
    """The figure written in ``text`` without its scale word, and its number of decimals."""
    m = _LITERAL.search(text)
    if m is None:
        return None
    return float(re.sub(r"[,\s\u00a0\u202f]", "", m.group(0))), len(m.group(1) or "")


def rounded_alike(a_text: str, a_value: float, b_text: str, b_value: float) -> bool:
    """One figure is the other given with more decimals ("75.8%" / "75.79%", "2.6 million" /
    "2.65 million"): the finer one rounds to the coarser one, which has decimals itself (a whole
    "95%" beside "95.4%" may as well be an older estimate)."""
    a, b = _literal(a_text), _literal(b_text)
    if a is None or b is None or a[1] == b[1] or not min(a[1], b[1]):
        return False
    (digits, places), coarse, fine = (a, a_value, b_value) if a[1] < b[1] else (b, b_value, a_value)
    scale = coarse / digits if digits else 1.0  # "2.6 million": the literal is 2.6, the value 2.6e6
    return bool(abs(coarse - fine) <= (0.5 * 10**-places + 1e-9) * scale)


def _hour_minute(m: re.Match[str]) -> tuple[int, int]:
    k = next(k for k in "123" if m.group(f"h{k}") is not None)
    hour, minute = int(m.group(f"h{k}")), int(m.group(f"m{k}") or 0)
    half = (m.groupdict().get(f"p{k}") or "").lower()
    if half == "p" and hour < 12:
        hour += 12
    elif half == "a" and hour == 12:
        hour = 0
    return hour, minute


def spell_times(text: str) -> str:
    """``text`` with each time of day written one way ("6 p.m.", "6:00 p.m." and "6: 00 PM" all
    become "18h00"), for comparing wording."""
    return _CLOCK.sub(lambda m: "{:02d}h{:02d}".format(*_hour_minute(m)), text)


def times_of_day(text: str) -> frozenset[tuple[int, int]]:
    """The times of day a passage states, as (hour, minute) on a 24-hour clock ("6 p.m." and
    "6:00 p.m." are one time): two passages stamped with different times ("at 0520 GMT" / "at 1000
    GMT", "at 5 p.m." / "at 11 a.m.") report figures of two moments."""
    return frozenset(_hour_minute(m) for m in _CLOCK.finditer(text))


def clock_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of times of day ("10:41 AM", "4 p.m.", "16:05 GMT"): timestamps, not figures."""
    return [(m.start(), m.end()) for m in _CLOCK.finditer(text)]


def counted(text: str, start: int, end: int) -> str | None:
    """What the figure at ``text[start:end]`` counts, when its clause says it: "dead" for
    "24 people were killed", "the death toll rose to 24" and "killing 24", "injured" for
    "seven injured", whose age for "36-year-old Kovac"; ``None`` when the clause names no such
    outcome."""
    age = _AGE.match(text, end)
    if age is not None:  # "36-year-old Klitschko" and "40-year-old Thompson": two people's ages
        return f"age of {age.group(1).lower()}"
    term = _TERM.match(text, end)
    if term is not None:  # "the 30-year bond" and "the 10-year note": two instruments, not two terms
        return f"{term.group(1).lower()} {_singular(term.group(2).lower())}"
    after = _CLAUSE_END.split(text[end : end + 60], maxsplit=1)[0]
    for word in _WORD.findall(after)[:5]:
        found = _OUTCOMES.get(word.lower())
        if found:
            return found
    before = _CLAUSE_END.split(text[max(0, start - 50) : start])[-1]
    for word in reversed(_WORD.findall(before)[-4:]):
        found = _OUTCOMES.get(word.lower())
        if found:
            return found
    return None


def scope_of(text: str, start: int, end: int) -> frozenset[str]:
    """Words of the figure's clause that narrow or widen what it covers ("alone", "nationwide",
    "record", "total", "each", "last", ...)."""
    after = _CLAUSE_END.split(text[end : end + 60], maxsplit=1)[0]
    before = _CLAUSE_END.split(text[max(0, start - 40) : start])[-1]
    words = {w.lower() for w in _WORD.findall(before)[-3:] + _WORD.findall(after)[:6]}
    return frozenset(words & _SCOPE_WORDS)


#: function words and verbs of saying: words that say nothing of what a figure or a date is about
_FUNCTION_WORDS = {
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "from", "by", "with", "as", "and", "or", "but",
    "nor", "than", "that", "this", "these", "those", "which", "who", "whom", "whose", "what", "when", "where",
    "while", "it", "its", "he", "she", "his", "her", "him", "they", "them", "their", "we", "our", "us", "you",
    "your", "i", "my", "me", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do",
    "does", "did", "will", "would", "shall", "should", "may", "might", "can", "could", "must", "not", "no",
    "about", "around", "some", "more", "most", "less", "over", "under", "up", "down", "out", "into", "also",
    "there", "here", "then", "so", "such", "only", "just", "all", "any", "each", "other", "another", "per",
    "said", "says", "say", "told", "tell", "according", "reported", "added", "s", "t", "mr", "mrs", "ms",
    "dr", "est", "approximately", "nearly", "almost", "least", "roughly", "estimated", "if", "after",
    "before", "since", "until", "till", "during", "between", "against", "among", "via", "one",
}  # fmt: skip
#: the end of a sentence or of a list item (not the dot of "Dr." or "a. 357"): a mention's context
#: does not reach past it
_CONTEXT_END = re.compile(r"(?<![^\w][A-Za-z])(?<![^\w][A-Za-z]{2})[.](?=\s|$)|[;!?|](?=\s|$)|\n")
#: the relation a preposition before a date gives it: "until 2013" ends a period, "since 2009" opens one
_RELATIONS = {"until": "end", "till": "end", "through": "end", "thru": "end", "to": "end", "since": "start",
              "from": "start", "by": "by", "before": "by", "after": "after"}  # fmt: skip


def _content(words: list[str]) -> frozenset[str]:
    return frozenset(_singular(w.lower()) for w in words if len(w) > 1 and w.lower() not in _FUNCTION_WORDS)


def around_of(text: str, start: int, end: int, width: int = 5) -> frozenset[str]:
    """The content words around the mention at ``text[start:end]`` within its sentence or list
    item (up to ``width`` on each side, singular, lower case, no function words, no digits)."""
    left = _CONTEXT_END.split(text[max(0, start - 100) : start])[-1]
    right = _CONTEXT_END.split(text[end : end + 100], maxsplit=1)[0]
    return _content(_WORD.findall(left)[-width:] + _WORD.findall(right)[:width])


def context_of(text: str, start: int, end: int, width: int = 5) -> frozenset[str]:
    """What the figure or date at ``text[start:end]`` is about: the content words of its own clause
    ("richard", "carter", "scored", "point" for "Richard Carter scored 14 points and ..."; "broken"
    for "... and broken up in 1810"); for a figure or year in brackets, the words the bracket
    follows ("opera", "salt" for "the opera Salt (1911)"); :func:`around_of` when the clause has
    no content word."""
    left = _CONTEXT_END.split(text[max(0, start - 100) : start])[-1]
    right = _CONTEXT_END.split(text[end : end + 100], maxsplit=1)[0]
    before = _CLAUSE_END.split(left)[-1]
    if not _WORD.search(before) and left.rstrip().endswith("("):
        before = _CLAUSE_END.split(left.rstrip()[:-1])[-1]
    after = _CLAUSE_END.split(right, maxsplit=1)[0]
    words = _content(_WORD.findall(before)[-width:] + _WORD.findall(after)[:width])
    return words or around_of(text, start, end, width)


def date_relation(text: str, start: int) -> str | None:
    """``end``, ``start``, ``by`` or ``after`` when a preposition right before the date at
    ``start`` makes it the end, start or deadline of a period ("until 2013", "since May"), None
    for a point in time ("in 2013", "as of 2009", "on Tuesday")."""
    before = _WORD.findall(text[max(0, start - 12) : start])
    return _RELATIONS.get(before[-1].lower()) if before else None


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


#: British spellings and their American forms ("haemophilia"/"hemophilia", "colour"/"color",
#: "organisation"/"organization", "centre"/"center", "catalogue"/"catalog"): a spelling
#: convention, not a changed fact. Applied to whole words of six letters or more on both sides.
_BRITISH = (
    (re.compile(r"(?<=[a-z])(?:ae|oe)(?=[a-z]{2})"), "e"),
    (re.compile(r"(?<=[a-z]{2})our(s?|hood|hoods|ite|ites|able|ably|ful|less|ing|ed|er|ers)$"), r"or\1"),
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
    (re.compile(r"(?<=[a-z]{3})ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"(?<=[a-z]{3})tre(s?)$"), r"ter\1"),
    (re.compile(r"(?<=[a-z]{3})ogue(s?)$"), r"og\1"),
)


def _american(word: str) -> str:
    if len(word) < 6 or not word.isalpha():
        return word
    for pattern, repl in _BRITISH:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=1 << 14)
def name_key(name: str) -> str:
    """One key for the ways a name is written: case, dots, hyphens, spaces inside compounds,
    a plural or possessive, a company suffix, a US state abbreviation and British spelling do not
    count ("Tenn." and "Tennessee", "Web site" and "website", "Acme Inc." and "Acme",
    "Haemophilia" and "Hemophilia")."""
    text = name.replace("’", "'").lower()
    text = re.sub(r"'s\b|'$", "", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text.replace(".", "")) if w]
    words = [US_STATES.get(w, w) for w in words]
    words = [_american(w) for w in words]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    return _singular("".join(words).replace(" ", ""))


def same_spelling(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two runs of words that are the same words written otherwise: "on line"/"online", "web
    sites"/"website", "Tenn"/"Tennessee", "IE"/"Internet Explorer"."""
    if not a or not b:
        return False
    if name_key(" ".join(a)) == name_key(" ".join(b)):
        return True
    short, long = sorted((a, b), key=len)  # "IE" / "Internet Explorer"
    return len(short) == 1 and len(long) >= 2 and short[0].lower() == "".join(w[0] for w in long).lower()


def same_place(a: str, b: str) -> bool:
    """A place and its people or adjective: "Indonesia"/"Indonesian"/"Indonesians", "Iceland"/
    "Icelanders", "Turkmenistan"/"Turkmen"."""
    ka, kb = name_key(a), name_key(b)
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 4:
        return False
    short, long = sorted((ka, kb), key=len)
    stem = short.rstrip("aeiouy") or short
    return long.startswith(stem) and long[len(stem) :] in _PLACE_SUFFIXES


_PLACE_SUFFIXES = {"n", "an", "ian", "ean", "ese", "i", "ish", "istan", "stan", "er"}
