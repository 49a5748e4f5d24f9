"""One reader of .txt/.jsonl/.json for `nisba import` and `nisba predict --input`
(annotation/convert/task_files.read_task_file): one error format, one byte-order-mark handling."""

import json

import pytest

from annotation.convert.document import content_hash
from annotation.convert.task_files import read_task_file
from annotation.errors import NisbaError
from annotation.schema.schema import load_schema
from training.predict.predict_file import read_input

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب"


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.mark.parametrize("suffix, body", [
    (".txt", TEXT),
    (".jsonl", json.dumps({"text": TEXT}, ensure_ascii=False) + "\n"),
    (".json", json.dumps([{"data": {"text": TEXT}}], ensure_ascii=False)),
])
def test_leading_byte_order_mark_is_dropped_in_every_format(tmp_path, schema, suffix, body):
    # import kept it in a .txt (shifting offsets and the content hash) and refused it in .jsonl/.json
    # ("not JSON"); predict --input dropped it: it is the file's encoding signature, not text
    path = tmp_path / f"a{suffix}"
    path.write_bytes(b"\xef\xbb\xbf" + body.encode("utf-8"))
    for tasks in (read_task_file(path, schema), read_input(path, schema)):
        [task] = tasks
        assert task["data"]["text"] == TEXT and task["data"]["content_hash"] == content_hash(TEXT)


def test_predict_input_errors_name_file_and_line_like_import(tmp_path, schema):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "نص"}\n{"text": \n', encoding="utf-8")
    for read in (lambda p: read_task_file(p, schema), lambda p: read_input(p, schema)):
        with pytest.raises(NisbaError, match=r"bad\.jsonl:2: not JSON"):
            read(path)


def test_predict_input_tasks_are_the_tasks_import_makes(tmp_path, schema):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 3, "data": {"text": TEXT, "meta": {"k": 1}}}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    [imported] = read_task_file(path, schema)
    [for_predict] = read_input(path, schema)
    assert for_predict == {**imported, "id": 3}
