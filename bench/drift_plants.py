"""Planters of the drift generator v2: fact edits of the kinds real rewrites and machine translation
make, each in several forms, written from how news copy changes (not from the detector's rules).

A planter takes one sentence, a random generator and the article's person names and returns a
`PlantV2` (the edited sentence and the smallest changed span) or None when the sentence offers
nothing for that form. `FORMS` lists every form per kind. Numbers, names, status and negation edits
are made outside quotations; quotation edits only change words that are neither names, numbers
nor negations, so each plant has one kind.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from drift_forms import PlantV2, in_quote, quote_spans, unbalanced_quote
from drift_words import (
    ANTONYMS,
    COUNTRIES,
    DANGLING,
    DROPPABLE,
    FIRST_NAMES,
    INSERTS,
    IRREGULAR,
    MONTHS,
    NOT_NAMES,
    NOT_VERBS,
    PLANNED,
    QUOTE_WORDS,
    TRANSLIT,
    WEEKDAYS,
    WORD_NUMBERS,
    WORD_SWAPS,
)


@dataclass(frozen=True)
class Names:
    """Person names of one article: surnames and first names seen as "First Last"."""

    surnames: frozenset[str] = frozenset()
    firsts: frozenset[str] = frozenset()


Planter = Callable[[str, random.Random, Names], PlantV2 | None]


def find_names(sentences: list[str]) -> Names:
    """Surnames written once after a first name ("Tara Reid") and again on their own ("Reid said",
    "Reid's rep"): how news copy refers to people. Places and organisations rarely pass both tests."""
    surnames: set[str] = set()
    firsts: set[str] = set()
    alone: set[str] = set()
    for sent in sentences:
        runs = list(re.finditer(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?: [A-Z][a-z]+(?:-[A-Z][a-z]+)?)*\b", sent))
        for m in runs:
            parts = m.group(0).split()
            if len(parts) == 2 and parts[0] not in NOT_NAMES and parts[1] not in NOT_NAMES and len(parts[1]) > 2:
                firsts.add(parts[0])
                surnames.add(parts[1])
            elif len(parts) == 1 and not sent[m.end() : m.end() + 2].startswith(". "):
                alone.add(parts[0])
    lower = set(re.findall(r"\b[a-z]+\b", " ".join(sentences)))
    found = {name for name in surnames if name in alone and name.lower() not in lower and name not in COUNTRIES}
    return Names(
        frozenset(found), frozenset(f for f in firsts - found if f.lower() not in lower and f not in COUNTRIES)
    )


def _plant(kind: str, form: str, sent: str, start: int, end: int, new: str, before: str = "",
           after: str = "") -> PlantV2:  # fmt: skip
    target = sent[:start] + new + sent[end:]
    return PlantV2(kind, form, before or sent[start:end], after or new, sent, target)


def _capital(word: str, like: str) -> str:
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def _outside(sent: str, m: re.Match[str]) -> bool:
    """Outside every quotation (a sentence with an unpaired quotation mark may be all quotation)."""
    return not unbalanced_quote(sent) and not in_quote(sent, m.start(), m.end())


def _body(sent: str) -> bool:
    """A sentence of the body: a dateline, byline or headline-like fragment is not."""
    return len(re.findall(r"\b[a-z]{2,}\b", sent)) >= 4 and not re.match(
        r"(?i)\s*(updated|published|posted|by|last modified)\b", sent
    )


# -- names -------------------------------------------------------------------------------------


def garble(word: str, rng: random.Random) -> str:
    """One slip of a transcriber or translator: two letters swapped, one dropped or doubled, or a
    vowel written as another (never the first letter)."""
    ops = ["swap", "drop", "double", "vowel"]
    rng.shuffle(ops)
    for op in ops:
        inner = range(1, len(word) - 1)
        if op == "swap":
            ks = [k for k in inner if word[k] != word[k + 1] and word[k + 1].islower()]
            if ks:
                k = rng.choice(ks)
                return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
        elif op == "drop" and len(word) >= 5:
            k = rng.choice(list(range(1, len(word))))
            out = word[:k] + word[k + 1 :]
            if out != word:
                return out
        elif op == "double":
            ks = [k for k in range(1, len(word)) if word[k] not in "aeiouy" and word[k] != word[k - 1]]
            if ks:
                k = rng.choice(ks)
                return word[: k + 1] + word[k] + word[k + 1 :]
        else:
            ks = [k for k in range(1, len(word)) if word[k] in "aeiou"]
            if ks:
                k = rng.choice(ks)
                return word[:k] + rng.choice([v for v in "aeiou" if v != word[k]]) + word[k + 1 :]
    return word + "e"




def transliterate(word: str, rng: random.Random) -> str | None:
    """Another romanisation of the same name ("Gaddafi" -> "Gadafi", "Tchaikovsky" -> "Chaikovski")."""
    rules = [(a, b) for a, b in TRANSLIT if re.search(a, word[1:])]
    if not rules or not word[1:].islower():
        return None
    a, b = rng.choice(rules)
    body = re.sub(a, b, word[1:], count=1)
    out = word[0] + body
    return out if out != word else None


def _name_spots(sent: str, names: Names, where: str) -> list[re.Match[str]]:
    if not names.surnames:
        return []
    alternatives = "|".join(sorted(names.surnames, key=len, reverse=True))
    spots = []
    for m in re.finditer(rf"\b({alternatives})\b", sent):
        if not _outside(sent, m):
            continue
        start = sent[: m.start()].strip() == ""
        possessive = sent[m.end() : m.end() + 2] in ("'s", "’s") or sent[m.end() : m.end() + 3] == " 's"
        kind = "possessive" if possessive else ("start" if start else "mid")
        if where in (kind, "any"):
            spots.append(m)
    return spots


def _name_form(where: str, form: str) -> Planter:
    def plant(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
        spots = _name_spots(sent, names, where)
        if not spots:
            return None
        m = rng.choice(spots)
        return _plant("name", form, sent, m.start(), m.end(), garble(m.group(0), rng))

    return plant


def plant_name_translit(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    spots = _name_spots(sent, names, "any")
    rng.shuffle(spots)
    for m in spots:
        new = transliterate(m.group(0), rng)
        if new:
            return _plant("name", "name:translit", sent, m.start(), m.end(), new)
    return None


def plant_name_first(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """Another first name before a known surname ("Tara Reid" -> "Sarah Reid")."""
    if not names.surnames:
        return None
    alternatives = "|".join(sorted(names.surnames, key=len, reverse=True))
    spots = [m for m in re.finditer(rf"\b([A-Z][a-z]+) (?:{alternatives})\b", sent)
             if m.group(1) in names.firsts and _outside(sent, m)]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    new = rng.choice([f for f in FIRST_NAMES if f != m.group(1) and f[0] != m.group(1)[0]])
    return _plant("name", "name:first", sent, m.start(1), m.end(1), new)


# -- numbers -----------------------------------------------------------------------------------

_MONTH_BEFORE = re.compile(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$")
_NUMBER = re.compile(r"(?<![\w.,/:-])(\d{1,3}(?:,\s?\d{3})+|\d+(?:\.\d+)?)(?![\w]|[.,:/]\s?\d)")


def _number_spots(sent: str) -> list[re.Match[str]]:
    """Numbers stating a quantity: not a year, a date, a time, an ordinal or an identifier, and not
    in a dateline or a timestamp."""
    spots: list[re.Match[str]] = []
    if not _body(sent):
        return spots
    for m in _NUMBER.finditer(sent):
        text, head, tail = m.group(1), sent[: m.start()], sent[m.end() :]
        if re.fullmatch(r"1[89]\d\d|20\d\d", text) or _MONTH_BEFORE.search(head) or re.search(r"\d[.,:]\s$", head):
            continue
        if re.match(r"\s?(:\s?\d|[ap]\.?\s?m\b|[AP]\.?\s?M\b|/|(st|nd|rd|th)\b|,\s?(19|20)\d\d|[×x]\d|\shours\b)",
                    tail) or re.match(
            r"(?i)\s(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b", tail
        ) or head.endswith("×"):
            continue  # a time, a date ("16 Aug 2011"), an ordinal, a "4×4"
        if re.search(r"(?i)(no\.|#|route|channel|interstate|flight|page|number|chapter|article|/)\s*$", head):
            continue
        if _outside(sent, m):
            spots.append(m)
    return spots


def new_number(text: str, rng: random.Random) -> str:
    """Another value written the way ``text`` is ("2,000" -> "2,500", "2, 000" -> "2, 500",
    "4.5" -> "5.4", "45" -> "54" or "60")."""
    sep = ", " if ", " in text else ("," if "," in text else "")
    if "." in text:
        whole, frac = text.split(".")
        swapped = f"{frac}.{whole}" if len(frac) == len(whole) == 1 and frac != whole and frac != "0" else ""
        if swapped and rng.random() < 0.6:
            return swapped
        return f"{float(text) + rng.choice([0.3, 0.7, 1.1, 2.4]):.{len(frac)}f}"
    value = int(text.replace(",", "").replace(" ", ""))
    digits = str(value)
    if 10 <= value < 100 and digits[0] != digits[1] and digits[1] != "0" and rng.random() < 0.4:
        new = int(digits[::-1])
    elif value < 10:
        new = value + rng.choice([1, 2, 3, 5])
    else:
        step = max(1, round(value * rng.choice([0.2, 0.25, 0.4, 0.5])))
        magnitude = 10 ** max(0, len(str(step)) - 2)
        new = value + max(1, round(step / magnitude) * magnitude)
    out = f"{new:,}".replace(",", sep) if sep else str(new)
    return out


def _number_form(form: str, test: Callable[[str, str, str], bool]) -> Planter:
    def plant(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
        spots = [m for m in _number_spots(sent) if test(m.group(1), sent[: m.start()], sent[m.end() :])]
        if not spots:
            return None
        m = rng.choice(spots)
        return _plant("number", form, sent, m.start(1), m.end(1), new_number(m.group(1), rng))

    return plant


_PERCENT = re.compile(r"\s?(%|percent\b|per cent\b|pct\b)")
_SCALED = re.compile(r"\s(million|billion|thousand|trillion)\b")
_AGE = re.compile(r"(-| - |\s)year(s)?(-| - )old")
_MONEY = re.compile(r"[$£€]\s?$")


def _plain(text: str, head: str, tail: str) -> bool:
    return not ("," in text or "." in text or _PERCENT.match(tail) or _SCALED.match(tail) or _MONEY.search(head)
                or _AGE.match(tail) or re.search(r"(\d\s?(-|–|to|and)\s?)$", head)
                or re.match(r"\s?(-|–|to|and)\s?\d", tail))  # fmt: skip




def plant_number_words(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"seven" -> "nine", "a dozen" -> "three dozen", "hundreds" -> "thousands"."""
    pattern = r"\b(" + "|".join(list(WORD_SWAPS) + WORD_NUMBERS) + r")\b"
    spots = [m for m in re.finditer(pattern, sent, re.IGNORECASE) if _outside(sent, m)
             and not re.match(r"\s(of (the|them|us|his|her|their)|times)\b", sent[m.end():])]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    word = m.group(1).lower()
    options = WORD_SWAPS.get(word) or [w for w in WORD_NUMBERS if w != word]
    new = _capital(rng.choice(options), m.group(1))
    return _plant("number", "number:words", sent, m.start(1), m.end(1), new)


