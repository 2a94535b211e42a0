"""Drift quality benchmark: planted fact edits in derived copies of real news articles.

Each selected article of ../shared/data/ecbplus/articles.jsonl gets a derived copy with one or
two planted fact edits (name, number, date, quote, status, negation) mixed with changes that are
NOT drift: dropped and reordered sentences, pasted site furniture, straight/curly quote swaps,
contractions, British/American spelling, qualifier wording ("about" / "approximately"). The
original and its copy go through the full `analyze` pipeline; every drift reported along the
derivation edge is matched against the planted edits. Prints precision and recall per kind and
overall (targets: overall precision >= 0.90, recall >= 0.85).

Articles are split by topic parity: the scored half (even topics) is what the numbers below
report; the odd half was used while developing the rules. `evaluate(data, fast)` is the entry
point of the `storytrace eval` drift suite; `--fast` runs the CI subset.

Usage: .venv/bin/python bench/drift.py [--limit N] [--fast]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
KINDS = ("name", "number", "date", "quote", "status", "negation")

FURNITURE = ["Read Mode", "Share this article", "Sign up for our newsletter to get the latest headlines every morning.",
             "Advertisement", "3 min read"]  # fmt: skip
SPELLING = [("organize", "organise"), ("color", "colour"), ("defense", "defence"), ("center", "centre"),
            ("program", "programme"), ("favor", "favour"), ("analyze", "analyse"), ("labor", "labour")]  # fmt: skip
CONTRACTIONS = [("do not", "don't"), ("did not", "didn't"), ("is not", "isn't"), ("was not", "wasn't"),
                ("will not", "won't"), ("it is", "it's"), ("we are", "we're"), ("they are", "they're")]  # fmt: skip
QUOTE_SYNONYMS = {"good": "fine", "great": "huge", "happy": "glad", "very": "really", "big": "large",
                  "important": "crucial", "need": "require", "want": "wish", "help": "assist", "believe": "think",
                  "hope": "expect", "difficult": "hard", "sad": "upset", "best": "finest", "quickly": "rapidly"}  # fmt: skip
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "June", "July", "August", "September", "October", "November",
          "December"]  # fmt: skip


@dataclass(frozen=True)
class Plant:
    kind: str
    before: str
    after: str


def _garble(word: str, rng: random.Random) -> str:
    """A machine-translation style misspelling: one vowel or doubled letter changed."""
    vowels = [k for k, ch in enumerate(word) if ch in "aeiou" and k > 0]
    if vowels:
        k = rng.choice(vowels)
        repl = {"a": "e", "e": "i", "i": "y", "o": "u", "u": "o"}[word[k]]
        return word[:k] + repl + word[k + 1 :]
    return word[:-1] + word[-1] * 2


def _plant_name(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    # a surname after a capitalised first name, not at the start of the sentence
    quoted = [(q.start(), q.end()) for q in re.finditer(r"[\"“‘'][^\"”’']*[\"”’']", sent)]
    cands = [m for m in re.finditer(r"(?<=[a-z,] )([A-Z][a-z]+) ([A-Z][a-z]{3,})\b", sent)
             if not any(a <= m.start() < b for a, b in quoted)]  # fmt: skip
    if not cands:
        return None
    m = rng.choice(cands)
    new = _garble(m.group(2), rng)
    return sent[: m.start(2)] + new + sent[m.end(2) :], Plant("name", m.group(2), new)


def _plant_number(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    month = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+$"
    cands = [m for m in re.finditer(r"\b(\d{1,3}(?:,\d{3})+|\d+)\b(?=\s+[a-z]{3,})", sent)
             if not re.fullmatch(r"(19|20)\d\d", m.group(1))
             and not re.search(month, sent[: m.start()], re.IGNORECASE)]  # fmt: skip
    if not cands:
        return None
    m = rng.choice(cands)
    value = int(m.group(1).replace(",", ""))
    new_value = value + rng.choice([1, 2, 3]) * max(1, value // 4 or 1) + 1
    new = f"{new_value:,}" if "," in m.group(1) else str(new_value)
    return sent[: m.start(1)] + new + sent[m.end(1) :], Plant("number", m.group(1), new)


def _plant_date(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    for names in (WEEKDAYS, MONTHS):
        found = [m for m in re.finditer(r"\b(" + "|".join(names) + r")\b", sent)]
        if found:
            m = rng.choice(found)
            new = rng.choice([n for n in names if n != m.group(1)])
            return sent[: m.start()] + new + sent[m.end() :], Plant("date", m.group(1), new)
    years = [m for m in re.finditer(r"\b(?:in|since|of) ((?:19|20)\d\d)\b", sent)]
    if years:
        m = rng.choice(years)
        new = str(int(m.group(1)) + rng.choice([-2, -1, 1, 2]))
        return sent[: m.start(1)] + new + sent[m.end(1) :], Plant("date", m.group(1), new)
    return None


def _plant_quote(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    for m in re.finditer(r"\"([^\"]{12,})\"", sent):
        words = list(re.finditer(r"\b[a-z]{3,}\b", m.group(1)))
        swaps = [w for w in words if w.group(0) in QUOTE_SYNONYMS]
        w = rng.choice(swaps) if swaps else (rng.choice(words) if words else None)
        if w is None:
            continue
        start, end = m.start(1) + w.start(), m.start(1) + w.end()
        if w.group(0) in QUOTE_SYNONYMS:
            new = QUOTE_SYNONYMS[w.group(0)]
            return sent[:start] + new + sent[end:], Plant("quote", w.group(0), new)
        return sent[:start] + "certainly " + sent[start:], Plant("quote", "", "certainly")
    return None


def _plant_status(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    """'will visit' -> 'may visit', or a finite past verb with its subject -> 'will <verb>'
    ("police arrested him" -> "police will arrest him"; participles are left alone)."""
    m = re.search(r"\bwill ([a-z]{3,})\b", sent)
    if m:
        return sent[: m.start()] + "may " + m.group(1) + sent[m.end() :], Plant("status", "will", "may")
    from storytrace.text.mentions import REPORTING
    from storytrace.text.nlp import parse

    doc = parse([sent])[0]
    verbs = [
        t
        for t in doc
        if t.tag_ == "VBD"
        and t.pos_ == "VERB"
        and t.lemma_.lower() not in REPORTING
        and any(c.dep_ == "nsubj" for c in t.children)
        and not any(c.dep_ == "aux" for c in t.children)
    ]
    if not verbs:
        return None
    tok = rng.choice(verbs)
    new = f"will {tok.lemma_.lower()}"
    return sent[: tok.idx] + new + sent[tok.idx + len(tok.text) :], Plant("status", tok.text, "will")


def _plant_negation(sent: str, rng: random.Random) -> tuple[str, Plant] | None:
    m = re.search(r"\b(is|was|are|were|will|would|could|can|has|have|had) not\b", sent)
    if m:
        return sent[: m.end(1)] + sent[m.end() :], Plant("negation", "not", "")
    m = re.search(r"\b(is|was|are|were|will|would|could|can)\b(?! not)", sent[1:])
    if m:
        k = m.end() + 1
        return sent[:k] + " not" + sent[k:], Plant("negation", "", "not")
    return None


PLANTERS: dict[str, Callable[[str, random.Random], tuple[str, Plant] | None]] = {
    "name": _plant_name, "number": _plant_number, "date": _plant_date, "quote": _plant_quote,
    "status": _plant_status, "negation": _plant_negation,
}  # fmt: skip


def _noise(sentences: list[str], rng: random.Random, protected: set[int]) -> list[str]:
    """Changes that are not drift."""
    out = []
    for k, s in enumerate(sentences):
        if k not in protected and k > 1 and rng.random() < 0.15:
            continue  # dropped sentence
        for us, uk in SPELLING:
            s = re.sub(rf"\b{us}", uk, s) if rng.random() < 0.5 else s
        for full, short in CONTRACTIONS:
            if rng.random() < 0.5:
                s = re.sub(rf"\b{full}\b", short, s)
        if rng.random() < 0.5:
            s = re.sub(r"\"([^\"]*)\"", r"“\1”", s)
        s = re.sub(r"\babout (\d)", r"approximately \1", s) if rng.random() < 0.5 else s
        out.append(s)
    if len(out) > 4:
        i = rng.randrange(2, len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]  # reordered
    out.insert(min(len(out), 2), rng.choice(FURNITURE))
    return out


def make_pair(article: dict[str, str], rng: random.Random) -> tuple[str, str, list[Plant]] | None:
    sentences = [s.strip() for s in article["text"].split("\n") if s.strip()]
    if len(sentences) < 5:
        return None
    kinds = list(KINDS)
    rng.shuffle(kinds)
    plants: list[Plant] = []
    changed: dict[int, str] = {}
    for kind in kinds:
        if len(plants) == 2:
            break
        order = list(range(len(sentences)))
        rng.shuffle(order)
        for k in order:
            if k in changed:
                continue
            got = PLANTERS[kind](sentences[k], rng)
            if got:
                changed[k], plant = got
                plants.append(plant)
                break
    if not plants:
        return None
    derived = [changed.get(k, s) for k, s in enumerate(sentences)]
    derived = _noise(derived, rng, set(changed))
    return "\n\n".join(sentences), "\n\n".join(derived), plants


def _expand(text: str) -> str:
    text = text.lower().replace("’", "'")
    return re.sub(r"n't\b", " not", text.replace("won't", "will not").replace("can't", "can not"))


def _matches(plant: Plant, kind: str, before: str, after: str) -> bool:
    if kind != plant.kind:
        return False
    b, a = _expand(before), _expand(after)
    pb, pa = plant.before.lower(), plant.after.lower()
    return (pb in b and pa in a) or (pa in b and pb in a)  # either direction of the edge


def _rows(data: Path, half: str, seed: int) -> tuple[list[dict[str, str]], random.Random]:
    rows = [json.loads(line) for line in (data / "ecbplus" / "articles.jsonl").open(encoding="utf-8")]
    rows = [r for r in rows if int(r["topic"]) % 2 == (0 if half == "scored" else 1)]
    rows.sort(key=lambda r: r["id"])
    rng = random.Random(seed)
    rng.shuffle(rows)
    return rows, rng


def evaluate(data: Path = DATA, fast: bool = False, limit: int | None = None, seed: int = 7,
             log: Callable[[str], None] | None = None, generator: str = "v1", half: str = "scored",
             dump: Path | None = None) -> Mapping[str, Mapping[str, float]]:  # fmt: skip
    """Precision and recall per kind (and ``overall``) on the scored half (even topics) or the
    tuning half (odd topics). ``generator="v2"`` plants the edits of bench/drift_v2.py and adds
    rows per planter form, for no-drift pairs and per noise family (see ``drift_forms.rows``);
    ``dump`` (v2) writes each pair's plants and reported drift there as JSON lines."""
    from storytrace.config import Config
    from storytrace.pipeline import Pipeline
    from storytrace.records import RawArticle

    if half not in ("scored", "tuning") or generator not in ("v1", "v2"):
        raise ValueError(f"unknown half {half!r} or generator {generator!r}")
    if generator == "v2":
        return _evaluate_v2(data, fast, limit, seed, log, half, dump)
    rows, rng = _rows(data, half, seed)
    limit = limit or (40 if fast else 200)
    pipe = Pipeline.from_config(Config())
    planted: Counter[str] = Counter()
    found: Counter[str] = Counter()
    reported: Counter[str] = Counter()
    correct: Counter[str] = Counter()
    pairs = 0
    for row in rows:
        if pairs >= limit:
            break
        made = make_pair(row, rng)
        if made is None:
            continue
        original, derived, plants = made
        pairs += 1
        report = pipe.analyze_raw([RawArticle("original", original), RawArticle("derived", derived)])
        drift = [d for s in report.stories for d in s.dossier.drift]
        for p in plants:
            planted[p.kind] += 1
            if any(_matches(p, d.kind, d.before, d.after) for d in drift):
                found[p.kind] += 1
            elif log:
                log(f"missed {p.kind}: {p.before!r} -> {p.after!r}")
        for d in drift:
            reported[d.kind] += 1
            if any(_matches(p, d.kind, d.before, d.after) for p in plants):
                correct[d.kind] += 1
            elif log:
                log(f"false flag {d.kind}: {d.before!r} -> {d.after!r} | {d.target_sentence[:100]}")
        if log and pairs % 20 == 0:
            log(f"{pairs} pairs")
    scores: dict[str, dict[str, float]] = {}
    for kind in (*KINDS, "overall"):
        p_n = sum(planted.values()) if kind == "overall" else planted[kind]
        f_n = sum(found.values()) if kind == "overall" else found[kind]
        r_n = sum(reported.values()) if kind == "overall" else reported[kind]
        c_n = sum(correct.values()) if kind == "overall" else correct[kind]
        scores[kind] = {
            "precision": c_n / r_n if r_n else 1.0,
            "recall": f_n / p_n if p_n else 0.0,
            "planted": float(p_n),
            "reported": float(r_n),
        }
    return scores


