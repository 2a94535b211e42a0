"""Suite 8, drift on real articles: the precision of the drift flags storytrace raises on real
multi-source stories, against hand labels (issue 15, part 3).

The benchmark set is fixed:

- the gold stories of ECB+ that raise drift flags, each analysed on its own (its articles as one
  story, so grouping mistakes do not mix in): the *tuning* topics (odd numbers: 1, 5, 9, ... the
  tune part; 3, 7, 11, ... held out) and, as a fresh check never tuned on, stories of the even
  topics (the fresh part);
- consecutive revisions of Wikipedia pages (``versions``), compared as
  ``Pipeline.compare_revisions`` compares them;
- same-story article pairs of SemEval-2022 Task 8 that raise flags, each pair analysed as a story;
- sentence pairs of MRPC (news sentences of one event from different outlets), each compared as
  ``Pipeline.compare_revisions`` compares two texts: a sample used while developing the drift
  code (tune part) and a sample kept blind until labelled (fresh part).

Every flag raised there was read and labelled by hand in ``bench/data/drift_real_flags.jsonl``:
``true`` when it is a difference worth a fact-checker's time, ``false`` otherwise, with a one-line
reason, a family and, for true flags, the kind of difference (``conflict``/``update``/
``variant``/``rewording``).

The label file holds no article text (the data may not be copied into the repository): a flag is
keyed on its story, source, target, kind and short hashes of its two sentences, with hashes of
``before``/``after`` to tell apart the flags of one sentence pair. A change to how ``before`` and
``after`` are extracted therefore keeps a flag's label; a flag with no label is *unlabelled*, and
``bench/drift_real.py`` prints each one with its sentences for a person to label.

Scores: precision (true flags among the labelled flags raised), coverage (labelled / raised;
precision means nothing when much of what is raised is unlabelled, so the gate also pins
``coverage >= 0.90``), true flags kept (the labelled true flags still raised, so that cutting
everything does not pass) and, when drift entries carry a ``difference`` field, how often it
agrees with the label. Parts: ECB+ by topic (1, 5, 9, ... tune; 3, 7, 11, ... held out; even
topics fresh), pages and SemEval pairs by a hash of the name (tune or held out), MRPC pairs by a
hash of the pair (tune or fresh); every part is reported and the gated ones pinned.
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
PARTS = ("tune", "held-out", "fresh")
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
#: ECB+ gold stories of the even topics that raise flags: the fresh part, labelled before any drift
#: change was made with them in view and never tuned on
FRESH_ECB_STORIES = (
    "2_ecbplus", "6_ecbplus", "8_ecbplus", "10_ecb", "12_ecbplus", "18_ecb", "18_ecbplus", "20_ecbplus",
    "24_ecbplus", "28_ecbplus", "30_ecb", "30_ecbplus",
)  # fmt: skip
ALL_ECB_STORIES = ECB_STORIES + FRESH_ECB_STORIES
#: Wikipedia pages of ``versions`` whose consecutive revisions are compared
VERSION_PAGES = (
    "Adventures of Huckleberry Finn", "British Aerospace HOTOL", "Elagabalus", "HIV", "HMAS Sydney",
    "HMS Hercules", "HSK", "Habakkuk", "Habeas corpus", "Haber process", "Hack", "Haddocks' Eyes",
    "Haemophilia", "Haggai", "Haggis", "Demographics of Israel", "Demographics of the Republic of Ireland",
    # held-out pages among the first 60 in name order that raise flags (added with the fresh part)
    "H.263", "Hair", "Hall effect", "Ham", "Hamilton, Ontario", "Hammerhead shark", "Hammurabi",
    "Hangman (game)", "Hans-Georg Gadamer", "Harmonica", "Harold Eugene Edgerton", "Harry Kroto",
)  # fmt: skip
#: English same-story article pairs of SemEval-2022 Task 8 (``pair_id``) analysed as one story each
#: (the second: a Polish article and its English translation, the one flag among the 121 held-out
#: pairs in de, es, fr, it or pl, or across to English, with Overall <= 2.5)
SEMEVAL_PAIRS = ("1484906200_1485040206", "1596106217_1597013708en")
#: MRPC sentence pairs (``id1_id2``) that raise flags among the sample whose CRC-32 is 0 modulo 6
#: (644 pairs): 0 modulo 12 the tune part, 6 modulo 12 the fresh part
MRPC_PAIRS = (
    "106871_106899", "1091318_1091268", "1093844_1093616", "1279583_1279615", "137972_137865", "138066_137972", "1404480_1404314",
    "1414523_1414461", "1530510_1530311", "1685339_1685429", "1692902_1692851", "20860_20886", "2174134_2174119", "2221657_2221678",
    "222569_222647", "2254321_2254236", "2306149_2305958", "2330167_2330142", "2396679_2396818", "248894_248865", "2720998_2720694",
    "2761028_2761040", "2764143_2764068", "2876839_2876840", "2924601_2924957", "3153787_3153820", "3179543_3179259", "3187659_3187625",
    "3270885_3270862", "3290113_3290192", "3306448_3306659", "3326623_3326701", "36516_36820", "379930_379912", "453448_453574",
    "507548_507739", "572517_572552", "723744_723573", "786550_786525", "960466_960881", "1018965_1019063", "1091180_1091301",
    "1268400_1268118", "1311944_1312142", "1357528_1357493", "144758_144855", "1462228_1462201", "1617908_1617844", "1807659_1807691",
    "185327_185283", "1983258_1983180", "2063581_2063592", "2221460_2221621", "2413690_2413644", "2444625_2444663", "2469444_2469659",
    "2564891_2565017", "2630710_2630750", "2677365_2677297", "2813127_2813236", "2980753_2980614", "3177055_3177119", "3320577_3320553",
    "3448488_3448449", "3449037_3449133", "388283_388371", "487951_488007", "555553_555528", "556143_556050", "787052_786685",
    "86007_86373", "871476_871541", "968428_968105", "992373_992505",
)  # fmt: skip
#: the fast subset (``storytrace eval --fast``, the CI gate): every news story and pair, the first
#: 15 pages (not the two long statistics pages nor the pages added with the fresh part)
FAST_ECB_STORIES = ALL_ECB_STORIES
FAST_VERSION_PAGES = VERSION_PAGES[:15]
FAST_SEMEVAL_PAIRS = SEMEVAL_PAIRS
FAST_MRPC_PAIRS = MRPC_PAIRS


def digest(text: str) -> str:
    """A short, whitespace-insensitive hash of a text (labels key on it instead of the text)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()[:12]


