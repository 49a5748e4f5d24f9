"""PostgreSQL for a team-scale Label Studio: the database settings Label Studio reads, and the
embedded cluster nisba starts when no external database is named.

Label Studio reads its database from ``DJANGO_DB=default`` plus ``POSTGRE_NAME``,
``POSTGRE_USER``, ``POSTGRE_PASSWORD``, ``POSTGRE_HOST`` and ``POSTGRE_PORT``; ``Database``
holds those five and turns a ``postgresql://user:password@host:port/name`` URL into them.

The embedded cluster (``nisba server start --database postgres``) is Debian's PostgreSQL
(package ``postgresql``, installed by ``make postgres-deps`` as root; any ``initdb`` and
``postgres`` on PATH or under /usr/lib/postgresql/*/bin will do):

    <pg_dir>/data/                 the cluster (initdb), mode 700
    <pg_dir>/postgres.pid          JSON: pid, process start time, port
    <pg_dir>/postgres.log          the server's log
    <pg_dir>/nisba-postgres.json   user, password, database, port (mode 600)

It listens on 127.0.0.1 only (no unix socket), with scram-sha-256 password authentication
and a generated password. PostgreSQL refuses to run as root, so as root the cluster belongs
to, and runs as, Debian's ``postgres`` system user. ``stop`` ends only the postmaster this
pid file names (fast shutdown: open transactions are rolled back).

Database calls (check a login, create a database) go through psycopg in Label Studio's own
virtual environment (Label Studio depends on it), so nisba's environment needs no driver and
an external database needs no PostgreSQL client on this machine.

Not handled here: Label Studio's processes (postgres_server.py, server.py).
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping
from urllib.parse import quote, unquote, urlsplit

from annotation.errors import NisbaError
# one lifecycle toolkit for both servers (psutil for pids, private files, reaping our children)
from annotation.labelstudio.server import _alive, _proc_cmdline as _cmdline, _proc_start_time, _reap, \
    _same_start, _tail, _write_private, port_in_use

PG_DIR = Path(".nisba/postgres")
DEFAULT_PG_PORT = 5433          # beside, not on, a system PostgreSQL's 5432
DEFAULT_DB_NAME = "labelstudio"
DEFAULT_DB_USER = "nisba"
PG_PID_FILE = "postgres.pid"
PG_LOG_FILE = "postgres.log"
PG_CREDENTIALS = "nisba-postgres.json"
SYSTEM_USER = "postgres"        # Debian's account for the server when nisba runs as root
INSTALL_HINT = ("install Debian's PostgreSQL: `make postgres-deps` as root "
                "(or `sudo apt-get install postgresql`), or point nisba at an external server "
                "with --database-url postgresql://USER:PASSWORD@HOST:PORT/NAME")
# POSTGRE_* as Label Studio spells them (it also reads them with a LABEL_STUDIO_ prefix)
ENV_KEYS = ("POSTGRE_NAME", "POSTGRE_USER", "POSTGRE_PASSWORD", "POSTGRE_HOST", "POSTGRE_PORT")


@dataclass(frozen=True)
class Database:
    """Where Label Studio's PostgreSQL database is and how to log in (the password never shows)."""

    host: str
    port: int
    name: str
    user: str
    password: str = field(default="", repr=False)

    @classmethod
    def from_url(cls, url: str) -> "Database":
        """``postgresql://user:password@host:port/name`` (``postgres://`` too; port default 5432)."""
        parts = urlsplit(url)
        if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
            raise NisbaError(f"--database-url must look like postgresql://USER:PASSWORD@HOST:PORT/NAME, "
                             f"not {redact_url(url)!r}")
        try:
            port = parts.port or 5432
        except ValueError:
            raise NisbaError(f"bad port in --database-url {redact_url(url)!r}") from None
        return cls(host=parts.hostname, port=port, name=unquote(parts.path.lstrip("/")) or "postgres",
                   user=unquote(parts.username or "postgres"), password=unquote(parts.password or ""))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Database | None":
        """The POSTGRE_* (or LABEL_STUDIO_POSTGRE_*) variables, None when none is set."""
        environ = os.environ if environ is None else environ

        def get(key: str) -> str | None:
            return environ.get(key) or environ.get(f"LABEL_STUDIO_{key}")

        if not any(get(k) for k in ENV_KEYS):
            return None
        try:
            port = int(get("POSTGRE_PORT") or 5432)
        except ValueError:
            raise NisbaError(f"POSTGRE_PORT={get('POSTGRE_PORT')!r} is not a port number") from None
        return cls(host=get("POSTGRE_HOST") or "localhost", port=port,
                   name=get("POSTGRE_NAME") or "postgres", user=get("POSTGRE_USER") or "postgres",
                   password=get("POSTGRE_PASSWORD") or "")

    def url(self, with_password: bool = True) -> str:
        secret = f":{quote(self.password, safe='')}" if with_password and self.password else (
            ":***" if self.password else "")
        return f"postgresql://{quote(self.user, safe='')}{secret}@{self.host}:{self.port}/{quote(self.name, safe='')}"

    def redacted(self) -> str:
        return self.url(with_password=False)

    def django_env(self) -> dict[str, str]:
        """The environment that puts Label Studio on this database."""
        return {"DJANGO_DB": "default", "POSTGRE_NAME": self.name, "POSTGRE_USER": self.user,
                "POSTGRE_PASSWORD": self.password, "POSTGRE_HOST": self.host, "POSTGRE_PORT": str(self.port)}

    def with_name(self, name: str) -> "Database":
        return Database(self.host, self.port, name, self.user, self.password)


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


