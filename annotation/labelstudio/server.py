"""The embedded Label Studio server: install, start, wait for /health, report, stop.

Label Studio lives in its own virtual environment (``.nisba/labelstudio/venv``), apart from
the ML stack, because ``pip install label-studio`` pins its own dependencies. Its state:

    <state_dir>/server.pid      JSON: pid, process start time, host, port, url, data_dir
    <state_dir>/server.log      the server's stdout and stderr
    <data_dir>/                 Label Studio's SQLite database and media (LABEL_STUDIO_BASE_DATA_DIR);
                                mode 700 (the database holds the token): a start tightens it
    <data_dir>/nisba-admin.json the admin user, password and API token of that database (mode 600)

The admin user and an API token are made with no browser step: the first start of a data
dir passes LABEL_STUDIO_USERNAME/PASSWORD/USER_TOKEN and LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN
(new organizations have legacy tokens off, and then a fixed user token is refused with 401).
The SDK accepts that token as ``api_key``. A start is a no-op when our server is already up;
a pid file whose process is gone, or whose pid now belongs to another program (checked by
command line and start time), is removed. ``stop`` ends only the process group it started.

Not handled here: reading settings for other commands (settings.py) or talking to the
API (client.py and the modules beside it). PostgreSQL: not handled (SQLite only).
"""

from __future__ import annotations

import json
import os
import secrets
import stat
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import httpx

from annotation.errors import NisbaError
from annotation.labelstudio.settings import TOKEN_KEY, URL_KEY, write_env

STATE_DIR = Path(".nisba/labelstudio")
DEFAULT_PORT = 8080
DEFAULT_HOST = "127.0.0.1"
ADMIN_USER = "admin@nisba.local"
CREDENTIALS_FILE = "nisba-admin.json"
PID_FILE = "server.pid"
PREDICTION_IMPORT_FLAG = "fflag_fix_back_4620_memory_efficient_predictions_import_08012025_short"
LOG_FILE = "server.log"
# The one pin of the server: the code relies on this version's dated feature flag
# (PREDICTION_IMPORT_FLAG) and on label-studio-sdk's client internals (client.py's _request).
LABEL_STUDIO_VERSION = "1.23.2"
PACKAGE = f"label-studio=={LABEL_STUDIO_VERSION}"

# Quiet, offline, no telemetry: no version check against PyPI, no Sentry, no analytics.
QUIET_ENV = {
    "LATEST_VERSION_CHECK": "false",
    "COLLECT_ANALYTICS": "false",
    "SENTRY_DSN": "",
    "FRONTEND_SENTRY_DSN": "",
    "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true",
}


@dataclass(frozen=True)
class ServerInfo:
    url: str
    token: str
    pid: int
    data_dir: Path
    already_running: bool = False
    seconds: float = 0.0

    def __repr__(self) -> str:  # never show the token
        return (f"ServerInfo(url={self.url!r}, pid={self.pid}, data_dir={str(self.data_dir)!r}, "
                f"already_running={self.already_running}, seconds={self.seconds:.1f})")


def venv_dir(state_dir: Path = STATE_DIR) -> Path:
    return Path(state_dir) / "venv"


def label_studio_bin(venv: Path) -> Path:
    return Path(venv) / "bin" / "label-studio"


def installed_version(venv: Path) -> str | None:
    """The label-studio version installed in ``venv`` (from its dist-info), None when absent."""
    found = sorted(Path(venv).glob("lib/python*/site-packages/label_studio-*.dist-info"))
    return found[-1].name[len("label_studio-"):-len(".dist-info")] if found else None


def ensure_installed(venv: Path, say: Callable[[str], None] = print) -> Path:
    """The label-studio executable, installing the pinned version into ``venv`` first when missing or other."""
    exe = label_studio_bin(venv)
    have = installed_version(venv) if exe.exists() else None
    if exe.exists() and have in (None, LABEL_STUDIO_VERSION):
        return exe
    if have:
        say(f"{venv} holds label-studio {have}; nisba needs {LABEL_STUDIO_VERSION}")
    say(f"Installing {PACKAGE} into {venv} (about 1 GB, a few minutes; only the first time) ...")
    t0 = time.monotonic()
    python = Path(venv) / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    proc = subprocess.run([str(python), "-m", "pip", "install", "--progress-bar", "off", PACKAGE])
    if proc.returncode != 0 or not exe.exists():
        raise NisbaError(f"installing {PACKAGE} into {venv} failed (pip exit {proc.returncode}); "
                         f"see the pip output above")
    say(f"Installed {PACKAGE} in {time.monotonic() - t0:.0f} s")
    return exe


# --- processes ------------------------------------------------------------------------

def _proc_start_time(pid: int) -> str | None:
    """When a process started (psutil's create_time, as text), None if it is gone: with the pid,
    it names one process even after the pid is reused."""
    import psutil

    try:
        return repr(psutil.Process(pid).create_time())
    except (psutil.Error, ValueError):
        return None


def _proc_cmdline(pid: int) -> str:
    import psutil

    try:
        return " ".join(psutil.Process(pid).cmdline())
    except (psutil.Error, ValueError):
        return ""


