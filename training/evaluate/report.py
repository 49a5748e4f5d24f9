"""Write an evaluation's outputs: metrics.json, report.md, report.html, PNG plots, the model card.

Input is the metrics dict built by training/evaluate/evaluation.py (layout below), the worst errors with
their document texts, and the model directory's log_history.json (the Trainer's
``state.log_history``: a list of dicts with ``step``, ``epoch``, ``loss``, ``eval_loss``,
``eval_*f1``; a ``{"format_version", "log_history": [...]}`` wrapper is read too).

metrics.json layout (``format_version`` 1)::

    {"format_version": 1, "model_version", "model", "data", "split", "n_documents",
     "headline": {"layer", "seqeval_f1", "span_f1"},
     "layers": {layer: {"seqeval": {overall_precision, overall_recall, overall_f1,
                                   overall_accuracy, per_label: {L: {precision, recall, f1, number}}},
                        "span": {"overall": {precision, recall, f1, tp, fp, fn, support},
                                 "per_label": {L: {...}}},
                        "confusion": {"labels": [...], "matrix": [[...]]},
                        "errors_by_kind": {kind: n}, "tag_problems": n}},
     "skipped_layers": {layer: why}, "speed": {...}, "worst_errors": [...]}

Plots use matplotlib's Agg backend (no display); label names are Latin, so no Arabic shaping
is needed in the PNGs. Arabic contexts appear only in the Markdown/HTML text.

Not handled here: computing any score (training/evaluate/span_metrics.py, training/evaluate/seqeval_eval.py).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from annotation.convert.document import VIEW

REPORT_FORMAT_VERSION = 1
CONTEXT_CHARS = 60


# --- plots -----------------------------------------------------------------------------------

def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_confusion(confusion: dict, path: Path, title: str) -> Path:
    """Token confusion matrix: colour = share of the gold row, text = token count."""
    plt = _pyplot()
    labels, matrix = confusion["labels"], confusion["matrix"]
    n = len(labels)
    shares = [[c / (sum(row) or 1) for c in row] for row in matrix]
    size = max(4.0, 0.55 * n + 2)
    fig, ax = plt.subplots(figsize=(size + 1, size))
    im = ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), labels, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(n), labels, fontsize=8)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    for i in range(n):
        for j in range(n):
            if matrix[i][j]:
                ax.text(j, i, str(matrix[i][j]), ha="center", va="center", fontsize=7,
                        color="white" if shares[i][j] > 0.5 else "black")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="share of gold tokens")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_f1_bars(layer_metrics: dict, path: Path, title: str) -> Path:
    """Per-label F1, seqeval (entity level) beside exact span F1, with gold counts under the names."""
    plt = _pyplot()
    seq = layer_metrics["seqeval"].get("per_label", {})
    span = layer_metrics["span"]["per_label"]
    labels = list(dict.fromkeys([*span, *seq]))
    x = range(len(labels))
    width = 0.4
    fig, ax = plt.subplots(figsize=(max(5.0, 0.8 * len(labels) + 2), 4))
    ax.bar([i - width / 2 for i in x], [seq.get(l, {}).get("f1", 0.0) for l in labels], width, label="seqeval F1")
    ax.bar([i + width / 2 for i in x], [span.get(l, {}).get("f1", 0.0) for l in labels], width, label="exact span F1")
    ax.set_xticks(list(x), [f"{l}\n(n={span.get(l, {}).get('support', 0)})" for l in labels],
                  rotation=30 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("F1")
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def read_log_history(model_dir: str | Path | None) -> list[dict]:
    """The training log of a model directory, or [] when there is none (e.g. the rules predictor)."""
    if model_dir is None:
        return []
    path = Path(model_dir) / "log_history.json"
    if not path.is_file():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    return list(data.get("log_history", []) if isinstance(data, dict) else data)


def _f1_keys(history: list[dict]) -> list[str]:
    keys = {k for row in history for k in row if k.startswith("eval_") and k.endswith("f1")}
    return sorted(keys)


def plot_learning_curve(history: list[dict], path: Path, title: str = "learning curve") -> Path | None:
    """Train and eval loss (left axis) and eval F1 (right axis) against the step; None without a log."""
    train = [(r["step"], r["loss"]) for r in history if "loss" in r and "step" in r]
    evals = [(r["step"], r["eval_loss"]) for r in history if "eval_loss" in r and "step" in r]
    f1_keys = _f1_keys(history)
    if not (train or evals or f1_keys):
        return None
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 4))
    if train:
        ax.plot(*zip(*train), label="train loss", color="tab:blue")
    if evals:
        ax.plot(*zip(*evals), "o-", label="eval loss", color="tab:orange")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    lines, names = ax.get_legend_handles_labels()
    if f1_keys:
        ax2 = ax.twinx()
        colours = ["tab:green", "tab:red", "tab:purple", "tab:brown", "tab:olive", "tab:cyan"]
        for key, colour in zip(f1_keys, colours * (len(f1_keys) // len(colours) + 1)):
            pts = [(r["step"], r[key]) for r in history if key in r and "step" in r]
            ax2.plot(*zip(*pts), "s--", label=key, color=colour)
        ax2.set_ylabel("F1")
        ax2.set_ylim(0, 1.05)
        l2, n2 = ax2.get_legend_handles_labels()
        lines, names = lines + l2, names + n2
    epochs = [(r["step"], r["epoch"]) for r in history if "epoch" in r and "step" in r]
    if epochs:
        ax.set_title(f"{title} ({max(e for _, e in epochs):g} epochs)")
    else:
        ax.set_title(title)
    ax.legend(lines, names, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=min(4, len(names)), fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --- errors in context -----------------------------------------------------------------------

def error_context(text: str, error: dict, width: int = CONTEXT_CHARS) -> dict:
    """The text around an error, with the gold and predicted spans' texts and labels."""
    spans = [s for s in (error.get("gold"), error.get("pred")) if s]
    start, end = min(s[0] for s in spans), max(s[1] for s in spans)
    lo, hi = max(0, start - width), min(len(text), end + width)

    def flat(s: str) -> str:
        return " ".join(s.split())

    def part(span):
        return None if not span else {"label": span[2], "start": span[0], "end": span[1], "text": text[span[0]:span[1]]}

    return {**error, "before": ("…" if lo > 0 else "") + flat(text[lo:start]),
            "span_text": flat(text[start:end]), "after": flat(text[end:hi]) + ("…" if hi < len(text) else ""),
            "gold_part": part(error.get("gold")), "pred_part": part(error.get("pred"))}


