"""The web app and report.html in a real browser: Debian's chromium driven by playwright.

One server for the module (uvicorn in a thread on a free loopback port). Screenshots go to
test-artifacts/. Skips when chromium or playwright is absent (never ``playwright install``)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storytrace.config import Config
from storytrace.pipeline import Pipeline
from storytrace.records import RawArticle, Report
from storytrace.render.html_report import write_html
from storytrace.web.service import StoryService

from ..conftest import ROOT

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'storytrace[web]'")
sync_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)


CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is absent: apt-get install chromium"),
]

EVIL_TITLE = "<script>window.__pwned=1</script>Harbour <b>news</b>"
EVIL_LINES = [
    'Read <a href="javascript:window.__pwned=2">the full statement</a> online.',
    '<img src=x onerror="window.__pwned=3;alert(3)"> Photo of the harbour.',
    "<script>window.__pwned=4;alert(4)</script>",
]
BODY = [
    "The harbour authority of Port Elmsby said on Monday that the new container terminal will open in May.",
    "The terminal cost 210 million euros and took four years to build on reclaimed land north of the old docks.",
    "Harbour master Ilse Brandvik said the terminal would double the number of ships the port can handle.",
    "Local fishermen had protested against the project, saying it would damage the spawning grounds in the bay.",
    "The authority promised to fund a study of the bay's fish stocks over the next ten years.",
    "Trade unions welcomed the 600 permanent jobs the terminal is expected to create by the end of next year.",
    "The first ship to dock will be the cargo vessel Nordlys, arriving from Rotterdam on the opening day.",
    "Critics noted that the opening had already been delayed twice because of problems with the cranes.",
]


def evil_articles() -> list[RawArticle]:
    a = "\n".join([*BODY[:2], *EVIL_LINES, *BODY[2:]])
    b = a.replace("Ilse Brandvik", "Ilse Brandvig").replace("on Monday", "on Tuesday")
    return [
        RawArticle(id="evil-<script>-a", text=a, title=EVIL_TITLE, source="<i>Harbour Post</i>"),
        RawArticle(id="evil-b", text=b, title=EVIL_TITLE + " (copy)", source="javascript:alert(1)"),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(
    example_store: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, StoryService]]:
    import uvicorn

    from storytrace.web.app import create_app

    db = tmp_path_factory.mktemp("browser") / "store.db"
    shutil.copy(example_store, db)
    service = StoryService(db)
    with service.store() as store:  # the two untrusted versions: one story, so a pair page too
        from storytrace.corpus.store import IngestSummary

        store.add_batch(evil_articles(), IngestSummary(db=db))
    service = StoryService(db)
    port = free_port()
    uv = uvicorn.Server(uvicorn.Config(create_app(service), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert uv.started, "the web app did not start"
    try:
        yield f"http://127.0.0.1:{port}", service
    finally:
        uv.should_exit = True
        thread.join(10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


def check_pair_highlight(page: Any, root: Any = None) -> None:
    """The side-by-side view of meridian-original -> globewire-retranslated is shown, with the
    drifted name marked in both columns."""
    root = root or page
    left = root.locator("tr td.left mark.drift", has_text="Hvidsteen")
    right = root.locator("tr td.right mark.drift", has_text="Hvidsten")
    sync_api.expect(left.first).to_be_visible()
    sync_api.expect(right.first).to_be_visible()
    row = root.locator("table.pair tr").filter(has=page.locator("td.right mark.drift", has_text="Hvidsten"))
    # both mentions of the name, each row with the old spelling left and the new one right
    sync_api.expect(row.locator("td.left mark.drift", has_text="Hvidsteen")).to_have_count(2)
    sync_api.expect(row.locator("td.left mark.drift", has_text="Hvidsteen").first).to_be_visible()
    right.first.scroll_into_view_if_needed()


def test_story_page_edge_opens_the_pair_view(server: tuple[str, StoryService], browser: Any) -> None:
    base, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base + "/")
    page.get_by_role("link", name="story-", exact=False).first.wait_for()
    shot(page, "web-stories.png")
    page.fill("header input[type=search]", "Hvidsten")
    page.press("header input[type=search]", "Enter")
    page.locator("table.stories a").first.click()
    sync_api.expect(page.locator("svg.graph")).to_be_visible()
    shot(page, "web-story.png")
    page.locator('a.edge[data-target="globewire-retranslated"] text').click()
    page.wait_for_url("**/pair?a=meridian-original&b=globewire-retranslated")
    check_pair_highlight(page)
    shot(page, "web-pair.png")
    page.close()


def test_report_html_from_a_file_url(example_report: Report, browser: Any, tmp_path: Path) -> None:
    path = write_html(example_report, tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.resolve().as_uri())
    sync_api.expect(page.locator("section.pairview").first).to_be_hidden()
    shot(page, "report-top.png")
    page.locator('a.edge[data-target="globewire-retranslated"] text').click()
    target = page.locator("section.pairview:target")
    sync_api.expect(target).to_be_visible()
    sync_api.expect(target.locator("h3")).to_have_text("meridian-original → globewire-retranslated")
    check_pair_highlight(page, target)
    shot(page, "report-pair.png")
    page.close()


def assert_inert(page: Any, dialogs: list[str], visible: str) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []
    assert page.locator("img").count() == 0
    assert page.locator("[onerror]").count() == 0
    assert page.locator("a[href^='javascript:']").count() == 0
    sync_api.expect(page.get_by_text(visible).first).to_be_visible()


def test_untrusted_text_renders_inert(server: tuple[str, StoryService], browser: Any, tmp_path: Path) -> None:
    base, service = server
    # bypass the pages' Content-Security-Policy: escaping alone must keep the scripts from running
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    story = service.store().story_of("evil-b")
    urls = [
        "/?q=harbour+Elmsby",
        f"/stories/{story}",
        "/articles/evil-%3Cscript%3E-a",
        "/articles/evil-b",
    ]
    for url in urls:
        page.goto(base + url)
        assert_inert(page, dialogs, "<script>window.__pwned=1</script>Harbour <b>news</b>")
    shot(page, "web-untrusted-article.png")
    page.goto(base + f"/stories/{story}")
    page.locator("a.edge").first.click()
    page.wait_for_url("**/pair?**")
    assert_inert(page, dialogs, '<img src=x onerror="window.__pwned=3;alert(3)"> Photo of the harbour.')
    shot(page, "web-untrusted-pair.png")
    # report.html with the same articles, opened from disk
    report = Pipeline.from_config(Config()).analyze_raw(evil_articles())
    page.goto(write_html(report, tmp_path).resolve().as_uri())
    assert_inert(page, dialogs, "<script>window.__pwned=1</script>Harbour <b>news</b>")
    page.locator("a.edge").first.click()
    assert_inert(page, dialogs, '<img src=x onerror="window.__pwned=3;alert(3)"> Photo of the harbour.')
    shot(page, "report-untrusted.png")
    context.close()
