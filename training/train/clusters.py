"""Word clusters from unlabelled in-domain text, as features of the feature CRF.

The classic semi-supervised lift for NER: words that occur in the same contexts share a
cluster, so a name seen once in training lends its weights to the many names of the same kind
that only the unlabelled text has seen. Built once, cached, and copied into the model.

Steps (``build_clusters``):

1. words: every text pretokenized and normalized exactly as the CRF sees them
   (``training.train.crf.words_of``); the vocabulary is the ``max_vocab`` most frequent words
   seen at least ``min_count`` times, the contexts the ``contexts`` most frequent words;
2. a sparse count matrix word x (context word, offset) for the offsets -2, -1, +1, +2
   (left and right kept apart, so the clusters are also syntactic), weighted as positive PMI;
3. ``dim``-dimensional vectors by truncated SVD (scikit-learn), rows scaled to unit length;
4. k-means (scikit-learn MiniBatchKMeans, fixed seed) at each granularity of ``ks``; a word
   gets one cluster id per granularity (``WordClusters.features``: ``c64=17``, ``c256=3``...).

Text (``cluster_texts``): SaudiNewsNet (2015 Saudi news, CC BY-NC-SA 4.0, non-commercial)
without nisba-gold's dev and test articles (training/train/pretrain.py ``held_out_sha256``, as
pre-training reads it), its first ``max_words`` words; plus NewsFANE train's texts with their
clitics re-attached (the CRF's own training text). No gold label is read.

Cache: ``.nisba/clusters/<key>.json`` (git-ignored), the key a hash of the corpora, every
parameter and the nisba-gold articles left out (``held_out_key``: a grown dev split builds anew); ``clusters_for(cfg)`` loads it, or builds it with progress lines when asked
(``python -m training.train.clusters``: ``make pretrain``, ``make demo``; the quality bench).
Training without a cache goes on without clusters and says so (``nisba train``, tests). The model directory holds its own copy (``clusters.json``), so
prediction never needs the cache.

Not handled here: the CRF's other features (crf.py).
"""

from __future__ import annotations

import json
import time
from array import array
from pathlib import Path
from typing import Callable, Iterable

from annotation.errors import NisbaError
from annotation.hashing import sha256_text

CLUSTERS_FORMAT_VERSION = 1
CLUSTERS_FILE = "clusters.json"
OFFSETS = (-2, -1, 1, 2)
LICENSES = {"saudinewsnet": "CC BY-NC-SA 4.0 (SaudiNewsNet, non-commercial)",
            "newsfane": "CC BY-SA 3.0 (NewsFANE, Alotaibi and Lee 2014)"}


class WordClusters:
    """word -> one cluster id per granularity; ``features(word)`` gives the CRF's strings."""

    def __init__(self, ks: list[int], ids: dict[str, list[int]], meta: dict | None = None):
        self.ks = list(ks)
        self.ids = ids
        self.meta = meta or {}

    def features(self, word: str, prefix: str = "c") -> list[str]:
        got = self.ids.get(word)
        if got is None:
            return []
        return [f"{prefix}{k}={c}" for k, c in zip(self.ks, got)]

    def to_json(self) -> dict:
        return {"format_version": CLUSTERS_FORMAT_VERSION, "ks": self.ks, "meta": self.meta, "ids": self.ids}

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "WordClusters":
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format_version") != CLUSTERS_FORMAT_VERSION:
            raise NisbaError(f"{path}: clusters format_version {data.get('format_version')!r}; "
                             f"this nisba reads {CLUSTERS_FORMAT_VERSION}")
        return cls(data["ks"], data["ids"], data.get("meta"))


