"""Load and check configs/schema.yaml: the one source of the labeling config, the dataset's
ClassLabels and the model's label maps.

Everything downstream asks this module for label order, so the XML, the ClassLabel ids and
label2id agree. The checks run before any call to a server and name the key path of the
problem (``layers.entities.labels[2].value: duplicate label 'PER'``). An unknown key is an
error naming the nearest known one (``layers.events.rolez: unknown key 'rolez'; did you mean
'roles'?``), a key given twice in one mapping is an error with its line, and layer and choice
names must match ``NAME_PATTERN``.

Roles: code never writes a layer, label, relation or choice name. It names what it means (the
claim content label, the claim->source relation, ...) and asks the schema which name plays that
role; ``roles:`` in schema.yaml binds each role once, and ``schema.roles`` (a frozen ``Roles``)
holds the bindings:

- layers (a layer name): ``entities``, ``events``, ``claims``
- labels (a ``(layer, label)`` pair; ``layer:LABEL`` in the YAML): ``claim`` (the content),
  ``source`` (who says it), ``cue`` (the reporting verb), ``outlet`` (the entity label a source
  can be reported via, ORG)
- relations (a relation value): ``claim_source`` (claim -> source), ``cue_claim`` (cue -> claim),
  ``source_outlet`` (source -> outlet or another source)
- choices (a choice name): ``stance`` (on a claim), ``source_id`` and ``source_type`` (on a source)

A role naming something the schema lacks is a SchemaError at ``roles.<role>``, and so is a
relation role whose relation does not join its two label roles, or a choice role shown on another
label. A role the mapping leaves out is unbound: ``None``, which matches no region (a schema with
no ``roles:`` at all, written before roles existed, binds each role to ``DEFAULT_ROLES`` where the
schema has that name). Code reads the bindings from the schema it was handed, or from
``default_schema()`` (the cached configs/schema.yaml) where it has none::

    >>> roles = default_schema().roles
    >>> roles.claim, roles.claim_source, roles.claims
    (('claims', 'CLAIM'), 'attributed_to', 'claims')

    claims = [r for r in regions if roles.is_(r, "claim")]        # (r.layer, r.label) == roles.claim
    Region(rid, *roles.source, start, end, text, {roles.source_id: "SANA"})   # a new SOURCE region
    pairs = [x for x in relations if x.label == roles.claim_source]
    events = [x for x in relations if x.label not in roles.attribution_relations]   # event arguments

Not handled here: rendering the XML (labeling_config.py) or reading sources.yaml beyond the ids.

Example::

    >>> schema = load_schema("configs/schema.yaml")
    >>> schema.layer("entities").labels[:3]
    ('PER', 'ORG', 'GPE')
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SCHEMA_FORMAT_VERSION = 1
from annotation.errors import NisbaError
from annotation.paths import CONFIGS_DIR
DEFAULT_SCHEMA = CONFIGS_DIR / "schema.yaml"
DEFAULT_SOURCES = CONFIGS_DIR / "sources.yaml"

# Hotkeys handed out in label order, across all layers, when a label names none.
HOTKEYS = list("1234567890qwertyuiopasdfghjklzxcvbnm")
# Distinct colours (Sasha Trubetskoy's list), handed out in label order when none is given.
PALETTE = [
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
    "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#808080", "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
    "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]


class SchemaError(NisbaError, ValueError):
    """A schema problem, naming the key path where it was found."""

    def __init__(self, path: str, message: str):
        self.path = path
        super().__init__(f"{path}: {message}")


@dataclass(frozen=True)
class Label:
    value: str
    hotkey: str
    background: str
    description: str = ""


@dataclass(frozen=True)
class Layer:
    name: str
    labels: tuple[str, ...]
    label_specs: tuple[Label, ...]
    roles: tuple[str, ...] = ()
    description: str = ""

    def bio_labels(self) -> list[str]:
        """O, then B-/I- for each label in schema order: the model's label list."""
        out = ["O"]
        for label in self.labels:
            out += [f"B-{label}", f"I-{label}"]
        return out


@dataclass(frozen=True)
class RelationSpec:
    value: str
    from_: tuple[str, ...]  # "layer:LABEL" or "layer:*"
    to: tuple[str, ...]
    background: str = ""

    @staticmethod
    def _matches(patterns: tuple[str, ...], layer: str, label: str) -> bool:
        return any(p == f"{layer}:{label}" or p == f"{layer}:*" for p in patterns)

    def allows(self, from_layer: str, from_label: str, to_layer: str, to_label: str) -> bool:
        return self._matches(self.from_, from_layer, from_label) and self._matches(self.to, to_layer, to_label)


