"""Label Studio at team scale: PostgreSQL behind it and several uwsgi worker processes in front.

``nisba server start --database postgres [--workers N]`` (``start`` here):

1. the database: nisba's own PostgreSQL cluster (postgres.py; started, its database created),
   or an external one named by ``--database-url`` or the POSTGRE_* variables (then only its
   login is checked and nothing else is started);
2. the schema: Label Studio's migrations and the admin user with its API token, run once per
   database by ``label-studio init`` (``<data_dir>/nisba-migrated.json`` records that it
   finished; ``nisba-migrating`` says that one was interrupted, and the next start runs
   ``init`` again: Django applies the migrations not yet recorded. Label Studio marks some of
   its migrations ``atomic = False`` (tasks 0002 renames two tables outside a transaction), so a
   migration cut there cannot be resumed; when the database held no tables before the first
   migration began (the marker records it), the next start drops what that migration made and
   starts over instead, since nothing in it can be anyone's data);
3. the server: uwsgi (Label Studio's own ``uwsgi`` extra, as in its Docker image) serving
   ``core.wsgi:application`` from the installed ``label_studio`` package with N processes
   (default twice the cores), bound to 127.0.0.1, static files mapped straight from
   ``core/static_build``, from ``<state_dir>/label-studio-uwsgi.ini``. Its pid record in
   ``<state_dir>/server.pid`` is server.py's, with ``database``, ``workers`` and ``pg_dir`` added,
   so ``server.stop``/``server.status`` and the stale-pid handling work unchanged (the ini file's
   name keeps "label-studio" in the master's command line, which server.py's check looks for).

``stop`` ends Label Studio (its whole process group), then nisba's own PostgreSQL, and nothing
else. Settings are the same as the SQLite server's (server.py): the admin login and token in
``.env``, plus ``NISBA_POSTGRES_URL`` for nisba's own cluster (for psql; mode 600).

Not handled here: the cluster itself (postgres.py), Django's single-process server (server.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Callable

from annotation.errors import NisbaError
from annotation.labelstudio import postgres, server
from annotation.labelstudio.postgres import Database
from annotation.labelstudio.settings import write_env

UWSGI_INI = "label-studio-uwsgi.ini"
MIGRATED_FILE = "nisba-migrated.json"
MIGRATING_FILE = "nisba-migrating"
POSTGRES_URL_KEY = "NISBA_POSTGRES_URL"


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1)


def default_data_dir(state_dir: Path) -> Path:
    """Media and the admin credentials of the PostgreSQL-backed server (apart from SQLite's data/)."""
    return Path(state_dir) / "data-postgres"


def package_dir(venv: Path) -> Path:
    found = sorted(Path(venv).glob("lib/python*/site-packages/label_studio/core/wsgi.py"))
    if not found:
        raise NisbaError(f"no label_studio package in {venv}; remove {venv} and start again to reinstall it")
    return found[-1].parent.parent


def ensure_uwsgi(venv: Path, say: Callable[[str], None] = print) -> Path:
    """uwsgi in Label Studio's venv, from Label Studio's own ``uwsgi`` extra (its pinned pyuwsgi)."""
    exe = Path(venv) / "bin" / "uwsgi"
    if exe.exists():
        return exe
    version = getattr(server, "LABEL_STUDIO_VERSION", None) or server.installed_version(venv)
    spec = f"label-studio[uwsgi]=={version}" if version else "label-studio[uwsgi]"
    say(f"Installing uwsgi into {venv} ({spec}) ...")
    proc = subprocess.run([str(Path(venv) / "bin" / "python"), "-m", "pip", "install", "-q",
                           "--progress-bar", "off", spec])
    if proc.returncode != 0 or not exe.exists():
        raise NisbaError(f"installing {spec} into {venv} failed (pip exit {proc.returncode}); see the pip output above")
    return exe


# The workers' Django settings: Label Studio's own, less ContextLogMiddleware. That middleware
# parses every request body as JSON to send it with usage analytics, which nisba turns off
# (COLLECT_ANALYTICS=false), so all it does is parse each body a second time (Django REST
# framework parses it for the view): on a push, megabytes of predictions per request.
SETTINGS_MODULE = "nisba_label_studio_settings"
SETTINGS_SOURCE = '''"""Written by nisba (annotation/labelstudio/postgres_server.py) for its uwsgi workers."""
# base first: importing label_studio's settings reads django.conf.settings (Sentry), which is this
# module, half made, at that moment; with base's names in it, that read sees what it would see
# with DJANGO_SETTINGS_MODULE=core.settings.label_studio
from core.settings.base import *  # noqa: F401,F403
from core.settings.label_studio import *  # noqa: F401,F403

# COLLECT_ANALYTICS is false: ContextLogMiddleware would only parse each request body a second time
MIDDLEWARE = [m for m in MIDDLEWARE if m != "core.middleware.ContextLogMiddleware"]  # noqa: F405
'''


def write_settings(state_dir: Path) -> Path:
    """The workers' settings module (``SETTINGS_MODULE``) in ``state_dir``, put on uwsgi's pythonpath."""
    path = Path(state_dir) / f"{SETTINGS_MODULE}.py"
    path.write_text(SETTINGS_SOURCE, encoding="utf-8")
    return path


def uwsgi_ini(host: str, port: int, workers: int, pkg: Path, settings_dir: Path | None = None) -> str:
    """The uwsgi config: Label Studio's Docker settings (harakiri 120, http-timeout 300), on 127.0.0.1;
    ``settings_dir`` holds the workers' settings module (``write_settings``)."""
    return "\n".join([
        "[uwsgi]",
        "master = true",
        f"http = {host}:{port}",
        f"chdir = {pkg}",
        f"pythonpath = {pkg}",
        *([f"pythonpath = {Path(settings_dir).absolute()}"] if settings_dir is not None else []),
        "module = core.wsgi:application",
        f"processes = {workers}",
        "lazy-apps = true",          # each worker opens its own database connections after the fork
        "need-app = true",
        "die-on-term = true",
        "harakiri = 120",
        "http-timeout = 300",
        "http-keepalive = 1",        # HTTP/1.1 keep-alive: clients (httpx) reuse their connections
        "http-auto-chunked = true",  # a response without Content-Length stays keep-alive, chunked
        "socket-timeout = 300",
        "buffer-size = 65535",
        "post-buffering = 65536",
        f"static-map = /static={pkg / 'core' / 'static_build'}",
        "static-expires = /* 3600",
        "disable-logging = true",    # no line per request; errors and tracebacks still logged
        "vacuum = true",
        "",
    ])


def label_studio_env(data_dir: Path, creds: dict, db: Database, url: str) -> dict:
    """The environment of every Label Studio process on PostgreSQL (the same settings as server.py's)."""
    return {
        **server.label_studio_env(data_dir, creds),
        **db.django_env(),
        "DJANGO_SETTINGS_MODULE": "core.settings.label_studio",
        "LABEL_STUDIO_HOST": url,
    }


def _stamp(db: Database) -> dict:
    return {"format_version": 1, "database": db.redacted(),
            "label_studio": getattr(server, "LABEL_STUDIO_VERSION", None) or ""}


def mark_migrated(data_dir: Path, db: Database) -> None:
    """Record that ``db`` holds Label Studio's schema and this data dir's admin (e.g. a copy of a
    migrated template database), so the next start does not run ``init`` again."""
    server._write_private(Path(data_dir) / MIGRATED_FILE, json.dumps(_stamp(db), indent=2) + "\n")


_RELATIONS = ("FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
              "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')")
# every relation of the current schema owned by the login, views first, then tables, then sequences
_DROP_RELATIONS = f"""DO $$ DECLARE r record; BEGIN
FOR r IN SELECT c.relkind AS kind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS name {_RELATIONS}
    AND pg_get_userbyid(c.relowner) = current_user
    ORDER BY CASE c.relkind WHEN 'v' THEN 0 WHEN 'm' THEN 1 WHEN 'S' THEN 3 ELSE 2 END LOOP
  EXECUTE (CASE r.kind WHEN 'v' THEN 'DROP VIEW IF EXISTS ' WHEN 'm' THEN 'DROP MATERIALIZED VIEW IF EXISTS '
           WHEN 'f' THEN 'DROP FOREIGN TABLE IF EXISTS ' WHEN 'S' THEN 'DROP SEQUENCE IF EXISTS '
           ELSE 'DROP TABLE IF EXISTS ' END) || r.name || ' CASCADE';
END LOOP; END $$"""


def user_relations(db: Database, python: Path) -> int:
    """How many tables, views and sequences the database's current schema holds."""
    return int(postgres.run_sql(db, [(f"SELECT count(*) {_RELATIONS}", [])], python)[0][0][0])


def drop_user_relations(db: Database, python: Path) -> int:
    """Drop every table, view and sequence of the current schema that the login owns (what an
    interrupted first migration made); how many there were."""
    rows = postgres.run_sql(db, [(f"SELECT count(*) {_RELATIONS}", []), (_DROP_RELATIONS, [])], python, timeout=120)
    return int(rows[0][0][0])


def _read_marker(marker: Path) -> dict | None:
    """The interrupted-migration marker, or None when there is none. A marker from before
    nisba recorded ``database_was_empty`` (a bare time) counts as an upgrade: resumed, not dropped."""
    try:
        text = marker.read_text()
    except OSError:
        return None
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    return value if isinstance(value, dict) else {"started": text.strip(), "database_was_empty": False}


def migrate(exe: Path, env: dict, data_dir: Path, db: Database, log_path: Path,
            say: Callable[[str], None] = print, timeout: float = 900.0) -> bool:
    """Label Studio's migrations and the admin user, once per database; True when they ran now."""
    done = data_dir / MIGRATED_FILE
    stamp = _stamp(db)
    try:
        if json.loads(done.read_text()) == stamp:
            return False
    except (OSError, ValueError):
        pass
    marker = data_dir / MIGRATING_FILE
    python = Path(exe).parent / "python"
    interrupted = _read_marker(marker)
    if interrupted is None:
        was_empty = user_relations(db, python) == 0
    elif interrupted.get("database_was_empty"):
        dropped = drop_user_relations(db, python)
        say(f"An earlier first migration of this database was interrupted; the database held no tables "
            f"before it, so the {dropped} it made are dropped and the migration starts over (Label Studio "
            f"applies some migrations outside a transaction, so a cut one cannot be resumed)")
        was_empty = True
    else:
        say("An earlier migration of this database was interrupted; running it again "
            "(the migrations already applied are kept, the rest are applied now)")
        was_empty = False
    server._write_private(marker, json.dumps({"started": time.ctime(), "database_was_empty": was_empty}) + "\n")
    say(f"Migrating the Label Studio database {db.redacted()} and creating the admin user ...")
    t0 = time.monotonic()
    with open(log_path, "ab") as log:
        log.write(f"\n=== nisba: label-studio init on {db.redacted()} at {time.ctime()} ===\n".encode())
        log.flush()
        try:
            # `label-studio` picks its own settings module (label_studio.core.settings.label_studio)
            cli_env = {k: v for k, v in env.items() if k != "DJANGO_SETTINGS_MODULE"}
            proc = subprocess.run([str(exe), "init", "--quiet", "--enable-legacy-api-token"],
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=cli_env,
                                  timeout=timeout, start_new_session=True)
            code = proc.returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    if code != 0:
        raise NisbaError(f"Label Studio's migrations on {db.redacted()} failed (exit {code}); run the same "
                         f"`nisba server start` again to resume them (applied migrations are kept). "
                         f"Last lines of {log_path}:\n{server._tail(log_path)}")
    mark_migrated(data_dir, db)
    marker.unlink(missing_ok=True)
    say(f"Database ready in {time.monotonic() - t0:.0f} s")
    return True


def start(
    port: int = server.DEFAULT_PORT,
    host: str = server.DEFAULT_HOST,
    state_dir: Path = server.STATE_DIR,
    data_dir: Path | None = None,
    env_file: Path | None = Path(".env"),
    timeout: float = 900.0,
    venv: Path | None = None,
    workers: int | None = None,
    database: Database | None = None,
    pg_dir: Path = postgres.PG_DIR,
    pg_port: int = postgres.DEFAULT_PG_PORT,
    say: Callable[[str], None] = print,
) -> server.ServerInfo:
    """Start PostgreSQL (unless ``database`` names an external one) and Label Studio on it with
    ``workers`` uwsgi processes; a second start is a no-op. Returns the URL and token."""
    t0 = time.monotonic()
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    workers = workers or default_workers()
    if workers < 1:
        raise NisbaError(f"--workers must be at least 1, not {workers}")
    record = server.running_server(state_dir)
    if record is not None:
        return _already_running(record, state_dir, env_file, timeout, t0)

    data_dir = Path(data_dir or default_data_dir(state_dir)).resolve()
    url = f"http://{host}:{port}"
    if server.port_in_use(host, port):
        raise NisbaError(f"port {port} on {host} is already in use by another program; choose another with --port")
    venv = Path(venv or server.venv_dir(state_dir)).absolute()
    exe = server.ensure_installed(venv, say).absolute()
    uwsgi = ensure_uwsgi(venv, say).absolute()
    python = (venv / "bin" / "python").absolute()

    own_pg = database is None
    if own_pg:
        cluster = postgres.start_postgres(pg_dir, pg_port, python=python, say=say)
        database = cluster.database
        say(f"PostgreSQL {'is already running' if cluster.already_running else 'is up'} on "
            f"{database.host}:{database.port} (pid {cluster.pid})")
    version = postgres.check_database(database, python)   # a wrong password or host: said here, clearly

    creds = server.credentials(data_dir)
    env = label_studio_env(data_dir, creds, database, url)
    log_path = state_dir / server.LOG_FILE
    migrate(exe, env, data_dir, database, log_path, say)

    ini = state_dir / UWSGI_INI
    write_settings(state_dir)
    ini.write_text(uwsgi_ini(host, port, workers, package_dir(venv), settings_dir=state_dir))
    with open(log_path, "ab") as log:
        log.write(f"\n=== nisba: starting uwsgi ({workers} workers) on {url}, PostgreSQL {version} at "
                  f"{database.redacted()}, {time.ctime()} ===\n".encode())
        log.flush()
        proc = subprocess.Popen([str(uwsgi), "--ini", str(ini.absolute())], stdin=subprocess.DEVNULL,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**env, "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE}, cwd=str(package_dir(venv)))
    record = {"format_version": 1, "pid": proc.pid, "start_time": server._proc_start_time(proc.pid),
              "host": host, "port": port, "url": url, "data_dir": str(data_dir),
              "database": "postgres", "database_url": database.redacted(), "workers": workers,
              "wsgi": "uwsgi", "pg_dir": str(Path(pg_dir).absolute()) if own_pg else None}
    server._write_private(state_dir / server.PID_FILE, json.dumps(record, indent=2) + "\n")
    say(f"Starting Label Studio on {url} with {workers} uwsgi workers (log: {log_path}) ...")
    deadline = time.monotonic() + timeout
    while not server.healthy(url):
        if proc.poll() is not None:
            (state_dir / server.PID_FILE).unlink(missing_ok=True)
            raise NisbaError(f"uwsgi exited with code {proc.returncode} before answering on {url}; "
                             f"last lines of {log_path}:\n{server._tail(log_path)}")
        if time.monotonic() > deadline:
            server.stop(state_dir)
            raise NisbaError(f"Label Studio did not answer {url}/health within {timeout:.0f} s; see {log_path}")
        time.sleep(0.5)
    if env_file:
        _write_settings(env_file, url, creds, database if own_pg else None)
    return server.ServerInfo(url, creds["token"], proc.pid, data_dir, seconds=time.monotonic() - t0)


def _already_running(record: dict, state_dir: Path, env_file: Path | None, timeout: float,
                     t0: float) -> server.ServerInfo:
    if record.get("database") != "postgres":
        raise NisbaError(f"Label Studio on SQLite is already running at {record['url']} (pid {record['pid']}); "
                         f"stop it with `nisba server stop` before starting it on PostgreSQL")
    creds = server.credentials(Path(record["data_dir"]))
    deadline = time.monotonic() + timeout
    while not server.healthy(record["url"]):
        if time.monotonic() > deadline or not server._is_ours(record):
            raise NisbaError(f"Label Studio (pid {record['pid']}) does not answer {record['url']}/health; see "
                             f"{state_dir / server.LOG_FILE}, or `nisba server stop` and start again")
        time.sleep(0.5)
    if env_file:
        own = None
        if record.get("pg_dir"):
            pg = postgres.running_postgres(Path(record["pg_dir"]))
            pg_creds = postgres.cluster_credentials(Path(record["pg_dir"]))
            if pg and pg_creds:
                own = Database("127.0.0.1", int(pg["port"]), pg_creds["database"], pg_creds["user"],
                               pg_creds["password"])
        _write_settings(env_file, record["url"], creds, own)
    return server.ServerInfo(record["url"], creds["token"], int(record["pid"]), Path(record["data_dir"]),
                             already_running=True, seconds=time.monotonic() - t0)


def _write_settings(env_file: Path, url: str, creds: dict, own_db: Database | None) -> None:
    server._write_settings(env_file, url, creds)
    if own_db is not None:
        write_env(env_file, {POSTGRES_URL_KEY: own_db.url()})


def stop(state_dir: Path = server.STATE_DIR, pg_dir: Path | None = None, timeout: float = 60.0) -> tuple[bool, bool]:
    """Stop Label Studio, then nisba's own PostgreSQL (the record's, else ``pg_dir``'s).
    Returns (Label Studio was running, PostgreSQL was running)."""
    record = server.read_pid_file(state_dir) or {}
    ls_stopped = server.stop(state_dir, timeout=timeout)
    own = record.get("pg_dir") or pg_dir
    pg_stopped = postgres.stop_postgres(Path(own), timeout=timeout) if own else False
    return ls_stopped, pg_stopped


def status(state_dir: Path = server.STATE_DIR, pg_dir: Path | None = None) -> dict:
    """Both processes: Label Studio (with its database, workers) and nisba's own PostgreSQL."""
    info = server.status(state_dir)
    record = server.read_pid_file(state_dir) or {}
    if info["running"]:
        info.update(database=record.get("database", "sqlite"), workers=record.get("workers", 1),
                    database_url=record.get("database_url"), wsgi=record.get("wsgi", "runserver"))
    own = record.get("pg_dir") or pg_dir
    info["postgres"] = postgres.postgres_status(Path(own)) if own else {"running": False}
    return info
