"""Run a test module against both back ends: SQLite behind runserver and PostgreSQL behind uwsgi.

A module that imports ``ls_server`` and ``ls_client`` from here gets them parametrized by
``ls_backend`` ("sqlite", "postgres"): each of its tests runs twice, once per server, and the ids
say which (``test_x[postgres]``). Both servers are the session ones of tests/conftest.py and
tests/postgres_fixtures.py, started once; pytest groups the tests by back end. The module's own
fixtures that take ``ls_client`` or ``ls_server`` (projects, env) follow along.

    from tests.backend_fixtures import ls_backend, ls_client, ls_server  # noqa: F401 - both back ends
"""

from __future__ import annotations

import pytest

BACKENDS = ("sqlite", "postgres")


@pytest.fixture(scope="session", params=BACKENDS)
def ls_backend(request) -> str:
    return request.param


@pytest.fixture(scope="module", name="ls_server")
def ls_server(ls_backend, request):
    """Settings(url, token) of the ``ls_backend`` server."""
    return request.getfixturevalue(f"ls_server_{ls_backend}")


@pytest.fixture(scope="module", name="ls_client")
def ls_client(ls_server):
    from annotation.labelstudio.client import connect

    return connect(ls_server)
