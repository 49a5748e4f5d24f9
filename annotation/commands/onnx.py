"""`nisba export-onnx`: a transformer model directory's ONNX export, made ahead of the first predict.

Thin command: the export, its cache and the runtimes are training/predict/onnx_runtime.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def export_onnx_cmd(
    model: Annotated[Path, typer.Option("--model", help="A transformer model directory (with nisba.json).")],
    int8: Annotated[bool, typer.Option("--int8", help="Also the int8-quantized graph (runtime onnx-int8).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Export again even when the cached file is there.")] = False,
):
    """Export the tagger to ONNX (all layer heads; dynamic batch and sequence axes), cached in
    MODEL/onnx by the weights' hash. Predict with it: NISBA_RUNTIME=onnx (or onnx-int8)."""
    from annotation.errors import NisbaError
    from training.predict.onnx_runtime import export_model_dir
    from training.train.model import read_meta

    kind = read_meta(model).get("kind", "transformer")
    if kind != "transformer":
        raise NisbaError(f"{model}: a {kind} model; only the transformer tagger has an ONNX export")
    for quantized in ([False, True] if int8 else [False]):
        path, made = export_model_dir(model, int8=quantized, force=force)
        size = path.stat().st_size / 1e6
        typer.echo(f"{'exported' if made else 'cached  '} {path} ({size:.1f} MB; runtime "
                   f"{'onnx-int8' if quantized else 'onnx'})")


def register(app: typer.Typer) -> None:
    app.command("export-onnx")(export_onnx_cmd)
