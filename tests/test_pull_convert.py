"""Pure conversion of hand-written Label Studio task JSON into document-view rows (no server)."""

from __future__ import annotations

import gzip
from pathlib import Path
import json

import pytest

from annotation.convert.export_reader import ExportReadError, iter_export
from annotation.dataset.pull import convert_task
from annotation.schema.schema import load_schema
from tests.pull_fixtures import TEXT, annotation, claim_result, label, relation, span, task


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def kinds(outcome):
    return sorted(p.kind for p in outcome.problems)


def test_every_claim_part_lands_in_the_document_view(schema):
    row = convert_task(task(1, TEXT, [annotation(11, claim_result())]), schema).row
    (claim,) = row["claims"]
    assert claim["text"] == "المعارضة ستذهب إلي استانة"
    assert claim["stance"] == "asserted"
    assert (claim["source"]["text"], claim["source"]["type"]) == ("علوش", "armed_group")
    assert claim["cue"]["text"] == "قال"
    assert claim["reported_via"]["text"] == "رويترز"
    assert [e["label"] for e in row["entities"]] == ["PER", "ORG"]
    assert (row["task_id"], row["annotation_id"], row["annotator"]) == (1, 11, "1")
    assert json.loads(row["meta"]) == {"source": "test"}


def test_several_annotators_latest_completed_is_gold_and_all_ids_kept(schema):
    s = span(TEXT, "علوش")
    early = annotation(21, [label("a", "entities", "PER", TEXT, *s)], who=1, updated="2024-05-01T10:00:00Z")
    late = annotation(22, [label("b", "entities", "ORG", TEXT, *s)], who=2, updated="2024-05-02T10:00:00Z")
    out = convert_task(task(2, TEXT, [late, early]), schema)
    assert out.row["annotation_id"] == 22
    assert out.row["annotator"] == "2"
    assert out.row["annotation_ids"] == [21, 22]
    assert [e["label"] for e in out.row["entities"]] == ["ORG"]
    assert [a["annotator"] for a in out.record["annotations"]] == ["2", "1"]
    assert out.record["text"] == TEXT  # kept for agreement: two annotators


def test_cancelled_annotations_never_become_gold(schema):
    s = span(TEXT, "علوش")
    done = annotation(31, [label("a", "entities", "PER", TEXT, *s)], updated="2024-05-01T10:00:00Z")
    skipped = annotation(32, [], cancelled=True, updated="2024-06-01T10:00:00Z")
    out = convert_task(task(3, TEXT, [done, skipped]), schema)
    assert out.row["annotation_id"] == 31
    assert out.counts["cancelled"] == 1
    only_skipped = convert_task(task(4, TEXT, [annotation(33, [], cancelled=True)]), schema)
    assert only_skipped.row is None
    assert only_skipped.counts["tasks_without_gold"] == 1


def test_drafts_are_counted_not_gold(schema):
    out = convert_task(task(5, TEXT, [], drafts=[{"id": 9, "result": claim_result()}]), schema)
    assert out.row is None
    assert out.counts["drafts"] == 1 and out.counts["tasks_without_gold"] == 1


def test_ground_truth_wins_over_a_later_annotation(schema):
    s = span(TEXT, "علوش")
    gt = annotation(41, [label("a", "entities", "PER", TEXT, *s)], ground_truth=True, updated="2024-05-01T10:00:00Z")
    later = annotation(42, [label("b", "entities", "ORG", TEXT, *s)], updated="2024-07-01T10:00:00Z")
    out = convert_task(task(6, TEXT, [gt, later]), schema)
    assert out.row["annotation_id"] == 41
    assert [e["label"] for e in out.row["entities"]] == ["PER"]


def test_relation_to_missing_region_is_reported_and_the_rest_kept(schema):
    result = claim_result() + [relation("clm1", "deleted9", "attributed_to")]
    out = convert_task(task(7, TEXT, [annotation(51, result)]), schema)
    bad = [p for p in out.problems if p.kind == "relation_to_missing_region"]
    assert len(bad) == 1 and (bad[0].task_id, bad[0].annotation_id) == (7, 51)
    assert "deleted9" in bad[0].message
    assert out.row["claims"][0]["source"]["text"] == "علوش"


