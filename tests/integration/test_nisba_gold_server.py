"""nisba-gold against a real Label Studio: the standoff round trip (import from the corpus, pull,
the document view equals the gold) and the guidelines shown as the project's instructions."""

from __future__ import annotations

import json
import uuid

import pytest

from annotation.convert.document import document_to_regions
from annotation.convert.task_files import corpus_tasks
from annotation.corpora.documents import read_corpus
from annotation.dataset.pull import pull_from_server
from annotation.dataset.splits import parse_ratios
from annotation.labelstudio.projects import create_or_update_project
from annotation.labelstudio.tasks import import_tasks
from annotation.schema.instructions import MARKER
from tests.corpus_sentences import dev_articles, needs_corpus

pytestmark = [
    pytest.mark.integration,
    needs_corpus,
]


def test_gold_imported_from_the_corpus_pulls_back_to_the_same_document_view(ls_client, schema, tmp_path):
    project = create_or_update_project(ls_client, schema, f"gold {uuid.uuid4().hex[:8]}")
    docs = read_corpus("nisba-gold", schema=schema, split="dev").documents
    report = import_tasks(ls_client, project.id, corpus_tasks(docs, schema, with_annotations=True))
    assert (report.created, report.annotations) == (len(docs), len(docs)) == (dev_articles(),) * 2
    out = tmp_path / "pulled"
    pull_from_server(ls_client, str(project.id), out, schema, ratios=parse_ratios("0.8,0.1,0.1"))
    from datasets import load_from_disk

    ds = load_from_disk(str(out))
    assert len(ds["validation"]) == len(docs) and len(ds["train"]) == len(ds["test"]) == 0  # fixed split kept
    by_article = {d.meta["article"]: d for d in docs}
    for row in ds["validation"]:
        meta = json.loads(row["meta"])
        gold = by_article[meta["article"]]
        assert row["text"] == gold.text
        regions, relations = document_to_regions(row, schema)
        assert sorted((r.layer, r.label, r.start, r.end, tuple(sorted(r.choices.items()))) for r in regions) == \
            sorted((r.layer, r.label, r.start, r.end, tuple(sorted(r.choices.items()))) for r in gold.regions)
        span = {r.id: (r.layer, r.start, r.end) for r in regions}
        gold_span = {r.id: (r.layer, r.start, r.end) for r in gold.regions}
        assert sorted((span[x.from_id], span[x.to_id], x.label) for x in relations) == \
            sorted((gold_span[x.from_id], gold_span[x.to_id], x.label) for x in gold.relations)
    again = import_tasks(ls_client, project.id, corpus_tasks(docs, schema, with_annotations=True))
    assert again.created == 0


def test_created_project_shows_the_guidelines_as_its_instructions(ls_client, schema):
    project = create_or_update_project(ls_client, schema, f"guide {uuid.uuid4().hex[:8]}")
    stored = ls_client.projects.get(id=project.id)
    assert stored.show_instruction is True
    assert MARKER in stored.expert_instruction
    assert "nisba annotation guidelines" in stored.expert_instruction
    assert "<b>SOURCE</b>" in stored.expert_instruction


def test_import_corpus_saudinewsnet_limit_imports_articles_with_their_meta(ls_server, ls_project, monkeypatch):
    from typer.testing import CliRunner

    from annotation.cli import app

    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)
    runner = CliRunner()
    out = runner.invoke(app, ["import", "--project", str(ls_project.id), "--corpus", "saudinewsnet", "--limit", "5"])
    assert out.exit_code == 0, out.output
    assert "created 5 tasks" in out.output
    again = runner.invoke(app, ["import", "--project", str(ls_project.id), "--corpus", "saudinewsnet", "--limit", "5"])
    assert "created 0 tasks" in again.output
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.tasks import iter_tasks

    tasks = [t for t in iter_tasks(connect(), ls_project.id) if (t["data"].get("meta") or {}).get("corpus") == "saudinewsnet"]
    assert len(tasks) == 5
    meta = tasks[0]["data"]["meta"]
    assert meta["ref"].startswith("2015-07-21.zip#") and meta["newspaper"] and "non-commercial" in meta["license"]
