"""The web app and report.html in a real browser: Debian's chromium driven by playwright.

One ``storytrace serve`` process for the module (the real command, with its background worker)
on a copy of the example store. Screenshots go to test-artifacts/. Skips when chromium or
playwright is absent (never ``playwright install``)."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storytrace.config import Config
from storytrace.pipeline import Pipeline
from storytrace.records import RawArticle, Report
from storytrace.render.html_report import write_html

from ..conftest import ROOT, SEEDS, needs_shared

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


def get(url: str, timeout: float = 30.0) -> tuple[int, str, float]:
    """(status, body, seconds) of a GET."""
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8"), time.perf_counter() - start
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8"), time.perf_counter() - start


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class Server:
    """``storytrace serve`` in a child process."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "storytrace.cli", "serve", "--db", str(db), "--port", str(self.port),
             "--time-limit", "120"],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if get(self.base + "/api/status", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("storytrace serve did not start: " + self.proc.stderr.read().decode())  # type: ignore[union-attr]

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(p) for p in path.read_text().split()] if path.exists() else []

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def wait_idle(self, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = json.loads(get(self.base + "/api/status")[1])
            if not (status["pending_articles"] or status["pending_stories"] or status["pending_grouping"]):
                return
            time.sleep(0.2)
        raise AssertionError(f"the background analysis did not finish: {status}")


@pytest.fixture(scope="module")
def server(example_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    from storytrace.corpus.ingest import add_articles
    from storytrace.corpus.store import IngestSummary, SQLiteStore
    from storytrace.corpus.update import update

    db = tmp_path_factory.mktemp("browser") / "store.db"
    shutil.copy(example_store, db)
    with SQLiteStore(db) as store:  # the two untrusted versions: one story, so a pair page too
        add_articles(store, evil_articles(), IngestSummary(db=db))
        update(store)
    server = Server(db)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def shot(page: Any, name: str, full: bool = False) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=full)


def story_of(db: Path, article: str) -> str:
    con = sqlite3.connect(db)
    try:
        row = con.execute(
            "SELECT m.story FROM story_members m JOIN articles a ON a.rowid = m.article WHERE a.id = ?",
            (article,),
        ).fetchone()
    finally:
        con.close()
    assert row is not None, f"{article} is in no story"
    return str(row[0])


def check_pair_highlight(page: Any, root: Any = None) -> None:
    """The side-by-side view of meridian-original -> globewire-retranslated is shown, with the
    drifted name marked in both columns."""
    root = root or page
    left = root.locator("tr td.left mark.drift", has_text="Hvidsteen")
    right = root.locator("tr td.right mark.drift", has_text="Hvidsten")
    sync_api.expect(left.first).to_be_visible()
    sync_api.expect(right.first).to_be_visible()
    row = root.locator("table.pair tr").filter(has=page.locator("td.right mark.drift", has_text="Hvidsten"))
    sync_api.expect(row.locator("td.left mark.drift", has_text="Hvidsteen")).to_have_count(2)
    sync_api.expect(row.locator("td.left mark.drift", has_text="Hvidsteen").first).to_be_visible()
    right.first.scroll_into_view_if_needed()


def test_story_list_shows_headlines_outlets_and_dates(server: Server, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.base + "/")
    row = page.locator("table.stories tr").filter(has_text="Karsova's president to sign Velna canal deal")
    sync_api.expect(row).to_have_count(1)
    sync_api.expect(row.locator("a").first).to_have_text(
        "Karsova's president to sign Velna canal deal on planned visit to Lenhardia"
    )
    sync_api.expect(row.locator("td.outlets")).to_contain_text("Meridian Press")
    sync_api.expect(row.locator("td.outlets")).to_contain_text("Northstar News")
    sync_api.expect(row.locator("td.published")).to_contain_text("2025-03-13")
    bakery = page.locator("table.stories tr").filter(has_text="Wrenfield bakery takes top prize")
    sync_api.expect(bakery.locator("td.published")).to_have_text("undated")  # never the time it was seen
    shot(page, "web-stories.png")
    page.close()


def test_story_page_edge_opens_the_pair_view(server: Server, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server.base + "/")
    page.fill("header input[type=search]", "Hvidsten")
    page.press("header input[type=search]", "Enter")
    page.locator("table.stories a").first.click()
    sync_api.expect(page.locator("svg.graph")).to_be_visible()
    # edges carry no labels; the table beside the graph gives relation and confidence
    sync_api.expect(page.locator("svg.graph a.edge text")).to_have_count(0)
    table_link = page.locator('a.edgelink[data-target="globewire-retranslated"]')
    edge = page.locator('svg.graph a.edge[data-target="globewire-retranslated"]')
    assert table_link.get_attribute("href") == edge.get_attribute("href")
    shot(page, "web-story.png")
    table_link.click()
    page.wait_for_url("**/pair?a=meridian-original&b=globewire-retranslated")
    check_pair_highlight(page)
    shot(page, "web-pair.png")
    page.close()


def test_first_view_after_ingest_is_fast(server: Server, browser: Any, tmp_path: Path) -> None:
    """A story ingested while the server runs (the CLI analyses it) and one uploaded through the
    form (the background worker analyses it): each first view answers in under 300 ms."""
    needs_shared(SEEDS)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-m", "storytrace.cli", "ingest", str(SEEDS), "--db", str(server.db), "--quiet"],
        env=env, check=True, timeout=900,
    )  # fmt: skip
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    timings = {}
    seeds = story_of(server.db, "000_48c82d9fa84bf12b")
    page.goto(f"{server.base}/stories/{seeds}")
    timings["ingest"] = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseEnd - n.requestStart; }"
    )
    sync_api.expect(page.locator("h1")).to_have_text(
        "Russia’s Putin to visit North Korea, first trip in 24 years"
    )
    sync_api.expect(page.locator("svg.graph")).to_be_visible()
    # an upload through the form, analysed by the worker
    upload = tmp_path / "lighthouse-keeper.txt"
    upload.write_text(
        "Varholm lighthouse keeper retires after forty years\n\n"
        "Anders Lykke climbed the 142 steps of the Varholm lighthouse for the last time on Saturday.\n"
        "He kept the light through forty winters, including the storm of 1999 that cut the island off for a week.\n"
        "The coastal authority will run the light remotely from the mainland from next month.\n"
        "Islanders plan to turn the keeper's cottage into a small museum about the island's fishing fleet.\n",
        encoding="utf-8",
    )
    page.goto(server.base + "/add")
    page.set_input_files("input[type=file]", str(upload))
    page.click("form[action='/add'] button[type=submit]")
    sync_api.expect(page.locator("h1")).to_have_text("1 article(s) added")
    server.wait_idle()
    story = story_of(server.db, "lighthouse-keeper")
    page.goto(f"{server.base}/stories/{story}")
    timings["upload"] = page.evaluate(
        "() => { const n = performance.getEntriesByType('navigation')[0]; return n.responseEnd - n.requestStart; }"
    )
    sync_api.expect(page.locator("h1")).to_have_text("Varholm lighthouse keeper retires after forty years")
    print(f"first view after ingest: {timings['ingest']:.0f} ms; after upload: {timings['upload']:.0f} ms")
    assert timings["ingest"] < 300 and timings["upload"] < 300, timings
    page.close()


