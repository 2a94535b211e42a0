"""Suite 8, drift on real articles: the precision of the drift flags storytrace raises on real
multi-source stories, against hand labels (issue 15, part 3).

The benchmark set is fixed: the gold stories of ECB+'s tuning topics (odd topic numbers) that
raise drift flags, each analysed on its own (its articles as one story, so grouping mistakes do
not mix in), and consecutive revisions of a few Wikipedia pages (``versions``), compared as
``Pipeline.compare_revisions`` compares them. Every flag raised there was read and labelled by
hand in ``bench/data/drift_real_flags.jsonl``: ``true`` when it is a difference worth a
fact-checker's time, ``false`` otherwise, with a one-line reason, a family and, for true flags,
the kind of difference (``conflict``/``update``/``variant``/``rewording``).

The label file holds no article text (the data may not be copied into the repository): a flag is
keyed on its story, source, target, kind and short hashes of its two sentences, with hashes of
``before``/``after`` to tell apart the flags of one sentence pair. A change to how ``before`` and
``after`` are extracted therefore keeps a flag's label; a flag with no label is *unlabelled*, and
``bench/drift_real.py`` prints each one with its sentences for a person to label.

Scores: precision (true flags among the labelled flags raised), coverage (labelled / raised;
precision means nothing when much of what is raised is unlabelled, so the gate also pins
``coverage >= 0.90``), true flags kept (the labelled true flags still raised, so that cutting
everything does not pass) and, when drift entries carry a ``difference`` field, how often it
agrees with the label. Stories are split by topic (ECB+ topics 1, 5, 9, ... tune; 3, 7, 11, ...
held out) and by a hash of the page title (versions); both parts are reported and pinned.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from itertools import pairwise
from pathlib import Path
from typing import Any

from ..config import Config
from ..errors import ConfigError
from ..records import Article, Drift, RawArticle
from .core import Context, Row, SuiteResult

NAME = "drift-real"
TITLE = "8. Drift on real articles (hand-labelled flags)"
#: below this share of labelled flags, precision is not measured (the gate's coverage pin fails)
MIN_COVERAGE = 0.90
LABEL_FILE = Path("bench") / "data" / "drift_real_flags.jsonl"
FAMILIES_TRUE = ("true-conflict", "true-update", "true-variant", "true-rewording")
DIFFERENCES = ("conflict", "update", "variant", "rewording")
PARTS = ("tune", "held-out")
COLUMNS = ("raised", "labelled", "coverage", "precision", "true kept", "difference agrees")

#: the ECB+ gold stories of the benchmark (tuning topics only: odd numbers)
ECB_STORIES = (
    "1_ecbplus",
    "3_ecbplus",
    "5_ecb",
    "9_ecb",
    "9_ecbplus",
    "11_ecbplus",
    "13_ecb",
    "19_ecb",
    "19_ecbplus",
    "23_ecbplus",
    "27_ecb",
    "29_ecbplus",
    "31_ecbplus",
    "35_ecb",
    "35_ecbplus",
)
#: Wikipedia pages of ``versions`` whose consecutive revisions are compared
VERSION_PAGES = (
    "Adventures of Huckleberry Finn", "British Aerospace HOTOL", "Elagabalus", "HIV", "HMAS Sydney",
    "HMS Hercules", "HSK", "Habakkuk", "Habeas corpus", "Haber process", "Hack", "Haddocks' Eyes",
    "Haemophilia", "Haggai", "Haggis", "Demographics of Israel", "Demographics of the Republic of Ireland",
)  # fmt: skip
#: English same-story article pairs of SemEval-2022 Task 8 (``pair_id``) analysed as one story each
SEMEVAL_PAIRS = ("1484906200_1485040206",)
#: the fast subset (``storytrace eval --fast``, the CI gate): every news story and SemEval pair, the
#: pages but the two long statistics pages
FAST_ECB_STORIES = ECB_STORIES
FAST_VERSION_PAGES = VERSION_PAGES[:-2]
FAST_SEMEVAL_PAIRS = SEMEVAL_PAIRS


def digest(text: str) -> str:
    """A short, whitespace-insensitive hash of a text (labels key on it instead of the text)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def part_of(story: str) -> str:
    """``tune`` or ``held-out``: ECB+ by topic (1, 5, 9, ... tune), versions by page hash."""
    source, _, name = story.partition(":")
    if source == "ecbplus":
        topic = int(name.split("_", 1)[0])
        return "tune" if topic % 4 == 1 else "held-out"
    return "tune" if zlib.crc32(name.encode("utf-8")) % 2 == 0 else "held-out"


