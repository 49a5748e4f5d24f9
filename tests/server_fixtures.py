"""Helpers of the tests that push to and import into a real Label Studio (test_push_server.py,
test_concurrency.py): a fresh project, the predictions a task holds, and a TCP proxy whose
connection to the server can be cut, as when the server goes away mid-run."""

from __future__ import annotations

import socket
import threading
import uuid
from collections import Counter
from contextlib import contextmanager
from urllib.parse import urlparse

from annotation.labelstudio.predictions import list_predictions
from annotation.labelstudio.projects import create_or_update_project


@contextmanager
def fresh_project(client, schema, what: str):
    """A new project titled ``test <what> <8 hex>`` (within Label Studio's 50 characters),
    deleted afterwards."""
    project = create_or_update_project(client, schema, f"test {what} {uuid.uuid4().hex[:8]}")
    yield project
    client.projects.delete(id=project.id)


def predictions_per_task(client, project_id, version) -> Counter:
    """How many predictions of ``version`` each task holds."""
    return Counter(p["task"] for p in list_predictions(client, project_id) if p["model_version"] == version)


class CuttingProxy:
    """A TCP proxy in front of Label Studio whose plug can be pulled: ``cut()`` closes every
    connection and the port stops listening. After ``cut_at_next_answer()``, the next request
    still reaches the server, which does the work, but its answer never comes back: the proxy
    cuts when the answer arrives, as a server stopped mid-request looks to the client."""

    def __init__(self, target_url: str):
        u = urlparse(target_url)
        self.target = (u.hostname, u.port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.sockets: list = []
        self.dropping = False
        self.stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def cut_at_next_answer(self):
        self.dropping = True

    def _accept(self):
        while not self.stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [conn, upstream]
            threading.Thread(target=self._pipe, args=(conn, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, conn, True), daemon=True).start()

    def _pipe(self, src, dst, is_answer):
        try:
            while data := src.recv(65536):
                if is_answer and self.dropping:
                    self.cut()
                    return
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.close()
                except OSError:
                    pass

    def cut(self):
        self.stopped.set()
        for s in [self.listener, *self.sockets]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
