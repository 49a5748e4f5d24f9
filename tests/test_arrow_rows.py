"""RowWriter: document-view rows to an Arrow file, the same dataset datasets' own writer makes."""

from __future__ import annotations

import copy

import pytest

from annotation.dataset.arrow_rows import RowWriter, encode_labels, label_ids
from annotation.convert.document import document_features
from annotation.errors import NisbaError
from annotation.dataset.pull import convert_task
from annotation.schema.schema import load_schema
from tests.pull_fixtures import TEXT, annotation, claim_result, task


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def _rows(schema):
    events = [{"id": "ev1", "from_name": "events", "to_name": "text", "type": "labels",
               "value": {"start": 0, "end": 3, "text": TEXT[0:3], "labels": ["Contact.Meet"]}}]
    tasks = [task(1, TEXT, [annotation(11, claim_result())]),
             task(2, TEXT + " .", [annotation(21, events)]),
             task(3, "نص بلا شيء", [annotation(31, [])])]
    return [convert_task(t, schema).row for t in tasks]


def test_row_writer_file_reads_back_like_datasets_own_writer(schema, tmp_path):
    from datasets import Dataset
    from datasets.arrow_writer import ArrowWriter

    features = document_features(schema)
    rows = _rows(schema)
    theirs = ArrowWriter(features=features, path=str(tmp_path / "theirs.arrow"))
    for row in copy.deepcopy(rows):
        theirs.write(row)
    theirs.finalize()
    theirs.close()
    ours = RowWriter(tmp_path / "ours.arrow", features, batch=2)   # two batches
    for row in copy.deepcopy(rows):
        ours.write(row)
    ours.close()
    a, b = Dataset.from_file(str(tmp_path / "theirs.arrow")), Dataset.from_file(str(tmp_path / "ours.arrow"))
    assert b.features == a.features == features
    assert b.to_list() == a.to_list() and len(b) == 3 and ours.count == 3


def test_row_writer_with_no_rows_makes_an_empty_dataset_with_the_features(schema, tmp_path):
    from datasets import Dataset

    features = document_features(schema)
    RowWriter(tmp_path / "empty.arrow", features).close()
    ds = Dataset.from_file(str(tmp_path / "empty.arrow"))
    assert len(ds) == 0 and ds.features == features


def test_encode_labels_turns_names_into_schema_ids(schema):
    features = document_features(schema)
    row = _rows(schema)[0]
    encode_labels(row, label_ids(features))
    names = features["entities"].feature["label"].names if hasattr(features["entities"], "feature") \
        else features["entities"][0]["label"].names
    assert [names[e["label"]] for e in row["entities"]] == ["PER", "ORG"]


def test_encode_labels_refuses_an_unknown_label_naming_the_task(schema):
    features = document_features(schema)
    row = _rows(schema)[0]
    row["entities"][0]["label"] = "VEHICLE"
    with pytest.raises(NisbaError, match=r"task 1: entities label 'VEHICLE'"):
        encode_labels(row, label_ids(features))
