"""Golden report.json outputs: the example corpus in full, the seeds (not ours to copy) as a digest
plus a text-free outline. Regenerate with ``python -m tests.golden`` after a change that is meant to
alter report.json, and review the diff of tests/fixtures/golden/ like code (``--ecbplus`` also
rewrites the ECB+ outline, a few minutes)."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "fixtures" / "golden"
EXAMPLE_JSON = GOLDEN / "example_report.json"
SEEDS_JSON = GOLDEN / "seeds_outline.json"
#: the 772 ECB+ articles (../shared/data/ecbplus/articles.jsonl): ids, stories, edges, drift kinds
ECBPLUS_JSON = GOLDEN / "ecbplus_outline.json"
ECBPLUS = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"


def normalised(report: dict[str, Any]) -> dict[str, Any]:
    """report.json without the version field (the one field allowed to differ)."""
    return {k: v for k, v in report.items() if k != "storytrace"}


def digest(report: dict[str, Any]) -> str:
    text = json.dumps(normalised(report), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def outline(report: dict[str, Any]) -> dict[str, Any]:
    """Ids, stories, origins, derivation edges and drift kinds: no article text."""
    return {
        "sha256": digest(report),
        "articles": [a["id"] for a in report["articles"]],
        "stories": [
            {
                "id": s["id"],
                "articles": s["articles"],
                "origin": s["origin"],
                "derivations": [[d["source"], d["target"], d["relation"]] for d in s["derivations"]],
                "drift": [[x["source"], x["target"], x["kind"]] for x in s["drift"]],
            }
            for s in report["stories"]
        ],
    }


def report_dict(paths: list[Path]) -> dict[str, Any]:
    from storytrace import analyze
    from storytrace.render.report import to_json

    return json.loads(json.dumps(to_json(analyze(paths))))


def main() -> int:
    GOLDEN.mkdir(parents=True, exist_ok=True)
    example = normalised(report_dict([ROOT / "examples" / "news"]))
    EXAMPLE_JSON.write_text(json.dumps(example, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    seeds = Path(os.environ.get("STORYTRACE_SHARED") or ROOT.parent / "shared") / "seeds"
    if seeds.exists():
        SEEDS_JSON.write_text(json.dumps(outline(report_dict([seeds])), indent=1) + "\n", encoding="utf-8")
    if ECBPLUS.exists() and "--ecbplus" in sys.argv:  # a few minutes: only when asked
        ECBPLUS_JSON.write_text(json.dumps(outline(report_dict([ECBPLUS])), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {ECBPLUS_JSON}")
    print(f"wrote {EXAMPLE_JSON}" + (f" and {SEEDS_JSON}" if seeds.exists() else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