@dataclass(frozen=True)
class Flag:
    """One drift entry as raised on the benchmark set (``difference``: None in hand-made flags
    without one)."""

    story: str
    source: str
    target: str
    kind: str
    before: str
    after: str
    source_sentence: str
    target_sentence: str
    difference: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (
            self.story,
            self.source,
            self.target,
            self.kind,
            digest(self.source_sentence),
            digest(self.target_sentence),
        )

    @property
    def detail(self) -> tuple[str, str]:
        return digest(self.before), digest(self.after)


@dataclass(frozen=True)
class Label:
    """A hand label of one flag (no article text: sentences and words as hashes)."""

    story: str
    source: str
    target: str
    kind: str
    source_hash: str
    target_hash: str
    before_hash: str
    after_hash: str
    label: bool
    family: str
    reason: str
    #: the right kind of difference for a true flag, None for a false one
    difference: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (self.story, self.source, self.target, self.kind, self.source_hash, self.target_hash)

    @property
    def detail(self) -> tuple[str, str]:
        return self.before_hash, self.after_hash

    @property
    def part(self) -> str:
        return part_of(self.story)


def label_template(flag: Flag) -> dict[str, Any]:
    """The label file entry of ``flag`` with its judgement left to fill in."""
    story, source, target, kind, source_hash, target_hash = flag.key
    before_hash, after_hash = flag.detail
    return {
        "story": story,
        "source": source,
        "target": target,
        "kind": kind,
        "source_hash": source_hash,
        "target_hash": target_hash,
        "before_hash": before_hash,
        "after_hash": after_hash,
        "label": None,
        "family": "",
        "difference": None,
        "reason": "",
    }


def read_labels(path: str | Path) -> list[Label]:
    """The labels of ``path`` (JSONL; blank lines and lines starting with ``//`` are skipped),
    checked entry by entry."""
    p = Path(path)
    names = {f.name for f in fields(Label)}
    out = []
    for number, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("//"):
            continue
        where = f"{p}:{number}"
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as err:
            raise ConfigError(f"{where}: not valid JSON ({err})") from None
        missing = names - set(entry) - {"difference"}
        if missing:
            raise ConfigError(f"{where}: missing {', '.join(sorted(missing))}")
        if not isinstance(entry["label"], bool):
            raise ConfigError(f"{where}: label must be true or false, not {entry['label']!r}")
        if not str(entry["reason"]).strip() or not str(entry["family"]).strip():
            raise ConfigError(f"{where}: every label needs a reason and a family")
        difference = entry.get("difference")
        if entry["label"] and difference not in DIFFERENCES:
            raise ConfigError(f"{where}: a true flag needs a difference among {', '.join(DIFFERENCES)}")
        out.append(Label(**{k: entry[k] for k in names if k in entry}))
    return out


@dataclass(frozen=True)
class Match:
    """Raised flags paired with their labels, the flags with none, and the labels not raised."""

    matched: tuple[tuple[Flag, Label], ...]
    unlabelled: tuple[Flag, ...]
    not_raised: tuple[Label, ...]


def match(flags: Iterable[Flag], labels: Iterable[Label]) -> Match:
    """Pair each raised flag with a label of the same story, articles, kind and sentences; among
    several labels of one key, the one with the same ``before``/``after`` first, then in order."""
    pool: dict[tuple[str, ...], list[Label]] = {}
    for lab in labels:
        pool.setdefault(lab.key, []).append(lab)
    pending: list[Flag] = []
    matched: list[tuple[Flag, Label]] = []
    for flag in flags:  # exact details first, so that a changed detail does not take their label
        candidates = pool.get(flag.key, [])
        same = next((lab for lab in candidates if lab.detail == flag.detail), None)
        if same is None:
            pending.append(flag)
        else:
            candidates.remove(same)
            matched.append((flag, same))
    unlabelled = []
    for flag in pending:
        candidates = pool.get(flag.key, [])
        if candidates:
            matched.append((flag, candidates.pop(0)))
        else:
            unlabelled.append(flag)
    rest = tuple(lab for labs in pool.values() for lab in labs)
    return Match(tuple(matched), tuple(unlabelled), rest)


