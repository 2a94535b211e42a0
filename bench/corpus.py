"""Generated corpora with planted duplicates, for bench/minhash.py, scale.py, spark.py and web.py.

Articles are drawn sentence by sentence from one ECB+ topic (../shared/data/ecbplus), so
unrelated articles about the same topic share a few sentences, as real coverage does. Planted on
top, at known rates:

- exact duplicates: the same text re-cased, re-spaced or with punctuation changed;
- near duplicates: a copy with one to three edits (a word replaced, a word dropped, a sentence
  dropped, a boilerplate line added, a sentence added from elsewhere), kept only when the true
  Jaccard similarity of its shingle set with the source is at least ``near_min``;
- related articles: a new article that reuses about half of the source's sentences (true
  Jaccard well below the near-duplicate threshold), the hard negatives.

Nothing from ../shared is written into the repository: corpora go to temporary files.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
ECB = SHARED / "data" / "ecbplus" / "articles.jsonl"
_WORD = re.compile(r"\w+")

BOILERPLATE = [
    "Copyright 2026 The Associated Wire. All rights reserved.",
    "This story has been corrected to fix the spelling of a name.",
    "Sign up for our newsletter to get the latest news every morning.",
    "Follow us on social media for breaking news and updates.",
]


def load_topics() -> dict[str, list[str]]:
    """Sentences of the ECB+ articles, by topic (each article's text has one sentence a line)."""
    topics: dict[str, list[str]] = {}
    with ECB.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            sentences = [s.strip() for s in row["text"].split("\n") if len(s.split()) >= 4]
            topics.setdefault(row["topic"], []).extend(sentences)
    return {t: sorted(set(s)) for t, s in topics.items()}


def shingle_set(text: str, n: int) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def jaccard(a: str, b: str, n: int) -> float:
    x, y = shingle_set(a, n), shingle_set(b, n)
    return len(x & y) / len(x | y) if x or y else 1.0


@dataclass(frozen=True)
class Planted:
    id: str
    text: str
    #: "original", "exact", "near" or "related"
    kind: str
    #: index of the article it was made from (itself for originals)
    source: int
    #: true Jaccard with the source (near and related only; 1.0 otherwise)
    jaccard: float


class Generator:
    def __init__(self, seed: int = 7, shingle_size: int = 5, near_min: float = 0.8) -> None:
        self.rng = random.Random(seed)
        self.topics = load_topics()
        self.names = sorted(self.topics)
        self.n = shingle_size
        self.near_min = near_min

    def original(self) -> str:
        pool = self.topics[self.rng.choice(self.names)]
        k = min(len(pool), self.rng.randint(6, 18))
        return "\n".join(self.rng.sample(pool, k))

    def exact(self, text: str) -> str:
        how = self.rng.randrange(3)
        if how == 0:
            return text.upper()
        if how == 1:
            return "  " + text.replace(" ", "  ").replace("\n", "\n\n") + "\n"
        return text.replace(",", "").replace(".", " .")

    def near(self, text: str) -> tuple[str, float]:
        for _ in range(20):
            lines = text.split("\n")
            for _ in range(self.rng.randint(1, 3)):
                op = self.rng.randrange(5)
                if op == 0:  # replace a word
                    i = self.rng.randrange(len(lines))
                    words = lines[i].split(" ")
                    words[self.rng.randrange(len(words))] = self.rng.choice(
                        ["reportedly", "Monday", "officials"]
                    )
                    lines[i] = " ".join(words)
                elif op == 1:  # drop a word
                    i = self.rng.randrange(len(lines))
                    words = lines[i].split(" ")
                    if len(words) > 4:
                        del words[self.rng.randrange(len(words))]
                    lines[i] = " ".join(words)
                elif op == 2 and len(lines) > 8:  # drop a sentence
                    del lines[self.rng.randrange(len(lines))]
                elif op == 3:  # boilerplate line
                    lines.append(self.rng.choice(BOILERPLATE))
                else:  # a sentence from the same pool of news
                    lines.insert(self.rng.randrange(len(lines) + 1), self.original().split("\n")[0])
            edited = "\n".join(lines)
            sim = jaccard(text, edited, self.n)
            if sim >= self.near_min and edited != text:
                return edited, sim
        return text + "\n" + BOILERPLATE[0], jaccard(text, text + "\n" + BOILERPLATE[0], self.n)

    def related(self, text: str) -> tuple[str, float]:
        lines = text.split("\n")
        keep = self.rng.sample(lines, max(1, len(lines) // 2))
        fresh = self.original().split("\n")[: len(lines) - len(keep) + 2]
        mixed = keep + fresh
        self.rng.shuffle(mixed)
        out = "\n".join(mixed)
        return out, jaccard(text, out, self.n)

    def generate(
        self, count: int, exact_rate: float = 0.05, near_rate: float = 0.10, related_rate: float = 0.05
    ) -> Iterator[Planted]:
        """``count`` articles; each planted copy is made from an earlier original."""
        originals: list[int] = []
        texts: dict[int, str] = {}
        for i in range(count):
            r = self.rng.random()
            ident = f"a{i:07d}"
            if originals and r < exact_rate + near_rate + related_rate:
                src = self.rng.choice(originals[-5000:])
                base = texts[src]
                if r < exact_rate:
                    yield Planted(ident, self.exact(base), "exact", src, 1.0)
                elif r < exact_rate + near_rate:
                    text, sim = self.near(base)
                    yield Planted(ident, text, "near", src, sim)
                else:
                    text, sim = self.related(base)
                    yield Planted(ident, text, "related", src, sim)
                continue
            text = self.original()
            originals.append(i)
            texts[i] = text
            if len(texts) > 6000:  # only recent originals are copied: bounded memory
                texts.pop(originals[-6001])
            yield Planted(ident, text, "original", i, 1.0)


def ecb_absent() -> bool:
    """True (after saying so) when ../shared is not beside the repository: the benches skip."""
    if ECB.exists():
        return False
    print(f"skipped: {ECB} is absent (../shared is not checked out here)")
    return True


def corpus_articles(count: int) -> Iterator[Planted]:
    """The generated corpus of the scale, Spark and web benches (the same articles in each)."""
    return Generator(seed=2026, shingle_size=5, near_min=0.8).generate(count)


def published_at(i: int) -> str:
    """The publication time of the ``i``-th generated article (spread over February 2026)."""
    return f"2026-02-{1 + (i * 7919) % 28:02d}T{i % 24:02d}:00:00Z"
