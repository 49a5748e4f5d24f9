"""Attribution figures (training/evaluate/attribution_metrics.py) on small hand-made documents."""

from __future__ import annotations

from annotation.convert.regions import Region, Relation
from training.evaluate.attribution_metrics import (
    attribution_scores,
    event_argument_scores,
    span_layer_scores,
)

TEXT = "قال علوش لرويترز إن المعارضة ستذهب الي استانة. وقالت سانا إن الجيش تقدم."


def span(sub, occ=0):
    s = -1
    for _ in range(occ + 1):
        s = TEXT.index(sub, s + 1)
    return s, s + len(sub)


def reg(rid, layer, label, sub, occ=0, **choices):
    s, e = span(sub, occ)
    return Region(rid, layer, label, s, e, TEXT[s:e], dict(choices))


def gold():
    regs = [
        reg("c1", "claims", "CUE", "قال"), reg("s1", "claims", "SOURCE", "علوش", source_id="Alloush", source_type="armed_group"),
        reg("o1", "entities", "ORG", "رويترز"),
        reg("k1", "claims", "CLAIM", "المعارضة ستذهب الي استانة", stance="asserted"),
        reg("c2", "claims", "CUE", "قالت"), reg("s2", "claims", "SOURCE", "سانا", source_id="SANA", source_type="news_agency"),
        reg("k2", "claims", "CLAIM", "الجيش تقدم", stance="asserted"),
    ]
    rels = [Relation("k1", "s1", "attributed_to"), Relation("c1", "k1", "cue"), Relation("s1", "o1", "reported_via"),
            Relation("k2", "s2", "attributed_to"), Relation("c2", "k2", "cue")]
    return regs, rels


def scores(pred_regs, pred_rels, **kw):
    g_regs, g_rels = gold()
    return attribution_scores([(TEXT, g_regs, g_rels, pred_regs, pred_rels)], outlet_canonical=lambda t: "Reuters", **kw)


def test_perfect_prediction_scores_one_everywhere():
    out = scores(*gold())
    for key in ("source_span", "cue", "claim_exact", "claim_token", "pair", "reported_via"):
        assert out[key]["f1"] == 1.0, key
    assert out["canonical_source_accuracy"] == {"value": 1.0, "n": 2}
    assert out["per_source_pair_recall"]["Reuters"] == {"recall": 1.0, "tp": 1, "n": 1}
    assert out["missed_pairs"] == []


def test_pair_counts_only_when_source_is_right():
    regs, rels = gold()
    wrong = reg("s2", "claims", "SOURCE", "الجيش", source_id="other")
    regs = [wrong if r.id == "s2" else r for r in regs]
    out = scores(regs, rels)
    assert out["claim_exact"]["tp"] == 2
    assert out["pair"]["tp"] == 1 and out["pair"]["recall"] == 0.5
    assert out["per_source_pair_recall"]["SANA"]["recall"] == 0.0


def test_source_on_other_mention_with_same_canonical_id_counts_for_pair():
    regs, rels = gold()
    other_mention = Region("s2", "claims", "SOURCE", 0, 3, TEXT[0:3], {"source_id": "SANA"})
    regs = [other_mention if r.id == "s2" else r for r in regs]
    out = scores(regs, rels)
    assert out["pair"]["tp"] == 2
    assert out["source_span"]["tp"] == 1


def test_claim_token_overlap_gives_partial_credit_and_pair_matches_by_overlap():
    regs, rels = gold()
    longer = reg("k1", "claims", "CLAIM", "إن المعارضة ستذهب الي استانة", stance="asserted")
    regs = [longer if r.id == "k1" else r for r in regs]
    out = scores(regs, rels)
    assert out["claim_exact"]["tp"] == 1
    assert 0.8 < out["claim_token"]["precision"] < 1.0 and out["claim_token"]["recall"] == 1.0
    assert out["pair"]["tp"] == 2
    assert scores(regs, rels, claim_match="exact")["pair"]["tp"] == 1


def test_missing_reported_via_fails_outlet_recall_not_pair():
    regs, rels = gold()
    rels = [r for r in rels if r.label != "reported_via"]
    out = scores(regs, rels)
    assert out["pair"]["tp"] == 2
    assert out["reported_via"]["recall"] == 0.0
    assert out["per_source_pair_recall"]["Reuters"]["recall"] == 0.0
    assert out["per_source_pair_recall"]["Alloush"]["recall"] == 0.0
    assert out["missed_pairs"][0]["why"] == "reported_via wrong"


