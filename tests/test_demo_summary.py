"""demo-summary: the trained model's F1 beside the rules' on nisba-gold test, per layer."""

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
    assert rows[0] == ("entities", "0.810", "0.400")
    assert rows[1] == ("events", "0.600", "0.550")
    assert rows[2] == ("claims (CLAIM/SOURCE/CUE spans)", "0.500", "0.420")
    assert rows[-1] == ("attribution pairs", "0.700", "0.300")


def test_gold_comparison_is_empty_until_both_sides_were_scored(tmp_path):
    (tmp_path / "gold-eval-test-rules.json").write_text(json.dumps(_result(0.4, 0.5, 0.4, 0.3)))
    assert gold_comparison(tmp_path) == []
