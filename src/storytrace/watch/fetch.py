"""fetch: a polite HTTP client for the watcher.

Every request names storytrace in its User-Agent, honours robots.txt (RFC 9309: a missing file
allows everything, an unreachable one forbids everything until it can be read, ``Crawl-delay`` is
respected), waits between two requests to one host, sends ``If-None-Match`` and
``If-Modified-Since`` when it knows the validators, follows at most a few redirects, gives up on
a body larger than the limit while it streams (it never holds more), times out, and retries a
timeout, a refused connection, a 429 or a 5xx a couple of times with back-off. Nothing it does
raises for a bad site: the result says what went wrong, with the URL."""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ..errors import MissingDependencyError
from ..version import __version__

#: the product token robots.txt rules are matched against
ROBOTS_AGENT = "storytrace"
USER_AGENT = f"storytrace/{__version__} (news provenance watcher; +https://pypi.org/project/storytrace/)"


@dataclass(frozen=True)
class FetchSettings:
    """How politely and how patiently to fetch (the watch section of the config)."""

    timeout: float = 20.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 2
    backoff: float = 1.0
    #: seconds between two requests to one host (a larger robots.txt Crawl-delay wins)
    host_delay: float = 1.0
    user_agent: str = USER_AGENT


@dataclass(frozen=True)
class Fetched:
    """The outcome of one fetch. ``status`` 304 means unchanged since the validators given;
    ``error`` is set (and ``body`` empty) when nothing usable came back."""

    url: str
    final_url: str
    status: int
    body: bytes = b""
    content_type: str = ""
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    #: the body was not read because robots.txt forbids the URL
    disallowed: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and self.status == 200

    @property
    def unchanged(self) -> bool:
        return self.error is None and self.status == 304


class _TooLarge(Exception):
    pass


@dataclass
class _Host:
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_error: str | None = None
    robots_checked: float = 0.0
    next_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    #: held for the whole of a request: one request at a time per host, however long it takes
    busy: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """One HTTP client for a whole watch run (keeps connections, robots.txt and host timing)."""

    #: how long a robots.txt is trusted before it is read again (seconds)
    ROBOTS_TTL = 3600.0

    def __init__(
        self,
        settings: FetchSettings | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        try:
            import httpx
        except ImportError:  # pragma: no cover - part of storytrace[watch]
            raise MissingDependencyError("httpx", "storytrace watch", 'pip install "storytrace[watch]"') from None
        self.settings = settings or FetchSettings()
        self._httpx = httpx
        self._client = httpx.Client(
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=True,
            max_redirects=self.settings.max_redirects,
            headers={"User-Agent": self.settings.user_agent},
        )
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- politeness ---------------------------------------------------------------------

    def _host(self, url: str) -> tuple[str, _Host]:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._hosts_lock:
            return key, self._hosts.setdefault(key, _Host())

    def allowed(self, url: str) -> tuple[bool, str | None]:
        """Whether robots.txt lets storytrace fetch ``url`` (and why not)."""
        key, host = self._host(url)
        with host.robots_lock:  # one thread reads a host's robots.txt; the others wait for it
            now = self._clock()
            stale = now - host.robots_checked > (self.ROBOTS_TTL if host.robots_error is None else 60.0)
            if (host.robots is None and host.robots_error is None) or stale:
                self._read_robots(key, host)
        if host.robots_error is not None:
            return False, host.robots_error
        assert host.robots is not None
        if host.robots.can_fetch(ROBOTS_AGENT, url):
            return True, None
        return False, f"robots.txt of {key} forbids {url} for {ROBOTS_AGENT}"

    def _read_robots(self, key: str, host: _Host) -> None:
        host.robots_checked = self._clock()
        parser = urllib.robotparser.RobotFileParser(key + "/robots.txt")
        got = self._get(key + "/robots.txt", {}, max_bytes=500_000, host=host)
        if got.error is None and got.status == 200:
            parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
            host.robots, host.robots_error = parser, None
        elif 400 <= got.status < 500:  # no robots.txt: everything allowed
            parser.parse([])
            host.robots, host.robots_error = parser, None
        else:  # unreachable (5xx, network): assume everything is forbidden until it can be read
            host.robots = None
            host.robots_error = (
                f"robots.txt of {key} could not be read ({got.error or f'HTTP {got.status}'}); "
                "not fetching from this host until it can"
            )

    def _wait_turn(self, host: _Host) -> None:
        delay = self.settings.host_delay
        if host.robots is not None:
            crawl = host.robots.crawl_delay(ROBOTS_AGENT)
            if crawl is not None:
                delay = max(delay, float(crawl))
        with host.lock:
            now = self._clock()
            if host.next_at > now:
                self._sleep(host.next_at - now)
            host.next_at = max(now, host.next_at) + delay

    # -- fetching -------------------------------------------------------------------------

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None) -> Fetched:
        """GET ``url`` if robots.txt allows it, conditionally when validators are given."""
        problem = url_problem(url)
        if problem is not None:
            return Fetched(url, url, 0, error=problem)
        ok, why = self.allowed(url)
        if not ok:
            return Fetched(url, url, 0, error=why, disallowed=True)
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        _, host = self._host(url)
        return self._get(url, headers, self.settings.max_bytes, host)

    def _get(self, url: str, headers: dict[str, str], max_bytes: int, host: _Host) -> Fetched:
        attempt = 0
        while True:
            with host.busy:
                self._wait_turn(host)
                result = self._once(url, headers, max_bytes)
            retry = result.error is not None and result.status == 0 and "timed out" in result.error
            retry = retry or result.status == 429 or 500 <= result.status < 600
            retry = retry or (result.error is not None and result.error.startswith("connection failed"))
            if not retry or attempt >= self.settings.retries:
                return result
            attempt += 1
            self._sleep(self.settings.backoff * 2 ** (attempt - 1))

    def _once(self, url: str, headers: dict[str, str], max_bytes: int) -> Fetched:
        httpx = self._httpx
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                final = str(response.url)
                info: dict[str, Any] = {
                    "content_type": response.headers.get("content-type", ""),
                    "etag": response.headers.get("etag"),
                    "last_modified": response.headers.get("last-modified"),
                }
                if response.status_code != 200:
                    error = None if response.status_code == 304 else f"HTTP {response.status_code} for {url}"
                    return Fetched(url, final, response.status_code, error=error, **info)
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise _TooLarge(int(declared))
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise _TooLarge(size)
                    chunks.append(chunk)
                return Fetched(url, final, 200, b"".join(chunks), **info)
        except _TooLarge as err:
            return Fetched(
                url, url, 0, error=f"{url}: response larger than {max_bytes:,} bytes ({err.args[0]:,}+), not read"
            )
        except httpx.TooManyRedirects:
            return Fetched(url, url, 0, error=f"{url}: more than {self.settings.max_redirects} redirects")
        except httpx.TimeoutException:
            return Fetched(url, url, 0, error=f"{url}: timed out after {self.settings.timeout:g} s")
        except httpx.ConnectError as err:
            return Fetched(url, url, 0, error=f"connection failed for {url}: {err}")
        except (httpx.HTTPError, httpx.InvalidURL, ValueError) as err:
            return Fetched(url, url, 0, error=f"{url}: {type(err).__name__}: {err}")


def url_problem(url: str, expected: str = "an http(s) URL") -> str | None:
    """Why ``url`` cannot be fetched (not http(s), no host, malformed), or None; ``expected`` says
    what was wanted instead."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError as err:
        return f"{url!r} is not a valid URL ({err})"
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{url!r} is not {expected}"
    return None
