"""The training config: typed dataclasses read from configs/train.yaml plus `key=value` overrides.

The YAML file is the single source of truth: every key it may hold is a field below, a file
key that is not a field is an error, and a command-line override may only touch a key that
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
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from annotation.errors import NisbaError
from annotation.paths import CONFIGS_DIR

CONFIG_FORMAT_VERSION = 1
DEFAULT_TRAIN_CONFIG = CONFIGS_DIR / "train.yaml"


@dataclass
class ModelConfig:
    name: str = "default"
    layers: list[str] = field(default_factory=lambda: ["entities", "events", "claims"])
    dropout: float = 0.1


@dataclass
class DataConfig:
    max_length: int = 256
    stride: int = 64
    train_split: str = "train"
    eval_split: str = "validation"
    test_split: str = "test"


@dataclass
class TrainingConfig:
    epochs: int = 20
    learning_rate: float = 1e-4
    batch_size: int = 16
    eval_batch_size: int = 64
    seed: int = 42
    weight_decay: float = 0.01
    warmup_ratio: float = 0.1
    early_stopping_patience: int = 3
    eval_every: str = "epoch"
    save_total_limit: int = 2
    logging_steps: int = 20
    gradient_accumulation_steps: int = 1
    fp16: bool = False
    progress: bool = True


@dataclass
class PretrainConfig:
    corpora: list[str] = field(default_factory=lambda: ["newsfane", "aqmar"])
    vocab_size: int = 8000
    min_frequency: int = 2
    hidden_size: int = 128
    num_layers: int = 4
    num_heads: int = 4
    intermediate_size: int = 512
    max_position_embeddings: int = 512
    max_length: int = 128
    epochs: int = 2
    batch_size: int = 32
    learning_rate: float = 5e-4
    mlm_probability: float = 0.15
    seed: int = 42
    cache_dir: str = ".nisba/pretrained"

    def fingerprint(self) -> str:
        """Hash of everything that shapes the pre-trained model (not where it is cached)."""
        payload = {k: v for k, v in dataclasses.asdict(self).items() if k != "cache_dir"}
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class AttributionConfig:
    """The learned pair scorer (training/predict/attribution.py), trained after the token heads."""

    enabled: bool = True
    epochs: int = 40
    threshold: float = 0.5
    max_negatives: int = 8
    learning_rate: float = 0.001
    hidden_size: int = 128


@dataclass
class CrfConfig:
    """The feature CRF (``model.name=crf``, training/train/crf.py)."""

    c1: float = 0.05
    c2: float = 0.01
    max_iterations: int = 200
    corpora: list[str] = field(default_factory=lambda: ["newsfane", "nisba-gold"])
    gold_weight: int = 5
    rules_features: bool = True
    gazetteer_min_count: int = 2


@dataclass
class TrainConfig:
    format_version: int = CONFIG_FORMAT_VERSION
    model: ModelConfig = field(default_factory=ModelConfig)
    data: DataConfig = field(default_factory=DataConfig)
    training: TrainingConfig = field(default_factory=TrainingConfig)
    pretrain: PretrainConfig = field(default_factory=PretrainConfig)
    attribution: AttributionConfig = field(default_factory=AttributionConfig)
    crf: CrfConfig = field(default_factory=CrfConfig)

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
    cfg = TrainConfig()
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
        for name, value in values.items():
            if name not in names:
                raise _unknown(f"{section}.{name}", where, config_keys())
            _apply(cfg, section, name, value, where)
    return cfg


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
