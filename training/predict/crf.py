"""``CrfPredictor``: the feature CRF of a model directory (``kind: crf``) over raw texts.

Per text: words and features as in training (training/train/crf.py), then per layer the CRF's
weights give each word's label scores (the sum of its features' state weights) and the
constrained Viterbi of training/predict/decode.py picks the best valid BIO path (a clitic
start ``Bk-X`` puts the span's start k characters into its word). A region's score is the mean
marginal probability of its words' tags; a task's score is the mean of its regions', or the
lowest top-tag marginal when it has none (as the transformer tagger scores).

Claims regions are linked (attributed_to, cue, reported_via, choices) by the rule
pre-annotator's linker when the fallback is given (training/predict/load.py injects it);
event arguments by the model's role classifier (``event_roles.json``,
training/predict/event_roles.py) over its triggers and entities, when the directory holds one.

Not handled here: training, features (training/train/crf.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from annotation.convert.regions import Region, region_id
from annotation.errors import NisbaError
from annotation.schema.schema import default_roles
from annotation.text.normalize import normalize
from training.predict.base import PredictionResult
from training.predict.decode import bio_mask, marginals, tags_to_char_spans, viterbi
from training.predict.event_roles import load_from as load_role_classifier


class _LayerCrf:
    """One layer's CRF as numpy: label names, attribute -> weight rows, transitions."""

    def __init__(self, path: Path):
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        tagger.close()
        self.labels = sorted(info.labels, key=lambda l: int(info.labels[l]))
        index = {l: i for i, l in enumerate(self.labels)}
        k = len(self.labels)
        rows: dict[str, np.ndarray] = {}
        for (attr, label), w in info.state_features.items():
            row = rows.get(attr)
            if row is None:
                row = rows[attr] = np.zeros(k, dtype=np.float64)
            row[index[label]] = w
        self.rows = rows
        self.trans = np.zeros((k, k))
        for (a, b), w in info.transitions.items():
            self.trans[index[a], index[b]] = w
        self.mask = bio_mask(self.labels)

    def emissions(self, feats: list[list[str]]) -> np.ndarray:
        out = np.zeros((len(feats), len(self.labels)))
        rows = self.rows
        for i, f in enumerate(feats):
            for attr in f:
                row = rows.get(attr)
                if row is not None:
                    out[i] += row
        return out


