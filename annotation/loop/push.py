"""The push: a predictor's predictions for a project's tasks, into Label Studio as pre-annotations.

``push_predictions`` lists the project's tasks, plans (push_plan.py), predicts in batches
(shortest texts first), imports each batch through the bulk API while the next one is
predicted, then sets the project's model_version so annotators see the predictions. Each
batch is idempotent on re-run: tasks that already hold this version are skipped, so a push
cut off halfway completes with no duplicates. Two pushes of one version at the same time both
see "absent" and both send; after sending, each re-reads its tasks and keeps the oldest
prediction of the version per task (reconcile_pushed), so whichever finishes last removes the
duplicates. A task deleted meanwhile makes the server
refuse its batch; the batch is retried without the missing tasks, which are counted.

Not handled here: what goes in a payload (push_plan.py), talking HTTP
(annotation/labelstudio/predictions.py), the model (training/predict/).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Callable

from annotation.convert.regions import showable
from annotation.errors import NisbaError
from annotation.labelstudio.client import TransportError, base_url
from annotation.labelstudio.predictions import (
    MAX_PREDICTIONS_PER_REQUEST,
    ServerFailed,
    TasksGone,
    delete_model_version,
    delete_predictions,
    delete_predictions_if_there,
    import_predictions,
    iter_push_tasks,
    list_predictions,
    set_model_version,
    task_predictions,
    version_census,
    version_prediction_count,
)
from annotation.labelstudio.projects import project_config_differences
from annotation.labelstudio.tasks import existing_task_ids
from annotation.loop.push_plan import (
    HeldPrediction,
    TaskState,
    batches,
    check_same_schema,
    plan_push,
    prediction_payload,
)
from annotation.loop.reconcile import duplicate_predictions


@dataclass
class PushCounts:
    model_version: str = ""
    tasks: int = 0
    predicted: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_labeled: int = 0
    skipped_empty: int = 0
    skipped_deleted: int = 0
    deleted_old: int = 0
    reconciled_deleted: int = 0   # predictions of this version a concurrent push also made, removed after
    batches: int = 0
    in_flight: int = 1            # import requests the push would send at once
    peak_in_flight: int = 0       # the most it had waiting on the server at one time
    seconds: float = 0.0          # the whole push
    infer_seconds: float = 0.0    # of which the model,
    list_seconds: float = 0.0     # listing the project's tasks,
    import_seconds: float = 0.0   # and the bulk imports
    deleted_task_ids: list[int] = field(default_factory=list)
    dropped_regions: int = 0      # predicted regions Label Studio could not show (annotation/convert/regions.py showable)
    dropped_examples: list[str] = field(default_factory=list)  # the first 10 (_showable)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 2)
        for name in ("infer_seconds", "list_seconds", "import_seconds"):
            d[name] = round(getattr(self, name), 2)
        d["deleted_task_ids"] = self.deleted_task_ids[:50]
        return d


def task_state(task: dict, text_name: str):
    """A TaskState from a Label Studio task: full (``fields=all``) or a push listing."""
    if "predictions" in task:
        preds = tuple(HeldPrediction(str(p.get("model_version") or ""), p.get("score"), p.get("id"))
                      for p in task.get("predictions") or [] if isinstance(p, dict))
    else:   # a push listing: versions, and the score of the project's version
        score = task.get("predictions_score")
        preds = tuple(HeldPrediction(v, score) for v in task.get("predictions_model_versions") or [])
    annotations = task.get("total_annotations")
    if annotations is None:
        annotations = len([a for a in task.get("annotations") or [] if not a.get("was_cancelled")])
    text = (task.get("data") or {}).get(text_name)
    return TaskState(int(task["id"]), text if isinstance(text, str) else "", int(annotations), preds)


def check_model_schema(predictor, schema, model: str) -> None:
    """Refuse a model trained on another schema, naming the labels that differ."""
    maps = getattr(predictor, "label_maps", None)
    info = Path(model) / "nisba.json"
    if maps is None and info.is_file():
        maps = json.loads(info.read_text(encoding="utf-8")).get("label_maps")
    fingerprint = getattr(predictor, "schema_fingerprint", "") or ""
    diffs = check_same_schema(fingerprint, maps, schema)
    if diffs:
        raise NisbaError(f"model {model} ({predictor.model_version}) was trained on another schema than "
                         f"configs/schema.yaml; refusing to push its predictions. Differences:\n  "
                         + "\n  ".join(diffs))


def push_predictions(
    client,
    project_id: int,
    predictor,
    schema,
    *,
    only_unlabeled: bool = False,
    replace: bool = False,
    batch_size: int = 256,
    infer_batch_size: int = 16,
    on_batch: Callable[[int, int], None] | None = None,
    progress: bool = False,
    in_flight: int = 1,
) -> PushCounts:
    """Push ``predictor``'s predictions for the project's tasks; see the module docstring.

    ``in_flight`` import requests are sent at once (a multi-worker server takes them in
    parallel); each batch is one INSERT on the server and re-runs skip what went in, so a batch
    that fails leaves the push re-runnable without duplicates.

    A project whose labeling config lacks a control, label, choice or relation of ``schema``
    is refused before anything is predicted, naming what differs.
    """
    if isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1:
        raise NisbaError(f"in_flight must be a whole number of at least 1 (import requests sent at once), "
                         f"not {in_flight!r}")
    if not predictor.model_version or "," in predictor.model_version:
        raise NisbaError(f"model_version {predictor.model_version!r}: empty or holding a comma; Label Studio lists a task's "
                         "prediction versions joined by commas, so a re-run could not tell which tasks it already "
                         "predicted. Name the model without a comma.")
    differences = project_config_differences(client, project_id, schema)
    if differences:
        raise NisbaError(f"project {project_id}: its labeling config differs from the schema the predictions are "
                         f"made for ({schema.title!r}); refusing to push them, Label Studio would hide or drop "
                         "them:\n  " + "\n  ".join(differences)
                         + "\nUpdate the project with `nisba project create`, or push into a project made from "
                           "this schema.")
    started = time.perf_counter()
    version = predictor.model_version
    counts = PushCounts(model_version=version, in_flight=in_flight)
    states = [task_state(t, schema.text_name) for t in iter_push_tasks(client, project_id)]
    counts.tasks = len(states)
    counts.list_seconds = time.perf_counter() - started
    plan = plan_push(states, version, only_unlabeled=only_unlabeled, replace=replace)
    counts.skipped_existing = len(plan.skipped_existing)
    counts.skipped_labeled = len(plan.skipped_labeled)
    counts.skipped_empty = len(plan.skipped_empty)
    if plan.replace_tasks:
        holders = sum(1 for s in states if version in s.versions())
        if holders == len(plan.replace_tasks):   # every prediction of this version goes: one call
            counts.deleted_old = delete_model_version(client, project_id, version)
        else:                                    # part of them (--only-unlabeled): one by one
            doomed = set(plan.replace_tasks)
            counts.deleted_old = delete_predictions(client, [
                p["id"] for p in list_predictions(client, project_id)
                if p["model_version"] == version and p["task"] in doomed])

    # Label Studio creates a request's predictions 500 at a time; one batch within that is all
    # or nothing, so a batch refused for a deleted task can be retried without duplicates.
    chunks = list(batches(plan.to_predict, min(batch_size, MAX_PREDICTIONS_PER_REQUEST)))
    bar = _progress(progress, len(plan.to_predict), f"push {version}")
    # Imports in flight while the next batch is predicted and encoded: the server and the
    # model each keep a core busy, and a push costs about the larger of the two, not their sum.
    # Against several server workers, several imports at once (``in_flight``).
    sender = ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="nisba-push")
    sent: deque = deque()   # (batch number, tasks in it, future), oldest first
    gauge = _Gauge()

    def land(batch) -> None:
        i, size, future = batch
        try:
            created, seconds = future.result()
        except TransportError as exc:
            raise NisbaError(
                f"Label Studio at {base_url(client)} stopped answering during batch {i} of {len(chunks)} "
                f"({type(exc).__name__}); {counts.created} predictions of {version} went in. Run the same "
                "command again once it is back: tasks that hold this version are skipped, so it "
                "completes the push with no duplicates.") from None
        except ServerFailed as exc:
            raise NisbaError(
                f"Label Studio at {base_url(client)} failed during batch {i} of {len(chunks)} ({exc}); on "
                "PostgreSQL its database has probably stopped: see `nisba server status` and start it again "
                f"(`nisba server start --database postgres`). {counts.created} predictions of {version} went in "
                "before. Run the same command again once it is back: tasks that hold this version are "
                "skipped, so it completes the push with no duplicates.") from None
        counts.created += created
        counts.import_seconds += seconds
        counts.batches += 1
        if bar:
            bar[0].update(bar[1], advance=size)
        if on_batch:
            on_batch(i, len(chunks))

    try:
        for i, chunk in enumerate(chunks, 1):
            t0 = time.perf_counter()
            results = predictor.predict([t.text for t in chunk], batch_size=infer_batch_size)
            counts.infer_seconds += time.perf_counter() - t0
            if len(results) != len(chunk):
                raise NisbaError(f"predictor {version} returned {len(results)} results for {len(chunk)} texts")
            payloads = [prediction_payload(t.id, _showable(t, r, counts), schema, version) for t, r in zip(chunk, results)]
            counts.predicted += len(payloads)
            while len(sent) >= in_flight:
                land(sent.popleft())
            sent.append((i, len(chunk), sender.submit(_timed_import, client, project_id, payloads, counts, gauge)))
        while sent:
            land(sent.popleft())
    finally:
        sender.shutdown(wait=True)   # a batch already sent is left to finish, never cut off
        counts.peak_in_flight = gauge.peak
        if bar:
            bar[0].stop()
    if counts.created:
        counts.reconciled_deleted = reconcile_pushed(client, project_id, version, [t.id for t in plan.to_predict])
    if counts.created or counts.skipped_existing:
        set_model_version(client, project_id, version)
    counts.seconds = time.perf_counter() - started
    return counts


def _showable(task, prediction, counts: PushCounts):
    """``prediction`` without the regions Label Studio could not show over the task's text, counted."""
    regions, relations, dropped = showable(task.text, prediction.regions, prediction.relations)
    if not dropped:
        return prediction
    counts.dropped_regions += len(dropped)
    counts.dropped_examples += [f"task {task.id}: {d}" for d in dropped][:max(0, 10 - len(counts.dropped_examples))]
    return replace(prediction, regions=regions, relations=relations)


