"""The ML backend over real HTTP on 127.0.0.1: health, batched predict, token, bad input,
webhook queueing (never training inside the request)."""

from __future__ import annotations

import base64
import threading
from dataclasses import dataclass

import httpx
import pytest

from annotation.labelstudio.ml_backend import Backend, TrainQueue, make_server
from annotation.convert.regions import Region
from annotation.schema.schema import load_schema

TOKEN = "test-token-123"


@dataclass
class Result:
    regions: list
    relations: list
    score: float


class StandInPredictor:
    """Marks the first word as PER; records each predict call (to check batching)."""

    model_version = "standin-0000abcd"
    schema_fingerprint = ""

    def __init__(self):
        self.calls = []

    def predict(self, texts, batch_size=16):
        self.calls.append(len(texts))
        out = []
        for t in texts:
            end = t.find(" ") if " " in t else len(t)
            out.append(Result([Region(f"r{end}", "entities", "PER", 0, end, t[:end], {}, 0.75)], [], 0.75))
        return out


@pytest.fixture()
def backend_url():
    predictor = StandInPredictor()
    started = threading.Event()
    release = threading.Event()
    jobs = []

    def job(payload):  # a stand-in training run that blocks until the test releases it
        started.set()
        release.wait(10)
        jobs.append(payload["action"])

    queue = TrainQueue(job)
    queue.start()
    server = make_server(Backend(predictor, load_schema(), queue), TOKEN, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    yield url, predictor, queue, started, release, jobs
    release.set()
    server.shutdown()
    server.server_close()
    queue.stop()


def auth(token=TOKEN, scheme="Token"):
    return {"Authorization": f"{scheme} {token}"}


def test_health_reports_up_and_model_version(backend_url):
    url = backend_url[0]
    r = httpx.get(f"{url}/health", headers=auth())
    assert r.status_code == 200
    assert r.json() == {"status": "UP", "model_class": "StandInPredictor", "model_version": "standin-0000abcd"}


def test_requests_without_the_right_token_get_401(backend_url):
    url = backend_url[0]
    assert httpx.get(f"{url}/health").status_code == 401
    assert httpx.get(f"{url}/health", headers=auth("wrong")).status_code == 401
    assert httpx.post(f"{url}/predict", json={"tasks": []}, headers=auth("wrong", "Bearer")).status_code == 401
    assert httpx.get(f"{url}/health", headers=auth(scheme="Bearer")).status_code == 200


def test_basic_auth_with_token_as_password_is_accepted(backend_url):
    url = backend_url[0]
    basic = base64.b64encode(f"labelstudio:{TOKEN}".encode()).decode()
    assert httpx.get(f"{url}/health", headers={"Authorization": f"Basic {basic}"}).status_code == 200


def test_predict_answers_a_batch_in_one_model_call_in_label_studio_format(backend_url):
    url, predictor = backend_url[:2]
    tasks = [{"id": 1, "data": {"text": "علوش قال"}}, {"id": 2, "data": {"text": "سانا"}},
             {"id": 3, "data": {"text": "الجيش السوري"}}]
    r = httpx.post(f"{url}/predict", json={"tasks": tasks, "project": "1.1700000000"}, headers=auth())
    assert r.status_code == 200
    results = r.json()["results"]
    assert predictor.calls == [3]
    assert [x["score"] for x in results] == [0.75, 0.75, 0.75]
    assert {x["model_version"] for x in results} == {"standin-0000abcd"}
    assert [x["result"][0]["value"]["text"] for x in results] == ["علوش", "سانا", "الجيش"]
    assert results[0]["result"][0] | {"value": None} == {
        "id": "r4", "from_name": "entities", "to_name": "text", "type": "labels", "score": 0.75, "value": None}


def test_predict_leaves_out_a_region_of_marks_only_and_answers_the_task(backend_url):
    url, predictor = backend_url[:2]
    tasks = [{"id": 1, "data": {"text": "« علوش قال"}}, {"id": 2, "data": {"text": "سانا"}}]
    r = httpx.post(f"{url}/predict", json={"tasks": tasks}, headers=auth())
    assert r.status_code == 200
    results = r.json()["results"]
    assert [x["result"] for x in results][0] == []
    assert results[1]["result"][0]["value"]["text"] == "سانا"


def test_setup_returns_model_version(backend_url):
    from annotation.schema.labeling_config import labeling_config

    url = backend_url[0]
    r = httpx.post(f"{url}/setup", json={"project": "1.1", "schema": labeling_config(load_schema())}, headers=auth())
    assert (r.status_code, r.json()) == (200, {"model_version": "standin-0000abcd"})


def test_ml_backend_setup_refuses_a_labeling_config_of_another_schema(backend_url):
    from annotation.schema.labeling_config import labeling_config

    url = backend_url[0]
    other = labeling_config(load_schema()).replace('value="PER"', 'value="PERSON"')
    r = httpx.post(f"{url}/setup", json={"project": "1.1", "schema": other}, headers=auth())
    assert r.status_code == 400
    assert "labels control 'entities': missing ['PER'] extra ['PERSON']" in r.json()["error"]
    r = httpx.post(f"{url}/setup", json={"project": "1.1", "schema": "<View/>"}, headers=auth())
    assert r.status_code == 400 and "labels control 'entities' missing" in r.json()["error"]


@pytest.mark.parametrize("body,needle", [
    (b"{not json", "malformed JSON"),
    (b'{"tasks": "nope"}', 'predict expects {"tasks": [...]}'),
    (b'{"tasks": [{"id": 9, "data": {}}]}', "task 9 has no data.text string"),
])
def test_malformed_predict_gets_400_and_the_server_keeps_serving(backend_url, body, needle):
    url = backend_url[0]
    r = httpx.post(f"{url}/predict", content=body, headers={**auth(), "Content-Type": "application/json"})
    assert r.status_code == 400
    assert needle in r.json()["error"]
    ok = httpx.post(f"{url}/predict", json={"tasks": [{"id": 1, "data": {"text": "سانا"}}]}, headers=auth())
    assert ok.status_code == 200 and len(ok.json()["results"]) == 1


def test_unknown_route_is_404(backend_url):
    assert httpx.get(f"{backend_url[0]}/train", headers=auth()).status_code == 404


def test_webhook_queues_training_and_answers_before_it_runs(backend_url):
    url, _, queue, started, release, jobs = backend_url
    r = httpx.post(f"{url}/webhook", json={"action": "ANNOTATION_CREATED", "project": {"id": 1}},
                   headers=auth(), timeout=5)
    assert r.status_code == 201 and r.json()["status"] == "queued"
    assert started.wait(5)          # the worker picked it up...
    assert jobs == []               # ...and is still "training" while the request has returned
    # a webhook while one is running queues one more; a third while that waits is absorbed
    assert httpx.post(f"{url}/webhook", json={"action": "ANNOTATION_UPDATED"}, headers=auth()).json()["status"] == "queued"
    assert httpx.post(f"{url}/webhook", json={"action": "ANNOTATION_UPDATED"}, headers=auth()).json()["status"] == "already_queued"
    # predictions are served while training runs
    assert httpx.post(f"{url}/predict", json={"tasks": [{"data": {"text": "سانا"}}]}, headers=auth()).status_code == 200
    release.set()
    for _ in range(100):
        if queue.finished == 2:
            break
        threading.Event().wait(0.05)
    assert jobs == ["ANNOTATION_CREATED", "ANNOTATION_UPDATED"]
    assert httpx.post(f"{url}/webhook", content=b"[]", headers=auth()).status_code == 400
