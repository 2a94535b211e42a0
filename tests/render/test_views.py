"""The derivation graph of a ten-version story: no edge runs through a version it does not join
(so nothing is drawn over a node's label), edges carry no labels to sit on crossings, and the
pairs come copies first, then rewrites, each by confidence; the read metadata behind titles."""

from __future__ import annotations

import itertools
from datetime import datetime

from storytrace.read.metadata import dateline_date, headline, outlet
from storytrace.records import Alignment, Derivation, Link, Story
from storytrace.render.views import NODE_H, NODE_W, RELATION_ORDER, layout_graph


def _derivation(source: str, target: str, relation: str, confidence: float) -> Derivation:
    return Derivation(source, target, relation, confidence, 3, 0, 0, 0, ())  # type: ignore[arg-type]


def _ten_version_story() -> Story:
    ids = [f"v{i}" for i in range(10)]
    edges = [
        _derivation("v0", "v1", "copy", 0.9),
        _derivation("v0", "v2", "rewrite", 0.7),
        _derivation("v1", "v3", "copy", 0.8),
        _derivation("v2", "v4", "partial", 0.5),
        _derivation("v3", "v5", "rewrite", 0.6),
        _derivation("v0", "v5", "copy", 0.95),  # spans three layers
        _derivation("v4", "v6", "copy", 0.7),
        _derivation("v1", "v7", "rewrite", 0.65),  # spans layers, crosses others
        _derivation("v5", "v8", "partial", 0.4),
        _derivation("v2", "v9", "copy", 0.85),
        _derivation("v6", "v9", "rewrite", 0.55),
    ]
    return Story("story-10", tuple(ids), "v0", tuple(edges))


def _segment_hits_box(
    p: tuple[float, float], q: tuple[float, float], box: tuple[float, float, float, float]
) -> bool:
    """Whether the segment p-q passes through the inside of the box (x, y, w, h), sampled finely."""
    x, y, w, h = box
    for k in range(201):
        t = k / 200
        px, py = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if x + 1 < px < x + w - 1 and y + 1 < py < y + h - 1:
            return True
    return False


def test_no_edge_runs_through_a_version_it_does_not_join() -> None:
    story = _ten_version_story()
    graph = layout_graph(
        story, {f"v{i}": {"publisher": f"Outlet {i}", "headline": "A headline"} for i in range(10)}
    )
    boxes = {n["id"]: (n["x"], n["y"], n["w"], n["h"]) for n in graph["nodes"]}
    assert all(n["w"] == NODE_W and n["h"] == NODE_H for n in graph["nodes"])
    assert [n["label"] for n in graph["nodes"]][:2] == ["Outlet 0", "Outlet 1"]
    # no two nodes overlap
    for a, b in itertools.combinations(boxes.values(), 2):
        assert a[0] + a[2] <= b[0] or b[0] + b[2] <= a[0] or a[1] + a[3] <= b[1] or b[1] + b[3] <= a[1]
    for edge in graph["edges"]:
        points = [tuple(map(float, p.split(","))) for p in edge["points"].split()]
        assert len(points) >= 2
        for p, q in itertools.pairwise(points):
            for node, box in boxes.items():
                if node in (edge["source"], edge["target"]):
                    continue
                assert not _segment_hits_box(p, q, box), f"{edge['source']}->{edge['target']} crosses {node}"
    long = next(e for e in graph["edges"] if (e["source"], e["target"]) == ("v0", "v5"))
    assert len(long["points"].split()) > 2  # bent through the layers between
    assert sorted(e["n"] for e in graph["edges"]) == list(range(1, len(story.derivations) + 1))
    assert all("lx" not in e for e in graph["edges"])  # no label positions: the table holds them


def test_pairs_are_listed_by_relation_then_confidence() -> None:
    from storytrace.records import Article, Sentence
    from storytrace.render.views import pair_views

    story = _ten_version_story()
    members = [
        Article(f"v{i}", f"Sentence {i}.", (Sentence(f"v{i}", 0, 0, 11, f"Sentence {i}.", 0),))
        for i in range(10)
    ]
    link = (Link((0,), (0,), "verbatim", 1.0),)
    alignments = tuple(
        Alignment(a, b, link if (a, b) < ("v3", "v") else (), (), (), 1.0, 1.0, 1.0)
        for a, b in itertools.combinations([m.id for m in members], 2)
    )
    story = Story(story.id, story.articles, story.origin, story.derivations, alignments=alignments)
    pairs, unlinked = pair_views(members, story)
    edges = [p for p in pairs if p["edge"]]
    assert len(edges) == len(story.derivations) and pairs[: len(edges)] == edges
    ranks = [(RELATION_ORDER[p["edge"]["relation"]], -p["edge"]["confidence"]) for p in edges]
    assert ranks == sorted(ranks)
    others = pairs[len(edges) :]
    assert all(p["counts"].get("verbatim") for p in others)  # pairs that share nothing are left out
    assert unlinked == 45 - len(story.derivations) - len(others) > 0


