"""Word-level edit cues for direction (``storytrace.text.edits``) and their use in lineage."""

from __future__ import annotations

from storytrace.config import Config
from storytrace.pipeline import Pipeline
from storytrace.records import Alignment, Article, Link, RawArticle
from storytrace.story.lineage import build_lineage
from storytrace.text.edits import lexicon, spelling_fixes

URL = "https://wiki.example.org/Lake_Orvane"

#: a fictional encyclopedia page, earlier revision: two misspellings
EARLIER = (
    "Lake Orvane is a glacial lake in the northern hills of the fictional county of Brask.\n\n"
    "The lake recieved its name from the Orvane family, who owned the mill on its southern shore.\n\n"
    "Its water is unusually clear, and divers report a visibility of about twenty metres.\n\n"
    "The village of Tollen, on the eastern shore, is known for its annual regatta, which atracts "
    "rowers from the whole region.\n\n"
    "Fishing is allowed from the northern jetty between April and October."
)
#: the later revision corrects both and changes nothing else
LATER = EARLIER.replace("recieved", "received").replace("atracts", "attracts")


def _articles(*raws: RawArticle) -> list[Article]:
    articles, _ = Pipeline().prepare(list(raws))
    return articles


def _identity_alignment(a: Article, b: Article) -> Alignment:
    """Sentence i of ``a`` linked to sentence i of ``b`` (the two revisions keep every sentence)."""
    assert len(a.sentences) == len(b.sentences)
    links = tuple(
        Link(
            (i,), (i,), "verbatim" if s.text == t.text else "near-verbatim", 1.0 if s.text == t.text else 0.95
        )
        for i, (s, t) in enumerate(zip(a.sentences, b.sentences, strict=True))
    )
    return Alignment(a.id, b.id, links, (), (), 1.0, 1.0, 1.0)


def test_lexicon_has_common_words_only() -> None:
    words = lexicon()
    assert {"received", "attracts", "water"} <= words
    assert "recieved" not in words and "atracts" not in words


def test_spelling_fixes_found_in_both_directions() -> None:
    early, late = _articles(RawArticle("r1", EARLIER, url=URL), RawArticle("r2", LATER, url=URL))
    al = _identity_alignment(early, late)
    by_late, by_early = spelling_fixes(early.sentences, late.sentences, al)
    assert {(f.wrong, f.right) for f in by_late} == {("recieved", "received"), ("atracts", "attracts")}
    assert by_early == []
    assert any("received its name" in f.sentence for f in by_late)
    # seen from the other side, the same corrections belong to the source
    by_early2, by_late2 = spelling_fixes(late.sentences, early.sentences, al.reversed())
    assert by_early2 == [] and {f.right for f in by_late2} == {"received", "attracts"}


def test_word_changes_that_are_not_corrections_are_ignored() -> None:
    # a changed name, a changed number word and a rewrite are edits, not spelling corrections
    edited = EARLIER.replace("recieved", "got").replace("twenty", "thirty").replace("Tollen", "Tallen")
    a, b = _articles(RawArticle("r1", EARLIER, url=URL), RawArticle("r2", edited, url=URL))
    by_b, by_a = spelling_fixes(a.sentences, b.sentences, _identity_alignment(a, b))
    # "tollen"/"tallen" are both unknown and both used only at the edit: no verdict
    assert by_b == [] and by_a == []


def test_revision_that_corrects_spelling_is_the_later_one() -> None:
    # same length, no years: only the corrections tell the order, whichever order they come in
    for first, second in (("rev-x", "rev-y"), ("rev-y", "rev-x")):
        raws = {first: EARLIER, second: LATER}
        early, late = _articles(*(RawArticle(k, v, url=URL) for k, v in raws.items()))
        lineage = build_lineage([late, early], [_identity_alignment(late, early)], Config())
        (d,) = lineage.derivations
        assert (d.source, d.target) == (first, second)
        assert lineage.origin == first
        ev = " ".join(d.evidence)
        assert f"{second} corrects 2 misspelling(s) of {first}" in ev
        assert "'recieved' -> 'received'" in ev and "received its name" in ev


def test_spelling_corrections_do_not_direct_copies_of_news() -> None:
    # without a shared page URL the pair is a republication: the revision cue does not apply
    early, late = _articles(RawArticle("wire", EARLIER), RawArticle("copy", LATER))
    lineage = build_lineage([early, late], [_identity_alignment(early, late)], Config())
    assert all("misspelling" not in e for d in lineage.derivations for e in d.evidence)
