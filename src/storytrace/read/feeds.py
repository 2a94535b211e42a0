"""feeds: what a fetched document lists. RSS 0.9x/1.0/2.0 and Atom (feedparser), JSON Feed 1.x,
sitemaps and news sitemaps (and sitemap indexes) become :class:`FeedEntry` records: the URL of
each article with the title and publication time the document gives for it.

Pure functions over bytes: fetching is the watcher's job (:mod:`storytrace.watch`). A document
that is none of these is reported as such, never guessed at: an HTML page is an article, a
malformed feed is an error naming what the parser said."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

from ..errors import MissingDependencyError
from .formats import parse_date

DocumentKind = Literal["rss", "atom", "jsonfeed", "sitemap", "sitemapindex", "html", "unknown"]

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_HTML_START = re.compile(rb"^\s*(<!doctype html|<html)", re.IGNORECASE)
_XML_START = re.compile(rb"^\s*(<\?xml|<rss|<feed|<rdf:RDF|<urlset|<sitemapindex)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One article a feed or sitemap lists (or, for a sitemap index, one child sitemap)."""

    url: str
    title: str | None = None
    published: datetime | None = None
    #: the feed's own id for the entry (RSS guid, Atom id, JSON Feed id), when it has one
    guid: str | None = None


@dataclass(frozen=True)
class FeedDocument:
    """What a document is and what it lists; ``error`` says why nothing could be read from it."""

    kind: DocumentKind
    entries: tuple[FeedEntry, ...] = ()
    title: str | None = None
    error: str | None = None


def read_feed(data: bytes, url: str = "", content_type: str = "") -> FeedDocument:
    """Read a fetched document: a feed, a sitemap (index) or an HTML page (an article).

    ``url`` resolves relative links; ``content_type`` is the HTTP header, a hint only."""
    ctype = content_type.split(";")[0].strip().lower()
    head = data[:2048].lstrip()
    if ctype in ("application/feed+json", "application/json") or head.startswith(b"{"):
        return _json_feed(data, url)
    if _HTML_START.match(head) and not _XML_START.match(head):
        return FeedDocument("html")
    if head.startswith(b"<") and re.search(rb"<(urlset|sitemapindex)\b", data[:4096]):
        return _sitemap(data, url)
    return _rss_or_atom(data, url, ctype)


def _json_feed(data: bytes, url: str) -> FeedDocument:
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        return FeedDocument("unknown", error=f"not a JSON Feed: {err}")
    if not isinstance(obj, dict) or "jsonfeed.org" not in str(obj.get("version", "")):
        return FeedDocument("unknown", error="JSON document without a jsonfeed.org version: not a JSON Feed")
    items = obj.get("items")
    if not isinstance(items, list):
        return FeedDocument("jsonfeed", error="JSON Feed without an 'items' list")
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        if not isinstance(link, str) or not link.strip():
            continue
        title = item.get("title")
        entries.append(
            FeedEntry(
                url=_resolve(url, link.strip()),
                title=title.strip() if isinstance(title, str) and title.strip() else None,
                published=_aware(parse_date(item.get("date_published") or item.get("date_modified"))),
                guid=str(item["id"]) if item.get("id") is not None else None,
            )
        )
    title = obj.get("title")
    return FeedDocument("jsonfeed", tuple(entries), title if isinstance(title, str) else None)


def _sitemap(data: bytes, url: str) -> FeedDocument:
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as err:
        return FeedDocument("unknown", error=f"malformed sitemap XML: {err}")
    tag = etree.QName(root).localname
    kind: DocumentKind = "sitemapindex" if tag == "sitemapindex" else "sitemap"
    child = "sitemap" if kind == "sitemapindex" else "url"
    entries = []
    for node in root.iter(f"{_SITEMAP_NS}{child}", child):
        loc = _text(node, "loc")
        if not loc:
            continue
        news = node.find(f"{_NEWS_NS}news")
        title = _text(news, "title", _NEWS_NS) if news is not None else None
        when = _text(news, "publication_date", _NEWS_NS) if news is not None else None
        entries.append(
            FeedEntry(url=_resolve(url, loc), title=title, published=_aware(parse_date(when or _text(node, "lastmod"))))
        )
    return FeedDocument(kind, tuple(entries))


def _text(node: Any, name: str, ns: str = _SITEMAP_NS) -> str | None:
    found = node.find(f"{ns}{name}")
    if found is None:
        found = node.find(name)
    if found is None or found.text is None:
        return None
    return str(found.text).strip() or None


def _rss_or_atom(data: bytes, url: str, ctype: str) -> FeedDocument:
    try:
        import feedparser
    except ImportError:  # pragma: no cover - part of storytrace[watch]
        raise MissingDependencyError("feedparser", "Reading feeds", 'pip install "storytrace[watch]"') from None
    parsed = feedparser.parse(data, response_headers={"content-location": url, "content-type": ctype})
    version = str(parsed.get("version") or "")
    entries = []
    for e in parsed.entries:
        link = e.get("link") or next(
            (x.get("href") for x in e.get("links", []) if x.get("rel", "alternate") == "alternate"), None
        )
        if not link:
            continue
        stamp = e.get("published_parsed") or e.get("updated_parsed")
        entries.append(
            FeedEntry(
                url=str(link).strip(),
                title=(str(e.get("title")).strip() or None) if e.get("title") else None,
                published=datetime(*tuple(stamp)[:6]).replace(tzinfo=UTC) if stamp else None,
                guid=str(e.get("id")) if e.get("id") else None,
            )
        )
    if not version and not entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        return FeedDocument("unknown", error=f"not a feed or sitemap (no RSS, Atom or sitemap structure){detail}")
    if parsed.get("bozo") and not entries:
        return FeedDocument(
            "atom" if version.startswith("atom") else "rss",
            error=f"malformed feed: {parsed.get('bozo_exception')}",
        )
    title = parsed.feed.get("title") if hasattr(parsed, "feed") else None
    kind: DocumentKind = "atom" if version.startswith("atom") else "rss"
    return FeedDocument(kind, tuple(entries), str(title) if title else None)


def _aware(value: datetime | None) -> datetime | None:
    """Publication times compare across feeds: a naive time is taken as UTC."""
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _resolve(base: str, link: str) -> str:
    """``link`` resolved against the document's URL; a malformed link is kept as given (the
    watcher reports it)."""
    try:
        return urljoin(base, link)
    except ValueError:
        return link
