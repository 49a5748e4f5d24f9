"""A trained model and the rules combined per layer (training/predict/combine.py), chosen on dev.

A real tiny CRF (trained as in tests/test_crf.py) and the real rules predict synthetic news;
the "gold" of the choosing tests is built from their own predictions, so which side is better on
each layer is known exactly.
"""

from __future__ import annotations

import json
import shutil

import pytest

from annotation.errors import NisbaError
from annotation.convert.regions import Relation
from training.predict.combine import COMBINATION_FILE, CombinedModelPredictor, combination_version, combine_results
from training.train.combine import choose_combination
from tests.corpus_sentences import dev_articles

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(model dir, plain CRF predictor, rules predictor, texts) -- the CRF trained once for the module."""
    from annotation.schema.schema import load_schema
    from training.predict.load import load_predictor, rules_predictor
    from training.train.config import load_config
    from training.train.crf_data import train_crf_on
    from training_fixtures import make_dataset, synthetic_rows

    tmp = tmp_path_factory.mktemp("combine")
    schema = load_schema()
    ds = make_dataset(schema, {"train": synthetic_rows(30, seed=1), "validation": synthetic_rows(3, seed=2, first_id=100)})
    ds.save_to_disk(str(tmp / "data"))
    cfg = load_config(None, ["model.name=crf", "crf.corpora=[]", "crf.max_iterations=40"])
    train_crf_on(tmp / "data", tmp / "model", cfg, schema=schema, say=lambda m: None)
    texts = [r["text"] for r in synthetic_rows(6, seed=5, first_id=300)]
    return tmp / "model", load_predictor(str(tmp / "model"), schema), rules_predictor(schema), texts


def _layer(res, layer):
    return sorted((r.start, r.end, r.label) for r in res.regions if r.layer == layer)


def _claims_relations(res):
    by_id = {r.id: r for r in res.regions}
    return sorted((x.label, (by_id[x.from_id].start, by_id[x.from_id].end), (by_id[x.to_id].start, by_id[x.to_id].end))
                  for x in res.relations if by_id[x.from_id].layer == "claims")


def _gold_from(model_preds, rules_preds, texts):
    """Gold whose entities are the model's and whose events and claims (with the claims' relations) are the rules'."""
    docs = []
    for text, m, r in zip(texts, model_preds, rules_preds):
        regions = [x for x in m.regions if x.layer == "entities"] + [x for x in r.regions if x.layer in ("events", "claims")]
        ids = {x.id for x in regions}
        claims = {x.id for x in r.regions if x.layer == "claims"}
        relations = [x for x in r.relations if x.from_id in claims and x.from_id in ids and x.to_id in ids]
        docs.append({"text": text, "regions": regions, "relations": relations})
    return docs


def test_combination_takes_each_layer_from_the_side_better_on_dev(tiny):
    _, model, rules, texts = tiny
    m, r = model.predict(texts), rules.predict(texts)
    assert any(_layer(a, "entities") != _layer(b, "entities") for a, b in zip(m, r))
    assert any(_layer(a, "events") != _layer(b, "events") for a, b in zip(m, r))
    assert any(_layer(a, "claims") != _layer(b, "claims") for a, b in zip(m, r))
    chosen = choose_combination(model, rules, _gold_from(m, r, texts))
    assert chosen["choice"] == {"entities": "model", "events": "rules", "claims": "rules"}
    assert chosen["criterion"]["model"]["entities"] == 1.0
    assert chosen["criterion"]["rules"]["entities"] < 1.0
    assert chosen["criterion"]["rules"]["events"] == 1.0
    assert chosen["criterion"]["model"]["events"] < 1.0
    assert chosen["criterion"]["rules"]["claims"] == 1.0  # span F1 and pair F1 both 1.0
    assert chosen["criterion"]["model"]["claims"] < 1.0
    assert chosen["chosen"]["entities"] == chosen["chosen"]["events"] == chosen["chosen"]["claims"] == 1.0
    assert chosen["chosen"]["attribution_pair"] == 1.0


def test_combined_predictor_gives_each_layer_the_regions_and_relations_of_its_side(tiny):
    _, model, rules, texts = tiny
    combined = CombinedModelPredictor(model, rules, {"entities": "model", "events": "rules", "claims": "rules"})
    m, r = model.predict(texts), rules.predict(texts)
    out = combined.predict(texts)
    for c, a, b in zip(out, m, r):
        assert _layer(c, "entities") == _layer(a, "entities")
        assert _layer(c, "events") == _layer(b, "events")
        assert _layer(c, "claims") == _layer(b, "claims")
        assert _claims_relations(c) == _claims_relations(b)
        ids = {x.id for x in c.regions}
        assert all(x.from_id in ids and x.to_id in ids for x in c.relations)
    assert any(_claims_relations(c) for c in out)


