"""Suite 5, the seeds checklist: the findings the foundation issue requires on ``../shared/seeds``
(five real articles about one event: an agency original, a trimmed copy, a machine
re-translation, and a second agency's report with its copy), scored item by item.

Drift findings on the seeds (issue 3) join the checklist when ``storytrace.story.drift`` exists and
exposes ``seeds_checklist(report) -> list[tuple[str, bool]]``.
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable

from ..pipeline import Pipeline
from ..records import Report, Story
from .core import Context, Row, SuiteResult

NAME = "seeds"
TITLE = "5. Seeds checklist"

S000 = "000_48c82d9fa84bf12b"
S001 = "001_af60520f71ff48c9"
S002 = "002_24a45464d321b182"
S003 = "003_14e98fc3686cf210"
S004 = "004_fdf5bc142029436b"
AGENCY_A = {S000, S003, S004}
AGENCY_B = {S001, S002}


def _story(report: Report) -> Story | None:
    return next((s for s in report.stories if S000 in s.articles), None)


def _edges(report: Report) -> dict[tuple[str, str], list[str]]:
    story = _story(report)
    return {(d.source, d.target): list(d.evidence) for d in story.derivations} if story else {}


def _removed(report: Report, article: str) -> list[tuple[str, str]]:
    art = next((a for a in report.articles if a.id == article), None)
    return [(r.kind, r.text) for r in art.removed] if art else []


def checklist(report: Report) -> list[tuple[str, bool]]:
    """(finding, found?) for every finding required on the seeds."""
    story = _story(report)
    edges = _edges(report)
    multi = [s for s in report.stories if len(s.articles) > 1]
    fam = next((f for f in story.families if S000 in f), ()) if story else ()
    across = [e for e in edges if set(e) & AGENCY_A and set(e) & AGENCY_B]
    removed0 = _removed(report, S000)
    removed1 = dict((t, k) for k, t in _removed(report, S001))
    text1 = next((a.text for a in report.articles if a.id == S001), "")
    items: list[tuple[str, Callable[[], bool]]] = [
        (
            "the five seeds form one story, and the only multi-article one",
            lambda: len(multi) == 1 and set(multi[0].articles) == AGENCY_A | AGENCY_B,
        ),
        ("000 is the likely original", lambda: story is not None and story.origin == S000),
        ("000, 003 and 004 form one family", lambda: set(fam) == AGENCY_A),
        ("003 derives from 000", lambda: (S000, S003) in edges),
        ("004 derives from 000", lambda: (S000, S004) in edges),
        (
            "001 and 002 are linked (the second agency's report and its copy)",
            lambda: (S001, S002) in edges or (S002, S001) in edges,
        ),
        ("no derivation edge between the two agencies", lambda: not across),
        (
            "003 is shown to be contained in 000",
            lambda: any(f"{S003} is contained in {S000}" in e for e in edges.get((S000, S003), [])),
        ),
        (
            "004 is caught deviating from the other versions (re-translation)",
            lambda: any("deviates" in e for e in edges.get((S000, S004), [])),
        ),
        (
            "every edge carries evidence and a confidence in (0, 1]",
            lambda: (
                story is not None
                and bool(story.derivations)
                and all(d.evidence and 0 < d.confidence <= 1 for d in story.derivations)
            ),
        ),
        (
            "000: the two pasted reader comments are removed as comments",
            lambda: sum(1 for k, t in removed0 if k == "comment" and t.startswith("Comment:")) == 2,
        ),
        (
            "000: the photo credit is removed",
            lambda: any(
                k in ("caption", "credit") and t.startswith("© KCNA via REUTERS") for k, t in removed0
            ),
        ),
        ("000: nothing else is removed", lambda: len(removed0) == 3),
        (
            "001: site furniture is removed (read mode, font size, read time, trending, newsletter)",
            lambda: (
                all(
                    line in removed1
                    for line in ("Read Mode", "100% Font Size", "5 min read", "Top Content Trending")
                )
                and any("Google News channel" in t for t in removed1)
            ),
        ),
        (
            "001: the 'Read more:' block and its three headlines are removed as related links",
            lambda: (
                removed1.get("Read more:") == "related"
                and sum(1 for t, k in removed1.items() if k == "related" and t != "Read more:") == 3
            ),
        ),
        ("001: the body text is kept", lambda: "John Kirby" in text1 and "Font Size" not in text1),
    ]
    return [(label, bool(check())) for label, check in items]


def drift_checklist(report: Report) -> list[tuple[str, bool]] | None:
    """Drift findings on the seeds, when the drift module provides them."""
    if importlib.util.find_spec("storytrace.story.drift") is None:
        return None
    module = importlib.import_module("storytrace.story.drift")
    fn = getattr(module, "seeds_checklist", None)
    if fn is None:
        return None
    return [(str(label), bool(ok)) for label, ok in fn(report)]


def run(ctx: Context) -> SuiteResult:
    start = time.perf_counter()
    if not ctx.seeds.is_dir():
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"{ctx.seeds} is absent")
    report = Pipeline(config=ctx.config, embedder=ctx.embedder).analyze_paths([ctx.seeds])
    items = checklist(report)
    notes: list[str] = []
    drift = drift_checklist(report)
    if drift is None:
        notes.append("Drift findings on the seeds: not in the checklist yet (drift suite not available yet).")
    else:
        items += [(f"drift: {label}", ok) for label, ok in drift]
    rows = [Row(label, {"found": 1.0 if ok else 0.0}) for label, ok in items]
    share = sum(ok for _, ok in items) / len(items)
    rows.append(Row("**share of findings found**", {"found": share}))
    return SuiteResult(
        NAME,
        TITLE,
        f"`storytrace analyze ../shared/seeds`, {len(items)} required findings, each 1 (found) or 0.",
        ("found",),
        tuple(rows),
        pinned={"found": share},
        targets={"found": 1.0},
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
    )
