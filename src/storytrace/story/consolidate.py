"""consolidate: the story as one dossier, with the sources behind every statement.

- facts: claims (sentences aligned across sources, at most one passage per source) with their sources;
  claims carried by one source are marked, and so are claims whose sources disagree on a
  number or a date;
- entities: people and organisations with the roles the articles give them;
- timeline: dated events, relative dates resolved against the publication date, or when there is
  none, against the story's own explicit dates;
- summary: three to six sentences ranked by independent support and centrality, each citing the
  sources that carry it.
"""

from __future__ import annotations

import calendar
import dataclasses
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt

from ..records import Alignment, Article, EntityInfo, Fact, SummarySentence, TimelineEvent
from ..text.mentions import DateMention, SentenceFacts, extract_dates, merge_facts, norm_name
from .drift import FactIndex, compare
from .figures import Change

Node = tuple[str, int]


@dataclass(frozen=True)
class Claim:
    members: tuple[Node, ...]
    sources: tuple[str, ...]
    representative: Node


def build_claims(
    articles: Sequence[Article], alignments: Sequence[Alignment], origin: str | None
) -> list[Claim]:
    """Aligned sentences across all article pairs of a story, joined strongest link first.

    A claim holds at most one passage per article: two components are not joined when that
    would put different sentences of one article into one claim, which keeps a chain of weak
    paraphrase links from gluing unrelated statements together.
    """
    comp_of: dict[Node, int] = {}
    comps: dict[int, dict[str, frozenset[int]]] = {}
    for a in articles:
        for s in a.sentences:
            cid = len(comps)
            comp_of[(a.id, s.index)] = cid
            comps[cid] = {a.id: frozenset({s.index})}
    links = sorted(((lk.score, al, lk) for al in alignments for lk in al.links), key=lambda x: -x[0])
    for _, al, lk in links:
        nodes = [(al.source, i) for i in lk.source] + [(al.target, j) for j in lk.target]
        # the sentences of one side of a link (a merge or split) form one passage
        for side in ((al.source, lk.source), (al.target, lk.target)):
            ids = {comp_of[(side[0], i)] for i in side[1]}
            _join(ids, comp_of, comps, force=True)
        _join({comp_of[n] for n in nodes}, comp_of, comps, force=False)
    rank = {a.id: k for k, a in enumerate(articles)}
    if origin is not None:
        rank[origin] = -1
    claims = []
    for parts in comps.values():
        members = sorted(((a, i) for a, idx in parts.items() for i in idx), key=lambda n: (rank[n[0]], n[1]))
        sources = tuple(sorted(parts, key=lambda a: rank[a]))
        claims.append(Claim(tuple(members), sources, members[0]))
    # story order: by position in the representative's article, origin first
    claims.sort(key=lambda c: (rank[c.representative[0]], c.representative[1]))
    return claims


def _join(
    ids: set[int], comp_of: dict[Node, int], comps: dict[int, dict[str, frozenset[int]]], force: bool
) -> None:
    ids_list = sorted(ids)
    if len(ids_list) < 2:
        return
    merged: dict[str, frozenset[int]] = {}
    for cid in ids_list:
        for art, idx in comps[cid].items():
            if art in merged and merged[art] != idx and not force:
                return  # would put two passages of one article in one claim
            merged[art] = merged.get(art, frozenset()) | idx
    keep = ids_list[0]
    for cid in ids_list[1:]:
        for art, idx in comps.pop(cid).items():
            for i in idx:
                comp_of[(art, i)] = keep
    comps[keep] = merged


