"""Reading import files into tasks (exact text, line-numbered errors) and the dedup logic."""

from __future__ import annotations

import json

import pytest

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.labelstudio.tasks import ImportReport, new_tasks
from annotation.convert.regions import Region, to_result
from annotation.convert.task_files import corpus_tasks, make_task, read_task_file, read_task_files

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب"


def write_jsonl(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


def test_txt_text_is_stored_exactly_with_whitespace_and_crlf(tmp_path, schema):
    raw = "\ufeff  سطر أول\r\nسطر ثان\n\n"
    path = tmp_path / "a.txt"
    path.write_bytes(raw.encode("utf-8"))
    [task] = read_task_file(path, schema)
    # the leading byte-order mark is the file's signature, not text (test_task_file_reader.py)
    assert task["data"]["text"] == raw.removeprefix("\ufeff")
    assert task["data"]["content_hash"] == content_hash(raw.removeprefix("\ufeff"))
    assert task["data"]["meta"] == {"file": "a.txt"}


def test_seed_article_reads_as_one_task(schema):
    [task] = read_task_file("tests/fixtures/syria-talks-2017.txt", schema)
    assert "علوش" in task["data"]["text"]


def test_non_utf8_file_names_file_and_line(tmp_path, schema):
    path = tmp_path / "bad.txt"
    path.write_bytes("سطر\nسطر\n".encode("utf-8") + "قال".encode("cp1256"))
    with pytest.raises(NisbaError, match=r"bad\.txt:3: not UTF-8"):
        read_task_file(path, schema)


@pytest.mark.parametrize("name,content", [("empty.txt", b""), ("blank.txt", b" \n\n"), ("empty.jsonl", b"\n")])
def test_empty_file_is_refused(tmp_path, schema, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(NisbaError, match=rf"{name}:1: empty file"):
        read_task_file(path, schema)


def test_jsonl_line_without_text_names_file_and_line(tmp_path, schema):
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": TEXT}, "", {"meta": {"id": 3}}])
    with pytest.raises(NisbaError, match=r"t\.jsonl:3: no 'text'"):
        read_task_file(path, schema)


def test_jsonl_line_that_is_not_json_names_the_line(tmp_path, schema):
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": TEXT}, "{oops"])
    with pytest.raises(NisbaError, match=r"t\.jsonl:2: not JSON"):
        read_task_file(path, schema)


def test_jsonl_plain_lines_keep_meta_and_text(tmp_path, schema):
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": " " + TEXT, "meta": {"source": "x"}}])
    [task] = read_task_file(path, schema)
    assert task["data"]["text"] == " " + TEXT
    assert task["data"]["meta"] == {"source": "x", "file": "t.jsonl", "line": 1}
    assert "annotations" not in task


def test_jsonl_label_studio_task_with_annotations_is_checked_and_kept(tmp_path, schema):
    result = to_result([Region("r1", "entities", "PER", 5, 9, "علوش")], [], schema)
    row = {"data": {"text": TEXT, "url": "u"}, "annotations": [{"result": result, "completed_by": 9}],
           "predictions": [{"result": result, "model_version": "m1", "score": 0.5}]}
    [task] = read_task_file(write_jsonl(tmp_path / "t.jsonl", [row]), schema)
    assert task["annotations"] == [{"result": result}]
    assert task["predictions"] == [{"result": result, "model_version": "m1", "score": 0.5}]
    assert task["data"]["url"] == "u"


def test_annotation_whose_span_misses_its_text_names_file_and_line(tmp_path, schema):
    result = to_result([Region("r1", "entities", "PER", 5, 9, "سانا")], [], schema)
    rows = [{"text": TEXT}, {"data": {"text": TEXT}, "annotations": [{"result": result}]}]
    with pytest.raises(NisbaError, match=r"t\.jsonl:2: annotations\[0\]: .*text_mismatch"):
        read_task_file(write_jsonl(tmp_path / "t.jsonl", rows), schema)


def test_unknown_suffix_is_refused(tmp_path, schema):
    (tmp_path / "a.csv").write_text("x")
    with pytest.raises(NisbaError, match="nisba reads"):
        read_task_file(tmp_path / "a.csv", schema)


def test_a_bad_file_stops_the_run_before_any_task(tmp_path, schema):
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": TEXT}])
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    with pytest.raises(NisbaError, match="bad.txt"):
        read_task_files([good, bad], schema)


def test_dedup_skips_server_hashes_and_repeats_within_the_run(schema):
    tasks = [make_task(t, {}, schema) for t in ["a text", "b text", "a text", "c text"]]
    report = ImportReport()
    fresh = new_tasks(tasks, {content_hash("c text")}, report)
    assert [t["data"]["text"] for t in fresh] == ["a text", "b text"]
    assert (report.skipped_existing, report.skipped_duplicate) == (1, 1)


def test_dedup_fills_in_a_missing_content_hash():
    report = ImportReport()
    [task] = new_tasks([{"data": {"text": "x"}}], set(), report)
    assert task["data"]["content_hash"] == content_hash("x")


def test_corpus_documents_become_tasks_with_gold_annotations(schema):
    from annotation.corpora.documents import CorpusDocument

    doc = CorpusDocument(TEXT, {"corpus": "t"}, [Region("r", "entities", "PER", 5, 9, "علوش")])
    [plain] = corpus_tasks([doc], schema)
    [gold] = corpus_tasks([doc], schema, with_annotations=True)
    assert "annotations" not in plain
    [item] = gold["annotations"][0]["result"]
    assert item["value"] == {"start": 5, "end": 9, "text": "علوش", "labels": ["PER"]}


def test_json_array_of_label_studio_tasks_is_read_and_checked(tmp_path, schema):
    result = to_result([Region("r1", "entities", "PER", 5, 9, "علوش")], [], schema)
    path = tmp_path / "t.json"
    path.write_text(json.dumps([{"data": {"text": TEXT}, "annotations": [{"result": result}]}, {"text": "نص"}],
                               ensure_ascii=False), encoding="utf-8")
    first, second = read_task_file(path, schema)
    assert first["annotations"] == [{"result": result}]
    assert second["data"]["meta"] == {"file": "t.json", "index": 1}
    path.write_text(json.dumps([{"text": "نص"}, {"data": {}}]), encoding="utf-8")
    with pytest.raises(NisbaError, match=r"t\.json\[1\]: no 'text'"):
        read_task_file(path, schema)


def test_seed_gold_fixture_reads_with_valid_annotations(schema):
    tasks = read_task_file("tests/fixtures/seed_gold.json", schema)
    assert len(tasks) == 1 and tasks[0]["annotations"][0]["result"]
