"""A generated news day for bench/throughput.py: real ECB+ stories, wire stories with copies,
trims and rewrites, and unrelated singletons, in proportions modelled on a media-monitoring feed.

How a corpus of ``n`` articles is built (deterministic for a seed; nothing is written to the repo):

- **real stories** (about 4% of the articles): whole ECB+ stories (``../shared/data/ecbplus``),
  independent reports of one event by different outlets, as published; ``66 * n / 20000`` of the
  66 stories, so the 20k corpus holds all 772 articles;
- **wire stories** (about 66%): an origin article and its republications. Story sizes are drawn
  from a heavy-tailed (Zipf-like) law: most stories have 2 to 5 versions, a few have 30 to 60
  (every corpus of 5k or more articles has stories of 30+ versions). Each republication is one of:
  a *copy* (35%: the origin with the outlet's own furniture lines, a byline or a credit added),
  a *trim* (25%: the first 40 to 85% of the sentences, with furniture), a *rewrite* (30%: about
  half the sentences reworded: words swapped for synonyms, clauses moved, numbers reformatted,
  sentences merged or dropped, fresh sentences added), or a *mix* (10%: a rewrite of a copy made
  by another republisher, so chains of derivation exist). Origins are real semeval-2022 English
  news articles or *fresh* articles (below);
- **singletons** (30%): unrelated articles, fresh or real semeval English news articles.

A *fresh* article is made of sentences drawn from one topic of a pool of real news sentences (ECB+,
MRPC, semeval English), each sentence reworded so it is a new string: capitalised names swapped
for other names of the pool, numbers changed, some words swapped for synonyms. The pool is small
(about 30,000 real sentences) next to the sentences a 20k corpus needs, and rewording keeps each
generated sentence distinct: caches keyed by sentence text see the share of repeated sentences
that copies and trims give, not an artefact of a small pool (the bench prints that share).
Nothing here knows what storytrace detects: the edit operations are generic newsroom edits.
"""

from __future__ import annotations

import csv
import json
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
DATA = SHARED / "data"
ECB = DATA / "ecbplus" / "articles.jsonl"

_CAP = re.compile(r"\b[A-Z][a-z]{2,}\b")
_NUM = re.compile(r"\b\d[\d,]*\b")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")

SYNONYMS = {
    "said": "stated", "says": "stated", "told": "informed", "killed": "left dead", "police": "authorities",
    "officials": "authorities", "people": "individuals", "arrested": "detained", "began": "started",
    "started": "began", "big": "large", "large": "major", "help": "assist", "about": "around",
    "more than": "over", "after": "following", "before": "ahead of", "because": "since", "also": "additionally",
    "announced": "unveiled", "company": "firm", "government": "administration", "attack": "assault",
    "injured": "wounded", "show": "reveal", "shows": "reveals", "report": "account", "reported": "said",
    "near": "close to", "city": "town", "earlier": "previously", "tried": "attempted", "buy": "acquire",
    "bought": "acquired", "expected": "anticipated", "hit": "struck", "died": "passed away",
}  # fmt: skip
FURNITURE = [
    "Copyright {y} {o}. All rights reserved.", "Follow {o} on social media for the latest updates.",
    "Sign up for the {o} newsletter.", "Reporting by {n}; editing by {m}.", "({o})",
    "This article originally appeared on the wire.", "Read more: latest headlines from {o}.",
    "Additional reporting by {n}.", "{o} contributed to this report.", "Advertisement",
    "Share this article", "Comments are closed.", "Photo: {o} / file",
]  # fmt: skip
OUTLETS = [f"{a} {b}" for a in ("Daily", "Evening", "Metro", "Valley", "Coast", "National", "City", "Morning")
           for b in ("Herald", "Post", "Times", "Journal", "Courier", "Ledger", "Gazette", "Tribune")]  # fmt: skip


@dataclass
class Item:
    id: str
    text: str
    kind: str  # real, origin, copy, trim, rewrite, mix, singleton
    story: str  # generating story (singletons: their own id)
    source: str
    published: datetime
    title: str


