"""drift: which facts changed between a source and a version derived from it.

For every aligned sentence pair of a derivation edge the facts of both sides are compared:

- ``name``: a person, place or organisation spelled differently (``variant``: the same entity,
  Easley / Isley) or a different person put in its place (``variant`` false);
- ``number``: a value with its unit changed ("11,000" and "11000" are one number; "about 50" and
  "approximately 50" too);
- ``date``: a date, weekday, month or year changed ("January" fits "last January");
- ``quote``: the words inside quotation marks changed;
- ``status``: the tense, modality or status of an event changed ("planned visit" / "recent
  visit", "will sign" / "signed", "may" / "will");
- ``negation``: a statement turned into its negation.

Across languages (a translation, or two versions in one language other than English), only what
survives translation is compared: numbers, dates, names and negation, by
:func:`storytrace.story.translation.compare_across`, called from :func:`compare`.

Wording that keeps the facts is not drift: synonyms, reordering, contractions, curly or straight
quotes, British or American spelling. When a fact is merely missing on one side (a trimmed
detail), nothing is reported: drift needs a replacement.

Only what is comparable is compared (``text.comparable``): a figure with another counted thing
("injured" / "killed"), another scope ("nationwide" / "alone", "record", a figure in brackets that
converts another) or in a passage about other years or places; a date in a dateline, a date line
or a timestamp (metadata, not an event), or the date of a statement against an event's; a name
written otherwise (hyphens, compounds, case, plural, a company suffix, a US state abbreviation, a
place and its people); a quotation of another speaker or another utterance. Each drift then gets
its difference kind (conflict, update, variant, rewording) from :mod:`storytrace.story.difference`.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from ..records import SEMANTIC_LABELS, Alignment, Derivation, Drift, DriftKind, Report
from ..text.comparable import (
    name_key,
    rounded_alike,
    same_but_grouping,
    same_place,
    same_spelling,
    spell_times,
    times_of_day,
)
from ..text.language import is_english
from ..text.mentions import (
    MONTHS,
    NUMBER_WORDS,
    REPORTING,
    WEEKDAYS,
    DateMention,
    NumberMention,
    SentenceFacts,
    VerbState,
    canonical_words,
    merge_facts,
    title_case,
)
from .difference import DEVELOPING, classify
from .translation import compare_across

_CURRENCY_UNITS = {"currency", "dollar", "euro", "pound", "yen", "yuan", "rouble", "ruble", "won", "usd"}


@dataclass(frozen=True, slots=True)
class Change:
    kind: DriftKind
    before: str
    after: str
    #: names: the same entity spelled otherwise; numbers: the same figure rounded
    variant: bool = False
    #: a figure that develops as a story does (a toll, a count: ``story.difference``)
    developing: bool = False
    #: a status change: True when ``after`` is further along (planned -> happened)
    forward: bool | None = None


def compare(src: SentenceFacts, tgt: SentenceFacts, strong: bool = False) -> list[Change]:
    """Fact changes from ``src`` to ``tgt`` (two aligned passages). ``strong``: the passages are
    near copies, so a different person in the same place is a substitution, not a rewrite."""
    if src.language != tgt.language or not is_english(src.language):
        return [Change(cast(DriftKind, kind), before, after, variant)
                for kind, before, after, variant in compare_across(src, tgt, strong)]  # fmt: skip
    changes: list[Change] = []
    changes += _numbers(src, tgt)
    changes += _dates(src, tgt)
    changes += _names(src, tgt, strong)
    # a verb's tense, modality or polarity is compared where the passages keep most of their words:
    # across two rewritten sentences the "same" verb is often another statement ("was paid" / "had
    # never paid a salary before") or the same one told otherwise ("was replaced" / "will replace")
    close = strong or _close_wording(src.text, tgt.text)
    changes += _status(src, tgt, strong, close)
    changes += _negation(src, tgt) if close else []
    # a change inside a quotation that another kind already explains is reported once, by that kind
    explained = {w for c in changes for w in canonical_words(f"{c.before} {c.after}")}
    changes += [
        q for q in _quotes(src, tgt) if not set(canonical_words(f"{q.before} {q.after}")) <= explained
    ]
    return changes


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


def _kept(n: NumberMention, others: Sequence[NumberMention]) -> bool:
    """The other side has the same value (or the same with more or fewer decimals: "75.8%" /
    "75.79%") with the same unit, or with no unit on either side."""
    return any(
        (o.value == n.value or rounded_alike(o.text, o.value, n.text, n.value))
        and (not o.unit or not n.unit or _unit(o.unit) == _unit(n.unit))
        for o in others
    )


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


def _elided_unit(a: NumberMention, b: NumberMention) -> bool:
    """``b`` has no unit written and ``a``'s unit is a word around it: "Lund scored 14 points" and
    "Berg had 13 points, while Lund added 12" count points both."""
    return bool(a.unit and not b.unit and a.unit.isalpha() and a.unit in b.around)


def _numbers(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    if same_but_grouping(src.text, tgt.text) or not (src.numbers and tgt.numbers and _same_scope(src, tgt)):
        return []
    # a figure is kept when the other side has its value with its unit ("a 911 dispatcher" is not
    # kept by "911 calls"); a changed figure pairs only with a different value
    lost = [n for n in src.numbers if not _kept(n, tgt.numbers)]
    new = [n for n in tgt.numbers if not _kept(n, src.numbers)]
    lone = len(lost) == 1 and len(new) == 1
    candidates: list[tuple[int, int, int]] = []
    for i, s in enumerate(lost):
        for k, t in enumerate(new):
            if t.value == s.value or s.counted != t.counted or s.scope != t.scope or not _same_currency(s, t):
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


def _dates(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
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


_NAME_FILLERS = {"of", "the", "and", "for", "de", "la"}
_DATE_WORDS = set(MONTHS) | set(WEEKDAYS)


def _name_tokens(norm: str) -> list[str]:
    return norm.split()


def _demonym(a: str, b: str) -> bool:
    """Ukraine / Ukrainian, Korea / Korean, Russia / Russian: one place, not a changed name."""
    if " " in a or a == b or min(len(a), len(b)) < 4:
        return False
    short, long = sorted((a, b), key=len)
    stem = short.rstrip("aeiouy") or short
    return long.startswith(stem) and long[len(stem) :] in {
        "n",
        "an",
        "ian",
        "ean",
        "ese",
        "i",
        "ish",
        "ns",
        "ans",
        "ians",
    }


def _similar_spelling(a: str, b: str) -> bool:
    import jellyfish

    if not a or not b:
        return False
    return bool(
        jellyfish.jaro_winkler_similarity(a, b) >= 0.8
        or (len(a) > 3 and jellyfish.metaphone(a) == jellyfish.metaphone(b))
    )


def _original_words(text: str, norm_tokens: list[str]) -> str:
    """The words of ``text`` (its original spelling) that normalise to ``norm_tokens``."""
    words = [w.strip(".") for w in re.findall(r"[\w'’.-]+", text)]
    wanted = " ".join(norm_tokens)
    for size in range(1, 5):
        for k in range(len(words) - size + 1):
            chunk = " ".join(words[k : k + size])
            if re.sub(r"[.'’-]|'s\b", " ", chunk).lower().split() == wanted.split():
                return chunk
    return " ".join(norm_tokens)


def _names(src: SentenceFacts, tgt: SentenceFacts, strong: bool) -> list[Change]:
    t_text = " " + " ".join(canonical_words(tgt.text)) + " "
    s_text = " " + " ".join(canonical_words(src.text)) + " "

    s_keys, t_keys = _spelling_keys(src.text), _spelling_keys(tgt.text)

    def present(norm: str, text: str, ents: Sequence[str], keys: set[str]) -> bool:
        if f" {norm} " in text or any(_demonym(norm, w) for w in text.split()):
            return True
        if name_key(norm) in keys:  # "Tenn." / "Tennessee", "on-line" / "online", "Acme Inc." / "Acme"
            return True
        toks = set(norm.split())
        return any(toks <= set(e.split()) or set(e.split()) <= toks or same_place(norm, e) for e in ents)

    skip = {"NORP"}
    s_ents = [e for e in src.entities if e.label not in skip]
    t_ents = [e for e in tgt.entities if e.label not in skip]
    lost = [e for e in s_ents if not present(e.norm, t_text, [t.norm for t in t_ents], t_keys)]
    new = [e for e in t_ents if not present(e.norm, s_text, [s.norm for s in s_ents], s_keys)]
    out: list[Change] = []
    used: set[int] = set()
    for s in lost:
        for k, t in enumerate(new):
            if k in used:
                continue
            ta, tb = _name_tokens(s.norm), _name_tokens(t.norm)
            a_words = [w for w in ta if w not in tb and w not in _NAME_FILLERS]
            b_words = [w for w in tb if w not in ta and w not in _NAME_FILLERS]
            if not a_words or not b_words:
                continue
            shared = len(set(ta) & set(tb))
            spelled = len(a_words) == len(b_words) and all(
                _similar_spelling(x, y) for x, y in zip(a_words, b_words, strict=True)
            )
            if spelled and (shared > 0 or len(ta) == 1):
                used.add(k)
                out.append(
                    Change(
                        "name", _original_words(src.text, a_words), _original_words(tgt.text, b_words), True
                    )
                )
                break
            if strong and s.label == t.label == "PERSON" and len(lost) == 1 and len(new) == 1:
                used.add(k)
                out.append(Change("name", s.text, t.text, False))
                break
    # capitalised words the parser did not tag: a close misspelling of a name is still drift
    seen = {w for c in out for w in (c.before, c.after)}

    def absent(word: str, text: str) -> bool:
        return f" {' '.join(canonical_words(word))} " not in text and word.lower() not in _DATE_WORDS

    if not strong and (title_case(src.text) or title_case(tgt.text)):
        return out  # two headlines in title case: capitals do not tell names from common nouns
    s_caps = {w for w in src.capitalised if absent(w, t_text) and name_key(w) not in t_keys}
    t_caps = {w for w in tgt.capitalised if absent(w, s_text) and name_key(w) not in s_keys}
    for a in sorted(s_caps - seen):
        for b in sorted(t_caps - seen):
            if (a[0] == b[0] and not _demonym(a.lower(), b.lower()) and not same_place(a, b)
                    and _close_spelling(a.lower(), b.lower())):  # fmt: skip
                out.append(Change("name", a, b, True))
                seen |= {a, b}
                break
    return out


def _spelling_keys(text: str) -> set[str]:
    """:func:`name_key` of every run of one to three words of ``text`` ("web site", "on-line",
    "Tenn."): a name of the other side with one of these keys is written here too."""
    words = re.findall(r"[\w'’.-]+", text)
    words = [w.strip(".'’-") for w in words]
    return {name_key(" ".join(words[k : k + n])) for n in (1, 2, 3) for k in range(len(words) - n + 1)}


def _close_spelling(a: str, b: str) -> bool:
    import jellyfish

    return len(a) >= 4 and len(b) >= 4 and jellyfish.jaro_winkler_similarity(a, b) >= 0.88


def _speakers(facts: SentenceFacts) -> list[str]:
    """Persons a passage names outside its quotations: who says the quoted words."""
    return [
        e.norm for e in facts.entities if e.label == "PERSON" and not any(e.text in q for q in facts.quotes)
    ]


def _same_speaker(src: SentenceFacts, tgt: SentenceFacts) -> bool:
    """The passages name no speaker, or a speaker in common (one name spelled two ways counts)."""
    a, b = _speakers(src), _speakers(tgt)
    if not a or not b:
        return True
    for x in a:
        for y in b:
            tx, ty = set(x.split()), set(y.split())
            if tx & ty or name_key(x) == name_key(y) or _similar_spelling(x, y):
                return True
    return False


def _quotes(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """Changed words inside the same quotation: the same speaker (or none named) and words that
    largely overlap. Another speaker's or another utterance is a different quotation, not drift."""
    out: list[Change] = []
    if not src.quotes or not tgt.quotes or not _same_speaker(src, tgt):
        return out
    used: set[int] = set()
    for q in src.quotes:
        qw = _quote_words(q)
        if len(qw) < 3:  # "potential arson": a quoted phrase, not a quotation
            continue
        best, best_k, best_tw = 0.0, -1, []
        for k, t in enumerate(tgt.quotes):
            if k in used:
                continue
            tw = _quote_words(t)
            if len(tw) < 3:
                continue
            overlap = len(set(qw) & set(tw)) / max(1, min(len(set(qw)), len(set(tw))))
            if overlap > best:
                best, best_k, best_tw = overlap, k, tw
        if best_k < 0 or best < 0.4 or best_tw == qw:
            continue
        used.add(best_k)
        sm = difflib.SequenceMatcher(a=qw, b=best_tw, autojunk=False)
        fragment = (_fragment(q), _fragment(tgt.quotes[best_k]))
        ops = [
            op
            for op in sm.get_opcodes()
            if op[0] != "equal"
            and not _same_words(qw[op[1] : op[2]], best_tw[op[3] : op[4]])
            and _EDITED not in qw[op[1] : op[2]] + best_tw[op[3] : op[4]]
            # a quotation run into the sentence starts where its writer chose: what the other
            # rendering has before it is not missing from it
            and not (fragment[0] and op[2] == 0)
            and not (fragment[1] and op[4] == 0)
        ]
        if not ops:
            continue
        if sm.ratio() < 0.6 or len(ops) > 3:
            # the same utterance rendered otherwise shares most of the longer one's words; a piece of a
            # longer quotation, or a quotation that shares a few words with another, is another utterance
            if len(set(qw) & set(best_tw)) / max(len(set(qw)), len(set(best_tw))) >= 0.4:
                out.append(Change("quote", q, tgt.quotes[best_k]))
            continue
        for _, i1, i2, j1, j2 in ops:
            out.append(Change("quote", " ".join(qw[i1:i2]), " ".join(best_tw[j1:j2])))
    return out


