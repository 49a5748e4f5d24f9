"""Entity-level precision, recall and F1 of BIO tag sequences: an ``evaluate.Metric`` over ``seqeval``.

``evaluate.load("seqeval")`` needs the Hugging Face Hub for its script; this file is our own
small module with the same output shape, loaded by path so ``evaluate`` stays the interface
and works offline::

    >>> import evaluate
    >>> metric = evaluate.load("training/evaluate/metrics/seqeval_metric.py")
    >>> metric.compute(predictions=[["B-PER", "I-PER", "O"]], references=[["B-PER", "I-PER", "O"]])
    {'PER': {'precision': 1.0, 'recall': 1.0, 'f1': 1.0, 'number': 1}, 'overall_precision': 1.0, ...}

Output: one entry per label ``{precision, recall, f1, number}`` (``number`` = gold entities of
that label), then ``overall_precision/recall/f1`` (micro average over entities) and
``overall_accuracy`` (token accuracy). Labels that appear only in predictions are listed
with ``number == 0``. When neither side has an entity, every overall score is 0.0.

``evaluate`` copies this file into its module cache, so it imports nothing from nisba.
Not handled here: building the tag sequences (training/evaluate/seqeval_eval.py).
"""

from __future__ import annotations

import datasets
import evaluate
from seqeval import scheme as seqeval_schemes
from seqeval.metrics import accuracy_score, classification_report

_DESCRIPTION = "Entity-level P/R/F1 of BIO/IOB2 tag sequences, computed by the seqeval package."
_CITATION = "Hiroki Nakayama, seqeval: a Python framework for sequence labeling evaluation, 2018."
_INPUTS = """
predictions: list of tag sequences (list of list of str), one per document or sentence.
references:  list of tag sequences of the same lengths.
suffix:      tags are 'PER-B' rather than 'B-PER' (default False).
scheme:      None (lenient conlleval-style chunking) or one of IOB1, IOB2, IOE1, IOE2, IOBES, BILOU
             (strict mode with that scheme).
mode:        None or 'strict'.
zero_division: 0, 1 or 'warn' (default 0): the value of an undefined precision or recall.
"""

# the report keys that are averages, not labels
_AVERAGES = ("micro avg", "macro avg", "weighted avg")


@evaluate.utils.file_utils.add_start_docstrings(_DESCRIPTION, _INPUTS)
class SeqevalMetric(evaluate.Metric):
    def _info(self) -> evaluate.MetricInfo:
        return evaluate.MetricInfo(
            description=_DESCRIPTION,
            citation=_CITATION,
            inputs_description=_INPUTS,
            features=datasets.Features({
                "predictions": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
                "references": datasets.Sequence(datasets.Value("string", id="label"), id="sequence"),
            }),
            codebase_urls=["https://github.com/chakki-works/seqeval"],
        )

    def _compute(self, predictions, references, suffix: bool = False, scheme: str | None = None,
                 mode: str | None = None, zero_division=0):
        predictions = [list(p) for p in predictions]
        references = [list(r) for r in references]
        for i, (p, r) in enumerate(zip(predictions, references)):
            if len(p) != len(r):
                raise ValueError(f"sequence {i}: {len(p)} predicted tags but {len(r)} reference tags")
        scheme_cls = None
        if scheme is not None:
            try:
                scheme_cls = getattr(seqeval_schemes, scheme)
            except AttributeError:
                raise ValueError(f"unknown scheme {scheme!r}; use IOB1, IOB2, IOE1, IOE2, IOBES or BILOU") from None
        total = sum(len(r) for r in references)
        accuracy = float(accuracy_score(references, predictions)) if total else 0.0
        has_entity = any(t != "O" for seq in predictions + references for t in seq)
        if not has_entity:
            return {"overall_precision": 0.0, "overall_recall": 0.0, "overall_f1": 0.0,
                    "overall_accuracy": accuracy}
        report = classification_report(references, predictions, suffix=suffix, output_dict=True,
                                       scheme=scheme_cls, mode=mode, zero_division=zero_division)
        out: dict = {}
        for label in sorted(k for k in report if k not in _AVERAGES):
            row = report[label]
            out[label] = {"precision": float(row["precision"]), "recall": float(row["recall"]),
                          "f1": float(row["f1-score"]), "number": int(row["support"])}
        micro = report["micro avg"]
        out["overall_precision"] = float(micro["precision"])
        out["overall_recall"] = float(micro["recall"])
        out["overall_f1"] = float(micro["f1-score"])
        out["overall_accuracy"] = accuracy
        return out
