"""Commands of the training side: ``nisba pretrain``, ``nisba train``, ``nisba combine`` (and ``nisba evaluate``).

Heavy libraries (torch, transformers, datasets) are imported inside the commands. A
NisbaError is printed (no traceback) and the command exits 1.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError




def pretrain_cmd(
    config: Annotated[Optional[Path], typer.Option("--config", help="train config (default configs/train.yaml)")] = None,
    overrides: Annotated[Optional[list[str]], typer.Argument(help="pretrain.KEY=VALUE overrides of existing keys")] = None,
    force: Annotated[bool, typer.Option("--force", help="rebuild even when the cached model exists")] = False,
) -> None:
    """Build the offline default model (WordPiece tokenizer + small BERT, MLM on the registered corpora), once.

    It is cached in .nisba/pretrained/<config hash>; `model.name: default` trains from it.
    """
    from training.train.config import load_config
    from training.train.pretrain import ensure_pretrained

    try:
        cfg = load_config(config, overrides or [])
        path = ensure_pretrained(cfg.pretrain, progress=cfg.training.progress, force=force)
    except NisbaError as exc:
        fail(exc)
    typer.echo(str(path))


def train_cmd(
    data: Annotated[Path, typer.Option("--data", help="a pulled dataset (DatasetDict saved by `nisba pull`)")],
    out: Annotated[Path, typer.Option("--out", help="the model directory to write (rerun to resume)")],
    config: Annotated[Optional[Path], typer.Option("--config", help="train config (default configs/train.yaml)")] = None,
    overrides: Annotated[Optional[list[str]], typer.Argument(help="KEY=VALUE overrides of existing config keys, "
                                                                 "e.g. training.epochs=3 model.layers=[entities]")] = None,
) -> None:
    """Fine-tune a model on a pulled dataset: one encoder, a BIO head per layer; checkpoints, resume, early stopping.

    Runs unchanged under `accelerate launch` for several GPUs or nodes.
    """
    from training.train.config import load_config
    from training.train.trainer import train

    try:
        cfg = load_config(config, overrides or [])
        meta = train(data, out, cfg)
    except NisbaError as exc:
        fail(exc)
    if meta:
        stats = meta["train_stats"]
        typer.echo(f"{out} {meta['model_version']} best validation F1 {stats['best_metric']} "
                   f"({stats['train_runtime_s']} s, {stats['train_tokens_per_s']} tokens/s)")


# --- evaluation engineer: `nisba evaluate` is registered below this line ---

def evaluate_cmd(
    model: Annotated[str, typer.Option("--model", help="a model directory from `nisba train`, or 'rules'")],
    data: Annotated[Path, typer.Option("--data", help="a pulled dataset (DatasetDict saved by `nisba pull`)")],
    split: Annotated[str, typer.Option("--split", help="the split to score")] = "test",
    report: Annotated[Optional[Path], typer.Option("--report", help="report folder (default "
                                                   "artifacts/report, as in the Makefile)")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", help="texts per prediction batch")] = 16,
) -> None:
    """Score a model on a split: entity-level seqeval and exact span F1 per layer and label.

    Writes metrics.json, report.md, report.html and PNG plots (confusion, per-label F1,
    learning curve) to the report folder, and the model card README.md into the model directory.
    """
    from annotation.convert.document import VIEW
    from training.evaluate.evaluation import evaluate_model

    try:
        metrics = evaluate_model(model, data, split, report, batch_size=batch_size)
    except NisbaError as exc:
        fail(exc)
    typer.echo(f"{metrics['model_version']} on {data} [{split}], {metrics['n_documents']} documents")
    for layer, m in metrics["layers"].items():
        span = m["span"]["overall"]
        typer.echo(f"  {layer:<10} seqeval P {m['seqeval']['overall_precision']:.3f} "
                   f"R {m['seqeval']['overall_recall']:.3f} F1 {m['seqeval']['overall_f1']:.3f} | "
                   f"exact span P {span['precision']:.3f} R {span['recall']:.3f} F1 {span['f1']:.3f} "
                   f"({span['support']} gold spans)")
    for layer, why in (metrics.get("skipped_layers") or {}).items():
        typer.echo(f"  {layer:<10} not scored: {why}")
    att = metrics.get("attribution")
    if att:
        typer.echo(f"  attribution source F1 {att['source_span']['f1']:.3f} cue F1 {att[VIEW.cue]['f1']:.3f} "
                   f"claim F1 exact {att['claim_exact']['f1']:.3f} token {att['claim_token']['f1']:.3f} "
                   f"pair F1 {att['pair']['f1']:.3f} canonical source {att['canonical_source_accuracy']['value']:.3f}")
    typer.echo(f"report: {metrics['paths']['html']}")
    if "model_card" in metrics["paths"]:
        typer.echo(f"model card: {metrics['paths']['model_card']}")


def combine_cmd(
    model: Annotated[Path, typer.Option("--model", help="a model directory from `nisba train`")],
    split: Annotated[str, typer.Option("--split", help="the nisba-gold split the choice is made on "
                                       "(dev or train; never test)")] = "dev",
) -> None:
    """Choose per layer the model's regions, the rules' or a merge of both, by F1 on nisba-gold dev.

    Writes MODEL/combination.json; `--model MODEL` then predicts (and pushes) the combination,
    whose model_version names the layers taken from the rules, e.g. <version>+rules(events.claims).
    """
    from training.predict.combine import CHOICES
    from training.train.combine import candidate_name, candidates, write_combination

    try:
        data = write_combination(model, split)
    except NisbaError as exc:
        fail(exc)
    figures = data["figures"]
    typer.echo(f"{data['combined_version']} chosen on {data['chosen_on']} ({data['documents']} articles, "
               f"predicted in {data['predict_seconds']} s)")
    typer.echo(f"  {'layer':<10} {'chosen':<16} " + " ".join(f"{c:>16}" for c in CHOICES))
    for layer, how in data["choice"].items():
        typer.echo(f"  {layer:<10} {how:<16} " + " ".join(f"{data['criterion'][c][layer]:>16.3f}" for c in CHOICES))
    for layer, side in data.get("relations", {}).items():
        typer.echo(f"  {layer}: relations from the {side} only (" + ", ".join(
            f"{candidate_name(*c)} {data['criterion'][candidate_name(*c)][layer]:.3f}" for c in candidates()
            if c[1] != "both") + ")")
    typer.echo(f"  (claims: mean of span F1 and attribution pair F1; chosen: "
               + ", ".join(f"{k} {v:.3f}" for k, v in data["chosen"].items()) + ")")
    typer.echo(f"  rules' side: {data.get('rules', 'rules')} (" + ", ".join(
        f"{side} {total:.3f}" for side, total in (data.get("rules_sides") or {}).items()) + ": the chosen layers' figures summed)")
    typer.echo(f"  model alone: " + ", ".join(f"{k} {v:.3f}" for k, v in figures["model"].items()))
    typer.echo(f"  {data.get('rules', 'rules') + ':':<12} " + ", ".join(f"{k} {v:.3f}" for k, v in figures["rules"].items()))
    typer.echo(str(model / "combination.json"))


def register(app: typer.Typer) -> None:
    app.command("pretrain")(pretrain_cmd)
    app.command("train")(train_cmd)
    app.command("evaluate")(evaluate_cmd)
    app.command("combine")(combine_cmd)
