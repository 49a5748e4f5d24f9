"""``nisba combine --model DIR``: choose, per layer, how a trained model and the rules combine.

``choose_combination`` predicts a gold split ONCE with each side, then scores every way of
combining them (``training.predict.combine.CHOICES``) per layer without predicting again, and
keeps per layer the best on that split (ties: the earlier in ``CHOICES``, so the model alone
wins a tie). A merge of both sides is also scored with one side's relations only
(``RELATION_SOURCES``: the model's spans may carry the rules' attribution links); a layer keeps
both sides' relations unless one side's alone scores higher. The figure a layer is chosen on is its exact span F1; for the claims layer (the
schema's ``claims`` role) the mean of its span F1 and the attribution pair F1, since that layer
brings its relations and choices along. Only ``train`` and ``dev`` may be used: test stays for
the final figures.

``write_combination`` does so with each rules' side (``RULES_SIDES``: the rules alone, or with the
learned pair linker's links), keeps the side whose chosen layers sum the higher figure (a tie keeps
the rules alone), and writes the choice and the split's figures to ``DIR/combination.json``,
which ``training/predict/load.py`` reads at predict time (training/predict/combine.py applies it).

Not handled here: applying a combination (training/predict/combine.py), the scores
(training/evaluate/gold_eval.py).
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from annotation.errors import NisbaError
from annotation.schema.schema import Schema, default_schema
from training.predict.combine import (CHOICES, COMBINATION_FILE, COMBINATION_FORMAT_VERSION, RELATION_SOURCES,
                                      RULES_SIDES, choice_sides, combination_version, combine_results)

CHOICE_SPLITS = ("dev", "train")  # never test


def criterion(figures: dict, layer: str, schema: Schema | None = None) -> float:
    """The figure a layer is chosen on (see the module docstring)."""
    span = figures[layer]["overall"]["f1"] or 0.0
    if layer == (schema or default_schema()).roles.claims:
        pair = ((figures.get("attribution") or {}).get("pair") or {}).get("f1") or 0.0
        return round((span + pair) / 2, 4)
    return span


def _summary(figures: dict, layers: list[str]) -> dict:
    out = {layer: round(figures[layer]["overall"]["f1"] or 0.0, 4) for layer in layers if layer in figures}
    out["attribution_pair"] = round(((figures.get("attribution") or {}).get("pair") or {}).get("f1") or 0.0, 4)
    out["event_arguments"] = round((figures.get("event_arguments") or {}).get("f1") or 0.0, 4)
    return out


def candidates() -> list[tuple[str, str]]:
    """Every (regions choice, relations source) scored, in tie-breaking order: each choice with both
    sides' relations first, then the merges with one side's relations only."""
    return [(how, "both") for how in CHOICES] + [
        (how, side) for side in RELATION_SOURCES[1:] for how in CHOICES if len(choice_sides(how)) > 1]


def candidate_name(how: str, relations: str) -> str:
    """``model-then-rules``, or ``model-then-rules+rules-relations`` (the key of "criterion" and "figures")."""
    return how if relations == "both" else f"{how}+{relations}-relations"


def chosen_criterion(chosen: dict) -> float:
    """The sum over layers of the figure each chosen candidate was chosen on."""
    return round(sum(chosen["criterion"][candidate_name(how, chosen["relations"].get(layer, "both"))][layer]
                     for layer, how in chosen["choice"].items()), 4)


def choose_combination(model, rules, docs: list[dict], layers: list[str] | tuple[str, ...] | None = None,
                       schema: Schema | None = None, model_preds: list | None = None) -> dict:
    """Predict ``docs`` ({text, regions, relations}, gold) once with each side (the model's
    predictions may be given: ``model_preds``), score every candidate (``candidates()``) per layer
    and keep the best: {"choice", "relations" (layers that keep one side's relations only),
    "criterion", "figures", "chosen", "predict_seconds"}."""
    from training.evaluate.gold_eval import score

    schema = schema or default_schema()
    known = schema.layer_names
    layers = [l for l in (layers if layers is not None else known) if l in known]
    texts = [d["text"] for d in docs]
    started = time.perf_counter()
    model_preds = model.predict(texts) if model_preds is None else model_preds
    rules_preds = rules.predict(texts)
    seconds = time.perf_counter() - started
    figures, crit = {}, {}
    order = candidates()
    for how, side in order:
        name = candidate_name(how, side)
        uniform, links = {l: how for l in layers}, {l: side for l in layers}
        preds = [combine_results(m, r, uniform, links) for m, r in zip(model_preds, rules_preds)]
        full = score(docs, preds, layers, schema)
        figures[name] = _summary(full, layers)
        crit[name] = {l: criterion(full, l, schema) for l in layers}
    # layers are scored independently: a layer's figure depends on its own choice only
    best = {l: max(order, key=lambda c: (crit[candidate_name(*c)][l], -order.index(c))) for l in layers}
    choice = {l: how for l, (how, _) in best.items()}
    relations = {l: side for l, (_, side) in best.items() if side != "both"}
    chosen_preds = [combine_results(m, r, choice, relations) for m, r in zip(model_preds, rules_preds)]
    return {"choice": choice, "relations": relations, "criterion": crit, "figures": figures,
            "chosen": _summary(score(docs, chosen_preds, layers, schema), layers),
            "predict_seconds": round(seconds, 3)}


def write_combination(model_dir: str | Path, split: str = "dev", schema: Schema | None = None) -> dict:
    """Choose the combination of ``model_dir``'s model and the rules on nisba-gold ``split`` and
    write it to ``model_dir/combination.json`` (returned)."""
    from training.evaluate.gold_eval import gold_documents
    from training.predict.load import PREDICTORS, load_predictor
    from training.train.model import read_meta

    if split not in CHOICE_SPLITS:
        raise NisbaError(f"split {split!r}: the combination is chosen on {' or '.join(CHOICE_SPLITS)}; "
                         "test stays for the final figures")
    model_dir = Path(model_dir)
    schema = schema or default_schema()
    meta = read_meta(model_dir)
    model = load_predictor(str(model_dir), schema, combination=False)
    docs = gold_documents(split, schema)
    started = time.perf_counter()
    model_preds = model.predict([d["text"] for d in docs])
    model_seconds = time.perf_counter() - started
    best, sides = None, {}
    for side in RULES_SIDES:  # the rules alone, then with the linker's links: a tie keeps the rules alone
        rules = PREDICTORS[side](schema)
        chosen = choose_combination(model, rules, docs, schema.layer_names, schema, model_preds=model_preds)
        sides[side] = chosen_criterion(chosen)
        if best is None or sides[side] > sides[best[0]]:
            best = (side, rules, chosen)
    side, rules, chosen = best
    chosen["predict_seconds"] = round(chosen["predict_seconds"] + model_seconds, 3)
    data = {"format_version": COMBINATION_FORMAT_VERSION, "chosen_on": f"nisba-gold {split}",
            "documents": len(docs), "model_version": meta["model_version"],
            "rules": side, "rules_sides": sides, "rules_version": rules.model_version,
            "combined_version": combination_version(model.model_version, chosen["choice"], relations=chosen["relations"],
                                                    rules_side=side),
            **chosen}
    (model_dir / COMBINATION_FILE).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return data
