"""Issue 16's "done when", end to end through the commands a team runs: a project on the SQLite
server with nisba-gold (annotations from the corpus) and the rules' predictions pushed by
`nisba predict`, moved by `nisba project copy` onto PostgreSQL behind uwsgi workers; pulling from
both gives the same document views; the target holds each prediction once under the pushed
model_version, and a second copy copies nothing. Real servers; nothing is mocked."""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.labelstudio.client import connect
from annotation.labelstudio.predictions import list_predictions
from annotation.labelstudio.projects import resolve_project
from annotation.schema.schema import load_schema
from tests.integration.test_pull_server import VIEW_FIELDS, _rows
from tests.corpus_sentences import needs_corpus

pytestmark = [
    pytest.mark.integration,
    pytest.mark.slow,
    needs_corpus,
]


def _run(*args, server=None, monkeypatch=None) -> str:
    if server is not None:
        monkeypatch.setenv("LABEL_STUDIO_URL", server.url)
        monkeypatch.setenv("LABEL_STUDIO_API_KEY", server.token)
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def _pull(settings, title, out):
    from annotation.dataset.pull import pull_from_server

    client = connect(settings)
    pull_from_server(client, str(resolve_project(client, title).id), out, load_schema())
    return _rows(out)


def test_gold_project_with_pushed_predictions_moves_from_sqlite_onto_postgres_workers(
        ls_server, ls_server_postgres, tmp_path, monkeypatch):
    title = f"done-when {uuid.uuid4().hex[:8]}"
    src, dst = ls_server, ls_server_postgres
    try:
        _run("project", "create", "--title", title, server=src, monkeypatch=monkeypatch)
        imported = _run("import", "--corpus", "nisba-gold", "--with-annotations", "--project", title)
        created = int(re.search(r"created (\d+) tasks", imported).group(1))
        assert created >= 60
        pushed = json.loads(_run("predict", "--model", "rules", "--project", title, "--json").splitlines()[-1])
        assert pushed["created"] == created

        copy = ["project", "copy", "--from", src.url, "--to", dst.url, "--project", title,
                "--from-key", src.token, "--to-key", dst.token]
        first = _run(*copy)
        assert f": {created} tasks, " in first and f"{created} predictions; skipped 0 tasks" in first
        assert f"project model_version: {pushed['model_version']}" in first

        a, b = _pull(src, title, tmp_path / "sqlite"), _pull(dst, title, tmp_path / "postgres")
        assert sorted(a) == sorted(b) and len(a) == created
        for key in a:
            assert {f: a[key][f] for f in VIEW_FIELDS} == {f: b[key][f] for f in VIEW_FIELDS}, key

        # the target holds each task's prediction once, under the pushed model_version (a push there
        # would skip them; not run here, as the rules' version follows configs/lexicon.yaml)
        target = connect(dst)
        predictions = list_predictions(target, resolve_project(target, title).id)
        held = Counter(p["task"] for p in predictions)
        assert len(held) == created and set(held.values()) == {1}
        assert {p["model_version"] for p in predictions} == {pushed["model_version"]}

        second = _run(*copy)
        assert f"0 tasks, 0 annotations, 0 predictions; skipped {created} tasks" in second
    finally:
        for settings in (src, dst):
            client = connect(settings)
            try:
                client.projects.delete(id=resolve_project(client, title).id)
            except Exception:  # noqa: BLE001 - the project may not have been made there
                pass
