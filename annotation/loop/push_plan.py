"""Model predictions -> Label Studio prediction payloads, and what a push should do (pure).

A push turns each ``PredictionResult(regions, relations, score)`` into the payload of Label
Studio's bulk ``import_predictions``::

    {"task": 17, "result": [...labels, choices, relations...], "model_version": "rules-1a2b3c4d",
     "score": 0.62}

and decides, from what the server already holds, which tasks to predict:

- a task already holding a prediction of this model_version is skipped (so running the push
  twice adds nothing, and a push interrupted halfway completes on re-run with no duplicates:
  every batch that reached the server is skipped the second time);
- with ``replace`` those predictions are deleted first and the task is predicted again;
- with ``only_unlabeled`` a task holding an annotation is left alone.

Also here: schema comparison between a model and the project (so a model from another schema
is refused naming the labels that differ) and batching. The active-learning order is active.py.

The task score is the predictor's own confidence (see training/predict/tagger.py); region scores
travel in each labels item's ``score``.

Not handled here: talking to the server (annotation/labelstudio/predictions.py), running a model
(training/predict/), the push run (push.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Sequence

from annotation.convert.regions import to_result
from annotation.schema.label_maps import label_diff
from annotation.schema.schema import Schema

PUSH_FORMAT_VERSION = 1


@dataclass(frozen=True)
class HeldPrediction:
    """One prediction the server holds for a task."""

    model_version: str
    score: float | None = None
    id: int | None = None   # known only when the listing carried full predictions


@dataclass(frozen=True)
class TaskState:
    """What the server holds for a task, as far as a push cares."""

    id: int
    text: str = ""
    total_annotations: int = 0
    predictions: tuple[HeldPrediction, ...] = ()

    def versions(self) -> set[str]:
        return {p.model_version for p in self.predictions}

    def score_of(self, model_version: str) -> float | None:
        """The task's score under a model version (mean if it somehow holds several)."""
        scores = [p.score for p in self.predictions if p.model_version == model_version and p.score is not None]
        return sum(scores) / len(scores) if scores else None


@dataclass
class PushPlan:
    to_predict: list[TaskState] = field(default_factory=list)
    skipped_existing: list[int] = field(default_factory=list)   # already hold this version
    skipped_labeled: list[int] = field(default_factory=list)    # --only-unlabeled
    skipped_empty: list[int] = field(default_factory=list)      # no text to predict on
    replace_tasks: list[int] = field(default_factory=list)      # whose predictions of this version go (--replace)

    def counts(self) -> dict[str, int]:
        return {"to_predict": len(self.to_predict), "skipped_existing": len(self.skipped_existing),
                "skipped_labeled": len(self.skipped_labeled), "skipped_empty": len(self.skipped_empty),
                "replace_tasks": len(self.replace_tasks)}


def plan_push(
    tasks: Iterable[TaskState], model_version: str, *, only_unlabeled: bool = False, replace: bool = False
) -> PushPlan:
    """Decide per task: predict, skip (and why), and whose predictions of this version to delete.

    Tasks to predict come out shortest text first, so the model's batches hold texts of
    similar length (less padding).
    """
    plan = PushPlan()
    for task in tasks:
        if only_unlabeled and task.total_annotations > 0:
            plan.skipped_labeled.append(task.id)
            continue
        held = [p for p in task.predictions if p.model_version == model_version]
        if held and not replace:
            plan.skipped_existing.append(task.id)
            continue
        if not task.text.strip():
            plan.skipped_empty.append(task.id)
            continue
        if held:
            plan.replace_tasks.append(task.id)
        plan.to_predict.append(task)
    plan.to_predict.sort(key=lambda t: (len(t.text), t.id))
    return plan


def prediction_payload(task_id: int, prediction, schema: Schema, model_version: str) -> dict:
    """One ``import_predictions`` item: result (regions, per-region choices, relations), score."""
    result = to_result(list(prediction.regions), list(prediction.relations), schema)
    return {"task": int(task_id), "result": result, "model_version": model_version,
            "score": round(float(prediction.score), 4)}


def batches(items: Sequence, size: int) -> Iterator[list]:
    """Consecutive slices of at most ``size`` items."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, got {size}")
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


def label_differences(model_maps: dict[str, list[str]], schema_maps: dict[str, list[str]]) -> list[str]:
    """Human-readable differences between a model's label maps and the project schema's.

    Each line names a layer and the labels only one side has (or that the order differs, which
    would silently swap labels).
    """
    lines = []
    for layer in sorted(set(model_maps) | set(schema_maps)):
        model, schema = model_maps.get(layer), schema_maps.get(layer)
        if model is None:
            lines.append(f"layer {layer!r} is in the schema but the model has none")
            continue
        if schema is None:
            lines.append(f"layer {layer!r} is in the model but not in the schema")
            continue
        only_model, only_schema, reordered = label_diff(model, schema)
        if only_model or only_schema:
            parts = []
            if only_model:
                parts.append(f"model only: {', '.join(only_model)}")
            if only_schema:
                parts.append(f"schema only: {', '.join(only_schema)}")
            lines.append(f"{layer}: {'; '.join(parts)}")
        elif reordered:
            lines.append(f"{layer}: same labels in a different order (model {model}, schema {schema})")
    return lines


def check_same_schema(model_fingerprint: str, model_maps: dict[str, list[str]] | None, schema: Schema) -> list[str]:
    """Empty when the model was trained on this schema; else the differences to report.

    The fingerprint covers labels, roles, relations and choices; when it differs and the label
    maps agree, the difference lies in relations or choices and is named that way.
    """
    if model_fingerprint == schema.fingerprint():
        return []
    schema_maps = schema.label_maps()
    diffs = label_differences(model_maps, schema_maps) if model_maps else []
    if not diffs:
        diffs = [f"schema fingerprint {model_fingerprint} != project schema {schema.fingerprint()} "
                 "(labels agree; roles, relations or choices differ)"]
    return diffs