def _describe(part: dict | None, score: float | None = None) -> str:
    if not part:
        return "—"
    conf = f" p={score:.2f}" if score is not None else ""
    return f"{part['label']} [{part['start']}:{part['end']}] «{part['text']}»{conf}"


# --- text reports ----------------------------------------------------------------------------

def _fmt(x: float) -> str:
    return f"{x:.3f}"


def _headline_rows(metrics: dict) -> list[list[str]]:
    rows = []
    for layer, m in metrics["layers"].items():
        s, o = m["seqeval"], m["span"]["overall"]
        rows.append([layer, _fmt(s["overall_precision"]), _fmt(s["overall_recall"]), _fmt(s["overall_f1"]),
                     _fmt(o["precision"]), _fmt(o["recall"]), _fmt(o["f1"]), str(o["support"]), str(o["tp"] + o["fp"])])
    return rows


HEADLINE_COLUMNS = ["layer", "seqeval P", "seqeval R", "seqeval F1", "span P", "span R", "span F1", "gold spans",
                    "predicted spans"]
LABEL_COLUMNS = ["label", "seqeval P", "seqeval R", "seqeval F1", "span P", "span R", "span F1", "gold", "tp", "fp", "fn"]


def _label_rows(layer_metrics: dict) -> list[list[str]]:
    seq = layer_metrics["seqeval"].get("per_label", {})
    span = layer_metrics["span"]["per_label"]
    rows = []
    for label in dict.fromkeys([*span, *seq]):
        s = seq.get(label, {"precision": 0.0, "recall": 0.0, "f1": 0.0})
        o = span.get(label, {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0, "tp": 0, "fp": 0, "fn": 0})
        rows.append([label, _fmt(s["precision"]), _fmt(s["recall"]), _fmt(s["f1"]), _fmt(o["precision"]),
                     _fmt(o["recall"]), _fmt(o["f1"]), str(o["support"]), str(o["tp"]), str(o["fp"]), str(o["fn"])])
    return rows


