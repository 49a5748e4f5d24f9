"""Evaluate a predictor on one split of a pulled dataset: scores, worst errors, report, model card.

``evaluate_model(model, data_dir, split, report_dir)``:

1. loads the DatasetDict (``datasets.load_from_disk``) and checks the split exists and is
   not empty, and that each evaluated layer's labels equal the model's (the error names the
   labels that differ);
2. runs ``training.predict.load_predictor(model).predict(texts)`` in batches (a progress bar);
   ``model`` is a model directory or ``"rules"``;
3. per layer: entity-level seqeval through ``evaluate`` (training/evaluate/seqeval_eval.py, gold and
   predicted tags on one token view), exact character-offset span P/R/F1 on the document view
   (training/evaluate/span_metrics.py), a token confusion matrix and every error paired and classified;
4. writes metrics.json, report.md/.html and PNGs (training/evaluate/report.py) and, for a model
   directory, its model card README.md.

The layers evaluated are the model's (nisba.json ``layers``, or the predictor's ``layers``),
else every schema layer; a layer with no gold span in the split (not annotated there) is
skipped and listed in ``skipped_layers``. When the split has gold claims, the attribution figures of
training/evaluate/attribution_metrics.py (source span, cue, claim content exact and by token overlap,
attributed pairs, canonical source) are added under ``attribution``. Not handled here: event
arguments are not scored yet.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from annotation.dataset.layout import layer_label_names, pulled_splits
from annotation.errors import NisbaError
from annotation.progress import progress_bar
from annotation.schema.label_maps import bio_types, label_diff
from training.evaluate.report import read_log_history, write_model_card, write_report
from training.evaluate.span_metrics import confusion, pair_errors, span_scores, worst_errors
from annotation.convert.document import VIEW, span_layers
from annotation.schema.schema import default_roles
from annotation.text.tokens import layer_spans

METRICS_FORMAT_VERSION = 1
N_WORST = 10
DEFAULT_REPORT_DIR = Path("artifacts") / "report"  # the Makefile's $(REPORT)


def dataset_labels(features, layers: list[str]) -> dict[str, list[str] | None]:
    """Per layer, the label names of the dataset's ClassLabel (None: labels stored as strings)."""
    return layer_label_names(features, layers)


def model_info(model: str | Path, predictor) -> dict:
    """nisba.json of a model directory, else what the predictor tells about itself."""
    path = Path(str(model)) / "nisba.json"
    if str(model) != "rules" and path.is_file():
        return json.loads(path.read_text(encoding="utf-8"))
    return {"model_version": getattr(predictor, "model_version", str(model)),
            "schema_fingerprint": getattr(predictor, "schema_fingerprint", ""),
            "layers": list(getattr(predictor, "layers", []) or []),
            "label_maps": dict(getattr(predictor, "label_maps", {}) or {})}


def check_labels(data_labels: dict[str, list[str] | None], label_maps: dict[str, list[str]],
                 data_dir, model) -> None:
    """Raise NisbaError naming, per layer, the labels only the dataset or only the model has."""
    problems = []
    for layer, names in data_labels.items():
        if names is None or layer not in label_maps:
            continue
        only_data, only_model, _ = label_diff(names, bio_types(label_maps[layer]))
        if only_data or only_model:
            problems.append(f"layer {layer!r}: only in the dataset {only_data}, only in the model {only_model}")
    if problems:
        raise NisbaError(f"the labels of dataset {data_dir} do not match model {model}: " + "; ".join(problems)
                         + ". Pull the dataset with the model's schema, or train a model on this dataset.")


def _saved_rows(split_dir: Path) -> int | None:
    """0 when a saved split has no data file (datasets writes none for an empty split and then
    cannot load it back), else None: the split has to be loaded to know."""
    state = split_dir / "state.json"
    if state.is_file() and not json.loads(state.read_text(encoding="utf-8")).get("_data_files"):
        return 0
    return None