def _alive(pid: int) -> bool:
    """The process exists and is no zombie (one we may not signal counts as alive)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.AccessDenied:
        return True
    except (psutil.Error, ValueError):
        return False


def read_pid_file(state_dir: Path) -> dict | None:
    path = Path(state_dir) / PID_FILE
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def _is_ours(record: dict) -> bool:
    """True when the pid file's process is still the label-studio we started (not a reused pid)."""
    pid = int(record.get("pid", 0))
    if pid <= 0 or not _alive(pid):
        return False
    if record.get("start_time") and not _same_start(pid, str(record["start_time"])):
        return False
    return "label-studio" in _proc_cmdline(pid)


def _same_start(pid: int, recorded: str) -> bool:
    """The process started when the pid file says; a pid file of an older nisba holds /proc's
    clock ticks since boot (digits only), which psutil's create_time is computed from."""
    now = _proc_start_time(pid)
    if now is None or not recorded.isdigit():
        return now == recorded
    import psutil

    return abs(int(recorded) / os.sysconf("SC_CLK_TCK") + psutil.boot_time() - float(now)) < 0.01


def running_server(state_dir: Path = STATE_DIR) -> dict | None:
    """The pid file's record if our server is running; a stale pid file is removed."""
    record = read_pid_file(state_dir)
    if record is None:
        return None
    if _is_ours(record):
        return record
    (Path(state_dir) / PID_FILE).unlink(missing_ok=True)
    return None


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        response = httpx.get(f"{url}/health", timeout=timeout)
    except httpx.HTTPError:
        return False
    return response.status_code == 200


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def free_port(host: str = DEFAULT_HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


# --- credentials ----------------------------------------------------------------------

def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)


def secure_data_dir(data_dir: Path) -> str | None:
    """Create the data folder mode 700, or tighten an existing one that others can read.

    The folder holds the SQLite database, which holds the API token: .env's mode 600 protects
    nothing if others can read the database. Returns what was done (tightened, or a warning when
    the mode cannot be changed), or None when the folder was already private.
    """
    data_dir = Path(data_dir)
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    mode = stat.S_IMODE(data_dir.stat().st_mode)
    if not mode & 0o077:
        return None
    try:
        os.chmod(data_dir, 0o700)
        for db in data_dir.glob("*.sqlite3*"):
            os.chmod(db, stat.S_IMODE(db.stat().st_mode) & 0o700)
    except OSError as exc:
        return (f"warning: {data_dir} is mode {mode:03o}, readable by other users, and nisba cannot tighten it "
                f"({exc.strerror or exc}); it holds the Label Studio database and its API token: "
                f"chmod 700 {data_dir}")
    return f"tightened {data_dir} from mode {mode:03o} to 700: it holds the database and its API token"


def credentials(data_dir: Path) -> dict:
    """The admin credentials of a data dir, generated (and saved, mode 600) on its first start."""
    data_dir = Path(data_dir)
    path = data_dir / CREDENTIALS_FILE
    if path.exists():
        return json.loads(path.read_text())
    if (data_dir / "label_studio.sqlite3").exists():
        raise NisbaError(
            f"{data_dir} holds a Label Studio database but not {CREDENTIALS_FILE}, so nisba does not "
            f"know its API token; start with another --data-dir, or remove {data_dir} to start afresh")
    data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    creds = {"format_version": 1, "username": ADMIN_USER,
             "password": secrets.token_urlsafe(18), "token": secrets.token_hex(20)}
    _write_private(path, json.dumps(creds, indent=2) + "\n")
    return creds


# --- lifecycle ------------------------------------------------------------------------

def label_studio_env(data_dir: Path, creds: dict) -> dict:
    """The environment every Label Studio process nisba starts gets (SQLite or PostgreSQL)."""
    return {
        **os.environ,
        **QUIET_ENV,
        "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
        "LABEL_STUDIO_USERNAME": creds["username"],
        "LABEL_STUDIO_PASSWORD": creds["password"],
        "LABEL_STUDIO_USER_TOKEN": creds["token"],
        "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        # "Connect model" to `nisba serve` on 127.0.0.1: Label Studio refuses local ML backends
        # unless told otherwise. The server itself listens on 127.0.0.1 only.
        "ML_BLOCK_LOCAL_IP": "false",
        "SSRF_PROTECTION_ENABLED": "false",
        # Label Studio's newer bulk prediction import (off by default in 1.23): 500 at a time,
        # task counters updated for the tasks it touched rather than the whole project, and no
        # second LabelInterface pass over every region (half the server's time on a 50-region
        # prediction; the old path drops an invalid prediction silently anyway). nisba builds
        # its payloads from configs/schema.yaml and refuses a model of another schema.
        PREDICTION_IMPORT_FLAG: "true",
    }


