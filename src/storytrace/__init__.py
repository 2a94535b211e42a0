"""storytrace: trace how a news story spreads and mutates across outlets."""

from __future__ import annotations

__version__ = "0.1.0"

from .config import Config  # noqa: E402
from .errors import (  # noqa: E402
    ConfigError,
    InputError,
    MissingDependencyError,
    NothingToAnalyzeError,
    StorytraceError,
)
from .pipeline import Pipeline, analyze  # noqa: E402

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
