"""The web app: ``storytrace serve --db FILE`` (FastAPI; the ``web`` extra).

Pages: the story list (search, filters; headline, outlets and publication dates), a story
(derivation graph with its table of edges, sources, drift, facts, quotes, timeline, summary, the
versions side by side), an article (metadata, what cleaning removed, marked in its text, and its
revisions), a form to paste or upload articles, the state of the background analysis, and the API
reference (``/docs``, made from ``/openapi.json``). The JSON API lives in :mod:`.api`.

Stories are analysed when stored, never when viewed: a page reads the stored analysis (and is
cached in memory under its key), so a first view costs what a cached one does. A story whose
articles changed shows its previous analysis (or its articles) as *pending* until the background
worker is done. Every error is an HTML page for the pages and JSON for the API, without the
store's location; every HTML page is sent with a Content-Security-Policy that allows no script.
"""

from __future__ import annotations

import contextlib
import difflib
import logging
from collections.abc import AsyncIterator
from functools import partial
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import FastAPI, File, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException

from ..corpus.store import OnConflict
from ..errors import InputError, StorytraceError
from ..render.html_report import environment, prepare_story
from ..version import __version__
from .api import PAGE_SIZE, api_router, article_url, pair_url, story_url
from .docs import reference
from .pages import SHOWN_CHARS, article_paragraphs
from .security import (
    CSRF_FIELD,
    BodyLimit,
    BodyTooLarge,
    CsrfError,
    SecurityHeaders,
    check_csrf,
    csrf_token,
    set_csrf_cookie,
)
from .service import StoryService

log = logging.getLogger(__name__)
#: bytes a request may carry beyond max_file_bytes (form fields, multipart boundaries)
FORM_OVERHEAD = 1_000_000


