"""`nisba server start --database postgres` end to end: a real PostgreSQL and Label Studio on it
with several uwsgi workers; lifecycle, an external database, and the faults each with a clear
message. Nothing is mocked.
"""

from __future__ import annotations

import json
import shutil
import socket
import stat
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.labelstudio import postgres, postgres_server, server
from annotation.labelstudio.settings import load_settings, read_env_file
from tests.postgres_fixtures import LS_VENV, REPO

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _group_processes(pgid: int) -> list[str]:
    """Command lines of the live processes in process group ``pgid``."""
    out = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                out.append((proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):
            continue
    return out


@pytest.fixture
def own_pg_dir():
    """A cluster folder the postgres system user can reach when the tests run as root (pytest's
    tmp_path is mode 700); removed afterwards."""
    path = REPO / ".nisba" / f"postgres-lifecycle-{uuid.uuid4().hex[:8]}"
    yield path
    postgres.stop_postgres(path)
    shutil.rmtree(path, ignore_errors=True)


def test_own_postgres_with_workers_start_status_stop(tmp_path, own_pg_dir):
    """A fresh cluster (initdb, migrations), N uwsgi workers; a second start is a no-op; status
    shows both; stop ends Label Studio then PostgreSQL; a stale pid file is then ignored."""
    state, pg_dir, env = tmp_path / "state", own_pg_dir, tmp_path / ".env"
    port, pg_port = server.free_port(), server.free_port()
    args = ["--database", "postgres", "--workers", "3", "--port", str(port), "--database-port", str(pg_port),
            "--state-dir", str(state), "--pg-dir", str(pg_dir), "--env-file", str(env), "--venv", str(LS_VENV)]
    runner = CliRunner()
    first = runner.invoke(app, ["server", "start", *args])
    try:
        assert first.exit_code == 0, first.output
        assert f"up at http://127.0.0.1:{port}" in first.output and "3 uwsgi workers" in first.output
        values = read_env_file(env)
        assert stat.S_IMODE(env.stat().st_mode) == 0o600
        assert values["NISBA_POSTGRES_URL"].startswith("postgresql://nisba:") and f"@127.0.0.1:{pg_port}/" in values["NISBA_POSTGRES_URL"]
        assert values["LABEL_STUDIO_API_KEY"] not in first.output
        pg_password = postgres.cluster_credentials(pg_dir)["password"]
        assert pg_password not in first.output
        record = server.read_pid_file(state)
        assert record["database"] == "postgres" and record["workers"] == 3
        # master + 3 workers + the http router, all in the process group nisba started
        assert len([p for p in _group_processes(record["pid"]) if "uwsgi" in p]) == 5

        from annotation.labelstudio.client import connect

        assert connect(load_settings(env)).users.whoami().email == server.ADMIN_USER
        import httpx

        assert httpx.get(f"http://127.0.0.1:{port}/static/images/favicon.ico").status_code == 200

        second = runner.invoke(app, ["server", "start", *args])
        assert second.exit_code == 0 and "already running" in second.output, second.output
        assert server.read_pid_file(state)["pid"] == record["pid"]

        status = runner.invoke(app, ["server", "status", "--state-dir", str(state), "--pg-dir", str(pg_dir)])
        assert status.exit_code == 0, status.output
        assert f"PostgreSQL is running on 127.0.0.1:{pg_port}" in status.output
        assert "healthy" in status.output and "3 uwsgi workers" in status.output
        assert pg_password not in status.output
        pg_pid = postgres.running_postgres(pg_dir)["pid"]
    finally:
        stopped = runner.invoke(app, ["server", "stop", "--state-dir", str(state), "--pg-dir", str(pg_dir)])
    assert "Label Studio stopped" in stopped.output and "PostgreSQL stopped" in stopped.output
    assert stopped.output.index("Label Studio stopped") < stopped.output.index("PostgreSQL stopped")
    assert not server.port_in_use("127.0.0.1", port) and not server.port_in_use("127.0.0.1", pg_port)
    assert not server._alive(record["pid"]) and not server._alive(pg_pid)

    # stale pid files (processes gone) are removed, not trusted
    (state / server.PID_FILE).write_text(json.dumps(record))
    (pg_dir / postgres.PG_PID_FILE).write_text(json.dumps({"pid": pg_pid, "port": pg_port}))
    after = runner.invoke(app, ["server", "status", "--state-dir", str(state), "--pg-dir", str(pg_dir)])
    assert after.exit_code == 1 and "not running" in after.output and "PostgreSQL is running" not in after.output
    assert not (state / server.PID_FILE).exists() and not (pg_dir / postgres.PG_PID_FILE).exists()


def test_external_database_url_starts_only_label_studio(fresh_database, pg_cluster, tmp_path):
    db, data = fresh_database
    state, env = tmp_path / "state", tmp_path / ".env"
    port = server.free_port()
    runner = CliRunner()
    result = runner.invoke(app, ["server", "start", "--database-url", db.url(), "--workers", "2",
                                 "--port", str(port), "--state-dir", str(state), "--data-dir", str(data),
                                 "--pg-dir", str(tmp_path / "no-pg"), "--env-file", str(env), "--venv", str(LS_VENV)])
    try:
        assert result.exit_code == 0, result.output
        assert "PostgreSQL is up" not in result.output and db.password not in result.output
        assert "NISBA_POSTGRES_URL" not in read_env_file(env)   # not ours: its password stays where it was
        assert not (tmp_path / "no-pg").exists()
        status = runner.invoke(app, ["server", "status", "--state-dir", str(state), "--pg-dir", str(tmp_path / "no-pg")])
        assert status.exit_code == 0 and f"PostgreSQL postgresql://nisba:***@127.0.0.1:{db.port}/{db.name}" in status.output
    finally:
        stopped = runner.invoke(app, ["server", "stop", "--state-dir", str(state), "--pg-dir", str(tmp_path / "no-pg")])
    assert "Label Studio stopped" in stopped.output and "PostgreSQL stopped" not in stopped.output
    assert postgres.check_database(db, LS_VENV / "bin" / "python")   # the external server still runs


def test_wrong_database_password_is_named_and_nothing_is_left_running(fresh_database, tmp_path):
    db, data = fresh_database
    wrong = postgres.Database(db.host, db.port, db.name, db.user, "not-the-password")
    state, port = tmp_path / "state", server.free_port()
    result = CliRunner().invoke(app, ["server", "start", "--database-url", wrong.url(), "--port", str(port),
                                      "--state-dir", str(state), "--data-dir", str(data),
                                      "--env-file", str(tmp_path / ".env"), "--venv", str(LS_VENV)])
    assert result.exit_code == 1
    assert f"refused the password for user '{db.user}'" in result.output and "--database-url" in result.output
    assert "not-the-password" not in result.output
    assert server.read_pid_file(state) is None and not server.port_in_use("127.0.0.1", port)


def test_busy_database_port_is_named(tmp_path, own_pg_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        pg_port = busy.getsockname()[1]
        result = CliRunner().invoke(app, [
            "server", "start", "--database", "postgres", "--database-port", str(pg_port),
            "--port", str(server.free_port()), "--state-dir", str(tmp_path / "state"),
            "--pg-dir", str(own_pg_dir), "--env-file", str(tmp_path / ".env"), "--venv", str(LS_VENV)])
    assert result.exit_code == 1
    assert f"database port {pg_port} on 127.0.0.1 is already in use" in result.output
    assert "--database-port" in result.output
    assert postgres.running_postgres(own_pg_dir) is None


def test_interrupted_migration_is_resumed_by_the_next_start(empty_database, tmp_path):
    db = empty_database
    state, data = tmp_path / "state", tmp_path / "data-postgres"
    creds = server.credentials(data)
    env = postgres_server.label_studio_env(data, creds, db, "http://127.0.0.1")
    exe = server.ensure_installed(LS_VENV)
    with pytest.raises(Exception) as cut:
        postgres_server.migrate(exe, env, data, db, tmp_path / "migrate.log", timeout=12)
    assert "run the same `nisba server start` again to resume" in str(cut.value)
    assert (data / postgres_server.MIGRATING_FILE).exists()
    port = server.free_port()
    runner = CliRunner()
    result = runner.invoke(app, ["server", "start", "--database-url", db.url(), "--workers", "1",
                                 "--port", str(port), "--state-dir", str(state), "--data-dir", str(data),
                                 "--env-file", str(tmp_path / ".env"), "--venv", str(LS_VENV)])
    try:
        assert result.exit_code == 0, result.output
        # cut anywhere, an atomic migration or tasks 0002 (atomic = False) halfway: started over
        assert "An earlier first migration of this database was interrupted" in result.output
        assert "are dropped and the migration starts over" in result.output
        assert not (data / postgres_server.MIGRATING_FILE).exists()
        from annotation.labelstudio.client import connect

        assert connect(load_settings(tmp_path / ".env")).users.whoami().email == server.ADMIN_USER
    finally:
        runner.invoke(app, ["server", "stop", "--state-dir", str(state), "--pg-dir", str(tmp_path / "no-pg")])


def test_dropping_an_interrupted_first_migration_removes_only_the_current_schemas_relations(empty_database):
    db, python = empty_database, LS_VENV / "bin" / "python"
    postgres.run_sql(db, [("CREATE TABLE half (id serial PRIMARY KEY)", []),
                          ("CREATE VIEW half_view AS SELECT id FROM half", []),
                          ("CREATE SCHEMA other", []), ("CREATE TABLE other.kept (id int)", [])], python)
    assert postgres_server.user_relations(db, python) == 3          # table, its sequence, the view
    assert postgres_server.drop_user_relations(db, python) == 3
    assert postgres_server.user_relations(db, python) == 0
    assert postgres.run_sql(db, [("SELECT count(*) FROM other.kept", [])], python) == [[[0]]]


def test_a_marker_without_database_was_empty_counts_as_an_upgrade_to_resume(tmp_path):
    old, new, none = tmp_path / "old", tmp_path / "new", tmp_path / "none"
    old.write_text("Thu Dec  3 11:00:00 2026\n")
    new.write_text(json.dumps({"started": "then", "database_was_empty": True}))
    assert postgres_server._read_marker(old) == {"started": "Thu Dec  3 11:00:00 2026", "database_was_empty": False}
    assert postgres_server._read_marker(new) == {"started": "then", "database_was_empty": True}
    assert postgres_server._read_marker(none) is None


def test_workers_run_label_studio_settings_less_the_middleware_that_parses_each_body_again(tmp_path):
    """The uwsgi workers' settings module is Label Studio's own with ContextLogMiddleware dropped
    (with analytics off it only parses every request body a second time); all else is the same."""
    import subprocess

    module = postgres_server.write_settings(tmp_path)
    pkg = postgres_server.package_dir(LS_VENV)
    ini = postgres_server.uwsgi_ini("127.0.0.1", 8080, 2, pkg, settings_dir=tmp_path)
    assert f"pythonpath = {tmp_path.absolute()}" in ini.splitlines() and f"pythonpath = {pkg}" in ini.splitlines()
    code = ("import importlib, json, django; from django.conf import settings; django.setup(); "
            "base = importlib.import_module('core.settings.label_studio'); "
            "print(json.dumps([list(settings.MIDDLEWARE), list(base.MIDDLEWARE), settings.COLLECT_ANALYTICS]))")
    env = {**server.label_studio_env(tmp_path / "data", {"username": "a@b.c", "password": "x", "token": "t"}),
           "DJANGO_SETTINGS_MODULE": postgres_server.SETTINGS_MODULE, "PYTHONPATH": f"{pkg}:{module.parent}"}
    out = subprocess.run([str(LS_VENV / "bin" / "python"), "-c", code], env=env, cwd=pkg, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    ours, base, analytics = json.loads(out.stdout.strip().splitlines()[-1])
    assert "core.middleware.ContextLogMiddleware" in base and analytics is False
    assert ours == [m for m in base if m != "core.middleware.ContextLogMiddleware"]
