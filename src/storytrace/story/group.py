"""group: same-story clusters.

Candidate pairs come from MinHash-LSH (copies and near copies) and from nearest neighbours in
document-embedding space (rewrites), never from all pairs of sentences. Each candidate pair is
scored from several signals (TF-IDF cosine with corpus IDF, embedding cosine, shared names and
numbers, MinHash Jaccard, and the agreement or conflict of the years, months and days the two
articles name), and articles are clustered by average linkage over that sparse scored graph:
plain connected components would chain different events of the same kind together.

Two events of the same kind (two earthquakes, two arrests of the same sort) share vocabulary and
sit close in embedding space; what tells them apart is who, where and when. Names and numbers
are weighted above the embedding, and two articles that both say when their event happened but
name no common year, month or day count as less likely to tell the same story.
"""

from __future__ import annotations

import contextlib
import heapq
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..records import Article, CandidatePair
from ..text.fingerprint import MinHasher, jaccard_pairs, lsh_candidates, lsh_params
from ..text.mentions import extract_dates
from .crosslingual import Crosslingual, time_agreement

_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?|[A-Z]{2,}|\d[\d,.]*\d|\d)\b")
_COMMON_CAPS = {
    "the",
    "a",
    "an",
    "in",
    "on",
    "at",
    "for",
    "but",
    "and",
    "or",
    "he",
    "she",
    "it",
    "they",
    "we",
    "i",
    "this",
    "that",
    "these",
    "those",
    "his",
    "her",
    "their",
    "its",
    "mr",
    "mrs",
    "ms",
    "dr",
    "after",
    "before",
    "when",
    "while",
    "as",
    "if",
    "to",
    "of",
    "by",
    "with",
    "from",
    "not",
    "no",
    "there",
    "what",
    "who",
    "so",
    "also",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "according",
    "meanwhile",
    "however",
    "said",
    "one",
    "two",
    "three",
    "us",
    "be",
}


@dataclass(frozen=True)
class Grouping:
    """Story clusters (lists of article indexes) and the scored candidate pairs behind them."""

    clusters: tuple[tuple[int, ...], ...]
    pairs: tuple[CandidatePair, ...]


def name_tokens(text: str) -> Counter[str]:
    """Capitalised words, acronyms and numbers: the names and figures a story is about."""
    return Counter(t.lower().replace(",", "") for t in _NAME.findall(text) if t.lower() not in _COMMON_CAPS)


