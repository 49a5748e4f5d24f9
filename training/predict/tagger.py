"""Predictors: text in, regions with scores out. ``load_predictor("rules" | MODEL_DIR)``.

A model predictor (``ModelPredictor``) runs the multi-layer tagger over many texts at once:

1. each text is pretokenized into words (annotation/text/tokens.py, no gold cuts at predict time) and
   the words normalized (annotation/text/normalize.py) -- word offsets point into the ORIGINAL text,
   so normalization never moves a prediction;
2. the words become windows of at most ``data.max_length`` subwords (features.py, the stride
   of the model's train config);
3. windows are sorted by length and run in batches, each padded to its longest window (little
   padding per batch), then put back in order; the batches run under ``torch.inference_mode``, or
   on ONNX Runtime when ``runtime`` is ``onnx`` or ``onnx-int8`` (training/predict/onnx_runtime.py:
   the model directory's export, cached by the weights' hash; ``$NISBA_RUNTIME`` picks it when the
   constructor is not told; ``onnx-int8`` predictions carry model_version ``<version>-int8``);
4. each word takes the softmax of its first subword from the window where it sits farthest
   from an edge (most context on both sides), so windows merge without seams;
5. per layer, the constrained Viterbi of training/predict/decode.py over the words' log
   probabilities picks the best VALID BIO path (never an I- after O or after another type; run
   only where the argmax path is invalid, all such texts of a call stepped together), and
   the tags decode to spans whose ends are the words' original character offsets
   (``decode="argmax"`` keeps the plain argmax, for comparisons with the pipeline).

Scores:

- a region's score is the mean, over its words, of the probability of the tag it was given;
- a task's score is the mean of its region scores; a task with no region gets the lowest,
  over its words, of the top tag probability (1 - the largest token uncertainty), so a text
  where the model was unsure whether anything is there still ranks as unsure.
  Lower = less confident: `nisba next` and Label Studio's score column sort on it.

The token heads predict spans only. When the model directory holds an attribution head
(``nisba.json["attribution"]``, training/predict/attribution.py) the claims regions are linked
(attributed_to, cue, reported_via; the rules where the pair scorer is unsure) and SOURCE/CLAIM
regions get their choices; otherwise no relation is predicted and choices are left empty.
Event arguments come from the role classifier trained beside the model on the same train split
(``event_roles.json``, training/predict/event_roles.py) when the directory holds one. The
linker's fallback (the rules) is injected by training/predict/load.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from annotation.errors import NisbaError
from annotation.convert.regions import Region, Relation, region_id
from training.predict.base import PredictionResult


def _valid(mask, path) -> bool:
    allowed, first = mask
    return bool(first[path[0]]) and bool(allowed[path[:-1], path[1:]].all())


class ModelPredictor:
    """Batched inference with a nisba model directory (see module docstring)."""

    def __init__(self, model_dir: str | Path, schema=None, device: str | None = None, *,
                 fallback: Callable[[], object] | None = None, runtime: str | None = None):
        """``fallback`` builds the attribution linker's fallback (required when the model has an attribution head);
        ``runtime``: torch, onnx or onnx-int8 (default: ``$NISBA_RUNTIME``, else torch)."""
        from annotation.schema.schema import load_schema
        from training.train.model import inputs_fingerprint, load_model

        schema = schema or load_schema()
        model, tokenizer, meta = load_model(model_dir, schema)
        self._setup(model, tokenizer, meta, device, runtime, model_dir)
        self.model_dir = Path(model_dir)
        current = inputs_fingerprint()
        if meta.get("inputs_fingerprint") != current:
            # the lexicon, sources or normalization changed since training: so may the predictions
            self.model_version = f"{self.model_version}-{current[:6]}"
        if meta.get("attribution"):
            from training.predict.attribution import load_attribution

            if fallback is None:
                raise NisbaError(f"{model_dir}: the model has an attribution head; load it with "
                                 "training.predict.load.load_predictor, which gives the linker its fallback")
            self.attribution = load_attribution(model_dir, meta["attribution"], schema, fallback=fallback)
        from training.predict.event_roles import load_from

        self.role_classifier = load_from(model_dir, schema)

    @classmethod
    def from_loaded(cls, model, tokenizer, meta: dict, device: str | None = None,
                    runtime: str | None = None) -> "ModelPredictor":
        """A predictor over a model already in memory (``meta`` as in nisba.json); an onnx runtime
        exports it into a temporary directory that lives as long as the predictor."""
        self = cls.__new__(cls)
        self._setup(model, tokenizer, meta, device, runtime, None)
        self.model_dir = None
        return self

    def _setup(self, model, tokenizer, meta: dict, device: str | None, runtime: str | None = None,
               model_dir: str | Path | None = None) -> None:
        import torch

        from training.predict.onnx_runtime import resolve_runtime

        self.model, self.tokenizer, self.meta = model, tokenizer, meta
        self.model.eval()
        self.runtime = resolve_runtime(runtime)
        self._onnx = None
        if self.runtime != "torch":  # ONNX Runtime's CPU provider: the torch model stays on the CPU
            from training.predict.onnx_runtime import OnnxTagger, export_model, export_model_dir

            int8 = self.runtime == "onnx-int8"
            if model_dir is not None:
                path, _ = export_model_dir(model_dir, int8=int8, model=model)
            else:
                import tempfile

                self._onnx_tmp = tempfile.TemporaryDirectory(prefix="nisba-onnx-")
                path = export_model(model, Path(self._onnx_tmp.name) / "model.onnx", int8=int8)
            self._onnx = OnnxTagger(path, model.layer_names)
            device = "cpu"
        self.device = torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
        self.model.to(self.device)
        self.model_version: str = self.meta["model_version"] + ("-int8" if self.runtime == "onnx-int8" else "")
        self.schema_fingerprint: str = self.meta["schema_fingerprint"]
        data = (self.meta.get("train_config") or {}).get("data", {})
        self.max_length = int(data.get("max_length", 256))
        self.stride = int(data.get("stride", 64))
        self.label_maps: dict[str, list[str]] = self.meta["label_maps"]
        self.attribution = None  # an AttributionModel links claims regions when the model has one
        self.role_classifier = None  # event arguments (training/predict/event_roles.py), when the model has one
        self.decode = "viterbi"  # or "argmax"
        from training.predict.decode import bio_mask

        self._masks = {l: bio_mask(names) for l, names in self.label_maps.items()}

    def word_probs(self, texts: list[str], batch_size: int = 16, docs=None, vectors: list | None = None):
        """Per text: its Words and, per layer, a (n_words, n_labels) array of merged probabilities.

        ``docs`` replaces the pretokenized Words (e.g. cut at gold edges); a ``vectors`` list is
        filled with one attribution_model.WordVectors per text, from the same windows.
        """
        import numpy as np
        import torch

        from training.train.features import document_words, encode_documents, special_tokens

        unk = self.tokenizer.unk_token or "[UNK]"
        docs = docs if docs is not None else [document_words({"text": t}, None, None, unk) for t in texts]
        if vectors is not None:
            from training.predict.attribution import WordVectors

            vectors.extend(WordVectors.empty(len(d.offsets), self.model.config.hidden_size) for d in docs)
            n_suffix = len(special_tokens(self.tokenizer)[1])
        windows = encode_documents(docs, self.tokenizer, self.max_length, self.stride)
        layers = self.model.layer_names
        probs = [{l: np.zeros((len(d.offsets), len(self.label_maps[l])), dtype=np.float32) for l in layers}
                 for d in docs]
        # per word, how far the window holding its current prediction keeps it from an edge
        margin = [np.full(len(d.offsets), -1, dtype=np.int64) for d in docs]
        for d_probs in probs:  # a word no window reaches (no subwords) is O with certainty
            for l in layers:
                d_probs[l][:, 0] = 1.0
        order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
        pad = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        with torch.inference_mode():
            for b in range(0, len(order), batch_size):
                batch = [windows[i] for i in order[b:b + batch_size]]
                width = max(len(w.input_ids) for w in batch)  # padded to the batch's longest window
                ids = np.full((len(batch), width), pad, dtype=np.int64)
                mask = np.zeros((len(batch), width), dtype=np.int64)
                for i, w in enumerate(batch):
                    ids[i, :len(w.input_ids)] = w.input_ids
                    mask[i, :len(w.input_ids)] = 1
                soft, states = self._forward(ids, mask, vectors is not None)
                for i, w in enumerate(batch):
                    n = len(w.input_ids)
                    index = np.asarray(w.word_index)
                    positions = np.flatnonzero(index >= 0)
                    words = index[positions]
                    m = np.minimum(positions, n - 1 - positions)
                    better = m > margin[w.doc][words]  # a word sits once in a window: no duplicates here
                    if not better.any():
                        continue
                    p_b, w_b = positions[better], words[better]
                    margin[w.doc][w_b] = m[better]
                    for k, l in enumerate(layers):
                        probs[w.doc][l][w_b] = soft[k][i, p_b]
                    if states is not None:  # the word's subwords: up to the next word or the suffix
                        vec = vectors[w.doc]
                        for j in np.flatnonzero(better):
                            p, word = int(positions[j]), int(words[j])
                            q = int(positions[j + 1]) if j + 1 < len(positions) else n - n_suffix
                            vec.first[word] = states[i, p]
                            vec.total[word] = states[i, p:max(q, p + 1)].sum(axis=0)
                            vec.count[word] = max(q, p + 1) - p
        return docs, probs

    def _forward(self, ids, mask, hidden: bool):
        """One padded batch (numpy int64) -> ([per layer (batch, width, labels) probabilities], hidden states or None)."""
        import torch

        if self._onnx is not None:
            return self._onnx(ids, mask, hidden)
        extra = {"return_hidden": True} if hidden else {}
        out = self.model(input_ids=torch.from_numpy(ids).to(self.device),
                         attention_mask=torch.from_numpy(mask).to(self.device), **extra)
        soft = [torch.softmax(l.float(), dim=-1).cpu().numpy() for l in out["logits"]]
        return soft, (out["hidden"].float().cpu().numpy() if hidden else None)

    def _paths(self, probs: list[dict]) -> list[dict]:
        """Per text, per layer: each word's label index (the argmax path, or the constrained Viterbi
        path where the argmax one is not valid BIO; no learned transitions, so where the argmax
        path is valid it IS the Viterbi path)."""
        import numpy as np

        from training.predict.decode import viterbi_many

        paths = [{} for _ in probs]
        for layer in self.label_maps:
            todo = []
            for d, p in enumerate(probs):
                arr = p[layer]
                paths[d][layer] = best = arr.argmax(axis=1) if len(arr) else np.zeros(0, dtype=np.int64)
                if self.decode != "argmax" and len(arr) and not _valid(self._masks[layer], best):
                    todo.append(d)
            if todo:
                k = len(self.label_maps[layer])
                found = viterbi_many([np.log(probs[d][layer] + 1e-9) for d in todo], np.zeros((k, k)),
                                     self._masks[layer])
                for d, path in zip(todo, found):
                    paths[d][layer] = np.array(path)
        return paths

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        from annotation.text.tokens import tags_to_spans

        vectors = [] if self.attribution is not None else None
        docs, probs = self.word_probs(texts, batch_size, vectors=vectors)
        paths = self._paths(probs)
        results = []
        for n_doc, (text, doc, p) in enumerate(zip(texts, docs, probs)):
            regions: list[Region] = []
            lowest = 1.0
            start_word = {s: k for k, (s, _) in enumerate(doc.offsets)}
            end_word = {e: k for k, (_, e) in enumerate(doc.offsets)}
            for layer, arr in p.items():
                names = self.label_maps[layer]
                best = paths[n_doc][layer]
                if not len(arr):
                    continue
                lowest = min(lowest, float(arr.max(axis=1).min()))
                chosen = arr[np.arange(len(best)), best]  # each word's probability of its tag
                if names[0] == "O" and not best.any():  # every word O: no span
                    continue
                tags = [names[i] for i in best]
                for start, end, label in tags_to_spans(doc.offsets, tags):
                    a, z = start_word[start], end_word[end]
                    score = float(sum(chosen[k] for k in range(a, z + 1)) / (z - a + 1))
                    regions.append(Region(region_id(layer, label, start, end), layer, label, start, end,
                                          text[start:end], {}, round(score, 6)))
            regions.sort(key=lambda r: (r.start, r.end, r.layer, r.label))
            relations: list[Relation] = []
            if self.attribution is not None:
                regions, relations = self.attribution.link(text, doc.offsets, vectors[n_doc], regions)
            if self.role_classifier is not None:
                relations = relations + self.role_classifier.arguments(text, regions)
            score = sum(r.score for r in regions) / len(regions) if regions else lowest
            results.append(PredictionResult(regions, relations, round(float(score), 6)))
        return results
