"""make gold-eval: any predictor scored on a nisba-gold split, every layer and attribution."""

from __future__ import annotations

from training.evaluate.gold_eval import gold_documents, gold_eval, pass_agreement, summary_rows
from training.predict.load import load_predictor
from tests.corpus_sentences import dev_articles, needs_corpus

pytestmark = needs_corpus


class GoldEcho:
    """A predictor that returns the gold itself: every figure must be 1.0."""

    model_version = "gold-echo"

    def __init__(self, docs):
        self.by_text = {d["text"]: d for d in docs}

    def predict(self, texts):
        from training.predict.base import PredictionResult

        return [PredictionResult(self.by_text[t]["regions"], self.by_text[t]["relations"]) for t in texts]


def test_the_gold_scored_against_itself_is_perfect_on_every_layer_and_pair():
    docs = gold_documents("dev")
    result = gold_eval(GoldEcho(docs), "dev")
    assert result["documents"] == len(docs) == dev_articles()
    for layer in ("entities", "events", "claims"):
        assert result[layer]["overall"]["f1"] == 1.0
    assert result["attribution"]["pair"]["f1"] == 1.0
    assert result["event_arguments"]["f1"] == 1.0


def test_rules_are_scored_per_layer_with_attribution_figures():
    result = gold_eval(load_predictor("rules"), "dev")
    names = [row[0] for row in summary_rows(result)]
    assert names[:3] == ["entities span (exact)", "events span (exact)", "claims span (exact)"]
    assert "attribution pair" in names
    assert 0.0 < result["attribution"]["pair"]["f1"] < 1.0
    assert result["model_version"].startswith("rules-")


def test_the_passes_of_the_doubly_annotated_articles_give_the_human_ceiling_of_the_pair_figure():
    from annotation.corpora import nisba_gold

    agreement = pass_agreement(load_predictor("rules"))
    doubly = sum(len(runs) >= 2 for runs in nisba_gold.load_passes().values())
    assert agreement["articles"] == doubly >= 16
    between = agreement["pass A vs pass B"]["pair"]
    assert between["n_gold"] > 50 and 0.8 < between["f1"] < 1.0  # two annotators disagree, a little
    for side in ("pass A vs gold", "pass B vs gold"):  # the gold is adjudicated from them
        assert 0.8 < agreement[side]["pair"]["f1"] < 1.0
    rules = next(v for k, v in agreement.items() if k.startswith("rules-"))
    assert rules["pair"]["n_gold"] == agreement["pass A vs gold"]["pair"]["n_gold"]
