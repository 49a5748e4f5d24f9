"""`nisba project copy` from the SQLite server onto the PostgreSQL one with uwsgi workers: every
field arrives (checked by pulling both and comparing the document views), annotators map by
e-mail or fall back to the admin with the original kept in meta, a target that already holds
part of the project gets only the rest, and a second run copies nothing."""

from __future__ import annotations

import json
import uuid

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.convert.document import content_hash
from annotation.labelstudio.client import connect
from annotation.labelstudio.predictions import set_model_version
from annotation.labelstudio.tasks import iter_tasks
from annotation.schema.labeling_config import labeling_config
from annotation.schema.schema import load_schema
from tests.integration.test_pull_server import SECOND, VIEW_FIELDS, _event_result, _rows
from tests.pull_fixtures import TEXT, claim_result

pytestmark = [pytest.mark.integration, pytest.mark.slow]

THIRD = "ويري محللون إن المعارضة تتعرض لضغوط"
FOURTH = "وقال علوش إن المعارضة ستذهب إلي استانة"


def _task(text, annotations=(), predictions=()):
    return {"data": {"text": text, "meta": {"source": "copy-test"}, "content_hash": content_hash(text)},
            "annotations": list(annotations), "predictions": list(predictions)}


def _pull(client, project_id, out):
    from annotation.dataset.pull import pull_from_server

    pull_from_server(client, str(project_id), out, load_schema())
    return _rows(out)


def test_copy_sqlite_to_postgres_is_complete_and_idempotent(ls_server, ls_server_postgres, tmp_path):
    schema = load_schema()
    source, target = connect(ls_server), connect(ls_server_postgres)
    title = f"copy {uuid.uuid4().hex[:8]}"
    src = source.projects.create(title=title, label_config=labeling_config(schema))
    dst_id = None
    try:
        # an annotator the target does not know
        stranger = f"stranger-{uuid.uuid4().hex[:6]}@nisba.test"
        source.users.create(email=stranger, username=stranger, first_name="S", last_name="T")
        version = "rules-copytest"
        tasks = [
            _task(TEXT, [{"result": claim_result(), "ground_truth": True, "lead_time": 31.5}],
                  [{"result": claim_result(), "model_version": version, "score": 0.75}]),
            _task(SECOND, [{"result": _event_result(SECOND)[:1], "ground_truth": False, "lead_time": 5.0},
                           {"result": _event_result(SECOND), "ground_truth": False, "lead_time": 9.0,
                            "completed_by": {"email": stranger}}]),
            _task(THIRD, [{"result": [], "was_cancelled": True, "ground_truth": False}]),
            _task(FOURTH, predictions=[{"result": [], "model_version": version, "score": 0.1}]),
        ]
        source.projects.import_tasks(id=src.id, request=json.loads(json.dumps(tasks)), return_task_ids=True)
        set_model_version(source, src.id, version)

        # the target already holds part of the project: the same title, one of its tasks
        dst = target.projects.create(title=title, label_config=labeling_config(schema))
        dst_id = dst.id
        target.projects.import_tasks(id=dst.id, request=[json.loads(json.dumps(tasks[0]))], return_task_ids=True)

        args = ["project", "copy", "--from", ls_server.url, "--to", ls_server_postgres.url, "--project", str(src.id),
                "--from-key", ls_server.token, "--to-key", ls_server_postgres.token]
        first = CliRunner().invoke(app, args)
        assert first.exit_code == 0, first.output
        assert f"copied to project {dst.id} (existing)" in first.output
        assert "3 tasks, 3 annotations, 1 predictions; skipped 1 tasks" in first.output
        assert "1 annotations went to the target's admin" in first.output
        assert ls_server.token not in first.output and ls_server_postgres.token not in first.output

        second = CliRunner().invoke(app, args)
        assert second.exit_code == 0, second.output
        assert "0 tasks, 0 annotations, 0 predictions; skipped 4 tasks" in second.output

        copied = {t["data"]["text"]: t for t in iter_tasks(target, dst.id, fields="all")}
        assert sorted(copied) == sorted(t["data"]["text"] for t in tasks)
        second_task = copied[SECOND]
        assert second_task["meta"]["nisba_copy"]["annotators"][0]["email"] == stranger
        assert [a["lead_time"] for a in sorted(second_task["annotations"], key=lambda a: a["id"])] == [5.0, 9.0]
        assert [a["ground_truth"] for a in second_task["annotations"]] == [False, False]
        assert copied[THIRD]["annotations"][0]["was_cancelled"] is True
        assert [(p["model_version"], p["score"]) for p in copied[FOURTH]["predictions"]] == [(version, 0.1)]
        assert target.projects.get(id=dst.id).model_version == version

        # the pulled document views are the same on both servers
        a, b = _pull(source, src.id, tmp_path / "a"), _pull(target, dst.id, tmp_path / "b")
        assert sorted(a) == sorted(b) and len(a) >= 2
        for key in a:
            assert {f: a[key][f] for f in VIEW_FIELDS} == {f: b[key][f] for f in VIEW_FIELDS}
    finally:
        source.projects.delete(id=src.id)
        if dst_id:
            target.projects.delete(id=dst_id)