def build_clusters(texts: Iterable[str], ks: list[int], *, dim: int = 100, min_count: int = 5,
                   max_vocab: int = 60000, contexts: int = 4000, seed: int = 42,
                   say: Callable[[str], None] = print) -> WordClusters:
    """Clusters of the words of ``texts`` (see the module docstring)."""
    import numpy as np
    from scipy import sparse
    from sklearn.cluster import MiniBatchKMeans
    from sklearn.decomposition import TruncatedSVD

    from training.train.crf import words_of

    started = time.perf_counter()
    seen: dict[str, int] = {}  # every word -> a first id; the text as ids, -1 between texts
    stream = array("i")
    n_words = 0
    for i, text in enumerate(texts):
        words = words_of(text)[1]
        stream.extend(seen.setdefault(w, len(seen)) for w in words)
        stream.extend((-1, -1))
        n_words += len(words)
        if i % 20000 == 19999:
            say(f"clusters: read {i + 1} texts, {n_words} words ({time.perf_counter() - started:.0f} s)")
    raw = np.frombuffer(stream, dtype=np.int32).astype(np.int64)
    counts = np.bincount(raw[raw >= 0], minlength=len(seen))
    order = np.argsort(-counts, kind="stable")[:max_vocab]
    order = order[counts[order] >= min_count]
    if len(order) < max(ks):
        raise NisbaError(f"clusters: {len(order)} words seen {min_count}+ times, fewer than k={max(ks)}")
    words_by_id = list(seen)
    vocab = [words_by_id[i] for i in order]
    remap = np.full(len(seen) + 1, -1, dtype=np.int64)  # the last cell maps the -1 separators
    remap[order] = np.arange(len(order))
    ids = remap[raw]
    del stream, raw, seen, words_by_id
    n_ctx = min(contexts, len(vocab))
    say(f"clusters: {n_words} words, vocabulary {len(vocab)}, {n_ctx} context words x {len(OFFSETS)} offsets")
    rows_, cols_ = [], []
    for b, d in enumerate(OFFSETS):
        a_ids, c_ids = (ids[-d:], ids[:d]) if d < 0 else (ids[:-d], ids[d:])  # word i, context i + d
        keep = (a_ids >= 0) & (c_ids >= 0) & (c_ids < n_ctx)
        rows_.append(a_ids[keep])
        cols_.append(c_ids[keep] + b * n_ctx)
    rows, cols = np.concatenate(rows_), np.concatenate(cols_)
    m = sparse.coo_matrix((np.ones(len(rows), dtype=np.float64), (rows, cols)),
                          shape=(len(vocab), n_ctx * len(OFFSETS))).tocsr()
    m.sum_duplicates()
    total = m.sum()
    row_sum = np.asarray(m.sum(axis=1)).ravel()
    col_sum = np.asarray(m.sum(axis=0)).ravel() ** 0.75  # context distribution smoothing
    col_sum = col_sum / col_sum.sum() * total
    m = m.tocoo()
    pmi = np.log(m.data * total / (row_sum[m.row] * col_sum[m.col]))
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (m.row[keep], m.col[keep])), shape=m.shape)
    say(f"clusters: PPMI matrix {ppmi.shape[0]} x {ppmi.shape[1]}, {ppmi.nnz} cells "
        f"({time.perf_counter() - started:.0f} s); SVD to {dim} dimensions")
    vec = TruncatedSVD(n_components=dim, random_state=seed, algorithm="randomized", n_iter=5).fit_transform(ppmi)
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-9)
    labels = []
    for k in ks:
        say(f"clusters: k-means k={k} ({time.perf_counter() - started:.0f} s)")
        km = MiniBatchKMeans(n_clusters=k, random_state=seed, batch_size=4096, n_init=3, max_iter=100)
        labels.append(km.fit_predict(vec))
    out = {w: [int(lab[i]) for lab in labels] for i, w in enumerate(vocab)}
    meta = {"words_read": n_words, "vocabulary": len(vocab), "dim": dim, "min_count": min_count,
            "contexts": n_ctx, "seconds": round(time.perf_counter() - started, 1)}
    say(f"clusters: done in {meta['seconds']} s")
    return WordClusters(ks, out, meta)


