"""Valid-BIO decoding: constrained Viterbi and marginals over per-token label scores.

``bio_mask(labels)`` says which label may follow which: ``I-X`` only after ``B-X``, a clitic
start ``B1-X``/``B2-X`` (the span starts 1 or 2 characters into the word, after a proclitic)
or ``I-X``; never first. ``viterbi(emissions, transitions, mask)`` returns the best label path
that obeys it, so a decoded sequence never holds an I- after O or after another type.
``marginals`` gives each token's label probabilities under the same constraint
(forward-backward in log space), the scores of the regions.

Used by the CRF predictor (emissions and transitions are the CRF's weights) and by the
transformer tagger (emissions are log-softmax outputs, no learned transitions).

Not handled here: turning tags into character spans (``tags_to_char_spans``, below, does that
for word offsets; the clitic starts are resolved there).

Example::

    >>> import numpy as np
    >>> labels = ["O", "B-PER", "I-PER"]
    >>> em = np.log(np.array([[.6, .1, .3], [.1, .2, .7]]))   # argmax would give O, I-PER
    >>> [labels[i] for i in viterbi(em, np.zeros((3, 3)), bio_mask(labels))]
    ['B-PER', 'I-PER']
"""

from __future__ import annotations

import re

import numpy as np

NEG = -1e9
_B = re.compile(r"^B(\d?)-(.+)$")


def split_tag(tag: str) -> tuple[str, str, int]:
    """("B"|"I"|"O", type, clitic offset): "B1-GPE" -> ("B", "GPE", 1)."""
    if tag == "O" or "-" not in tag:
        return "O", "", 0
    m = _B.match(tag)
    if m:
        return "B", m.group(2), int(m.group(1) or 0)
    return tag[0], tag[2:], 0


def bio_mask(labels: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(allowed transitions (prev, cur) bool matrix, allowed first labels bool vector)."""
    parts = [split_tag(l) for l in labels]
    n = len(labels)
    trans = np.ones((n, n), dtype=bool)
    first = np.ones(n, dtype=bool)
    for j, (kind, typ, _) in enumerate(parts):
        if kind == "I":
            first[j] = False
            for i, (pk, pt, _) in enumerate(parts):
                trans[i, j] = pk in ("B", "I") and pt == typ
    return trans, first


def viterbi(emissions: np.ndarray, transitions: np.ndarray, mask: tuple[np.ndarray, np.ndarray]) -> list[int]:
    """Best label indices for (n_tokens, n_labels) emissions and (n_labels, n_labels) transitions."""
    allowed, first = mask
    n, k = emissions.shape
    if n == 0:
        return []
    trans = np.where(allowed, transitions, NEG)
    score = np.where(first, emissions[0], NEG)
    back = np.zeros((n, k), dtype=np.int64)
    for t in range(1, n):
        cand = score[:, None] + trans
        back[t] = cand.argmax(axis=0)
        score = cand[back[t], np.arange(k)] + emissions[t]
    path = [int(score.argmax())]
    for t in range(n - 1, 0, -1):
        path.append(int(back[t, path[-1]]))
    return path[::-1]


def viterbi_many(emissions: list[np.ndarray], transitions: np.ndarray,
                 mask: tuple[np.ndarray, np.ndarray]) -> list[list[int]]:
    """``viterbi`` of each (n_i, n_labels) array, all sequences stepped together (one numpy pass
    per position instead of one per position per sequence); the same paths, ties included."""
    allowed, first = mask
    out: list[list[int]] = [[] for _ in emissions]
    live = [i for i, e in enumerate(emissions) if len(e)]
    if not live:
        return out
    k = emissions[live[0]].shape[1]
    lengths = np.array([len(emissions[i]) for i in live])
    steps = int(lengths.max())
    em = np.zeros((len(live), steps, k), dtype=np.result_type(*(emissions[i] for i in live)))
    for row, i in enumerate(live):
        em[row, :len(emissions[i])] = emissions[i]
    trans = np.where(allowed, transitions, NEG)
    score = np.where(first, em[:, 0], NEG).astype(np.result_type(em, trans))  # viterbi's dtype from step 1 on
    back = np.zeros((len(live), steps, k), dtype=np.int64)
    back[:, :] = np.arange(k)  # past its end a sequence keeps its label, so the backtrack passes through
    for t in range(1, steps):
        going = lengths > t
        cand = score[going, :, None] + trans
        best = cand.argmax(axis=1)
        back[going, t] = best
        score[going] = np.take_along_axis(cand, best[:, None, :], axis=1)[:, 0] + em[going, t]
    last = score.argmax(axis=1)
    paths = np.zeros((len(live), steps), dtype=np.int64)
    paths[:, -1] = last
    rows = np.arange(len(live))
    for t in range(steps - 1, 0, -1):
        paths[:, t - 1] = back[rows, t, paths[:, t]]
    for row, i in enumerate(live):
        out[i] = [int(x) for x in paths[row, :lengths[row]]]
    return out


def _logsumexp(a: np.ndarray, axis: int) -> np.ndarray:
    m = a.max(axis=axis, keepdims=True)
    return (m + np.log(np.exp(a - m).sum(axis=axis, keepdims=True))).squeeze(axis)


def marginals(emissions: np.ndarray, transitions: np.ndarray, mask: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """(n_tokens, n_labels) label probabilities of each token under the constrained chain."""
    allowed, first = mask
    n, k = emissions.shape
    if n == 0:
        return np.zeros((0, k))
    trans = np.where(allowed, transitions, NEG)
    alpha = np.zeros((n, k))
    beta = np.zeros((n, k))
    alpha[0] = np.where(first, emissions[0], NEG)
    for t in range(1, n):
        alpha[t] = _logsumexp(alpha[t - 1][:, None] + trans, axis=0) + emissions[t]
    for t in range(n - 2, -1, -1):
        beta[t] = _logsumexp(trans + (emissions[t + 1] + beta[t + 1])[None, :], axis=1)
    logz = _logsumexp(alpha[-1], axis=0)
    return np.exp(alpha + beta - logz)


def tags_to_char_spans(offsets: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int, str, int, int]]:
    """(start, end, label, first word, last word) of valid BIO tags over words at ``offsets``.

    A clitic start ``Bk-X`` starts the span k characters into its first word. An I- that
    continues nothing (only from undecoded input) starts a span, as tags_to_spans does.
    """
    spans: list[tuple[int, int, str, int, int]] = []
    cur = None  # [start, end, label, first, last]
    for w, ((s, e), tag) in enumerate(zip(offsets, tags)):
        kind, typ, k = split_tag(tag)
        if kind == "I" and cur is not None and cur[2] == typ:
            cur[1], cur[4] = e, w
            continue
        if cur is not None:
            spans.append(tuple(cur))
            cur = None
        if kind in ("B", "I"):
            start = s + k if s + k < e else s
            cur = [start, e, typ, w, w]
    if cur is not None:
        spans.append(tuple(cur))
    return spans
