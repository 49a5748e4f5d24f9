"""The task's text field and the scored layers come from the schema, never a literal "text"."""

import dataclasses
import json

from annotation.convert.task_files import make_task
from annotation.schema.schema import load_schema
from training.evaluate.rules_eval import load_gold


def _body_schema():
    return dataclasses.replace(load_schema(), text_name="body")


def test_task_text_field_comes_from_the_schema():
    task = make_task("نص المقال", {}, _body_schema())
    assert task["data"]["body"] == "نص المقال" and "text" not in task["data"]


def test_rules_eval_reads_the_gold_text_from_the_schema_field(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"id": 1, "data": {"body": "قال الوزير"}, "annotations": [{"result": []}]}],
                               ensure_ascii=False), encoding="utf-8")
    docs, problems = load_gold(gold, _body_schema())
    assert [d["text"] for d in docs] == ["قال الوزير"] and problems == []
