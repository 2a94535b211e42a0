"""storytrace watch at scale: 200 outlets' feeds with 10,000 articles on a local server.

The articles are bench/corpus.py's generated news (sentences of real ECB+ articles, with planted
exact copies, near copies and related articles), dealt round-robin to 200 outlets; each outlet
has an RSS feed of its 50 articles and every article an HTML page with site furniture.

Measured in one run:

1. the first poll: every feed and every page fetched, stored and analysed; articles/s;
2. a quiet poll (nothing changed: every feed answers 304): its duration, the floor of a watch's
   reaction time;
3. time to alert: one outlet publishes a verbatim copy of another outlet's article; the time from
   its appearance in the feed to its alert being written, for a poll started at once (a running
   watch adds up to its poll interval to this).

The baseline in the same run: the same articles as JSON lines through ``storytrace ingest`` into
a fresh store (no HTTP, no feeds), so the ratio is the cost of watching over ingesting.

Usage: .venv/bin/python bench/watch.py [--outlets 200] [--per-outlet 50] [--workers 8]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_articles, ecb_absent
from storytrace.config import AlertRule, Config, WatchConfig
from storytrace.corpus.ingest import ingest
from storytrace.watch import Source, Watcher

T0 = datetime(2025, 3, 13, 6, 0, tzinfo=UTC)


class Web:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[bytes, str]] = {"/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain")}
        self.lock = threading.Lock()

    def put(self, path: str, body: str, ctype: str) -> None:
        with self.lock:
            self.pages[path] = (body.encode("utf-8"), ctype)

    def handler(self) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                found = web.pages.get(self.path)
                if found is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, ctype = found
                etag = f'"{hash(body) & 0xFFFFFFFF:x}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                return

        return Handler


def page(title: str, text: str, outlet: str) -> str:
    body = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>{html.escape(title)}</h1>{body}</article><footer>© {outlet}</footer></body></html>"
    )


def rss(outlet: str, items: list[tuple[str, str, datetime]]) -> str:
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(u)}</link>"
        f"<pubDate>{d.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for t, u, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>{outlet}</title>{entries}</channel></rss>'


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outlets", type=int, default=200)
    parser.add_argument("--per-outlet", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()
    if ecb_absent():
        print("bench/watch.py needs ../shared/data/ecbplus (the generated articles draw on its sentences)")
        return 0
    total = args.outlets * args.per_outlet
    web = Web()
    server = ThreadingHTTPServer(("127.0.0.1", 0), web.handler())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    feeds: dict[int, list[tuple[str, str, datetime]]] = {o: [] for o in range(args.outlets)}
    texts: dict[str, str] = {}
    rows = []
    for i, art in enumerate(corpus_articles(total)):
        outlet = i % args.outlets
        title = art.text.split("\n", 1)[0][:80]
        path = f"/o{outlet}/a{i}.html"
        web.put(path, page(title, art.text, f"Outlet {outlet}"), "text/html; charset=utf-8")
        feeds[outlet].append((title, base + path, T0 + timedelta(minutes=i)))
        texts[base + path] = art.text
        rows.append({"id": base + path, "text": art.text, "title": title, "source": f"Outlet {outlet}"})
    for outlet, items in feeds.items():
        web.put(f"/o{outlet}/rss.xml", rss(f"Outlet {outlet}", items), "application/rss+xml")
    sources = [Source(f"{base}/o{o}/rss.xml", f"Outlet {o}") for o in range(args.outlets)]

    with tempfile.TemporaryDirectory() as tmp:
        alerts = Path(tmp) / "alerts.jsonl"
        watch = WatchConfig(host_delay=0.0, workers=args.workers, alert_file=str(alerts), timeout=30.0,
                            alerts=(AlertRule("copies", "copy"),))  # fmt: skip
        config = Config(watch=watch)
        jsonl = Path(tmp) / "articles.jsonl"
        jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        t = time.perf_counter()
        ingest([jsonl], Path(tmp) / "baseline.db", config)
        baseline = time.perf_counter() - t

        with Watcher(Path(tmp) / "watch.db", sources, config) as watcher:
            t = time.perf_counter()
            first = watcher.poll(force=True)
            first_s = time.perf_counter() - t
            stored = sum(s.new for s in first.sources)
            failed = sum(s.failed for s in first.sources)
            t = time.perf_counter()
            quiet = watcher.poll(force=True)
            unchanged = sum(s.unchanged for s in quiet.sources)
            quiet_s = time.perf_counter() - t
            # outlet 1 copies outlet 0's first article
            src_url = feeds[0][0][1]
            copy_path = "/o1/copy-of-o0-a0.html"
            web.put(copy_path, page("Copy", texts[src_url], "Outlet 1"), "text/html; charset=utf-8")
            before = len(alerts.read_text().splitlines()) if alerts.exists() else 0
            appeared = time.perf_counter()
            web.put("/o1/rss.xml", rss("Outlet 1", [("Copy", base + copy_path, T0 + timedelta(days=1)), *feeds[1]]),
                    "application/rss+xml")  # fmt: skip
            watcher.poll(force=True)
            lines = alerts.read_text().splitlines() if alerts.exists() else []
            new = [json.loads(x) for x in lines[before:]]
            hit = [a for a in new if a["target"]["id"].endswith(copy_path) or a["source"]["id"].endswith(copy_path)]
            to_alert = time.perf_counter() - appeared
    server.shutdown()
    print(f"storytrace watch, {args.outlets} feeds, {total:,} articles on 127.0.0.1, {args.workers} fetch workers")
    print(f"  first poll: {stored:,} stored, {failed} failed in {first_s:.1f} s: {stored / first_s:,.1f} articles/s")
    print(f"  storytrace ingest of the same articles as JSON lines: {baseline:.1f} s "
          f"({total / baseline:,.1f} articles/s); watching costs {first_s / baseline:.2f}x ingesting")  # fmt: skip
    print(f"  quiet poll (nothing changed): {quiet_s:.2f} s, {unchanged:,} pages answered 304; "
          f"alerts before the copy {before}")  # fmt: skip
    print(f"  a copy appears in a feed -> its alert written: {to_alert:.2f} s (alert found: {bool(hit)}; "
          f"a running watch adds up to its poll interval)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
