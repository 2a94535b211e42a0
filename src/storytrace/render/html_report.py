"""html_report: write ``report.html``, one self-contained file (inline CSS and SVG, no script and no
network; a Content-Security-Policy forbids both) that opens from disk.

Per story: the derivation graph as SVG (likely original at the top), the sources table, drift by
kind, facts, quotes, timeline, summary, and one side-by-side view per pair of versions, shown when
its edge is clicked (a ``#fragment`` link and the CSS ``:target`` rule). All article text goes
through Jinja2 autoescaping.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import MissingDependencyError
from ..records import DIFFERENCE_ORDER, Report
from .views import marked, report_views


@lru_cache(maxsize=1)
def environment() -> Any:
    """The Jinja2 environment over the package templates (autoescape on for every template)."""
    try:
        import jinja2
    except ImportError as err:  # pragma: no cover - jinja2 is a dependency (spacy needs it too)
        raise MissingDependencyError("jinja2", "the HTML report", "pip install jinja2") from err
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("storytrace.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["marked"] = marked
    env.globals["difference_order"] = DIFFERENCE_ORDER  # conflicts first, as the report orders drift
    return env


def prepare_story(view: dict[str, Any], anchor: str) -> dict[str, Any]:
    """Add the anchor and, on each graph edge, the index of its side-by-side view."""
    view = dict(view)
    view["anchor"] = anchor
    index = {(p["source"], p["target"]): i for i, p in enumerate(view["pairs"])}
    graph = dict(view["graph"])
    graph["edges"] = [{**e, "pair": index.get((e["source"], e["target"]), 0)} for e in graph["edges"]]
    view["graph"] = graph
    return view


def render_report(report: Report) -> str:
    stories = [prepare_story(v, f"s{i + 1}") for i, v in enumerate(report_views(report))]
    positions = {(s["anchor"], a["id"]): i for s in stories for i, a in enumerate(s["articles"])}

    def pair_href(story: dict[str, Any], index: int) -> str:
        return f"#{story['anchor']}-pair-{index}"

    def article_href(story: dict[str, Any], article: str) -> str:
        return f"#{story['anchor']}-article-{positions.get((story['anchor'], article), 0)}"

    template = environment().get_template("report.html")
    return str(
        template.render(
            stories=stories,
            version=report.version,
            n_articles=len(report.articles),
            skipped=[{"path": s.path, "line": s.line, "reason": s.reason} for s in report.skipped],
            pair_href=pair_href,
            article_href=article_href,
        )
    )


def write_html(report: Report, out_dir: str | Path) -> Path:
    """Write ``out_dir/report.html`` atomically."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "report.html"
    tmp = out / ".report.html.tmp"
    tmp.write_text(render_report(report), encoding="utf-8")
    tmp.replace(target)
    return target
