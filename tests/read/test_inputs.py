from __future__ import annotations

import json
from pathlib import Path

from storytrace.config import Config
from storytrace.read.inputs import read_inputs

from ..conftest import EXAMPLES


def _write(path: Path, data: str | bytes) -> Path:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def test_text_file_short_first_line_is_title(tmp_path: Path) -> None:
    _write(
        tmp_path / "wire-1.txt",
        "Harbour reopens after storm\n\nThe harbour reopened on Monday. Ships sailed.\n",
    )
    got = read_inputs([tmp_path])
    (art,) = got.articles
    assert art.id == "wire-1"
    assert art.title == "Harbour reopens after storm"
    assert art.text.startswith("The harbour reopened")


def test_long_first_line_and_byline_are_not_titles(tmp_path: Path) -> None:
    _write(
        tmp_path / "a.txt",
        "The harbour reopened on Monday after a storm closed it for three days, officials said.\nMore.\n",
    )
    _write(tmp_path / "b.txt", "Written by Ana Silva\nVALDORA (Meridian Press) - The harbour reopened.\n")
    got = {a.id: a for a in read_inputs([tmp_path]).articles}
    assert got["a"].title is None and got["a"].text.startswith("The harbour")
    assert got["b"].title is None and got["b"].text.startswith("Written by Ana Silva")


def test_markdown_front_matter_and_headings(tmp_path: Path) -> None:
    _write(
        tmp_path / "m.md",
        "---\ntitle: Storm closes port\nsource: Coast Daily\npublished: 2025-03-01T08:00:00Z\n---\n"
        "# Storm closes port\n\nThe port closed on Friday.\n",
    )
    (art,) = read_inputs([tmp_path]).articles
    assert art.title == "Storm closes port"
    assert art.source == "Coast Daily"
    assert art.published is not None and art.published.year == 2025
    assert "#" not in art.text


def test_html_is_extracted_and_left_out_text_reported() -> None:
    (art,) = read_inputs([EXAMPLES / "unrelated-bakery.html"]).articles
    assert art.id == "unrelated-bakery"
    assert art.title and "bread" in art.text.lower()
    assert art.removed, "navigation and footer outside the article must be reported, not dropped silently"
    assert all(r.reason == "outside the main content of the HTML page" for r in art.removed)
    assert not any(r.text in art.text for r in art.removed)


def test_jsonl_keeps_ids_and_metadata_and_skips_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "A-17",
                "text": "The bridge opened on Monday.",
                "source": "Wire",
                "published": "2025-01-02",
            }
        ),
        "{not json",
        json.dumps({"text": "no id here"}),
        json.dumps(
            {
                "id": 42,
                "html": "<html><body><article><p>" + "The mayor spoke at length about the new "
                "bridge and its cost to the city budget this year. " * 3 + "</p></article></body></html>",
            }
        ),
        json.dumps({"id": "empty", "text": "  "}),
        json.dumps(["a", "list"]),
        "",
    ]
    _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    got = read_inputs([tmp_path / "feed.jsonl"])
    ids = [a.id for a in got.articles]
    assert ids == ["A-17", "42"]
    assert got.articles[0].source == "Wire" and got.articles[0].published is not None
    assert got.articles[0].line == 1
    reasons = {s.line: s.reason for s in got.skipped}
    assert set(reasons) == {2, 3, 5, 6}
    assert "malformed JSON" in reasons[2]
    assert "'id'" in reasons[3]
    assert "no 'text' or 'html'" in reasons[5]
    assert "JSON object" in reasons[6]
    assert all(s.path.endswith("feed.jsonl") for s in got.skipped)


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_read(tmp_path: Path) -> None:
    _write(tmp_path / "good.txt", "A fine headline\n\nThe council met on Tuesday and voted.\n")
    _write(tmp_path / "empty.txt", "")
    _write(tmp_path / "blank.md", "\n   \n")
    _write(tmp_path / "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR")
    _write(tmp_path / "latin.txt", "Title\n\nLine two\nCaf\xe9 opened.\n".encode("latin-1"))
    _write(tmp_path / "noarticle.html", "<html><body><nav></nav></body></html>")
    # broken markup around real text is still read (lxml is lenient)
    _write(
        tmp_path / "broken.html",
        "<html><body><div><p>The ferry service resumed on Sunday after a <b>week-long "
        "strike by crew members over pay and rosters, the operator said",
    )
    _write(tmp_path / "notes.pdf", b"%PDF-1.4")
    got = read_inputs([tmp_path, tmp_path / "missing.txt"])
    assert [a.id for a in got.articles] == ["broken", "good"]
    by_name = {Path(s.path).name: s for s in got.skipped}
    assert by_name["empty.txt"].reason == "empty file"
    assert by_name["blank.md"].reason == "empty file"
    assert "binary" in by_name["binary.txt"].reason
    assert "not valid UTF-8" in by_name["latin.txt"].reason and by_name["latin.txt"].line == 4
    assert "no article text" in by_name["noarticle.html"].reason
    assert "unsupported file type '.pdf'" in by_name["notes.pdf"].reason
    assert by_name["missing.txt"].reason == "no such file or directory"


def test_huge_file_is_skipped(tmp_path: Path) -> None:
    _write(tmp_path / "big.txt", "Word " * 1000)
    got = read_inputs([tmp_path], Config(max_file_bytes=2048))
    assert not got.articles
    assert "above max_file_bytes" in got.skipped[0].reason


def test_duplicate_ids_keep_the_first(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    _write(tmp_path / "x" / "same.txt", "One\n\nFirst body text here.\n")
    _write(tmp_path / "y" / "same.txt", "Two\n\nSecond body text here.\n")
    got = read_inputs([tmp_path])
    assert [a.title for a in got.articles] == ["One"]
    assert "duplicate article id 'same'" in got.skipped[0].reason


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    _write(tmp_path / "bom.txt", "\ufeffHeadline here\r\n\r\nBody sentence one. Body two.\r\n".encode())
    (art,) = read_inputs([tmp_path]).articles
    assert art.title == "Headline here"
    assert "\r" not in art.text