#: an editor's insertion in a quotation, in brackets or parentheses ("[the President]", "The (drug)
#: benefit"): it stands for words of the original, so it matches anything the other rendering has
#: in its place
_EDITED = "\u2026edited\u2026"
_BRACKETED = re.compile(r"\[[^\[\]]*\]|\([^()]*\)")
#: particles of Arabic names that one rendering keeps and another drops ("al-Ghozi" / "Ghozi")
_NAME_PARTICLES = {"al", "el"}


def _same_words(a: Sequence[str], b: Sequence[str]) -> bool:
    """Two runs of quoted words that say the same: the same words written otherwise (``same_spelling``),
    a figure in digits and in words ("2" / "two"), a name particle kept or dropped ("al-")."""
    if same_spelling(a, b) or set(a) | set(b) <= _NAME_PARTICLES:
        return True
    if len(a) == len(b) == 1:
        x, y = a[0], b[0]
        return str(NUMBER_WORDS.get(x, x)) == str(NUMBER_WORDS.get(y, y))
    return False


def _quote_words(quote: str) -> list[str]:
    """The canonical words of a quotation, an editor's insertion as one :data:`_EDITED`, times of day
    written one way ("6 p.m." / "6:00 p.m.")."""
    parts = _BRACKETED.split(spell_times(quote))
    out = canonical_words(parts[0])
    for part in parts[1:]:
        out += [_EDITED, *canonical_words(part)]
    return out


