"""Entity-level seqeval scores through ``evaluate``, with gold and predicted tags on ONE token view.

``load_seqeval()`` loads training/evaluate/metrics/seqeval_metric.py by path (works offline).

``shared_tags`` cuts the text at every gold AND every predicted span edge
(``training.tokens.pretokenize``), then writes BIO tags for both sides on those same tokens.
So a prediction that ends inside a gold word is a real boundary error, and neither side's
tokenization decides what counts as an entity.

Not handled here: exact character-offset span F1 (training/evaluate/span_metrics.py), running a model
(training/evaluate/evaluation.py).

Example::

    >>> tokens, gold, pred, problems = shared_tags("قال علوش لرويترز", [(4, 8, "PER")],
    ...                                            [(4, 8, "PER"), (10, 16, "ORG")])
    >>> tokens, gold, pred
    ([(0, 3), (4, 8), (9, 10), (10, 16)], ['O', 'B-PER', 'O', 'O'], ['O', 'B-PER', 'O', 'B-ORG'])
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

from annotation.text.tokens import bio_tags, pretokenize

METRIC_PATH = Path(__file__).resolve().parent / "metrics" / "seqeval_metric.py"

Span = tuple[int, int, str]


def load_seqeval(**kwargs):
    """The seqeval ``evaluate.Metric``, loaded from our module file (no hub needed)."""
    import evaluate

    return evaluate.load(str(METRIC_PATH), **kwargs)


def shared_tags(text: str, gold: Iterable[Span], pred: Iterable[Span]) -> tuple[list[tuple[int, int]], list[str], list[str], list[dict]]:
    """Tokens cut at both sides' edges, gold tags, predicted tags, and the spans left out, with why.

    A span is left out of the tags (never silently: it is returned as a problem with its side)
    when its edge falls on whitespace or when it overlaps another span of the same side and
    layer; the exact span F1 still counts it.
    """
    gold, pred = list(gold), list(pred)
    cuts = {c for s, e, _ in gold + pred for c in (s, e)}
    tokens = pretokenize(text, cuts)
    gold_tags, gold_bad = bio_tags(tokens, gold)
    pred_tags, pred_bad = bio_tags(tokens, pred)
    problems = [{"side": side, "start": s, "end": e, "label": label, "text": text[s:e], "problem": why}
                for side, bad in (("gold", gold_bad), ("pred", pred_bad)) for s, e, label, why in bad]
    return tokens, gold_tags, pred_tags, problems


def seqeval_scores(gold_tags: list[list[str]], pred_tags: list[list[str]], metric=None) -> dict:
    """Overall and per-label seqeval for one layer: ``{overall_precision, ..., per_label: {L: {...}}}``."""
    metric = metric or load_seqeval()
    raw = metric.compute(predictions=pred_tags, references=gold_tags)
    overall = {k: float(v) for k, v in raw.items() if k.startswith("overall_")}
    per_label = {k: v for k, v in raw.items() if not k.startswith("overall_")}
    return {**overall, "per_label": per_label}
