"""The CI gate: storytrace's scores on the fast subset, pinned in a JSON file (``bench/baseline.json``).

A score below its pin by more than the tolerance fails the gate. ``update_baseline`` writes new
pins; it refuses to lower any pin unless a reason is given, and records every update (date,
commit, reason, changes) in the file's history, so a lowered pin is always explained.

File format::

    {"subset": "fast", "tolerance": 0.01,
     "pins": {"grouping": {"B3 F1": 0.98, "ARI": 0.97}, ...},
     "history": [{"date", "commit", "reason", "changes": ["grouping B3 F1 0.97 -> 0.98", ...]}]}
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .core import SuiteResult, machine

DEFAULT_TOLERANCE = 0.01


def load_baseline(path: str | Path) -> dict[str, Any]:
    p = Path(path)
    if not p.exists():
        return {"subset": "fast", "tolerance": DEFAULT_TOLERANCE, "pins": {}, "history": []}
    try:
        data: dict[str, Any] = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise ConfigError(f"baseline file {str(p)!r} is not valid JSON: {err}") from None
    if not isinstance(data.get("pins"), dict):
        raise ConfigError(f"baseline file {str(p)!r} has no 'pins' object")
    data.setdefault("tolerance", DEFAULT_TOLERANCE)
    data.setdefault("history", [])
    return data


def check_baseline(results: Sequence[SuiteResult], baseline: dict[str, Any]) -> list[str]:
    """Regressions: every pinned score of a suite that ran and fell below its pin by more than
    the tolerance, or that a suite which ran no longer reports."""
    tol = float(baseline.get("tolerance", DEFAULT_TOLERANCE))
    failures = []
    for r in results:
        pins = baseline["pins"].get(r.name, {})
        if r.unavailable:
            if pins:
                failures.append(f"{r.name}: pinned but not run ({r.unavailable})")
            continue
        for metric, pinned in pins.items():
            got = r.pinned.get(metric)
            if got is None:
                failures.append(f"{r.name} {metric}: pinned at {pinned:.3f} but not measured")
            elif got < float(pinned) - tol:
                failures.append(
                    f"{r.name} {metric}: {got:.3f} is below the pin {pinned:.3f} (tolerance {tol})"
                )
    return failures


def update_baseline(
    results: Sequence[SuiteResult], path: str | Path, reason: str | None
) -> tuple[dict[str, Any], list[str]]:
    """Pin the scores of the suites that ran. Lowering any pin needs ``reason``. Returns the new
    baseline and the changes made (also recorded in its history)."""
    baseline = load_baseline(path)
    pins: dict[str, dict[str, float]] = baseline["pins"]
    changes, lowered = [], []
    for r in results:
        if r.unavailable:
            continue
        old = pins.get(r.name, {})
        new = {k: round(float(v), 4) for k, v in r.pinned.items()}
        for metric, value in new.items():
            before = old.get(metric)
            if before is None or abs(before - value) > 1e-9:
                text = f"{r.name} {metric} {'unpinned' if before is None else f'{before:.4f}'} -> {value:.4f}"
                changes.append(text)
                if before is not None and value < before:
                    lowered.append(text)
        pins[r.name] = new
    if lowered and not (reason and reason.strip()):
        raise ConfigError(
            "refusing to lower pinned scores without a reason (--reason '...'): " + "; ".join(lowered)
        )
    if changes:
        info = machine()
        baseline["history"].append(
            {"date": info["date"], "commit": info["commit"], "reason": reason or "", "changes": changes}
        )
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return baseline, changes
