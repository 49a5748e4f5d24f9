"""A real PostgreSQL for the integration tests, and Label Studio on it with several uwsgi workers.

``pg_cluster`` (session) starts nisba's own cluster (annotation/labelstudio/postgres.py) on a
free port in ``.nisba/postgres-test`` and stops it at the end. The cluster is kept between
sessions with a migrated template database (``nisba_template``, Label Studio's schema and the
test admin), so a session clones it (CREATE DATABASE ... TEMPLATE, about a second) instead of
migrating for a minute. ``fresh_database`` clones it for one test; ``empty_database`` gives an
empty one.

``ls_server_postgres`` (session) is Label Studio on its own clone with ``TEST_WORKERS`` uwsgi
workers, stopped and dropped at the end: the ``postgres`` side of ``ls_server``.

Needs Debian's PostgreSQL (``make postgres-deps`` as root; .ci/run does it); without it these
tests fail, saying how to install it, rather than skip.
"""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
LS_VENV = REPO / ".nisba" / "labelstudio" / "venv"
PG_TEST_DIR = REPO / ".nisba" / "postgres-test"
TEMPLATE_DB = "nisba_template"
TEMPLATE_DATA = PG_TEST_DIR / "template-data"    # the template's admin credentials (nisba-admin.json)
TEST_WORKERS = 2


def _python() -> Path:
    return LS_VENV / "bin" / "python"


def _ensure_template(db, say=print) -> None:
    """Migrate ``nisba_template`` once (Label Studio's schema + the admin of TEMPLATE_DATA)."""
    from annotation.labelstudio import postgres, postgres_server, server

    template = db.with_name(TEMPLATE_DB)
    if (TEMPLATE_DATA / postgres_server.MIGRATED_FILE).exists() and postgres.database_exists(template, _python()):
        return
    shutil.rmtree(TEMPLATE_DATA, ignore_errors=True)
    postgres.drop_database(template, _python())
    postgres.create_database(template, _python())
    exe = server.ensure_installed(LS_VENV, say)
    creds = server.credentials(TEMPLATE_DATA)
    env = postgres_server.label_studio_env(TEMPLATE_DATA, creds, template, "http://127.0.0.1")
    postgres_server.migrate(exe, env, TEMPLATE_DATA, template, PG_TEST_DIR / "template-migrate.log", say)


@pytest.fixture(scope="session")
def pg_cluster():
    """ClusterInfo of a running PostgreSQL (nisba's own cluster, in .nisba/postgres-test)."""
    from annotation.labelstudio import postgres, server

    server.ensure_installed(LS_VENV, print)
    info = postgres.start_postgres(PG_TEST_DIR, port=server.free_port(), python=_python(), say=print)
    try:
        _ensure_template(info.database)
        yield info
    finally:
        postgres.stop_postgres(PG_TEST_DIR)


def clone_database(cluster, data_dir: Path, prefix: str = "nisba_test"):
    """A new database cloned from the template, with its admin credentials in ``data_dir``."""
    from annotation.labelstudio import postgres, postgres_server, server

    db = cluster.database.with_name(f"{prefix}_{uuid.uuid4().hex[:10]}")
    postgres.create_database(db, _python(), template=TEMPLATE_DB)
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy2(TEMPLATE_DATA / server.CREDENTIALS_FILE, data_dir / server.CREDENTIALS_FILE)
    postgres_server.mark_migrated(data_dir, db)
    return db


@pytest.fixture
def fresh_database(pg_cluster, tmp_path):
    """(Database, data_dir): a migrated clone for one test, dropped afterwards."""
    from annotation.labelstudio import postgres

    db = clone_database(pg_cluster, tmp_path / "data-postgres")
    yield db, tmp_path / "data-postgres"
    postgres.drop_database(db, _python())


@pytest.fixture
def empty_database(pg_cluster):
    """A Database with no tables (Label Studio not migrated), dropped afterwards."""
    from annotation.labelstudio import postgres

    db = pg_cluster.database.with_name(f"nisba_empty_{uuid.uuid4().hex[:10]}")
    postgres.create_database(db, _python())
    yield db
    postgres.drop_database(db, _python())


@pytest.fixture(scope="session")
def ls_server_postgres(pg_cluster, tmp_path_factory):
    """Settings(url, token) of Label Studio on PostgreSQL with TEST_WORKERS uwsgi workers."""
    from annotation.labelstudio import postgres, postgres_server, server
    from annotation.labelstudio.settings import Settings

    state = tmp_path_factory.mktemp("labelstudio-postgres")
    db = clone_database(pg_cluster, state / "data-postgres")
    info = postgres_server.start(port=server.free_port(), state_dir=state, data_dir=state / "data-postgres",
                                 env_file=None, venv=LS_VENV, workers=TEST_WORKERS, database=db, timeout=900)
    try:
        yield Settings(url=info.url, token=info.token)
    finally:
        postgres_server.stop(state)
        postgres.drop_database(db, _python())
