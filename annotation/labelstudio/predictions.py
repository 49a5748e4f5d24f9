"""Predictions in and out of Label Studio, plain dicts in and out: the tasks a push reads (with
their prediction columns), bulk import, deletion, the project's model_version, and the Data
Manager's order by prediction score for active learning.

annotation/loop/push.py drives these; the choices about what to push live in
annotation/loop/push_plan.py.
"""

from __future__ import annotations

from typing import Iterable

from annotation.errors import NisbaError
from annotation.labelstudio.client import _api, _request
from annotation.labelstudio.tasks import iter_task_dicts

MAX_PREDICTIONS_PER_REQUEST = 500   # the server's PREDICTION_IMPORT_BATCH_SIZE: atomic up to this
PREDICTION_TASK_GONE = 'invalid "task" field'  # the server's words for a task that is gone
PUSH_TASK_FIELDS = "id,data,total_annotations,predictions_model_versions,predictions_score"


class TasksGone(NisbaError):
    """A batch of predictions named a task that was deleted meanwhile."""


class ServerFailed(NisbaError):
    """Label Studio answered a batch with a server error (5xx): on PostgreSQL, typically its
    database stopped answering. The batch is one INSERT, so it went in whole or not at all."""


def _computed_column(column: str, kind: str) -> dict:
    """A Data Manager filter item that makes Label Studio compute ``column`` and matches no task.

    The Data Manager computes a column only when a filter or the ordering names it; the queries
    below put this item in an "or" after one that always holds, so nothing is filtered out.
    ``in_list`` with an empty list is ``column IN ()``, which Django drops as matching nothing on
    every database. (The "exists" operator compared the column with ``true``: PostgreSQL refuses
    to cast a boolean to text[], an HTTP 500, where SQLite compared quietly.)"""
    return {"filter": f"filter:tasks:{column}", "operator": "in_list", "type": kind, "value": []}


def iter_push_tasks(client, project_id: int, page_size: int = 1000):
    """Tasks with only what a push needs: id, data, total_annotations, the model versions of
    their predictions (``predictions_model_versions``, a list) and ``predictions_score`` (the
    mean score of the project's model_version)."""
    query = {"filters": {"conjunction": "or", "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "greater_or_equal", "type": "Number", "value": 0},
        _computed_column("predictions_model_versions", "List"),
        _computed_column("predictions_score", "Number"),
    ]}, "ordering": ["tasks:id"]}
    for task in iter_task_dicts(client, project_id, page_size=page_size, fields="task_only",
                                include=PUSH_TASK_FIELDS, query=query):
        versions = task.get("predictions_model_versions") or ""
        if isinstance(versions, str):
            versions = [v.strip() for v in versions.split(",") if v.strip()]
        task["predictions_model_versions"] = list(versions)
        yield task


def version_census(client, project_id: int, version: str, task_ids: Iterable[int] | None = None,
                   page_size: int = 1000) -> tuple[list[int], int]:
    """``(tasks that look as if they hold two predictions of one version, tasks holding
    ``version``)`` from one pass over the task list.

    The first are those of ``task_ids`` (all when None) whose stored ``total_predictions``
    exceeds their distinct versions; the second counts the whole project's tasks whose versions
    (``predictions_model_versions``, computed live by the Data Manager) include ``version``.
    The stored counter can lie after imports that landed together (see
    ``version_prediction_count``); the holders cannot."""
    wanted = None if task_ids is None else {int(t) for t in task_ids}
    query = {"filters": {"conjunction": "or", "items": [
        {"filter": "filter:tasks:total_predictions", "operator": "greater_or_equal", "type": "Number", "value": 0},
        _computed_column("predictions_model_versions", "List"),
    ]}, "ordering": ["tasks:id"]}
    repeated, holders = [], 0
    for task in iter_task_dicts(client, project_id, page_size=page_size, fields="task_only",
                                include="id,total_predictions,predictions_model_versions", query=query):
        versions = task.get("predictions_model_versions") or []
        if isinstance(versions, str):
            versions = [v.strip() for v in versions.split(",") if v.strip()]
        holders += version in versions
        if (wanted is None or int(task["id"]) in wanted) and int(task.get("total_predictions") or 0) > len(versions):
            repeated.append(int(task["id"]))
    return repeated, holders


def version_prediction_count(client, project_id: int, version: str) -> int:
    """How many predictions of ``version`` the project holds, counted live by the server (its
    model-versions list, one query).

    Not from the tasks' stored ``total_predictions``: Label Studio recounts a task after an
    import by reading the count and then writing it, so two imports that land together can
    leave a task counting one prediction where it holds two (a lost update; a CI run caught it)."""
    data = _api(client, "GET", f"api/projects/{int(project_id)}/model-versions/")
    return int((data or {}).get(version) or 0)