def test_a_19_mb_upload_ends_in_a_clear_state_while_pages_keep_answering(
    server: Server, browser: Any, tmp_path: Path
) -> None:
    rng = random.Random(19)
    words = " ".join(BODY).split()
    big = tmp_path / "harbour-archive.txt"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("Harbour archive of every notice since 1900\n\n")
        while handle.tell() < 19_000_000:
            handle.write(" ".join(rng.choice(words) for _ in range(18)) + ".\n")
    assert 19_000_000 <= big.stat().st_size < 20_000_000
    story = story_of(server.db, "meridian-original")
    before = peak_rss_mb(server.proc.pid)
    latencies: list[float] = []
    failures: list[str] = []
    done = threading.Event()

    def browse() -> None:  # other readers while the upload is received, stored and examined
        while not done.is_set():
            for url in ("/", f"/stories/{story}", "/articles/meridian-original"):
                try:
                    status, _, seconds = get(server.base + url)
                    latencies.append(seconds)
                    if status != 200:
                        failures.append(f"{url}: {status}")
                except OSError as err:
                    failures.append(f"{url}: {err}")
            time.sleep(0.05)

    reader = threading.Thread(target=browse)
    reader.start()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(server.base + "/add")
        page.set_input_files("input[type=file]", str(big))
        page.click("form[action='/add'] button[type=submit]")
        sync_api.expect(page.locator("h1")).to_have_text("1 article(s) added", timeout=120_000)
        page.goto(server.base + "/articles/harbour-archive")
        state = page.locator("p.state.warn")
        sync_api.expect(state).to_contain_text("Not analysed: too large to analyse", timeout=120_000)
        sync_api.expect(state).to_contain_text("above max_article_chars=200,000")
        shot(page, "web-too-large.png")
    finally:
        done.set()
        reader.join(60)
        page.close()
    after = peak_rss_mb(server.proc.pid)
    workers = [peak_rss_mb(pid) for pid in server.children()]
    print(
        f"19 MB upload: server RSS {before[0]:.0f} -> {after[0]:.0f} MB (peak {after[1]:.0f} MB); worker peak "
        f"{max((w[1] for w in workers), default=0):.0f} MB; {len(latencies)} other requests, slowest "
        f"{max(latencies):.2f} s"
    )
    assert not failures, failures[:5]
    assert latencies and max(latencies) < 5.0
    assert after[1] - before[1] < 600  # the server's peak grew by less than 600 MB (it was 0.9 -> 4 GB)
    status, body, _ = get(server.base + "/api/articles/harbour-archive")
    record = json.loads(body)
    assert status == 200 and record["state"] == "not analysable" and record["story"] is None
    assert re.search(
        r"too large to analyse: 1[89],\d{3},\d{3} characters, above max_article_chars", record["reason"]
    )


