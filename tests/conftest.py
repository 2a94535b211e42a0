"""Shared fixtures: the example corpus, ../shared, and reports computed once per session
(the sentence-embedding model loads once per test session)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from storytrace import analyze
from storytrace.records import Report

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "news"
#: ../shared beside the repository (STORYTRACE_SHARED points elsewhere, e.g. from a git worktree)
SHARED = Path(os.environ.get("STORYTRACE_SHARED") or ROOT.parent / "shared")
SEEDS = SHARED / "seeds"
TRUTH = Path(__file__).parent / "fixtures" / "example_truth.json"

S000 = "000_48c82d9fa84bf12b"
S001 = "001_af60520f71ff48c9"
S002 = "002_24a45464d321b182"
S003 = "003_14e98fc3686cf210"
S004 = "004_fdf5bc142029436b"


def needs_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(
            f"{path} is absent: ../shared (the data shipped beside the repository) is not checked out here"
        )


@pytest.fixture(scope="session")
def truth() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TRUTH.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def example_report() -> Report:
    return analyze([EXAMPLES])


@pytest.fixture(scope="session")
def seeds_report() -> Report:
    needs_shared(SEEDS)
    return analyze([SEEDS])


def story_of(report: Report, article_id: str) -> Any:
    return next(s for s in report.stories if article_id in s.articles)


def removed_of(report: Report, article_id: str) -> list[Any]:
    return list(next(a for a in report.articles if a.id == article_id).removed)


@pytest.fixture(scope="session")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the example corpus, grouped and analysed; copy it before writing to it."""
    from storytrace.corpus.ingest import ingest

    db = tmp_path_factory.mktemp("store") / "example.db"
    ingest([EXAMPLES], db)
    return db
