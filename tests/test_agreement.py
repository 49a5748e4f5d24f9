"""Agreement: pairwise span F1 (exact / overlap), token kappa, per-annotator counts."""

from __future__ import annotations

import pytest

from annotation.dataset.agreement import compute_agreement, kappa, span_matches
from collections import Counter

TEXT = "قال علوش إن وفد المعارضة سيذهب إلى استانة"


def ann(aid, who, spans, cancelled=False):
    return {"id": aid, "annotator": who, "cancelled": cancelled, "spans": [list(s) for s in spans]}


def at(fragment, label, layer="entities"):
    s = TEXT.index(fragment)
    return (layer, label, s, s + len(fragment))


def test_identical_annotations_agree_perfectly():
    spans = [at("علوش", "PER"), at("استانة", "GPE")]
    res = compute_agreement([{"task_id": 1, "text": TEXT, "annotations": [ann(1, "a", spans), ann(2, "b", spans)]}],
                            ["entities"])
    layer = res["layers"]["entities"]
    assert (layer["f1_exact"], layer["f1_overlap"], layer["kappa"]) == (1.0, 1.0, 1.0)
    assert res["pairs"] == 1 and res["tasks_compared"] == 1


def test_boundary_disagreement_counts_for_overlap_not_exact():
    a = [at("وفد المعارضة", "ORG")]
    b = [at("المعارضة", "ORG")]
    res = compute_agreement([{"task_id": 1, "text": TEXT, "annotations": [ann(1, "a", a), ann(2, "b", b)]}],
                            ["entities"])
    org = res["layers"]["entities"]["labels"]["ORG"]
    assert org["f1_exact"] == 0.0 and org["f1_overlap"] == 1.0
    assert 0.0 < org["kappa"] < 1.0


def test_per_annotator_counts_include_cancelled_and_single_annotations():
    recs = [{"task_id": 1, "text": TEXT, "annotations": [ann(1, "a", [at("علوش", "PER")]), ann(2, "b", [], True)]},
            {"task_id": 2, "annotations": [ann(3, "a", [at("استانة", "GPE"), at("قال", "CUE", "claims")])]}]
    res = compute_agreement(recs, ["entities", "claims"])
    assert res["annotators"]["a"] == {"completed": 2, "cancelled": 0, "tasks": 2,
                                      "spans": {"claims": {"CUE": 1}, "entities": {"GPE": 1, "PER": 1}}}
    assert res["annotators"]["b"]["cancelled"] == 1
    assert res["pairs"] == 0 and res["layers"]["entities"]["kappa"] is None


def test_same_annotator_twice_is_not_a_pair():
    spans = [at("علوش", "PER")]
    res = compute_agreement([{"task_id": 1, "text": TEXT, "annotations": [ann(1, "a", spans), ann(2, "a", [])]}],
                            ["entities"])
    assert res["pairs"] == 0


def test_overlap_matching_is_one_to_one():
    assert span_matches([(0, 10)], [(0, 3), (4, 10)], "overlap") == 1
    assert span_matches([(0, 3), (4, 10)], [(0, 3)], "exact") == 1


def test_kappa_matches_a_hand_computed_value():
    # 10 tokens: agree on 6 O and 2 PER, disagree on 2 -> po=0.8, pe=0.6*0.6+0.4*0.4... computed below
    conf = Counter({("O", "O"): 6, ("PER", "PER"): 2, ("O", "PER"): 1, ("PER", "O"): 1})
    po, pe = 0.8, (7 / 10) * (7 / 10) + (3 / 10) * (3 / 10)
    assert kappa(conf) == pytest.approx((po - pe) / (1 - pe))


@pytest.mark.parametrize("spans", [
    [(4, 8, "PER"), (16, 24, "ORG")],                     # disjoint: the vectorized path
    [(4, 8, "PER"), (4, 24, "ORG"), (12, 15, "X")],       # overlapping: first placed wins
    [(5, 8, "PER"), (16, 24, "ORG"), (8, 9, "Y")],        # misaligned edges and a span on a space
])
def test_token_labels_for_kappa_match_the_bio_tags(spans):
    import numpy as np

    from annotation.dataset.agreement import _token_codes
    from annotation.text.tokens import bio_tags, token_bounds

    starts, ends = token_bounds(TEXT, {c for s, e, _ in spans for c in (s, e)})
    codes = {"O": 0}
    got = _token_codes(starts, ends, spans, codes)
    names = list(codes)
    tags, _ = bio_tags(list(zip(starts.tolist(), ends.tolist())), spans)
    assert [names[c] for c in got.tolist()] == [t[2:] if t != "O" else "O" for t in tags]
    assert isinstance(got, np.ndarray)