# --- talking to a database (psycopg in Label Studio's venv) -----------------------------------

_SQL_SCRIPT = r"""
import json, sys
args = json.load(sys.stdin)
try:
    import psycopg
except ImportError as exc:
    print(json.dumps({"error": "import", "detail": str(exc)})); sys.exit(3)
try:
    with psycopg.connect(host=args["host"], port=args["port"], user=args["user"], password=args["password"],
                         dbname=args["dbname"], connect_timeout=args["timeout"], autocommit=True) as conn:
        rows = []
        for sql, params in args["sql"]:
            cur = conn.execute(sql, params)
            rows.append(cur.fetchall() if cur.description else None)
except psycopg.Error as exc:
    print(json.dumps({"error": type(exc).__name__, "sqlstate": getattr(exc, "sqlstate", None), "detail": str(exc)}))
    sys.exit(3)
print(json.dumps({"rows": rows}, default=str))
"""


def run_sql(db: Database, statements: list[tuple[str, list]], python: Path, timeout: float = 10.0,
            dbname: str | None = None) -> list:
    """Run SQL statements (autocommit) on ``db`` with ``python``'s psycopg; the result rows of
    each. A failure to log in or connect raises NisbaError saying what to do."""
    args = {"host": db.host, "port": db.port, "user": db.user, "password": db.password,
            "dbname": dbname or db.name, "timeout": max(1, int(timeout)), "sql": statements}
    proc = subprocess.run([str(python), "-c", _SQL_SCRIPT], input=json.dumps(args), capture_output=True,
                          text=True, timeout=timeout + 30)
    try:
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise NisbaError(f"could not talk to PostgreSQL at {db.host}:{db.port} with {python} "
                         f"(exit {proc.returncode}): {proc.stderr.strip()[-500:]}") from None
    if "error" in out:
        raise explain_db_error(db, out.get("detail", ""), out.get("sqlstate"))
    return out["rows"]


