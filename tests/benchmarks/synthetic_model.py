"""A default-sized transformer tagger trained in under a minute, for the inference bench's int8 F1 check.

    python -m tests.benchmarks.synthetic_model artifacts/onnx/model-synth
    NISBA_BENCH_MODEL=artifacts/onnx/model-synth NISBA_BENCH_SCORED=synthetic \\
        python -m tests.benchmarks.run --only inference

The encoder has the default config's shape (pretrain.*: 128 hidden, 4 layers, 4 heads, 8000
WordPiece vocabulary trained on NewsFANE and the rows, so the bench's NewsFANE texts tokenize as
with the default encoder) and random weights; the heads learn tests/training_fixtures.py's
synthetic rows (120, seed 1; 20 epochs). The bench scores it on unseen rows (seed 77): a real
trained model for comparing int8 with torch, on easy text (entity F1 about 0.96).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build(out: Path) -> dict:
    sys.path.insert(0, str(HERE.parent))
    from transformers import BertConfig, BertModel

    from annotation.schema.schema import load_schema
    from training.train.config import load_config
    from training.train.pretrain import model_words, train_tokenizer
    from training.train.trainer import train
    from training_fixtures import make_dataset, synthetic_rows

    schema = load_schema()
    p = load_config().pretrain
    data = make_dataset(schema, {"train": synthetic_rows(120, seed=1, sentences=(4, 10)),
                                 "validation": synthetic_rows(10, seed=2, first_id=1000)})
    texts = list(data["train"]["text"])
    try:
        from annotation.corpora.documents import read_corpus

        texts += [d.text for d in read_corpus("newsfane", limit=600).documents]
    except Exception:  # no corpus here: the rows alone
        pass
    tokenizer = train_tokenizer([model_words(t) for t in texts], p.vocab_size, p.min_frequency, 512)
    encoder = out.parent / f"{out.name}-encoder"
    BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=p.hidden_size, num_hidden_layers=p.num_layers,
                         num_attention_heads=p.num_heads, intermediate_size=p.intermediate_size,
                         max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id)).save_pretrained(encoder)
    tokenizer.save_pretrained(encoder)
    overrides = {"model.name": str(encoder), "training.epochs": 20, "training.batch_size": 8,
                 "training.learning_rate": 0.001, "training.progress": "false", "training.eval_batch_size": 16,
                 "data.max_length": 256, "data.stride": 64, "attribution.enabled": "false"}
    return train(data, out, load_config(None, [f"{k}={v}" for k, v in overrides.items()]), schema=schema,
                 name="bench-synthetic")


if __name__ == "__main__":
    meta = build(Path(sys.argv[1] if len(sys.argv) > 1 else "artifacts/onnx/model-synth"))
    print(meta["model_version"])
