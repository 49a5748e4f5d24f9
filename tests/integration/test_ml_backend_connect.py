"""Label Studio's "Connect model" against `nisba serve`'s backend: Label Studio checks it,
asks it for predictions of a task, and stores them with the backend's model_version."""

from __future__ import annotations

import threading

import pytest

from annotation.labelstudio.ml_admin import connect_ml_backend, retrieve_backend_predictions
from annotation.labelstudio.predictions import list_predictions
from annotation.labelstudio.projects import create_or_update_project
from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.labelstudio.ml_backend import Backend, make_server
from training.predict.load import load_predictor

pytestmark = pytest.mark.integration
TEXT = "وقال علوش لرويترز إن المعارضة ستذهب إلى أستانة لتحييد الدور الإجرامي لإيران"


@pytest.fixture()
def ls_project(ls_client, schema):
    import uuid

    project = create_or_update_project(ls_client, schema, f"test mlb {uuid.uuid4().hex[:8]}")
    yield project
    ls_client.projects.delete(id=project.id)


def test_label_studio_gets_predictions_from_the_connected_backend(ls_client, ls_project, schema):
    rules = load_predictor("rules")
    server = make_server(Backend(rules, schema), "backend-token", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        resp = ls_client.projects.import_tasks(id=ls_project.id, return_task_ids=True,
                                               request=[{"data": {"text": TEXT, "content_hash": content_hash(TEXT)}}])
        task = resp.task_ids[0]
        url = f"http://127.0.0.1:{server.server_address[1]}"
        try:
            backend = connect_ml_backend(ls_client, ls_project.id, url, "backend-token")
        except NisbaError as exc:
            if "ML_BLOCK_LOCAL_IP" in str(exc):
                pytest.skip(str(exc))
            raise
        assert backend["readable_state"] == "Connected"
        assert backend["model_version"] == rules.model_version
        retrieve_backend_predictions(ls_client, ls_project.id, [task])
        preds = [p for p in list_predictions(ls_client, ls_project.id) if p["task"] == task]
        assert [p["model_version"] for p in preds] == [rules.model_version]
        expected = rules.predict([TEXT])[0]
        assert preds[0]["score"] == pytest.approx(expected.score, abs=1e-4)
    finally:
        server.shutdown()
        server.server_close()
