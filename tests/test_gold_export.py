"""Pull --from-export into a DatasetDict, then the gold exports (jsonl round trip, CoNLL, parquet, card)."""

from __future__ import annotations

import gzip
import json

import pytest
from typer.testing import CliRunner

from annotation.cli import app
from annotation.dataset.exports import conll_lines, export, task_for_import
from annotation.dataset.pull import convert_task, pull_from_export
from annotation.schema.schema import load_schema
from annotation.dataset.splits import parse_ratios
from tests.pull_fixtures import TEXT, annotation, claim_result, label, relation, span, task

VIEW_FIELDS = ("id", "text", "meta", "entities", "events", "claims", "attribution", "relations")


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def make_tasks(n=12):
    tasks = []
    for i in range(1, n + 1):
        text = f"{TEXT} ({i})\nوأضاف أن هذا سيكون اختبارا للروس."
        result = claim_result(text)
        trig = span(text, "عملية")
        army = span(text, "الجيش")
        result += [label(f"t{i}", "events", "Conflict.Attack", text, *trig),
                   label(f"g{i}", "entities", "ORG", text, *army), relation(f"t{i}", f"g{i}", "Attacker")]
        tasks.append(task(i, text, [annotation(1000 + i, result, who=1 + i % 2)]))
    return tasks


@pytest.fixture(scope="module")
def pulled(tmp_path_factory, schema):
    root = tmp_path_factory.mktemp("pull")
    src = root / "export.json"
    src.write_text(json.dumps(make_tasks(), ensure_ascii=False), encoding="utf-8")
    out = root / "data"
    result = pull_from_export(src, out, schema, ratios=parse_ratios("0.5,0.25,0.25"))
    return out, result


def test_pull_from_export_writes_a_loadable_dataset_dict_with_provenance(pulled, schema):
    from datasets import load_from_disk

    out, result = pulled
    ds = load_from_disk(str(out))
    assert sorted(ds) == ["test", "train", "validation"]
    assert sum(len(ds[s]) for s in ds) == 12
    assert ds["train"].features["entities"].feature["label"].names == list(schema.layer("entities").labels)
    prov = json.loads((out / "nisba_pull.json").read_text())
    assert prov["format_version"] == 1 and prov["gold_policy"] == "latest"
    assert prov["schema_fingerprint"] == schema.fingerprint()
    raw = out / prov["raw_export"]
    import hashlib
    assert hashlib.sha256(gzip.decompress(raw.read_bytes())).hexdigest() == prov["raw_sha256"]
    assert (raw.parent / (raw.name + ".sha256")).read_text().startswith(prov["raw_sha256"])
    report = json.loads((out / "pull_report.json").read_text())
    assert report["counts"]["tasks_with_gold"] == 12 and report["problems"] == []


def test_splits_hold_each_document_once(pulled):
    from datasets import load_from_disk

    ds = load_from_disk(str(pulled[0]))
    ids = [i for s in ds for i in ds[s]["id"]]
    assert len(ids) == len(set(ids)) == 12


def test_jsonl_export_round_trips_to_the_identical_document_view(pulled, schema, tmp_path):
    from datasets import load_from_disk

    out, _ = pulled
    (path,) = export(out, "jsonl", tmp_path / "jsonl", schema)
    lines = [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines()]
    assert set(lines[0]) == {"data", "annotations"}
    assert set(lines[0]["data"]) == {"text", "meta", "content_hash"}
    # what Label Studio gives back after importing these tasks: new task and annotation ids
    reimported = [task(500 + i, l["data"]["text"], [annotation(900 + i, l["annotations"][0]["result"])],
                       meta=l["data"]["meta"]) for i, l in enumerate(lines)]
    again = {o.row["id"]: o.row for o in (convert_task(t, schema) for t in reimported)}
    ds = load_from_disk(str(out))
    names = {l.name: list(l.labels) for l in schema.layers}
    for split in ds:
        for row in ds[split]:
            plain = task_for_import(row, schema)  # labels decoded
            assert plain["data"]["content_hash"] == row["id"]
            before = convert_task(task(1, row["text"], [annotation(1, plain["annotations"][0]["result"])],
                                       meta=json.loads(row["meta"])), schema).row
            assert {k: again[row["id"]][k] for k in VIEW_FIELDS} == {k: before[k] for k in VIEW_FIELDS}
            assert [names["entities"][e["label"]] for e in row["entities"]] == [e["label"] for e in before["entities"]]