def _fragment(quote: str) -> bool:
    """A quotation that starts in lower case: a fragment run into the writer's sentence ("said the
    company "encourages all users to ...")."""
    first = quote.lstrip(" .…'\"“‘")[:1]
    return first.isalpha() and first.islower()


_CONFLICTING = {
    frozenset({"future", "past"}), frozenset({"possible", "past"}), frozenset({"conditional", "past"}),
    frozenset({"possible", "future"}),
}  # fmt: skip


#: words that put a statement in another time than its neighbour's ("Previously, agencies were
#: required ..." / "Agencies again will be required ...")
_TIME_SHIFT = {
    "previously", "formerly", "again", "once", "earlier", "longer", "anymore", "originally", "initially", "yet",
}  # fmt: skip


def _status(src: SentenceFacts, tgt: SentenceFacts, strong: bool = True, close: bool = True) -> list[Change]:
    """Changed status of an event: of a noun ("planned visit" / "recent visit") and, where the
    passages are ``close`` in wording, of a verb. "would" beside a past tense is the future of a
    past narrative ("would become" / "became"), in a rewrite any conditional beside a past tense
    may be a refusal or a rewording ("would not specify" / "was not specified"), and a passage that
    sets its statement in another time than the other ("previously" / "again") is not compared."""
    out: list[Change] = []
    shifted = bool(_TIME_SHIFT & (set(canonical_words(src.text)) ^ set(canonical_words(tgt.text))))
    s_nouns = {(n.lemma, n.status): n for n in src.nouns}
    t_nouns = {(n.lemma, n.status): n for n in tgt.nouns}
    for (lemma, status), n in s_nouns.items():
        other = "past" if status == "planned" else "planned"
        if (lemma, other) in t_nouns and (lemma, status) not in t_nouns:
            out.append(
                Change("status", n.phrase, t_nouns[(lemma, other)].phrase, forward=status == "planned")
            )
    for v, w in _verb_pairs(src, tgt) if close else []:
        if v.lemma in REPORTING or shifted or (not strong and "conditional" in (v.status, w.status)):
            continue
        if {v.status, w.status} == {"conditional", "past"} and _narrative_would(v, w):
            continue
        if frozenset({v.status, w.status}) in _CONFLICTING:
            forward = None if "past" not in (v.status, w.status) else w.status == "past"
            out.append(Change("status", v.phrase, w.phrase, forward=forward))
    return out


