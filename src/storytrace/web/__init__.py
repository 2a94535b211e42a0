"""The storytrace web app over a store (``storytrace serve --db FILE``); needs the ``web`` extra."""

from __future__ import annotations

from .service import StoryService

__all__ = ["StoryService", "create_app", "serve"]


def __getattr__(name: str) -> object:
    if name in ("create_app", "serve"):  # FastAPI loads only when the app is wanted
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
