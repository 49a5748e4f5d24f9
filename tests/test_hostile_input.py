"""Hostile input (issue 17): each case that used to lose or corrupt data, pinned by name.

The README's "Hostile input" table lists every case with the test that reproduces it.
Unit tests only (no server); the server cases are in tests/integration/test_hostile_server.py.
"""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.convert.export_reader import ExportNotATaskList, ExportTrailingData, iter_export
from tests.test_gold_export import make_tasks


def _pull(src, out, *extra):
    return CliRunner().invoke(app, ["pull", "--from-export", str(src), "--out", str(out), *extra])


def _docs(out) -> int:
    from datasets import load_from_disk

    ds = load_from_disk(str(out))
    return sum(len(ds[s]) for s in ds)


def _report(folder):
    return json.loads((folder / "pull_report.json").read_text(encoding="utf-8"))


# --- 1. a truncated export never replaces a good dataset -----------------------------------

def test_truncated_export_exits_non_zero_and_never_replaces_the_dataset(tmp_path):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(make_tasks(12), ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "data"
    assert _pull(good, out).exit_code == 0 and _docs(out) == 12
    before = json.loads((out / "nisba_pull.json").read_text())
    blob = json.dumps(make_tasks(12), ensure_ascii=False).encode()
    cut = tmp_path / "trunc.json"
    cut.write_bytes(blob[: len(blob) // 2])
    res = _pull(cut, out)
    assert res.exit_code == 1
    assert "near byte" in res.output and f"{out} was left as it was" in " ".join(res.output.split())
    assert _docs(out) == 12 and json.loads((out / "nisba_pull.json").read_text()) == before
    assert _report(tmp_path / "data.failed")["problem_counts"] == {"export_unreadable": 1}


def test_successful_pull_swaps_in_and_keeps_the_previous_dataset_and_raw_exports(tmp_path):
    out = tmp_path / "data"
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    first.write_text(json.dumps(make_tasks(12), ensure_ascii=False), encoding="utf-8")
    second.write_text(json.dumps(make_tasks(5), ensure_ascii=False), encoding="utf-8")
    assert _pull(first, out).exit_code == 0
    res = _pull(second, out)
    assert res.exit_code == 0, res.output
    assert _docs(out) == 5 and _docs(tmp_path / "data.previous") == 12
    assert len(list((out / "raw").glob("*.json.gz"))) == 2   # both raw exports stay with the dataset
    assert not list(tmp_path.glob(".data.pull-*"))          # no staging folder left behind


def test_pull_refuses_to_replace_a_folder_that_is_not_a_pulled_dataset(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me", encoding="utf-8")
    src = tmp_path / "e.json"
    src.write_text(json.dumps(make_tasks(2), ensure_ascii=False), encoding="utf-8")
    res = _pull(src, out)
    assert res.exit_code == 1 and "not a pulled dataset" in res.output
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me"


# --- 2. trailing data after the export's list ----------------------------------------------

@pytest.mark.parametrize("use_ijson", [False, True])
def test_trailing_data_after_the_export_list_names_the_byte(tmp_path, use_ijson):
    one = json.dumps(make_tasks(2), ensure_ascii=False).encode()
    path = tmp_path / "two.json"
    path.write_bytes(one + b"\n" + one)   # two exports pasted together
    with pytest.raises(ExportTrailingData) as err:
        list(iter_export(path, use_ijson=use_ijson))
    assert err.value.byte == len(one) + 1
    assert f"at byte {len(one) + 1}" in str(err.value)


def test_pull_of_two_concatenated_exports_fails_with_trailing_data(tmp_path):
    one = json.dumps(make_tasks(2), ensure_ascii=False)
    src = tmp_path / "two.json"
    src.write_text(one + "garbage", encoding="utf-8")
    res = _pull(src, tmp_path / "data")
    assert res.exit_code == 1 and "data after the end of the list" in res.output
    assert _report(tmp_path / "data.failed")["problem_counts"] == {"export_trailing_data": 1}


# --- 9. empty, wrapped and inconsistent exports --------------------------------------------

def test_empty_export_is_a_problem_and_strict_fails(tmp_path):
    src = tmp_path / "empty.json"
    src.write_text("[]", encoding="utf-8")
    assert _pull(src, tmp_path / "lax").exit_code == 0
    assert _report(tmp_path / "lax")["problem_counts"] == {"empty_export": 1}
    res = _pull(src, tmp_path / "strict", "--strict")
    assert res.exit_code == 1 and "1 problem" in res.output


def test_export_wrapped_in_an_object_says_expected_a_list(tmp_path):
    src = tmp_path / "wrapped.json"
    src.write_text(json.dumps({"tasks": make_tasks(2)}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ExportNotATaskList, match=r"expected a list of tasks .* keys \['tasks'\]"):
        list(iter_export(src))
    res = _pull(src, tmp_path / "data")
    assert res.exit_code == 1 and "expected a list of tasks" in res.output
    assert "missing_text" not in res.output


def test_same_task_id_with_two_texts_is_reported_and_strict_fails(tmp_path):
    a, b = make_tasks(2)
    b["id"] = a["id"]
    src = tmp_path / "merged.json"
    src.write_text(json.dumps([a, b], ensure_ascii=False), encoding="utf-8")
    assert _pull(src, tmp_path / "lax").exit_code == 0
    (problem,) = _report(tmp_path / "lax")["problems"]
    assert problem["kind"] == "task_id_reused" and problem["task_id"] == a["id"]
    assert _pull(src, tmp_path / "strict", "--strict").exit_code == 1


# --- 3, 4, 5, 10: import files ---------------------------------------------------------------

from annotation.convert.task_files import read_task_file  # noqa: E402
from annotation.errors import NisbaError  # noqa: E402

ARTICLE = "وقال علوش لرويترز إن المعارضة ستذهب"


@pytest.fixture(scope="module")
def schema():
    from annotation.schema.schema import load_schema

    return load_schema()


def _per(start=5, end=9):
    return {"id": "p1", "from_name": "entities", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": ARTICLE[5:9], "labels": ["PER"]}}


def _jsonl(tmp_path, *objs, name="in.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(o if isinstance(o, str) else json.dumps(o, ensure_ascii=False) for o in objs) + "\n",
                    encoding="utf-8")
    return path


def test_flat_jsonl_line_with_annotations_imports_them_as_annotations(tmp_path, schema):
    path = _jsonl(tmp_path, {"text": ARTICLE, "meta": {"src": "x"}, "annotations": [{"result": [_per()]}]})
    (task,) = read_task_file(path, schema)
    assert [a["result"][0]["value"]["labels"] for a in task["annotations"]] == [["PER"]]
    assert "annotations" not in task["data"]        # never a data field any more


def test_flat_jsonl_line_with_a_wrong_annotation_names_the_line(tmp_path, schema):
    bad = _per()
    bad["value"]["text"] = "غلط"
    path = _jsonl(tmp_path, {"text": ARTICLE}, {"text": ARTICLE + ".", "annotations": [{"result": [bad]}]})
    with pytest.raises(NisbaError, match=r"in.jsonl:2: annotations\[0\]"):
        read_task_file(path, schema)


def test_utf16le_without_bom_is_refused_and_named(tmp_path, schema):
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-16-le"))   # valid UTF-8 too: NULs between the letters
    with pytest.raises(NisbaError, match=r"article.txt: looks like UTF-16LE .*iconv -f UTF-16LE"):
        read_task_file(path, schema)


def test_utf16_jsonl_is_refused_and_named(tmp_path, schema):
    path = tmp_path / "a.jsonl"
    path.write_bytes(json.dumps({"text": ARTICLE}, ensure_ascii=False).encode("utf-16"))   # with a BOM
    with pytest.raises(NisbaError, match=r"a.jsonl: looks like UTF-16LE"):
        read_task_file(path, schema)


def test_nul_byte_in_a_text_file_names_file_and_offset(tmp_path, schema):
    path = tmp_path / "nul.txt"
    path.write_bytes(ARTICLE.encode("utf-8") + b"\n\x00tail")
    offset = len(ARTICLE.encode("utf-8")) + 1
    with pytest.raises(NisbaError, match=rf"nul.txt:2: a NUL byte at offset {offset}"):
        read_task_file(path, schema)


def test_escaped_nul_or_many_controls_in_jsonl_text_name_line_and_offset(tmp_path, schema):
    path = _jsonl(tmp_path, {"text": ARTICLE}, {"text": "ab\u0000c"})
    with pytest.raises(NisbaError, match=r"in.jsonl:2: the text holds a NUL character at offset 2"):
        read_task_file(path, schema)
    path = _jsonl(tmp_path, {"text": "a\u0001b\u0002c\u0003d\u0004"})
    with pytest.raises(NisbaError, match=r"in.jsonl:1: the text holds 4 control characters .* offset 1"):
        read_task_file(path, schema)


def test_offsets_given_as_strings_become_ints(tmp_path, schema):
    path = _jsonl(tmp_path, {"data": {"text": ARTICLE}, "annotations": [{"result": [_per("5", "9")]}],
                             "predictions": [{"result": [_per(5.0, "9")], "model_version": "m"}]})
    (task,) = read_task_file(path, schema)
    for kind in ("annotations", "predictions"):
        value = task[kind][0]["result"][0]["value"]
        assert (value["start"], value["end"]) == (5, 9) and type(value["start"]) is int


@pytest.mark.parametrize("bad", ["five", "5.5", True, None])
def test_offsets_that_are_not_whole_numbers_are_refused_with_the_line(tmp_path, schema, bad):
    path = _jsonl(tmp_path, {"text": ARTICLE}, {"data": {"text": ARTICLE + "!"},
                                                "annotations": [{"result": [_per(bad, 9)]}]})
    with pytest.raises(NisbaError, match=r"in.jsonl:2: annotations\[0\]: result\[0\].value.start is"):
        read_task_file(path, schema)


def test_lone_surrogate_in_jsonl_names_file_and_line(tmp_path, schema):
    path = tmp_path / "s.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "bad \\ud800 here"}\n', encoding="utf-8")
    with pytest.raises(NisbaError, match=r"s.jsonl:2: holds a lone surrogate"):
        read_task_file(path, schema)


# --- 6. schema typos, duplicate keys, unsafe names ---------------------------------------------

from annotation.schema.schema import DEFAULT_SCHEMA, SchemaError, load_schema, parse_schema  # noqa: E402


def _schema_text(tmp_path, text: str):
    path = tmp_path / "schema.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("old, new, path, nearest", [
    ("    roles: [", "    rolez: [", "layers.events.rolez", "roles"),
    ("title: nisba Arabic news", "titel: nisba Arabic news", "titel", "title"),
    ("- {value: PER, description:", "- {value: PER, descripton:", "layers.entities.labels[0].descripton",
     "description"),
    ("- {value: PER,", "- {value: PER, hotky: p,", "layers.entities.labels[0].hotky", "hotkey"),
])
def test_unknown_schema_key_names_its_path_and_the_nearest_known_key(tmp_path, old, new, path, nearest):
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(SchemaError, match=rf"^{re.escape(path)}: unknown key .*did you mean '{nearest}'"):
        load_schema(_schema_text(tmp_path, text.replace(old, new, 1)))


def test_layer_defined_twice_is_a_duplicate_key_error_with_its_line(tmp_path):
    text = DEFAULT_SCHEMA.read_text(encoding="utf-8")
    text = text.replace("  claims:\n", "  entities:\n    labels: [X]\n  claims:\n", 1)
    with pytest.raises(SchemaError, match=r"duplicate key 'entities' \(first on line \d+\)"):
        load_schema(_schema_text(tmp_path, text))


@pytest.mark.parametrize("where, bad", [
    ("layer", "my events"), ("layer", "a" * 41), ("layer", "x<y"),
    ("label", " PER"), ("label", "P\nER"), ("label", "L" * 65), ("label", "PER\u200e"),
])
def test_unsafe_layer_and_label_names_are_refused(where, bad):
    import yaml

    raw = yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    if where == "layer":
        raw["layers"] = {bad if k == "events" else k: v for k, v in raw["layers"].items()}
        match = r"layers\..*: layer name .* must be letters"
    else:
        raw["layers"]["entities"]["labels"][0] = {"value": bad}
        match = r"layers.entities.labels\[0\].value: label .* must be printable"
    with pytest.raises(SchemaError, match=match):
        parse_schema(raw, ["SANA"])


# --- 10. a broken model directory is a message, not a traceback --------------------------------

def _model_dir(tmp_path, schema):
    from transformers import BertConfig

    from training.train.model import META_FILE, MODEL_FORMAT_VERSION

    out = tmp_path / "model"
    out.mkdir()
    BertConfig(vocab_size=20, hidden_size=8, num_hidden_layers=1, num_attention_heads=1,
               intermediate_size=8).save_pretrained(out)
    meta = {"format_version": MODEL_FORMAT_VERSION, "schema_fingerprint": schema.fingerprint(),
            "layers": ["entities"], "label_maps": {"entities": schema.label_maps()["entities"]},
            "model_version": "m-1", "train_config": {}}
    (out / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    return out


def test_corrupt_nisba_json_names_the_model_dir(tmp_path, schema):
    from training.predict.load import load_predictor

    out = _model_dir(tmp_path, schema)
    text = (out / "nisba.json").read_text(encoding="utf-8")
    (out / "nisba.json").write_text(text[: len(text) // 2], encoding="utf-8")
    with pytest.raises(NisbaError, match=rf"{re.escape(str(out))}: nisba.json is corrupt \(not JSON"):
        load_predictor(str(out), schema)


def test_missing_weights_name_the_model_dir(tmp_path, schema):
    from training.train.model import load_model

    out = _model_dir(tmp_path, schema)
    with pytest.raises(NisbaError, match=rf"{re.escape(str(out))}: no weights \(model.safetensors is missing\)"):
        load_model(out, schema)


def test_truncated_weights_name_the_model_dir(tmp_path, schema):
    import torch
    from safetensors.torch import save_file

    from training.train.model import WEIGHTS_FILE, load_model

    out = _model_dir(tmp_path, schema)
    save_file({"w": torch.zeros(64, 64)}, str(out / WEIGHTS_FILE))
    blob = (out / WEIGHTS_FILE).read_bytes()
    (out / WEIGHTS_FILE).write_bytes(blob[: len(blob) // 3])
    with pytest.raises(NisbaError, match=rf"{re.escape(str(out))}: the weights in {WEIGHTS_FILE} are unreadable"):
        load_model(out, schema)


# --- 11. the Label Studio data folder is private ------------------------------------------------

def test_label_studio_data_folder_is_created_mode_700(tmp_path):
    import stat

    from annotation.labelstudio.server import credentials

    data = tmp_path / "state" / "data"
    credentials(data)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "nisba-admin.json").stat().st_mode) == 0o600


def test_start_tightens_a_data_folder_others_can_read(tmp_path):
    import stat

    from annotation.labelstudio.server import secure_data_dir

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "label_studio.sqlite3").write_bytes(b"")
    (data / "label_studio.sqlite3").chmod(0o644)
    assert secure_data_dir(data) == f"tightened {data} from mode 755 to 700: it holds the database and its API token"
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "label_studio.sqlite3").stat().st_mode) == 0o600
    assert secure_data_dir(data) is None   # already private: nothing to say


def test_start_warns_when_it_cannot_tighten_the_data_folder(tmp_path, monkeypatch):
    import os

    from annotation.labelstudio import server

    data = tmp_path / "data"
    data.mkdir()
    data.chmod(0o755)

    def refuse(path, mode):
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(server.os, "chmod", refuse)
    message = server.secure_data_dir(data)
    assert message.startswith(f"warning: {data} is mode 755, readable by other users")
    assert f"chmod 700 {data}" in message
    monkeypatch.setattr(server.os, "chmod", os.chmod)


# --- 3, 7, 8: the pure halves of the server checks ----------------------------------------------

def _config(schema, mutate=None):
    import copy

    from annotation.schema.labeling_config import labeling_config

    raw = copy.deepcopy(schema.raw)
    if mutate:
        mutate(raw)
    return labeling_config(parse_schema(raw, ["SANA"]))


def test_config_with_a_renamed_control_lists_what_predictions_would_miss(schema):
    from annotation.schema.config_diff import missing_in

    def rename(raw):
        raw["layers"] = {("my_events" if k == "events" else k): v for k, v in raw["layers"].items()}
        raw["roles"]["events"] = "my_events"   # the roles follow the rename, as in a real schema edit

    lines = missing_in(_config(schema, rename), _config(schema))
    assert lines[0].startswith("control 'events' (Labels) is not in the project (it has Labels ")
    assert "'my_events'" in lines[0]
    assert missing_in(_config(schema), _config(schema)) == []


def test_config_missing_a_label_names_it(schema):
    from annotation.schema.config_diff import missing_in

    def drop(raw):
        raw["layers"]["entities"]["labels"] = [l for l in raw["layers"]["entities"]["labels"] if l["value"] != "NORP"]

    assert missing_in(_config(schema, drop), _config(schema)) == ["control 'entities': ['NORP'] only in the schema"]


def test_removed_labels_relations_and_choices_are_counted_where_used(schema):
    from annotation.schema.config_diff import count_uses, removed_by

    def shrink(raw):
        raw["layers"]["entities"]["labels"] = [l for l in raw["layers"]["entities"]["labels"] if l["value"] != "NORP"]
        raw["relations"] = [r for r in raw["relations"] if r["value"] != "cue"]
        raw["choices"] = [c for c in raw["choices"] if c["name"] != "stance"]
        del raw["roles"]["cue_claim"], raw["roles"]["stance"]   # unbind the roles of what was removed

    removed = removed_by(_config(schema), _config(schema, shrink))
    assert removed == {"entities": {"NORP"}, "stance": {"*"}, "<relations>": {"cue"}}
    result = [
        {"id": "a", "from_name": "entities", "type": "labels", "value": {"start": 0, "end": 2, "labels": ["NORP"]}},
        {"id": "b", "from_name": "entities", "type": "labels", "value": {"start": 3, "end": 4, "labels": ["PER"]}},
        {"id": "c", "from_name": "stance", "type": "choices", "value": {"start": 5, "end": 9, "choices": ["denied"]}},
        {"from_id": "x", "to_id": "c", "type": "relation", "labels": ["cue"]},
    ]
    assert count_uses([result, result], removed) == {"entities: label NORP": 2, "stance: the whole control": 2,
                                                     "relation cue": 2}


def test_annotations_to_add_skips_what_the_held_task_has_and_repeats(schema):
    from annotation.convert.annotation_match import annotations_to_add
    from annotation.convert.task_files import make_task

    per = [_per()]
    org = [{**_per(), "value": {**_per()["value"], "labels": ["ORG"]}}]
    task = make_task(ARTICLE, {}, schema, annotations=[{"result": per}, {"result": org}, {"result": org}])
    other = make_task(ARTICLE + "!", {}, schema, annotations=[{"result": per}])
    server_per = [{**_per(), "origin": "manual", "value": {**_per()["value"], "text": "علوش"}}]
    held = {task["data"]["content_hash"]: (17, [server_per])}
    assert annotations_to_add([task, other], held) == [(17, {"result": org})]


def test_every_test_the_readme_hostile_input_table_names_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parent
    readme = (root.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Hostile input", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"`(test_\w+)`", section))
    defined = set()
    for path in root.rglob("test_*.py"):
        defined |= set(re.findall(r"^\s*(?:async )?def (test_\w+)", path.read_text(encoding="utf-8"), re.M))
    assert len(named) > 30
    assert sorted(named - defined) == []
