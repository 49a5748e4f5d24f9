"""Active learning: the least confident unannotated tasks under a model version (`nisba next`).

Least confident first, the same order as Label Studio's Data Manager sorted by prediction
score ascending; ties broken by task id. The score is the predictor's task score.
"""

from __future__ import annotations

from typing import Iterable

from annotation.errors import NisbaError
from annotation.labelstudio.client import base_url
from annotation.labelstudio.predictions import iter_push_tasks, project_model_version
from annotation.labelstudio.tasks import iter_task_dicts
from annotation.loop.push import task_state
from annotation.loop.push_plan import TaskState


def least_confident(tasks: Iterable[TaskState], model_version: str, n: int) -> list[tuple[int, float]]:
    """``(task_id, score)`` of the ``n`` least confident unannotated tasks under a model version.

    Only tasks with no annotation and a scored prediction of ``model_version`` count. Order:
    score ascending, then task id: what the Data Manager shows sorted by prediction score.
    """
    scored = []
    for task in tasks:
        if task.total_annotations > 0:
            continue
        score = task.score_of(model_version)
        if score is not None:
            scored.append((task.id, score))
    scored.sort(key=lambda pair: (pair[1], pair[0]))
    return scored[:n]


def next_tasks(client, project_id: int, schema, n: int, model_version: str | None = None) -> tuple[str, list[dict]]:
    """``(model_version, [{"task", "score", "url"}])``: the ``n`` least confident unannotated tasks.

    ``model_version`` defaults to the project's; a project with none is an error.
    """
    project_version = project_model_version(client, project_id)
    version = model_version or project_version
    if not version:
        raise NisbaError(f"project {project_id} has no model_version yet; run `nisba predict` first "
                         "or pass --model-version")
    if version == project_version:
        tasks = iter_push_tasks(client, project_id)   # predictions_score is this version's
    else:
        tasks = iter_task_dicts(client, project_id)   # full predictions, scored per version
    states = [task_state(t, schema.text_name) for t in tasks]
    base = base_url(client)
    return version, [{"task": tid, "score": score, "url": f"{base}/projects/{project_id}/data?task={tid}"}
                     for tid, score in least_confident(states, version, n)]