def plant_number_scale(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"5.8 million" -> "5.8 billion" (the unit of a figure changed, its digits kept)."""
    spots = [m for m in re.finditer(r"(\d[\d.,]*)\s(million|billion)\b", sent) if _outside(sent, m)]
    if not spots:
        return None
    m = rng.choice(spots)
    unit = "billion" if m.group(2) == "million" else "million"
    return _plant("number", "number:scale", sent, m.start(), m.end(), f"{m.group(1)} {unit}")


def plant_number_range(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """One end of a range or score: "20 to 30" -> "20 to 40", "43 - 39" -> "43 - 36"."""
    spots = [m for m in re.finditer(r"(?<![\d-])\b(\d+)(\s?(?:-|–|to|and)\s?)(\d+)\b(?![.,:/-]\d)(?!\s?/)", sent)
             if _outside(sent, m) and not re.fullmatch(r"1[89]\d\d|20\d\d", m.group(1))
             and not _MONTH_BEFORE.search(sent[: m.start()])]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    group = rng.choice([1, 3])
    new = new_number(m.group(group), rng)
    return _plant("number", "number:range", sent, m.start(group), m.end(group), new)


def plant_number_repeated(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """A value that appears twice in the sentence; one of the two changes."""
    spots = _number_spots(sent)
    seen = [m for m in spots if sum(o.group(1) == m.group(1) for o in spots) > 1]
    if not seen:
        return None
    m = rng.choice(seen)
    return _plant("number", "number:repeated", sent, m.start(1), m.end(1), new_number(m.group(1), rng))


# -- dates -------------------------------------------------------------------------------------


def plant_date_weekday(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    spots = [m for m in re.finditer(r"\b(" + "|".join(WEEKDAYS) + r")\b", sent) if _outside(sent, m)]
    if not spots or not _body(sent):
        return None
    m = rng.choice(spots)
    new = rng.choice([d for d in WEEKDAYS if d != m.group(1)])
    return _plant("date", "date:weekday", sent, m.start(), m.end(), new)


def plant_date_month(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    pattern = r"\b(" + "|".join(MONTHS) + r")\b"
    # a month where a date is meant ("in March", "March 3", "March, 2009"), not "the March on Washington"
    spots = [m for m in re.finditer(pattern, sent) if _outside(sent, m)
             and (re.match(r",?\s\d", sent[m.end():]) or (m.group(1) != "May" and re.search(
                 r"\b(in|on|of|since|last|next|early|late|mid|until|by|from|through|this|each|every)\s$", sent[: m.start()])))]  # fmt: skip
    if not spots or not _body(sent):
        return None
    m = rng.choice(spots)
    k = MONTHS.index(m.group(1))
    new = MONTHS[(k + rng.choice([-2, -1, 1, 2, 3])) % 12]
    return _plant("date", "date:month", sent, m.start(), m.end(), new)


def plant_date_year(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    spots = [m for m in re.finditer(r"(?<![\w$.,/-])(19[5-9]\d|20[0-3]\d)(?!\w)(?![.,/-]\w)", sent) if _outside(sent, m)]
    if not spots or not _body(sent):
        return None
    m = rng.choice(spots)
    new = str(int(m.group(1)) + rng.choice([-3, -2, -1, 1, 2]))
    return _plant("date", "date:year", sent, m.start(), m.end(), new)


def plant_date_day(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    spots = [m for m in re.finditer(r"\b(" + "|".join(MONTHS) + r") (\d{1,2})\b(?!:)", sent) if _outside(sent, m)]
    if not spots or not _body(sent):
        return None
    m = rng.choice(spots)
    day = int(m.group(2))
    new_day = rng.choice([d for d in (day - 1, day + 1, day + 10, day - 10) if 1 <= d <= 28 and d != day])
    return _plant("date", "date:day", sent, m.start(), m.end(), f"{m.group(1)} {new_day}")


# -- quotes ------------------------------------------------------------------------------------

_COPULA = re.compile(r"\b(is|am|are|was|were|be|been|'m|'re|’m|’re|feel|felt|will|would|can|could|have|has) (?=[a-z]{3,})")
_FACTUAL = re.compile(r"\d|\b(not|no|never|nothing|none|nobody|n't)\b", re.IGNORECASE)
_SPEECH = r"\b(said|says|say|told|tells|added|adds|stated|wrote|explained|according to|insisted|declared)\b"


def _attribution(sent: str, a: int, b: int) -> str:
    """Where the quotation at a..b is attributed: ``before`` ("X said: '...'"), ``after``
    ("'...,' X said") or ``none``."""
    head, tail = sent[: max(0, a - 1)], sent[b + 1 :]
    if re.search(_SPEECH + r"[^\"“”]{0,40}[:,]?\s*$", head):
        return "before"
    if re.match(r"[^\"“”]{0,60}" + _SPEECH, tail):
        return "after"
    return "none"


def _quote_form(edit: str) -> Planter:
    def plant(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
        if unbalanced_quote(sent):
            return None
        spans = [(a, b) for a, b in quote_spans(sent) if len(sent[a:b].split()) >= 4]
        rng.shuffle(spans)
        for a, b in spans:
            got = _edit_quote(sent, a, b, edit, rng, names)
            if got:
                start, end, new, before, after = got
                form = f"quote:{edit}-{_attribution(sent, a, b)}"
                return _plant("quote", form, sent, start, end, new, before, after)
        return None

    return plant


def _edit_quote(sent: str, a: int, b: int, edit: str, rng: random.Random,
                names: Names) -> tuple[int, int, str, str, str] | None:  # fmt: skip
    inner = sent[a:b]
    toks = [m for m in re.finditer(r"\b[a-z]+\b", inner) if not _FACTUAL.search(m.group(0))]
    if edit == "change":
        cands = [m for m in toks if m.group(0) in QUOTE_WORDS]
        if not cands:
            return None
        m = rng.choice(cands)
        new = QUOTE_WORDS[m.group(0)]
        return a + m.start(), a + m.end(), new, m.group(0), new
    if edit == "insert":
        # an intensifier after a copula or an auxiliary, where a translator would put one
        spots = [m for m in _COPULA.finditer(inner) if not _FACTUAL.match(inner[m.end() :])
                 and inner[m.end() :].split()[0].lower() not in DROPPABLE]  # fmt: skip
        if not spots:
            return None
        m = rng.choice(spots)
        word = rng.choice([w for w in INSERTS if w not in inner.lower().split()])
        return a + m.end(), a + m.end(), word + " ", "", word
    if edit == "drop":
        cands = [m for m in toks if (m.group(0) in DROPPABLE or (m.group(0).endswith("ly") and len(m.group(0)) > 5))
                 and inner[m.end() : m.end() + 1] == " "]
        if not cands:
            return None
        m = rng.choice(cands)
        end = a + m.end() + (1 if sent[a + m.end() : a + m.end() + 1] == " " else 0)
        return a + m.start(), end, "", m.group(0), ""
    # trim: the quotation loses its last clause or its last few words
    text = inner.rstrip(" ,.!?")
    words = text.split()
    if len(words) < 7:
        return None
    comma = text.rfind(", ")
    if comma > len(text) // 3 and len(text[comma + 2 :].split()) >= 2:
        cut = comma
    else:
        keep = len(words) - rng.choice([2, 3, 4])
        while keep > 3 and words[keep - 1].lower().strip(",;") in DANGLING:
            keep -= 1
        cut = len(text) - len(text.lstrip()) + len(" ".join(words[:keep]))
    removed = text[cut:].strip(" ,")
    if _FACTUAL.search(removed) or any(n in removed for n in names.surnames):
        return None
    return a + cut, a + len(text), "", removed, ""


# -- status ------------------------------------------------------------------------------------



def past(verb: str) -> tuple[str, str]:
    """Simple past and past participle of a base-form verb."""
    if verb in IRREGULAR:
        return IRREGULAR[verb]
    if verb.endswith("e"):
        form = verb + "d"
    elif re.search(r"[^aeiou]y$", verb):
        form = verb[:-1] + "ied"
    elif re.fullmatch(r"[^aeiou]*[aeiou][bdgmnpt]", verb):
        form = verb + verb[-1] + "ed"
    else:
        form = verb + "ed"
    return form, form




def plant_status_will(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"will visit" -> "visited", "will be hosting" -> "was hosting"."""
    spots = [m for m in re.finditer(r"\bwill (be|[a-z]{3,})\b", sent)
             if _outside(sent, m) and (m.group(1) == "be" or m.group(1) not in NOT_VERBS)
             and not m.group(1).endswith("ly")]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    new = past(m.group(1))[0]
    if new == "was" and re.search(r"\b(we|they|you)\s+$", sent[: m.start()], re.IGNORECASE):
        new = "were"
    return _plant("status", "status:will-past", sent, m.start(), m.end(), new)




def plant_status_planned(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """A plan written as done: "the planned merger" -> "the completed merger", "plans to open" ->
    "opened", "the upcoming vote" -> "the recent vote"."""
    spots = [m for m in re.finditer(r"\b(?:(?:[Tt]he|[Aa]n?|its|his|her|their) (planned|proposed|upcoming)|(plans|intends|"
                                    r"is planning|are planning|was planning|were planning) to ([a-z]{3,}))\b", sent)
             if _outside(sent, m) and (m.group(3) or "x") not in NOT_VERBS]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    if m.group(1):
        return _plant("status", "status:planned", sent, m.start(1), m.end(1), PLANNED[m.group(1)])
    return _plant("status", "status:planned", sent, m.start(2), m.end(), past(m.group(3))[0])


def plant_status_expected(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"is expected to announce" -> "has announced"."""
    pattern = r"\b(is|are|was|were) (expected|set|scheduled|likely) to ([a-z]{2,})\b"
    spots = [m for m in re.finditer(pattern, sent) if _outside(sent, m) and m.group(3) not in NOT_VERBS]
    if not spots:
        return None
    m = rng.choice(spots)
    aux = {"is": "has", "are": "have", "was": "had", "were": "had"}[m.group(1)]
    return _plant("status", "status:expected", sent, m.start(), m.end(), f"{aux} {past(m.group(3))[1]}")


def plant_status_hedge(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """The hedge of an unproven claim dropped: the adverbs "allegedly", "reportedly", "apparently",
    and "alleged" / "suspected" before a noun ("the alleged gunman" -> "the gunman")."""
    adverbs = r"\b((allegedly|reportedly|apparently) )"
    adjectives = r"\b(?:[Aa]n?|[Tt]he|his|her|its|two|our) ((alleged|suspected) )(?=[a-z])"
    spots = [m for p in (adverbs, adjectives) for m in re.finditer(p, sent, re.IGNORECASE if p == adverbs else 0)
             if _outside(sent, m) and not re.match(r"\s*(to|that|of|by|in)\b", sent[m.end():])]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    start, end = m.start(1), m.end(1)
    if start == 0:  # "Reportedly the mayor resigned" -> "The mayor resigned"
        return _plant("status", "status:hedge", sent, start, end + 1, sent[end : end + 1].upper(), m.group(2), "")
    return _plant("status", "status:hedge", sent, start, end, "", m.group(2), "")


def plant_status_modal(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"could face" -> "will face", "may resign" -> "will resign"."""
    spots = [m for m in re.finditer(r"\b(could|may|might)(?= [a-z]{2,})", sent)
             if _outside(sent, m) and not re.match(r" not\b", sent[m.end():])]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    return _plant("status", "status:modal", sent, m.start(), m.end(), "will")


# -- negation ----------------------------------------------------------------------------------

_AUX = r"(is|was|are|were|will|would|could|can|should|has|have|had|must)"


def plant_negation_insert(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"was" -> "was not", "will" -> "will not" (after an auxiliary)."""
    spots = [m for m in re.finditer(rf"\b{_AUX} (?!not\b|n't|never\b|no\b)([a-z]{{3,}})", sent) if _outside(sent, m)
             and (not m.group(1).startswith("ha") or re.search(r"(ed|en|wn|ne|been|got|made|had|left|won|lost|paid|"
                                                               r"held|told|said|sent|spent|kept|met)$", m.group(2)))]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    return _plant("negation", "negation:insert", sent, m.end(1), m.end(1), " not", "", "not")


def plant_negation_drop(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    """"did not say" -> "did say", "wasn't" -> "was", "never entered" -> "entered"."""
    spots = [m for m in re.finditer(r"\b(\w+)( not|n't|n’t)\b| never\b", sent) if _outside(sent, m)
             and (m.group(1) is None or m.group(1).lower() not in ("ca", "wo", "sha", "why", "or", "if"))]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    if m.group(1) is None:
        return _plant("negation", "negation:drop", sent, m.start(), m.end(), "", "never", "")
    return _plant("negation", "negation:drop", sent, m.end(1), m.end(), "", m.group(2).strip(), "")




def plant_negation_antonym(sent: str, rng: random.Random, names: Names) -> PlantV2 | None:
    spots = [m for m in re.finditer(r"\b(" + "|".join(ANTONYMS) + r")\b", sent) if _outside(sent, m)
             and not re.search(r"\b(is|was|were|are|be|been|being)\s+$", sent[: m.start()])]  # fmt: skip
    if not spots:
        return None
    m = rng.choice(spots)
    return _plant("negation", "negation:antonym", sent, m.start(), m.end(), ANTONYMS[m.group(1)])


FORMS: dict[str, dict[str, Planter]] = {
    "name": {"name:mid": _name_form("mid", "name:mid"), "name:start": _name_form("start", "name:start"),
             "name:possessive": _name_form("possessive", "name:possessive"),
             "name:headline": _name_form("any", "name:headline"), "name:translit": plant_name_translit,
             "name:first": plant_name_first},
    "number": {"number:digits": _number_form("number:digits", _plain),
               "number:thousands": _number_form("number:thousands", lambda t, h, a: "," in t),
               "number:decimal": _number_form("number:decimal", lambda t, h, a: "." in t and not _PERCENT.match(a)),
               "number:percent": _number_form("number:percent", lambda t, h, a: bool(_PERCENT.match(a))),
               "number:money": _number_form("number:money", lambda t, h, a: bool(_MONEY.search(h))),
               "number:age": _number_form("number:age", lambda t, h, a: bool(_AGE.match(a))),
               "number:words": plant_number_words, "number:scale": plant_number_scale,
               "number:range": plant_number_range, "number:repeated": plant_number_repeated},
    "date": {"date:weekday": plant_date_weekday, "date:month": plant_date_month, "date:year": plant_date_year,
             "date:day": plant_date_day},
    "quote": {"quote:change": _quote_form("change"), "quote:insert": _quote_form("insert"),
              "quote:drop": _quote_form("drop"), "quote:trim": _quote_form("trim")},
    "status": {"status:will-past": plant_status_will, "status:planned": plant_status_planned,
               "status:expected": plant_status_expected, "status:hedge": plant_status_hedge,
               "status:modal": plant_status_modal},
    "negation": {"negation:insert": plant_negation_insert, "negation:drop": plant_negation_drop,
                 "negation:antonym": plant_negation_antonym},
}  # fmt: skip