ATTRIBUTION_COLUMNS = ["figure", "P", "R", "F1", "tp", "predicted", "gold"]
# (shown as, figure key): the cue and reported_via figures are named by the document view's parts
ATTRIBUTION_ROWS = [("source span", "source_span"), (VIEW.cue, VIEW.cue), ("claim content, exact", "claim_exact"),
                    ("claim content, token overlap", "claim_token"), ("attributed pair", "pair"),
                    ("attributed pair, exact claim", "pair_exact_claim"), (VIEW.reported_via, VIEW.reported_via)]


def _attribution_rows(att: dict) -> list[list[str]]:
    rows = [[name, _fmt(att[k]["precision"]), _fmt(att[k]["recall"]), _fmt(att[k]["f1"]), str(att[k]["tp"]),
             str(att[k]["n_pred"]), str(att[k]["n_gold"])] for name, k in ATTRIBUTION_ROWS if k in att]
    for name, k in (("canonical-source accuracy", "canonical_source_accuracy"), ("stance accuracy", "stance_accuracy")):
        if k in att:
            rows.append([name, "", "", _fmt(att[k]["value"]), "", "", f"n={att[k]['n']}"])
    return rows


def _md_table(columns: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    out += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows]
    return "\n".join(out)


def render_markdown(metrics: dict, errors: list[dict], plots: dict[str, str]) -> str:
    lines = [f"# Evaluation of {metrics['model_version']}", "",
             f"- model: `{metrics['model']}`", f"- data: `{metrics['data']}`, split `{metrics['split']}`, "
             f"{metrics['n_documents']} documents",
             f"- created: {metrics.get('created', '')}", "",
             "Two scores per layer: entity-level **seqeval** (gold and predicted BIO tags on one token view "
             "cut at both sides' span edges) and **exact span** match on character offsets (document view).",
             "", "## Headline", "", _md_table(HEADLINE_COLUMNS, _headline_rows(metrics)), ""]
    for layer, why in (metrics.get("skipped_layers") or {}).items():
        lines += [f"Layer `{layer}` not scored: {why}.", ""]
    speed = metrics.get("speed") or {}
    if speed:
        lines += [f"Prediction: {speed.get('seconds', 0):.1f} s, {speed.get('documents_per_s', 0):.1f} documents/s, "
                  f"{speed.get('chars_per_s', 0):.0f} characters/s.", ""]
    if metrics.get("attribution"):
        att = metrics["attribution"]
        lines += ["## Attribution", "", "Claims-layer spans exact; a pair counts when its claim matches (token-overlap "
                  "F1 >= 0.5, or exact) and its source is the same span or the same canonical source.", "",
                  _md_table(ATTRIBUTION_COLUMNS, _attribution_rows(att)), ""]
        if att.get("linking"):
            lines += ["Links decided by: " + ", ".join(f"{k} {v}" for k, v in sorted(att["linking"].items())), ""]
    if "learning_curve" in plots:
        lines += ["## Learning curve", "", f"![learning curve]({plots['learning_curve']})", ""]
    for layer, m in metrics["layers"].items():
        lines += [f"## Layer `{layer}`", "", _md_table(LABEL_COLUMNS, _label_rows(m)), ""]
        kinds = m.get("errors_by_kind") or {}
        if kinds:
            lines += ["Errors by kind: " + ", ".join(f"{k} {v}" for k, v in kinds.items()), ""]
        if m.get("tag_problems"):
            lines += [f"{m['tag_problems']} spans could not be placed on the shared token view "
                      "(edge on whitespace or overlap in one layer); the span score still counts them.", ""]
        for key, caption in ((f"f1_{layer}", "per-label F1"), (f"confusion_{layer}", "token confusion")):
            if key in plots:
                lines += [f"![{layer} {caption}]({plots[key]})", ""]
    lines += [f"## The {len(errors)} worst errors", "",
              "Each layer's worst in turn; within a layer by kind (wrong label, wrong boundary and label, "
              "spurious, missed, wrong boundary), then by the model's confidence. The error's span is in ⟦ ⟧.", ""]
    for i, e in enumerate(errors, 1):
        lines += [f"{i}. **{e['kind']}** in `{e['layer']}`, document {e['doc']} (task {e.get('task_id', '')}): "
                  f"gold {_describe(e['gold_part'])}; predicted {_describe(e['pred_part'], e.get('score'))}",
                  f"   > {e['before']} ⟦{e['span_text']}⟧ {e['after']}", ""]
    return "\n".join(lines) + "\n"


