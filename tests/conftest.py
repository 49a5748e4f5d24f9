"""Shared fixtures: the schema, and a real Label Studio server for integration tests.

``ls_server`` (session) starts label-studio on 127.0.0.1 on a free port with a temporary data
dir, through annotation.labelstudio.server, and stops it at the end. Set NISBA_TEST_LS_URL and
NISBA_TEST_LS_TOKEN to reuse a server you started yourself (``nisba server start``, then the
values of LABEL_STUDIO_URL / LABEL_STUDIO_API_KEY in .env): much faster while developing.

The first start of an empty data dir runs Label Studio's migrations (one to three minutes);
the fixture keeps a migrated copy of a fresh database in .nisba/labelstudio/test-template and
starts later sessions from it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import uuid
from pathlib import Path

import pytest

from tests.postgres_fixtures import (  # noqa: F401 - session fixtures: a real PostgreSQL
    empty_database, fresh_database, ls_server_postgres, pg_cluster)

REPO = Path(__file__).resolve().parent.parent
LS_VENV = REPO / ".nisba" / "labelstudio" / "venv"
TEMPLATE = REPO / ".nisba" / "labelstudio" / "test-template"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def schema():
    from annotation.schema.schema import load_schema

    return load_schema()


def _save_template(data_dir: Path) -> None:
    """Copy a just-migrated, still empty database (consistent snapshot via sqlite's backup API)."""
    from annotation.labelstudio.server import CREDENTIALS_FILE

    tmp = TEMPLATE.with_name(TEMPLATE.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    src = sqlite3.connect(data_dir / "label_studio.sqlite3")
    dst = sqlite3.connect(tmp / "label_studio.sqlite3")
    with dst:
        src.backup(dst)
    src.close()
    dst.close()
    shutil.copy2(data_dir / CREDENTIALS_FILE, tmp / CREDENTIALS_FILE)
    if TEMPLATE.exists():
        shutil.rmtree(tmp)
    else:
        tmp.rename(TEMPLATE)


@pytest.fixture(scope="session")
def ls_server(ls_server_sqlite):
    """annotation.labelstudio.settings.Settings(url, token) of a running Label Studio (the SQLite
    one; tests/backend_fixtures.py runs a module on both back ends)."""
    return ls_server_sqlite


@pytest.fixture(scope="session")
def ls_server_sqlite(tmp_path_factory):
    """Settings(url, token) of Label Studio on SQLite behind runserver (or NISBA_TEST_LS_URL's)."""
    from annotation.labelstudio.settings import Settings

    url, token = os.environ.get("NISBA_TEST_LS_URL"), os.environ.get("NISBA_TEST_LS_TOKEN")
    if url and token:
        yield Settings(url=url.rstrip("/"), token=token)
        return

    from annotation.labelstudio import server

    state = tmp_path_factory.mktemp("labelstudio")
    data = state / "data"
    from_template = (TEMPLATE / "label_studio.sqlite3").exists()
    if from_template:
        shutil.copytree(TEMPLATE, data)
    info = server.start(port=server.free_port(), state_dir=state, data_dir=data, env_file=None,
                        venv=LS_VENV, timeout=900, say=lambda m: print(m))
    try:
        if not from_template:
            try:
                _save_template(data)
            except (OSError, sqlite3.Error) as exc:  # only a speed-up; never fail the run for it
                print(f"could not save the test template: {exc}")
        yield Settings(url=info.url, token=info.token)
    finally:
        server.stop(state)


@pytest.fixture(scope="session")
def ls_client(ls_server):
    from annotation.labelstudio.client import connect

    return connect(ls_server)


@pytest.fixture
def ls_project(ls_client, schema, request):
    """A fresh project with the generated config and a unique title; deleted afterwards."""
    from annotation.labelstudio.projects import create_or_update_project

    name = re.sub(r"[^A-Za-z0-9_]+", "-", request.node.name)[:32]
    project = create_or_update_project(ls_client, schema, f"test {name} {uuid.uuid4().hex[:8]}")
    yield project
    try:
        ls_client.projects.delete(id=project.id)
    except Exception as exc:  # noqa: BLE001 - cleanup only
        print(f"could not delete test project {project.id}: {exc}")
