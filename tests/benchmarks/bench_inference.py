"""Batched inference (training/predict/tagger.py) vs transformers' pipeline("token-classification").

Same model, same texts, same spans required:

- the model: a MultiLayerTagger (the trained one named by NISBA_BENCH_MODEL, else a fresh
  default-sized one: 4 layers x 128, random heads -- speed does not depend on the weights,
  and random heads tag plenty of spans to compare). The pipeline cannot drive a model with
  several heads, so it gets ``layer_view(model, "entities")``: a plain
  AutoModelForTokenClassification holding the same encoder and the entities head, and the
  comparison is on the entities layer (our predictor runs all heads and still must win);
- the inputs: the pipeline gets each text's normalized words joined by one space, which its
  tokenizer splits into exactly the subwords our predictor feeds the model; texts are kept
  to one window (<= 510 subwords), so neither side's windowing is in play;
- decoding: ``aggregation_strategy="first"`` (a word takes its first subword's label), the
  same rule as ours; pipeline spans are mapped from the joined string back to original offsets.
  Ours is timed with its default constrained Viterbi (valid BIO), and the spans are compared
  in a second, untimed pass with ``decode="argmax"`` (the pipeline's rule).

Yardstick: the pipeline called one task at a time, measured in the same run. Target >= 5x.
"""

from __future__ import annotations

import os
import time


def _texts(quick: bool) -> list[str]:
    n = 24 if quick else 120
    try:
        from annotation.corpora.documents import read_corpus

        return [d.text for d in read_corpus("newsfane", limit=n).documents]
    except Exception:  # no corpus here: synthetic newsfane-like articles
        import sys
        from pathlib import Path

        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from training_fixtures import synthetic_rows

        return [r["text"] for r in synthetic_rows(n, seed=9, sentences=(8, 14))]


def _fresh_model():
    from transformers import BertConfig, BertModel

    from annotation.schema.schema import load_schema
    from training.train.config import load_config
    from training.train.model import MultiLayerTagger, label_maps_for
    from training.train.pretrain import model_words, train_tokenizer

    schema = load_schema()
    cfg = load_config()
    p = cfg.pretrain
    texts = _texts(False)
    tokenizer = train_tokenizer([model_words(t) for t in texts], p.vocab_size, p.min_frequency, 512)
    encoder = BertModel(BertConfig(vocab_size=len(tokenizer), hidden_size=p.hidden_size, num_hidden_layers=p.num_layers,
                                   num_attention_heads=p.num_heads, intermediate_size=p.intermediate_size,
                                   max_position_embeddings=512, pad_token_id=tokenizer.pad_token_id))
    model = MultiLayerTagger(encoder, label_maps_for(schema, cfg.model.layers))
    meta = {"model_version": "bench-fresh", "schema_fingerprint": schema.fingerprint(),
            "label_maps": model.label_maps, "train_config": {"data": {"max_length": 512, "stride": 64}}}
    return model, tokenizer, meta


def run(quick: bool = False) -> list[dict]:
    import torch
    from transformers import pipeline

    from training.train.features import document_words
    from training.train.model import layer_view, load_model
    from training.predict.tagger import ModelPredictor

    torch.manual_seed(0)
    if os.environ.get("NISBA_BENCH_MODEL"):
        model, tokenizer, meta = load_model(os.environ["NISBA_BENCH_MODEL"])
        meta = {**meta, "train_config": {**meta.get("train_config", {}), "data": {"max_length": 512, "stride": 64}}}
    else:
        model, tokenizer, meta = _fresh_model()
    predictor = ModelPredictor.from_loaded(model, tokenizer, meta, device="cpu")

    tokenizer.model_max_length = 512  # the pipeline truncates at this length: let it see the whole (one-window) text
    texts, joined, words = [], [], []
    for text in _texts(quick):
        w = document_words({"text": text}, None, None, tokenizer.unk_token)
        s = " ".join(w.normalized)
        if len(tokenizer(s)["input_ids"]) <= 512:
            texts.append(text), joined.append(s), words.append(w)

    view = layer_view(model, "entities")
    tagger = pipeline("token-classification", model=view, tokenizer=tokenizer, aggregation_strategy="first", device=-1)

    def pipeline_spans(i, ents):
        """Pipeline offsets (in the joined normalized string) -> original offsets via the words."""
        import bisect

        starts, pos = [], 0
        for n in words[i].normalized:
            starts.append(pos)
            pos += len(n) + 1
        out = []
        for e in ents:
            first = bisect.bisect_right(starts, e["start"]) - 1
            last = bisect.bisect_left(starts, e["end"]) - 1  # the word holding the span's last character
            out.append((e["entity_group"], words[i].offsets[first][0], words[i].offsets[last][1]))
        return sorted(out)

    predictor.predict(texts[:2]), tagger(joined[0])  # warm up both
    t0 = time.perf_counter()
    ours = predictor.predict(texts, batch_size=16)
    t_ours = time.perf_counter() - t0
    t0 = time.perf_counter()
    theirs = [tagger(s) for s in joined]
    t_pipe = time.perf_counter() - t0

    predictor.decode = "argmax"  # the pipeline takes each word's argmax: compare spans on that rule
    ours = predictor.predict(texts, batch_size=16)
    ours_spans = [sorted((r.label, r.start, r.end) for r in res.regions if r.layer == "entities") for res in ours]
    pipe_spans = [pipeline_spans(i, ents) for i, ents in enumerate(theirs)]
    same = sum(a == b for a, b in zip(ours_spans, pipe_spans))
    value, yard = len(texts) / t_ours, len(texts) / t_pipe
    ratio = value / yard
    return [{
        "benchmark": "batched inference (tasks/s, all 3 layer heads)",
        "value": round(value, 2), "unit": "tasks/s",
        "yardstick": "transformers pipeline('token-classification') one task at a time, entities head only",
        "yardstick_value": round(yard, 2), "ratio": round(ratio, 2), "target": ">= 5x, identical spans",
        "passed": ratio >= 5 and same == len(texts),
        "notes": f"{len(texts)} tasks, {sum(map(len, ours_spans))} entity spans; identical spans in {same}/{len(texts)} "
                 f"tasks; model {meta['model_version']}; torch threads {torch.get_num_threads()}",
    }]


if __name__ == "__main__":
    import json
    import sys

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
