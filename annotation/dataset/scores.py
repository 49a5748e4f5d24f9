"""Precision, recall and F1 from counts, and exact matching of span sets: the one place for both.

Used by agreement (annotation/dataset/agreement.py), the span and attribution metrics
(training/evaluate/) and the trainer's validation F1 (training/train/trainer.py). An undefined
ratio (nothing predicted, nothing gold) is 0.0; agreement, which reports "not computable" as
None, checks for no spans at all itself.

Example::

    >>> tp, n_pred, n_gold = exact_counts({(0, 3, "PER"), (5, 9, "ORG")}, {(0, 3, "PER")})
    >>> precision_recall_f1(tp, n_pred, n_gold)
    (1.0, 0.5, 0.6666666666666666)
"""

from __future__ import annotations

from typing import Hashable, Iterable


def precision_recall_f1(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """(precision, recall, F1) of ``tp`` true positives among ``n_pred`` predicted and ``n_gold`` gold."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def exact_counts(gold: Iterable[Hashable], pred: Iterable[Hashable]) -> tuple[int, int, int]:
    """(true positives, predicted, gold) when a prediction counts only if it equals a gold item."""
    g, p = set(gold), set(pred)
    return len(g & p), len(p), len(g)


def exact_counts_by_label(gold_docs: Iterable[Iterable[tuple]], pred_docs: Iterable[Iterable[tuple]],
                          labels: Iterable[str] = ()) -> dict[str, list[int]]:
    """label -> [true positives, predicted, gold] of ``(start, end, label)`` spans, over documents.

    ``gold_docs[i]`` and ``pred_docs[i]`` are document i (lists of unequal length are an error);
    ``labels`` come first, present or not, then the others in the order met.
    """
    counts: dict[str, list[int]] = {label: [0, 0, 0] for label in labels}
    for g_doc, p_doc in zip(gold_docs, pred_docs, strict=True):
        g, p = set(g_doc), set(p_doc)
        for span in sorted(g & p):
            c = counts.setdefault(span[2], [0, 0, 0])
            c[0] += 1
            c[1] += 1
            c[2] += 1
        for span in sorted(p - g):
            counts.setdefault(span[2], [0, 0, 0])[1] += 1
        for span in sorted(g - p):
            counts.setdefault(span[2], [0, 0, 0])[2] += 1
    return counts
