"""A small news web on loopback for the watcher's tests and benchmark: outlets' feeds, sitemaps and
article pages built from the example corpus (examples/news), changeable between polls."""

from __future__ import annotations

import html
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from werkzeug import Request, Response

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "news"


def example_text(name: str) -> tuple[str, str]:
    """(headline, body paragraphs) of an example article (.txt: the first line is the headline)."""
    lines = (EXAMPLES / f"{name}.txt").read_text(encoding="utf-8").strip().split("\n")
    if len(lines[0].split()) <= 16 and not lines[0].endswith("."):
        return lines[0].strip(), "\n".join(lines[1:]).strip()
    return "", "\n".join(lines).strip()


def article_page(title: str, body: str, outlet: str, published: datetime | None = None) -> str:
    paragraphs = "\n".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    meta = f'<meta property="article:published_time" content="{published.isoformat()}">' if published else ""
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)} | {html.escape(outlet)}</title>{meta}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav><article><h1>{html.escape(title)}</h1>"
        f"{paragraphs}</article><footer>© {html.escape(outlet)}</footer></body></html>"
    )


def rss(title: str, items: list[tuple[str, str, datetime]]) -> str:
    body = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for t, u, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{html.escape(title)}</title>{body}</channel></rss>'


def news_sitemap(items: list[tuple[str, str, datetime]]) -> str:
    body = "".join(
        f"<url><loc>{html.escape(u)}</loc><news:news><news:publication_date>{d.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(t)}</news:title></news:news></url>"
        for t, u, d in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{body}</urlset>'
    )


def json_feed(title: str, items: list[tuple[str, str, datetime]]) -> str:
    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "items": [{"id": u, "url": u, "title": t, "date_published": d.isoformat()} for t, u, d in items],
        }
    )


@dataclass
class Site:
    """Paths to (body, content type, status); a handler serves whatever is there at request time."""

    pages: dict[str, tuple[bytes, str, int]] = field(default_factory=dict)
    hits: dict[str, int] = field(default_factory=dict)
    #: paths whose requests wait until they are released (to kill a client mid-request)
    held: set[str] = field(default_factory=set)

    def put(self, path: str, body: str | bytes, content_type: str = "text/html; charset=utf-8", status: int = 200) -> None:
        self.pages[path] = (body.encode("utf-8") if isinstance(body, str) else body, content_type, status)

    def __call__(self, request: Request) -> Response:
        self.hits[request.path] = self.hits.get(request.path, 0) + 1
        while request.path in self.held:
            time.sleep(0.05)
        found = self.pages.get(request.path)
        if found is None:
            return Response("not found", status=404)
        body, ctype, status = found
        etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
        if status == 200 and request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        headers = {"ETag": etag} if status == 200 else {}
        return Response(body, status=status, content_type=ctype, headers=headers)


T0 = datetime(2025, 3, 13, 9, 0, tzinfo=UTC)
