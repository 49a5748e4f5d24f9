"""A real browser opens a pre-annotated task: Debian's headless Chromium through selenium,
logged in as the admin. Skipped, saying why, when /usr/bin/chromium is not installed."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotation.labelstudio import client as ls
from annotation.convert.document import content_hash
from annotation.labelstudio.ui_check import browser_available, env_value, ui_check

pytestmark = [pytest.mark.integration, pytest.mark.slow,
              pytest.mark.skipif(browser_available() is not None,
                                 reason=f"no browser for the UI check: {browser_available()}")]

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "syria-talks-2017.txt"


def admin_credentials(ls_server, tmp_path_factory) -> tuple[str, str]:
    """The admin login of the test server: NISBA_TEST_LS_USERNAME/PASSWORD for a reused server,
    else the credentials file annotation.labelstudio.server wrote into the fixture's data dir, else .env."""
    if os.environ.get("NISBA_TEST_LS_URL"):
        user, password = os.environ.get("NISBA_TEST_LS_USERNAME"), os.environ.get("NISBA_TEST_LS_PASSWORD")
        if user and password:
            return user, password
    from annotation.labelstudio.server import CREDENTIALS_FILE

    for path in Path(tmp_path_factory.getbasetemp()).glob(f"labelstudio*/data/{CREDENTIALS_FILE}"):
        creds = json.loads(path.read_text(encoding="utf-8"))
        return creds["username"], creds["password"]
    user, password = env_value("LABEL_STUDIO_USERNAME"), env_value("LABEL_STUDIO_PASSWORD")
    if not (user and password):
        pytest.skip("no admin login for the test server (set NISBA_TEST_LS_USERNAME/PASSWORD)")
    return user, password


@pytest.fixture()
def ls_project(ls_client, schema):
    import uuid

    project = ls.create_or_update_project(ls_client, schema, f"test ui {uuid.uuid4().hex[:8]}")
    yield project
    ls_client.projects.delete(id=project.id)


def test_pre_annotated_task_shows_rtl_arabic_and_predicted_regions(ls_server, ls_client, ls_project, schema,
                                                                   tmp_path_factory, tmp_path):
    from annotation.loop.push import push_predictions
    from training.predict.load import load_predictor

    text = SEED.read_text(encoding="utf-8")
    resp = ls_client.projects.import_tasks(id=ls_project.id, return_task_ids=True,
                                           request=[{"data": {"text": text, "content_hash": content_hash(text)}}])
    task_id = resp.task_ids[0]
    counts = push_predictions(ls_client, ls_project.id, load_predictor("rules"), schema)
    assert counts.created == 1
    user, password = admin_credentials(ls_server, tmp_path_factory)
    shot = Path(os.environ.get("NISBA_UI_SCREENSHOT") or tmp_path / "ui-check.png")
    result = ui_check(str(ls_project.id), task_id, shot, client=ls_client, url=ls_server.url,
                      username=user, password=password, timeout=120)
    assert result["direction"] == "rtl"
    assert result["regions_expected"] > 10 and result["regions_missing"] == []
    assert result["regions_drawn"] >= result["regions_expected"]
    assert result["ok"] is True
    assert shot.stat().st_size > 20_000 and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