def _evaluate_v2(data: Path, fast: bool, limit: int | None, seed: int, log: Callable[[str], None] | None,
                 half: str, dump: Path | None) -> Mapping[str, Mapping[str, float]]:  # fmt: skip
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from drift_forms import Tally, rows
    from drift_v2 import make_pair_v2_full, pair_record, run_pair
    from storytrace.config import Config
    from storytrace.pipeline import Pipeline
    from storytrace.records import RawArticle

    articles, rng = _rows(data, half, seed)
    limit = limit or (40 if fast else 200)
    pipe = Pipeline.from_config(Config())
    tally = Tally()
    balance: Counter[str] = Counter()
    out = dump.open("w", encoding="utf-8") if dump else None
    try:
        for row in articles:
            if tally.pairs >= limit:
                break
            pair = make_pair_v2_full(row, rng, balance)
            if pair is None:
                continue
            report = pipe.analyze_raw([RawArticle("original", pair.original), RawArticle("derived", pair.derived)])
            drift = [d for s in report.stories for d in s.dossier.drift]
            linked = any({e.source, e.target} == {"original", "derived"} for s in report.stories for e in s.derivations)
            run_pair(pair, drift, linked, tally, log)
            if out:
                out.write(json.dumps({"id": row["id"], "linked": linked, **pair_record(pair, drift)}) + "\n")
            if log and tally.pairs % 20 == 0:
                log(f"{tally.pairs} pairs")
    finally:
        if out:
            out.close()
    return rows(tally)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--fast", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print every miss and false flag")
    parser.add_argument("--generator", choices=("v1", "v2", "both"), default="v1")
    parser.add_argument("--half", choices=("scored", "tuning"), default="scored",
                        help="scored: even ECB+ topics; tuning: odd topics")  # fmt: skip
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--dump", type=Path, default=None, help="v2: write each pair's plants and drift here")
    args = parser.parse_args()
    if not (DATA / "ecbplus" / "articles.jsonl").exists():
        print(f"skipped: {DATA} is absent")
        return 0
    for generator in ("v1", "v2") if args.generator == "both" else (args.generator,):
        start = time.perf_counter()
        scores = evaluate(DATA, args.fast, args.limit, args.seed, print if args.verbose else None, generator,
                          args.half, args.dump if generator == "v2" else None)  # fmt: skip
        print(f"generator {generator}, {args.half} half, seed {args.seed}")
        if generator == "v1":
            print(f"{'kind':<10} {'precision':>9} {'recall':>7} {'planted':>8} {'reported':>9}")
            for kind, s in scores.items():
                print(
                    f"{kind:<10} {s['precision']:>9.3f} {s['recall']:>7.3f} {int(s['planted']):>8} {int(s['reported']):>9}"
                )
            targets = "overall precision >= 0.90, recall >= 0.85"
        else:
            sys.path.insert(0, str(Path(__file__).resolve().parent))
            from drift_forms import format_rows

            print("\n".join(format_rows(scores)))
            targets = "overall precision >= 0.95, recall >= 0.90"
        print(f"{time.perf_counter() - start:.0f} s; targets: {targets}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
