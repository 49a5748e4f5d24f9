"""A learned claim -> source linker over any span predictor's regions, and its combination with the rules.

The pair scorer is a logistic regression over the geometry of a (CLAIM, its CUE, a candidate
SOURCE) triple; it needs no encoder, so it links the spans of the rules as well as those of a
trained tagger. Features (``pair_features``): source before the claim, source inside the cue's
sentence, in the cue's paragraph, right after the cue, words between cue and source (log),
number of SOURCE regions nearer to the cue, whether it is the nearest before the cue, known
canonical source, anonymous, span length.

``train_linker(split="train")`` fits it on nisba-gold train (every gold CLAIM against every
gold SOURCE of its article; positives: its ``attributed_to`` sources) and writes
``configs/linker.json`` (format_version, feature names, weights, threshold, figures).

``CombinedPredictor`` (``--model rules+linker``) runs a span predictor (the rules by default),
then for each CLAIM: when the scorer's best source has probability >= threshold the model
links it (``stats["model"]``); otherwise the span predictor's own link is kept
(``stats["fallback"]``). ``LinkerOnlyPredictor`` (``--model linker``) always takes the
scorer's best, for comparison. ``reported_via`` follows the source: a SOURCE keeps the
outlet the span predictor gave it.

Not handled here: spans (the rules, training/predict/tagger.py) or outlets by a model.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from annotation.convert.regions import Region, Relation
from annotation.errors import NisbaError
from annotation.schema.schema import CONFIGS_DIR, Roles, default_roles
from annotation.text.sentences import SENTENCE_END
from training.predict.base import PredictionResult

LINKER_FORMAT_VERSION = 1
DEFAULT_LINKER = CONFIGS_DIR / "linker.json"
FEATURES = ("bias", "before", "same_sentence", "same_paragraph", "right_after_cue", "log_gap_words",
            "nearer_sources", "nearest_before", "known", "anonymous", "log_len")
WORD = re.compile(r"\w+")


def _bounds(text: str, pos: int, pattern: re.Pattern) -> tuple[int, int]:
    s = 0
    for m in pattern.finditer(text, 0, pos):
        s = m.end()
    m = pattern.search(text, pos)
    return s, (m.start() if m else len(text))


def _words(text: str) -> int:
    return len(WORD.findall(text))


def pair_features(text: str, claim: Region, cue: Region | None, source: Region, sources: list[Region],
                  roles: Roles | None = None) -> list[float]:
    """The feature vector (in ``FEATURES`` order) of linking ``claim`` (with ``cue``) to ``source``
    (``roles``: the schema's names for the source choices; configs/schema.yaml's by default)."""
    roles = roles or default_roles()
    anchor = cue or claim
    sent = _bounds(text, anchor.start, SENTENCE_END)
    para = _bounds(text, anchor.start, re.compile(r"\n"))
    if source.end <= anchor.start:
        gap = _words(text[source.end:anchor.start])
    elif source.start >= anchor.end:
        gap = _words(text[anchor.end:source.start])
    else:
        gap = 0

    def dist(r: Region) -> int:
        return max(r.start - anchor.end, anchor.start - r.end, 0)

    d = dist(source)
    nearer = sum(1 for r in sources if r.id != source.id and dist(r) < d)
    before = [r for r in sources if r.end <= anchor.start]
    nearest_before = bool(before) and max(before, key=lambda r: r.end).id == source.id
    return [1.0, float(source.end <= claim.start), float(sent[0] <= source.start < sent[1]),
            float(para[0] <= source.start < para[1]),
            float(cue is not None and source.start >= cue.end and gap <= 3),
            math.log1p(gap), math.log1p(nearer), float(nearest_before),
            float(source.choices.get(roles.source_id, "other") not in ("", "other")),
            float(source.choices.get(roles.source_type) == "anonymous"), math.log1p(_words(source.text))]


def _claims_with_cues(regions: list[Region], relations: list[Relation], roles: Roles):
    by_id = {r.id: r for r in regions}
    cue_of = {x.to_id: by_id[x.from_id] for x in relations
              if roles.cue_claim is not None and x.label == roles.cue_claim and x.from_id in by_id}
    claims = [r for r in regions if roles.is_(r, "claim")]
    sources = [r for r in regions if roles.is_(r, "source")]
    return claims, cue_of, sources


class PairLinker:
    """The pair scorer; ``roles``: the schema's names (claims, sources, cues, attributed_to), configs/schema.yaml's
    by default."""

    def __init__(self, weights: np.ndarray, threshold: float, meta: dict | None = None, roles: Roles | None = None):
        self.weights = np.asarray(weights, dtype=np.float64)
        self.threshold = float(threshold)
        self.meta = meta or {}
        self.roles = roles or default_roles()

    @classmethod
    def load(cls, path: str | Path = DEFAULT_LINKER, roles: Roles | None = None) -> "PairLinker":
        path = Path(path)
        if not path.is_file():
            raise NisbaError(f"{path}: no trained linker (train it: python -m training.predict.linker --train)")
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != LINKER_FORMAT_VERSION:
            raise NisbaError(f"{path}: format_version {data.get('format_version')!r}; this nisba reads {LINKER_FORMAT_VERSION}")
        if tuple(data.get("features", ())) != FEATURES:
            raise NisbaError(f"{path}: features {data.get('features')} differ from this nisba's {list(FEATURES)}; retrain")
        return cls(np.array(data["weights"]), data["threshold"], data, roles)

    def fingerprint(self) -> str:
        return hashlib.sha256(json.dumps([list(self.weights), self.threshold]).encode()).hexdigest()[:10]

    def probabilities(self, text: str, claim: Region, cue: Region | None, sources: list[Region]) -> np.ndarray:
        if not sources:
            return np.zeros(0)
        x = np.array([pair_features(text, claim, cue, s, sources, self.roles) for s in sources])
        return 1.0 / (1.0 + np.exp(-x @ self.weights))

    def relink(self, text: str, regions: list[Region], relations: list[Relation], fallback: bool = True,
               stats: Counter | None = None) -> list[Relation]:
        """The relations with each CLAIM's attributed_to decided by the scorer (``fallback``: only
        where its best probability reaches the threshold; the given link is kept elsewhere)."""
        attributed_to = self.roles.claim_source
        claims, cue_of, sources = _claims_with_cues(regions, relations, self.roles)
        linked: dict[str, list[str]] = {}
        for x in relations:
            if x.label == attributed_to:
                linked.setdefault(x.from_id, []).append(x.to_id)
        out = [x for x in relations if x.label != attributed_to]
        for c in claims:
            probs = self.probabilities(text, c, cue_of.get(c.id), sources)
            best = int(np.argmax(probs)) if len(probs) else None
            confident = best is not None and probs[best] >= self.threshold
            if confident or (not fallback and best is not None):
                out.append(Relation(c.id, sources[best].id, attributed_to))
                kind = "model" if confident else "model_below_threshold"
            else:
                out.extend(Relation(c.id, s, attributed_to) for s in linked.get(c.id, []))
                kind = "fallback" if linked.get(c.id) else "none"
            if stats is not None:
                stats[kind] += 1
        return out


class CombinedPredictor:
    """Spans from ``spans`` (the rules), claim -> source links from the PairLinker (see the module docstring)."""

    def __init__(self, spans, linker: PairLinker, fallback: bool = True, name: str = "rules+linker"):
        self.spans, self.linker, self.fallback = spans, linker, fallback
        self.model_version = f"{name}-" + hashlib.sha256(
            (spans.model_version + linker.fingerprint() + str(fallback)).encode()).hexdigest()[:10]
        self.stats: Counter = Counter()

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        out = []
        for text, res in zip(texts, self.spans.predict(texts, batch_size)):
            relations = self.linker.relink(text, res.regions, res.relations, self.fallback, self.stats)
            out.append(PredictionResult(res.regions, relations, res.score))
        return out


# --- training ------------------------------------------------------------------------------------

def training_pairs(docs: list[dict], roles: Roles | None = None) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """(X, y, group) over gold documents {text, regions, relations}: one group per gold CLAIM
    (``roles``: the schema's names, configs/schema.yaml's by default)."""
    roles = roles or default_roles()
    xs, ys, groups = [], [], []
    g = 0
    for d in docs:
        claims, cue_of, sources = _claims_with_cues(d["regions"], d["relations"], roles)
        gold = {(x.from_id, x.to_id) for x in d["relations"] if x.label == roles.claim_source}
        for c in claims:
            if not any(f == c.id for f, _ in gold):
                continue
            for s in sources:
                xs.append(pair_features(d["text"], c, cue_of.get(c.id), s, sources, roles))
                ys.append(float((c.id, s.id) in gold))
                groups.append(g)
            g += 1
    return np.array(xs), np.array(ys), groups


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 0.01, steps: int = 3000, lr: float = 0.5) -> np.ndarray:
    """Plain batch gradient descent on the L2-regularized log loss (deterministic)."""
    w = np.zeros(x.shape[1])
    pos = max(y.sum(), 1.0)
    weight = np.where(y > 0, (len(y) - pos) / pos, 1.0)  # balance the rare positives
    weight = weight / weight.mean()
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ ((p - y) * weight) / len(y) + l2 * np.r_[0.0, w[1:]]
        w -= lr * grad
    return w


def group_accuracy(w: np.ndarray, x: np.ndarray, y: np.ndarray, groups: list[int]) -> float:
    scores = x @ w
    best: dict[int, tuple[float, float]] = {}
    for s, label, g in zip(scores, y, groups):
        if g not in best or s > best[g][0]:
            best[g] = (s, label)
    return round(sum(v for _, v in best.values()) / max(len(best), 1), 4)


def train_linker(out: str | Path = DEFAULT_LINKER, threshold: float = 0.5) -> dict:
    from annotation.corpora.documents import read_corpus

    # read here, not through training.evaluate.gold_eval (which loads predictors, this one among them)
    train, dev = ([{"text": d.text, "regions": d.regions, "relations": d.relations}
                   for d in read_corpus("nisba-gold", split=s).documents] for s in ("train", "dev"))
    x, y, groups = training_pairs(train)
    w = fit_logistic(x, y)
    xd, yd, gd = training_pairs(dev)
    data = {"format_version": LINKER_FORMAT_VERSION, "trained_on": "nisba-gold train",
            "features": list(FEATURES), "weights": [round(float(v), 6) for v in w], "threshold": threshold,
            "figures": {"train_pairs": int(len(y)), "train_positives": int(y.sum()),
                        "train_group_accuracy": group_accuracy(w, x, y, groups),
                        "dev_group_accuracy": group_accuracy(w, xd, yd, gd) if len(yd) else None}}
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="fit on nisba-gold train and write --out")
    ap.add_argument("--out", type=Path, default=DEFAULT_LINKER)
    ap.add_argument("--threshold", type=float, default=0.5)
    args = ap.parse_args(argv)
    if args.train:
        print(json.dumps(train_linker(args.out, args.threshold)["figures"]))


if __name__ == "__main__":
    main()
