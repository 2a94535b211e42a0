"""What the language layer costs an English-only corpus (issue: across languages).

Target: English-only corpora are not slower by more than 20%. An English-only corpus never loads
the multilingual model; what it pays for is mojibake repair (ftfy), language detection of every
article and the mixed-language check (lingua). This script analyses the first N ECB+ articles
(English news) end to end, dossier included, in one process, alternately:

  A. as shipped;
  B. with the language layer switched off (every article taken as English, no repair),

each with a fresh embedder (no vector cache carried from one run to the next; models are loaded
once, before timing), and prints each wall time, the ratio A/B (median over the rounds), the
time of the language layer alone, and whether A and B found the same stories, derivations and
drift (they must: the layer changes nothing for English text).

Usage: PYTHONPATH=src .venv/bin/python bench/language_overhead.py [--limit 200] [--rounds 2]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from storytrace import pipeline as pipeline_module
from storytrace.config import Config
from storytrace.pipeline import Pipeline
from storytrace.read import clean
from storytrace.records import RawArticle, Report, Sentence
from storytrace.text.embed import SentenceTransformerEmbedder
from storytrace.text.language import detect, sentence_languages
from storytrace.text.segment import segment

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "ecbplus" / "articles.jsonl"


@contextlib.contextmanager
def language_layer_off() -> Iterator[None]:
    """Every article English, no mojibake repair: the pipeline as it was before the layer."""

    def english(text: str) -> str:
        return "en"

    def same(text: str, sentences: tuple[Sentence, ...], language: str) -> tuple[Sentence, ...]:
        return tuple(sentences)

    def no_repair(text: str) -> tuple[str, None]:
        return text, None

    names = (
        (pipeline_module, "detect", english),
        (pipeline_module, "sentence_languages", same),
        (clean, "repair_encoding", no_repair),
    )
    saved = [(module, name, getattr(module, name)) for module, name, _ in names]
    for module, name, replacement in names:
        setattr(module, name, replacement)
    try:
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def run(raws: list[RawArticle], config: Config) -> tuple[float, Report]:
    embedder = SentenceTransformerEmbedder(config.model, config.batch_size, cache=False)
    pipe = Pipeline(config=config, embedder=embedder)
    start = time.perf_counter()
    report = pipe.analyze_raw(raws)
    return time.perf_counter() - start, report


def outline(report: Report) -> Any:
    return [
        (s.articles, s.origin, [(d.source, d.target, d.relation) for d in s.derivations],
         [(x.source, x.target, x.kind, x.before, x.after) for x in s.dossier.drift])
        for s in report.stories
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent: ../shared/data is not checked out beside the repository", file=sys.stderr)
        return 1
    rows = [json.loads(line) for line in DATA.open(encoding="utf-8") if line.strip()][: args.limit]
    raws = [RawArticle(r["id"], r["text"]) for r in rows]
    config = Config()
    run(raws[:3], config)  # load MiniLM, spaCy and lingua once, before timing
    start = time.perf_counter()
    for raw in raws:
        text, _ = clean.repair_encoding(raw.text)
        language = detect(text)
        sentence_languages(text, segment(raw.id, text, language), language)
    layer = time.perf_counter() - start
    ratios, shipped, off = [], [], []
    same = True
    for k in range(args.rounds):
        with language_layer_off():
            t_off, r_off = run(raws, config)
        t_on, r_on = run(raws, config)
        same = same and outline(r_on) == outline(r_off)
        shipped.append(t_on)
        off.append(t_off)
        ratios.append(t_on / t_off)
        print(
            f"round {k + 1}: shipped {t_on:.1f} s, language layer off {t_off:.1f} s, ratio {t_on / t_off:.3f}"
        )
    print(
        f"{len(raws)} ECB+ articles: language layer alone {layer:.2f} s ({layer / len(raws) * 1000:.1f} ms an article)"
    )
    print(f"median ratio shipped / layer off: {statistics.median(ratios):.3f} (target <= 1.20)")
    print("same stories, derivations and drift with and without the layer:", "yes" if same else "NO")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
