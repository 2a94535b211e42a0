"""An alert file that cannot be written is refused when the watcher starts, naming the file (it
used to end a long-running watcher with a traceback at its first alert)."""

from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.errors import ConfigError
from storytrace.watch.alerts import AlertSink


def test_unwritable_alert_file_is_refused_up_front(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-dir" / "alerts.jsonl"
    with pytest.raises(ConfigError, match=r"alert file '.*no-such-dir/alerts.jsonl' cannot be written"):
        AlertSink(str(missing))
    good = tmp_path / "alerts.jsonl"
    sink = AlertSink(str(good))
    sink.write({"id": "a1", "rule": "edits"})
    assert sink.already_written() == {"a1"}
    assert AlertSink("-").already_written() == set()
