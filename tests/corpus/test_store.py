from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from storytrace.cli import main
from storytrace.config import Config
from storytrace.corpus.ingest import ingest
from storytrace.corpus.schema import StoreVersionError
from storytrace.corpus.store import SQLiteStore
from storytrace.errors import ConfigError

from ..conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def _sentences() -> list[str]:
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.glob("*.txt")))
    return sorted({s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 6})


def _corpus(path: Path, count: int, seed: int = 3) -> None:
    """Small articles from the example sentences, a tenth of them near copies of an earlier one."""
    rng = random.Random(seed)
    pool = _sentences()
    texts: list[str] = []
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            if texts and rng.random() < 0.1:
                base = rng.choice(texts).split("\n")
                base[rng.randrange(len(base))] += " officials said"
                text = "\n".join(base)
            else:
                text = (
                    "\n".join(rng.sample(pool, 12))
                    + f"\nReport number {i} from the desk of {rng.random():.6f}."
                )
            texts.append(text)
            handle.write(json.dumps({"id": f"art-{i:05d}", "text": text}) + "\n")


def _partition(db: Path) -> set[frozenset[str]]:
    with SQLiteStore(db, create=False) as store:
        return {frozenset(s.articles) for s in store.stories()}


def _check_consistent(db: Path, ids: set[str]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [r[0] for r in con.execute("SELECT id FROM articles")]
        assert sorted(stored) == sorted(ids)  # every article present, once
        assert con.execute("SELECT count(*) FROM revisions").fetchone()[0] == len(ids)
        assert con.execute("SELECT count(*) FROM signatures").fetchone()[0] == len(ids)
        assert con.execute("SELECT count(*) FROM story_members").fetchone()[0] == len(ids)
        orphans = con.execute(
            "SELECT count(*) FROM bands WHERE article NOT IN (SELECT rowid FROM articles)"
        ).fetchone()[0]
        assert orphans == 0
        dead = con.execute(
            "SELECT count(*) FROM story_members m JOIN stories s ON s.id = m.story WHERE s.merged_into IS NOT NULL"
        ).fetchone()[0]
        assert dead == 0
        empty = con.execute(
            "SELECT count(*) FROM stories s WHERE merged_into IS NULL AND NOT EXISTS "
            "(SELECT 1 FROM story_members m WHERE m.story = s.id)"
        ).fetchone()[0]
        assert empty == 0
    finally:
        con.close()


def test_killed_ingest_resumes_to_a_consistent_complete_store(tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    count = 4000
    _corpus(corpus, count)
    ids = {f"art-{i:05d}" for i in range(count)}
    db = tmp_path / "store.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [
        sys.executable,
        "-m",
        "storytrace.cli",
        "ingest",
        str(corpus),
        "--db",
        str(db),
        "--batch-size",
        "25",
    ]
    proc = subprocess.Popen([*cmd, "--quiet"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    committed = 0
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if db.exists():
            try:
                con = sqlite3.connect(db, timeout=0.1)
                committed = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.close()
            except sqlite3.Error:
                committed = 0
            if committed >= 100:
                break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    assert 0 < committed < count

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert "unchanged" in rerun.stdout
    _check_consistent(db, ids)

    clean = tmp_path / "clean.db"
    ingest([corpus], clean, Config(), batch_size=25)
    assert _partition(db) == _partition(clean)
    assert any(len(s) > 1 for s in _partition(db))  # the planted near copies joined stories


def test_reingest_changes_nothing_and_new_content_is_a_revision(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    db = tmp_path / "s.db"
    first = ingest([EXAMPLES], db)
    assert first.new == 7 and first.new_stories == 5
    with SQLiteStore(db) as store:
        before = {s.id: s.articles for s in store.stories()}
    again = ingest([EXAMPLES], db)
    assert (again.new, again.revised, again.unchanged, again.new_stories) == (0, 0, 7, 0)

    original = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
    updated = original.replace("planned", "postponed", 1)
    feed.write_text(json.dumps({"id": "meridian-original", "text": updated}) + "\n", encoding="utf-8")
    third = ingest([feed], db)
    assert third.revised == 1 and third.new == 0
    with SQLiteStore(db) as store:
        assert {s.id: s.articles for s in store.stories()} == before  # story ids and members unchanged
        assert len(store.revisions("meridian-original")) == 2
        diff = store.diff("meridian-original")
        assert "-" in diff and "postponed" in diff
        current = next(a for a in store.articles() if a.id == "meridian-original")
        assert "postponed" in current.text


def test_story_ids_are_stable_and_merges_are_recorded(tmp_path: Path) -> None:
    pool = _sentences()
    a, b = "\n".join(pool[:10]), "\n".join(pool[10:20])
    feed1, feed2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    feed1.write_text(
        json.dumps({"id": "a", "text": a}) + "\n" + json.dumps({"id": "b", "text": b}) + "\n",
        encoding="utf-8",
    )
    feed2.write_text(
        json.dumps({"id": "a-copy", "text": a + "\nOne more line."})
        + "\n"
        + json.dumps({"id": "both", "text": a + "\n" + b})
        + "\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    config = Config(dedup_threshold=0.4)
    ingest([feed1], db, config)
    with SQLiteStore(db, config) as store:
        first = {s.articles[0]: s.id for s in store.stories()}
    result = ingest([feed2], db, config)
    assert result.merges == 1 and result.new_stories == 0
    with SQLiteStore(db, config) as store:
        stories = store.stories()
        assert len(stories) == 1 and stories[0].id == first["a"]  # the older story keeps its id
        assert set(stories[0].articles) == {"a", "b", "a-copy", "both"}
        assert store.resolve(first["b"]) == first["a"]
        merge = store.db.execute("SELECT kept, absorbed, article FROM merges").fetchall()
        assert merge == [(first["a"], first["b"], "both")]


def test_newer_store_and_other_parameters_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    ingest([EXAMPLES / "meridian-original.txt"], db)
    with pytest.raises(ConfigError, match="num_perm='128'"):
        SQLiteStore(db, Config(num_perm=64))
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value='99' WHERE key='schema_version'")
    con.commit()
    con.close()
    with pytest.raises(StoreVersionError, match="schema version 99, written by a newer storytrace"):
        SQLiteStore(db)
    assert main(["ingest", str(EXAMPLES), "--db", str(db)]) == 2
    assert "newer storytrace" in capsys.readouterr().err
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 1  # not modified
    con.close()


@pytest.mark.slow
def test_analyze_reads_a_story_from_the_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    assert main(["ingest", str(EXAMPLES), "--db", str(db), "--quiet"]) == 0
    with SQLiteStore(db) as store:
        story = next(s for s in store.stories() if "meridian-original" in s.articles)
    out = tmp_path / "out"
    assert main(["analyze", "--db", str(db), "--story", story.id, "--out", str(out), "--quiet"]) == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert {a["id"] for a in report["articles"]} == set(story.articles)
    derived = {(d["source"], d["target"]) for s in report["stories"] for d in s["derivations"]}
    assert ("meridian-original", "dailyvoice-copy") in derived
    assert main(["analyze", "--out", str(out)]) == 2
    assert "give input PATHs or --db FILE" in capsys.readouterr().err


@pytest.mark.slow
def test_semantic_ingest_keeps_embeddings_and_joins_the_retranslation(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    result = ingest([EXAMPLES], db, semantic=True)
    assert result.new == 7
    with SQLiteStore(db) as store:
        assert store.db.execute("SELECT count(*) FROM embeddings").fetchone()[0] == 7
        story = next(s for s in store.stories() if "meridian-original" in s.articles)
        assert "globewire-retranslated" in story.articles
        assert "unrelated-bakery" not in story.articles and "northstar-report" not in story.articles
        how = store.db.execute(
            "SELECT m.how FROM story_members m JOIN articles a ON a.rowid = m.article WHERE a.id = ?",
            ("globewire-retranslated",),
        ).fetchone()[0]
        assert how == "semantic"


def test_schema_1_store_is_migrated_and_searchable(tmp_path: Path) -> None:
    """A store written before full-text search (schema 1) opens, gains the index and keeps its data."""
    db = tmp_path / "old.db"
    ingest([EXAMPLES / "meridian-original.txt", EXAMPLES / "unrelated-bakery.html"], db)
    con = sqlite3.connect(db)
    con.execute("DROP TABLE articles_fts")
    con.execute("DROP TABLE analyses")
    con.execute("UPDATE meta SET value='1' WHERE key='schema_version'")
    con.commit()
    con.close()
    with SQLiteStore(db) as store:
        assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "2"
        bakery = store.story_of("unrelated-bakery")
        assert [s for s, _ in store.search("bread show")] == [bakery]
        assert [s for s, _ in store.search("Hvidsteen")] == [store.story_of("meridian-original")]
        assert store.search("") == [] and store.search('" OR NEAR(') == []
        rows, total = store.list_stories(query="bakery")
        assert total == 1 and rows[0]["id"] == bakery
    # a revision replaces the indexed text: the old words no longer match
    revised = tmp_path / "unrelated-bakery.html"
    revised.write_text(
        re.sub("(?i)bread", "pastry", (EXAMPLES / "unrelated-bakery.html").read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    ingest([revised], db)
    with SQLiteStore(db) as store:
        assert store.search("pastry") and not store.search("bread")
        assert len(store.revisions("unrelated-bakery")) == 2
