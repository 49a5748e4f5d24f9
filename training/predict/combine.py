"""A trained model and the rules combined per layer, the choice made on nisba-gold dev.

On raw news the trained model (e.g. the feature CRF) beats the rules on some layers and not on
others. training/train/combine.py (``nisba combine``) predicts a gold split ONCE with each side, then
scores, per layer, every way of combining the two (``CHOICES``) without predicting again:

- ``model`` / ``rules``: that side's regions of the layer;
- ``rules-then-model`` / ``model-then-rules`` (precision-ordered merges): all regions of the first side,
  plus those of the second that overlap none of the first's regions of the layer;
- ``union``: both sides' regions (a span and label both found are one region).

and keeps, per layer, the best on that split (ties: the earlier in ``CHOICES``, so the model
alone wins a tie). The figure a layer is chosen on: its exact span F1; for ``claims`` the mean of
its span F1 and the attribution pair F1, since the claims layer brings its relations (attributed_to,
cue, reported_via) and its choices (source_id, source_type, stance) along. Only ``train`` and
``dev`` may be used: test stays for the final figures.

Relations follow the regions: a relation of a side is kept when that side gives the layer of its
``from`` region (and, where ``relations[layer]`` names one side of a merge, only that side's
relations: ``RELATION_SOURCES``; nisba-gold dev, CRF demo model: the CRF's claim spans with the
rules' attribution links score pair F1 0.837, where the merge with both sides' links scores 0.828
and the rules alone 0.829); each end maps to the combined region with its span and label (region
ids are the same for the same span and label), or, for a region a merge left out because it overlapped
the other side's, to the kept region of the same layer and label that overlaps it most; a
relation with an end that maps to nothing is dropped. So the rules' event arguments survive on
the model's entities where they match; a model with a role classifier (the CRF's
``event_roles.json``) gives instead the arguments it finds among the combined triggers and
entities (``reattach_arguments``; nisba-gold dev: 0.46 where the rules' found 0.07).

The rules' side is the rules alone or the rules with the learned pair linker's links (``RULES_SIDES``;
combination.json ``"rules"``), whichever scores higher on the choice split (nisba-gold dev, CRF demo
model: the rules with the linker's links give pair F1 0.842 where the rules' own give 0.839).

``training.train.combine.write_combination(MODEL_DIR, split)`` (``nisba combine --model DIR``) writes the choice and
the split's figures to ``MODEL_DIR/combination.json``; ``training/predict/load.py`` then returns
a ``CombinedModelPredictor`` for that directory. Its ``model_version`` names the layers not
taken from the model alone: ``<model version>+rules(events.claims)``, and ``+rules-relations(claims)``
for a layer whose relations come from one side only (so it changes whenever the choice does); its
``schema_fingerprint`` and ``label_maps`` are the model's, so the push checks it like the model.

Not handled here: the model's or the rules' own predictions (training/predict/crf.py,
tagger.py, rules/), the push (annotation/loop/push.py).
"""

from __future__ import annotations

import json
from pathlib import Path

from annotation.convert.regions import Region, Relation, overlap
from annotation.errors import NisbaError
from annotation.json_files import read_versioned_json
from annotation.schema.schema import Roles, default_roles
from training.predict.base import PredictionResult

COMBINATION_FILE = "combination.json"
COMBINATION_FORMAT_VERSION = 1
CHOICES = ("model", "rules", "rules-then-model", "model-then-rules", "union")
# whose relations a layer merged from both sides keeps: both sides' (the default) or one side's only
RELATION_SOURCES = ("both", "rules", "model")
# the rules' side of a combination (combination.json "rules"): the rules alone (the default), or the rules with
# the learned pair linker's claim -> source links (training/predict/linker.py); names of load.PREDICTORS
RULES_SIDES = ("rules", "rules+linker")


def choice_sides(choice: str) -> tuple[str, ...]:
    """The sides a choice takes regions from, the first one first."""
    return {"model": ("model",), "rules": ("rules",), "rules-then-model": ("rules", "model"),
            "model-then-rules": ("model", "rules"), "union": ("rules", "model")}[choice]


def relation_sides(choice: dict[str, str], relations: dict[str, str] | None, layer: str) -> tuple[str, ...]:
    """The sides whose relations from ``layer``'s regions are kept."""
    sides = choice_sides(choice.get(layer, "model"))
    only = (relations or {}).get(layer, "both")
    return sides if only == "both" else tuple(x for x in sides if x == only)