def part_of(story: str) -> str:
    """``tune``, ``held-out`` or ``fresh``: ECB+ by topic (1, 5, 9, ... tune; 3, 7, 11, ... held
    out; even topics fresh), MRPC by pair hash (tune or fresh), pages and SemEval pairs by hash."""
    source, _, name = story.partition(":")
    if source == "ecbplus":
        topic = int(name.split("_", 1)[0])
        return "fresh" if topic % 2 == 0 else "tune" if topic % 4 == 1 else "held-out"
    if source == "mrpc":
        return "tune" if zlib.crc32(name.encode("utf-8")) % 12 == 0 else "fresh"
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


def _mrpc_pairs(data: Path, pairs: Sequence[str]) -> dict[str, tuple[RawArticle, RawArticle]]:
    """The two sentences of each MRPC pair (``id1_id2``) as two texts."""
    import csv

    wanted = set(pairs)
    out: dict[str, tuple[RawArticle, RawArticle]] = {}
    with (data / "mrpc" / "msr_paraphrase_train.txt").open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) >= 5 and f"{row[1]}_{row[2]}" in wanted:
                out[f"{row[1]}_{row[2]}"] = (RawArticle(row[1], row[3]), RawArticle(row[2], row[4]))
    return out


def revisions(data: Path, page: str) -> list[RawArticle]:
    """The revisions of a ``versions`` page, oldest first, with ids ``page@k``."""
    folder = data / "versions" / page
    files = sorted(folder.glob("*.txt"), key=lambda p: int(p.stem))
    return [RawArticle(f"{page}@{p.stem}", p.read_text(encoding="utf-8")) for p in files]


def collect(
    data: Path,
    config: Config,
    ecb_stories: Sequence[str] = ALL_ECB_STORIES,
    pages: Sequence[str] = VERSION_PAGES,
    semeval: Sequence[str] = SEMEVAL_PAIRS,
    embedder: Any = None,
    log: Any = None,
    mrpc: Sequence[str] = MRPC_PAIRS,
) -> list[Flag]:
    """Every drift flag storytrace raises on the benchmark set, in a stable order: each ECB+ gold
    story and each SemEval pair analysed as one story (the stories on all cores), each page's
    consecutive revisions compared, each MRPC pair's second sentence compared with its first."""
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
    texts = _mrpc_pairs(data, mrpc) if mrpc else {}
    for pid in mrpc:
        if pid not in texts:
            raise ConfigError(f"MRPC pair {pid!r} is not in {data / 'mrpc'}")
        diff = pipe.compare_revisions(*texts[pid])
        if diff is not None:
            out += [_flag(f"mrpc:{pid}", d) for d in diff.drift]
    if log and mrpc:
        log(f"drift-real: {len(mrpc)} MRPC pairs")
    return out


