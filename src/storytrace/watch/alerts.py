"""alerts: events the watcher finds in the store, the rules that turn them into alerts, and where
alerts go (JSON lines to a file or standard output, and optionally a webhook).

An event has a key made only of what it is about (the two article ids and the relation; the
drift kind and the two readings; the article and revision numbers), so the same event found again
after a restart has the same key, and the watcher's alert table (primary key: rule and event key)
never lets it fire twice."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from ..config import AlertRule
from ..errors import ConfigError
from ..records import Story

EventKind = Literal["copy", "drift", "revision"]


@dataclass(frozen=True)
class ArticleRef:
    """What an alert says about one version: its id, outlet, URL, headline and time."""

    id: str
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = None

    def json(self) -> dict[str, Any]:
        return {"id": self.id, "outlet": self.outlet, "url": self.url, "title": self.title,
                "published": self.published}  # fmt: skip


@dataclass(frozen=True)
class Event:
    """Something that happened in the store: a derivation edge, a drift entry or a revision."""

    kind: EventKind
    key: str
    story: str
    source: ArticleRef
    target: ArticleRef
    summary: str
    evidence: tuple[str, ...] = ()
    #: what the event is: relation and confidence, drift kind and readings, revision numbers
    detail: Mapping[str, Any] = field(default_factory=dict)
    #: distinct outlets of the story when the event was found
    outlets: int = 1


def _key(*parts: object) -> str:
    return hashlib.blake2b("\x00".join(str(p) for p in parts).encode("utf-8"), digest_size=12).hexdigest()


def story_events(story_id: str, story: Story, refs: Mapping[str, ArticleRef]) -> list[Event]:
    """The derivation edges and drift entries of one analysed story, as events."""
    outlets = len({refs[a].outlet or a for a in story.articles if a in refs}) or len(story.articles)
    by_edge = {(d.source, d.target): d for d in story.derivations}
    out: list[Event] = []
    for d in story.derivations:
        src, tgt = refs.get(d.source, ArticleRef(d.source)), refs.get(d.target, ArticleRef(d.target))
        out.append(
            Event(
                "copy",
                _key("copy", d.source, d.target, d.relation),
                story_id,
                src,
                tgt,
                f"{tgt.outlet or d.target} has a {d.relation} of {src.outlet or d.source}'s article "
                f"(confidence {d.confidence:.2f})",
                d.evidence,
                {"relation": d.relation, "confidence": d.confidence},
                outlets,
            )
        )
    for x in story.dossier.drift:
        src, tgt = refs.get(x.source, ArticleRef(x.source)), refs.get(x.target, ArticleRef(x.target))
        edge = by_edge.get((x.source, x.target))
        out.append(
            Event(
                "drift",
                _key("drift", x.source, x.target, x.kind, x.before, x.after),
                story_id,
                src,
                tgt,
                f"{x.kind} drift from {src.outlet or x.source} to {tgt.outlet or x.target}: "
                f"{x.before!r} -> {x.after!r}",
                (f"before: {x.source_sentence}", f"after: {x.target_sentence}", *(edge.evidence[:1] if edge else ())),
                {"drift_kind": x.kind, "difference": x.difference, "before": x.before, "after": x.after,
                 "source_sentence": x.source_sentence, "target_sentence": x.target_sentence},
                outlets,
            )
        )
    return out


def revision_event(
    story_id: str, ref: ArticleRef, old: int, new: int, counts: Mapping[str, int], drift: Sequence[Mapping[str, str]]
) -> Event:
    """A new revision of a watched page: what changed (counts) and what drifted."""
    changed = ", ".join(f"{n} {k}" for k, n in counts.items() if n) or "no sentence changed"
    facts = "; ".join(f"{d['kind']}: {d['before']!r} -> {d['after']!r}" for d in drift[:5])
    return Event(
        "revision",
        _key("revision", ref.id, new),
        story_id,
        ArticleRef(f"{ref.id}@{old}", ref.outlet, ref.url, ref.title),
        ArticleRef(f"{ref.id}@{new}", ref.outlet, ref.url, ref.title),
        f"{ref.outlet or ref.id} revised {ref.url or ref.id} (revision {new}): {changed}"
        + (f"; drift: {facts}" if facts else ""),
        tuple(f"{d['kind']}: {d['before']!r} -> {d['after']!r}" for d in drift),
        {"article": ref.id, "from": old, "to": new, "counts": dict(counts), "drift": [dict(d) for d in drift]},
    )


def _matches_source(ref: ArticleRef, wanted: Sequence[str]) -> bool:
    if not wanted:
        return True
    host = (urlsplit(ref.url).hostname or "") if ref.url else ""
    host = host[4:] if host.startswith("www.") else host
    names = {(ref.outlet or "").casefold(), host.casefold()}
    return any(w.casefold() in names for w in wanted)


def matches(rule: AlertRule, event: Event) -> bool:
    """Whether ``rule`` fires on ``event``."""
    if rule.on != event.kind:
        return False
    if event.kind == "copy":
        return event.detail.get("relation") in rule.relations and _matches_source(event.source, rule.sources)
    if event.kind == "drift":
        kind_ok = not rule.kinds or event.detail.get("drift_kind") in rule.kinds
        return kind_ok and event.outlets >= rule.min_sources and _matches_source(event.source, rule.sources)
    url = event.target.url or ""
    return not rule.urls or any(url.startswith(prefix) for prefix in rule.urls)


@dataclass(frozen=True)
class Alert:
    """An event a rule fired on, ready to be sent."""

    id: str
    rule: str
    event: Event
    at: str
    link: str

    def json(self) -> dict[str, Any]:
        e = self.event
        return {
            "id": self.id, "rule": self.rule, "event": e.kind, "at": self.at, "story": e.story,
            "summary": e.summary, "source": e.source.json(), "target": e.target.json(),
            "detail": dict(e.detail), "evidence": list(e.evidence), "link": self.link,
        }  # fmt: skip


def make_alerts(rules: Sequence[AlertRule], events: Iterable[Event], at: str, web_url: str) -> list[Alert]:
    out = []
    for event in events:
        for rule in rules:
            if matches(rule, event):
                out.append(Alert(_key(rule.name, event.key), rule.name, event, at, link_for(event, web_url)))
    return out


def link_for(event: Event, web_url: str) -> str:
    """Where the web app shows the event: the pair of versions, or the article's revisions."""
    base = web_url.rstrip("/")
    if event.kind == "revision":
        article = str(event.detail.get("article", ""))
        return f"{base}/articles/{quote(article, safe='')}?a={event.detail.get('from')}&b={event.detail.get('to')}"
    return (
        f"{base}/stories/{quote(event.story, safe='')}/pair?a={quote(event.source.id, safe='')}"
        f"&b={quote(event.target.id, safe='')}"
    )


