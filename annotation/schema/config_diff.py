"""Compare two Label Studio labeling configs, and count the results that use what one removes.

A config is read into its controls: ``{name: Control(tag, to_name, values)}`` for ``<Labels>``
and ``<Choices>`` (values: the Label / Choice values), plus one pseudo-control ``RELATIONS``
for ``<Relations>`` (values: the Relation values). Two questions are asked of it:

- ``missing_in(project, schema)``: what the schema's results would use that the project's
  config lacks (a control, its type or target, a label, a choice, a relation): predictions made
  for the schema would be refused or hidden there (``nisba predict`` refuses them).
- ``removed_by(old, new)`` and ``count_uses(results, removed)``: what an update from ``old`` to
  ``new`` takes away, and how many result items of annotations or predictions still use it
  (``nisba project create`` refuses such an update without ``--force``).

Pure functions over XML strings and result lists; the server calls live in labelstudio/projects.py.

Example::

    >>> removed = removed_by(old_xml, new_xml)          # {"entities": {"WEA"}}
    >>> count_uses([ann["result"] for ann in annotations], removed)
    Counter({'entities: label WEA': 3})
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from annotation.errors import NisbaError

RELATIONS = "<relations>"          # the pseudo-control name of <Relations>
CONTROL_TAGS = {"Labels": "Label", "Choices": "Choice"}
ALL = "*"                          # in removed_by: the whole control is gone


@dataclass(frozen=True)
class Control:
    tag: str
    to_name: str
    values: frozenset[str]


def controls(xml: str) -> dict[str, Control]:
    """The Labels, Choices and Relations of a labeling config, by control name."""
    try:
        root = ET.fromstring(xml or "<View/>")
    except ET.ParseError as exc:
        raise NisbaError(f"the project's labeling config is not well-formed XML ({exc})") from None
    out: dict[str, Control] = {}
    for tag, child in CONTROL_TAGS.items():
        for node in root.iter(tag):
            name = node.get("name") or ""
            out[name] = Control(tag, node.get("toName") or "", frozenset(c.get("value") or "" for c in node.iter(child)))
    relations = frozenset(r.get("value") or "" for r in root.iter("Relation"))
    if relations or root.find(".//Relations") is not None:
        out[RELATIONS] = Control("Relations", "", relations)
    return out


def _describe(name: str) -> str:
    return "relations" if name == RELATIONS else f"control {name!r}"


def missing_in(project_xml: str, schema_xml: str) -> list[str]:
    """What the schema's config has that the project's lacks or names otherwise, one line each."""
    have, want = controls(project_xml), controls(schema_xml)
    lines = []
    for name, control in want.items():
        got = have.get(name)
        if got is None:
            others = sorted(n for n, c in have.items() if c.tag == control.tag and n != RELATIONS)
            lines.append(f"{_describe(name)} ({control.tag}) is not in the project"
                         + (f" (it has {control.tag} {others})" if others else ""))
            continue
        if got.tag != control.tag or got.to_name != control.to_name:
            lines.append(f"{_describe(name)} is <{got.tag} toName={got.to_name!r}> in the project, "
                         f"<{control.tag} toName={control.to_name!r}> in the schema")
        lacking = sorted(control.values - got.values)
        if lacking:
            lines.append(f"{_describe(name)}: {lacking} only in the schema"
                         + (f", {sorted(got.values - control.values)} only in the project"
                            if got.values - control.values else ""))
    return lines


def removed_by(old_xml: str, new_xml: str) -> dict[str, set[str]]:
    """Per control of ``old``, the values ``new`` no longer offers ({ALL} when the control is gone)."""
    old, new = controls(old_xml), controls(new_xml)
    out: dict[str, set[str]] = {}
    for name, control in old.items():
        got = new.get(name)
        if got is None or got.tag != control.tag:
            out[name] = {ALL}
        elif control.values - got.values:
            out[name] = set(control.values - got.values)
    return out


def _uses(item: dict, removed: dict[str, set[str]]) -> Iterable[str]:
    if not isinstance(item, dict):
        return
    if item.get("type") == "relation":
        gone = removed.get(RELATIONS, set())
        for label in item.get("labels") or []:
            if ALL in gone or label in gone:
                yield f"relation {label}"
        return
    name = item.get("from_name")
    gone = removed.get(name)
    if not gone:
        return
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    values = list(value.get("labels") or []) + list(value.get("choices") or [])
    if ALL in gone:
        yield f"{name}: the whole control"
        return
    for v in values:
        if v in gone:
            yield f"{name}: {'choice' if 'choices' in value else 'label'} {v}"


def count_uses(results: Iterable[list], removed: dict[str, set[str]]) -> Counter:
    """Result items (of annotations or predictions) that use something ``removed``, per thing used."""
    counts: Counter = Counter()
    if not removed:
        return counts
    for result in results:
        for item in result or []:
            counts.update(_uses(item, removed))
    return counts
