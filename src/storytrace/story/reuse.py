"""reuse: how much of a text is taken from a source, on the scale of Clough & Stevenson (2011):

- ``cut``: copied, with sentences or words left out;
- ``light``: copied with light edits (synonyms, small changes of order);
- ``heavy``: rewritten, the source's content in the writer's own words;
- ``non``: written without the source (it may be on the same topic).

:func:`classify_reuse` picks, among several candidate sources, the one the text is about
(:func:`topic_similarity`, the cosine of their word counts: texts on one topic share their
vocabulary even when written independently), then :func:`reuse_level` reads how literally the
text takes from it: the containment of the text's word n-grams in the source, cut at three
points. The n and the cut-offs come from a proportional-odds (ordinal logistic) model fitted
on the tuning half of the short-answer reuse corpus (answers of the participants at odd
positions); :func:`storytrace.evaluation.reuse.fit_level_model` regenerates them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from ..records import Alignment, Article

ReuseLevel = Literal["cut", "light", "heavy", "non"]
LEVELS: tuple[ReuseLevel, ...] = ("cut", "light", "heavy", "non")

_WORD = re.compile(r"\w+")
#: words of four letters or more: the topical vocabulary (drops most function words)
_TOPIC_WORD = re.compile(r"[^\W\d_]{4,}")

# Fitted by ``storytrace.evaluation.reuse.fit_level_model`` on the 27 tuning answers of
# reuse_short_answers: among word 1..5-gram containment and word LCS (the features of Clough &
# Stevenson 2011), each with an L2 penalty in (0, 0.1, 0.3, 1, 3, 10), leave-one-participant-out
# cross-validation within the tuning half chose word 5-gram containment with L2 = 3.0 (macro-F1
# 0.491 over the held-out participants); the cut-offs are those of the model refitted on the
# whole tuning half (rounded to 4 decimals).
#: the n of the word n-gram containment the level is read from
LEVEL_NGRAM = 5
#: cut-offs on that containment (see :func:`reuse_score`)
NON_BELOW = 0.0402
HEAVY_BELOW = 0.2665
LIGHT_BELOW = 0.4947


@dataclass(frozen=True)
class ReuseCall:
    """The level of reuse of ``target`` from ``source``: the candidate the target is about
    (for ``non``, the text is on that source's topic but not taken from it)."""

    target: str
    level: ReuseLevel
    source: str
    score: float
    evidence: tuple[str, ...]

    @property
    def derived(self) -> bool:
        """True when the target is taken from its source (any level but ``non``)."""
        return self.level != "non"


def ngram_containment(part: str, whole: str, n: int = 3) -> float:
    """Share of the word n-grams of ``part`` that occur in ``whole``."""

    def grams(text: str) -> set[tuple[str, ...]]:
        words = _WORD.findall(text.lower())
        return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}

    p = grams(part)
    return len(p & grams(whole)) / len(p) if p else 0.0


def topic_similarity(a: str, b: str) -> float:
    """Cosine of the counts of the words of four letters or more of two texts, in [0, 1]."""
    ca, cb = Counter(_TOPIC_WORD.findall(a.lower())), Counter(_TOPIC_WORD.findall(b.lower()))
    dot = sum(v * cb[w] for w, v in ca.items())
    norm = math.sqrt(sum(v * v for v in ca.values()) * sum(v * v for v in cb.values()))
    return dot / norm if norm else 0.0


def reuse_score(al: Alignment, source: Article, target: Article) -> tuple[float, list[str]]:
    """How literally ``target`` takes from ``source``: the containment of its word
    ``LEVEL_NGRAM``-grams in the source, in [0, 1]; the alignment ``al`` only adds evidence
    (its sentence links do not separate the levels better on the tuning half)."""
    score = ngram_containment(target.text, source.text, LEVEL_NGRAM)
    n_target = len(al.target_unaligned) + sum(len(lk.target) for lk in al.links)
    literal = al.count("verbatim", "near-verbatim") / n_target if n_target else 0.0
    evidence = [
        f"{score:.0%} of the word {LEVEL_NGRAM}-grams of {target.id} occur in {source.id}",
        f"{literal:.0%} of its sentences align verbatim or near-verbatim, "
        f"{al.target_coverage:.0%} align at all",
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
    return ReuseCall(target.id, level_of(score), source.id, round(score, 4), tuple(evidence))


def classify_reuse(candidates: Sequence[tuple[Alignment, Article, Article]]) -> ReuseCall:
    """The reuse of one target from the candidate source it is about: ``(alignment, source,
    target)`` triples; the source is the one of highest :func:`topic_similarity` (ties: the
    more literal reuse)."""
    if not candidates:
        raise ValueError("classify_reuse needs at least one candidate source")
    topic = [topic_similarity(t.text, s.text) for _, s, t in candidates]
    calls = [reuse_level(al, s, t) for al, s, t in candidates]
    best = max(range(len(calls)), key=lambda k: (topic[k], calls[k].score))
    call = calls[best]
    evidence = (f"{topic[best]:.2f} topical similarity with {call.source}", *call.evidence)
    return ReuseCall(call.target, call.level, call.source, call.score, evidence)
