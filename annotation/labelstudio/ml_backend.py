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
Otherwise 401, answered from the headers before a byte of the body is read.

Hostile or broken clients (each answer is JSON ``{"error", "field"?}``; the server keeps serving):

- a body that is not JSON, a task that is not an object, ``data.text`` not a string, an
  ``id`` that is not a whole number: 400 naming the field (``tasks[3].data.text``);
- a Content-Length that is not a number: 400; chunked bodies: 411; a body over
  ``Limits.max_body_bytes``: 413 (the body is not read, the connection is closed);
- one text over ``Limits.max_text_chars``, more than ``max_tasks`` tasks or ``max_request_chars``
  characters in one request: 422 naming the field, so one request cannot hold the model long;
- the model busy with others for ``predict_wait_s``: 503 with Retry-After; more than
  ``max_connections`` connections at once: 503 at once; a client silent for ``read_timeout_s``
  is dropped, so slow clients cannot tie the threads up;
- a client that goes away before its answer: one log line, no traceback.

The server is the standard library's ThreadingHTTPServer, kept rather than an ASGI app on
uvicorn (not a dependency of nisba) or label-studio-ml (Flask; it pins its own label-studio-sdk
and loads the model per request's project): the protocol is five routes, batch prediction is one
call here, and what the stdlib lacks (timeouts, limits, quiet disconnects) is a few lines below.

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

from annotation.convert.regions import showable, to_result
from annotation.schema.labeling_config import config_differences
from annotation.schema.schema import Schema

log = logging.getLogger("nisba.ml_backend")
MAX_BODY = 50 * 1024 * 1024   # the default Limits.max_body_bytes


@dataclass(frozen=True)
class Limits:
    """What one request may ask of the backend (``nisba serve`` options set them)."""

    max_body_bytes: int = MAX_BODY
    max_text_chars: int = 200_000          # one article; the longest NewsFANE document is ~10k
    max_tasks: int = 1_000                 # Label Studio asks for one page of the Data Manager
    max_request_chars: int = 5_000_000
    read_timeout_s: float = 30.0           # a client silent this long is dropped
    predict_wait_s: float = 120.0          # waiting for the model behind other requests
    max_connections: int = 64


class BadRequest(ValueError):
    """A request the backend answers with ``status`` (400 by default), naming ``field``."""

    def __init__(self, message: str, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.field, self.status = field, status

    def payload(self) -> dict:
        return {"error": str(self), **({"field": self.field} if self.field else {})}


class Busy(Exception):
    """The model stayed busy with other requests for Limits.predict_wait_s: 503."""


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

    def __init__(self, predictor, schema: Schema, train_queue: TrainQueue | None = None, batch_size: int = 16,
                 limits: Limits | None = None):
        self.predictor = predictor
        self.schema = schema
        self.train_queue = train_queue
        self.batch_size = batch_size
        self.limits = limits or Limits()
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

    def tasks_texts(self, body) -> list[str]:
        """The texts of a predict body, checked; BadRequest names the first bad field."""
        if not isinstance(body, dict) or not isinstance(body.get("tasks"), list):
            raise BadRequest('predict expects {"tasks": [...]}', "tasks")
        tasks, name, limits = body["tasks"], self.schema.text_name, self.limits
        if len(tasks) > limits.max_tasks:
            raise BadRequest(f"{len(tasks)} tasks in one request; at most {limits.max_tasks}: send them in pages",
                             "tasks", 422)
        texts, total = [], 0
        for i, task in enumerate(tasks):
            if not isinstance(task, dict):
                raise BadRequest(f"tasks[{i}] is a {type(task).__name__}, not a task object", f"tasks[{i}]")
            tid = task.get("id")
            if tid is not None and not (isinstance(tid, int) and not isinstance(tid, bool)
                                        or isinstance(tid, str) and tid.strip().isdigit()):
                raise BadRequest(f"tasks[{i}].id is {tid!r:.40}, not a task id (a whole number)", f"tasks[{i}].id")
            data = task.get("data")
            text = data.get(name) if isinstance(data, dict) else None
            if not isinstance(text, str):
                where = f"task {tid}" if tid is not None else f"tasks[{i}]"
                got = "no data" if not isinstance(data, dict) else type(text).__name__ if name in data else "nothing"
                raise BadRequest(f"{where} has no data.{name} string (got {got})", f"tasks[{i}].data.{name}")
            if len(text) > limits.max_text_chars:
                raise BadRequest(f"tasks[{i}].data.{name} has {len(text)} characters; at most "
                                 f"{limits.max_text_chars} a text", f"tasks[{i}].data.{name}", 422)
            total += len(text)
            if total > limits.max_request_chars:
                raise BadRequest(f"more than {limits.max_request_chars} characters of text in one request "
                                 f"(reached at tasks[{i}]); send fewer tasks a request", "tasks", 422)
            texts.append(text)
        return texts

    def predict(self, body) -> dict:
        texts = self.tasks_texts(body)
        if not self.lock.acquire(timeout=self.limits.predict_wait_s):
            raise Busy(f"the model is busy with other requests ({self.limits.predict_wait_s:.0f} s waited)")
        try:
            predictions = self.predictor.predict(texts, batch_size=self.batch_size) if texts else []
        finally:
            self.lock.release()
        version = self.predictor.model_version
        results = [{"result": to_result(*showable(text, list(p.regions), list(p.relations))[:2], self.schema),
                    "score": round(float(p.score), 4), "model_version": version} for text, p in zip(texts, predictions)]
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


DISCONNECTS = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


def make_handler(backend: Backend, token: str):
    limits = backend.limits

    class Handler(BaseHTTPRequestHandler):
        server_version = "nisba-ml-backend"
        protocol_version = "HTTP/1.1"
        timeout = limits.read_timeout_s   # socket timeout: headers and body of a silent client

        def log_message(self, fmt, *args):  # through logging, never to stderr directly
            log.info("%s - %s", self.address_string(), fmt % args)

        def _send(self, status: int, payload: dict, headers: dict | None = None) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                if self.close_connection:
                    self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
            except DISCONNECTS as exc:
                self._gone(f"before the {status} answer", exc)

        def _gone(self, when: str, exc: BaseException) -> None:
            self.close_connection = True
            log.warning("%s went away %s to %s %s (%s)", self.address_string(), when, self.command,
                        self.path, type(exc).__name__)

        def _refuse(self, status: int, message: str, field: str | None = None) -> None:
            """Answer without reading the body; the connection cannot be reused after that."""
            self.close_connection = True
            self._send(status, {"error": message, **({"field": field} if field else {})})

        def _body(self) -> bytes | None:
            """The request body, or None after answering (the length is wrong, or the client left)."""
            if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
                return self._refuse(411, "send the body with a Content-Length, not chunked", "Content-Length")
            declared = self.headers.get("Content-Length", "0").strip()   # present but blank is wrong too
            if not declared.isdigit():
                return self._refuse(400, f"Content-Length {declared[:40]!r} is not a number of bytes",
                                    "Content-Length")
            length = int(declared)
            if length > limits.max_body_bytes:
                return self._refuse(413, f"request body of {length} bytes; at most {limits.max_body_bytes}",
                                    "Content-Length")
            try:
                raw = self.rfile.read(length) if length else b""
            except DISCONNECTS + (OSError,) as exc:
                return self._gone("while sending its body", exc)
            if len(raw) < length:
                return self._gone(f"after {len(raw)} of {length} body bytes", EOFError())
            return raw

        def _handle(self, method: str) -> None:
            path = self.path.split("?", 1)[0].rstrip("/") or "/"
            if not _authorized(self.headers.get("Authorization"), token):
                return self._refuse(401, "missing or wrong token (Authorization: Token <token>)", "Authorization")
            route = ROUTES.get((method, path))
            raw = self._body()
            if raw is None:
                return None
            if route is None:
                return self._send(404, {"error": f"no route {method} {path}"})
            name, status = route
            try:
                body = json.loads(raw.decode("utf-8")) if raw else {}
            except UnicodeDecodeError as exc:
                return self._send(400, {"error": f"body is not UTF-8 (byte {exc.start})", "field": "body"})
            except (json.JSONDecodeError, RecursionError) as exc:
                where = f" (line {exc.lineno} column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
                return self._send(400, {"error": f"malformed JSON{where}: {getattr(exc, 'msg', 'nested too deep')}",
                                        "field": "body"})
            try:
                return self._send(status, getattr(backend, name)(body))
            except BadRequest as exc:
                return self._send(exc.status, exc.payload())
            except Busy as exc:
                return self._send(503, {"error": str(exc)}, {"Retry-After": "5"})
            except Exception as exc:  # keep serving; the message names the failure
                log.exception("%s %s failed", method, path)
                return self._send(500, {"error": f"{type(exc).__name__}: {exc}"})

        def do_GET(self):
            self._handle("GET")

        def do_POST(self):
            self._handle("POST")

    return Handler


class BackendServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a cap on connections at once and one-line logs for clients that
    go away (the stdlib prints a traceback to stderr for each)."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address, handler, max_connections: int):
        super().__init__(address, handler)
        self.slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            try:
                body = b'{"error": "too many connections at once; retry"}'
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                                b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                                + str(len(body)).encode() + b"\r\n\r\n" + body)
            except OSError:
                pass
            log.warning("%s refused: %d connections already open", client_address[0], self.slots._initial_value)
            self.shutdown_request(request)
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request, client_address):
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, DISCONNECTS + (OSError,)):
            log.warning("%s went away (%s)", client_address[0], type(exc).__name__)
        else:
            log.exception("request from %s failed", client_address[0])


def make_server(backend: Backend, token: str, host: str = "127.0.0.1", port: int = 9090) -> ThreadingHTTPServer:
    """A threading HTTP server for ``backend``; call ``serve_forever()`` (or run it in a thread)."""
    if not token:
        raise ValueError("the ML backend needs a token")
    return BackendServer((host, port), make_handler(backend, token), backend.limits.max_connections)