def scores(
    m: Match, labels: Sequence[Label], part: str | None = None, source: str | None = None
) -> dict[str, float | None]:
    """The table's columns for one part and one data set (``ecbplus``, ``versions``, ``semeval``;
    all when None)."""

    def keep(story: str) -> bool:
        return (part is None or part_of(story) == part) and (source is None or story.startswith(source + ":"))

    pairs = [(f, lab) for f, lab in m.matched if keep(f.story)]
    raised = len(pairs) + sum(1 for f in m.unlabelled if keep(f.story))
    true = [lab for lab in labels if lab.label and keep(lab.story)]
    kept = sum(1 for _, lab in pairs if lab.label)
    typed = [(f, lab) for f, lab in pairs if lab.label and f.difference is not None]
    return {
        "raised": float(raised),
        "labelled": float(len(pairs)),
        "coverage": len(pairs) / raised if raised else 1.0,
        "precision": kept / len(pairs) if pairs else None,
        "true kept": kept / len(true) if true else None,
        "difference agrees": sum(f.difference == lab.difference for f, lab in typed) / len(typed)
        if typed
        else None,
    }


# --- collecting the flags --------------------------------------------------------------------


def _flag(story: str, drift: Drift) -> Flag:
    return Flag(
        story,
        drift.source,
        drift.target,
        drift.kind,
        drift.before,
        drift.after,
        drift.source_sentence,
        drift.target_sentence,
        drift.difference,
    )


def _ecb_articles(data: Path, stories: Sequence[str]) -> dict[str, list[RawArticle]]:
    path = data / "ecbplus" / "articles.jsonl"
    wanted = set(stories)
    out: dict[str, list[RawArticle]] = {s: [] for s in stories}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row["story"] in wanted:
                    out[row["story"]].append(RawArticle(row["id"], row["text"]))
    return out


def _semeval_pairs(data: Path, pairs: Sequence[str]) -> dict[str, list[RawArticle]]:
    """The two texts of each pair (the first row of a repeated ``pair_id``)."""
    import csv

    path = data / "semeval2022_task8" / "pairs.csv"
    out: dict[str, list[RawArticle]] = {}
    wanted = set(pairs)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            pid = row["pair_id"]
            if pid in wanted and pid not in out:
                first, _, second = pid.partition("_")
                out[pid] = [RawArticle(first, row["text1"]), RawArticle(second, row["text2"])]
    return out


def revisions(data: Path, page: str) -> list[RawArticle]:
    """The revisions of a ``versions`` page, oldest first, with ids ``page@k``."""
    folder = data / "versions" / page
    files = sorted(folder.glob("*.txt"), key=lambda p: int(p.stem))
    return [RawArticle(f"{page}@{p.stem}", p.read_text(encoding="utf-8")) for p in files]


def collect(
    data: Path,
    config: Config,
    ecb_stories: Sequence[str] = ECB_STORIES,
    pages: Sequence[str] = VERSION_PAGES,
    semeval: Sequence[str] = SEMEVAL_PAIRS,
    embedder: Any = None,
    log: Any = None,
) -> list[Flag]:
    """Every drift flag storytrace raises on the benchmark set, in a stable order: each ECB+ gold
    story and each SemEval pair analysed as one story (the stories on all cores), each page's
    consecutive revisions compared."""
    from ..pipeline import Pipeline
    from ..story.batch import analyze_stories

    pipe = (
        Pipeline(config=config, embedder=embedder) if embedder is not None else Pipeline.from_config(config)
    )
    out: list[Flag] = []
    jobs = [(f"ecbplus:{story}", raws) for story, raws in _ecb_articles(data, ecb_stories).items()]
    if semeval:
        found = _semeval_pairs(data, semeval)
        jobs += [(f"semeval:{pid}", found.get(pid, [])) for pid in semeval]
    prepared: list[tuple[str, Sequence[Article]]] = []
    for story, raws in jobs:  # cleaned story by story, as `analyze` would clean each story alone
        if not raws:
            raise ConfigError(f"{story!r} is not in {data}")
        prepared.append((story, pipe.prepare(raws)[0]))
    vectors = pipe.embed_sentences([a for _, articles in prepared for a in articles])
    for (story, _), result in zip(prepared, analyze_stories(prepared, vectors, config), strict=True):
        out += [_flag(story, d) for d in result.dossier.drift]
        if log:
            log(f"drift-real: {story}: {len(result.dossier.drift)} flag(s)")
    for page in pages:
        history = revisions(data, page)
        for old, new in pairwise(history):
            diff = pipe.compare_revisions(old, new)
            if diff is not None:
                out += [_flag(f"versions:{page}", d) for d in diff.drift]
        if log:
            log(f"drift-real: {page}: {len(history)} revisions")
    return out


# --- the suite -------------------------------------------------------------------------------


def of_set(
    labels: Iterable[Label], stories: Sequence[str], pages: Sequence[str], pairs: Sequence[str]
) -> list[Label]:
    """The labels of the flags of these ECB+ stories, ``versions`` pages and SemEval pairs."""
    wanted = (
        {f"ecbplus:{s}" for s in stories} | {f"versions:{p}" for p in pages} | {f"semeval:{p}" for p in pairs}
    )
    return [lab for lab in labels if lab.story in wanted]


