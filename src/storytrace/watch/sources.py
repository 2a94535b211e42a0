"""sources: what ``storytrace watch`` polls. Each SOURCE argument is a URL (a feed, a sitemap or
news sitemap, or one article page: what it is, is read from the response) or a file that lists
sources, one a line::

    # outlet feeds, polled every 10 minutes
    https://meridian.example/rss.xml      name="Meridian Wire"  every=10m
    https://portal24.example/sitemap.xml  name=Portal24
    https://example.org/2024/06/04/canal-deal.html

``name`` is the outlet shown for the source's articles (default: the URL's host); ``every`` the
poll interval (``90s``, ``10m``, ``2h``; default ``watch.interval``). Blank lines and ``#``
comments are ignored; a bad line is an error naming the file and line."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ConfigError
from .fetch import url_problem

_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")
_COMMENT = re.compile(r"(^|\s)#.*$")
_UNITS = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


@dataclass(frozen=True)
class Source:
    """One source to poll."""

    url: str
    name: str
    #: seconds between polls (None: the config's watch.interval)
    every: float | None = None
    #: where it was given: a file and line, or "argument"
    origin: str = "argument"


def parse_duration(text: str, where: str) -> float:
    m = _DURATION.match(text.strip().lower())
    if not m or float(m.group(1)) <= 0:
        raise ConfigError(f"{where}: interval {text!r} is invalid: expected a number with s, m, h or d (e.g. 10m)")
    return float(m.group(1)) * _UNITS[m.group(2)]


def host_of(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host[4:] if host.startswith("www.") else host


def _check_url(url: str, where: str) -> str:
    problem = url_problem(url, "an http(s) URL or a file of sources")
    if problem is not None:
        raise ConfigError(f"{where}: {problem}")
    return url


def read_sources(items: Iterable[str]) -> list[Source]:
    """Sources from command-line arguments: URLs, or files listing them. Repeated URLs are kept once."""
    out: dict[str, Source] = {}
    for item in items:
        if item.startswith(("http://", "https://")):
            url = _check_url(item, "argument")
            out.setdefault(url, Source(url, host_of(url)))
            continue
        path = Path(item)
        if not path.is_file():
            raise ConfigError(f"source {item!r} is neither an http(s) URL nor a readable file of sources")
        for source in _read_file(path):
            out.setdefault(source.url, source)
    if not out:
        raise ConfigError("no sources to watch: give feed, sitemap or article URLs, or files listing them")
    return list(out.values())


def _read_file(path: Path) -> list[Source]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read sources file {str(path)!r}: {err}") from None
    sources = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        where = f"{path}:{lineno}"
        body = _COMMENT.sub("", line).strip()
        if not body:
            continue
        try:
            tokens = shlex.split(body)
        except ValueError as err:
            raise ConfigError(f"{where}: cannot read the line: {err}") from None
        url = _check_url(tokens[0], where)
        name, every = host_of(url), None
        for token in tokens[1:]:
            key, sep, value = token.partition("=")
            if not sep or key not in ("name", "every"):
                raise ConfigError(f"{where}: unexpected {token!r}: expected name=NAME or every=DURATION")
            if key == "name":
                if not value.strip():
                    raise ConfigError(f"{where}: name is empty")
                name = value.strip()
            else:
                every = parse_duration(value, where)
        sources.append(Source(url, name, every, where))
    return sources