def cluster_texts(corpora: list[str], max_words: int) -> Iterable[str]:
    """The unlabelled texts of ``corpora`` (see the module docstring); each corpus capped at
    ``max_words`` whitespace words (0: all)."""
    for name in corpora:
        if name == "saudinewsnet":
            from training.train.pretrain import _saudinewsnet_paragraphs

            texts: Iterable[str] = _saudinewsnet_paragraphs()
        elif name == "newsfane":
            from training.train.corpus_documents import newsfane_documents

            texts = (t for t, _ in newsfane_documents("train"))
        else:
            raise NisbaError(f"crf.cluster_corpora: {name!r} is not a corpus clusters read ({', '.join(LICENSES)})")
        words = 0
        for t in texts:
            yield t
            words += t.count(" ") + 1
            if max_words and words >= max_words:
                break


def cluster_key(corpora: list[str], ks: list[int], max_words: int) -> str:
    from training.train.pretrain import held_out_key

    params = {"format_version": CLUSTERS_FORMAT_VERSION, "corpora": list(corpora), "ks": list(ks),
              "max_words": max_words, "offsets": OFFSETS, "held_out": held_out_key(corpora)}
    return sha256_text(json.dumps(params, sort_keys=True))[:12]


def cache_path(corpora: list[str], ks: list[int], max_words: int, cache_dir: str | Path = ".nisba/clusters") -> Path:
    from annotation.paths import REPO_ROOT

    cache = Path(cache_dir)
    cache = cache if cache.is_absolute() else REPO_ROOT / cache
    return cache / f"{'+'.join(corpora)}-{cluster_key(corpora, ks, max_words)}.json"


def clusters_for(cfg, say: Callable[[str], None] = print, build: bool = True,
                 cache_dir: str | Path = ".nisba/clusters") -> WordClusters | None:
    """The clusters ``cfg.crf`` asks for: from the cache, else built and cached (``build``), else
    None with a line saying so. ``crf.clusters: []`` turns them off."""
    c = cfg.crf
    if not c.clusters:
        return None
    path = cache_path(c.cluster_corpora, c.clusters, c.cluster_max_words, cache_dir)
    if path.is_file():
        got = WordClusters.load(path)
        say(f"crf: word clusters {c.clusters} of {len(got.ids)} words from {path}")
        return got
    if not build:
        say(f"crf: no cached word clusters at {path}; training without them (`nisba pretrain` builds them)")
        return None
    say(f"crf: building word clusters {c.clusters} from {c.cluster_corpora} (once; cached in {path})")
    got = build_clusters(cluster_texts(c.cluster_corpora, c.cluster_max_words), c.clusters, say=say)
    got.meta["corpora"] = {n: LICENSES.get(n, "") for n in c.cluster_corpora}
    got.meta["max_words"] = c.cluster_max_words
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    got.save(tmp)
    tmp.replace(path)
    return got


def main(argv: list[str] | None = None) -> None:
    """``python -m training.train.clusters [--config FILE] [crf.KEY=VALUE ...]``: build (or find)
    the word clusters the config's ``crf`` section names, once (``make pretrain``, ``make demo``)."""
    import argparse
    import sys

    from training.train.config import load_config

    ap = argparse.ArgumentParser(description="build the feature CRF's word clusters once (cached in .nisba/clusters)")
    ap.add_argument("--config", default=None, help="train config (default configs/train.yaml)")
    ap.add_argument("overrides", nargs="*", help="KEY=VALUE overrides, e.g. crf.clusters=[64,256]")
    args = ap.parse_args(argv)
    try:
        cfg = load_config(args.config, args.overrides)
        got = clusters_for(cfg, say=lambda m: print(m, flush=True))
    except NisbaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(1) from None
    if got is None:
        print("crf.clusters is []: no word clusters to build")


if __name__ == "__main__":
    main()
