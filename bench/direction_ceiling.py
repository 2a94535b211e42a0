"""How far can pair-by-pair text cues go on the direction of Wikipedia revisions?

The direction suite (``storytrace eval direction``) scores storytrace's lineage on consecutive
revisions ``(k, k+1)`` of a page, given the pair alone: 0.755 on the scored half, against a
target of 0.90. This script asks whether a model *learned* from the tuning half does better than
lineage's hand-set cues. It never reads the scored half (pages at even positions).

For every pair of revisions ``(a, b)`` of a tuning page it computes antisymmetric features
(positive: ``b`` looks later), from a word-level diff of the two texts:

- ``growth``: relative length change, squashed (``tanh(change / 0.1)``);
- ``latest year``: sign of the difference between the latest years mentioned;
- ``year updates``: diff replacements whose year went up minus those whose year went down;
- ``spelling``: misspellings corrected by ``b`` minus those corrected by ``a`` (lexicon of
  :mod:`storytrace.text.edits`);
- ``era markers``: presence in ``b`` minus presence in ``a`` of ten markers of MediaWiki's
  eras (interlanguage links and raw HTML in early pages; image ``thumb |``, ``NNNpx``, ``[[``,
  ISBNs, "retrieved", "references", external ``http:`` links and dashes in later ones).

A logistic regression (``storytrace.story.meaning.fit_paraphrase_model``, fitted on both orders of
every pair, so it is antisymmetric) is scored by 5-fold cross-validation over pages on the
consecutive pairs. A pair the cues cannot tell apart (identical revisions, or no cue at all)
counts as half right, for every row. Identical consecutive revisions cap any method.

Usage: .venv/bin/python bench/direction_ceiling.py [--data ../shared/data]
Measured (2026-11-23, 694 consecutive pairs of 145 tuning pages, 12 s): longer is later 0.769;
the four cues learned 0.782; with the era markers 0.784; ceiling (identical pairs) 0.962. A bag of
the words and punctuation pairs found in one revision only (20,000+ features, scikit-learn, not in
this script) did no better (0.72-0.74 with ties counted wrong, against 0.74 for the four cues).
Pair by pair, text cues stop near 0.78: the 0.90 target needs evidence beyond the two texts.
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import math
import re
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from rapidfuzz.distance import Levenshtein

from storytrace.evaluation.direction import pages, split_pages
from storytrace.story.meaning import fit_paraphrase_model
from storytrace.text.edits import lexicon

ROOT = Path(__file__).resolve().parents[1]
FOLDS = 5
_TOKEN = re.compile(r"\w+|[^\w\s]")
_YEAR = re.compile(r"^(1[5-9]\d\d|20\d\d)$")
_WORD = re.compile(r"^[a-z]+$")
ERA_MARKERS = {
    "interlanguage links": r"(?:^|\s)(?:de|fr|nl|pl|ja|sv|da|es|it|pt|zh|ru|fi|no|he|eo|ko|cs|hu|ro|tr|uk) ?: ?\S",
    "raw HTML": r"<\s*/?\s*(?:p|td|tr|br|table|div|b|i|center|font|small|sup|sub|li|ul)\b",
    "thumb |": r"\bthumb\s*\|",
    "NNNpx": r"\d+px",
    "isbn": r"\bisbn\b",
    "retrieved": r"\bretrieved\b",
    "[[": r"\[\s*\[|\]\s*\]",
    "http:": r"http\s*:",
    "dashes": r"[–—]",
    "references": r"\breferences\b",
}
_ERA = [re.compile(v) for v in ERA_MARKERS.values()]
HAND = ("growth", "latest year", "year updates", "spelling")


def _years(tokens: list[str]) -> list[int]:
    return [int(t) for t in tokens if _YEAR.match(t)]


def hand_cues(a: str, b: str, known: frozenset[str]) -> list[float]:
    """The four diff cues of the module docstring (positive: ``b`` is the later)."""
    ta, tb = _TOKEN.findall(a), _TOKEN.findall(b)
    growth = math.tanh(((len(b) - len(a)) / max(len(a), len(b), 1)) / 0.1)
    ya, yb = _years(ta), _years(tb)
    latest = float(np.sign(max(yb) - max(ya))) if ya and yb else 0.0
    counts = Counter(ta) + Counter(tb)
    up = down = fixed_by_b = fixed_by_a = 0
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if op != "replace":
            continue
        y1, y2 = _years(ta[i1:i2]), _years(tb[j1:j2])
        if y1 and y2 and max(y1) != max(y2):
            up, down = (up + 1, down) if max(y2) > max(y1) else (up, down + 1)
        if i2 - i1 > 3 or j2 - j1 > 3:
            continue
        for x, y in itertools.product(ta[i1:i2], tb[j1:j2]):
            if not (_WORD.match(x) and _WORD.match(y)) or min(len(x), len(y)) < 4:
                continue
            if Levenshtein.distance(x, y) > 2 or x.startswith(y) or y.startswith(x):
                continue
            kx, ky = x in known or counts[x] > 1, y in known or counts[y] > 1
            fixed_by_b += ky and not kx
            fixed_by_a += kx and not ky
    return [growth, latest, math.tanh((up - down) / 2), math.tanh(fixed_by_b - fixed_by_a)]


def era(text: str) -> np.ndarray:
    return np.array([1.0 if rx.search(text) else 0.0 for rx in _ERA])


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = ap.parse_args()
    root = args.data / "versions"
    if not root.is_dir():
        print(f"{root} is absent: point --data at the shared data folder", file=sys.stderr)
        return 0
    all_pages = pages(root)
    tuning, _ = split_pages(all_pages, fast=False)  # the scored half is never read
    known = frozenset(lexicon())
    rows: list[tuple[int, bool, np.ndarray]] = []  # (page, consecutive, features)
    identical = 0
    for k in tuning:
        texts = [f.read_text(encoding="utf-8", errors="replace") for f in all_pages[k][1]]
        eras = [era(t) for t in texts]
        identical += sum(x == y for x, y in itertools.pairwise(texts))
        for i, j in itertools.combinations(range(len(texts)), 2):
            features = np.concatenate([hand_cues(texts[i], texts[j], known), eras[j] - eras[i]])
            rows.append((k, j == i + 1, features))
    consecutive = [r for r in rows if r[1]]
    n = len(consecutive)
    longer = float(np.mean([1.0 if r[2][0] > 0 else 0.5 if r[2][0] == 0 else 0.0 for r in consecutive]))

    def cross_validated(columns: slice) -> float:
        right = 0.0
        for fold in range(FOLDS):
            held = set(tuning[fold::FOLDS])
            x = np.array([r[2][columns] for r in rows if r[0] not in held])
            model = fit_paraphrase_model(np.vstack([x, -x]), np.r_[np.ones(len(x)), np.zeros(len(x))] > 0)
            test = np.array([r[2][columns] for r in consecutive if r[0] in held])
            # antisymmetric score: the pair read both ways (the bias cancels); a tie is a coin toss
            score = model.probability(test) - model.probability(-test)
            right += float(np.sum(score > 1e-12) + 0.5 * np.sum(np.abs(score) <= 1e-12))
        return right / n

    hand = cross_validated(slice(0, len(HAND)))
    with_era = cross_validated(slice(None))
    print(f"{n} consecutive revision pairs of {len(tuning)} tuning pages ({len(rows)} pairs for training)")
    print("| method | accuracy | ratio to 'longer is later' |")
    print("|---|---|---|")
    for name, acc in (
        ("the longer revision is the later one", longer),
        (f"logistic regression over {', '.join(HAND)} (5-fold CV over pages)", hand),
        (f"the same plus {len(ERA_MARKERS)} era markers (5-fold CV over pages)", with_era),
        ("ceiling: a coin toss on identical consecutive revisions, all else right", 1 - identical / n / 2),
    ):
        print(f"| {name} | {acc:.3f} | {acc / longer:.3f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