def explain_db_error(db: Database, detail: str, sqlstate: str | None = None) -> NisbaError:
    """A PostgreSQL error turned into what to do about it."""
    where = f"PostgreSQL at {db.host}:{db.port}"
    text = detail.lower()
    if "password authentication failed" in text or sqlstate == "28P01":
        return NisbaError(f"{where} refused the password for user {db.user!r}: fix the password in "
                          f"--database-url (or POSTGRE_PASSWORD); for nisba's own cluster it is in "
                          f"{PG_DIR / PG_CREDENTIALS} and .env (NISBA_POSTGRES_URL)")
    if "connection refused" in text or "could not connect" in text or "timeout" in text:
        return NisbaError(f"no PostgreSQL answers at {db.host}:{db.port} ({detail.strip().splitlines()[0][:200]}); "
                          f"start it (`nisba server start --database postgres` starts nisba's own), "
                          f"or fix the host and port of --database-url")
    if sqlstate == "3D000" or ("database" in text and "does not exist" in text):
        return NisbaError(f"{where} has no database {db.name!r}: create it (CREATE DATABASE {db.name} "
                          f"OWNER {db.user}) or name another in --database-url")
    if "shutting down" in text or "terminating connection" in text or "starting up" in text:
        return NisbaError(f"{where} is starting up or shutting down ({detail.strip()[:200]}); "
                          f"try again once it is up")
    return NisbaError(f"{where}: {detail.strip()[:500]}")


def check_database(db: Database, python: Path, timeout: float = 10.0) -> str:
    """Log in to ``db`` and return the server's version; NisbaError naming what to fix otherwise."""
    rows = run_sql(db, [("SHOW server_version", [])], python, timeout)
    return rows[0][0][0]


def database_exists(db: Database, python: Path) -> bool:
    rows = run_sql(db, [("SELECT 1 FROM pg_database WHERE datname = %s", [db.name])], python, dbname="postgres")
    return bool(rows[0])


def create_database(db: Database, python: Path, template: str | None = None) -> bool:
    """Create ``db.name`` owned by ``db.user`` (from ``template`` when given); False if it exists."""
    if database_exists(db, python):
        return False
    sql = f'CREATE DATABASE "{db.name}" OWNER "{db.user}"' + (f' TEMPLATE "{template}"' if template else "")
    run_sql(db, [(sql, [])], python, dbname="postgres", timeout=60)
    return True


def drop_database(db: Database, python: Path) -> None:
    run_sql(db, [(f'DROP DATABASE IF EXISTS "{db.name}" WITH (FORCE)', [])], python, dbname="postgres", timeout=60)


# --- the embedded cluster ---------------------------------------------------------------------

def bin_dir() -> Path:
    """The directory holding ``initdb``, ``postgres`` and ``pg_isready`` (newest Debian version)."""
    override = os.environ.get("NISBA_PG_BIN")
    candidates = [Path(override)] if override else []
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"),
                         key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0, reverse=True)
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).resolve().parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "postgres").exists():
            return c
    raise NisbaError(f"PostgreSQL's server programs (initdb, postgres) are not installed; {INSTALL_HINT}")


def _run_as() -> dict:
    """Popen arguments that run the server as Debian's postgres user when we are root."""
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        raise NisbaError(f"PostgreSQL does not run as root and there is no {SYSTEM_USER!r} user to run it as; "
                         f"{INSTALL_HINT}") from None
    return {"user": SYSTEM_USER, "group": SYSTEM_USER, "extra_groups": []}


def _give_to_server_user(path: Path) -> None:
    if os.geteuid() == 0:
        shutil.chown(path, SYSTEM_USER, SYSTEM_USER)


def _check_reachable(path: Path) -> None:
    """As root the server runs as SYSTEM_USER: every folder above the cluster must let it through."""
    if os.geteuid() != 0:
        return
    for folder in [p for p in Path(path).absolute().parents if p.exists()]:
        mode = folder.stat().st_mode
        if not mode & 0o001 and folder.stat().st_uid != pwd.getpwnam(SYSTEM_USER).pw_uid:
            raise NisbaError(f"PostgreSQL runs as the {SYSTEM_USER!r} user (it refuses root) and cannot enter "
                             f"{folder} (mode {oct(mode & 0o777)}) to reach {path}; choose another --pg-dir, "
                             f"or `chmod o+x {folder}`")



