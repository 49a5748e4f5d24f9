"""A learned check on the rules' claim -> source links, and its combination with the rules.

The rules link each CLAIM to the SOURCE its cue names (or to the speaker named before). A pair
scorer, trained on what the rules themselves predict on nisba-gold train, scores every (CLAIM,
candidate SOURCE) pair of an article: a logistic regression over sparse features
(``pair_features``):

- geometry: the source before the claim, in the cue's sentence or paragraph, right after the cue,
  the words between (log), the sources nearer the cue, the nearest before it, its length;
- the rules' own decision: whether the rules linked this source, how many they linked;
- words: the cue (without و/ف), the source's first, last and preceding word, its type and
  whether it is a known canonical source, where it stands (after the cue, before it, after the
  claim), crossed with the cue and with the rules' decision;
- the claim: its length (bucket), its first word, the word that introduces it (إن، أن، :), marks.

A candidate is right when it is the gold source of a gold claim the rules' claim matches (token
overlap F1 >= 0.5; the same span, or the same canonical id), as nisba-gold's pair F1 counts it.

``PairLinker.relink`` (``--model rules+linker``), per CLAIM the rules linked:

- the scorer's best candidate below ``keep``: the claim's link is dropped (the rules were wrong
  more often than right there);
- its best at or above ``override`` and not the rules' choice: the model's choice replaces it;
- otherwise the rules' link is kept (the fallback).

``keep``, ``override`` and the regularization are chosen by 5-fold cross-validation on nisba-gold
train (articles split by index), on the pair F1 the folds' held-out articles get; dev is then a
held-out check (``figures`` in the file). ``--model linker`` always takes the scorer's best, for
comparison.

``train_linker()`` (``python -m training.predict.linker --train``) writes ``configs/linker.json``
(format_version, the rules' version it was trained on, weights by feature name, keep, override,
figures). Inference needs no scikit-learn: a dot product over the named weights.

The file also holds the source -> outlet scorer (``"outlet"``, training/predict/outlet_linker.py):
``relink`` then decides every attributed source's reported_via among the outlets the rules can read
(``RulesPredictor.outlet_mentions``, passed as ``mentions``).

Not handled here: spans (the rules, training/predict/tagger.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

from annotation.convert.regions import Region, Relation
from annotation.errors import NisbaError
from annotation.json_files import read_versioned_json
from annotation.schema.schema import CONFIGS_DIR, Roles, default_roles
from annotation.text.arabic import normalize
from annotation.text.sentences import sentence_bounds
from training.predict.base import PredictionResult
from training.predict.outlet_linker import OutletLinker, labelled_groups, logistic_scores, outlet_f1, train_outlets

LINKER_FORMAT_VERSION = 2
DEFAULT_LINKER = CONFIGS_DIR / "linker.json"
MIN_FEATURE_COUNT = 3
FOLDS = 5
GRID_C = (0.3, 1.0)
GRID_KEEP = (0.0, 0.1, 0.2, 0.3, 0.4)
GRID_OVERRIDE = (0.9, 0.97, None)  # None: the model never replaces the rules' choice
WORD = re.compile(r"\w+")
QUOTE_BEFORE = re.compile(r"[«\"“]")


def _words(text: str) -> int:
    return len(WORD.findall(text))


def _bare(word: str) -> str:
    return word[1:] if word[:1] in "وف" and len(word) > 2 else word


def pair_features(text: str, claim: Region, cue: Region | None, source: Region, sources: list[Region],
                  linked: set[str], roles: Roles | None = None) -> dict[str, float]:
    """The named features of linking ``claim`` (with ``cue``) to ``source`` among the article's
    ``sources``, ``linked`` being the ids of the sources the rules linked the claim to."""
    roles = roles or default_roles()
    anchor = cue or claim
    sent = sentence_bounds(text, anchor.start)
    para_end = text.find("\n", anchor.start)
    para = (text.rfind("\n", 0, anchor.start) + 1, len(text) if para_end < 0 else para_end)
    if source.end <= anchor.start:
        gap = _words(text[source.end:anchor.start])
    elif source.start >= anchor.end:
        gap = _words(text[anchor.end:source.start])
    else:
        gap = 0

    def dist(r: Region) -> int:
        return max(r.start - anchor.end, anchor.start - r.end, 0)

    d = dist(source)
    before = [r for r in sources if r.end <= anchor.start]
    ruled = source.id in linked
    pos = ("after_cue" if anchor.end <= source.start < claim.start else "before_cue" if source.end <= anchor.start
           else "after_claim" if source.start >= claim.end else "inside")
    cue_word = _bare(normalize(cue.text)) if cue else "<none>"
    words = normalize(source.text).split() or [""]
    prev = normalize(text[max(0, source.start - 25):source.start]).split()
    claim_words = normalize(claim.text).split() or [""]
    between = normalize(text[anchor.end:claim.start]).split()
    known = source.choices.get(roles.source_id, "other") not in ("", "other")
    return {
        "before": float(source.end <= claim.start), "same_sentence": float(sent[0] <= source.start < sent[1]),
        "same_paragraph": float(para[0] <= source.start < para[1]),
        "right_after_cue": float(cue is not None and source.start >= cue.end and gap <= 3),
        "log_gap_words": math.log1p(gap), "nearer_sources": math.log1p(sum(1 for r in sources if r.id != source.id
                                                                           and dist(r) < d)),
        "nearest_before": float(bool(before) and max(before, key=lambda r: r.end).id == source.id),
        "known": float(known), "log_len": math.log1p(_words(source.text)),
        "rules_link": float(ruled), f"rules_linked={min(len(linked), 3)}": 1.0,
        f"pos={pos}": 1.0, f"pos_rules={pos}|{ruled}": 1.0, f"cue={cue_word}": 1.0, f"cue_pos={cue_word}|{pos}": 1.0,
        f"first={words[0]}": 1.0, f"last={words[-1]}": 1.0, f"prev={prev[-1] if prev else '<s>'}": 1.0,
        f"type={source.choices.get(roles.source_type, '')}": 1.0, f"len={min(len(words), 6)}": 1.0,
        f"claim_len={min(len(claim_words) // 4, 8)}": 1.0, f"claim_first={claim_words[0]}": 1.0,
        f"introducer={between[-1] if between else '<none>'}": 1.0,
        "quoted": float(bool(QUOTE_BEFORE.search(text[max(0, claim.start - 2):claim.start]))),
    }


def _claims_with_cues(regions: list[Region], relations: list[Relation], roles: Roles):
    by_id = {r.id: r for r in regions}
    cue_of = {x.to_id: by_id[x.from_id] for x in relations
              if roles.cue_claim is not None and x.label == roles.cue_claim and x.from_id in by_id}
    claims = [r for r in regions if roles.is_(r, "claim")]
    sources = [r for r in regions if roles.is_(r, "source")]
    return claims, cue_of, sources


def _links(relations: list[Relation], label: str) -> dict[str, list[str]]:
    linked: dict[str, list[str]] = defaultdict(list)
    for x in relations:
        if x.label == label:
            linked[x.from_id].append(x.to_id)
    return linked


class PairLinker:
    """The pair scorer and its thresholds; ``roles``: the schema's names (claims, sources, cues,
    attributed_to), configs/schema.yaml's by default."""

    def __init__(self, weights: dict[str, float], bias: float, keep: float, override: float | None,
                 meta: dict | None = None, roles: Roles | None = None, outlet: OutletLinker | None = None):
        self.weights = {str(k): float(v) for k, v in weights.items()}
        self.bias, self.keep = float(bias), float(keep)
        self.override = None if override is None else float(override)
        self.meta = meta or {}
        self.roles = roles or default_roles()
        self.outlet = outlet  # the source -> outlet scorer; None: the rules' outlets stand

    @classmethod
    def load(cls, path: str | Path = DEFAULT_LINKER, roles: Roles | None = None) -> "PairLinker":
        path = Path(path)
        if not path.is_file():
            raise NisbaError(f"{path}: no trained linker (train it: python -m training.predict.linker --train)")
        data = read_versioned_json(path, LINKER_FORMAT_VERSION, "retrain it: python -m training.predict.linker --train")
        missing = [k for k in ("weights", "bias", "keep", "override") if k not in data]
        if missing or not isinstance(data["weights"], dict):
            raise NisbaError(f"{path}: no {', '.join(missing) or 'weights by feature name'}; "
                             "retrain it: python -m training.predict.linker --train")
        outlet = OutletLinker.from_dict(data["outlet"], roles) if data.get("outlet") else None
        return cls(data["weights"], data["bias"], data["keep"], data["override"], data, roles, outlet)

    def fingerprint(self) -> str:
        outlet = self.outlet.to_dict() if self.outlet else None
        return hashlib.sha256(json.dumps([sorted(self.weights.items()), self.bias, self.keep, self.override, outlet],
                                         sort_keys=True).encode()).hexdigest()[:10]

    def probabilities(self, text: str, claim: Region, cue: Region | None, sources: list[Region],
                      linked: set[str] = frozenset()) -> np.ndarray:
        return self.scores([pair_features(text, claim, cue, s, sources, linked, self.roles) for s in sources])

    def scores(self, features: list[dict[str, float]]) -> np.ndarray:
        """The probability of each candidate, given its features."""
        return logistic_scores(self.weights, self.bias, features)

    def decide(self, probs: np.ndarray, source_ids: list[str], links: list[str],
               fallback: bool = True) -> tuple[list[str], str]:
        """(the source ids a claim is linked to, which rule decided) given its candidates'
        probabilities and the rules' links (see the module docstring)."""
        best = int(np.argmax(probs)) if len(probs) else None
        if not fallback:
            return ([source_ids[best]], "model") if best is not None else ([], "none")
        if not links or best is None:
            return links, "none"
        if probs[best] < self.keep:
            return [], "dropped"
        if self.override is not None and probs[best] >= self.override and source_ids[best] not in links:
            return [source_ids[best]], "model"
        return links, "fallback"

    def relink(self, text: str, regions: list[Region], relations: list[Relation], fallback: bool = True,
               stats: Counter | None = None, mentions: dict | None = None) -> tuple[list[Relation], list[Region]]:
        """The relations with each CLAIM's attributed_to decided as the module docstring says
        (``fallback=False``: the scorer's best, always) and, with an outlet scorer and the outlets
        the rules can read (``mentions``), each attributed source's reported_via; and the outlet
        regions those decisions add."""
        attributed_to = self.roles.claim_source
        claims, cue_of, sources = _claims_with_cues(regions, relations, self.roles)
        linked = _links(relations, attributed_to)
        out = [x for x in relations if x.label != attributed_to]
        for c in claims:
            links = linked.get(c.id, [])
            probs = self.probabilities(text, c, cue_of.get(c.id), sources, set(links))
            chosen, kind = self.decide(probs, [s.id for s in sources], links, fallback)
            out.extend(Relation(c.id, s, attributed_to) for s in chosen)
            if stats is not None:
                stats[kind] += 1
        if self.outlet is None or mentions is None:
            return out, []
        return self.outlet.relink(text, regions, out, mentions, stats)


