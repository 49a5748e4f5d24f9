"""Push, next and loop-report against a real Label Studio, with the rules predictor.

Pins: a re-run adds nothing; --replace swaps; a task deleted meanwhile is skipped and counted;
a push cut off after its first batch completes on re-run with no duplicates; the project's
model_version is set; `nisba next` gives the Data Manager's order by prediction score; the
loop report counts what annotators did with the pre-annotations.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest
from typer.testing import CliRunner

from annotation.labelstudio.predictions import list_predictions, tasks_by_prediction_score
from annotation.labelstudio.tasks import iter_task_dicts
from annotation.cli import app
from annotation.loop.push import push_predictions
from annotation.convert.document import content_hash
from training.predict.load import load_predictor
from tests.benchmarks.bench_push import make_texts
from tests.server_fixtures import CuttingProxy, fresh_project, predictions_per_task
from tests.backend_fixtures import ls_backend, ls_client, ls_server  # noqa: F401 - each test on SQLite and PostgreSQL

pytestmark = pytest.mark.integration
N_TASKS = 10


@pytest.fixture()
def ls_project(ls_client, schema):
    """A fresh project (title within Label Studio's 50 characters); deleted afterwards."""
    with fresh_project(ls_client, schema, "push") as project:
        yield project


@pytest.fixture()
def env(ls_server, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)


@pytest.fixture(scope="module")
def rules():
    return load_predictor("rules")


@pytest.fixture()
def tasks(ls_client, ls_project):
    texts = make_texts(N_TASKS)
    resp = ls_client.projects.import_tasks(
        id=ls_project.id, return_task_ids=True,
        request=[{"data": {"text": t, "content_hash": content_hash(t)}} for t in texts])
    return list(resp.task_ids)


def cli(*args) -> dict:
    result = CliRunner().invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output.strip().splitlines()[-1])


def test_push_twice_adds_nothing_and_sets_project_model_version(env, ls_client, ls_project, tasks, rules):
    pid = str(ls_project.id)
    first = cli("predict", "--model", "rules", "--project", pid, "--batch-size", "4")
    assert (first["created"], first["batches"], first["model_version"]) == (N_TASKS, 3, rules.model_version)
    second = cli("predict", "--model", "rules", "--project", pid)
    assert (second["created"], second["skipped_existing"], second["batches"]) == (0, N_TASKS, 0)
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter({t: 1 for t in tasks})
    assert ls_client.projects.get(id=ls_project.id).model_version == rules.model_version
    # what annotators get: regions with scores, relations, a task score
    task = next(t for t in iter_task_dicts(ls_client, ls_project.id) if t["id"] == tasks[0])
    pred = task["predictions"][0]
    kinds = Counter(item["type"] for item in pred["result"])
    assert kinds["labels"] > 0 and kinds["relation"] > 0
    assert all(0 <= item["score"] <= 1 for item in pred["result"] if item["type"] == "labels")
    assert 0 < pred["score"] <= 1


def test_predict_in_flight_option_reaches_the_push(env, ls_client, ls_project, tasks, rules):
    """`nisba predict --in-flight 3` keeps up to three imports waiting on the server at once (one
    task a batch, so the push has ten to send), each prediction made once; the default stays 1."""
    pid = str(ls_project.id)
    out = cli("predict", "--model", "rules", "--project", pid, "--batch-size", "1", "--in-flight", "3")
    assert (out["created"], out["batches"], out["in_flight"]) == (N_TASKS, N_TASKS, 3)
    assert 2 <= out["peak_in_flight"] <= 3
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter({t: 1 for t in tasks})
    again = cli("predict", "--model", "rules", "--project", pid, "--replace", "--batch-size", "1")
    assert (again["created"], again["in_flight"], again["peak_in_flight"]) == (N_TASKS, 1, 1)
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter({t: 1 for t in tasks})


