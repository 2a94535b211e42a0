"""Changes that are not drift, for the drift generator v2: what republishing, house style, editing
and page templates do to a copy without changing a fact. A detector that flags any of them loses
precision; each application is recorded (`NoiseV2`) on the sentence it touched (`Unit`), so a false
flag can be put down to a family.

Families: dateline, timestamp, byline (metadata lines that differ between copies), number-form (the
same value written another way), quote-style, contraction, spelling (British/American, inside
quotations too), compound ("web site"/"website"), state (US state abbreviations), abbreviation
("U.S."/"US"), title ("Mr. X" -> "X"), rewording (synonyms outside quotations), attribution
("Police said X." -> "X, police said."), split, merge, reorder, drop, furniture, caption, comments.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from drift_forms import NoiseV2, in_quote

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


@dataclass
class Unit:
    """One line of a copy and the changes that are not drift it went through."""

    text: str
    noise: list[NoiseV2] = field(default_factory=list)
    planted: bool = False

    @property
    def families(self) -> set[str]:
        return {n.family for n in self.noise}


Swap = Callable[[str, random.Random], tuple[str, list[NoiseV2]]]


def _swap_pairs(family: str, pairs: list[tuple[str, str]], flags: int = 0, outside_quotes: bool = False) -> Swap:
    """Replace either spelling of each pair by the other (each pair with probability one half)."""

    def swap(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
        done: list[NoiseV2] = []
        for a, b in pairs:
            if rng.random() < 0.5:
                continue
            for old, new in ((a, b), (b, a)):
                matches = [m for m in re.finditer(rf"\b{re.escape(old)}(?![\w-])", text, flags)
                           if not (outside_quotes and in_quote(text, m.start(), m.end()))]  # fmt: skip
                for m in reversed(matches):
                    repl = new[:1].upper() + new[1:] if m.group(0)[:1].isupper() else new
                    text = text[: m.start()] + repl + text[m.end() :]
                    done.append(NoiseV2(family, m.group(0), repl))
                if matches:
                    break
        return text, done

    return swap


spelling = _swap_pairs("spelling", [
    ("organize", "organise"), ("organization", "organisation"), ("color", "colour"), ("favorite", "favourite"),
    ("defense", "defence"), ("center", "centre"), ("program", "programme"), ("analyze", "analyse"),
    ("labor", "labour"), ("honor", "honour"), ("traveled", "travelled"), ("theater", "theatre"),
    ("neighbor", "neighbour"), ("behavior", "behaviour"), ("apologize", "apologise"), ("recognize", "recognise"),
    ("criticized", "criticised"), ("realize", "realise"), ("jewelry", "jewellery"), ("gray", "grey"),
    ("skeptical", "sceptical"), ("rumor", "rumour"), ("humor", "humour"), ("offense", "offence"),
    ("license", "licence"), ("fulfill", "fulfil"), ("canceled", "cancelled"), ("modeling", "modelling"),
])  # fmt: skip
contraction = _swap_pairs("contraction", [
    ("do not", "don't"), ("did not", "didn't"), ("is not", "isn't"), ("was not", "wasn't"), ("will not", "won't"),
    ("are not", "aren't"), ("have not", "haven't"), ("has not", "hasn't"), ("would not", "wouldn't"),
    ("could not", "couldn't"), ("does not", "doesn't"), ("cannot", "can't"), ("I am", "I'm"), ("we are", "we're"),
    ("they are", "they're"), ("you are", "you're"), ("I have", "I've"),
])  # fmt: skip
compound = _swap_pairs("compound", [
    ("on-line", "online"), ("web site", "website"), ("e-mail", "email"), ("co-operate", "cooperate"),
    ("health care", "healthcare"), ("week-end", "weekend"), ("per cent", "percent"),
    ("co-ordinate", "coordinate"), ("teen-ager", "teenager"),
], flags=re.IGNORECASE)  # fmt: skip
abbreviation = _swap_pairs("abbreviation", [("U.S.", "US"), ("U.N.", "UN"), ("U.K.", "UK"), ("U. S.", "U.S.")])
_REWORDING = [
    (r"\bnearly\b", "almost"), (r"\bbegan\b", "started"), (r"\bbought\b", "purchased"), (r"\blarge\b", "big"),
    (r"\bquickly\b", "rapidly"), (r"\bdied\b", "passed away"), (r"\bofficials\b", "authorities"),
    (r"\battorney\b", "lawyer"), (r"\bmovie\b", "film"), (r"\bchildren\b", "kids"), (r"\bresidents\b", "locals"),
    (r"\bapproximately\b", "about"), (r"\babout (?=\d)", "approximately "), (r"\bmore than (?=\d)", "over "),
    (r"\bannounced\b", "made public"), (r"\bbecause\b", "since"), (r"\bhowever\b", "though"),
    (r"(?<=[a-z] )said(?= (on|in|that|he|she|they|it|there)\b)", "told reporters"),
]  # fmt: skip


def rewording(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """Synonyms outside quotations that change no fact ("said on Monday" -> "told reporters on
    Monday", "about 300" -> "approximately 300", "died" -> "passed away")."""
    done = []
    for pattern, new in _REWORDING:
        if rng.random() < 0.5:
            continue
        for m in reversed([m for m in re.finditer(pattern, text) if not in_quote(text, m.start(), m.end())]):
            text = text[: m.start()] + new + text[m.end() :]
            done.append(NoiseV2("rewording", m.group(0), new))
    return text, done


_STATES = [("California", "Calif."), ("Tennessee", "Tenn."), ("Florida", "Fla."), ("Arizona", "Ariz."),
           ("Massachusetts", "Mass."), ("Michigan", "Mich."), ("Minnesota", "Minn."), ("Pennsylvania", "Pa."),
           ("Texas", "Tex."), ("Oklahoma", "Okla."), ("Colorado", "Colo."), ("Illinois", "Ill."),
           ("Connecticut", "Conn."), ("Wisconsin", "Wis."), ("Kentucky", "Ky."), ("Alabama", "Ala."),
           ("Nevada", "Nev."), ("Oregon", "Ore.")]  # fmt: skip


def state(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """A US state in AP style or in full: "Nashville, Tennessee" <-> "Nashville, Tenn."."""
    done = []
    for full, short in _STATES:
        for old, new, pattern in ((short, full, rf"(?<!\w){re.escape(short)}"), (full, short, rf"(?<=, ){full}\b\.?")):
            m = re.search(pattern, text)
            if m and rng.random() < 0.7:
                if old == short and not text[m.end() :].strip():
                    new += "."  # "in Malibu, Calif." at the end keeps its full stop
                text = text[: m.start()] + new + text[m.end() :]
                done.append(NoiseV2("state", old, new))
                break
    return text, done


def title(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """House style drops honorifics: "Mr. Obama" -> "Obama"."""
    done = []
    for m in reversed(list(re.finditer(r"\b(Mr|Mrs|Ms|Dr)\. (?=[A-Z])", text))):
        if rng.random() < 0.8 and not in_quote(text, m.start()):
            text = text[: m.start()] + text[m.end() :]
            done.append(NoiseV2("title", m.group(0).strip(), ""))
    return text, done


def quote_style(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """Straight quotation marks and apostrophes to curly ones, or back."""
    if "“" in text or "’" in text:
        new = text.replace("“", '"').replace("”", '"').replace("’", "'").replace("‘", "'")
    else:
        marks = iter(["“", "”"] * (text.count('"') // 2 + 1))
        new = re.sub('"', lambda _m: next(marks), text) if text.count('"') % 2 == 0 else text
        new = re.sub(r"(?<=\w)'(?=\w)", "’", new)
    changed = [(a, b) for a, b in zip(text.split(), new.split(), strict=False) if a != b]
    return new, [NoiseV2("quote-style", a, b) for a, b in changed]


_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_YEAR = re.compile(r"1[89]\d\d|20\d\d")


def number_form(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """The same value written another way: "2,000" -> "2000" or "2, 000" -> "2,000", "2500" ->
    "2,500", "seven people" -> "7 people" and back, "40. 3" -> "40.3", "5 percent" -> "5 per cent" or
    "5%", "3 million" -> "3m" or "3,000,000"."""
    options: list[tuple[re.Match[str], str]] = []
    for m in re.finditer(r"(?<![\w.,])(\d{1,3})(,\s?)(\d{3})(?![\w]|[.,]\d)", text):
        options.append((m, f"{m.group(1)}{m.group(3)}" if m.group(2) == "," else f"{m.group(1)},{m.group(3)}"))
    for m in re.finditer(r"(?<![\w.,$/:-])(\d{4,6})(?![\w.,/:-])", text):
        if not _YEAR.fullmatch(m.group(1)):
            options.append((m, f"{int(m.group(1)):,}"))
    for m in re.finditer(r"(?<![\w.,$/:-])(?<!\d\. )(\d+)\. (\d)(?!\d*\s?[:.]\s?\d)", text):  # not "08. 07. 2013"
        options.append((m, f"{m.group(1)}.{m.group(2)}"))
    for m in re.finditer(r"(?<![\w-])(" + "|".join(_SMALL[2:]) + r") (?=[a-z]{3,})", text):
        options.append((m, f"{_SMALL.index(m.group(1))} "))
    for m in re.finditer(r"(?<![\w.,$/:-])([2-9]) (?=(people|men|women|children|days|weeks|months|years|times)\b)", text):
        options.append((m, f"{_SMALL[int(m.group(1))]} "))
    for m in re.finditer(r"(?<=\d)( percent\b|%| per cent\b)", text):
        options.append((m, rng.choice([o for o in (" percent", "%", " per cent") if o != m.group(1)])))
    for m in re.finditer(r"(?<![\w.,])(\d{1,3}) million\b", text):
        options.append((m, rng.choice([f"{m.group(1)}m", f"{int(m.group(1)) * 1_000_000:,}"])))
    options = [(m, new) for m, new in options if not in_quote(text, m.start(), m.end())]
    if not options:
        return text, []
    rng.shuffle(options)
    done: list[tuple[re.Match[str], str]] = []
    taken: list[tuple[int, int]] = []
    for m, new in options[: rng.choice([1, 1, 2])]:
        if any(m.start() < b and a < m.end() for a, b in taken):
            continue
        taken.append((m.start(), m.end()))
        done.append((m, new))
    for m, new in sorted(done, key=lambda d: d[0].start(), reverse=True):
        text = text[: m.start()] + new + text[m.end() :]
    return text, [NoiseV2("number-form", m.group(0), new) for m, new in done]


_PRONOUNS = ("He", "She", "They", "We", "It", "The", "Police", "Officials", "Authorities", "Witnesses")


def attribution(text: str, rng: random.Random) -> tuple[str, list[NoiseV2]]:
    """"Police said the man fled." -> "The man fled, police said." (no fact moves)."""
    m = re.fullmatch(r"([A-Z][\w.'-]*(?: [\w.'-]+){0,3}) said (?:that )?([^\"“”]{20,})\.", text)
    if not m or " said" in m.group(2) or re.match(
        r"(on|in|at|last|this|yesterday|today|late|early|during|after|before|earlier|when|while|that|"
        + "|".join(WEEKDAYS + MONTHS) + r")\b", m.group(2)
    ) or m.group(1).split()[0] in ("But", "And", "So", "Yet", "Or", "However"):
        return text, []
    subject = m.group(1)
    subject = subject[0].lower() + subject[1:] if subject.split()[0] in _PRONOUNS else subject
    rest = m.group(2)
    new = f"{rest[0].upper()}{rest[1:]}, {subject} said."
    return new, [NoiseV2("attribution", text, new)]


SENTENCE_NOISE: list[tuple[Swap, bool]] = [
    # (change, may touch a sentence that carries a planted edit)
    (spelling, True), (contraction, True), (quote_style, True), (compound, True), (abbreviation, True),
    (number_form, False), (state, False), (title, False), (rewording, False), (attribution, False),
]  # fmt: skip

# -- lines that differ between copies without a fact changing ------------------------------------

CITIES = ["WASHINGTON", "LOS ANGELES", "NEW YORK", "LONDON", "ATHENS", "CHICAGO", "PARIS", "SYDNEY", "MIAMI"]
AGENCIES = ["Reuters", "AP", "AFP", "UPI", "dpa", "Bloomberg"]
WRITERS = ["Jane Carter", "Tom Wells", "Maria Lopez", "Ken Ito", "Ruth Adler", "Sam Osei", "Lena Brandt"]
FURNITURE = ["Share this article", "Click here to subscribe to our daily newsletter", "Advertisement",
             "Related stories", "Most popular", "Follow us on Twitter @newsdesk", "Image 1 of 12",
             "Copyright 2013 The Associated Press. All rights reserved.",
             "This material may not be published, broadcast, rewritten or redistributed.",
             "Comments (14)", "Read more: top stories of the day", "4 min read", "Print this page"]  # fmt: skip
CAPTIONS = ["(AP Photo/Mark Lennihan)", "Photo: Reuters / Lucy Nicholson",
            "FILE - In this March 3, 2012 file photo, the building is seen from the street.",
            "Pictured: the scene on Tuesday afternoon", "Getty Images"]  # fmt: skip
COMMENTS = ["jdoe42 wrote: This is ridiculous, they should have known better.",
            "Posted by Sam at 11:02 PM: Nobody saw this coming? Really?",
            "Tom_K: I give it 2 weeks before this is back in the news.",
            "Reader comment from Ohio: my prayers go out to the 3 families."]  # fmt: skip


def clock(rng: random.Random) -> str:
    return f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d} {rng.choice(['AM', 'PM'])}"


def dateline(rng: random.Random) -> str:
    """"WASHINGTON, Tuesday, May 5 (Reuters) - " and other agency datelines."""
    city, agency = rng.choice(CITIES), rng.choice(AGENCIES)
    day = f"{rng.choice(WEEKDAYS)}, {rng.choice(MONTHS)} {rng.randint(1, 28)}"
    return rng.choice([f"{city}, {day} ({agency}) - ", f"{city} ({agency}) — ", f"{city}, {day} - "])


def timestamp_line(rng: random.Random) -> str:
    month, day, year = rng.choice(MONTHS), rng.randint(1, 28), rng.choice([2008, 2009, 2012, 2013])
    return rng.choice([
        f"Updated {clock(rng)} ET, {rng.choice(WEEKDAYS)[:3]} {month} {day}, {year}",
        f"Published: {rng.choice(WEEKDAYS)}, {month} {day}, {year}, {clock(rng)}",
        f"Last modified {day:02d}/{rng.randint(1, 12):02d}/{year} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        f"Posted {clock(rng)}, {month} {day}, {year}",
    ])  # fmt: skip


def byline(rng: random.Random) -> str:
    writer = rng.choice(WRITERS)
    return rng.choice([f"By {writer}", f"By {writer.upper()}, {rng.choice(AGENCIES)} Writer", f"{writer}, staff reporter"])


def _metadata(text: str) -> bool:
    """A date, time or byline line: short, and no sentence."""
    words = text.split()
    return len(words) < 12 and bool(
        re.search(r"\b(" + "|".join(MONTHS) + r")\b|\d+ ?/ ?\d+ ?/ ?\d{4}|\b[AP]M\b|\b[ap]m\b|^By ", text, re.I)
    ) and len(re.findall(r"\b[a-z]{4,}\b", text)) < 3


def _body(text: str) -> bool:
    return len(text.split()) >= 6 and not _metadata(text)


# -- sentences split, merged, reordered, dropped --------------------------------------------------

_SPLIT = re.compile(r"(?:,|;) (but|and|while) (?=(he|she|they|it|the|his|her|their|we|police|officials)\b)")
_OPENERS = {"The", "He", "She", "They", "It", "His", "Her", "Their", "This", "That", "A", "An", "Police"}


def split(unit: Unit) -> list[Unit]:
    m = _SPLIT.search(unit.text)
    if not m or in_quote(unit.text, m.start()):
        return [unit]
    head = unit.text[: m.start()] + "."
    tail = m.group(1).capitalize() + unit.text[m.end() - 1 :]
    return [Unit(part, [*unit.noise, NoiseV2("split", unit.text, part)]) for part in (head, tail)]


def merge(a: Unit, b: Unit) -> Unit | None:
    first = b.text.split()[0] if b.text.split() else ""
    if not a.text.endswith(".") or '"' in a.text + b.text or first not in _OPENERS:
        return None
    text = a.text[:-1] + ", and " + first.lower() + b.text[len(first) :]
    return Unit(text, [*a.noise, *b.noise, NoiseV2("merge", a.text + " " + b.text, text)])


def apply_noise(sentences: list[str], planted: dict[int, str], rng: random.Random,
                rate: float = 0.5) -> tuple[list[Unit], list[Unit]]:  # fmt: skip
    """The original's lines and the derived copy's lines (planted sentences replaced) after the
    changes that are not drift. Planted sentences are never dropped, split or merged."""
    orig = [Unit(s) for s in sentences]
    der = [Unit(planted.get(k, s), planted=k in planted) for k, s in enumerate(sentences)]
    for k, u in enumerate(der):
        if k <= 3 and not u.planted and _metadata(u.text) and rng.random() < 0.7:
            new = timestamp_line(rng)
            u.noise.append(NoiseV2("timestamp", u.text, new))
            u.text = new
            continue
        for change, on_planted in SENTENCE_NOISE:
            if (on_planted or not u.planted) and rng.random() < rate:
                u.text, done = change(u.text, rng)
                u.noise += done
    kept: list[Unit] = []
    for k, u in enumerate(der):
        if k > 1 and not u.planted and rng.random() < 0.1:
            orig[k].noise.append(NoiseV2("drop", u.text, ""))
        elif not u.planted and rng.random() < 0.15:
            kept += split(u)
        elif kept and not u.planted and not kept[-1].planted and rng.random() < 0.1 and (m := merge(kept[-1], u)):
            kept[-1] = m
        else:
            kept.append(u)
    if len(kept) > 4 and rng.random() < 0.7:
        i = rng.randrange(2, len(kept) - 1)
        kept[i], kept[i + 1] = kept[i + 1], kept[i]
        for u in (kept[i], kept[i + 1]):
            u.noise.append(NoiseV2("reorder", "", ""))
    _metadata_noise(orig, kept, rng)
    return orig, kept


def _prefix(units: list[Unit], line: str, family: str) -> None:
    body = next((u for u in units[:4] if _body(u.text)), None)
    if body is not None:
        body.text = line + body.text
        body.noise.append(NoiseV2(family, "", line.strip(" -—")))


def _metadata_noise(orig: list[Unit], der: list[Unit], rng: random.Random) -> None:
    """Datelines, timestamps and bylines (in the copy, and sometimes other ones in the original),
    site furniture, a caption and reader comments."""
    if rng.random() < 0.5:
        _prefix(der, dateline(rng), "dateline")
        if rng.random() < 0.4:
            _prefix(orig, dateline(rng), "dateline")
    for make, family in ((timestamp_line, "timestamp"), (byline, "byline")):
        if rng.random() < 0.35:
            line = make(rng)
            der.insert(min(1, len(der)), Unit(line, [NoiseV2(family, "", line)]))
            if rng.random() < 0.4:
                other = make(rng)
                orig.insert(min(1, len(orig)), Unit(other, [NoiseV2(family, "", other)]))
    for _ in range(rng.choice([1, 1, 2])):
        line = rng.choice(FURNITURE)
        der.insert(rng.randrange(min(2, len(der)), len(der) + 1), Unit(line, [NoiseV2("furniture", "", line)]))
    if rng.random() < 0.3:
        line = rng.choice(CAPTIONS)
        der.insert(rng.randrange(min(2, len(der)), len(der) + 1), Unit(line, [NoiseV2("caption", "", line)]))
    if rng.random() < 0.3:
        for line in rng.sample(COMMENTS, 2):
            der.append(Unit(line, [NoiseV2("comments", "", line)]))
