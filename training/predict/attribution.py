"""Learned attribution: a pair scorer over the encoder's span representations, rules as fallback.

Once the token heads predict CLAIM, SOURCE and CUE spans, this module links them:

- ``attributed_to`` CLAIM -> SOURCE: every claims SOURCE span of the document is a candidate
  (the ``MAX_CANDIDATES`` nearest); the scorer gives each pair a probability and the best is
  linked when its probability reaches ``threshold``. Below it the rules decide
  (training/predict/rules/predictor.py on the same text: the source the rules link to the rules' CLAIM that
  overlaps this one most); when the rules have no link either, the model's best is kept (a
  claim always has a source in this schema).
- ``reported_via`` SOURCE -> outlet (an entities ORG or another claims SOURCE): the best
  candidate is linked when its probability reaches ``threshold``; otherwise the rules' link
  for a SOURCE of the same span is taken, if any ("no outlet" is the usual answer). A relation
  never seen in training (no gold pair) is left to the rules entirely.
- ``cue`` CUE -> CLAIM: by rule, the nearest CUE before the claim in the same sentence, else
  the nearest after it in the same sentence (حسبما), else the rules' cue.

A span's representation is the mean of the encoder's last hidden states over its subwords
concatenated with its first subword's state (2H). A pair's features are ``[a, b, a*b,
distance-bucket embedding, order flag]`` (distance in words between the spans, bucketed by
powers of two; the flag is 1 when b comes before a); a two-layer MLP per relation gives a
logit, trained with binary cross-entropy on gold pairs (positives: gold relations;
negatives: the other candidates of the same document, nearest first, up to
``attribution.max_negatives``; a candidate with the gold source's canonical source_id is not
a negative). The encoder is frozen while the scorer trains: the vectors are computed once.

Choices on the output: a SOURCE takes the rules' choices for the same span, else the
sources.yaml link (source_id, "other" when unknown; source_type); a CLAIM takes the stance of
the rules' CLAIM that overlaps it most, else "asserted".

Files: ``attribution_head.pt`` in the model directory (``torch.save`` of ``{"format_version",
"config", "state_dict"}``) and ``nisba.json["attribution"]`` (format_version, file, sha256,
threshold, relations trained, training figures).

Not handled here: nested attribution beyond pairwise scores, cue scoring by a model, and
event-argument relations (the rules give those; the learned predictor leaves them out).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import numpy as np
import torch
from torch import nn

from annotation.errors import NisbaError
from annotation.convert.regions import Region, Relation
from annotation.schema.schema import Roles, default_roles

ATTRIBUTION_FORMAT_VERSION = 1
HEAD_FILE = "attribution_head.pt"


def scored_relations(roles: Roles) -> tuple[str, ...]:
    """The relations the pair scorer links, as the schema names them: claim -> source, source -> outlet."""
    return tuple(r for r in (roles.claim_source, roles.source_outlet) if r is not None)


# configs/schema.yaml's (what training/train/attribution.py trains on); a saved head's modules are named by them
RELATIONS = scored_relations(default_roles())
BUCKET_EDGES = (1, 2, 3, 5, 9, 17, 33, 65)  # gap in words: 0 | 1 | 2 | 3-4 | 5-8 | ... | 65+
MAX_CANDIDATES = 32
SENTENCE_BREAK = re.compile(r"[.؟!?\n]")
DISTANCE_DIM = 16


# --- span and pair features ------------------------------------------------------------------

@dataclass
class WordVectors:
    """Per word of a document: its first subword's hidden state, the sum over its subwords, the count."""

    first: np.ndarray  # (n_words, H)
    total: np.ndarray  # (n_words, H)
    count: np.ndarray  # (n_words,)

    @classmethod
    def empty(cls, n_words: int, hidden: int) -> "WordVectors":
        return cls(np.zeros((n_words, hidden), np.float32), np.zeros((n_words, hidden), np.float32),
                   np.zeros(n_words, np.float32))


def distance_bucket(gap_words: int) -> int:
    return sum(gap_words >= edge for edge in BUCKET_EDGES)


