"""The store's bookkeeping: any order of arrival gives analyze's answer, story ids follow the
articles through merges and splits, corpus repetition is counted over the whole store, a crash
mid-run leaves it consistent, old stores migrate and new ones are refused. These tests use a
word-hashing embedder (tests/fakes.py), so they check the store, not the model, in seconds; the
real-model parity tests are in test_parity.py."""

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
from typing import Any

import pytest

from storytrace.cli import main
from storytrace.config import Config
from storytrace.corpus.export import export_document
from storytrace.corpus.identity import assign
from storytrace.corpus.ingest import add_articles, ingest
from storytrace.corpus.schema import StoreVersionError
from storytrace.corpus.store import IngestSummary, SQLiteStore
from storytrace.corpus.update import UpdateSummary, store_pipeline, update
from storytrace.errors import InputError
from storytrace.pipeline import Pipeline
from storytrace.read.inputs import read_inputs
from storytrace.records import RawArticle
from storytrace.render.report import to_json

from ..conftest import EXAMPLES
from ..fakes import WordHashEmbedder
from .helpers import assert_same_answers

ROOT = Path(__file__).resolve().parents[2]
FAST = Config(dossier=False)


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


def _update(db: Path, config: Config = FAST, **kw: Any) -> UpdateSummary:
    with SQLiteStore(db, config) as store:
        return update(store, store_pipeline(store, model=WordHashEmbedder), **kw)


def _add(db: Path, raws: list[RawArticle], config: Config = FAST, **kw: Any) -> IngestSummary:
    summary = IngestSummary(db=db)
    with SQLiteStore(db, config) as store:
        add_articles(store, raws, summary, **kw)
    return summary


def _export(db: Path, config: Config = FAST) -> dict[str, Any]:
    with SQLiteStore(db, config) as store:
        return export_document(store)[1]


def _analyze(raws: list[RawArticle], config: Config = FAST) -> dict[str, Any]:
    report = Pipeline(config=config, embedder=WordHashEmbedder()).analyze_raw(raws)
    data: dict[str, Any] = json.loads(json.dumps(to_json(report)))
    return data


def _examples() -> list[RawArticle]:
    return list(read_inputs([EXAMPLES]).articles)


def test_any_order_of_arrival_gives_analyzes_answer(tmp_path: Path) -> None:
    raws = _examples()
    expected = _analyze(raws)
    for seed in (1, 2):
        order = raws[:]
        random.Random(seed).shuffle(order)
        db = tmp_path / f"one-by-one-{seed}.db"
        for raw in order:
            _add(db, [raw])
            _update(db)
        assert_same_answers(_export(db), expected)
    batch = tmp_path / "batch.db"
    _add(batch, raws)
    summary = _update(batch)
    assert summary.prepared == 7 and summary.grouped == 7 and summary.analysed == 2
    assert_same_answers(_export(batch), expected)
    assert _update(batch).changed is False  # nothing new: nothing redone


def test_story_ids_follow_their_articles(tmp_path: Path) -> None:
    raws = {r.id: r for r in _examples()}
    db = tmp_path / "s.db"
    _add(db, [raws["meridian-original"], raws["unrelated-bakery"]])
    _update(db)
    with SQLiteStore(db, FAST) as store:
        first = {s.articles[0]: s.id for s in store.stories()}
    _add(db, [raws["dailyvoice-copy"], raws["portal24-furniture"]])
    _update(db)
    doc = _export(db)
    canal = next(s for s in doc["stories"] if "meridian-original" in s["articles"])
    assert canal["id"] == first["meridian-original"]  # the story grew and kept its id
    assert [e["event"] for e in canal["history"]] == ["created", "joined"]
    assert set(canal["history"][1]["articles"]) == {"dailyvoice-copy", "portal24-furniture"}
    bakery = next(s for s in doc["stories"] if s["articles"] == ["unrelated-bakery"])
    assert bakery["id"] == first["unrelated-bakery"] and bakery["state"] == "analysed"


