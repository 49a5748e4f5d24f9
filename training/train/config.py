"""The training config: typed dataclasses read from configs/train.yaml plus `key=value` overrides.

The YAML file is the single source of truth: every key it may hold is a field below (with no
default: the value lives in the file alone), a key missing from the file is an error naming
it, a file key that is not a field is an error, and a command-line override may only touch a key that
exists (``training.epochs=3``; a bare ``epochs=3`` works when the name is unique). Values are
parsed as YAML and checked against the field's type. The resolved config (``asdict``) is saved
with every model.

Not handled here: what the settings mean (train.py, pretrain.py, features.py).

Example::

    >>> cfg = load_config("configs/train.yaml", ["training.epochs=3", "model.layers=[entities]"])
    >>> cfg.training.epochs, cfg.model.layers
    (3, ['entities'])
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import typing
from dataclasses import dataclass
from pathlib import Path

import yaml

from annotation.errors import NisbaError
from annotation.paths import CONFIGS_DIR

CONFIG_FORMAT_VERSION = 1
DEFAULT_TRAIN_CONFIG = CONFIGS_DIR / "train.yaml"


@dataclass
class ModelConfig:
    name: str
    layers: list[str]
    dropout: float


@dataclass
class DataConfig:
    max_length: int
    stride: int
    train_split: str
    eval_split: str
    test_split: str


@dataclass
class TrainingConfig:
    epochs: int
    learning_rate: float
    batch_size: int
    eval_batch_size: int
    seed: int
    weight_decay: float
    warmup_ratio: float
    early_stopping_patience: int
    eval_every: str
    save_total_limit: int
    logging_steps: int
    gradient_accumulation_steps: int
    fp16: bool
    progress: bool


@dataclass
class PretrainConfig:
    corpora: list[str]
    vocab_size: int
    min_frequency: int
    hidden_size: int
    num_layers: int
    num_heads: int
    intermediate_size: int
    max_position_embeddings: int
    max_length: int
    epochs: int
    batch_size: int
    learning_rate: float
    mlm_probability: float
    seed: int
    max_words_per_corpus: int   # 0: every word; else each corpus's first N words
    max_steps: int              # 0: ``epochs`` decide; else at most N optimizer steps
    save_steps: int             # 0: a checkpoint per epoch; else every N steps (a rerun resumes there)
    cache_dir: str

    def fingerprint(self) -> str:
        """Hash of everything that shapes the pre-trained model (not where it is cached, nor how
        often it checkpoints); a budget key at 0 is left out, so caches built before it keep their key."""
        payload = {k: v for k, v in dataclasses.asdict(self).items() if k not in ("cache_dir", "save_steps")
                   and not (k in ("max_words_per_corpus", "max_steps") and not v)}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class AttributionConfig:
    """The learned pair scorer (training/predict/attribution.py), trained after the token heads."""

    enabled: bool
    epochs: int
    threshold: float
    max_negatives: int
    learning_rate: float
    hidden_size: int


@dataclass
class CrfConfig:
    """The feature CRF (``model.name=crf``, training/train/crf.py)."""

    c1: float
    c2: float
    max_iterations: int
    corpora: list[str]
    gold_weight: int
    rules_features: bool
    gazetteer_min_count: int
    clusters: list[int]        # k-means granularities of the word clusters ([]: none; training/train/clusters.py)
    cluster_corpora: list[str]
    cluster_max_words: int     # per cluster corpus (0: all)
    cluster_layers: list[str]  # the layers whose CRF sees the clusters


@dataclass
class TrainConfig:
    """Every setting, with no default here: configs/train.yaml holds them all (``load_config``)."""

    format_version: int
    model: ModelConfig
    data: DataConfig
    training: TrainingConfig
    pretrain: PretrainConfig
    attribution: AttributionConfig
    crf: CrfConfig

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    def validate(self) -> None:
        d, t = self.data, self.training
        checks = [
            (d.max_length >= 8, "data.max_length", "must be at least 8"),
            (0 <= d.stride < d.max_length - 2, "data.stride", "must be >= 0 and smaller than max_length - 2"),
            (t.epochs >= 1, "training.epochs", "must be at least 1"),
            (t.batch_size >= 1, "training.batch_size", "must be at least 1"),
            (t.learning_rate > 0, "training.learning_rate", "must be positive"),
            (t.eval_every == "epoch" or t.eval_every.isdigit(), "training.eval_every",
             f"must be 'epoch' or a number of steps, not {t.eval_every!r}"),
            (bool(self.model.layers), "model.layers", "name at least one layer"),
            (0.0 <= self.attribution.threshold <= 1.0, "attribution.threshold", "must lie in [0, 1]"),
            (self.attribution.epochs >= 1, "attribution.epochs", "must be at least 1"),
        ]
        for ok, key, message in checks:
            if not ok:
                raise NisbaError(f"config {key}: {message}")


def _section_types() -> dict[str, type]:
    hints = typing.get_type_hints(TrainConfig)
    return {f.name: hints[f.name] for f in dataclasses.fields(TrainConfig) if dataclasses.is_dataclass(hints[f.name])}


def config_keys() -> list[str]:
    """Every overridable key, dotted."""
    keys = []
    for section, cls in _section_types().items():
        keys += [f"{section}.{f.name}" for f in dataclasses.fields(cls)]
    return keys


def _coerce(value, tp, key: str, where: str):
    origin = typing.get_origin(tp)
    if origin is list:
        (item_tp,) = typing.get_args(tp)
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list):
            raise NisbaError(f"{where}: {key} must be a list, got {value!r}")
        return [_coerce(v, item_tp, key, where) for v in value]
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise NisbaError(f"{where}: {key} must be true or false, got {value!r}")
    if tp is float and isinstance(value, str):
        try:
            return float(value)  # YAML 1.1 reads 1e-4 as a string
        except ValueError:
            pass
    if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if tp is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if tp is str and isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return str(value)
    raise NisbaError(f"{where}: {key} must be {tp.__name__}, got {value!r}")


def _unknown(key: str, where: str, known: list[str]) -> NisbaError:
    close = difflib.get_close_matches(key, known, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; known keys: {', '.join(known)}"
    return NisbaError(f"{where}: unknown config key {key!r}{hint}")


def _apply(cfg: TrainConfig, section: str, name: str, value, where: str) -> None:
    sub = getattr(cfg, section)
    hints = typing.get_type_hints(type(sub))
    setattr(sub, name, _coerce(value, hints[name], f"{section}.{name}", where))


def config_from_dict(data: dict, where: str = "config") -> TrainConfig:
    """A TrainConfig from a complete mapping: every section and key of the dataclasses must be
    there (the file is the only place a setting's value lives), unknown ones are refused."""
    if not isinstance(data, dict):
        raise NisbaError(f"{where}: the config must be a mapping")
    version = data.get("format_version", CONFIG_FORMAT_VERSION)
    if version != CONFIG_FORMAT_VERSION:
        raise NisbaError(f"{where}: format_version {version!r}; this nisba reads {CONFIG_FORMAT_VERSION}")
    sections = _section_types()
    for section, values in data.items():
        if section == "format_version":
            continue
        if section not in sections:
            raise _unknown(section, where, list(sections))
        if not isinstance(values, dict):
            raise NisbaError(f"{where}: {section} must be a mapping")
        names = [f.name for f in dataclasses.fields(sections[section])]
        for name in values:
            if name not in names:
                raise _unknown(f"{section}.{name}", where, config_keys())
    missing = [key for key in config_keys() if key.split(".", 1)[1] not in (data.get(key.split(".", 1)[0]) or {})]
    if missing:
        raise NisbaError(f"{where}: missing config key{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                         f"every setting has its value in the file (see {DEFAULT_TRAIN_CONFIG})")
    built = {}
    for section, cls in sections.items():
        hints = typing.get_type_hints(cls)
        built[section] = cls(**{name: _coerce(value, hints[name], f"{section}.{name}", where)
                                for name, value in data[section].items()})
    return TrainConfig(format_version=version, **built)


def apply_overrides(cfg: TrainConfig, overrides: list[str]) -> TrainConfig:
    """Apply ``key=value`` overrides in place; only existing keys, values parsed as YAML."""
    keys = config_keys()
    for item in overrides:
        if "=" not in item:
            raise NisbaError(f"override {item!r}: expected key=value, e.g. training.epochs=3")
        key, raw = item.split("=", 1)
        key = key.strip()
        if key not in keys:
            matches = [k for k in keys if k.split(".", 1)[1] == key]
            if len(matches) == 1:
                key = matches[0]
            elif len(matches) > 1:
                raise NisbaError(f"override {item!r}: {key!r} is ambiguous, say one of {', '.join(matches)}")
            else:
                raise _unknown(key, f"override {item!r}", keys)
        try:
            value = yaml.safe_load(raw) if raw.strip() else ""
        except yaml.YAMLError as exc:
            raise NisbaError(f"override {item!r}: value is not valid YAML ({exc})") from None
        section, name = key.split(".", 1)
        _apply(cfg, section, name, value, f"override {item!r}")
    return cfg


def load_config(path: str | Path | None = None, overrides: list[str] | None = None) -> TrainConfig:
    """Read a train config file (default configs/train.yaml), apply overrides, validate."""
    from annotation.yaml_files import read_yaml

    path = Path(path) if path else DEFAULT_TRAIN_CONFIG
    data = read_yaml(path, "train config")
    cfg = config_from_dict(data, str(path))
    apply_overrides(cfg, list(overrides or []))
    cfg.validate()
    return cfg
