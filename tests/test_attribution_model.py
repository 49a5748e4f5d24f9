"""The learned attribution pair scorer: it learns templated links, saves, loads, falls back to the rules.

Fast tests use a random scorer over random word vectors; the slow ones train a tiny model
(token heads, then the pair scorer) through ``training.train.train`` on templated documents
(tests/attribution_fixtures.py) and check it on held-out documents.
"""

import json

import numpy as np
import pytest
import torch

from annotation.convert.regions import Region, parse_result, region_id, to_result
from annotation.schema.schema import load_schema
from attribution_fixtures import attribution_rows
from training.predict.attribution import (
    ATTRIBUTION_FORMAT_VERSION,
    HEAD_FILE,
    AttributionModel,
    PairScorer,
    WordVectors,
    load_attribution,
    pair_geometry,
    span_words,
)
from training.predict.load import rules_predictor
from training.train.attribution import maybe_train_attribution, save_scorer
from training.train.config import load_config
from annotation.text.tokens import pretokenize
from training_fixtures import make_dataset, tiny_encoder_dir


@pytest.fixture(scope="module")
def schema():
    return load_schema()


def _random_vectors(n_words: int, hidden: int, seed: int = 0) -> WordVectors:
    rng = np.random.default_rng(seed)
    return WordVectors(rng.normal(size=(n_words, hidden)).astype(np.float32),
                       rng.normal(size=(n_words, hidden)).astype(np.float32), np.ones(n_words, np.float32))


def _claims_regions(text: str, parts: list[tuple[str, str]]) -> list[Region]:
    out, cursor = [], 0
    for label, sub in parts:
        s = text.index(sub, cursor)
        cursor = s + len(sub)
        out.append(Region(region_id("claims", label, s, cursor), "claims", label, s, cursor, sub, {}, 0.9))
    return out


TWO_STATEMENTS = "وقال علوش إن روسيا ستشارك في المحادثات . وقال لافروف إن الهدنة صامدة في سوريا ."
TWO_PARTS = [("CUE", "قال"), ("SOURCE", "علوش"), ("CLAIM", "روسيا ستشارك في المحادثات"),
             ("CUE", "قال"), ("SOURCE", "لافروف"), ("CLAIM", "الهدنة صامدة في سوريا")]


def _biased_model(bias: float, threshold: float, schema) -> AttributionModel:
    torch.manual_seed(0)
    scorer = PairScorer(16, 8)
    with torch.no_grad():
        for rel in scorer.mlp:
            scorer.mlp[rel][-1].weight.zero_()
            scorer.mlp[rel][-1].bias.fill_(bias)
    return AttributionModel(scorer, threshold, ["attributed_to"], schema, fallback=lambda: rules_predictor(schema))


def test_saved_scorer_loads_with_identical_pair_probabilities(tmp_path, schema):
    torch.manual_seed(3)
    scorer = PairScorer(16, 8)
    entry = save_scorer(scorer, tmp_path, 0.6, {"relations_trained": ["attributed_to"]})
    assert entry["format_version"] == ATTRIBUTION_FORMAT_VERSION and (tmp_path / HEAD_FILE).is_file()
    loaded = load_attribution(tmp_path, json.loads(json.dumps(entry)), schema, fallback=lambda: rules_predictor(schema))
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=16).astype(np.float32), rng.normal(size=(5, 16)).astype(np.float32)
    geometry = [(k, k % 2) for k in range(5)]
    before = scorer.probabilities("attributed_to", a, b, geometry)
    after = loaded.scorer.probabilities("attributed_to", a, b, geometry)
    assert np.array_equal(before, after)
    assert loaded.threshold == 0.6 and loaded.trained == ["attributed_to"]


