"""Pull against a real Label Studio: annotations created through the SDK the way the browser
does (one POST per submitted annotation), then every field of the document view; then the
gold JSONL export imported into a fresh project and pulled again gives the same view."""

from __future__ import annotations

import json

import pytest

from annotation.dataset.pull import pull_from_server
from annotation.convert.document import content_hash
from annotation.dataset.exports import export
from annotation.schema.labeling_config import labeling_config
from annotation.schema.schema import load_schema
from annotation.dataset.splits import parse_ratios
from tests.pull_fixtures import TEXT, claim_result, label, relation, span
from tests.backend_fixtures import ls_backend, ls_client, ls_server  # noqa: F401 - each test on SQLite and PostgreSQL

pytestmark = pytest.mark.integration

VIEW_FIELDS = ("id", "text", "meta", "entities", "events", "claims", "attribution", "relations")
SECOND = "نفذ الجيش عملية في دير الزور أسفرت عن مقتل العشرات."


def _event_result(text):
    trig, army, place = span(text, "عملية"), span(text, "الجيش"), span(text, "دير الزور")
    return [label("t1", "events", "Conflict.Attack", text, *trig), label("a1", "entities", "ORG", text, *army),
            label("p1", "entities", "GPE", text, *place), relation("t1", "a1", "Attacker"),
            relation("t1", "p1", "Place")]


def _import(client, project_id, texts):
    tasks = [{"data": {"text": t, "meta": {"source": "it", "n": i}, "content_hash": content_hash(t)}}
             for i, t in enumerate(texts)]
    resp = client.projects.import_tasks(id=project_id, request=tasks, return_task_ids=True)
    return list(resp.task_ids)


def _rows(out):
    from datasets import load_from_disk

    ds = load_from_disk(str(out))
    schema = load_schema()
    from annotation.convert.document import document_to_regions, regions_to_document

    rows = {}
    for split in ds:
        for row in ds[split]:
            regions, relations = document_to_regions(row, schema)  # ClassLabel ids -> label strings
            plain = regions_to_document(row["text"], regions, relations, meta=json.loads(row["meta"]))
            rows[row["id"]] = {**row, **{k: plain[k] for k in VIEW_FIELDS}}
    return rows


def test_pull_reads_browser_made_annotations_into_every_field(ls_client, ls_project, tmp_path):
    schema = load_schema()
    third = "ويري محللون إن المعارضة تتعرض لضغوط"
    t1, t2, t3 = _import(ls_client, ls_project.id, [TEXT, SECOND, third])
    ls_client.annotations.create(id=t1, result=claim_result(), was_cancelled=False, lead_time=31.5)
    ls_client.annotations.create(id=t2, result=_event_result(SECOND)[:1], was_cancelled=False, lead_time=5.0)
    later = ls_client.annotations.create(id=t2, result=_event_result(SECOND), was_cancelled=False, lead_time=9.0)
    ls_client.annotations.create(id=t3, result=[], was_cancelled=True, lead_time=2.0)  # skipped

    out = tmp_path / "data"
    result = pull_from_server(ls_client, str(ls_project.id), out, schema, ratios=parse_ratios("1"))
    assert result.problems == []
    assert result.counts["tasks_with_gold"] == 2 and result.counts["tasks_without_gold"] == 1
    assert result.counts["cancelled"] == 1
    rows = _rows(out)
    first = rows[content_hash(TEXT)]
    assert first["task_id"] == t1 and json.loads(first["meta"]) == {"source": "it", "n": 0}
    assert [(e["label"], e["text"]) for e in first["entities"]] == [("PER", "علوش"), ("ORG", "رويترز")]
    (claim,) = first["claims"]
    assert (claim["text"], claim["stance"]) == ("المعارضة ستذهب إلي استانة", "asserted")
    assert (claim["source"]["text"], claim["source"]["type"]) == ("علوش", "armed_group")
    assert claim["cue"]["text"] == "قال" and claim["reported_via"]["text"] == "رويترز"
    assert first["annotator"] != "" and first["annotation_id"] > 0
    second = rows[content_hash(SECOND)]
    assert second["annotation_id"] == later.id and len(second["annotation_ids"]) == 2
    (event,) = second["events"]
    assert event["type"] == "Conflict.Attack"
    assert [(a["role"], a["text"]) for a in event["arguments"]] == [("Attacker", "الجيش"), ("Place", "دير الزور")]
    prov = json.loads((out / "nisba_pull.json").read_text())
    assert prov["project_id"] == ls_project.id and prov["source"] == "label_studio_export"
    assert (out / prov["raw_export"]).is_file()


