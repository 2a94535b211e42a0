"""The evaluation harness behind ``storytrace eval``: storytrace's scores on public data sets next
to the baselines a user would otherwise pick, thresholds tuned on one half and scored on the other.

>>> sorted(SUITES)
['crosslingual', 'direction', 'drift', 'drift-real', 'grouping', 'paraphrase', 'reuse', 'seeds']

Suites: :mod:`.grouping` (ECB+), :mod:`.paraphrase` (MRPC), :mod:`.reuse` (short-answer reuse),
:mod:`.direction` (Wikipedia revisions), :mod:`.seeds` (checklist), :mod:`.drift` (planted edits),
:mod:`.crosslingual` (SemEval-2022 Task 8 multilingual article pairs), :mod:`.drift_real` (hand-labelled
drift flags on real articles).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ConfigError
from . import crosslingual, direction, drift, drift_real, grouping, paraphrase, reuse, seeds
from .baseline import check_baseline, load_baseline, update_baseline
from .core import Context, Row, SuiteResult, document, section, table

#: suites in report order
SUITES: dict[str, Callable[[Context], SuiteResult]] = {
    grouping.NAME: grouping.run,
    paraphrase.NAME: paraphrase.run,
    reuse.NAME: reuse.run,
    direction.NAME: direction.run,
    seeds.NAME: seeds.run,
    drift.NAME: drift.run,
    crosslingual.NAME: crosslingual.run,
    drift_real.NAME: drift_real.run,
}

__all__ = [
    "SUITES",
    "Context",
    "Row",
    "SuiteResult",
    "check_baseline",
    "document",
    "load_baseline",
    "run_suites",
    "section",
    "table",
    "update_baseline",
    "write_document",
]


def run_suites(names: Sequence[str], ctx: Context) -> list[SuiteResult]:
    """Run the named suites (all when empty) in report order, in this process."""
    unknown = [n for n in names if n not in SUITES]
    if unknown:
        raise ConfigError(f"unknown suite(s) {', '.join(map(repr, unknown))}; known: {', '.join(SUITES)}")
    chosen = [n for n in SUITES if not names or n in names]
    results = []
    for name in chosen:
        ctx.log(f"running suite {name}")
        result = SUITES[name](ctx)
        ctx.log(f"suite {name}: " + (result.unavailable or f"{result.seconds:.1f} s"))
        results.append(result)
    return results


def write_document(results: Sequence[SuiteResult], path: str | Path, fast: bool) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(document(list(results), fast), encoding="utf-8")
    return out
