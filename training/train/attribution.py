"""Training the attribution head: the pair scorer of training/predict/attribution.py, on gold pairs.

After the token heads are trained, the frozen encoder's span vectors are computed once for the
train and validation documents (words cut at gold edges), the gold relations become groups of
(region, [gold candidate, negatives...]) and a PairScorer per relation is trained with binary
cross-entropy; ``save_scorer`` writes ``attribution_head.pt`` and returns the
``nisba.json["attribution"]`` entry that ``training.predict.attribution.load_attribution`` reads.

Not handled here: linking at predict time (training/predict/attribution.py).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import numpy as np
import torch
from torch import nn

from annotation.convert.regions import Region, Relation
from annotation.hashing import sha256_file
from annotation.schema.schema import default_roles
from training.predict.attribution import (
    ATTRIBUTION_FORMAT_VERSION,
    HEAD_FILE,
    RELATIONS,
    PairScorer,
    WordVectors,
    _nearest,
    pair_geometry,
    span_vector,
    span_words,
)
from training.predict.tagger import ModelPredictor


def _gold_groups(text: str, offsets, regions: list[Region], relations: list[Relation], max_negatives: int):
    """Per relation, training groups (a region, [candidate regions], [labels]) from gold."""
    roles = default_roles()
    by_id = {r.id: r for r in regions}
    sources = [r for r in regions if roles.is_(r, "source")]
    outlets = [r for r in regions if roles.is_(r, "outlet") or roles.is_(r, "source")]
    groups = []
    for rel_label, pool in ((roles.claim_source, sources), (roles.source_outlet, outlets)):
        for rel in relations:
            if rel.label != rel_label or rel.from_id not in by_id or rel.to_id not in by_id:
                continue
            a, gold = by_id[rel.from_id], by_id[rel.to_id]
            gold_sid = gold.choices.get(roles.source_id, "")
            negatives = [c for c in pool if c.id != a.id and (c.start, c.end) != (gold.start, gold.end)
                         and not (gold_sid and gold_sid != "other" and c.choices.get(roles.source_id) == gold_sid)
                         and not any(x.label == rel_label and x.from_id == a.id and x.to_id == c.id for x in relations)]
            order = _nearest((a.start, a.end), [(c.start, c.end) for c in negatives], max_negatives)
            groups.append((rel_label, a, [gold] + [negatives[i] for i in order], [1.0] + [0.0] * len(order)))
    return groups


def _document_vectors(predictor, rows: list[dict], schema, batch_size: int):
    """Per row: (text, word offsets cut at gold edges, WordVectors, regions, relations)."""
    from annotation.convert.document import document_to_regions
    from training.train.features import Words
    from annotation.text.normalize import normalize
    from annotation.text.tokens import pretokenize

    unk = predictor.tokenizer.unk_token or "[UNK]"
    docs, parsed = [], []
    for row in rows:
        regions, relations = document_to_regions(row, schema)
        cuts = {x for r in regions for x in (r.start, r.end)}
        offsets = pretokenize(row["text"], cuts)
        docs.append(Words(offsets, [normalize(row["text"][s:e]) or unk for s, e in offsets]))
        parsed.append((regions, relations))
    vectors: list[WordVectors] = []
    if docs:
        predictor.word_probs([row["text"] for row in rows], batch_size, docs=docs, vectors=vectors)
    return [(row["text"], d.offsets, v, regs, rels) for row, d, v, (regs, rels) in zip(rows, docs, vectors, parsed)]


def _pair_tensors(docs, max_negatives: int):
    """Per relation: lists of a-vectors, b-vectors, geometry, labels, and the group of each pair."""
    data = {r: {"a": [], "b": [], "g": [], "y": [], "group": []} for r in RELATIONS}
    n_groups = Counter()
    for text, offsets, vec, regions, relations in docs:
        for rel, a, cands, labels in _gold_groups(text, offsets, regions, relations, max_negatives):
            wa = span_words(offsets, a.start, a.end)
            if wa is None:
                continue
            va = span_vector(vec, wa)
            for c, y in zip(cands, labels):
                wc = span_words(offsets, c.start, c.end)
                if wc is None:
                    continue
                d = data[rel]
                d["a"].append(va)
                d["b"].append(span_vector(vec, wc))
                d["g"].append(pair_geometry(wa, wc))
                d["y"].append(y)
                d["group"].append(n_groups[rel])
            n_groups[rel] += 1
    return data


def _group_accuracy(scorer: PairScorer, rel: str, d: dict) -> float | None:
    """Share of groups (one gold a with its candidates) whose best-scored candidate is the gold one."""
    if not d["y"]:
        return None
    g = torch.tensor(d["g"], dtype=torch.long)
    scorer.eval()
    with torch.inference_mode():
        logits = scorer(rel, torch.from_numpy(np.stack(d["a"])), torch.from_numpy(np.stack(d["b"])), g[:, 0], g[:, 1]).numpy()
    best: dict[int, tuple[float, float]] = {}
    for lg, y, grp in zip(logits, d["y"], d["group"]):
        if grp not in best or lg > best[grp][0]:
            best[grp] = (float(lg), y)
    return round(sum(y for _, y in best.values()) / len(best), 4)


def train_scorer(train_docs, eval_docs, span_dim: int, cfg, seed: int, say=print) -> tuple[PairScorer, dict]:
    """Fit a PairScorer on gold pairs of ``train_docs`` (see ``_document_vectors``); returns it and figures."""
    a_cfg = cfg
    torch.manual_seed(seed)
    rng = random.Random(seed)
    scorer = PairScorer(span_dim, a_cfg.hidden_size)
    train_data = _pair_tensors(train_docs, a_cfg.max_negatives)
    eval_data = _pair_tensors(eval_docs, a_cfg.max_negatives) if eval_docs else None
    trained = [r for r in RELATIONS if any(y > 0 for y in train_data[r]["y"])]
    opt = torch.optim.AdamW(scorer.parameters(), lr=a_cfg.learning_rate, weight_decay=0.01)
    tensors = {}
    for r in trained:
        d = train_data[r]
        g = torch.tensor(d["g"], dtype=torch.long)
        tensors[r] = (torch.from_numpy(np.stack(d["a"])), torch.from_numpy(np.stack(d["b"])), g[:, 0], g[:, 1],
                      torch.tensor(d["y"], dtype=torch.float32))
    losses = []
    for _ in range(a_cfg.epochs):
        scorer.train()
        total, n = 0.0, 0
        for r in trained:
            a, b, bucket, order, y = tensors[r]
            perm = list(range(len(y)))
            rng.shuffle(perm)
            for i in range(0, len(perm), 64):
                idx = torch.tensor(perm[i:i + 64])
                loss = nn.functional.binary_cross_entropy_with_logits(
                    scorer(r, a[idx], b[idx], bucket[idx], order[idx]), y[idx])
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += float(loss.detach()) * len(idx)
                n += len(idx)
        losses.append(round(total / max(n, 1), 5))
    figures = {"relations_trained": trained, "loss_first": losses[0] if losses else None,
               "loss_last": losses[-1] if losses else None}
    for r in RELATIONS:
        figures[f"{r}_train_pairs"] = len(train_data[r]["y"])
        figures[f"{r}_train_positives"] = int(sum(train_data[r]["y"]))
        if r in trained:
            figures[f"{r}_train_accuracy"] = _group_accuracy(scorer, r, train_data[r])
            if eval_data is not None:
                figures[f"{r}_eval_accuracy"] = _group_accuracy(scorer, r, eval_data[r])
    say(f"attribution pair scorer: {trained}, loss {figures['loss_first']} -> {figures['loss_last']}, "
        + ", ".join(f"{k} {v}" for k, v in figures.items() if k.endswith("accuracy")))
    scorer.eval()
    return scorer, figures


def has_attributed_pairs(rows) -> bool:
    claim_source = default_roles().claim_source
    return any(r["label"] == claim_source for row in rows for r in (row.get("relations") or []))


def maybe_train_attribution(model, tokenizer, cfg, schema, train_rows, eval_rows, out_dir, say=print) -> dict | None:
    """Train and save the pair scorer when enabled, "claims" is a layer and train has attributed_to pairs.

    Returns the ``nisba.json["attribution"]`` entry, or None when nothing was trained.
    """
    a_cfg = cfg.attribution
    if not a_cfg.enabled or schema.roles.claims not in cfg.model.layers:
        return None
    train_rows = list(train_rows)
    if not has_attributed_pairs(train_rows):
        say("attribution: no attributed_to relation in the train split; the pair scorer is not trained "
            "(the model's claims are linked by the rules)")
        return None
    meta = {"model_version": "training", "schema_fingerprint": schema.fingerprint(),
            "train_config": cfg.to_dict(), "label_maps": model.label_maps}
    predictor = ModelPredictor.from_loaded(model, tokenizer, meta, device="cpu" if not torch.cuda.is_available() else None)
    batch = cfg.training.eval_batch_size
    train_docs = _document_vectors(predictor, train_rows, schema, batch)
    eval_docs = _document_vectors(predictor, list(eval_rows), schema, batch)
    span_dim = 2 * model.encoder.config.hidden_size
    scorer, figures = train_scorer(train_docs, eval_docs, span_dim, a_cfg, cfg.training.seed, say)
    return save_scorer(scorer, out_dir, a_cfg.threshold, figures, a_cfg)


def save_scorer(scorer: PairScorer, out_dir, threshold: float, figures: dict, a_cfg=None) -> dict:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    config = {"span_dim": scorer.span_dim, "hidden_size": scorer.hidden_size}
    torch.save({"format_version": ATTRIBUTION_FORMAT_VERSION, "config": config,
                "state_dict": {k: v.detach().cpu() for k, v in scorer.state_dict().items()}}, out / HEAD_FILE)
    sha = sha256_file(out / HEAD_FILE)
    return {"format_version": ATTRIBUTION_FORMAT_VERSION, "file": HEAD_FILE, "sha256": sha, "threshold": float(threshold),
            "relations_trained": list(figures.get("relations_trained", [])), **config,
            "training": figures, "config": dict(vars(a_cfg)) if a_cfg is not None else {}}


