"""report: serialise a :class:`~storytrace.records.Report` to report.json (contract version 1)
and render the terminal summary."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from ..records import DIFFERENCE_ORDER, Article, Derivation, Dossier, Report, Skipped, Story

REPORT_FORMAT = 1


def article_json(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "source": article.source,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "sentences": len(article.sentences),
        "credits": list(article.credits),
        "removed": [{"kind": r.kind, "text": r.text, "reason": r.reason} for r in article.removed],
        "language": article.language,
        # sentences in another language than the article's (mixed text): index -> language
        "sentence_languages": {str(s.index): s.language for s in article.sentences if s.language},
    }


def derivation_json(d: Derivation) -> dict[str, Any]:
    return {
        "source": d.source,
        "target": d.target,
        "relation": d.relation,
        "confidence": d.confidence,
        "verbatim": d.verbatim,
        "near_verbatim": d.near_verbatim,
        "paraphrase": d.paraphrase,
        "rewritten": d.rewritten,
        "added": d.added,
        "dropped": d.dropped,
        "evidence": list(d.evidence),
        "translation": d.translation,
        "translation_rewritten": d.translation_rewritten,
    }


def dossier_json(d: Dossier) -> dict[str, Any]:
    """Drift, quotations and the consolidated story (fields added to each story in format 1)."""
    return {
        "drift": [
            {"source": x.source, "target": x.target, "kind": x.kind, "before": x.before, "after": x.after,
             "source_sentence": x.source_sentence, "target_sentence": x.target_sentence,
             "variant": x.variant if x.kind == "name" else None, "difference": x.difference}
            for x in d.drift
        ],
        "quotes": [
            {"speaker": q.speaker, "renderings": [{"text": r.text, "sources": list(r.sources)} for r in q.renderings]}
            for q in d.quotes
        ],
        "facts": [
            {"text": f.text, "sources": list(f.sources), "single_source": f.single_source,
             "conflicts": list(f.conflicts), "independent_sources": f.independent_sources,
             "versions": [{"language": v.language, "text": v.text, "sources": list(v.sources)} for v in f.versions]}
            for f in d.facts
        ],
        "entities": [{"name": e.name, "type": e.type, "roles": list(e.roles), "sources": list(e.sources)}
                     for e in d.entities],
        "timeline": [{"date": t.date, "end": t.end, "event": t.event, "said": t.said, "sources": list(t.sources)}
                     for t in d.timeline],
        "summary": [{"text": s.text, "sources": list(s.sources)} for s in d.summary],
    }  # fmt: skip


def story_json(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "articles": list(story.articles),
        "origin": story.origin,
        "families": [list(f) for f in story.families],
        "derivations": [derivation_json(d) for d in story.derivations],
        **dossier_json(story.dossier),
    }


def skipped_json(s: Skipped) -> dict[str, Any]:
    return {"path": s.path, "line": s.line, "reason": s.reason}


def to_json(report: Report) -> dict[str, Any]:
    """The report.json document (version 1: later versions add fields, never rename)."""
    return {
        "storytrace": report.version,
        "format": REPORT_FORMAT,
        "articles": [article_json(a) for a in report.articles],
        "stories": [story_json(s) for s in report.stories],
        "skipped": [skipped_json(s) for s in report.skipped],
    }


def write_json(report: Report, out_dir: str | Path) -> Path:
    """Write ``out_dir/report.json`` atomically (a crash never leaves half a file)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    target = out / "report.json"
    tmp = out / ".report.json.tmp"
    tmp.write_text(json.dumps(to_json(report), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(target)
    return target


def summary(report: Report) -> str:
    """A readable terminal summary: stories, families, likely originals, removals, skipped inputs."""
    lines: list[str] = []
    multi = [s for s in report.stories if len(s.articles) > 1]
    lines.append(
        f"{len(report.articles)} article(s) analysed, {len(report.stories)} stor{'y' if len(report.stories) == 1 else 'ies'}"
        f" ({len(multi)} with more than one version), {len(report.skipped)} input(s) skipped"
    )
    for story in report.stories:
        lines.append("")
        lines.append(
            f"{story.id}: {len(story.articles)} article(s)"
            + (f", likely original {story.origin}" if story.origin and len(story.articles) > 1 else "")
        )
        in_family = {a for f in story.families for a in f}
        for fam in story.families:
            lines.append(f"  family of {len(fam)}: " + ", ".join(fam))
        languages = {a.id: a.language for a in report.articles}
        by_language = Counter(languages.get(a, "und") for a in story.articles)
        if len(by_language) > 1:
            main = by_language.most_common(1)[0][0]
            lines.append(
                "  languages: "
                + ", ".join(
                    f"{n} {lang}"
                    + (
                        ""
                        if lang == main
                        else " (" + ", ".join(a for a in story.articles if languages.get(a) == lang) + ")"
                    )
                    for lang, n in by_language.most_common()
                )
            )
        for d in story.derivations:
            across = (
                f"{d.translation} translation, {d.translation_rewritten} translation-rewritten, "
                if d.translation + d.translation_rewritten
                else ""
            )
            lines.append(
                f"    {d.source} -> {d.target}  {d.relation} (confidence {d.confidence:.2f}; "
                f"{d.verbatim} verbatim, {d.near_verbatim} near-verbatim, {d.paraphrase} paraphrase, "
                f"{d.rewritten} rewritten, {across}"
                f"+{d.added} added, -{d.dropped} dropped)"
            )
        if story.dossier.drift:
            drift_kinds = Counter(x.kind for x in story.dossier.drift)
            differences = Counter(x.difference for x in story.dossier.drift)
            lines.append(
                "  drift: " + ", ".join(f"{n} {k}" for k, n in sorted(drift_kinds.items()))
                + " (" + ", ".join(f"{differences[k]} {k}" for k in DIFFERENCE_ORDER if differences[k]) + ")"
            )  # fmt: skip
            ordered = sorted(story.dossier.drift, key=lambda x: DIFFERENCE_ORDER.index(x.difference))
            for x in ordered[:12]:
                tag = " (spelling variant)" if x.variant else ""
                lines.append(
                    f"    {x.difference:<9} {x.kind:<8} {x.source} -> {x.target}: {x.before!r} -> {x.after!r}{tag}"
                )
            if len(story.dossier.drift) > 12:
                lines.append(f"    ... {len(story.dossier.drift) - 12} more in report.json")
        conflicts = [f for f in story.dossier.facts if f.conflicts]
        if conflicts:
            lines.append(f"  conflicting facts: {len(conflicts)}")
            notes = list(dict.fromkeys(c for f in conflicts for c in f.conflicts))
            lines.extend(f"    {c}" for c in notes[:6])
        loners = [a for a in story.articles if a not in in_family]
        if loners and len(story.articles) > 1:
            lines.append("  independent: " + ", ".join(loners))
    removed = Counter(r.kind for a in report.articles for r in a.removed)
    if removed:
        lines.append("")
        lines.append(
            "removed from article text: " + ", ".join(f"{n} {k}" for k, n in sorted(removed.items()))
        )
        for a in report.articles:
            if a.removed:
                kinds = Counter(r.kind for r in a.removed)
                lines.append(f"  {a.id}: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
    if report.skipped:
        lines.append("")
        lines.append(f"skipped {len(report.skipped)} input(s):")
        lines.extend(f"  {s}" for s in report.skipped)
    return "\n".join(lines)