def _narrative_would(v: VerbState, w: VerbState) -> bool:
    """ "would become" beside "became": the future of a past narrative, the same fact."""
    return any(
        re.search(r"\bwould\b|'d\b", x.phrase, re.IGNORECASE) for x in (v, w) if x.status == "conditional"
    )


def _verb_pairs(src: SentenceFacts, tgt: SentenceFacts) -> list[tuple[VerbState, VerbState]]:
    """The same verb on both sides: a verb named once on each side, or, when a verb comes as often
    on both sides ("received a degree ... and received a doctorate"), the one occurrence whose
    status differs once the occurrences of equal status are set aside."""
    pairs: list[tuple[VerbState, VerbState]] = []
    s_count, t_count = Counter(v.lemma for v in src.verbs), Counter(v.lemma for v in tgt.verbs)
    for lemma, n in s_count.items():
        if t_count.get(lemma) != n:
            continue
        a = [v for v in src.verbs if v.lemma == lemma]
        b = [v for v in tgt.verbs if v.lemma == lemma]
        if n > 1:
            for v in list(a):
                same = next((w for w in b if w.status == v.status), None)
                if same is not None:
                    a.remove(v)
                    b.remove(same)
        if len(a) == 1 and len(b) == 1:
            pairs.append((a[0], b[0]))
    return pairs


