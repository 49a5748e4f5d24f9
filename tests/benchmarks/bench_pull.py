"""Benchmark: end-to-end `nisba pull` against the server's own raw JSON export of the same project.

A project is filled with newsfane-built tasks and their annotations (bench_convert.build_result:
entities, claims, events), then, in five alternating rounds (who goes first alternates,
garbage collected before each run):

- yardstick: the server's raw JSON export download (GET /api/projects/{id}/export, streamed to
  a file), what a person gets from the UI's Export button;
- `nisba pull --project ID --out DIR`, the command itself through typer's CliRunner (settings,
  connection check, export download saved untouched + gzip + sha256, conversion of every
  layer, validation, splits, DatasetDict saved, report, provenance, dataset card, summary).
  In-process, so Python's start-up and imports (the same for any command) are not counted;
- `nisba pull --via tasks` (the paged tasks API), once, for the record: which route `pull` uses.

The best run of each is compared. Target: pull <= 1.3x the raw export.
Server: NISBA_BENCH_LS_URL and NISBA_BENCH_LS_TOKEN, else a throwaway Label Studio started with
annotation.labelstudio.server in a temporary folder (minutes) and stopped afterwards.
"""

from __future__ import annotations

import gc
import json
import os
import tempfile
import time
import uuid
from pathlib import Path

ROUNDS = 5  # alternating rounds of the raw export and the pull; the best of each is compared
# (the server's export time alone varies by 3-4 s from one run to the next)


def _server(state: Path):
    """(url, token, stop) of the Label Studio to measure against."""
    url, token = os.environ.get("NISBA_BENCH_LS_URL"), os.environ.get("NISBA_BENCH_LS_TOKEN")
    if url and token:
        return url.rstrip("/"), token, lambda: None
    from annotation.labelstudio import server

    info = server.start(port=server.free_port(), state_dir=state, data_dir=state / "data", env_file=None,
                        timeout=900, venv=server.venv_dir(), say=lambda m: print(m, flush=True))
    return info.url, info.token, lambda: server.stop(state)


def fill_project(client, n_tasks: int) -> int:
    from annotation.convert.document import content_hash
    from annotation.schema.labeling_config import labeling_config
    from annotation.schema.schema import load_schema
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
    from annotation.labelstudio.exports import export_chunks

    t0 = time.perf_counter()
    with open(path, "wb") as fh:
        for chunk in export_chunks(client, project_id):
            fh.write(chunk)
    return time.perf_counter() - t0


def nisba_pull(url: str, token: str, project_id: int, out: Path, via: str = "export") -> float:
    """Seconds for the `nisba pull` command, run in-process as a user would type it."""
    from typer.testing import CliRunner

    from annotation.cli import app

    env = {"LABEL_STUDIO_URL": url, "LABEL_STUDIO_API_KEY": token}
    t0 = time.perf_counter()
    res = CliRunner().invoke(app, ["pull", "--project", str(project_id), "--out", str(out), "--via", via], env=env)
    secs = time.perf_counter() - t0
    if res.exit_code != 0:
        raise RuntimeError(f"nisba pull failed ({res.exit_code}): {res.output[-2000:]}")
    return secs


def run(quick: bool = False) -> list[dict]:
    from label_studio_sdk import LabelStudio

    n = 500 if quick else 5000
    with tempfile.TemporaryDirectory(prefix="nisba-bench-pull-") as tmp:
        tmp = Path(tmp)
        url, token, stop = _server(tmp / "server")
        try:
            client = LabelStudio(base_url=url, api_key=token, timeout=600)
            project_id = fill_project(client, n)
            try:
                t_raw, t_pull = [], []
                for k in range(ROUNDS):
                    for side in (("raw", "pull") if k % 2 == 0 else ("pull", "raw")):
                        gc.collect()
                        if side == "raw":
                            t_raw.append(raw_export(client, project_id, tmp / f"raw{k}.json"))
                        else:
                            t_pull.append(nisba_pull(url, token, project_id, tmp / f"pull{k}"))
                t_tasks = nisba_pull(url, token, project_id, tmp / "tasks", via="tasks")  # once: slow
                size = (tmp / "raw0.json").stat().st_size
                with open(tmp / "pull0" / "pull_report.json", encoding="utf-8") as fh:
                    counts = json.load(fh)["counts"]
            finally:
                client.projects.delete(id=project_id)
        finally:
            stop()
    best_raw, best_pull = min(t_raw), min(t_pull)
    ratio = best_pull / best_raw
    return [
        {"benchmark": f"nisba pull, {n} annotated tasks", "value": round(best_pull, 2), "unit": "s",
         "yardstick": "server raw JSON export download of the same project", "yardstick_value": round(best_raw, 2),
         "ratio": round(ratio, 2), "target": "<= 1.3", "passed": ratio <= 1.3,
         "notes": f"export {size / 1e6:.1f} MB; best of {ROUNDS} alternating rounds; runs pull "
                  f"{[round(x, 2) for x in t_pull]}, raw {[round(x, 2) for x in t_raw]}; "
                  f"tasks with gold {counts.get('tasks_with_gold')}"},
        {"benchmark": f"nisba pull --via tasks (paged API), {n} tasks", "value": round(t_tasks, 2), "unit": "s",
         "yardstick": "server raw JSON export download", "yardstick_value": round(best_raw, 2),
         "ratio": round(t_tasks / best_raw, 2), "target": "informative (route choice)", "passed": None,
         "notes": "one run; pull uses --via export by default"},
    ]


if __name__ == "__main__":
    import sys

    for row in run(quick="--quick" in sys.argv):
        print(json.dumps(row, ensure_ascii=False))