def load_split(data_dir: str | Path, split: str):
    """``({split: size}, dataset)`` for one split of a saved DatasetDict; clear errors for a missing
    directory, a missing split or an empty split."""
    from datasets import load_from_disk

    path = Path(data_dir)
    splits = pulled_splits(path)
    if split not in splits:
        raise NisbaError(f"dataset {path} has no split {split!r}; its splits: {sorted(splits)}")
    sizes: dict[str, int] = {}
    loaded = None
    for name in splits:
        n = _saved_rows(path / name)
        if n is None:
            ds = load_from_disk(str(path / name))
            n = len(ds)
            if name == split:
                loaded = ds
        sizes[name] = n
    if loaded is None or len(loaded) == 0:
        raise NisbaError(f"split {split!r} of dataset {path} is empty: nothing to evaluate; sizes: {sizes}")
    return sizes, loaded


def predict_all(predictor, texts: list[str], batch_size: int = 16, progress: bool = True) -> list:
    """Predictions for every text, in batches, with a progress bar."""
    out = []
    with progress_bar(progress) as bar:
        task = bar.add_task("predicting", total=len(texts))
        for i in range(0, len(texts), batch_size):
            chunk = texts[i:i + batch_size]
            out += list(predictor.predict(chunk, batch_size=batch_size))
            bar.update(task, advance=len(chunk))
    if len(out) != len(texts):
        raise NisbaError(f"the predictor returned {len(out)} results for {len(texts)} texts")
    return out


def score_layers(texts: list[str], gold: dict[str, list[list]], pred: dict[str, list[list]],
                 scores: dict[str, list[dict]], labels: dict[str, list[str]], metric=None) -> tuple[dict, list]:
    """Per-layer metrics (seqeval, span, confusion, error kinds) and every paired error."""
    from training.evaluate.seqeval_eval import load_seqeval, seqeval_scores, shared_tags

    metric = metric or load_seqeval()
    layers_out: dict = {}
    all_errors = []
    for layer in gold:
        g_tags, p_tags, tag_problems, errors = [], [], 0, []
        for i, text in enumerate(texts):
            _, gt, pt, bad = shared_tags(text, gold[layer][i], pred[layer][i])
            g_tags.append(gt)
            p_tags.append(pt)
            tag_problems += len(bad)
            errors += pair_errors(i, layer, gold[layer][i], pred[layer][i], scores[layer][i])
        layers_out[layer] = {
            "seqeval": seqeval_scores(g_tags, p_tags, metric),
            "span": span_scores(gold[layer], pred[layer], labels.get(layer, ())),
            "confusion": confusion(g_tags, p_tags, labels.get(layer, ())),
            "errors_by_kind": dict(Counter(e.kind for e in errors).most_common()),
            "tag_problems": tag_problems,
        }
        all_errors += errors
    return layers_out, all_errors


def attribution_figures(rows: list[dict], results: list) -> dict:
    """Attribution figures of predictions against the gold claims of document-view rows."""
    from annotation.convert.document import document_to_regions
    from annotation.schema.schema import default_schema
    from training.evaluate.attribution_metrics import attribution_scores

    schema = default_schema()
    gold = [document_to_regions(r, schema) for r in rows]
    docs = [(r["text"], g[0], g[1], p.regions, p.relations) for r, g, p in zip(rows, gold, results)]
    overlap = attribution_scores(docs)
    exact = attribution_scores(docs, claim_match="exact")
    figures = {k: overlap[k] for k in ("source_span", VIEW.cue, "claim_exact", "claim_token", "pair", VIEW.reported_via,
                                       "canonical_source_accuracy", "stance_accuracy", "per_source_pair_recall")}
    figures["pair_exact_claim"] = exact["pair"]
    figures["missed_pairs"] = overlap["missed_pairs"][:N_WORST]
    return figures


