"""Records, text helpers and per-form accounting of the planted-edit generator v2 (bench/drift_v2.py).

A planted edit is a `PlantV2`: its kind (one of the drift kinds), its form (which variant of the
planter made it, e.g. ``number:words`` or ``name:possessive``), the smallest changed span (``before``
-> ``after``, words, not characters) and the whole sentence before and after the edit, so a miss can
be read back. A change that is not drift is a `NoiseV2`: its family (``dateline``, ``number-form``,
``spelling`` ...) and the changed span. `Tally` counts plants found per form and false flags per
noise family and turns them into the rows `bench/drift.py` prints.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from difflib import SequenceMatcher

KINDS = ("name", "number", "date", "quote", "status", "negation")


@dataclass(frozen=True)
class PlantV2:
    kind: str
    form: str
    before: str
    after: str
    #: the sentence of the original and the same sentence in the derived copy (before any noise)
    source: str = ""
    target: str = ""


@dataclass(frozen=True)
class NoiseV2:
    family: str
    before: str
    after: str


# -- text helpers ------------------------------------------------------------------------------

_QUOTE_CHARS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "`": "'"})
_CONTRACTIONS = [
    (r"\bwon't\b", "will not"), (r"\bcan't\b", "can not"), (r"\bcannot\b", "can not"), (r"\bshan't\b", "shall not"),
    (r"n't\b", " not"), (r"\bit's\b", "it is"), (r"\bwe're\b", "we are"), (r"\bthey're\b", "they are"),
    (r"\byou're\b", "you are"), (r"\bi'm\b", "i am"), (r"\bwe've\b", "we have"), (r"\bi've\b", "i have"),
    (r"\bthey've\b", "they have"), (r"\bthat's\b", "that is"), (r"\bhe's\b", "he is"), (r"\bshe's\b", "she is"),
]  # fmt: skip


def norm(text: str) -> str:
    """Lower case, straight quotes, contractions spelled out, tokenizer spaces closed up
    ("2, 000" -> "2,000", "three - month" -> "three-month", "time, \"" -> "time,\"")."""
    t = text.translate(_QUOTE_CHARS).lower()
    for pattern, repl in _CONTRACTIONS:
        t = re.sub(pattern, repl, t)
    t = re.sub(r"(\d), (\d{3})\b", r"\1,\2", t)
    t = re.sub(r"(\d)\. (\d)", r"\1.\2", t)
    t = re.sub(r"\s+-\s+", "-", t)
    t = re.sub(r"\s+([,.;:!?%])", r"\1", t)
    return re.sub(r"\s+", " ", t).strip()


def contains(hay: str, needle: str) -> bool:
    """``needle`` occurs in ``hay`` as whole words and whole numbers (both normalised: "2" is not
    in "2,000"); the empty needle always does."""
    n = norm(needle)
    if not n:
        return True
    pattern = r"(?<!\w)(?<!\d[.,])" + re.escape(n) + r"(?!\w)(?![.,]\d)"
    return re.search(pattern, norm(hay)) is not None


def overlaps(reported: str, planted: str) -> bool:
    """A reported span and a planted one name the same change: one holds the other (an empty
    reported span holds only the empty planted span), or both are phrases of three words or more
    that share most of their words, or of six letters or more spelled nearly alike (a detector
    may report words lower-cased or respelled: "killing" as "kiling", "thrilled" as "thriled")."""
    if contains(reported, planted) or (bool(norm(reported)) and contains(planted, reported)):
        return True
    wr, wp = re.findall(r"[a-z0-9]+", norm(reported)), re.findall(r"[a-z0-9]+", norm(planted))
    if min(len(wr), len(wp)) >= 3 and len(set(wr) & set(wp)) >= 0.6 * max(len(set(wr)), len(set(wp))):
        return True
    a, b = " ".join(wr), " ".join(wp)
    return min(len(a), len(b)) >= 6 and SequenceMatcher(None, a, b).ratio() >= 0.85


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", norm(text)))


def similarity(a: str, b: str) -> float:
    """Share of the shorter sentence's words found in the other."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def quote_spans(sent: str) -> list[tuple[int, int]]:
    """Character spans (inside the marks) of the quotations of one sentence: straight double quotes
    paired in order, or curly “…” pairs."""
    spans = [(m.start() + 1, m.end() - 1) for m in re.finditer(r"“[^“”]*”", sent)]
    marks = [m.start() for m in re.finditer('"', sent)]
    spans += [(marks[k] + 1, marks[k + 1]) for k in range(0, len(marks) - 1, 2)]
    return sorted(spans)


def in_quote(sent: str, start: int, end: int | None = None) -> bool:
    """The span ``start``..``end`` (one character when ``end`` is absent) overlaps a quotation."""
    end = start + 1 if end is None else end
    return any(start < b and a < end for a, b in quote_spans(sent))


def unbalanced_quote(sent: str) -> bool:
    return sent.count('"') % 2 == 1 or sent.count("“") != sent.count("”")


_UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
          "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
          "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
          "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12, "a dozen": 12,
          "hundred": 100, "thousand": 1000}  # fmt: skip
_SCALE = {"million": 1e6, "billion": 1e9, "thousand": 1e3, "mln": 1e6, "bln": 1e9, "m": 1e6, "bn": 1e9}


