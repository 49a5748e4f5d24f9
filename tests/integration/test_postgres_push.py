"""The push against PostgreSQL when the database goes away: PostgreSQL stopped in the middle of
a push gives a clear message naming what to do, and a re-run once it is back completes the push
without duplicates; several imports in flight against the multi-worker server make no duplicates
either. Real PostgreSQL and Label Studio on uwsgi (tests/postgres_fixtures.py); nothing is mocked.
"""

from __future__ import annotations

import uuid
from collections import Counter

import pytest

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.labelstudio.client import connect
from annotation.labelstudio.predictions import list_predictions
from annotation.labelstudio.projects import create_or_update_project
from annotation.labelstudio import postgres
from annotation.loop.push import push_predictions
from tests.benchmarks.bench_push import make_texts
from tests.postgres_fixtures import PG_TEST_DIR, _python
from training.predict.load import load_predictor

pytestmark = pytest.mark.integration
N_TASKS = 10


@pytest.fixture(scope="module")
def rules():
    return load_predictor("rules")


@pytest.fixture()
def pg_client(ls_server_postgres):
    return connect(ls_server_postgres)


@pytest.fixture()
def pg_project(pg_client, schema):
    project = create_or_update_project(pg_client, schema, f"test pg push {uuid.uuid4().hex[:8]}")
    texts = make_texts(N_TASKS)
    resp = pg_client.projects.import_tasks(
        id=project.id, return_task_ids=True,
        request=[{"data": {"text": t, "content_hash": content_hash(t)}} for t in texts])
    yield project, list(resp.task_ids)
    pg_client.projects.delete(id=project.id)


def held(client, project_id, version) -> Counter:
    return Counter(p["task"] for p in list_predictions(client, project_id) if p["model_version"] == version)


def test_postgres_stopped_mid_push_is_named_and_a_rerun_completes_without_duplicates(
        pg_cluster, pg_client, pg_project, rules, schema):
    project, tasks = pg_project

    def stop_database(done, total):
        if done == 1:
            postgres.stop_postgres(PG_TEST_DIR)

    try:
        with pytest.raises(NisbaError) as err:
            push_predictions(pg_client, project.id, rules, schema, batch_size=4, on_batch=stop_database)
    finally:
        postgres.start_postgres(PG_TEST_DIR, port=pg_cluster.database.port, python=_python())
    message = str(err.value)
    assert "failed during batch 2 of 3" in message and "database has probably stopped" in message
    assert "nisba server start --database postgres" in message and "Run the same command again" in message
    assert sum(held(pg_client, project.id, rules.model_version).values()) == 4
    rerun = push_predictions(pg_client, project.id, rules, schema, batch_size=4)
    assert (rerun.skipped_existing, rerun.created) == (4, N_TASKS - 4)
    assert held(pg_client, project.id, rules.model_version) == Counter({t: 1 for t in tasks})


def test_several_imports_in_flight_make_each_prediction_once(pg_client, pg_project, rules, schema):
    project, tasks = pg_project
    first = push_predictions(pg_client, project.id, rules, schema, batch_size=2, in_flight=3)
    assert (first.created, first.batches) == (N_TASKS, 5)
    again = push_predictions(pg_client, project.id, rules, schema, batch_size=2, in_flight=3)
    assert (again.created, again.skipped_existing) == (0, N_TASKS)
    assert held(pg_client, project.id, rules.model_version) == Counter({t: 1 for t in tasks})
