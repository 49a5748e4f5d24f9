"""The generated labeling config: well-formed, complete, RTL, unique hotkeys, escaped values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
import yaml

from annotation.schema.labeling_config import labeling_config
from annotation.schema.schema import DEFAULT_SCHEMA, parse_schema

WEIRD = ['A<B', 'R&D', 'say "hi"', "it's", "قال>"]


@pytest.fixture
def tree(schema):
    return ET.fromstring(labeling_config(schema))


def weird_schema():
    raw = yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    raw["layers"]["entities"]["labels"] += [{"value": v} for v in WEIRD]
    return parse_schema(raw, ["SANA"])


def test_config_is_well_formed_xml_with_view_root(tree):
    assert tree.tag == "View"


def test_every_label_of_every_layer_is_in_its_labels_control(schema, tree):
    for layer in schema.layers:
        control = tree.find(f"Labels[@name='{layer.name}']")
        assert control is not None and control.get("toName") == "text"
        assert [l.get("value") for l in control.findall("Label")] == list(layer.labels)


def test_hotkeys_are_unique(tree):
    keys = [l.get("hotkey") for l in tree.iter("Label") if l.get("hotkey")]
    assert len(keys) == len(set(keys)) == len(list(tree.iter("Label")))


def test_label_colours_are_distinct(tree):
    colours = [l.get("background") for l in tree.iter("Label")]
    assert len(colours) == len(set(colours))


def test_text_sits_in_a_right_to_left_view(tree):
    parent = next(v for v in tree.iter("View") if v.find("Text") is not None)
    assert "direction: rtl" in parent.get("style")
    assert parent.find("Text").get("value") == "$text"


def test_relations_and_per_region_choices_are_present(schema, tree):
    assert [r.get("value") for r in tree.iter("Relation")] == [r.value for r in schema.relations]
    source_type = tree.find(".//Choices[@name='source_type']")
    assert source_type.get("perRegion") == "true"
    box = next(v for v in tree.iter("View") if v.find("Choices[@name='source_type']") is not None)
    assert (box.get("whenTagName"), box.get("whenLabelValue")) == ("claims", "SOURCE")


@pytest.mark.parametrize("value", WEIRD)
def test_label_with_markup_characters_is_escaped_and_round_trips(value):
    xml = labeling_config(weird_schema())
    values = [l.get("value") for l in ET.fromstring(xml).iter("Label")]
    assert value in values


def test_escaped_values_do_not_appear_raw(schema):
    xml = labeling_config(weird_schema())
    assert 'value="A<B"' not in xml and "A&lt;B" in xml and "R&amp;D" in xml


def test_config_is_deterministic(schema):
    assert labeling_config(schema) == labeling_config(schema)


def test_generated_labeling_config_matches_the_golden_file_byte_for_byte():
    """An accidental change to the XML generated from configs/schema.yaml fails here. The source
    ids come from a frozen copy of sources.yaml, so adding a source does not. After a deliberate
    change, regenerate: ``python -c "from annotation.schema.labeling_config import labeling_config;
    from annotation.schema.schema import load_schema; print(labeling_config(load_schema(
    sources='tests/fixtures/golden_sources.yaml')), end='')" > tests/fixtures/labeling_config.golden.xml``."""
    from pathlib import Path

    from annotation.schema.schema import load_schema

    fixtures = Path(__file__).resolve().parent / "fixtures"
    generated = labeling_config(load_schema(sources=fixtures / "golden_sources.yaml"))
    assert generated.encode("utf-8") == (fixtures / "labeling_config.golden.xml").read_bytes()
