from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'storytrace[web]'")
from fastapi.testclient import TestClient

from storytrace.config import Config
from storytrace.web.app import create_app
from storytrace.web.service import StoryService

from ..conftest import EXAMPLES

EVIL_TITLE = "<script>window.__pwned=1</script>Evil title"
EVIL_LINE = 'See <a href="javascript:window.__pwned=2">this</a> and <img src=x onerror="window.__pwned=3">.'


@pytest.fixture(scope="module")
def service(example_store: Path, tmp_path_factory: pytest.TempPathFactory) -> StoryService:
    db = tmp_path_factory.mktemp("web") / "store.db"
    shutil.copy(example_store, db)
    return StoryService(db)


@pytest.fixture(scope="module")
def client(service: StoryService) -> Iterator[TestClient]:
    with TestClient(create_app(service)) as c:
        yield c


def big_story(client: TestClient) -> dict[str, Any]:
    stories = client.get("/api/stories", params={"min_sources": 2}).json()["stories"]
    assert len(stories) == 1
    return stories[0]  # type: ignore[no-any-return]


def form_token(client: TestClient) -> str:
    page = client.get("/add").text
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def post_form(client: TestClient, data: dict[str, str], files: Any = None, **kw: Any) -> Any:
    return client.post("/add", data={"csrf": form_token(client), **data}, files=files, **kw)


@pytest.mark.slow
def test_story_list_search_and_filters(client: TestClient) -> None:
    data = client.get("/api/stories").json()
    assert data["total"] == len(data["stories"]) >= 2 and data["pending"] == 0
    story = big_story(client)
    assert story["articles"] >= 5 and story["title"].startswith("Karsova's president to sign")
    assert "Meridian Press" in story["outlets"] and "Northstar News" in story["outlets"]
    assert story["state"] == "ok" and story["drift"] and story["drift"] > 0  # analysed when stored
    # full-text search: titles and texts, every word must match; words only, no query syntax
    found = client.get("/api/stories", params={"q": "Hvidsten"}).json()["stories"]
    assert [s["id"] for s in found] == [story["id"]]
    assert [
        s["title"] for s in client.get("/api/stories", params={"q": "bakery prize"}).json()["stories"]
    ] == ["Wrenfield bakery takes top prize at county bread show"]
    assert client.get("/api/stories", params={"q": 'bakery" OR "canal'}).json()["total"] == 0
    assert client.get("/api/stories", params={"q": "NEAR(("}).status_code == 200
    dated = client.get("/api/stories", params={"since": "2025-03-01", "until": "2025-03-31"}).json()
    assert dated["total"] >= 1 and all(s["first_published"].startswith("2025-03") for s in dated["stories"])
    assert client.get("/api/stories", params={"since": "2030-01-01"}).json()["total"] == 0
    drifted = client.get("/api/stories", params={"has_drift": "yes"}).json()
    assert [s["id"] for s in drifted["stories"]] == [story["id"]]
    page = client.get("/", params={"q": "Hvidsten"})
    assert page.status_code == 200 and story["id"] in page.text and "Karsova&#39;s president" in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no script allowed at all
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.slow
def test_story_and_pair_pages(client: TestClient) -> None:
    sid = big_story(client)["id"]
    story = client.get(f"/api/stories/{sid}").json()
    assert story["origin"] == "meridian-original" and story["state"] == "ok"
    edge = next(d for d in story["derivations"] if d["target"] == "globewire-retranslated")
    assert edge["source"] == "meridian-original" and edge["relation"] == "rewrite"
    assert any(d["after"] == "Hvidsten" for d in story["drift"])
    html = client.get(f"/stories/{sid}").text
    href = f"/stories/{sid}/pair?a=meridian-original&amp;b=globewire-retranslated"
    assert f'<a class="edge rewrite" href="{href}"' in html
    assert '<table class="edges small">' in html  # relation and confidence in a table, not on the lines
    # drift by difference kind, conflicts first ("3.4 billion" / "3.4 million" on the same day)
    drift = html.split("<h2>Drift</h2>", 1)[1].split("<h2>Facts</h2>", 1)[0]
    assert re.findall(r"<h3>(\w+)", drift) == ["Conflicts", "Changed", "Variants"]
    assert "3.4 million" in drift.split("<h3>Changed", 1)[0] and "Hvidsten" in drift.split("<h3>Variants", 1)[1]
    # the pair list: derivation edges first (copies, then rewrites, each by confidence)
    pairs = story["pairs"]
    edges = [p for p in pairs if p["edge"]]
    assert pairs[: len(edges)] == edges
    order = {"copy": 0, "rewrite": 1, "partial": 2}
    ranks = [(order[p["edge"]["relation"]], -p["edge"]["confidence"]) for p in edges]
    assert ranks == sorted(ranks)
    pair = client.get(
        f"/stories/{sid}/pair", params={"a": "meridian-original", "b": "globewire-retranslated"}
    )
    assert '<mark class="drift" title="name drift">Hvidsteen</mark>' in pair.text
    assert '<mark class="drift" title="name drift">Hvidsten</mark>' in pair.text
    flipped = client.get(
        f"/stories/{sid}/pair",
        params={"b": "meridian-original", "a": "globewire-retranslated"},
        follow_redirects=False,
    )
    assert flipped.status_code == 307 and "a=meridian-original" in flipped.headers["location"]
    api = client.get(
        f"/api/stories/{sid}/pair", params={"a": "meridian-original", "b": "globewire-retranslated"}
    )
    rows = api.json()
    assert {"paraphrase", "dropped"} <= {r["label"] for r in rows["rows"]}
    spans = [(i, s) for i, marks in rows["right_marks"].items() for s in marks if s[2] == "drift"]
    assert any(rows["right"][int(i)][s[0] : s[1]] == "Hvidsten" for i, s in spans)


