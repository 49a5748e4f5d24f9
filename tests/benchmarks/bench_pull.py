"""Benchmark: end-to-end `nisba pull` against the server's own raw JSON export of the same project.

A project is filled with newsfane-built tasks and their annotations (bench_convert.build_result:
entities, claims, events), then, alternating, twice each:

- yardstick: the server's raw JSON export download (GET /api/projects/{id}/export, streamed to
  a file), what a person gets from the UI's Export button;
- nisba pull (export download saved untouched + gzip + sha256, conversion of every layer,
  validation, splits, DatasetDict saved, report, provenance, dataset card);
- nisba pull --via tasks (the paged tasks API), once, for the record: which route `pull` uses.

The best of the two runs of export and pull is compared. Target: pull <= 1.3x the raw export.
Server: NISBA_BENCH_LS_URL and NISBA_BENCH_LS_TOKEN, else the one annotation.server starts.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from pathlib import Path


def _client():
    from label_studio_sdk import LabelStudio

    url, token = os.environ.get("NISBA_BENCH_LS_URL"), os.environ.get("NISBA_BENCH_LS_TOKEN")
    if url and token:
        return LabelStudio(base_url=url, api_key=token, timeout=600), None
    from annotation import server  # foundation: starts an embedded server, returns settings

    handle = server.start_test_server() if hasattr(server, "start_test_server") else None
    if handle is None:
        raise RuntimeError("set NISBA_BENCH_LS_URL and NISBA_BENCH_LS_TOKEN (no annotation.server helper found)")
    return LabelStudio(base_url=handle.url, api_key=handle.token, timeout=600), handle


def fill_project(client, n_tasks: int) -> int:
    from annotation.document import content_hash
    from annotation.labeling_config import labeling_config
    from annotation.schema import load_schema
    from tests.benchmarks.bench_convert import _documents, build_result

    docs = _documents()
    project = client.projects.create(title=f"bench pull {uuid.uuid4().hex[:6]}", label_config=labeling_config(load_schema()))
    batch = []
    for i in range(n_tasks):
        d = docs[i % len(docs)]
        text = d.text if i < len(docs) else f"{d.text}\n{i}"
        batch.append({"data": {"text": text, "meta": d.meta, "content_hash": content_hash(text)},
                      "annotations": [{"result": build_result(text, d.regions)}]})
        if len(batch) == 500 or i == n_tasks - 1:
            client.projects.import_tasks(id=project.id, request=batch, return_task_ids=False)
            batch = []
    return project.id


def raw_export(client, project_id: int, path: Path) -> float:
    from annotation.labelstudio import export_chunks

    t0 = time.perf_counter()
    with open(path, "wb") as fh:
        for chunk in export_chunks(client, project_id):
            fh.write(chunk)
    return time.perf_counter() - t0


def nisba_pull(client, project_id: int, out: Path, via: str = "export") -> tuple[float, dict]:
    from annotation.cmd_pull import pull_from_server
    from annotation.schema import load_schema

    t0 = time.perf_counter()
    res = pull_from_server(client, str(project_id), out, load_schema(), via=via)
    return time.perf_counter() - t0, dict(res.counts)


def run(quick: bool = False) -> list[dict]:
    n = 500 if quick else 5000
    client, handle = _client()
    project_id = fill_project(client, n)
    try:
        with tempfile.TemporaryDirectory(prefix="nisba-bench-pull-") as tmp:
            tmp = Path(tmp)
            t_raw, t_pull, t_tasks = [], [], []
            for k in range(2):
                t_raw.append(raw_export(client, project_id, tmp / f"raw{k}.json"))
                secs, counts = nisba_pull(client, project_id, tmp / f"pull{k}")
                t_pull.append(secs)
            t_tasks.append(nisba_pull(client, project_id, tmp / "tasks", via="tasks")[0])  # once: slow
            size = (tmp / "raw0.json").stat().st_size
    finally:
        client.projects.delete(id=project_id)
        if handle is not None and hasattr(handle, "stop"):
            handle.stop()
    best_raw, best_pull, best_tasks = min(t_raw), min(t_pull), min(t_tasks)
    ratio = best_pull / best_raw
    return [
        {"benchmark": f"nisba pull, {n} annotated tasks", "value": round(best_pull, 2), "unit": "s",
         "yardstick": "server raw JSON export download of the same project", "yardstick_value": round(best_raw, 2),
         "ratio": round(ratio, 2), "target": "<= 1.3", "passed": ratio <= 1.3,
         "notes": f"export {size / 1e6:.1f} MB; runs pull {[round(x, 1) for x in t_pull]}, "
                  f"raw {[round(x, 1) for x in t_raw]}; tasks with gold {counts.get('tasks_with_gold')}"},
        {"benchmark": f"nisba pull --via tasks (paged API), {n} tasks", "value": round(best_tasks, 2), "unit": "s",
         "yardstick": "server raw JSON export download", "yardstick_value": round(best_raw, 2),
         "ratio": round(best_tasks / best_raw, 2), "target": "informative (route choice)", "passed": None,
         "notes": f"runs {[round(x, 1) for x in t_tasks]}; pull uses --via export by default"},
    ]


if __name__ == "__main__":
    import sys

    for row in run(quick="--quick" in sys.argv):
        print(json.dumps(row, ensure_ascii=False))