def create_app(service: StoryService) -> FastAPI:
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        for name in (
            "stories.html",
            "story.html",
            "story_state.html",
            "pair.html",
            "article.html",
            "error.html",
        ):
            env.get_template(f"web/{name}")  # compiled now: a first view costs what a cached one does
        service.start()
        try:
            yield
        finally:
            service.stop()

    app = FastAPI(
        title="storytrace",
        version=__version__,
        description="Stories in a storytrace store: search, derivation graphs, versions side by side, drift.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
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
        return HTMLResponse(render(name, **context), status_code=code)

    def error(request: Request, status: int, message: str) -> Response:
        message = service.hide_paths(message)
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": message}, status_code=status)
        return page("error.html", status, status=status, message=message)

    def too_large(scope: Any, limit: int) -> Response:
        message = f"the request is larger than {limit:,} bytes: upload files of at most max_file_bytes"
        if str(scope.get("path", "")).startswith("/api/"):
            return JSONResponse({"detail": message}, status_code=413)
        return page("error.html", 413, status=413, message=message)

    app.add_middleware(BodyLimit, limit=service.config.max_file_bytes + FORM_OVERHEAD, refuse=too_large)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StorytraceError)
    async def storytrace_error(request: Request, err: StorytraceError) -> Response:
        status = 404 if isinstance(err, InputError) and str(err).startswith("no ") else 400
        return error(request, status, str(err))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, err: HTTPException) -> Response:
        message = {
            404: f"no page at {request.url.path}",
            405: "this address does not take that kind of request",
        }
        return error(request, err.status_code, message.get(err.status_code, str(err.detail)))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, err: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg', 'invalid')}"
            for e in err.errors()
        )
        if request.url.path.startswith("/api/"):
            kind = request.headers.get("content-type", "")
            if request.method == "POST" and not kind.startswith("application/json"):
                return JSONResponse({"detail": "send the article as application/json"}, status_code=415)
            return JSONResponse({"detail": problems, "errors": jsonable(err.errors())}, status_code=422)
        return error(request, 400, f"invalid request: {problems}")

    @app.exception_handler(BodyTooLarge)
    async def body_too_large(request: Request, err: BodyTooLarge) -> Response:
        return too_large({"path": request.url.path}, err.limit)

    @app.exception_handler(CsrfError)
    async def csrf_error(request: Request, err: CsrfError) -> Response:
        return error(request, 403, str(err))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, err: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error(request, 500, "internal error: the server could not answer this request (see its log)")

    app.include_router(api_router(service))

    # -- stories ------------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(
        q: str = "",
        has_drift: str = "",
        min_sources: int = Query(1, ge=1),
        since: str = "",
        until: str = "",
        offset: int = Query(0, ge=0),
    ) -> HTMLResponse:
        drift = {"yes": True, "true": True, "no": False, "false": False}.get(has_drift.lower())
        rows, total, pending = service.list_stories(
            query=q, has_drift=drift, min_sources=min_sources, since=since or None, until=until or None,
            offset=offset, limit=PAGE_SIZE,
        )  # fmt: skip
        params = {"q": q, "has_drift": has_drift, "min_sources": min_sources, "since": since, "until": until}

        def url(at: int) -> str:
            return "/?" + urlencode({**params, "offset": at})

        n_articles, n_stories = service.store().counts()
        return page(
            "stories.html", stories=rows, total=total, q=q, has_drift=has_drift, min_sources=min_sources,
            since=since, until=until, n_articles=n_articles, n_stories=n_stories, pending=pending,
            prev_url=url(max(0, offset - PAGE_SIZE)) if offset else None,
            next_url=url(offset + PAGE_SIZE) if offset + PAGE_SIZE < total else None,
        )  # fmt: skip

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str) -> Response:
        return await run_in_threadpool(story_page_sync, story_id)

    def story_page_sync(story_id: str) -> Response:
        live = service.resolve(story_id)
        if live != story_id:
            return RedirectResponse(story_url(live), status_code=308)
        data = service.story(live)
        if data.state == "ok" and data.view is not None:
            view = data.view
            html = service.rendered(
                ("story", live, data.key), lambda: render("story.html", story=prepare_story(view, "g"))
            )
            return HTMLResponse(html)
        story = prepare_story(data.view, "g") if data.view is not None else None
        return page("story_state.html", data=data, story=story)

    @app.get("/stories/{story_id}/pair", response_class=HTMLResponse, include_in_schema=False)
    async def pair_page(story_id: str, a: str, b: str) -> Response:
        return await run_in_threadpool(pair_page_sync, story_id, a, b)

    def render_pair(story: dict[str, Any], pair: dict[str, Any]) -> str:
        api = pair_url(story["id"], pair["source"], pair["target"], api=True)
        return render("pair.html", story=story, pair=pair, api_url=api)

    def pair_page_sync(story_id: str, a: str, b: str) -> Response:
        live = service.resolve(story_id)
        data = service.story(live)
        view = data.view or {"pairs": []}
        for p in view["pairs"]:
            if (p["source"], p["target"]) == (b, a) or (
                live != story_id and (p["source"], p["target"]) == (a, b)
            ):
                return RedirectResponse(pair_url(live, p["source"], p["target"]), status_code=307)
            if (p["source"], p["target"]) == (a, b):
                return HTMLResponse(
                    service.rendered(("pair", live, data.key, a, b), partial(render_pair, view, p))
                )
        state = "" if data.state == "ok" else " (the story is being analysed; try again in a moment)"
        return page(
            "error.html", 404, status=404, message=f"no pair {a!r} / {b!r} in story {story_id!r}{state}"
        )

    # -- articles -----------------------------------------------------------------------

    @app.get("/articles/{article_id:path}", response_class=HTMLResponse, include_in_schema=False)
    def article_page(article_id: str, a: int | None = None, b: int | None = None) -> HTMLResponse:
        article = service.article(article_id)
        texts = [r["text"] for r in article["revisions"]]
        n = len(texts)
        old, new = (a or max(1, n - 1)), (b or n)
        if n > 1 and not (1 <= old <= n and 1 <= new <= n and old != new):
            raise InputError(f"article {article_id!r} has revisions 1 to {n}; choose two different ones")
        diff, changes = "", None
        if n > 1 and max(len(texts[old - 1]), len(texts[new - 1])) <= service.config.max_article_chars:
            diff = "".join(
                difflib.unified_diff(
                    texts[old - 1].splitlines(keepends=True), texts[new - 1].splitlines(keepends=True),
                    f"revision {old}", f"revision {new}",
                )
            )  # fmt: skip
            changes = service.compare_revisions(article_id, old, new)
        body, leftover = article_paragraphs(texts[-1], article["removed"])
        for r in article["revisions"]:
            r["length"] = len(r["text"])
            r["text"] = r["text"][:SHOWN_CHARS]
        return page(
            "article.html", article=article, diff=diff, body=body, leftover=leftover, changes=changes, old=old, new=new
        )

    # -- adding articles ----------------------------------------------------------------

    @app.get("/add", response_class=HTMLResponse, include_in_schema=False)
    def add_page(request: Request) -> HTMLResponse:
        token, new = csrf_token(request)
        response = page("add.html", error=None, csrf=token, csrf_field=CSRF_FIELD)
        if new:
            set_csrf_cookie(response, token)
        return response

    @app.post("/add", include_in_schema=False)
    def add_submit(
        request: Request,
        csrf: str = Form(""),
        text: str = Form(""),
        ident: str = Form("", alias="id"),
        title: str = Form(""),
        source: str = Form(""),
        url: str = Form(""),
        published: str = Form(""),
        revise: str = Form(""),
        files: Annotated[list[UploadFile] | None, File()] = None,
    ) -> Response:
        check_csrf(request, csrf)
        on_conflict: OnConflict = "revise" if revise else "refuse"
        token, _ = csrf_token(request)
        uploads = [(f.filename or "upload.txt", f.file.read()) for f in files or [] if f.filename]
        if uploads:
            summary = service.add_uploads(uploads, on_conflict)
        elif text.strip():
            fields = {
                "id": ident,
                "text": text,
                "title": title,
                "source": source,
                "url": url,
                "published": published,
            }
            item, summary = service.add_fields(fields, "pasted text", on_conflict)
            if item is not None and not summary.refused:
                return RedirectResponse(article_url(item.id), status_code=303)
        else:
            return page(
                "add.html",
                400,
                error="Paste a text or choose files to upload.",
                csrf=token,
                csrf_field=CSRF_FIELD,
            )
        stored = [service.article(i) for i in summary.stored]
        status = 200 if stored or summary.unchanged else (409 if summary.refused else 400)
        return page("added.html", status, summary=summary, stored=stored)

    # -- the rest -----------------------------------------------------------------------

    @app.get("/status", response_class=HTMLResponse, include_in_schema=False)
    def status_page() -> HTMLResponse:
        return page("status.html", status=service.status())

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return page("docs.html", operations=reference(app.openapi()), version=__version__)

    return app


def jsonable(value: Any) -> Any:
    """Validation errors as plain JSON (their ``ctx`` may hold exceptions)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)


def serve(service: StoryService, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the web app with uvicorn (blocking) until SIGTERM or Ctrl-C; the background worker stops
    with it."""
    try:
        import uvicorn
    except ImportError as err:
        from ..errors import MissingDependencyError

        raise MissingDependencyError("uvicorn", "storytrace serve", 'pip install "storytrace[web]"') from err
    config = uvicorn.Config(
        create_app(service), host=host, port=port, log_level="warning", timeout_graceful_shutdown=5
    )
    uvicorn.Server(config).run()
