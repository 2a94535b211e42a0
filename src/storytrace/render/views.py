"""views: what the HTML report and the web app show, as plain JSON-able dicts.

A story view holds everything one story page needs (articles with their sentences and removed
text, the derivation graph laid out for SVG, drift, facts, quotes, timeline, summary) and one
side-by-side view per pair of versions (aligned rows, drift and word changes marked as character
spans). Views carry text as it was written; escaping is the templates' job (autoescape), and
:func:`marked` escapes every piece of text it wraps in a highlight.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from ..read.metadata import headline, outlet, reads_as_title
from ..records import DIFFERENCE_ORDER, Alignment, Article, Drift, Report, Story
from .report import article_json, derivation_json, dossier_json

#: stories with more versions than this show side-by-side views for derivation edges only
MAX_ALL_PAIRS = 12

NODE_W, NODE_H, LAYER_GAP, NODE_GAP, MARGIN, DUMMY_W = 190, 50, 90, 30, 20, 24
#: characters of a node's second line that fit its width, and the words that open the likely
#: original's (the template writes them before the headline)
SUBLABEL_CHARS, ORIGIN_MARK = 30, "likely original · "
#: the order of relations in the list of pairs: copies first, then rewrites, then partial reuse
RELATION_ORDER = {"copy": 0, "rewrite": 1, "partial": 2}
_WORD = re.compile(r"\w+(?:[-'’.,]\w+)*", re.UNICODE)


def article_view(article: Article) -> dict[str, Any]:
    data = article_json(article)
    data["sentences"] = [s.text for s in article.sentences]
    data["paragraphs"] = [s.paragraph for s in article.sentences]
    data["headline"] = headline(article.title, article.text)
    data["outlet"] = outlet(article.source, article.url, article.text)
    # what the article's own data names (source or URL), never a dateline's credit: a rewrite that
    # keeps "(Reuters)" in its first line is not Reuters' copy
    data["publisher"] = outlet(article.source, article.url, "")
    return data


def story_title(members: Sequence[Article], origin: str | None) -> str:
    """A story's title: the likely original's headline when its data gives one, else the first
    headline from the data among the versions, else the likely original's first line."""
    ordered = sorted(members, key=lambda a: a.id != origin)
    for article in ordered:
        if article.title and reads_as_title(article.title):
            return article.title.strip()
    for article in ordered:
        line = headline(article.title, article.text)
        if line:
            return line
    return origin or (members[0].id if members else "")


def story_view(report: Report, story: Story) -> dict[str, Any]:
    """The view of one story of ``report``."""
    by_id = {a.id: a for a in report.articles}
    members = [by_id[a] for a in story.articles if a in by_id]
    view: dict[str, Any] = {
        "id": story.id,
        "origin": story.origin,
        "families": [list(f) for f in story.families],
        "articles": [article_view(a) for a in members],
        "derivations": [derivation_json(d) for d in story.derivations],
        **dossier_json(story.dossier),
    }
    view["title"] = story_title(members, story.origin) or story.id
    view["drift_groups"] = drift_by_difference(view["drift"])
    view["graph"] = layout_graph(story, {a["id"]: a for a in view["articles"]})
    view["pairs"], view["unlinked_pairs"] = pair_views(members, story)
    return view


def report_views(report: Report) -> list[dict[str, Any]]:
    return [story_view(report, s) for s in report.stories]


#: how each difference kind is headed and explained in the report and the web app, in the order shown
DIFFERENCE_HEADINGS = {
    "conflict": (
        "Conflicts",
        "the same fact with another value in reports close in time (or of unknown time)",
    ),
    "update": ("Updates", "a later report revises a developing figure or status"),
    "rewording": ("Changed meaning", "the wording changed what the sentence says"),
    "variant": ("Variants", "the same name or quotation spelled, rendered or trimmed otherwise"),
}


