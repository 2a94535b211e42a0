"""The version of storytrace (written into report.json and the store)."""

from __future__ import annotations

__version__ = "0.1.0"