def test_span_starting_inside_word_keeps_offsets(schema):
    text = "التقى وزراء روسياوتركيا في استانة"
    start, end = span(text, "تركيا")  # inside the run-together word
    out = convert_task(task(8, text, [annotation(61, [label("g", "entities", "GPE", text, start, end)])]), schema,
                       tokens=True)
    assert out.row["entities"] == [{"id": "g", "start": start, "end": end, "label": "GPE", "text": "تركيا"}]
    assert kinds(out) == []  # the token view splits the word at the span edge
    assert "تركيا" in out.tokens["tokens"] and "روسياو" in out.tokens["tokens"]
    assert out.tokens["entities_tags"][out.tokens["tokens"].index("تركيا")] == "B-GPE"


def test_org_that_is_also_source_is_in_both_layers(schema):
    text = "وذكرت وكالة الانباء السورية أن الجيش نفذ عملية"
    s = span(text, "وكالة الانباء السورية")
    result = [label("o", "entities", "ORG", text, *s), label("src", "claims", "SOURCE", text, *s),
              {"id": "src", "from_name": "source_id", "to_name": "text", "type": "choices",
               "value": {"start": s[0], "end": s[1], "choices": ["SANA"]}}]
    out = convert_task(task(9, text, [annotation(71, result)]), schema)
    assert [(e["label"], e["start"], e["end"]) for e in out.row["entities"]] == [("ORG", *s)]
    assert [(a["label"], a["start"], a["end"]) for a in out.row["attribution"]] == [("SOURCE", *s)]
    assert "overlapping_spans" not in kinds(out)  # different layers may overlap


def test_overlapping_spans_within_a_layer_are_flagged(schema):
    a, b = span(TEXT, "وكالة الانباء"), span(TEXT, "الانباء السورية")
    result = [label("x", "entities", "ORG", TEXT, *a), label("y", "entities", "ORG", TEXT, *b)]
    out = convert_task(task(10, TEXT, [annotation(81, result)]), schema)
    bad = [p for p in out.problems if p.kind == "overlapping_spans"]
    assert len(bad) == 1 and (bad[0].task_id, bad[0].annotation_id, bad[0].region_id) == (10, 81, "y")
    assert len(out.row["entities"]) == 2  # flagged, not dropped


def test_empty_text_is_reported_and_left_out(schema):
    out = convert_task(task(11, "", [annotation(91, [])]), schema)
    assert out.row is None
    assert kinds(out) == ["empty_text"]
    assert out.problems[0].task_id == 11


def test_emoji_or_combining_mark_before_span_offsets_are_code_points(schema):
    text = "🇸🇾 قالَ علوش إن المعارضة ستذهب"
    start = text.index("علوش")
    assert start == 8  # two regional indicators, a space, ق ا ل َ, a space: code points, not UTF-16 units
    out = convert_task(task(12, text, [annotation(101, [label("p", "entities", "PER", text, start, start + 4)])]),
                       schema)
    assert out.row["entities"][0]["text"] == "علوش"
    assert kinds(out) == []


def test_control_missing_from_schema_is_reported_with_task_and_annotation(schema):
    s = span(TEXT, "علوش")
    result = [label("p", "entities", "PER", TEXT, *s), label("q", "old_ner", "PER", TEXT, *s)]
    out = convert_task(task(13, TEXT, [annotation(111, result)]), schema)
    bad = [p for p in out.problems if p.kind == "unknown_control"]
    assert len(bad) == 1 and (bad[0].task_id, bad[0].annotation_id) == (13, 111)
    assert "old_ner" in bad[0].message
    assert [e["id"] for e in out.row["entities"]] == ["p"]


def test_offsets_past_end_of_text_are_reported_and_region_left_out(schema):
    item = label("p", "entities", "PER", TEXT, 0, 4)
    item["value"].update(start=len(TEXT) - 2, end=len(TEXT) + 5)
    out = convert_task(task(14, TEXT, [annotation(121, [item])]), schema)
    assert kinds(out) == ["offsets_out_of_range"]
    assert out.problems[0].annotation_id == 121
    assert out.row["entities"] == []


def test_stored_text_mismatch_is_reported(schema):
    item = label("p", "entities", "PER", TEXT, *span(TEXT, "علوش"))
    item["value"]["text"] = "عليوش"
    out = convert_task(task(15, TEXT, [annotation(131, [item])]), schema)
    assert kinds(out) == ["text_mismatch"]
    assert out.row["entities"][0]["text"] == "علوش"


def test_relation_with_wrong_types_is_reported(schema):
    result = claim_result() + [relation("cue1", "src1", "attributed_to")]
    out = convert_task(task(16, TEXT, [annotation(141, result)]), schema)
    assert "relation_wrong_types" in kinds(out)