class CrfPredictor:
    """Predictions of a ``model.name=crf`` model directory (see the module docstring)."""

    def __init__(self, model_dir: str | Path, schema=None, *, fallback: Callable[[], object] | None = None):
        from training.train.crf import CLUSTERS_FILE, GAZETTEER_FILE, load_gazetteer
        from training.train.model import compare_label_maps, inputs_fingerprint, read_meta

        self.model_dir = Path(model_dir)
        self.schema = schema
        roles = schema.roles if schema is not None else default_roles()
        self.claims_layer = roles.claims
        # clitic starts repaired on the entity and claim layers (nisba-gold dev: entities +0.03, SOURCE +0.16;
        # triggers unchanged); a claim's content keeps its words whole
        self.clitic_repair_layers = {roles.entities, roles.claims} - {None}
        self.whole_word_tag = f"-{roles.claim[1]}" if roles.claim else None
        meta = read_meta(self.model_dir)
        if meta.get("kind") != "crf":
            raise NisbaError(f"{model_dir}: not a CRF model directory (kind {meta.get('kind')!r})")
        if schema is not None:
            compare_label_maps(meta["label_maps"], schema, f"model {model_dir}")
        self.meta = meta
        self.label_maps = meta["label_maps"]
        # the push refuses a model whose schema differs from the project's (annotation.loop.push)
        self.schema_fingerprint: str = meta.get("schema_fingerprint", "")
        self.model_version = meta["model_version"]
        current = inputs_fingerprint()
        if meta.get("inputs_fingerprint") != current:  # rules (features, linker) or normalization changed
            self.model_version = f"{self.model_version}-{current[:6]}"
        self.use_rules = bool(meta["train_config"].get("crf", {}).get("rules_features", True))
        self.gazetteer = load_gazetteer(self.model_dir / GAZETTEER_FILE)
        self.clusters = None
        if (self.model_dir / CLUSTERS_FILE).is_file():
            from training.train.clusters import WordClusters

            self.clusters = WordClusters.load(self.model_dir / CLUSTERS_FILE)
        self.cluster_layers = set(meta["train_config"].get("crf", {}).get("cluster_layers", meta["layers"]))
        self.layers = {layer: _LayerCrf(self.model_dir / f"{layer}.crfsuite") for layer in meta["layers"]}
        # event arguments (training/predict/event_roles.py); CombinedModelPredictor reattaches them
        # over the combined regions
        self.role_classifier = load_role_classifier(self.model_dir, schema)
        self._fallback = fallback
        self._linker = None

    def tag_words(self, texts: list[str]):
        """Per text: (offsets, {layer: (tags, marginals of the chosen tags)}) -- constrained Viterbi."""
        from training.train.crf import doc_items, layer_features

        out = []
        for offsets, _words, feats in doc_items(texts, self.gazetteer, self.use_rules, self.clusters):
            per = {}
            for layer, crf in self.layers.items():
                em = crf.emissions(layer_features(feats, layer in self.cluster_layers))
                path = viterbi(em, crf.trans, crf.mask)
                marg = marginals(em, crf.trans, crf.mask) if len(path) else np.zeros((0, len(crf.labels)))
                per[layer] = ([crf.labels[i] for i in path], marg[np.arange(len(path)), path] if len(path) else marg,
                              marg.max(axis=1) if len(path) else marg)
            out.append((offsets, per))
        return out

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        results = []
        for text, (offsets, per) in zip(texts, self.tag_words(texts)):
            regions: list[Region] = []
            lowest = 1.0
            for layer, (tags, chosen, top) in per.items():
                if len(top):
                    lowest = min(lowest, float(top.min()))
                if layer in self.clitic_repair_layers:
                    tags = [self._clitic_start(text, offsets[w], t) if t.startswith("B-") else t
                            for w, t in enumerate(tags)]
                for start, end, label, a, z in tags_to_char_spans(offsets, tags):
                    score = float(np.mean(chosen[a:z + 1]))
                    regions.append(Region(region_id(layer, label, start, end), layer, label, start, end,
                                          text[start:end], {}, round(score, 6)))
            regions.sort(key=lambda r: (r.start, r.end, r.layer, r.label))
            relations = []
            linker = self._link()
            if linker is not None and any(r.layer == self.claims_layer for r in regions):
                regions, relations = linker.link(text, offsets, None, regions)
            if self.role_classifier is not None:
                relations = relations + self.role_classifier.arguments(text, regions)
            score = sum(r.score for r in regions) / len(regions) if regions else lowest
            results.append(PredictionResult(regions, relations, round(float(score), 6)))
        return results

    def _clitic_start(self, text: str, offset: tuple[int, int], tag: str) -> str:
        """``B-X`` on a word that is proclitics + a name -> ``Bk-X``: "بالعراق" -> ب + [العراق],
        "للعراق" -> ل + [لعراق] (the article's alef dropped after ل), "وفرنسا" when فرنسا alone
        is in the gazetteer and وفرنسا is not. CLAIM spans keep their words whole."""
        if self.whole_word_tag and tag.endswith(self.whole_word_tag):
            return tag
        from training.train.gazetteer import PROCLITIC_PREFIXES

        word = normalize(text[offset[0]:offset[1]])
        if len(word) != offset[1] - offset[0]:
            return tag  # diacritics or marks: offsets of the normalized word do not map 1:1
        if word.startswith("لل") and len(word) >= 5:
            return f"B1-{tag[2:]}"
        for p in sorted(PROCLITIC_PREFIXES, key=len, reverse=True):
            rest = word[len(p):]
            if word.startswith(p) and len(rest) >= 3:
                if (rest.startswith("ال") and len(rest) >= 5) or (
                        (rest,) in self.gazetteer.entries and (word,) not in self.gazetteer.entries):
                    return f"B{len(p)}-{tag[2:]}"
        return tag

    def _link(self):
        """The attribution linker over our claims regions: the rules' links, else the nearest
        candidate (None without a fallback)."""
        if self._linker is None and self._fallback is not None:
            self._linker = _nearest_linker()(None, 1.0, [], self.schema, fallback=self._fallback)
        return self._linker


def _nearest_linker():
    """An AttributionModel whose "scorer" ranks candidates by distance at probability 0, so the
    rules' link wins wherever the rules have one."""
    from training.predict.attribution import AttributionModel

    class NearestLinker(AttributionModel):
        def best(self, relation, text, offsets, vectors, a, candidates):
            usable = [c for c in candidates if c.id != a.id]
            if not usable:
                return None, 0.0
            gap = lambda c: max(c.start - a.end, a.start - c.end, 0)
            return min(usable, key=gap), 0.0

    return NearestLinker
