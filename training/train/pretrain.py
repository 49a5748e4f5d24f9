"""The offline default model: a WordPiece tokenizer and a small BERT pre-trained (MLM) on local text.

There is no model hub here, so ``model.name: default`` in configs/train.yaml means the encoder
this module builds from the registered corpora (``pretrain.corpora``, read through
``annotation.corpora.corpus_texts``):

1. every sentence is pretokenized (annotation/text/tokens.py) and normalized (annotation/text/normalize.py),
   exactly as fine-tuning and prediction will see it;
2. a WordPiece tokenizer (``tokenizers``) is trained on those words;
3. a BertForMaskedLM of the configured size is pre-trained with masked-language modelling on
   sentences packed into sequences of ``pretrain.max_length`` subwords.

Budget (``make pretrain`` on 2 cores): ``max_words_per_corpus`` caps each corpus's words (SaudiNewsNet
has 8.5M; its nisba-gold dev/test articles are always left out), ``max_steps`` caps the optimizer
steps, and ``save_steps`` checkpoints often enough that an interrupted run loses little.

The result is cached in ``<cache_dir>/<fingerprint of the pretrain config>`` (default
``.nisba/pretrained/…``) and built once; ``nisba pretrain`` builds it ahead of time (a
distributed training run needs it built first). A half-built model resumes from its last
checkpoint. The folder holds HF weights, the tokenizer, ``pretrain.json`` (format_version,
config, stats) and a ``DONE`` marker written last.

Not handled here: fine-tuning (train.py). Any checkpoint AutoModel can load may be named in
``model.name`` instead of ``default``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import asdict
from pathlib import Path
from typing import Iterable

from annotation.errors import NisbaError
from annotation.hashing import sha256_text
from training.train.config import PretrainConfig
from annotation.text.normalize import normalize
from annotation.text.tokens import pretokenize

PRETRAIN_FORMAT_VERSION = 1
from annotation.paths import REPO_ROOT
SPECIAL_TOKENS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _local_corpus_texts(name: str) -> Iterable[str]:
    """Fallback reader (token per line, tag after a tab or space) over ../shared/data/NAME."""
    folder = REPO_ROOT.parent / "shared" / "data" / name
    files = sorted(folder.glob("*.txt")) if folder.is_dir() else []
    files = [f for f in files if f.name.lower() not in ("license.txt", "readme.txt")]
    if not files:
        raise NisbaError(f"corpus {name!r}: not registered and nothing in {folder}")
    words: list[str] = []
    for line in files[0].read_text(encoding="utf-8-sig").splitlines():
        token = line.replace("\u200e", "").strip().split("\t")[0].split(" ")[0] if line.strip() else ""
        if token:
            words.append(token)
        if (not token or token in (".", "!", "?", "؟")) and words:
            yield " ".join(words)
            words = []
    if words:
        yield " ".join(words)


# held-out text never pre-trained on: nisba-gold's dev and test articles are SaudiNewsNet articles
HELD_OUT_SPLITS = ("dev", "test")


def held_out_sha256() -> set[str]:
    """sha256 of the texts of nisba-gold's dev and test articles (configs/nisba-gold/articles.jsonl)."""
    from annotation.corpora.nisba_gold import load_articles

    return {a["sha256"] for a in load_articles() if a.get("split") in HELD_OUT_SPLITS}


def held_out_key(corpora) -> str:
    """A short hash of the articles left out, for the cache keys of what is built from
    SaudiNewsNet (the pre-trained encoder, the word clusters): a dev or test split that grows
    makes them again. "" when SaudiNewsNet is not among ``corpora``."""
    if "saudinewsnet" not in corpora:
        return ""
    return sha256_text("\n".join(sorted(held_out_sha256())))[:8]


def _saudinewsnet_paragraphs() -> Iterable[str]:
    """SaudiNewsNet's paragraphs, article by article, without nisba-gold's dev and test articles."""
    from annotation.corpora.documents import read_corpus

    held_out = held_out_sha256()
    for doc in read_corpus("saudinewsnet").documents:
        if doc.meta.get("sha256") not in held_out:
            yield from (line.strip() for line in doc.text.splitlines() if line.strip())


