"""Exact-match span scores on character offsets, error pairing, and a token confusion matrix.

A predicted span counts only when its ``(start, end, label)`` equals a gold span of the same
layer in the same document: computed on the document view, so no tokenizer can flatter it.
Scores are micro-averaged over documents: ``{precision, recall, f1, tp, fp, fn, support}``
overall and per label (``support`` = gold spans).

``pair_errors`` explains every miss: a wrong label on the right offsets ("label"), the right
label with other offsets ("boundary"), both ("boundary+label"), a gold span with no
overlapping prediction ("missed") and a prediction that overlaps no gold span ("spurious").

``confusion`` counts tokens of a shared token view (see training/seqeval_eval.shared_tags) by
gold type x predicted type, with "O" for outside.

Not handled here: running a model, seqeval scores, relations and per-region choices.

Example::

    >>> span_scores([[(0, 5, "PER"), (10, 15, "ORG")]], [[(0, 5, "PER"), (10, 13, "ORG")]])["overall"]["f1"]
    0.5
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Iterable

from annotation.dataset.scores import exact_counts_by_label, precision_recall_f1

Span = tuple[int, int, str]

# order of severity when listing the worst errors: a confidently wrong type is the worst
ERROR_RANK = {"label": 0, "boundary+label": 1, "spurious": 2, "missed": 3, "boundary": 4}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p, r, f = precision_recall_f1(tp, n_pred, n_gold)
    return {"precision": p, "recall": r, "f1": f, "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp, "support": n_gold}


def span_scores(gold: Iterable[Iterable[Span]], pred: Iterable[Iterable[Span]],
                labels: Iterable[str] = ()) -> dict:
    """Exact-match P/R/F1 for one layer, over documents (``gold[i]`` and ``pred[i]`` are doc i).

    ``labels`` lists labels to report even when absent (schema order first, others after).
    """
    counts = exact_counts_by_label(gold, pred, labels)
    tp, n_pred, n_gold = (sum(c[i] for c in counts.values()) for i in range(3))
    return {"overall": _prf(tp, n_pred, n_gold), "per_label": {label: _prf(*c) for label, c in counts.items()}}


@dataclass(frozen=True)
class SpanError:
    """One mismatch between gold and prediction in one document and layer."""

    kind: str
    doc: int
    layer: str
    gold: Span | None
    pred: Span | None
    score: float | None = None  # the predicted region's confidence, when there is one

    @property
    def start(self) -> int:
        return min(s[0] for s in (self.gold, self.pred) if s)

    @property
    def end(self) -> int:
        return max(s[1] for s in (self.gold, self.pred) if s)

    def as_dict(self) -> dict:
        return asdict(self)


def _overlap(a: Span, b: Span) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def pair_errors(doc: int, layer: str, gold: Iterable[Span], pred: Iterable[Span],
                scores: dict[Span, float] | None = None) -> list[SpanError]:
    """Every unmatched gold and predicted span of one document, paired by largest overlap."""
    g = set(gold)
    p = set(pred)
    scores = scores or {}
    g_left = sorted(g - p)
    p_left = sorted(p - g)
    pairs = sorted(((_overlap(a, b), a, b) for a in g_left for b in p_left if _overlap(a, b) > 0),
                   key=lambda x: (-x[0], x[1], x[2]))
    used_g: set[Span] = set()
    used_p: set[Span] = set()
    errors = []
    for _, a, b in pairs:
        if a in used_g or b in used_p:
            continue
        used_g.add(a)
        used_p.add(b)
        same_offsets = a[:2] == b[:2]
        kind = "label" if same_offsets else ("boundary" if a[2] == b[2] else "boundary+label")
        errors.append(SpanError(kind, doc, layer, a, b, scores.get(b)))
    errors += [SpanError("missed", doc, layer, a, None) for a in g_left if a not in used_g]
    errors += [SpanError("spurious", doc, layer, None, b, scores.get(b)) for b in p_left if b not in used_p]
    return sorted(errors, key=lambda e: (e.start, e.end, e.kind))


def worst_errors(errors: Iterable[SpanError], n: int = 10) -> list[SpanError]:
    """The ``n`` worst errors, taken in turn from each layer so one weak layer does not fill the list.

    Within a layer errors rank by kind (ERROR_RANK), then higher predicted confidence, then
    longer span; the k-th worst of every layer comes before any layer's (k+1)-th.
    """
    def key(e: SpanError):
        conf = e.score if e.score is not None else (1.0 if e.pred else 0.0)
        return (ERROR_RANK[e.kind], -conf, -(e.end - e.start), e.doc, e.start)

    by_layer: dict[str, list[SpanError]] = {}
    for e in sorted(errors, key=key):
        by_layer.setdefault(e.layer, []).append(e)
    ranked = [(k, key(e), e) for layer_errors in by_layer.values() for k, e in enumerate(layer_errors)]
    return [e for _, _, e in sorted(ranked, key=lambda x: (x[0], x[1]))][:n]


def _type(tag: str) -> str:
    return tag[2:] if tag[:2] in ("B-", "I-") else tag


def confusion(gold_tags: Iterable[Iterable[str]], pred_tags: Iterable[Iterable[str]],
              labels: Iterable[str]) -> dict:
    """Token counts ``matrix[gold][pred]`` over types ``["O", *labels]`` (BIO prefix dropped).

    A type found in the tags but not in ``labels`` is appended, so no token goes uncounted.
    """
    names = ["O"] + [label for label in labels if label != "O"]
    index = {name: i for i, name in enumerate(names)}
    pairs = []
    for g_seq, p_seq in zip(gold_tags, pred_tags, strict=True):
        g_seq, p_seq = list(g_seq), list(p_seq)
        if len(g_seq) != len(p_seq):
            raise ValueError(f"{len(g_seq)} gold tags but {len(p_seq)} predicted tags in one sequence")
        pairs += [(_type(g), _type(p)) for g, p in zip(g_seq, p_seq)]
    for g, p in pairs:
        for name in (g, p):
            if name not in index:
                index[name] = len(names)
                names.append(name)
    matrix = [[0] * len(names) for _ in names]
    for g, p in pairs:
        matrix[index[g]][index[p]] += 1
    return {"labels": names, "matrix": matrix}
