"""Gold policies: ground truth wins, latest completed, majority of annotators."""

from __future__ import annotations

from annotation.convert.gold import (
    Candidate,
    annotator_name,
    ground_truth_only,
    is_completed,
    latest,
    majority,
)
from annotation.convert.regions import Region, Relation


def reg(rid, label, start, end, layer="entities", **choices):
    return Region(rid, layer, label, start, end, "x" * (end - start), dict(choices))


def cand(aid, regions, who="a", when="2024-01-01", gt=False, relations=()):
    return Candidate(aid, who, gt, when, list(regions), list(relations))


def test_latest_picks_the_most_recently_updated_annotation():
    gold = latest([cand(1, [reg("r", "PER", 0, 3)], when="2024-03-01"), cand(2, [], when="2024-02-01")])
    assert gold.annotation_id == 1 and gold.annotation_ids == [1, 2]


def test_ground_truth_wins_under_every_policy():
    cands = [cand(1, [reg("r", "PER", 0, 3)], gt=True, when="2024-01-01"),
             cand(2, [reg("s", "ORG", 0, 3)], when="2024-05-01"), cand(3, [reg("s", "ORG", 0, 3)], when="2024-05-02")]
    assert latest(cands).annotation_id == 1
    assert majority(cands).annotation_id == 1
    assert ground_truth_only(cands).annotation_id == 1


def test_ground_truth_policy_leaves_out_tasks_without_ground_truth():
    assert ground_truth_only([cand(1, [reg("r", "PER", 0, 3)])]) is None


def test_no_candidates_means_no_gold():
    assert latest([]) is None and majority([]) is None


def test_majority_keeps_spans_most_annotators_mark_exactly():
    a = cand(1, [reg("p1", "PER", 0, 4), reg("o1", "ORG", 10, 15)], who="a", when="1")
    b = cand(2, [reg("p2", "PER", 0, 4), reg("o2", "ORG", 10, 14)], who="b", when="2")
    c = cand(3, [reg("p3", "PER", 0, 4), reg("o3", "ORG", 10, 15)], who="c", when="3")
    gold = majority([a, b, c])
    assert [(r.label, r.start, r.end) for r in gold.regions] == [("PER", 0, 4), ("ORG", 10, 15)]
    assert gold.regions[0].id == "p1"  # the earliest annotation's id
    assert gold.annotator == "majority(a,b,c)" and gold.annotation_id == -1 and gold.annotation_ids == [1, 2, 3]


def test_majority_of_two_needs_both():
    gold = majority([cand(1, [reg("p", "PER", 0, 4)], who="a"), cand(2, [reg("q", "ORG", 0, 4)], who="b")])
    assert gold.regions == []


def test_majority_keeps_relations_and_choices_most_agree_on():
    def ann(aid, who, stance, with_rel):
        regs = [reg(f"c{aid}", "CLAIM", 10, 20, "claims", stance=stance), reg(f"s{aid}", "SOURCE", 0, 4, "claims")]
        rels = [Relation(f"c{aid}", f"s{aid}", "attributed_to")] if with_rel else []
        return cand(aid, regs, who=who, when=str(aid), relations=rels)

    gold = majority([ann(1, "a", "asserted", True), ann(2, "b", "hedged", True), ann(3, "c", "hedged", False)])
    assert gold.relations == [Relation("c1", "s1", "attributed_to")]
    claim = next(r for r in gold.regions if r.label == "CLAIM")
    assert claim.choices == {"stance": "hedged"}


def test_majority_gives_distinct_ids_when_annotators_reuse_an_id():
    a = cand(1, [reg("same", "PER", 0, 4), reg("x", "GPE", 5, 9)], who="a", when="1")
    b = cand(2, [reg("y", "PER", 0, 4), reg("same", "GPE", 5, 9)], who="b", when="2")
    ids = [r.id for r in majority([a, b]).regions]
    assert len(set(ids)) == 2


def test_annotator_name_reads_expanded_and_plain_completed_by():
    assert annotator_name({"completed_by": 3}) == "3"
    assert annotator_name({"completed_by": {"id": 3, "email": "a@x.org"}}) == "a@x.org"


def test_cancelled_is_not_completed():
    assert not is_completed({"was_cancelled": True, "result": []})
    assert is_completed({"was_cancelled": False, "result": []})