class Pool:
    """Real news sentences by topic, and the names and words to reword them with."""

    def __init__(self) -> None:
        self.ecb: dict[str, list[dict[str, str]]] = {}
        topics: dict[str, list[str]] = {}
        with ECB.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                self.ecb.setdefault(row["story"], []).append(row)
                topics.setdefault("ecb" + row["topic"], []).extend(
                    s for s in row["text"].split("\n") if len(s.split()) >= 6
                )
        self.semeval = _semeval_english()
        for k, text in enumerate(self.semeval):
            topics.setdefault(f"sem{k % 40}", []).extend(s for s in _SPLIT.split(text) if len(s.split()) >= 6)
        mrpc = DATA / "mrpc" / "msr_paraphrase_train.txt"
        if mrpc.exists():
            with mrpc.open(encoding="utf-8-sig") as handle:
                for k, line in enumerate(handle):
                    cols = line.rstrip("\n").split("\t")
                    if len(cols) == 5 and cols[0] in "01":
                        topics.setdefault(f"mrpc{k % 60}", []).append(cols[3])
        self.topics = {t: sorted(set(s)) for t, s in topics.items() if len(set(s)) >= 12}
        self.names = sorted({w for ss in self.topics.values() for s in ss for w in _CAP.findall(s)[1:]})


def _semeval_english() -> list[str]:
    path = DATA / "semeval2022_task8" / "pairs.csv"
    if not path.exists():
        return []
    csv.field_size_limit(1 << 30)
    seen: dict[str, None] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            for lang, text in ((row["lang1"], row["text1"]), (row["lang2"], row["text2"])):
                if lang == "en" and len(text.split()) >= 80:
                    seen.setdefault(text.strip(), None)
    return list(seen)


