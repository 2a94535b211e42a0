"""The FastAPI app: HTML pages (Jinja2, autoescaped) and a JSON API mirroring them.

Pages: ``/`` stories with search and filters, ``/stories/{id}`` story, ``/stories/{id}/pair?a=&b=``
two versions side by side, ``/articles/{id}`` an article and its revisions, ``/add`` paste text or
upload files. API: the same under ``/api/``, documented at ``/openapi.json`` and ``/docs``.
Every HTML page is sent with a Content-Security-Policy that allows no script at all.
"""

from __future__ import annotations

import difflib
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from ..errors import InputError, StorytraceError
from ..render.html_report import environment, prepare_story
from ..version import __version__
from .service import StoryService

PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
PAGE_SIZE = 50


class StoryItem(BaseModel):
    id: str
    title: str | None
    articles: int
    sources: int = Field(description="distinct sources (an article without a source counts alone)")
    first_published: str | None
    last_published: str | None
    drift: int | None = Field(description="drift records found; null when the story was never analysed")


class StoryList(BaseModel):
    total: int
    offset: int
    stories: list[StoryItem]


class Revision(BaseModel):
    revision: int
    title: str | None
    published: str | None
    ingested_at: str
    text: str


class ArticleOut(BaseModel):
    id: str
    revision: int
    title: str | None
    source: str | None
    url: str | None
    published: str | None
    path: str | None
    line: int | None
    story: str | None
    revisions: list[Revision]


class ArticleIn(BaseModel):
    text: str = Field(min_length=1, description="the article text")
    title: str | None = None
    source: str | None = None
    url: str | None = None


class ArticleAdded(BaseModel):
    article: str
    story: str
    new: bool
    url: str


def story_url(story: str) -> str:
    return f"/stories/{quote(story, safe='')}"


def article_url(article: str) -> str:
    return f"/articles/{quote(article, safe='')}"


def pair_url(story: str, a: str, b: str, api: bool = False) -> str:
    return ("/api" if api else "") + f"{story_url(story)}/pair?" + urlencode({"a": a, "b": b})


