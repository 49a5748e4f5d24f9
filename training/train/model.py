"""One encoder, one token-classification head per layer; save and load a nisba model directory.

Why one encoder with a head per layer: the layers overlap by design ("وكالة الانباء السورية"
is an ORG in entities and a SOURCE in claims; the clause of a CLAIM holds event triggers), so
one BIO sequence cannot hold them all. A head per layer gives every layer its own BIO sequence
over the same words, the encoder is shared (the layers help each other: a SOURCE is usually an
entity, a CUE sits next to one) and it costs one forward pass instead of one per layer. The
loss is the mean of the per-layer cross-entropies over labelled subwords. The alternative,
a separate model per layer, triples training and inference time and learns nothing jointly;
a single head over the product of the layers' labels explodes the label set.

Model directory (``format_version`` 1):

- ``config.json``: the encoder's transformers config (AutoConfig loads it);
- ``model.safetensors``: ``encoder.*`` and ``heads.<layer>.*`` weights;
- tokenizer files (AutoTokenizer loads them);
- ``nisba.json``: format_version, schema_fingerprint, layers, label_maps, model_version
  (``<name>-<sha256 of the weights, 8 hex>``), train_config (resolved), stats;
- ``log_history.json``: the Trainer's log (loss, eval F1 per evaluation).

``layer_view(model, layer)`` gives a plain ``AutoModelForTokenClassification`` for one layer
(same weights), for tools that expect one.

Not handled here: the training loop (train.py) and decoding (predict.py).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from torch import nn

from annotation.errors import NisbaError
from annotation.hashing import sha256_file
from annotation.schema.label_maps import bio_types, label_diff

MODEL_FORMAT_VERSION = 1
META_FILE = "nisba.json"
META_REQUIRED = ("format_version", "label_maps", "model_version", "schema_fingerprint")
WEIGHTS_FILE = "model.safetensors"


class MultiLayerTagger(nn.Module):
    """A transformers encoder with a linear BIO head per annotation layer."""

    def __init__(self, encoder, label_maps: dict[str, list[str]], dropout: float):
        super().__init__()
        if getattr(encoder, "pooler", None) is not None:
            encoder.pooler = None  # unused by token classification; unused weights break DDP's gradient sync
        self.encoder = encoder
        self.layer_names = list(label_maps)
        self.label_maps = {k: list(v) for k, v in label_maps.items()}
        hidden = encoder.config.hidden_size
        self.dropout = nn.Dropout(dropout)
        self.heads = nn.ModuleDict({layer: nn.Linear(hidden, len(labels)) for layer, labels in label_maps.items()})
        for head in self.heads.values():
            nn.init.normal_(head.weight, std=0.02)
            nn.init.zeros_(head.bias)

    @property
    def config(self):
        return self.encoder.config

    def forward(self, input_ids, attention_mask=None, labels=None, return_hidden: bool = False):
        states = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        hidden = self.dropout(states)
        logits = tuple(self.heads[layer](hidden) for layer in self.layer_names)
        out = {"logits": logits}
        if return_hidden:  # the attribution pair scorer's span vectors (training/predict/attribution.py)
            out["hidden"] = states
        if labels is not None:
            losses = []
            for k, layer_logits in enumerate(logits):
                target = labels[:, :, k]  # labels are (batch, position, layer)
                mask = target != -100
                # sum / max(count, 1): a batch with no labelled word in a layer adds 0, not NaN
                loss = nn.functional.cross_entropy(layer_logits.reshape(-1, layer_logits.shape[-1]),
                                                   target.reshape(-1), ignore_index=-100, reduction="sum")
                losses.append(loss / mask.sum().clamp(min=1))
            out = {"loss": torch.stack(losses).mean(), "logits": logits}
        return out


def label_maps_for(schema, layers: list[str]) -> dict[str, list[str]]:
    unknown = [l for l in layers if l not in schema.layer_names]
    if unknown:
        raise NisbaError(f"config model.layers names {unknown}, not in the schema (layers: {schema.layer_names})")
    return {layer: schema.layer(layer).bio_labels() for layer in layers}


def compare_label_maps(model_maps: dict[str, list[str]], schema, where: str) -> None:
    """Refuse a model whose label maps differ from the schema's, naming the labels that differ."""
    problems = []
    for layer, labels in model_maps.items():
        if layer not in schema.layer_names:
            problems.append(f"layer {layer!r} is not in the schema")
            continue
        expected = schema.layer(layer).bio_labels()
        if labels != expected:
            only_model, only_schema, _ = label_diff(bio_types(labels), bio_types(expected))
            only_model, only_schema = sorted(only_model), sorted(only_schema)
            if only_model or only_schema:
                problems.append(f"layer {layer!r}: only in the model {only_model}, only in the schema {only_schema}")
            else:
                problems.append(f"layer {layer!r}: same labels in another order")
    if problems:
        raise NisbaError(f"{where} was trained with another schema: " + "; ".join(problems)
                         + ". Train a new model with the current schema, or use the schema it was trained with.")


