"""Score a predictor against gold Label Studio tasks (e.g. tests/fixtures/seed_gold.json).

Reads each task's ground-truth annotation (the first annotation when none is marked), runs
the predictor on the task texts and returns the attribution figures of
training/evaluate/attribution_metrics.py plus exact span F1 for the entities and events layers and
event-argument F1. Problems in the gold (``parse_result``) are returned, not dropped.

Run: ``python -m training.evaluate.rules_eval [GOLD.json] [--model rules|MODEL_DIR]`` prints JSON.

Not handled here: gold selection across several annotators (annotation/convert/gold.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from annotation.convert.regions import parse_result
from annotation.schema.schema import load_schema
from annotation.paths import FIXTURES_DIR
from training.evaluate.attribution_metrics import (
    attribution_scores,
    event_argument_scores,
    span_layer_scores,
)

DEFAULT_GOLD = FIXTURES_DIR / "seed_gold.json"


def load_gold(path: str | Path, schema=None) -> tuple[list[dict], list]:
    """[{text, regions, relations}] and the problems parse_result found."""
    schema = schema or load_schema()
    tasks = json.loads(Path(path).read_text(encoding="utf-8"))
    docs, problems = [], []
    for i, task in enumerate(tasks):
        anns = task.get("annotations") or []
        ann = next((a for a in anns if a.get("ground_truth")), anns[0] if anns else None)
        if ann is None:
            continue
        text = task["data"][schema.text_name]
        regs, rels, probs = parse_result(ann["result"], schema, text, task_id=task.get("id", i))
        problems += probs
        docs.append({"text": text, "regions": regs, "relations": rels})
    return docs, problems


def evaluate(predictor, gold_path: str | Path = DEFAULT_GOLD, schema=None) -> dict:
    schema = schema or load_schema()
    docs, problems = load_gold(gold_path, schema)
    preds = predictor.predict([d["text"] for d in docs])
    attribution = attribution_scores(
        (d["text"], d["regions"], d["relations"], p.regions, p.relations) for d, p in zip(docs, preds))
    attribution_exact = attribution_scores(
        ((d["text"], d["regions"], d["relations"], p.regions, p.relations) for d, p in zip(docs, preds)),
        claim_match="exact")
    return {
        "format_version": 1,
        "model_version": predictor.model_version,
        "gold": str(gold_path),
        "documents": len(docs),
        "gold_problems": [str(p) for p in problems],
        "attribution": attribution,
        "pair_exact_claim": attribution_exact["pair"],
        **{layer: span_layer_scores([d["regions"] for d in docs], [p.regions for p in preds], layer)
           for layer in schema.layer_names},
        "event_arguments": event_argument_scores(
            (d["regions"], d["relations"], p.regions, p.relations) for d, p in zip(docs, preds)),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("gold", nargs="?", default=str(DEFAULT_GOLD))
    ap.add_argument("--model", default="rules")
    args = ap.parse_args()
    from training.predict.load import load_predictor

    print(json.dumps(evaluate(load_predictor(args.model), args.gold), ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