@dataclass(frozen=True)
class ChoiceSpec:
    name: str
    layer: str
    when: str
    values: tuple[str, ...]


# The roles, by kind: what the code means, bound to the schema's names by ``roles:``.
LAYER_ROLES = ("entities", "events", "claims")
LABEL_ROLES = ("claim", "source", "cue", "outlet", "person", "place")
# relation role -> (its from label role, its to label role)
RELATION_ROLES = {"claim_source": ("claim", "source"), "cue_claim": ("cue", "claim"),
                  "source_outlet": ("source", "outlet")}
# choice role -> the label role it is shown on
CHOICE_ROLES = {"stance": "claim", "source_id": "source", "source_type": "source"}
ALL_ROLES = LAYER_ROLES + LABEL_ROLES + tuple(RELATION_ROLES) + tuple(CHOICE_ROLES)
# A schema without a ``roles:`` mapping (one written before roles existed) binds each role to
# these names where the schema has them; configs/schema.yaml binds them all itself.
DEFAULT_ROLES = {
    "entities": "entities", "events": "events", "claims": "claims",
    "claim": "claims:CLAIM", "source": "claims:SOURCE", "cue": "claims:CUE", "outlet": "entities:ORG",
    "person": "entities:PER", "place": "entities:GPE", "claim_source": "attributed_to", "cue_claim": "cue", "source_outlet": "reported_via",
    "stance": "stance", "source_id": "source_id", "source_type": "source_type",
}


@dataclass(frozen=True)
class Roles:
    """The schema's name for each role the code relies on (None: unbound, matches nothing)."""

    entities: str | None = None
    events: str | None = None
    claims: str | None = None
    claim: tuple[str, str] | None = None
    source: tuple[str, str] | None = None
    cue: tuple[str, str] | None = None
    outlet: tuple[str, str] | None = None
    person: tuple[str, str] | None = None
    place: tuple[str, str] | None = None
    claim_source: str | None = None
    cue_claim: str | None = None
    source_outlet: str | None = None
    stance: str | None = None
    source_id: str | None = None
    source_type: str | None = None

    def is_(self, region, role: str) -> bool:
        """Whether a region (anything with ``layer`` and ``label``) carries the label of a label role."""
        bound = getattr(self, role)
        return bound is not None and (region.layer, region.label) == bound

    @property
    def attribution_relations(self) -> tuple[str, ...]:
        """The relation values of the attribution roles (claim_source, cue_claim, source_outlet), bound ones."""
        return tuple(v for v in (self.claim_source, self.cue_claim, self.source_outlet) if v is not None)


@dataclass(frozen=True)
class Schema:
    title: str
    text_name: str
    direction: str
    layers: tuple[Layer, ...]
    relations: tuple[RelationSpec, ...]
    choices: tuple[ChoiceSpec, ...]
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    roles: Roles = field(default_factory=Roles)

    @property
    def layer_names(self) -> list[str]:
        return [layer.name for layer in self.layers]

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        raise KeyError(f"unknown layer {name!r}; schema layers: {self.layer_names}")

    def relation(self, value: str) -> RelationSpec | None:
        return next((r for r in self.relations if r.value == value), None)

    def choice(self, name: str) -> ChoiceSpec | None:
        return next((c for c in self.choices if c.name == name), None)

    def choices_for(self, layer: str, label: str) -> list[ChoiceSpec]:
        return [c for c in self.choices if c.layer == layer and c.when == label]

    @property
    def event_roles(self) -> tuple[str, ...]:
        events = self.roles.events
        return self.layer(events).roles if events in self.layer_names else ()

    def label_maps(self) -> dict[str, list[str]]:
        """Per layer, the BIO label list in schema order (index = model label id)."""
        return {layer.name: layer.bio_labels() for layer in self.layers}

    def fingerprint(self) -> str:
        """A short hash of everything that shapes labels; a model records it to refuse other schemas."""
        payload = {
            "layers": {l.name: list(l.labels) for l in self.layers},
            "roles": list(self.event_roles),
            "relations": [r.value for r in self.relations],
            "choices": {c.name: list(c.values) for c in self.choices},
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]


