from __future__ import annotations

import re
from pathlib import Path

import pytest

from storytrace.records import Article, Dossier, Drift, Report, Sentence, Story
from storytrace.render.html_report import render_report, write_html
from storytrace.render.views import marked

from ..conftest import story_of

EVIL_TITLE = '<script>window.__pwned=1</script>Evil "title"'
EVIL_TEXT = (
    'Click <a href="javascript:window.__pwned=2">here</a> now. '
    '<img src=x onerror="window.__pwned=3"> was in the text.'
)


def evil_report() -> Report:
    """A one-article report whose title and text carry script, event-handler and javascript: links."""
    first, second = EVIL_TEXT.split(" now. ")
    sentences = (
        Sentence("evil<script>", 0, 0, len(first) + 5, first + " now.", 0),
        Sentence("evil<script>", 1, len(first) + 6, len(EVIL_TEXT), second, 0),
    )
    article = Article("evil<script>", EVIL_TEXT, sentences, title=EVIL_TITLE, source="<b>x</b>")
    return Report("test", (article,), (Story("story-1", (article.id,), article.id),), ())


def test_marked_escapes_every_piece() -> None:
    html = marked("a <b> & c", [[2, 5, "drift", "name<x>"]])
    assert str(html) == 'a <mark class="drift" title="name&lt;x&gt; drift">&lt;b&gt;</mark> &amp; c'
    assert str(marked("<i>", None)) == "&lt;i&gt;"


def test_untrusted_text_is_escaped(tmp_path: Path) -> None:
    html = write_html(evil_report(), tmp_path).read_text(encoding="utf-8")
    assert "<script>window" not in html and "<img" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;Evil &#34;title&#34;" in html
    assert "onerror=&#34;window.__pwned=3&#34;" in html
    # self-contained: no external resource, and a policy that forbids scripts and network
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    assert "default-src 'none'" in html
    assert "<script" not in html.lower()


@pytest.mark.slow
def test_report_html_on_example(example_report: Report, tmp_path: Path) -> None:
    html = render_report(example_report)
    story = story_of(example_report, "globewire-retranslated")
    # the derivation graph: one clickable edge per derivation, linked to its side-by-side view
    edges = re.findall(
        r'<a class="edge (\w+)" href="(#s\d+-pair-\d+)" data-source="([^"]+)" data-target="([^"]+)"', html
    )
    assert len(edges) == len(story.derivations)
    edge = next(e for e in edges if e[2:] == ("meridian-original", "globewire-retranslated"))
    assert edge[0] == "rewrite"
    section = html.split(f'id="{edge[1][1:]}"', 1)[1].split("</section>", 1)[0]
    # the drifted name is marked in both columns of that pair
    assert '<mark class="drift" title="name drift">Hvidsteen</mark>' in section
    assert '<mark class="drift" title="name drift">Hvidsten</mark>' in section
    assert re.search(r'<tr class="dropped">', section) and re.search(r'<tr class="paraphrase">', section)
    # the origin sits at the top of the graph
    ys = dict(
        re.findall(r'<title>([^<(]+?)(?: \(likely original\))?</title>\s*<rect x="[\d.]+" y="([\d.]+)"', html)
    )
    assert float(ys["meridian-original"]) < float(ys["globewire-retranslated"])
    # drift grouped by kind, facts, quotes, timeline, removed pieces collapsed with their kind
    for heading in (
        "<h2>Drift</h2>",
        "<h2>Facts</h2>",
        "<h2>Quotes</h2>",
        "<h2>Timeline</h2>",
        "<h2>Summary</h2>",
    ):
        assert heading in html
    assert re.search(
        r"<details class=\"removed-block\"><summary>\d+ piece\(s\) removed from portal24-furniture", html
    )
    out = write_html(example_report, tmp_path)
    assert out.name == "report.html" and out.stat().st_size > 10_000


@pytest.mark.slow
def test_cli_analyze_html(tmp_path: Path) -> None:
    from storytrace.cli import main

    from ..conftest import EXAMPLES

    assert main(["analyze", str(EXAMPLES), "--out", str(tmp_path), "--html", "--quiet"]) == 0
    assert (tmp_path / "report.json").exists()
    assert "Hvidsten</mark>" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_drift_is_shown_by_difference_kind_conflicts_first_and_escaped() -> None:
    a = Article(
        "wire-a", "At least 12 people died.", (Sentence("wire-a", 0, 0, 24, "At least 12 people died.", 0),)
    )
    b = Article(
        "wire-b", "At least 17 people died.", (Sentence("wire-b", 0, 0, 24, "At least 17 people died.", 0),)
    )
    drift = (
        Drift(
            "wire-a", "wire-b", "name", "Kestrovo", "Kestrowo", "in Kestrovo", "in Kestrowo", True, "variant"
        ),
        Drift("wire-a", "wire-b", "number", "1", "24", "1 dead", "24 dead", False, "update"),
        Drift("wire-a", "wire-b", "number", "12<script>", "17", EVIL_TEXT, "17 died", False, "conflict"),
    )
    story = Story("story-1", (a.id, b.id), a.id, dossier=Dossier(drift=drift))
    html = render_report(Report("test", (a, b), (story,), ()))
    section = html.split("<h2>Drift</h2>", 1)[1].split("<h2>Facts</h2>", 1)[0]
    headings = re.findall(r"<h3>(\w+)", section)
    assert headings == ["Conflicts", "Updates", "Variants"]
    conflicts = section.split("<h3>Updates", 1)[0]
    assert "12&lt;script&gt;" in conflicts and "<script" not in html.lower()
    assert "<img" not in html and "&lt;img src=x" in conflicts
    assert "Kestrowo" in section.split("<h3>Variants", 1)[1]