def _html_table(columns: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_html(metrics: dict, errors: list[dict], plots: dict[str, str]) -> str:
    esc = html.escape
    parts = [f"<h1>Evaluation of {esc(metrics['model_version'])}</h1>",
             f"<p>model <code>{esc(str(metrics['model']))}</code>; data <code>{esc(str(metrics['data']))}</code>, "
             f"split <code>{esc(metrics['split'])}</code>, {metrics['n_documents']} documents; "
             f"{esc(metrics.get('created', ''))}</p>",
             "<p>seqeval: entity level, gold and predicted BIO tags on one token view cut at both sides' span "
             "edges. Span: exact (start, end, label) match on character offsets.</p>",
             "<h2>Headline</h2>", _html_table(HEADLINE_COLUMNS, _headline_rows(metrics))]
    parts += [f"<p>Layer <code>{esc(layer)}</code> not scored: {esc(why)}.</p>"
              for layer, why in (metrics.get("skipped_layers") or {}).items()]
    if metrics.get("attribution"):
        parts += ["<h2>Attribution</h2>", _html_table(ATTRIBUTION_COLUMNS, _attribution_rows(metrics["attribution"]))]
    if "learning_curve" in plots:
        parts += ["<h2>Learning curve</h2>", f'<img src="{esc(plots["learning_curve"])}" alt="learning curve">']
    for layer, m in metrics["layers"].items():
        parts += [f"<h2>Layer <code>{esc(layer)}</code></h2>", _html_table(LABEL_COLUMNS, _label_rows(m))]
        kinds = m.get("errors_by_kind") or {}
        if kinds:
            parts.append("<p>Errors by kind: " + esc(", ".join(f"{k} {v}" for k, v in kinds.items())) + "</p>")
        for key in (f"f1_{layer}", f"confusion_{layer}"):
            if key in plots:
                parts.append(f'<img src="{esc(plots[key])}" alt="{esc(key)}">')
    rows = []
    for i, e in enumerate(errors, 1):
        context = (f'<span dir="rtl">{esc(e["before"])} <mark>{esc(e["span_text"])}</mark> {esc(e["after"])}</span>')
        rows.append(f"<tr><td>{i}</td><td>{esc(e['kind'])}</td><td>{esc(e['layer'])}</td>"
                    f"<td>{e['doc']} / {esc(str(e.get('task_id', '')))}</td>"
                    f'<td dir="auto">{esc(_describe(e["gold_part"]))}</td>'
                    f'<td dir="auto">{esc(_describe(e["pred_part"], e.get("score")))}</td>'
                    f'<td class="ctx">{context}</td></tr>')
    parts += [f"<h2>The {len(errors)} worst errors</h2>",
              "<table><thead><tr><th>#</th><th>kind</th><th>layer</th><th>doc / task</th><th>gold</th>"
              "<th>predicted</th><th>context</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"]
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse;"
             "margin:1em 0}td,th{border:1px solid #ccc;padding:3px 6px;font-size:90%}td.ctx{direction:rtl;"
             "text-align:right;font-size:110%}img{max-width:100%;display:block;margin:1em 0}mark{background:#ffe08a}")
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>nisba evaluation "
            f"{esc(metrics['model_version'])}</title><style>{style}</style></head><body>\n"
            + "\n".join(parts) + "\n</body></html>\n")


