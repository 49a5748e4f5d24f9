"""The ML backend against hostile and broken clients, over real sockets on 127.0.0.1.

Each case checks the answer (status, JSON naming the field), that nothing is logged as a
traceback, and that a valid request right after is served.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time

import httpx
import pytest

from annotation.convert.regions import Region
from annotation.labelstudio.ml_backend import Backend, Limits, make_server
from annotation.schema.schema import load_schema

TOKEN = "hostile-token-456"
AUTH = {"Authorization": f"Token {TOKEN}"}
LIMITS = Limits(max_body_bytes=4_000, max_text_chars=500, max_tasks=5, max_request_chars=1_200,
                read_timeout_s=0.5, predict_wait_s=0.3, max_connections=4)


class Result:
    def __init__(self, text):
        end = max(1, text.find(" ")) if text else 0
        self.regions = [Region("r", "entities", "PER", 0, end, text[:end], {}, 0.5)] if end else []
        self.relations, self.score = [], 0.5


class SlowablePredictor:
    model_version = "standin-hostile"
    schema_fingerprint = ""

    def __init__(self):
        self.delay = 0.0

    def predict(self, texts, batch_size=16):
        time.sleep(self.delay)
        return [Result(t) for t in texts]


@pytest.fixture()
def served():
    predictor = SlowablePredictor()
    server = make_server(Backend(predictor, load_schema(), limits=LIMITS), TOKEN, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.server_address[1], predictor
    server.shutdown()
    server.server_close()


def still_serving(url):
    r = httpx.post(f"{url}/predict", json={"tasks": [{"id": 1, "data": {"text": "سانا قالت"}}]}, headers=AUTH,
                   timeout=10)
    assert r.status_code == 200 and r.json()["results"][0]["result"][0]["value"]["text"] == "سانا"
    return True


def raw_request(port, head: bytes, body: bytes = b"", wait=5.0) -> bytes:
    """Send raw bytes, read until the server closes or ``wait`` passes."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as s:
        s.sendall(head + body)
        out = b""
        try:
            while chunk := s.recv(65536):
                out += chunk
                if b"\r\n\r\n" in out:
                    headers, _, rest = out.partition(b"\r\n\r\n")
                    length = [int(line.split(b":")[1]) for line in headers.split(b"\r\n")
                              if line.lower().startswith(b"content-length")]
                    if length and len(rest) >= length[0]:
                        break
        except TimeoutError:
            pass
    return out


def status_and_json(answer: bytes) -> tuple[int, dict]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)


@pytest.fixture()
def no_tracebacks(caplog):
    caplog.set_level(logging.INFO, logger="nisba.ml_backend")
    yield caplog
    assert [r.getMessage() for r in caplog.records if r.exc_info] == []


@pytest.mark.parametrize("tasks,status,field", [
    ([{"id": 1, "data": {"text": 42}}], 400, "tasks[0].data.text"),
    ([{"id": 1, "data": {"text": ["a", "b"]}}], 400, "tasks[0].data.text"),
    ([{"id": 1, "data": {"text": None}}], 400, "tasks[0].data.text"),
    ([{"id": 1, "data": "text"}], 400, "tasks[0].data.text"),
    ([{"id": 1, "data": {"text": "ok"}}, {"id": "seven", "data": {"text": "x"}}], 400, "tasks[1].id"),
    ([{"id": 1.5, "data": {"text": "x"}}], 400, "tasks[0].id"),
    ([{"id": True, "data": {"text": "x"}}], 400, "tasks[0].id"),
    (["not a task"], 400, "tasks[0]"),
    ([{"id": 1, "data": {"text": "ن" * 501}}], 422, "tasks[0].data.text"),
    ([{"id": i, "data": {"text": "x"}} for i in range(6)], 422, "tasks"),
    ([{"id": i, "data": {"text": "ن" * 400}} for i in range(4)], 422, "tasks"),
])
def test_malformed_or_oversized_task_is_answered_naming_the_field(served, no_tracebacks, tasks, status, field):
    url = served[0]
    r = httpx.post(f"{url}/predict", json={"tasks": tasks}, headers=AUTH)
    assert (r.status_code, r.json()["field"]) == (status, field)
    assert still_serving(url)


@pytest.mark.parametrize("body,needle", [
    (b'{"tasks": [', "malformed JSON (line 1 column 12)"),
    (b"\xff\xfe{}", "body is not UTF-8 (byte 0)"),
    (b"[" * 100_000, "malformed JSON"),
])
def test_body_that_is_not_json_is_400_naming_the_body(served, no_tracebacks, body, needle):
    url = served[0]
    big = Limits(max_body_bytes=200_000)
    if len(body) > LIMITS.max_body_bytes:     # the nesting bomb needs a larger body limit: its own server
        server = make_server(Backend(SlowablePredictor(), load_schema(), limits=big), TOKEN, "127.0.0.1", 0)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        url = f"http://127.0.0.1:{server.server_address[1]}"
    r = httpx.post(f"{url}/predict", content=body, headers=AUTH)
    assert r.status_code == 400 and r.json()["field"] == "body" and needle in r.json()["error"]
    assert still_serving(url)


