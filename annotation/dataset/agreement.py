"""Inter-annotator agreement per layer and label (pure functions over annotation records).

Label Studio's community edition computes none, so nisba does. Input: one record per task as
``pull.convert_task`` keeps them in DIR/annotations.jsonl.gz::

    {"task_id": 7, "text": "...",            # text only where >= 2 annotations were completed
     "annotations": [{"id": 3, "annotator": "1", "cancelled": false,
                      "spans": [["entities", "PER", 10, 15], ...]}, ...]}

Reported, per layer and per label, over every pair of different annotators on the same task:

- span F1 with exact matching (same label, start and end) and with overlap matching (same
  label, spans share a character; one-to-one, greedy in text order); F1 = 2TP / (2TP+FP+FN)
  pooled over pairs, which is symmetric in the two annotators;
- Cohen's kappa at token level: tokens from ``training.tokens.pretokenize`` cut at every
  span edge of every annotator of the task, each token labelled with its span's label or O;
  per layer over all labels, per label as label-vs-rest. Confusions are pooled over pairs.

And per annotator: completed and cancelled annotations, tasks, spans per layer and label.
A value that cannot be computed (no pair, no token) is None.

Not handled here: agreement on relations and per-region choices; more than pairwise measures
(Fleiss, Krippendorff).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations
from typing import Iterable

from annotation.dataset.scores import exact_counts, precision_recall_f1

AGREEMENT_FORMAT_VERSION = 1


def span_matches(a: list[tuple[int, int]], b: list[tuple[int, int]], mode: str) -> int:
    """How many spans of ``a`` match a distinct span of ``b`` (``exact`` or ``overlap``)."""
    if mode == "exact":
        return exact_counts(b, a)[0]
    used = [False] * len(b)
    bs = sorted(range(len(b)), key=lambda i: b[i])
    n = 0
    for s, e in sorted(a):
        for i in bs:
            if not used[i] and b[i][0] < e and s < b[i][1]:
                used[i] = True
                n += 1
                break
    return n


def f1(tp: int, fp: int, fn: int) -> float | None:
    """F1 of the pair's spans; None when neither annotator has one (nothing to agree on)."""
    return None if tp + fp + fn == 0 else precision_recall_f1(tp, tp + fp, tp + fn)[2]


def kappa(confusion: Counter) -> float | None:
    """Cohen's kappa from a Counter[(label_a, label_b)] of token pairs."""
    n = sum(confusion.values())
    if n == 0:
        return None
    po = sum(c for (x, y), c in confusion.items() if x == y) / n
    pa, pb = Counter(), Counter()
    for (x, y), c in confusion.items():
        pa[x] += c
        pb[y] += c
    pe = sum(pa[k] * pb[k] for k in pa) / (n * n)
    if pe >= 1.0:  # one label only (all O): agreement on nothing is undefined, not perfect
        return None
    return (po - pe) / (1 - pe)


def _token_codes(starts, ends, spans: list[tuple[int, int, str]], codes: dict[str, int]):
    """Per token, the code of the label whose span covers it (0: O), as a numpy array.

    Spans are placed as ``training.tokens.bio_tags`` places them: longest first by start; one
    whose edges are not token edges, or that overlaps a span already placed, is left out.
    ``starts`` and ``ends`` are the token bounds (numpy); ``codes`` gives each label its code
    and grows as labels appear. Vectorized when the placed spans do not overlap (the usual
    case), span by span when they do.
    """
    import numpy as np

    n = len(starts)
    out = np.zeros(n, np.int64)
    if not spans or not n:
        return out
    spans = sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]), x[2]))
    s = np.fromiter((x[0] for x in spans), np.int64, len(spans))
    e = np.fromiter((x[1] for x in spans), np.int64, len(spans))
    label = np.fromiter((codes.setdefault(x[2], len(codes)) for x in spans), np.int64, len(spans))
    i = np.minimum(np.searchsorted(starts, s), n - 1)
    j = np.minimum(np.searchsorted(ends, e), n - 1)
    ok = (starts[i] == s) & (ends[j] == e) & (j >= i)
    i, j, label = i[ok], j[ok], label[ok]
    if len(i) > 1 and (i[1:] <= np.maximum.accumulate(j)[:-1]).any():   # overlaps: first placed wins
        for a, b, c in zip(i.tolist(), j.tolist(), label.tolist()):
            if not out[a:b + 1].any():
                out[a:b + 1] = c
        return out
    marks = np.zeros(n + 1, np.int64)   # disjoint runs: +code where one starts, -code after it ends
    np.add.at(marks, i, label)
    np.add.at(marks, j + 1, -label)
    return np.cumsum(marks[:-1])


