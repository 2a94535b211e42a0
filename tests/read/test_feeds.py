"""Feeds and sitemaps into entries (storytrace.read.feeds): every format the watcher polls, and
the documents that are not feeds, each named for what it is."""

from __future__ import annotations

from datetime import UTC, datetime

from storytrace.read.feeds import read_feed

RSS2 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Meridian Wire</title><link>https://meridian.example/</link>
<item><title>Karsova president to visit Lindmark for canal deal</title>
<link>https://meridian.example/2024/06/04/canal-deal</link><guid isPermaLink="false">mw-1001</guid>
<pubDate>Tue, 04 Jun 2024 08:00:00 GMT</pubDate></item>
<item><title>An item without a link is skipped</title></item>
</channel></rss>"""

RSS1 = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://old.example/"><title>Old Times</title><link>https://old.example/</link></channel>
<item rdf:about="https://old.example/a"><title>Bakery reopens</title><link>https://old.example/a</link>
<dc:date>2024-06-03T12:00:00Z</dc:date></item>
</rdf:RDF>"""

RSS091 = b"""<?xml version="1.0"?><rss version="0.91"><channel><title>Tiny</title>
<item><title>One</title><link>https://tiny.example/one</link></item></channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Portal24</title><id>urn:p24</id>
<entry><title>Canal deal: what we know</title><link rel="alternate" href="/news/canal"/>
<id>urn:p24:77</id><updated>2024-06-04T09:30:00+02:00</updated></entry></feed>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "Clickfeed",
"items": [{"id": "cf-9", "url": "https://clickfeed.example/canal", "title": "You won't believe this canal",
"date_published": "2024-06-05T07:00:00Z"}, {"id": "no-url"}]}"""

NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://globewire.example/world/canal</loc>
<news:news><news:publication><news:name>Globewire</news:name><news:language>en</news:language></news:publication>
<news:publication_date>2024-06-04T11:00:00Z</news:publication_date><news:title>Canal pact</news:title></news:news></url>
<url><loc>https://globewire.example/about</loc><lastmod>2024-01-01</lastmod></url>
</urlset>"""

SITEMAP_INDEX = b"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://globewire.example/news-sitemap.xml</loc></sitemap></sitemapindex>"""


def test_rss2_entries_with_guid_and_time() -> None:
    doc = read_feed(RSS2, "https://meridian.example/rss.xml")
    assert doc.kind == "rss" and doc.error is None and doc.title == "Meridian Wire"
    assert [e.url for e in doc.entries] == ["https://meridian.example/2024/06/04/canal-deal"]
    entry = doc.entries[0]
    assert entry.guid == "mw-1001"
    assert entry.published == datetime(2024, 6, 4, 8, 0, tzinfo=UTC)


def test_rss1_and_rss091() -> None:
    assert [e.url for e in read_feed(RSS1).entries] == ["https://old.example/a"]
    assert read_feed(RSS1).entries[0].published == datetime(2024, 6, 3, 12, 0, tzinfo=UTC)
    assert [e.url for e in read_feed(RSS091).entries] == ["https://tiny.example/one"]


def test_atom_relative_link_resolved_and_time_in_utc() -> None:
    doc = read_feed(ATOM, "https://portal24.example/feed.atom")
    assert doc.kind == "atom"
    assert doc.entries[0].url == "https://portal24.example/news/canal"
    assert doc.entries[0].published == datetime(2024, 6, 4, 7, 30, tzinfo=UTC)


def test_json_feed() -> None:
    doc = read_feed(JSON_FEED, content_type="application/feed+json")
    assert doc.kind == "jsonfeed" and doc.title == "Clickfeed"
    assert [(e.url, e.guid) for e in doc.entries] == [("https://clickfeed.example/canal", "cf-9")]


def test_news_sitemap_and_index() -> None:
    doc = read_feed(NEWS_SITEMAP)
    assert doc.kind == "sitemap"
    first, second = doc.entries
    assert (first.title, first.published) == ("Canal pact", datetime(2024, 6, 4, 11, 0, tzinfo=UTC))
    assert second.published == datetime(2024, 1, 1, tzinfo=UTC)
    index = read_feed(SITEMAP_INDEX)
    assert index.kind == "sitemapindex"
    assert [e.url for e in index.entries] == ["https://globewire.example/news-sitemap.xml"]


def test_documents_that_are_not_feeds() -> None:
    assert read_feed(b"<!DOCTYPE html><html><body><p>An article</p></body></html>").kind == "html"
    broken = read_feed(b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>cut off')
    assert broken.error is not None and "malformed feed" in broken.error
    binary = read_feed(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert binary.kind == "unknown" and binary.error is not None
    assert read_feed(b'{"hello": 1}').error == "JSON document without a jsonfeed.org version: not a JSON Feed"


def test_sitemap_entities_are_not_expanded() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>&b;</loc></url>'
        b"<url><loc>https://ok.example/x</loc></url></urlset>"
    )
    assert [e.url for e in read_feed(bomb).entries] == ["https://ok.example/x"]


def test_relative_links_of_json_feeds_and_sitemaps_are_resolved() -> None:
    """As for RSS and Atom: a relative link is resolved against the document's URL (it was kept
    as "/2025/canal", stored as a page id and fetched as a URL without a host)."""
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"id": "1", "url": "/2025/canal"}]}'
    assert [e.url for e in read_feed(feed, "https://w.example/feed.json").entries] == [
        "https://w.example/2025/canal"
    ]
    sitemap = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>news/a</loc></url>'
        b"<url><loc>https://other.example/b</loc></url></urlset>"
    )
    assert [e.url for e in read_feed(sitemap, "https://w.example/sitemaps/s.xml").entries] == [
        "https://w.example/sitemaps/news/a",
        "https://other.example/b",
    ]
    assert read_feed(feed).entries[0].url == "/2025/canal"  # no document URL: kept as given


def test_a_malformed_link_is_kept_as_given_not_raised() -> None:
    feed = b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "http://[::1"}, {"url": "b"}]}'
    assert [e.url for e in read_feed(feed, "https://w.example/f.json").entries] == [
        "http://[::1",
        "https://w.example/b",
    ]