def start(
    port: int = DEFAULT_PORT,
    host: str = DEFAULT_HOST,
    state_dir: Path = STATE_DIR,
    data_dir: Path | None = None,
    env_file: Path | None = Path(".env"),
    timeout: float = 300.0,
    venv: Path | None = None,
    say: Callable[[str], None] = print,
) -> ServerInfo:
    """Start Label Studio (or find ours running) and return its URL and token once /health answers.

    ``env_file`` (None: leave any .env alone) receives LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.
    """
    t0 = time.monotonic()
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    record = running_server(state_dir)
    if record is not None:
        tightened = secure_data_dir(Path(record["data_dir"]))
        if tightened:
            say(tightened)
        creds = credentials(Path(record["data_dir"]))
        deadline = time.monotonic() + timeout
        while not healthy(record["url"]):  # e.g. a second start while the first still migrates
            if time.monotonic() > deadline or not _is_ours(record):
                raise NisbaError(f"Label Studio (pid {record['pid']}) does not answer {record['url']}/health; "
                                 f"see {state_dir / LOG_FILE}, or `nisba server stop` and start again")
            time.sleep(0.5)
        if env_file:
            _write_settings(env_file, record["url"], creds)
        return ServerInfo(record["url"], creds["token"], int(record["pid"]), Path(record["data_dir"]),
                          already_running=True, seconds=time.monotonic() - t0)

    data_dir = Path(data_dir or state_dir / "data").resolve()
    url = f"http://{host}:{port}"
    if port_in_use(host, port):
        raise NisbaError(f"port {port} on {host} is already in use by another program; "
                         f"choose another with --port")
    exe = ensure_installed(venv or venv_dir(state_dir), say).absolute()
    tightened = secure_data_dir(data_dir)
    if tightened:
        say(tightened)
    creds = credentials(data_dir)
    env = label_studio_env(data_dir, creds)
    log_path = state_dir / LOG_FILE
    with open(log_path, "ab") as log:
        log.write(f"\n=== nisba: starting label-studio on {url} at {time.ctime()} ===\n".encode())
        log.flush()
        proc = subprocess.Popen(
            # --internal-host is the address it binds (else 0.0.0.0); --host is its public URL
            [str(exe), "start", "--no-browser", "--internal-host", host, "--host", url,
             "--port", str(port), "--data-dir", str(data_dir)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            env=env, start_new_session=True,  # its own process group: stop ends exactly it
        )
    record = {"format_version": 1, "pid": proc.pid, "start_time": _proc_start_time(proc.pid),
              "host": host, "port": port, "url": url, "data_dir": str(data_dir)}
    _write_private(state_dir / PID_FILE, json.dumps(record, indent=2) + "\n")
    say(f"Starting Label Studio on {url} (log: {log_path}) ...")
    deadline = time.monotonic() + timeout
    while not healthy(url):
        if proc.poll() is not None:
            (state_dir / PID_FILE).unlink(missing_ok=True)
            raise NisbaError(f"Label Studio exited with code {proc.returncode} before answering on {url}; "
                             f"last lines of {log_path}:\n{_tail(log_path)}")
        if time.monotonic() > deadline:
            stop(state_dir)
            raise NisbaError(f"Label Studio did not answer {url}/health within {timeout:.0f} s; "
                             f"see {log_path}")
        time.sleep(0.5)
    if env_file:
        _write_settings(env_file, url, creds)
    return ServerInfo(url, creds["token"], proc.pid, data_dir, seconds=time.monotonic() - t0)


def _write_settings(env_file: Path, url: str, creds: dict) -> None:
    write_env(env_file, {URL_KEY: url, TOKEN_KEY: creds["token"],
                         "LABEL_STUDIO_USERNAME": creds["username"],
                         "LABEL_STUDIO_PASSWORD": creds["password"]})


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def stop(state_dir: Path = STATE_DIR, timeout: float = 30.0) -> bool:
    """Stop the server this state dir started; False when none was running. Nothing else is touched."""
    record = running_server(state_dir)
    if record is None:
        return False
    pid = int(record["pid"])
    try:
        pgid = os.getpgid(pid)
    except ProcessLookupError:
        pgid = None
    # we started it with start_new_session, so it leads its own group; anything else: the pid only
    own_group = pgid == pid
    kill = (lambda sig: os.killpg(pgid, sig)) if own_group else (lambda sig: os.kill(pid, sig))

    def running() -> bool:  # the leader, and in our own group every worker it spawned
        _reap(pid)
        return _alive(pid) or (own_group and _group_alive(pgid))

    try:
        kill(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while running() and time.monotonic() < deadline:
            time.sleep(0.2)
        if running():
            kill(signal.SIGKILL)
            while running() and time.monotonic() < deadline + 10:
                time.sleep(0.2)
    except ProcessLookupError:
        pass
    (Path(state_dir) / PID_FILE).unlink(missing_ok=True)
    return True


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _reap(pid: int) -> None:
    """Collect the exit status when the server is our own child (tests), so it leaves no zombie."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def status(state_dir: Path = STATE_DIR) -> dict:
    """What `nisba server status` shows: running or not, pid, URL, health."""
    record = running_server(state_dir)
    if record is None:
        return {"running": False}
    return {"running": True, "pid": int(record["pid"]), "url": record["url"],
            "data_dir": record["data_dir"], "healthy": healthy(record["url"])}
