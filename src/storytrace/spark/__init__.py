"""spark: the Apache Spark engine (``engine = "spark"``) for corpora that outgrow one machine.

``storytrace dedup INPUT --engine spark`` gives the same clusters as the local engine
(:mod:`storytrace.corpus.dedup`) because it runs the same code on every executor:

1. **read**: JSON lines (parsed by the local engine's record parser; files on a local or shared
   file system are read by the Python workers in byte splits, other URIs with
   ``spark.read.text``) and Parquet (``spark.read.parquet``), from local paths or any URI Spark
   reads. Every row keeps its file and position, so the articles get the order the local engine
   reads them in (files sorted as :func:`storytrace.read.inputs.iter_inputs` sorts them, then line by
   line);
2. **fingerprint**: :class:`~storytrace.text.fingerprint.MinHasher` and
   :func:`~storytrace.text.fingerprint.band_keys` inside ``mapInArrow``, a whole batch at a time: the
   same signatures, exact hashes and (32-bit) LSH band keys as the local engine; the same task
   packs the keys for the band shuffle;
3. **links**, in one shuffle: an article whose exact hash was seen before links to the first
   article with that hash; every other article links to the first article sharing each of its
   LSH bands when their estimated Jaccard similarity reaches ``dedup_threshold`` (exactly the
   local engine's rule);
4. **clusters**: verified and formed on the driver from the linked articles' signatures when
   there are at most :data:`~storytrace.spark.clusters.DRIVER_LINKS` links, else by connected components with the
   large-star/small-star algorithm (Kiveris et al., SoCC 2014) in plain DataFrame operations (no
   GraphFrames jar); a cluster is named after its first article;
5. **canonical** article and **similarity** as in the local engine (earliest published, else
   longest, else first; estimated Jaccard with the canonical, 1.0 for exact copies), written as
   Parquet ``id, cluster, canonical, similarity, match`` with Spark's commit protocol and
   ``overwrite`` mode, so a retried task never duplicates rows and a rerun replaces the output.

``storytrace analyze --engine spark`` groups articles by story (a story column of the input, else
the near-duplicate clusters above) and runs the per-story stages (clean, segment, embed, align,
lineage, drift, quotations, consolidation) inside a grouped ``applyInPandas`` stage, writing the
report's story and article records as JSON lines or Parquet.

pyspark is optional: ``pip install 'storytrace[spark]'``.

The stages are one module each: ``session`` (the Spark session and shared constants), ``read``
(inputs), ``fingerprint``, ``clusters`` (links, connected components, canonicals), ``dedup`` and
``analyze`` (the two commands) and ``results`` (reading an output back without Spark).
"""

from __future__ import annotations

from .analyze import SparkAnalyzeSummary, spark_analyze, story_records
from .clusters import cluster_frame, connected_components
from .dedup import SparkDedupSummary, spark_dedup
from .fingerprint import Fingerprinted, fingerprint_corpus
from .read import Source, list_sources
from .results import read_clusters, read_records
from .session import INSTALL, get_spark

__all__ = [
    "INSTALL",
    "Fingerprinted",
    "Source",
    "SparkAnalyzeSummary",
    "SparkDedupSummary",
    "cluster_frame",
    "connected_components",
    "fingerprint_corpus",
    "get_spark",
    "list_sources",
    "read_clusters",
    "read_records",
    "spark_analyze",
    "spark_dedup",
    "story_records",
]