def _family_of(families: Sequence[Sequence[str]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for k, fam in enumerate(families):
        for a in fam:
            out[a] = k
    return out


def independent_count(sources: Sequence[str], families: Sequence[Sequence[str]]) -> int:
    fam = _family_of(families)
    return len({fam.get(a, a) for a in sources})


def claim_text(claim: Claim, articles: dict[str, Article]) -> str:
    art, _ = claim.representative
    idx = [i for a, i in claim.members if a == art]
    return " ".join(articles[art].sentences[i].text for i in idx)


#: passages must be at least this close before their numbers or dates count as a conflict
CONFLICT_LINK = 0.8


class _Conflicts:
    """Disagreements of one fact, each stated once with every source on each side."""

    def __init__(self) -> None:
        self.sides: dict[tuple[str, str, str], tuple[list[str], list[str]]] = {}

    def add(self, kind: str, before: str, a: str, after: str, b: str) -> None:
        if (kind, after, before) in self.sides:
            kind, before, after, a, b = kind, after, before, b, a
        left, right = self.sides.setdefault((kind, before, after), ([], []))
        if a not in left:
            left.append(a)
        if b not in right:
            right.append(b)

    def notes(self) -> tuple[str, ...]:
        return tuple(
            f"{kind}: {before!r} ({', '.join(left)}) vs {after!r} ({', '.join(right)})"
            for (kind, before, after), (left, right) in self.sides.items()
        )


def build_facts(
    claims: Sequence[Claim],
    articles: dict[str, Article],
    facts: FactIndex,
    families: Sequence[Sequence[str]],
    alignments: Sequence[Alignment],
    vectors: dict[str, npt.NDArray[np.float32]] | None = None,
) -> list[Fact]:
    """One fact per claim, with its sources, single-source mark and conflicts: a number or a
    date that differs between two closely aligned passages of different sources, or a figure of
    the same unit that two independent sources give differently in sentences on one topic."""
    close: set[frozenset[Node]] = set()
    for al in alignments:
        for lk in al.links:
            if lk.score >= CONFLICT_LINK:
                close.update(
                    frozenset({(al.source, i), (al.target, j)}) for i in lk.source for j in lk.target
                )
    out: list[Fact] = []
    notes: dict[int, _Conflicts] = {}
    # copies share their sentences' facts (one object per distinct sentence): compare each
    # distinct pair of passages once (the entry holds both, so their ids stay theirs)
    compared: dict[tuple[int, int], tuple[SentenceFacts, SentenceFacts, list[Change]]] = {}
    for claim in claims:
        by_article: dict[str, list[int]] = defaultdict(list)
        for a, i in claim.members:
            by_article[a].append(i)
        passages = {a: merge_facts([facts[(a, i)] for i in idx]) for a, idx in by_article.items()}
        conflicts = _Conflicts()
        srcs = list(claim.sources)
        for x, a in enumerate(srcs):
            for b in srcs[x + 1 :]:
                if not any(
                    frozenset({(a, i), (b, j)}) in close for i in by_article[a] for j in by_article[b]
                ):
                    continue
                key = (id(passages[a]), id(passages[b]))
                if key not in compared:
                    compared[key] = (passages[a], passages[b], compare(passages[a], passages[b]))
                for ch in compared[key][2]:
                    if ch.kind in ("number", "date"):
                        conflicts.add(ch.kind, ch.before, a, ch.after, b)
        notes[len(out)] = conflicts
        out.append(Fact(claim_text(claim, articles), claim.sources, len(claim.sources) == 1, conflicts.notes(),
                        independent_count(claim.sources, families)))  # fmt: skip
    if vectors is not None:
        _figure_conflicts(claims, notes, facts, families, vectors)
        out = [dataclasses.replace(f, conflicts=notes[k].notes()) for k, f in enumerate(out)]
    return out


#: sentences of two independent sources on one topic (embedding cosine) whose figures can conflict
TOPIC_SIMILARITY = 0.5


def _figure_conflicts(
    claims: Sequence[Claim],
    notes: dict[int, _Conflicts],
    facts: FactIndex,
    families: Sequence[Sequence[str]],
    vectors: dict[str, npt.NDArray[np.float32]],
) -> None:
    """Same unit, different value, in unaligned sentences of independent sources on one topic
    ("about 1,200 workers" in one agency's copy, "about 1,300 workers" in another's)."""
    family = _family_of(families)
    figures: list[tuple[int, Node, str, float, str]] = []
    for k, claim in enumerate(claims):
        for node in claim.members:
            for n in facts[node].numbers:
                if n.unit and n.unit not in ("%", "currency"):
                    figures.append((k, node, n.unit, n.value, n.text))
    for x, (ka, na, ua, va, ta) in enumerate(figures):
        for kb, nb, ub, vb, tb in figures[x + 1 :]:
            if ka == kb or ua != ub or va == vb or family.get(na[0], na[0]) == family.get(nb[0], nb[0]):
                continue
            if va <= 0 or vb <= 0 or not 0.5 <= va / vb <= 2.0:  # far-apart figures measure different things
                continue
            if float(vectors[na[0]][na[1]] @ vectors[nb[0]][nb[1]]) < TOPIC_SIMILARITY:
                continue
            for k in (ka, kb):
                notes[k].add("number", ta, na[0], tb, nb[0])


# ---------------------------------------------------------------- entities and roles
_NOT_ROLES = {
    "the",
    "a",
    "an",
    "his",
    "her",
    "their",
    "its",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
}


def _role_of(ent: Any) -> str | None:
    role = _raw_role(ent)
    if role is None or role.lower() in _NOT_ROLES or not any(ch.isalpha() for ch in role):
        return None
    return role


def _raw_role(ent: Any) -> str | None:
    doc = ent.doc
    root = ent.root
    left = root.left_edge.i
    if left < ent.start:
        span = doc[left : ent.start]
        if 0 < len(span) <= 8 and not any(t.pos_ in ("VERB", "AUX", "PUNCT") for t in span):
            return str(span.text).strip()
    for child in root.children:
        if child.dep_ == "appos" and child.i >= ent.end:
            span = doc[child.left_edge.i : child.right_edge.i + 1]
            if len(span) <= 14:
                return str(span.text).strip(" ,")
    if root.dep_ == "appos" and root.head.i < ent.start:
        head = root.head
        span = doc[head.left_edge.i : head.i + 1]
        if len(span) <= 10:
            return str(span.text).strip(" ,")
    return None


def build_entities(articles: Sequence[Article], docs: dict[Node, Any]) -> list[EntityInfo]:
    names: dict[tuple[str, str], dict[str, Any]] = {}
    for a in articles:
        for s in a.sentences:
            doc = docs[(a.id, s.index)]
            for ent in doc.ents:
                if ent.label_ not in ("PERSON", "ORG"):
                    continue
                key = (norm_name(ent.text), ent.label_)
                if not key[0]:
                    continue
                entry = names.setdefault(key, {"name": ent.text, "roles": [], "sources": []})
                if len(ent.text) > len(entry["name"]):
                    entry["name"] = ent.text
                role = _role_of(ent)
                if role and role.lower() not in {r.lower() for r in entry["roles"]}:
                    entry["roles"].append(role)
                if a.id not in entry["sources"]:
                    entry["sources"].append(a.id)
    # a surname alone joins the one full name of the same type that ends with it
    for norm, label in list(names):
        longer = [k for k in names if k[1] == label and k[0] != norm and k[0].endswith(" " + norm)]
        if len(longer) == 1 and " " not in norm:
            short = names.pop((norm, label))
            entry = names[longer[0]]
            entry["roles"] += [
                r for r in short["roles"] if r.lower() not in {x.lower() for x in entry["roles"]}
            ]
            entry["sources"] += [s for s in short["sources"] if s not in entry["sources"]]
    order = {a.id: k for k, a in enumerate(articles)}
    out = [
        EntityInfo(v["name"], label, tuple(v["roles"]), tuple(sorted(v["sources"], key=order.__getitem__)))
        for (_, label), v in names.items()
    ]
    out.sort(key=lambda e: (-len(e.sources), e.type, e.name))
    return out


# ---------------------------------------------------------------- timeline
@dataclass(frozen=True)
class Reference:
    year: int
    month: int
    day: date | None  # a publication date, when known


def reference_date(articles: Sequence[Article], facts: FactIndex) -> Reference | None:
    """The date the story is told from: the earliest publication date, else inferred from the
    story's own dates ("last September" next to "September 13, 2023" means 2024)."""
    # dates without a time zone (a dateline, "2024-06-18") sort among zoned ones as UTC
    published = sorted(
        (a.published for a in articles if a.published is not None),
        key=lambda p: p.astimezone(UTC).replace(tzinfo=None) if p.tzinfo else p,
    )
    if published:
        p: datetime = published[0]
        return Reference(p.year, p.month, p.date())
    mentions: list[tuple[DateMention, str]] = []
    for a in articles:
        for s in a.sentences:
            mentions += [(d, _tense(facts[(a.id, s.index)])) for d in facts[(a.id, s.index)].dates]
        for r in a.removed:  # captions carry dates of the pictured event
            if r.kind in ("caption", "credit"):
                mentions += [(d, "past") for d in extract_dates(r.text)[0]]
    years = [d.year for d, _ in mentions if d.year]
    if not years:
        return None
    year = max(years)
    for d, _ in mentions:
        if d.relative == "last" and d.month and not d.year:
            anchored = [e.year for e, _ in mentions if e.month == d.month and e.year]
            if anchored:
                year = max(year, max(anchored) + 1)
    future_months = [
        d.month for d, tense in mentions if d.month and d.day and not d.year and tense == "future"
    ]
    month = min(future_months) if future_months else 12
    return Reference(year, month, None)


def _tense(f: SentenceFacts) -> str:
    statuses = {v.status for v in f.verbs}
    if statuses & {"future", "possible"} or any(n.status == "planned" for n in f.nouns):
        return "future"
    if "past" in statuses:
        return "past"
    return "present"


def resolve(d: DateMention, ref: Reference | None, tense: str) -> tuple[str, str | None] | None:
    """ISO date (or YYYY-MM, YYYY) of a mention, and the end of a day range."""
    if d.year and d.month and d.day:
        return f"{d.year:04d}-{d.month:02d}-{d.day:02d}", _end(d.year, d)
    if d.year and d.month:
        return f"{d.year:04d}-{d.month:02d}", None
    if d.year and not d.month:
        return f"{d.year:04d}", None
    if ref is None:
        return None
    if d.month:
        year = ref.year
        past = d.relative == "last" or (d.relative is None and tense == "past")
        if past and d.month >= ref.month and (d.relative == "last" or d.month > ref.month):
            year -= 1
        if d.relative == "next" and d.month <= ref.month:
            year += 1
        if d.day:
            return f"{year:04d}-{d.month:02d}-{d.day:02d}", _end(year, d)
        return f"{year:04d}-{d.month:02d}", None
    if d.unit == "year" and d.relative in ("last", "this", "next", "past", "previous", "coming"):
        shift = {"last": -1, "previous": -1, "past": -1, "this": 0, "next": 1, "coming": 1}[d.relative]
        return f"{ref.year + shift:04d}", None
    if d.weekday is not None and ref.day is not None:
        delta = (d.weekday - ref.day.weekday()) % 7
        when = (
            ref.day + timedelta(days=delta)
            if tense == "future"
            else ref.day - timedelta(days=(7 - delta) % 7)
        )
        return when.isoformat(), None
    if d.relative in ("yesterday", "today", "tomorrow") and ref.day is not None:
        shift = {"yesterday": -1, "today": 0, "tomorrow": 1}[d.relative]
        return (ref.day + timedelta(days=shift)).isoformat(), None
    return None


def _end(year: int, d: DateMention) -> str | None:
    if d.day_end and d.month and d.day_end <= calendar.monthrange(year, d.month)[1]:
        return f"{year:04d}-{d.month:02d}-{d.day_end:02d}"
    return None


def build_timeline(
    claims: Sequence[Claim], articles: dict[str, Article], facts: FactIndex, ref: Reference | None
) -> list[TimelineEvent]:
    """Dated events: each date as stated in a sentence, with the sources whose aligned passage
    states a compatible date."""
    events: dict[tuple[str, int], TimelineEvent] = {}
    for k, claim in enumerate(claims):
        for node in claim.members:
            f = facts[node]
            for d in f.dates:
                got = resolve(d, ref, _tense(f))
                if got is None:
                    continue
                iso, end = got
                key = (iso, k)
                if key in events:
                    continue
                sources = tuple(
                    a for a in claim.sources
                    if any(d.compatible(e) for n in claim.members if n[0] == a for e in facts[n].dates)
                )  # fmt: skip
                events[key] = TimelineEvent(iso, f.text, sources or (node[0],), d.text, end)
    out = list(events.values())
    out.sort(key=lambda e: (e.date, -len(e.sources)))
    return out


# ---------------------------------------------------------------- summary
def build_summary(
    claims: Sequence[Claim],
    articles: dict[str, Article],
    vectors: dict[str, npt.NDArray[np.float32]],
    families: Sequence[Sequence[str]],
    size: tuple[int, int] = (3, 6),
) -> list[SummarySentence]:
    """Extractive summary: claims ranked by independent support, support and centrality."""
    if not claims:
        return []
    claim_vecs = []
    for c in claims:
        v = np.mean([vectors[a][i] for a, i in c.members], axis=0)
        claim_vecs.append(v / (np.linalg.norm(v) or 1.0))
    mat = np.asarray(claim_vecs, dtype=np.float32)
    centroid = mat.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = mat @ centroid
    scored = sorted(
        range(len(claims)),
        key=lambda k: (
            -independent_count(claims[k].sources, families),
            -len(claims[k].sources),
            -centrality[k],
            k,
        ),
    )
    chosen: list[int] = []
    lo, hi = size
    for k in scored:
        if len(chosen) >= hi:
            break
        if any(float(mat[k] @ mat[j]) > 0.8 for j in chosen):
            continue
        if len(chosen) >= lo and len(claims[k].sources) < 2:
            break
        chosen.append(k)
    chosen.sort()
    return [SummarySentence(claim_text(claims[k], articles), claims[k].sources) for k in chosen]
