"""codec: the frozen records as JSON and back, so the store keeps each article's prepared form
and each story's analysis exactly as the pipeline made them (the export and the web app read them
back as the same records ``analyze`` renders).

Generic over dataclasses: a field added to a record is stored and read back without a change
here; a stored record that lacks a field (written by an older storytrace) gets its default."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from datetime import datetime
from functools import cache
from typing import Any, TypeVar

from ..records import Article, Story

T = TypeVar("T")


def to_plain(value: Any) -> Any:
    """A record (or tuple, datetime, scalar) as JSON-able values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_plain(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_plain(kind: Any, data: Any) -> Any:
    """``data`` (from :func:`to_plain`) as a value of the type ``kind``."""
    if data is None:
        return None
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(kind) if a is not type(None)]
        return from_plain(options[0], data) if len(options) == 1 else data
    if origin is tuple:
        args = typing.get_args(kind)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_plain(args[0], v) for v in data)
        return tuple(from_plain(a, v) for a, v in zip(args, data, strict=True))
    if origin is typing.Literal:
        return data
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _hints(kind)
        values = {
            f.name: from_plain(hints[f.name], data[f.name])
            for f in dataclasses.fields(kind)
            if f.name in data
        }
        return kind(**values)
    if kind is datetime:
        return datetime.fromisoformat(data)
    if kind is float and isinstance(data, int):
        return float(data)
    return data


def dumps(record: Any) -> str:
    return json.dumps(to_plain(record), ensure_ascii=False, separators=(",", ":"))


def loads(kind: type[T], text: str) -> T:
    value: T = from_plain(kind, json.loads(text))
    return value


def article_from_json(text: str) -> Article:
    return loads(Article, text)


def story_from_json(text: str) -> Story:
    return loads(Story, text)