def test_replace_swaps_predictions_of_this_version(env, ls_client, ls_project, tasks, rules):
    pid = str(ls_project.id)
    cli("predict", "--model", "rules", "--project", pid)
    before = {p["id"] for p in list_predictions(ls_client, ls_project.id)}
    swapped = cli("predict", "--model", "rules", "--project", pid, "--replace")
    assert (swapped["deleted_old"], swapped["created"]) == (N_TASKS, N_TASKS)
    after = {p["id"] for p in list_predictions(ls_client, ls_project.id)}
    assert len(after) == N_TASKS and not (before & after)
    assert ls_client.projects.get(id=ls_project.id).model_version == rules.model_version


def test_only_unlabeled_replace_keeps_what_annotated_tasks_hold(env, ls_client, ls_project, tasks, rules):
    pid = str(ls_project.id)
    cli("predict", "--model", "rules", "--project", pid)
    ls_client.annotations.create(id=tasks[0], result=[], was_cancelled=False, lead_time=3.0)
    kept = [p["id"] for p in list_predictions(ls_client, ls_project.id) if p["task"] == tasks[0]]
    out = cli("predict", "--model", "rules", "--project", pid, "--replace", "--only-unlabeled")
    assert (out["skipped_labeled"], out["deleted_old"], out["created"]) == (1, N_TASKS - 1, N_TASKS - 1)
    assert [p["id"] for p in list_predictions(ls_client, ls_project.id) if p["task"] == tasks[0]] == kept
    assert sum(predictions_per_task(ls_client, ls_project.id, rules.model_version).values()) == N_TASKS


class DeletesATask:
    """The rules predictor, but a task of the batch is deleted on the server while it predicts."""

    def __init__(self, inner, client, victim):
        self.inner, self.client, self.victim = inner, client, victim
        self.model_version, self.schema_fingerprint = inner.model_version, inner.schema_fingerprint

    def predict(self, texts, batch_size=16):
        if self.victim is not None:
            self.client.tasks.delete(id=str(self.victim))
            self.victim = None
        return self.inner.predict(texts, batch_size)


def test_task_deleted_meanwhile_is_skipped_and_counted(ls_client, ls_project, tasks, rules, schema):
    victim = tasks[3]
    predictor = DeletesATask(rules, ls_client, victim)
    counts = push_predictions(ls_client, ls_project.id, predictor, schema, batch_size=100)
    assert (counts.skipped_deleted, counts.deleted_task_ids, counts.created) == (1, [victim], N_TASKS - 1)
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter(
        {t: 1 for t in tasks if t != victim})


class CutOff(Exception):
    pass


def test_push_cut_off_after_first_batch_completes_on_rerun_without_duplicates(ls_client, ls_project, tasks,
                                                                              rules, schema):
    def stop_after_first(done, total):
        if done == 1:
            raise CutOff(f"stopped after batch {done} of {total}")

    with pytest.raises(CutOff):
        push_predictions(ls_client, ls_project.id, rules, schema, batch_size=4, on_batch=stop_after_first)
    assert sum(predictions_per_task(ls_client, ls_project.id, rules.model_version).values()) == 4
    rerun = push_predictions(ls_client, ls_project.id, rules, schema, batch_size=4)
    assert (rerun.skipped_existing, rerun.created) == (4, N_TASKS - 4)
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter({t: 1 for t in tasks})
    assert ls_client.projects.get(id=ls_project.id).model_version == rules.model_version


