"""storytrace watch end to end on loopback: outlets publish, copy, rewrite and silently edit a
story between polls; the store gets the articles, stories, derivations and revisions, and the
alerts fire once each, also across a restart. Broken sources are reported and skipped."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from storytrace.config import AlertRule, Config, WatchConfig
from storytrace.corpus.store import SQLiteStore
from storytrace.watch import Source, Watcher

from .site import T0, Site, article_page, example_text, json_feed, news_sitemap, rss

pytestmark = pytest.mark.slow

RULES = (
    AlertRule("meridian-copies", "copy", sources=("Meridian Press",)),
    AlertRule("facts-drift", "drift", kinds=("number", "quote"), min_sources=3),
    AlertRule("edits", "revision"),
)


def _config(alerts: Path) -> Config:
    watch = WatchConfig(
        timeout=0.5, retries=1, backoff=0.0, host_delay=0.0, max_bytes=2_000_000, alert_file=str(alerts), alerts=RULES
    )
    return Config(watch=watch)


@pytest.fixture()
def site(httpserver: HTTPServer) -> Iterator[Site]:
    web = Site()
    web.put("/robots.txt", "User-agent: *\nDisallow: /private/\n", "text/plain")
    httpserver.expect_request("/slow-feed.xml").respond_with_handler(_slow)
    httpserver.expect_request(__import__("re").compile(".*")).respond_with_handler(web)
    yield web


def _slow(request: Request) -> Response:
    time.sleep(1.2)
    return Response("<rss version='2.0'><channel></channel></rss>", content_type="application/rss+xml")


def _publish(site: Site, url: Any, name: str, outlet: str, path: str, body_edit: tuple[str, str] | None = None) -> str:
    title, body = example_text(name)
    if body_edit is not None:
        assert body_edit[0] in body
        body = body.replace(*body_edit)
    site.put(path, article_page(title or outlet, body, outlet))
    return str(url(path))


def _alerts(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_watch_scenario_with_restart(site: Site, httpserver: HTTPServer, tmp_path: Path) -> None:
    url = httpserver.url_for
    db, alerts = tmp_path / "watch.db", tmp_path / "alerts.jsonl"
    sources = [
        Source(url("/meridian/rss.xml"), "Meridian Press"),
        Source(url("/portal24/news-sitemap.xml"), "Portal24"),
        Source(url("/clickfeed/feed.json"), "Clickfeed"),
    ]
    config = _config(alerts)
    site.put("/meridian/rss.xml", rss("Meridian Press", []), "application/rss+xml")
    site.put("/portal24/news-sitemap.xml", news_sitemap([]), "application/xml")
    site.put("/clickfeed/feed.json", json_feed("Clickfeed", []), "application/feed+json")

    with Watcher(db, sources, config) as watcher:
        # 1. the agency publishes
        original = _publish(site, url, "meridian-original", "Meridian Press", "/meridian/2025/canal-deal")
        site.put("/meridian/rss.xml", rss("Meridian Press", [("Canal deal", original, T0)]), "application/rss+xml")
        first = watcher.poll(force=True)
        assert [(s.name, s.new, s.failed) for s in first.sources] == [
            ("Meridian Press", 1, 0), ("Portal24", 0, 0), ("Clickfeed", 0, 0)
        ]
        assert first.alerts == 0
        # 2. a second site copies it (in its own furniture)
        copy = _publish(site, url, "portal24-furniture", "Portal24", "/portal24/world/canal")
        site.put("/portal24/news-sitemap.xml", news_sitemap([("Canal", copy, T0 + timedelta(hours=2))]), "application/xml")
        second = watcher.poll(force=True)
        assert [s.new for s in second.sources] == [0, 1, 0]
        assert [s.unchanged for s in second.sources] == [1, 0, 0]  # the original re-read: not modified
        # 3. a content farm rewrites it and gets the price wrong
        farm = _publish(
            site, url, "clickfeed-rewrite", "Clickfeed", "/clickfeed/canal", ("3.4 billion dollar", "4.3 billion dollar")
        )
        site.put("/clickfeed/feed.json", json_feed("Clickfeed", [("Canal!", farm, T0 + timedelta(hours=5))]),
                 "application/feed+json")  # fmt: skip
        watcher.poll(force=True)
        # 4. the agency silently edits its article
        _publish(site, url, "meridian-original", "Meridian Press", "/meridian/2025/canal-deal", ("about 1,200", "about 1,500"))
        fourth = watcher.poll(force=True)
        assert fourth.sources[0].changed == 1

    with SQLiteStore(db, config, create=False) as store:
        stories = store.stories()
        canal = [s for s in stories if len(s.articles) > 1]
        assert len(canal) == 1 and set(canal[0].articles) == {original, copy, farm}
        assert len(store.revisions(original)) == 2

    fired = _alerts(alerts)
    outline = sorted(
        (a["rule"], a["source"]["outlet"], a["target"]["outlet"],
         a["detail"].get("relation") or a["detail"].get("drift_kind") or "revision",
         a["detail"].get("before", ""), a["detail"].get("after", ""))
        for a in fired
    )  # fmt: skip
    assert outline == [
        ("edits", "Meridian Press", "Meridian Press", "revision", "", ""),
        ("facts-drift", "Meridian Press", "Clickfeed", "number", "3.4 billion", "4.3 billion"),
        ("facts-drift", "Meridian Press", "Portal24", "number", "1,500", "1,200"),  # after the silent edit
        ("meridian-copies", "Meridian Press", "Clickfeed", "rewrite", "", ""),
        ("meridian-copies", "Meridian Press", "Portal24", "copy", "", ""),
    ]
    ids = [a["id"] for a in fired]
    assert len(ids) == len(set(ids))
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for a in fired:
        by_rule.setdefault(a["rule"], []).append(a)
    copies = {(a["source"]["id"], a["target"]["id"], a["detail"]["relation"]) for a in by_rule["meridian-copies"]}
    assert (original, copy, "copy") in copies
    assert (original, farm, "rewrite") in copies
    drift = {(a["detail"]["drift_kind"], a["detail"]["before"], a["detail"]["after"]) for a in by_rule["facts-drift"]}
    assert any(kind == "number" and "3.4" in b and "4.3" in a for kind, b, a in drift)
    (edit,) = by_rule["edits"]
    assert edit["detail"]["from"] == 1 and edit["detail"]["to"] == 2
    assert edit["detail"]["counts"]["reworded"] >= 1
    assert {"kind": "number", "before": "1,200", "after": "1,500"} in [
        {k: d[k] for k in ("kind", "before", "after")} for d in edit["detail"]["drift"]
    ]
    assert edit["link"].startswith(config.watch.web_url)
    for a in fired:  # every alert carries the story, the two versions and the evidence
        assert a["story"] and a["source"]["id"] and a["target"]["id"] and a["evidence"]

    # the web app shows the article's revisions and what changed between them
    from fastapi.testclient import TestClient

    from storytrace.web.app import create_app
    from storytrace.web.service import StoryService

    with TestClient(create_app(StoryService(db, config))) as client:
        page = client.get(edit["link"].removeprefix(config.watch.web_url))
        assert page.status_code == 200
        assert "What changed from revision 1 to revision 2" in page.text
        assert "1,200" in page.text and "1,500" in page.text and "reworded" in page.text
        api = client.get("/api/revisions", params={"article": original, "a": 1, "b": 2}).json()
        assert api["counts"]["reworded"] == 1 and api["drift"][0]["after"] == "1,500"
        bad = client.get("/api/revisions", params={"article": original, "a": 2, "b": 2})
        assert bad.status_code == 400 and "revisions 1 to 2" in bad.json()["detail"]

    # a restart polls everything again: nothing new is stored, no alert fires twice
    with Watcher(db, sources, config) as again:
        after = again.poll(force=True)
    assert sum(s.new + s.changed for s in after.sources) == 0
    assert after.alerts == 0
    assert _alerts(alerts) == fired


def test_broken_sources_are_reported_and_the_rest_goes_on(site: Site, httpserver: HTTPServer, tmp_path: Path) -> None:
    url = httpserver.url_for
    good = _publish(site, url, "meridian-original", "Meridian Press", "/meridian/a")
    site.put("/good.xml", rss("Good", [("A", good, T0)]), "application/rss+xml")
    site.put("/malformed.xml", "<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut", "application/rss+xml")
    site.put("/error.xml", "oops", "text/plain", status=500)
    site.put("/loop", "", "text/plain", status=302)
    site.pages["/loop"] = (b"", "text/plain", 302)
    site.put("/big.html", b"<html><body>" + b"x" * (3 * 1024 * 1024) + b"</body></html>")
    site.put("/report.pdf", b"%PDF-1.4 binary", "application/pdf")
    site.put("/private/secret.html", article_page("Secret", "A page robots.txt forbids.", "Private"))
    site.put(
        "/mixed.xml",
        rss("Mixed", [("pdf", url("/report.pdf"), T0), ("secret", url("/private/secret.html"), T0), ("big", url("/big.html"), T0),
                      ("script", "javascript:void(0)", T0)]),
        "application/rss+xml",
    )
    site.put("/links.json", json_feed("Links", [("bad", "http://[::1", T0)]), "application/feed+json")
    sources = [
        Source(url("/links.json"), "Links"),
        Source(url("/malformed.xml"), "Malformed"),
        Source(url("/missing.xml"), "Missing"),
        Source(url("/error.xml"), "Error"),
        Source(url("/slow-feed.xml"), "Slow"),
        Source(url("/mixed.xml"), "Mixed"),
        Source(url("/good.xml"), "Good"),
    ]
    with Watcher(tmp_path / "w.db", sources, _config(tmp_path / "alerts.jsonl")) as watcher:
        summary = watcher.poll(force=True)
    report = {s.name: s for s in summary.sources}
    assert "malformed feed" in report["Malformed"].errors[0]
    assert report["Missing"].errors == [f"HTTP 404 for {url('/missing.xml')}"]
    assert report["Error"].errors == [f"HTTP 500 for {url('/error.xml')}"]
    assert "timed out" in report["Slow"].errors[0]
    mixed = " | ".join(report["Mixed"].errors)
    assert "not an HTML page (Content-Type 'application/pdf')" in mixed
    assert "robots.txt" in mixed and "/private/secret.html" in mixed
    assert "larger than 2,000,000 bytes" in mixed
    assert "'javascript:void(0)' is not an http(s) URL" in mixed
    assert report["Mixed"].failed == 4
    assert report["Links"].failed == 1 and "'http://[::1' is not a valid URL" in report["Links"].errors[0]
    assert (report["Good"].new, report["Good"].failed) == (1, 0)
    text = summary.summary()
    assert "Good: 1 new" in text and "! HTTP 500" in text


def test_alert_written_before_a_crash_is_not_written_again(tmp_path: Path) -> None:
    from storytrace.watch.alerts import AlertSink
    from storytrace.watch.state import WatchState, now_utc

    alerts = tmp_path / "alerts.jsonl"
    SQLiteStore(tmp_path / "w.db", Config()).close()
    state = WatchState(tmp_path / "w.db")
    payload = {"id": "a1", "rule": "r", "event": "copy"}
    assert state.record_alert("a1", "r", "copy", now_utc(), payload)
    assert not state.record_alert("a1", "r", "copy", now_utc(), payload)  # the same event: kept once
    AlertSink(str(alerts)).write(payload)  # written, then killed before it was marked
    state.close()
    with Watcher(tmp_path / "w.db", [], _config(alerts)) as watcher:
        assert watcher.poll(force=True).alerts == 0
    assert [a["id"] for a in _alerts(alerts)] == ["a1"]


def test_kill_9_mid_poll_then_restart(site: Site, httpserver: HTTPServer, tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    url = httpserver.url_for
    pages = [
        _publish(site, url, "meridian-original", "Meridian Press", "/m/original"),
        _publish(site, url, "dailyvoice-copy", "Daily Voice", "/m/copy"),
    ]
    site.put("/m/farm", article_page("Canal!", example_text("clickfeed-rewrite")[1], "Clickfeed"))
    site.held.add("/m/farm")
    pages.append(url("/m/farm"))
    site.put("/m/rss.xml", rss("M", [(p, p, T0) for p in pages]), "application/rss+xml")
    db, alerts = tmp_path / "w.db", tmp_path / "alerts.jsonl"
    config = tmp_path / "watch.toml"
    config.write_text(
        "[storytrace.watch]\ntimeout = 30\nhost_delay = 0\nbackoff = 0\n"
        f"alert_file = {json.dumps(str(alerts))}\n"
        '[[storytrace.watch.alert]]\nname = "copies"\non = "copy"\n',
        encoding="utf-8",
    )
    cmd = [sys.executable, "-m", "storytrace.cli", "watch", "--db", str(db), "--once", "--config", str(config),
           url("/m/rss.xml")]  # fmt: skip
    env = {**os.environ}
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while site.hits.get("/m/farm", 0) == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)  # the process is waiting for the held page
    proc.wait(timeout=30)
    site.held.clear()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    with SQLiteStore(db, Config(), create=False) as store:
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = [r[0] for r in store.db.execute("SELECT id FROM articles")]
        assert sorted(ids) == sorted(pages)
        assert all(len(store.revisions(p)) == 1 for p in pages)
    fired = _alerts(alerts)
    assert fired, done.stderr + again.stderr
    assert len({a["id"] for a in fired}) == len(fired)


def test_sitemap_index_children_are_read_even_when_the_index_is_unchanged(
    site: Site, httpserver: HTTPServer, tmp_path: Path
) -> None:
    """A sitemap index rarely changes when its child sitemaps do: its validators must not let a
    304 hide the articles its children list next."""
    url = httpserver.url_for
    index = (
        '<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{url('/portal24/news-sitemap.xml')}</loc></sitemap></sitemapindex>"
    )
    site.put("/portal24/sitemap-index.xml", index, "application/xml")
    first = _publish(site, url, "meridian-original", "Portal24", "/portal24/a")
    site.put("/portal24/news-sitemap.xml", news_sitemap([("A", first, T0)]), "application/xml")
    sources = [Source(url("/portal24/sitemap-index.xml"), "Portal24")]
    with Watcher(tmp_path / "w.db", sources, _config(tmp_path / "alerts.jsonl")) as watcher:
        assert watcher.poll(force=True).sources[0].new == 1
        second = _publish(site, url, "portal24-furniture", "Portal24", "/portal24/b")
        site.put(
            "/portal24/news-sitemap.xml",
            news_sitemap([("A", first, T0), ("B", second, T0 + timedelta(hours=1))]),
            "application/xml",
        )
        report = watcher.poll(force=True).sources[0]
    assert (report.new, report.failed) == (1, 0), report.errors


def test_ctrl_c_mid_poll_stops_the_fetch_threads_after_their_current_page(
    site: Site, httpserver: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (KeyboardInterrupt in the main thread) must not wait for every other source's pages."""
    url = httpserver.url_for

    def slow_page(request: Request) -> Response:
        time.sleep(0.4)
        return Response(article_page("Slow", "A slow page about the canal deal.", "Slow"), content_type="text/html")

    slow = [f"/slow/{k}" for k in range(6)]
    httpserver.clear()  # the slow pages go before the site's catch-all
    httpserver.expect_request("/robots.txt").respond_with_handler(site)
    for path in slow:
        httpserver.expect_request(path).respond_with_handler(slow_page)
    httpserver.expect_request(__import__("re").compile(".*")).respond_with_handler(site)
    quick = _publish(site, url, "meridian-original", "Meridian Press", "/quick/a")
    site.put("/quick.xml", rss("Quick", [("A", quick, T0)]), "application/rss+xml")
    site.put("/slow.xml", rss("Slow", [(p, url(p), T0) for p in slow]), "application/rss+xml")
    monkeypatch.setattr(Watcher, "_store", lambda self, fetched, report, at: (_ for _ in ()).throw(KeyboardInterrupt))
    sources = [Source(url("/slow.xml"), "Slow"), Source(url("/quick.xml"), "Quick")]
    with Watcher(tmp_path / "w.db", sources, _config(tmp_path / "alerts.jsonl")) as watcher:
        with pytest.raises(KeyboardInterrupt):
            watcher.poll(force=True)
        stopped = watcher.stop.is_set()
    hits = [e[0].path for e in httpserver.log if e[0].path.startswith("/slow/")]
    assert len(hits) <= 3, hits
    assert stopped


