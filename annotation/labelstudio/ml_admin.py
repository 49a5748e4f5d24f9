"""Administration of a project's ML backend on the Label Studio side: connect one, ask it for
predictions, and turn on pre-labeling when a task opens.

Not handled here: the ML backend itself (ml_backend.py).
"""

from __future__ import annotations

from annotation.errors import NisbaError
from annotation.labelstudio.client import _api, _request, base_url

def connect_ml_backend(client, project_id: int, url: str, token: str, title: str = "nisba") -> dict:
    """Connect an ML backend ("Connect model") to the project, with the token as basic-auth
    password. Label Studio refuses 127.0.0.1 unless started with ML_BLOCK_LOCAL_IP=false and
    SSRF_PROTECTION_ENABLED=false; that refusal is raised as NisbaError saying so."""
    response = _request(client, "POST", "api/ml/", json={
        "url": url, "project": project_id, "title": title, "auth_method": "BASIC_AUTH",
        "basic_auth_user": "labelstudio", "basic_auth_pass": token, "is_interactive": False})
    if response.status_code == 403 and "reserved network address" in response.text:
        raise NisbaError(f"Label Studio at {base_url(client)} refuses an ML backend on {url}: start it with "
                         "ML_BLOCK_LOCAL_IP=false and SSRF_PROTECTION_ENABLED=false to allow 127.0.0.1")
    if response.status_code >= 400:
        raise NisbaError(f"Label Studio refused the ML backend {url}: {response.status_code} {response.text[:300]}")
    return response.json()


def retrieve_backend_predictions(client, project_id: int, task_ids: list[int]) -> dict:
    """Ask the project's ML backend for predictions of these tasks (the Data Manager action
    annotators use; the same call Label Studio makes when a task opens without predictions)."""
    return _api(client, "POST", "api/dm/actions", params={"id": "retrieve_tasks_predictions", "project": project_id},
                json={"selectedItems": {"all": False, "included": [int(t) for t in task_ids]}})


def prelabel_on_open(client, project_id: int, backend_title: str = "nisba") -> None:
    """Interactive pre-annotation: a task opened without predictions asks the connected ML
    backend for them, and annotators see its regions (Settings > Model: "Retrieve predictions
    when loading a task automatically"; Settings > Annotation: "Use predictions to prelabel
    tasks" with the connected model, which Label Studio names by the backend's title)."""
    client.projects.update(id=project_id, evaluate_predictions_automatically=True,
                           show_collab_predictions=True, model_version=backend_title)
