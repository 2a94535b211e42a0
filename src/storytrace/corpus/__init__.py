"""corpus: many articles over time. Streaming near-duplicate clusters (dedup) and the incremental
SQLite store with revisions and stable story ids, whose stories are analysed by the same
:class:`~storytrace.pipeline.Pipeline` as ``storytrace analyze``.

Imports ``pipeline`` and everything below it; never web, spark, evaluation or the CLI."""
