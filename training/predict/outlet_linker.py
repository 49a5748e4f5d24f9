"""A learned check on the rules' source -> outlet links (reported_via).

The rules give a SOURCE its outlet where their statement reads one ("قال X لوكالة فرانس برس"، "في
بيان نشرته وكالة ..."، "وفقا لموقع ..."), and carry it to the speaker's later mentions; elsewhere
they give none (nisba-gold train: reported_via recall 0.39 at precision 0.74). This scorer looks,
for every SOURCE a claim is attributed to, at every outlet the rules can read in the statement's
window (``outlet_window``: from the sentence where the source, cue or claim starts to the end of
the sentence after the claim's; the candidates are ``RulesPredictor.outlet_mentions``: after لـ,
near an interview or statement noun, after an according-to connective, a known outlet's alias,
each with and without its head word وكالة، صحيفة، قناة ...) and scores each pair with a logistic
regression over sparse features (``outlet_features``): where the outlet stands (before the source,
between source and claim, inside or after the claim), the readings that find it and the word
before it, crossed; the words between it and the source (log); whether it is right after the
source or the cue; the cue; whether the rules chose it; its first word and length.

A candidate is right when it is the reported_via of the gold SOURCE with the same span, as
nisba-gold's reported_via F1 counts it.

``OutletLinker.decide``, per SOURCE:

- the rules gave an outlet and the scorer puts it below ``keep``: dropped;
- the scorer's best at or above ``override`` and not the rules' outlet: the best replaces it;
- the rules gave none and the scorer's best reaches ``add``: the best is added;
- otherwise the rules' decision stands.

The regularization and the three thresholds are chosen by 5-fold cross-validation on nisba-gold
train (by article index) on reported_via F1; ``training.predict.linker.train_linker`` fits it beside
the claim -> source scorer and stores it in ``configs/linker.json`` (``"outlet"``); dev is a
held-out check. Inference is a dot product over the named weights.

Not handled here: the claim -> source links (training/predict/linker.py), where outlets are read
(the rules, training/predict/rules/predictor.py).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from typing import Callable

import numpy as np

from annotation.convert.regions import Region, Relation, region_id
from annotation.schema.schema import Roles, default_roles
from annotation.text.arabic import normalize
from annotation.text.sentences import sentence_bounds

GRID_KEEP = (0.0, 0.1, 0.2)
GRID_ADD = (0.15, 0.2, 0.25, 0.3, 0.4, 0.5, None)  # None: never adds an outlet the rules did not read
GRID_OVERRIDE = (0.8, 0.9, None)  # None: never replaces the rules' outlet
SALT = "linker"
WORD = re.compile(r"\w+")
MARK_BEFORE = re.compile(r"[«\"“(]")
APPOSED = re.compile(r"[\s(\[«\"“,،]*")  # only marks or a comma between a source and a name after it: its alias ("X (سانا)"، "X، سانا")


def _words(text: str) -> int:
    return len(WORD.findall(text))


def logistic_scores(weights: dict[str, float], bias: float, features: list[dict[str, float]]) -> np.ndarray:
    """The probability of each candidate under a logistic regression stored as named weights and a
    bias (this scorer's and the claim linker's, training/predict/linker.py)."""
    logits = [bias + sum(weights.get(k, 0.0) * v for k, v in f.items()) for f in features]
    return 1.0 / (1.0 + np.exp(-np.array(logits, dtype=np.float64)))


def outlet_window(text: str, source: Region, claim: Region, cue: Region | None) -> tuple[int, int]:
    """(start, end) of the text a source's outlet is looked for in: from the start of the sentence
    where the source, the cue or the claim starts to the end of the sentence after the claim's."""
    lo = sentence_bounds(text, min([source.start, claim.start] + ([cue.start] if cue else [])))[0]
    end = sentence_bounds(text, max(claim.start, claim.end - 1))[1]
    nxt = end + 1
    while nxt < len(text) and text[nxt].isspace():
        nxt += 1
    return lo, (sentence_bounds(text, nxt)[1] if nxt < len(text) else end)


