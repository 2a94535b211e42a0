"""Suite 4, direction on Wikipedia revisions: of two revisions of one page, which came first?

storytrace cleans, segments, embeds and aligns the two revisions and reads the direction from
its lineage (``build_lineage``): the origin of the pair is the earlier one. A pair storytrace
does not consider derived at all counts as wrong. Both revisions carry the page's URL, as they
would when a user feeds the revisions of one page; a second row gives the result without it.

A third row feeds all revisions of a page at once (ids that do not reveal the order, presented
sorted by id, every pair aligned), as a user feeding a page's history would: lineage orders them
as a whole (``revisions.order_revisions``) and a pair ``k``, ``k+1`` is right when ``k`` comes
before ``k+1`` in that order (a revision missing from the history counts as wrong).

Pairs: consecutive revisions ``k`` and ``k+1`` of each page (the hard case: the smallest edits).
Tuning half: pages at odd positions in name order; scored half: even positions.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from urllib.parse import quote

from ..config import Config
from ..pipeline import Pipeline
from ..records import RawArticle
from ..story.align import align
from ..story.lineage import build_lineage
from ..text.embed import Embedder
from .core import Context, Row, SuiteResult

NAME = "direction"
TITLE = "4. Direction (Wikipedia revisions)"
FAST_PAGES = 8


def pages(root: Path) -> list[tuple[str, list[Path]]]:
    """(title, revision files oldest first) of every page folder with at least two revisions."""
    out = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted((f for f in folder.glob("*.txt") if f.stem.isdigit()), key=lambda f: int(f.stem))
        if len(files) >= 2:
            out.append((folder.name, files))
    return out


def split_pages(all_pages: Sequence[tuple[str, list[Path]]], fast: bool) -> tuple[list[int], list[int]]:
    tuning = [k for k in range(len(all_pages)) if k % 2 == 1]
    scored = [k for k in range(len(all_pages)) if k % 2 == 0]
    if fast:
        tuning, scored = tuning[:FAST_PAGES], scored[:FAST_PAGES]
    return tuning, scored


def first_of_pair(older: RawArticle, newer: RawArticle, config: Config, embedder: Embedder) -> str | None:
    """The id storytrace's lineage puts first, or None when it finds no derivation."""
    pipe = Pipeline(config=config, embedder=embedder)
    # present the pair in a fixed order that does not reveal which is older
    raws = sorted([older, newer], key=lambda r: zlib.crc32(r.id.encode("utf-8")))
    articles, _ = pipe.prepare(raws)
    if len(articles) != 2:
        return None
    vectors = pipe.embed_sentences(articles)
    a, b = articles
    al = align(a.sentences, b.sentences, vectors[a.id], vectors[b.id], config)
    lineage = build_lineage(articles, [al], config)
    if not lineage.derivations:
        return None
    return lineage.derivations[0].source


def history_order(raws: Sequence[RawArticle], config: Config, embedder: Embedder) -> tuple[str, ...]:
    """The order (oldest first) storytrace's lineage gives the revisions ``raws`` of one page fed
    at once, or () when it builds no history of them."""
    pipe = Pipeline(config=config, embedder=embedder)
    articles, _ = pipe.prepare(sorted(raws, key=lambda r: r.id))
    if len(articles) < 3:
        return ()
    lineage = build_lineage(articles, pipe.align_all(articles, pipe.embed_sentences(articles)), config)
    return lineage.histories[0].order if len(lineage.histories) == 1 else ()


def history_id(title: str, k: int) -> str:
    """An id of revision ``k`` of ``title`` that does not reveal ``k``."""
    return f"{title}#{zlib.crc32((title + str(k)).encode('utf-8')):08x}"


def _history_accuracy(
    ctx: Context, chosen: Sequence[int], all_pages: Sequence[tuple[str, list[Path]]]
) -> tuple[float, float, int]:
    """(accuracy, share answered, pairs) of consecutive revisions, each page's revisions fed at once."""
    right = answered = total = 0
    for k in chosen:
        title, files = all_pages[k]
        url = _page_url(title)
        raws = [
            RawArticle(
                history_id(title, r), f.read_text(encoding="utf-8", errors="replace"), title=title, url=url
            )
            for r, f in enumerate(files)
        ]
        position = {x: p for p, x in enumerate(history_order(raws, ctx.config, ctx.embedder))}
        for r in range(len(files) - 1):
            older, newer = position.get(raws[r].id), position.get(raws[r + 1].id)
            total += 1
            answered += older is not None and newer is not None
            right += older is not None and newer is not None and older < newer
    return (right / total if total else 0.0), (answered / total if total else 0.0), total


