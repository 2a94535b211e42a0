"""api: the JSON API under ``/api`` (documented at ``/openapi.json`` and ``/docs``). It mirrors the
pages: the story list, a story's analysis, two versions side by side, an article with its
revisions, and adding an article through the same intake rules as every other path."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from .service import StoryService

PAGE_SIZE = 50


def story_url(story: str) -> str:
    return f"/stories/{quote(story, safe='')}"


def article_url(article: str) -> str:
    return f"/articles/{quote(article, safe='')}"


def pair_url(story: str, a: str, b: str, api: bool = False) -> str:
    return ("/api" if api else "") + f"{story_url(story)}/pair?" + urlencode({"a": a, "b": b})


class StoryItem(BaseModel):
    id: str
    title: str = Field(
        description="the headline of the story's likely original (or of its first titled article)"
    )
    articles: int
    sources: int = Field(description="distinct outlets (an article without one counts alone)")
    outlets: list[str]
    first_published: str | None
    last_published: str | None
    state: str = Field(description="ok (analysed), pending (waiting for analysis) or too-large")
    drift: int | None = Field(description="drift records found; null unless analysed")


class StoryList(BaseModel):
    total: int
    offset: int
    pending: int = Field(description="stories waiting for analysis: the has_drift filter does not count them")
    stories: list[StoryItem]


class Revision(BaseModel):
    revision: int
    title: str | None
    published: str | None
    ingested_at: str
    text: str


class RemovedPart(BaseModel):
    kind: str
    text: str
    reason: str


class ArticleOut(BaseModel):
    id: str
    revision: int
    title: str | None
    source: str | None
    url: str | None
    published: str | None = Field(
        description="publication time: from the data, the page's metadata or a dateline"
    )
    seen: str = Field(description="when the store first received the article (never its publication time)")
    headline: str
    outlet: str | None
    path: str | None
    line: int | None
    story: str | None
    state: str = Field(description="grouped, pending (waiting for grouping and analysis) or not analysable")
    reason: str | None
    removed: list[RemovedPart]
    revisions: list[Revision]


class ArticleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(None, description="your id (default: web- and a digest of title and text)")
    text: str | None = Field(None, description="the article text (or html)")
    html: str | None = Field(None, description="an HTML page; its main text is extracted")
    title: str | None = None
    source: str | None = Field(None, description="the outlet")
    url: str | None = None
    published: str | None = Field(None, description="ISO 8601 date or date-time")
    revise: bool = Field(False, description="an id already stored with other content becomes a new revision")


class ArticleAdded(BaseModel):
    article: str
    new: bool
    revised: bool
    state: str
    story: str | None
    url: str
    story_url: str | None


class Status(BaseModel):
    stage: str
    done: int
    total: int
    background: bool
    pending_stories: int
    pending_articles: int
    pending_grouping: bool = Field(description="prepared articles wait to be grouped")


def api_router(service: StoryService) -> APIRouter:
    router = APIRouter(prefix="/api")

    @router.get("/stories", response_model=StoryList, tags=["stories"])
    def stories_api(
        q: str = Query("", description="full-text search over titles and texts (every word must match)"),
        has_drift: str = Query(
            "", description="yes: analysed stories with drift; no: analysed without; empty: any"
        ),
        min_sources: int = Query(1, ge=1),
        since: str = Query("", description="ISO date: an article published on or after"),
        until: str = Query("", description="ISO date: an article published on or before"),
        offset: int = Query(0, ge=0),
        limit: int = Query(PAGE_SIZE, ge=1, le=500),
    ) -> dict[str, Any]:
        drift = {"yes": True, "true": True, "no": False, "false": False}.get(has_drift.lower())
        rows, total, pending = service.list_stories(
            query=q, has_drift=drift, min_sources=min_sources, since=since or None, until=until or None,
            offset=offset, limit=limit,
        )  # fmt: skip
        return {"total": total, "offset": offset, "pending": pending, "stories": rows}

    @router.get("/stories/{story_id}", tags=["stories"])
    def story_api(story_id: str) -> Response:
        """The story's state and analysis: articles, derivations, graph layout, drift, facts, quotes,
        timeline, summary; ``pairs`` lists the side-by-side views (rows at ``pair_url``)."""
        live = service.resolve(story_id)
        if live != story_id:
            return RedirectResponse(f"/api{story_url(live)}", status_code=308)
        page = service.story(live)
        out: dict[str, Any] = {"id": live, "state": page.state, "message": page.message, "title": page.title,
                               "members": page.members}  # fmt: skip
        if page.view is not None:
            out.update({k: v for k, v in page.view.items() if k not in ("pairs", "anchor", "id", "title")})
            out["pairs"] = [
                {"source": p["source"], "target": p["target"], "edge": p["edge"], "drift": p["drift"],
                 "counts": p["counts"], "pair_url": pair_url(live, p["source"], p["target"], api=True)}
                for p in page.view["pairs"]
            ]  # fmt: skip
        return JSONResponse(out)

    @router.get("/stories/{story_id}/pair", tags=["stories"])
    def pair_api(story_id: str, a: str, b: str) -> Response:
        """Two versions side by side: ``rows`` of aligned sentence indexes with their label
        (verbatim, near-verbatim, paraphrase, rewritten, added, dropped), the sentences of each side and the
        marked character spans ``[start, end, "drift"|"change", kind]``."""
        page = service.story(service.resolve(story_id))
        for p in (page.view or {}).get("pairs", []):
            if (p["source"], p["target"]) in ((a, b), (b, a)):
                return JSONResponse({**p, "story": page.id, "flipped": (p["source"], p["target"]) == (b, a)})
        return JSONResponse({"detail": f"no pair {a!r} / {b!r} in story {story_id!r}"}, status_code=404)

    @router.get("/revisions", tags=["articles"])
    def revisions_api(
        article: str,
        a: int = Query(..., ge=1, description="the older revision (1 = first)"),
        b: int = Query(..., ge=1, description="the newer revision"),
    ) -> Response:
        """What changed between two revisions of an article: ``changes`` (added, removed and
        reworded sentences, with how they were reworded), ``drift`` (facts that changed) and the
        number of ``unchanged`` sentences."""
        diff = service.compare_revisions(article, a, b)
        if diff is None:
            n = len(service.article(article)["revisions"])
            return JSONResponse(
                {"detail": f"article {article!r} has revisions 1 to {n}; a and b must be two different ones"},
                status_code=400,
            )
        return JSONResponse({
            "article": article, "a": a, "b": b, "unchanged": diff.unchanged, "counts": diff.counts,
            "changes": [{"kind": c.kind, "label": c.label, "before": c.before, "after": c.after} for c in diff.changes],
            "drift": [{"kind": d.kind, "before": d.before, "after": d.after, "source_sentence": d.source_sentence,
                       "target_sentence": d.target_sentence, "difference": d.difference} for d in diff.drift],
        })  # fmt: skip

    @router.get("/articles/{article_id:path}", response_model=ArticleOut, tags=["articles"])
    def article_api(article_id: str) -> dict[str, Any]:
        return service.article(article_id)

    @router.post("/articles", response_model=ArticleAdded, status_code=201, tags=["articles"])
    def add_article_api(
        article: ArticleIn,
        request: Request,
        wait: float = Query(0, ge=0, le=600, description="seconds to wait for the article to be grouped"),
    ) -> Response:
        """Add one article (the same checks as every intake: size, binary data, NUL bytes, no words,
        the date). An id already stored with other content is refused (409) unless ``revise``."""
        if not request.headers.get("content-type", "").startswith("application/json"):
            return JSONResponse({"detail": "send the article as application/json"}, status_code=415)
        fields = article.model_dump(exclude={"revise"})
        item, summary = service.add_fields(fields, "api", "revise" if article.revise else "refuse")
        if summary.refused:
            return JSONResponse({"detail": summary.refused[0].reason}, status_code=409)
        if item is None:
            reason = summary.skipped[0].reason if summary.skipped else "the article was not stored"
            return JSONResponse({"detail": reason}, status_code=413 if "max_file_bytes" in reason else 400)
        deadline = time.monotonic() + wait
        record = service.article(item.id)
        while record["state"] == "pending" and time.monotonic() < deadline:
            time.sleep(0.2)
            record = service.article(item.id)
        story = record["story"]
        body = {"article": item.id, "new": summary.new == 1, "revised": summary.revised == 1,
                "state": record["state"], "story": story, "url": article_url(item.id),
                "story_url": story_url(str(story)) if story else None}  # fmt: skip
        return JSONResponse(body, status_code=201 if summary.stored else 200)

    @router.get("/status", response_model=Status, tags=["store"])
    def status_api() -> dict[str, Any]:
        """The background analysis: its current stage and what waits for it."""
        state = service.status()
        return {k: state.get(k, 0) for k in Status.model_fields} | {"stage": str(state.get("stage", "idle"))}

    return router