def write_report(report_dir: str | Path, metrics: dict, errors: list[dict], texts: list[str],
                 task_ids: list | None = None, log_history: list[dict] | None = None) -> dict[str, Path]:
    """Write metrics.json, report.md, report.html and the PNGs; return their paths by name.

    ``errors`` are SpanError dicts (already the worst ones); ``texts[e["doc"]]`` is their text.
    """
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    plots: dict[str, str] = {}
    paths: dict[str, Path] = {}
    for layer, m in metrics["layers"].items():
        name = f"confusion_{layer}"
        paths[name] = plot_confusion(m["confusion"], out / f"{name}.png", f"{layer}: token confusion (gold x predicted)")
        name = f"f1_{layer}"
        paths[name] = plot_f1_bars(m, out / f"{name}.png", f"{layer}: F1 per label")
    curve = plot_learning_curve(log_history or [], out / "learning_curve.png",
                                f"learning curve of {metrics['model_version']}")
    if curve:
        paths["learning_curve"] = curve
    plots = {name: p.name for name, p in paths.items()}
    in_context = []
    for e in errors:
        item = error_context(texts[e["doc"]], e)
        if task_ids is not None:
            item["task_id"] = task_ids[e["doc"]]
        in_context.append(item)
    metrics = {**metrics, "worst_errors": in_context, "plots": plots}
    paths["metrics"] = out / "metrics.json"
    paths["metrics"].write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
    paths["markdown"] = out / "report.md"
    paths["markdown"].write_text(render_markdown(metrics, in_context, plots), encoding="utf-8")
    paths["html"] = out / "report.html"
    paths["html"].write_text(render_html(metrics, in_context, plots), encoding="utf-8")
    return paths


# --- model card ------------------------------------------------------------------------------

def write_model_card(model_dir: str | Path, info: dict, metrics: dict, data_summary: dict) -> Path:
    """README.md in the model directory: model_version, data, layers, config and test metrics.

    ``info`` is the model's nisba.json; ``data_summary`` maps split name -> document count.
    """
    model_dir = Path(model_dir)
    rows = _headline_rows(metrics)
    config = info.get("train_config") or {}
    lines = [f"# {info.get('model_version', metrics['model_version'])}", "",
             "A nisba token-classification model for Arabic news: entities, event triggers and "
             "attributed-claim spans (CLAIM, SOURCE, CUE), one BIO sequence per layer. "
             "Load it with `training.predict.load_predictor(DIR)`; it predicts character-offset regions.",
             "", "## Model", "",
             f"- model_version: `{info.get('model_version', metrics['model_version'])}`",
             f"- schema_fingerprint: `{info.get('schema_fingerprint', '')}`",
             f"- format_version: {info.get('format_version', '')}",
             f"- layers: {', '.join(info.get('layers') or metrics['layers'].keys())}", ""]
    for layer, names in (info.get("label_maps") or {}).items():
        types = list(dict.fromkeys(n[2:] for n in names if n != "O"))
        lines.append(f"- `{layer}` labels: {', '.join(types)}")
    pretraining = info.get("pretraining") or {}
    if pretraining.get("corpora"):
        lines += ["", "## Pre-training", "", f"The encoder (`{pretraining.get('fingerprint', '')}`) was pre-trained "
                  f"(masked language modelling, {pretraining.get('tokens')} subword tokens) on:", ""]
        lines += [f"- {corpus}: {license or 'license unknown'}" for corpus, license in pretraining["corpora"].items()]
        if pretraining.get("held_out"):
            lines.append(f"- held out: {pretraining['held_out']}")
        if any("NC" in (license or "") for license in pretraining["corpora"].values()):
            lines += ["", "A corpus above is licensed for non-commercial use only (SaudiNewsNet: CC BY-NC-SA 4.0), "
                          "so this model is for non-commercial use."]
    lines += ["", "## Data", "", f"- dataset: `{metrics['data']}`"]
    lines += [f"- split `{split}`: {n} documents" for split, n in data_summary.items()]
    lines += ["", f"## Metrics (split `{metrics['split']}`, {metrics['n_documents']} documents)", "",
              _md_table(HEADLINE_COLUMNS, rows), "",
              *[f"Layer `{layer}` not scored: {why}.\n" for layer, why in (metrics.get("skipped_layers") or {}).items()],
              f"Full report: `{metrics.get('report_dir', '')}` (report.html, metrics.json).", "",
              "## Training config", "", "```json", json.dumps(config, ensure_ascii=False, indent=2, sort_keys=True),
              "```", "", "## Limitations", "",
              "Trained on the data above only; scraped news with run-together words and ي for ى is "
              "normalized at input, but domains far from newswire (see the AQMAR cross-domain figure in the "
              "project note) score lower. Predictions are pre-annotations for human review, not final labels.", ""]
    path = model_dir / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