def test_a_revision_in_which_no_sentence_changed_raises_no_event() -> None:
    """A page whose text changed only where cleaning removes it (an "Updated" line, furniture)
    is stored as a new revision but is not a revision event: an alert "no sentence changed" is
    a false alarm for a desk. A revision that rewords a sentence still is one."""
    from storytrace.story.versions import SentenceChange, VersionDiff
    from storytrace.watch.alerts import ArticleRef

    diffs = {
        "furniture-only": VersionDiff("furniture-only@1", "furniture-only@2", (), (), 6),
        "reworded": VersionDiff("reworded@1", "reworded@2", (SentenceChange(
            "reworded", "About 1,200 families were moved.", "About 1,500 families were moved.", "near-verbatim"
        ),), (), 5),
    }  # fmt: skip

    class Link:
        def compare(self, article: str, old: int, new: int) -> VersionDiff | None:
            return diffs[article]

        def ref(self, article: str) -> ArticleRef:
            return ArticleRef(article, "Meridian Press")

        def story_of(self, article: str) -> str | None:
            return "story-1"

    watcher = object.__new__(Watcher)  # only the store link is needed to turn revisions into events
    watcher.link = Link()  # type: ignore[assignment]
    events = watcher._events(set(), [("furniture-only", 1, 2), ("reworded", 1, 2)])
    assert [(e.kind, e.target.id) for e in events] == [("revision", "reworded@2")]
    assert "1 reworded" in events[0].summary