def test_wrong_or_missing_token_is_401_before_the_body_is_read(served, no_tracebacks):
    url, port, _ = served
    # the body is announced but never sent: an answer proves the server did not wait for it
    for auth in (b"", b"Authorization: Token wrong\r\n", b"Authorization: Basic !!notbase64\r\n"):
        started = time.monotonic()
        answer = raw_request(port, b"POST /predict HTTP/1.1\r\nHost: x\r\n" + auth + b"Content-Length: 1000000\r\n\r\n")
        status, body = status_and_json(answer)
        assert (status, body["field"]) == (401, "Authorization") and time.monotonic() - started < LIMITS.read_timeout_s
        assert still_serving(url)


def test_body_over_the_configured_size_is_413_unread(served, no_tracebacks):
    url, port, _ = served
    answer = raw_request(port, b"POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TOKEN.encode()
                         + b"\r\nContent-Length: 4001\r\n\r\n")
    status, body = status_and_json(answer)
    assert (status, body["field"]) == (413, "Content-Length") and "at most 4000" in body["error"]
    r = httpx.post(f"{url}/predict", content=b"x" * 4_001, headers=AUTH)
    assert r.status_code == 413
    assert still_serving(url)


@pytest.mark.parametrize("length,status", [(b"abc", 400), (b"-5", 400), (b"1e3", 400), (b" ", 400)])
def test_content_length_that_is_not_a_number_is_400(served, no_tracebacks, length, status):
    url, port, _ = served
    answer = raw_request(port, b"POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TOKEN.encode()
                         + b"\r\nContent-Length: " + length + b"\r\n\r\n{}")
    got, body = status_and_json(answer)
    assert (got, body["field"]) == (status, "Content-Length")
    assert still_serving(url)


def test_chunked_body_is_411(served, no_tracebacks):
    url, port, _ = served
    answer = raw_request(port, b"POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TOKEN.encode()
                         + b"\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")
    assert status_and_json(answer)[0] == 411
    assert still_serving(url)


def _gone_lines(caplog):
    return [r.getMessage() for r in caplog.records if "went away" in r.getMessage()]


def test_client_that_disconnects_before_the_answer_is_one_log_line(served, no_tracebacks, capfd):
    url, port, predictor = served
    predictor.delay = 0.4
    body = json.dumps({"tasks": [{"id": 1, "data": {"text": "سانا"}}]}).encode()
    s = socket.create_connection(("127.0.0.1", port))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # close = reset
    s.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TOKEN.encode()
              + b"\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    s.close()
    time.sleep(0.8)
    predictor.delay = 0.0
    assert len(_gone_lines(no_tracebacks)) == 1
    assert "POST /predict" in _gone_lines(no_tracebacks)[0]
    assert "Traceback" not in capfd.readouterr().err
    assert still_serving(url)


def test_client_that_disconnects_mid_body_is_one_log_line(served, no_tracebacks, capfd):
    url, port, _ = served
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\nAuthorization: Token " + TOKEN.encode()
              + b"\r\nContent-Length: 100\r\n\r\n{\"tasks\"")
    s.close()
    time.sleep(0.3)
    assert _gone_lines(no_tracebacks) and "after 8 of 100 body bytes" in _gone_lines(no_tracebacks)[0]
    assert "Traceback" not in capfd.readouterr().err
    assert still_serving(url)


def test_slow_client_is_dropped_and_others_are_served_meanwhile(served, no_tracebacks):
    url, port, _ = served
    slow = socket.create_connection(("127.0.0.1", port), timeout=5)
    slow.sendall(b"POST /predict HTTP/1.1\r\nHost: x\r\n")      # ... and never finishes its headers
    assert still_serving(url)                                    # served while the slow one hangs
    started = time.monotonic()
    assert slow.recv(100) == b""                                 # the server hung up on it
    assert time.monotonic() - started < 3
    slow.close()
    assert still_serving(url)


def test_request_waiting_on_a_busy_model_gets_503_not_an_endless_wait(served, no_tracebacks):
    url, _, predictor = served
    predictor.delay = 1.0
    long = threading.Thread(target=lambda: httpx.post(f"{url}/predict", json={"tasks": [{"data": {"text": "أ ب"}}]},
                                                      headers=AUTH, timeout=10))
    long.start()
    time.sleep(0.2)
    r = httpx.post(f"{url}/predict", json={"tasks": [{"data": {"text": "ت ث"}}]}, headers=AUTH, timeout=10)
    assert r.status_code == 503 and r.headers["Retry-After"] == "5" and "busy" in r.json()["error"]
    assert httpx.get(f"{url}/health", headers=AUTH).status_code == 200   # health never waits on the model
    long.join()
    predictor.delay = 0.0
    assert still_serving(url)


def test_connections_over_the_cap_get_503_at_once(served, no_tracebacks):
    url, port, _ = served
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(LIMITS.max_connections)]
    time.sleep(0.1)
    answer = raw_request(port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n", wait=2)
    assert status_and_json(answer)[0] == 503
    for s in idle:
        s.close()
    time.sleep(0.2)
    assert still_serving(url)
