"""Training end to end with a tiny model: it learns, saves, loads, resumes and refuses bad input.

The encoder is a 2-layer BERT saved with save_pretrained into a tmp dir, with a WordPiece
tokenizer trained on the synthetic rows in seconds: it is named as ``model.name`` and so
exercises the local-directory path any AutoModel checkpoint takes.
"""

import json
import random

import pytest

from annotation.errors import NisbaError
from annotation.schema.schema import load_schema, parse_schema
from training.train.config import load_config
from training_fixtures import make_dataset, synthetic_rows, tiny_encoder_dir

pytestmark = pytest.mark.slow

LAYERS = ["entities", "events", "claims"]


def tiny_overrides(encoder_dir, **extra):
    base = {"model.name": str(encoder_dir), "training.epochs": 4, "training.batch_size": 8,
            "training.learning_rate": 0.005, "training.logging_steps": 5, "training.progress": "false",
            "training.early_stopping_patience": 8, "training.eval_batch_size": 4,
            "data.max_length": 64, "data.stride": 16,
            "attribution.enabled": "false"}  # token heads only here; tests/test_attribution_model.py covers the pair scorer
    base.update(extra)
    return [f"{k}={v}" for k, v in base.items()]


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def dataset(schema):
    return make_dataset(schema, {"train": synthetic_rows(60, seed=1), "validation": synthetic_rows(8, seed=2, first_id=100),
                                 "test": synthetic_rows(6, seed=3, first_id=200)})


@pytest.fixture(scope="module")
def encoder_dir(tmp_path_factory, dataset):
    return tiny_encoder_dir(tmp_path_factory.mktemp("encoder"), list(dataset["train"]["text"]))


@pytest.fixture(scope="module")
def trained(tmp_path_factory, dataset, encoder_dir):
    """One tiny model trained through the CLI from a dataset saved on disk."""
    from typer.testing import CliRunner

    from annotation.cli import app

    root = tmp_path_factory.mktemp("run")
    dataset.save_to_disk(str(root / "data"))
    out = root / "model"
    result = CliRunner().invoke(app, ["train", "--data", str(root / "data"), "--out", str(out),
                                      *tiny_overrides(encoder_dir)])
    assert result.exit_code == 0, result.output
    return out, result.output


def test_tiny_model_trains_and_its_loss_goes_down(trained):
    out, output = trained
    log = json.loads((out / "log_history.json").read_text())["log_history"]
    losses = [h["loss"] for h in log if "loss" in h]
    assert len(losses) >= 4
    assert losses[-1] < losses[0] * 0.7
    f1 = [h["eval_entities_f1"] for h in log if "eval_entities_f1" in h]
    assert max(f1) > 0.5  # the templates are learnable: entity spans come out
    assert "best validation F1" in output


def test_model_directory_holds_weights_tokenizer_and_metadata(trained, encoder_dir, schema):
    out, _ = trained
    meta = json.loads((out / "nisba.json").read_text())
    assert meta["format_version"] == 1
    assert meta["schema_fingerprint"] == schema.fingerprint()
    assert meta["layers"] == LAYERS
    assert meta["label_maps"]["claims"] == ["O", "B-CLAIM", "I-CLAIM", "B-SOURCE", "I-SOURCE", "B-CUE", "I-CUE"]
    assert meta["model_version"].startswith("model-") and len(meta["model_version"]) == len("model-") + 8
    assert meta["train_config"]["training"]["epochs"] == 4
    assert meta["encoder_source"] == str(encoder_dir)  # trained from a local save_pretrained directory
    for name in ("config.json", "model.safetensors", "tokenizer.json"):
        assert (out / name).exists()


def test_save_then_load_gives_identical_predictions(trained, dataset, tmp_path, schema):
    from training.train.model import load_model, save_model
    from training.predict.tagger import ModelPredictor
    from training.predict.load import load_predictor

    out, _ = trained
    texts = list(dataset["test"]["text"])
    first = load_predictor(str(out))
    model, tokenizer, meta = load_model(out, schema)
    again = save_model(model, tokenizer, tmp_path / "copy", schema=schema, name="model", train_config=meta["train_config"])
    second = load_predictor(str(tmp_path / "copy"))
    a, b = first.predict(texts, batch_size=4), second.predict(texts, batch_size=4)
    assert again["model_version"] == first.model_version  # same weights, same hash
    assert [r.regions for r in a] == [r.regions for r in b]
    assert [r.score for r in a] == [r.score for r in b]
    assert any(r.regions for r in a)
    in_memory = ModelPredictor.from_loaded(model, tokenizer, meta).predict(texts, batch_size=4)
    assert [r.regions for r in in_memory] == [r.regions for r in a]