# --- the suite -------------------------------------------------------------------------------


def of_set(
    labels: Iterable[Label],
    stories: Sequence[str],
    pages: Sequence[str],
    pairs: Sequence[str],
    mrpc: Sequence[str] = (),
) -> list[Label]:
    """The labels of the flags of these ECB+ stories, ``versions`` pages, SemEval and MRPC pairs."""
    wanted = (
        {f"ecbplus:{s}" for s in stories}
        | {f"versions:{p}" for p in pages}
        | {f"semeval:{p}" for p in pairs}
        | {f"mrpc:{p}" for p in mrpc}
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
        for name, part in (
            ("all", None),
            ("tune part", "tune"),
            ("held-out part", "held-out"),
            ("fresh part", "fresh"),
        )
    ]
    rows += [
        Row(f"storytrace, {name}", scores(m, labels, None, source))
        for name, source in (
            ("ECB+ news stories", "ecbplus"),
            ("news pairs (SemEval)", "semeval"),
            ("news sentence pairs (MRPC)", "mrpc"),
            ("Wikipedia revisions", "versions"),
        )
    ]
    return tuple(rows)


def pins(m: Match, labels: Sequence[Label]) -> dict[str, float]:
    """The gated scores: precision overall, on the held-out and fresh parts and on the ECB+ news
    stories, true flags kept, and whether coverage is at least ``MIN_COVERAGE`` (1 or 0)."""
    every, held, news = scores(m, labels), scores(m, labels, "held-out"), scores(m, labels, None, "ecbplus")
    fresh = scores(m, labels, "fresh")
    coverage = every["coverage"] or 0.0
    return {
        "precision": every["precision"] or 0.0,
        "held-out precision": held["precision"] or 0.0,
        "fresh precision": fresh["precision"] or 0.0,
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
    stories = FAST_ECB_STORIES if ctx.fast else ALL_ECB_STORIES
    pages = FAST_VERSION_PAGES if ctx.fast else VERSION_PAGES
    pairs = FAST_SEMEVAL_PAIRS if ctx.fast else SEMEVAL_PAIRS
    mrpc = FAST_MRPC_PAIRS if ctx.fast else MRPC_PAIRS
    labels = of_set(labels, stories, pages, pairs, mrpc)
    flags = collect(ctx.data, ctx.config, stories, pages, pairs, ctx.embedder, ctx.log, mrpc)
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
        f"{len(stories)} ECB+ gold stories and {len(pairs)} SemEval-2022 Task 8 pair(s), each analysed alone, "
        f"{len(mrpc)} MRPC sentence pairs and the consecutive revisions of {len(pages)} Wikipedia pages; "
        f"{len(labels)} hand-labelled flags ({sum(lab.label for lab in labels)} true), `{LABEL_FILE}`. "
        "Tune part: ECB+ topics 1, 5, 9, ...; held-out part: topics 3, 7, 11, ...; fresh part (never tuned "
        "on): even topics and the blind MRPC sample (pages, SemEval and MRPC pairs split by a hash of the name)."
    )
    return SuiteResult(
        NAME,
        TITLE,
        protocol,
        COLUMNS,
        table_rows(m, labels),
        pinned=pins(m, labels),
        targets={"precision": 0.80, "ECB+ precision": 0.80, "fresh precision": 0.80},
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
    )


def describe(m: Match, labels: Sequence[Label]) -> Mapping[str, Any]:
    """A summary for the command line: scores per part and the false families."""
    return {
        "all": scores(m, labels),
        "tune": scores(m, labels, "tune"),
        "held-out": scores(m, labels, "held-out"),
        "fresh": scores(m, labels, "fresh"),
        "ECB+": scores(m, labels, None, "ecbplus"),
        "SemEval": scores(m, labels, None, "semeval"),
        "MRPC": scores(m, labels, None, "mrpc"),
        "versions": scores(m, labels, None, "versions"),
        "false families": families(lab for _, lab in m.matched if not lab.label),
        "unlabelled": len(m.unlabelled),
    }