def outlet_features(text: str, source: Region, claim: Region, cue: Region | None, span: tuple[int, int],
                    kinds: frozenset[str] | set[str], rules_outlet: bool) -> dict[str, float]:
    """The named features of ``span`` (read by ``kinds``) as the outlet of ``source``, which speaks
    ``claim`` through ``cue``; ``rules_outlet``: the rules gave it."""
    s, e = span
    pos = ("before_source" if e <= source.start else "source_to_claim" if e <= claim.start
           else "in_claim" if s < claim.end else "after_claim")
    before = normalize(text[max(0, s - 20):s]).split()
    prev = before[-1] if before else "<s>"
    gap = _words(text[min(e, source.end):max(s, source.start)])
    words = normalize(text[s:e]).split() or [""]
    cue_word = normalize(cue.text) if cue else "<none>"
    f = {f"pos={pos}": 1.0, f"prev={prev}": 1.0, f"prev_pos={prev}|{pos}": 1.0, "log_gap": math.log1p(gap),
         "same_sentence": float(sentence_bounds(text, s) == sentence_bounds(text, (cue or claim).start)),
         f"first={words[0]}": 1.0, f"len={min(len(words), 5)}": 1.0, "rules": float(rules_outlet),
         f"rules_pos={rules_outlet}|{pos}": 1.0, f"cue={cue_word}": 1.0,
         "marked": float(bool(MARK_BEFORE.search(text[max(0, s - 2):s]))),
         "after_source": float(s >= source.end and _words(text[source.end:s]) <= 3)}
    if cue is not None and s >= cue.end:
        f["after_cue"] = float(_words(text[cue.end:s]) <= 3)
    for kind in kinds:
        f[f"kind={kind}"] = 1.0
        f[f"kind_pos={kind}|{pos}"] = 1.0
    return f


def outlet_groups(text: str, regions: list[Region], relations: list[Relation],
                  mentions: dict[tuple[int, int], set[str]], roles: Roles | None = None) -> list[dict]:
    """One group per SOURCE a CLAIM is attributed to (its first claim in the text): {source,
    candidates [(span, kinds)], rules_outlet (the rules' outlet region or None), rules (its span or
    None), features}."""
    roles = roles or default_roles()
    by_id = {r.id: r for r in regions}
    cue_of = {x.to_id: by_id[x.from_id] for x in relations if x.label == roles.cue_claim and x.from_id in by_id}
    via_of = {x.from_id: by_id[x.to_id] for x in relations if x.label == roles.source_outlet and x.to_id in by_id}
    claim_of: dict[str, Region] = {}
    for x in relations:
        if x.label == roles.claim_source and x.from_id in by_id and x.to_id in by_id:
            claim = by_id[x.from_id]
            if x.to_id not in claim_of or claim.start < claim_of[x.to_id].start:
                claim_of[x.to_id] = claim
    groups = []
    for source_id, claim in sorted(claim_of.items(), key=lambda kv: by_id[kv[0]].start):
        source, cue = by_id[source_id], cue_of.get(claim.id)
        lo, hi = outlet_window(text, source, claim, cue)
        rules_outlet = via_of.get(source_id)
        rules = (rules_outlet.start, rules_outlet.end) if rules_outlet else None
        cands = {span: set(kinds) for span, kinds in mentions.items()
                 if lo <= span[0] and span[1] <= hi and not (span[0] < source.end and source.start < span[1])
                 and not (span[0] >= source.end and APPOSED.fullmatch(text, source.end, span[0]))}
        if rules is not None:
            cands.setdefault(rules, set()).add("rules")
        rows = sorted(cands.items())
        groups.append({"source": source, "candidates": rows, "rules_outlet": rules_outlet, "rules": rules,
                       "features": [outlet_features(text, source, claim, cue, span, kinds, span == rules)
                                    for span, kinds in rows]})
    return groups


class OutletLinker:
    """The outlet scorer and its thresholds (see the module docstring)."""

    def __init__(self, weights: dict[str, float], bias: float, keep: float, add: float | None,
                 override: float | None, roles: Roles | None = None):
        self.weights = {str(k): float(v) for k, v in weights.items()}
        self.bias, self.keep = float(bias), float(keep)
        self.add = None if add is None else float(add)
        self.override = None if override is None else float(override)
        self.roles = roles or default_roles()

    @classmethod
    def from_dict(cls, data: dict, roles: Roles | None = None) -> "OutletLinker":
        return cls(data["weights"], data["bias"], data["keep"], data["add"], data["override"], roles)

    def to_dict(self) -> dict:
        return {"bias": self.bias, "keep": self.keep, "add": self.add, "override": self.override,
                "weights": dict(sorted(self.weights.items()))}

    def scores(self, features: list[dict[str, float]]) -> np.ndarray:
        return logistic_scores(self.weights, self.bias, features)

    def decide(self, probs: np.ndarray, spans: list[tuple[int, int]], rules: tuple[int, int] | None
               ) -> tuple[tuple[int, int] | None, str]:
        """(the outlet's span or None, which rule decided) given the candidates' probabilities."""
        if not len(probs):
            return rules, "none"
        best = int(np.argmax(probs))
        if rules is not None:
            if self.override is not None and probs[best] >= self.override and spans[best] != rules:
                return spans[best], "replaced"
            if probs[spans.index(rules)] < self.keep:
                return None, "dropped"
            return rules, "kept"
        if self.add is not None and probs[best] >= self.add:
            return spans[best], "added"
        return None, "none"

    def relink(self, text: str, regions: list[Region], relations: list[Relation],
               mentions: dict[tuple[int, int], set[str]], stats: Counter | None = None
               ) -> tuple[list[Relation], list[Region]]:
        """The relations with the reported_via of every attributed SOURCE decided, and the outlet
        regions (``roles.outlet``) a decision names that ``regions`` lack."""
        roles = self.roles
        groups = outlet_groups(text, regions, relations, mentions, roles)
        decided = {g["source"].id for g in groups}
        out = [x for x in relations if not (x.label == roles.source_outlet and x.from_id in decided)]
        layer, label = roles.outlet
        by_span = {(r.start, r.end): r for r in regions if (r.layer, r.label) == (layer, label)}
        added: dict[str, Region] = {}
        for g in groups:
            spans = [span for span, _ in g["candidates"]]
            span, kind = self.decide(self.scores(g["features"]), spans, g["rules"])
            if stats is not None:
                stats[f"outlet_{kind}"] += 1
            if span is None:
                continue
            target = g["rules_outlet"] if span == g["rules"] else None
            if target is None:
                target = by_span.get(span) or added.get(region_id(layer, label, *span, SALT))
            if target is None:
                target = Region(region_id(layer, label, *span, SALT), layer, label, *span, text[span[0]:span[1]], {}, 0.5)
                added[target.id] = target
            out.append(Relation(g["source"].id, target.id, roles.source_outlet))
        return out, sorted(added.values(), key=lambda r: (r.start, r.end))