@pytest.mark.slow
def test_article_page_marks_what_cleaning_removed(client: TestClient) -> None:
    page = client.get("/articles/portal24-furniture").text
    assert 'class="removed-inline"><span class="tag">removed: boilerplate</span>' in page
    assert "site furniture" in page and "Read Mode" in page
    record = client.get("/api/articles/portal24-furniture").json()
    assert record["state"] == "grouped" and record["removed"] and record["seen"]
    dailyvoice = client.get("/articles/dailyvoice-copy").text
    assert "removed: caption" in dailyvoice  # the photo caption pasted into the text


@pytest.mark.slow
def test_adding_articles_and_revisions(client: TestClient) -> None:
    sid = big_story(client)["id"]
    original = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
    # pasted text with an id and a publication date: it joins the story it copies
    edited = original.replace("Hvidsteen", "Hvidstein")
    r = post_form(
        client,
        {
            "text": edited,
            "title": "Pasted copy",
            "source": "Paste Daily",
            "id": "paste-1",
            "published": "2025-03-14",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == "/articles/paste-1"
    article = client.get("/api/articles/paste-1").json()
    assert article["story"] == sid and article["published"] == "2025-03-14T00:00:00"
    assert article["seen"] != article["published"]  # the time it was seen is kept apart
    # an upload with a stored id and other content is refused, unless asked to be a new revision
    bakery = (EXAMPLES / "unrelated-bakery.html").read_bytes().replace(b"county", b"regional")
    files = [("files", ("unrelated-bakery.html", bakery, "text/html"))]
    refused = post_form(client, {}, files=files)
    assert (
        refused.status_code == 409
        and "article id &#39;unrelated-bakery&#39; is already stored" in refused.text
    )
    assert client.get("/api/articles/unrelated-bakery").json()["revision"] == 1
    revised = post_form(client, {"revise": "1"}, files=files)
    assert revised.status_code == 200 and "1 article(s) added" in revised.text
    article = client.get("/api/articles/unrelated-bakery").json()
    assert article["revision"] == 2 and "regional" in article["revisions"][1]["text"]
    page = client.get("/articles/unrelated-bakery").text
    assert "revision 2" in page and "regional" in page
    # JSON API
    added = client.post(
        "/api/articles",
        json={"text": "A brand new story about a lighthouse keeper on Varholm.", "title": "Lighthouse"},
    )
    assert added.status_code == 201 and added.json()["new"] is True and added.json()["state"] == "grouped"
    assert client.get(added.json()["story_url"]).status_code == 200
    again = client.post(
        "/api/articles",
        json={"text": "A brand new story about a lighthouse keeper on Varholm.", "title": "Lighthouse"},
    )
    assert again.status_code == 200 and again.json()["new"] is False  # the same content: nothing changes


BAD_UPLOADS: list[tuple[str, bytes, str]] = [
    ("empty.txt", b"", "empty.txt: empty file"),
    (
        "photo.txt",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "binary file (contains NUL bytes)",
    ),
    (
        "latin.txt",
        "Caf\u00e9 owners in Br\u00fcnn said so.".encode("latin-1"),
        "not valid UTF-8 (byte 0xe9 at line 1)",
    ),
    ("notes.xyz", b"hello", "unsupported file type '.xyz'"),
    (
        "nul.jsonl",
        b'{"id": "n1", "text": "Fine start\\u0000 then binary"}\n',
        "nul.jsonl:1: contains NUL bytes",
    ),
]


@pytest.mark.slow
def test_bad_input_through_every_intake_gets_its_message_and_nothing_else_is_lost(
    example_store: Path, tmp_path: Path
) -> None:
    db = tmp_path / "store.db"
    shutil.copy(example_store, db)
    service = StoryService(db, Config(max_file_bytes=60_000))
    with TestClient(create_app(service)) as client:
        # uploads: each bad file named with its reason, the good file and good lines stored
        lines = "\n".join(
            [
                json.dumps(
                    {"id": "ok-line", "text": "Good news from the Varholm lighthouse: it reopened on Monday."}
                ),
                '{"id": "broken", "text": "no closing brace"',
                json.dumps(
                    {"id": "bad-date", "text": "A dated story from Ostrava.", "published": "last Tuesday"}
                ),
                json.dumps({"id": "words", "text": "1234 5678 !!!"}),
            ]
        ).encode()
        files = [("files", (name, data, "text/plain")) for name, data, _ in BAD_UPLOADS]
        files += [
            ("files", ("feed.jsonl", lines, "application/json")),
            ("files", ("big.txt", b"word " * 20_000, "text/plain")),
            (
                "files",
                (
                    "good.txt",
                    b"The Varholm ferry timetable changes on Monday, the operator said.",
                    "text/plain",
                ),
            ),
        ]
        page = post_form(client, {}, files=files)
        assert page.status_code == 200 and "2 article(s) added" in page.text
        for _, _, message in BAD_UPLOADS:
            assert message.replace("'", "&#39;") in page.text, message
        assert "feed.jsonl:2: malformed JSON" in page.text
        assert (
            "feed.jsonl:3: article &#39;bad-date&#39;: &#39;published&#39; value &#39;last Tuesday&#39; is not an ISO 8601 date"
            in page.text
        )
        assert "feed.jsonl:4: no words in the text" in page.text
        assert "big.txt: file is 100,000 bytes, above max_file_bytes=60,000" in page.text
        assert client.get("/api/articles/ok-line").json()["state"] == "grouped"
        assert client.get("/api/articles/good").json()["state"] == "grouped"
        # the paste form: the same rules and messages
        for fields, message in (
            ({"text": "Half a text\x00 and binary"}, "contains NUL bytes"),
            ({"text": "12 34 56"}, "no words in the text"),
            (
                {"text": "A story from Brekke.", "published": "soon"},
                "&#39;published&#39; value &#39;soon&#39; is not an ISO 8601 date",
            ),
            ({"text": "x" * 70_000}, "text is 70,000 bytes, above max_file_bytes=60,000"),
        ):
            r = post_form(client, fields)
            assert r.status_code == 400 and message in r.text, message
        # the JSON API: the same rules, as JSON with a status
        api = [
            ({"text": "Half a text\x00 and binary"}, 400, "contains NUL bytes"),
            ({"text": "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 5 + " word"}, 400, "binary data"),
            ({"text": "12 34 56"}, 400, "no words in the text"),
            ({"text": "A story from Brekke.", "published": "soon"}, 400, "is not an ISO 8601 date"),
            ({"text": "x" * 70_000}, 413, "text is 70,000 bytes, above max_file_bytes=60,000"),
            (
                {"id": "good", "text": "Another text under a stored id."},
                409,
                "article id 'good' is already stored",
            ),
        ]
        for body, status, message in api:
            r = client.post("/api/articles", json=body)
            assert r.status_code == status and message in r.json()["detail"], (body, r.text)
        assert client.post("/api/articles", json={"text": "A story.", "colour": "red"}).status_code == 422
        r = client.post(
            "/api/articles",
            content=b'{"text": "A story about Brekke."}',
            headers={"content-type": "text/plain"},
        )
        assert r.status_code == 415
        huge = client.post(
            "/api/articles",
            content=b"{" + b" " * 1_100_000 + b"}",
            headers={"content-type": "application/json"},
        )
        assert huge.status_code == 413 and "larger than" in huge.json()["detail"]
        revised = client.post(
            "/api/articles", json={"id": "good", "text": "Another text under a stored id.", "revise": True}
        )
        assert revised.status_code == 201 and revised.json()["revised"] is True
        # nothing else was lost: the example stories are all still there
        assert client.get("/api/stories", params={"q": "Hvidsten"}).json()["total"] == 1


@pytest.mark.slow
def test_forms_need_a_token_and_errors_are_pages_without_paths(
    client: TestClient, service: StoryService
) -> None:
    no_token = client.post("/add", data={"text": "A story about the Varholm bridge opening."})
    assert (
        no_token.status_code == 403 and "<h1>403</h1>" in no_token.text and "reload the form" in no_token.text
    )
    token = form_token(client)
    foreign = client.post(
        "/add",
        data={"csrf": token, "text": "A story about the bridge."},
        headers={"origin": "http://evil.example"},
    )
    assert foreign.status_code == 403 and "another site" in foreign.text
    other = TestClient(client.app)  # another browser: no cookie, a stolen token is not enough
    assert other.post("/add", data={"csrf": token, "text": "A story about the bridge."}).status_code == 403
    store_dir = str(service.db.parent)
    for url, status in (("/stories/story-999999", 404), ("/no/such/page", 404), ("/?min_sources=abc", 400),
                        ("/articles/nope", 404), ("/stories/story-000001/pair?a=x&b=y", 404)):  # fmt: skip
        r = client.get(url)
        assert r.status_code == status and r.headers["content-type"].startswith("text/html"), url
        assert store_dir not in r.text and "store.db" not in r.text, url
        assert "default-src 'none'" in r.headers["content-security-policy"]
    assert client.get("/api/stories/story-999999").json()["detail"] == "no story 'story-999999' in this store"
    # an internal error is a page too, without the traceback or the store's location
    crashing = TestClient(client.app, raise_server_exceptions=False)
    original = service.story
    service.story = lambda story: (_ for _ in ()).throw(RuntimeError(f"disk trouble in {store_dir}"))  # type: ignore[method-assign]
    try:
        sid = big_story(client)["id"]
        broken = crashing.get(f"/stories/{sid}")
        assert broken.status_code == 500 and "internal error" in broken.text and store_dir not in broken.text
        assert "Traceback" not in broken.text and broken.headers["content-type"].startswith("text/html")
    finally:
        service.story = original  # type: ignore[method-assign]
    assert client.get("/api/nope").json()["detail"] == "no page at /api/nope"
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422


def test_api_reference_is_a_static_page_over_the_openapi_schema(tmp_path: Path) -> None:
    from storytrace.corpus.store import SQLiteStore

    SQLiteStore(tmp_path / "empty.db").close()
    with TestClient(create_app(StoryService(tmp_path / "empty.db"))) as c:
        schema = c.get("/openapi.json").json()
        assert c.get("/api/stories").json() == {"total": 0, "offset": 0, "pending": 0, "stories": []}
        assert c.get("/").status_code == 200
        docs = c.get("/docs")
        assert c.get("/redoc").status_code == 404
    paths = schema["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/pair", "/api/articles",
            "/api/articles/{article_id}", "/api/status"} <= set(paths)  # fmt: skip
    assert "post" in paths["/api/articles"]
    assert not any(re.match(r"^/(stories|articles|add)?$", p) for p in paths if not p.startswith("/api"))
    # offline: no script, no CDN; every operation with its parameters and body fields
    assert docs.status_code == 200 and "<script" not in docs.text and "cdn" not in docs.text.lower()
    assert "default-src 'none'" in docs.headers["content-security-policy"]
    assert "<code>POST /api/articles</code>" in docs.text and "<code>revise</code>" in docs.text
    assert "<code>has_drift</code>" in docs.text


def test_service_refuses_a_missing_store(tmp_path: Path) -> None:
    from storytrace.errors import InputError

    with pytest.raises(InputError, match="does not exist"):
        StoryService(tmp_path / "none.db")


def test_cli_serve_refuses_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from storytrace.cli import main

    assert main(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert "does not exist; create it with: storytrace ingest" in capsys.readouterr().err
    assert main(["serve", "--db", str(tmp_path / "none.db"), "--port", "70000"]) == 2
    assert "--port 70000 is invalid" in capsys.readouterr().err
