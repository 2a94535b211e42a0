"""storytrace: trace how a news story spreads and mutates across outlets."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .config import Config
from .errors import (
    ConfigError,
    InputError,
    MissingDependencyError,
    NothingToAnalyzeError,
    StorytraceError,
)
from .version import __version__

if TYPE_CHECKING:
    from .pipeline import Pipeline, analyze

__all__ = [
    "Config",
    "ConfigError",
    "InputError",
    "MissingDependencyError",
    "NothingToAnalyzeError",
    "Pipeline",
    "StorytraceError",
    "__version__",
    "analyze",
]


def __getattr__(name: str) -> Any:
    """``Pipeline`` and ``analyze`` load the analysis stages on first use, so that ``storytrace
    dedup`` and other corpus commands start without them."""
    if name in ("Pipeline", "analyze"):
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'storytrace' has no attribute {name!r}")
