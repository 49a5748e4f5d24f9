"""Label Studio result JSON <-> regions: offsets are code points, problems are reported."""

from __future__ import annotations

from annotation.convert.regions import Region, Relation, parse_result, region_id, to_result

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب"


def labels(rid, layer, label, start, end, text=None):
    value = {"start": start, "end": end, "labels": [label]}
    if text is not None:
        value["text"] = text
    return {"id": rid, "from_name": layer, "to_name": "text", "type": "labels", "value": value}


def test_span_starting_inside_word_keeps_offsets(schema):
    # the clitic ل before رويترز: the span starts inside the whitespace word
    regs, _, probs = parse_result([labels("r", "entities", "ORG", 11, 17, "رويترز")], schema, TEXT)
    assert probs == []
    assert (regs[0].start, regs[0].end, regs[0].text) == (11, 17, TEXT[11:17])


def test_text_mismatch_is_reported_and_offsets_win(schema):
    regs, _, probs = parse_result([labels("r", "entities", "PER", 5, 9, "xxxx")], schema, TEXT, task_id=7)
    assert [p.kind for p in probs] == ["text_mismatch"]
    assert probs[0].task_id == 7 and regs[0].text == "علوش"


def test_out_of_range_span_is_reported_and_left_out(schema):
    regs, _, probs = parse_result([labels("r", "entities", "PER", 30, 99)], schema, TEXT)
    assert regs == [] and probs[0].kind == "offsets_out_of_range"


def test_unknown_label_and_control_are_reported(schema):
    _, _, probs = parse_result([labels("a", "entities", "CLAIM", 0, 4), labels("b", "quotes", "X", 0, 4)],
                               schema, TEXT)
    assert [p.kind for p in probs] == ["unknown_label", "unknown_control"]


def test_relation_of_wrong_types_is_reported(schema):
    result = [labels("c", "claims", "CLAIM", 18, 35), labels("p", "entities", "PER", 5, 9),
              {"from_id": "c", "to_id": "p", "type": "relation", "labels": ["attributed_to"]}]
    _, rels, probs = parse_result(result, schema, TEXT)
    assert rels == [] and probs[0].kind == "relation_wrong_types"


def test_round_trip_regions_relations_and_choices(schema):
    src = Region("s", "claims", "SOURCE", 5, 9, "علوش", {"source_id": "Alloush", "source_type": "armed_group"})
    claim = Region("c", "claims", "CLAIM", 18, 35, TEXT[18:35], {"stance": "asserted"})
    rel = Relation("c", "s", "attributed_to")
    regs, rels, probs = parse_result(to_result([src, claim], [rel], schema), schema, TEXT)
    assert probs == []
    assert sorted(regs, key=lambda r: r.id) == [claim, src]
    assert rels == [rel]


def test_region_id_is_stable_and_label_sensitive():
    assert region_id("entities", "PER", 5, 9) == region_id("entities", "PER", 5, 9)
    assert region_id("entities", "PER", 5, 9) != region_id("entities", "ORG", 5, 9)
    assert len(region_id("entities", "PER", 5, 9)) == 10