def test_rules_then_model_adds_only_the_model_spans_that_overlap_no_rule_span(tiny):
    _, model, rules, texts = tiny
    m, r = model.predict(texts), rules.predict(texts)
    added = 0
    for a, b in zip(m, r):
        c = combine_results(a, b, {"entities": "rules-then-model", "events": "rules-then-model", "claims": "model"})
        for layer in ("entities", "events"):
            mine = _layer(b, layer)
            extra = [s for s in _layer(a, layer) if not any(s[0] < e and x < s[1] for x, e, _ in mine)]
            assert _layer(c, layer) == sorted(set(mine) | set(extra))
            added += len(extra)
    assert added > 0


def test_a_relation_to_a_region_left_out_goes_to_the_kept_region_of_the_same_label_over_it():
    from annotation.convert.regions import Region, region_id
    from training.predict.base import PredictionResult

    def reg(layer, label, s, e):
        return Region(region_id(layer, label, s, e), layer, label, s, e, "x" * (e - s), {}, 0.9)

    trigger, rules_ent, model_ent = reg("events", "Life.Die", 0, 4), reg("entities", "GPE", 10, 14), reg("entities", "GPE", 8, 14)
    rules = PredictionResult([trigger, rules_ent], [Relation(trigger.id, rules_ent.id, "Place")])
    model = PredictionResult([model_ent], [])
    c = combine_results(model, rules, {"entities": "model", "events": "rules", "claims": "model"})
    assert [x.id for x in c.regions] == [trigger.id, model_ent.id]
    assert c.relations == [Relation(trigger.id, model_ent.id, "Place")]


def _attribution_sides():
    """(text, model result, rules result, gold doc): the model finds the claim's span exactly but links
    it to the wrong source; the rules find a shorter claim linked to the right one."""
    from annotation.convert.regions import Region, region_id
    from training.predict.base import PredictionResult

    text = "قال الوزير إن المحادثات ستستأنف الأسبوع المقبل، بحسب ما ذكر مصدر مطلع لوكالة الأنباء."

    def reg(label, part):
        s = text.index(part)
        return Region(region_id("claims", label, s, s + len(part)), "claims", label, s, s + len(part), part, {}, 0.9)

    claim, short = reg("CLAIM", "المحادثات ستستأنف الأسبوع المقبل"), reg("CLAIM", "المحادثات ستستأنف")
    minister, other = reg("SOURCE", "الوزير"), reg("SOURCE", "مصدر مطلع")
    model = PredictionResult([claim, other], [Relation(claim.id, other.id, "attributed_to")])
    rules = PredictionResult([short, minister], [Relation(short.id, minister.id, "attributed_to")])
    gold = {"text": text, "regions": [claim, minister, other], "relations": [Relation(claim.id, minister.id, "attributed_to")]}
    return text, model, rules, gold, (claim, short, minister, other)


def test_a_merge_keeping_one_sides_relations_links_the_model_spans_by_the_rules_links():
    _, model, rules, _, (claim, short, minister, other) = _attribution_sides()
    both = combine_results(model, rules, {"claims": "model-then-rules"})
    assert {x.id for x in both.regions} == {claim.id, minister.id, other.id}  # the rules' shorter claim overlaps the model's
    assert sorted((x.from_id, x.to_id) for x in both.relations) == sorted([(claim.id, other.id), (claim.id, minister.id)])
    linked = combine_results(model, rules, {"claims": "model-then-rules"}, {"claims": "rules"})
    assert linked.regions == both.regions
    assert linked.relations == [Relation(claim.id, minister.id, "attributed_to")]  # the rules' link, moved onto the model's claim
    only_model = combine_results(model, rules, {"claims": "model-then-rules"}, {"claims": "model"})
    assert only_model.relations == [Relation(claim.id, other.id, "attributed_to")]
    # a single side's choice has no other side's relations to drop
    assert combine_results(model, rules, {"claims": "rules"}, {"claims": "model"}).relations == []


class _Fixed:
    """A predictor that returns results made beforehand (the choosing logic is what is tested)."""

    def __init__(self, results, version):
        self.results, self.model_version = results, version

    def predict(self, texts, batch_size=16):
        return list(self.results)