class SecurityHeaders:
    """ASGI middleware: the no-script Content-Security-Policy on HTML pages (not on the API docs,
    which load Swagger UI) and ``nosniff`` everywhere."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"] in ("/docs", "/redoc")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                html = any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers)
                if html and not docs:
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(service: StoryService) -> FastAPI:
    app = FastAPI(
        title="storytrace",
        version=__version__,
        description="Stories in a storytrace store: search, derivation graphs, versions side by side, drift.",
    )
    env = environment()

    def render(name: str, **context: Any) -> str:
        return str(
            env.get_template(f"web/{name}").render(
                pair_href=lambda story, i: pair_url(
                    story["id"], story["pairs"][i]["source"], story["pairs"][i]["target"]
                ),
                article_href=lambda story, a: article_url(a),
                **context,
            )
        )

    def page(name: str, code: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(f"web/{name}").render(
            pair_href=lambda story, i: pair_url(
                story["id"], story["pairs"][i]["source"], story["pairs"][i]["target"]
            ),
            article_href=lambda story, a: article_url(a),
            **context,
        )
        return HTMLResponse(html, status_code=code)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StorytraceError)
    async def storytrace_error(request: Request, err: StorytraceError) -> Response:
        status = 404 if isinstance(err, InputError) and str(err).startswith("no ") else 400
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": str(err)}, status_code=status)
        return page("error.html", status, status=status, message=str(err))

    # -- stories ------------------------------------------------------------------------

    def _list(
        q: str,
        has_drift: str,
        min_sources: int,
        since: str | None,
        until: str | None,
        offset: int,
        limit: int,
    ) -> tuple[list[dict[str, object]], int]:
        drift = {"yes": True, "true": True, "no": False, "false": False}.get(has_drift.lower())
        return service.store().list_stories(
            query=q, has_drift=drift, min_sources=min_sources, since=since or None, until=until or None,
            offset=offset, limit=limit,
        )  # fmt: skip

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        q: str = "",
        has_drift: str = "",
        min_sources: int = Query(1, ge=1),
        since: str = "",
        until: str = "",
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        rows, total = _list(q, has_drift, min_sources, since, until, offset, PAGE_SIZE)
        params = {"q": q, "has_drift": has_drift, "min_sources": min_sources, "since": since, "until": until}

        def url(at: int) -> str:
            return "/?" + urlencode({**params, "offset": at})

        n_articles, n_stories = service.store().counts()
        return page(
            "stories.html", stories=rows, total=total, q=q, has_drift=has_drift, min_sources=min_sources,
            since=since, until=until, n_articles=n_articles, n_stories=n_stories,
            prev_url=url(max(0, offset - PAGE_SIZE)) if offset else None,
            next_url=url(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
        )  # fmt: skip

    @app.get("/api/stories", response_model=StoryList, tags=["stories"])
    def stories_api(
        q: str = Query("", description="full-text search over titles and texts (every word must match)"),
        has_drift: str = Query(
            "", description="yes: stories with drift; no: analysed without drift; empty: any"
        ),
        min_sources: int = Query(1, ge=1),
        since: str = Query("", description="ISO date: an article published on or after"),
        until: str = Query("", description="ISO date: an article published on or before"),
        offset: int = Query(0, ge=0),
        limit: int = Query(PAGE_SIZE, ge=1, le=500),
    ) -> dict[str, Any]:
        rows, total = _list(q, has_drift, min_sources, since, until, offset, limit)
        return {"total": total, "offset": offset, "stories": rows}

    def _story(story_id: str) -> tuple[str, dict[str, Any] | None]:
        live = service.resolve(story_id)
        if live != story_id:
            return live, None
        return live, prepare_story(service.story(live), "g")

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> Response:
        html = service.cached_page("story", story_id)
        if html is not None:  # fast path: no thread hop
            return HTMLResponse(html)
        return await run_in_threadpool(story_page_sync, story_id)

    def story_page_sync(story_id: str) -> Response:
        live = service.resolve(story_id)
        if live != story_id:
            return RedirectResponse(story_url(live), status_code=308)
        key, view = service.story_keyed(live)
        html = service.rendered(
            ("story", live, key), lambda: render("story.html", story=prepare_story(view, "g"))
        )
        return HTMLResponse(html)

    @app.get("/api/stories/{story_id}", tags=["stories"])
    def story_api(story_id: str) -> Response:
        """The story's analysis: articles, derivations, graph layout, drift, facts, quotes, timeline,
        summary; ``pairs`` lists the side-by-side views (rows at ``pair_url``)."""
        live, story = _story(story_id)
        if story is None:
            return RedirectResponse(f"/api{story_url(live)}", status_code=308)
        out = {k: v for k, v in story.items() if k not in ("pairs", "anchor")}
        out["pairs"] = [
            {"source": p["source"], "target": p["target"], "edge": p["edge"], "drift": p["drift"],
             "counts": p["counts"], "pair_url": pair_url(live, p["source"], p["target"], api=True)}
            for p in story["pairs"]
        ]  # fmt: skip
        return JSONResponse(out)

    def _pair(story_id: str, a: str, b: str) -> tuple[str, dict[str, Any], dict[str, Any] | None, bool]:
        """(content key, story view, pair view or None, whether a/b are the other way round)."""
        key, story = service.story_keyed(service.resolve(story_id))
        for p in story["pairs"]:
            if (p["source"], p["target"]) == (a, b):
                return key, story, p, False
            if (p["source"], p["target"]) == (b, a):
                return key, story, p, True
        return key, story, None, False

    @app.get("/stories/{story_id}/pair", response_class=HTMLResponse, include_in_schema=False)
    async def pair_page(story_id: str, a: str, b: str) -> Response:
        html = service.cached_page("pair", story_id, a, b)
        if html is not None:
            return HTMLResponse(html)
        return await run_in_threadpool(pair_page_sync, story_id, a, b)

    def pair_page_sync(story_id: str, a: str, b: str) -> Response:
        key, story, pair, flipped = _pair(story_id, a, b)
        if pair is None:
            return page("error.html", 404, status=404, message=f"no pair {a!r} / {b!r} in story {story_id!r}")
        if flipped or story["id"] != story_id:
            return RedirectResponse(pair_url(story["id"], pair["source"], pair["target"]), status_code=307)
        html = service.rendered(
            ("pair", story_id, key, a, b),  # the same layout as cached_page("pair", story, a, b)
            lambda: render("pair.html", story=story, pair=pair, api_url=pair_url(story_id, a, b, api=True)),
        )
        return HTMLResponse(html)

    @app.get("/api/stories/{story_id}/pair", tags=["stories"])
    def pair_api(story_id: str, a: str, b: str) -> Response:
        """Two versions side by side: ``rows`` of aligned sentence indexes with their label
        (verbatim, near-verbatim, paraphrase, rewritten, added, dropped), the sentences of each side and the
        marked character spans ``[start, end, "drift"|"change", kind]``."""
        _, story, pair, flipped = _pair(story_id, a, b)
        if pair is None:
            return JSONResponse({"detail": f"no pair {a!r} / {b!r} in story {story_id!r}"}, status_code=404)
        return JSONResponse({**pair, "story": story["id"], "flipped": flipped})

    # -- articles -----------------------------------------------------------------------

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str) -> HTMLResponse:
        article = service.article(article_id)
        texts = [r["text"] for r in article["revisions"]]
        diff = ""
        if len(texts) > 1:
            diff = "".join(
                difflib.unified_diff(
                    texts[-2].splitlines(keepends=True), texts[-1].splitlines(keepends=True),
                    f"revision {len(texts) - 1}", f"revision {len(texts)}",
                )
            )  # fmt: skip
        return page("article.html", article=article, diff=diff)

    @app.get("/api/articles/{article_id:path}", response_model=ArticleOut, tags=["articles"])
    def article_api(article_id: str) -> dict[str, Any]:
        return service.article(article_id)

    @app.post("/api/articles", response_model=ArticleAdded, status_code=201, tags=["articles"])
    def add_article_api(article: ArticleIn) -> dict[str, Any]:
        """Ingest one article; it joins the story it duplicates, or starts a new one."""
        ident, story, summary = service.add_text(article.text, article.title, article.source, article.url)
        return {"article": ident, "story": story, "new": summary.new == 1, "url": story_url(story)}

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page() -> HTMLResponse:
        return page("add.html", error=None)

    @app.post("/add", include_in_schema=False)
    def add_submit(
        text: str = Form(""),
        title: str = Form(""),
        source: str = Form(""),
        url: str = Form(""),
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        uploads = [(f.filename or "upload.txt", f.file.read()) for f in files or [] if f.filename]
        if uploads:
            ids, summary = service.add_files(uploads)
            if not ids:
                return page("added.html", 400, message="no article could be read from the upload",
                            skipped=[str(s) for s in summary.skipped])  # fmt: skip
            story = service.store().story_of(ids[0])
        elif text.strip():
            _, story, _ = service.add_text(text, title, source, url)
        else:
            return page("add.html", 400, error="Paste a text or choose files to upload.")
        return RedirectResponse(story_url(story), status_code=303)

    return app


def serve(service: StoryService, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app with uvicorn (blocking)."""
    try:
        import uvicorn
    except ImportError as err:
        from ..errors import MissingDependencyError

        raise MissingDependencyError("uvicorn", "storytrace serve", 'pip install "storytrace[web]"') from err
    uvicorn.run(create_app(service), host=host, port=port, log_level="warning")
