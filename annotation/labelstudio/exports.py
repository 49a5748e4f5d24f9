"""A project's annotated tasks as raw bytes, streamed as the server sends them; pull.save_raw
keeps them untouched.

Measured on one project (tests/benchmarks/bench_pull.py, 500 tasks here: the JSON export 9.6 s,
the paged tasks API 24.8 s), one export download is faster than paging, so `nisba pull` uses the
export by default and `--via tasks` pages instead.

Not handled here: reading the export (convert/export_reader.py), the pulled folder (dataset/pull.py).
"""

from __future__ import annotations

from typing import Iterator

import httpx

from annotation.errors import NisbaError
from annotation.labelstudio.client import base_url
from annotation.labelstudio.tasks import DEFAULT_PAGE_SIZE, iter_tasks

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
