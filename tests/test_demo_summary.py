"""demo-summary: the pushed model's F1 beside the rules' on nisba-gold test, per layer, and which part it takes."""

from __future__ import annotations

import json

from annotation.commands.demo import gold_comparison


def _result(entities, events, claims, pair):
    return {"entities": {"overall": {"f1": entities}}, "events": {"overall": {"f1": events}},
            "claims": {"overall": {"f1": claims}}, "event_arguments": {"f1": 0.1},
            "attribution": {"pair": {"f1": pair}}}


def test_gold_comparison_puts_model_and_rules_side_by_side_per_layer(tmp_path):
    (tmp_path / "gold-eval-test-model.json").write_text(json.dumps(_result(0.81, 0.6, 0.5, 0.7)))
    (tmp_path / "gold-eval-test-rules.json").write_text(json.dumps(_result(0.4, 0.55, 0.42, 0.3)))
    rows = gold_comparison(tmp_path)
    assert rows[0] == ("entities", "0.810", "model", "0.400", "0.810")
    assert rows[1] == ("events", "0.600", "model", "0.550", "0.600")
    assert rows[2] == ("claims (CLAIM/SOURCE/CUE spans)", "0.500", "model", "0.420", "0.500")
    assert rows[-1] == ("attribution pairs", "0.700", "model", "0.300", "0.700")


def test_gold_comparison_shows_which_part_the_pushed_combination_takes_per_layer(tmp_path):
    combined = _result(0.62, 0.66, 0.70, 0.72)
    combined["combination"] = {"choice": {"entities": "union", "events": "rules-then-model", "claims": "rules"},
                               "chosen_on": "nisba-gold dev"}
    (tmp_path / "gold-eval-test-model.json").write_text(json.dumps(combined))
    (tmp_path / "gold-eval-test-model-plain.json").write_text(json.dumps(_result(0.6, 0.6, 0.65, 0.62)))
    (tmp_path / "gold-eval-test-rules.json").write_text(json.dumps(_result(0.38, 0.64, 0.70, 0.72)))
    rows = gold_comparison(tmp_path)
    assert rows[0] == ("entities", "0.620", "union", "0.380", "0.600")
    assert rows[1] == ("events", "0.660", "rules-then-model", "0.640", "0.600")
    assert rows[2] == ("claims (CLAIM/SOURCE/CUE spans)", "0.700", "rules", "0.700", "0.650")
    assert rows[3] == ("event arguments", "0.100", "rules-then-model", "0.100", "0.100")
    assert rows[4] == ("attribution pairs", "0.720", "rules", "0.720", "0.620")


def test_gold_comparison_names_the_side_whose_links_the_pairs_take(tmp_path):
    combined = _result(0.62, 0.66, 0.74, 0.76)
    combined["combination"] = {"choice": {"entities": "model", "events": "model", "claims": "model-then-rules"},
                               "relations": {"claims": "rules"}, "chosen_on": "nisba-gold dev"}
    (tmp_path / "gold-eval-test-model.json").write_text(json.dumps(combined))
    (tmp_path / "gold-eval-test-rules.json").write_text(json.dumps(_result(0.38, 0.64, 0.70, 0.73)))
    rows = gold_comparison(tmp_path)
    assert rows[2] == ("claims (CLAIM/SOURCE/CUE spans)", "0.740", "model-then-rules", "0.700", "-")
    assert rows[4] == ("attribution pairs", "0.760", "model-then-rules, rules' links", "0.730", "-")
    combined["combination"]["rules"] = "rules+linker"  # the rules with the learned linker's links
    (tmp_path / "gold-eval-test-model.json").write_text(json.dumps(combined))
    assert gold_comparison(tmp_path)[4] == ("attribution pairs", "0.760", "model-then-rules, rules+linker links", "0.730", "-")


def test_gold_comparison_is_empty_until_both_sides_were_scored(tmp_path):
    (tmp_path / "gold-eval-test-rules.json").write_text(json.dumps(_result(0.4, 0.5, 0.4, 0.3)))
    assert gold_comparison(tmp_path) == []