def test_merge_keeps_the_older_id_and_a_split_the_larger_part(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    pool = _sentences()
    raws = [RawArticle(f"a{i}", "\n".join(pool[i * 4 : i * 4 + 4])) for i in range(6)]
    _add(db, raws)
    _update(db, analyse=False)  # prepared, grouped by analyze's rules
    with SQLiteStore(db, FAST) as store:
        rowid = {r.id: k for k, _, r in store.raw_articles()}
        gen = int(store.meta("prepared_gen"))
        # force a known layout: {a0 a1 a2} and {a3 a4 a5}
        store.apply_grouping(
            [[rowid["a0"], rowid["a1"], rowid["a2"]], [rowid["a3"], rowid["a4"], rowid["a5"]]], set(), gen
        )
        ids = {s.articles[0]: s.id for s in store.stories()}
        older, newer = sorted([ids["a0"], ids["a3"]], key=lambda s: int(s.split("-")[1]))
        # a merge: the older id survives and records the one it absorbed
        store.apply_grouping([[rowid[f"a{i}"] for i in range(6)]], set(), gen)
        assert [s.id for s in store.stories()] == [older]
        assert store.resolve(newer) == older
        history = store.history(older)
        merge = next(e for e in history if e["event"] == "merge" and e["other"] == newer)
        assert set(merge["articles"]) == ({"a3", "a4", "a5"} if newer == ids["a3"] else {"a0", "a1", "a2"})
        # a split: the larger part keeps the id, the smaller gets a new one and the event says so
        store.apply_grouping([[rowid[f"a{i}"] for i in range(4)], [rowid["a4"], rowid["a5"]]], set(), gen)
        stories = {s.id: set(s.articles) for s in store.stories()}
        assert stories[older] == {"a0", "a1", "a2", "a3"}
        (split_id,) = set(stories) - {older}
        assert stories[split_id] == {"a4", "a5"}
        split = next(e for e in store.history(older) if e["event"] == "split")
        assert split["other"] == split_id and split["articles"] == ["a4", "a5"]


def test_assign_rules() -> None:
    seqs = {"s1": 1, "s2": 2, "s3": 3}
    # s1 splits 3/1: the larger part keeps it; s2 and s3 merge into s2 (older)
    result = assign(
        [[1, 2, 3], [4], [5, 6, 7]], {1: "s1", 2: "s1", 3: "s1", 4: "s1", 5: "s2", 6: "s3", 7: "s3"}, seqs
    )
    assert result.ids == ["s1", "", "s2"] and result.new == [1] and result.absorbed == {"s3": "s2"}
    # a tie goes to the cluster whose first article arrived first
    assert assign([[3, 4], [1, 2]], {1: "s1", 3: "s1"}, seqs).ids == ["", "s1"]


def test_a_short_line_that_becomes_furniture_recleans_the_articles_that_have_it(tmp_path: Path) -> None:
    body = [
        "The council of Varn approved the new harbour budget on Monday after a long debate.",
        "Fishermen in Tollby said the new quay would finally end years of delays for their boats.",
        "A storm closed the mountain pass above Ebrin for the third time this winter, officials said.",
        "The museum in Oskarsholm will show the restored royal barge from next spring onwards.",
    ]
    raws = [
        RawArticle(f"n{i}", f"{text}\n\nCoast Daily Morning Edition\n\nMore on this later.")
        for i, text in enumerate(body)
    ]
    db = tmp_path / "s.db"
    for count in (1, 2, 3, 4):
        _add(db, [raws[count - 1]])
        summary = _update(db)
        doc = _export(db)
        assert_same_answers(doc, _analyze(raws[:count]))
        furniture = {
            a["id"] for a in doc["articles"] if any("repeated in" in r["reason"] for r in a["removed"])
        }
        assert furniture == ({f"n{i}" for i in range(count)} if count >= 3 else set())
        if count == 3:  # the line crossed the threshold: the two earlier articles were cleaned again
            assert summary.prepared == 3
        if count == 4:  # past the threshold, one more repeat changes no earlier article
            assert summary.prepared == 1


def test_an_update_killed_midway_leaves_a_consistent_store_that_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storytrace.corpus import prepared as prepared_module
    from storytrace.corpus import update as update_module

    raws = _examples()
    db, clean = tmp_path / "crash.db", tmp_path / "clean.db"
    _add(db, raws)
    _add(clean, raws)
    _update(clean)

    class Crash(Exception):
        pass

    written: list[object] = []
    real_dumps = prepared_module.dumps

    def dying_dumps(record: object) -> str:
        written.append(record)
        if len(written) == 5:  # the second transaction of three prepared articles, half written
            raise Crash("the process died here")
        return real_dumps(record)

    monkeypatch.setattr(update_module, "PREPARE_BATCH", 3)
    monkeypatch.setattr(prepared_module, "dumps", dying_dumps)
    with SQLiteStore(db, FAST) as store, pytest.raises(Crash):
        update(store, store_pipeline(store, model=WordHashEmbedder))
    monkeypatch.setattr(prepared_module, "dumps", real_dumps)
    with SQLiteStore(db, FAST) as store:
        assert store.db.execute("SELECT count(*) FROM prepared").fetchone()[0] == 3  # the first batch only
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert not store.stories()  # never grouped
    assert _update(db).prepared == 4  # the rest, and nothing twice
    assert_same_answers(_export(db), _export(clean))


def test_grouping_window_regroups_recent_articles_only(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    raws = {r.id: r for r in _examples()}
    config = Config(dossier=False, group_window_days=3)
    old = datetime(2025, 3, 1)
    db = tmp_path / "s.db"
    _add(
        db,
        [raws["meridian-original"].__class__(**{**_fields(raws["meridian-original"]), "published": old})],
        config,
    )
    _update(db, config)
    new = [
        RawArticle(**{**_fields(raws[i]), "published": old + timedelta(days=30)})
        for i in ("dailyvoice-copy", "portal24-furniture")
    ]
    _add(db, new, config)
    summary = _update(db, config)
    assert summary.grouped == 2  # only the two recent articles were grouped again
    doc = _export(db, config)
    groups = sorted(sorted(s["articles"]) for s in doc["stories"])
    # the old article keeps its story; the two recent copies form theirs
    assert groups == [["dailyvoice-copy", "portal24-furniture"], ["meridian-original"]]


def _fields(raw: RawArticle) -> dict[str, Any]:
    return {f: getattr(raw, f) for f in raw.__slots__}  # type: ignore[attr-defined]


def _check_consistent(db: Path, ids: set[str]) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = [r[0] for r in con.execute("SELECT id FROM articles")]
        assert sorted(stored) == sorted(ids)  # every article present, once
        assert con.execute("SELECT count(*) FROM revisions").fetchone()[0] == len(ids)
        fts = con.execute("SELECT count(*) FROM articles_fts").fetchone()[0]
        assert fts == len(ids)
    finally:
        con.close()


def test_killed_ingest_resumes_to_a_consistent_complete_store(tmp_path: Path) -> None:
    corpus = tmp_path / "feed.jsonl"
    count = 4000
    _corpus(corpus, count)
    ids = {f"art-{i:05d}" for i in range(count)}
    db = tmp_path / "store.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "storytrace.cli", "ingest", str(corpus), "--db", str(db), "--batch-size", "25",
           "--no-analyse"]  # fmt: skip
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
    assert ("unchanged" in rerun.stdout and f"{count - committed}" in rerun.stdout) or "new" in rerun.stdout
    _check_consistent(db, ids)
    again = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    assert f"0 new, 0 revised, {count} unchanged" in again.stdout  # idempotent


def test_reingest_changes_nothing_and_new_content_is_a_revision(tmp_path: Path) -> None:
    feed = tmp_path / "feed.jsonl"
    db = tmp_path / "s.db"
    first = ingest([EXAMPLES], db, FAST, analyse=False)
    assert first.new == 7
    _update(db)
    again = ingest([EXAMPLES], db, FAST, analyse=False)
    assert (again.new, again.revised, again.unchanged) == (0, 0, 7)
    assert _update(db).changed is False

    original = (EXAMPLES / "meridian-original.txt").read_text(encoding="utf-8")
    updated = original.split("\n", 1)[1].replace("planned", "postponed", 1)
    feed.write_text(
        json.dumps({"id": "meridian-original", "title": original.split("\n", 1)[0], "text": updated}) + "\n",
        encoding="utf-8",
    )
    third = ingest([feed], db, FAST, analyse=False)
    assert third.revised == 1 and third.new == 0 and third.revised_ids == ["meridian-original"]
    assert "new revisions of: meridian-original" in third.summary()
    summary = _update(db)
    assert summary.prepared == 1 and summary.analysed == 1  # the revised article and its story only
    with SQLiteStore(db, FAST) as store:
        assert len(store.revisions("meridian-original")) == 2
        diff = store.diff("meridian-original")
        assert "-" in diff and "postponed" in diff
        current = next(a for a in store.articles() if a.id == "meridian-original")
        assert "postponed" in current.text


def test_an_id_collision_is_refused_or_an_explicit_revision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    (one / "notes.txt").write_text(
        "A ferry ran aground near Skarholm on Sunday; nobody was hurt.", encoding="utf-8"
    )
    (two / "notes.txt").write_text("The town of Brekke opened its new library on Friday.", encoding="utf-8")
    (two / "other.txt").write_text("Heavy snow closed the pass above Ulm for two days.", encoding="utf-8")
    assert main(["ingest", str(one), "--db", str(db), "--no-analyse", "--quiet"]) == 0
    assert main(["ingest", str(two), "--db", str(db), "--no-analyse", "--on-conflict", "refuse"]) == 0
    out = capsys.readouterr().out
    assert "1 new, 0 revised, 0 unchanged, 1 refused" in out
    assert (
        "refused " in out and "article id 'notes' is already stored (revision 1" in out and "notes.txt" in out
    )
    with SQLiteStore(db, FAST) as store:
        assert store.revisions("notes") == ["A ferry ran aground near Skarholm on Sunday; nobody was hurt."]
        assert len(store.revisions("other")) == 1  # the rest of the input was stored
    assert main(["ingest", str(two), "--db", str(db), "--no-analyse"]) == 0  # the default: a new revision
    assert "1 revised" in capsys.readouterr().out


def test_newer_store_is_refused_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    ingest([EXAMPLES / "meridian-original.txt"], db, FAST, analyse=False)
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


SCHEMA_2 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, revision INTEGER NOT NULL,
    content_hash TEXT NOT NULL, exact INTEGER NOT NULL, length INTEGER NOT NULL,
    title TEXT, source TEXT, url TEXT, published TEXT, path TEXT, line INTEGER);