def _unique_verbs(facts: SentenceFacts) -> dict[str, VerbState]:
    counts = Counter(v.lemma for v in facts.verbs)
    return {v.lemma: v for v in facts.verbs if counts[v.lemma] == 1}


def _close_wording(a: str, b: str) -> bool:
    return difflib.SequenceMatcher(a=canonical_words(a), b=canonical_words(b), autojunk=False).ratio() >= 0.7


def _negation(src: SentenceFacts, tgt: SentenceFacts) -> list[Change]:
    """A verb named once on each side, negated on one side only (``compare`` asks only where the
    passages are close in wording)."""
    out: list[Change] = []
    t_verbs = _unique_verbs(tgt)
    for lemma, v in _unique_verbs(src).items():
        w = t_verbs.get(lemma)
        if w is not None and v.negated != w.negated:
            out.append(Change("negation", v.phrase, w.phrase))
    return out


#: facts of each sentence, keyed by (article id, sentence index)
FactIndex = dict[tuple[str, int], SentenceFacts]


def story_drift(
    derivations: Sequence[Derivation],
    alignments: Sequence[Alignment],
    facts: FactIndex,
    published: Mapping[str, datetime | None] | None = None,
) -> list[Drift]:
    """Drift along every derivation edge of a story, passage by passage, each with its difference
    kind (``story.difference``); ``published``: the articles' publication times, when known."""
    times = published or {}
    by_pair: dict[tuple[str, str], Alignment] = {}
    for pair in alignments:
        by_pair[(pair.source, pair.target)] = pair
        by_pair[(pair.target, pair.source)] = pair.reversed()
    out: list[Drift] = []
    for d in derivations:
        al = by_pair.get((d.source, d.target))
        if al is None:
            continue
        when = (times.get(d.source), times.get(d.target))
        for link in al.links:
            src = merge_facts([facts[(d.source, i)] for i in link.source])
            tgt = merge_facts([facts[(d.target, j)] for j in link.target])
            strong = link.label not in SEMANTIC_LABELS
            for c in compare(src, tgt, strong):
                kind = classify(c.kind, c.before, c.after, c.variant, (src.text, tgt.text), when, c.developing,
                                c.forward)  # fmt: skip
                variant = c.variant and c.kind == "name"  # Drift.variant: names only (report.json v1)
                out.append(
                    Drift(d.source, d.target, c.kind, c.before, c.after, src.text, tgt.text, variant, kind)
                )
    return out


