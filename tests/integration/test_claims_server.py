"""`nisba claims --project` against a real Label Studio: two tasks imported, each with a submitted
claim annotation (made through the SDK as the browser does), then the command pulls the
project's gold and writes one row per attributed claim."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from annotation.convert.document import content_hash
from tests.corpus_sentences import corpus_text
from tests.pull_fixtures import TEXT, choice, claim_result, label, relation, span

pytestmark = pytest.mark.integration

# the second task's text: a nisba-gold sentence ("وأفادت مصادر طبية ..."), read from the corpus by
# standoff reference (SaudiNewsNet text is never stored here); the test skips without the corpus
SECOND = ("2015-07-21.zip#2435", 487, 541)


def _anonymous_claim(text: str) -> list[dict]:
    cue, src, clm = span(text, "أفادت"), span(text, "مصادر طبية"), span(text, "وقوع إصابتين على الأقل جراء الحادث")
    return [label("cue2", "claims", "CUE", text, *cue), label("src2", "claims", "SOURCE", text, *src),
            choice("src2", "source_type", "anonymous", text, *src),
            choice("src2", "source_id", "AnonymousOfficial", text, *src),
            label("clm2", "claims", "CLAIM", text, *clm), choice("clm2", "stance", "asserted", text, *clm),
            relation("clm2", "src2", "attributed_to"), relation("cue2", "clm2", "cue")]


def test_claims_from_a_project_on_the_real_server(ls_server, ls_client, ls_project, tmp_path, monkeypatch):
    second_text = corpus_text(*SECOND)
    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)
    tasks = [{"data": {"text": t, "meta": {"source": "it", "article": f"a{i}"}, "content_hash": content_hash(t)}}
             for i, t in enumerate([TEXT, second_text])]
    t1, t2 = ls_client.projects.import_tasks(id=ls_project.id, request=tasks, return_task_ids=True).task_ids
    ls_client.annotations.create(id=t1, result=claim_result(), was_cancelled=False, lead_time=20.0)
    ls_client.annotations.create(id=t2, result=_anonymous_claim(second_text), was_cancelled=False, lead_time=8.0)

    from annotation.cli import app

    out = tmp_path / "claims.jsonl"
    result = CliRunner().invoke(app, ["claims", "--project", str(ls_project.id), "--out", str(out), "--summary"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "wrote 2 claim row(s)" in result.output
    rows = sorted((json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()),
                  key=lambda r: r["article_id"])
    first, second = rows
    assert first["article_id"] == "a0" and first["outlet"] == "it"
    assert (first["source"], first["source_type"], first["cue"]) == ("علوش", "armed_group", "قال")
    assert (first["claim"], first["stance"], first["reported_via"]) == ("المعارضة ستذهب إلي استانة", "asserted", "رويترز")
    assert TEXT[first["claim_start"]:first["claim_end"]] == first["claim"]
    assert (second["source"], second["source_id"], second["source_type"]) == ("مصادر طبية", "AnonymousOfficial", "anonymous")
    assert (second["cue"], second["claim"], second["reported_via"]) == ("أفادت", "وقوع إصابتين على الأقل جراء الحادث", "")
    assert "AnonymousOfficial" in result.output  # the per-source summary