def test_span_edge_on_whitespace_is_reported_as_token_misaligned(schema):
    s, e = span(TEXT, "علوش")
    out = convert_task(task(17, TEXT, [annotation(151, [label("p", "entities", "PER", TEXT, s - 1, e)])]), schema)
    assert kinds(out) == ["token_misaligned"]


def test_event_arguments_carry_roles(schema):
    text = "نفذ الجيش عملية في دير الزور"
    trig, army, place = span(text, "عملية"), span(text, "الجيش"), span(text, "دير الزور")
    result = [label("t", "events", "Conflict.Attack", text, *trig), label("a", "entities", "ORG", text, *army),
              label("p", "entities", "GPE", text, *place), relation("t", "a", "Attacker"), relation("t", "p", "Place")]
    row = convert_task(task(18, text, [annotation(161, result)]), schema).row
    (event,) = row["events"]
    assert event["type"] == "Conflict.Attack"
    assert [(a["role"], a["text"]) for a in event["arguments"]] == [("Attacker", "الجيش"), ("Place", "دير الزور")]


# --- reading export files -------------------------------------------------------------------

def _tasks(n):
    return [task(i, TEXT, [annotation(100 + i, claim_result())]) for i in range(1, n + 1)]


@pytest.mark.parametrize("use_ijson", [True, False])
@pytest.mark.parametrize("shape", ["list", "jsonl", "gzip-list"])
def test_export_file_shapes_stream_every_task(tmp_path, shape, use_ijson):
    tasks = _tasks(5)
    path = tmp_path / "export.json"
    if shape == "jsonl":
        path.write_text("\n".join(json.dumps(t, ensure_ascii=False) for t in tasks) + "\n", encoding="utf-8")
    elif shape == "list":
        path.write_text(json.dumps(tasks, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        path.write_bytes(gzip.compress(json.dumps(tasks).encode()))
    assert [t["id"] for t in iter_export(path, use_ijson=use_ijson)] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("use_ijson", [True, False])
def test_truncated_export_names_file_and_position_after_yielding_earlier_tasks(tmp_path, use_ijson):
    blob = json.dumps(_tasks(3), ensure_ascii=False).encode()
    path = tmp_path / "cut.json"
    path.write_bytes(blob[: int(len(blob) * 0.8)])
    got = []
    with pytest.raises(ExportReadError) as err:
        for t in iter_export(path, use_ijson=use_ijson):
            got.append(t["id"])
    assert got == [1, 2]
    msg = str(err.value)
    assert str(path) in msg and "task #3" in msg and "byte" in msg


def test_non_json_export_is_a_clear_error(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("id,text\n1,hello\n", encoding="utf-8")
    with pytest.raises(ExportReadError, match=r"export.csv: cannot read task #1 near byte 0"):
        list(iter_export(path))


def test_alignment_check_agrees_with_the_token_view():
    import random

    from annotation.dataset.pull import alignment_problems
    from annotation.convert.regions import Region
    from annotation.text.tokens import token_view

    random.seed(7)
    alphabet = list("وقال علوش، لرويترز. 12") + ["\u200e", "\u064e", "\n"]
    for _ in range(2000):
        text = "".join(random.choice(alphabet) for _ in range(random.randint(2, 25)))
        s = random.randrange(len(text) - 1)
        e = random.randint(s + 1, len(text))
        region = Region("r", "entities", "PER", s, e, text[s:e])
        row = {"text": text, "entities": [{"start": s, "end": e, "label": "PER"}]}
        _, bad = token_view(row, ["entities"])
        assert bool(alignment_problems([region], text, 1, 1)) == bool(bad), (text, s, e)


def test_use_ijson_reads_a_json_list_with_ijson_a_declared_dependency(tmp_path, monkeypatch):
    import ijson

    root = Path(__file__).resolve().parent.parent
    assert '"ijson' in (root / "pyproject.toml").read_text(encoding="utf-8")
    calls = []
    real = ijson.items
    monkeypatch.setattr(ijson, "items", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    path = tmp_path / "export.json"
    path.write_text(json.dumps([{"id": 1}, {"id": 2}]), encoding="utf-8")
    assert [t["id"] for t in iter_export(path, use_ijson=True)] == [1, 2] and calls == ["item"]
    assert [t["id"] for t in iter_export(path)] == [1, 2] and calls == ["item"]