class CombinedPredictor:
    """Spans from ``spans`` (the rules), claim -> source links checked by the PairLinker (see the module docstring)."""

    def __init__(self, spans, linker: PairLinker, fallback: bool = True, name: str = "rules+linker"):
        self.spans, self.linker, self.fallback = spans, linker, fallback
        self.model_version = f"{name}-" + hashlib.sha256(
            (spans.model_version + linker.fingerprint() + str(fallback)).encode()).hexdigest()[:10]
        self.schema_fingerprint = getattr(spans, "schema_fingerprint", "")
        self.stats: Counter = Counter()

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        out = []
        for text, res in zip(texts, self.spans.predict(texts, batch_size)):
            mentions = self.spans.outlet_mentions(text) if hasattr(self.spans, "outlet_mentions") else None
            relations, added = self.linker.relink(text, res.regions, res.relations, self.fallback, self.stats, mentions)
            regions = sorted(res.regions + added, key=lambda r: (r.start, r.end, r.layer, r.label)) if added else res.regions
            out.append(PredictionResult(regions, relations, res.score))
        return out


# --- training ------------------------------------------------------------------------------------

def candidate_groups(docs: list[dict], preds: list, roles: Roles | None = None) -> list[dict]:
    """One group per predicted CLAIM the rules linked, over gold documents {text, regions,
    relations} and the rules' predictions of their texts: the candidates' features and labels."""
    from annotation.text.tokens import pretokenize
    from training.evaluate.attribution_metrics import CLAIM_MATCH_F1, _overlap_f1, _pairs, _same_source, _tokens_in

    roles = roles or default_roles()
    groups = []
    for n, (d, p) in enumerate(zip(docs, preds)):
        text = d["text"]
        tokens = pretokenize(text)
        gold = _pairs(d["regions"], d["relations"], roles)
        claims, cue_of, sources = _claims_with_cues(p.regions, p.relations, roles)
        linked = _links(p.relations, roles.claim_source)
        for c in claims:
            if not sources or not linked.get(c.id):
                continue
            words = _tokens_in(tokens, c.start, c.end)
            right = [g["source"] for g in gold
                     if _overlap_f1(words, _tokens_in(tokens, g["claim"].start, g["claim"].end)) >= CLAIM_MATCH_F1]
            groups.append({"doc": n, "claim": c.id, "sources": [s.id for s in sources], "links": linked[c.id],
                           "features": [pair_features(text, c, cue_of.get(c.id), s, sources, set(linked[c.id]), roles)
                                        for s in sources],
                           "labels": [float(any(_same_source(g, s, roles) for g in right)) for s in sources]})
    return groups


