"""Import, pull and push on both back ends in the same run: SQLite behind Django's runserver (one
process) and PostgreSQL behind uwsgi with N workers (``nisba server start --database postgres``).

Per back end, with the same N article-sized texts and the rules predictor's results computed
before any timer:

- import: ``nisba import``'s path (content hashes asked of the server, batches of 500) vs the
  raw bulk ``import_tasks`` of the same tasks in one request (target >= 0.8x);
- pull: ``pull_from_server`` (export, raw kept, DatasetDict) vs the raw export download alone;
- push: ``push_predictions`` vs ``predictions.create`` one at a time (on a sample) and vs the
  single-process server's bulk ``import_predictions`` (targets on the multi-worker server:
  >= 30x and >= 1.5x).

The push keeps import requests in flight while the next batch is built (annotation/loop/push.py):
one on SQLite (one process), as many as the workers on PostgreSQL (``NISBA_BENCH_IN_FLIGHT``).
A back end that fails is reported as a failed row with its error; the other's figures stay. The PostgreSQL server is started on a clone of
the tests' migrated template database (tests/postgres_fixtures.py) with ``NISBA_BENCH_WORKERS``
workers (default twice the cores).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_push import CachedPredictor, _project, make_texts  # noqa: E402
from tests.benchmarks.ls_server import bench_server  # noqa: E402


@contextmanager
def postgres_server(workers: int):
    from annotation.labelstudio import postgres, postgres_server as ps, server
    from tests.postgres_fixtures import LS_VENV, PG_TEST_DIR, _ensure_template, _python, clone_database

    cluster = postgres.start_postgres(PG_TEST_DIR, port=server.free_port(), python=_python())
    _ensure_template(cluster.database)
    with tempfile.TemporaryDirectory(prefix="nisba-bench-pg-") as tmp:
        state = Path(tmp)
        db = clone_database(cluster, state / "data-postgres", prefix="nisba_bench")
        info = ps.start(port=server.free_port(), state_dir=state, data_dir=state / "data-postgres", env_file=None,
                        venv=LS_VENV, workers=workers, database=db, timeout=900)
        try:
            yield info.url, info.token
        finally:
            ps.stop(state)
            postgres.drop_database(db, _python())
            if not cluster.already_running:
                postgres.stop_postgres(PG_TEST_DIR)


def measure(url: str, token: str, texts: list[str], results: list, predictor, n_single: int,
            in_flight: int = 1) -> dict:
    from label_studio_sdk import LabelStudio

    from annotation.convert.document import content_hash
    from annotation.dataset.pull import pull_from_server
    from annotation.labelstudio.exports import export_chunks
    from annotation.labelstudio.tasks import import_tasks
    from annotation.loop.push import push_predictions
    from annotation.loop.push_plan import prediction_payload
    from annotation.schema.labeling_config import labeling_config
    from annotation.schema.schema import load_schema

    schema = load_schema()
    client = LabelStudio(base_url=url, api_key=token, timeout=600)
    stamp = f"{time.time():.0f}"
    n = len(texts)
    out: dict = {}
    # import: annotated tasks (the rules' regions standing in for annotators' work)
    tasks = [{"data": {"text": t, "content_hash": content_hash(t)},
              "annotations": [{"result": prediction_payload(0, r, schema, "x")["result"], "ground_truth": False}]}
             for t, r in zip(texts, results)]
    raw = client.projects.create(title=f"bench raw import {stamp}", label_config=labeling_config(schema))
    t0 = time.perf_counter()
    client.projects.import_tasks(id=raw.id, request=tasks)
    out["raw_import"] = n / (time.perf_counter() - t0)
    ours = client.projects.create(title=f"bench import {stamp}", label_config=labeling_config(schema))
    t0 = time.perf_counter()
    import_tasks(client, ours.id, [dict(t, data=dict(t["data"])) for t in tasks])
    out["import"] = n / (time.perf_counter() - t0)
    # pull
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        size = sum(len(c) for c in export_chunks(client, ours.id))
        out["raw_export"] = n / (time.perf_counter() - t0)
        t0 = time.perf_counter()
        pull_from_server(client, str(ours.id), Path(tmp) / "data", schema)
        out["pull"] = n / (time.perf_counter() - t0)
    out["export_mb"] = size / 1e6
    client.projects.delete(id=raw.id)
    client.projects.delete(id=ours.id)
    # push
    cached = CachedPredictor(predictor, dict(zip(texts, results)))
    single_id, single_tasks = _project(client, schema, f"bench single {stamp}", texts[:n_single])
    payloads = [prediction_payload(tid, r, schema, predictor.model_version) for tid, r in zip(single_tasks, results)]
    t0 = time.perf_counter()
    for tid, p in zip(single_tasks, payloads):
        client.predictions.create(task=tid, result=p["result"], score=p["score"], model_version=p["model_version"])
    out["create"] = n_single / (time.perf_counter() - t0)
    bulk_id, bulk_tasks = _project(client, schema, f"bench bulk {stamp}", texts)
    payloads = [prediction_payload(tid, r, schema, predictor.model_version) for tid, r in zip(bulk_tasks, results)]
    t0 = time.perf_counter()
    client.projects.import_predictions(id=bulk_id, request=payloads)
    out["bulk"] = n / (time.perf_counter() - t0)
    push_id, _ = _project(client, schema, f"bench push {stamp}", texts)
    counts = push_predictions(client, push_id, cached, schema, in_flight=in_flight)
    out["push"] = counts.created / counts.seconds
    out["in_flight"] = in_flight
    out["peak_in_flight"] = counts.peak_in_flight
    out["push_phases"] = (f"list {counts.list_seconds:.1f} s, imports {counts.import_seconds:.1f} s summed over "
                          f"{counts.batches} batches, whole push {counts.seconds:.1f} s")
    again = push_predictions(client, push_id, cached, schema, in_flight=in_flight)
    out["rerun_created"] = again.created
    for pid in (single_id, bulk_id, push_id):
        client.projects.delete(id=pid)
    return out


def run(quick: bool = False) -> list[dict]:
    from training.predict.load import load_predictor

    n = 200 if quick else 1000
    n_single = 20 if quick else 50
    workers = int(os.environ.get("NISBA_BENCH_WORKERS") or 2 * (os.cpu_count() or 1))
    predictor = load_predictor("rules")
    texts = make_texts(n)
    results = predictor.predict(texts)
    in_flight = int(os.environ.get("NISBA_BENCH_IN_FLIGHT") or workers)
    measured, rows = {}, []
    for name, start, flight in (("sqlite", lambda: bench_server("nisba-bench-backends-"), 1),
                                ("postgres", lambda: postgres_server(workers), in_flight)):
        try:
            with start() as (url, token):
                measured[name] = measure(url, token, texts, results, predictor, n_single, flight)
        except Exception as exc:  # noqa: BLE001 - one back end failing keeps the other's figures
            rows.append({"benchmark": f"{name}: failed", "value": None, "unit": None, "yardstick": None,
                         "yardstick_value": None, "ratio": None, "target": None, "passed": False,
                         "notes": f"{type(exc).__name__}: {str(exc)[:300]}"})
    servers = {"sqlite": "1 process", "postgres": f"{workers} workers"}
    for name, label in (("sqlite", "SQLite + runserver (1 process)"),
                        ("postgres", f"PostgreSQL + uwsgi ({workers} workers)")):
        m = measured.get(name)
        if m is None:
            continue
        rows += [
            {"benchmark": f"{name}: import vs raw bulk import", "value": round(m["import"], 1), "unit": "tasks/s",
             "yardstick": "import_tasks, one request", "yardstick_value": round(m["raw_import"], 1),
             "ratio": round(m["import"] / m["raw_import"], 2), "target": ">= 0.8x",
             "passed": m["import"] / m["raw_import"] >= 0.8, "notes": f"{label}; {n} annotated tasks"},
            {"benchmark": f"{name}: pull vs raw export", "value": round(m["pull"], 1), "unit": "tasks/s",
             "yardstick": "export download only", "yardstick_value": round(m["raw_export"], 1),
             "ratio": round(m["pull"] / m["raw_export"], 2), "target": None, "passed": True,
             "notes": f"{label}; export {m['export_mb']:.1f} MB"},
            {"benchmark": f"{name}: push vs predictions.create ({servers[name]}, {m['in_flight']} in flight)",
             "value": round(m["push"], 1),
             "unit": "predictions/s", "yardstick": f"predictions.create x{n_single}",
             "yardstick_value": round(m["create"], 1), "ratio": round(m["push"] / m["create"], 2),
             "target": ">= 30x" if name == "postgres" else None,
             "passed": (m["push"] / m["create"] >= 30 if name == "postgres" else True) and m["rerun_created"] == 0,
             "notes": f"{label}; {m['in_flight']} request(s) in flight, at most {m['peak_in_flight']} waiting at "
                      f"once; {m['push_phases']}; own bulk import_predictions "
                      f"{m['bulk']:.1f}/s; "
                      f"re-run created {m['rerun_created']}"},
        ]
    if "sqlite" not in measured or "postgres" not in measured:
        return rows
    lite, pg = measured["sqlite"], measured["postgres"]
    ratio = pg["push"] / lite["bulk"]
    rows.append({"benchmark": f"postgres push ({workers} workers, {pg['in_flight']} in flight) vs single-process "
                              "bulk import_predictions", "value": round(pg["push"], 1),
                 "unit": "predictions/s", "yardstick": "SQLite + runserver import_predictions, one request",
                 "yardstick_value": round(lite["bulk"], 1), "ratio": round(ratio, 2), "target": ">= 1.5x",
                 "passed": ratio >= 1.5,
                 "notes": f"{workers} uwsgi workers, {pg['in_flight']} requests in flight (at most "
                          f"{pg['peak_in_flight']} waiting at once), "
                          f"{os.cpu_count()} cores on this machine"})
    return rows


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