def drift_by_difference(drift: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drift (report.json entries) grouped by difference kind, conflicts first, each group by kind."""
    groups = []
    for difference in DIFFERENCE_ORDER:
        items = [d for d in drift if d.get("difference", "conflict") == difference]
        if items:
            heading, note = DIFFERENCE_HEADINGS[difference]
            groups.append({"difference": difference, "heading": heading, "note": note, "count": len(items),
                           "kinds": _drift_by_kind(items)})  # fmt: skip
    return groups


def _drift_by_kind(drift: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    kinds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for d in drift:
        kinds[d["kind"]].append(d)
    return [{"kind": k, "items": v} for k, v in sorted(kinds.items())]


# -- derivation graph ----------------------------------------------------------------------


def layout_graph(story: Story, labels: dict[str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Layered layout: articles nobody was derived from at the top (the likely original first),
    each derived article one layer below the deepest of its sources. An edge that spans several
    layers bends through a gap reserved for it in every layer between (no edge runs behind a
    version), and layers are ordered by where their sources sit, to keep crossings few. Edges
    carry no labels on the drawing (labels on crossing lines cannot be read): each has a number,
    and the table beside the graph gives its relation and confidence.

    ``labels``: per article id, ``publisher`` (the outlet its data names) and ``headline`` for the
    node's two lines; a node without a publisher shows the article's id."""
    labels = labels or {}
    ids = list(story.articles)
    parents: dict[str, list[str]] = defaultdict(list)
    for d in story.derivations:
        parents[d.target].append(d.source)
    depth = {a: 0 for a in ids}
    for _ in range(len(ids)):  # longest-path layering; bounded, so a cycle cannot loop forever
        changed = False
        for a in ids:
            want = max((depth.get(p, 0) + 1 for p in parents[a]), default=0)
            if want != depth[a] and want < len(ids):
                depth[a], changed = want, True
        if not changed:
            break
    edges = [d for d in story.derivations if d.source in depth and d.target in depth]
    layers: dict[int, list[str]] = defaultdict(list)
    for a in sorted(ids, key=lambda x: (x != story.origin, ids.index(x))):
        layers[depth[a]].append(a)
    # a dummy slot in each layer an edge passes through: ("~", edge index, layer)
    chains: list[list[str]] = []
    for k, d in enumerate(edges):
        chain = [d.source]
        for level in range(depth[d.source] + 1, depth[d.target]):
            slot = f"~{k}~{level}"
            layers[level].append(slot)
            chain.append(slot)
        chains.append([*chain, d.target])
    above: dict[str, list[str]] = defaultdict(list)
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            above[b].append(a)
    order: dict[str, float] = {}
    for level in sorted(layers):
        row = layers[level]
        if level > 0:
            arrival = {x: i for i, x in enumerate(row)}
            row.sort(
                key=lambda x: (
                    sum(order[p] for p in above[x]) / len(above[x]) if above[x] else 1e9,
                    arrival[x],
                )
            )
        for i, x in enumerate(row):
            order[x] = i

    def width_of(x: str) -> float:
        return DUMMY_W if x.startswith("~") else NODE_W

    spans = {
        level: sum(width_of(x) for x in row) + (len(row) - 1) * NODE_GAP for level, row in layers.items()
    }
    width = max(2 * MARGIN + max(spans.values(), default=0), 320)
    pos: dict[str, tuple[float, float]] = {}
    for level, row in sorted(layers.items()):
        left = (width - spans[level]) / 2
        for item in row:
            pos[item] = (left, MARGIN + level * (NODE_H + LAYER_GAP))
            left += width_of(item) + NODE_GAP
    height = MARGIN * 2 + (max(layers, default=0) + 1) * (NODE_H + LAYER_GAP) - LAYER_GAP
    nodes = []
    for a in ids:
        nx, ny = pos[a]
        info = labels.get(a, {})
        first = info.get("publisher") or a
        origin = a == story.origin and len(ids) > 1
        # the node's second line holds 30 characters; the likely original's starts with ORIGIN_MARK
        room = SUBLABEL_CHARS - (len(ORIGIN_MARK) if origin else 0)
        nodes.append(
            {"id": a, "x": nx, "y": ny, "w": NODE_W, "h": NODE_H, "origin": origin,
             "label": _short(str(first), 26), "sublabel": _short(str(info.get("headline") or ""), room),
             "derived": bool(parents[a])}
        )  # fmt: skip
    out_edges = []
    for k, (d, chain) in enumerate(zip(edges, chains, strict=True)):
        sx, sy = pos[d.source]
        points = [(sx + NODE_W / 2, sy + NODE_H)]
        for slot in chain[1:-1]:
            dx, dy = pos[slot]
            points += [(dx + DUMMY_W / 2, dy), (dx + DUMMY_W / 2, dy + NODE_H)]
        tx, ty = pos[d.target]
        if ty <= sy:  # same or upper layer (should not happen): from the side
            points = [(sx + NODE_W, sy + NODE_H / 2)]
            points.append((tx, ty + NODE_H / 2))
        else:
            points.append((tx + NODE_W / 2, ty))
        out_edges.append(
            {"n": k + 1, "source": d.source, "target": d.target, "relation": d.relation,
             "confidence": d.confidence, "points": " ".join(f"{px:.1f},{py:.1f}" for px, py in points),
             "x1": points[0][0], "y1": points[0][1], "x2": points[-1][0], "y2": points[-1][1]}
        )  # fmt: skip
    return {"width": width, "height": height, "nodes": nodes, "edges": out_edges}


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# -- side-by-side pairs --------------------------------------------------------------------


def pair_views(members: Sequence[Article], story: Story) -> tuple[list[dict[str, Any]], int]:
    """One side-by-side view per derivation edge (oriented source -> target; copies, then rewrites,
    then partial reuse, each by confidence), then, for stories of up to :data:`MAX_ALL_PAIRS`
    versions, every other pair that shares a sentence (most shared first). Returns the views and
    the number of pairs left out because they share nothing."""
    by_id = {a.id: a for a in members}
    alignments = {(al.source, al.target): al for al in story.alignments}
    edges = sorted(
        story.derivations,
        key=lambda d: (RELATION_ORDER.get(d.relation, 9), -d.confidence, d.source, d.target),
    )
    wanted: list[tuple[str, str]] = [(d.source, d.target) for d in edges]
    unlinked = 0
    if len(members) <= MAX_ALL_PAIRS:
        seen = {frozenset(p) for p in wanted}
        others = [al for al in story.alignments if frozenset((al.source, al.target)) not in seen]
        unlinked = sum(1 for al in others if not al.links)
        others = sorted(
            (al for al in others if al.links),
            key=lambda al: (-sum(len(lk.target) for lk in al.links), al.source, al.target),
        )
        wanted += [(al.source, al.target) for al in others]
    out = []
    for a, b in wanted:
        al = alignments.get((a, b)) or (alignments[(b, a)].reversed() if (b, a) in alignments else None)
        if al is None or a not in by_id or b not in by_id:
            continue
        edge = next((d for d in story.derivations if (d.source, d.target) == (a, b)), None)
        drift = [d for d in story.dossier.drift if (d.source, d.target) in ((a, b), (b, a))]
        out.append(pair_view(by_id[a], by_id[b], al, drift, derivation_json(edge) if edge else None))
    return out, unlinked


def pair_view(
    left: Article, right: Article, al: Alignment, drift: Sequence[Drift], edge: dict[str, Any] | None
) -> dict[str, Any]:
    """Rows of aligned sentences (left = ``al.source``), each side's sentences with marked spans."""
    rows: list[tuple[tuple[float, int, int], dict[str, Any]]] = []
    by_source_end = sorted(al.links, key=lambda lk: max(lk.source))
    for lk in al.links:
        rows.append(((min(lk.target), 0, min(lk.source)), {"label": lk.label, "left": list(lk.source),
                                                             "right": list(lk.target), "score": lk.score}))  # fmt: skip
    for t in al.target_unaligned:
        rows.append(((t, 0, -1), {"label": "added", "left": [], "right": [t], "score": None}))
    for s in al.source_unaligned:
        earlier = [lk for lk in by_source_end if max(lk.source) < s]
        pos = min(earlier[-1].target) if earlier else -1
        rows.append(((pos, 1, s), {"label": "dropped", "left": [s], "right": [], "score": None}))
    rows.sort(key=lambda r: r[0])
    marks_l: dict[int, list[list[Any]]] = defaultdict(list)
    marks_r: dict[int, list[list[Any]]] = defaultdict(list)
    ls, rs = [s.text for s in left.sentences], [s.text for s in right.sentences]
    for _, row in rows:
        if row["label"] in ("near-verbatim", "paraphrase", "rewritten") and row["left"] and row["right"]:
            _word_diff(row["label"], row["left"], row["right"], ls, rs, marks_l, marks_r)
    for d in drift:
        before, after, s_sent, t_sent = d.before, d.after, d.source_sentence, d.target_sentence
        if d.source != left.id:
            before, after, s_sent, t_sent = after, before, t_sent, s_sent
        _mark_word(ls, s_sent, before, d.kind, marks_l)
        _mark_word(rs, t_sent, after, d.kind, marks_r)
        if d.kind == "name":  # a changed name: every other mention on each side too
            _mark_all(ls, before, marks_l)
            _mark_all(rs, after, marks_r)
    counts: dict[str, int] = defaultdict(int)
    for _, row in rows:
        counts[row["label"]] += max(len(row["left"]), len(row["right"]))
    return {
        "source": left.id,
        "target": right.id,
        "edge": edge,
        "rows": [r for _, r in rows],
        "left": ls,
        "right": rs,
        "left_marks": {str(k): v for k, v in marks_l.items()},
        "right_marks": {str(k): v for k, v in marks_r.items()},
        "drift": [{"kind": d.kind, "before": d.before, "after": d.after, "source": d.source, "target": d.target,
                   "difference": d.difference}
                  for d in sorted(drift, key=lambda d: DIFFERENCE_ORDER.index(d.difference))],
        "counts": dict(counts),
        "coverage": [al.source_coverage, al.target_coverage],
    }  # fmt: skip


def _find_sentence(sentences: Sequence[str], wanted: str, word: str) -> int | None:
    wanted = wanted.strip()
    for i, s in enumerate(sentences):
        if s.strip() == wanted:
            return i
    for i, s in enumerate(sentences):
        if wanted and (wanted in s or s.strip() in wanted) and word in s:
            return i
    for i, s in enumerate(sentences):
        if word and word in s:
            return i
    return None


def _mark_word(
    sentences: Sequence[str], sentence: str, word: str, kind: str, marks: dict[int, list[list[Any]]]
) -> None:
    word = word.strip()
    if not word:
        return
    i = _find_sentence(sentences, sentence, word)
    if i is None:
        return
    text = sentences[i]
    m = re.search(re.escape(word), text) or re.search(re.escape(word), text, re.IGNORECASE)
    if m:
        marks[i].append([m.start(), m.end(), "drift", kind])


def _mark_all(sentences: Sequence[str], word: str, marks: dict[int, list[list[Any]]]) -> None:
    word = word.strip()
    if not word:
        return
    pattern = re.compile(r"(?<!\w)" + re.escape(word) + r"(?!\w)")
    for i, text in enumerate(sentences):
        for m in pattern.finditer(text):
            if not any(span[0] == m.start() and span[2] == "drift" for span in marks[i]):
                marks[i].append([m.start(), m.end(), "drift", "name"])


def _word_diff(
    label: str,
    left: Sequence[int],
    right: Sequence[int],
    ls: Sequence[str],
    rs: Sequence[str],
    marks_l: dict[int, list[list[Any]]],
    marks_r: dict[int, list[list[Any]]],
) -> None:
    """Mark the words that differ between the linked sentences of one row."""
    lw = [(i, m) for i in left for m in _WORD.finditer(ls[i])]
    rw = [(i, m) for i in right for m in _WORD.finditer(rs[i])]
    sm = difflib.SequenceMatcher(
        a=[m.group().lower() for _, m in lw], b=[m.group().lower() for _, m in rw], autojunk=False
    )
    if sm.ratio() < (0.5 if label == "near-verbatim" else 0.8):  # a rewrite: marks would colour everything
        return
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        for i, m in lw[a0:a1]:
            marks_l[i].append([m.start(), m.end(), "change", ""])
        for i, m in rw[b0:b1]:
            marks_r[i].append([m.start(), m.end(), "change", ""])


def marked(text: str, spans: Sequence[Sequence[Any]] | None) -> Markup:
    """``text`` escaped, with the ``[start, end, class, kind]`` spans wrapped in ``<mark>``
    (drift marks win over word changes where they overlap)."""
    if not spans:
        return Markup(escape(text))
    owner: list[Sequence[Any] | None] = [None] * len(text)
    for span in sorted(spans, key=lambda s: s[2] == "drift"):
        for k in range(max(0, int(span[0])), min(len(text), int(span[1]))):
            owner[k] = span
    out: list[str] = []
    k = 0
    while k < len(text):
        j = k
        while j < len(text) and owner[j] is owner[k]:
            j += 1
        piece = escape(text[k:j])
        here = owner[k]
        if here is None:
            out.append(str(piece))
        else:
            cls = "drift" if here[2] == "drift" else "change"
            title = f' title="{escape(here[3])} drift"' if here[2] == "drift" else ""
            out.append(f'<mark class="{cls}"{title}>{piece}</mark>')
        k = j
    return Markup("".join(out))
