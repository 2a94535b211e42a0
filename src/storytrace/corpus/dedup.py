"""dedup: streaming exact and near-duplicate detection over corpora of any size.

Articles are read as a stream (:func:`storytrace.read.inputs.iter_inputs`) and processed in batches:

1. **exact duplicates**: the 64-bit hash of the normalised word sequence (case, punctuation and
   spacing ignored) is looked up in an open-addressing hash table;
2. **near duplicates**: MinHash signatures (:class:`~storytrace.text.fingerprint.MinHasher`) are cut
   into LSH bands; each band key is looked up in one hash table that remembers the first article
   with that band; every candidate is verified by its estimated Jaccard similarity;
3. **same-story rewrites** (``semantic=True``): articles that matched nothing above are embedded
   (one vector per article) and compared with the vectors of earlier articles that matched nothing.

Matches are merged with union-find; a cluster is named after its first article (so its name never
changes as articles join it) and its **canonical** article, the one kept by ``--write-unique``, is
the earliest published, else the longest, else the first. Memory per article is its signature
(``4 * num_perm`` bytes) plus a few hash-table slots; texts are spooled to a temporary file, never
held in memory.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..errors import InputError
from ..records import RawArticle, Skipped, skipped_lines
from ..text.fingerprint import Fingerprints, MinHasher, band_keys
from . import dedup_parallel
from .dedup_parallel import article_json
from .hashindex import Column as _Column
from .hashindex import HashIndex
from .hashindex import Rows as _Rows

#: progress callback: (stage, done, total); total 0 means unknown
Progress = Callable[[str, int, int], None]

#: how an article joined its cluster (the ``match`` field says how it relates to the canonical)
_FIRST, _EXACT, _NEAR, _SEMANTIC = range(4)
_HAS_WORD = re.compile(r"\w")


def dedup_bands(threshold: float, num_perm: int, recall: float = 0.98) -> tuple[int, int]:
    """LSH bands and rows: the fewest bands that still make a pair at ``threshold`` a candidate
    with probability ``recall`` (candidates are verified afterwards, so recall is what counts)."""
    for rows in range(num_perm, 0, -1):
        bands = num_perm // rows
        if 1.0 - (1.0 - threshold**rows) ** bands >= recall:
            return bands, rows
    return num_perm, 1


@dataclass(frozen=True)
class DedupSummary:
    """What a dedup run did."""

    articles: int
    clusters: int
    exact: int
    near: int
    semantic: int
    skipped: tuple[Skipped, ...]
    seconds: float
    out: Path
    unique: Path | None = None

    @property
    def duplicates(self) -> int:
        return self.articles - self.clusters

    def summary(self) -> str:
        rate = self.articles / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"{self.articles} article(s) in {self.clusters} cluster(s): {self.exact} exact, "
            f"{self.near} near and {self.semantic} same-story duplicate link(s); "
            f"{len(self.skipped)} input(s) skipped; {self.seconds:.1f} s ({rate:,.0f} articles/s)"
        ]
        lines += skipped_lines(self.skipped)
        lines.append(f"clusters written to {self.out}")
        if self.unique is not None:
            lines.append(f"deduplicated corpus written to {self.unique}")
        return "\n".join(lines)


def _timestamp(value: datetime | None) -> float:
    if value is None:
        return math.inf
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


class Deduplicator:
    """The streaming engine: feed batches with :meth:`add`, then :meth:`clusters`."""

    def __init__(
        self,
        config: Config | None = None,
        *,
        semantic: bool = False,
        embed: Callable[[Sequence[str]], npt.NDArray[np.float32]] | None = None,
    ) -> None:
        self.config = config or Config()
        self.hasher = MinHasher(num_perm=self.config.num_perm, shingle_size=self.config.dedup_shingle_size)
        self.bands, self.rows = dedup_bands(self.config.dedup_threshold, self.config.num_perm)
        self.threshold = self.config.dedup_threshold
        self.semantic = semantic
        self._embed = embed
        self.exact_index = HashIndex(np.uint64)
        self.band_index = HashIndex(np.uint32, capacity=1 << 20)
        self.signatures = _Rows(self.config.num_perm, np.uint32)
        self.vectors: _Rows | None = None
        self.vector_ids = _Column(np.int64)
        self.parent = _Column(np.int64)
        self.published = _Column(np.float64, math.inf)
        self.length = _Column(np.int64)
        self.exact = _Column(np.uint64)
        self.how = _Column(np.uint8)
        self.link = _Column(np.float32, 1.0)
        self.count = 0

    # -- union-find ---------------------------------------------------------------------

    def _find(self, x: int) -> int:
        parent = self.parent.data
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra != rb:  # the older cluster keeps its name
            self.parent.data[max(ra, rb)] = min(ra, rb)

    # -- batches ------------------------------------------------------------------------

    def add(self, articles: Sequence[RawArticle]) -> list[int]:
        """Add a batch; returns each article's index (its order of arrival)."""
        n = len(articles)
        if n == 0:
            return []
        texts = [a.text for a in articles]
        published = np.array([_timestamp(a.published) for a in articles], dtype=np.float64)
        lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
        return self.add_fingerprinted(self.hasher.fingerprints(texts), published, lengths, articles)

    def add_fingerprinted(
        self,
        fp: Fingerprints,
        published: npt.NDArray[np.float64],
        lengths: npt.NDArray[np.int64],
        articles: Sequence[RawArticle] = (),
    ) -> list[int]:
        """Add a batch fingerprinted already (``articles`` only for ``semantic``)."""
        n = fp.exact.size
        base = self.count
        index = np.arange(base, base + n, dtype=np.int64)
        self.count += n
        self.parent.extend(index)
        self.published.extend(published)
        self.length.extend(lengths)
        self.exact.extend(fp.exact)
        self.signatures.append(fp.signatures)
        how = np.zeros(n, dtype=np.uint8)
        link = np.ones(n, dtype=np.float32)

        # 1. exact duplicates
        earlier = self.exact_index.get_or_put(fp.exact, index)
        for local in np.flatnonzero(earlier >= 0):
            self._union(int(index[local]), int(earlier[local]))
            how[local] = _EXACT
        fresh = np.flatnonzero(earlier < 0)

        # 2. near duplicates: band lookups, then verification of every candidate
        if fresh.size:
            keys = band_keys(fp.signatures[fresh], self.bands, self.rows)
            keys32 = (keys >> np.uint64(32)).astype(np.uint32).ravel()
            owners = self.band_index.get_or_put(keys32, np.repeat(index[fresh], self.bands))
            owners = owners.reshape(fresh.size, self.bands)
            rows_of = np.repeat(fresh, self.bands)
            cand = owners.ravel()
            ok = cand >= 0
            # distinct (row, candidate) pairs in lexicographic order, as one sorted int64 each
            span = np.int64(self.count)
            pairs = np.unique(rows_of[ok] * span + cand[ok])
            pairs = np.stack([pairs // span, pairs % span], axis=1)
            if pairs.size:
                mine = fp.signatures[pairs[:, 0]]
                theirs = self.signatures.take(pairs[:, 1])
                est = np.count_nonzero(mine == theirs, axis=1) / self.config.num_perm
                for (loc, other), sim in zip(pairs.tolist(), est.tolist(), strict=True):
                    if sim >= self.threshold and index[loc] != other:
                        self._union(int(index[loc]), int(other))
                        if how[loc] == _FIRST or sim > link[loc]:
                            how[loc], link[loc] = _NEAR, sim

        # 3. same-story neighbours by document embedding, for articles that matched nothing
        if self.semantic:
            alone = np.flatnonzero(how == _FIRST)
            if alone.size:
                self._semantic(articles, index, alone, how, link)
        self.how.extend(how)
        self.link.extend(link)
        return index.tolist()

    def _semantic(
        self,
        articles: Sequence[RawArticle],
        index: npt.NDArray[np.int64],
        alone: npt.NDArray[np.int64],
        how: npt.NDArray[np.uint8],
        link: npt.NDArray[np.float32],
    ) -> None:
        if self._embed is None:
            from ..text.embed import SentenceTransformerEmbedder

            embedder = SentenceTransformerEmbedder(
                self.config.model, self.config.batch_size, cache=False, runtime=self.config.embed_runtime
            )
            self._embed = embedder.encode
        # the start of each article: the model reads at most a few hundred word pieces anyway
        vecs = self._embed([articles[i].text[:2000] for i in alone]).astype(np.float32)
        if self.vectors is None:
            self.vectors = _Rows(vecs.shape[1], np.float32, block=1 << 14)
        threshold = self.config.semantic_threshold
        previous = self.vectors.size
        for start in range(0, previous, self.vectors.block):
            block = self.vectors.blocks[start // self.vectors.block][
                : min(self.vectors.block, previous - start)
            ]
            sims = vecs @ block.T
            for row, col in zip(*np.nonzero(sims >= threshold), strict=True):
                other = int(self.vector_ids.data[start + col])
                self._join_semantic(
                    int(index[alone[row]]), other, float(sims[row, col]), alone[row], how, link
                )
        within = vecs @ vecs.T
        for row, col in zip(*np.nonzero(np.triu(within, k=1) >= threshold), strict=True):
            self._join_semantic(
                int(index[alone[col]]), int(index[alone[row]]), float(within[row, col]), alone[col], how, link
            )
        self.vectors.append(vecs)
        self.vector_ids.extend(index[alone])

    def _join_semantic(
        self,
        article: int,
        other: int,
        sim: float,
        local: int,
        how: npt.NDArray[np.uint8],
        link: npt.NDArray[np.float32],
    ) -> None:
        self._union(article, other)
        if how[local] == _FIRST or sim > link[local]:
            how[local], link[local] = _SEMANTIC, sim

    # -- results ------------------------------------------------------------------------

    def roots(self) -> npt.NDArray[np.int64]:
        """Cluster root (first article) of every article."""
        parent = self.parent.view().copy()
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                return parent
            parent = grand

    def canonicals(self, roots: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """The canonical article of every article's cluster: earliest published, else longest."""
        n = roots.size
        idx = np.arange(n, dtype=np.int64)
        order = np.lexsort((idx, -self.length.view(), self.published.view(), roots))
        first = np.ones(n, dtype=bool)
        first[1:] = roots[order][1:] != roots[order][:-1]
        canonical_of_root = np.empty(n, dtype=np.int64)
        canonical_of_root[roots[order][first]] = order[first]
        return canonical_of_root[roots]

    def similarity_to(self, others: npt.NDArray[np.int64], block: int = 1 << 15) -> npt.NDArray[np.float64]:
        """Estimated Jaccard similarity of every article with ``others[i]``."""
        out = np.ones(self.count, dtype=np.float64)
        for start in range(0, self.count, block):
            mine = np.arange(start, min(self.count, start + block), dtype=np.int64)
            differ = others[mine] != mine
            if differ.any():
                a = self.signatures.take(mine[differ])
                b = self.signatures.take(others[mine][differ])
                out[mine[differ]] = np.count_nonzero(a == b, axis=1) / self.config.num_perm
        return out


def batches(items: Iterable[RawArticle | Skipped], size: int) -> Iterator[list[RawArticle | Skipped]]:
    """Consecutive lists of at most ``size`` items of a stream."""
    batch: list[RawArticle | Skipped] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _id_hash(article_id: str) -> int:
    import hashlib

    return int.from_bytes(hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest(), "little")


def dedup(
    paths: Iterable[str | Path],
    out: str | Path,
    config: Config | None = None,
    *,
    write_unique: str | Path | None = None,
    semantic: bool = False,
    batch_size: int = 4096,
    progress: Progress | None = None,
    items: Iterable[RawArticle | Skipped] | None = None,
) -> DedupSummary:
    """Cluster the articles at ``paths`` into exact and near duplicates (and, with ``semantic``,
    same-story rewrites); write one JSON line per article to ``out``:
    ``{"id", "cluster", "canonical", "similarity", "match"}``.

    ``write_unique`` also writes the canonical article of every cluster (JSON lines).
    ``items`` replaces reading ``paths`` (an iterable of articles, for callers that generate them).
    """
    from ..read.inputs import iter_inputs

    config = config or Config()
    progress = progress or (lambda stage, done, total: None)
    start_time = time.perf_counter()
    out_path = Path(out)
    unique_path = Path(write_unique) if write_unique is not None else None
    for target in (out_path, unique_path):
        if target is not None and target.parent and not target.parent.exists():
            raise InputError(f"output directory {str(target.parent)!r} does not exist")
    engine = Deduplicator(config, semantic=semantic)
    ids_seen = HashIndex(np.uint64)
    skipped: list[Skipped] = []
    names = [str(p) for p in paths]
    if items is None and not semantic and dedup_parallel.all_jsonl(names):
        return _dedup_jsonl(engine, names, out_path, unique_path, progress, start_time)
    stream = items if items is not None else iter_inputs(names, config)
    spool_dir = out_path.parent if out_path.parent.exists() else Path(tempfile.gettempdir())
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=spool_dir) as spool:
        for batch in batches(stream, batch_size):
            articles: list[RawArticle] = []
            for item in batch:
                if isinstance(item, Skipped):
                    skipped.append(item)
                elif not _HAS_WORD.search(item.text):
                    skipped.append(Skipped(item.path or item.id, item.line, "no words in the text"))
                else:
                    articles.append(item)
            hashes = np.fromiter((_id_hash(a.id) for a in articles), dtype=np.uint64, count=len(articles))
            seen = ids_seen.get_or_put(hashes, np.zeros(len(articles), dtype=np.int64))
            kept = []
            for article, dup in zip(articles, seen.tolist(), strict=True):
                if dup >= 0:
                    where = article.path or "?"
                    skipped.append(Skipped(where, article.line, f"duplicate article id {article.id!r}"))
                else:
                    kept.append(article)
            engine.add(kept)
            for article in kept:
                record = article_json(article) if unique_path is not None else {"id": article.id}
                spool.write(json.dumps(record, ensure_ascii=False) + "\n")
            progress("dedup", engine.count, 0)
        progress("dedup", engine.count, engine.count)
        counts = _write_results(engine, spool, out_path, unique_path)
    return DedupSummary(
        articles=engine.count,
        clusters=counts["clusters"],
        exact=counts["exact"],
        near=counts["near"],
        semantic=counts["semantic"],
        skipped=tuple(skipped),
        seconds=time.perf_counter() - start_time,
        out=out_path,
        unique=unique_path,
    )


def _dedup_jsonl(
    engine: Deduplicator,
    paths: Sequence[str],
    out_path: Path,
    unique_path: Path | None,
    progress: Progress,
    start_time: float,
) -> DedupSummary:
    """:func:`dedup` of JSON-lines files, read and fingerprinted on all cores
    (:mod:`storytrace.corpus.dedup_parallel`); the same clusters as the serial path."""
    ids_seen: set[str] = set()  # the ids are held anyway (``ids``): a set of them costs little more
    skipped: list[Skipped] = []
    ids: list[str] = []
    spool_dir = out_path.parent if out_path.parent.exists() else Path(tempfile.gettempdir())
    with tempfile.TemporaryFile("w+", encoding="utf-8", dir=spool_dir) as spool:
        for block in dedup_parallel.read_blocks(
            paths, engine.config, engine.hasher, unique_path is not None, dedup_parallel.worker_count()
        ):
            skipped += block.skipped
            keep = np.ones(len(block.ids), dtype=bool)
            for k, article_id in enumerate(block.ids):
                if article_id in ids_seen:
                    keep[k] = False
                    skipped.append(
                        Skipped(block.paths[k] or "?", block.lines[k], f"duplicate article id {article_id!r}")
                    )
                else:
                    ids_seen.add(article_id)
            fp = block.fingerprints
            if not keep.all():
                fp = Fingerprints(fp.signatures[keep], fp.exact[keep], fp.tokens[keep])
            engine.add_fingerprinted(fp, block.published[keep], block.lengths[keep])
            ids += [i for i, k in zip(block.ids, keep.tolist(), strict=True) if k]
            if block.records is not None:
                spool.writelines(r + "\n" for r, k in zip(block.records, keep.tolist(), strict=True) if k)
            progress("dedup", engine.count, 0)
        progress("dedup", engine.count, engine.count)
        counts = _write_results(engine, spool, out_path, unique_path, ids)
    return DedupSummary(
        articles=engine.count, clusters=counts["clusters"], exact=counts["exact"], near=counts["near"],
        semantic=counts["semantic"], skipped=tuple(skipped), seconds=time.perf_counter() - start_time,
        out=out_path, unique=unique_path,
    )  # fmt: skip


def _write_results(
    engine: Deduplicator,
    spool: IO[str],
    out_path: Path,
    unique_path: Path | None,
    ids: list[str] | None = None,
) -> dict[str, int]:
    """Write one row per article; ``ids`` in arrival order, else read from the spool (one JSON
    record per article, whose lines are also the unique corpus)."""
    n = engine.count
    roots = engine.roots()
    canon = engine.canonicals(roots)
    sims = engine.similarity_to(canon)
    exact = engine.exact.view()
    sims[exact == exact[canon]] = 1.0
    how = engine.how.view()
    semantic = how == _SEMANTIC
    sims[semantic & (canon != np.arange(n))] = engine.link.view()[semantic & (canon != np.arange(n))]
    if ids is None:
        spool.seek(0)
        ids = [json.loads(line)["id"] for line in spool]
    quoted = [encode_basestring(i) for i in ids]  # json.dumps(i, ensure_ascii=False), without its overhead
    relation = np.where(
        canon == np.arange(n), 0, np.where(exact == exact[canon], 1, np.where(semantic, 2, 3))
    )
    matches = ['"canonical"', '"exact"', '"semantic"', '"near"']
    spool.seek(0)
    tmp_out = out_path.with_name(out_path.name + ".part")
    unique_handle = None
    if unique_path is not None:
        unique_handle = unique_path.with_name(unique_path.name + ".part").open("w", encoding="utf-8")
    try:
        with tmp_out.open("w", encoding="utf-8") as handle:
            rows = zip(roots.tolist(), canon.tolist(), sims.tolist(), relation.tolist(), strict=True)
            handle.writelines(
                f'{{"id": {quoted[i]}, "cluster": {quoted[r]}, "canonical": {quoted[c]}, "similarity": '
                f'{round(sim, 4)!r}, "match": {matches[m]}}}\n'
                for i, (r, c, sim, m) in enumerate(rows)
            )
            if unique_handle is not None:
                for i, line in enumerate(spool):
                    if canon[i] == i:
                        unique_handle.write(line if line.endswith("\n") else line + "\n")
    finally:
        if unique_handle is not None:
            unique_handle.close()
    os.replace(tmp_out, out_path)
    if unique_path is not None:
        os.replace(unique_path.with_name(unique_path.name + ".part"), unique_path)
    linked = roots != np.arange(n)
    return {
        "clusters": int(np.count_nonzero(~linked)),
        "exact": int(np.count_nonzero(how == _EXACT)),
        "near": int(np.count_nonzero(how == _NEAR)),
        "semantic": int(np.count_nonzero(semantic)),
    }
