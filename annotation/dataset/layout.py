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


def label_names(schema: Schema) -> dict[str, list[str]]:
    return {layer.name: list(layer.labels) for layer in schema.layers}
