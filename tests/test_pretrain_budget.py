"""Domain pre-training's budget and provenance: SaudiNewsNet without nisba-gold's held-out
articles, word and step caps, checkpoints to resume from, and the corpora's licenses on the card."""

import dataclasses
import json

import pytest

from training.train.config import load_config


def _pcfg(**changes):
    return dataclasses.replace(load_config().pretrain, **changes)


def test_make_pretrain_reads_saudinewsnet_within_a_budget():
    p = load_config().pretrain
    assert "saudinewsnet" in p.corpora and {"newsfane", "aqmar"} <= set(p.corpora)
    assert 0 < p.max_steps <= 600 and 0 < p.save_steps <= p.max_steps and p.max_words_per_corpus > 0


def test_a_budget_at_zero_keeps_an_older_cache_key_and_checkpoints_do_not_count():
    base = _pcfg(max_words_per_corpus=0, max_steps=0, save_steps=0)
    payload = {k: v for k, v in dataclasses.asdict(base).items()
               if k not in ("cache_dir", "max_words_per_corpus", "max_steps", "save_steps")}
    import hashlib

    older = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:12]
    assert base.fingerprint() == older
    assert dataclasses.replace(base, save_steps=50).fingerprint() == older
    assert dataclasses.replace(base, max_steps=10).fingerprint() != older
    assert dataclasses.replace(base, max_words_per_corpus=10).fingerprint() != older


def test_saudinewsnet_leaves_out_nisba_gold_dev_and_test_and_words_are_capped(monkeypatch):
    from annotation.corpora import documents, nisba_gold
    from annotation.corpora.documents import CorpusDocument
    from training.train import pretrain

    docs = [CorpusDocument("تدريب أول\nتدريب ثان", {"sha256": "a"}), CorpusDocument("نص اختبار", {"sha256": "b"}),
            CorpusDocument("نص تطوير", {"sha256": "c"}), CorpusDocument("خبر آخر طويل", {"sha256": "d"})]
    monkeypatch.setattr(documents, "read_corpus", lambda name, **_: type("R", (), {"documents": docs})())
    monkeypatch.setattr(nisba_gold, "load_articles", lambda *a, **k: [
        {"sha256": "a", "split": "train"}, {"sha256": "b", "split": "test"}, {"sha256": "c", "split": "dev"}])
    assert pretrain.corpus_sentences(["saudinewsnet"]) == ["تدريب أول", "تدريب ثان", "خبر آخر طويل"]
    assert pretrain.corpus_sentences(["saudinewsnet"], max_words_per_corpus=3) == ["تدريب أول", "تدريب ثان"]


def test_the_model_card_names_the_pretraining_corpora_and_their_licenses(tmp_path):
    from training.evaluate.report import write_model_card
    from training.train.pretrain import corpus_licenses

    licenses = corpus_licenses(["newsfane", "saudinewsnet"])
    assert "CC BY-NC-SA 4.0" in licenses["saudinewsnet"] and "CC BY-SA 3.0" in licenses["newsfane"]
    span = {"overall": {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1, "tp": 1, "fp": 0}}
    seq = {"overall_precision": 1.0, "overall_recall": 1.0, "overall_f1": 1.0}
    metrics = {"model_version": "m-1", "layers": {"entities": {"seqeval": seq, "span": span}}, "data": "d",
               "split": "test", "n_documents": 1}
    info = {"model_version": "m-1", "pretraining": {"corpora": licenses, "tokens": 10, "fingerprint": "abc",
                                                    "held_out": "nisba-gold dev/test articles left out of saudinewsnet"}}
    card = write_model_card(tmp_path, info, metrics, {"test": 1}).read_text(encoding="utf-8")
    assert "## Pre-training" in card and "saudinewsnet: CC BY-NC-SA 4.0" in card
    assert "non-commercial use" in card and "held out: nisba-gold dev/test" in card


@pytest.mark.slow
def test_pretraining_stops_at_max_steps_and_checkpoints_every_save_steps(tmp_path):
    from training.train.pretrain import ensure_pretrained

    texts = [f"قال الوزير في المؤتمر {i} إن الحكومة ستعمل على دعم المشاريع" for i in range(200)]
    pcfg = _pcfg(vocab_size=200, min_frequency=1, hidden_size=32, num_layers=1, num_heads=2, intermediate_size=64,
                 max_position_embeddings=128, max_length=32, epochs=5, batch_size=8, max_steps=3, save_steps=1,
                 max_words_per_corpus=0, cache_dir=str(tmp_path / "cache"))
    path = ensure_pretrained(pcfg, texts=texts, progress=False)
    stats = json.loads((path / "pretrain.json").read_text())["stats"]
    assert stats["steps"] == 3 and (path / "DONE").exists()
