"""A real browser opens a pre-annotated task: Debian's headless Chromium through selenium,
logged in as the admin. Without /usr/bin/chromium it fails under CI and `make test` (which
installs it as root), and skips, saying how, under a bare pytest (tests/browser_fixtures.py)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotation.labelstudio.projects import create_or_update_project
from annotation.convert.document import content_hash
from annotation.labelstudio.ui_check import ui_check
from tests.browser_fixtures import admin_credentials, require_browser

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "syria-talks-2017.txt"


@pytest.fixture()
def ls_project(ls_client, schema):
    import uuid

    project = create_or_update_project(ls_client, schema, f"test ui {uuid.uuid4().hex[:8]}")
    yield project
    ls_client.projects.delete(id=project.id)


def test_pre_annotated_task_shows_rtl_arabic_and_predicted_regions(ls_server, ls_client, ls_project, schema,
                                                                   tmp_path_factory, tmp_path):
    from annotation.loop.push import push_predictions
    from training.predict.load import load_predictor

    require_browser()
    text = SEED.read_text(encoding="utf-8")
    resp = ls_client.projects.import_tasks(id=ls_project.id, return_task_ids=True,
                                           request=[{"data": {"text": text, "content_hash": content_hash(text)}}])
    task_id = resp.task_ids[0]
    counts = push_predictions(ls_client, ls_project.id, load_predictor("rules"), schema)
    assert counts.created == 1
    user, password = admin_credentials(tmp_path_factory)
    shot = Path(os.environ.get("NISBA_UI_SCREENSHOT") or tmp_path / "ui-check.png")
    result = ui_check(str(ls_project.id), task_id, shot, client=ls_client, url=ls_server.url,
                      username=user, password=password, timeout=120)
    assert result["direction"] == "rtl"
    assert result["regions_expected"] > 10 and result["regions_missing"] == []
    assert result["regions_drawn"] >= result["regions_expected"]
    assert result["ok"] is True
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