def test_below_threshold_the_rules_link_is_used(schema):
    regions = _claims_regions(TWO_STATEMENTS, TWO_PARTS)
    offsets = pretokenize(TWO_STATEMENTS)
    model = _biased_model(-30.0, 0.5, schema)  # every pair probability ~0: unsure everywhere
    out, relations = model.link(TWO_STATEMENTS, offsets, _random_vectors(len(offsets), 8), regions)
    by_id = {r.id: r for r in out}
    pairs = {(by_id[r.from_id].text, by_id[r.to_id].text) for r in relations if r.label == "attributed_to"}
    assert pairs == {("روسيا ستشارك في المحادثات", "علوش"), ("الهدنة صامدة في سوريا", "لافروف")}
    assert model.stats["attributed_to:rules"] == 2 and model.stats["attributed_to:model"] == 0


def test_above_threshold_the_model_links_and_the_cue_is_the_nearest_before(schema):
    regions = _claims_regions(TWO_STATEMENTS, TWO_PARTS)
    offsets = pretokenize(TWO_STATEMENTS)
    model = _biased_model(30.0, 0.5, schema)  # sure of every pair: ties go to the nearest candidate
    out, relations = model.link(TWO_STATEMENTS, offsets, _random_vectors(len(offsets), 8), regions)
    assert model.stats["attributed_to:model"] == 2
    cues = [r for r in relations if r.label == "cue"]
    by_id = {r.id: r for r in out}
    assert sorted((by_id[c.from_id].start, by_id[c.to_id].text) for c in cues) == [
        (1, "روسيا ستشارك في المحادثات"), (TWO_STATEMENTS.index("قال لافروف"), "الهدنة صامدة في سوريا")]


def test_linked_output_passes_label_studio_validation(schema):
    text = "وقال علوش لرويترز إن روسيا ستشارك في المحادثات ."
    regions = _claims_regions(text, [("CUE", "قال"), ("SOURCE", "علوش"), ("CLAIM", "روسيا ستشارك في المحادثات")])
    offsets = pretokenize(text)
    out, relations = _biased_model(-30.0, 0.5, schema).link(text, offsets, _random_vectors(len(offsets), 8), regions)
    ids = {r.id for r in out}
    assert all(r.from_id in ids and r.to_id in ids for r in relations)
    assert {r.label for r in relations} == {"attributed_to", "cue", "reported_via"}  # the outlet comes from the rules
    source = next(r for r in out if r.label == "SOURCE")
    assert source.choices.get("source_id") == "Alloush"
    _, rels, problems = parse_result(to_result(out, relations, schema), schema, text)
    assert problems == [] and len(rels) == len(relations)


def test_no_attributed_pair_in_train_trains_no_scorer(tmp_path, schema):
    cfg = load_config(None, ["model.layers=[entities,claims]"])
    assert maybe_train_attribution(None, None, cfg, schema, [{"relations": []}], [], tmp_path, say=lambda m: None) is None
    cfg = load_config(None, ["attribution.enabled=false"])
    rows = [{"relations": [{"from_id": "a", "to_id": "b", "label": "attributed_to"}]}]
    assert maybe_train_attribution(None, None, cfg, schema, rows, [], tmp_path, say=lambda m: None) is None


def test_pair_geometry_gives_distance_bucket_and_order():
    assert pair_geometry((5, 8), (1, 2)) == (2, 1)  # two words between, b before a
    assert pair_geometry((5, 8), (9, 9)) == (0, 0)  # adjacent, after
    assert pair_geometry((0, 0), (100, 101)) == (8, 0)  # far: the last bucket
    assert span_words([(0, 4), (5, 9), (10, 12)], 5, 12) == (1, 2)


def test_evaluate_with_rules_reports_attribution_figures(tmp_path, schema):
    from training.evaluate.evaluation import evaluate_model

    make_dataset(schema, {"test": attribution_rows(4, seed=5)}).save_to_disk(str(tmp_path / "data"))
    metrics = evaluate_model("rules", tmp_path / "data", "test", tmp_path / "report", progress=False)
    att = metrics["attribution"]
    for key in ("source_span", "cue", "claim_exact", "claim_token", "pair", "pair_exact_claim"):
        assert 0.0 <= att[key]["f1"] <= 1.0 and att[key]["n_gold"] > 0
    assert att["pair"]["f1"] > 0.5
    assert "n" in att["canonical_source_accuracy"]
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "## Attribution" in report and "attributed pair" in report
    assert json.loads((tmp_path / "report" / "metrics.json").read_text())["attribution"]["pair"] == att["pair"]