CREATE INDEX articles_exact ON articles (exact);
CREATE TABLE revisions (article INTEGER NOT NULL REFERENCES articles (rowid), revision INTEGER NOT NULL,
    text TEXT NOT NULL, content_hash TEXT NOT NULL, title TEXT, published TEXT, ingested_at TEXT NOT NULL,
    PRIMARY KEY (article, revision)) WITHOUT ROWID;
CREATE TABLE signatures (article INTEGER PRIMARY KEY REFERENCES articles (rowid), sig BLOB NOT NULL);
CREATE TABLE bands (key INTEGER NOT NULL, article INTEGER NOT NULL REFERENCES articles (rowid),
    PRIMARY KEY (key, article)) WITHOUT ROWID;
CREATE TABLE embeddings (article INTEGER PRIMARY KEY REFERENCES articles (rowid), model TEXT NOT NULL,
    vector BLOB NOT NULL);
CREATE TABLE stories (id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, created_at TEXT NOT NULL, merged_into TEXT);
CREATE TABLE story_members (article INTEGER PRIMARY KEY REFERENCES articles (rowid),
    story TEXT NOT NULL REFERENCES stories (id), how TEXT NOT NULL, similarity REAL NOT NULL, joined_at TEXT NOT NULL);
CREATE TABLE merges (seq INTEGER PRIMARY KEY AUTOINCREMENT, kept TEXT NOT NULL, absorbed TEXT NOT NULL,
    article TEXT NOT NULL, similarity REAL NOT NULL, at TEXT NOT NULL);
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='', tokenize='unicode61 remove_diacritics 2');
CREATE TABLE analyses (story TEXT PRIMARY KEY, key TEXT NOT NULL, drift INTEGER NOT NULL, view TEXT NOT NULL,
    created_at TEXT NOT NULL);
