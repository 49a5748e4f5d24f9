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

from dataclasses import dataclass

from annotation.convert.regions import Region, Relation
from annotation.schema.schema import Schema, default_schema


@dataclass(frozen=True)
class DocumentView:
    """The document view's column and part names: a dataset format of its own.

    They are fixed whatever the schema calls its layers, relations and choices (a dataset reader
    relies on them); which regions fill them is the schema's roles (``schema.roles``).
    """

    entities: str = "entities"          # the entities layer's spans
    events: str = "events"              # the events layer's triggers and arguments
    claims: str = "claims"              # one row per claim, with its source, cue and outlet
    attribution: str = "attribution"    # every claims-layer span, flat
    cue: str = "cue"                    # a claim's cue part
    reported_via: str = "reported_via"  # a claim's outlet part
    stance: str = "stance"              # a claim's (and an attribution span's) stance choice
    source_type: str = "source_type"    # an attribution span's source_type choice
    source_id: str = "source_id"        # an attribution span's source_id choice


VIEW = DocumentView()


def span_layers(schema: Schema | None = None) -> dict[str, tuple[str, str]]:
    """Per span layer (the schema's name for it, in role order: entities, events, claims), its
    document-view column and the key of its label there (the default schema when none is given)."""
    roles = (schema or default_schema()).roles
    pairs = ((roles.entities, (VIEW.entities, "label")), (roles.events, (VIEW.events, "type")),
             (roles.claims, (VIEW.attribution, "label")))
    return {layer: where for layer, where in pairs if layer is not None}

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

    names, layers = schema.layer_names, schema.roles
    entity_labels = list(schema.layer(layers.entities).labels) if layers.entities in names else ["_"]
    event_types = list(schema.layer(layers.events).labels) if layers.events in names else ["_"]
    roles = list(schema.event_roles) or ["_"]
    claim_labels = list(schema.layer(layers.claims).labels) if layers.claims in names else ["_"]
    return Features({
        "id": Value("string"),
        "task_id": Value("int64"),
        "text": Value("string"),
        "meta": Value("string"),
        "annotator": Value("string"),
        "annotation_id": Value("int64"),
        "annotation_ids": Sequence(Value("int64")),
        VIEW.entities: [span(label=ClassLabel(names=entity_labels))],
        VIEW.events: [span(type=ClassLabel(names=event_types),
                           arguments=[span(role=ClassLabel(names=roles))])],
        VIEW.claims: [span(**{VIEW.stance: Value("string"),
                              "source": span(type=Value("string"), canonical=Value("string")),
                              VIEW.cue: span(), VIEW.reported_via: span()})],
        VIEW.attribution: [span(**{"label": ClassLabel(names=claim_labels), VIEW.source_type: Value("string"),
                                   VIEW.source_id: Value("string"), VIEW.stance: Value("string")})],
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
    schema: Schema | None = None,
) -> dict:
    """Build a document-view row (labels as strings; datasets encodes them to ClassLabel ids).

    Which regions and relations fill which part is the schema's roles (the default schema's when
    none is given)."""
    roles = (schema or default_schema()).roles
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
                for r in _sorted(x for x in regions if x.layer == roles.entities)]
    events = []
    for r in _sorted(x for x in regions if x.layer == roles.events):
        args = [
            {"id": by_id[rel.to_id].id, "role": rel.label, "start": by_id[rel.to_id].start,
             "end": by_id[rel.to_id].end, "text": by_id[rel.to_id].text}
            for rel in out_rel.get(r.id, []) if rel.label not in roles.attribution_relations
        ]
        args.sort(key=lambda a: (a["start"], a["end"], a["role"]))
        events.append({"id": r.id, "start": r.start, "end": r.end, "type": r.label, "text": r.text,
                       "arguments": args})
    claims = []
    attribution = []
    for r in _sorted(x for x in regions if x.layer == roles.claims):
        attribution.append({"id": r.id, "start": r.start, "end": r.end, "label": r.label, "text": r.text,
                            VIEW.source_type: r.choices.get(roles.source_type, ""),
                            VIEW.source_id: r.choices.get(roles.source_id, ""),
                            VIEW.stance: r.choices.get(roles.stance, "")})
        if not roles.is_(r, "claim"):
            continue
        source = first_target(r.id, roles.claim_source)
        cue = next((by_id[rel.from_id] for rel in in_rel.get(r.id, []) if rel.label == roles.cue_claim), None)
        via = first_target(source.id, roles.source_outlet) if source else None
        claims.append({
            "id": r.id, "start": r.start, "end": r.end, "text": r.text,
            VIEW.stance: r.choices.get(roles.stance, ""),
            "source": _part(source, type=source.choices.get(roles.source_type, "") if source else "",
                            canonical=source.choices.get(roles.source_id, "") if source else ""),
            VIEW.cue: _part(cue),
            VIEW.reported_via: _part(via),
        })
    return {
        "id": content_hash(text),
        "task_id": int(task_id),
        "text": text,
        "meta": json.dumps(meta or {}, ensure_ascii=False, sort_keys=True),
        "annotator": annotator,
        "annotation_id": int(annotation_id),
        "annotation_ids": list(annotation_ids or ([] if annotation_id < 0 else [annotation_id])),
        VIEW.entities: entities,
        VIEW.events: events,
        VIEW.claims: claims,
        VIEW.attribution: attribution,
        "relations": [{"from_id": r.from_id, "to_id": r.to_id, "label": r.label}
                      for r in sorted(relations, key=lambda r: (r.from_id, r.to_id, r.label))],
    }


def _label(value, names: list[str] | None) -> str:
    """A label that may be a ClassLabel id (from a loaded dataset) or already a string."""
    return names[value] if isinstance(value, int) and names else str(value)


def document_to_regions(row: dict, schema: Schema | None = None) -> tuple[list[Region], list[Relation]]:
    """Invert regions_to_document: the regions and relations a row was built from.

    Takes rows with string labels or with ClassLabel ids (pass the schema for the latter; the
    regions' layers and choices are its roles, the default schema's when none is given).
    """
    names = {}
    if schema is not None:
        names = {l.name: list(l.labels) for l in schema.layers}
    roles = (schema or default_schema()).roles
    regions: dict[str, Region] = {}

    def add(r: Region) -> None:
        regions.setdefault(r.id, r)

    for e in row.get(VIEW.entities) or []:
        add(Region(e["id"], roles.entities, _label(e["label"], names.get(roles.entities)), e["start"], e["end"],
                   e["text"]))
    for ev in row.get(VIEW.events) or []:
        add(Region(ev["id"], roles.events, _label(ev["type"], names.get(roles.events)), ev["start"], ev["end"],
                   ev["text"]))
    choice_of = {VIEW.source_type: roles.source_type, VIEW.source_id: roles.source_id, VIEW.stance: roles.stance}
    for a in row.get(VIEW.attribution) or []:
        choices = {choice_of[k]: a[k] for k in choice_of if a.get(k)}
        add(Region(a["id"], roles.claims, _label(a["label"], names.get(roles.claims)), a["start"], a["end"], a["text"],
                   choices))
    relations = [Relation(r["from_id"], r["to_id"], r["label"]) for r in row.get("relations") or []]
    return _sorted(regions.values()), relations
