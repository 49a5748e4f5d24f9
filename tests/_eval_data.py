"""A hand-made evaluation set for tests/test_metrics.py and tests/test_report.py.

Two short articles with gold entities and claims, a stand-in predictor whose predictions are
written by hand (one right, one wrong boundary, one wrong label, one missed, one spurious, ...),
and the BIO tags both sides must get on the shared token view, written out token by token.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from annotation.convert.document import regions_to_document
from annotation.convert.regions import Region, region_id
from annotation.schema.schema import load_schema

TEXT0 = "قال علوش لرويترز إن المعارضة ستذهب إلى أستانة"
TEXT1 = "وذكرت وكالة الانباء السورية أن الجيش السوري دخل حلب"


def span(text: str, part: str, label: str, layer: str = "entities", occurrence: int = 0, score=None) -> Region:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(part, start + 1)
    end = start + len(part)
    return Region(region_id(layer, label, start, end), layer, label, start, end, part, {}, score)


GOLD = {
    TEXT0: [span(TEXT0, "علوش", "PER"), span(TEXT0, "رويترز", "ORG"), span(TEXT0, "أستانة", "GPE"),
            span(TEXT0, "قال", "CUE", "claims"), span(TEXT0, "علوش", "SOURCE", "claims")],
    TEXT1: [span(TEXT1, "وكالة الانباء السورية", "ORG"), span(TEXT1, "الجيش السوري", "ORG"),
            span(TEXT1, "حلب", "GPE")],
}
PRED = {
    TEXT0: [span(TEXT0, "علوش", "PER", score=0.95),          # right
            span(TEXT0, "لرويترز", "ORG", score=0.80),       # wrong boundary
            span(TEXT0, "المعارضة", "GPE", score=0.55),      # spurious
            span(TEXT0, "أستانة", "LOC", score=0.90),        # wrong label
            span(TEXT0, "قال", "CUE", "claims", score=0.99)],  # right; SOURCE missed
    TEXT1: [span(TEXT1, "وكالة الانباء السورية", "ORG", score=0.7),  # right; الجيش السوري missed
            span(TEXT1, "حلب", "GPE", score=0.6)],                  # right
}
# the shared token view of the entities layer, tag by tag (cut at gold and predicted edges)
HAND_TOKENS = [["قال", "علوش", "ل", "رويترز", "إن", "المعارضة", "ستذهب", "إلى", "أستانة"],
               ["وذكرت", "وكالة", "الانباء", "السورية", "أن", "الجيش", "السوري", "دخل", "حلب"]]
HAND_GOLD = [["O", "B-PER", "O", "B-ORG", "O", "O", "O", "O", "B-GPE"],
             ["O", "B-ORG", "I-ORG", "I-ORG", "O", "B-ORG", "I-ORG", "O", "B-GPE"]]
HAND_PRED = [["O", "B-PER", "B-ORG", "I-ORG", "O", "B-GPE", "O", "O", "B-LOC"],
             ["O", "B-ORG", "I-ORG", "I-ORG", "O", "O", "O", "O", "B-GPE"]]


@dataclass
class Result:
    regions: list
    relations: list = field(default_factory=list)
    score: float = 0.0


class HandPredictor:
    """Stands in for a model: returns the hand-written predictions of each known text."""

    model_version = "hand-00000000"
    layers = ["entities", "events", "claims"]

    def __init__(self):
        self.schema_fingerprint = load_schema().fingerprint()
        self.label_maps = load_schema().label_maps()

    def predict(self, texts, batch_size: int = 16):
        return [Result(list(PRED.get(t, [])), [], 0.8) for t in texts]


def make_dataset(path: Path, splits: dict[str, list[str]] | None = None, one_shard: bool = False) -> Path:
    """Save a DatasetDict of document-view rows (test = both texts, train = one) at ``path``."""
    from datasets import Dataset, DatasetDict

    from annotation.convert.document import document_features

    schema = load_schema()
    splits = splits if splits is not None else {"train": [TEXT1], "test": [TEXT0, TEXT1]}
    features = document_features(schema)
    rows = {name: [regions_to_document(t, GOLD[t], [], task_id=100 + i) for i, t in enumerate(texts)]
            for name, texts in splits.items()}
    dsd = DatasetDict({  # from_dict keeps the features of an empty split; from_list([]) does not
        name: Dataset.from_dict({k: [r[k] for r in split_rows] for k in features}, features=features)
        for name, split_rows in rows.items()
    })
    # by default an empty split is saved with no data file, as datasets does unless told num_shards
    dsd.save_to_disk(str(path), num_shards={k: 1 for k in dsd} if one_shard else None)
    return path


def make_model_dir(path: Path, label_maps: dict | None = None) -> Path:
    """A model directory with nisba.json and log_history.json (no weights: the predictor is passed in)."""
    schema = load_schema()
    path.mkdir(parents=True, exist_ok=True)
    info = {"format_version": 1, "model_version": "tiny-1234abcd", "schema_fingerprint": schema.fingerprint(),
            "layers": ["entities", "events", "claims"], "label_maps": label_maps or schema.label_maps(),
            "train_config": {"model": {"name": "default"}, "training": {"epochs": 2, "seed": 42}}}
    (path / "nisba.json").write_text(json.dumps(info), encoding="utf-8")
    history = [{"loss": 2.0, "step": 10, "epoch": 0.5}, {"loss": 1.2, "step": 20, "epoch": 1.0},
               {"eval_loss": 1.1, "eval_f1": 0.4, "step": 20, "epoch": 1.0},
               {"loss": 0.7, "step": 30, "epoch": 1.5}, {"loss": 0.5, "step": 40, "epoch": 2.0},
               {"eval_loss": 0.8, "eval_f1": 0.6, "step": 40, "epoch": 2.0}]
    (path / "log_history.json").write_text(json.dumps(history), encoding="utf-8")
    return path
