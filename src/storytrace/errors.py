"""Exception hierarchy of storytrace.

Every error raised on purpose by the library derives from :class:`StorytraceError`, so a caller
(the CLI, the web app) can catch one class and show ``str(err)``, which always says what was
wrong, quoting the bad value, and what to do about it.

- :class:`ConfigError`: a configuration value or file is invalid.
- :class:`InputError`: an input path cannot be used at all (missing, unreadable directory).
  Problems with single files or lines are *not* raised: they become
  :class:`~storytrace.records.Skipped` records and the rest of the batch goes on.
- :class:`NothingToAnalyzeError`: every input was skipped; nothing could be analysed.
- :class:`MissingDependencyError`: an optional heavy dependency is not installed; the message
  gives the exact install line.
"""

from __future__ import annotations


class StorytraceError(Exception):
    """Base class of every error storytrace raises on purpose."""


class ConfigError(StorytraceError, ValueError):
    """A configuration value or configuration file is invalid."""


class InputError(StorytraceError):
    """An input path cannot be used at all."""


class NothingToAnalyzeError(StorytraceError):
    """Every input was skipped, so there is nothing to analyse."""

    def __init__(self, message: str, skipped: tuple[object, ...] = ()) -> None:
        super().__init__(message)
        self.skipped = skipped


class MissingDependencyError(StorytraceError, ImportError):
    """An optional dependency is missing; the message carries the install command."""

    def __init__(self, package: str, purpose: str, install: str | None = None) -> None:
        line = install or f"pip install {package}"
        super().__init__(
            f"{purpose} needs the package {package!r}, which is not installed. Install it with: {line}"
        )
        self.package = package
        self.install = line
