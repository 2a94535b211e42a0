from __future__ import annotations

import io
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storytrace.config import Config
from storytrace.corpus.dedup import dedup
from storytrace.read.inputs import iter_inputs
from storytrace.records import RawArticle, Skipped

from ..conftest import EXAMPLES

ORIGINAL = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
BAKERY = (EXAMPLES / "unrelated-bakery.html").read_text(encoding="utf-8")


def _page(title: str, body: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
    return (
        f"<html><head><title>{title}</title></head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article><footer>Contact us</footer></body></html>"
    ).encode()


def _warc(path: Path, gzip: bool) -> int:
    """A WARC with two copies of a story, an unrelated page, a request and an image; returns the
    offset where the third record starts."""
    warcwriter = pytest.importorskip(
        "warcio.warcwriter", reason="warcio is not installed (pip install warcio)"
    )
    from warcio.statusandheaders import StatusAndHeaders

    with path.open("wb") as handle:
        writer = warcwriter.WARCWriter(handle, gzip=gzip)
        offsets = []

        def response(uri: str, payload: bytes, ctype: str) -> None:
            offsets.append(handle.tell())
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=headers)
            )

        response("https://meridian.example/canal", _page("Canal deal", ORIGINAL), "text/html; charset=utf-8")
        offsets.append(handle.tell())
        writer.write_record(
            writer.create_warc_record(
                "https://meridian.example/canal", "request", payload=io.BytesIO(b"GET /")
            )
        )
        response("https://copy.example/canal", _page("Canal deal", ORIGINAL), "text/html; charset=utf-8")
        response("https://bakery.example/", BAKERY.encode(), "text/html")
        response("https://bakery.example/logo.png", b"\x89PNG\r\n\x1a\n" + bytes(200), "image/png")
    return offsets[2]


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_html_responses_become_articles(tmp_path: Path, gzip: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzip else "crawl.warc")
    _warc(path, gzip)
    items = list(iter_inputs([path]))
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert [a.id for a in articles] == [
        "https://meridian.example/canal",
        "https://copy.example/canal",
        "https://bakery.example/",
    ]
    assert not [i for i in items if isinstance(i, Skipped)]
    assert "canal" in articles[0].text.lower() and "Contact us" not in articles[0].text
    assert articles[0].line == 1 and articles[1].line == 3  # record numbers
    out = tmp_path / "clusters.jsonl"
    dedup([path], out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    clusters = {r["id"]: r["cluster"] for r in rows}
    assert clusters["https://copy.example/canal"] == "https://meridian.example/canal"
    assert clusters["https://bakery.example/"] == "https://bakery.example/"


def test_truncated_warc_is_reported_and_earlier_records_kept(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    third = _warc(path, gzip=False)
    data = path.read_bytes()
    path.write_bytes(data[: third + 900])  # cut inside the third record (the copy)
    items = list(iter_inputs([path]))
    assert [i.id for i in items if isinstance(i, RawArticle)] == ["https://meridian.example/canal"]
    skipped = [i for i in items if isinstance(i, Skipped)]
    assert len(skipped) == 1 and skipped[0].line == 3
    assert "truncated WARC record 'https://copy.example/canal'" in skipped[0].reason


def test_parquet_rows_are_streamed_and_bad_rows_named(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install pyarrow)")
    import pyarrow.parquet as pq

    table = pa.table(
        {
            "id": ["orig", "copy", "blank", None, "other"],
            "text": [ORIGINAL, ORIGINAL.upper(), None, "text without id", "A ferry strike ended on Sunday."],
            "published": [
                datetime(2026, 3, 2, tzinfo=UTC),
                datetime(2026, 3, 1, tzinfo=UTC),
                None,
                None,
                None,
            ],
        }
    )
    path = tmp_path / "corpus.parquet"
    pq.write_table(table, path, row_group_size=2)
    items = list(iter_inputs([path]))
    articles = [i for i in items if isinstance(i, RawArticle)]
    assert [a.id for a in articles] == ["orig", "copy", "other"]
    assert articles[1].published == datetime(2026, 3, 1, tzinfo=UTC)
    skipped = {(s.line, s.reason.split(" (")[0]) for s in items if isinstance(s, Skipped)}
    assert skipped == {
        (3, "article 'blank' has no 'text' or 'html' field with content"),
        (4, "missing 'id'"),
    }
    out = tmp_path / "clusters.jsonl"
    dedup([path], out, Config())
    rows = {r["id"]: r for r in (json.loads(x) for x in out.read_text(encoding="utf-8").splitlines())}
    assert rows["orig"]["canonical"] == "copy"  # published earlier


def test_parquet_without_a_text_column_is_skipped_with_its_columns(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install pyarrow)")
    import pyarrow.parquet as pq

    path = tmp_path / "meta.parquet"
    pq.write_table(pa.table({"id": ["a"], "headline": ["Canal deal signed"]}), path)
    items = list(iter_inputs([path, EXAMPLES / "meridian-original.txt"]))
    assert isinstance(items[0], Skipped)
    assert items[0].reason == "Parquet file has no 'text' or 'html' column (columns: id, headline)"
    assert isinstance(items[1], RawArticle)
