"""Fact extraction from one sentence: numbers with units, dates, quotations, named entities,
the status (tense and modality) and polarity of events.

These are the units that drift compares between versions and that consolidation groups across
sources. Numbers, dates and quotations come from rules over the text; names, tense, modality and
negation from a spaCy parse of the sentence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

from ..read.metadata import metadata_end
from .comparable import around_of, clock_spans, context_of, counted, date_relation, scope_of

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}  # fmt: skip
SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
}

_MONTH_RX = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:\s*(?:-|–|to|and)\s*(?P<day2>\d{1,2})(?:st|nd|rd|th)?)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d{2})"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<month>{_MONTH_RX})\.?\s+{_DAY}\b(?:,?\s+{_YEAR}\b)?", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?(?P<month>{_MONTH_RX})\b\.?(?:,?\s+{_YEAR}\b)?", re.IGNORECASE),
    re.compile(
        rf"\b(?:(?P<rel>last|next|this|early|late|mid-?|in|since|until|by|of|from)\s+)?(?P<month>{_MONTH_RX})\b\.?"
        rf"(?:,?\s+(?:of\s+)?{_YEAR}\b)?",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:(?P<rel>last|next|this|on|by|until|since)\s+)?(?P<weekday>monday|tuesday|wednesday|thursday|"
               r"friday|saturday|sunday)s?\b", re.IGNORECASE),
    re.compile(r"\b(?P<rel>last|next|this|past|coming|previous)\s+(?P<unit>week|weekend|month|year|decade)\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<word>yesterday|today|tomorrow|tonight)\b", re.IGNORECASE),
    re.compile(rf"(?<![\d,.$])\b{_YEAR}\b(?!s\b|[\d,.]\d|\s*(?:%|per\s*cent|million|billion|thousand|people|troops))",
               re.IGNORECASE),
]  # fmt: skip
_AMBIGUOUS_MONTHS = {
    "may",
    "march",
    "mar",
    "jan",
    "jun",
    "jul",
    "aug",
    "sep",
    "oct",
    "nov",
    "dec",
    "feb",
    "apr",
}
_NUM_WORDS_RX = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
#: "sixty-five", "twenty one": a number word of tens and one of units
_TENS_RX = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS_RX = "one|two|three|four|five|six|seven|eight|nine"
_NUMBER = re.compile(
    r"(?P<qual>\b(?:about|around|approximately|nearly|almost|over|more than|at least|some|roughly|up to|"
    r"fewer than|less than|an estimated|estimated|just over|just under|under)\s+)?"
    r"(?P<cur>(?:\b(?:US|AU|A|C|NZ|HK|S))?[$€£¥](?:US|AU|A|C|NZ|HK|S)?)?(?P<num>(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3}(?!\d)){2,}(?:\.\d+)?|\d{1,3}(?:,\s?\d{3}(?!\d))+(?:\.\d+)?"
    r"|(?<![\d.,])\d{1,3}\.\s\d{1,3}(?=\s*(?:%|per\s*cent|percent|-\s*magnitude|points?\b))"  # "5. 4 per cent" (tokenised)
    r"|\d+(?:\.\d+)?|\b(?:" + _TENS_RX + r")\s*-?\s*(?:" + _UNITS_RX + r")\b|\b(?:" + _NUM_WORDS_RX + r")\b)"
    r"(?:\s*(?P<scale>thousand|million|billion|trillion|bn|mln|m|k)\b)?"
    r"(?:\s*(?P<pct>%|per\s*cent\b|percent\b))?",
    re.IGNORECASE,
)
#: what follows "32m" or "40k" written without a currency when they count millions or thousands
_COUNTED_SCALE = re.compile(
    r"\s+(?:people|persons|users|viewers|voters|customers|visitors|residents|homes|households|subscribers|"
    r"members|workers|jobs|children|copies|tonnes|tons|barrels|refugees|migrants|passengers|followers|fans)\b",
    re.IGNORECASE,
)
_UNIT_SKIP = {
    "such",
    "more",
    "new",
    "other",
    "additional",
    "extra",
    "of",
    "the",
    "than",
    "a",
    "an",
    "times",
    "-",
}
#: words after a figure that say it has no unit written
_NOT_UNITS = {"for", "in", "on", "at", "to", "from", "by", "with", "as", "and", "or", "while", "after", "before",
              "when", "since", "into", "is", "was", "were", "are", "against"}  # fmt: skip
_QUOTE_PATTERNS = [
    re.compile(r"“([^“”]+?)”"),
    re.compile(r'(?<![\w])"([^"]+?)"(?![\w])'),
    re.compile(r"(?<![\w])‘([^‘’]+?)’(?![\w])"),
    re.compile(r"(?<![\w])'([^']+?)'(?![\w])"),
]
NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}
FUTURE_ADJ = {"planned", "upcoming", "scheduled", "expected", "proposed", "forthcoming", "future", "intended",
              "impending", "prospective", "anticipated", "pending", "imminent"}  # fmt: skip
PAST_ADJ = {"recent", "previous", "last", "past", "completed", "former", "earlier", "concluded", "finished"}
REPORTING = {"say", "tell", "add", "announce", "report", "state", "note", "claim", "confirm", "stress", "emphasize",
             "emphasise", "indicate", "write", "quote", "describe", "accuse", "allege", "warn", "insist", "reiterate",
             "comment", "explain", "argue", "suggest", "assert", "declare", "mention", "remark", "reply", "respond",
             "be", "have", "do", "get", "make"}  # fmt: skip
#: verbs that attribute a statement to a source ("police said", "the ministry confirmed"): the
#: reporting verbs without the light verbs ("be", "have", ...) that REPORTING also holds
ATTRIBUTING = REPORTING - {"be", "have", "do", "get", "make"}
#: verbs that negate the verb they govern: "failed to meet" says "did not meet"
NEGATING_VERBS = {"fail", "refuse", "neglect", "decline"}
#: verbs that set the polarity of the verb they govern, the negating ones and their opposites
#: ("managed to meet", "agreed to pay"): a verb's phrase shows its governor, so that "failed to
#: approve" / "managed to approve" reads as the change it is
POLARITY_VERBS = NEGATING_VERBS | {"manage", "succeed", "agree"}
FUTURE_GOVERNORS = {"plan", "expect", "set", "schedule", "due", "intend", "aim", "go", "prepare", "hope"}
ALIASES = {
    "us": "united states", "usa": "united states", "america": "united states", "the united states": "united states",
    "un": "united nations", "uk": "united kingdom", "britain": "united kingdom", "eu": "european union",
    "dprk": "north korea", "rok": "south korea", "ussr": "soviet union", "nato": "nato",
}  # fmt: skip
_BRITISH = [(re.compile(p), r) for p, r in [
    (r"isation", "ization"), (r"ise(s|d)?\b", r"ize\1"), (r"ising\b", "izing"), (r"our\b", "or"),
    (r"ours\b", "ors"), (r"tre\b", "ter"), (r"tres\b", "ters"), (r"ence\b", "ense"), (r"ogue\b", "og"),
    (r"lled\b", "led"), (r"lling\b", "ling"), (r"mme\b", "m"), (r"mmes\b", "ms"),
    (r"(?<=[a-z]{3})our(hood|hoods|ite|ites|able|ably|ful|less|ing|ed|er|ers)\b", r"or\1"),
]]  # fmt: skip
_CONTRACTIONS = [(re.compile(p, re.IGNORECASE), r) for p, r in [
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bshan't\b", "shall not"), (r"\bcannot\b", "can not"),
    (r"n't\b", " not"), (r"'re\b", " are"), (r"'ve\b", " have"), (r"'ll\b", " will"), (r"'d\b", " would"),
    (r"\bi'm\b", "i am"), (r"\b(it|he|she|that|there|what|who)'s\b", r"\1 is"),
    # without the apostrophe ("isnt", "didnt"): never another word
    (r"\b(do|does|did|is|are|was|were|has|have|had|could|would|should|must|need)nt\b", r"\1 not"),
]]  # fmt: skip
_TRANSLATE = str.maketrans(
    {"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "}
)


_PERCENT = re.compile(r"(?<=\d)\s?(?:%|\s(?:per\s?cent|pc|pct)\b)")
_SPACED_APOSTROPHE = re.compile(
    r"(?<=[a-z])\s*'\s+(?=(?:s|t|re|ve|ll|d|m)\b)|(?<=[a-z])\s+'\s*(?=(?:s|t|re|ve|ll|d|m)\b)"
)


def canonical_words(text: str) -> list[str]:
    """Words for comparing wording: straight quotes, contractions expanded, American spelling,
    hyphens, punctuation and accents ignored, case folded (memoised: drift and consolidation compare the
    same passages across many pairs of versions)."""
    return list(_canonical_words(text))


def written_words(text: str) -> list[str]:
    """:func:`canonical_words` spelt as written (no British spelling made American): one word for
    each canonical word, to show a span of them as the text has it."""
    return list(_canonical_words(text, respell=False))


@lru_cache(maxsize=1 << 16)
def _canonical_words(text: str, respell: bool = True) -> tuple[str, ...]:
    text = text.translate(_TRANSLATE).lower()
    if not text.isascii():  # "shuǐpíng" / "shǔipíng", "Gdańsk" / "Gdansk": one word, accents folded
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = _SPACED_APOSTROPHE.sub("'", text)  # "it ' s", "didn ' t" (tokenised text): "it's", "didn't"
    for rx, rep in _CONTRACTIONS:
        text = rx.sub(rep, text)
    text = re.sub(r"(?<=\d),\s?(?=\d{3}(?!\d))", "", text)  # "2,000" and "2, 000" (spaced tokens)
    text = _PERCENT.sub(" percent", text)  # "5%", "5 per cent", "5 pc": "5 percent"
    words = re.findall(r"[a-z0-9]+(?:\.\d+)?", text.replace("-", " "))
    return tuple(american(w) for w in words) if respell else tuple(words)


#: British spellings too short or irregular for the rules of :data:`_BRITISH`
_BRITISH_WORDS = {
    "grey": "gray",
    "greys": "grays",
    "tyre": "tire",
    "tyres": "tires",
    "kerb": "curb",
    "plough": "plow",
}


def american(word: str) -> str:
    if word in _BRITISH_WORDS:
        return _BRITISH_WORDS[word]
    if len(word) < 5 or not word.isalpha():
        return word
    for rx, rep in _BRITISH:
        new = rx.sub(rep, word)
        if new != word:
            return new
    return word


@dataclass(frozen=True, slots=True)
class NumberMention:
    text: str
    value: float
    unit: str | None
    approximate: bool
    #: what the figure counts when its clause says it ("dead", "injured": ``text.comparable``)
    counted: str | None = None
    #: words that scope it ("alone", "nationwide", "record", ...)
    scope: frozenset[str] = frozenset()
    #: content words of its clause and of its sentence around it: what it is about
    #: (``text.comparable.context_of``, ``around_of``; not part of equality)
    context: frozenset[str] = field(default=frozenset(), compare=False)
    around: frozenset[str] = field(default=frozenset(), compare=False)
    #: the currency a sign gives it ("dollar" for "$", "euro" for "€"), when its unit is "currency"
    currency: str | None = field(default=None, compare=False)


#: currency signs and the currency words they stand for
_CURRENCY_SIGNS = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}


@dataclass(frozen=True, slots=True)
class DateMention:
    text: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    day_end: int | None = None
    weekday: int | None = None
    relative: str | None = None
    unit: str | None = None
    #: in a dateline, a date line or a timestamp (``read.metadata.metadata_end``): when the
    #: article was written, not when its events happened
    metadata: bool = False
    #: the date of a statement ("authorities said Saturday"), not of the event it reports
    said: bool = False
    #: content words of its clause and of its sentence around it: what it dates
    #: (``text.comparable.context_of``, ``around_of``; not part of equality)
    context: frozenset[str] = field(default=frozenset(), compare=False)
    around: frozenset[str] = field(default=frozenset(), compare=False)
    #: "end", "start", "by" or "after" for "until 2013", "since May", ...; None for a point in time
    relation: str | None = field(default=None, compare=False)

    def compatible(self, other: DateMention) -> bool:
        """They state at least one common field and no field that both state differs
        ("January" fits "last January" and "January 2024"; "Thursday" does not fit "March 13")."""
        shared = 0
        for a, b in ((self.year, other.year), (self.month, other.month), (self.day, other.day),
                     (self.weekday, other.weekday), (self.unit, other.unit)):  # fmt: skip
            if a is not None and b is not None:
                if a != b:
                    return False
                shared += 1
        if not shared:
            return False
        return self.unit is None or other.unit is None or self.relative == other.relative


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    norm: str
    label: str


@dataclass(frozen=True, slots=True)
class VerbState:
    lemma: str
    status: str  # future | possible | conditional | past | present
    negated: bool
    phrase: str


@dataclass(frozen=True, slots=True)
class NounState:
    lemma: str
    status: str  # planned | past
    phrase: str


@dataclass(frozen=True)
class SentenceFacts:
    text: str
    numbers: tuple[NumberMention, ...]
    dates: tuple[DateMention, ...]
    quotes: tuple[str, ...]
    entities: tuple[Entity, ...]
    verbs: tuple[VerbState, ...]
    nouns: tuple[NounState, ...]
    #: capitalised words that do not open the sentence (names spaCy may miss)
    capitalised: tuple[str, ...] = ()
    #: ISO 639-1 code of the sentence's language (other languages: ``text.locale_facts``)
    language: str = "en"


def norm_name(text: str) -> str:
    """Normalised form of a name: no possessive, dots, hyphens or leading article; aliases resolved."""
    text = text.translate(_TRANSLATE)
    text = re.sub(r"'s\b|'$", "", text)
    text = text.replace(".", "").replace("-", " ").lower().strip()
    text = re.sub(r"^(the|mr|mrs|ms|dr)\s+", "", text)
    text = re.sub(r"\s+", " ", text)
    return ALIASES.get(text, text)


def extract_dates(text: str) -> tuple[list[DateMention], list[tuple[int, int]]]:
    """Date mentions and the character spans they cover."""
    found: list[DateMention] = []
    spans: list[tuple[int, int]] = []
    meta = metadata_end(text)
    for rx in _DATE_PATTERNS:
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in spans):
                continue
            g = m.groupdict()
            month = g.get("month")
            # "may" the modal, "march" the verb: a month only with a day, a year or a preposition
            if (
                month
                and month.lower() in _AMBIGUOUS_MONTHS
                and (not (g.get("day") or g.get("year") or g.get("rel")) or month[0].islower())
            ):
                continue
            rel = (g.get("rel") or "").lower() or None
            if rel in {"in", "on", "since", "until", "by", "of", "from"}:
                rel = None
            mention = DateMention(
                text=m.group(0).strip(),
                year=int(g["year"]) if g.get("year") else None,
                month=MONTHS[month.lower().rstrip(".")] if month else None,
                day=int(g["day"]) if g.get("day") else None,
                day_end=int(g["day2"]) if g.get("day2") else None,
                weekday=WEEKDAYS[g["weekday"].lower()] if g.get("weekday") else None,
                relative=rel if rel or not g.get("word") else g["word"].lower(),
                unit=(g.get("unit") or "").lower() or ("day" if g.get("word") else None),
            )
            if g.get("word"):
                mention = DateMention(text=mention.text, relative=g["word"].lower(), unit="day")
            said = bool(_SAID_BEFORE.search(text[max(0, m.start() - 30) : m.start()]))
            if m.start() < meta or said:
                mention = replace(mention, metadata=m.start() < meta, said=said)
            relation = (
                date_relation(g["rel"], len(g["rel"])) if g.get("rel") else date_relation(text, m.start())
            )
            mention = replace(mention, context=context_of(text, m.start(), m.end()),
                              around=around_of(text, m.start(), m.end()), relation=relation)  # fmt: skip
            found.append(mention)
            spans.append((m.start(), m.end()))
    order = sorted(range(len(found)), key=lambda k: spans[k][0])
    return [found[k] for k in order], [spans[k] for k in order]


#: a verb of saying right before a date: the date of the statement ("officials said Saturday")
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told\s+\w+(?:\s+\w+)?|announced|reported|confirmed|added|stated)"
    r"(?:\s+(?:his|her|their|its|the)\s+\w+)?\s+(?:on\s+|late\s+|early\s+)?$",
    re.IGNORECASE,
)


#: a figure that is a part of a fraction, a ratio or a bid/ask pair, or followed by a character lost
#: in encoding (often "½"): its digits alone are not the figure the text gives
_PART_OF_FRACTION = re.compile(r"\s?/\s?\d|[\s-]\d{1,2}\s?/\s?\d|[\ufffd½¼¾⅓⅔]")
_PART_OF_FRACTION_BEFORE = re.compile(r"\d\s?/\s?$")


def _number_value(raw: str) -> float | None:
    word = raw.lower()
    if word in NUMBER_WORDS:
        return float(NUMBER_WORDS[word])
    parts = re.findall(r"[a-z]+", word)
    if len(parts) == 2 and all(p in NUMBER_WORDS for p in parts):  # "sixty-five"
        return float(NUMBER_WORDS[parts[0]] + NUMBER_WORDS[parts[1]])
    try:
        return float(re.sub(r"[,\s\u00a0\u202f]", "", raw))
    except ValueError:
        return None


def extract_numbers(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[NumberMention]:
    """Figures of an English sentence, outside the ``skip`` spans (dates), times of day and the
    dateline or date line that may open it."""
    skip = list(skip) + clock_spans(text) + [(0, metadata_end(text))]
    out: list[NumberMention] = []
    last_end = 0
    for m in _NUMBER.finditer(text):
        start = m.start("num")
        if any(s <= start < e for s, e in skip):
            continue
        raw = m.group("num")
        if text[m.end() : m.end() + 1].isalpha() and not (m.group("scale") or m.group("pct")):
            continue  # "1950s", "24th", "5G": not a figure
        if _PART_OF_FRACTION.match(text, m.end()) or _PART_OF_FRACTION_BEFORE.search(text, 0, m.start("num")):
            continue  # "4 1/2", "41 / 2" (tokenised), "1-3/32", "$365.25/366.25", "4\ufffd" (a lost "½")
        if raw.lower() == "one" and not m.group("scale"):
            continue  # "one of the", "one ballistic missile": too often not a figure
        value = _number_value(raw)
        if value is None:
            continue
        scale = (m.group("scale") or "").lower()
        if scale in ("m", "k") and not m.group("cur") and not _COUNTED_SCALE.match(text, m.end()):
            scale = ""  # "5 m" is metres, not millions; "32m people" is millions
        value *= SCALES.get(scale, 1.0)
        unit: str | None = "%" if m.group("pct") else ("currency" if m.group("cur") else None)
        if unit is None:
            rest = re.findall(r"[A-Za-z][A-Za-z-]*", text[m.end() : m.end() + 60])
            for k, word in enumerate(rest[:3]):
                if word.lower() in _UNIT_SKIP:
                    continue
                if word.lower() not in _NOT_UNITS:  # "scored 13 for the Bulldogs": no unit
                    unit = word.lower().rstrip("s") if len(word) > 3 else word.lower()
                    if unit in ("square", "cubic", "sq") and k + 1 < len(
                        rest
                    ):  # "square metres" / "square feet"
                        unit = f"{unit} {_singular_unit(rest[k + 1].lower())}"
                break
        begin = m.start("cur") if m.group("cur") else start
        shown = text[begin : m.end()].strip()
        scope = scope_of(text, start, m.end())
        if out and re.fullmatch(r"[^()]{0,25}\(\s*", text[last_end : m.start()]):
            scope |= {"conversion"}  # "$US1 million ($1.52 million)", "60 metres (200 feet)": the same figure
        out.append(
            NumberMention(shown, value, unit, bool(m.group("qual")), counted(text, start, m.end()), scope,
                          context_of(text, begin, m.end()), around_of(text, begin, m.end()),
                          _CURRENCY_SIGNS.get((m.group("cur") or "")[-1:]))
        )  # fmt: skip
        last_end = m.end()
    return out


def _singular_unit(word: str) -> str:
    return {"feet": "foot", "metres": "metre", "meters": "meter"}.get(word, word.rstrip("s"))


def extract_quotes(text: str) -> list[str]:
    quotes: list[str] = []
    spans: list[tuple[int, int]] = []
    for rx in _QUOTE_PATTERNS:
        single = "'" in rx.pattern or "‘" in rx.pattern
        for m in rx.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in spans):
                continue
            inner = m.group(1).strip()
            if not inner or (single and len(inner.split()) < 3):
                continue
            quotes.append(inner)
            spans.append((m.start(), m.end()))
    return quotes


def _first_name_will(tok: Any) -> bool:
    return bool(tok.text == "Will" and tok.i + 1 < len(tok.doc) and tok.nbor().pos_ == "PROPN")


#: "didn ’ t", "hadn ' t been": a negation the parser misses when the apostrophe stands apart
_SPACED_NOT = re.compile(r"n\s+['’]\s*t\s+(?:(?:been|be|have|yet)\s+)*$", re.IGNORECASE)


def _verb_status(tok: Any) -> str:
    # "Will Artino scored": a first name, not the modal
    auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass") and not _first_name_will(c)]
    words = {c.lower_ for c in auxes}
    if words & {"will", "'ll", "shall", "wo"}:
        return "future"
    if words & {"may", "might", "could"}:
        return "possible"
    if words & {"would", "should"}:
        return "conditional"
    if tok.dep_ == "xcomp" and tok.head.lemma_ in FUTURE_GOVERNORS:
        return "future"
    if tok.tag_ == "VBD":
        return "past"
    if any(a.tag_ == "VBD" for a in auxes):  # "was announced", "was playing", "did not attend"
        return "past"
    if tok.tag_ == "VBN" and any(a.lower_ in ("has", "have", "had") for a in auxes):  # "has announced"
        return "past"
    return "present"


def _phrase(tok: Any, text: str) -> str:
    """The verb with its auxiliaries and negation ("would not be directed", "was not"), as
    ``text`` (the parsed sentence as written) gives it."""
    parts = [c for c in tok.children if c.dep_ in ("aux", "auxpass", "neg")] + [tok]
    if tok.dep_ == "xcomp" and tok.head.lemma_.lower() in POLARITY_VERBS:
        parts.append(tok.head)  # "failed to approve", not "to approve"
    parts = [p for p in parts if abs(p.i - tok.i) <= 4]
    first, last = min(parts, key=lambda p: p.i), max(parts, key=lambda p: p.i)
    return text[first.idx : last.idx + len(last.text)]


def sentence_facts(text: str, doc: Any) -> SentenceFacts:
    """All facts of one sentence; ``doc`` is its spaCy parse."""
    dates, spans = extract_dates(text)
    numbers = extract_numbers(text, spans)
    entities = tuple(
        Entity(text[e.start_char : e.end_char], norm_name(e.text), e.label_)
        for e in doc.ents
        if e.label_ in NAME_LABELS and norm_name(e.text)
    )
    verbs: list[VerbState] = []
    nouns: list[NounState] = []
    for tok in doc:
        if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
            negated = (
                any(c.dep_ == "neg" for c in tok.children)
                or bool(_SPACED_NOT.search(doc.text[max(0, tok.idx - 30) : tok.idx]))
                or (tok.dep_ == "xcomp" and tok.head.lemma_.lower() in NEGATING_VERBS)  # "failed to meet"
            )
            verbs.append(VerbState(tok.lemma_.lower(), _verb_status(tok), negated, _phrase(tok, text)))
        if tok.pos_ in ("NOUN", "PROPN"):
            for child in tok.children:
                if child.dep_ == "amod" and child.lower_ in FUTURE_ADJ | PAST_ADJ:
                    status = "planned" if child.lower_ in FUTURE_ADJ else "past"
                    nouns.append(NounState(tok.lemma_.lower(), status, f"{child.text} {tok.text}"))
    return SentenceFacts(text, tuple(numbers), tuple(dates), tuple(extract_quotes(text)), entities, tuple(verbs),
                         tuple(nouns), tuple(capitalised_words(text)))  # fmt: skip


_CAPITALISED = re.compile(r"(?<=[\w,;:)] )([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def capitalised_words(text: str) -> list[str]:
    """Capitalised words inside the sentence (not its first word, not after an opening quote)."""
    return [m.group(1) for m in _CAPITALISED.finditer(text) if len(m.group(1)) >= 4]


def title_case(text: str) -> bool:
    """Most words of four letters or more are capitalised, at least four of them (a headline)."""
    words: list[str] = re.findall(r"[^\W\d_]{4,}", text)
    capitals = sum(w[0].isupper() for w in words)
    return capitals >= 4 and capitals >= 0.75 * len(words)


def merge_facts(parts: Sequence[SentenceFacts]) -> SentenceFacts:
    """The facts of several adjacent sentences taken as one passage."""
    if len(parts) == 1:
        return parts[0]
    return SentenceFacts(
        " ".join(p.text for p in parts),
        tuple(x for p in parts for x in p.numbers),
        tuple(x for p in parts for x in p.dates),
        tuple(x for p in parts for x in p.quotes),
        tuple(x for p in parts for x in p.entities),
        tuple(x for p in parts for x in p.verbs),
        tuple(x for p in parts for x in p.nouns),
        tuple(x for p in parts for x in p.capitalised),
        parts[0].language,
    )
