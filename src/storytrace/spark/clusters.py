"""clusters: links and clusters. One key shuffle finds exact copies, LSH candidates and repeated
ids; candidates are verified and clusters formed on the driver (up to :data:`DRIVER_LINKS`
links) or by distributed large-star/small-star connected components; canonicals and similarities
as in the local engine."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from ..config import Config
from .fingerprint import Fingerprinted, _drop_duplicate_ids
from .session import _BAND_LINK, _EXACT_LINK, _FAIL_FIRST_ATTEMPT, _ID_LINK, _KEYS, _small

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow as pa
    from pyspark.sql import DataFrame, SparkSession


# -- connected components -------------------------------------------------------------------


def connected_components(edges: DataFrame, max_rounds: int = 64) -> tuple[DataFrame, int]:
    """Component of every vertex of ``edges`` (columns ``a``, ``b``: long vertex ids), named after
    its smallest vertex, by alternating large-star and small-star (Kiveris et al. 2014).

    Returns a DataFrame ``(vertex, component)`` and the number of rounds taken.
    """
    from pyspark.sql import functions as F

    current = (
        edges.select(F.greatest("a", "b").alias("hi"), F.least("a", "b").alias("lo"))
        .where(F.col("hi") != F.col("lo"))
        .distinct()
        .localCheckpoint()
    )
    rounds = 0
    while True:
        rounds += 1
        # large star: every vertex's larger neighbours link to the smallest of its neighbourhood
        both = current.select(F.col("hi").alias("u"), F.col("lo").alias("v")).unionByName(
            current.select(F.col("lo").alias("u"), F.col("hi").alias("v"))
        )
        m = both.groupBy("u").agg(F.least(F.min("v"), F.col("u")).alias("m"))
        large = (
            both.join(m, "u")
            .where(F.col("v") > F.col("u"))
            .select(F.col("v").alias("hi"), F.col("m").alias("lo"))
            .distinct()
        )
        # small star: every vertex and its smaller neighbours link to the smallest of them
        ms = large.groupBy("hi").agg(F.min("lo").alias("m"))
        small = (
            large.join(ms, "hi")
            .select(F.col("lo").alias("hi"), F.col("m").alias("lo"))
            .unionByName(ms.select(F.col("hi"), F.col("m").alias("lo")))
            .where(F.col("hi") != F.col("lo"))
            .select(F.greatest("hi", "lo").alias("hi"), F.least("hi", "lo").alias("lo"))
            .distinct()
            .localCheckpoint()
        )
        # converged when the round changed no edge (symmetric difference is empty)
        changed = (
            small.withColumn("w", F.lit(1))
            .unionByName(current.withColumn("w", F.lit(2)))
            .groupBy("hi", "lo")
            .agg(F.sum("w").alias("w"))
            .where(F.col("w") != 3)
            .limit(1)
            .count()
        )
        current = small
        if changed == 0 or rounds >= max_rounds:
            break
    # at convergence every component is a star around its smallest vertex
    comp = current.groupBy("hi").agg(F.min("lo").alias("component"))
    roots = current.select(F.col("lo").alias("hi")).distinct().join(comp, "hi", "left_anti")
    result = comp.select(F.col("hi").alias("vertex"), "component").unionByName(
        roots.select(F.col("hi").alias("vertex"), F.col("hi").alias("component"))
    )
    return result, rounds


def _pair_similarity(batches: Iterator[pa.RecordBatch], num_perm: int) -> Iterator[pa.RecordBatch]:
    """Estimated Jaccard similarity of signature pairs (columns ``sa``, ``sb``), as the local engine."""
    import pyarrow as pa

    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        a = _signature_matrix(batch.column("sa"), num_perm)
        b = _signature_matrix(batch.column("sb"), num_perm)
        sim = np.count_nonzero(a == b, axis=1) / num_perm
        cols = {name: batch.column(name) for name in batch.schema.names if name not in ("sa", "sb")}
        yield pa.RecordBatch.from_pydict({**cols, "sim": pa.array(sim, type=pa.float64())})


def _signature_matrix(column: Any, num_perm: int) -> np.ndarray[Any, np.dtype[np.uint32]]:
    import pyarrow as pa

    arr = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    values = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + len(arr) + 1]
    width = num_perm * 4
    if offsets.size > 1 and np.all(np.diff(offsets) == width):
        return values[offsets[0] : offsets[-1]].view(np.uint32).reshape(len(arr), num_perm)
    return np.frombuffer(b"".join(arr.to_pylist()), dtype=np.uint32).reshape(len(arr), num_perm)


def _final_rows(
    batches: Iterator[pa.RecordBatch], num_perm: int, fail_first_attempt: bool
) -> Iterator[pa.RecordBatch]:
    """Output rows of articles in multi-article clusters: similarity with the canonical and match."""
    import pyarrow as pa
    from pyspark import TaskContext

    ctx = TaskContext.get()
    if fail_first_attempt and ctx is not None and ctx.partitionId() == 0 and ctx.attemptNumber() == 0:
        raise RuntimeError("storytrace test: failing the first attempt of an output task on purpose")
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        a = _signature_matrix(batch.column("sig"), num_perm)
        b = _signature_matrix(batch.column("csig"), num_perm)
        order = np.asarray(batch.column("order"))
        corder = np.asarray(batch.column("corder"))
        exact = np.asarray(batch.column("exact"))
        cexact = np.asarray(batch.column("cexact"))
        sim = np.count_nonzero(a == b, axis=1) / num_perm
        is_canon = order == corder
        same = exact == cexact
        sim[is_canon | same] = 1.0
        match = np.where(is_canon, "canonical", np.where(same, "exact", "near"))
        yield pa.RecordBatch.from_pydict(
            {
                "order": pa.array(order, type=pa.int64()),
                "id": batch.column("id"),
                "cluster": batch.column("cluster"),
                "canonical": batch.column("canonical"),
                "similarity": pa.array([round(float(x), 4) for x in sim.tolist()], type=pa.float64()),
                "match": pa.array(match.tolist(), type=pa.string()),
            }
        )


#: at most this many links (exact copies plus LSH candidate pairs, before removing repeats) are
#: verified and clustered on the driver, which fetches their articles' signatures (about 600
#: bytes an article, at most two articles a link: 600 MB at the limit); above it, verification,
#: connected components and canonicals run as distributed DataFrame stages
DRIVER_LINKS = 500_000


def _key_links(
    batches: Iterator[pa.RecordBatch],
    offsets: dict[tuple[str, int], int],
    with_ids: bool,
    dropped: np.ndarray[Any, Any],
) -> Iterator[pa.RecordBatch]:
    """Reduce side of the band shuffle: all entries of a key are in this partition; every article
    links to the first article (smallest order) with the same key: ``t, a, b`` with ``a > b``.

    For band keys the first article is never an exact copy (its original, which comes earlier,
    has the same signature and so the same keys): it is the local engine's band owner. Articles
    in ``dropped`` (a repeated id) are left out."""
    import pyarrow as pa

    keys: dict[int, list[np.ndarray[Any, Any]]] = {}
    orders: dict[int, list[np.ndarray[Any, Any]]] = {}
    for batch in batches:
        cols = batch.to_pydict()
        for kind, key, pos, splits in zip(
            cols["kind"], cols["keys"], cols["pos"], cols["splits"], strict=True
        ):
            if kind == _ID_LINK and not with_ids:
                continue
            base = np.array([offsets[(f, int(sp))] for f, sp in json.loads(splits)], dtype=np.int64)
            place = np.frombuffer(pos, dtype=np.int64)
            order = base[place >> 40] + (place & ((1 << 40) - 1))
            key_arr = np.frombuffer(key, dtype=np.int64)
            if dropped.size:
                keep = ~np.isin(order, dropped)
                order, key_arr = order[keep], key_arr[keep]
            keys.setdefault(kind, []).append(key_arr)
            orders.setdefault(kind, []).append(order)
    for kind in sorted(keys):
        key, order = np.concatenate(keys[kind]), np.concatenate(orders[kind])
        if key.size < 2:
            continue
        idx = np.lexsort((order, key))
        key, order = key[idx], order[idx]
        starts = np.ones(key.size, dtype=bool)
        starts[1:] = key[1:] != key[:-1]
        first = order[np.maximum.accumulate(np.where(starts, np.arange(key.size), 0))]
        later = order != first
        if not later.any():
            continue
        a, b = order[later], first[later]
        pick = np.lexsort((b, a))
        a, b = a[pick], b[pick]
        fresh = np.ones(a.size, dtype=bool)
        fresh[1:] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(np.full(int(fresh.sum()), kind, dtype=np.int32)),
                pa.array(a[fresh]),
                pa.array(b[fresh]),
            ],
            names=["t", "a", "b"],
        )


def _links(spark: SparkSession, fp: Fingerprinted, with_ids: bool) -> DataFrame:
    """Exact copies, LSH candidate pairs (and repeated id hashes) from the packed keys of the
    fingerprint stage, in one shuffle: ``t, a, b``."""
    from pyspark.sql import functions as F

    offsets = dict(fp.offsets)
    dropped = np.asarray(sorted(fp.dropped), dtype=np.int64)

    def reduce(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _key_links(batches, offsets, with_ids, dropped)

    return (
        fp.cached.where(F.col("kind") == _KEYS)
        .select(
            F.col("split").cast("int").alias("part"),
            F.col("row").cast("int").alias("kind"),
            F.col("sig").alias("keys"),
            "pos",
            F.col("reason").alias("splits"),
        )
        .repartition(fp.parts, "part")
        .mapInArrow(reduce, "t int, a long, b long")
    )


def _repeated_ids(spark: SparkSession, fp: Fingerprinted, links: DataFrame) -> list[tuple[str, int]]:
    """Ids that more than one article has, with the order of the first; only the articles whose
    id hash repeats (usually none) are looked at."""
    from pyspark.sql import functions as F

    ends = links.where(F.col("t") == _ID_LINK)
    orders = ends.select(F.col("a").alias("order")).unionByName(ends.select(F.col("b").alias("order")))
    rows = fp.articles.join(orders.distinct(), "order", "left_semi").select("order", "id").collect()
    first: dict[str, int] = {}
    seen: dict[str, int] = {}
    for r in rows:
        key, order = r["id"], int(r["order"])
        first[key] = min(first.get(key, order), order)
        seen[key] = seen.get(key, 0) + 1
    return sorted((k, first[k]) for k, n in seen.items() if n > 1)


def cluster_frame(
    spark: SparkSession, fp: Fingerprinted, config: Config, *, driver_links: int | None = None
) -> tuple[DataFrame, dict[str, int]]:
    """Clusters of the fingerprinted articles: ``order, id, cluster, canonical, similarity, match``.

    One shuffle finds the exact copies and the LSH candidate pairs (and, when ``fp`` still has
    duplicate ids to drop, the repeated ids). When there are at most ``driver_links``
    (:data:`DRIVER_LINKS`) of them, the candidates are verified and the clusters formed on the
    driver with the articles' signatures; otherwise on the cluster (:func:`connected_components`).
    """
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    limit = DRIVER_LINKS if driver_links is None else driver_links
    with_ids = not fp.ids_checked
    links = _links(spark, fp, with_ids).persist(StorageLevel.MEMORY_AND_DISK)
    counts = {
        int(r["t"]): int(r["n"]) for r in links.groupBy("t").agg(F.count(F.lit(1)).alias("n")).collect()
    }
    if with_ids:
        before = fp.count
        _drop_duplicate_ids(spark, fp, _repeated_ids(spark, fp, links) if counts.get(_ID_LINK) else [])
        if fp.count != before:  # articles were dropped: their band keys must not own any band
            links.unpersist()
            links = _links(spark, fp, False).persist(StorageLevel.MEMORY_AND_DISK)
            counts = {
                int(r["t"]): int(r["n"])
                for r in links.groupBy("t").agg(F.count(F.lit(1)).alias("n")).collect()
            }
    fp.held.append(links)
    if counts.get(_EXACT_LINK, 0) + counts.get(_BAND_LINK, 0) <= limit:
        return _cluster_on_driver(spark, fp, config, links)
    return _cluster_distributed(spark, fp, config, links)


def _components(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any], n: int) -> np.ndarray[Any, Any]:
    """Connected components of ``n`` vertices and edges ``a - b``: each vertex's smallest vertex
    in its component (hooking roots on the smaller root, then pointer jumping, until stable)."""
    parent = np.arange(n, dtype=np.int64)
    while True:
        ra, rb = parent[a], parent[b]
        if np.array_equal(ra, rb):
            return parent
        low = np.minimum(ra, rb)
        np.minimum.at(parent, ra, low)
        np.minimum.at(parent, rb, low)
        while True:
            grand = parent[parent]
            if np.array_equal(grand, parent):
                break
            parent = grand


def _cluster_on_driver(
    spark: SparkSession, fp: Fingerprinted, config: Config, links: DataFrame
) -> tuple[DataFrame, dict[str, int]]:
    """Verify the candidates, form the clusters and pick their canonicals on the driver (the
    local engine's arithmetic on the articles that have a link); a broadcast then labels every
    article in one pass."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    num_perm = config.num_perm
    table = links.where(F.col("t") != _ID_LINK).toArrow()
    t = table.column("t").to_numpy()
    a = table.column("a").to_numpy().astype(np.int64)
    b = table.column("b").to_numpy().astype(np.int64)
    exact_a, exact_b = a[t == _EXACT_LINK], b[t == _EXACT_LINK]
    band = (t == _BAND_LINK) & ~np.isin(a, exact_a)  # exact copies look no band up
    pairs = np.unique(np.stack([a[band], b[band]], axis=1), axis=0).reshape(-1, 2)
    involved = np.unique(np.concatenate([exact_a, exact_b, pairs.ravel()]))
    empty = pa.table({"order": pa.array([], pa.int64()), "cluster": pa.array([], pa.string()),
                      "canonical": pa.array([], pa.string()), "similarity": pa.array([], pa.float64()),
                      "match": pa.array([], pa.string())})  # fmt: skip
    members = empty
    n_near = 0
    n_components = 0
    if involved.size:
        wanted = spark.createDataFrame(pa.table({"order": involved}))
        info = (
            fp.articles.join(_small(wanted, involved.size), "order", "left_semi")
            .select("order", "id", "exact", "sig", "published", "length")
            .toArrow()
            .combine_chunks()
        )
        info = info.take(pa.array(np.argsort(info.column("order").to_numpy(), kind="stable")))
        order = info.column("order").to_numpy()
        sigs = _signature_matrix(
            info.column("sig").chunk(0) if info.num_rows else info.column("sig"), num_perm
        )
        pa_, pb_ = np.searchsorted(order, pairs[:, 0]), np.searchsorted(order, pairs[:, 1])
        sim = np.count_nonzero(sigs[pa_] == sigs[pb_], axis=1) / num_perm
        near = sim >= config.dedup_threshold
        n_near = int(np.unique(pairs[near, 0]).size)
        ea = np.concatenate([np.searchsorted(order, exact_a), pa_[near]])
        eb = np.concatenate([np.searchsorted(order, exact_b), pb_[near]])
        root = _components(ea, eb, order.size)
        in_edge = np.zeros(order.size, dtype=bool)
        in_edge[ea] = True
        in_edge[eb] = True
        m = np.flatnonzero(in_edge)  # members of multi-article clusters, in order
        root = root[m]
        n_components = int(np.unique(root).size)
        published = info.column("published").to_numpy(zero_copy_only=False)[m]
        published = np.where(np.isnan(published), np.inf, published)
        length = info.column("length").to_numpy()[m]
        # canonical: earliest published, else longest, else first (of each component)
        rank = np.lexsort((order[m], -length, published, root))
        head = np.ones(m.size, dtype=bool)
        head[1:] = root[rank][1:] != root[rank][:-1]
        canon_of_root = np.zeros(order.size, dtype=np.int64)
        canon_of_root[root[rank][head]] = m[rank][head]
        canon = canon_of_root[root]  # row (in info) of each member's canonical
        exact = info.column("exact").to_numpy()
        is_canon = canon == m
        same = exact[m] == exact[canon]
        similarity = np.count_nonzero(sigs[m] == sigs[canon], axis=1) / num_perm
        similarity[is_canon | same] = 1.0
        ids = info.column("id")
        members = pa.table(
            {
                "order": pa.array(order[m]),
                "cluster": ids.take(pa.array(root)),
                "canonical": ids.take(pa.array(canon)),
                "similarity": pa.array([round(float(x), 4) for x in similarity.tolist()], pa.float64()),
                "match": pa.array(np.where(is_canon, "canonical", np.where(same, "exact", "near")).tolist()),
            }
        )
    held = spark.sparkContext.broadcast(members)
    fp.held.append(held)
    fail = spark.conf.get(_FAIL_FIRST_ATTEMPT, "false") == "true"

    def label(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        return _label_rows(batches, held.value, fail)

    frame = fp.articles.select("order", "id").mapInArrow(
        label, "order long, id string, cluster string, canonical string, similarity double, match string"
    )
    stats = {
        "exact": int(exact_a.size),
        "near": n_near,
        "clusters": fp.count - members.num_rows + n_components,
        "rounds": 0,
    }
    return frame, stats


def _label_rows(
    batches: Iterator[pa.RecordBatch], members: Any, fail_first_attempt: bool
) -> Iterator[pa.RecordBatch]:
    """Output rows: an article in a multi-article cluster gets its row of ``members``; any other
    is its own cluster and canonical."""
    import pyarrow as pa
    import pyarrow.compute as pc
    from pyspark import TaskContext

    ctx = TaskContext.get()
    if fail_first_attempt and ctx is not None and ctx.partitionId() == 0 and ctx.attemptNumber() == 0:
        raise RuntimeError("storytrace test: failing the first attempt of an output task on purpose")
    members = members.combine_chunks()
    m_order = members.column("order").to_numpy()
    columns = (
        {c: members.column(c).chunk(0) for c in ("cluster", "canonical", "match")} if members.num_rows else {}
    )
    m_sim = members.column("similarity").to_numpy()
    for batch in batches:
        n = batch.num_rows
        if n == 0:
            continue
        order = batch.column("order").to_numpy()
        ids = batch.column("id")
        if m_order.size:
            pos = np.minimum(np.searchsorted(m_order, order), m_order.size - 1)
            hit = m_order[pos] == order
        else:
            pos, hit = np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
        if hit.any():
            mask, where = pa.array(hit), pa.array(pos)
            cluster = pc.if_else(mask, columns["cluster"].take(where), ids)
            canonical = pc.if_else(mask, columns["canonical"].take(where), ids)
            match = pc.if_else(mask, columns["match"].take(where), pa.scalar("canonical"))
            similarity = pa.array(np.where(hit, m_sim[pos], 1.0))
        else:
            cluster = canonical = ids
            match = pa.array(["canonical"] * n, pa.string())
            similarity = pa.array(np.ones(n))
        yield pa.RecordBatch.from_arrays(
            [batch.column("order"), ids, cluster, canonical, similarity, match],
            names=["order", "id", "cluster", "canonical", "similarity", "match"],
        )


def _cluster_distributed(
    spark: SparkSession, fp: Fingerprinted, config: Config, links: DataFrame
) -> tuple[DataFrame, dict[str, int]]:
    """The clusters as DataFrame stages, for link sets too large for the driver."""
    from pyspark.sql import functions as F

    num_perm = config.num_perm
    threshold = config.dedup_threshold
    art = fp.articles
    # 1. exact duplicates link to the first article with their exact hash
    exact_edges = links.where(F.col("t") == _EXACT_LINK).select("a", "b", F.lit(True).alias("exact"))
    # 2. an article that is not an exact copy against the first article with each of its band keys
    banded = (
        links.where(F.col("t") == _BAND_LINK)
        .select("a", "b")
        .join(exact_edges.select("a"), "a", "left_anti")
        .distinct()
        .localCheckpoint()
    )
    # only the signatures of candidate articles travel (a broadcast semi-join when few)
    involved = (
        banded.select(F.col("a").alias("order"))
        .unionByName(banded.select(F.col("b").alias("order")))
        .distinct()
        .localCheckpoint()
    )
    sigs = art.select("order", "sig").join(_small(involved, involved.count()), "order", "left_semi")
    candidates = (
        banded.join(sigs.select(F.col("order").alias("a"), F.col("sig").alias("sa")), "a")
        .join(sigs.select(F.col("order").alias("b"), F.col("sig").alias("sb")), "b")
        .select("a", "b", "sa", "sb")
    )
    near_edges = (
        candidates.mapInArrow(lambda it: _pair_similarity(it, num_perm), "a long, b long, sim double")
        .where(F.col("sim") >= F.lit(threshold))
        .select("a", "b", F.lit(False).alias("exact"))
    )
    edges = exact_edges.unionByName(near_edges).localCheckpoint()
    counted = edges.agg(
        F.count(F.when(F.col("exact"), 1)).alias("exact"),
        F.count_distinct(F.when(~F.col("exact"), F.col("a"))).alias("near"),
    ).first()
    assert counted is not None
    n_exact, n_near = int(counted["exact"]), int(counted["near"])
    # 3. connected components
    comps, rounds = connected_components(edges.select("a", "b"))
    comps = comps.localCheckpoint()
    sizes = comps.agg(F.count(F.lit(1)).alias("n"), F.count_distinct("component").alias("clusters")).first()
    assert sizes is not None
    n_in_multi, n_multi = int(sizes["n"]), int(sizes["clusters"])
    in_multi = _small(comps.withColumnRenamed("vertex", "order"), n_in_multi)
    # 4. canonical (earliest published, else longest, else first) and similarity with it
    members = (
        art.select("order", "id", "exact", "sig", "published", "length")
        .join(in_multi, "order")
        .localCheckpoint()
    )
    canon = members.groupBy("component").agg(
        F.min(F.struct("published", (-F.col("length")).alias("neg_length"), "order"))
        .getField("order")
        .alias("corder")
    )
    info = members.select(
        F.col("order").alias("corder"),
        F.col("id").alias("canonical"),
        F.col("exact").alias("cexact"),
        F.col("sig").alias("csig"),
    )
    names = members.select(F.col("order").alias("component"), F.col("id").alias("cluster"))
    joined = members.join(canon, "component").join(info, "corder").join(names, "component")
    fail = spark.conf.get(_FAIL_FIRST_ATTEMPT, "false") == "true"
    clustered = joined.select(
        "order", "id", "cluster", "canonical", "exact", "cexact", "sig", "csig", "corder"
    ).mapInArrow(
        lambda it: _final_rows(it, num_perm, fail),
        "order long, id string, cluster string, canonical string, similarity double, match string",
    )
    singles = (
        art.select("order", "id")
        .join(in_multi.select("order"), "order", "left_anti")
        .select(
            "order",
            "id",
            F.col("id").alias("cluster"),
            F.col("id").alias("canonical"),
            F.lit(1.0).alias("similarity"),
            F.lit("canonical").alias("match"),
        )
    )
    stats = {
        "exact": n_exact,
        "near": n_near,
        "clusters": fp.count - n_in_multi + n_multi,
        "rounds": rounds,
    }
    return clustered.unionByName(singles), stats