def test_predicted_regions_carry_original_text_and_probability_scores(trained, dataset):
    from training.predict.load import load_predictor

    out, _ = trained
    texts = list(dataset["test"]["text"])
    results = load_predictor(str(out)).predict(texts)
    for text, res in zip(texts, results):
        assert 0.0 <= res.score <= 1.0
        for r in res.regions:
            assert text[r.start:r.end] == r.text
            assert 0.0 <= r.score <= 1.0
            assert r.layer in LAYERS


def test_batch_size_does_not_change_predictions(trained, dataset):
    from training.predict.load import load_predictor

    out, _ = trained
    texts = list(dataset["test"]["text"]) + ["قصير"]
    p = load_predictor(str(out))
    one, many = p.predict(texts, batch_size=1), p.predict(texts, batch_size=16)
    spans = lambda results: [[(r.layer, r.label, r.start, r.end) for r in res.regions] for res in results]
    assert spans(one) == spans(many)  # padding changes scores only in the last float digits
    assert [x.score for x in one] == pytest.approx([x.score for x in many], abs=1e-4)


class WordLookupTagger:
    """A context-free stand-in for the tagger: each token id always gets the same tag."""

    def __init__(self, table, n_labels):
        import torch

        self.layer_names = ["entities"]
        self.table, self.n_labels, self.torch = table, n_labels, torch

    def eval(self):
        return self

    def to(self, device):
        return self

    def __call__(self, input_ids, attention_mask=None):
        logits = self.torch.zeros(*input_ids.shape, self.n_labels)
        logits[..., 0] = 3.0
        for token_id, label in self.table.items():
            logits[input_ids == token_id] = 0.0
            logits[..., label][input_ids == token_id] = 3.0
        return {"logits": (logits,)}


def test_a_span_crossing_a_window_boundary_comes_back_whole(schema):
    from training.train.features import document_words, encode_documents
    from training.predict.tagger import ModelPredictor
    from training.train.pretrain import model_words, train_tokenizer

    name = "ستيفانَ دي ميستورا الأممي الخاص"
    text = f"قال المبعوث أمس في جنيف إن {name} سيعود إلى دمشق الأسبوع المقبل ."
    tokenizer = train_tokenizer([model_words(text)], vocab_size=500, min_frequency=1, max_length=64)
    labels = schema.layer("entities").bio_labels()
    words = model_words(name)
    table = {tokenizer.convert_tokens_to_ids(words[0]): labels.index("B-PER")}
    table.update({tokenizer.convert_tokens_to_ids(w): labels.index("I-PER") for w in words[1:]})
    meta = {"model_version": "lookup-0", "schema_fingerprint": schema.fingerprint(),
            "label_maps": {"entities": labels}, "train_config": {"data": {"max_length": 8, "stride": 2}}}
    predictor = ModelPredictor.from_loaded(WordLookupTagger(table, len(labels)), tokenizer, meta, device="cpu")

    doc = document_words({"text": text})
    start = text.index(name)
    span_words = {k for k, (s, e) in enumerate(doc.offsets) if start <= s and e <= start + len(name)}
    windows = encode_documents([doc], tokenizer, 8, 2)
    assert any(0 < len(span_words & set(w.word_index)) < len(span_words) for w in windows), "span must cross a window edge"

    (result,) = predictor.predict([text], batch_size=3)
    assert [(r.label, r.start, r.end, r.text) for r in result.regions] == [("PER", start, start + len(name), name)]
    assert result.regions[0].text.startswith("ستيفانَ")  # the original, unnormalized characters


def test_labels_mismatch_is_refused_before_training(tmp_path, schema, encoder_dir):
    from training.train.trainer import train

    raw = json.loads(json.dumps(schema.raw))
    raw["layers"]["entities"]["labels"] = [{"value": v} for v in ("PER", "ORG", "GPE", "LOC", "FAC", "MISC")]
    other = parse_schema(raw, [])
    rows = synthetic_rows(3)
    data = make_dataset(other, {"train": rows, "validation": rows})
    cfg = load_config(None, tiny_overrides(encoder_dir))
    with pytest.raises(NisbaError, match=r"entities.*only in the data: \['MISC'\].*\['NORP'\]"):
        train(data, tmp_path / "m", cfg, schema=schema)
    assert not (tmp_path / "m").exists()


