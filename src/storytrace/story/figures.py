"""figures: which figures and dates of one passage another aligned passage gives otherwise.

Only comparable figures are paired (``text.comparable``): the same unit and currency, the same
counted thing ("injured" is not "killed"), the same scope words ("nationwide" / "alone"), in
passages about the same years, places and moment of the day; a figure the other side gives with
more decimals, or the same text with its digits grouped otherwise, is kept. Among several changed
figures or dates, each pairs with the one whose clause is about the same thing (the same player,
the same ship: :func:`text.comparable.context_of`), not with the one in the same position. Dates of
datelines and timestamps are metadata; the date of a statement pairs only with the date of a
statement, an end ("until 2013") only with an end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..records import DriftKind
from ..text.comparable import rounded_alike, same_but_grouping, same_place, times_of_day
from ..text.mentions import DateMention, NumberMention, SentenceFacts
from .difference import DEVELOPING

_CURRENCY_UNITS = {"currency", "dollar", "euro", "pound", "yen", "yuan", "rouble", "ruble", "won", "usd"}


@dataclass(frozen=True, slots=True)
class Change:
    """One fact of a passage that an aligned passage gives otherwise (``story.drift.compare``)."""

    kind: DriftKind
    before: str
    after: str
    #: names: the same entity spelled otherwise; numbers: the same figure rounded
    variant: bool = False
    #: a figure that develops as a story does (a toll, a count: ``story.difference``)
    developing: bool = False
    #: a status change: True when ``after`` is further along (planned -> happened)
    forward: bool | None = None


def _unit(unit: str | None) -> str | None:
    if unit in _CURRENCY_UNITS:
        return "currency"
    if unit in ("person", "persons", "people"):
        return "people"
    return unit


def _time_scope(facts: SentenceFacts) -> set[tuple[object, ...]]:
    """The years and the relative periods ("last year") a passage names: the time its figures cover."""
    scope: set[tuple[object, ...]] = {("year", d.year) for d in facts.dates if d.year is not None}
    scope |= {(d.relative, d.unit) for d in facts.dates if d.unit in ("week", "month", "year", "decade")}
    return scope


def _places(facts: SentenceFacts) -> list[str]:
    return [e.norm for e in facts.entities if e.label in ("GPE", "LOC", "FAC")]


def _same_scope(src: SentenceFacts, tgt: SentenceFacts) -> bool:
    """The two passages' figures cover the same time and place: the same years and periods, not
    two different times of day ("at 0520 GMT" / "at 1000 GMT": two moments of a market or a
    storm), and places that are not all different (an unnamed place fits any)."""
    if _time_scope(src) != _time_scope(tgt):
        return False
    clocks = times_of_day(src.text), times_of_day(tgt.text)
    if all(clocks) and not clocks[0] & clocks[1]:
        return False
    a, b = _places(src), _places(tgt)
    return not a or not b or any(same_place(x, y) or x in y or y in x for x in a for y in b)


def _currency(n: NumberMention) -> str | None:
    """The currency of a figure: from its sign ("$", "€") or its unit word ("dollars", "euros")."""
    return n.currency or (n.unit if n.unit in _CURRENCY_UNITS and n.unit != "currency" else None)


def _same_currency(s: NumberMention, t: NumberMention) -> bool:
    """Not two different currencies ("€103 million" / "£88m": one sum converted)."""
    a, b = _currency(s), _currency(t)
    return a is None or b is None or a == b or {a, b} <= {"dollar", "usd"}


def _keeps(o: NumberMention, n: NumberMention) -> bool:
    """``o`` gives ``n``'s value (or the same with more or fewer decimals: "75.8%" / "75.79%") with
    the same unit, or with no unit on either side."""
    return (o.value == n.value or rounded_alike(o.text, o.value, n.text, n.value)) and (
        not o.unit or not n.unit or _unit(o.unit) == _unit(n.unit)
    )


def _not_kept(mine: Sequence[NumberMention], others: Sequence[NumberMention]) -> list[NumberMention]:
    """The figures of ``mine`` that ``others`` do not keep, each figure of ``others`` keeping one at
    most: "12 died and 12 were hurt" / "15 died and 12 were hurt" keeps one 12, not both. A figure
    keeps one that counts the same thing first. A figure that counts nothing named is kept by any
    figure of its value ("205 yards" in the headline and again in the text)."""
    free = list(others)
    left: list[NumberMention] = []
    for n in mine:
        o = next((o for o in free if o.counted == n.counted and _keeps(o, n)), None)
        if o is None:
            left.append(n)
        else:
            free.remove(o)
    lost: list[NumberMention] = []
    for n in left:
        o = next((o for o in (free if n.counted else others) if _keeps(o, n)), None)
        if o is None:
            lost.append(n)
        elif o in free:
            free.remove(o)
    return lost  # in the order of ``mine``


def _about(
    s: NumberMention | DateMention, t: NumberMention | DateMention, sure: bool, lone: bool
) -> int | None:
    """How much two figures or dates are about the same thing: the content words their clauses
    share (``text.comparable.context_of``), None when they are about different things. ``sure``:
    something else already says they are (a figure whose clause says what it counts, "killed").
    The only figure (date) of its kind that changed on each side needs a word in common within
    five words around it, or no words around one of them ("1.16% (2004 est.)"); among several,
    each needs a word in common with its pair's clause."""
    shared = len(s.context & t.context)
    if shared or sure:
        return shared
    if lone and (s.around & t.around or not s.around or not t.around):
        return 0
    return None