def test_choosing_keeps_one_sides_relations_only_when_that_scores_higher():
    text, model, rules, gold, _ = _attribution_sides()
    chosen = choose_combination(_Fixed([model], "m"), _Fixed([rules], "r"), [gold], ["claims"])
    assert chosen["choice"] == {"claims": "model-then-rules"} and chosen["relations"] == {"claims": "rules"}
    assert chosen["criterion"]["model-then-rules+rules-relations"]["claims"] == 1.0  # span F1 and pair F1 1.0
    assert chosen["criterion"]["model-then-rules"]["claims"] < 1.0  # the wrong link costs pair precision
    assert chosen["chosen"]["attribution_pair"] == 1.0
    # when one side's links alone score no higher, both sides' are kept (the default wins a tie)
    from training.predict.base import PredictionResult

    right = PredictionResult(model.regions, [])  # the model links nothing: the rules' links are all there is
    chosen = choose_combination(_Fixed([right], "m"), _Fixed([rules], "r"), [gold], ["claims"])
    assert chosen["relations"] == {} and chosen["choice"] == {"claims": "model-then-rules"}
    assert combination_version("v1", {"claims": "model-then-rules"}, relations={"claims": "rules"}) \
        == "v1+model-then-rules(claims)+rules-relations(claims)"


def test_combined_model_version_names_the_rules_layers(tiny, tmp_path):
    from training.predict.load import load_predictor
    from training.train.model import read_meta

    src, model, _, _ = tiny
    path = tmp_path / "model"
    shutil.copytree(src, path)
    meta = read_meta(path)

    def write(choice):
        (path / COMBINATION_FILE).write_text(json.dumps(
            {"format_version": 1, "model_version": meta["model_version"], "choice": choice}), encoding="utf-8")
        return load_predictor(str(path))

    p = write({"entities": "model", "events": "rules", "claims": "rules"})
    assert isinstance(p, CombinedModelPredictor)
    assert p.model_version == f"{model.model_version}+rules(events.claims)"
    q = write({"entities": "union", "events": "rules-then-model", "claims": "rules"})
    assert q.model_version == f"{model.model_version}+rules(claims)+rules-then-model(events)+union(entities)"
    assert combination_version("v1", {"entities": "model", "events": "model", "claims": "model"}) == "v1"
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": meta["model_version"], "choice": {"claims": "model-then-rules"},
         "relations": {"claims": "rules"}}), encoding="utf-8")
    linked = load_predictor(str(path))
    assert linked.relations == {"claims": "rules"}
    assert linked.model_version == f"{model.model_version}+model-then-rules(claims)+rules-relations(claims)"
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": meta["model_version"], "choice": {"claims": "model-then-rules"},
         "relations": {"claims": "the rules"}}), encoding="utf-8")
    with pytest.raises(NisbaError, match="relations"):
        load_predictor(str(path))
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": meta["model_version"], "choice": {"claims": "model"},
         "relations": {"claims": "rules"}}), encoding="utf-8")
    with pytest.raises(NisbaError, match="a side it takes regions from"):
        load_predictor(str(path))
    # what the push checks: the model's schema fingerprint and label maps
    from annotation.loop.push import check_model_schema
    from annotation.schema.schema import load_schema

    assert p.schema_fingerprint == model.schema_fingerprint == load_schema().fingerprint()
    check_model_schema(p, load_schema(), str(path))


def test_model_dir_without_combination_loads_the_plain_model(tiny, tmp_path):
    from annotation.errors import NisbaError
    from training.predict.crf import CrfPredictor
    from training.predict.load import load_predictor
    from training.train.model import read_meta

    src, model, _, _ = tiny
    path = tmp_path / "model"
    shutil.copytree(src, path)
    assert not (path / COMBINATION_FILE).exists()
    plain = load_predictor(str(path))
    assert isinstance(plain, CrfPredictor) and plain.model_version == model.model_version
    version = read_meta(path)["model_version"]
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": version, "choice": {"entities": "model", "events": "model"}}))
    assert isinstance(load_predictor(str(path)), CrfPredictor)  # every layer from the model: nothing to combine
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": version, "choice": {"events": "rules"}}))
    assert isinstance(load_predictor(str(path), combination=False), CrfPredictor)
    (path / COMBINATION_FILE).write_text(json.dumps(
        {"format_version": 1, "model_version": "an-older-model", "choice": {"events": "rules"}}))
    with pytest.raises(NisbaError, match="rerun `nisba combine"):
        load_predictor(str(path))


def test_combination_is_never_chosen_on_test(tiny):
    from annotation.errors import NisbaError
    from training.train.combine import write_combination

    with pytest.raises(NisbaError, match="test stays for the final figures"):
        write_combination(tiny[0], "test")
    assert not (tiny[0] / COMBINATION_FILE).exists()