class AlertSink:
    """Writes alerts as JSON lines to a file (appended, flushed and synced) or standard output, and
    POSTs each to a webhook when one is configured (with an ``Idempotency-Key`` header: the alert
    id, for receivers that must never act twice)."""

    def __init__(self, path: str = "-", webhook: str = "", timeout: float = 10.0) -> None:
        self.path = path
        self.webhook = webhook
        self.timeout = timeout
        if path != "-":  # refused now, with the file named, not by a traceback at the first alert
            try:
                with open(path, "a", encoding="utf-8"):
                    pass
            except OSError as err:
                raise ConfigError(f"alert file {path!r} cannot be written: {err.strerror or err}") from None

    def already_written(self) -> set[str]:
        """Ids of the alerts the alert file already holds (the file is the record of what was
        sent: an alert written just before a crash is not written again)."""
        if self.path == "-" or not Path(self.path).exists():
            return set()
        ids = set()
        with open(self.path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                try:
                    ids.add(str(json.loads(line)["id"]))
                except (ValueError, KeyError, TypeError):
                    continue
        return ids

    def write(self, payload: dict[str, Any]) -> None:
        """Write one alert as a JSON line (appended, flushed and synced to disk)."""
        line = json.dumps(payload, ensure_ascii=False)
        if self.path == "-":
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
            return
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    def post(self, payload: dict[str, Any]) -> str | None:
        """POST one alert to the webhook; the error when it was not accepted (it is retried later)."""
        import httpx

        try:
            response = httpx.post(
                self.webhook,
                content=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                headers={"Content-Type": "application/json", "Idempotency-Key": str(payload["id"])},
                timeout=self.timeout,
            )
        except httpx.HTTPError as err:
            return f"webhook {self.webhook}: {type(err).__name__}: {err}"
        if response.status_code >= 300:
            return f"webhook {self.webhook}: HTTP {response.status_code}"
        return None
