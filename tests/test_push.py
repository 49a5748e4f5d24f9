"""Pure parts of the push: payloads, skip/replace plan, batches, active-learning order,
schema comparison."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from annotation.loop.push_plan import (
    HeldPrediction,
    TaskState,
    batches,
    check_same_schema,
    label_differences,
    plan_push,
    prediction_payload,
)
from annotation.loop.active import least_confident
from annotation.convert.regions import Region, Relation, parse_result
from annotation.schema.schema import load_schema

TEXT = "وقال علوش إن المعارضة ستذهب"


@dataclass
class Pred:  # the shape of training.predict.PredictionResult
    regions: list
    relations: list
    score: float


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def test_payload_carries_regions_choices_relations_scores_and_version(schema):
    cue = Region("c1", "claims", "CUE", 0, 4, "وقال", {}, 0.9)
    src = Region("s1", "claims", "SOURCE", 5, 9, "علوش", {"source_type": "armed_group"}, 0.8)
    claim = Region("k1", "claims", "CLAIM", 13, 27, TEXT[13:27], {"stance": "asserted"}, 0.55)
    rels = [Relation("k1", "s1", "attributed_to"), Relation("c1", "k1", "cue")]
    payload = prediction_payload(42, Pred([cue, src, claim], rels, 0.612345), schema, "rules-abc12345")

    assert payload["task"] == 42
    assert payload["model_version"] == "rules-abc12345"
    assert payload["score"] == 0.6123
    labels = [r for r in payload["result"] if r["type"] == "labels"]
    assert [(r["id"], r["value"]["labels"][0], r["score"]) for r in labels] == [
        ("c1", "CUE", 0.9), ("s1", "SOURCE", 0.8), ("k1", "CLAIM", 0.55)]
    choices = {(r["id"], r["from_name"]): r["value"]["choices"] for r in payload["result"] if r["type"] == "choices"}
    assert choices == {("s1", "source_type"): ["armed_group"], ("k1", "stance"): ["asserted"]}
    rel = [(r["from_id"], r["to_id"], r["labels"]) for r in payload["result"] if r["type"] == "relation"]
    assert rel == [("k1", "s1", ["attributed_to"]), ("c1", "k1", ["cue"])]
    # and it parses back to the same regions with no problems
    regions, relations, problems = parse_result(payload["result"], schema, TEXT)
    assert problems == []
    assert {(r.id, r.label, r.start, r.end) for r in regions} == {("c1", "CUE", 0, 4), ("s1", "SOURCE", 5, 9),
                                                                 ("k1", "CLAIM", 13, 27)}
    assert len(relations) == 2


def _task(tid, text="نص", ann=0, *versions):
    return TaskState(tid, text, ann, tuple(HeldPrediction(v, 0.5) for v in versions))


def test_task_holding_this_version_is_skipped_so_a_rerun_adds_nothing():
    plan = plan_push([_task(1), _task(2, "نص", 0, "m-1"), _task(3, "نص", 0, "m-0")], "m-1")
    assert [t.id for t in plan.to_predict] == [1, 3]
    assert plan.skipped_existing == [2]
    assert plan.replace_tasks == []


def test_replace_repredicts_and_names_tasks_holding_this_version():
    plan = plan_push([_task(2, "نص", 0, "m-0", "m-1"), _task(3, "نص", 0, "m-0")], "m-1", replace=True)
    assert [t.id for t in plan.to_predict] == [2, 3]
    assert plan.replace_tasks == [2]  # only task 2 holds an m-1 prediction to delete
    assert plan.skipped_existing == []


def test_only_unlabeled_leaves_annotated_tasks_alone():
    plan = plan_push([_task(1, "نص", 2), _task(2)], "m-1", only_unlabeled=True, replace=True)
    assert plan.skipped_labeled == [1]
    assert [t.id for t in plan.to_predict] == [2]


def test_empty_text_is_skipped_and_counted():
    plan = plan_push([_task(1, "  "), _task(2)], "m")
    assert plan.skipped_empty == [1]
    assert plan.counts() == {"to_predict": 1, "skipped_existing": 0, "skipped_labeled": 0,
                             "skipped_empty": 1, "replace_tasks": 0}


def test_tasks_to_predict_come_shortest_first():
    plan = plan_push([_task(1, "ب" * 30), _task(2, "ب" * 5), _task(3, "ب" * 5)], "m")
    assert [t.id for t in plan.to_predict] == [2, 3, 1]


def test_batches_cover_every_item_once_in_order():
    assert list(batches(list(range(7)), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(batches([], 3)) == []
    with pytest.raises(ValueError):
        list(batches([1], 0))


def test_least_confident_skips_annotated_and_unpredicted_and_orders_by_score_then_id():
    def t(tid, ann, score, version="m"):
        return TaskState(tid, "x", ann, (HeldPrediction(version, score),) if score is not None else ())
    tasks = [t(1, 0, 0.9), t(2, 0, 0.2), t(3, 1, 0.1), t(4, 0, None), t(5, 0, 0.2), t(6, 0, 0.05, "other"),
             t(7, 0, 0.5)]
    assert least_confident(tasks, "m", 3) == [(2, 0.2), (5, 0.2), (7, 0.5)]
    assert [tid for tid, _ in least_confident(tasks, "m", 50)] == [2, 5, 7, 1]


def test_label_differences_name_the_labels_each_side_lacks():
    model = {"entities": ["O", "B-PER", "I-PER", "B-MISC", "I-MISC"], "claims": ["O"]}
    project = {"entities": ["O", "B-PER", "I-PER", "B-NORP", "I-NORP"], "events": ["O"]}
    assert label_differences(model, project) == [
        "layer 'claims' is in the model but not in the schema",
        "entities: model only: B-MISC, I-MISC; schema only: B-NORP, I-NORP",
        "layer 'events' is in the schema but the model has none",
    ]


def test_label_order_difference_is_reported():
    assert label_differences({"e": ["O", "B-A", "B-B"]}, {"e": ["O", "B-B", "B-A"]}) == [
        "e: same labels in a different order (model ['O', 'B-A', 'B-B'], schema ['O', 'B-B', 'B-A'])"]


def test_same_fingerprint_passes_and_other_schema_is_refused_with_labels(schema):
    assert check_same_schema(schema.fingerprint(), None, schema) == []
    maps = schema.label_maps()
    maps["entities"] = maps["entities"][:-2] + ["B-MISC", "I-MISC"]
    diffs = check_same_schema("0123456789ab", maps, schema)
    assert diffs == ["entities: model only: B-MISC, I-MISC; schema only: B-NORP, I-NORP"]
    # same labels, other fingerprint: the difference is in relations/choices, and it says so
    assert "roles, relations or choices differ" in check_same_schema("0123456789ab", schema.label_maps(), schema)[0]


class OtherSchemaModel:
    model_version = "tagger-deadbeef"
    schema_fingerprint = "0123456789ab"

    def __init__(self, maps):
        self.label_maps = maps


def test_model_from_another_schema_is_refused_naming_the_labels(schema):
    from annotation.loop.push import check_model_schema
    from annotation.errors import NisbaError

    maps = schema.label_maps()
    maps["events"] = [x for x in maps["events"] if not x.endswith("Life.Die")] + ["B-Life.Be-Born", "I-Life.Be-Born"]
    with pytest.raises(NisbaError) as err:
        check_model_schema(OtherSchemaModel(maps), schema, "artifacts/other-model")
    message = str(err.value)
    assert "artifacts/other-model (tagger-deadbeef) was trained on another schema" in message
    assert "events: model only: B-Life.Be-Born, I-Life.Be-Born; schema only: B-Life.Die, I-Life.Die" in message


def test_predict_input_file_writes_tasks_with_predictions_without_a_server(tmp_path, monkeypatch):
    import json
    from pathlib import Path

    from typer.testing import CliRunner

    from annotation.cli import app

    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # nothing listens: must not be used
    seed = Path(__file__).parent / "fixtures" / "syria-talks-2017.txt"
    out = tmp_path / "pred.jsonl"
    result = CliRunner().invoke(app, ["predict", "--model", "rules", "--input", str(seed), "--out", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.strip().splitlines()[-1])
    assert summary["tasks"] == 1 and summary["model_version"].startswith("rules-")
    task = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert task["data"]["text"] == seed.read_text(encoding="utf-8").lstrip("\ufeff")
    pred = task["predictions"][0]
    assert pred["model_version"] == summary["model_version"] and 0 < pred["score"] <= 1
    assert any(r["type"] == "relation" for r in pred["result"])


@pytest.mark.parametrize("value", ["0", "-2"])
def test_predict_refuses_fewer_than_one_request_in_flight(value, monkeypatch):
    from typer.testing import CliRunner

    from annotation.cli import app

    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # refused before any server is asked
    result = CliRunner().invoke(app, ["predict", "--model", "rules", "--in-flight", value])
    assert result.exit_code == 2
    assert "--in-flight" in result.output and f"{value} requests in flight: give 1 or more" in result.output


@pytest.mark.parametrize("value", [0, -1, 1.5, True])
def test_push_refuses_in_flight_below_one_before_asking_the_server(value, schema):
    from annotation.errors import NisbaError
    from annotation.loop.push import push_predictions

    with pytest.raises(NisbaError, match="in_flight must be a whole number of at least 1"):
        push_predictions(None, 1, object(), schema, in_flight=value)   # no client: it must not be used


@pytest.mark.parametrize("version", ["model+rules[events,claims]", ""])
def test_push_refuses_a_model_version_with_a_comma_before_asking_the_server(version, schema):
    from types import SimpleNamespace

    from annotation.errors import NisbaError
    from annotation.loop.push import push_predictions

    with pytest.raises(NisbaError, match="empty or holding a comma"):
        push_predictions(None, 1, SimpleNamespace(model_version=version), schema)   # no client: it must not be used
