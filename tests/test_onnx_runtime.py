"""The tagger on ONNX Runtime (training/predict/onnx_runtime.py): same spans as torch, cached export.

The model is a tiny one trained here for a few seconds (2-layer BERT from tests/training_fixtures.py
on synthetic rows), saved as a nisba model directory, as `nisba train` leaves it.
"""

import json
import random

import numpy as np
import pytest

from annotation.errors import NisbaError
from annotation.schema.schema import load_schema
from training.train.config import load_config
from training_fixtures import make_dataset, synthetic_rows, tiny_encoder_dir

pytestmark = pytest.mark.slow


def spans(results):
    return [[(r.layer, r.label, r.start, r.end) for r in res.regions] for res in results]


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def texts():
    rows = synthetic_rows(8, seed=3, first_id=200)
    long = " ".join(r["text"] for r in synthetic_rows(4, seed=5, sentences=(6, 8)))  # several windows of 64
    return [r["text"] for r in rows] + [long, "", "قصير"]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory, schema):
    from training.train.trainer import train

    data = make_dataset(schema, {"train": synthetic_rows(60, seed=1), "validation": synthetic_rows(6, seed=2, first_id=100)})
    encoder = tiny_encoder_dir(tmp_path_factory.mktemp("encoder"), list(data["train"]["text"]))
    overrides = {"model.name": str(encoder), "training.epochs": 8, "training.batch_size": 8,
                 "training.learning_rate": 0.005, "training.progress": "false", "training.eval_batch_size": 8,
                 "data.max_length": 64, "data.stride": 16, "attribution.enabled": "false"}
    out = tmp_path_factory.mktemp("run") / "model"
    train(data, out, load_config(None, [f"{k}={v}" for k, v in overrides.items()]), schema=schema)
    return out


def test_onnx_export_gives_the_same_spans_as_torch(model_dir, texts):
    from training.predict.tagger import ModelPredictor

    torch_p = ModelPredictor(model_dir, runtime="torch")
    onnx_p = ModelPredictor(model_dir, runtime="onnx")
    a, b = torch_p.predict(texts, batch_size=3), onnx_p.predict(texts, batch_size=5)
    assert spans(a) == spans(b)
    assert any(spans(a)), "the tiny model must tag something for the comparison to mean anything"
    assert [r.score for r in a] == pytest.approx([r.score for r in b], abs=1e-4)
    assert [[x.score for x in r.regions] for r in a] == [pytest.approx([x.score for x in r.regions], abs=1e-4) for r in b]
    assert onnx_p.model_version == torch_p.model_version  # fp32: the same predictions, the same version
    torch_p.decode = onnx_p.decode = "argmax"
    assert spans(torch_p.predict(texts)) == spans(onnx_p.predict(texts))


def test_onnx_word_probabilities_and_hidden_states_match_torch(model_dir, texts):
    """The attribution head reads the hidden states: the export gives them too."""
    from training.predict.tagger import ModelPredictor

    torch_p = ModelPredictor(model_dir, runtime="torch")
    onnx_p = ModelPredictor(model_dir, runtime="onnx")
    va, vb = [], []
    _, pa = torch_p.word_probs(texts, vectors=va)
    _, pb = onnx_p.word_probs(texts, vectors=vb)
    for x, y in zip(pa, pb):
        for layer in x:
            np.testing.assert_allclose(x[layer], y[layer], atol=1e-4)
    for x, y in zip(va, vb):
        np.testing.assert_allclose(x.first, y.first, atol=1e-3)
        np.testing.assert_allclose(x.total, y.total, atol=1e-3)
        assert (x.count == y.count).all()


def test_onnx_export_is_cached_and_redone_when_the_weights_change(model_dir, tmp_path, schema):
    import shutil

    from training.predict.onnx_runtime import export_model_dir
    from training.predict.tagger import ModelPredictor
    from training.train.model import load_model, save_model

    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy, ignore=shutil.ignore_patterns("onnx"))
    first = ModelPredictor(copy, runtime="onnx")
    path = first._onnx.path
    assert path.parent == copy / "onnx" and path.exists()
    stamp = path.stat().st_mtime_ns
    again, made = export_model_dir(copy)
    assert (again, made) == (path, False)  # cached: not exported again
    ModelPredictor(copy, runtime="onnx")
    assert path.stat().st_mtime_ns == stamp

    model, tokenizer, meta = load_model(copy, schema)  # a retrain: other weights in the same directory
    for p in model.heads["entities"].parameters():
        p.data.add_(0.5)
    save_model(model, tokenizer, copy, schema=schema, name="model", train_config=meta["train_config"])
    retrained = ModelPredictor(copy, runtime="onnx")
    assert retrained._onnx.path != path and retrained._onnx.path.exists()
    assert not path.exists()  # the export of the old weights is gone
    texts = [r["text"] for r in synthetic_rows(3, seed=4)]
    assert spans(retrained.predict(texts)) == spans(ModelPredictor(copy, runtime="torch").predict(texts))


