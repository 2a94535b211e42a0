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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..align import align
from ..evaluate import accuracy, macro_f1
from ..pipeline import Pipeline, document_vectors
from ..records import Alignment, Article, RawArticle
from ..reuse import LEVELS, ReuseLevel, classify_reuse, ngram_containment
from .core import Context, Row, SuiteResult

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


def _scores(gold: Sequence[ReuseLevel], pred: Sequence[ReuseLevel]) -> dict[str, float | None]:
    return {"accuracy": accuracy(gold, pred), "macro-F1": macro_f1(gold, pred, LEVELS)}


def run(ctx: Context) -> SuiteResult:
    start = time.perf_counter()
    root = ctx.data / "reuse_short_answers"
    if not (root / "file_information.csv").exists():
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"{root}/file_information.csv is absent")
    answers = load_answers(root)
    tasks = sorted({a.task for a in answers})
    raws = [
        RawArticle(
            f"orig_task{t}", (root / f"orig_task{t}.txt").read_text(encoding="utf-8", errors="replace")
        )
        for t in tasks
    ]
    raws += [
        RawArticle(a.file, (root / a.file).read_text(encoding="utf-8", errors="replace")) for a in answers
    ]
    pipe = Pipeline(config=ctx.config, embedder=ctx.embedder)
    articles, _ = pipe.prepare(raws)
    by_id = {a.id: a for a in articles}
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
    st = _scores([gold[k] for k in scored], [pred[k] for k in scored])
    derived = [k for k in scored if gold[k] != "non"]
    found = sum(calls[k].source == f"orig_task{answers[k].task}" for k in derived)
    st["source found"] = found / len(derived) if derived else None
    rows = [Row("storytrace reuse_level", st, "shipped cut-offs")]

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
        row = _scores([gold[k] for k in scored], [b_pred[k] for k in scored])
        hit = sum(b_pred[k] != "non" and scored_src[k][1] == f"orig_task{answers[k].task}" for k in derived)
        row["source found"] = hit / len(derived) if derived else None
        rows.append(Row(label, row, "cut-offs " + ", ".join(f"{c:.2f}" for c in cuts)))
    rows.append(Row("always 'non'", _scores([gold[k] for k in scored], ["non"] * len(scored)), ""))

    protocol = (
        f"Short answers rewritten from {len(tasks)} source texts (`reuse_short_answers/`, "
        f"{len(answers)} answers). Scored half: {len(scored)} answers of the participants at even "
        "positions; cut-offs tuned on the other participants. storytrace aligns each answer with "
        "every source and reports the most literal reuse; 'source found' is the share of derived "
        "answers (cut, light, heavy) given the right source and a level other than 'non'."
    )
    pinned = {"macro-F1": float(st["macro-F1"] or 0.0), "source found": float(st["source found"] or 0.0)}
    return SuiteResult(
        NAME,
        TITLE,
        protocol,
        ("accuracy", "macro-F1", "source found"),
        tuple(rows),
        pinned=pinned,
        targets={"macro-F1": 0.70, "source found": 1.0},
        seconds=time.perf_counter() - start,
    )
