"""watcher: ``storytrace watch``. Each poll reads every due source (a feed, a sitemap or news
sitemap, or one article page), fetches the articles it lists that are new, re-reads the articles
first seen in the last ``watch.revisit_days`` (a changed text is a new revision), stores them
through the store's intake, and turns what changed in the store into alerts.

A source that fails is reported with its error and polled again later (backing off while it keeps
failing); it never stops the others. ``run`` polls until stopped (SIGTERM or Ctrl-C end it after
the current page); ``poll`` is one pass, for cron (``--once``)."""

from __future__ import annotations

import codecs
import re
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from ..config import Config
from ..read.feeds import FeedEntry, read_feed
from ..read.formats import from_html
from ..records import RawArticle, Skipped
from .alerts import AlertSink, Event, make_alerts, revision_event, story_events
from .fetch import Fetcher, FetchSettings, url_problem
from .sources import Source
from .state import SourceState, WatchState, iso, now_utc
from .storelink import StoreLink

#: child sitemaps read from one sitemap index per poll
MAX_CHILD_SITEMAPS = 20
_HTML_TYPES = ("text/html", "application/xhtml+xml", "")

Progress = Callable[[str, int, int], None]


def page_id(url: str) -> str:
    """The article id of a watched page: its URL, normalised (host case, default port, tracking
    parameters and fragment removed), so the same page under two spellings is one article."""
    from courlan import normalize_url

    try:
        return str(normalize_url(url)).split("#", 1)[0]
    except ValueError:
        return url.split("#", 1)[0]


@dataclass
class SourceReport:
    """One source's poll: articles new, changed (a new revision), unchanged, and failures."""

    url: str
    name: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    skipped: bool = False

    def line(self) -> str:
        if self.skipped:
            return f"  {self.name}: not due"
        text = f"  {self.name}: {self.new} new, {self.changed} changed, {self.unchanged} unchanged, {self.failed} failed"
        return text + "".join(f"\n    ! {e}" for e in self.errors[:5]) + (
            f"\n    ! ... and {len(self.errors) - 5} more" if len(self.errors) > 5 else ""
        )


@dataclass
class PollSummary:
    at: str
    sources: list[SourceReport]
    alerts: int = 0
    stories: int = 0
    seconds: float = 0.0
    #: what the store's update did (grouping and analysis), when anything was stored
    update: str = ""
    alert_errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        polled = [s for s in self.sources if not s.skipped]
        totals = [sum(getattr(s, k) for s in polled) for k in ("new", "changed", "unchanged", "failed")]
        head = (
            f"poll at {self.at}: {len(polled)} source(s) polled; {totals[0]} new, {totals[1]} changed, "
            f"{totals[2]} unchanged, {totals[3]} failed; {self.stories} story(ies) updated, "
            f"{self.alerts} alert(s); {self.seconds:.1f} s"
        )
        lines = [head, *(s.line() for s in self.sources)]
        if self.update:
            lines.append(f"  {self.update}")
        return "\n".join([*lines, *(f"  ! {e}" for e in self.alert_errors)])