def cluster_credentials(pg_dir: Path) -> dict | None:
    try:
        return json.loads((Path(pg_dir) / PG_CREDENTIALS).read_text())
    except (OSError, ValueError):
        return None


def ensure_cluster(pg_dir: Path = PG_DIR, say: Callable[[str], None] = print) -> dict:
    """Initialise the cluster once (a half-made one from an interrupted initdb is redone);
    return its credentials ``{user, password, database}``."""
    pg_dir = Path(pg_dir).absolute()
    data = pg_dir / "data"
    creds = cluster_credentials(pg_dir)
    if creds and (data / "PG_VERSION").exists():
        return creds
    if data.exists() and not (data / "PG_VERSION").exists():
        say(f"Removing {data}: an earlier initdb did not finish")
        shutil.rmtree(data)
    elif data.exists():
        raise NisbaError(f"{data} holds a PostgreSQL cluster but not {PG_CREDENTIALS}, so nisba does not know "
                         f"its password; remove {pg_dir} to start afresh, or use it with --database-url")
    exe = bin_dir()
    _check_reachable(pg_dir)
    pg_dir.mkdir(parents=True, exist_ok=True)
    creds = {"format_version": 1, "user": DEFAULT_DB_USER, "password": secrets.token_urlsafe(24),
             "database": DEFAULT_DB_NAME}
    data.mkdir(mode=0o700)
    _give_to_server_user(data)
    pwfile = pg_dir / ".initdb-password"
    _write_private(pwfile, creds["password"] + "\n")
    _give_to_server_user(pwfile)
    say(f"Initialising a PostgreSQL cluster in {data} ...")
    try:
        proc = subprocess.run(
            [str(exe / "initdb"), "-D", str(data), "-U", creds["user"], f"--pwfile={pwfile}",
             "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"],
            capture_output=True, text=True, **_run_as())
    finally:
        pwfile.unlink(missing_ok=True)
    if proc.returncode != 0:
        shutil.rmtree(data, ignore_errors=True)
        raise NisbaError(f"initdb failed (exit {proc.returncode}): {(proc.stderr or proc.stdout).strip()[-800:]}")
    _write_private(pg_dir / PG_CREDENTIALS, json.dumps(creds, indent=2) + "\n")
    return creds


def _is_our_postmaster(pid: int, data: Path, start_time: str | None = None) -> bool:
    if pid <= 0 or not _alive(pid):
        return False
    if start_time and not _same_start(pid, start_time):
        return False
    return "postgres" in _cmdline(pid) and str(data) in _cmdline(pid)


def running_postgres(pg_dir: Path = PG_DIR) -> dict | None:
    """The pid record of our running postmaster; a stale pid file is removed. A postmaster of
    this cluster that lost its nisba pid file (its own postmaster.pid names it) is adopted."""
    pg_dir = Path(pg_dir).absolute()
    data = pg_dir / "data"
    path = pg_dir / PG_PID_FILE
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        record = None
    if record and _is_our_postmaster(int(record.get("pid", 0)), data, record.get("start_time")):
        return record
    path.unlink(missing_ok=True)
    try:  # postgres's own lock file: first line the pid, fourth the port
        lines = (data / "postmaster.pid").read_text().splitlines()
        pid, port = int(lines[0]), int(lines[3])
    except (OSError, ValueError, IndexError):
        return None
    if not _is_our_postmaster(pid, data):
        return None
    record = {"format_version": 1, "pid": pid, "start_time": _proc_start_time(pid), "port": port,
              "host": "127.0.0.1", "data": str(data)}
    _write_private(path, json.dumps(record, indent=2) + "\n")
    return record


@dataclass(frozen=True)
class ClusterInfo:
    database: Database
    pid: int
    already_running: bool = False
    seconds: float = 0.0