"""


def test_schema_2_store_is_migrated_and_keeps_its_story_ids(tmp_path: Path) -> None:
    """A store written before the pipeline grouped it (schema 2: near-duplicate stories) opens, keeps
    its articles, revisions and story ids, and is regrouped by analyze's rules on the next update."""
    from storytrace.corpus.store import content_digest

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(SCHEMA_2)
    meta = {"schema_version": "2", "created_by": "storytrace 0.1", "story_seq": "2", "num_perm": "128"}
    con.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
    raws = {r.id: r for r in _examples()}
    layout = {
        "meridian-original": "story-000001",
        "dailyvoice-copy": "story-000001",
        "portal24-furniture": "story-000002",
    }
    for rowid, ident in enumerate(layout, start=1):
        raw = raws[ident]
        digest = content_digest(raw)
        con.execute("INSERT INTO articles VALUES (?, ?, 1, ?, 0, ?, ?, NULL, NULL, NULL, NULL, NULL)",
                    (rowid, ident, digest, len(raw.text), raw.title))  # fmt: skip
        con.execute("INSERT INTO revisions VALUES (?, 1, ?, ?, ?, NULL, '2025-01-01T00:00:00+00:00')",
                    (rowid, raw.text, digest, raw.title))  # fmt: skip
        con.execute(
            "INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)",
            (rowid, raw.title or "", raw.text),
        )
    con.execute("INSERT INTO stories VALUES ('story-000001', 1, '2025-01-01', NULL)")
    con.execute("INSERT INTO stories VALUES ('story-000002', 2, '2025-01-01', NULL)")
    for rowid, story in enumerate(layout.values(), start=1):
        con.execute("INSERT INTO story_members VALUES (?, ?, 'first', 1.0, '2025-01-01')", (rowid, story))
    con.commit()
    con.close()
    with SQLiteStore(db, FAST) as store:
        assert store.meta("schema_version") == "3" and store.meta("num_perm") == ""
        assert [s for s, _ in store.search("Hvidsteen")]  # the full-text index survived
        tables = {r[0] for r in store.db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert not tables & {"bands", "signatures", "embeddings", "merges", "articles_v2"}
    summary = _update(db)
    assert summary.prepared == 3 and summary.events.get("merges") == 1
    doc = _export(db)
    (story,) = doc["stories"]  # analyze puts the three versions in one story
    assert story["id"] == "story-000001" and story["absorbed"] == ["story-000002"]
    assert {a["id"]: a["seen"] for a in doc["articles"]}["dailyvoice-copy"] == "2025-01-01T00:00:00+00:00"
    # the same answer as analyze on the three articles
    assert_same_answers(doc, _analyze([raws[i] for i in layout]))


def test_operational_settings_do_not_make_every_story_stale(tmp_path: Path) -> None:
    """A watcher's alert rules and file, or the number of worker processes, change no analysis:
    opening the store with them must not send every story back to be analysed again."""
    import dataclasses

    from storytrace.config import AlertRule
    from storytrace.corpus.update import stale_stories

    db = tmp_path / "s.db"
    _add(db, _examples()[:4])
    _update(db)
    watch = dataclasses.replace(
        FAST.watch, alert_file=str(tmp_path / "alerts.jsonl"), interval=60.0, alerts=(AlertRule("edits", "revision"),)
    )
    with SQLiteStore(db, dataclasses.replace(FAST, watch=watch, workers=2)) as store:
        assert store.story_members() and stale_stories(store) == []


@pytest.mark.parametrize("kind", ["other database", "not a database"])
def test_a_refused_file_is_not_left_open(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "refused.db"
    if kind == "other database":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE invoices (id INTEGER)")
        con.commit()
        con.close()
    else:
        path.write_bytes(b"this is a text file, not SQLite\n" * 200)

    def open_handles() -> int:
        return sum(1 for fd in Path("/proc/self/fd").iterdir() if fd.resolve() == path.resolve())

    for _ in range(3):
        with pytest.raises(InputError, match="not a storytrace store"):
            SQLiteStore(path)
    assert open_handles() == 0
