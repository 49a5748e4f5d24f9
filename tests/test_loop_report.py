"""Prediction vs annotation comparison for the loop report."""

from __future__ import annotations

import pytest

from annotation.loop.report import compare_regions, loop_report, report_rows
from annotation.convert.regions import Region, to_result
from annotation.schema.schema import load_schema

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب إلى أستانة"
LAYERS = ["entities", "events", "claims"]


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def R(rid, layer, label, start, end, choices=None):
    return Region(rid, layer, label, start, end, TEXT[start:end], choices or {})


def test_same_region_is_accepted():
    p = [R("a", "entities", "PER", 5, 9)]
    counts = compare_regions(p, [R("a", "entities", "PER", 5, 9)], LAYERS)
    assert counts["entities"].as_dict() == {"predicted": 1, "accepted": 1, "edited": 0, "deleted": 0, "added": 0,
                                            "accepted_rate": 1.0}


def test_same_span_and_label_with_a_new_id_is_accepted():
    counts = compare_regions([R("a", "entities", "PER", 5, 9)], [R("zz", "entities", "PER", 5, 9)], LAYERS)
    assert (counts["entities"].accepted, counts["entities"].added) == (1, 0)


def test_moved_boundary_and_changed_label_are_edits():
    p = [R("a", "entities", "PER", 5, 9), R("b", "entities", "ORG", 10, 17)]
    a = [R("a", "entities", "PER", 5, 10), R("x", "entities", "GPE", 10, 17)]
    c = compare_regions(p, a, LAYERS)["entities"]
    assert (c.accepted, c.edited, c.deleted, c.added) == (0, 2, 0, 0)


def test_changed_choice_is_an_edit():
    p = [R("s", "claims", "SOURCE", 5, 9, {"source_type": "analyst"})]
    a = [R("s", "claims", "SOURCE", 5, 9, {"source_type": "armed_group"})]
    assert compare_regions(p, a, LAYERS)["claims"].edited == 1


def test_removed_prediction_is_deleted_and_new_region_is_added():
    p = [R("a", "entities", "PER", 5, 9), R("b", "entities", "GPE", 40, 46)]
    a = [R("a", "entities", "PER", 5, 9), R("n", "entities", "ORG", 10, 17)]
    c = compare_regions(p, a, LAYERS)["entities"]
    assert (c.accepted, c.edited, c.deleted, c.added) == (1, 0, 1, 1)


def test_layers_are_counted_apart():
    p = [R("a", "entities", "PER", 5, 9)]
    a = [R("a", "entities", "PER", 5, 9), R("s", "claims", "SOURCE", 5, 9)]
    c = compare_regions(p, a, LAYERS)
    assert (c["entities"].accepted, c["claims"].added, c["claims"].predicted) == (1, 1, 0)


def _task(schema, tid, pred_regions, ann_regions, pred_at="2026-01-01T10:00:00Z",
          ann_at="2026-01-01T11:00:00Z", lead_time=30.0, version="m-1"):
    return {
        "id": tid, "data": {"text": TEXT},
        "predictions": [{"model_version": version, "created_at": pred_at, "score": 0.5,
                         "result": to_result(pred_regions, [], schema)}],
        "annotations": [{"id": tid * 100, "created_at": ann_at, "lead_time": lead_time, "was_cancelled": False,
                         "result": to_result(ann_regions, [], schema)}],
    }


def test_report_counts_tasks_annotated_after_prediction_with_lead_time(schema):
    per = R("a", "entities", "PER", 5, 9)
    gpe = R("g", "entities", "GPE", 40, 46)
    tasks = [
        _task(schema, 1, [per, gpe], [per], lead_time=12.5),
        _task(schema, 2, [per], [per, R("s", "claims", "SOURCE", 5, 9)], lead_time=7.5),
        _task(schema, 3, [per], [], ann_at="2026-01-01T09:00:00Z"),       # annotated before: skipped
        _task(schema, 4, [per], [per], version="m-0"),                     # other version: not compared
        {"id": 5, "data": {"text": TEXT}, "predictions": [], "annotations": []},
    ]
    rep = loop_report(tasks, schema, "m-1").as_dict()
    assert rep["tasks"] == 2 and rep["annotations"] == 2
    assert rep["lead_time_s"] == 20.0 and rep["lead_time_per_annotation_s"] == 10.0
    assert rep["layers"]["entities"] == {"predicted": 3, "accepted": 2, "edited": 0, "deleted": 1, "added": 0,
                                         "accepted_rate": 0.6667}
    assert rep["layers"]["claims"]["added"] == 1
    assert rep["skipped_annotated_before_prediction"] == 1
    assert rep["skipped_annotated_before_prediction_tasks"] == [3]
    assert rep["skipped_no_prediction"] == 1
    assert rep["format_version"] == 1 and rep["problems"] == []
    rows = report_rows(loop_report(tasks, schema, "m-1"))
    assert rows[0] == ["entities", "3", "2", "0", "1", "0", "66.7"]
    assert rows[-1][0] == "all"


def test_cancelled_annotation_is_not_compared(schema):
    task = _task(schema, 1, [R("a", "entities", "PER", 5, 9)], [])
    task["annotations"][0]["was_cancelled"] = True
    rep = loop_report([task], schema, "m-1").as_dict()
    assert rep["tasks"] == 0 and rep["layers"]["entities"]["predicted"] == 0


def test_relations_are_kept_deleted_or_added_per_layer_of_their_source_region():
    from annotation.convert.regions import Relation
    from annotation.loop.report import compare_relations

    claim, source, other = R("c", "claims", "CLAIM", 20, 30), R("s", "claims", "SOURCE", 5, 9), R("o", "claims", "SOURCE", 10, 17)
    trigger, place = R("t", "events", "Contact.Meet", 31, 36), R("p", "entities", "GPE", 40, 46)
    predicted = [Relation("c", "s", "attributed_to"), Relation("t", "p", "Place")]
    annotated = [Relation("c", "s", "attributed_to"), Relation("c", "o", "attributed_to")]
    counts = compare_relations([claim, source, other, trigger, place], predicted,
                               [claim, source, other, trigger, place], annotated, LAYERS)
    assert counts["claims"].as_dict() == {"predicted": 1, "kept": 1, "deleted": 0, "added": 1}
    assert counts["events"].as_dict() == {"predicted": 1, "kept": 0, "deleted": 1, "added": 0}
    assert counts["entities"].as_dict() == {"predicted": 0, "kept": 0, "deleted": 0, "added": 0}
