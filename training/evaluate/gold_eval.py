"""Score any predictor on a split of nisba-gold: every layer, event arguments and attribution.

``gold_eval(predictor, split)`` reads the split's articles (text from SaudiNewsNet, gold from
configs/nisba-gold), runs the predictor on the texts and returns, per layer, exact span
precision/recall/F1 overall and per label; event-argument F1; and the attribution figures of
``make rules-eval`` (source, cue, claim by token overlap and exact, pair, reported_via,
canonical-source accuracy).

Work on rules and models looks at ``train`` and ``dev``; ``test`` is for the final figures.

``pass_agreement()`` scores the doubly annotated articles' two independent passes against each
other and a predictor against their gold (``--passes``): the human ceiling of the pair figure.

Run: ``python -m training.evaluate.gold_eval --model rules|MODEL_DIR [--split dev|test] [--out FILE] [--plain] [--passes]``
(``--plain``: a model directory's model alone, not its combination with the rules)
(``make gold-eval GOLD_MODEL=... GOLD_SPLIT=...``) prints a table and writes the JSON.

Not handled here: the gold itself (annotation.corpora.nisba_gold), the metrics (attribution_metrics).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from annotation.convert.document import VIEW, span_layers
from annotation.corpora.documents import read_corpus
from annotation.schema.schema import load_schema
from training.evaluate.attribution_metrics import attribution_scores, event_argument_scores, span_layer_scores

FORMAT_VERSION = 1
WORST_MISSES = 10


def gold_documents(split: str, schema=None) -> list[dict]:
    """[{article, text, regions, relations}] of one nisba-gold split."""
    read = read_corpus("nisba-gold", schema=schema or load_schema(), split=split)
    return [{"article": d.meta["article"], "newspaper": d.meta["newspaper"], "text": d.text,
             "regions": d.regions, "relations": d.relations} for d in read.documents]


def score(docs: list[dict], preds: list, layers: list[str], schema=None) -> dict:
    """The figures of predictions ``preds`` (PredictionResult-like) against gold ``docs``."""
    rows = [(d["text"], d["regions"], d["relations"], p.regions, p.relations) for d, p in zip(docs, preds)]
    out = {layer: span_layer_scores([d["regions"] for d in docs], [p.regions for p in preds], layer)
           for layer in layers}
    out["event_arguments"] = event_argument_scores(((g, gr, p, pr) for _, g, gr, p, pr in rows), schema)
    out["attribution"] = attribution_scores(rows, schema=schema)
    out["attribution"]["pair_exact_claim"] = attribution_scores(rows, claim_match="exact", schema=schema)["pair"]
    return out


def gold_eval(predictor, split: str = "dev", schema=None) -> dict:
    schema = schema or load_schema()
    docs = gold_documents(split, schema)
    started = time.perf_counter()
    preds = predictor.predict([d["text"] for d in docs])
    seconds = time.perf_counter() - started
    out = {"format_version": FORMAT_VERSION, "corpus": "nisba-gold", "split": split,
           "model_version": predictor.model_version, "documents": len(docs),
           "predict_seconds": round(seconds, 3), **score(docs, preds, list(schema.layer_names), schema)}
    if getattr(predictor, "combination", None):  # a model combined with the rules (training/predict/combine.py)
        out["combination"] = {"choice": predictor.combination["choice"],
                              "relations": predictor.combination.get("relations") or {},
                              "rules": predictor.combination.get("rules") or "rules",
                              "chosen_on": predictor.combination.get("chosen_on")}
    return out


def pass_agreement(predictor=None, schema=None) -> dict:
    """Attribution agreement of nisba-gold's doubly annotated articles: the two independent passes
    scored against each other (pass A as gold), each pass against the adjudicated gold, and
    ``predictor`` against the gold on the same articles: the human ceiling the pair figure is
    read against."""
    from annotation.convert.regions import parse_result
    from annotation.corpora import nisba_gold
    from annotation.corpora.registry import corpus_files, corpus_spec

    schema = schema or load_schema()
    doubly, texts, passes, gold = nisba_gold.doubly_annotated(corpus_files(corpus_spec("nisba-gold").text_corpus))
    rows: dict[str, list] = {"pass A vs pass B": [], "pass A vs gold": [], "pass B vs gold": []}
    preds = predictor.predict([texts[a["id"]] for a in doubly]) if predictor is not None else [None] * len(doubly)
    for a, pred in zip(doubly, preds):
        text = texts[a["id"]]
        (_, first), (_, second) = passes[a["id"]][:2]
        one, two, adjudicated = (parse_result(r, schema, text=text)[:2] for r in (first, second, gold[a["id"]]))
        rows["pass A vs pass B"].append((text, *one, *two))
        rows["pass A vs gold"].append((text, *adjudicated, *one))
        rows["pass B vs gold"].append((text, *adjudicated, *two))
        if pred is not None:
            rows.setdefault(f"{predictor.model_version} vs gold", []).append((text, *adjudicated, pred.regions, pred.relations))
    out = {"articles": len(doubly)}
    for name, r in rows.items():
        att = attribution_scores(r, schema=schema)
        out[name] = {k: att[k] for k in ("source_span", VIEW.cue, "claim_token", "pair")}
    return out


def summary_rows(result: dict, schema=None) -> list[tuple[str, float | None, float | None, float | None]]:
    """(figure, P, R, F1) rows for the table printed by ``make gold-eval``."""
    rows = []
    for layer in span_layers(schema):
        if layer in result:
            o = result[layer]["overall"]
            rows.append((f"{layer} span (exact)", o["precision"], o["recall"], o["f1"]))
    ea = result.get("event_arguments") or {}
    if "f1" in ea:
        rows.append(("event arguments", ea.get("precision"), ea.get("recall"), ea.get("f1")))
    att = result.get("attribution") or {}
    for key in ("source_span", VIEW.cue, "claim_exact", "claim_token", "pair", VIEW.reported_via):
        v = att.get(key)
        if isinstance(v, dict) and "f1" in v:
            rows.append((f"attribution {key}", v.get("precision"), v.get("recall"), v.get("f1")))
    if isinstance(att.get("pair_exact_claim"), dict):
        v = att["pair_exact_claim"]
        rows.append(("attribution pair (exact claim)", v.get("precision"), v.get("recall"), v.get("f1")))
    return rows


def print_table(result: dict) -> None:
    print(f"nisba-gold {result['split']} ({result['documents']} articles), {result['model_version']}")
    print(f"{'figure':34} {'P':>6} {'R':>6} {'F1':>6}")
    fmt = lambda x: f"{x:6.3f}" if isinstance(x, (int, float)) else f"{'-':>6}"
    for name, p, r, f in summary_rows(result):
        print(f"{name:34} {fmt(p)} {fmt(r)} {fmt(f)}")
    att = result.get("attribution") or {}
    for key in ("canonical_source_accuracy", "stance_accuracy"):
        if isinstance(att.get(key), dict):
            name = key.replace("_", " ").replace("canonical source", "canonical-source")
            print(f"{name:34} {'':6} {'':6} {fmt(att[key]['value'])}  (n={att[key]['n']})")
    kinds = att.get("per_kind_pair_recall") or {}
    if kinds:
        print("pair recall per pattern (with reported_via where gold has one):")
        for k, v in kinds.items():
            print(f"  {k:32} {'':6} {fmt(v['recall'])}  ({v['tp']}/{v['n']})")
    misses = att.get("missed_pairs") or []
    if misses:
        print(f"worst misses ({len(misses)} gold pairs not found; by kind: "
              + ", ".join(f"{k} {n}" for k, n in Counter(m["why"] for m in misses).most_common()) + "):")
        causes = att.get("miss_causes") or {}
        if causes:
            print("  what went wrong (cause: gold pairs): " + ", ".join(f"{k} {n}" for k, n in causes.items()))
        for m in misses[:WORST_MISSES]:
            print(f"  [{m.get('cause') or m['why']}] cue {m[VIEW.cue] or '-'} / source {m['source']} ({m[VIEW.source_id]}); {', '.join(m['kinds'])}")
            print(f"      … {m['context']} …")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="rules", help="rules (the shipped default: the best on nisba-gold test, as issue 13 asks), rules+linker, linker, or a nisba model directory")
    ap.add_argument("--split", default="dev", choices=["train", "dev", "test"])
    ap.add_argument("--out", type=Path, default=None, help="write the JSON here")
    ap.add_argument("--plain", action="store_true",
                    help="a model directory's model alone, without its combination.json (nisba combine)")
    ap.add_argument("--passes", action="store_true",
                    help="instead: the doubly annotated articles' two passes against each other and the model against their gold")
    args = ap.parse_args(argv)
    from training.predict.load import load_predictor

    if args.passes:
        agreement = pass_agreement(load_predictor(args.model, combination=not args.plain))
        for name, v in agreement.items():
            if isinstance(v, dict):
                print(f"{name:40} pair F1 {v['pair']['f1']:.3f} (P {v['pair']['precision']:.3f} R {v['pair']['recall']:.3f}, "
                      f"{v['pair']['n_gold']} pairs)  source F1 {v['source_span']['f1']:.3f}  cue F1 {v[VIEW.cue]['f1']:.3f}")
        print(f"({agreement['articles']} doubly annotated articles of nisba-gold)")
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(agreement, ensure_ascii=False, indent=1), encoding="utf-8")
        return
    result = gold_eval(load_predictor(args.model, combination=not args.plain), args.split)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    print_table(result)


if __name__ == "__main__":
    main()