def combine_results(model: PredictionResult | None, rules: PredictionResult | None,
                    choice: dict[str, str], relations: dict[str, str] | None = None) -> PredictionResult:
    """One text's combined prediction: per layer the regions ``choice[layer]`` names (a layer not
    in ``choice`` comes from the model), relations as the module docstring says (``relations[layer]``:
    one of ``RELATION_SOURCES``, "both" when absent)."""
    results = {"model": model, "rules": rules}
    empty = PredictionResult([], [], 1.0)
    by_side = {side: {r.id: r for r in (res or empty).regions} for side, res in results.items()}
    kept: dict[str, Region] = {}
    layers = sorted({r.layer for res in results.values() if res is not None for r in res.regions})
    for layer in layers:
        how = choice.get(layer, "model")
        first, *rest = choice_sides(how)
        mine = [r for r in by_side[first].values() if r.layer == layer]
        for r in mine:
            kept.setdefault(r.id, r)
        for side in rest:
            for r in by_side[side].values():
                if r.layer != layer or r.id in kept:
                    continue
                if how == "union" or not any(overlap(r, m) for m in mine):
                    kept[r.id] = r

    def target(side: str, rid: str) -> str | None:
        if rid in kept:
            return rid
        r = by_side[side].get(rid)
        if r is None:
            return None
        same = [(overlap(r, k), k.id) for k in kept.values()
                if k.layer == r.layer and k.label == r.label and overlap(r, k)]
        return max(same)[1] if same else None

    out: list[Relation] = []
    seen: set[Relation] = set()
    for side, res in results.items():
        if res is None:
            continue
        for x in res.relations:
            src = by_side[side].get(x.from_id)
            if src is None or side not in relation_sides(choice, relations, src.layer):
                continue
            a, b = target(side, x.from_id), target(side, x.to_id)
            if a is None or b is None or a == b:
                continue
            rel = Relation(a, b, x.label)
            if rel not in seen:
                seen.add(rel)
                out.append(rel)
    regions = sorted(kept.values(), key=lambda r: (r.start, r.end, r.layer, r.label))
    scores = [r.score for r in regions if r.score is not None]
    if scores:
        score = sum(scores) / len(scores)
    else:
        score = min((res.score for res in results.values() if res is not None), default=1.0)
    return PredictionResult(regions, out, round(float(score), 6))


def reattach_arguments(text: str, result: PredictionResult, classifier, roles: Roles | None = None) -> PredictionResult:
    """``result`` with its event arguments replaced by those ``classifier`` (the model's role
    classifier, training/predict/event_roles.py) finds among the combined triggers and entities,
    whichever side each came from."""
    roles = roles or classifier.roles
    events = {r.id for r in result.regions if r.layer == roles.events}
    kept = [x for x in result.relations if x.label in roles.attribution_relations or x.from_id not in events]
    return PredictionResult(result.regions, kept + classifier.arguments(text, result.regions), result.score)


def combination_version(model_version: str, choice: dict[str, str], roles: Roles | None = None,
                        relations: dict[str, str] | None = None, rules_side: str = "rules") -> str:
    """``<model_version>+rules(events.claims)``: the layers not taken from the model alone, by choice
    (the entity, event and claim layers of ``roles`` first, in that order; configs/schema.yaml's by default),
    then ``+rules-relations(claims)`` for the layers whose relations come from one side only, then
    ``+linker`` when the rules' side is ``rules+linker`` (and some layer takes from the rules).
    No comma (Label Studio lists a task's prediction versions joined by commas, and the push reads
    that list to skip tasks it already predicted) and no square brackets (rich markup); layer names
    hold no dot (schema.NAME_PATTERN)."""
    roles = roles or default_roles()
    order = [l for l in (roles.entities, roles.events, roles.claims) if l is not None]
    parts = []
    for table, names, suffix in ((choice, CHOICES[1:], ""), (relations or {}, RELATION_SOURCES[1:], "-relations")):
        for how in names:
            layers = [l for l in order if table.get(l) == how] + sorted(
                l for l in table if l not in order and table[l] == how)
            if layers:
                parts.append(f"+{how}{suffix}({'.'.join(layers)})")
    if parts and rules_side != "rules":
        parts.append("+" + rules_side.split("+", 1)[-1])
    return model_version + "".join(parts)


