"""Story-grouping quality on ECB+: storytrace vs datasketch MinHash-LSH vs TF-IDF average-link.

Every method clusters the articles of one half of the topics at a time. Its one threshold is tuned
on the odd topics (best B-cubed F1 over a grid) and scored, with that threshold, on the even
topics: ARI and B-cubed F1 against the gold stories (ECB+ has two stories per topic, ``_ecb`` and
``_ecbplus``: same kind of event, different events, so lexical overlap alone is a weak signal).

Methods:
- storytrace analyze grouping (group.py: LSH and embedding candidates scored by TF-IDF, embedding,
  names and MinHash; average link), threshold ``group_threshold``;
- storytrace dedup --semantic (near duplicates plus document-embedding neighbours; union-find),
  threshold ``semantic_threshold``: a deduplicator, not built for same-event grouping;
- datasketch MinHash-LSH (word 3-gram shingles, 128 permutations): connected components of LSH
  candidate pairs, threshold of the LSH index;
- TF-IDF cosine (sublinear tf, English stop words) with average-link clustering.

Usage: .venv/bin/python bench/grouping.py
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import ECB, ecb_absent

_WORD = re.compile(r"\w+")
GRID = [round(x, 3) for x in np.arange(0.05, 0.96, 0.025)]


def labels_from_clusters(n: int, clusters: Sequence[Sequence[int]]) -> list[int]:
    out = [0] * n
    for c, members in enumerate(clusters):
        for i in members:
            out[i] = c
    return out


def main() -> int:
    if ecb_absent():
        return 0
    from datasketch import MinHash, MinHashLSH
    from sklearn.feature_extraction.text import TfidfVectorizer

    from storytrace.config import Config
    from storytrace.dedup import Deduplicator
    from storytrace.embed import get_embedder
    from storytrace.evaluate import ari, bcubed_f1
    from storytrace.evaluation.grouping import components
    from storytrace.group import average_link, group_articles
    from storytrace.pipeline import Pipeline, document_vectors
    from storytrace.records import RawArticle

    rows = [json.loads(line) for line in ECB.open(encoding="utf-8")]
    halves = {
        "tune (odd topics)": [r for r in rows if int(r["topic"]) % 2 == 1],
        "score (even topics)": [r for r in rows if int(r["topic"]) % 2 == 0],
    }
    config = Config()
    pipe = Pipeline.from_config(config)
    embedder = get_embedder(config.model, config.batch_size)
    start = time.perf_counter()
    prepared = {}
    for name, half in halves.items():
        articles, _ = pipe.prepare([RawArticle(r["id"], r["text"]) for r in half])
        assert len(articles) == len(half), "an ECB+ article was skipped"
        vectors = pipe.embed_sentences(articles)
        doc_vecs = document_vectors(articles, vectors)
        whole = embedder.encode([r["text"][:2000] for r in half])
        prepared[name] = (articles, doc_vecs, whole)
    print(f"prepared and embedded {len(rows)} ECB+ articles in {time.perf_counter() - start:.0f} s")

    Method = Callable[[str, float], list[int]]

    def storytrace_group(half: str, t: float) -> list[int]:
        articles, doc_vecs, _ = prepared[half]
        grouping = group_articles(articles, doc_vecs, Config(group_threshold=t))
        return labels_from_clusters(len(articles), grouping.clusters)

    def storytrace_dedup(half: str, t: float) -> list[int]:
        whole = prepared[half][2]
        by_text = {r["text"][:2000]: whole[i] for i, r in enumerate(halves[half])}
        engine = Deduplicator(
            Config(semantic_threshold=min(t, 0.99)),
            semantic=True,
            embed=lambda texts: np.stack([by_text[x] for x in texts]),
        )
        engine.add([RawArticle(r["id"], r["text"]) for r in halves[half]])
        return engine.roots().tolist()

    minhashes: dict[str, list[MinHash]] = {}
    for half, part in halves.items():
        ms = []
        for r in part:
            words = _WORD.findall(r["text"].lower())
            m = MinHash(num_perm=128, seed=1)
            m.update_batch([" ".join(words[i : i + 3]).encode() for i in range(max(1, len(words) - 2))])
            ms.append(m)
        minhashes[half] = ms

    def datasketch_lsh(half: str, t: float) -> list[int]:
        ms = minhashes[half]
        lsh = MinHashLSH(threshold=t, num_perm=128)
        for i, m in enumerate(ms):
            lsh.insert(i, m)
        pairs = [(i, j) for i, m in enumerate(ms) for j in lsh.query(m) if j != i]
        return labels_from_clusters(len(ms), components(len(ms), pairs))

    tfidf_sims = {}
    for half, part in halves.items():
        matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            [r["text"] for r in part]
        )
        tfidf_sims[half] = (matrix @ matrix.T).toarray()

    def tfidf_average_link(half: str, t: float) -> list[int]:
        sims = tfidf_sims[half]
        n = sims.shape[0]
        ii, jj = np.nonzero(np.triu(sims, k=1) > 0)
        edges = {(int(i), int(j)): float(sims[i, j]) for i, j in zip(ii, jj, strict=True)}
        return labels_from_clusters(n, average_link(n, edges, t))

    methods: list[tuple[str, Method, list[float]]] = [
        ("storytrace analyze grouping", storytrace_group, GRID),
        ("storytrace dedup --semantic", storytrace_dedup, [t for t in GRID if t >= 0.5]),
        ("datasketch MinHash-LSH", datasketch_lsh, GRID),
        ("TF-IDF cosine average-link", tfidf_average_link, GRID),
    ]
    tune, score = halves
    gold = {h: [r["story"] for r in part] for h, part in halves.items()}
    print(
        f"\n{'method':<30} {'threshold':>9}  {'tune B3-F1':>10}  {'score ARI':>9}  {'score B3-F1':>11}  stories"
    )
    for name, method, grid in methods:
        best_t, best_f = grid[0], -1.0
        for t in grid:
            f = bcubed_f1(gold[tune], method(tune, t))
            if f > best_f + 1e-12:
                best_t, best_f = t, f
        pred = method(score, best_t)
        print(
            f"{name:<30} {best_t:>9.3f}  {best_f:>10.3f}  {ari(gold[score], pred):>9.3f}  "
            f"{bcubed_f1(gold[score], pred):>11.3f}  {len(set(pred))} (gold {len(set(gold[score]))})"
        )
    default = storytrace_group(score, config.group_threshold)
    print(
        f"storytrace at its default group_threshold {config.group_threshold}: ARI {ari(gold[score], default):.3f}, "
        f"B-cubed F1 {bcubed_f1(gold[score], default):.3f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