def task_predictions(client, task_id: int) -> list[dict]:
    """The predictions of one task: ``{id, task, model_version, score}``."""
    return [{"id": p["id"], "task": p["task"], "model_version": p.get("model_version") or "", "score": p.get("score")}
            for p in _api(client, "GET", "api/predictions/", params={"task": int(task_id)}) or []]


def list_predictions(client, project_id: int) -> list[dict]:
    """Every prediction of the project: ``{id, task, model_version, score}``."""
    return [{"id": p.id, "task": p.task, "model_version": p.model_version or "", "score": p.score}
            for p in client.predictions.list(project=project_id)]


def import_predictions(client, project_id: int, payloads: list[dict]) -> int:
    """Bulk ``import_predictions``; returns how many were created.

    The body is encoded here, once, as compact UTF-8 JSON and sent through the SDK's own HTTP
    client (base URL, token, retries). ``client.projects.import_predictions`` would first walk
    every region through the SDK's model converter and ``jsonable_encoder`` and then escape
    each Arabic character as ``\\uXXXX``: about 3.5 ms a 70-region prediction on this machine,
    a third of the whole import, for the same JSON.

    Raises ``TasksGone`` when the server refuses the batch because a task no longer exists
    (it then creates nothing from the batch, so the caller may drop the task and retry).
    """
    import json as _json

    path = f"api/projects/{int(project_id)}/import/predictions"
    body = _json.dumps(payloads, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    response = _request(client, "POST", path, content=body,
                        headers={"content-type": "application/json; charset=utf-8"})
    if response.status_code >= 400:
        try:
            detail = str(response.json())   # the server's words, with its quotes unescaped
        except ValueError:
            detail = response.text
        if response.status_code == 400 and PREDICTION_TASK_GONE in detail:
            raise TasksGone(detail[:300])
        if response.status_code >= 500:
            raise ServerFailed(f"HTTP {response.status_code} {detail[:200]}")
        raise NisbaError(f"Label Studio refused predictions for project {project_id}: "
                         f"{response.status_code} {detail[:300]}")
    try:
        return int(response.json().get("created", len(payloads)))
    except (ValueError, AttributeError):
        return len(payloads)


def delete_predictions(client, prediction_ids: list[int]) -> int:
    """Delete predictions one by one (for --replace on part of a project)."""
    for pid in prediction_ids:
        client.predictions.delete(id=int(pid))
    return len(prediction_ids)


def delete_predictions_if_there(client, prediction_ids: list[int]) -> int:
    """Delete predictions one by one; one deleted meanwhile (by a concurrent reconcile) is no error.
    Returns how many this call deleted."""
    deleted = 0
    for pid in prediction_ids:
        response = _request(client, "DELETE", f"api/predictions/{int(pid)}/")
        if response.status_code == 404:
            continue
        if response.status_code >= 400:
            raise NisbaError(f"Label Studio DELETE api/predictions/{pid}/ answered {response.status_code}: "
                             f"{response.text[:300]}")
        deleted += 1
    return deleted


def delete_model_version(client, project_id: int, model_version: str) -> int:
    """Delete every prediction of ``model_version`` in the project, in one call."""
    data = _api(client, "DELETE", f"api/projects/{project_id}/model-versions/",
                json={"model_version": model_version})
    return int((data or {}).get("deleted_predictions", 0))


def set_model_version(client, project_id: int, model_version: str) -> None:
    """Make the project show predictions of ``model_version`` to annotators."""
    client.projects.update(id=project_id, model_version=model_version, show_collab_predictions=True)


def project_model_version(client, project_id: int) -> str:
    return client.projects.get(id=project_id).model_version or ""


def tasks_by_prediction_score(client, project_id: int, n: int) -> list[tuple[int, float | None]]:
    """The Data Manager's own order: unannotated tasks with predictions, by prediction score
    ascending (the project's model_version). ``(task_id, predictions_score)``."""
    query = {
        "filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:total_annotations", "operator": "equal", "type": "Number", "value": 0},
            {"filter": "filter:tasks:total_predictions", "operator": "greater", "type": "Number", "value": 0},
        ]},
        "ordering": ["tasks:predictions_score"],
    }
    out = []
    for task in iter_task_dicts(client, project_id, query=query, fields="task_only", page_size=max(1, min(n, 500))):
        out.append((int(task["id"]), task.get("predictions_score")))
        if len(out) >= n:
            break
    return out
