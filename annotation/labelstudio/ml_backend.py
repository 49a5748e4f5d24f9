"""A Label Studio ML backend ("Connect model") serving a nisba predictor over HTTP.

Speaks the protocol Label Studio's ``ml/api_connector.py`` uses, on 127.0.0.1:

- ``GET /health``  -> ``{"status": "UP", "model_class": ..., "model_version": ...}``
- ``POST /setup``  -> ``{"model_version": ...}`` (Label Studio sends project, schema, hostname);
  400 naming the differences when the project's labeling config is not from this schema
- ``POST /predict`` ``{"tasks": [{"id", "data": {"text": ...}}, ...]}`` -> ``{"results": [{"result",
  "score", "model_version"}, ...]}``, one per task in order, predicted in one batched call
- ``POST /webhook`` ``{"action": "ANNOTATION_CREATED" | "START_TRAINING" | ...}`` -> queues a
  training run for a background worker and answers at once; it never trains in the request.
  A run already waiting absorbs later webhooks (one annotation burst = one run).
- ``POST /validate`` -> ``{"status": "ok"}`` (older Label Studio versions call it)

Every request needs the token: ``Authorization: Token T`` or ``Bearer T``, or HTTP Basic
with T as the password (Label Studio's "Connect model" form only offers basic auth).
Otherwise 401. A malformed request (bad JSON, wrong shape, task without text) gets 400 with
a message naming what is wrong, and the server keeps serving.

Not handled here: choosing the model (training/predict/tagger.py), training itself (the queued job
is a callable; ``nisba serve`` queues a subprocess running the training command).
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import queue
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

from annotation.convert.regions import to_result
from annotation.schema.labeling_config import config_differences
from annotation.schema.schema import Schema

log = logging.getLogger("nisba.ml_backend")
MAX_BODY = 50 * 1024 * 1024


class BadRequest(ValueError):
    """A request the backend answers with 400."""


@dataclass
class TrainQueue:
    """One background worker running queued training jobs one after another.

    ``job`` is called with the webhook payload in the worker thread. A job waiting to start
    absorbs later requests, so a burst of annotations queues one run.
    """

    job: Callable[[dict], object]
    _queue: "queue.Queue[dict | None]" = field(default_factory=queue.Queue)
    _pending: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)
    queued: int = 0
    started: int = 0
    finished: int = 0
    failed: int = 0
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._work, name="nisba-train-queue", daemon=True)
        self._thread.start()

    def submit(self, payload: dict) -> str:
        with self._lock:
            if self._pending:
                return "already_queued"
            self._pending = True
            self.queued += 1
        self._queue.put(payload)
        return "queued"

    def _work(self) -> None:
        while True:
            payload = self._queue.get()
            if payload is None:
                return
            with self._lock:
                self._pending = False
                self.started += 1
            try:
                self.job(payload)
                self.finished += 1
            except Exception:  # a failed run is logged; the server keeps serving
                self.failed += 1
                log.exception("training job failed")

    def stop(self) -> None:
        self._queue.put(None)

    def status(self) -> dict:
        return {"queued": self.queued, "started": self.started, "finished": self.finished,
                "failed": self.failed, "pending": self._pending}


def _authorized(header: str | None, token: str) -> bool:
    if not header or " " not in header:
        return False
    scheme, _, value = header.partition(" ")
    scheme = scheme.lower()
    value = value.strip()
    if scheme in ("token", "bearer"):
        return hmac.compare_digest(value.encode(), token.encode())
    if scheme == "basic":
        try:
            _, _, password = base64.b64decode(value).decode().partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        return hmac.compare_digest(password.encode(), token.encode())
    return False


class Backend:
    """The request logic, apart from HTTP plumbing (so it is testable alone)."""

    def __init__(self, predictor, schema: Schema, train_queue: TrainQueue | None = None, batch_size: int = 16):
        self.predictor = predictor
        self.schema = schema
        self.train_queue = train_queue
        self.batch_size = batch_size
        self.lock = threading.Lock()   # one prediction at a time: the model is not thread-safe

    def health(self, _body) -> dict:
        return {"status": "UP", "model_class": type(self.predictor).__name__,
                "model_version": self.predictor.model_version}

    def setup(self, body) -> dict:
        """Label Studio connects a project: refuse one whose labeling config is not from this schema."""
        if not isinstance(body, dict):
            raise BadRequest("setup expects a JSON object")
        config = body.get("schema")
        if not isinstance(config, str) or not config.strip():
            raise BadRequest('setup expects the project\'s labeling config in "schema"')
        diffs = config_differences(config, self.schema)
        if diffs:
            raise BadRequest(f"project {body.get('project', '?')}: its labeling config is not from the schema of "
                             f"{self.predictor.model_version}: " + "; ".join(diffs))
        return {"model_version": self.predictor.model_version}

    def validate(self, _body) -> dict:
        return {"status": "ok"}

    def predict(self, body) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("tasks"), list):
            raise BadRequest('predict expects {"tasks": [...]}')
        texts = []
        for i, task in enumerate(body["tasks"]):
            data = task.get("data") if isinstance(task, dict) else None
            text = data.get(self.schema.text_name) if isinstance(data, dict) else None
            if not isinstance(text, str):
                where = f"task {task.get('id')}" if isinstance(task, dict) and "id" in task else f"tasks[{i}]"
                raise BadRequest(f"{where} has no data.{self.schema.text_name} string")
            texts.append(text)
        with self.lock:
            predictions = self.predictor.predict(texts, batch_size=self.batch_size) if texts else []
        version = self.predictor.model_version
        results = [{"result": to_result(list(p.regions), list(p.relations), self.schema),
                    "score": round(float(p.score), 4), "model_version": version} for p in predictions]
        return {"results": results, "model_version": version}

    def webhook(self, body) -> dict:
        if not isinstance(body, dict) or not isinstance(body.get("action"), str):
            raise BadRequest('webhook expects {"action": ...}')
        if self.train_queue is None:
            return {"status": "ignored", "reason": "no training job configured"}
        state = self.train_queue.submit(body)
        return {"status": state, "action": body["action"], "queue": self.train_queue.status()}


ROUTES = {
    ("GET", "/health"): ("health", 200),
    ("GET", "/"): ("health", 200),
    ("POST", "/setup"): ("setup", 200),
    ("POST", "/validate"): ("validate", 200),
    ("POST", "/predict"): ("predict", 200),
    ("POST", "/webhook"): ("webhook", 201),
}


def make_handler(backend: Backend, token: str):
    class Handler(BaseHTTPRequestHandler):
        server_version = "nisba-ml-backend"
        protocol_version = "HTTP/1.1"

        def log_message(self, fmt, *args):  # through logging, never to stderr directly
            log.info("%s - %s", self.address_string(), fmt % args)

        def _send(self, status: int, payload: dict) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _handle(self, method: str) -> None:
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if 0 < length <= MAX_BODY else b""
            if length > MAX_BODY:
                self.close_connection = True
                return self._send(413, {"error": f"request body over {MAX_BODY} bytes"})
            if not _authorized(self.headers.get("Authorization"), token):
                return self._send(401, {"error": "missing or wrong token (Authorization: Token <token>)"})
            route = ROUTES.get((method, path))
            if route is None:
                return self._send(404, {"error": f"no route {method} {path}"})
            name, status = route
            try:
                body = json.loads(raw.decode("utf-8")) if raw else {}
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                return self._send(400, {"error": f"malformed JSON: {exc}"})
            try:
                return self._send(status, getattr(backend, name)(body))
            except BadRequest as exc:
                return self._send(400, {"error": str(exc)})
            except Exception as exc:  # keep serving; the message names the failure
                log.exception("%s %s failed", method, path)
                return self._send(500, {"error": f"{type(exc).__name__}: {exc}"})

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


def make_server(backend: Backend, token: str, host: str = "127.0.0.1", port: int = 9090) -> ThreadingHTTPServer:
    """A threading HTTP server for ``backend``; call ``serve_forever()`` (or run it in a thread)."""
    if not token:
        raise ValueError("the ML backend needs a token")
    server = ThreadingHTTPServer((host, port), make_handler(backend, token))
    server.daemon_threads = True
    return server
