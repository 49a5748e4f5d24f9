"""One precision/recall/F1 and one exact-span count (annotation/dataset/scores.py) for agreement,
the span and attribution metrics and the trainer."""

import pytest

from annotation.dataset.agreement import f1
from annotation.dataset.scores import exact_counts, exact_counts_by_label, precision_recall_f1
from training.evaluate.attribution_metrics import prf
from training.evaluate.span_metrics import span_scores


def test_precision_recall_f1_with_nothing_predicted_is_zero():
    assert precision_recall_f1(0, 0, 3) == (0.0, 0.0, 0.0)
    assert precision_recall_f1(2, 4, 2) == (0.5, 1.0, pytest.approx(2 / 3))


def test_agreement_f1_is_none_without_spans_and_the_shared_f1_otherwise():
    assert f1(0, 0, 0) is None
    assert f1(2, 2, 0) == precision_recall_f1(2, 4, 2)[2]
    assert f1(0, 1, 1) == 0.0


def test_span_and_attribution_metrics_give_the_same_figures():
    gold = [[(0, 3, "PER"), (5, 9, "ORG")], [(1, 2, "PER")]]
    pred = [[(0, 3, "PER"), (5, 8, "ORG")], []]
    spans = span_scores(gold, pred)["overall"]
    attribution = prf(*[sum(c[i] for c in exact_counts_by_label(gold, pred).values()) for i in range(3)])
    assert (spans["tp"], spans["fp"], spans["fn"]) == (1, 1, 2)
    assert attribution["f1"] == round(spans["f1"], 4) == 0.4


def test_exact_counts_by_label_lists_given_labels_first():
    counts = exact_counts_by_label([[(0, 1, "B")]], [[(0, 1, "B"), (2, 3, "C")]], labels=["A"])
    assert counts == {"A": [0, 0, 0], "B": [1, 1, 1], "C": [0, 1, 0]}
    assert list(counts) == ["A", "B", "C"]


def test_exact_span_scores_refuse_unequal_document_lists():
    # attribution_metrics.span_layer_scores used to zip the lists and drop the extra documents
    with pytest.raises(ValueError):
        exact_counts_by_label([[(0, 1, "A")], []], [[(0, 1, "A")]])


def test_exact_counts_ignore_duplicates():
    assert exact_counts([(0, 1), (0, 1), (2, 3)], [(0, 1)]) == (1, 1, 2)
