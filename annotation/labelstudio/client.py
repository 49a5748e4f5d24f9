"""The only module that talks to Label Studio (SDK 2.x, ``LabelStudio(base_url, api_key)``).

Everything else in nisba receives plain data from here: tasks come back as dicts (the API's
JSON), projects as SDK objects with ``.id`` and ``.title``.

Core (foundation): connect with clear errors (unreachable server: its URL and the command
that starts it; a rejected token: said so, never printed), find a project by id or title,
create or update a project from the schema, page through tasks, the content hashes a project
already holds, and batched task import with de-duplication by content hash (Label Studio's
community edition has no duplicate protection of its own).

Later sections are added by the pull and push engineers (marked below).

Not handled here: parsing annotations (regions.py), reading files (tasks.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator

import httpx

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.labelstudio.settings import START_HINT, Settings, load_settings

DEFAULT_PAGE_SIZE = 500
TransportError = httpx.TransportError  # the connection failed or dropped: the server stopped answering
DEFAULT_BATCH_SIZE = 500


# --- connection ---------------------------------------------------------------------------

def check_server(settings: Settings, timeout: float = 5.0) -> None:
    """Raise NisbaError when the server does not answer, or answers but refuses the token."""
    try:
        health = httpx.get(f"{settings.url}/health", timeout=timeout)
    except httpx.HTTPError as exc:
        raise NisbaError(f"Label Studio is not reachable at {settings.url} ({type(exc).__name__}); "
                         f"{START_HINT}") from None
    if health.status_code != 200:
        raise NisbaError(f"{settings.url}/health answered HTTP {health.status_code}; is that Label Studio? "
                         f"{START_HINT}")
    try:
        who = httpx.get(f"{settings.url}/api/current-user/whoami",
                        headers={"Authorization": f"Token {settings.token}"}, timeout=timeout)
    except httpx.HTTPError as exc:
        raise NisbaError(f"Label Studio at {settings.url} stopped answering ({type(exc).__name__})") from None
    if who.status_code == 401:
        # a personal access token (JWT refresh token) is not accepted as "Token ..."; ask the SDK
        if _jwt_accepted(settings):
            return
        raise NisbaError(f"Label Studio at {settings.url} rejected the API token (LABEL_STUDIO_API_KEY) "
                         "with 401; the token belongs to another server or data dir. "
                         "`nisba server start` rewrites .env for the server it runs.")
    if who.status_code != 200:
        raise NisbaError(f"Label Studio at {settings.url} answered HTTP {who.status_code} to whoami")


def _jwt_accepted(settings: Settings) -> bool:
    if settings.token.count(".") != 2:  # not a JWT
        return False
    try:
        from label_studio_sdk import LabelStudio

        LabelStudio(base_url=settings.url, api_key=settings.token, max_retries=0).users.whoami()
    except Exception:  # noqa: BLE001 - any failure means "not accepted"
        return False
    return True


def connect(settings: Settings | None = None, timeout: float = 120.0):
    """An SDK client for the configured server, after checking it answers and accepts the token."""
    from label_studio_sdk import LabelStudio

    settings = settings or load_settings()
    check_server(settings)
    return LabelStudio(base_url=settings.url, api_key=settings.token, timeout=timeout)


def base_url(client) -> str:
    return client._client_wrapper.get_base_url().rstrip("/")


def project_url(client, project_id: int) -> str:
    return f"{base_url(client)}/projects/{project_id}/data"


# --- projects -----------------------------------------------------------------------------

def list_projects(client) -> list:
    return list(client.projects.list(page_size=100))


def find_project(client, title: str):
    """The project with exactly this title, or None; several with that title is an error."""
    matches = [p for p in list_projects(client) if p.title == title]
    if len(matches) > 1:
        raise NisbaError(f"{len(matches)} projects are titled {title!r} (ids {[p.id for p in matches]}); "
                         "pass --project with an id")
    return matches[0] if matches else None


def resolve_project(client, ref: int | str):
    """A project from an integer id (or a string of digits) or an exact title."""
    from label_studio_sdk.core.api_error import ApiError

    text = str(ref).strip()
    if text.isdigit():
        try:
            return client.projects.get(id=int(text))
        except ApiError as exc:
            if exc.status_code == 404:
                raise NisbaError(f"no project with id {text} at {base_url(client)}") from None
            raise
    project = find_project(client, text)
    if project is None:
        titles = [p.title for p in list_projects(client)]
        raise NisbaError(f"no project titled {text!r} at {base_url(client)} (projects: {titles}); "
                         "create it with `nisba project create`")
    return project


def removed_in_use(client, project, new_config: str) -> tuple[dict, Counter, Counter]:
    """What ``new_config`` removes from the project's config, and how many result items of its
    annotations and of its predictions still use it (schema/config_diff.py)."""
    from annotation.schema.config_diff import count_uses, removed_by

    removed = removed_by(getattr(project, "label_config", "") or "", new_config)
    if not removed:
        return removed, Counter(), Counter()
    annotations, predictions = Counter(), Counter()
    for task in iter_tasks(client, project.id, fields="all"):  # include= would cut annotations to their ids
        annotations += count_uses((a.get("result") for a in task.get("annotations") or []), removed)
        predictions += count_uses((p.get("result") for p in task.get("predictions") or []), removed)
    return removed, annotations, predictions


def project_config_differences(client, project_id: int, schema) -> list[str]:
    """What the schema's labeling config has that the project's own config lacks (one line each)."""
    from annotation.schema.config_diff import missing_in
    from annotation.schema.labeling_config import labeling_config

    project = client.projects.get(id=project_id)
    return missing_in(getattr(project, "label_config", "") or "", labeling_config(schema))


def create_or_update_project(client, schema, title: str | None = None, force: bool = False):
    """Create the project for ``schema`` or, when one with ``title`` exists, update its config.

    An update that removes labels, choices, relations or whole controls that annotations or
    predictions still use is refused, naming the counts, unless ``force``. Label Studio checks
    the config too; its message is passed on.
    """
    from label_studio_sdk.core.api_error import ApiError

    from annotation.schema.labeling_config import labeling_config

    title = title or schema.title
    if not 3 <= len(title) <= 50:
        raise NisbaError(f"project title {title!r} has {len(title)} characters; Label Studio takes 3 to 50")
    from annotation.schema.instructions import instructions_html

    config = labeling_config(schema)
    existing = find_project(client, title)
    fields = {"label_config": config, "description": f"nisba schema {schema.fingerprint()}",
              "expert_instruction": instructions_html(schema), "show_instruction": True}
    if existing is not None and not force:
        removed, in_annotations, in_predictions = removed_in_use(client, existing, config)
        if in_annotations or in_predictions:
            used = sorted(set(in_annotations) | set(in_predictions))
            lines = [f"{what}: {in_annotations[what]} annotation region(s), {in_predictions[what]} prediction "
                     f"region(s)" for what in used]
            raise NisbaError(f"project {existing.id} {title!r}: the new labeling config removes what its "
                             f"annotations or predictions still use:\n  " + "\n  ".join(lines)
                             + "\nLabel Studio would hide those regions. Keep them in the schema, or pass --force "
                               "to update anyway.")
    try:
        if existing is None:
            return client.projects.create(title=title, **fields)
        return client.projects.update(id=existing.id, **fields)
    except ApiError as exc:
        raise NisbaError(f"Label Studio refused the project {title!r} (its labeling config or fields): "
                         f"HTTP {exc.status_code} {exc.body}") from None


# --- tasks --------------------------------------------------------------------------------

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


def task_content_hash(task: dict) -> str:
    """The content hash of a server task: the stored one, else computed from its text."""
    data = task.get("data") or {}
    return data.get("content_hash") or content_hash(data.get("text") or "")


def existing_content_hashes(client, project_id: int, page_size: int = 1000) -> set[str]:
    """Content hashes of every task the project holds now (asked of the server, not a cache)."""
    return {task_content_hash(t) for t in iter_tasks(client, project_id, fields="task_only",
                                                      page_size=page_size, include="id,data")}


@dataclass
class ImportReport:
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
    for task in tasks:
        h = task["data"].get("content_hash") or content_hash(task["data"]["text"])
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

    wanted = {t["data"].get("content_hash") or content_hash(t["data"]["text"]) for t in tasks if t.get("annotations")}
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

    # drafts are computed only when a filter names them (see iter_push_tasks)
    query = {"filters": {"conjunction": "or", "items": [
        {"filter": "filter:tasks:total_annotations", "operator": "greater_or_equal", "type": "Number", "value": 0},
        {"filter": "filter:tasks:drafts", "operator": "exists", "type": "List", "value": True},
    ]}, "ordering": ["tasks:id"]}
    for task in iter_task_dicts(client, project_id, page_size=page_size, fields="task_only",
                                include=RECONCILE_TASK_FIELDS, query=query):
        yield HeldTask(int(task["id"]), task_content_hash(task),
                       int(task.get("total_annotations") or 0) + int(task.get("cancelled_annotations") or 0),
                       len(task.get("drafts") or []))


def delete_tasks(client, project_id: int, task_ids: list[int]) -> None:
    """Delete these tasks of the project in one call (the Data Manager's delete action)."""
    if task_ids:
        _api(client, "POST", "api/dm/actions", params={"id": "delete_tasks", "project": project_id},
             json={"selectedItems": {"all": False, "included": [int(t) for t in task_ids]}})


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


# --- pull ---
# (pull engineer) The raw export bytes, streamed as the server sends them; pull.save_raw keeps
# them untouched. Measured on one project (tests/benchmarks/bench_pull.py, 500 tasks here: the
# JSON export 9.6 s, the paged tasks API 24.8 s), one export download is faster than paging, so
# `nisba pull` uses the export by default and `--via tasks` pages instead.

EXPORT_TIMEOUT_S = 3600  # the server serializes the whole project before the first byte


def export_chunks(client, project_id: int, chunk_size: int = 1 << 20) -> Iterator[bytes]:
    """The project's Label Studio JSON export of every annotated task (annotations, drafts)."""
    from label_studio_sdk.core.api_error import ApiError

    try:
        yield from client.projects.exports.download_sync(
            id=project_id, export_type="JSON", download_all_tasks=False,
            request_options={"timeout_in_seconds": EXPORT_TIMEOUT_S, "chunk_size": chunk_size})
    except ApiError as exc:
        raise NisbaError(f"{base_url(client)}: export of project {project_id} failed: "
                         f"HTTP {exc.status_code} {str(exc.body)[:200]}") from None
    except httpx.HTTPError as exc:
        raise NisbaError(f"{base_url(client)}: export of project {project_id} broke off "
                         f"({type(exc).__name__}: {exc})") from None


def task_page_chunks(client, project_id: int, page_size: int = DEFAULT_PAGE_SIZE) -> Iterator[bytes]:
    """Every task that has annotations (completed or skipped), as JSON Lines bytes, page by page."""
    import json

    for task in iter_tasks(client, project_id, fields="all", page_size=page_size):
        if task.get("annotations"):
            yield (json.dumps(task, ensure_ascii=False) + "\n").encode("utf-8")



# --- push ---
# Predictions in and out of Label Studio (annotation/commands/predict.py drives these; the choices
# about what to push live in annotation/loop/push_plan.py). Plain dicts in and out.

MAX_PREDICTIONS_PER_REQUEST = 500   # the server's PREDICTION_IMPORT_BATCH_SIZE: atomic up to this
PREDICTION_TASK_GONE = 'invalid "task" field'  # the server's words for a task that is gone


def _request(client, method: str, path: str, **kwargs):
    """An HTTP call through the SDK's own HTTP client (base URL, token and retries included),
    for endpoints the SDK does not wrap or wraps too slowly; the caller reads the response."""
    return client._client_wrapper.httpx_client.request(path, method=method, **kwargs)


def _api(client, method: str, path: str, **kwargs):
    """A JSON call through ``_request``; an error status raises NisbaError."""
    response = _request(client, method, path, **kwargs)
    if response.status_code >= 400:
        raise NisbaError(f"Label Studio {method} {path} answered {response.status_code}: {response.text[:300]}")
    return response.json() if response.content else None


PUSH_TASK_FIELDS = "id,data,total_annotations,predictions_model_versions,predictions_score"


def iter_task_dicts(client, project_id: int, *, page_size: int = 500, query: dict | None = None,
                    fields: str = "all", include: str | None = None):
    """Every task of a project as Label Studio's JSON, page by page, in the Data Manager's
    order for ``query``. ``fields="all"`` brings predictions and annotations; ``include``
    names the only columns to compute (``PUSH_TASK_FIELDS`` lists tasks ten times faster)."""
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


def tasks_with_repeated_versions(client, project_id: int, task_ids: Iterable[int] | None = None,
                                 page_size: int = 1000) -> list[int]:
    """Tasks holding more predictions than model versions: two of one version, at least.
    Only the task counters are read (``total_predictions`` against the distinct versions)."""
    wanted = None if task_ids is None else {int(t) for t in task_ids}
    query = {"filters": {"conjunction": "or", "items": [
        {"filter": "filter:tasks:total_predictions", "operator": "greater_or_equal", "type": "Number", "value": 0},
        _computed_column("predictions_model_versions", "List"),
    ]}, "ordering": ["tasks:id"]}
    out = []
    for task in iter_task_dicts(client, project_id, page_size=page_size, fields="task_only",
                                include="id,total_predictions,predictions_model_versions", query=query):
        versions = task.get("predictions_model_versions") or []
        if isinstance(versions, str):
            versions = [v for v in versions.split(",") if v.strip()]
        if (wanted is None or int(task["id"]) in wanted) and int(task.get("total_predictions") or 0) > len(versions):
            out.append(int(task["id"]))
    return out


def task_predictions(client, task_id: int) -> list[dict]:
    """The predictions of one task: ``{id, task, model_version, score}``."""
    return [{"id": p["id"], "task": p["task"], "model_version": p.get("model_version") or "", "score": p.get("score")}
            for p in _api(client, "GET", "api/predictions/", params={"task": int(task_id)}) or []]


def list_predictions(client, project_id: int) -> list[dict]:
    """Every prediction of the project: ``{id, task, model_version, score}``."""
    return [{"id": p.id, "task": p.task, "model_version": p.model_version or "", "score": p.score}
            for p in client.predictions.list(project=project_id)]


def existing_task_ids(client, project_id: int, ids: list[int]) -> set[int]:
    """Which of ``ids`` are still tasks of the project."""
    query = {"selectedItems": {"all": False, "included": [int(i) for i in ids]}}
    return {int(t["id"]) for t in iter_task_dicts(client, project_id, query=query, fields="task_only")}


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


class TasksGone(NisbaError):
    """A batch of predictions named a task that was deleted meanwhile."""


class ServerFailed(NisbaError):
    """Label Studio answered a batch with a server error (5xx): on PostgreSQL, typically its
    database stopped answering. The batch is one INSERT, so it went in whole or not at all."""


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


def connect_ml_backend(client, project_id: int, url: str, token: str, title: str = "nisba") -> dict:
    """Connect an ML backend ("Connect model") to the project, with the token as basic-auth
    password. Label Studio refuses 127.0.0.1 unless started with ML_BLOCK_LOCAL_IP=false and
    SSRF_PROTECTION_ENABLED=false; that refusal is raised as NisbaError saying so."""
    response = _request(client, "POST", "api/ml/", json={
        "url": url, "project": project_id, "title": title, "auth_method": "BASIC_AUTH",
        "basic_auth_user": "labelstudio", "basic_auth_pass": token, "is_interactive": False})
    if response.status_code == 403 and "reserved network address" in response.text:
        raise NisbaError(f"Label Studio at {base_url(client)} refuses an ML backend on {url}: start it with "
                         "ML_BLOCK_LOCAL_IP=false and SSRF_PROTECTION_ENABLED=false to allow 127.0.0.1")
    if response.status_code >= 400:
        raise NisbaError(f"Label Studio refused the ML backend {url}: {response.status_code} {response.text[:300]}")
    return response.json()


def retrieve_backend_predictions(client, project_id: int, task_ids: list[int]) -> dict:
    """Ask the project's ML backend for predictions of these tasks (the Data Manager action
    annotators use; the same call Label Studio makes when a task opens without predictions)."""
    return _api(client, "POST", "api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": project_id},
                json={"selectedItems": {"all": False, "included": [int(t) for t in task_ids]}})


def prelabel_on_open(client, project_id: int, backend_title: str = "nisba") -> None:
    """Interactive pre-annotation: a task opened without predictions asks the connected ML
    backend for them, and annotators see its regions (Settings > Model: "Retrieve predictions
    when loading a task automatically"; Settings > Annotation: "Use predictions to prelabel
    tasks" with the connected model, which Label Studio names by the backend's title)."""
    client.projects.update(id=project_id, evaluate_predictions_automatically=True,
                           show_collab_predictions=True, model_version=backend_title)