def test_nisba_combine_writes_the_dev_choice_that_the_loaded_model_then_scores(tiny, tmp_path):
    from tests.corpus_sentences import NO_CORPUS, corpus_available
    from training.evaluate.gold_eval import gold_eval
    from training.train.combine import write_combination
    from training.predict.load import load_predictor

    if not corpus_available():
        pytest.skip(NO_CORPUS)
    path = tmp_path / "model"
    shutil.copytree(tiny[0], path)
    data = write_combination(path, "dev")
    saved = json.loads((path / COMBINATION_FILE).read_text(encoding="utf-8"))
    assert saved["choice"] == data["choice"] and saved["chosen_on"] == "nisba-gold dev" and saved["documents"] == dev_articles()
    # the rules' side with the higher sum of chosen figures (the rules alone on a tie)
    assert saved["rules"] in ("rules", "rules+linker") and set(saved["rules_sides"]) == {"rules", "rules+linker"}
    assert saved["rules_sides"][saved["rules"]] == max(saved["rules_sides"].values())
    assert saved["rules"] == "rules" or saved["rules_sides"]["rules+linker"] > saved["rules_sides"]["rules"]
    for layer in ("entities", "events", "claims"):  # the chosen side is at least as good as either alone
        assert data["criterion"][data["choice"][layer]][layer] >= max(data["criterion"][s][layer] for s in ("model", "rules"))
    predictor = load_predictor(str(path))
    result = gold_eval(predictor, "dev")
    assert result["model_version"] == data["combined_version"]
    for layer in ("entities", "events", "claims"):
        assert round(result[layer]["overall"]["f1"], 4) == data["chosen"][layer]
    assert round(result["attribution"]["pair"]["f1"], 4) == data["chosen"]["attribution_pair"]


def test_retraining_into_the_directory_removes_a_combination_chosen_for_the_old_model(tiny, tmp_path):
    from training.train.config import load_config
    from training.train.model import read_meta
    from training.train.trainer import train

    data = tiny[0].parent / "data"
    path = tmp_path / "model"
    shutil.copytree(tiny[0], path)
    version = read_meta(path)["model_version"]
    (path / COMBINATION_FILE).write_text(json.dumps({"format_version": 1, "model_version": version,
                                                     "choice": {"events": "rules"}}))
    same = load_config(None, ["model.name=crf", "crf.corpora=[]", "crf.max_iterations=40"])
    assert train(data, path, same)["model_version"] == version  # kept: same documents and config
    assert (path / COMBINATION_FILE).is_file()
    other = load_config(None, ["model.name=crf", "crf.corpora=[]", "crf.max_iterations=41"])
    assert train(data, path, other)["model_version"] != version
    assert not (path / COMBINATION_FILE).exists()


def test_a_combination_may_take_the_rules_with_the_linkers_links(tiny, tmp_path):
    from training.predict.linker import CombinedPredictor
    from training.predict.load import load_predictor
    from training.train.model import read_meta

    src, model, _, _ = tiny
    path = tmp_path / "model"
    shutil.copytree(src, path)
    version = read_meta(path)["model_version"]

    def write(**extra):
        (path / COMBINATION_FILE).write_text(json.dumps(
            {"format_version": 1, "model_version": version, "choice": {"claims": "model-then-rules"},
             "relations": {"claims": "rules"}, **extra}), encoding="utf-8")
        return load_predictor(str(path))

    plain = write()
    assert plain.rules_side == "rules" and not isinstance(plain.rules, CombinedPredictor)
    linked = write(rules="rules+linker")
    assert linked.rules_side == "rules+linker" and isinstance(linked.rules, CombinedPredictor)
    assert linked.model_version == f"{model.model_version}+model-then-rules(claims)+rules-relations(claims)+linker"
    assert linked.model_version != plain.model_version  # a push predicts again when the side changes
    with pytest.raises(NisbaError, match="rules 'the linker'"):
        write(rules="the linker")
    # every layer from the model: no rules' side, no suffix
    assert combination_version("v1", {"claims": "model"}, rules_side="rules+linker") == "v1"


def test_choosing_the_rules_side_keeps_the_higher_sum_and_the_rules_alone_on_a_tie():
    from training.train.combine import chosen_criterion

    chosen = {"choice": {"entities": "model", "claims": "model-then-rules"}, "relations": {"claims": "rules"},
              "criterion": {"model": {"entities": 0.8, "claims": 0.5},
                            "model-then-rules+rules-relations": {"entities": 0.7, "claims": 0.82}}}
    assert chosen_criterion(chosen) == 1.62