def test_push_when_the_server_goes_away_midway_completes_on_rerun(ls_server, ls_client, ls_project, tasks,
                                                                  rules, schema):
    from label_studio_sdk import LabelStudio

    from annotation.errors import NisbaError

    proxy = CuttingProxy(ls_server.url)
    flaky = LabelStudio(base_url=proxy.url, api_key=ls_server.token, timeout=60)
    with pytest.raises(NisbaError, match=r"stopped answering during batch 2 of 3 .*Run the same command again"):
        push_predictions(flaky, ls_project.id, rules, schema, batch_size=4,
                         on_batch=lambda done, total: proxy.cut() if done == 1 else None)
    held = predictions_per_task(ls_client, ls_project.id, rules.model_version)
    assert sum(held.values()) == 4 and set(held.values()) == {1}
    rerun = push_predictions(ls_client, ls_project.id, rules, schema, batch_size=4)
    assert (rerun.skipped_existing, rerun.created) == (4, N_TASKS - 4)
    assert predictions_per_task(ls_client, ls_project.id, rules.model_version) == Counter({t: 1 for t in tasks})


def test_next_lists_least_confident_unannotated_in_data_manager_order(env, ls_client, ls_project, tasks, rules):
    pid = str(ls_project.id)
    cli("predict", "--model", "rules", "--project", pid)
    listed = cli("next", "--project", pid, "--n", "50")["tasks"]
    least = listed[0]["task"]
    ls_client.annotations.create(id=least, result=[], was_cancelled=False, lead_time=2.0)
    listed = cli("next", "--project", pid, "--n", "50")["tasks"]
    ours = [(t["task"], t["score"]) for t in listed]
    assert least not in [tid for tid, _ in ours] and len(ours) == N_TASKS - 1
    scores = [s for _, s in ours]
    assert scores == sorted(scores)
    server = tasks_by_prediction_score(ls_client, ls_project.id, 50)
    # the Data Manager's order, ties (equal scores) broken by task id as nisba does
    assert [s for _, s in server] == pytest.approx(scores)
    assert sorted(server, key=lambda p: (p[1], p[0])) == [(tid, pytest.approx(s)) for tid, s in ours]
    assert cli("next", "--project", pid, "--n", "3")["tasks"] == listed[:3]


def test_loop_report_counts_accepted_edited_deleted_added_and_time(env, ls_client, ls_project, tasks, rules):
    pid = str(ls_project.id)
    cli("predict", "--model", "rules", "--project", pid)
    full = {t["id"]: t for t in iter_task_dicts(ls_client, ls_project.id)}
    pred_a = full[tasks[0]]["predictions"][0]["result"]
    pred_b = full[tasks[1]]["predictions"][0]["result"]
    # annotator 1 accepts everything as predicted
    ls_client.annotations.create(id=tasks[0], result=pred_a, was_cancelled=False, lead_time=40.0)
    # annotator 2 deletes the first entity, moves the end of the second, adds a PER
    ents = [r for r in pred_b if r["type"] == "labels" and r["from_name"] == "entities"]
    assert len(ents) >= 2
    first, second = ents[0], ents[1]
    text = full[tasks[1]]["data"]["text"]
    edited = {**second, "value": {**second["value"], "end": second["value"]["end"] - 1,
                                   "text": text[second["value"]["start"]:second["value"]["end"] - 1]}}
    kept = [r for r in pred_b if r.get("id") not in (first["id"], second["id"])
            and not (r["type"] == "relation" and first["id"] in (r["from_id"], r["to_id"]))]
    added = {"id": "human1", "from_name": "entities", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 3, "text": text[0:3], "labels": ["PER"]}}
    ls_client.annotations.create(id=tasks[1], result=kept + [edited, added], was_cancelled=False, lead_time=20.0)

    rep = cli("loop-report", "--project", pid, "--model-version", rules.model_version)
    n_a = sum(1 for r in pred_a if r["type"] == "labels" and r["from_name"] == "entities")
    n_b = len(ents)
    assert rep["tasks"] == 2 and rep["annotations"] == 2
    assert rep["lead_time_s"] == 60.0
    assert rep["layers"]["entities"] | {"accepted_rate": None} == {
        "predicted": n_a + n_b, "accepted": n_a + n_b - 2, "edited": 1, "deleted": 1, "added": 1,
        "accepted_rate": None}
    assert rep["problems"] == []
