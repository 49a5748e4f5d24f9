"""Hostile input against a real Label Studio (issue 17, cases 3, 7 and 8).

Annotations in a flat .jsonl line reach the server, and `--with-annotations` adds a corrected
file's annotations to the tasks already there; `nisba project create` refuses to drop labels
still in use; predictions are refused by a project whose labeling config differs.
"""

from __future__ import annotations

import copy
import json
import uuid

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.convert.document import content_hash
from annotation.labelstudio.predictions import list_predictions
from annotation.labelstudio.projects import create_or_update_project, project_config_differences
from annotation.labelstudio.tasks import iter_tasks
from annotation.schema.labeling_config import labeling_config
from annotation.schema.schema import parse_schema

pytestmark = pytest.mark.integration

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب إلي استانة."


@pytest.fixture()
def env(ls_server, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)


def _region(label: str, layer: str = "entities", fragment: str = "علوش") -> dict:
    start = TEXT.index(fragment)
    return {"id": f"r-{label}", "from_name": layer, "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(fragment), "text": fragment, "labels": [label]}}


def _annotations(client, project_id: int) -> list[list[str]]:
    """Per task (in id order), the labels of each annotation's regions."""
    out = []
    for task in sorted(iter_tasks(client, project_id), key=lambda t: t["id"]):
        out.append([label for a in task.get("annotations") or [] for item in a["result"]
                    for label in item.get("value", {}).get("labels", [])])
    return out


def _project_from(client, schema, mutate, tag: str):
    raw = copy.deepcopy(schema.raw)
    mutate(raw)
    return create_or_update_project(client, parse_schema(raw, ["SANA"]), f"test {tag} {uuid.uuid4().hex[:8]}")


def test_flat_jsonl_annotations_import_and_with_annotations_adds_them_to_held_tasks(env, ls_client, ls_project,
                                                                                   tmp_path):
    runner = CliRunner()
    plain = tmp_path / "plain.jsonl"
    plain.write_text(json.dumps({"text": TEXT}, ensure_ascii=False) + "\n", encoding="utf-8")
    corrected = tmp_path / "corrected.jsonl"
    corrected.write_text(json.dumps({"text": TEXT, "annotations": [{"result": [_region("PER")]}]},
                                    ensure_ascii=False) + "\n", encoding="utf-8")
    project = ["--project", str(ls_project.id)]

    assert runner.invoke(app, ["import", *project, str(plain)]).exit_code == 0
    skipped = runner.invoke(app, ["import", *project, str(corrected)])
    assert skipped.exit_code == 0, skipped.output
    assert "1 of the tasks already in the project carry annotations" in skipped.output
    assert _annotations(ls_client, ls_project.id) == [[]]

    added = runner.invoke(app, ["import", *project, "--with-annotations", str(corrected)])
    assert added.exit_code == 0, added.output
    assert "added 1 annotations to tasks already in the project" in added.output
    assert _annotations(ls_client, ls_project.id) == [["PER"]]
    again = runner.invoke(app, ["import", *project, "--with-annotations", str(corrected)])
    assert "added 0 annotations" in again.output and _annotations(ls_client, ls_project.id) == [["PER"]]

    fresh = tmp_path / "fresh.jsonl"   # a new text with annotations in the flat form: created with them
    fresh.write_text(json.dumps({"text": TEXT + " ", "annotations": [{"result": [_region("ORG")]}]},
                                ensure_ascii=False) + "\n", encoding="utf-8")
    created = runner.invoke(app, ["import", *project, str(fresh)])
    assert "created 1 tasks (1 annotations)" in created.output, created.output
    assert _annotations(ls_client, ls_project.id) == [["PER"], ["ORG"]]


def test_project_create_refuses_to_drop_labels_in_use_unless_force(env, ls_client, schema):
    def add_wea(raw):
        raw["layers"]["entities"]["labels"].append({"value": "WEA"})

    project = _project_from(ls_client, schema, add_wea, "drop")
    try:
        ls_client.projects.import_tasks(id=project.id, return_task_ids=True, request=[{
            "data": {"text": TEXT, "content_hash": content_hash(TEXT)},
            "annotations": [{"result": [_region("WEA")]}],
            "predictions": [{"result": [_region("WEA"), _region("PER", fragment="رويترز")], "model_version": "m"}]}])
        runner = CliRunner()
        refused = runner.invoke(app, ["project", "create", "--title", project.title])
        assert refused.exit_code == 1
        message = " ".join(refused.output.split())
        assert "entities: label WEA: 1 annotation region(s), 1 prediction region(s)" in message
        assert "--force" in message
        assert "WEA" in ls_client.projects.get(id=project.id).label_config   # untouched

        forced = runner.invoke(app, ["project", "create", "--title", project.title, "--force"])
        assert forced.exit_code == 0, forced.output
        assert "WEA" not in ls_client.projects.get(id=project.id).label_config
    finally:
        ls_client.projects.delete(id=project.id)


def test_predictions_are_refused_by_a_project_whose_config_differs(env, ls_client, schema):
    def rename_events(raw):
        raw["layers"] = {("my_events" if k == "events" else k): v for k, v in raw["layers"].items()}
        raw["roles"]["events"] = "my_events"   # the roles follow the rename, as in a real schema edit

    project = _project_from(ls_client, schema, rename_events, "differs")
    try:
        assert "my_events" in ls_client.projects.get(id=project.id).label_config
        ls_client.projects.import_tasks(id=project.id, return_task_ids=True,
                                        request=[{"data": {"text": TEXT, "content_hash": content_hash(TEXT)}}])
        res = CliRunner().invoke(app, ["predict", "--model", "rules", "--project", str(project.id)])
        assert res.exit_code == 1
        message = " ".join(res.output.split())
        assert "labeling config differs from the schema" in message
        assert "control 'events' (Labels) is not in the project" in message and "'my_events'" in message
        assert list_predictions(ls_client, project.id) == []
    finally:
        ls_client.projects.delete(id=project.id)


def test_predictions_go_into_a_project_made_from_the_schema(ls_client, ls_project, schema):
    assert project_config_differences(ls_client, ls_project.id, schema) == []
    assert labeling_config(schema) == ls_client.projects.get(id=ls_project.id).label_config
