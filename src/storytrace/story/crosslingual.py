"""crosslingual: the same-story score of two articles when one is not in English.

Words do not carry across languages, so the English signals of ``story.group`` (TF-IDF, MinHash,
English names) give way to signals that do:

- the cosine of the two articles' multilingual document vectors (the mean of their sentence
  vectors, ``text.multilingual_embed``);
- shared names and figures: capitalised words transliterated to ASCII ("Хвидстеен" and
  "Hvidsteen" are one name), and numbers as values ("3,4 Milliarden" = "3.4 billion"), weighted
  by their rarity in the corpus (IDF) as the English names are;
- the agreement or conflict of the years, months, days and weekdays the two articles name, read
  with each language's month and weekday names (``text.locale_facts``).

The weights are fitted by least squares on the tuning half of the SemEval-2022 Task 8 pairs
(``bench/fit_crosslingual.py``; ``storytrace eval crosslingual`` scores the other half) against
the human "Overall" score, then put on the scale of the English score: both are regressed on the
human score over the tuning half (the English score on its English pairs, the predictor on the
others) and matched, so one threshold (``Config.group_threshold``) means the same in a corpus
that mixes languages.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from ..records import Article, CandidatePair
from ..text.language import is_english
from ..text.locale_facts import dates, name_words, numbers, translit
from ..text.mentions import extract_dates, extract_numbers

#: weights of the predictor (embedding cosine, shared names and figures, time agreement,
#: time conflict, intercept), fitted on the SemEval tuning half, and the linear map of the
#: predictor onto the English score's scale (see the module doc)
WEIGHTS = (2.9788, 0.825, 0.0853, -0.2007, -4.035)
SCALE = (1.0598, 0.3027)


@dataclass(frozen=True)
class Anchors:
    """What an article names in any language: names and figures (as tokens), and its time cues."""

    tokens: Counter[str]
    years: frozenset[int]
    months: frozenset[int]
    days: frozenset[tuple[int, int]]
    weekdays: frozenset[int]


def article_anchors(article: Article) -> Anchors:
    """Names (transliterated), figures (values) and time cues of an article, in its language."""
    text, language = article.text, article.language
    if is_english(language):
        found, spans = extract_dates(text)
        figures = extract_numbers(text, spans)
    else:
        found = dates(text, language)
        figures = numbers(text, language)
    tokens: Counter[str] = Counter(
        t for t in (translit(w) for w in name_words(text, language)) if len(t) >= 3
    )
    tokens.update(f"#{n.value:g}" for n in figures if n.value >= 2)
    return Anchors(
        tokens,
        frozenset(d.year for d in found if d.year),
        frozenset(d.month for d in found if d.month),
        frozenset((d.month, d.day) for d in found if d.month and d.day),
        frozenset(d.weekday for d in found if d.weekday is not None),
    )


class TimeSlots(Protocol):
    """Time cues of an article: :class:`Anchors` here, ``group.WhenCues`` for English articles."""

    @property
    def years(self) -> frozenset[int]: ...
    @property
    def months(self) -> frozenset[int]: ...
    @property
    def days(self) -> frozenset[object]: ...
    @property
    def weekdays(self) -> frozenset[int]: ...


def time_agreement(a: TimeSlots, b: TimeSlots) -> tuple[float, float]:
    """(agreement, conflict) of two articles' time cues over the slots (year, month, day) that
    both fill: the mean Jaccard overlap, and the share of those slots with no common value. Days
    are compared as resolved dates when both articles have them, else as weekdays (the one rule
    of ``group.when_agreement`` and the cross-lingual score)."""
    day_a, day_b = (a.days, b.days) if a.days and b.days else (a.weekdays, b.weekdays)
    overlaps = [
        len(x & y) / len(x | y)
        for x, y in ((a.years, b.years), (a.months, b.months), (day_a, day_b))
        if x and y
    ]
    if not overlaps:
        return 0.0, 0.0
    return sum(overlaps) / len(overlaps), sum(o == 0.0 for o in overlaps) / len(overlaps)


def weighted_cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(min(a[t], 3) * min(b[t], 3) * idf.get(t, 1.0) ** 2 for t in a.keys() & b.keys())
    na = math.sqrt(sum((min(c, 3) * idf.get(t, 1.0)) ** 2 for t, c in a.items()))
    nb = math.sqrt(sum((min(c, 3) * idf.get(t, 1.0)) ** 2 for t, c in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def predictor(embedding: float, names: float, when: tuple[float, float]) -> float:
    """The fitted linear predictor of similarity (higher: more alike)."""
    w = WEIGHTS
    return w[0] * embedding + w[1] * names + w[2] * when[0] + w[3] * when[1] + w[4]


def crosslingual_score(embedding: float, names: float, when: tuple[float, float]) -> float:
    """Same-story score in [0, 1] on the English score's scale."""
    a, b = SCALE
    return min(1.0, max(0.0, a + b * predictor(embedding, names, when)))


class Crosslingual:
    """Scores the candidate pairs of a corpus that involve an article not in English."""

    def __init__(self, articles: Sequence[Article], vectors: npt.NDArray[np.float32]) -> None:
        self.articles = articles
        self.vectors = vectors
        self.anchors = [article_anchors(a) for a in articles]
        df: Counter[str] = Counter()
        for x in self.anchors:
            df.update(x.tokens.keys())
        n = len(articles)
        self.idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}

    def applies(self, i: int, j: int) -> bool:
        return not (is_english(self.articles[i].language) and is_english(self.articles[j].language))

    def signals(self, i: int, j: int) -> tuple[float, float, tuple[float, float]]:
        """(embedding cosine, shared names and figures, (time agreement, time conflict))."""
        emb = float(self.vectors[i] @ self.vectors[j])
        names = weighted_cosine(self.anchors[i].tokens, self.anchors[j].tokens, self.idf)
        return emb, names, time_agreement(self.anchors[i], self.anchors[j])

    def pair(self, i: int, j: int) -> CandidatePair:
        emb, names, when = self.signals(i, j)
        score = crosslingual_score(emb, names, when)
        return CandidatePair(self.articles[i].id, self.articles[j].id, score, 0.0, 0.0, emb, names)
