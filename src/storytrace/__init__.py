"""storytrace: trace how a news story spreads and mutates across outlets."""

from __future__ import annotations

from .config import Config
from .errors import (
    ConfigError,
    InputError,
    MissingDependencyError,
    NothingToAnalyzeError,
    StorytraceError,
)
from .pipeline import Pipeline, analyze
from .version import __version__

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