def evaluate_model(model: str | Path, data_dir: str | Path, split: str = "test",
                   report_dir: str | Path | None = None, *, predictor=None, batch_size: int = 16,
                   progress: bool = True, model_card: bool = True) -> dict:
    """Score ``model`` on ``split`` of ``data_dir`` and write the report; return the metrics dict.

    ``predictor`` replaces ``load_predictor(model)`` (tests pass a small stand-in object).
    """
    sizes, ds = load_split(data_dir, split)
    if predictor is None:
        from training.predict.load import load_predictor

        predictor = load_predictor(str(model))
    info = model_info(model, predictor)
    if not info.get("label_maps"):
        from annotation.schema.schema import load_schema

        info["label_maps"] = load_schema().label_maps()
    layers = [l for l in (info.get("layers") or list(info["label_maps"])) if l in span_layers()]
    data_labels = dataset_labels(ds.features, layers)
    check_labels(data_labels, info["label_maps"], data_dir, model)
    labels = {l: data_labels[l] or bio_types(info["label_maps"].get(l, [])) for l in layers}

    rows = list(ds)
    texts = [r["text"] for r in rows]
    started = time.perf_counter()
    results = predict_all(predictor, texts, batch_size, progress)
    seconds = time.perf_counter() - started

    gold = {l: [layer_spans(r, l, data_labels[l]) for r in rows] for l in layers}
    # a layer nobody annotated in this split (e.g. claims in an entity-only corpus) has no score
    skipped = [l for l in layers if not any(gold[l])]
    layers = [l for l in layers if l not in skipped]
    if not layers:
        raise NisbaError(f"split {split!r} of dataset {data_dir} has no gold span in any evaluated layer "
                         f"({', '.join(skipped)}): nothing to score")
    gold = {l: gold[l] for l in layers}
    pred = {l: [[] for _ in rows] for l in layers}
    scores = {l: [{} for _ in rows] for l in layers}
    for i, res in enumerate(results):
        for reg in res.regions:
            if reg.layer in pred:
                span = (int(reg.start), int(reg.end), str(reg.label))
                pred[reg.layer][i].append(span)
                if reg.score is not None:
                    scores[reg.layer][i][span] = float(reg.score)
    layer_metrics, errors = score_layers(texts, gold, pred, scores, labels)
    attribution = attribution_figures(rows, results) if default_roles().claims in layers else None
    if attribution is not None and getattr(predictor, "attribution", None) is not None:
        attribution["linking"] = dict(predictor.attribution.stats)

    first = layers[0] if layers else ""
    report_dir = Path(report_dir or DEFAULT_REPORT_DIR)
    metrics = {
        "format_version": METRICS_FORMAT_VERSION,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "model_version": info["model_version"],
        "schema_fingerprint": info.get("schema_fingerprint", ""),
        "model": str(model), "data": str(data_dir), "split": split, "n_documents": len(rows),
        "report_dir": str(report_dir),
        "headline": {"layer": first,
                     "seqeval_f1": layer_metrics[first]["seqeval"]["overall_f1"] if first else 0.0,
                     "span_f1": layer_metrics[first]["span"]["overall"]["f1"] if first else 0.0},
        "layers": layer_metrics,
        "skipped_layers": {l: "no gold spans in this split" for l in skipped},
        **({"attribution": attribution} if attribution is not None else {}),
        "speed": {"seconds": seconds, "documents_per_s": len(rows) / seconds if seconds else 0.0,
                  "chars_per_s": sum(map(len, texts)) / seconds if seconds else 0.0},
    }
    worst = [e.as_dict() for e in worst_errors(errors, N_WORST)]
    is_dir = str(model) != "rules" and Path(str(model)).is_dir()
    paths = write_report(report_dir, metrics, worst, texts, [r.get("task_id") for r in rows],
                         read_log_history(model if is_dir else None))
    metrics = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    if is_dir and model_card:
        paths["model_card"] = write_model_card(model, info, metrics, sizes)
    metrics["paths"] = {k: str(v) for k, v in paths.items()}
    return metrics
