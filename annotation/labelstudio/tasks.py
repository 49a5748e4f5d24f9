"""A project's tasks on the server: paging through them, the content hashes it holds, and
batched task import with de-duplication by content hash (Label Studio's community edition has
no duplicate protection of its own), reconciled afterwards against imports running at the same
time (annotation/loop/reconcile.py decides; this module reads and deletes).

Not handled here: reading task files (convert/task_files.py), parsing annotations
(convert/regions.py), the prediction columns of tasks (predictions.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.labelstudio.client import TransportError, _api, _request, base_url
from annotation.schema.schema import default_schema

DEFAULT_PAGE_SIZE = 500
DEFAULT_BATCH_SIZE = 500


def _as_dict(obj: Any) -> dict:
    if isinstance(obj, dict):
        return obj
    return obj.model_dump(mode="json", by_alias=True, exclude_none=False)


def iter_tasks(client, project_id: int, fields: str = "all", page_size: int = DEFAULT_PAGE_SIZE,
               include: str | None = None) -> Iterator[dict]:
    """Every task of a project as a dict, page by page (``fields="all"`` includes annotations and
    predictions; ``"task_only"`` just the data). ``include="id,data"`` asks the server for those
    keys only (about 3x faster on big projects; the other keys then come back as None)."""
    pager = client.tasks.list(project=project_id, fields=fields, page_size=page_size, include=include)
    for task in pager:
        yield _as_dict(task)


def iter_task_dicts(client, project_id: int, *, page_size: int = 500, query: dict | None = None,
                    fields: str = "all", include: str | None = None):
    """Every task of a project as Label Studio's JSON, page by page, in the Data Manager's
    order for ``query``. ``fields="all"`` brings predictions and annotations; ``include``
    names the only columns to compute (predictions.py's ``PUSH_TASK_FIELDS`` lists tasks ten
    times faster)."""
    import json as _json

    page = 1
    while True:
        params = {"project": project_id, "page": page, "page_size": page_size, "fields": fields}
        if include:
            params["include"] = include
        if query:
            params["query"] = _json.dumps(query)
        response = _request(client, "GET", "api/tasks/", params=params)
        if response.status_code == 404 and page > 1:  # past the last page
            return
        if response.status_code >= 400:
            raise NisbaError(f"Label Studio GET api/tasks/ (project {project_id}, page {page}) answered "
                             f"{response.status_code}: {response.text[:300]}")
        tasks = response.json().get("tasks") or []
        yield from tasks
        if len(tasks) < page_size:
            return
        page += 1


def existing_task_ids(client, project_id: int, ids: list[int]) -> set[int]:
    """Which of ``ids`` are still tasks of the project."""
    query = {"selectedItems": {"all": False, "included": [int(i) for i in ids]}}
    return {int(t["id"]) for t in iter_task_dicts(client, project_id, query=query, fields="task_only")}


def task_content_hash(task: dict) -> str:
    """The content hash of a server task: the stored one, else computed from its text."""
    data = task.get("data") or {}
    return data.get("content_hash") or content_hash(data.get(default_schema().text_name) or "")


def existing_content_hashes(client, project_id: int, page_size: int = 1000) -> set[str]:
    """Content hashes of every task the project holds now (asked of the server, not a cache)."""
    return {task_content_hash(t) for t in iter_tasks(client, project_id, fields="task_only",
                                                      page_size=page_size, include="id,data")}


def delete_tasks(client, project_id: int, task_ids: list[int]) -> None:
    """Delete these tasks of the project in one call (the Data Manager's delete action)."""
    if task_ids:
        _api(client, "POST", "api/dm/actions", params={"id": "delete_tasks", "project": project_id},
             json={"selectedItems": {"all": False, "included": [int(t) for t in task_ids]}})


@dataclass
class ImportReport:
    # this run's tasks the project held when the run reconciled; an import racing it whose
    # lower-numbered tasks commit after that can still remove a few of them (its own reconcile)
    created: int = 0
    skipped_existing: int = 0
    skipped_duplicate: int = 0
    annotations: int = 0
    predictions: int = 0
    task_ids: list[int] = field(default_factory=list)
    # after sending: newer duplicates of this run's hashes that a concurrent import created
    reconciled_deleted: list[int] = field(default_factory=list)    # deleted (nobody worked on them)
    reconciled_kept: list[int] = field(default_factory=list)       # left: they carry annotations or drafts
    skipped_annotated: int = 0      # tasks skipped as already held whose input carries annotations
    annotations_added: int = 0      # added to tasks already held (add_missing_annotations)

    @property
    def skipped(self) -> int:
        return self.skipped_existing + self.skipped_duplicate


def new_tasks(tasks: Iterable[dict], existing: set[str], report: ImportReport) -> list[dict]:
    """The tasks whose content hash is neither on the server nor earlier in this run (pure)."""
    seen = set(existing)
    out = []
    text_name = default_schema().text_name
    for task in tasks:
        h = task["data"].get("content_hash") or content_hash(task["data"][text_name])
        task["data"]["content_hash"] = h
        if h in existing:
            report.skipped_existing += 1
            report.skipped_annotated += bool(task.get("annotations"))
        elif h in seen:
            report.skipped_duplicate += 1
        else:
            seen.add(h)
            out.append(task)
    return out


def import_tasks(client, project_id: int, tasks: Iterable[dict], batch_size: int = DEFAULT_BATCH_SIZE,
                 progress: Callable[[int], None] | None = None, reconcile: bool = True) -> ImportReport:
    """Import tasks (``{"data": {"text", "meta", "content_hash"}, "annotations"?, "predictions"?}``)
    in batches, skipping any whose content hash the project already holds or this run already sent.

    Then, unless ``reconcile`` is off, re-read the project and delete the newer duplicates of
    the hashes sent that an import running at the same time created (annotation/loop/reconcile.py):
    ``report.created`` counts the tasks of this run that remain. ``progress(n)`` is called after
    each batch with the number of tasks sent.
    """
    report = ImportReport()
    fresh = new_tasks(tasks, existing_content_hashes(client, project_id), report)
    for i in range(0, len(fresh), max(1, batch_size)):
        batch = fresh[i:i + batch_size]
        try:
            response = client.projects.import_tasks(id=project_id, request=batch, return_task_ids=True)
        except TransportError as exc:
            raise NisbaError(
                f"Label Studio at {base_url(client)} stopped answering while importing tasks {i + 1}-"
                f"{i + len(batch)} of {len(fresh)} ({type(exc).__name__}); run the same import again once it "
                "is back: documents the project holds are skipped, so nothing is imported twice.") from None
        ids = list(getattr(response, "task_ids", None) or [])
        report.task_ids += ids
        report.created += int(getattr(response, "task_count", None) or len(ids) or len(batch))
        report.annotations += int(getattr(response, "annotation_count", None) or 0)
        report.predictions += int(getattr(response, "prediction_count", None) or 0)
        if progress:
            progress(len(batch))
    if reconcile and fresh:
        reconcile_imported(client, project_id, fresh, report)
    return report


def add_missing_annotations(client, project_id: int, tasks: list[dict]) -> int:
    """Add each input task's annotations to the task the project holds with its content hash,
    unless that task holds the same annotation already (convert/annotation_match.py); the
    oldest task of a hash gets them. Returns the number of annotations added."""
    from label_studio_sdk.core.api_error import ApiError

    from annotation.convert.annotation_match import annotations_to_add

    text_name = default_schema().text_name
    wanted = {t["data"].get("content_hash") or content_hash(t["data"][text_name]) for t in tasks if t.get("annotations")}
    if not wanted:
        return 0
    held: dict[str, tuple[int, list[list]]] = {}
    for task in iter_tasks(client, project_id, fields="all"):  # include= would cut annotations to their ids
        h = task_content_hash(task)
        if h in wanted and (h not in held or int(task["id"]) < held[h][0]):
            held[h] = (int(task["id"]), [a.get("result") or [] for a in task.get("annotations") or []])
    added = 0
    for task_id, ann in annotations_to_add(tasks, held):
        extra = {k: ann[k] for k in ("ground_truth", "was_cancelled", "lead_time") if k in ann}
        try:
            client.annotations.create(id=task_id, result=ann["result"], **extra)
        except ApiError as exc:
            raise NisbaError(f"{base_url(client)}: adding an annotation to task {task_id} failed after {added} were "
                             f"added: HTTP {exc.status_code} {str(exc.body)[:200]}; run the same import again to "
                             "add the rest") from None
        added += 1
    return added


RECONCILE_TASK_FIELDS = "id,data,total_annotations,cancelled_annotations,drafts"


def held_tasks(client, project_id: int, page_size: int = 1000) -> Iterator:
    """Every task of the project as a reconcile.HeldTask (id, content hash, annotations, drafts)."""
    from annotation.loop.reconcile import HeldTask

    # drafts are computed only when a filter names them (see predictions.iter_push_tasks)
    query = {"filters": {"conjunction": "or", "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "greater_or_equal", "type": "Number", "value": 0},
        {"filter": "filter:tasks:drafts", "operator": "exists", "type": "List", "value": True},
    ]}, "ordering": ["tasks:id"]}
    for task in iter_task_dicts(client, project_id, page_size=page_size, fields="task_only",
                                include=RECONCILE_TASK_FIELDS, query=query):
        yield HeldTask(int(task["id"]), task_content_hash(task),
                       int(task.get("total_annotations") or 0) + int(task.get("cancelled_annotations") or 0),
                       len(task.get("drafts") or []))


def reconcile_imported(client, project_id: int, sent: list[dict], report: ImportReport) -> None:
    """After an import: per content hash sent, keep the oldest task, delete newer duplicates that
    nobody worked on, and record both in ``report`` (reconcile.duplicate_tasks)."""
    from annotation.loop.reconcile import duplicate_tasks

    sent_annotations = {t["data"]["content_hash"]: len(t.get("annotations") or []) for t in sent}
    held = list(held_tasks(client, project_id))
    by_id = {t.id: t.content_hash for t in held}
    own = {tid: sent_annotations.get(by_id.get(tid, ""), 0) for tid in report.task_ids}
    plan = duplicate_tasks(held, set(sent_annotations), own)
    delete_tasks(client, project_id, plan.delete)
    # this run's tasks that do not remain: deleted now, or already by a concurrent import's reconcile
    ours = (set(report.task_ids) & set(plan.delete)) | (set(report.task_ids) - set(by_id))
    report.created -= len(ours)
    report.skipped_existing += len(ours)
    report.task_ids = [t for t in report.task_ids if t not in ours]
    report.reconciled_deleted = plan.delete
    report.reconciled_kept = plan.kept_annotated