def start_postgres(pg_dir: Path = PG_DIR, port: int = DEFAULT_PG_PORT, python: Path | None = None,
                   timeout: float = 60.0, say: Callable[[str], None] = print) -> ClusterInfo:
    """Start the embedded cluster (initialised first if needed) on 127.0.0.1:``port``, create its
    Label Studio database, and return how to reach it. A second start is a no-op."""
    t0 = time.monotonic()
    pg_dir = Path(pg_dir).absolute()
    data = pg_dir / "data"
    record = running_postgres(pg_dir)
    if record is not None:
        creds = ensure_cluster(pg_dir, say)
        db = Database("127.0.0.1", int(record["port"]), creds["database"], creds["user"], creds["password"])
        return ClusterInfo(db, int(record["pid"]), already_running=True, seconds=time.monotonic() - t0)
    if port_in_use("127.0.0.1", port):
        raise NisbaError(f"the database port {port} on 127.0.0.1 is already in use by another program; "
                         f"choose another with --database-port, or stop that program")
    creds = ensure_cluster(pg_dir, say)
    exe = bin_dir()
    log_path = pg_dir / PG_LOG_FILE
    with open(log_path, "ab") as log:
        log.write(f"\n=== nisba: starting postgres on 127.0.0.1:{port} at {time.ctime()} ===\n".encode())
        log.flush()
        proc = subprocess.Popen(
            [str(exe / "postgres"), "-D", str(data), "-c", "listen_addresses=127.0.0.1", "-c", f"port={port}",
             "-c", "unix_socket_directories=", "-c", "max_connections=200"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            **_run_as())
    record = {"format_version": 1, "pid": proc.pid, "start_time": _proc_start_time(proc.pid), "port": port,
              "host": "127.0.0.1", "data": str(data)}
    _write_private(pg_dir / PG_PID_FILE, json.dumps(record, indent=2) + "\n")
    deadline = time.monotonic() + timeout
    while not _ready(exe, port):
        if proc.poll() is not None:
            (pg_dir / PG_PID_FILE).unlink(missing_ok=True)
            tail = _tail(log_path)
            hint = (f"the database port {port} is busy; choose another with --database-port"
                    if "address already in use" in tail.lower() else f"see {log_path}")
            raise NisbaError(f"PostgreSQL exited with code {proc.returncode} before accepting connections "
                             f"({hint}); last lines of its log:\n{tail}")
        if time.monotonic() > deadline:
            stop_postgres(pg_dir)
            raise NisbaError(f"PostgreSQL did not accept connections on 127.0.0.1:{port} within "
                             f"{timeout:.0f} s; see {log_path}")
        time.sleep(0.2)
    db = Database("127.0.0.1", port, creds["database"], creds["user"], creds["password"])
    if python is not None:
        create_database(db, python)
    return ClusterInfo(db, proc.pid, seconds=time.monotonic() - t0)


def _ready(exe: Path, port: int) -> bool:
    proc = subprocess.run([str(exe / "pg_isready"), "-q", "-h", "127.0.0.1", "-p", str(port), "-t", "2"],
                          capture_output=True)
    return proc.returncode == 0


def stop_postgres(pg_dir: Path = PG_DIR, timeout: float = 60.0) -> bool:
    """Fast shutdown of our postmaster (SIGINT, then SIGQUIT); False when none was running."""
    record = running_postgres(pg_dir)
    if record is None:
        return False
    pid = int(record["pid"])
    for sig, wait in ((signal.SIGINT, timeout), (signal.SIGQUIT, 10.0), (signal.SIGKILL, 10.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            _reap(pid)
            if not _alive(pid):
                break
            time.sleep(0.1)
        if not _alive(pid):
            break
    (Path(pg_dir) / PG_PID_FILE).unlink(missing_ok=True)
    return True


def postgres_status(pg_dir: Path = PG_DIR) -> dict:
    record = running_postgres(pg_dir)
    if record is None:
        return {"running": False}
    return {"running": True, "pid": int(record["pid"]), "port": int(record["port"]),
            "data": record.get("data", ""),
            "accepting": _ready(bin_dir(), int(record["port"]))}
