"""Sources of storytrace watch: a malformed URL, as an argument or in a file, is a message naming
where it was given (it was a ValueError traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.errors import ConfigError
from storytrace.watch.sources import read_sources


def test_malformed_urls_are_named_with_their_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"argument: 'http://\[::1/rss' is not a valid URL"):
        read_sources(["http://[::1/rss"])
    listing = tmp_path / "sources.txt"
    listing.write_text(
        "# feeds\nhttps://wire.example/rss.xml name=Wire every=10m\nhttps://portal.example:80a/feed\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"sources.txt:3: 'https://portal.example:80a/feed' is not a valid URL"):
        read_sources([str(listing)])
    listing.write_text("https://wire.example/rss.xml name=Wire every=10m\n", encoding="utf-8")
    (source,) = read_sources([str(listing)])
    assert (source.name, source.every, source.origin) == ("Wire", 600.0, f"{listing}:1")