def _require(cond: bool, path: str, message: str) -> None:
    if not cond:
        raise SchemaError(path, message)


# The keys each part of a schema may hold; any other key is a typo and an error naming the nearest.
KNOWN_KEYS = {
    "<root>": ("format_version", "title", "text", "layers", "relations", "choices", "roles"),
    "text": ("name", "direction"),
    "layer": ("description", "labels", "roles"),
    "label": ("value", "description", "hotkey", "background"),
    "relation": ("value", "from", "to", "background"),
    "choice": ("name", "layer", "when", "values", "values_from"),
    "roles": ALL_ROLES,
}
# Layer and choice names become XML control names and every result's from_name.
NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
MAX_NAME_LENGTH = 40
MAX_LABEL_LENGTH = 64   # label, role and relation values: any printable text (escaped in the XML)


def _check_keys(mapping: dict, part: str, path: str) -> None:
    known = KNOWN_KEYS[part]
    for key in mapping:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known keys: {', '.join(known)}"
            where = f"{path}.{key}" if path != "<root>" else str(key)
            raise SchemaError(where, f"unknown key {key!r}{hint}")


def _check_name(name, path: str, what: str) -> str:
    _require(isinstance(name, str) and NAME_PATTERN.fullmatch(name) is not None and len(name) <= MAX_NAME_LENGTH,
             path, f"{what} {name!r} must be letters, digits, '_' or '-' (starting with a letter or '_'), "
                   f"at most {MAX_NAME_LENGTH} characters")
    return name


def _check_value(value, path: str, what: str) -> str:
    value = str(value)
    _require(value.strip() != "", path, f"empty {what}")
    _require(value == value.strip() and value.isprintable() and len(value) <= MAX_LABEL_LENGTH, path,
             f"{what} {value!r} must be printable text without leading or trailing spaces, at most "
             f"{MAX_LABEL_LENGTH} characters")
    return value


