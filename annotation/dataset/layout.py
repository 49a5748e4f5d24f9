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

from pathlib import Path

from annotation.errors import NisbaError
from annotation.schema.schema import Schema
from annotation.text.tokens import SPAN_LAYERS

ANNOTATIONS_FILE = "annotations.jsonl.gz"
REPORT_FILE = "pull_report.json"
PROVENANCE_FILE = "nisba_pull.json"
CARD_FILE = "README.md"


def load_pulled(data: str | Path):
    """load_from_disk with a clear message when DIR is not a pulled dataset."""
    from datasets import load_from_disk

    data = Path(data)
    if not (data / "dataset_dict.json").is_file():
        raise NisbaError(f"{data}: not a pulled dataset (no dataset_dict.json); run `nisba pull --out {data}` first")
    return load_from_disk(str(data))


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


def layer_label_names(features, layers: list[str]) -> dict[str, list[str] | None]:
    """Per layer, the label names of a document-view dataset's ClassLabel (None: labels stored as
    strings); a layer whose column is missing is an error naming the columns there are."""
    out = {}
    for layer in layers:
        column, key = SPAN_LAYERS[layer]
        if column not in features:
            raise NisbaError(f"the dataset has no column {column!r} for layer {layer!r}; "
                             f"columns: {sorted(features)}")
        out[layer] = classlabel_names(features[column], key)
    return out


def label_names(schema: Schema) -> dict[str, list[str]]:
    return {layer.name: list(layer.labels) for layer in schema.layers}