def read_meta(model_dir: str | Path) -> dict:
    path = Path(model_dir) / META_FILE
    if not path.exists():
        raise NisbaError(f"{model_dir}: not a nisba model directory (no {META_FILE}); "
                         "train one with `nisba train --data DIR --out DIR`")
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise NisbaError(f"{model_dir}: cannot read {META_FILE} ({exc}); train the model again") from None
    except json.JSONDecodeError as exc:
        raise NisbaError(f"{model_dir}: {META_FILE} is corrupt (not JSON: {exc.msg} at line {exc.lineno}, column "
                         f"{exc.colno}); train the model again or restore the file") from None
    if not isinstance(meta, dict):
        raise NisbaError(f"{model_dir}: {META_FILE} is corrupt (a {type(meta).__name__}, not an object)")
    missing = [k for k in META_REQUIRED if k not in meta]
    if missing and meta.get("format_version") == MODEL_FORMAT_VERSION:
        raise NisbaError(f"{model_dir}: {META_FILE} lacks {', '.join(missing)}; train the model again")
    version = meta.get("format_version")
    if version != MODEL_FORMAT_VERSION:
        raise NisbaError(f"{path}: model format_version {version!r}; this nisba reads {MODEL_FORMAT_VERSION}")
    return meta


def weights_sha(model_dir: str | Path) -> str:
    return sha256_file(Path(model_dir) / WEIGHTS_FILE)


def inputs_fingerprint() -> str:
    """What a model's predictions depend on besides its files: the input normalization, and the
    lexicon and sources its attribution linker falls back on (the rules)."""
    from training.predict.rules.predictor import rules_inputs_fingerprint

    return rules_inputs_fingerprint()


def version_hash(model_dir: str | Path, extra: dict | None = None, inputs: str | None = None) -> str:
    """The hash in model_version: the weights, the attribution head when there is one (so a
    model whose only change is its pair scorer still gets a new version) and ``inputs``
    (``inputs_fingerprint()``: a lexicon, sources or normalization edit gives a new version)."""
    digest = weights_sha(model_dir)
    head = ((extra or {}).get("attribution") or {}).get("sha256")
    digest = hashlib.sha256(f"{digest}|{head}".encode()).hexdigest() if head else digest
    return hashlib.sha256(f"{digest}|{inputs}".encode()).hexdigest() if inputs else digest


