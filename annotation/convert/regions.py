"""Label Studio result JSON <-> plain regions and relations (pure functions).

A Label Studio annotation (or prediction) ``result`` is a flat list: one ``labels`` item per
region, ``choices`` items that share a region's id (per-region attributes), and ``relation``
items with ``from_id``/``to_id``. Everything in nisba that reads or writes annotations goes
through this module: task import with gold, pull, rule and model predictions.

Spans are ``(start, end)`` end-exclusive code-point offsets into the task text.

Problems are never dropped silently: ``parse_result`` returns them beside the regions, each
naming the task, the annotation and the region.

Not handled here: gold selection across annotations (gold.py), the dataset view (document.py).

Example::

    >>> regs, rels, probs = parse_result(
    ...     [{"id": "a", "from_name": "claims", "to_name": "text", "type": "labels",
    ...       "value": {"start": 0, "end": 4, "text": "قال", "labels": ["CUE"]}}],
    ...     schema, text="قال ...")
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from annotation.schema.schema import Schema
from annotation.text.arabic import TATWEEL


# Region and Relation are hashable value objects; not frozen=True only because a frozen
# dataclass sets each field through object.__setattr__ (2.6 us a region against 0.6 us here),
# and a pull builds one per span of every annotation. Nothing assigns to their fields.
@dataclass(slots=True, unsafe_hash=True)
class Region:
    id: str
    layer: str
    label: str
    start: int
    end: int
    text: str
    choices: dict = field(default_factory=dict, compare=True, hash=False)
    score: float | None = None

    @property
    def span(self) -> tuple[int, int]:
        return (self.start, self.end)


@dataclass(slots=True, unsafe_hash=True)
class Relation:
    from_id: str
    to_id: str
    label: str


@dataclass(frozen=True)
class Problem:
    """Something wrong in the input; kept and reported, never silently dropped."""

    kind: str
    message: str
    task_id: int | None = None
    annotation_id: int | None = None
    region_id: str | None = None

    def where(self) -> str:
        parts = []
        if self.task_id is not None:
            parts.append(f"task {self.task_id}")
        if self.annotation_id is not None:
            parts.append(f"annotation {self.annotation_id}")
        if self.region_id:
            parts.append(f"region {self.region_id}")
        return ", ".join(parts) or "input"

    def __str__(self) -> str:
        return f"{self.where()}: {self.kind}: {self.message}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "message": self.message, "task_id": self.task_id,
                "annotation_id": self.annotation_id, "region_id": self.region_id}


def overlap(a: Region, b: Region) -> int:
    """Characters two regions share (0 when they are apart or only touch)."""
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def region_id(layer: str, label: str, start: int, end: int, salt: str = "") -> str:
    """A stable 10-character id for a region: the same span and label always get the same id."""
    return hashlib.sha1(f"{salt}|{layer}|{label}|{start}|{end}".encode()).hexdigest()[:10]


def parse_result(
    result: list[dict],
    schema: Schema,
    text: str | None = None,
    task_id: int | None = None,
    annotation_id: int | None = None,
) -> tuple[list[Region], list[Relation], list[Problem]]:
    """Split a Label Studio result list into regions, relations and problems.

    Checks: the control exists in the schema, the label belongs to its layer, offsets lie
    inside the text and the stored text equals ``text[start:end]``, relations point to
    regions that exist. A region with bad offsets is reported and left out; a text mismatch
    is reported and the region kept with the text the offsets give.
    """
    layers = {layer.name: set(layer.labels) for layer in schema.layers}
    problems: list[Problem] = []
    regions: dict[str, Region] = {}
    choice_items: list[dict] = []
    relation_items: list[dict] = []

    def problem(kind: str, message: str, rid: str | None = None) -> None:
        problems.append(Problem(kind, message, task_id, annotation_id, rid))

    for item in result or []:
        if not isinstance(item, dict):
            problem("malformed_result", f"result item is not an object: {item!r:.80}")
            continue
        kind = item.get("type")
        if kind == "relation":
            relation_items.append(item)
            continue
        if kind == "choices":
            choice_items.append(item)
            continue
        if kind != "labels":
            problem("unsupported_result", f"result type {kind!r} from {item.get('from_name')!r} is not read by nisba",
                    item.get("id"))
            continue
        rid = str(item.get("id") or "")
        control = item.get("from_name")
        value = item.get("value") or {}
        if control not in layers:
            problem("unknown_control",
                    f"control {control!r} is not in the schema (layers: {sorted(layers)}); "
                    "the project's config may have changed after annotation", rid)
            continue
        labels = value.get("labels") or []
        if not labels:
            problem("missing_label", "labels result without a label", rid)
            continue
        label = str(labels[0])
        if label not in layers[control]:
            problem("unknown_label", f"label {label!r} is not in layer {control!r}", rid)
            continue
        if len(labels) > 1:
            problem("several_labels", f"region has labels {labels}; kept the first, {label!r}", rid)
        try:
            start, end = int(value["start"]), int(value["end"])
        except (KeyError, TypeError, ValueError):
            problem("missing_offsets", f"region has no usable start/end: {value!r:.80}", rid)
            continue
        stored = value.get("text")
        if text is not None:
            if not (0 <= start < end <= len(text)):
                problem("offsets_out_of_range",
                        f"span ({start}, {end}) lies outside the text of length {len(text)}", rid)
                continue
            actual = text[start:end]
            if stored is not None and stored != actual:
                problem("text_mismatch", f"stored text {stored!r} != text[{start}:{end}] {actual!r}", rid)
            stored = actual
        elif start >= end:
            problem("empty_span", f"span ({start}, {end}) is empty", rid)
            continue
        if rid in regions:
            problem("duplicate_region_id", f"region id {rid!r} used twice; kept the first", rid)
            continue
        score = item.get("score")
        regions[rid] = Region(rid, control, label, start, end, stored or "", {},
                              float(score) if score is not None else None)

    for item in choice_items:
        rid = str(item.get("id") or "")
        name = item.get("from_name")
        spec = schema.choice(name)
        values = (item.get("value") or {}).get("choices") or []
        if spec is None:
            problem("unknown_control", f"choices control {name!r} is not in the schema", rid)
            continue
        if rid not in regions:
            problem("orphan_choice", f"choice {name!r} names region {rid!r}, which is not in the result", rid)
            continue
        region = regions[rid]
        if region.layer != spec.layer or region.label != spec.when:
            problem("choice_on_wrong_label",
                    f"choice {name!r} applies to {spec.layer}:{spec.when}, region is {region.layer}:{region.label}", rid)
            continue
        if not values:
            continue
        value = str(values[0])
        if value not in spec.values:
            problem("unknown_choice", f"{name}={value!r} is not one of the schema's values", rid)
            continue
        region.choices[name] = value

    relations: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()
    for item in relation_items:
        src, dst = str(item.get("from_id") or ""), str(item.get("to_id") or "")
        labels = item.get("labels") or []
        label = str(labels[0]) if labels else ""
        missing = [r for r in (src, dst) if r not in regions]
        if missing:
            problem("relation_to_missing_region",
                    f"relation {label or '(unlabelled)'} {src} -> {dst} points to missing region(s) {missing}",
                    missing[0])
            continue
        spec = schema.relation(label)
        if spec is None:
            problem("unknown_relation", f"relation label {label!r} is not in the schema", src)
            continue
        a, b = regions[src], regions[dst]
        if not spec.allows(a.layer, a.label, b.layer, b.label):
            problem("relation_wrong_types",
                    f"{label} may go from {list(spec.from_)} to {list(spec.to)}, "
                    f"not from {a.layer}:{a.label} to {b.layer}:{b.label}", src)
            continue
        key = (src, dst, label)
        if key not in seen:
            seen.add(key)
            relations.append(Relation(src, dst, label))
    return list(regions.values()), relations, problems


def to_result(regions: list[Region], relations: list[Relation], schema: Schema) -> list[dict]:
    """Regions and relations back to a Label Studio result list (labels, choices, relations)."""
    out: list[dict] = []
    for r in regions:
        value = {"start": r.start, "end": r.end, "text": r.text}
        item = {"id": r.id, "from_name": r.layer, "to_name": schema.text_name, "type": "labels",
                "value": {**value, "labels": [r.label]}}
        if r.score is not None:
            item["score"] = round(float(r.score), 4)
        out.append(item)
        for name, choice in r.choices.items():
            out.append({"id": r.id, "from_name": name, "to_name": schema.text_name, "type": "choices",
                        "value": {**value, "choices": [choice]}})
    for rel in relations:
        item = {"from_id": rel.from_id, "to_id": rel.to_id, "type": "relation", "direction": "right"}
        if rel.label:
            item["labels"] = [rel.label]
        out.append(item)
    return out


def has_word_character(span: str) -> bool:
    """Whether ``span`` holds a letter or a digit (a tatweel, "ـ", is a mark here, not a letter)."""
    return any(ch.isalnum() and ch != TATWEEL for ch in span)


def showable(text: str, regions: list[Region], relations: list[Relation]) -> tuple[list[Region], list[Relation], list[str]]:
    """The regions Label Studio can show over ``text`` and the relations between them, and a line per
    region left out: offsets outside the text or an empty span, or a span of marks only (no letter or
    digit: "ـ", "."). A predictor's pre-annotation goes through it before the push and the ML backend
    send it, so one bad span costs that span, never the task or the batch."""
    bad: dict[str, str] = {}
    for r in regions:
        if not (0 <= r.start < r.end <= len(text)):
            bad[r.id] = f"{r.layer} {r.label} [{r.start}:{r.end}]: offsets outside the text of {len(text)} characters or empty"
        elif not has_word_character(text[r.start:r.end]):
            bad[r.id] = f"{r.layer} {r.label} [{r.start}:{r.end}] {text[r.start:r.end]!r}: no letter or digit"
    if not bad:
        return regions, relations, []
    return ([r for r in regions if r.id not in bad],
            [x for x in relations if x.from_id not in bad and x.to_id not in bad], list(bad.values()))