def _accuracy(
    ctx: Context,
    chosen: Sequence[int],
    all_pages: Sequence[tuple[str, list[Path]]],
    make: Callable[[str, int, str], RawArticle],
) -> tuple[float, float, int]:
    """(accuracy, share answered, pairs) over consecutive revisions of the chosen pages."""
    right = answered = total = 0
    for k in chosen:
        title, files = all_pages[k]
        texts = [f.read_text(encoding="utf-8", errors="replace") for f in files]
        for r in range(len(files) - 1):
            older, newer = make(title, r, texts[r]), make(title, r + 1, texts[r + 1])
            first = first_of_pair(older, newer, ctx.config, ctx.embedder)
            total += 1
            answered += first is not None
            right += first == older.id
    return (right / total if total else 0.0), (answered / total if total else 0.0), total


def longer_later(chosen: Sequence[int], all_pages: Sequence[tuple[str, list[Path]]]) -> float:
    """Accuracy of 'the longer revision is the later one' on consecutive revisions; two of the
    same length are a coin toss (half right), as they are for any method."""
    right = 0.0
    total = 0
    for k in chosen:
        sizes = [len(f.read_text(encoding="utf-8", errors="replace")) for f in all_pages[k][1]]
        for r in range(len(sizes) - 1):
            total += 1
            right += 1.0 if sizes[r + 1] > sizes[r] else 0.5 if sizes[r + 1] == sizes[r] else 0.0
    return right / total if total else 0.0


def _page_url(title: str) -> str:
    return "https://en.wikipedia.org/wiki/" + quote(title.replace(" ", "_"))


def _with_url(title: str, k: int, text: str) -> RawArticle:
    return RawArticle(f"{title}@{k}", text, title=title, url=_page_url(title))


def _bare(title: str, k: int, text: str) -> RawArticle:
    return RawArticle(f"{title}@{k}", text)


def run(ctx: Context) -> SuiteResult:
    start = time.perf_counter()
    root = ctx.data / "versions"
    if not root.is_dir():
        return SuiteResult(NAME, TITLE, "", (), (), unavailable=f"{root} is absent")
    all_pages = pages(root)
    _, scored = split_pages(all_pages, ctx.fast)
    ctx.log(f"direction: {len(scored)} pages")
    acc, answered, total = _accuracy(ctx, scored, all_pages, _with_url)
    rows = [Row("storytrace lineage, same page URL", {"accuracy": acc, "answered": answered})]
    hist_acc, hist_answered, _ = _history_accuracy(ctx, scored, all_pages)
    rows.append(
        Row("storytrace lineage, whole page history", {"accuracy": hist_acc, "answered": hist_answered})
    )
    if ctx.baselines:
        acc_bare, answered_bare, _ = _accuracy(ctx, scored, all_pages, _bare)
        rows.append(Row("storytrace lineage, no metadata", {"accuracy": acc_bare, "answered": answered_bare}))
    rows.append(
        Row(
            "the longer revision is the later one (same length: a coin toss)",
            {"accuracy": longer_later(scored, all_pages), "answered": 1.0},
        )
    )
    protocol = (
        f"Consecutive revisions of Wikipedia pages (`versions/<title>/<k>.txt`, 0 = oldest): {total} "
        f"pairs from the {len(scored)} pages at even positions in name order (scored half). "
        "storytrace cleans, segments, embeds and aligns the pair and its lineage names the original; "
        "'answered' is the share of pairs it finds a derivation for (the rest count as wrong). The pair "
        "is presented in an order that does not depend on age. The whole-page-history row feeds all "
        "revisions of a page at once (same URL, ids that do not reveal the order, presented sorted by "
        "id, every pair aligned); lineage orders them as one history and a pair counts as right when "
        "the older revision comes before the newer in it ('answered': both are in the history). "
        "Pinned: 'accuracy' is the pair row, 'history accuracy' the whole-page-history row; the "
        "target applies to the pair row."
    )
    return SuiteResult(
        NAME,
        TITLE,
        protocol,
        ("accuracy", "answered"),
        tuple(rows),
        pinned={"accuracy": acc, "history accuracy": hist_acc},
        targets={"accuracy": 0.90},
        seconds=time.perf_counter() - start,
    )