# --- slow: a tiny model trained end to end ----------------------------------------------------

def _overrides(encoder_dir, **extra):
    base = {"model.name": str(encoder_dir), "training.epochs": 6, "training.batch_size": 8,
            "training.learning_rate": 0.005, "training.logging_steps": 5, "training.progress": "false",
            "training.early_stopping_patience": 8, "training.eval_batch_size": 8,
            "data.max_length": 128, "data.stride": 32, "attribution.epochs": 60}
    base.update(extra)
    return [f"{k}={v}" for k, v in base.items()]


@pytest.fixture(scope="module")
def trained(tmp_path_factory, schema):
    from training.train.trainer import train

    rows = {"train": attribution_rows(30, seed=1), "validation": attribution_rows(6, seed=2, first_id=100),
            "test": attribution_rows(12, seed=3, first_id=200)}
    dataset = make_dataset(schema, rows)
    root = tmp_path_factory.mktemp("attribution")
    encoder = tiny_encoder_dir(root / "encoder", list(dataset["train"]["text"]), max_positions=256)
    out = root / "model"
    meta = train(dataset, out, load_config(None, _overrides(encoder)), schema=schema)
    return out, meta, rows["test"]


def _pair_accuracy(predictor, rows, schema):
    """(learned, nearest-source baseline) accuracy of choosing each gold claim's source among the gold SOURCE spans."""
    from training.train.attribution import _document_vectors

    right = nearest = total = 0
    for text, offsets, vec, regions, relations in _document_vectors(predictor, rows, schema, 8):
        by_id = {r.id: r for r in regions}
        sources = [r for r in regions if r.label == "SOURCE"]
        for rel in relations:
            if rel.label != "attributed_to":
                continue
            claim, gold = by_id[rel.from_id], by_id[rel.to_id]

            def ok(r):
                return r is not None and ((r.start, r.end) == (gold.start, gold.end) or (
                    gold.choices.get("source_id") not in ("", "other") and r.choices.get("source_id") == gold.choices["source_id"]))

            best, _ = predictor.attribution.best("attributed_to", text, offsets, vec, claim, sources)
            near = min(sources, key=lambda s: (max(s.start - claim.end, claim.start - s.end, 0), s.start > claim.start))
            right += ok(best)
            nearest += ok(near)
            total += 1
    return right / total, nearest / total


@pytest.mark.slow
def test_pair_scorer_beats_the_nearest_source_on_held_out_documents(trained, schema):
    from training.predict.load import load_predictor

    out, _, test_rows = trained
    predictor = load_predictor(str(out), schema)
    learned, baseline = _pair_accuracy(predictor, test_rows, schema)
    assert learned >= 0.9 or learned > baseline, (learned, baseline)


@pytest.mark.slow
def test_model_directory_holds_the_attribution_head_and_its_entry(trained):
    out, meta, _ = trained
    entry = json.loads((out / "nisba.json").read_text())["attribution"]
    assert entry["format_version"] == ATTRIBUTION_FORMAT_VERSION and (out / entry["file"]).is_file()
    assert "attributed_to" in entry["relations_trained"] and entry["threshold"] == 0.5
    assert entry == meta["attribution"]


@pytest.mark.slow
def test_predicted_relations_reference_predicted_regions_and_validate(trained, schema):
    from training.predict.load import load_predictor

    out, _, test_rows = trained
    predictor = load_predictor(str(out), schema)
    results = predictor.predict([r["text"] for r in test_rows])
    assert any(res.relations for res in results)
    again = load_predictor(str(out), schema).predict([r["text"] for r in test_rows])
    for row, res, res2 in zip(test_rows, results, again):
        ids = {r.id for r in res.regions}
        assert all(rel.from_id in ids and rel.to_id in ids for rel in res.relations)
        regions, relations, problems = parse_result(to_result(res.regions, res.relations, schema), schema, row["text"])
        assert problems == [], problems[:3]
        assert len(relations) == len(res.relations)
        assert res.relations == res2.relations  # a reload links the same way
