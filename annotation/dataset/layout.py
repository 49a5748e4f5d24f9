"""The pulled dataset folder: its file names and how to open it.

    DIR/dataset_dict.json, DIR/<split>/...   the DatasetDict (``datasets.load_from_disk(DIR)``)
    DIR/raw/<timestamp>.json.gz (+ .sha256)  the raw export, kept untouched
    DIR/annotations.jsonl.gz                 every annotation, converted (agreement reads it)
    DIR/pull_report.json                     counts and every problem with its task and annotation
    DIR/nisba_pull.json                      provenance
    DIR/README.md                            the dataset card

Not handled here: writing any of them (pull.py, card.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from annotation.errors import NisbaError
from annotation.schema.schema import Schema

ANNOTATIONS_FILE = "annotations.jsonl.gz"
REPORT_FILE = "pull_report.json"
PROVENANCE_FILE = "nisba_pull.json"
CARD_FILE = "README.md"


def pulled_splits(data: str | Path) -> list[str]:
    """The split names of a pulled folder, from its dataset_dict.json; a clear error when ``data``
    is missing, holds a single Dataset or is no saved DatasetDict at all."""
    data = Path(data)
    index = data / "dataset_dict.json"
    if not data.exists():
        raise NisbaError(f"{data}: no dataset here; run `nisba pull --out {data}` (or `make pull`) first")
    if not index.is_file():
        if (data / "state.json").is_file():
            raise NisbaError(f"{data}: a single Dataset was saved, not a pulled DatasetDict with splits")
        raise NisbaError(f"{data}: not a pulled dataset (no dataset_dict.json); run `nisba pull --out {data}` first")
    try:
        return list(json.loads(index.read_text(encoding="utf-8")).get("splits") or [])
    except (ValueError, AttributeError) as exc:
        raise NisbaError(f"{index}: not a readable dataset_dict.json ({exc})") from None


def load_pulled(data):
    """The DatasetDict of a pulled folder (a DatasetDict given as is), with a clear error when
    ``data`` is not one (see ``pulled_splits``): the one way nisba opens a pulled dataset."""
    from datasets import DatasetDict, load_from_disk

    if isinstance(data, DatasetDict):
        return data
    pulled_splits(data)
    try:
        loaded = load_from_disk(str(data))
    except Exception as exc:  # datasets raises FileNotFoundError or its own errors for a damaged folder
        raise NisbaError(f"{data}: not a readable saved dataset ({exc})") from None
    if not isinstance(loaded, DatasetDict):
        raise NisbaError(f"{data}: a single Dataset was saved, not a pulled DatasetDict with splits")
    return loaded


def _inner(feature):
    """The struct inside a list feature: ``List``/``Sequence``'s ``.feature`` or a one-item list."""
    inner = getattr(feature, "feature", None)
    if inner is None and isinstance(feature, (list, tuple)) and feature:
        inner = feature[0]
    return inner


def classlabel_names(feature, key: str, nested: str | None = None) -> list[str] | None:
    """The ClassLabel names under ``feature[...][nested][...][key]`` of a list-of-struct feature
    (any datasets version); None when that field holds plain strings or is absent."""
    item = _inner(feature)
    if nested is not None:
        item = _inner(item[nested]) if isinstance(item, dict) and nested in item else None
    if isinstance(item, dict) and key in item:
        return list(getattr(item[key], "names", []) or []) or None
    return None


def layer_label_names(features, layers: list[str], schema: Schema | None = None) -> dict[str, list[str] | None]:
    """Per layer, the label names of a document-view dataset's ClassLabel (None: labels stored as
    strings); a layer whose column is missing is an error naming the columns there are."""
    from annotation.convert.document import span_layers

    where = span_layers(schema)
    out = {}
    for layer in layers:
        column, key = where[layer]
        if column not in features:
            raise NisbaError(f"the dataset has no column {column!r} for layer {layer!r}; "
                             f"columns: {sorted(features)}")
        out[layer] = classlabel_names(features[column], key)
    return out


def label_names(schema: Schema) -> dict[str, list[str]]:
    return {layer.name: list(layer.labels) for layer in schema.layers}