def reconcile_pushed(client, project_id: int, version: str, task_ids: list[int]) -> int:
    """After a push: where one of ``task_ids`` holds two predictions of ``version`` (a push running
    at the same time also read "absent"), keep the oldest and delete the rest. Returns how many
    this call deleted.

    Fast path: only tasks whose stored counters show a repeated version are read in full. The
    counters can lie after two imports landed together, so the surplus is checked live: the
    project's predictions of ``version`` (counted by the server) less the tasks holding it. While
    some surplus is unaccounted for, the rest of ``task_ids`` are read one by one until it is;
    a surplus on tasks this push never sent is left to the push that sent them."""
    total = version_prediction_count(client, project_id, version)   # first: a later insert only lowers the surplus
    repeated, holders = version_census(client, project_id, version, task_ids)
    unaccounted = total - holders
    flagged = set(repeated)
    deleted = 0
    for task_id in repeated + [t for t in task_ids if t not in flagged]:
        if task_id not in flagged and unaccounted <= 0:
            break
        doomed = duplicate_predictions(task_predictions(client, task_id), version)
        unaccounted -= len(doomed)
        deleted += delete_predictions_if_there(client, doomed)
    return deleted


_COUNTS_LOCK = threading.Lock()


class _Gauge:
    """How many of a push's imports wait on the server now, and the most at one time."""

    def __init__(self) -> None:
        self.now = self.peak = 0
        self.lock = threading.Lock()

    def __enter__(self):
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def __exit__(self, *exc) -> None:
        with self.lock:
            self.now -= 1


def _timed_import(client, project_id: int, payloads: list[dict], counts: PushCounts,
                  gauge: _Gauge) -> tuple[int, float]:
    with gauge:
        t0 = time.perf_counter()
        created = _import_dropping_gone(client, project_id, payloads, counts)
        return created, time.perf_counter() - t0


def _import_dropping_gone(client, project_id: int, payloads: list[dict], counts: PushCounts) -> int:
    try:
        return import_predictions(client, project_id, payloads)
    except TasksGone:
        alive = existing_task_ids(client, project_id, [p["task"] for p in payloads])
        gone = [p["task"] for p in payloads if p["task"] not in alive]
        with _COUNTS_LOCK:   # batches may land from several sender threads
            counts.skipped_deleted += len(gone)
            counts.deleted_task_ids.extend(gone)
        kept = [p for p in payloads if p["task"] in alive]
        return import_predictions(client, project_id, kept) if kept else 0


def _progress(enabled: bool, total: int, label: str):
    if not enabled or total == 0:
        return None
    from annotation.progress import progress_bar

    bar = progress_bar(transient=False)
    bar.start()
    return bar, bar.add_task(label, total=total)
