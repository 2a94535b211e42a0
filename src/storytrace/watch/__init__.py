"""watch: ``storytrace watch``. Polls feeds, sitemaps and article pages into the store, keeps every
revision of a watched page, and sends alerts on new copies, drift and revisions.

Modules: ``sources`` (what to poll), ``fetch`` (the polite HTTP client), ``state`` (what the
watcher remembers, in the store file), ``storelink`` (what it asks of the store), ``alerts``
(events, rules, sinks) and ``watcher`` (the poll loop)."""

from __future__ import annotations

from .sources import Source, read_sources
from .watcher import PollSummary, Watcher, page_id

__all__ = ["PollSummary", "Source", "Watcher", "page_id", "read_sources"]