def seeds_checklist(report: Report) -> list[tuple[str, bool]]:
    """The drift and consolidation findings required on ../shared/seeds (the drift issue), each
    with whether ``report`` shows it; used by the seeds suite of ``storytrace eval``."""
    s000, s001, s002, s003, s004 = (
        "000_48c82d9fa84bf12b", "001_af60520f71ff48c9", "002_24a45464d321b182", "003_14e98fc3686cf210",
        "004_fdf5bc142029436b",
    )  # fmt: skip
    story = next((s for s in report.stories if s000 in s.articles), None)
    if story is None:
        return [("seeds analysed", False)]
    drift, dossier = story.dossier.drift, story.dossier

    def has(src: str, tgt: str, kind: str, before: str, after: str) -> bool:
        return any({d.source, d.target} == {src, tgt} and d.kind == kind and before in d.before and after in d.after
                   for d in drift)  # fmt: skip

    def fact(needle: str) -> set[str]:
        return {a for f in dossier.facts if needle in f.text for a in f.sources}

    def timeline(date: str, needle: str) -> bool:
        return any(t.date.startswith(date) and needle in t.event for t in dossier.timeline)

    containers = [f for f in dossier.facts if "11,000 containers" in f.text]
    return [
        ("name 000->003 Easley/Isley, a spelling variant", any(d.before == "Easley" and d.after == "Isley" and d.variant
                                                                for d in drift)),
        ("name 000->003 Ewha/Ewa, a spelling variant", any(d.before == "Ewha" and d.after == "Ewa" and d.variant
                                                            for d in drift)),
        ("status 000->004 planned/recent visit", has(s000, s004, "status", "planned", "recent")),
        ("quote 001/002 John Kirby's words differ", any({d.source, d.target} == {s001, s002} and d.kind == "quote"
                                                         and "concern" in d.source_sentence for d in drift)),
        ("quote 001/002 Kim's comrades-in-arms sentence differs",
         any({d.source, d.target} == {s001, s002} and d.kind == "quote" and "comrades" in d.source_sentence
             for d in drift)),
        ("quote 000->003 welcome/receive", has(s000, s003, "quote", "welcome", "receive")),
        ("fact: July 2000 visit, 3+ sources", len(fact("July 2000")) >= 3),
        ("fact: Vietnam June 19-20 by 000, 003, 004", {s000, s003, s004} <= fact("June 19-20")),
        ("fact: about 50 missiles by 000, 003, 004", {s000, s003, s004} <= fact("50 such missiles")),
        ("fact: 11,000 containers single-source (004)", bool(containers) and all(f.sources == (s004,)
                                                                                   for f in containers)),
        ("timeline: June 18-19 visit", any(t.date == "2024-06-18" for t in dossier.timeline)),
        ("timeline: September 2023 Vostochny meeting", timeline("2023-09", "Vostochny")),
        ("timeline: July 2000 visit", timeline("2000-07", "2000")),
    ]  # fmt: skip
