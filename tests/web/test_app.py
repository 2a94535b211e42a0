from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install 'storytrace[web]'")
from fastapi.testclient import TestClient

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


@pytest.mark.slow
def test_story_list_search_and_filters(client: TestClient) -> None:
    data = client.get("/api/stories").json()
    assert data["total"] == len(data["stories"]) >= 3
    story = big_story(client)
    assert story["articles"] >= 3 and story["title"].startswith("Karsova")
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
    page = client.get("/", params={"q": "Hvidsten"})
    assert page.status_code == 200 and story["id"] in page.text
    assert "script-src" not in page.headers["content-security-policy"]  # no script allowed at all
    assert "default-src 'none'" in page.headers["content-security-policy"]


@pytest.mark.slow
def test_story_and_pair_pages(client: TestClient) -> None:
    sid = big_story(client)["id"]
    story = client.get(f"/api/stories/{sid}").json()
    assert story["origin"] == "meridian-original"
    edge = next(d for d in story["derivations"] if d["target"] == "globewire-retranslated")
    assert edge["source"] == "meridian-original" and edge["relation"] == "rewrite"
    assert any(d["after"] == "Hvidsten" for d in story["drift"])
    html = client.get(f"/stories/{sid}").text
    href = f"/stories/{sid}/pair?a=meridian-original&amp;b=globewire-retranslated"
    assert f'<a class="edge rewrite" href="{href}"' in html
    pair = client.get(
        f"/stories/{sid}/pair", params={"a": "meridian-original", "b": "globewire-retranslated"}
    )
    assert '<mark class="drift" title="name drift">Hvidsteen</mark>' in pair.text
    assert '<mark class="drift" title="name drift">Hvidsten</mark>' in pair.text
    # the other orientation redirects to the stored one
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
    labels = {r["label"] for r in rows["rows"]}
    assert {"paraphrase", "dropped"} <= labels
    spans = [(i, s) for i, marks in rows["right_marks"].items() for s in marks if s[2] == "drift"]
    assert any(rows["right"][int(i)][s[0] : s[1]] == "Hvidsten" for i, s in spans)
    # drift is now known for the analysed story
    assert [s["id"] for s in client.get("/api/stories", params={"has_drift": "yes"}).json()["stories"]] == [
        sid
    ]
    assert client.get("/stories/story-999999").status_code == 404
    assert client.get("/api/stories/story-999999").json()["detail"].startswith("no story 'story-999999'")


@pytest.mark.slow
def test_add_text_upload_and_revisions(client: TestClient, tmp_path: Path) -> None:
    sid = big_story(client)["id"]
    original = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
    # pasted text: a lightly edited copy joins the story it duplicates
    edited = original.replace("Hvidsteen", "Hvidstein")
    r = client.post(
        "/add", data={"text": edited, "title": "Pasted copy", "source": "Paste Daily"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == f"/stories/{sid}"
    # an uploaded file with the bakery article's id and a new text: a second revision of that article
    bakery = (EXAMPLES / "unrelated-bakery.html").read_bytes().replace(b"county", b"regional")
    r = client.post(
        "/add", files=[("files", ("unrelated-bakery.html", bakery, "text/html"))], follow_redirects=False
    )
    assert r.status_code == 303
    article = client.get("/api/articles/unrelated-bakery").json()
    assert article["revision"] == 2 and len(article["revisions"]) == 2
    assert "regional" in article["revisions"][1]["text"]
    page = client.get("/articles/unrelated-bakery").text
    assert "revision 2" in page and "+" in page and "regional" in page
    # empty form and unreadable upload: clear messages, nothing stored
    assert "Paste a text or choose files" in client.post("/add", data={"text": "  "}).text
    bad = client.post("/add", files=[("files", ("notes.xyz", b"hello", "text/plain"))])
    assert bad.status_code == 400 and "notes.xyz" in bad.text
    # JSON API
    added = client.post(
        "/api/articles", json={"text": "A brand new story about a lighthouse keeper.", "title": "Lighthouse"}
    )
    assert added.status_code == 201 and added.json()["new"] is True
    assert client.get(added.json()["url"]).status_code == 200
    assert client.post("/api/articles", json={"text": "..."}).status_code == 400


@pytest.mark.slow
def test_untrusted_text_is_escaped_everywhere(client: TestClient) -> None:
    text = f"{EVIL_LINE}\nThe mayor of Ostrava opened the new bridge on Monday after two years of work."
    added = client.post(
        "/api/articles", json={"text": text, "title": EVIL_TITLE, "source": "<b>bad</b>"}
    ).json()
    pages = [
        client.get(added["url"]).text,
        client.get(f"/articles/{added['article']}").text,
        client.get("/", params={"q": "mayor Ostrava"}).text,
    ]
    for html in pages:
        assert "<script>window" not in html and "<img" not in html and 'href="javascript:' not in html
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;Evil title" in html
    assert "onerror=&#34;window.__pwned=3&#34;" in pages[1]


def test_openapi_schema_documents_the_api(tmp_path: Path) -> None:
    from storytrace.corpus.store import SQLiteStore

    SQLiteStore(tmp_path / "empty.db").close()
    with TestClient(create_app(StoryService(tmp_path / "empty.db"))) as c:
        schema = c.get("/openapi.json").json()
        assert c.get("/api/stories").json() == {"total": 0, "offset": 0, "stories": []}
        assert c.get("/").status_code == 200
    paths = schema["paths"]
    assert {
        "/api/stories",
        "/api/stories/{story_id}",
        "/api/stories/{story_id}/pair",
        "/api/articles",
    } <= set(paths)
    assert "/api/articles/{article_id}" in paths
    assert "post" in paths["/api/articles"]
    assert not any(re.match(r"^/(stories|articles|add)?$", p) for p in paths if not p.startswith("/api"))


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
