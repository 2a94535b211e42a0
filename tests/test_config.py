from __future__ import annotations

from pathlib import Path

import pytest

from storytrace.config import Config
from storytrace.errors import ConfigError


def test_layering_defaults_file_overrides(tmp_path: Path) -> None:
    path = tmp_path / "st.toml"
    path.write_text("[storytrace]\ngroup_threshold = 0.3\nknn = 5\n", encoding="utf-8")
    cfg = Config.load(path, knn=7, model=None)
    assert cfg.group_threshold == 0.3  # from the file
    assert cfg.knn == 7  # override wins
    assert cfg.model == Config().model  # default


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"group_threshold": 1.5}, "group_threshold=1.5 is invalid"),
        ({"knn": "many"}, "knn='many' is invalid"),
        ({"colour": "blue"}, "unknown config key 'colour'"),
        ({"num_perm": 4}, "num_perm=4 is invalid"),
    ],
)
def test_bad_values_are_quoted(values: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Config.from_dict(dict(values))


def test_bad_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        Config.load(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("group_threshold = [", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        Config.load(bad)
