"""The watcher's HTTP client (storytrace.watch.fetch) against a server on loopback: robots.txt,
conditional GET, retries, redirects, timeouts, size limits; every failure named with its URL."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from storytrace.watch.fetch import USER_AGENT, Fetcher, FetchSettings

FAST = FetchSettings(timeout=1.0, retries=2, backoff=0.0, host_delay=0.0, max_bytes=1_000_000)


@pytest.fixture()
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(FAST) as f:
        yield f


def test_user_agent_robots_and_conditional_get(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private/\n")
    seen: list[str] = []

    def page(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        if request.headers.get("If-None-Match") == '"v1"':
            return Response(status=304)
        return Response("<html><body>hi</body></html>", content_type="text/html", headers={"ETag": '"v1"'})

    httpserver.expect_request("/news/a").respond_with_handler(page)
    first = fetcher.fetch(httpserver.url_for("/news/a"))
    assert first.ok and first.etag == '"v1"' and first.content_type.startswith("text/html")
    again = fetcher.fetch(httpserver.url_for("/news/a"), etag=first.etag)
    assert again.unchanged and again.body == b""
    assert seen == [USER_AGENT, USER_AGENT]
    blocked = fetcher.fetch(httpserver.url_for("/private/x"))
    assert blocked.disallowed and "robots.txt" in (blocked.error or "") and "/private/x" in (blocked.error or "")


def test_missing_robots_allows_and_unreachable_robots_forbids(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("gone", status=404)
    httpserver.expect_request("/a").respond_with_data("ok")
    with Fetcher(FAST) as f:
        assert f.fetch(httpserver.url_for("/a")).ok
    httpserver.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("oops", status=503)
    with Fetcher(FAST) as f:
        result = f.fetch(httpserver.url_for("/a"))
    assert result.disallowed and "could not be read" in (result.error or "")


def test_server_errors_are_retried_with_backoff_then_reported(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    calls = {"n": 0}

    def flaky(request: Request) -> Response:
        calls["n"] += 1
        return Response("busy", status=500) if calls["n"] < 3 else Response("fine")

    httpserver.expect_request("/flaky").respond_with_handler(flaky)
    assert fetcher.fetch(httpserver.url_for("/flaky")).ok and calls["n"] == 3
    httpserver.expect_request("/down").respond_with_data("no", status=500)
    down = fetcher.fetch(httpserver.url_for("/down"))
    assert down.status == 500 and down.error == f"HTTP 500 for {httpserver.url_for('/down')}"
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    missing = fetcher.fetch(httpserver.url_for("/missing"))
    assert missing.error == f"HTTP 404 for {httpserver.url_for('/missing')}"


def test_redirects_followed_and_loops_reported(httpserver: HTTPServer, fetcher: Fetcher) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("moved here")
    moved = fetcher.fetch(httpserver.url_for("/old"))
    assert moved.ok and moved.final_url == httpserver.url_for("/new") and moved.body == b"moved here"
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    loop = fetcher.fetch(httpserver.url_for("/loop"))
    assert loop.error is not None and "more than 5 redirects" in loop.error


def test_timeouts_and_huge_bodies(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)

    def slow(request: Request) -> Response:
        time.sleep(1.5)
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    with Fetcher(FetchSettings(timeout=0.5, retries=0, backoff=0.0, host_delay=0.0)) as f:
        late = f.fetch(httpserver.url_for("/slow"))
    assert late.error is not None and "timed out after 0.5 s" in late.error
    big = b"x" * (50 * 1024 * 1024)
    httpserver.expect_request("/big").respond_with_data(big, content_type="text/html")
    httpserver.expect_request("/big-chunked").respond_with_response(
        Response((big[i : i + 1 << 20] for i in range(0, len(big), 1 << 20)), content_type="text/html")
    )
    with Fetcher(FAST) as f:
        for path in ("/big", "/big-chunked"):
            result = f.fetch(httpserver.url_for(path))
            assert result.error is not None and "larger than 1,000,000 bytes" in result.error
            assert result.body == b""


def test_host_delay_spaces_requests(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 3\n")
    httpserver.expect_request("/p").respond_with_data("ok")
    slept: list[float] = []
    now = [1000.0]

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    with Fetcher(FetchSettings(host_delay=1.0, backoff=0.0), clock=lambda: now[0], sleep=sleep) as f:
        for _ in range(3):
            assert f.fetch(httpserver.url_for("/p")).ok
    # robots.txt then three pages: the Crawl-delay (3 s, above host_delay) between the pages
    assert slept[-2:] == [3.0, 3.0]


def test_a_malformed_or_non_http_url_is_an_error_not_an_exception(fetcher: Fetcher) -> None:
    """Feeds list links the watcher fetches: "http://[::1" made urlsplit raise, ending the poll."""
    for url, why in (
        ("http://[::1", "is not a valid URL"),
        ("http://example.org:port/a", "is not a valid URL"),
        ("javascript:alert(1)", "is not an http(s) URL"),
        ("/2025/canal", "is not an http(s) URL"),
    ):
        got = fetcher.fetch(url)
        assert not got.ok and got.error is not None and why in got.error and url in got.error


def test_one_request_at_a_time_per_host(httpserver: HTTPServer) -> None:
    """Several watcher threads asking one host (a feed and a sitemap of one outlet, their pages):
    the host never sees two requests at once, even when a response takes longer than host_delay."""
    import threading

    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    lock = threading.Lock()
    busy, most = [0], [0]

    def slow(request: Request) -> Response:
        with lock:
            busy[0] += 1
            most[0] = max(most[0], busy[0])
        time.sleep(0.3)
        with lock:
            busy[0] -= 1
        return Response("<html><body>page</body></html>", content_type="text/html")

    httpserver.expect_request("/page").respond_with_handler(slow)
    with Fetcher(FetchSettings(timeout=5.0, retries=0, backoff=0.0, host_delay=0.05)) as f:
        f.fetch(httpserver.url_for("/page"))  # robots.txt read first
        results: list[bool] = []
        threads = [threading.Thread(target=lambda: results.append(f.fetch(httpserver.url_for("/page")).ok))
                   for _ in range(4)]  # fmt: skip
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert results == [True] * 4
    assert most[0] == 1
