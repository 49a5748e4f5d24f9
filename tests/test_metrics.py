"""Evaluation scores: the seqeval metric module, the shared token view, exact span F1, confusion,
error pairing, and evaluate_model on a hand-made set of predictions."""

from __future__ import annotations

import os
import subprocess
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import pytest
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score

from _eval_data import (GOLD, HAND_GOLD, HAND_PRED, HAND_TOKENS, PRED, TEXT0, TEXT1, HandPredictor,
                        make_dataset, make_model_dir)
from annotation.errors import NisbaError
from training.evaluate.evaluation import evaluate_model
from training.evaluate.seqeval_eval import METRIC_PATH, load_seqeval, shared_tags
from training.evaluate.span_metrics import confusion, pair_errors, span_scores, worst_errors


def spans(regions, layer="entities"):
    return [(r.start, r.end, r.label) for r in regions if r.layer == layer]


@pytest.fixture(scope="module")
def metric():
    """Loaded by file path through evaluate.load (the hub's "seqeval" needs a network)."""
    m = load_seqeval()
    assert type(m).__name__ == "SeqevalMetric"
    return m


@pytest.mark.slow  # a fresh interpreter imports evaluate (and torch): 10-35 s
def test_metric_module_loads_offline_by_path(tmp_path):
    code = ("import evaluate, sys; m = evaluate.load(sys.argv[1]); "
            "r = m.compute(predictions=[['B-PER','I-PER','O']], references=[['B-PER','I-PER','O']]); "
            "print(r['overall_f1'], r['PER']['number'])")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1", "HF_EVALUATE_OFFLINE": "1",
           "HF_HOME": str(tmp_path / "hf"), "NO_PROXY": "*", "HTTPS_PROXY": "http://127.0.0.1:9"}
    out = subprocess.run([sys.executable, "-c", code, str(METRIC_PATH)], env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["1.0", "1"]


def test_metric_equals_seqeval_computed_directly(metric):
    result = metric.compute(predictions=HAND_PRED, references=HAND_GOLD)
    direct = classification_report(HAND_GOLD, HAND_PRED, output_dict=True, zero_division=0)
    for label in ("PER", "ORG", "GPE", "LOC"):
        assert result[label]["precision"] == pytest.approx(direct[label]["precision"])
        assert result[label]["recall"] == pytest.approx(direct[label]["recall"])
        assert result[label]["f1"] == pytest.approx(direct[label]["f1-score"])
        assert result[label]["number"] == direct[label]["support"]
    assert result["overall_f1"] == pytest.approx(f1_score(HAND_GOLD, HAND_PRED))
    assert result["overall_precision"] == pytest.approx(precision_score(HAND_GOLD, HAND_PRED))
    assert result["overall_recall"] == pytest.approx(recall_score(HAND_GOLD, HAND_PRED))
    assert result["overall_f1"] == pytest.approx(0.5)
    assert result["ORG"]["recall"] == pytest.approx(1 / 3)


def test_metric_without_any_entity_scores_zero_not_nan(metric):
    result = metric.compute(predictions=[["O", "O"]], references=[["O", "O"]])
    assert result == {"overall_precision": 0.0, "overall_recall": 0.0, "overall_f1": 0.0, "overall_accuracy": 1.0}


def test_metric_rejects_sequences_of_different_length(metric):
    with pytest.raises(ValueError, match="2 predicted tags but 1 reference"):
        metric.compute(predictions=[["O", "O"]], references=[["O"]])


def test_shared_tags_cut_tokens_at_gold_and_predicted_edges():
    for text, tokens, gold_tags, pred_tags in zip((TEXT0, TEXT1), HAND_TOKENS, HAND_GOLD, HAND_PRED):
        toks, g, p, problems = shared_tags(text, spans(GOLD[text]), spans(PRED[text]))
        assert [text[s:e] for s, e in toks] == tokens
        assert (g, p, problems) == (gold_tags, pred_tags, [])


def test_shared_tags_report_span_on_whitespace_instead_of_dropping_it():
    _, g, p, problems = shared_tags("قال علوش", [(3, 8, "PER")], [])
    assert g == ["O", "O"]
    assert problems == [{"side": "gold", "start": 3, "end": 8, "label": "PER", "text": " علوش",
                         "problem": "misaligned: span edge is not a token edge"}]


# hand-made span case: one right, one wrong boundary, one wrong label, one missed
SPAN_GOLD = [(0, 5, "PER"), (10, 15, "ORG"), (20, 25, "GPE"), (30, 35, "PER")]
SPAN_PRED = [(0, 5, "PER"), (10, 13, "ORG"), (20, 25, "LOC")]


def test_exact_span_f1_counts_only_identical_offsets_and_label():
    scores = span_scores([SPAN_GOLD], [SPAN_PRED], labels=["PER", "ORG", "GPE", "LOC", "FAC"])
    assert scores["overall"] == {"precision": pytest.approx(1 / 3), "recall": 0.25, "f1": pytest.approx(2 / 7),
                                 "tp": 1, "fp": 2, "fn": 3, "support": 4}
    per = scores["per_label"]
    assert list(per) == ["PER", "ORG", "GPE", "LOC", "FAC"]
    assert (per["PER"]["tp"], per["PER"]["fn"], per["PER"]["recall"], per["PER"]["precision"]) == (1, 1, 0.5, 1.0)
    assert (per["ORG"]["tp"], per["ORG"]["fp"], per["ORG"]["fn"], per["ORG"]["f1"]) == (0, 1, 1, 0.0)
    assert (per["GPE"]["fn"], per["LOC"]["fp"], per["LOC"]["support"]) == (1, 1, 0)
    assert per["FAC"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "fp": 0, "fn": 0, "support": 0}


def test_span_f1_is_micro_averaged_over_documents():
    scores = span_scores([[(0, 3, "PER")], [(0, 3, "PER"), (5, 9, "ORG")]], [[(0, 3, "PER")], [(0, 3, "ORG")]])
    assert (scores["overall"]["tp"], scores["overall"]["fp"], scores["overall"]["fn"]) == (1, 1, 2)


def test_pair_errors_names_boundary_label_missed_and_spurious():
    errors = pair_errors(0, "entities", SPAN_GOLD, SPAN_PRED + [(40, 44, "FAC")], {(40, 44, "FAC"): 0.3})
    assert [(e.kind, e.gold, e.pred) for e in errors] == [
        ("boundary", (10, 15, "ORG"), (10, 13, "ORG")),
        ("label", (20, 25, "GPE"), (20, 25, "LOC")),
        ("missed", (30, 35, "PER"), None),
        ("spurious", None, (40, 44, "FAC")),
    ]
    assert errors[-1].score == 0.3


def test_pair_errors_marks_wrong_boundary_and_label_together():
    (e,) = pair_errors(1, "entities", [(0, 10, "ORG")], [(0, 6, "GPE")])
    assert (e.kind, e.start, e.end) == ("boundary+label", 0, 10)


def test_worst_errors_put_confident_wrong_labels_first():
    errors = (pair_errors(0, "e", [(0, 4, "A")], [(0, 4, "B")], {(0, 4, "B"): 0.4})
              + pair_errors(1, "e", [(0, 4, "A")], [(0, 4, "B")], {(0, 4, "B"): 0.9})
              + pair_errors(2, "e", [(0, 4, "A")], []))
    assert [(e.kind, e.doc) for e in worst_errors(errors, 2)] == [("label", 1), ("label", 0)]


def test_worst_errors_take_turns_across_layers():
    errors = (pair_errors(0, "entities", [(0, 4, "A"), (5, 9, "A")], [(0, 4, "B"), (5, 9, "B")])
              + pair_errors(0, "claims", [(0, 4, "CUE")], []))
    assert [(e.layer, e.kind) for e in worst_errors(errors, 3)] == [
        ("entities", "label"), ("claims", "missed"), ("entities", "label")]


def test_confusion_counts_tokens_by_gold_and_predicted_type():
    result = confusion(HAND_GOLD, HAND_PRED, ["PER", "ORG", "GPE", "LOC"])
    assert result["labels"] == ["O", "PER", "ORG", "GPE", "LOC"]
    m = {(g, p): result["matrix"][i][j] for i, g in enumerate(result["labels"])
         for j, p in enumerate(result["labels"])}
    assert m[("O", "O")] == 7
    assert m[("O", "ORG")] == 1 and m[("O", "GPE")] == 1
    assert m[("PER", "PER")] == 1
    assert m[("ORG", "ORG")] == 4 and m[("ORG", "O")] == 2
    assert m[("GPE", "LOC")] == 1 and m[("GPE", "GPE")] == 1
    assert sum(map(sum, result["matrix"])) == 18


def test_confusion_appends_a_type_missing_from_labels():
    result = confusion([["B-X"]], [["O"]], ["PER"])
    assert result["labels"] == ["O", "PER", "X"] and result["matrix"][2][0] == 1


# --- evaluate_model on a stand-in predictor -----------------------------------------------------

def test_evaluate_model_equals_seqeval_computed_directly(tmp_path):
    data = make_dataset(tmp_path / "data")
    model = make_model_dir(tmp_path / "model")
    metrics = evaluate_model(model, data, "test", tmp_path / "report", predictor=HandPredictor(), progress=False)
    ent = metrics["layers"]["entities"]
    direct = classification_report(HAND_GOLD, HAND_PRED, output_dict=True, zero_division=0)
    assert ent["seqeval"]["overall_f1"] == pytest.approx(f1_score(HAND_GOLD, HAND_PRED))
    for label in ("PER", "ORG", "GPE", "LOC"):
        assert ent["seqeval"]["per_label"][label]["f1"] == pytest.approx(direct[label]["f1-score"])
        assert ent["seqeval"]["per_label"][label]["number"] == direct[label]["support"]
    assert ent["span"]["overall"]["tp"] == 3 and ent["span"]["overall"]["fp"] == 3 and ent["span"]["overall"]["fn"] == 3
    assert ent["errors_by_kind"] == {"boundary": 1, "label": 1, "missed": 1, "spurious": 1}
    claims = metrics["layers"]["claims"]
    assert (claims["span"]["overall"]["tp"], claims["span"]["overall"]["fn"]) == (1, 1)
    assert claims["seqeval"]["per_label"]["SOURCE"]["recall"] == 0.0
    assert "events" not in metrics["layers"]
    assert metrics["skipped_layers"] == {"events": "no gold spans in this split"}
    assert metrics["headline"] == {"layer": "entities", "seqeval_f1": pytest.approx(0.5), "span_f1": pytest.approx(0.5)}
    assert metrics["model_version"] == "tiny-1234abcd" and metrics["n_documents"] == 2


@pytest.mark.parametrize("one_shard", [False, True], ids=["no-data-file", "one-empty-shard"])
def test_evaluate_model_refuses_an_empty_split(tmp_path, one_shard):
    data = make_dataset(tmp_path / "data", {"train": [TEXT0], "test": []}, one_shard=one_shard)
    with pytest.raises(NisbaError, match="split 'test' of dataset .* is empty"):
        evaluate_model(make_model_dir(tmp_path / "m"), data, "test", tmp_path / "r", predictor=HandPredictor(),
                       progress=False)


def test_evaluate_model_names_a_missing_split(tmp_path):
    data = make_dataset(tmp_path / "data", {"train": [TEXT0]})
    with pytest.raises(NisbaError, match=r"no split 'test'; its splits: \['train'\]"):
        evaluate_model("rules", data, "test", tmp_path / "r", predictor=HandPredictor(), progress=False)


def test_evaluate_model_names_the_labels_that_differ(tmp_path):
    from annotation.schema.schema import load_schema

    maps = load_schema().label_maps()
    maps["entities"] = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-GPE", "I-GPE", "B-LOC", "I-LOC",
                        "B-FAC", "I-FAC", "B-MISC", "I-MISC"]
    data = make_dataset(tmp_path / "data")
    model = make_model_dir(tmp_path / "model", label_maps=maps)
    with pytest.raises(NisbaError) as err:
        evaluate_model(model, data, "test", tmp_path / "r", predictor=HandPredictor(), progress=False)
    message = str(err.value)
    assert "layer 'entities': only in the dataset ['NORP'], only in the model ['MISC']" in message
    assert not (tmp_path / "r").exists()


def test_evaluate_model_refuses_a_split_without_any_gold_span(tmp_path):
    from _eval_data import GOLD

    text = "خبر بلا كيانات"
    GOLD[text] = []
    try:
        data = make_dataset(tmp_path / "data", {"test": [text]})
        with pytest.raises(NisbaError, match="no gold span in any evaluated layer"):
            evaluate_model("rules", data, "test", tmp_path / "r", predictor=HandPredictor(), progress=False)
    finally:
        del GOLD[text]