def test_gold_jsonl_round_trips_through_label_studio(ls_client, ls_project, tmp_path):
    schema = load_schema()
    t1, t2 = _import(ls_client, ls_project.id, [TEXT, SECOND])
    ls_client.annotations.create(id=t1, result=claim_result(), was_cancelled=False)
    ls_client.annotations.create(id=t2, result=_event_result(SECOND), was_cancelled=False)
    first = tmp_path / "first"
    pull_from_server(ls_client, str(ls_project.id), first, schema, ratios=parse_ratios("1"))
    (jsonl,) = export(first, "jsonl", tmp_path / "jsonl", schema)

    other = ls_client.projects.create(title=f"round trip {ls_project.id}", label_config=labeling_config(schema))
    try:
        tasks = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
        ls_client.projects.import_tasks(id=other.id, request=tasks, return_task_ids=True)
        again = tmp_path / "again"
        res = pull_from_server(ls_client, str(other.id), again, schema, ratios=parse_ratios("1"))
        assert res.problems == []
        before, after = _rows(first), _rows(again)
        assert sorted(before) == sorted(after)
        for doc_id in before:
            assert {k: after[doc_id][k] for k in VIEW_FIELDS} == {k: before[doc_id][k] for k in VIEW_FIELDS}
    finally:
        ls_client.projects.delete(id=other.id)


def test_pull_via_paged_tasks_api_gives_the_same_rows(ls_client, ls_project, tmp_path):
    schema = load_schema()
    (t1,) = _import(ls_client, ls_project.id, [TEXT])
    ls_client.annotations.create(id=t1, result=claim_result(), was_cancelled=False)
    a = pull_from_server(ls_client, str(ls_project.id), tmp_path / "a", schema, ratios=parse_ratios("1"))
    b = pull_from_server(ls_client, str(ls_project.id), tmp_path / "b", schema, ratios=parse_ratios("1"), via="tasks")
    assert a.problems == b.problems == []
    ra, rb = _rows(tmp_path / "a"), _rows(tmp_path / "b")
    assert {k: {f: v[f] for f in VIEW_FIELDS} for k, v in ra.items()} == \
           {k: {f: v[f] for f in VIEW_FIELDS} for k, v in rb.items()}


def test_agreement_from_project_compares_two_annotators(ls_client, ls_project, tmp_path):
    import uuid

    from annotation.dataset.pull import agreement_from

    schema = load_schema()
    (t1,) = _import(ls_client, ls_project.id, [TEXT])
    tag = uuid.uuid4().hex[:6]
    other = ls_client.users.create(email=f"second-{tag}@nisba.local", username=f"second{tag}")
    ls_client.annotations.create(id=t1, result=claim_result(), was_cancelled=False)
    ls_client.annotations.create(id=t1, result=claim_result()[:5], was_cancelled=False, completed_by=other.id)
    pulled = tmp_path / "data"
    pull_from_server(ls_client, str(ls_project.id), pulled, schema, ratios=parse_ratios("1"))
    res = agreement_from(pulled, None, schema)
    assert res["pairs"] == 1 and res["tasks_compared"] == 1
    assert res["layers"]["claims"]["f1_exact"] == 1.0
    assert res["layers"]["entities"]["labels"]["PER"]["f1_exact"] == 0.0
    assert res["layers"]["events"]["kappa"] is None  # nobody marked an event
    assert str(other.id) in res["annotators"] and len(res["annotators"]) == 2
