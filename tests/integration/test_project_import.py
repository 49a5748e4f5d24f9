"""Against a real Label Studio: the server accepts our configs, one project per title, and
imports are exact (offsets) and idempotent (checked against what the server holds)."""

from __future__ import annotations

import json
import uuid

import pytest
import yaml
from typer.testing import CliRunner

from annotation.labelstudio.client import connect
from annotation.labelstudio.projects import list_projects, resolve_project
from annotation.cli import app
from annotation.labelstudio.projects import create_or_update_project
from annotation.labelstudio.tasks import existing_content_hashes, import_tasks, iter_tasks
from annotation.schema.schema import DEFAULT_SCHEMA, parse_schema
from annotation.convert.task_files import corpus_tasks, read_task_file

from tests.backend_fixtures import ls_backend, ls_client, ls_server  # noqa: F401 - each test on SQLite and PostgreSQL

pytestmark = pytest.mark.integration

SEED = "tests/fixtures/syria-talks-2017.txt"


def _title(tag: str) -> str:
    return f"test {tag} {uuid.uuid4().hex[:8]}"


def test_server_accepts_generated_config_and_stores_it(ls_client, ls_project, schema):
    from annotation.schema.labeling_config import labeling_config

    stored = ls_client.projects.get(id=ls_project.id)
    assert stored.label_config == labeling_config(schema)


def test_server_accepts_config_with_escaped_weird_labels(ls_client):
    raw = yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    raw["layers"]["entities"]["labels"] += [{"value": 'A<B & "C"'}, {"value": "it's"}]
    weird = parse_schema(raw, ["SANA"])
    project = create_or_update_project(ls_client, weird, _title("weird"))
    try:
        labels = ls_client.projects.get(id=project.id).parsed_label_config["entities"]["labels"]
        assert 'A<B & "C"' in labels and "it's" in labels
    finally:
        ls_client.projects.delete(id=project.id)


def test_create_twice_gives_one_project_with_updated_config(ls_client, schema):
    title = _title("twice")
    first = create_or_update_project(ls_client, schema, title)
    try:
        raw = yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
        raw["layers"]["entities"]["labels"].append({"value": "WEA"})
        second = create_or_update_project(ls_client, parse_schema(raw, ["SANA"]), title)
        assert second.id == first.id
        assert [p.id for p in list_projects(ls_client) if p.title == title] == [first.id]
        assert "WEA" in ls_client.projects.get(id=first.id).parsed_label_config["entities"]["labels"]
    finally:
        ls_client.projects.delete(id=first.id)


def test_resolve_project_by_id_and_title(ls_client, ls_project):
    assert resolve_project(ls_client, ls_project.id).id == ls_project.id
    assert resolve_project(ls_client, str(ls_project.id)).id == ls_project.id
    assert resolve_project(ls_client, ls_project.title).id == ls_project.id


def test_seed_article_imports_exactly_and_reimport_creates_nothing(ls_client, ls_project, schema):
    tasks = read_task_file(SEED, schema)
    first = import_tasks(ls_client, ls_project.id, tasks)
    assert first.created == 1
    again = import_tasks(ls_client, ls_project.id, read_task_file(SEED, schema))
    assert (again.created, again.skipped_existing) == (0, 1)
    [stored] = list(iter_tasks(ls_client, ls_project.id))
    with open(SEED, encoding="utf-8", newline="") as fh:
        assert stored["data"]["text"] == fh.read()


def _newsfane_reachable() -> bool:
    """A cached copy or a corpus mirror: with neither, fetching newsfane needs the network."""
    from annotation.corpora.registry import corpus_spec, default_cache_dir, default_mirror

    return default_mirror() is not None or (default_cache_dir() / "newsfane" / corpus_spec("newsfane").file).exists()


@pytest.mark.slow
@pytest.mark.skipif(not _newsfane_reachable(), reason="newsfane is neither cached nor in a corpus mirror "
                    "(../shared/data) on this machine, and there is no network")
def test_newsfane_with_annotations_offsets_match_and_reimport_creates_nothing(ls_client, ls_project, schema):
    from annotation.corpora.documents import read_corpus

    docs = read_corpus("newsfane", limit=40, schema=schema).documents
    tasks = corpus_tasks(docs, schema, with_annotations=True)
    report = import_tasks(ls_client, ls_project.id, tasks, batch_size=15)
    assert report.created == len(docs) == 40
    assert report.annotations == sum(1 for d in docs if d.regions)
    stored = list(iter_tasks(ls_client, ls_project.id, page_size=7))  # several pages
    assert len(stored) == 40
    spans = 0
    for task in stored:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            for item in annotation["result"]:
                value = item["value"]
                assert text[value["start"]:value["end"]] == value["text"]
                spans += 1
    assert spans == sum(len(d.regions) for d in docs)
    again = import_tasks(ls_client, ls_project.id, corpus_tasks(docs, schema, with_annotations=True))
    assert (again.created, again.skipped_existing) == (0, 40)
    assert len(existing_content_hashes(ls_client, ls_project.id)) == 40


def test_import_command_prints_counts_and_refuses_bad_file_whole(ls_server, ls_project, tmp_path, monkeypatch):
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)
    good = tmp_path / "good.jsonl"
    good.write_text("\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in ["نص أول", "نص ثان", "نص أول"]),
                    encoding="utf-8")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": "نص ثالث"}) + "\n" + json.dumps({"meta": {}}) + "\n", encoding="utf-8")
    runner = CliRunner()
    refused = runner.invoke(app, ["import", "--project", str(ls_project.id), str(good), str(bad)])
    assert refused.exit_code == 1
    assert "bad.jsonl:2" in refused.output
    out = runner.invoke(app, ["import", "--project", ls_project.title, str(good)])
    assert out.exit_code == 0, out.output
    assert "created 2 tasks" in out.output and "skipped 1" in out.output
    assert ls_server.token not in out.output


def test_wrong_token_is_said_without_printing_it(ls_server):
    from annotation.errors import NisbaError
    from annotation.labelstudio.settings import Settings

    bad = "0" * 40
    with pytest.raises(NisbaError, match="rejected the API token") as info:
        connect(Settings(ls_server.url, bad))
    assert bad not in str(info.value)