# --- training ------------------------------------------------------------------------------------

def labelled_groups(docs: list[dict], preds: list, mentions: list[dict], roles: Roles | None = None) -> tuple[list[dict], list[int]]:
    """The outlet groups of the predictions ``preds`` of gold documents {text, regions, relations},
    each with ``doc`` and ``labels`` (its candidate is the reported_via of the gold SOURCE with the
    same span); and per document the number of gold (source, outlet) pairs."""
    from training.evaluate.attribution_metrics import _pairs

    roles = roles or default_roles()
    groups, gold_counts = [], []
    for n, (d, p, m) in enumerate(zip(docs, preds, mentions)):
        gold = defaultdict(set)
        for x in _pairs(d["regions"], d["relations"], roles):
            if x["via"]:
                gold[(x["source"].start, x["source"].end)].add((x["via"].start, x["via"].end))
        gold_counts.append(sum(len(v) for v in gold.values()))
        for g in outlet_groups(d["text"], p.regions, p.relations, m, roles):
            right = gold.get((g["source"].start, g["source"].end), set())
            groups.append(g | {"doc": n, "labels": [float(span in right) for span, _ in g["candidates"]]})
    return groups, gold_counts


def outlet_f1(groups: list[dict], probs: list[np.ndarray], n_gold: int, linker: OutletLinker) -> float:
    """reported_via F1 of the groups' decisions (``linker``'s thresholds on ``probs``)."""
    tp = n_pred = 0
    for g, p in zip(groups, probs):
        spans = [span for span, _ in g["candidates"]]
        span, _ = linker.decide(p, spans, g["rules"])
        if span is not None:
            n_pred += 1
            tp += int(g["labels"][spans.index(span)]) if span in spans else 0
    return round(2 * tp / (n_pred + n_gold), 4) if n_pred + n_gold else 0.0


def train_outlets(groups: list[dict], gold_counts: list[int], grid_c: tuple[float, ...],
                  fit_scorer: Callable[[list[dict], float], tuple[dict[str, float], float]],
                  folds: int = 5) -> tuple[OutletLinker, dict]:
    """Fit the scorer on ``groups`` with ``fit_scorer(groups, C) -> (weights, bias)`` (the claim linker's
    logistic regression, training/predict/linker.py), its C and thresholds chosen by ``folds``-fold
    cross-validation (by document index) on reported_via F1: (the linker, the cross-validated F1 of
    the rules' own outlets and of the linker's)."""
    settings = [(k, a, o) for k in GRID_KEEP for a in GRID_ADD for o in GRID_OVERRIDE]
    totals: dict[tuple, list[np.ndarray]] = {}
    for c in grid_c:
        probs: list[np.ndarray | None] = [None] * len(groups)
        for f in range(folds):
            weights, bias = fit_scorer([g for g in groups if g["doc"] % folds != f and g["features"]], c)
            scorer = OutletLinker(weights, bias, 0.0, None, None)
            for i, g in enumerate(groups):
                if g["doc"] % folds == f:
                    probs[i] = scorer.scores(g["features"]) if g["features"] else np.zeros(0)
        totals[c] = probs
    n_gold = sum(gold_counts)
    cv = {(c, *s): outlet_f1(groups, totals[c], n_gold, OutletLinker({}, 0.0, *s)) for c in grid_c for s in settings}
    best = max(cv, key=lambda k: (cv[k], k[2] is None, k[3] is None))
    weights, bias = fit_scorer([g for g in groups if g["features"]], best[0])
    rules_only = cv[(best[0], 0.0, None, None)]
    return OutletLinker(weights, bias, *best[1:]), {"C": best[0], "cv_reported_via_f1": {"rules": rules_only, "learned": cv[best]}}
