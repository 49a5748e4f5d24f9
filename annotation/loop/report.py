"""How useful pre-annotations were: predicted regions vs what annotators submitted (pure).

For each annotation made after a task was pre-annotated by model version V, the predicted
regions are matched to the annotation's regions, per layer, in three passes:

1. same region id (Label Studio keeps a prediction's region ids when an annotator starts
   from it);
2. same span and label;
3. the largest overlap with a region of the same layer (an edit of boundaries or label).

and counted as:

- ``accepted``: matched with the same span, label and per-region choices;
- ``edited``: matched but the boundaries, the label or a per-region choice changed;
- ``deleted``: predicted and not matched;
- ``added``: in the annotation and not matched to any predicted region.

Relations are counted apart, per layer of the region they start from: a predicted relation is
``kept`` when the annotation holds one with the same label between the same region ids (Label
Studio keeps a prediction's region ids), else ``deleted``; the annotation's other relations are
``added``.

Annotator time comes from each annotation's ``lead_time`` (seconds).

Not handled here: fetching tasks (labelstudio/tasks.py), annotations made before the prediction
(counted as skipped, not compared).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from annotation.convert.regions import Problem, Region, Relation, overlap, parse_result
from annotation.schema.schema import Schema

LOOP_REPORT_FORMAT_VERSION = 1


@dataclass
class _Counts:
    """Counters that add up field by field and read out in field order."""

    def add(self, other: "_Counts") -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass
class LayerCounts(_Counts):
    predicted: int = 0
    accepted: int = 0
    edited: int = 0
    deleted: int = 0
    added: int = 0

    def as_dict(self) -> dict:
        d = super().as_dict()
        d["accepted_rate"] = round(self.accepted / self.predicted, 4) if self.predicted else None
        return d


@dataclass
class RelationCounts(_Counts):
    predicted: int = 0
    kept: int = 0
    deleted: int = 0
    added: int = 0


@dataclass
class LoopReport:
    model_version: str
    layers: dict[str, LayerCounts] = field(default_factory=dict)
    relations: dict[str, RelationCounts] = field(default_factory=dict)
    tasks: int = 0
    annotations: int = 0
    lead_time_s: float = 0.0
    skipped_before_prediction: list[int] = field(default_factory=list)   # task ids
    skipped_no_prediction: int = 0
    problems: list[Problem] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "format_version": LOOP_REPORT_FORMAT_VERSION,
            "model_version": self.model_version,
            "tasks": self.tasks,
            "annotations": self.annotations,
            "lead_time_s": round(self.lead_time_s, 2),
            "lead_time_per_annotation_s": round(self.lead_time_s / self.annotations, 2) if self.annotations else None,
            "layers": {name: c.as_dict() for name, c in self.layers.items()},
            "relations": {name: c.as_dict() for name, c in self.relations.items()},
            "skipped_annotated_before_prediction": len(self.skipped_before_prediction),
            "skipped_annotated_before_prediction_tasks": self.skipped_before_prediction[:50],
            "skipped_no_prediction": self.skipped_no_prediction,
            "problems": [p.as_dict() for p in self.problems],
        }


def compare_regions(predicted: list[Region], annotated: list[Region], layers: list[str]) -> dict[str, LayerCounts]:
    """Per-layer accepted / edited / deleted / added counts for one annotation."""
    out = {layer: LayerCounts() for layer in layers}
    for layer in layers:
        preds = [r for r in predicted if r.layer == layer]
        golds = [r for r in annotated if r.layer == layer]
        counts = out[layer]
        counts.predicted = len(preds)
        pairs: dict[int, int] = {}    # index in preds -> index in golds
        used: set[int] = set()

        def match(key) -> None:
            for i, p in enumerate(preds):
                if i in pairs:
                    continue
                best, best_key = None, None
                for j, g in enumerate(golds):
                    if j in used:
                        continue
                    k = key(p, g)
                    if k is not None and (best_key is None or k > best_key):
                        best, best_key = j, k
                if best is not None:
                    pairs[i] = best
                    used.add(best)

        match(lambda p, g: 1 if p.id and p.id == g.id else None)
        match(lambda p, g: 1 if (p.span, p.label) == (g.span, g.label) else None)
        match(lambda p, g: overlap(p, g) or None)
        for i, p in enumerate(preds):
            if i not in pairs:
                counts.deleted += 1
                continue
            g = golds[pairs[i]]
            same = (p.span, p.label, dict(p.choices)) == (g.span, g.label, dict(g.choices))
            if same:
                counts.accepted += 1
            else:
                counts.edited += 1
        counts.added = len(golds) - len(used)
    return out


def compare_relations(predicted_regions: list[Region], predicted: list[Relation], annotated_regions: list[Region],
                      annotated: list[Relation], layers: list[str]) -> dict[str, RelationCounts]:
    """Per-layer kept / deleted / added relations for one annotation (layer: the from-region's)."""
    layer_of = {r.id: r.layer for r in predicted_regions}
    layer_of.update({r.id: r.layer for r in annotated_regions})
    out = {layer: RelationCounts() for layer in layers}
    want = {(r.from_id, r.to_id, r.label) for r in predicted}
    got = {(r.from_id, r.to_id, r.label) for r in annotated}
    for key in want | got:
        counts = out.get(layer_of.get(key[0]))
        if counts is None:
            continue
        if key in want:
            counts.predicted += 1
            if key in got:
                counts.kept += 1
            else:
                counts.deleted += 1
        else:
            counts.added += 1
    return out


def _time(value) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def loop_report(tasks: list[dict], schema: Schema, model_version: str) -> LoopReport:
    """Compare, for every task, the prediction of ``model_version`` with each later annotation.

    ``tasks`` are Label Studio task dicts with ``id``, ``data.text``, ``predictions`` and
    ``annotations`` (each with ``result``, ``created_at``, ``lead_time``, ``was_cancelled``).
    """
    report = LoopReport(model_version, {layer: LayerCounts() for layer in schema.layer_names},
                        {layer: RelationCounts() for layer in schema.layer_names})
    for task in tasks:
        tid = task.get("id")
        text = (task.get("data") or {}).get(schema.text_name)
        preds = [p for p in task.get("predictions") or [] if p.get("model_version") == model_version]
        annotations = [a for a in task.get("annotations") or [] if not a.get("was_cancelled")]
        if not annotations:
            continue
        if not preds:
            report.skipped_no_prediction += 1
            continue
        prediction = preds[-1]
        predicted_at = _time(prediction.get("created_at"))
        p_regions, p_relations, p_problems = parse_result(prediction.get("result") or [], schema, text, tid)
        report.problems.extend(p_problems)
        later = [a for a in annotations
                 if predicted_at is None or (_time(a.get("created_at")) or predicted_at) >= predicted_at]
        if not later:
            report.skipped_before_prediction.append(tid)
            continue
        report.tasks += 1
        for ann in later:
            a_regions, a_relations, a_problems = parse_result(ann.get("result") or [], schema, text, tid, ann.get("id"))
            report.problems.extend(a_problems)
            for layer, counts in compare_regions(p_regions, a_regions, schema.layer_names).items():
                report.layers[layer].add(counts)
            for layer, counts in compare_relations(p_regions, p_relations, a_regions, a_relations,
                                                   schema.layer_names).items():
                report.relations[layer].add(counts)
            report.annotations += 1
            report.lead_time_s += float(ann.get("lead_time") or 0.0)
    return report


def report_rows(report: LoopReport) -> list[list[str]]:
    """Table rows: layer, predicted, accepted, edited, deleted, added, accepted %."""
    rows = []
    total = LayerCounts()
    for name, c in report.layers.items():
        total.add(c)
        rows.append(_row(name, c))
    rows.append(_row("all", total))
    return rows


def _row(name: str, c: LayerCounts) -> list[str]:
    rate = f"{100 * c.accepted / c.predicted:.1f}" if c.predicted else "-"
    return [name, str(c.predicted), str(c.accepted), str(c.edited), str(c.deleted), str(c.added), rate]