def test_canonical_accuracy_and_stance_accuracy_count_disagreements():
    regs, rels = gold()
    regs = [Region(r.id, r.layer, r.label, r.start, r.end, r.text,
                   {**r.choices, "source_id": "other"} if r.id == "s2" else
                   ({**r.choices, "stance": "denied"} if r.id == "k1" else r.choices)) for r in regs]
    out = scores(regs, rels)
    assert out["canonical_source_accuracy"] == {"value": 0.5, "n": 2}
    assert out["stance_accuracy"] == {"value": 0.5, "n": 2}


def test_empty_prediction_scores_zero_not_error():
    out = scores([], [])
    assert out["pair"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "tp": 0, "n_pred": 0, "n_gold": 2}
    assert out["claim_token"]["recall"] == 0.0


def test_span_layer_and_event_argument_scores():
    g = [reg("e1", "events", "Conflict.Attack", "تقدم"), reg("g1", "entities", "GPE", "استانة")]
    p = [reg("e1", "events", "Conflict.Attack", "تقدم"), reg("g1", "entities", "LOC", "استانة")]
    assert span_layer_scores([g], [p], "events")["overall"]["f1"] == 1.0
    ent = span_layer_scores([g], [p], "entities")
    assert ent["overall"]["tp"] == 0 and ent["per_label"]["GPE"]["recall"] == 0.0
    args = event_argument_scores([(g, [Relation("e1", "g1", "Place")], p, [Relation("e1", "g1", "Target")])])
    assert args["tp"] == 0 and args["n_gold"] == 1 and args["n_pred"] == 1


def _cause(regs, rels, claim="k2"):
    out = scores(regs, rels)
    claims = {"k1": "المعارضة ستذهب", "k2": "الجيش تقدم"}
    [miss] = [m for m in out["missed_pairs"] if m["claim"].startswith(claims[claim])]
    assert out["miss_causes"][miss["cause"]] >= 1
    return miss["cause"]


def test_a_miss_whose_cue_no_prediction_found_is_a_missed_cue():
    regs, rels = gold()
    keep = [r for r in regs if r.id not in ("c2", "k2")]
    assert _cause(keep, [x for x in rels if "k2" not in (x.from_id, x.to_id)]) == "cue missed"
    keep = [r for r in regs if r.id != "k2"]   # the cue found, no claim
    assert _cause(keep, [x for x in rels if "k2" not in (x.from_id, x.to_id)]) == "claim missed"


def test_a_miss_with_a_claim_too_short_is_a_claim_boundary():
    regs, rels = gold()
    # one token of the four of "المعارضة ستذهب الي استانة": overlap F1 0.4, below the match threshold
    short = [reg("k1", "claims", "CLAIM", "استانة", stance="asserted") if r.id == "k1" else r for r in regs]
    assert _cause(short, rels, "k1") == "claim boundary"


def test_misses_on_the_source_say_whether_it_was_cut_unseen_or_linked_elsewhere():
    regs, rels = gold()
    cut = [reg("s2", "claims", "SOURCE", "وقالت سانا", source_id="other") if r.id == "s2" else r for r in regs]
    assert _cause(cut, rels) == "source boundary"
    elsewhere = [reg("s2", "claims", "SOURCE", "الجيش", source_id="other") if r.id == "s2" else r for r in regs]
    assert _cause(elsewhere, rels) == "source not found"
    relinked = [x for x in rels if not (x.from_id == "k2" and x.label == "attributed_to")] + [Relation("k2", "s1", "attributed_to")]
    assert _cause(regs, relinked) == "linked another source"


def test_a_right_pair_with_its_outlet_missing_or_wrong_says_which():
    regs, rels = gold()
    assert _cause(regs, [x for x in rels if x.label != "reported_via"], "k1") == "outlet missed"
    other = regs + [reg("o2", "entities", "ORG", "سانا")]
    moved = [x for x in rels if x.label != "reported_via"] + [Relation("s1", "o2", "reported_via")]
    assert _cause(other, moved, "k1") == "outlet wrong"