def _weighted_cosine(a: Counter[str], b: Counter[str], idf: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    # sorted: a set's order changes with the process's hash seed, and so would the float sum
    dot = sum(min(a[t], 3) * min(b[t], 3) * idf.get(t, 1.0) ** 2 for t in sorted(a.keys() & b.keys()))
    na = math.sqrt(sum((min(c, 3) * idf.get(t, 1.0)) ** 2 for t, c in a.items()))
    nb = math.sqrt(sum((min(c, 3) * idf.get(t, 1.0)) ** 2 for t, c in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def knn_pairs(vectors: npt.NDArray[np.float32], k: int, block: int = 2048) -> dict[tuple[int, int], float]:
    """Each row's ``k`` nearest rows by cosine (rows are normalised), computed block by block."""
    n = vectors.shape[0]
    out: dict[tuple[int, int], float] = {}
    if n < 2 or k <= 0:
        return out
    kk = min(k, n - 1)
    for start in range(0, n, block):
        sims = vectors[start : start + block] @ vectors.T
        for row in range(sims.shape[0]):
            sims[row, start + row] = -2.0
        top = np.argpartition(-sims, kk - 1, axis=1)[:, :kk]
        for row, cols in enumerate(top):
            i = start + row
            for j in cols:
                key = (i, int(j)) if i < j else (int(j), i)
                out[key] = float(sims[row, j])
    return out


@dataclass(frozen=True)
class WhenCues:
    """When an article says things happened: the years, months and weekdays it names, and the
    days it names in full ("March 3, 2009") or by a weekday or "yesterday"/"today" resolved
    against its publication date."""

    years: frozenset[int] = frozenset()
    months: frozenset[int] = frozenset()
    weekdays: frozenset[int] = frozenset()
    days: frozenset[date] = frozenset()


_DAY_WORDS = {"today": 0, "tonight": 0, "yesterday": -1}


def when_cues(text: str, published: datetime | None = None) -> WhenCues:
    """The time cues of an article (see :class:`WhenCues`); a weekday, "today" or a date without
    a year becomes a day only with ``published``."""
    years: set[int] = set()
    months: set[int] = set()
    weekdays: set[int] = set()
    days: set[date] = set()
    ref = published.date() if published is not None else None
    for d in extract_dates(text)[0]:
        if d.year is not None:
            years.add(d.year)
        if d.month is not None:
            months.add(d.month)
        year = d.year if d.year is not None else ref.year if ref is not None else None
        if year is not None and d.month is not None and d.day is not None:
            with contextlib.suppress(ValueError):  # "February 30"
                days.add(date(year, d.month, d.day))
        if d.weekday is not None:
            weekdays.add(d.weekday)
            if ref is not None and d.relative is None:  # the last such weekday on or before publication
                days.add(ref - timedelta(days=(ref.weekday() - d.weekday) % 7))
        elif ref is not None and d.relative in _DAY_WORDS:
            days.add(ref + timedelta(days=_DAY_WORDS[d.relative]))
    return WhenCues(frozenset(years), frozenset(months), frozenset(weekdays), frozenset(days))


def when_agreement(a: WhenCues, b: WhenCues) -> tuple[float, float]:
    """(agreement, conflict) of two articles' time cues (:func:`storytrace.story.crosslingual.time_agreement`)."""
    return time_agreement(a, b)


def score_pair(
    tfidf: float,
    embedding: float,
    entities: float,
    minhash: float,
    when: tuple[float, float] = (0.0, 0.0),
) -> float:
    """One same-story score in [0, 1] from the signals of a candidate pair; ``when`` is the
    (agreement, conflict) of :func:`when_agreement`. The weights are fitted on the odd topics of
    ECB+ (suite 1 of ``storytrace eval``)."""
    emb = min(1.0, max(0.0, (embedding - 0.35) / 0.5))
    combined = 0.4 * tfidf + 0.1 * emb + 0.5 * entities
    agreement, conflict = when
    return min(1.0, max(0.0, max(combined, min(1.0, 2.0 * minhash)) + 0.1 * agreement - 0.1 * conflict))


def group_articles(
    articles: Sequence[Article],
    doc_vectors: npt.NDArray[np.float32],
    config: Config | None = None,
    cross_vectors: npt.NDArray[np.float32] | None = None,
) -> Grouping:
    """Cluster articles into stories. ``doc_vectors`` are normalised document embeddings;
    ``cross_vectors`` (corpora not all in English) are multilingual ones, which add candidates
    across languages and score the pairs that involve an article not in English
    (:mod:`storytrace.story.crosslingual`).

    The answer does not depend on the order of ``articles``: they are grouped in the order of
    their ids (ties in scores and candidate ranks are broken by position), so a store that
    receives the same articles in any order forms the same stories as ``analyze``."""
    config = config or Config()
    n = len(articles)
    if n == 0:
        return Grouping((), ())
    order = sorted(range(n), key=lambda i: articles[i].id)
    if order != list(range(n)):
        inner = _group_in_order(
            [articles[i] for i in order],
            doc_vectors[order],
            config,
            None if cross_vectors is None else cross_vectors[order],
        )
        clusters = sorted((tuple(sorted(order[k] for k in c)) for c in inner.clusters), key=lambda c: c[0])
        return Grouping(tuple(clusters), inner.pairs)
    return _group_in_order(articles, doc_vectors, config, cross_vectors)


def _group_in_order(
    articles: Sequence[Article],
    doc_vectors: npt.NDArray[np.float32],
    config: Config,
    cross_vectors: npt.NDArray[np.float32] | None,
) -> Grouping:
    n = len(articles)
    texts = [a.text for a in articles]
    hasher = MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size)
    sigs = hasher.signatures(texts)
    bands, rows = lsh_params(config.lsh_threshold, config.num_perm)
    candidates = set(lsh_candidates(sigs, bands, rows))
    emb_pairs = knn_pairs(doc_vectors, config.knn)
    candidates |= set(emb_pairs)
    if cross_vectors is not None:
        candidates |= set(knn_pairs(cross_vectors, config.knn))
    pairs = score_pairs(articles, doc_vectors, sorted(candidates), config, cross_vectors, emb_pairs, sigs)
    index = {a.id: k for k, a in enumerate(articles)}
    edges = {(index[p.a], index[p.b]): p.score for p in pairs}
    clusters = average_link(n, edges, config.group_threshold)
    return Grouping(tuple(clusters), tuple(pairs))


def score_pairs(
    articles: Sequence[Article],
    doc_vectors: npt.NDArray[np.float32],
    candidates: Sequence[tuple[int, int]],
    config: Config | None = None,
    cross_vectors: npt.NDArray[np.float32] | None = None,
    emb_pairs: dict[tuple[int, int], float] | None = None,
    sigs: npt.NDArray[np.uint32] | None = None,
) -> list[CandidatePair]:
    """The same-story score of each candidate pair ``(i, j)`` of ``articles`` (corpus statistics
    such as IDF come from all of ``articles``): :func:`score_pair` when both are in English,
    :func:`storytrace.story.crosslingual.crosslingual_score` when ``cross_vectors`` are given and
    one is not."""
    config = config or Config()
    n = len(articles)
    texts = [a.text for a in articles]
    emb_pairs = emb_pairs or {}
    if sigs is None:
        sigs = MinHasher(num_perm=config.num_perm, shingle_size=config.shingle_size).signatures(texts)
    wanted = set(candidates)
    minhash = jaccard_pairs(sigs, wanted)
    tfidf = _tfidf_cosines(texts, wanted)
    names = [name_tokens(t) for t in texts]
    df: Counter[str] = Counter()
    for c in names:
        df.update(c.keys())
    idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
    when = [when_cues(a.text, a.published) for a in articles]
    across = Crosslingual(articles, cross_vectors) if cross_vectors is not None else None

    pairs: list[CandidatePair] = []
    for i, j in candidates:
        if across is not None and across.applies(i, j):
            pairs.append(across.pair(i, j))
            continue
        emb = emb_pairs.get((i, j))
        if emb is None:
            emb = float(doc_vectors[i] @ doc_vectors[j])
        ent = _weighted_cosine(names[i], names[j], idf)
        score = score_pair(tfidf[(i, j)], emb, ent, minhash[(i, j)], when_agreement(when[i], when[j]))
        pairs.append(
            CandidatePair(articles[i].id, articles[j].id, score, minhash[(i, j)], tfidf[(i, j)], emb, ent)
        )
    return pairs


def _tfidf_cosines(texts: Sequence[str], pairs: set[tuple[int, int]]) -> dict[tuple[int, int], float]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    if not pairs:
        return {}
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1).fit_transform(texts)
    except ValueError:  # only stop words
        return dict.fromkeys(pairs, 0.0)
    ii = np.fromiter((p[0] for p in pairs), dtype=np.int64)
    jj = np.fromiter((p[1] for p in pairs), dtype=np.int64)
    sims = np.asarray(matrix[ii].multiply(matrix[jj]).sum(axis=1)).ravel()
    return {p: float(s) for p, s in zip(pairs, sims, strict=True)}


def average_link(n: int, edges: dict[tuple[int, int], float], threshold: float) -> list[tuple[int, ...]]:
    """Average-linkage clustering over a sparse similarity graph (missing edges count as 0).

    Clusters merge in order of their average pairwise similarity while it is at least
    ``threshold``. Returns clusters ordered by their first member.
    """
    members: dict[int, list[int]] = {i: [i] for i in range(n)}
    links: dict[int, dict[int, float]] = {i: {} for i in range(n)}
    for (i, j), s in edges.items():
        if i == j or s <= 0:
            continue
        links[i][j] = links[i].get(j, 0.0) + s
        links[j][i] = links[j].get(i, 0.0) + s
    heap = [(-s, i, j) for (i, j), s in edges.items() if i != j and s >= threshold]
    heapq.heapify(heap)
    alive = set(range(n))
    next_id = n
    while heap:
        _, a, b = heapq.heappop(heap)
        if a not in alive or b not in alive:
            continue
        merged = members[a] + members[b]
        new = next_id
        next_id += 1
        total: dict[int, float] = {}
        for src in (a, b):
            for other, s in links.pop(src).items():
                if other in (a, b):
                    continue
                total[other] = total.get(other, 0.0) + s
                del links[other][src]
        alive -= {a, b}
        members[new] = merged
        del members[a], members[b]
        links[new] = total
        for other, s in total.items():
            links[other][new] = s
            avg = s / (len(merged) * len(members[other]))
            if avg >= threshold:
                heapq.heappush(heap, (-avg, min(new, other), max(new, other)))
        alive.add(new)
    clusters = [tuple(sorted(m)) for m in members.values()]
    return sorted(clusters, key=lambda c: c[0])