def test_report_html_from_a_file_url(example_report: Report, browser: Any, tmp_path: Path) -> None:
    path = write_html(example_report, tmp_path)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.resolve().as_uri())
    sync_api.expect(page.locator("section.pairview").first).to_be_hidden()
    shot(page, "report-top.png")
    page.locator('a.edgelink[data-target="globewire-retranslated"]').click()
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


def test_untrusted_text_renders_inert(server: Server, browser: Any, tmp_path: Path) -> None:
    # bypass the pages' Content-Security-Policy: escaping alone must keep the scripts from running
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    story = story_of(server.db, "evil-b")
    urls = [
        "/?q=harbour+Elmsby",
        f"/stories/{story}",
        "/articles/evil-%3Cscript%3E-a",
        "/articles/evil-b",
    ]
    for url in urls:
        page.goto(server.base + url)
        assert_inert(page, dialogs, "<script>window.__pwned=1</script>Harbour <b>news</b>")
    shot(page, "web-untrusted-article.png")
    page.goto(server.base + f"/stories/{story}")
    page.locator("a.edgelink").first.click()
    page.wait_for_url("**/pair?**")
    assert_inert(page, dialogs, '<img src=x onerror="window.__pwned=3;alert(3)"> Photo of the harbour.')
    shot(page, "web-untrusted-pair.png")
    # report.html with the same articles, opened from disk
    report = Pipeline.from_config(Config()).analyze_raw(evil_articles())
    page.goto(write_html(report, tmp_path).resolve().as_uri())
    assert_inert(page, dialogs, "<script>window.__pwned=1</script>Harbour <b>news</b>")
    page.locator("a.edgelink").first.click()
    assert_inert(page, dialogs, '<img src=x onerror="window.__pwned=3;alert(3)"> Photo of the harbour.')
    shot(page, "report-untrusted.png")
    context.close()


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")", 1)[1].split()[0]
    except OSError:
        return "Z"


def test_sigterm_stops_the_server_and_its_worker_while_it_works(server: Server, tmp_path: Path) -> None:
    """Runs last in this module: it stops the module's server while its worker analyses."""
    text = " ".join(BODY).replace("Port Elmsby", "Skarholm") + " The mayor of Skarholm welcomed the plan."
    body = json.dumps({"id": "sigterm-article", "text": text, "title": "Skarholm terminal plan"}).encode()
    request = urllib.request.Request(
        server.base + "/api/articles", data=body, headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=60) as r:
        assert r.status == 201 and json.loads(r.read())["state"] == "pending"
    workers = server.children()
    assert workers, "serve runs a background worker"
    start = time.monotonic()
    server.proc.send_signal(signal.SIGTERM)
    code = server.proc.wait(30)
    took = time.monotonic() - start
    print(f"SIGTERM: serve exited with {code} in {took:.1f} s")
    # uvicorn shuts down gracefully, then lets SIGTERM end the process as process managers expect
    assert code in (0, -signal.SIGTERM) and took < 20
    deadline = time.monotonic() + 10  # the worker (and multiprocessing's resource tracker) end with it
    alive = workers
    while alive and time.monotonic() < deadline:
        alive = [pid for pid in workers if Path(f"/proc/{pid}").exists() and "Z" not in _state(pid)]
        time.sleep(0.2)
    assert not alive, [Path(f"/proc/{pid}/cmdline").read_bytes() for pid in alive]
    con = sqlite3.connect(server.db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()
