"""One label comparison (annotation/schema/label_maps.py) behind push, model loading, training and evaluation."""

from annotation.schema.label_maps import bio_types, label_diff


def test_label_diff_names_each_side_in_its_own_order():
    diff = label_diff(["PER", "MISC", "ORG", "X"], ["ORG", "NORP", "PER"])
    assert diff.only_left == ["MISC", "X"] and diff.only_right == ["NORP"] and not diff.reordered


def test_same_labels_in_another_order_is_a_difference():
    assert label_diff(["O", "B-A", "B-B"], ["O", "B-B", "B-A"]) == ([], [], True)
    assert not label_diff(["A", "B"], ["A", "B"])


def test_bio_types_keep_first_seen_order_without_o():
    assert bio_types(["O", "B-PER", "I-PER", "B-Life.Die", "I-Life.Die"]) == ["PER", "Life.Die"]


def test_classlabel_names_read_from_list_and_nested_features():
    from datasets import ClassLabel, Features, List, Value

    from annotation.dataset.arrow_rows import label_ids
    from annotation.dataset.layout import classlabel_names, layer_label_names

    features = Features({
        "text": Value("string"),
        "entities": List({"start": Value("int32"), "label": ClassLabel(names=["PER", "ORG"])}),
        "events": List({"type": Value("string"),
                        "arguments": List({"role": ClassLabel(names=["Agent", "Place"])})}),
    })
    assert classlabel_names(features["events"], "role", nested="arguments") == ["Agent", "Place"]
    assert layer_label_names(features, ["entities", "events"]) == {"entities": ["PER", "ORG"], "events": None}
    assert label_ids(features)[("events", "arguments", "role")] == {"Agent": 0, "Place": 1}
