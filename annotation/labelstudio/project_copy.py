"""Copy a project from one Label Studio server to another (``nisba project copy``).

SQLite to PostgreSQL and a laptop to a team server are the same operation: read the source
project through the API, write it to the target through the API, so it works across Label
Studio's database back ends and versions without touching either database.

What is copied: the labeling config (title, description), every task's data, its completed
and skipped annotations (result, ground truth flag, lead time) in their original order, its
predictions (result, model_version, score), and the project's model_version. Annotations keep
their annotator when the target has a user with the same e-mail; otherwise they go to the
target's importing user (the admin) and the original e-mail is kept in the task's ``meta``
(``nisba_copy.annotators``), with the source URL and task id.

Idempotent by content hash (the same hash the import uses): a task whose text the target
project already holds is not copied again, so a second run copies nothing, and a run cut off
halfway completes on re-run (each batch of tasks arrives with its annotations and predictions
in one request, so no task is half copied).

Not handled: drafts (not exported by the API), annotation history and reviews (enterprise),
comments, uploaded media files (the tasks keep their URLs), the ML backends connected to the
project. A task already on the target is left as it is, even if the source has since added
annotations to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from annotation.errors import NisbaError
from annotation.labelstudio.client import base_url
from annotation.labelstudio.predictions import project_model_version, set_model_version
from annotation.labelstudio.projects import find_project, resolve_project
from annotation.labelstudio.tasks import existing_content_hashes, iter_tasks, task_content_hash

ANNOTATION_KEYS = ("result", "ground_truth", "was_cancelled", "lead_time")
PREDICTION_KEYS = ("result", "model_version", "score")


@dataclass
class CopyReport:
    project_id: int = 0
    created_project: bool = False
    tasks: int = 0
    annotations: int = 0
    predictions: int = 0
    skipped_tasks: int = 0
    annotations_to_admin: int = 0
    model_version: str = ""


def _email(who) -> str | None:
    if isinstance(who, dict):
        return who.get("email")
    return None


def _annotation_order(annotation: dict) -> tuple:
    return (annotation.get("updated_at") or annotation.get("created_at") or "", int(annotation.get("id") or 0))


def task_payload(task: dict, emails: dict[int, str], target_emails: set[str], source_url: str) -> tuple[dict, int]:
    """The import payload of one source task (pure): data, annotations in their original order
    with their annotator's e-mail when the target knows it, predictions. Returns it and the
    number of annotations that fall back to the importing user."""
    data = dict(task.get("data") or {})
    data["content_hash"] = task_content_hash(task)
    annotations, moved = [], []
    for index, a in enumerate(sorted(task.get("annotations") or [], key=_annotation_order)):
        who = a.get("completed_by")
        email = _email(who) or emails.get(who if isinstance(who, int) else -1)
        out = {k: a[k] for k in ANNOTATION_KEYS if k in a}
        out["ground_truth"] = bool(a.get("ground_truth"))   # the import's default is True
        if email and email in target_emails:
            out["completed_by"] = {"email": email}
        else:
            moved.append({"annotation": index, "email": email, "source_user_id": who if isinstance(who, int) else None})
        annotations.append(out)
    predictions = [{k: p[k] for k in PREDICTION_KEYS if k in p} for p in task.get("predictions") or []]
    meta = dict(task.get("meta") or {})
    meta["nisba_copy"] = {"source": source_url, "source_task_id": task.get("id")}
    if moved:
        meta["nisba_copy"]["annotators"] = moved
    return {"data": data, "annotations": annotations, "predictions": predictions, "meta": meta}, len(moved)


def _user_emails(client) -> dict[int, str]:
    return {u.id: u.email for u in client.users.list() if getattr(u, "email", None)}


def copy_project(source, target, ref: str, batch_size: int = 200,
                 progress: Callable[[int], None] | None = None) -> CopyReport:
    """Copy project ``ref`` (id or title) from the ``source`` client to the ``target`` client."""
    from label_studio_sdk.core.api_error import ApiError

    report = CopyReport()
    src = resolve_project(source, ref)
    if base_url(source) == base_url(target):
        raise NisbaError(f"--from and --to are the same server ({base_url(source)}); nothing to copy")
    dst = find_project(target, src.title)
    try:
        if dst is None:
            dst = target.projects.create(title=src.title, label_config=src.label_config,
                                         description=src.description or "")
            report.created_project = True
        elif (dst.label_config or "").strip() != (src.label_config or "").strip():
            target.projects.update(id=dst.id, label_config=src.label_config)
    except ApiError as exc:
        raise NisbaError(f"{base_url(target)} refused project {src.title!r}: "
                         f"HTTP {exc.status_code} {str(exc.body)[:300]}") from None
    report.project_id = dst.id

    held = existing_content_hashes(target, dst.id)
    emails = _user_emails(source)
    target_emails = set(_user_emails(target).values())
    source_url = base_url(source)
    batch: list[dict] = []

    def send() -> None:
        if not batch:
            return
        response = target.projects.import_tasks(id=dst.id, request=batch, return_task_ids=True)
        report.tasks += int(getattr(response, "task_count", None) or len(batch))
        report.annotations += int(getattr(response, "annotation_count", None) or 0)
        report.predictions += int(getattr(response, "prediction_count", None) or 0)
        if progress:
            progress(len(batch))
        batch.clear()

    for task in iter_tasks(source, src.id, fields="all"):
        h = task_content_hash(task)
        if h in held:
            report.skipped_tasks += 1
            continue
        held.add(h)
        payload, moved = task_payload(task, emails, target_emails, source_url)
        report.annotations_to_admin += moved
        batch.append(payload)
        if len(batch) >= batch_size:
            send()
    send()
    model_version = project_model_version(source, src.id)
    if model_version and project_model_version(target, dst.id) != model_version:
        set_model_version(target, dst.id, model_version)
    report.model_version = model_version
    return report