def _count_pairs(x, y, names: list[str], into: Counter) -> None:
    """Add the (label of x, label of y) pairs of two token-code arrays to ``into``."""
    import numpy as np

    keys, counts = np.unique(x * len(names) + y, return_counts=True)
    for key, count in zip(keys.tolist(), counts.tolist()):
        into[(names[key // len(names)], names[key % len(names)])] += count


def compute_agreement(records: Iterable[dict], layers: list[str]) -> dict:
    """Pairwise span F1 (exact, overlap), token-level kappa and per-annotator counts."""
    from annotation.text.tokens import token_bounds

    modes = ("exact", "overlap")
    # [layer][label][mode] -> Counter(tp, fp, fn)
    prf: dict = defaultdict(lambda: defaultdict(lambda: {m: Counter() for m in modes}))
    confusion: dict[str, Counter] = defaultdict(Counter)
    codes: dict[str, dict[str, int]] = {layer: {"O": 0} for layer in layers}   # token label codes per layer
    annotators: dict[str, dict] = {}
    tasks_compared = pairs = 0
    for rec in records:
        anns = rec.get("annotations") or []
        for a in anns:
            who = annotators.setdefault(a["annotator"], {"completed": 0, "cancelled": 0, "tasks": set(),
                                                         "spans": defaultdict(Counter)})
            who["tasks"].add(rec.get("task_id"))
            if a.get("cancelled"):
                who["cancelled"] += 1
                continue
            who["completed"] += 1
            for layer, label, _, _ in a.get("spans") or []:
                who["spans"][layer][label] += 1
        done = [a for a in anns if not a.get("cancelled")]
        text = rec.get("text")
        task_pairs = [(x, y) for x, y in combinations(sorted(done, key=lambda a: (a["annotator"], a["id"])), 2)
                      if x["annotator"] != y["annotator"]]
        if not task_pairs or text is None:
            continue
        tasks_compared += 1
        pairs += len(task_pairs)
        cuts = {c for a in done for _, _, s, e in a.get("spans") or [] for c in (s, e)}
        starts, ends = token_bounds(text, cuts)
        for layer in layers:
            per = {a["id"]: [(s, e, lab) for lay, lab, s, e in a.get("spans") or [] if lay == layer] for a in done}
            token_codes = {aid: _token_codes(starts, ends, spans, codes[layer]) for aid, spans in per.items()}
            names = list(codes[layer])
            for x, y in task_pairs:
                sx, sy = per[x["id"]], per[y["id"]]
                for label in {lab for *_, lab in sx} | {lab for *_, lab in sy}:
                    ax = [(s, e) for s, e, lab in sx if lab == label]
                    ay = [(s, e) for s, e, lab in sy if lab == label]
                    for mode in modes:
                        tp = span_matches(ax, ay, mode)
                        prf[layer][label][mode].update(tp=tp, fp=len(ax) - tp, fn=len(ay) - tp)
                _count_pairs(token_codes[x["id"]], token_codes[y["id"]], names, confusion[layer])

    out_layers = {}
    for layer in layers:
        conf = confusion.get(layer, Counter())
        labels = sorted(set(prf.get(layer, {})) | {x for pair in conf for x in pair if x != "O"})
        per_label = {}
        totals = {m: Counter() for m in modes}
        for label in labels:
            counts = prf[layer][label] if label in prf.get(layer, {}) else {m: Counter() for m in modes}
            binary = Counter()
            for (x, y), c in conf.items():
                binary[(x == label, y == label)] += c
            per_label[label] = {
                "f1_exact": f1(counts["exact"]["tp"], counts["exact"]["fp"], counts["exact"]["fn"]),
                "f1_overlap": f1(counts["overlap"]["tp"], counts["overlap"]["fp"], counts["overlap"]["fn"]),
                "kappa": kappa(binary),
                "spans_compared": counts["exact"]["tp"] * 2 + counts["exact"]["fp"] + counts["exact"]["fn"],
            }
            for m in modes:
                totals[m].update(counts[m])
        out_layers[layer] = {
            "f1_exact": f1(totals["exact"]["tp"], totals["exact"]["fp"], totals["exact"]["fn"]),
            "f1_overlap": f1(totals["overlap"]["tp"], totals["overlap"]["fp"], totals["overlap"]["fn"]),
            "kappa": kappa(conf),
            "tokens": sum(conf.values()),
            "labels": per_label,
        }
    return {
        "format_version": AGREEMENT_FORMAT_VERSION,
        "tasks_compared": tasks_compared,
        "pairs": pairs,
        "layers": out_layers,
        "annotators": {
            name: {"completed": a["completed"], "cancelled": a["cancelled"], "tasks": len(a["tasks"]),
                   "spans": {layer: dict(sorted(c.items())) for layer, c in sorted(a["spans"].items())}}
            for name, a in sorted(annotators.items())
        },
    }


def read_records(path) -> Iterable[dict]:
    """Stream the records of DIR/annotations.jsonl.gz."""
    import gzip
    import json

    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def agreement_table(result: dict):
    """A rich Table: one row per layer, then one per label, with F1 exact/overlap and kappa."""
    from rich.table import Table

    def fmt(x):
        return "-" if x is None else f"{x:.3f}"

    table = Table(title=f"Agreement ({result['tasks_compared']} tasks, {result['pairs']} annotator pairs)")
    for col in ("layer", "label", "F1 exact", "F1 overlap", "kappa (tokens)"):
        table.add_column(col, justify="left" if col in ("layer", "label") else "right")
    for layer, d in result["layers"].items():
        table.add_row(layer, "(all)", fmt(d["f1_exact"]), fmt(d["f1_overlap"]), fmt(d["kappa"]), style="bold")
        for label, x in d["labels"].items():
            table.add_row("", label, fmt(x["f1_exact"]), fmt(x["f1_overlap"]), fmt(x["kappa"]))
    return table


def annotator_table(result: dict):
    from rich.table import Table

    table = Table(title="Annotators")
    layers = list(result["layers"])
    for col in ["annotator", "tasks", "completed", "cancelled", *[f"{l} spans" for l in layers]]:
        table.add_column(col, justify="left" if col == "annotator" else "right")
    for name, a in result["annotators"].items():
        table.add_row(name, str(a["tasks"]), str(a["completed"]), str(a["cancelled"]),
                      *[str(sum(a["spans"].get(l, {}).values())) for l in layers])
    return table
