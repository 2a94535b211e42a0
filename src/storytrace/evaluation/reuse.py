"""Suite 3, reuse level on the short-answer corpus (Clough & Stevenson 2011): for each answer,
the source it derives from and its level (cut / light / heavy / non).

Tuning half: the answers of participants at odd positions in name order; scored half: the
others (all three answers of one participant stay in one half). Baselines: word 3-gram
containment alone and MiniLM document cosine alone, each with three cut-offs tuned on the
tuning half by macro-F1.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ..config import Config
from ..pipeline import Pipeline, document_vectors
from ..records import Alignment, Article, RawArticle
from ..story.align import align
from ..story.reuse import LEVEL_NGRAM, LEVELS, ReuseLevel, classify_reuse, ngram_containment
from .core import Context, Row, SuiteResult
from .metrics import accuracy, macro_f1

_WORD = re.compile(r"\w+")

NAME = "reuse"
TITLE = "3. Reuse level (short answers)"


@dataclass(frozen=True)
class Answer:
    file: str
    participant: str
    task: str
    level: ReuseLevel


def load_answers(root: Path) -> list[Answer]:
    out = []
    with (root / "file_information.csv").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            level = row["Category"].strip()
            if level not in LEVELS:
                continue  # the sources themselves ("orig")
            name = row["File"].strip()
            out.append(Answer(name, name.split("_")[0], row["Task"].strip(), level))
    return out


def split(answers: Sequence[Answer]) -> tuple[list[int], list[int]]:
    people = sorted({a.participant for a in answers})
    tuning_people = set(people[1::2])
    tuning = [k for k, a in enumerate(answers) if a.participant in tuning_people]
    scored = [k for k, a in enumerate(answers) if a.participant not in tuning_people]
    return tuning, scored


def _tune_cuts(scores: Sequence[float], gold: Sequence[ReuseLevel]) -> tuple[float, float, float]:
    """Three cut-offs (non < heavy < light <= cut) maximising macro-F1 on the tuning half."""
    values = sorted(set(scores))
    cands = [0.0, *[(a + b) / 2 for a, b in itertools.pairwise(values)], 1.0 + max(values)]
    best: tuple[float, tuple[float, float, float]] = (-1.0, (0.0, 0.0, 0.0))
    for x, y, z in itertools.combinations(cands, 3):
        pred = [_level(s, (x, y, z)) for s in scores]
        f = macro_f1(gold, pred, LEVELS)
        if f > best[0] + 1e-12:
            best = (f, (x, y, z))
    return best[1]


def _level(score: float, cuts: tuple[float, float, float]) -> ReuseLevel:
    non, heavy, light = cuts
    if score < non:
        return "non"
    if score < heavy:
        return "heavy"
    if score < light:
        return "light"
    return "cut"


def _prepare(root: Path, answers: Sequence[Answer], pipe: Pipeline) -> dict[str, Article]:
    """The sources (``orig_task*``) and the answers, cleaned and segmented, by id."""
    tasks = sorted({a.task for a in answers})
    names = [f"orig_task{t}.txt" for t in tasks] + [a.file for a in answers]
    raws = [
        RawArticle(
            name.removesuffix(".txt") if name.startswith("orig_") else name,
            (root / name).read_text(encoding="utf-8", errors="replace"),
        )
        for name in names
    ]
    articles, _ = pipe.prepare(raws)
    return {a.id: a for a in articles}


def _scores(gold: Sequence[ReuseLevel], pred: Sequence[ReuseLevel]) -> dict[str, float | None]:
    return {"accuracy": accuracy(gold, pred), "macro-F1": macro_f1(gold, pred, LEVELS)}


def run(ctx: Context) -> SuiteResult:
    start = time.perf_counter()
    root = ctx.data / "reuse_short_answers"
    if not (root / "file_information.csv").exists():
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"{root}/file_information.csv is absent")
    answers = load_answers(root)
    tasks = sorted({a.task for a in answers})
    pipe = Pipeline(config=ctx.config, embedder=ctx.embedder)
    by_id = _prepare(root, answers, pipe)
    articles = list(by_id.values())
    vectors = pipe.embed_sentences(articles)
    docs = dict(zip([a.id for a in articles], document_vectors(articles, vectors), strict=True))
    sources = [by_id[f"orig_task{t}"] for t in tasks]
    tuning, scored = split(answers)
    gold = [a.level for a in answers]

    def aligned(src: Article, tgt: Article) -> Alignment:
        return align(src.sentences, tgt.sentences, vectors[src.id], vectors[tgt.id], ctx.config)

    calls = [
        classify_reuse([(aligned(s, by_id[a.file]), s, by_id[a.file]) for s in sources]) for a in answers
    ]
    pred = [c.level for c in calls]
    derived = [k for k in scored if gold[k] != "non"]

    def row_of(levels: Sequence[ReuseLevel], named: Sequence[str]) -> dict[str, float | None]:
        row = _scores([gold[k] for k in scored], [levels[k] for k in scored])
        right = [k for k in derived if named[k] == f"orig_task{answers[k].task}"]
        row["source found"] = len(right) / len(derived) if derived else None
        row["found as derived"] = sum(levels[k] != "non" for k in right) / len(derived) if derived else None
        return row

    st = row_of(pred, [c.source for c in calls])
    rows = [Row("storytrace reuse_level", st, f"shipped model: word {LEVEL_NGRAM}-gram containment")]
    notes: list[str] = []
    if ctx.baselines:
        model = fit_from_corpus(root, ctx.config)
        notes.append(
            f"Refitting the level model on the tuning half (`fit_from_corpus`) chooses {model.feature} "
            f"(L2 {model.l2:g}, leave-one-participant-out macro-F1 {model.cv_macro_f1:.3f}) with "
            "cut-offs " + ", ".join(f"{c:.4f}" for c in model.cuts) + "."
        )

    baselines: list[tuple[str, Callable[[Answer], tuple[float, str]]]] = [
        (
            "word 3-gram containment",
            lambda a: max((ngram_containment(by_id[a.file].text, s.text), s.id) for s in sources),
        ),
        ("MiniLM document cosine", lambda a: max((float(docs[a.file] @ docs[s.id]), s.id) for s in sources)),
    ]
    for label, score_of in baselines if ctx.baselines else []:
        scored_src = [score_of(a) for a in answers]
        cuts = _tune_cuts([scored_src[k][0] for k in tuning], [gold[k] for k in tuning])
        b_pred = [_level(s, cuts) for s, _ in scored_src]
        row = row_of(b_pred, [src for _, src in scored_src])
        rows.append(Row(label, row, "macro-F1 cut-offs " + ", ".join(f"{c:.2f}" for c in cuts)))
    rows.append(Row("always 'non'", _scores([gold[k] for k in scored], ["non"] * len(scored)), ""))

    protocol = (
        f"Short answers rewritten from {len(tasks)} source texts (`reuse_short_answers/`, "
        f"{len(answers)} answers). Scored half: {len(scored)} answers of the participants at even "
        "positions; models and cut-offs fitted on the other participants. storytrace takes as "
        "source the candidate of highest topical similarity (word-count cosine) and reads the level "
        "from the word n-gram containment of the answer in it, cut by a proportional-odds model. "
        "'source found': share of derived answers (cut, light, heavy) given the right source; "
        "'found as derived': given the right source and a level other than 'non'."
    )
    pinned = {"macro-F1": float(st["macro-F1"] or 0.0), "source found": float(st["source found"] or 0.0)}
    return SuiteResult(
        NAME,
        TITLE,
        protocol,
        ("accuracy", "macro-F1", "source found", "found as derived"),
        tuple(rows),
        pinned=pinned,
        targets={"macro-F1": 0.70, "source found": 1.0},
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
    )


# --- the fit of the shipped level model (storytrace.story.reuse.LEVEL_NGRAM and the cut-offs) ---

#: candidate features of the level model: word n-gram containment (n = 1..5) and the word LCS
#: over the answer's length, the features of Clough & Stevenson (2011)
LEVEL_FEATURES: tuple[str, ...] = ("c1", "c2", "c3", "c4", "c5", "lcs")
#: candidate L2 penalties on the (standardised) weight of the ordinal model
L2_GRID: tuple[float, ...] = (0.0, 0.1, 0.3, 1.0, 3.0, 10.0)
#: the ordinal order of the levels, least literal first
ORDER: tuple[ReuseLevel, ...] = ("non", "heavy", "light", "cut")


def word_lcs(part: str, whole: str) -> float:
    """Length of the longest common subsequence of the words of ``part`` and ``whole``, over the
    number of words of ``part``."""
    a, b = _WORD.findall(part.lower()), _WORD.findall(whole.lower())
    if not a:
        return 0.0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, w in enumerate(b):
            cur.append(prev[j] + 1 if x == w else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1] / len(a)


def level_feature(name: str, part: str, whole: str) -> float:
    """One candidate feature (see :data:`LEVEL_FEATURES`) of ``part`` against ``whole``."""
    return word_lcs(part, whole) if name == "lcs" else ngram_containment(part, whole, int(name[1:]))


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    out: npt.NDArray[np.float64] = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


def _ordinal_nll(
    p: npt.NDArray[np.float64], z: npt.NDArray[np.float64], y: npt.NDArray[np.int64], l2: float
) -> tuple[float, npt.NDArray[np.float64]]:
    """Negative log-likelihood of a proportional-odds model, P(y <= j) = sigmoid(theta_j - w z),
    with its gradient; ``p`` is (w, theta_0, theta_1, theta_2)."""
    w, th = p[0], p[1:]
    if np.any(np.diff(th) <= 0):
        return math.inf, np.zeros_like(p)
    s = w * z
    k = len(th)
    upper = np.where(y < k, _sigmoid(th[np.minimum(y, k - 1)] - s), 1.0)
    lower = np.where(y > 0, _sigmoid(th[np.maximum(y - 1, 0)] - s), 0.0)
    prob = np.maximum(upper - lower, 1e-300)
    du, dl = upper * (1 - upper), lower * (1 - lower)
    grad = np.zeros_like(p)
    grad[0] = -np.sum((dl - du) * z / prob) + l2 * w
    np.add.at(grad, 1 + np.minimum(y, k - 1), np.where(y < k, -du / prob, 0.0))
    np.add.at(grad, 1 + np.maximum(y - 1, 0), np.where(y > 0, dl / prob, 0.0))
    nll = float(-np.sum(np.log(prob)) + 0.5 * l2 * w * w)
    return nll, grad


def fit_ordinal(
    values: Sequence[float], gold: Sequence[ReuseLevel], l2: float
) -> tuple[float, float, float] | None:
    """Cut-offs (non | heavy | light | cut) on one feature from a proportional-odds logistic model
    fitted by Newton's method, with an L2 penalty ``l2`` on the weight of the standardised
    feature; None when the feature does not grow with the level."""
    x = np.asarray(values, dtype=np.float64)
    y = np.asarray([ORDER.index(g) for g in gold], dtype=np.int64)
    mu, sd = float(x.mean()), float(x.std()) + 1e-9
    z = (x - mu) / sd
    share = np.cumsum(np.bincount(y, minlength=len(ORDER)))[:-1] / len(y)
    share = np.clip(share, 0.02, 0.98)
    p = np.concatenate([[1.0], np.log(share / (1 - share))])
    p[1:] = np.maximum.accumulate(p[1:] + np.arange(3) * 1e-3)
    nll, grad = _ordinal_nll(p, z, y, l2)
    for _ in range(100):
        eps = 1e-6
        hess = np.zeros((4, 4))
        for i in range(4):
            d = np.zeros(4)
            d[i] = eps
            hess[:, i] = (_ordinal_nll(p + d, z, y, l2)[1] - _ordinal_nll(p - d, z, y, l2)[1]) / (2 * eps)
        hess = 0.5 * (hess + hess.T) + 1e-9 * np.eye(4)
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            step = grad
        if float(step @ grad) <= 0:  # not a descent direction: fall back on the gradient
            step = grad
        t = 1.0
        while t > 1e-10:
            new = p - t * step
            new_nll, new_grad = _ordinal_nll(new, z, y, l2)
            if new_nll <= nll - 1e-4 * t * float(step @ grad):
                break
            t /= 2
        else:
            break
        converged = nll - new_nll < 1e-12
        p, nll, grad = new, new_nll, new_grad
        if converged or float(np.max(np.abs(grad))) < 1e-9:
            break
    w, th = p[0], p[1:]
    if w <= 0:
        return None
    a, b, c = (float(mu + sd * t / w) for t in th)
    return a, b, c


@dataclass(frozen=True)
class LevelModel:
    """The fitted level model: feature, L2 penalty, cut-offs and its cross-validated macro-F1."""

    feature: str
    l2: float
    cuts: tuple[float, float, float]
    cv_macro_f1: float


def fit_level_model(
    values: Mapping[str, Sequence[float]], gold: Sequence[ReuseLevel], groups: Sequence[str]
) -> LevelModel:
    """Choose the feature (``values``: feature name -> one value per answer) and the L2 penalty
    by leave-one-group-out (participant) cross-validated macro-F1, then refit on all answers."""
    best: LevelModel | None = None
    for name, xs in values.items():
        for l2 in L2_GRID:
            pred: list[ReuseLevel] = ["non"] * len(gold)
            ok = True
            for g in sorted(set(groups)):
                train = [k for k, h in enumerate(groups) if h != g]
                cuts = fit_ordinal([xs[k] for k in train], [gold[k] for k in train], l2)
                if cuts is None:
                    ok = False
                    break
                for k, h in enumerate(groups):
                    if h == g:
                        pred[k] = _level(xs[k], cuts)
            if not ok:
                continue
            f = macro_f1(gold, pred, LEVELS)
            full = fit_ordinal(xs, gold, l2)
            if full is not None and (best is None or f > best.cv_macro_f1 + 1e-9):
                best = LevelModel(name, l2, full, f)
    if best is None:
        raise ValueError("no candidate feature grows with the level of reuse")
    return best


def fit_from_corpus(root: Path, config: Config | None = None) -> LevelModel:
    """Regenerate the shipped level model from the tuning half of ``reuse_short_answers``
    (cleaned like ``storytrace eval reuse`` cleans them; lexical features only: no embedding)."""
    answers = load_answers(root)
    tuning, _ = split(answers)
    by_id = _prepare(root, answers, Pipeline(config=config or Config()))
    values = {
        name: [
            level_feature(name, by_id[answers[k].file].text, by_id[f"orig_task{answers[k].task}"].text)
            for k in tuning
        ]
        for name in LEVEL_FEATURES
    }
    return fit_level_model(
        values, [answers[k].level for k in tuning], [answers[k].participant for k in tuning]
    )
