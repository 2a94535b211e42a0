"""reuse: how much of a text is taken from a source, on the scale of Clough & Stevenson (2011):

- ``cut``: copied, with sentences or words left out;
- ``light``: copied with light edits (synonyms, small changes of order);
- ``heavy``: rewritten, the source's content in the writer's own words;
- ``non``: written without the source (it may be on the same topic).

:func:`reuse_level` reads one alignment of the text (target) with a candidate source, plus the
two texts' word n-grams; :func:`classify_reuse` picks the source among several candidates.
The cut-offs are constants fitted on the tuning half of the short-answer reuse corpus (answers
of the participants at odd positions), see ``storytrace eval reuse``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from .records import Alignment, Article

ReuseLevel = Literal["cut", "light", "heavy", "non"]
LEVELS: tuple[ReuseLevel, ...] = ("cut", "light", "heavy", "non")

_WORD = re.compile(r"\w+")

#: cut-offs on the reuse score (see :func:`reuse_score`), fitted on the tuning half
NON_BELOW = 0.123
HEAVY_BELOW = 0.209
LIGHT_BELOW = 0.613


@dataclass(frozen=True)
class ReuseCall:
    """The level of reuse of ``target`` and the source it derives from (None for ``non``)."""

    target: str
    level: ReuseLevel
    source: str | None
    score: float
    evidence: tuple[str, ...]


def ngram_containment(part: str, whole: str, n: int = 3) -> float:
    """Share of the word n-grams of ``part`` that occur in ``whole``."""

    def grams(text: str) -> set[tuple[str, ...]]:
        words = _WORD.findall(text.lower())
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    p = grams(part)
    return len(p & grams(whole)) / len(p) if p else 0.0


def reuse_score(al: Alignment, source: Article, target: Article) -> tuple[float, list[str]]:
    """One score in [0, 1] for how literally ``target`` takes from ``source``, with its parts:
    word 3-gram containment of the target in the source, and the share of the target's
    sentences aligned verbatim or near-verbatim."""
    c3 = ngram_containment(target.text, source.text, 3)
    n_target = len(al.target_unaligned) + sum(len(lk.target) for lk in al.links)
    literal = al.count("verbatim", "near-verbatim") / n_target if n_target else 0.0
    linked = al.target_coverage
    score = 0.6 * c3 + 0.25 * literal + 0.15 * linked
    evidence = [
        f"{c3:.0%} of the word 3-grams of {target.id} occur in {source.id}",
        f"{literal:.0%} of its sentences align verbatim or near-verbatim, {linked:.0%} align at all",
    ]
    return score, evidence


def level_of(score: float) -> ReuseLevel:
    if score < NON_BELOW:
        return "non"
    if score < HEAVY_BELOW:
        return "heavy"
    if score < LIGHT_BELOW:
        return "light"
    return "cut"


def reuse_level(al: Alignment, source: Article, target: Article) -> ReuseCall:
    """The level of reuse of ``target`` (``al.target``) from ``source`` (``al.source``)."""
    score, evidence = reuse_score(al, source, target)
    level = level_of(score)
    return ReuseCall(
        target.id, level, None if level == "non" else source.id, round(score, 4), tuple(evidence)
    )


def classify_reuse(candidates: Sequence[tuple[Alignment, Article, Article]]) -> ReuseCall:
    """The most literal reuse among candidate sources: ``(alignment, source, target)`` triples
    for one target."""
    if not candidates:
        raise ValueError("classify_reuse needs at least one candidate source")
    calls = [reuse_level(al, s, t) for al, s, t in candidates]
    return max(calls, key=lambda c: c.score)
