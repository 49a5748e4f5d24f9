"""The document view: one row per task, char-offset spans for every layer (pure functions).

Row layout (the dataset's features, label order from the schema):

- ``id`` (content hash of the text), ``task_id``, ``text``, ``meta`` (JSON string)
- ``annotator``, ``annotation_id`` (the gold annotation), ``annotation_ids`` (all considered)
- ``entities``: ``{id, start, end, label, text}``
- ``events``: ``{id, start, end, type, text, arguments: [{id, role, start, end, text}]}``
- ``claims``: one per CLAIM span ``{id, start, end, text, stance, source, cue, reported_via}``,
  where ``source`` is ``{id, start, end, text, type, canonical}`` and ``cue``/``reported_via``
  are ``{id, start, end, text}``; an absent part has ``id == ""`` and ``start == end == -1``.
- ``attribution``: every claims-layer span flat ``{id, start, end, label, text, source_type,
  source_id, stance}`` (a SOURCE with no CLAIM yet is still here)
- ``relations``: every relation ``{from_id, to_id, label}``, so the row converts back to the
  exact Label Studio result (``document_to_regions``) and round-trips.

Not handled here: choosing the gold annotation (gold.py) or tokens (annotation/text/tokens.py).
"""

from __future__ import annotations

import hashlib
import json

from annotation.convert.regions import Region, Relation
from annotation.schema.schema import Schema

EMPTY_PART = {"id": "", "start": -1, "end": -1, "text": ""}