def label_path() -> Path | None:
    for root in (Path(__file__).resolve().parents[3], Path.cwd()):
        if (root / LABEL_FILE).is_file():
            return root / LABEL_FILE
    return None


def families(labels: Iterable[Label]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for lab in labels:
        counts[lab.family] = counts.get(lab.family, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def table_rows(m: Match, labels: Sequence[Label]) -> tuple[Row, ...]:
    rows = [
        Row(f"storytrace, {name}", scores(m, labels, part))
        for name, part in (("all", None), ("tune part", "tune"), ("held-out part", "held-out"))
    ]
    rows += [
        Row(f"storytrace, {name}", scores(m, labels, None, source))
        for name, source in (
            ("ECB+ news stories", "ecbplus"),
            ("news pairs (SemEval)", "semeval"),
            ("Wikipedia revisions", "versions"),
        )
    ]
    return tuple(rows)


def pins(m: Match, labels: Sequence[Label]) -> dict[str, float]:
    """The gated scores: precision overall, on the held-out part and on the ECB+ news stories,
    true flags kept, and whether coverage is at least ``MIN_COVERAGE`` (1 or 0)."""
    every, held, news = scores(m, labels), scores(m, labels, "held-out"), scores(m, labels, None, "ecbplus")
    coverage = every["coverage"] or 0.0
    return {
        "precision": every["precision"] or 0.0,
        "held-out precision": held["precision"] or 0.0,
        "ECB+ precision": news["precision"] or 0.0,
        "true kept": every["true kept"] or 0.0,
        f"coverage >= {MIN_COVERAGE:.2f}": 1.0 if coverage >= MIN_COVERAGE else 0.0,
    }


def run(ctx: Context) -> SuiteResult:
    start = time.perf_counter()
    path = label_path()
    if path is None:
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"the label file {LABEL_FILE} is absent")
    if not (ctx.data / "ecbplus" / "articles.jsonl").exists():
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"{ctx.data / 'ecbplus'} is absent")
    labels = read_labels(path)
    stories = FAST_ECB_STORIES if ctx.fast else ECB_STORIES
    pages = FAST_VERSION_PAGES if ctx.fast else VERSION_PAGES
    pairs = FAST_SEMEVAL_PAIRS if ctx.fast else SEMEVAL_PAIRS
    labels = of_set(labels, stories, pages, pairs)
    flags = collect(ctx.data, ctx.config, stories, pages, pairs, ctx.embedder, ctx.log)
    m = match(flags, labels)
    every = scores(m, labels)
    false = families(lab for _, lab in m.matched if not lab.label)
    notes = [
        "False flags still raised, by family: "
        + (", ".join(f"{k} {v}" for k, v in false.items()) or "none")
        + ".",
    ]
    if m.unlabelled:
        notes.append(
            f"Unlabelled: {len(m.unlabelled)} flag(s) raised have no label; run `python bench/drift_real.py` "
            "to print them with their sentences and label them."
        )
    if (every["coverage"] or 0.0) < MIN_COVERAGE:
        notes.append(
            f"Coverage below {MIN_COVERAGE:.2f}: precision is not meaningful until the new flags are labelled."
        )
    protocol = (
        f"{len(stories)} ECB+ gold stories of the tuning topics and {len(pairs)} English SemEval-2022 Task 8 "
        f"pair(s), each analysed alone, and the consecutive revisions of {len(pages)} Wikipedia pages; "
        f"{len(labels)} hand-labelled flags "
        f"({sum(lab.label for lab in labels)} true), `{LABEL_FILE}`. Tune part: ECB+ topics 1, 5, 9, ...; "
        "held-out part: topics 3, 7, 11, ... (versions pages and SemEval pairs split by a hash of the name)."
    )
    return SuiteResult(
        NAME,
        TITLE,
        protocol,
        COLUMNS,
        table_rows(m, labels),
        pinned=pins(m, labels),
        targets={"precision": 0.80, "ECB+ precision": 0.80},
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
    )


def describe(m: Match, labels: Sequence[Label]) -> Mapping[str, Any]:
    """A summary for the command line: scores per part and the false families."""
    return {
        "all": scores(m, labels),
        "tune": scores(m, labels, "tune"),
        "held-out": scores(m, labels, "held-out"),
        "ECB+": scores(m, labels, None, "ecbplus"),
        "SemEval": scores(m, labels, None, "semeval"),
        "versions": scores(m, labels, None, "versions"),
        "false families": families(lab for _, lab in m.matched if not lab.label),
        "unlabelled": len(m.unlabelled),
    }
