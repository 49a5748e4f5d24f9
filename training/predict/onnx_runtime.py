"""The transformer tagger on ONNX Runtime: export a nisba model directory once, run it batched.

``runtime`` names how ModelPredictor (training/predict/tagger.py) runs the encoder and heads:

- ``torch``: the PyTorch model (the default);
- ``onnx``: the same weights exported to ONNX (fp32), run by ONNX Runtime -- the same spans as
  torch (tests/test_onnx_runtime.py checks it), faster on CPU;
- ``onnx-int8``: the fp32 graph with its MatMul weights quantized to int8
  (``onnxruntime.quantization.quantize_dynamic``): faster again; the spans may differ a little
  (tests/benchmarks/bench_inference.py measures the entity F1 change on a trained model).

Chosen by ``ModelPredictor(..., runtime=)``, else the ``NISBA_RUNTIME`` environment variable,
else ``torch``. ``nisba export-onnx --model DIR [--int8]`` makes the files ahead of time;
otherwise the first predictor that needs them does.

The export (``export_model``):

1. the tagger is traced (``torch.onnx.export``, opset 17) with eager attention, inputs
   ``input_ids`` and ``attention_mask`` with dynamic batch and sequence axes, and one output per
   layer head, ``probs_<layer>`` (the softmax is in the graph), plus ``hidden`` (the encoder's
   last hidden states, for the attribution head);
2. ONNX Runtime's transformer optimizer fuses the BERT-style blocks (embedding + layer norm,
   attention, bias + GELU, skip + layer norm) when it recognises them;
3. the graph is checked against the torch model on a padded batch (probabilities within 1e-3);
   a fused graph that fails the check is dropped for the plain one.

Cache: ``<model dir>/onnx/<weights sha256, 16 hex>-v<EXPORT_VERSION>[.int8].onnx``, keyed by
the weights' hash, so a retrain (new ``model.safetensors``) exports again; files of other weights
are removed. A model directory that cannot be written caches under the system temp directory.
Files are written to a temporary name and renamed, so concurrent exports never read half a file.

Not handled here: windows, merging and decoding (tagger.py).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

from annotation.errors import NisbaError

RUNTIMES = ("torch", "onnx", "onnx-int8")
RUNTIME_ENV = "NISBA_RUNTIME"
EXPORT_VERSION = 1  # bump when the exported graph changes: cached files of another version are redone
ONNX_DIR = "onnx"
OPSET = 17
CHECK_TOLERANCE = 1e-3


def resolve_runtime(runtime: str | None) -> str:
    """``runtime``, else $NISBA_RUNTIME, else torch; anything else is refused naming the choices."""
    value = runtime or os.environ.get(RUNTIME_ENV) or "torch"
    if value not in RUNTIMES:
        where = "runtime" if runtime else RUNTIME_ENV
        raise NisbaError(f"{where} {value!r}: choose one of {', '.join(RUNTIMES)}")
    return value


def _import_ort():
    try:
        import onnxruntime
    except ImportError:  # pragma: no cover - a dependency of nisba
        raise NisbaError("the onnx runtimes need onnxruntime: pip install -e . (or make venv)") from None
    return onnxruntime


class _Export:
    """The traced module: probabilities per head and the hidden states."""

    def __new__(cls, model):
        import torch

        class Export(torch.nn.Module):
            def __init__(self, tagger):
                super().__init__()
                self.tagger = tagger

            def forward(self, input_ids, attention_mask):
                states = self.tagger.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                probs = tuple(torch.softmax(self.tagger.heads[l](states), dim=-1) for l in self.tagger.layer_names)
                return (*probs, states)

        return Export(model).eval()


def output_names(layer_names: list[str]) -> list[str]:
    return [f"probs_{l}" for l in layer_names] + ["hidden"]


def _dummy(model):
    import torch

    vocab = int(model.config.vocab_size)
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(min(5, vocab - 1), vocab, (3, 24), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 15:] = 0  # a padded row: the attention mask's path is traced as used
    mask[2, 7:] = 0
    pad = model.config.pad_token_id if model.config.pad_token_id is not None else 0
    ids[mask == 0] = pad
    return ids, mask


def _trace(model, path: Path) -> None:
    import torch

    encoder = model.encoder
    before = encoder.config._attn_implementation
    try:  # eager attention traces into the pattern ORT's optimizer fuses into one Attention op
        if hasattr(encoder, "set_attn_implementation"):
            encoder.set_attn_implementation("eager")
        else:
            encoder.config._attn_implementation = "eager"
    except Exception:
        pass
    axes = {0: "batch", 1: "sequence"}
    names = output_names(model.layer_names)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(_Export(model), _dummy(model), str(path), input_names=["input_ids", "attention_mask"],
                              output_names=names, opset_version=OPSET, do_constant_folding=True, dynamo=False,
                              dynamic_axes={"input_ids": axes, "attention_mask": axes, **{n: axes for n in names}})
    finally:
        try:
            if hasattr(encoder, "set_attn_implementation"):
                encoder.set_attn_implementation(before)
            else:
                encoder.config._attn_implementation = before
        except Exception:
            encoder.config._attn_implementation = before
        model.eval()


def _fuse(src: Path, dst: Path, config) -> bool:
    """ORT's transformer optimizer on ``src``; False when it does not apply to this encoder."""
    try:
        import logging

        from onnxruntime.transformers.optimizer import optimize_model

        logging.getLogger("onnxruntime.transformers").setLevel(logging.ERROR)
        heads = int(getattr(config, "num_attention_heads", 0) or 0)
        hidden = int(getattr(config, "hidden_size", 0) or 0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            optimized = optimize_model(str(src), model_type="bert", num_heads=heads, hidden_size=hidden)
            optimized.save_model_to_file(str(dst))
        return True
    except Exception:
        return False


def session(path: str | Path, threads: int | None = None):
    """An ONNX Runtime CPU session: ``threads`` intra-op threads (default: torch's, i.e. the cores)."""
    ort = _import_ort()
    if threads is None:
        import torch

        threads = torch.get_num_threads()
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = max(1, int(threads))
    opts.inter_op_num_threads = 1
    opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    opts.log_severity_level = 3
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def _largest_gap(model, path: Path) -> float:
    import numpy as np
    import torch

    ids, mask = _dummy(model)
    with torch.inference_mode():
        ref = _Export(model)(ids, mask)
    got = session(path, threads=1).run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    keep = mask.numpy().astype(bool)
    return max(float(np.abs(r.numpy()[keep] - g[keep]).max()) for r, g in zip(ref, got))


def export_model(model, path: str | Path, *, int8: bool = False) -> Path:
    """Write ``model`` (a MultiLayerTagger) as ONNX to ``path`` (fp32, or int8-quantized weights)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".export-") as tmp:
        plain, fused = Path(tmp) / "plain.onnx", Path(tmp) / "fused.onnx"
        if any(p.device.type != "cpu" for p in model.parameters()):
            import copy

            model = copy.deepcopy(model).cpu()
        model.eval()
        _trace(model, plain)
        if _largest_gap(model, plain) > CHECK_TOLERANCE:
            raise NisbaError(f"the ONNX export of this model does not reproduce it (probabilities differ by more "
                             f"than {CHECK_TOLERANCE}); use runtime torch")
        best = fused if _fuse(plain, fused, model.config) and _largest_gap(model, fused) <= CHECK_TOLERANCE else plain
        if int8:
            from onnx import TensorProto
            from onnxruntime.quantization import QuantType, quantize_dynamic

            quantized = Path(tmp) / "int8.onnx"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import logging

                level = logging.getLogger().level
                logging.getLogger().setLevel(logging.ERROR)  # its "consider pre-processing" advice
                try:
                    quantize_dynamic(str(best), str(quantized), weight_type=QuantType.QInt8,
                                     extra_options={"DefaultTensorType": TensorProto.FLOAT})
                finally:
                    logging.getLogger().setLevel(level)
            best = quantized
        staged = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        os.replace(best, staged)
        os.replace(staged, path)
    return path


def cache_dir(model_dir: str | Path) -> Path:
    """Where a model directory's exports live: ``<dir>/onnx``, or a temp folder when it is read-only."""
    here = Path(model_dir) / ONNX_DIR
    try:
        here.mkdir(exist_ok=True)
        probe = here / f".probe-{os.getpid()}"
        probe.touch()
        probe.unlink()
        return here
    except OSError:
        from training.train.model import weights_sha

        other = Path(tempfile.gettempdir()) / "nisba-onnx" / weights_sha(model_dir)[:16]
        other.mkdir(parents=True, exist_ok=True)
        return other


def onnx_path(model_dir: str | Path, int8: bool = False, sha: str | None = None) -> Path:
    from training.train.model import weights_sha

    sha = sha or weights_sha(model_dir)
    return cache_dir(model_dir) / f"{sha[:16]}-v{EXPORT_VERSION}{'.int8' if int8 else ''}.onnx"


def export_model_dir(model_dir: str | Path, *, int8: bool = False, model=None, force: bool = False) -> tuple[Path, bool]:
    """The cached ONNX file of a nisba model directory, exported when missing: (path, exported now).

    ``model``: the MultiLayerTagger already loaded from it (saves loading it again).
    """
    from training.train.model import weights_sha

    sha = weights_sha(model_dir)
    path = onnx_path(model_dir, int8, sha)
    if path.exists() and not force:
        return path, False
    if model is None:
        from training.train.model import load_model

        model, _, _ = load_model(model_dir)
    export_model(model, path, int8=int8)
    for old in path.parent.glob("*.onnx"):  # exports of earlier weights or an earlier exporter
        if not old.name.startswith(f"{sha[:16]}-v{EXPORT_VERSION}"):
            old.unlink(missing_ok=True)
    return path, True


class OnnxTagger:
    """Runs an exported tagger: ``(ids, mask) -> ([probs per layer], hidden or None)`` as numpy."""

    def __init__(self, path: str | Path, layer_names: list[str], threads: int | None = None):
        self.path = Path(path)
        self.session = session(path, threads)
        self.layer_names = list(layer_names)
        self._probs = [f"probs_{l}" for l in self.layer_names]
        have = {o.name for o in self.session.get_outputs()}
        missing = [n for n in self._probs if n not in have]
        if missing:
            raise NisbaError(f"{path}: an ONNX export of another model (no outputs {missing}); remove it to export again")

    def __call__(self, input_ids, attention_mask, hidden: bool = False):
        names = self._probs + (["hidden"] if hidden else [])
        out = self.session.run(names, {"input_ids": input_ids, "attention_mask": attention_mask})
        return out[:len(self._probs)], (out[-1] if hidden else None)
