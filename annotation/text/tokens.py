"""The token view: Arabic-aware tokens with character offsets and BIO tags per layer.

Tokenization is a training-time view of the document view; the char offsets stay the truth.
Rules, in order:

1. whitespace and invisible marks (annotation/text/marks.py) separate tokens;
2. punctuation and symbols, Arabic (، ؛ ؟ «») and Latin, are tokens of their own;
3. digits split from letters ("تدمير3" -> "تدمير", "3");
4. combining marks (harakat, shadda) stay with the letter before them;
5. every span boundary that falls inside a token splits it there, so a clitic و or ب
   before a name, or words run together ("روسياوتركيا"), keep exact spans.

A span whose edges still match no token edge (it starts or ends on whitespace) is reported.

Not handled here: subword tokenization (the model's tokenizer) and normalization
(annotation/text/normalize.py).

Example::

    >>> pretokenize("وقال علوش لرويترز", cuts=[11])
    [(0, 4), (5, 9), (10, 11), (11, 17)]
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from functools import cache
from typing import Iterable

from annotation.text.marks import INVISIBLE



def _kind(ch: str) -> str:
    if ch.isspace() or ch in INVISIBLE:
        return "space"
    cat = unicodedata.category(ch)
    if cat.startswith("M"):
        return "mark"
    if cat.startswith("P") or cat.startswith("S"):
        return "punct"
    if cat == "Nd":
        return "digit"
    return "word"


SPACE, MARK, PUNCT, WORD = (ord(k) for k in "smpw")  # kind letters as byte values


@cache
def _kind_table():
    """code point -> kind letter byte (0 until the character is first seen), a numpy array."""
    import numpy as np

    return np.zeros(0x110000, np.uint8)


def _kinds(text: str):
    """The kind letter byte of every character of ``text``, as a numpy array."""
    import numpy as np

    table = _kind_table()
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    kinds = table[codes]
    if not kinds.all():  # characters seen for the first time
        for code in np.unique(codes[kinds == 0]).tolist():
            table[code] = ord(_kind(chr(code))[0])
        kinds = table[codes]
    return kinds


def pretokenize(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """Token (start, end) offsets for ``text``; every offset in ``cuts`` becomes a token edge.

    A token is a punctuation mark, a run of digits or a run of word characters; a combining
    mark joins the token before it (after a space, or at the start, it begins a word). Computed
    on numpy arrays of character kinds, so the cost per character is a few array operations.
    """
    starts, ends = token_bounds(text, cuts)
    return list(zip(starts.tolist(), ends.tolist()))


def token_bounds(text: str, cuts: Iterable[int] = ()):
    """``pretokenize`` as two numpy arrays, the token starts and the token ends."""
    import numpy as np

    kinds = _kinds(text)
    n = len(kinds)
    if not n:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    in_token = kinds != SPACE
    run = kinds  # the kind of the token a character belongs to
    is_mark = kinds == MARK
    if is_mark.any():  # a mark takes the kind of the last non-mark before it, "word" after a space or at the start
        last = np.maximum.accumulate(np.where(is_mark, -1, np.arange(n)))
        before = np.where(last >= 0, kinds[last], SPACE)
        run = np.where(is_mark, np.where(before == SPACE, WORD, before), kinds)
    starts = in_token.copy()  # a token starts at punctuation and where the kind changes
    starts[1:] &= (run[1:] != run[:-1]) | (kinds[1:] == PUNCT)
    cuts = np.fromiter(cuts, np.int64)
    if cuts.size:
        cuts = cuts[(cuts > 0) & (cuts < n)]
        starts[cuts[in_token[cuts] & in_token[cuts - 1]]] = True  # a cut inside a token splits it
    goes_on = np.zeros(n, bool)  # the next character is in the same token
    goes_on[:-1] = in_token[1:] & ~starts[1:]
    return np.flatnonzero(starts), np.flatnonzero(in_token & ~goes_on) + 1


def token_edges(tokens: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """The sorted token starts and ends; pass them to bio_tags to reuse them across layers."""
    return [s for s, _ in tokens], [e for _, e in tokens]


def _index(sorted_offsets: list[int], offset: int) -> int | None:
    i = bisect_left(sorted_offsets, offset)
    return i if i < len(sorted_offsets) and sorted_offsets[i] == offset else None


def bio_tags(
    tokens: list[tuple[int, int]], spans: list[tuple[int, int, str]],
    edges: tuple[list[int], list[int]] | None = None,
) -> tuple[list[str], list[tuple[int, int, str, str]]]:
    """BIO tags for one layer; returns the tags and the spans that could not be placed, with why.

    Spans are placed longest-first by start; a span overlapping one already placed in the same
    layer is reported ("overlap") and left out of the tags (the document view still has it).
    """
    tags = ["O"] * len(tokens)
    if not spans:
        return tags, []
    starts, ends = edges or token_edges(tokens)
    problems: list[tuple[int, int, str, str]] = []
    for start, end, label in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]), x[2])):
        i, j = _index(starts, start), _index(ends, end)
        if i is None or j is None or j < i:
            problems.append((start, end, label, "misaligned: span edge is not a token edge"))
            continue
        if tags[i:j + 1].count("O") != j + 1 - i:
            problems.append((start, end, label, "overlap: another span of this layer covers these tokens"))
            continue
        tags[i] = f"B-{label}"
        tags[i + 1:j + 1] = [f"I-{label}"] * (j - i)
    return tags, problems


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """(first token, end token exclusive, type) of each span of BIO ``tags``.

    The one BIO decoder (the corpus readers and the predictors use it): an I- that does not
    continue a span of its own type starts one, as seqeval's ``get_entities`` reads it (a test
    checks the two agree; seqeval itself costs seconds to import, so the token view keeps this).

    >>> bio_spans(["B-PER", "I-PER", "O", "I-ORG", "B-ORG"])
    [(0, 2, 'PER'), (3, 4, 'ORG'), (4, 5, 'ORG')]
    """
    spans: list[tuple[int, int, str]] = []
    open_type, start = None, 0
    for i, tag in enumerate(tags):
        continues = tag.startswith("I-") and tag[2:] == open_type
        if open_type is not None and not continues:
            spans.append((start, i, open_type))
            open_type = None
        if tag.startswith("B-") or (tag.startswith("I-") and not continues):
            open_type, start = tag[2:], i
    if open_type is not None:
        spans.append((start, len(tags), open_type))
    return spans


def tags_to_spans(tokens: list[tuple[int, int]], tags: list[str]) -> list[tuple[int, int, str]]:
    """Decode BIO tags back to char spans; an I- without a matching B- starts a new span."""
    n = min(len(tokens), len(tags))
    return [(tokens[a][0], tokens[b - 1][1], label) for a, b, label in bio_spans(list(tags[:n]))]


def layer_spans(row: dict, layer: str, names: list[str] | None = None, schema=None) -> list[tuple[int, int, str]]:
    """(start, end, label) of one layer of a document-view row; names decode ClassLabel ids.

    ``layer`` is the schema's name for it (the default schema's when none is given)."""
    from annotation.convert.document import span_layers

    field, key = span_layers(schema)[layer]
    out = []
    for item in row.get(field) or []:
        label = item[key]
        if isinstance(label, int) and names is not None:
            label = names[label]
        out.append((int(item["start"]), int(item["end"]), str(label)))
    return out


def token_view(row: dict, layers: Iterable[str] | None = None,
               names: dict[str, list[str]] | None = None, schema=None) -> tuple[dict, list[dict]]:
    """Tokens, offsets and ``<layer>_tags`` for a document-view row, plus the problems found.

    ``layers`` default to the schema's span layers (entities, events, claims)."""
    from annotation.convert.document import span_layers

    text = row["text"]
    layers = list(span_layers(schema) if layers is None else layers)
    per_layer = {layer: layer_spans(row, layer, (names or {}).get(layer), schema) for layer in layers}
    cuts = {c for spans in per_layer.values() for s, e, _ in spans for c in (s, e)}
    starts, ends = token_bounds(text, cuts)
    first, last = starts.tolist(), ends.tolist()
    # built in C where it can be (a 1,750-character article has about 350 tokens); offsets are
    # (start, end) tuples, as pretokenize gives them
    view = {"tokens": list(map(text.__getitem__, map(slice, first, last))), "offsets": list(zip(first, last))}
    problems = []
    for layer, spans in per_layer.items():
        tags, bad = bio_tags(view["offsets"], spans, (first, last))
        view[f"{layer}_tags"] = tags
        for start, end, label, why in bad:
            problems.append({"task_id": row.get("task_id"), "layer": layer, "start": start, "end": end,
                             "label": label, "text": text[start:end], "problem": why})
    return view, problems