class CombinedModelPredictor:
    """Per layer the model's, the rules' or a merge of their regions (see the module docstring)."""

    def __init__(self, model, rules, choice: dict[str, str], combination: dict | None = None,
                 relations: dict[str, str] | None = None):
        unknown = {l: c for l, c in choice.items() if c not in CHOICES}
        if unknown:
            raise NisbaError(f"combination {unknown}: each layer takes one of {', '.join(CHOICES)}")
        relations = dict(relations if relations is not None else (combination or {}).get("relations") or {})
        unknown = {l: c for l, c in relations.items() if c not in RELATION_SOURCES}
        if unknown:
            raise NisbaError(f"combination relations {unknown}: each layer keeps the relations of "
                             f"{', '.join(RELATION_SOURCES)}")
        untaken = {l: c for l, c in relations.items() if c != "both" and c not in choice_sides(choice.get(l, "model"))}
        if untaken:
            raise NisbaError(f"combination relations {untaken}: a layer keeps the relations of a side it "
                             f"takes regions from ({ {l: choice.get(l, 'model') for l in untaken} })")
        self.model, self.rules, self.choice, self.relations = model, rules, dict(choice), relations
        self.combination = combination or {"choice": dict(choice), "relations": relations}
        self.rules_side = rules_side(self.combination, "the combination")
        fingerprint = getattr(model, "schema_fingerprint", "")
        if rules is not None and fingerprint and getattr(rules, "schema_fingerprint", fingerprint) != fingerprint:
            raise NisbaError(f"the model ({model.model_version}) and the rules ({rules.model_version}) were "
                             "made for different schemas; retrain the model")
        # the push checks these (annotation.loop.push.check_model_schema)
        self.schema_fingerprint: str = fingerprint
        self.label_maps = getattr(model, "label_maps", None)
        self.layers = list(getattr(model, "layers", []) or [])
        self.model_dir = getattr(model, "model_dir", None)
        self.model_version: str = combination_version(model.model_version, self.choice, relations=self.relations,
                                                      rules_side=self.rules_side)
        self._uses = {side for how in self.choice.values() for side in choice_sides(how)}
        if any(l not in self.choice for l in self.layers):
            self._uses.add("model")

    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        model = self.model.predict(texts, batch_size) if "model" in self._uses else [None] * len(texts)
        rules = self.rules.predict(texts, batch_size) if "rules" in self._uses else [None] * len(texts)
        out = [combine_results(m, r, self.choice, self.relations) for m, r in zip(model, rules)]
        classifier = getattr(self.model, "role_classifier", None)
        if classifier is not None:
            out = [reattach_arguments(text, res, classifier) for text, res in zip(texts, out)]
        return out


def read_combination(model_dir: str | Path) -> dict | None:
    """``combination.json`` of a model directory, checked (None when there is none)."""
    path = Path(model_dir) / COMBINATION_FILE
    if not path.is_file():
        return None
    data = read_versioned_json(path, COMBINATION_FORMAT_VERSION, f"rerun `nisba combine --model {model_dir}`")
    if not isinstance(data.get("choice"), dict):
        raise NisbaError(f"{path}: no choice; rerun `nisba combine --model {model_dir}`")
    return data


def drop_stale_combination(model_dir: str | Path, model_version: str | None) -> bool:
    """Remove ``model_dir/combination.json`` when it was chosen for another model_version (a
    retrain); True when removed. An unreadable file is removed too: it cannot apply."""
    path = Path(model_dir) / COMBINATION_FILE
    if not path.is_file():
        return False
    try:
        chosen_for = json.loads(path.read_text(encoding="utf-8")).get("model_version")
    except (OSError, ValueError, AttributeError):
        chosen_for = None
    if chosen_for == model_version:
        return False
    path.unlink()
    return True


def rules_side(data: dict, where: str) -> str:
    """The rules' side a combination names (``"rules"`` when it names none), checked."""
    side = data.get("rules", "rules")
    if side not in RULES_SIDES:
        raise NisbaError(f"{where}: rules {side!r}; the rules' side is one of {', '.join(RULES_SIDES)}")
    return side


def combined_predictor(model, model_dir: str | Path, meta: dict, rules_factory):
    """``model`` wrapped as its directory's combination says, or ``model`` itself (no combination.json,
    or every layer from the model). A combination chosen for another model_version is refused.
    ``rules_factory(side)`` gives the rules' side the combination names (``RULES_SIDES``)."""
    data = read_combination(model_dir)
    if data is None:
        return model
    if data.get("model_version") != meta.get("model_version"):
        raise NisbaError(f"{Path(model_dir) / COMBINATION_FILE}: chosen for model_version {data.get('model_version')}, "
                         f"but the model is now {meta.get('model_version')}; rerun `nisba combine --model {model_dir}`")
    if all(how == "model" for how in data["choice"].values()) and not data.get("relations"):
        return model
    return CombinedModelPredictor(model, rules_factory(rules_side(data, str(Path(model_dir) / COMBINATION_FILE))),
                                  data["choice"], data)