def test_empty_split_is_refused(tmp_path, schema, encoder_dir):
    from training.train.trainer import train

    data = make_dataset(schema, {"train": [], "validation": synthetic_rows(2)})
    with pytest.raises(NisbaError, match="'train' split is empty"):
        train(data, tmp_path / "m", load_config(None, tiny_overrides(encoder_dir)), schema=schema)


def test_model_from_another_schema_is_refused_naming_the_labels(trained, schema):
    from training.predict.load import load_predictor

    raw = json.loads(json.dumps(schema.raw))
    raw["layers"]["claims"]["labels"] = [{"value": v} for v in ("CLAIM", "SOURCE", "CUE", "TARGET")]
    other = parse_schema(raw, [])
    with pytest.raises(NisbaError, match=r"another schema.*claims.*only in the schema \['TARGET'\]"):
        load_predictor(str(trained[0]), schema=other)




def test_interrupted_run_resumes_from_its_last_checkpoint(tmp_path, dataset, encoder_dir, schema):
    from transformers import TrainerCallback

    from training.train.trainer import train

    class Stop(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            raise KeyboardInterrupt("interrupted after the first checkpoint")

    cfg = load_config(None, tiny_overrides(encoder_dir, **{"training.epochs": 2}))
    with pytest.raises(KeyboardInterrupt):
        train(dataset, tmp_path / "m", cfg, schema=schema, callbacks=[Stop()])
    assert not (tmp_path / "m" / "nisba.json").exists()
    meta = train(dataset, tmp_path / "m", cfg, schema=schema)
    stats = meta["train_stats"]
    steps_per_epoch = -(-stats["n_train_windows"] // 8)
    assert stats["resumed_from"].endswith(f"checkpoint-{steps_per_epoch}")
    assert stats["global_step"] == 2 * steps_per_epoch


def test_checkpoints_of_another_run_are_not_resumed(tmp_path, dataset, encoder_dir, schema):
    from transformers import TrainerCallback

    from training.train.trainer import train

    class Stop(TrainerCallback):
        def on_save(self, args, state, control, **kwargs):
            raise KeyboardInterrupt

    cfg = load_config(None, tiny_overrides(encoder_dir, **{"training.epochs": 2}))
    with pytest.raises(KeyboardInterrupt):
        train(dataset, tmp_path / "m", cfg, schema=schema, callbacks=[Stop()])
    changed = load_config(None, tiny_overrides(encoder_dir, **{"training.epochs": 2, "training.learning_rate": 0.001}))
    with pytest.raises(NisbaError, match="another run.*training.learning_rate"):
        train(dataset, tmp_path / "m", changed, schema=schema)


def test_out_of_memory_suggests_a_smaller_batch_size(tmp_path, dataset, encoder_dir, schema):
    import torch
    from transformers import TrainerCallback

    from training.train.trainer import train

    class Oom(TrainerCallback):
        def on_step_begin(self, args, state, control, **kwargs):
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")

    cfg = load_config(None, tiny_overrides(encoder_dir))
    with pytest.raises(NisbaError, match=r"out of memory at training.batch_size=8.*training.batch_size=4"):
        train(dataset, tmp_path / "m", cfg, schema=schema, callbacks=[Oom()])


def test_default_model_is_pretrained_once_and_cached(tmp_path):
    import dataclasses

    from training.train.config import load_config
    from training.train.pretrain import ensure_pretrained

    texts = [r["text"] for r in synthetic_rows(20, seed=5)]
    pcfg = dataclasses.replace(load_config().pretrain, vocab_size=200, min_frequency=1, hidden_size=32, num_layers=1, num_heads=2,
                          intermediate_size=64, max_position_embeddings=128, max_length=64, epochs=1,
                          batch_size=8, max_steps=0, max_words_per_corpus=0, save_steps=0,
                          cache_dir=str(tmp_path / "cache"))  # the rest from train.yaml
    path = ensure_pretrained(pcfg, texts=texts, progress=False)
    info = json.loads((path / "pretrain.json").read_text())
    assert info["format_version"] == 1 and info["stats"]["sequences"] > 0
    assert (path / "DONE").exists() and (path / "tokenizer.json").exists()
    stamp = (path / "model.safetensors").stat().st_mtime_ns
    assert ensure_pretrained(pcfg, texts=texts, progress=False) == path
    assert (path / "model.safetensors").stat().st_mtime_ns == stamp  # not rebuilt

    from transformers import AutoModel

    assert AutoModel.from_pretrained(path).config.hidden_size == 32  # any AutoModel code path can use it
