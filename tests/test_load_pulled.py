"""One way to open a pulled dataset (annotation/dataset/layout.load_pulled): train, evaluate,
the exports, the card and `nisba claims` get the same clear errors."""

import pytest
from datasets import Dataset, DatasetDict

from annotation.dataset.layout import load_pulled, pulled_splits
from annotation.errors import NisbaError
from training.evaluate.evaluation import load_split
from training.train.trainer import load_data


def test_missing_folder_says_to_pull_first(tmp_path):
    for load in (load_pulled, load_data, lambda d: load_split(d, "test")):
        with pytest.raises(NisbaError, match=r"no dataset here; run `nisba pull --out"):
            load(tmp_path / "absent")


def test_single_dataset_is_named_as_such(tmp_path):
    Dataset.from_dict({"text": ["x"]}).save_to_disk(str(tmp_path / "one"))
    for load in (load_pulled, load_data, lambda d: load_split(d, "test")):
        with pytest.raises(NisbaError, match="a single Dataset was saved"):
            load(tmp_path / "one")


def test_folder_without_dataset_dict_is_not_a_pulled_dataset(tmp_path):
    with pytest.raises(NisbaError, match=r"not a pulled dataset \(no dataset_dict.json\)"):
        load_data(tmp_path)


def test_pulled_dataset_opens_with_its_splits(tmp_path):
    DatasetDict({"train": Dataset.from_dict({"text": ["a"]}), "test": Dataset.from_dict({"text": ["b"]})}) \
        .save_to_disk(str(tmp_path / "d"))
    assert sorted(pulled_splits(tmp_path / "d")) == ["test", "train"]
    assert load_pulled(tmp_path / "d")["test"]["text"] == ["b"]
    assert load_split(tmp_path / "d", "train")[0] == {"train": 1, "test": 1}