def save_model(model: MultiLayerTagger, tokenizer, out_dir: str | Path, *, schema, name: str,
               train_config: dict, extra: dict | None = None) -> dict:
    """Write weights, encoder config, tokenizer and nisba.json; returns the metadata written."""
    from safetensors.torch import save_file

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    inputs = inputs_fingerprint()
    model.encoder.config.save_pretrained(out)
    state = {k: v.detach().contiguous().cpu() for k, v in model.state_dict().items()}
    save_file(state, str(out / WEIGHTS_FILE), metadata={"format": "pt"})
    tokenizer.save_pretrained(out)
    meta = {
        "format_version": MODEL_FORMAT_VERSION,
        "schema_fingerprint": schema.fingerprint(),
        "layers": model.layer_names,
        "label_maps": model.label_maps,
        "model_version": f"{name}-{version_hash(out, extra, inputs)[:8]}",
        "inputs_fingerprint": inputs,
        "train_config": train_config,
        **(extra or {}),
    }
    (out / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    return meta


def read_weights(model_dir: Path) -> dict:
    """The state dict in WEIGHTS_FILE; a missing, truncated or corrupt file is a NisbaError naming it."""
    from safetensors.torch import load_file

    path = Path(model_dir) / WEIGHTS_FILE
    if not path.is_file():
        raise NisbaError(f"{model_dir}: no weights ({WEIGHTS_FILE} is missing); the training did not finish, "
                         "or the file was removed: train the model again")
    try:
        return load_file(str(path))
    except Exception as exc:  # safetensors raises its own SafetensorError (and OSError) for a broken file
        raise NisbaError(f"{model_dir}: the weights in {WEIGHTS_FILE} are unreadable ({path.stat().st_size} bytes: "
                         f"{str(exc)[:160]}); truncated or corrupt? Train the model again or restore the file") from None


def load_model(model_dir: str | Path, schema=None) -> tuple[MultiLayerTagger, object, dict]:
    """Load (model, tokenizer, meta); with a schema, refuse label maps that differ from it."""
    from safetensors.torch import load_file
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    model_dir = Path(model_dir)
    meta = read_meta(model_dir)
    if schema is not None:
        compare_label_maps(meta["label_maps"], schema, f"model {model_dir}")
    try:
        config = AutoConfig.from_pretrained(model_dir)
    except (OSError, ValueError) as exc:
        raise NisbaError(f"{model_dir}: the encoder's config.json is missing or unreadable ({str(exc)[:160]}); "
                         "train the model again") from None
    encoder = AutoModel.from_config(config)
    trained_with = (meta.get("train_config") or {}).get("model") or {}
    if "dropout" in trained_with:
        dropout = float(trained_with["dropout"])
    else:  # a model saved without its config: the setting lives in configs/train.yaml alone
        from training.train.config import load_config

        dropout = load_config().model.dropout
    model = MultiLayerTagger(encoder, meta["label_maps"], dropout)
    missing, unexpected = model.load_state_dict(read_weights(model_dir), strict=False)
    if missing or unexpected:
        raise NisbaError(f"{model_dir / WEIGHTS_FILE}: weights do not fit the model "
                         f"(missing {missing[:5]}, unexpected {unexpected[:5]})")
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
    except (OSError, ValueError, RuntimeError) as exc:  # tokenizers' own errors for a broken tokenizer.json
        raise NisbaError(f"{model_dir}: the tokenizer files are missing or unreadable ({str(exc)[:160]}); "
                         "train the model again") from None
    model.eval()
    return model, tokenizer, meta


def layer_view(model: MultiLayerTagger, layer: str):
    """A plain AutoModelForTokenClassification for one layer, sharing nothing but copied weights."""
    import copy

    from transformers import AutoModelForTokenClassification

    labels = model.label_maps[layer]
    config = copy.deepcopy(model.encoder.config)
    config.num_labels = len(labels)
    config.id2label = dict(enumerate(labels))
    config.label2id = {l: i for i, l in enumerate(labels)}
    view = AutoModelForTokenClassification.from_config(config)
    base = getattr(view, view.base_model_prefix)
    missing, _ = base.load_state_dict(model.encoder.state_dict(), strict=False)
    if missing:
        raise NisbaError(f"layer view of {layer!r}: encoder weights missing {missing[:5]}")
    view.classifier.load_state_dict(model.heads[layer].state_dict())
    view.eval()
    return view