class _UniqueKeyLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses a key given twice in one mapping (YAML keeps the last silently)."""


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    loader.flatten_mapping(node)
    seen: dict = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {seen[key] + 1}); YAML would keep only the last",
                key_node.start_mark)
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)


def load_source_ids(path: str | Path = DEFAULT_SOURCES) -> list[str]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    sources = data.get("sources") or []
    ids = [str(s["id"]) for s in sources if isinstance(s, dict) and "id" in s]
    _require(len(ids) == len(set(ids)), f"{path}: sources", "duplicate source id")
    return ids


def parse_schema(data: Any, source_ids: list[str] | None = None) -> Schema:
    """Check a schema mapping (as read from YAML) and build a Schema; raise SchemaError naming the key path."""
    _require(isinstance(data, dict), "<root>", "schema must be a mapping")
    _check_keys(data, "<root>", "<root>")
    version = data.get("format_version", SCHEMA_FORMAT_VERSION)
    _require(version == SCHEMA_FORMAT_VERSION, "format_version",
             f"unsupported schema format {version!r}, this nisba reads {SCHEMA_FORMAT_VERSION}")
    text = data.get("text") or {}
    _require(isinstance(text, dict), "text", "must be a mapping")
    _check_keys(text, "text", "text")
    text_name = _check_name(text.get("name", "text"), "text.name", "text name")
    direction = str(text.get("direction", "rtl"))
    _require(direction in ("rtl", "ltr"), "text.direction", f"must be rtl or ltr, not {direction!r}")

    layers_raw = data.get("layers")
    _require(isinstance(layers_raw, dict) and layers_raw, "layers", "at least one layer is required")
    layers: list[Layer] = []
    all_values: dict[str, str] = {}
    used_hotkeys: dict[str, str] = {}
    auto_keys = iter(k for k in HOTKEYS)
    colour_index = 0
    # explicit hotkeys first, so automatic ones never collide with them
    for lname, ldata in layers_raw.items():
        labels_seen = ldata.get("labels") if isinstance(ldata, dict) else None   # the loop below says what is wrong
        for i, spec in enumerate(labels_seen if isinstance(labels_seen, list) else []):
            if isinstance(spec, dict) and spec.get("hotkey"):
                key = str(spec["hotkey"])
                where = f"layers.{lname}.labels[{i}].hotkey"
                _require(key not in used_hotkeys, where, f"hotkey {key!r} already used by {used_hotkeys.get(key)}")
                used_hotkeys[key] = f"{lname}:{spec.get('value')}"
    for lname, ldata in layers_raw.items():
        path = f"layers.{lname}"
        _check_name(lname, path, "layer name")
        _require(isinstance(ldata, dict), path, "must be a mapping with 'labels'")
        _check_keys(ldata, "layer", path)
        labels_raw = ldata.get("labels")
        _require(isinstance(labels_raw, list) and labels_raw, f"{path}.labels", "a layer needs at least one label")
        specs: list[Label] = []
        for i, spec in enumerate(labels_raw):
            lpath = f"{path}.labels[{i}]"
            if isinstance(spec, str):
                spec = {"value": spec}
            _require(isinstance(spec, dict) and "value" in spec, lpath, "a label needs a 'value'")
            _check_keys(spec, "label", lpath)
            value = _check_value(spec["value"], f"{lpath}.value", "label")
            _require(value not in all_values, f"{lpath}.value",
                     f"duplicate label {value!r} (already in {all_values.get(value)})")
            all_values[value] = path
            hotkey = str(spec.get("hotkey") or "")
            if not hotkey:
                hotkey = next((k for k in auto_keys if k not in used_hotkeys), "")
                if hotkey:
                    used_hotkeys[hotkey] = f"{lname}:{value}"
            background = str(spec.get("background") or PALETTE[colour_index % len(PALETTE)])
            colour_index += 1
            specs.append(Label(value, hotkey, background, str(spec.get("description", ""))))
        roles = tuple(_check_value(r, f"{path}.roles[{j}]", "role") for j, r in enumerate(ldata.get("roles") or []))
        _require(len(roles) == len(set(roles)), f"{path}.roles", "duplicate role")
        layers.append(Layer(lname, tuple(s.value for s in specs), tuple(specs), roles, str(ldata.get("description", ""))))

    known = {layer.name: set(layer.labels) for layer in layers}

    def check_endpoint(p: str, where: str) -> None:
        _require(isinstance(p, str) and ":" in p, where, f"expected 'layer:LABEL' or 'layer:*', got {p!r}")
        lname, label = p.split(":", 1)
        _require(lname in known, where, f"unknown layer {lname!r}")
        _require(label == "*" or label in known[lname], where, f"unknown label {label!r} in layer {lname!r}")

    relations: list[RelationSpec] = []
    rel_values: set[str] = set()
    for i, r in enumerate(data.get("relations") or []):
        path = f"relations[{i}]"
        _require(isinstance(r, dict) and r.get("value"), path, "a relation needs a 'value'")
        _check_keys(r, "relation", path)
        value = _check_value(r["value"], f"{path}.value", "relation")
        _require(value not in rel_values, f"{path}.value", f"duplicate relation {value!r}")
        rel_values.add(value)
        froms, tos = r.get("from") or [], r.get("to") or []
        _require(froms and tos, path, "a relation needs 'from' and 'to'")
        for j, p in enumerate(froms):
            check_endpoint(p, f"{path}.from[{j}]")
        for j, p in enumerate(tos):
            check_endpoint(p, f"{path}.to[{j}]")
        relations.append(RelationSpec(value, tuple(froms), tuple(tos), str(r.get("background", ""))))
    # event roles become relations from any trigger to any entity
    if "events" in known and "entities" in known:
        for role in next(l for l in layers if l.name == "events").roles:
            _require(role not in rel_values, "layers.events.roles", f"role {role!r} clashes with a relation")
            rel_values.add(role)
            relations.append(RelationSpec(role, ("events:*",), ("entities:*",)))

    choices: list[ChoiceSpec] = []
    names = set(known) | {text_name}
    for i, c in enumerate(data.get("choices") or []):
        path = f"choices[{i}]"
        _require(isinstance(c, dict) and c.get("name"), path, "a choice needs a 'name'")
        _check_keys(c, "choice", path)
        name = _check_name(c["name"], f"{path}.name", "choice name")
        _require(name not in names, f"{path}.name", f"name {name!r} already used by a layer or another control")
        names.add(name)
        layer = str(c.get("layer", ""))
        _require(layer in known, f"{path}.layer", f"unknown layer {layer!r}")
        when = str(c.get("when", ""))
        _require(when in known[layer], f"{path}.when", f"unknown label {when!r} in layer {layer!r}")
        if c.get("values_from") == "sources":
            values = list(source_ids if source_ids is not None else load_source_ids()) + ["other"]
        else:
            values = [str(v) for v in (c.get("values") or [])]
        _require(values, f"{path}.values", "a choice needs values")
        _require(len(values) == len(set(values)), f"{path}.values", "duplicate value")
        choices.append(ChoiceSpec(name, layer, when, tuple(values)))

    roles = _parse_roles(data, known, relations, choices)
    return Schema(
        title=str(data.get("title", "nisba")),
        text_name=text_name,
        direction=direction,
        layers=tuple(layers),
        relations=tuple(relations),
        choices=tuple(choices),
        raw=data,
        roles=roles,
    )


def _parse_roles(data: dict, known: dict[str, set[str]], relations: list[RelationSpec],
                 choices: list[ChoiceSpec]) -> Roles:
    """Bind each role to the schema's name for it; a binding to a name the schema lacks is refused."""
    rel_by_value = {r.value: r for r in relations}
    choice_by_name = {c.name: c for c in choices}
    if "roles" not in data:
        # a schema from before roles: the default names, where the schema has them
        def present(role: str, name: str) -> bool:
            if role in LAYER_ROLES:
                return name in known
            if role in LABEL_ROLES:
                layer, label = name.split(":", 1)
                return label in known.get(layer, ())
            return name in (rel_by_value if role in RELATION_ROLES else choice_by_name)

        raw = {role: name for role, name in DEFAULT_ROLES.items() if present(role, name)}
        strict = False
    else:
        raw = data.get("roles")
        _require(isinstance(raw, dict), "roles", "must be a mapping of role: name")
        _check_keys(raw, "roles", "roles")
        strict = True
    bound: dict[str, Any] = {}
    for role in LAYER_ROLES:
        if role in raw:
            name = str(raw[role])
            _require(name in known, f"roles.{role}", f"unknown layer {name!r} for role {role!r}")
            bound[role] = name
    for role in LABEL_ROLES:
        if role in raw:
            p = raw[role]
            where = f"roles.{role}"
            _require(isinstance(p, str) and ":" in p, where, f"expected 'layer:LABEL' for role {role!r}, got {p!r}")
            layer, label = p.split(":", 1)
            _require(layer in known, where, f"unknown layer {layer!r} for role {role!r}")
            _require(label in known[layer], where, f"unknown label {label!r} in layer {layer!r} for role {role!r}")
            bound[role] = (layer, label)
    for role, (from_role, to_role) in RELATION_ROLES.items():
        if role in raw:
            value, where = str(raw[role]), f"roles.{role}"
            _require(value in rel_by_value, where, f"unknown relation {value!r} for role {role!r}")
            ends = bound.get(from_role), bound.get(to_role)
            if strict and None not in ends:
                _require(rel_by_value[value].allows(*ends[0], *ends[1]), where,
                         f"relation {value!r} does not join {':'.join(ends[0])} ({from_role}) to "
                         f"{':'.join(ends[1])} ({to_role})")
            bound[role] = value
    for role, on_role in CHOICE_ROLES.items():
        if role in raw:
            name, where = str(raw[role]), f"roles.{role}"
            _require(name in choice_by_name, where, f"unknown choice {name!r} for role {role!r}")
            on, c = bound.get(on_role), choice_by_name[name]
            if strict and on is not None:
                _require((c.layer, c.when) == on, where,
                         f"choice {name!r} is shown on {c.layer}:{c.when}, not on {':'.join(on)} ({on_role})")
            bound[role] = name
    return Roles(**bound)


@functools.lru_cache(maxsize=1)
def default_schema() -> Schema:
    """configs/schema.yaml, read once: the names for code that is handed no schema."""
    return load_schema()


def default_roles() -> Roles:
    """``default_schema().roles``."""
    return default_schema().roles


def load_schema(path: str | Path = DEFAULT_SCHEMA, sources: str | Path | None = None) -> Schema:
    """Read and check a schema file; sources.yaml is looked for beside it, then in configs/."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except FileNotFoundError:
        raise SchemaError(str(path), "schema file not found") from None
    except yaml.YAMLError as exc:
        raise SchemaError(str(path), f"not valid YAML: {exc}") from None
    if sources is None:
        beside = path.parent / "sources.yaml"
        sources = beside if beside.exists() else DEFAULT_SOURCES
    ids = load_source_ids(sources) if Path(sources).exists() else []
    return parse_schema(data, ids)