def fit_scorer(groups: list[dict], c: float) -> tuple[dict[str, float], float]:
    """(weights by feature name, bias) of an L2 logistic regression (scikit-learn) over the groups'
    candidates; features seen fewer than ``MIN_FEATURE_COUNT`` times are left out."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for g in groups for f in g["features"] for k in f)
    kept = {k for k, n in counts.items() if n >= MIN_FEATURE_COUNT}
    vec = DictVectorizer()
    x = vec.fit_transform([{k: v for k, v in f.items() if k in kept} for g in groups for f in g["features"]])
    y = np.array([v for g in groups for v in g["labels"]])
    if len(set(y)) < 2:
        raise NisbaError("the linker needs right and wrong candidates to learn from; the documents give "
                         f"{int(y.sum())} right of {len(y)}")
    clf = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    weights = {name: round(float(w), 5) for name, w in zip(vec.get_feature_names_out(), clf.coef_[0]) if abs(w) > 1e-5}
    return weights, round(float(clf.intercept_[0]), 5)


def _pair_f1(docs: list[dict], preds: list, relations: list[list[Relation]]) -> dict:
    """nisba-gold's pair figure of the predictions ``preds`` of ``docs`` with their claim links
    replaced by ``relations``."""
    from training.evaluate.attribution_metrics import attribution_scores

    rows = [(d["text"], d["regions"], d["relations"], p.regions, rels) for d, p, rels in zip(docs, preds, relations)]
    return attribution_scores(rows, outlet_canonical=lambda t: None)["pair"]


def _relinked(docs: list[dict], preds: list, linker: PairLinker) -> list[list[Relation]]:
    return [linker.relink(d["text"], p.regions, p.relations)[0] for d, p in zip(docs, preds)]


def _add(total: list[int], pair: dict) -> None:
    total[0] += pair["tp"]
    total[1] += pair["n_pred"]
    total[2] += pair["n_gold"]


def _f1(tp: int, n_pred: int, n_gold: int) -> float:
    return round(2 * tp / (n_pred + n_gold), 4) if n_pred + n_gold else 0.0


def cross_validate(docs: list[dict], preds: list, groups: list[dict], folds: int = FOLDS) -> dict:
    """Pair F1 of every (C, keep, override) of the grid over ``folds`` folds of the documents
    (by index), the rules alone among them (keep 0, no override)."""
    roles = default_roles()
    totals: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    for f in range(folds):
        held = [i for i in range(len(docs)) if i % folds == f]
        train = [g for g in groups if g["doc"] % folds != f]
        held_groups = [g for g in groups if g["doc"] % folds == f]
        held_docs, held_preds = [docs[i] for i in held], [preds[i] for i in held]
        # the claim links the rules gave, the grouped claims' to be decided
        kept = [[x for x in preds[i].relations if x.label != roles.claim_source] for i in held]
        position = {i: n for n, i in enumerate(held)}
        for c in GRID_C:
            weights, bias = fit_scorer(train, c)
            scorer = PairLinker(weights, bias, 0.0, None)
            probs = [scorer.scores(g["features"]) for g in held_groups]  # once per fit, not per setting
            for keep in GRID_KEEP:
                for override in GRID_OVERRIDE:
                    linker = PairLinker(weights, bias, keep, override)
                    relations = [list(r) for r in kept]
                    for g, p in zip(held_groups, probs):
                        chosen, _ = linker.decide(p, g["sources"], g["links"])
                        relations[position[g["doc"]]] += [Relation(g["claim"], s, roles.claim_source) for s in chosen]
                    _add(totals[(c, keep, override)], _pair_f1(held_docs, held_preds, relations))
    return {key: _f1(*t) for key, t in totals.items()}


def train_linker(out: str | Path = DEFAULT_LINKER, progress=print) -> dict:
    """Fit the scorer on the rules' predictions of nisba-gold train, choose its thresholds by
    cross-validation there, check it on dev and write ``out`` (returned)."""
    from annotation.corpora.documents import read_corpus
    from training.predict.rules.predictor import RulesPredictor

    rules = RulesPredictor()
    # read here, not through training.evaluate.gold_eval (which loads predictors, this one among them)
    train, dev = ([{"text": d.text, "regions": d.regions, "relations": d.relations}
                   for d in read_corpus("nisba-gold", split=s).documents] for s in ("train", "dev"))
    progress(f"linker: the rules on {len(train)} train and {len(dev)} dev articles")
    train_preds, dev_preds = rules.predict([d["text"] for d in train]), rules.predict([d["text"] for d in dev])
    groups = candidate_groups(train, train_preds)
    progress(f"linker: {len(groups)} linked claims, {sum(len(g['labels']) for g in groups)} candidates; "
             f"{FOLDS}-fold cross-validation of {len(GRID_C) * len(GRID_KEEP) * len(GRID_OVERRIDE)} settings")
    cv = cross_validate(train, train_preds, groups)
    c, keep, override = max(cv, key=lambda k: (cv[k], -k[1], k[2] is None))
    weights, bias = fit_scorer(groups, c)
    linker = PairLinker(weights, bias, keep, override)
    rules_only = PairLinker(weights, bias, 0.0, None)
    progress("linker: the source -> outlet scorer, cross-validated on reported_via F1")
    train_outlet_groups, train_gold = labelled_groups(train, train_preds, [rules.outlet_mentions(d["text"]) for d in train])
    outlet, outlet_figures = train_outlets(train_outlet_groups, train_gold, GRID_C, fit_scorer, FOLDS)
    dev_groups, dev_gold = labelled_groups(dev, dev_preds, [rules.outlet_mentions(d["text"]) for d in dev])
    dev_probs = [outlet.scores(g["features"]) for g in dev_groups]
    outlet_figures["dev_reported_via_f1"] = {
        "rules": outlet_f1(dev_groups, dev_probs, sum(dev_gold), OutletLinker({}, 0.0, 0.0, None, None)),
        "learned": outlet_f1(dev_groups, dev_probs, sum(dev_gold), outlet)}
    data = {"format_version": LINKER_FORMAT_VERSION, "trained_on": "nisba-gold train, the rules' predictions",
            "rules_version": rules.model_version, "C": c, "keep": keep, "override": override, "bias": bias,
            "figures": {"train_claims": len(groups), "features": len(weights),
                        "cv_pair_f1": {"rules": cv[(c, 0.0, None)], "rules+linker": cv[(c, keep, override)]},
                        "dev_pair_f1": {"rules": _pair_f1(dev, dev_preds, _relinked(dev, dev_preds, rules_only))["f1"],
                                        "rules+linker": _pair_f1(dev, dev_preds, _relinked(dev, dev_preds, linker))["f1"]},
                        "outlet": outlet_figures | {"features": len(outlet.weights)}},
            "weights": dict(sorted(weights.items())), "outlet": outlet.to_dict()}
    Path(out).write_text(json.dumps(data, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="fit on nisba-gold train and write --out")
    ap.add_argument("--out", type=Path, default=DEFAULT_LINKER)
    args = ap.parse_args(argv)
    if args.train:
        data = train_linker(args.out)
        print(json.dumps({k: data[k] for k in ("C", "keep", "override")} | data["figures"]
                         | {"outlet": data["figures"]["outlet"] | {k: data["outlet"][k] for k in ("keep", "add", "override")}}))


if __name__ == "__main__":
    main()
