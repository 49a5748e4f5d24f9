"""Import throughput: `nisba import`'s import_tasks vs Label Studio's raw bulk import, same run.

N article-sized newsfane documents with their gold entity spans as annotations (the same task
dicts for both, built before any timer). Two fresh projects:

- yardstick: one ``projects.import_tasks`` request holding all N tasks (the server's raw bulk
  import with annotations; design.md measured about 440 tasks/s here);
- nisba: ``labelstudio.import_tasks`` end to end: ask the server for the content hashes it
  holds, de-duplicate, import in batches of 500.

Target: nisba at least 0.8x the raw rate. A second nisba import of the same tasks must create
zero tasks; its time (the dedup query over N tasks) is reported for information.

Server: NISBA_BENCH_LS_URL / NISBA_BENCH_LS_TOKEN when set, else a throwaway Label Studio on a
free port (annotation.labelstudio.server, from the test fixture's migrated template database when there is one).
"""

from __future__ import annotations

import copy
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.ls_server import bench_server  # noqa: E402

RAW_YARDSTICK = "Label Studio projects.import_tasks, all tasks in one request"


def server():
    return bench_server("nisba-bench-import-")


def row(benchmark, value, unit, yardstick, yardstick_value, target, passed, notes, ratio=None):
    if ratio is None and yardstick_value:
        ratio = round(value / yardstick_value, 3)
    return {"benchmark": benchmark, "value": value, "unit": unit, "yardstick": yardstick,
            "yardstick_value": yardstick_value, "ratio": ratio, "target": target, "passed": passed,
            "notes": notes}


def run(quick: bool = False) -> list[dict]:
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.projects import create_or_update_project
    from annotation.labelstudio.tasks import import_tasks
    from annotation.corpora.documents import read_corpus
    from annotation.schema.schema import load_schema
    from annotation.labelstudio.settings import Settings
    from annotation.convert.task_files import corpus_tasks

    n = 100 if quick else 475  # newsfane holds 475 documents of ~1,750 characters
    schema = load_schema()
    docs = read_corpus("newsfane", limit=n, schema=schema).documents
    tasks = corpus_tasks(docs, schema, with_annotations=True)
    n = len(tasks)
    spans = sum(len(d.regions) for d in docs)
    with server() as (url, token):
        client = connect(Settings(url, token))
        tag = uuid.uuid4().hex[:6]
        raw_project = create_or_update_project(client, schema, f"bench import raw {tag}")
        ours = create_or_update_project(client, schema, f"bench import nisba {tag}")
        try:
            t0 = time.perf_counter()
            client.projects.import_tasks(id=raw_project.id, request=copy.deepcopy(tasks), return_task_ids=True)
            raw_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            report = import_tasks(client, ours.id, copy.deepcopy(tasks))
            ours_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            again = import_tasks(client, ours.id, copy.deepcopy(tasks))
            again_s = time.perf_counter() - t0
        finally:
            for p in (raw_project, ours):
                client.projects.delete(id=p.id)
    raw_rate, our_rate = n / raw_s, n / ours_s
    ratio = round(our_rate / raw_rate, 3)
    notes = f"{n} newsfane documents, {spans} gold spans as annotations"
    return [
        row("import tasks/s (with annotations)", round(our_rate, 1), "tasks/s", RAW_YARDSTICK,
            round(raw_rate, 1), ">= 0.8x", ratio >= 0.8 and report.created == n,
            f"{notes}; created {report.created}"),
        row("re-import creates nothing", again.created, "tasks created", "tasks in the project", n,
            "0", again.created == 0 and again.skipped_existing == n,
            f"dedup against server hashes took {again_s:.2f} s ({n / again_s:.0f} tasks/s checked)",
            ratio=0.0),
    ]


if __name__ == "__main__":
    import json

    for r in run(quick="--quick" in sys.argv):
        print(json.dumps(r, ensure_ascii=False))