def test_headline_outlet_and_dateline() -> None:
    assert headline(
        "putin kim",
        "© KCNA via REUTERSRussia's President...\nRussian President Vladimir Putin will visit North Korea.",
    ) == ("Russian President Vladimir Putin will visit North Korea.")
    assert headline(None, "Lindsay Lohan checks into Betty Ford Center\nMay 03, 2013\nAfter skipping...") == (
        "Lindsay Lohan checks into Betty Ford Center"
    )
    assert headline("Russia's Putin to visit North Korea", "text") == "Russia's Putin to visit North Korea"
    assert outlet(None, "https://www.example.org/a/b", "") == "example.org"
    assert (
        outlet(None, None, "VALDORA, March 13 (Meridian Press) - Karsovan President Teodor Vasko")
        == "Meridian Press"
    )
    assert outlet(None, None, "© KCNA via REUTERS A photo caption.\nBody text.") is None  # a photo credit
    assert outlet("Northstar News", "https://x.example", "") == "Northstar News"
    assert dateline_date("Headline\nMay 03, 2013\nBody.") == datetime(2013, 5, 3)
    assert dateline_date("Headline\nPosted on Thu Jun 13, 2013 08: 45 AM PDT\nBody.") == datetime(2013, 6, 13)
    assert dateline_date(
        "Headline\nUPDATED 05/14/2013 at 11:00 AM EDT\nOriginally published 05/13/2013\nBody."
    ) == (
        datetime(2013, 5, 13)  # the earliest: publication, not the update
    )
    assert dateline_date("WASHINGTON, March 3, 2009 (Reuters) - The Senate voted on Tuesday.") == datetime(
        2009, 3, 3
    )
    assert dateline_date("Headline\n05 / 02 / 2013\nBody.") is None  # May 2 or 5 February: no guess
    assert (
        dateline_date("The earthquake of March 3, 2009 is remembered in a ceremony today.") is None
    )  # a sentence
    assert dateline_date("VALDORA, March 13 (Meridian Press) - no year") is None


def test_a_node_is_labelled_by_its_publisher_never_by_a_dateline_credit() -> None:
    """A rewrite that keeps an agency's dateline ("(Reuters)") is shown by its own id: labelling it
    "Reuters" would tell a fact-checker the agency published it."""
    from storytrace.records import Article, Sentence
    from storytrace.render.views import article_view

    def art(id_: str, text: str, source: str | None = None, url: str | None = None) -> Article:
        return Article(id_, text, (Sentence(id_, 0, 0, len(text), text, 0),), source=source, url=url)

    rewrite = art("003", "LONDON (Reuters) - The ferry operator cancelled 40 sailings on Friday.")
    wire = art("wire-1", "The ferry operator cancelled 40 sailings on Friday.", source="Harbour Wire")
    site = art("site-7", "Ferry operator cancels 40 sailings.", url="https://www.example-news.org/a/7")
    views = {a.id: article_view(a) for a in (rewrite, wire, site)}
    assert views["003"]["outlet"] == "Reuters"  # the article card still says whom it credits
    story = Story("s", ("003", "site-7", "wire-1"), "wire-1", (
        _derivation("wire-1", "003", "rewrite", 0.8), _derivation("wire-1", "site-7", "rewrite", 0.8)
    ))  # fmt: skip
    nodes = {n["id"]: n for n in layout_graph(story, views)["nodes"]}
    assert {k: n["label"] for k, n in nodes.items()} == {
        "003": "003", "wire-1": "Harbour Wire", "site-7": "example-news.org"
    }
    # the second line fits the node: the likely original's opens with "likely original · "
    assert nodes["wire-1"]["origin"] and not nodes["003"]["origin"]
    assert len("likely original · " + nodes["wire-1"]["sublabel"]) <= 30
    assert nodes["wire-1"]["sublabel"].endswith("…") and len(nodes["003"]["sublabel"]) == 30