def test_int8_runtime_loads_and_predicts_valid_bio(model_dir, texts):
    from training.predict.decode import bio_mask
    from training.predict.onnx_runtime import onnx_path
    from training.predict.tagger import ModelPredictor, _valid

    torch_p = ModelPredictor(model_dir, runtime="torch")
    int8 = ModelPredictor(model_dir, runtime="onnx-int8")
    assert int8._onnx.path == onnx_path(model_dir, int8=True)
    assert int8._onnx.path.stat().st_size < onnx_path(model_dir).stat().st_size if onnx_path(model_dir).exists() else True
    assert int8.model_version == torch_p.model_version + "-int8"  # its predictions may differ: another version
    results = int8.predict(texts)
    for text, res in zip(texts, results):
        assert 0.0 <= res.score <= 1.0
        for r in res.regions:
            assert text[r.start:r.end] == r.text and 0.0 <= r.score <= 1.0
    _, probs = int8.word_probs(texts)
    for p, paths in zip(probs, int8._paths(probs)):
        for layer, path in paths.items():
            if len(path):
                assert _valid(bio_mask(int8.label_maps[layer]), path)  # never an I- after O or another type
    a, b = spans(torch_p.predict(texts)), spans(results)
    same = sum(len(set(x) & set(y)) for x, y in zip(a, b))
    assert same >= 0.8 * sum(map(len, a))  # quantized weights, nearly the same spans


def test_runtime_comes_from_NISBA_RUNTIME_and_an_unknown_one_is_refused(model_dir, monkeypatch):
    from training.predict.load import load_predictor
    from training.predict.tagger import ModelPredictor

    monkeypatch.setenv("NISBA_RUNTIME", "onnx")
    assert load_predictor(str(model_dir), combination=False).runtime == "onnx"
    assert ModelPredictor(model_dir, runtime="torch").runtime == "torch"  # the argument wins
    monkeypatch.setenv("NISBA_RUNTIME", "tensorrt")
    with pytest.raises(NisbaError, match="NISBA_RUNTIME 'tensorrt': choose one of torch, onnx, onnx-int8"):
        ModelPredictor(model_dir)
    monkeypatch.delenv("NISBA_RUNTIME")
    assert ModelPredictor(model_dir).runtime == "torch"


def test_export_onnx_command_writes_both_graphs_then_finds_them_cached(model_dir):
    from typer.testing import CliRunner

    from annotation.cli import app

    first = CliRunner().invoke(app, ["export-onnx", "--model", str(model_dir), "--int8"])
    assert first.exit_code == 0, first.output
    second = CliRunner().invoke(app, ["export-onnx", "--model", str(model_dir), "--int8"])
    assert second.exit_code == 0, second.output
    assert second.output.count("cached") == 2 and "runtime onnx-int8" in second.output
    meta = json.loads((model_dir / "nisba.json").read_text())
    assert meta["model_version"]  # the model directory itself is left as it was


def test_batched_viterbi_gives_each_sequence_its_own_viterbi_path():
    from training.predict.decode import bio_mask, viterbi, viterbi_many

    labels = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B1-GPE", "I-GPE"]
    mask = bio_mask(labels)
    rng = np.random.default_rng(0)
    for trial in range(20):
        ems = [np.log(rng.dirichlet(np.full(len(labels), 0.3), size=int(n)).astype(np.float32) + 1e-9)
               for n in rng.integers(0, 40, size=random.Random(trial).randint(1, 9))]
        trans = np.zeros((7, 7)) if trial % 2 else rng.normal(size=(7, 7))
        assert viterbi_many(ems, trans, mask) == [viterbi(e, trans, mask) for e in ems]
