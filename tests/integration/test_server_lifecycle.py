"""`nisba server start|status|stop` end to end on a real Label Studio (own port, own state dir).

Starts from the migrated template database of tests/conftest.py when there is one (about 15 s),
else migrates an empty one (minutes).
"""

from __future__ import annotations

import shutil
import stat

import pytest
from typer.testing import CliRunner

from annotation.labelstudio import server
from annotation.cli import app
from annotation.labelstudio.settings import read_env_file
from tests.conftest import LS_VENV, TEMPLATE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_start_is_idempotent_writes_env_and_stop_ends_only_it(tmp_path):
    state, data, env = tmp_path / "state", tmp_path / "data", tmp_path / ".env"
    if (TEMPLATE / "label_studio.sqlite3").exists():
        shutil.copytree(TEMPLATE, data)
    env.write_text("KEEP=me\n")
    port = server.free_port()
    args = ["--port", str(port), "--state-dir", str(state), "--data-dir", str(data), "--env-file", str(env),
            "--venv", str(LS_VENV)]
    runner = CliRunner()
    first = runner.invoke(app, ["server", "start", *args, "--timeout", "900"])
    try:
        assert first.exit_code == 0, first.output
        assert f"up at http://127.0.0.1:{port}" in first.output
        values = read_env_file(env)
        assert values["KEEP"] == "me"
        assert values["LABEL_STUDIO_URL"] == f"http://127.0.0.1:{port}"
        token = values["LABEL_STUDIO_API_KEY"]
        assert token and token not in first.output
        assert stat.S_IMODE(env.stat().st_mode) == 0o600
        pid = server.read_pid_file(state)["pid"]

        second = runner.invoke(app, ["server", "start", *args])
        assert second.exit_code == 0 and "already running" in second.output
        assert server.read_pid_file(state)["pid"] == pid

        status = runner.invoke(app, ["server", "status", "--state-dir", str(state)])
        assert status.exit_code == 0 and "healthy" in status.output

        from annotation.labelstudio.client import connect
        from annotation.labelstudio.settings import load_settings

        assert connect(load_settings(env)).users.whoami().email == server.ADMIN_USER
    finally:
        stopped = runner.invoke(app, ["server", "stop", "--state-dir", str(state)])
    assert "stopped" in stopped.output
    assert not server._alive(pid)
    assert not server.port_in_use("127.0.0.1", port)
    after = runner.invoke(app, ["server", "status", "--state-dir", str(state)])
    assert after.exit_code == 1 and "not running" in after.output