def test_conll_has_one_column_per_layer_and_sentence_breaks(schema):
    text = "وقال علوش إن المعارضة ستذهب. وذكرت سانا أن الجيش نفذ عملية"
    result = [label("p", "entities", "PER", text, *span(text, "علوش")),
              label("c", "claims", "CLAIM", text, *span(text, "المعارضة ستذهب")),
              label("e", "events", "Conflict.Attack", text, *span(text, "عملية"))]
    row = convert_task(task(1, text, [annotation(1, result)]), schema).row
    lines = conll_lines(row, schema)
    assert lines[0] == f"-DOCSTART-\t{row['id']}"
    body = [l.split("\t") for l in lines[2:]]
    assert body[0] == ["وقال", "O", "O", "O"]
    rows = {cols[0]: cols for cols in body if cols != [""]}
    assert rows["علوش"] == ["علوش", "B-PER", "O", "O"]
    assert rows["المعارضة"][3] == "B-CLAIM" and rows["ستذهب"][3] == "I-CLAIM"
    assert rows["عملية"][2] == "B-Conflict.Attack"
    dot = next(i for i, c in enumerate(body) if c[0] == ".")
    assert body[dot + 1] == [""]  # sentence break after the full stop


def test_conll_does_not_break_a_sentence_inside_a_span(schema):
    text = "قال إن الوضع صعب. والحل بعيد"
    result = [label("c", "claims", "CLAIM", text, *span(text, "الوضع صعب. والحل بعيد"))]
    row = convert_task(task(1, text, [annotation(1, result)]), schema).row
    lines = conll_lines(row, schema)[2:]
    assert lines.count("") == 1 and lines[-1] == ""


def test_parquet_export_writes_one_file_per_split(pulled, schema, tmp_path):
    paths = export(pulled[0], "parquet", tmp_path / "pq", schema)
    assert sorted(p.name for p in paths) == ["test.parquet", "train.parquet", "validation.parquet"]


def test_dataset_card_has_provenance_counts_and_annotators(pulled, schema):
    card = (pulled[0] / "README.md").read_text(encoding="utf-8")
    prov = json.loads((pulled[0] / "nisba_pull.json").read_text())
    assert prov["raw_sha256"] in card
    rows = {line.split(" | ")[0].strip("| "): line for line in card.splitlines() if line.startswith("| ")}
    assert rows["CLAIM"].endswith("| 12 |") and rows["Conflict.Attack"].endswith("| 12 |")
    assert rows["PER"].endswith("| 12 |") and rows["LOC"].endswith("| 0 |")
    assert "## Annotators" in card and "## Agreement" in card


def test_cli_pull_from_truncated_export_fails_and_keeps_the_report(tmp_path):
    blob = json.dumps(make_tasks(4), ensure_ascii=False).encode()
    src = tmp_path / "cut.json"
    src.write_bytes(blob[: int(len(blob) * 0.9)])
    out = tmp_path / "data"
    runner = CliRunner()
    res = runner.invoke(app, ["pull", "--from-export", str(src), "--out", str(out)])
    assert res.exit_code == 1, res.output
    assert not out.exists()   # nothing half-written where the dataset goes
    report = json.loads((tmp_path / "data.failed" / "pull_report.json").read_text())
    assert report["counts"]["tasks_with_gold"] == 3
    assert report["problem_counts"] == {"export_unreadable": 1}
    assert "task #4" in report["problems"][0]["message"]


def test_cli_export_conll_and_agreement(pulled, tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["export", "--data", str(pulled[0]), "--format", "conll", "--out", str(tmp_path / "c")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "c" / "train.conll").read_text(encoding="utf-8").startswith("-DOCSTART-\t")
    res = runner.invoke(app, ["agreement", "--data", str(pulled[0]), "--json", str(tmp_path / "a.json")])
    assert res.exit_code == 0, res.output
    assert json.loads((tmp_path / "a.json").read_text())["format_version"] == 1


@pytest.mark.parametrize("args, message", [
    (["--gold", "nope"], "--gold 'nope'"),
    (["--ratios", "0.5,0.2"], "must sum to 1"),
])
def test_cli_pull_bad_options_are_clear_errors(tmp_path, args, message):
    src = tmp_path / "export.json"
    src.write_text("[]", encoding="utf-8")
    res = CliRunner().invoke(app, ["pull", "--from-export", str(src), "--out", str(tmp_path / "d"), *args])
    assert res.exit_code == 1
    assert message in res.output


def test_cli_export_of_a_folder_that_was_never_pulled_says_so(tmp_path):
    res = CliRunner().invoke(app, ["export", "--data", str(tmp_path), "--format", "conll"])
    assert res.exit_code == 1 and "not a pulled dataset" in res.output
