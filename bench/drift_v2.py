"""Planted-edit drift generator v2: derived copies of real news articles with fact edits in the forms
real rewrites and machine translation produce (bench/drift_plants.py), mixed with changes that are
not drift (bench/drift_noise.py), and about one pair in seven with no fact edit at all.

`make_pair_v2(article, rng)` returns (original, derived, plants); `make_pair_v2_full` also returns
the lines of both copies with the noise each went through, so a false flag can be put down to a
family of noise. `matches_v2(plant, kind, before, after)` says whether a reported drift names a
planted edit: same kind, and the planted words inside the reported ones or the other way round,
after normalising quotes, contractions and number spacing (numbers also match by value), in
either direction of the edge. `run_pair` scores one pair into a `Tally` (bench/drift_forms.py).
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Protocol

from drift_forms import KINDS, NoiseV2, PlantV2, Tally, contains, overlaps, similarity, values
from drift_noise import Unit, apply_noise
from drift_plants import FORMS, find_names

__all__ = ["KINDS", "PairV2", "PlantV2", "attribute", "make_pair_v2", "make_pair_v2_full", "matches_v2", "run_pair"]

#: share of pairs that carry noise only
CLEAN_SHARE = 0.15


@dataclass(frozen=True)
class PairV2:
    original: str
    derived: str
    plants: tuple[PlantV2, ...]
    original_units: tuple[Unit, ...]
    derived_units: tuple[Unit, ...]


class DriftLike(Protocol):
    """What the benchmark reads of a reported drift (``storytrace.records.Drift``)."""

    @property
    def kind(self) -> str: ...
    @property
    def before(self) -> str: ...
    @property
    def after(self) -> str: ...
    @property
    def source_sentence(self) -> str: ...
    @property
    def target_sentence(self) -> str: ...


def _candidates(form: str, count: int) -> list[int]:
    if form == "name:headline":
        return [0]
    return list(range(1, count)) if form.startswith("name:") else list(range(count))


def make_pair_v2_full(article: dict[str, str], rng: random.Random,
                      balance: Counter[str] | None = None) -> PairV2 | None:  # fmt: skip
    """The pair of ``make_pair_v2`` with the lines of both copies. With ``balance`` (forms planted
    so far, updated here) the forms planted least so far are tried first, so rare forms get planted
    wherever an article offers them."""
    sentences = [s.strip() for s in article["text"].split("\n") if s.strip()]
    if len(sentences) < 5:
        return None
    names = find_names(sentences)
    clean = rng.random() < CLEAN_SHARE
    kinds = list(KINDS)
    rng.shuffle(kinds)
    plants: list[PlantV2] = []
    changed: dict[int, str] = {}
    for kind in [] if clean else kinds:
        if len(plants) == 2:
            break
        forms = list(FORMS[kind])
        rng.shuffle(forms)
        if balance is not None:
            forms.sort(key=lambda f: balance[f])
        for form in forms:
            order = [k for k in _candidates(form, len(sentences)) if k not in changed]
            rng.shuffle(order)
            got = next(((k, p) for k in order if (p := FORMS[kind][form](sentences[k], rng, names))), None)
            if got is not None:
                changed[got[0]] = got[1].target
                plants.append(got[1])
                if balance is not None:
                    balance[form] += 1
                break
    if not plants and not clean:
        return None
    orig, der = apply_noise(sentences, changed, rng)
    return PairV2(
        "\n\n".join(u.text for u in orig), "\n\n".join(u.text for u in der), tuple(plants), tuple(orig), tuple(der)
    )


def make_pair_v2(article: dict[str, str], rng: random.Random) -> tuple[str, str, list[PlantV2]] | None:
    """(original, derived, planted edits) of one article, or None when it is too short or offers
    nothing to plant. About one pair in seven carries no planted edit."""
    pair = make_pair_v2_full(article, rng)
    return None if pair is None else (pair.original, pair.derived, list(pair.plants))


def _same_values(planted: str, reported: str) -> bool:
    p, r = values(planted), values(reported)
    return bool(p) and bool(p & r)


def _side(reported: str, planted: str, number: bool) -> bool:
    return overlaps(reported, planted) or (number and _same_values(planted, reported))


def matches_v2(plant: PlantV2, kind: str, before: str, after: str,
               sentences: tuple[str, str] | None = None) -> bool:  # fmt: skip
    """A reported drift (``kind``, ``before`` -> ``after``) names ``plant``. With ``sentences``
    (the reported source and target sentence) the drift must also be found where it was planted."""
    if kind != plant.kind:
        return False
    if sentences is not None and plant.source:
        near = max(similarity(s, p) for s in sentences for p in (plant.source, plant.target))
        if near < 0.6:
            return False
    number = plant.kind == "number"
    forward = _side(before, plant.before, number) and _side(after, plant.after, number)
    backward = _side(before, plant.after, number) and _side(after, plant.before, number)
    if not (forward or backward):
        return False
    # an insertion or a deletion must show on the side that has the words, not on both
    if not plant.before and contains(before, plant.after) and contains(after, plant.after):
        return False
    return not (not plant.after and contains(before, plant.before) and contains(after, plant.before))


def _best(units: Sequence[Unit], sentence: str) -> Unit | None:
    scored = [(similarity(u.text, sentence), i) for i, u in enumerate(units)]
    score, i = max(scored, default=(0.0, -1))
    return units[i] if score >= 0.5 else None


def attribute(pair: PairV2, drift: DriftLike) -> list[str]:
    """The noise families a false flag is put down to: the family whose changed words the flag
    names, else ``planted sentence`` when it was raised on a planted sentence (the edit seen, other
    words or another kind reported), else every family that touched the two sentences, else
    ``untouched`` (neither sentence was changed)."""
    units = [u for u in (_best(pair.derived_units, drift.target_sentence), _best(pair.original_units,
             drift.source_sentence), _best(pair.derived_units, drift.source_sentence),
             _best(pair.original_units, drift.target_sentence)) if u is not None]  # fmt: skip
    records: list[NoiseV2] = [n for u in units for n in u.noise]
    named = sorted({n.family for n in records if (n.before or n.after) and any(
        contains(side, part) or contains(part, side)
        for side in (drift.before, drift.after) if side for part in (n.before, n.after) if part
    )})  # fmt: skip
    if named:
        return named
    if any(_at(p, drift) for p in pair.plants):
        return ["planted sentence"]
    families = sorted({n.family for n in records})
    if families:
        return families
    if any(u.planted for u in units) or any(
        similarity(drift.target_sentence, p.target) >= 0.6 for p in pair.plants
    ):
        return ["planted sentence"]
    return ["untouched"]


def _at(plant: PlantV2, drift: DriftLike) -> bool:
    """The drift was reported on the planted sentence."""
    return max(similarity(s, p) for s in (drift.source_sentence, drift.target_sentence)
               for p in (plant.source, plant.target)) >= 0.6  # fmt: skip


def run_pair(pair: PairV2, drift: Sequence[DriftLike], linked: bool, tally: Tally,
             log: Callable[[str], None] | None = None) -> None:  # fmt: skip
    """Score the drift reported on one pair."""
    tally.pairs += 1
    tally.unlinked += 0 if linked else 1
    for u in pair.derived_units + pair.original_units:
        tally.add_noise(u.noise)
    if not pair.plants:
        tally.clean_pairs += 1
        tally.clean_pairs_flagged += 1 if drift else 0
        tally.clean_flags += len(drift)
    for p in pair.plants:
        tally.planted[p.kind] += 1
        tally.form_planted[p.form] += 1
        hit = [d for d in drift if matches_v2(p, d.kind, d.before, d.after, (d.source_sentence, d.target_sentence))]
        if hit:
            tally.found[p.kind] += 1
            tally.form_found[p.form] += 1
            continue
        other = [d for d in drift
                 if matches_v2(replace(p, kind=d.kind), d.kind, d.before, d.after, (d.source_sentence, d.target_sentence))]  # fmt: skip
        if other:
            tally.form_other_kind[p.form] += 1
        elif any(d.kind == p.kind and _at(p, d) for d in drift):
            tally.form_located[p.form] += 1
        if log:
            seen = "; ".join(f"{d.kind} {d.before!r}->{d.after!r}" for d in other) or "nothing there"
            log(f"MISS {p.form}: {p.before!r} -> {p.after!r} | reported: {seen}\n  src: {p.source}\n  tgt: {p.target}")
    for d in drift:
        tally.reported[d.kind] += 1
        if any(matches_v2(p, d.kind, d.before, d.after, (d.source_sentence, d.target_sentence)) for p in pair.plants):
            tally.correct[d.kind] += 1
            continue
        families = attribute(pair, d)
        tally.noise_flags.update(families)
        tally.located_flags += any(p.kind == d.kind and _at(p, d) for p in pair.plants)
        if log:
            log(
                f"FALSE {d.kind}: {d.before!r} -> {d.after!r} [{', '.join(families)}]"
                f"{' (no-drift pair)' if not pair.plants else ''}\n  src: {d.source_sentence}\n  tgt: {d.target_sentence}"
            )


def pair_record(pair: PairV2, drift: Sequence[Any]) -> dict[str, Any]:
    """One pair and what was reported on it, as JSON (for reading misses and false flags later)."""
    return {
        "plants": [asdict(p) for p in pair.plants],
        "drift": [
            {k: getattr(d, k) for k in ("kind", "before", "after", "source_sentence", "target_sentence")}
            for d in drift
        ],
        "families": sorted({n.family for u in pair.derived_units + pair.original_units for n in u.noise}),
    }