class NewsDay:
    def __init__(self, n: int, seed: int = 16) -> None:
        self.n = n
        self.rng = random.Random(seed)
        self.pool = Pool()
        self.day = datetime(2026, 3, 2, tzinfo=UTC)
        self.items: list[Item] = []
        self._semeval = list(self.pool.semeval)
        self.rng.shuffle(self._semeval)

    # -- text operations ------------------------------------------------------------------
    def reword(self, sentence: str, strength: float = 0.5) -> str:
        rng = self.rng
        words = sentence.split(" ")
        for k, w in enumerate(words):
            if k and _CAP.fullmatch(w) and rng.random() < strength:
                words[k] = rng.choice(self.pool.names)
            elif _NUM.fullmatch(w) and rng.random() < strength:
                words[k] = str(rng.randint(2, 900))
            elif w.lower() in SYNONYMS and rng.random() < strength:
                words[k] = SYNONYMS[w.lower()]
        out = " ".join(words)
        if out == sentence:  # every fresh sentence is a new string
            out = rng.choice(("Meanwhile, ", "However, ", "Officials said ", "According to reports, ")) + (
                sentence[0].lower() + sentence[1:]
            )
        return out

    def fresh(self) -> list[str]:
        topic = self.rng.choice(sorted(self.pool.topics))
        pool = self.pool.topics[topic]
        k = min(len(pool), self.rng.randint(8, 24))
        return [self.reword(s) for s in self.rng.sample(pool, k)]

    def origin_sentences(self) -> list[str]:
        if self._semeval and self.rng.random() < 0.25:
            return [s for s in _SPLIT.split(self._semeval.pop()) if s.strip()]
        return self.fresh()

    def rewrite(self, sentences: list[str]) -> list[str]:
        rng = self.rng
        out: list[str] = []
        k = 0
        while k < len(sentences):
            s = sentences[k]
            r = rng.random()
            if r < 0.08 and len(sentences) > 6:
                pass  # dropped
            elif r < 0.16 and k + 1 < len(sentences):
                out.append(s.rstrip(".") + ", and " + sentences[k + 1][0].lower() + sentences[k + 1][1:])
                k += 1
            elif r < 0.55:
                words = s.split(" ")
                words = [SYNONYMS.get(w, w) if rng.random() < 0.5 else w for w in words]
                edited = " ".join(words)
                if ", " in edited and rng.random() < 0.4:
                    head, _, tail = edited.partition(", ")
                    edited = tail.rstrip(".") + ", " + head[0].lower() + head[1:] + "."
                edited = re.sub(r"\b(\d{1,3}),(\d{3})\b", r"\1\2", edited)
                out.append(edited if edited != s else "Reportedly, " + s[0].lower() + s[1:])
            else:
                out.append(s)
            k += 1
        for _ in range(rng.randint(0, 3)):
            out.insert(rng.randint(0, len(out)), self.reword(rng.choice(self.fresh())))
        return out

    def furniture(self, outlet: str) -> list[str]:
        picks = self.rng.sample(FURNITURE, self.rng.randint(1, 3))
        return [
            f.format(y=2026, o=outlet, n=self.rng.choice(self.pool.names), m=self.rng.choice(self.pool.names))
            for f in picks
        ]

    # -- corpus -----------------------------------------------------------------------------
    def add(self, sentences: list[str], kind: str, story: str, when: datetime, outlet: str) -> Item:
        item = Item(
            id=f"d{len(self.items):06d}",
            text="\n".join(sentences),
            kind=kind,
            story=story,
            source=outlet,
            published=when,
            title=sentences[0][:80] if sentences else "",
        )
        self.items.append(item)
        return item

    def build(self) -> list[Item]:
        rng = self.rng
        n = self.n
        n_real = max(2, round(66 * n / 20000))
        for story in sorted(self.pool.ecb)[:: max(1, 66 // n_real)][:n_real]:
            for row in self.pool.ecb[story]:
                when = self.day + timedelta(minutes=rng.randint(0, 1439))
                self.add(row["text"].split("\n"), "real", story, when, rng.choice(OUTLETS))
        singletons = round(0.30 * n)
        wire_target = n - singletons
        story_no = 0
        while len(self.items) < wire_target:
            story_no += 1
            size = min(60, int(1 + rng.paretovariate(1.1)))
            size = min(size, wire_target - len(self.items))
            sid = f"wire{story_no}"
            base = self.origin_sentences()
            when = self.day + timedelta(minutes=rng.randint(0, 1000))
            versions = [(base, self.add(base, "origin", sid, when, rng.choice(OUTLETS)))]
            for _ in range(size - 1):
                parent, parent_item = rng.choice(versions) if rng.random() < 0.3 else versions[0]
                outlet = rng.choice(OUTLETS)
                r = rng.random()
                if r < 0.35:
                    kind, text = "copy", parent + self.furniture(outlet)
                elif r < 0.60:
                    keep = max(3, round(len(parent) * rng.uniform(0.4, 0.85)))
                    kind, text = "trim", parent[:keep] + self.furniture(outlet)
                elif r < 0.90:
                    kind, text = "rewrite", self.rewrite(parent)
                else:
                    kind, text = "mix", self.rewrite(parent + self.furniture(outlet))
                later = parent_item.published + timedelta(minutes=rng.randint(5, 600))
                versions.append((text, self.add(text, kind, sid, later, outlet)))
        while len(self.items) < n:
            sentences = self.origin_sentences() if rng.random() < 0.15 else self.fresh()
            when = self.day + timedelta(minutes=rng.randint(0, 1439))
            self.add(sentences, "singleton", f"single{len(self.items)}", when, rng.choice(OUTLETS))
        order = list(range(len(self.items)))
        rng.shuffle(order)  # arrival order is not story order
        return [self.items[k] for k in order]


def write_jsonl(items: list[Item], path: Path) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for it in items:
            row = {"id": it.id, "text": it.text, "title": it.title, "source": it.source,
                   "published": it.published.isoformat()}  # fmt: skip
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def describe(items: list[Item]) -> str:
    from collections import Counter

    kinds = Counter(it.kind for it in items)
    sizes = Counter(it.story for it in items)
    sentences = [s for it in items for s in it.text.split("\n")]
    big = sum(1 for c in sizes.values() if c >= 30)
    return (
        f"{len(items):,} articles: "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
        + f"; {sum(1 for c in sizes.values() if c > 1)} multi-article stories ({big} of 30+ versions, "
        f"largest {max(sizes.values())}); {len(sentences):,} sentences, {len(set(sentences)) / len(sentences):.0%} distinct"
    )