def _pair_by_context(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Pairs (lost, new) from candidates (lost, new, shared words): the most alike first, each
    mention used once ("Lund scored 14" pairs with "Lund added 12", not with "Berg scored 13")."""
    out: list[tuple[int, int]] = []
    used_s: set[int] = set()
    used_t: set[int] = set()
    for i, k, _ in sorted(candidates, key=lambda c: (-c[2], c[0], c[1])):
        if i not in used_s and k not in used_t:
            used_s.add(i)
            used_t.add(k)
            out.append((i, k))
    return sorted(out)


_CORE = re.compile(r"\d[\d,]*(?:\.\s?\d+)?")


def _decimal_halves(a: NumberMention, b: NumberMention, a_text: str, b_text: str) -> bool:
    """One figure is the whole or the decimal part of the other, cut there by tokenised text: a
    sentence split at the point ("worth £1." / "7m have been stolen" beside "worth £1.7m"), or a
    spaced point the number reader did not join ("magnitude - 5. 9" / "5.9")."""
    x, y = _CORE.search(a.text), _CORE.search(b.text)
    if x is None or y is None:
        return False
    for short, long, text, other in (
        (x.group(), y.group(), a_text, b_text),
        (y.group(), x.group(), b_text, a_text),
    ):
        whole, point, decimals = long.replace(" ", "").partition(".")
        cut = (
            text.rstrip().endswith(f"{short}.")
            or text.lstrip(" £$€").startswith(short)
            or re.search(rf"\b{re.escape(whole)}\.\s{re.escape(decimals)}\b", f"{text} {other}") is not None
        )
        if point and short in (whole, decimals) and cut:
            return True
    return False


def _elided_unit(a: NumberMention, b: NumberMention) -> bool:
    """``b`` has no unit written and ``a``'s unit is a word around it: "Lund scored 14 points" and
    "Berg had 13 points, while Lund added 12" count points both."""
    return bool(a.unit and not b.unit and a.unit.isalpha() and a.unit in b.around)


def changed_figures(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """Figures of ``src`` that ``tgt`` gives with another value (module doc)."""
    if same_but_grouping(src.text, tgt.text) or not (src.numbers and tgt.numbers and _same_scope(src, tgt)):
        return []
    # a figure is kept when the other side has its value with its unit ("a 911 dispatcher" is not
    # kept by "911 calls"); a changed figure pairs only with a different value
    lost = _not_kept(src.numbers, tgt.numbers)
    new = _not_kept(tgt.numbers, src.numbers)
    lone = len(lost) == 1 and len(new) == 1
    candidates: list[tuple[int, int, int]] = []
    for i, s in enumerate(lost):
        for k, t in enumerate(new):
            if t.value == s.value or s.counted != t.counted or s.scope != t.scope or not _same_currency(s, t):
                continue
            if _decimal_halves(s, t, src.text, tgt.text):
                continue
            shared = _about(s, t, bool(s.counted), lone)
            # the same unit (figures without one only as a lone pair), or a unit left out where a
            # figure nearby gives it ("13 points, while Lund added 12")
            if shared is not None and (
                (_unit(s.unit) == _unit(t.unit) and (s.unit or lone))
                or _elided_unit(s, t)
                or _elided_unit(t, s)
            ):
                candidates.append((i, k, shared))
    out: list[Change] = []
    for i, k in _pair_by_context(candidates):
        s, t = lost[i], new[k]
        # "about 2,000" for "2,017": the same figure rounded, not another one
        rounded = (s.approximate or t.approximate) and abs(s.value - t.value) <= 0.05 * max(s.value, t.value)
        out.append(
            Change("number", s.text, t.text, rounded, developing=(s.counted or t.counted) in DEVELOPING)
        )
    return out


def _same_date_kind(s: DateMention, t: DateMention) -> bool:
    """Both name a weekday, or both a month, or both a bare year, or both the same period."""
    return (
        (s.weekday is not None and t.weekday is not None)
        or (s.month is not None and t.month is not None)
        or (s.year is not None and t.year is not None and s.month is None and t.month is None)
        or (s.unit is not None and s.unit == t.unit)
    )


def _overlapping(s: DateMention, t: DateMention) -> bool:
    """The two dates share their year or their month and differ in a finer field (December 1941 /
    November 19, 1941; May 10 / May 12)."""
    return (s.year is not None and s.year == t.year) or (s.month is not None and s.month == t.month)


def changed_dates(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """Event dates that changed; dates of datelines and timestamps are metadata, the date of a
    statement ("said Saturday") is compared only with the date of a statement, an end ("until
    2013") only with an end, and a date only with one about the same thing (the year a ship was
    broken up is not the year another was launched)."""
    s_dates = [d for d in src.dates if not d.metadata]
    t_dates = [d for d in tgt.dates if not d.metadata]
    lost = [d for d in s_dates if not any(d.compatible(t) for t in t_dates)]
    new = [t for t in t_dates if not any(t.compatible(d) for d in s_dates)]
    candidates: list[tuple[int, int, int]] = []
    for i, s in enumerate(lost):
        for k, t in enumerate(new):
            if s.said != t.said or s.relation != t.relation or not _same_date_kind(s, t):
                continue
            # the only changed date of its kind on each side; one that keeps the year or the month
            # of the other ("in December 1941" / "November 19, 1941") is the same date restated
            lone = (
                sum(_same_date_kind(x, t) for x in lost) == 1 and sum(_same_date_kind(s, y) for y in new) == 1
            )
            shared = _about(s, t, lone and _overlapping(s, t), lone)
            if shared is not None:
                candidates.append((i, k, shared))
    return [Change("date", lost[i].text, new[k].text) for i, k in _pair_by_context(candidates)]