class Watcher:
    """Polls ``sources`` into the store ``db`` with the settings of ``config.watch``."""

    def __init__(
        self,
        db: str | Path,
        sources: Sequence[Source],
        config: Config | None = None,
        *,
        progress: Progress | None = None,
        clock: Callable[[], datetime] = now_utc,
    ) -> None:
        self.config = config or Config()
        w = self.config.watch
        self.sources = list(sources)
        self.link = StoreLink(db, self.config, progress)
        self.state = WatchState(db)
        self.fetcher = Fetcher(
            FetchSettings(
                timeout=w.timeout,
                max_bytes=w.max_bytes,
                max_redirects=w.max_redirects,
                retries=w.retries,
                backoff=w.backoff,
                host_delay=w.host_delay,
            )
        )
        self.sink = AlertSink(w.alert_file, w.webhook, timeout=w.timeout)
        self.progress = progress or (lambda stage, done, total: None)
        self.clock = clock
        self.stop = threading.Event()
        for alert_id in self.sink.already_written():  # written just before a crash: never again
            self.state.mark(alert_id, written=True)

    def close(self) -> None:
        self.fetcher.close()
        self.link.close()
        self.state.close()

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one poll -------------------------------------------------------------------------

    def poll(self, force: bool = False) -> PollSummary:
        """One pass over the sources that are due (all of them with ``force``)."""
        start = time.perf_counter()
        at = self.clock()
        summary = PollSummary(iso(at), [])
        due = []
        for source in self.sources:
            report = SourceReport(source.url, source.name)
            summary.sources.append(report)
            state = self.state.source(source.url, source.name)
            if force or self.state.due(state, at):
                due.append((source, state, report))
            else:
                report.skipped = True
        workers = max(1, min(self.config.watch.workers, len(due)))
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="watch") as pool:
            jobs = {
                pool.submit(self._read_source, source, *_validators(state), at, report): report
                for source, state, report in due
            }
            try:
                for number, job in enumerate(as_completed(jobs), start=1):
                    self._store(job.result(), jobs[job], at)  # store writes stay on this thread
                    self.progress("poll", number, len(due))
            except KeyboardInterrupt:  # Ctrl-C: the fetch threads end after their current page
                self.stop.set()
                raise
        if self.state.pending():
            summary.update = str(self.link.update())
        summary.stories = self._alert_pending(at)
        summary.alerts, summary.alert_errors = self._deliver()
        summary.seconds = time.perf_counter() - start
        return summary

    def _store(self, fetched: list[tuple[RawArticle, str | None, str | None]], report: SourceReport, at: datetime) -> None:
        if not fetched:
            return
        raws = [raw for raw, _, _ in fetched]
        for raw in raws:  # before the store write: a kill after it still alerts
            self.state.pending_add(raw.id, self.link.revision(raw.id), at)
        results = self.link.add(raws)
        # validators only once the text is stored: a kill before this re-reads the page
        for raw, etag, modified in fetched:
            self.state.fetched(raw.id, at, raw.id, etag, modified)
        for stored in results:
            if stored.outcome == "new":
                report.new += 1
            elif stored.outcome == "revised":
                report.changed += 1
            else:
                report.unchanged += 1

    def _read_source(
        self, source: Source, etag: str | None, last_modified: str | None, at: datetime, report: SourceReport
    ) -> list[tuple[RawArticle, str | None, str | None]]:
        """The articles of one source that are new or changed, with their HTTP validators."""
        every = source.every or self.config.watch.interval
        got = self.fetcher.fetch(source.url, etag, last_modified)
        if got.error is not None:
            report.failed += 1
            report.errors.append(got.error)
            self.state.polled(source.url, at, every, error=got.error)
            return []
        entries: list[FeedEntry] = []
        kind = None
        if got.ok:
            doc = read_feed(got.body, got.final_url, got.content_type)
            kind = doc.kind
            if doc.kind == "html":  # the source is one article page
                entries = [FeedEntry(got.final_url)]
            elif doc.error is not None:
                error = f"{source.url}: {doc.error}"
                report.failed += 1
                report.errors.append(error)
                self.state.polled(source.url, at, every, error=error)
                return []
            elif doc.kind == "sitemapindex":
                entries = self._child_sitemaps(doc.entries, report)
            else:
                entries = list(doc.entries)
        wanted: dict[str, FeedEntry] = {}
        for entry in entries:
            problem = url_problem(entry.url)
            if problem is not None:  # a javascript: or malformed link in a feed: named, not polled
                report.failed += 1
                report.errors.append(f"{source.url} lists {problem}")
                continue
            url = page_id(entry.url)
            self.state.seen(url, source.url, at, entry.title, entry.published)
            wanted.setdefault(url, entry)
        # the feed's validators only once its entries are recorded: a kill before this reads the
        # whole feed again (with them saved first, the next poll's 304 would hide its new entries)
        self.state.polled(source.url, at, every, kind=kind, etag=got.etag, last_modified=got.last_modified)
        since = at - timedelta(days=self.config.watch.revisit_days)
        for page in self.state.recent(source.url, since):
            wanted.setdefault(page.url, FeedEntry(page.url))
        out: list[tuple[RawArticle, str | None, str | None]] = []
        for url in wanted:
            if self.stop.is_set():
                break
            read = self._read_page(url, source, at, report)
            if read is not None:
                out.append(read)
        return out

    def _child_sitemaps(self, children: Sequence[FeedEntry], report: SourceReport) -> list[FeedEntry]:
        entries: list[FeedEntry] = []
        for child in children[:MAX_CHILD_SITEMAPS]:
            got = self.fetcher.fetch(child.url)
            if not got.ok:
                report.failed += 1
                report.errors.append(got.error or f"{child.url}: HTTP {got.status}")
                continue
            doc = read_feed(got.body, got.final_url, got.content_type)
            if doc.error is not None:
                report.failed += 1
                report.errors.append(f"{child.url}: {doc.error}")
                continue
            entries += doc.entries
        return entries

    def _read_page(
        self, url: str, source: Source, at: datetime, report: SourceReport
    ) -> tuple[RawArticle, str | None, str | None] | None:
        page = self.state.page(url)
        got = self.fetcher.fetch(url, page.etag if page else None, page.last_modified if page else None)
        if got.unchanged:
            report.unchanged += 1
            self.state.fetched(
                url,
                at,
                None,
                got.etag or (page.etag if page else None),
                got.last_modified or (page.last_modified if page else None),
            )
            return None
        if got.error is not None:
            report.failed += 1
            report.errors.append(got.error)
            return None
        ctype = got.content_type.split(";")[0].strip().lower()
        if ctype not in _HTML_TYPES:
            report.failed += 1
            report.errors.append(f"{url}: not an HTML page (Content-Type {ctype!r})")
            return None
        html = got.body.decode(page_charset(got.content_type, got.body), errors="replace")
        title, published = self.state.listed(url)
        item = from_html(html, url, url, None, title=title, source=source.name, url=got.final_url, published=published)
        if isinstance(item, Skipped):
            report.failed += 1
            report.errors.append(f"{url}: {item.reason}")
            return None
        return item, got.etag, got.last_modified

    def _alert_pending(self, at: datetime) -> int:
        """Turn what the pending articles changed into recorded alerts; the stories looked at."""
        pending = self.state.pending()
        if not pending:
            return 0
        stories: set[str] = set()
        revised: list[tuple[str, int, int]] = []
        for article, before in pending:
            now = self.link.revision(article)
            if now == 0:  # never stored (killed before the write): its page is read again
                continue
            story = self.link.story_of(article)
            if story is not None:
                stories.add(story)
            if 0 < before < now:
                revised.append((article, before, now))
        events = self._events(stories, revised)
        for alert in make_alerts(self.config.watch.alerts, events, iso(at), self.config.watch.web_url):
            self.state.record_alert(alert.id, alert.rule, alert.event.kind, at, alert.json())
        self.state.pending_done([article for article, _ in pending])
        return len(stories)

    def _events(self, stories: set[str], revised: Sequence[tuple[str, int, int]]) -> list[Event]:
        events: list[Event] = []
        for story in sorted(stories):
            analysed = self.link.analysed(story)
            if analysed is not None:
                live, record, refs = analysed
                events += story_events(live, record, refs)
        for article, old, new in revised:
            diff = self.link.compare(article, old, new)
            if diff is None or not (diff.changes or diff.drift):
                # the page changed only where cleaning removes text (a timestamp, furniture,
                # comments): no sentence of the article changed, nothing to tell a desk
                continue
            ref = self.link.ref(article)
            drift = [{"kind": d.kind, "before": d.before, "after": d.after} for d in diff.drift]
            story = self.link.story_of(article) or ""
            events.append(revision_event(story, ref, old, new, diff.counts, drift))
        return events

    def _deliver(self) -> tuple[int, list[str]]:
        sent, errors = 0, []
        for alert_id, payload, written, posted in self.state.unsent(bool(self.sink.webhook)):
            if not written:
                self.sink.write(payload)
                self.state.mark(alert_id, written=True)
                sent += 1
            if self.sink.webhook and not posted:
                error = self.sink.post(payload)
                if error is None:
                    self.state.mark(alert_id, posted=True)
                else:
                    errors.append(f"alert {alert_id}: {error} (posted again at the next poll)")
        return sent, errors

    # -- running --------------------------------------------------------------------------

    def run(self, report: Callable[[PollSummary], None] | None = None, max_polls: int | None = None) -> int:
        """Poll until stopped (``self.stop``) or ``max_polls`` passes; the number of passes."""
        polls = 0
        while not self.stop.is_set():
            summary = self.poll()
            polls += 1
            if report is not None:
                report(summary)
            if max_polls is not None and polls >= max_polls:
                break
            self.stop.wait(self._seconds_to_next())
        return polls

    def _seconds_to_next(self) -> float:
        now = self.clock()
        waits = []
        for source in self.sources:
            state = self.state.source(source.url, source.name)
            if state.due_at is None:
                return 0.0
            waits.append((datetime.fromisoformat(state.due_at) - now).total_seconds())
        return max(1.0, min(waits, default=self.config.watch.interval))


def _validators(state: SourceState) -> tuple[str | None, str | None]:
    """The validators to send when polling a source: none for a sitemap index, which rarely
    changes when its child sitemaps do (a 304 would hide the articles they list next)."""
    if state.kind == "sitemapindex":
        return None, None
    return state.etag, state.last_modified


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)


def page_charset(content_type: str, body: bytes = b"") -> str:
    """The encoding of an HTML page: the Content-Type header's charset, else a byte-order mark,
    else the page's own ``<meta charset>`` (or ``http-equiv``) in its first 4 KB, else UTF-8."""
    declared = [part.strip().partition("=") for part in content_type.split(";")[1:]]
    candidates = [value for key, _, value in declared if key.lower() == "charset" and value]
    if body.startswith(b"\xef\xbb\xbf"):
        candidates.append("utf-8-sig")
    elif body.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates.append("utf-16")
    found = _META_CHARSET.search(body[:4096])
    if found:
        candidates.append(found.group(1).decode("ascii"))
    for value in candidates:
        try:
            return codecs.lookup(value.strip().strip('"')).name
        except LookupError:
            continue
    return "utf-8"
