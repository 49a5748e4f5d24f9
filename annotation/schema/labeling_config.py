"""Render a Schema as a Label Studio labeling config (XML).

One ``<Labels>`` control per layer (so an ORG can also be a SOURCE), one ``<Relations>``
block, and a ``<Choices perRegion>`` control per schema choice, shown when a region with
that label is selected. The ``<Text>`` sits in a right-to-left View: the Text tag has no
direction option of its own. Values are escaped by ElementTree, so a label holding ``<``,
``&`` or a quote still gives valid XML.

Not handled here: talking to the server (labelstudio/projects.py) or checking the schema (schema.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from annotation.schema.schema import Schema

TEXT_STYLE_RTL = "direction: rtl; text-align: right; font-size: 18px; line-height: 2"
TEXT_STYLE_LTR = "font-size: 16px; line-height: 1.8"


def build_config_tree(schema: Schema) -> ET.Element:
    view = ET.Element("View")
    ET.SubElement(view, "Header", value=schema.title, size="4")
    for layer in schema.layers:
        ET.SubElement(view, "Header", value=layer.name, size="6")
        labels = ET.SubElement(view, "Labels", name=layer.name, toName=schema.text_name, showInline="true")
        for spec in layer.label_specs:
            attrs = {"value": spec.value, "background": spec.background}
            if spec.hotkey:
                attrs["hotkey"] = spec.hotkey
            if spec.description:
                attrs["hint"] = spec.description
            ET.SubElement(labels, "Label", attrs)
    style = TEXT_STYLE_RTL if schema.direction == "rtl" else TEXT_STYLE_LTR
    text_view = ET.SubElement(view, "View", style=style)
    ET.SubElement(text_view, "Text", name=schema.text_name, value=f"${schema.text_name}", granularity="symbol")
    if schema.relations:
        relations = ET.SubElement(view, "Relations")
        for rel in schema.relations:
            attrs = {"value": rel.value}
            if rel.background:
                attrs["background"] = rel.background
            ET.SubElement(relations, "Relation", attrs)
    for choice in schema.choices:
        box = ET.SubElement(view, "View", visibleWhen="region-selected", whenTagName=choice.layer,
                            whenLabelValue=choice.when)
        ET.SubElement(box, "Header", value=choice.name, size="6")
        control = ET.SubElement(
            box, "Choices", name=choice.name, toName=schema.text_name, perRegion="true",
            choice="single", showInline="true" if len(choice.values) <= 8 else "false",
        )
        if len(choice.values) > 8:
            control.set("layout", "select")
        for value in choice.values:
            ET.SubElement(control, "Choice", value=value)
    return view


def labeling_config(schema: Schema) -> str:
    """The labeling config XML for a schema; deterministic for a given schema."""
    tree = build_config_tree(schema)
    ET.indent(tree, space="  ")
    return ET.tostring(tree, encoding="unicode")


def config_differences(config_xml: str, schema: Schema) -> list[str]:
    """What a labeling config (as Label Studio sends it) lacks or adds against ``schema``.

    Compared: each ``<Labels>`` control (name and label values, in order), the ``<Relation>``
    values and each per-region ``<Choices>`` (name and values). Empty when the config was
    generated from this schema (colours, hotkeys and layout are not compared).
    """
    try:
        root = ET.fromstring(config_xml)
    except ET.ParseError as exc:
        return [f"not valid XML ({exc})"]
    sent_labels = {el.get("name"): [l.get("value") for l in el.iter("Label")] for el in root.iter("Labels")}
    want_labels = {layer.name: list(layer.labels) for layer in schema.layers}
    sent_choices = {el.get("name"): [c.get("value") for c in el.iter("Choice")] for el in root.iter("Choices")}
    want_choices = {c.name: list(c.values) for c in schema.choices}
    out = []
    for kind, sent, want in (("labels", sent_labels, want_labels), ("choices", sent_choices, want_choices)):
        for name in want:
            if name not in sent:
                out.append(f"{kind} control {name!r} missing")
            elif sent[name] != want[name]:
                only_want = [v for v in want[name] if v not in sent[name]]
                only_sent = [v for v in sent[name] if v not in want[name]]
                out.append(f"{kind} control {name!r}: "
                           + (f"missing {only_want} " if only_want else "")
                           + (f"extra {only_sent}" if only_sent else "")
                           + ("" if only_want or only_sent else "order differs"))
        out += [f"{kind} control {name!r} not in the schema" for name in sent if name not in want]
    sent_rel = [r.get("value") for r in root.iter("Relation")]
    want_rel = [r.value for r in schema.relations]
    if sorted(sent_rel) != sorted(want_rel):
        out.append(f"relations: missing {sorted(set(want_rel) - set(sent_rel))} extra {sorted(set(sent_rel) - set(want_rel))}")
    return [d.strip() for d in out]
