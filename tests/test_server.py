"""Server lifecycle and settings, without starting Label Studio (pid files, .env, credentials)."""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
import time

import pytest

from annotation.labelstudio import server
from annotation.errors import NisbaError
from annotation.labelstudio.settings import load_settings, read_env_file, write_env


def test_write_env_keeps_other_lines_and_is_private(tmp_path):
    env = tmp_path / ".env"
    env.write_text("# mine\nOTHER=1\nLABEL_STUDIO_URL=http://old\n")
    write_env(env, {"LABEL_STUDIO_URL": "http://127.0.0.1:9", "LABEL_STUDIO_API_KEY": "k"})
    assert env.read_text() == "# mine\nOTHER=1\nLABEL_STUDIO_URL=http://127.0.0.1:9\nLABEL_STUDIO_API_KEY=k\n"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600


def test_read_env_file_strips_quotes_and_export(tmp_path):
    env = tmp_path / ".env"
    env.write_text('export A="x y"\nB=\'z\'\n# C=no\nbroken line\n')
    assert read_env_file(env) == {"A": "x y", "B": "z"}


def test_load_settings_prefers_environment_over_file(tmp_path, monkeypatch):
    env = tmp_path / ".env"
    env.write_text("LABEL_STUDIO_URL=http://file:1/\nLABEL_STUDIO_API_KEY=filetoken\n")
    monkeypatch.setenv("LABEL_STUDIO_URL", "http://envhost:2")
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    settings = load_settings(env)
    assert (settings.url, settings.token) == ("http://envhost:2", "filetoken")
    assert "filetoken" not in repr(settings)


def test_load_settings_missing_names_the_start_command(tmp_path, monkeypatch):
    monkeypatch.delenv("LABEL_STUDIO_URL", raising=False)
    monkeypatch.delenv("LABEL_STUDIO_API_KEY", raising=False)
    with pytest.raises(NisbaError, match="nisba server start"):
        load_settings(tmp_path / "absent.env")


def test_credentials_are_generated_once_and_private(tmp_path):
    first = server.credentials(tmp_path / "data")
    again = server.credentials(tmp_path / "data")
    assert first == again
    assert len(first["token"]) == 40
    path = tmp_path / "data" / server.CREDENTIALS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_database_without_credentials_is_refused(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "label_studio.sqlite3").write_bytes(b"")
    with pytest.raises(NisbaError, match="API token"):
        server.credentials(tmp_path / "data")


def _pid_file(state, pid, start_time=None):
    state.mkdir(parents=True, exist_ok=True)
    (state / server.PID_FILE).write_text(json.dumps({
        "pid": pid, "start_time": start_time, "url": "http://127.0.0.1:1", "data_dir": str(state / "data")}))


def test_stale_pid_file_of_a_dead_process_is_removed(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    _pid_file(tmp_path, proc.pid)
    assert server.running_server(tmp_path) is None
    assert not (tmp_path / server.PID_FILE).exists()
    assert server.status(tmp_path) == {"running": False}


def test_pid_reused_by_another_program_is_not_ours_and_survives_stop(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        _pid_file(tmp_path, other.pid, server._proc_start_time(other.pid))
        assert server.stop(tmp_path) is False
        assert other.poll() is None  # still running: stop never touched it
        assert not (tmp_path / server.PID_FILE).exists()
    finally:
        other.kill()
        other.wait()


def test_pid_reused_after_restart_is_detected_by_start_time(tmp_path):
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "label-studio"])
    try:
        _pid_file(tmp_path, other.pid, "1")  # a label-studio-looking cmdline, but another start time
        assert server.running_server(tmp_path) is None
    finally:
        other.kill()
        other.wait()


def test_stop_ends_the_whole_process_group_it_started(tmp_path):
    # a stand-in "label-studio" (the name is in its cmdline) that has a child of its own
    script = "import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    proc = subprocess.Popen([sys.executable, "-c", script, "label-studio"], start_new_session=True)
    try:
        _pid_file(tmp_path, proc.pid, server._proc_start_time(proc.pid))
        for _ in range(100):  # until exec has replaced the forked command line
            if "label-studio" in server._proc_cmdline(proc.pid):
                break
            time.sleep(0.05)
        assert server.running_server(tmp_path)["pid"] == proc.pid
        assert server.stop(tmp_path, timeout=10) is True
        assert proc.wait(timeout=10) is not None
        with pytest.raises(ProcessLookupError):
            os.killpg(proc.pid, 0)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_start_refuses_a_port_held_by_another_program(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(NisbaError, match=f"port {port}"):
            server.start(port=port, state_dir=tmp_path, env_file=None, venv=tmp_path / "no-venv",
                         say=lambda m: None)


def test_unreachable_server_names_url_and_start_command():
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.settings import Settings

    url = f"http://127.0.0.1:{server.free_port()}"
    with pytest.raises(NisbaError, match="nisba server start") as info:
        connect(Settings(url, "x" * 40))
    assert url in str(info.value)


def test_server_start_state_dir_chooses_the_server_venv(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from annotation.cli import app

    asked = []

    def fake_install(venv, say=print):
        asked.append(venv)
        raise NisbaError("not installing in a test")

    monkeypatch.setattr(server, "ensure_installed", fake_install)
    state = tmp_path / "state"
    result = CliRunner().invoke(app, ["server", "start", "--state-dir", str(state), "--port", str(server.free_port())])
    assert result.exit_code == 1 and "not installing in a test" in result.output
    assert asked == [state / "venv"]


def test_label_studio_is_pinned_to_one_exact_version_named_in_the_readme():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    assert server.PACKAGE == f"label-studio=={server.LABEL_STUDIO_VERSION}"
    assert server.LABEL_STUDIO_VERSION.count(".") == 2 and server.LABEL_STUDIO_VERSION.replace(".", "").isdigit()
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert f"label-studio {server.LABEL_STUDIO_VERSION}" in readme and "LABEL_STUDIO_VERSION" in readme
    # no other pin anywhere: the Makefile, pyproject and the test fixtures name no label-studio version
    for other in ("Makefile", "pyproject.toml", "tests/conftest.py"):
        text = (root / other).read_text(encoding="utf-8")
        assert "label-studio==" not in text and "label-studio>=" not in text, other


def test_a_venv_holding_another_label_studio_version_is_reinstalled(tmp_path):
    site = tmp_path / "venv" / "lib" / "python3.11" / "site-packages"
    (site / "label_studio-1.20.0.dist-info").mkdir(parents=True)
    assert server.installed_version(tmp_path / "venv") == "1.20.0"
    assert server.installed_version(tmp_path / "none") is None


def test_selenium_is_a_main_dependency_because_ui_check_is_a_user_command():
    import tomllib
    from pathlib import Path

    meta = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    project = meta["project"]
    assert any(d.startswith("selenium") for d in project["dependencies"])
    assert not any(d.startswith("selenium") for d in project["optional-dependencies"].get("dev", []))


def test_pid_file_of_an_older_nisba_with_clock_ticks_still_names_its_server(tmp_path):
    # start times come from psutil now; a pid file written before holds /proc's clock ticks
    from pathlib import Path as _Path

    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)", "label-studio"])
    try:
        for _ in range(100):
            if "label-studio" in server._proc_cmdline(proc.pid):
                break
            time.sleep(0.05)
        ticks = _Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
        _pid_file(tmp_path, proc.pid, ticks)
        assert server.running_server(tmp_path)["pid"] == proc.pid
        _pid_file(tmp_path, proc.pid, str(int(ticks) + 500))
        assert server.running_server(tmp_path) is None
    finally:
        proc.kill()
        proc.wait()