def content_hash(text: str) -> str:
    """The identity of a document: sha256 of its exact text (first 16 hex digits).

    Defined for every str: a lone surrogate (JSON's ``"\\ud800"`` decodes to one) is hashed
    as its code point (``surrogatepass``) instead of raising; other texts hash as plain UTF-8."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def document_features(schema: Schema):
    """The datasets.Features of the document view for a schema."""
    from datasets import ClassLabel, Features, Sequence, Value

    def span(**extra):
        return {"id": Value("string"), "start": Value("int32"), "end": Value("int32"),
                "text": Value("string"), **extra}

    names = schema.layer_names
    entity_labels = list(schema.layer("entities").labels) if "entities" in names else ["_"]
    event_types = list(schema.layer("events").labels) if "events" in names else ["_"]
    roles = list(schema.event_roles) or ["_"]
    claim_labels = list(schema.layer("claims").labels) if "claims" in names else ["_"]
    return Features({
        "id": Value("string"),
        "task_id": Value("int64"),
        "text": Value("string"),
        "meta": Value("string"),
        "annotator": Value("string"),
        "annotation_id": Value("int64"),
        "annotation_ids": Sequence(Value("int64")),
        "entities": [span(label=ClassLabel(names=entity_labels))],
        "events": [span(type=ClassLabel(names=event_types),
                        arguments=[span(role=ClassLabel(names=roles))])],
        "claims": [span(stance=Value("string"),
                        source=span(type=Value("string"), canonical=Value("string")),
                        cue=span(), reported_via=span())],
        "attribution": [span(label=ClassLabel(names=claim_labels), source_type=Value("string"),
                             source_id=Value("string"), stance=Value("string"))],
        "relations": [{"from_id": Value("string"), "to_id": Value("string"), "label": Value("string")}],
    })


def _part(r: Region | None, **extra) -> dict:
    if r is None:
        return {**EMPTY_PART, **{k: "" for k in extra}}
    return {"id": r.id, "start": r.start, "end": r.end, "text": r.text, **extra}


def _sorted(regions):
    return sorted(regions, key=lambda r: (r.start, r.end, r.label, r.id))


def regions_to_document(
    text: str,
    regions: list[Region],
    relations: list[Relation],
    *,
    task_id: int = -1,
    meta: dict | None = None,
    annotator: str = "",
    annotation_id: int = -1,
    annotation_ids: list[int] | None = None,
) -> dict:
    """Build a document-view row (labels as strings; datasets encodes them to ClassLabel ids)."""
    by_id = {r.id: r for r in regions}
    out_rel: dict[str, list[Relation]] = {}
    for rel in relations:
        out_rel.setdefault(rel.from_id, []).append(rel)
    in_rel: dict[str, list[Relation]] = {}
    for rel in relations:
        in_rel.setdefault(rel.to_id, []).append(rel)

    def first_target(rid: str, label: str) -> Region | None:
        return next((by_id[r.to_id] for r in out_rel.get(rid, []) if r.label == label), None)

    entities = [{"id": r.id, "start": r.start, "end": r.end, "label": r.label, "text": r.text}
                for r in _sorted(x for x in regions if x.layer == "entities")]
    events = []
    for r in _sorted(x for x in regions if x.layer == "events"):
        args = [
            {"id": by_id[rel.to_id].id, "role": rel.label, "start": by_id[rel.to_id].start,
             "end": by_id[rel.to_id].end, "text": by_id[rel.to_id].text}
            for rel in out_rel.get(r.id, []) if rel.label not in ("attributed_to", "cue", "reported_via")
        ]
        args.sort(key=lambda a: (a["start"], a["end"], a["role"]))
        events.append({"id": r.id, "start": r.start, "end": r.end, "type": r.label, "text": r.text,
                       "arguments": args})
    claims = []
    attribution = []
    for r in _sorted(x for x in regions if x.layer == "claims"):
        attribution.append({"id": r.id, "start": r.start, "end": r.end, "label": r.label, "text": r.text,
                            "source_type": r.choices.get("source_type", ""),
                            "source_id": r.choices.get("source_id", ""),
                            "stance": r.choices.get("stance", "")})
        if r.label != "CLAIM":
            continue
        source = first_target(r.id, "attributed_to")
        cue = next((by_id[rel.from_id] for rel in in_rel.get(r.id, []) if rel.label == "cue"), None)
        via = first_target(source.id, "reported_via") if source else None
        claims.append({
            "id": r.id, "start": r.start, "end": r.end, "text": r.text,
            "stance": r.choices.get("stance", ""),
            "source": _part(source, type=source.choices.get("source_type", "") if source else "",
                            canonical=source.choices.get("source_id", "") if source else ""),
            "cue": _part(cue),
            "reported_via": _part(via),
        })
    return {
        "id": content_hash(text),
        "task_id": int(task_id),
        "text": text,
        "meta": json.dumps(meta or {}, ensure_ascii=False, sort_keys=True),
        "annotator": annotator,
        "annotation_id": int(annotation_id),
        "annotation_ids": list(annotation_ids or ([] if annotation_id < 0 else [annotation_id])),
        "entities": entities,
        "events": events,
        "claims": claims,
        "attribution": attribution,
        "relations": [{"from_id": r.from_id, "to_id": r.to_id, "label": r.label}
                      for r in sorted(relations, key=lambda r: (r.from_id, r.to_id, r.label))],
    }


def _label(value, names: list[str] | None) -> str:
    """A label that may be a ClassLabel id (from a loaded dataset) or already a string."""
    return names[value] if isinstance(value, int) and names else str(value)


def document_to_regions(row: dict, schema: Schema | None = None) -> tuple[list[Region], list[Relation]]:
    """Invert regions_to_document: the regions and relations a row was built from.

    Takes rows with string labels or with ClassLabel ids (pass the schema for the latter).
    """
    names = {}
    if schema is not None:
        names = {l.name: list(l.labels) for l in schema.layers}
        names["roles"] = list(schema.event_roles)
    regions: dict[str, Region] = {}

    def add(r: Region) -> None:
        regions.setdefault(r.id, r)

    for e in row.get("entities") or []:
        add(Region(e["id"], "entities", _label(e["label"], names.get("entities")), e["start"], e["end"], e["text"]))
    for ev in row.get("events") or []:
        add(Region(ev["id"], "events", _label(ev["type"], names.get("events")), ev["start"], ev["end"], ev["text"]))
    for a in row.get("attribution") or []:
        choices = {k: a[k] for k in ("source_type", "source_id", "stance") if a.get(k)}
        add(Region(a["id"], "claims", _label(a["label"], names.get("claims")), a["start"], a["end"], a["text"], choices))
    relations = [Relation(r["from_id"], r["to_id"], r["label"]) for r in row.get("relations") or []]
    return _sorted(regions.values()), relations