def values(text: str) -> set[float]:
    """The numbers a span states, raw and scaled ("1.2 million" -> {1.2, 1200000.0}; "seven" -> {7})."""
    t = norm(text)
    found: set[float] = set()
    for m in re.finditer(r"(\d+(?:,\d{3})*(?:\.\d+)?)(?:\s*(million|billion|thousand|mln|bln|bn|m)\b)?", t):
        v = float(m.group(1).replace(",", ""))
        found.add(v)
        if m.group(2):
            found.add(round(v * _SCALE[m.group(2)], 6))
    for m in re.finditer(r"\b(?:(\w+)\s+)?(" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r")\b", t):
        base = _UNITS[m.group(2)]
        found.add(float(base))
        if m.group(1) in _UNITS and m.group(2) in ("dozen", "hundred", "thousand"):
            found.add(float(_UNITS[m.group(1)] * base))
    return found


# -- accounting --------------------------------------------------------------------------------


@dataclass
class Tally:
    """Counts of one run of the v2 benchmark."""

    planted: Counter[str] = field(default_factory=Counter)  # per kind
    found: Counter[str] = field(default_factory=Counter)
    reported: Counter[str] = field(default_factory=Counter)
    correct: Counter[str] = field(default_factory=Counter)
    form_planted: Counter[str] = field(default_factory=Counter)
    form_found: Counter[str] = field(default_factory=Counter)
    #: plants whose edit was reported under another kind (counted as missed)
    form_other_kind: Counter[str] = field(default_factory=Counter)
    #: missed plants whose sentence got a report of the right kind that names other words
    form_located: Counter[str] = field(default_factory=Counter)
    #: false flags of a planted edit's kind on its sentence (the edit seen, its words misreported)
    located_flags: int = 0
    noise_applied: Counter[str] = field(default_factory=Counter)
    noise_flags: Counter[str] = field(default_factory=Counter)
    clean_pairs: int = 0
    clean_pairs_flagged: int = 0
    clean_flags: int = 0
    pairs: int = 0
    unlinked: int = 0

    def add_noise(self, applied: Iterable[NoiseV2]) -> None:
        self.noise_applied.update(n.family for n in applied)


def _row(correct: float, reported: float, found: float, planted: float, **extra: float) -> dict[str, float]:
    return {
        "precision": correct / reported if reported else 1.0,
        "recall": found / planted if planted else 0.0,
        "planted": float(planted),
        "reported": float(reported),
        **extra,
    }


def rows(t: Tally) -> dict[str, dict[str, float]]:
    """The v1 rows (each kind and ``overall``), then ``form <form>`` (recall of one planter form),
    ``no-drift pairs`` (false flags on pairs that carry noise only), ``noise <family>`` (false flags
    attributed to one family of changes that are not drift; precision 1.0 when none) and
    ``unlinked pairs`` (pairs with no derivation edge between the two copies). Extras: ``other_kind``
    (missed plants reported under another kind), ``located`` / ``located_misses`` (missed plants whose
    sentence got a report of their kind naming other words) and ``located_flags`` (false flags that
    are such reports). Every row has
    ``precision`` and ``recall`` (1.0 when nothing was reported, 0.0 when nothing was planted)."""
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        out[kind] = _row(t.correct[kind], t.reported[kind], t.found[kind], t.planted[kind])
    others = {k: n for k, n in t.reported.items() if k not in KINDS}
    for kind, n in sorted(others.items()):
        out[kind] = _row(t.correct[kind], n, 0, 0)
    out["overall"] = _row(
        sum(t.correct.values()), sum(t.reported.values()), sum(t.found.values()), sum(t.planted.values()),
        located_misses=float(sum(t.form_located.values())), located_flags=float(t.located_flags),
    )
    for form in sorted(t.form_planted):
        n = t.form_planted[form]
        out[f"form {form}"] = _row(
            t.form_found[form], t.form_found[form], t.form_found[form], n,
            other_kind=float(t.form_other_kind[form]), located=float(t.form_located[form]),
        )  # fmt: skip
    out["no-drift pairs"] = _row(
        0, t.clean_flags, 0, 0, pairs=float(t.clean_pairs), flagged_pairs=float(t.clean_pairs_flagged)
    )
    for family in sorted(set(t.noise_applied) | set(t.noise_flags)):
        out[f"noise {family}"] = _row(0, t.noise_flags[family], 0, 0, applied=float(t.noise_applied[family]))
    out["unlinked pairs"] = _row(0, 0, t.pairs - t.unlinked, t.pairs, unlinked=float(t.unlinked))
    return out


def format_rows(scores: Mapping[str, Mapping[str, float]]) -> list[str]:
    """The printed table: kinds first, then the per-form, no-drift and noise rows with their counts."""
    lines = [f"{'row':<26} {'precision':>9} {'recall':>7} {'planted':>8} {'reported':>9}  extra"]
    for name, s in scores.items():
        extra = " ".join(
            f"{k}={int(v)}" for k, v in s.items() if k not in ("precision", "recall", "planted", "reported")
        )
        lines.append(
            f"{name:<26} {s['precision']:>9.3f} {s['recall']:>7.3f} {int(s['planted']):>8} "
            f"{int(s['reported']):>9}  {extra}"
        )
    return lines
