"""The feature CRF's word clusters (training/train/clusters.py) and which documents train which layer."""

import pytest


def _cfg(*overrides):
    from training.train.config import load_config

    return load_config(None, ["model.name=crf", *overrides])


def _tiny_clusters():
    from training.train.clusters import build_clusters

    cities, people = ["الرياض", "جدة", "القاهرة", "دمشق"], ["محمد", "خالد", "أحمد", "علي"]
    texts = [f"زار {p} مدينة {c} أمس" for p in people for c in cities] * 3
    return build_clusters(texts, [2, 3], dim=3, min_count=1, contexts=20, say=lambda m: None)


def test_clusters_group_words_of_the_same_contexts():
    from annotation.text.normalize import normalize

    got = _tiny_clusters()
    city = [got.ids[normalize(c)] for c in ("الرياض", "جدة", "القاهرة", "دمشق")]
    person = [got.ids[normalize(p)] for p in ("محمد", "خالد", "أحمد", "علي")]
    assert all(c == city[0] for c in city) and all(p == person[0] for p in person)
    assert city[0] != person[0]
    assert got.features(normalize("الرياض")) == [f"c2={city[0][0]}", f"c3={city[0][1]}"]
    assert got.features("غير_موجودة") == []


def test_cluster_features_come_from_the_cached_clusters(tmp_path):
    from training.train.clusters import WordClusters, cache_path, clusters_for
    from training.train.crf import doc_features, words_of

    cfg = _cfg("crf.clusters=[2,3]", "crf.cluster_corpora=[saudinewsnet]", "crf.cluster_max_words=1000")
    path = cache_path(["saudinewsnet"], [2, 3], 1000, tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    WordClusters([2, 3], {"الرياض": [1, 2]}, {"note": "cached"}).save(path)
    said = []
    got = clusters_for(cfg, say=said.append, cache_dir=tmp_path)  # read, never built (no corpus read here)
    assert got is not None and got.meta == {"note": "cached"} and str(path) in said[0]
    text = "زار الرياض وبالرياض"
    offsets, words = words_of(text)
    feats = doc_features(text, offsets, words, None, None, got)
    assert {"wc0.c2=1", "wc0.c3=2"} <= set(feats[1]) and {"wc-1.c2=1", "wc-1.c3=2"} <= set(feats[2])
    assert {"wc0.c2=1", "wc0.c3=2"} <= set(feats[2])  # "وبالرياض": not in the clusters, its stem is
    assert [f for f in feats[0] if f.startswith("wc")] == ["wc1.c2=1", "wc1.c3=2"]  # only the next word's
    # another key (another k) is another cache file: not built when told not to, and said so
    other = _cfg("crf.clusters=[4]", "crf.cluster_corpora=[saudinewsnet]", "crf.cluster_max_words=1000")
    assert clusters_for(other, say=said.append, build=False, cache_dir=tmp_path) is None
    assert "training without them" in said[-1]
    assert clusters_for(_cfg("crf.clusters=[]"), say=said.append, cache_dir=tmp_path) is None


@pytest.mark.slow
def test_crf_model_carries_its_clusters_and_the_card_names_their_corpora(tmp_path, monkeypatch):
    import training.train.clusters as clusters_mod
    from annotation.schema.schema import load_schema
    from training.predict.crf import CrfPredictor
    from training.train.crf_data import train_crf_on
    from training_fixtures import make_dataset, synthetic_rows

    tiny = _tiny_clusters()
    tiny.meta["corpora"] = {"saudinewsnet": clusters_mod.LICENSES["saudinewsnet"]}
    monkeypatch.setattr(clusters_mod, "clusters_for", lambda cfg, say=print, **_: tiny)
    schema = load_schema()
    ds = make_dataset(schema, {"train": synthetic_rows(12, seed=1), "validation": synthetic_rows(2, seed=2, first_id=100)})
    ds.save_to_disk(str(tmp_path / "data"))
    cfg = _cfg("crf.corpora=[]", "crf.max_iterations=10", "model.layers=[entities,claims]", "crf.clusters=[2,3]",
               "crf.cluster_layers=[entities]")
    meta = train_crf_on(tmp_path / "data", tmp_path / "model", cfg, schema=schema, say=lambda m: None)
    assert meta["train_stats"]["clusters"]["ks"] == [2, 3]
    assert meta["train_stats"]["layers"]["entities"]["word_clusters"] is True
    assert meta["train_stats"]["layers"]["claims"]["word_clusters"] is False
    assert "NC" in meta["train_corpora"]["saudinewsnet (word clusters, unlabelled)"]
    assert "non-commercial" in (tmp_path / "model" / "README.md").read_text(encoding="utf-8")
    predictor = CrfPredictor(tmp_path / "model")
    assert predictor.clusters is not None and predictor.clusters.ids == tiny.ids
    # only the layers of crf.cluster_layers were trained on them, and only those read them
    entity_attrs = {a for a in predictor.layers["entities"].rows}
    claim_attrs = {a for a in predictor.layers["claims"].rows}
    assert any(a.startswith("wc") for a in entity_attrs) and not any(a.startswith("wc") for a in claim_attrs)
    assert predictor.cluster_layers == {"entities"}


def test_cluster_features_reach_only_the_cluster_layers():
    from training.train.crf import layer_features

    feats = [["w=x", "wc0.c64=3", "wc-1.c256=9", "w-1=y"]]
    assert layer_features(feats, True) == feats
    assert layer_features(feats, False) == [["w=x", "w-1=y"]]


def test_layer_without_annotations_is_not_trained_as_all_o(tmp_path, monkeypatch):
    """NewsFANE holds entities only: its documents train the entities CRF and no other layer's
    (they would teach events and claims "O everywhere"); nisba-gold, annotated in every layer,
    trains every layer, its empty layers included."""
    import training.train.crf as crf_mod
    import training.train.crf_data as crf_data

    nf = [("قال محمد في الرياض", {"entities": [(4, 8, "PER"), (12, 18, "GPE")]})]
    from annotation.convert.regions import Region

    text = "أعلن خالد أن الوزارة"
    gold = [(text, [Region("p", "entities", "PER", 5, 9, text[5:9]), Region("c", "claims", "CLAIM", 10, 20, text[10:20])], [])]
    monkeypatch.setattr(crf_data, "newsfane_documents", lambda split, report=None, **_: nf)
    monkeypatch.setattr(crf_data, "gold_graphs", lambda split: gold)
    seen = {}
    monkeypatch.setattr(crf_mod, "train_crf", lambda docs, *a, **k: seen.update(docs) or {})
    cfg = _cfg("crf.corpora=[newsfane,nisba-gold]", "crf.gold_weight=1", "crf.clusters=[]",
               "model.layers=[entities,events,claims]")
    crf_data.train_crf_on(None, tmp_path / "model", cfg, say=lambda m: None)
    texts = {layer: [t for t, _ in docs] for layer, docs in seen.items()}
    assert texts["entities"] == [nf[0][0], gold[0][0]]
    assert texts["events"] == [gold[0][0]] and seen["events"][0][1] == []  # gold: no event there, a true O
    assert texts["claims"] == [gold[0][0]]


def test_cluster_and_encoder_caches_are_made_again_when_the_held_out_articles_change(monkeypatch):
    from training.train import pretrain
    from training.train.clusters import cluster_key

    monkeypatch.setattr(pretrain, "held_out_sha256", lambda: {"a", "b"})
    before = cluster_key(["saudinewsnet", "newsfane"], [64], 0), cluster_key(["newsfane"], [64], 0)
    monkeypatch.setattr(pretrain, "held_out_sha256", lambda: {"a", "b", "c"})   # dev grew by one article
    after = cluster_key(["saudinewsnet", "newsfane"], [64], 0), cluster_key(["newsfane"], [64], 0)
    assert before[0] != after[0] and before[1] == after[1]   # NewsFANE alone holds no nisba-gold article
    assert pretrain.held_out_key(["newsfane", "aqmar"]) == ""
    assert pretrain.held_out_key(["saudinewsnet"]) == pretrain.held_out_key(["newsfane", "saudinewsnet"]) != ""