def corpus_sentences(names: list[str], max_words_per_corpus: int = 0) -> list[str]:
    """The plain sentence texts of the registered corpora, in registry order.

    ``max_words_per_corpus`` > 0 keeps each corpus's first sentences up to that many words.
    SaudiNewsNet is read without the articles of nisba-gold dev and test (its held-out text).
    """
    try:
        from annotation.corpora.documents import corpus_texts
    except ModuleNotFoundError:
        corpus_texts = _local_corpus_texts
    out: list[str] = []
    for name in names:
        words = 0
        texts = _saudinewsnet_paragraphs() if name == "saudinewsnet" else corpus_texts(name)
        for t in texts:
            if not t.strip():
                continue
            out.append(t)
            words += t.count(" ") + 1
            if max_words_per_corpus and words >= max_words_per_corpus:
                break
    if not out:
        raise NisbaError(f"pretrain.corpora {names}: no text read")
    return out


def model_words(text: str) -> list[str]:
    """The words the model sees for a text: pretokenized, normalized (empty ones dropped)."""
    return [w for w in (normalize(text[s:e]) for s, e in pretokenize(text)) if w]


def pretrained_dir(pcfg: PretrainConfig, texts: list[str] | None = None) -> Path:
    key = pcfg.fingerprint()
    held_out = held_out_key(pcfg.corpora) if texts is None else ""
    if held_out:
        key += "-" + held_out
    if texts is not None:  # given texts instead of the corpora (tests): they are part of the identity
        key += "-" + hashlib.sha256("\n".join(texts).encode()).hexdigest()[:8]
    cache = Path(pcfg.cache_dir)
    cache = cache if cache.is_absolute() else REPO_ROOT / cache
    return cache / key


