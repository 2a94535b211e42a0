"""read: the first stage. Files and formats (text, Markdown, HTML, JSON lines, Parquet, WARC) become
:class:`~storytrace.records.RawArticle` records or :class:`~storytrace.records.Skipped` reasons;
HTML main-text extraction; cleaning (captions, comments, site furniture) with a reason for each cut.

Imports only the base modules (``config``, ``errors``, ``records``)."""
