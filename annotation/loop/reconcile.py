"""What to delete after an import or a push raced another one (pure functions).

Label Studio has no unique constraint on a task's content hash or on a task's predictions of
one model_version, so two importers (or pushers) that both read "absent" before sending both
create. nisba keeps its cheap check before sending and, after sending, re-reads the server and
removes what the race left twice:

- tasks: per content hash that this run sent, the oldest task (lowest id) is kept; a newer one
  is deleted only when nobody can have worked on it: no annotation, cancelled or not, and no
  draft, or, for a task this very run created, only the annotations this run sent with it.
  A newer duplicate that carries other work is left and reported.
- predictions: per task and model_version, the oldest prediction (lowest id) is kept.

Whichever run finishes sending last sees every duplicate and removes it, so the project
converges once every run has reconciled, wherever the runs are (a lock file would only cover
one machine).

Not handled here: reading or deleting on the server (annotation/labelstudio/tasks.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, slots=True)
class HeldTask:
    """What the reconcile needs of a server task."""

    id: int
    content_hash: str
    annotations: int = 0      # completed and cancelled
    drafts: int = 0


@dataclass
class TaskReconcile:
    delete: list[int]                 # newer duplicates nobody worked on
    kept_annotated: list[int]         # newer duplicates left because they carry work


def duplicate_tasks(held: Iterable[HeldTask], hashes: set[str], own: dict[int, int]) -> TaskReconcile:
    """The newer duplicates of ``hashes`` to delete, and those to leave.

    ``own`` maps the ids of the tasks this run created to the annotations it sent with each.

    >>> t = [HeldTask(7, "h"), HeldTask(9, "h", annotations=1), HeldTask(8, "h")]
    >>> duplicate_tasks(t, {"h"}, own={9: 1})
    TaskReconcile(delete=[8, 9], kept_annotated=[])
    """
    groups: dict[str, list[HeldTask]] = {}
    for task in held:
        if task.content_hash in hashes:
            groups.setdefault(task.content_hash, []).append(task)
    out = TaskReconcile([], [])
    for tasks in groups.values():
        for task in sorted(tasks, key=lambda t: t.id)[1:]:
            untouched = task.drafts == 0 and (task.annotations == 0 or own.get(task.id) == task.annotations)
            (out.delete if untouched else out.kept_annotated).append(task.id)
    out.delete.sort()
    out.kept_annotated.sort()
    return out


def duplicate_predictions(predictions: Iterable[dict], model_version: str) -> list[int]:
    """Ids of the predictions of ``model_version`` to delete so each task keeps its oldest one.

    ``predictions`` are ``{"id", "task", "model_version"}`` dicts.

    >>> duplicate_predictions([{"id": 5, "task": 1, "model_version": "v"},
    ...                        {"id": 3, "task": 1, "model_version": "v"},
    ...                        {"id": 4, "task": 1, "model_version": "w"}], "v")
    [5]
    """
    oldest: dict[int, int] = {}
    doomed = []
    for p in sorted(predictions, key=lambda p: int(p["id"])):
        if (p.get("model_version") or "") != model_version:
            continue
        task = int(p["task"])
        if task in oldest:
            doomed.append(int(p["id"]))
        else:
            oldest[task] = int(p["id"])
    return doomed