def train_tokenizer(word_lists: list[list[str]], vocab_size: int, min_frequency: int, max_length: int):
    """A WordPiece fast tokenizer over already split words ([CLS] ... [SEP] around a sequence)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordPiece(unk_token="[UNK]", max_input_chars_per_word=100))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, min_frequency=min_frequency,
                                        special_tokens=SPECIAL_TOKENS, show_progress=False)
    tok.train_from_iterator((" ".join(words) for words in word_lists), trainer)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls), ("[SEP]", sep)])
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_max_length=max_length)


def pack_sequences(word_lists: list[list[str]], tokenizer, max_length: int) -> list[list[int]]:
    """Consecutive sentences packed into [CLS] ... [SEP] sequences of at most max_length subwords."""
    size = max_length - 2
    enc = tokenizer(word_lists, is_split_into_words=True, add_special_tokens=False)["input_ids"]
    out, cur = [], []
    for ids in enc:
        ids = ids[:size]
        if cur and len(cur) + len(ids) > size:
            out.append(cur)
            cur = []
        cur = cur + ids
    if cur:
        out.append(cur)
    return [[tokenizer.cls_token_id] + ids + [tokenizer.sep_token_id] for ids in out]


class SparseMLM:
    """Wraps a BertForMaskedLM so the vocabulary projection runs on masked positions only.

    The stock head projects every position onto the whole vocabulary, which on a CPU costs more
    than the encoder itself; only the ~15% masked positions carry a loss, so only they are projected.
    """

    def __new__(cls, mlm):
        import torch
        from torch import nn

        class _SparseMLM(nn.Module):
            def __init__(self, mlm):
                super().__init__()
                self.mlm = mlm

            def forward(self, input_ids, attention_mask=None, labels=None):
                base = getattr(self.mlm, self.mlm.base_model_prefix)
                hidden = base(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
                picked = labels != -100
                logits = self.mlm.cls(hidden[picked])
                loss = nn.functional.cross_entropy(logits, labels[picked]) if picked.any() else hidden.sum() * 0.0
                return {"loss": loss, "logits": torch.empty(0)}

        return _SparseMLM(mlm)


def build_pretrained(pcfg: PretrainConfig, texts: list[str], out: Path, progress: bool) -> dict:
    """Train tokenizer and MLM encoder into ``out``; returns the stats written to pretrain.json."""
    import torch
    from transformers import (BertConfig, BertForMaskedLM, DataCollatorForLanguageModeling, Trainer,
                              TrainingArguments, set_seed)
    from transformers.trainer_utils import get_last_checkpoint

    set_seed(pcfg.seed)
    started = time.perf_counter()
    partial = out.with_name(out.name + ".partial")
    partial.mkdir(parents=True, exist_ok=True)
    word_lists = [w for w in (model_words(t) for t in texts) if w]
    tokenizer = train_tokenizer(word_lists, pcfg.vocab_size, pcfg.min_frequency, pcfg.max_length)
    sequences = pack_sequences(word_lists, tokenizer, pcfg.max_length)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=pcfg.hidden_size, num_hidden_layers=pcfg.num_layers,
                        num_attention_heads=pcfg.num_heads, intermediate_size=pcfg.intermediate_size,
                        max_position_embeddings=pcfg.max_position_embeddings, pad_token_id=tokenizer.pad_token_id,
                        tie_word_embeddings=False)  # untied: checkpoints are plain state dicts (no shared tensors)
    model = BertForMaskedLM(config)
    collator = DataCollatorForLanguageModeling(tokenizer, mlm=True, mlm_probability=pcfg.mlm_probability)
    args = TrainingArguments(
        output_dir=str(partial / "checkpoints"), num_train_epochs=pcfg.epochs, learning_rate=pcfg.learning_rate,
        max_steps=pcfg.max_steps or -1,  # a budget: the progress bar counts to it
        per_device_train_batch_size=pcfg.batch_size, warmup_steps=0.06, weight_decay=0.01, seed=pcfg.seed,
        save_strategy="steps" if pcfg.save_steps else "epoch", save_steps=pcfg.save_steps or 500, save_total_limit=1, logging_steps=max(1, len(sequences) // pcfg.batch_size // 4),
        report_to="none", disable_tqdm=not progress, use_cpu=not torch.cuda.is_available(),
        remove_unused_columns=False, dataloader_num_workers=0)
    dataset = [{"input_ids": s} for s in sequences]
    trainer = Trainer(model=SparseMLM(model), args=args, train_dataset=dataset, data_collator=collator)
    last = get_last_checkpoint(str(partial / "checkpoints")) if (partial / "checkpoints").is_dir() else None
    result = trainer.train(resume_from_checkpoint=last)
    losses = [h["loss"] for h in trainer.state.log_history if "loss" in h]
    elapsed = time.perf_counter() - started
    n_tokens = sum(len(s) for s in sequences)
    stats = {
        "sentences": len(texts), "sequences": len(sequences), "tokens": n_tokens, "vocab_size": len(tokenizer),
        "parameters": sum(p.numel() for p in model.parameters()),
        "first_loss": losses[0] if losses else None, "last_loss": losses[-1] if losses else None,
        "train_loss": float(result.training_loss), "seconds": round(elapsed, 1),
        "train_tokens_per_s": round(n_tokens * float(trainer.state.epoch or 0) / elapsed, 1),
        "steps": trainer.state.global_step, "resumed_from": last, "corpora": corpus_licenses(pcfg.corpora),
        "held_out": (f"nisba-gold {'/'.join(HELD_OUT_SPLITS)} articles left out of saudinewsnet"
                     if "saudinewsnet" in pcfg.corpora else ""),
    }
    model.save_pretrained(partial / "model")
    tokenizer.save_pretrained(partial / "model")
    (partial / "model" / "pretrain.json").write_text(json.dumps(
        {"format_version": PRETRAIN_FORMAT_VERSION, "config": asdict(pcfg), "stats": stats}, indent=2), encoding="utf-8")
    if out.exists():
        shutil.rmtree(out)
    (partial / "model").rename(out)
    (out / "DONE").write_text("ok\n", encoding="utf-8")
    shutil.rmtree(partial, ignore_errors=True)
    return stats


def corpus_licenses(names) -> dict[str, str]:
    """{corpus: its license} from the corpus registry (configs/corpora.yaml), for model cards."""
    from annotation.corpora.registry import corpus_spec

    out = {}
    for n in names:
        try:
            out[n] = corpus_spec(n).license
        except NisbaError:  # an unregistered corpus (a test's): no license known
            out[n] = ""
    return out


def ensure_pretrained(pcfg: PretrainConfig, texts: list[str] | None = None, *, progress: bool,
                      force: bool = False) -> Path:
    """The cached default model's directory, building it first when it is not there."""
    out = pretrained_dir(pcfg, texts)
    if (out / "DONE").exists() and not force:
        return out
    from rich.console import Console

    console = Console(stderr=True)
    console.print(f"building the default model in {out} (once; corpora {pcfg.corpora}, "
                  f"{pcfg.num_layers} layers x {pcfg.hidden_size})", highlight=False)
    sentences = texts if texts is not None else corpus_sentences(list(pcfg.corpora), pcfg.max_words_per_corpus)
    stats = build_pretrained(pcfg, sentences, out, progress)
    console.print(f"default model ready: {out} (MLM loss {stats['first_loss']} -> {stats['last_loss']}, "
                  f"{stats['seconds']} s)", highlight=False)
    return out