def span_words(offsets: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """(first, last) index of the words that overlap [start, end), or None."""
    idx = [k for k, (s, e) in enumerate(offsets) if s < end and e > start]
    return (idx[0], idx[-1]) if idx else None


def span_vector(vec: WordVectors, words: tuple[int, int]) -> np.ndarray:
    a, z = words
    n = float(vec.count[a:z + 1].sum())
    mean = vec.total[a:z + 1].sum(axis=0) / max(n, 1.0)
    return np.concatenate([mean, vec.first[a]]).astype(np.float32)


def pair_geometry(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    """(distance bucket, order flag) of span b relative to span a, both as word ranges."""
    if b[1] < a[0]:
        return distance_bucket(a[0] - b[1] - 1), 1
    if b[0] > a[1]:
        return distance_bucket(b[0] - a[1] - 1), 0
    return 0, int(b[0] < a[0])


class PairScorer(nn.Module):
    """One MLP per relation over [a, b, a*b, distance embedding, order] -> a logit."""

    def __init__(self, span_dim: int, hidden_size: int = 128, dropout: float = 0.1,
                 relations: tuple[str, ...] = RELATIONS):
        super().__init__()
        self.span_dim, self.hidden_size = span_dim, hidden_size
        n_buckets = len(BUCKET_EDGES) + 1
        self.distance = nn.ModuleDict({r: nn.Embedding(n_buckets, DISTANCE_DIM) for r in relations})
        self.mlp = nn.ModuleDict({r: nn.Sequential(
            nn.Linear(3 * span_dim + DISTANCE_DIM + 1, hidden_size), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden_size, 1)) for r in relations})

    def forward(self, relation: str, a, b, bucket, order):
        x = torch.cat([a, b, a * b, self.distance[relation](bucket), order.unsqueeze(-1).float()], dim=-1)
        return self.mlp[relation](x).squeeze(-1)

    def probabilities(self, relation: str, a: np.ndarray, b: np.ndarray, geometry: list[tuple[int, int]]) -> np.ndarray:
        """Pair probabilities for one a against the rows of b."""
        if not len(b):
            return np.zeros(0, np.float32)
        self.eval()
        with torch.inference_mode():
            bt = torch.from_numpy(np.asarray(b, np.float32))
            at = torch.from_numpy(np.asarray(a, np.float32)).unsqueeze(0).expand_as(bt)
            g = torch.tensor(geometry, dtype=torch.long)
            return torch.sigmoid(self(relation, at, bt, g[:, 0], g[:, 1])).numpy()


# --- candidates --------------------------------------------------------------------------------

def _nearest(anchor: tuple[int, int], spans: list[tuple[int, int]], limit: int) -> list[int]:
    def gap(s):
        return max(s[0] - anchor[1], anchor[0] - s[1], 0)
    return sorted(range(len(spans)), key=lambda i: (gap(spans[i]), spans[i]))[:limit]


# --- the linker used by the predictor ----------------------------------------------------------

class AttributionModel:
    """A trained PairScorer plus a fallback linker, linking predicted claims-layer regions.

    ``fallback`` builds, when first needed, the linker used below the threshold: any object
    whose ``annotate(text)`` returns ``(regions, relations)`` (the rules, given by
    training/predict/load.py). It is injected so that this module names no predictor.
    """

    def __init__(self, scorer: PairScorer, threshold: float, trained: list[str], schema=None, *,
                 fallback: Callable[[], object]):
        self.scorer, self.threshold, self.trained = scorer, float(threshold), list(trained)
        self.schema = schema
        self.roles = schema.roles if schema is not None else default_roles()
        self._fallback = fallback
        self._rules = None
        self._sources = None
        self.stats: Counter = Counter()  # how links were decided, for reports

    @property
    def rules(self):
        """The fallback linker, built once."""
        if self._rules is None:
            self._rules = self._fallback()
        return self._rules

    def best(self, relation: str, text: str, offsets, vectors: WordVectors, a: Region,
             candidates: list[Region]) -> tuple[Region | None, float]:
        """The highest-scoring candidate for ``a`` and its probability (None, 0.0 without candidates)."""
        wa = span_words(offsets, a.start, a.end)
        usable = [(c, span_words(offsets, c.start, c.end)) for c in candidates if c.id != a.id]
        usable = [(c, w) for c, w in usable if w is not None]
        if wa is None or not usable:
            return None, 0.0
        keep = _nearest((a.start, a.end), [(c.start, c.end) for c, _ in usable], MAX_CANDIDATES)
        usable = [usable[i] for i in keep]
        b = np.stack([span_vector(vectors, w) for _, w in usable])
        probs = self.scorer.probabilities(relation, span_vector(vectors, wa), b, [pair_geometry(wa, w) for _, w in usable])
        k = int(np.argmax(probs))
        return usable[k][0], float(probs[k])

    def link(self, text: str, offsets, vectors: WordVectors, regions: list[Region]) -> tuple[list[Region], list[Relation]]:
        """Regions (rules' regions added where a fallback link needs one, choices filled) and relations."""
        roles = self.roles
        attributed_to, reported_via, stance = roles.claim_source, roles.source_outlet, roles.stance
        if not any(r.layer == roles.claims for r in regions):
            return regions, []
        r_regions, r_relations = self.rules.annotate(text)
        r_by_id = {r.id: r for r in r_regions}
        out = {r.id: r for r in regions}
        by_span = {(r.layer, r.label, r.start, r.end): r.id for r in regions}
        relations: list[Relation] = []

        def adopt(rr: Region) -> str:
            """The id of our region with the rules region's span, adding the rules region when there is none."""
            key = (rr.layer, rr.label, rr.start, rr.end)
            if key not in by_span:
                out[rr.id] = rr
                by_span[key] = rr.id
            return by_span[key]

        def relate(a: str, b: str, label: str | None) -> None:
            if label is None:
                return
            rel = Relation(a, b, label)
            if rel not in relations:
                relations.append(rel)

        r_claims = [r for r in r_regions if roles.is_(r, "claim")]

        def rules_claim(c: Region) -> Region | None:
            overlap = [(min(c.end, r.end) - max(c.start, r.start), r) for r in r_claims]
            overlap = [(o, r) for o, r in overlap if o > 0]
            return max(overlap, key=lambda x: x[0])[1] if overlap else None

        def rules_target(from_id: str, label: str) -> Region | None:
            return next((r_by_id[x.to_id] for x in r_relations if x.label == label and x.from_id == from_id
                         and x.to_id in r_by_id), None)

        claims = sorted((r for r in regions if roles.is_(r, "claim")), key=lambda r: r.start)
        cues = [r for r in regions if (r.layer, r.label) == roles.cue]
        for c in claims:
            sources = [r for r in out.values() if roles.is_(r, "source")]
            best, p = self.best(attributed_to, text, offsets, vectors, c, sources) if attributed_to else (None, 0.0)
            rc = rules_claim(c)
            if best is not None and p >= self.threshold:
                relate(c.id, best.id, attributed_to)
                self.stats[f"{attributed_to}:model"] += 1
            else:
                target = rules_target(rc.id, attributed_to) if rc else None
                if target is not None:
                    relate(c.id, adopt(target), attributed_to)
                    self.stats[f"{attributed_to}:rules"] += 1
                elif best is not None:
                    relate(c.id, best.id, attributed_to)
                    self.stats[f"{attributed_to}:model_below_threshold"] += 1
                else:
                    self.stats[f"{attributed_to}:none"] += 1
            cue = self._cue_for(text, c, cues)
            if cue is None and rc is not None:
                r_cue = next((r_by_id[x.from_id] for x in r_relations if x.label == roles.cue_claim and x.to_id == rc.id
                              and x.from_id in r_by_id), None)
                cue = out[adopt(r_cue)] if r_cue is not None else None
            if cue is not None:
                relate(cue.id, c.id, roles.cue_claim)
            if stance is not None and rc is not None and rc.choices.get(stance):
                out[c.id] = replace(out[c.id], choices={**out[c.id].choices, stance: rc.choices[stance]})
            elif stance is not None and stance not in out[c.id].choices:
                out[c.id] = replace(out[c.id], choices={**out[c.id].choices, stance: "asserted"})

        r_sources = {(r.start, r.end): r for r in r_regions if roles.is_(r, "source")}
        for s in sorted((r for r in out.values() if roles.is_(r, "source")), key=lambda r: r.start):
            rs = r_sources.get((s.start, s.end))
            if rs is not None:
                out[s.id] = replace(s, choices={**rs.choices, **s.choices})
            elif not s.choices:
                out[s.id] = replace(s, choices=self._source_choices(s.text))
            target = None
            if reported_via is not None and reported_via in self.trained:
                pool = [r for r in out.values() if roles.is_(r, "outlet") or roles.is_(r, "source")]
                best, p = self.best(reported_via, text, offsets, vectors, s, pool)
                if best is not None and p >= self.threshold:
                    target = best.id
                    self.stats[f"{reported_via}:model"] += 1
            if target is None and rs is not None and reported_via is not None:
                rt = rules_target(rs.id, reported_via)
                if rt is not None:
                    target = adopt(rt)
                    self.stats[f"{reported_via}:rules"] += 1
            if target is not None:
                relate(s.id, target, reported_via)
        keep = {x for rel in relations for x in (rel.from_id, rel.to_id)} | {r.id for r in regions}
        final = sorted((r for r in out.values() if r.id in keep), key=lambda r: (r.start, r.end, r.layer, r.label))
        return final, relations

    @staticmethod
    def _cue_for(text: str, claim: Region, cues: list[Region]) -> Region | None:
        before = [c for c in cues if c.end <= claim.start and not SENTENCE_BREAK.search(text[c.end:claim.start])]
        if before:
            return max(before, key=lambda c: c.end)
        after = [c for c in cues if c.start >= claim.end and not SENTENCE_BREAK.search(text[claim.end:c.start])]
        return min(after, key=lambda c: c.start) if after else None

    def _source_choices(self, text: str) -> dict:
        if self._sources is None:
            from training.predict.rules.sources import SourceIndex

            self._sources = SourceIndex.load()
        linked = self._sources.link(text)
        roles = self.roles
        choices = {roles.source_id: linked.id if linked else "other"} if roles.source_id else {}
        if linked and linked.type and roles.source_type:
            choices[roles.source_type] = linked.type
        return choices


# --- loading ------------------------------------------------------------------------------------

def load_attribution(model_dir, entry: dict, schema=None, *, fallback: Callable[[], object]) -> AttributionModel:
    """The AttributionModel described by ``nisba.json["attribution"]``; ``fallback`` as in AttributionModel."""
    path = Path(model_dir) / entry.get("file", HEAD_FILE)
    if entry.get("format_version") != ATTRIBUTION_FORMAT_VERSION:
        raise NisbaError(f"{model_dir}/nisba.json: attribution format_version {entry.get('format_version')!r}; "
                         f"this nisba reads {ATTRIBUTION_FORMAT_VERSION}")
    if not path.is_file():
        raise NisbaError(f"{path}: the attribution head named in nisba.json is missing; retrain the model")
    saved = torch.load(path, map_location="cpu", weights_only=True)
    if saved.get("format_version") != ATTRIBUTION_FORMAT_VERSION:
        raise NisbaError(f"{path}: format_version {saved.get('format_version')!r}; this nisba reads {ATTRIBUTION_FORMAT_VERSION}")
    roles = schema.roles if schema is not None else default_roles()
    scorer = PairScorer(int(saved["config"]["span_dim"]), int(saved["config"]["hidden_size"]),
                        relations=scored_relations(roles))
    scorer.load_state_dict(saved["state_dict"])
    scorer.eval()
    return AttributionModel(scorer, entry.get("threshold", 0.5), entry.get("relations_trained", []), schema,
                            fallback=fallback)
