"""Fine-tune the multi-layer tagger on a pulled document-view DatasetDict with the HF Trainer.

``train(data, out_dir, cfg)`` reads the dataset (``datasets.load_from_disk`` of a pull), checks
its labels against the schema, turns rows into windows (features.py), trains with
``transformers.Trainer`` and writes a model directory (model.py) into ``out_dir``.

- checkpoints go to ``out_dir/checkpoints`` every evaluation; a run that stops (Ctrl-C, a
  killed job, a lost node) resumes from the last one when the same command is run again;
  ``out_dir/checkpoints/run.json`` holds the run's config so an unrelated run is refused
  instead of silently resumed;
- early stopping on the validation span F1 (micro over the layers, exact word spans), the
  best checkpoint is the one saved;
- progress bars are the Trainer's tqdm bars; ``training.progress=false`` turns them off;
- under ``accelerate launch`` (several GPUs, nodes, or CPU processes with gloo) the same code
  runs data-parallel: the Trainer reads the launcher's environment;
- errors that lose no work: labels that differ from the model's, an empty split, running out
  of memory (suggests a smaller batch size; the checkpoints stay, the rerun resumes).

Not handled here: reports and metrics on the test split (evaluate.py), pre-training (pretrain.py).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict
from pathlib import Path

from annotation.errors import NisbaError
from training.train.config import TrainConfig

RUN_FILE = "run.json"


def _is_main() -> bool:
    return int(os.environ.get("RANK", "0")) == 0


def _say(message: str) -> None:
    if _is_main():
        from rich.console import Console

        Console(stderr=True).print(message, highlight=False)


def load_data(data):
    """A DatasetDict from a directory written by the pull (``save_to_disk``), or one given as is."""
    from annotation.dataset.layout import load_pulled

    return load_pulled(data)


def choose_splits(dsd, cfg: TrainConfig, where: str):
    """(train, eval) splits; without an eval split, 10% of train documents (by content hash)."""
    d = cfg.data
    if d.train_split not in dsd:
        raise NisbaError(f"{where}: no {d.train_split!r} split (splits: {sorted(dsd)}); set data.train_split=")
    train = dsd[d.train_split]
    if len(train) == 0:
        raise NisbaError(f"{where}: the {d.train_split!r} split is empty; annotate and pull some tasks first")
    if d.eval_split in dsd:
        evaluation = dsd[d.eval_split]
        if len(evaluation) == 0:
            raise NisbaError(f"{where}: the {d.eval_split!r} split is empty; early stopping needs validation "
                             f"documents (pull with a validation share, or set data.eval_split= to a missing split "
                             "to hold out 10% of train)")
        return train, evaluation
    if len(train) < 2:
        raise NisbaError(f"{where}: no {d.eval_split!r} split and only {len(train)} train document(s) to hold out from")
    held = [i for i, row_id in enumerate(train["id"]) if int(row_id[:8], 16) % 10 == 0] or [len(train) - 1]
    held_set = set(held)
    kept = [i for i in range(len(train)) if i not in held_set]
    _say(f"no {d.eval_split!r} split: holding out {len(held)} of {len(train)} train documents for validation")
    return train.select(kept), train.select(held)


class WindowDataset:
    """Windows as a torch-style dataset of plain dicts."""

    def __init__(self, windows):
        self.windows = windows

    def __len__(self):
        return len(self.windows)

    def __getitem__(self, i):
        w = self.windows[i]
        return {"input_ids": w.input_ids, "labels": w.labels}


class Collator:
    """Pads input_ids (pad id), attention_mask (0) and labels (-100) to the longest window."""

    def __init__(self, pad_id: int):
        self.pad_id = pad_id

    def __call__(self, batch):
        import torch

        width = max(len(b["input_ids"]) for b in batch)
        ids = torch.full((len(batch), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        n_layers = len(batch[0]["labels"])
        # (batch, position, layer): the Trainer pads and gathers along dim 1, which must be the positions
        labels = torch.full((len(batch), width, n_layers), -100, dtype=torch.long)
        for i, b in enumerate(batch):
            n = len(b["input_ids"])
            ids[i, :n] = torch.tensor(b["input_ids"])
            mask[i, :n] = 1
            labels[i, :n, :] = torch.tensor(b["labels"]).T
        return {"input_ids": ids, "attention_mask": mask, "labels": labels}


def span_f1_metrics(preds, labels, label_maps: dict[str, list[str]]) -> dict:
    """Exact-span P/R/F1 per layer on labelled words, and micro F1 over all layers (``f1``).

    ``preds`` and ``labels`` are (windows, positions, layers); -100 marks unlabelled positions.
    """
    from annotation.dataset.scores import exact_counts, precision_recall_f1
    from annotation.text.tokens import tags_to_spans

    out = {}
    total = [0, 0, 0]  # true positives, predicted, gold
    for k, (layer, names) in enumerate(label_maps.items()):
        tp = n_pred = n_gold = 0
        for row_pred, row_gold in zip(preds[:, :, k], labels[:, :, k]):
            keep = row_gold != -100
            gold_tags = [names[i] for i in row_gold[keep]]
            pred_tags = [names[i] if 0 <= i < len(names) else "O" for i in row_pred[keep]]
            toks = [(i, i + 1) for i in range(len(gold_tags))]
            counts = exact_counts(tags_to_spans(toks, gold_tags), tags_to_spans(toks, pred_tags))
            tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
        prf = precision_recall_f1(tp, n_pred, n_gold)
        out[f"{layer}_precision"], out[f"{layer}_recall"], out[f"{layer}_f1"] = prf
        total = [total[0] + tp, total[1] + n_pred, total[2] + n_gold]
    out["f1"] = precision_recall_f1(*total)[2]
    return out


def pretraining_info(source) -> dict | None:
    """The corpora (and their licenses) the default encoder in ``source`` was pre-trained on,
    from its pretrain.json, for nisba.json and the model card; None for another encoder."""
    info_path = Path(source) / "pretrain.json"
    if not info_path.is_file():
        return None
    from training.train.pretrain import corpus_licenses

    info = json.loads(info_path.read_text(encoding="utf-8"))
    stats = info.get("stats") or {}
    config = info.get("config") or {}
    return {"corpora": stats.get("corpora") or corpus_licenses(config.get("corpora") or []),
            "tokens": stats.get("tokens"), "steps": stats.get("steps"), "seconds": stats.get("seconds"),
            "held_out": stats.get("held_out", ""), "fingerprint": Path(source).name}


def resolve_model_source(cfg: TrainConfig) -> Path | str:
    """Where the encoder comes from: the cached default, a local directory, or a hub name."""
    name = cfg.model.name
    if name == "default":
        from training.train.pretrain import ensure_pretrained

        if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not _pretrained_ready(cfg):
            raise NisbaError("the default model is not built yet; run `nisba pretrain` (or `make pretrain`) once "
                             "before a distributed run, so the processes do not all build it")
        return ensure_pretrained(cfg.pretrain, progress=cfg.training.progress)
    if Path(name).is_dir():
        return Path(name)
    if Path(name).exists() or name.startswith((".", "/")):
        raise NisbaError(f"model.name {name!r}: not a directory")
    return name


def _pretrained_ready(cfg: TrainConfig) -> bool:
    from training.train.pretrain import pretrained_dir

    return (pretrained_dir(cfg.pretrain) / "DONE").exists()


def build_model(source, label_maps: dict[str, list[str]], cfg: TrainConfig, schema):
    """(model, tokenizer) from a nisba model dir (its heads are kept) or any AutoModel checkpoint."""
    from transformers import AutoModel, AutoTokenizer

    from training.train.model import META_FILE, MultiLayerTagger, load_model

    if isinstance(source, Path) and (source / META_FILE).exists():
        previous, tokenizer, meta = load_model(source)
        from training.train.model import compare_label_maps

        compare_label_maps({l: m for l, m in meta["label_maps"].items() if l in label_maps}, schema, f"model {source}")
        model = MultiLayerTagger(previous.encoder, label_maps, cfg.model.dropout)
        for layer in label_maps:
            if layer in previous.heads:
                model.heads[layer].load_state_dict(previous.heads[layer].state_dict())
        return model, tokenizer
    try:
        tokenizer = AutoTokenizer.from_pretrained(str(source))
        encoder = AutoModel.from_pretrained(str(source))
    except OSError as exc:
        offline = os.environ.get("HF_HUB_OFFLINE") == "1"
        hint = " (the hub is offline here: name a local directory, or use model.name=default)" if offline else ""
        raise NisbaError(f"model.name {str(source)!r}: cannot load it{hint}: {str(exc).splitlines()[0]}") from None
    if not getattr(tokenizer, "is_fast", False):
        raise NisbaError(f"model {source}: its tokenizer is not a fast tokenizer; nisba needs word_ids() to align labels")
    return MultiLayerTagger(encoder, label_maps, cfg.model.dropout), tokenizer


def _run_fingerprint(cfg: TrainConfig, n_train: int, n_eval: int) -> dict:
    keep = asdict(cfg)
    keep["training"] = {k: v for k, v in keep["training"].items() if k not in ("progress",)}
    return {"config": keep, "n_train": n_train, "n_eval": n_eval}


def _check_resume(ckpt_dir: Path, run: dict) -> str | None:
    from transformers.trainer_utils import get_last_checkpoint

    if not ckpt_dir.is_dir():
        return None
    last = get_last_checkpoint(str(ckpt_dir))
    if last is None:
        return None
    run_file = ckpt_dir / RUN_FILE
    if run_file.exists():
        before = json.loads(run_file.read_text(encoding="utf-8"))
        if before != run:
            diff = _diff_keys(before, run)
            raise NisbaError(f"{ckpt_dir}: holds checkpoints of another run (differs at {', '.join(diff[:6])}); "
                             "use another --out, or delete that folder to start over")
    return last


def _diff_keys(a, b, prefix="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += _diff_keys(a.get(k), b.get(k), f"{prefix}{k}.")
        return out
    return [] if a == b else [prefix.rstrip(".")]


def _is_oom(exc: BaseException) -> bool:
    import torch

    if isinstance(exc, torch.OutOfMemoryError):
        return True
    text = str(exc).lower()
    return isinstance(exc, RuntimeError) and ("out of memory" in text or "can't allocate memory" in text)


def _early_stopping(patience: int):
    """Early stopping on validation F1 that starts counting once the model finds any span.

    A small model on little data predicts only O for its first epochs (F1 0.0, loss still
    falling); plain patience would stop it there, before it learned anything.
    """
    from transformers import EarlyStoppingCallback

    class StopWhenF1Stalls(EarlyStoppingCallback):
        def check_metric_value(self, args, state, control, metric_value):
            if not metric_value and not state.best_metric:
                self.early_stopping_patience_counter = 0
                return
            super().check_metric_value(args, state, control, metric_value)

    return StopWhenF1Stalls(early_stopping_patience=patience)


def train(data, out_dir: str | Path, cfg: TrainConfig, *, schema=None, callbacks=(), name: str | None = None) -> dict:
    """Train and save a model into ``out_dir``; returns the model's nisba.json metadata.

    ``model.name=crf`` trains the feature CRF instead (training/train/crf_data.py), no encoder.
    A ``combination.json`` chosen for the model the directory held before (training/train/combine.py)
    is removed, saying so: it no longer applies, and ``nisba combine`` chooses again.
    """
    from training.predict.combine import drop_stale_combination

    meta = _train(data, out_dir, cfg, schema=schema, callbacks=callbacks, name=name)
    if meta and drop_stale_combination(out_dir, meta.get("model_version")):
        _say(f"{out_dir}: combination.json was chosen for the previous model; removed "
             f"(`nisba combine --model {out_dir}` chooses again)")
    return meta


def _train(data, out_dir: str | Path, cfg: TrainConfig, *, schema=None, callbacks=(), name: str | None = None) -> dict:
    if cfg.model.name == "crf":
        from training.train.crf_data import train_crf_on

        return train_crf_on(data, out_dir, cfg, schema=schema, name=name, say=_say)
    import numpy as np
    import torch
    from transformers import Trainer, TrainingArguments, set_seed

    from annotation.schema.schema import load_schema
    from training.train.features import check_labels, dataset_label_names, document_words, encode_documents
    from training.train.model import label_maps_for, save_model

    schema = schema or load_schema()
    out = Path(out_dir)
    where = str(data) if not hasattr(data, "keys") else "dataset"
    dsd = load_data(data)
    layers = list(cfg.model.layers)
    label_maps = label_maps_for(schema, layers)
    train_rows, eval_rows = choose_splits(dsd, cfg, where)
    names = dataset_label_names(train_rows.features, layers)
    check_labels(names, label_maps, where)
    set_seed(cfg.training.seed)

    source = resolve_model_source(cfg)
    model, tokenizer = build_model(source, label_maps, cfg, schema)
    unk = tokenizer.unk_token or "[UNK]"

    def windows(rows, split):
        docs = [document_words(row, layers, names, unk) for row in rows]
        problems = [p for d in docs for p in d.problems]
        if problems:
            _say(f"{split}: {len(problems)} span(s) left out of the BIO tags (e.g. task {problems[0]['task_id']}: "
                 f"{problems[0]['layer']} {problems[0]['label']} {problems[0]['text']!r}: {problems[0]['problem']})")
        for layer in layers:
            if split == "train" and not any(t != "O" for d in docs for t in d.tags[layer]):
                _say(f"train: layer {layer!r} has no spans; its head will only learn O")
        return encode_documents(docs, tokenizer, cfg.data.max_length, cfg.data.stride, label_maps), problems

    train_windows, train_problems = windows(train_rows, "train")
    eval_windows, _ = windows(eval_rows, "validation")
    _say(f"train: {len(train_rows)} documents -> {len(train_windows)} windows; "
         f"validation: {len(eval_rows)} documents -> {len(eval_windows)} windows; layers {layers}; encoder {source}")

    ckpt_dir = out / "checkpoints"
    run = _run_fingerprint(cfg, len(train_rows), len(eval_rows))
    last = _check_resume(ckpt_dir, run)
    if _is_main():
        ckpt_dir.mkdir(parents=True, exist_ok=True)
        (ckpt_dir / RUN_FILE).write_text(json.dumps(run, indent=2), encoding="utf-8")
    if last:
        _say(f"resuming from {last}")

    t = cfg.training
    by_epoch = t.eval_every == "epoch"
    args = TrainingArguments(
        output_dir=str(ckpt_dir),
        num_train_epochs=t.epochs,
        learning_rate=t.learning_rate,
        per_device_train_batch_size=t.batch_size,
        per_device_eval_batch_size=t.eval_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        weight_decay=t.weight_decay,
        warmup_steps=float(t.warmup_ratio),  # a float in [0, 1) is a ratio of total steps
        seed=t.seed,
        eval_strategy="epoch" if by_epoch else "steps",
        save_strategy="epoch" if by_epoch else "steps",
        eval_steps=None if by_epoch else int(t.eval_every),
        save_steps=None if by_epoch else int(t.eval_every),
        save_total_limit=max(t.save_total_limit, 2),
        load_best_model_at_end=True,
        metric_for_best_model="f1",
        greater_is_better=True,
        logging_steps=t.logging_steps,
        report_to="none",
        disable_tqdm=not t.progress,
        fp16=t.fp16 and torch.cuda.is_available(),
        use_cpu=not torch.cuda.is_available(),
        label_names=["labels"],
        remove_unused_columns=False,
        dataloader_num_workers=0,
        ddp_find_unused_parameters=False,
    )

    def preprocess(logits, labels):
        return torch.stack([l.argmax(-1) for l in logits], dim=-1)  # (batch, position, layer)

    def metrics(eval_pred):
        preds, gold = eval_pred.predictions, eval_pred.label_ids
        return span_f1_metrics(np.asarray(preds), np.asarray(gold), label_maps)

    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=WindowDataset(train_windows),
        eval_dataset=WindowDataset(eval_windows),
        data_collator=Collator(tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0),
        compute_metrics=metrics,
        preprocess_logits_for_metrics=preprocess,
        callbacks=[_early_stopping(t.early_stopping_patience), *callbacks],
    )
    started = time.perf_counter()
    try:
        result = trainer.train(resume_from_checkpoint=last)
    except Exception as exc:
        if _is_oom(exc):
            raise NisbaError(
                f"out of memory at training.batch_size={t.batch_size} (max_length {cfg.data.max_length}); "
                f"try training.batch_size={max(1, t.batch_size // 2)} with "
                f"training.gradient_accumulation_steps={t.gradient_accumulation_steps * 2} (same effective batch), "
                f"or a smaller data.max_length. Checkpoints so far are in {ckpt_dir}; the rerun resumes from them."
            ) from None
        raise
    elapsed = time.perf_counter() - started
    state = trainer.state
    epochs_run = float(state.epoch or 0)
    n_tokens = sum(len(w.input_ids) for w in train_windows)
    stats = {
        "train_runtime_s": round(elapsed, 2),
        "train_tokens_per_s": round(n_tokens * epochs_run / elapsed, 1) if elapsed else None,
        "train_loss": round(float(result.training_loss), 5),
        "epochs_run": epochs_run,
        "global_step": state.global_step,
        "best_metric": state.best_metric,
        "best_checkpoint": state.best_model_checkpoint,
        "resumed_from": last,
        "world_size": args.world_size,
        "n_train_documents": len(train_rows),
        "n_eval_documents": len(eval_rows),
        "n_train_windows": len(train_windows),
        "train_span_problems": len(train_problems),
    }
    meta = {}
    if trainer.is_world_process_zero():
        unwrapped = trainer.accelerator.unwrap_model(trainer.model)
        extra = {"encoder_source": str(source), "train_stats": stats}
        pretraining = pretraining_info(source)
        if pretraining:
            extra["pretraining"] = pretraining
        from training.train.attribution import maybe_train_attribution

        attribution = maybe_train_attribution(unwrapped, tokenizer, cfg, schema, train_rows, eval_rows, out, say=_say)
        if attribution:
            extra["attribution"] = attribution
        if schema.event_roles:  # event arguments: the role classifier over the model's triggers and entities
            from training.predict.event_roles import rows_with_triggers, train_into

            roles = train_into(out, rows_with_triggers(train_rows, schema), schema.roles, say=_say)
            if roles:
                extra["event_roles"] = roles
        meta = save_model(unwrapped, tokenizer, out, schema=schema, name=name or out.resolve().name,
                          train_config=cfg.to_dict(), extra=extra)
        (out / "log_history.json").write_text(json.dumps({"format_version": 1, "log_history": state.log_history},
                                                         indent=2), encoding="utf-8")
        _say(f"model saved to {out} ({meta['model_version']}); best validation F1 {state.best_metric}")
    trainer.accelerator.wait_for_everyone()
    return meta
