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


def test_showable_leaves_out_empty_outside_and_marks_only_spans_with_their_relations():
    from annotation.convert.regions import showable

    text = "قال علوش ـ إن الهدنة صامدة"
    ok = Region("a", "claims", "SOURCE", 4, 8, "علوش", {}, 0.9)
    claim = Region("c", "claims", "CLAIM", 14, 26, text[14:26], {}, 0.9)
    dash = Region("d", "claims", "SOURCE", 9, 10, "ـ", {}, 0.5)
    empty = Region("e", "claims", "CLAIM", 12, 12, "", {}, 0.5)
    outside = Region("o", "entities", "PER", 20, 99, "", {}, 0.5)
    rels = [Relation("c", "a", "attributed_to"), Relation("c", "d", "attributed_to"), Relation("e", "a", "attributed_to")]
    regions, relations, dropped = showable(text, [ok, claim, dash, empty, outside], rels)
    assert [r.id for r in regions] == ["a", "c"]
    assert relations == [Relation("c", "a", "attributed_to")]
    assert dropped == ["claims SOURCE [9:10] 'ـ': no letter or digit",
                       "claims CLAIM [12:12]: offsets outside the text of 26 characters or empty",
                       "entities PER [20:99]: offsets outside the text of 26 characters or empty"]
    assert showable(text, [ok], []) == ([ok], [], [])


def test_push_leaves_out_an_unshowable_region_counts_it_and_keeps_the_task():
    from types import SimpleNamespace

    from annotation.loop.push import PushCounts, _showable
    from training.predict.base import PredictionResult

    counts = PushCounts()
    task = SimpleNamespace(id=17, text="« علوش")
    pred = PredictionResult([Region("q", "entities", "PER", 0, 1, "«", {}, 0.5),
                             Region("n", "entities", "PER", 2, 6, "علوش", {}, 0.9)], [], 0.7)
    kept = _showable(task, pred, counts)
    assert [r.id for r in kept.regions] == ["n"] and kept.score == 0.7
    assert counts.dropped_regions == 1
    assert counts.dropped_examples == ["task 17: entities PER [0:1] '«': no letter or digit"]
