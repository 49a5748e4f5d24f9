"""Document-view rows -> model inputs: words, subword windows and per-layer labels.

Steps for one row:

1. words: ``annotation.text.tokens`` pretokenizes the original text; at train time every gold span
   edge is a cut, so a clitic و before a name becomes its own word. Word offsets are offsets
   into the ORIGINAL text, so decoding never needs a second offset map.
2. each word is normalized (annotation/text/normalize.py) before the tokenizer sees it; a word that
   normalizes to nothing (a lone tatweel) is given the unknown token;
3. the fast tokenizer splits the words into subwords (``is_split_into_words``), ``word_ids``
   ties each subword to its word;
4. labels per layer: the word's BIO tag id on its first subword, -100 on continuation
   subwords and special tokens (as transformers' run_ner does), and -100 on every word of a
   layer the document's gold does not cover (meta "layers", ``covered_layers``: NewsFANE and
   AQMAR hold entities only, so they teach the events and claims heads nothing, not "O");
5. windows: an article longer than ``max_length`` subwords is cut into windows that start and
   end on word edges and share about ``stride`` subwords with the window before; predict.py
   merges the windows back, keeping each word's prediction from the window where it sits
   farthest from an edge.

Not handled here: label maps (model.py), decoding predictions (predict.py). At predict time
there are no gold cuts, so a span that starts inside a whitespace word can only be found when
the pretokenizer itself splits there (punctuation, digits).

Example::

    >>> words = document_words({"text": "قال علوش", "entities": [...]}, ["entities"])
    >>> words.offsets, words.tags["entities"]
    ([(0, 3), (4, 8)], ['O', 'B-PER'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from annotation.errors import NisbaError
from annotation.schema.label_maps import label_diff
from annotation.text.normalize import normalize
from annotation.text.tokens import pretokenize, token_view


@dataclass
class Words:
    """One document cut into words: original offsets, normalized strings, tags per layer."""

    offsets: list[tuple[int, int]]
    normalized: list[str]
    tags: dict[str, list[str]] = field(default_factory=dict)
    problems: list[dict] = field(default_factory=list)
    covered: set[str] | None = None  # layers whose gold the document holds (None: every layer); others -> -100


@dataclass
class Window:
    """One model input: a slice of a document's subwords with special tokens added."""

    doc: int
    input_ids: list[int]
    word_index: list[int]  # per position: the word whose FIRST subword sits here, else -1
    labels: list[list[int]] | None = None  # per layer, per position (-100 = ignored)


def document_words(row: dict, layers: list[str] | None = None, names: dict[str, list[str]] | None = None,
                   unk: str = "[UNK]") -> Words:
    """Words of a document-view row; with ``layers`` the gold spans cut words and give tags."""
    text = row["text"]
    if layers:
        view, problems = token_view(row, layers, names)
        offsets = [tuple(o) for o in view["offsets"]]
        tags = {layer: view[f"{layer}_tags"] for layer in layers}
    else:
        offsets, tags, problems = pretokenize(text), {}, []
    normalized = [normalize(text[s:e]) or unk for s, e in offsets]
    return Words(offsets, normalized, tags, problems, covered_layers(row.get("meta"), tags))


def covered_layers(meta, tags: dict[str, list[str]]) -> set[str] | None:
    """The layers a document's gold covers, from its meta ``"layers"`` (a JSON string or a dict).

    A corpus imported with gold for some layers only says so (NewsFANE, AQMAR: ``["entities"]``,
    annotation/corpora/documents.py); a layer in which the document holds a span counts as covered
    too (someone annotated it later). No ``"layers"`` (nisba-gold, hand annotations): None, every
    layer. The trainer labels the words of an uncovered layer -100, so its head learns nothing
    there instead of "O everywhere".
    """
    if isinstance(meta, str):
        try:
            meta = json.loads(meta) if meta.strip() else {}
        except ValueError:
            return None
    declared = meta.get("layers") if isinstance(meta, dict) else None
    if not isinstance(declared, list):
        return None
    return {str(l) for l in declared} | {layer for layer, t in tags.items() if any(x != "O" for x in t)}


def special_tokens(tokenizer) -> tuple[list[int], list[int]]:
    """The ids put before and after a window ([CLS] ... [SEP], or <s> ... </s>)."""
    first = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
    last = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
    return [t for t in (first,) if t is not None], [t for t in (last,) if t is not None]


def window_bounds(word_ids: list[int], size: int, stride: int) -> list[tuple[int, int]]:
    """Subword ranges of at most ``size`` that start and end on word edges and overlap by ~stride.

    A single word longer than ``size`` is cut inside (its continuation pieces carry no label).
    """
    n = len(word_ids)
    if n <= size:
        return [(0, n)]

    def word_start(i: int) -> int:
        while 0 < i < n and word_ids[i] == word_ids[i - 1]:
            i -= 1
        return i

    bounds = []
    start = 0
    while True:
        end = min(start + size, n)
        if end < n:
            edge = word_start(end)
            end = edge if edge > start else end
        bounds.append((start, end))
        if end >= n:
            return bounds
        nxt = word_start(max(end - stride, start + 1))
        if nxt <= start:  # the overlap would not move forward: take the next word edge instead
            nxt = start + 1
            while nxt < end and word_ids[nxt] == word_ids[nxt - 1]:
                nxt += 1
        start = nxt


def encode_documents(docs: list[Words], tokenizer, max_length: int, stride: int,
                     label_maps: dict[str, list[str]] | None = None) -> list[Window]:
    """All windows of all documents, in document order (labels only when ``label_maps`` given)."""
    prefix, suffix = special_tokens(tokenizer)
    size = max_length - len(prefix) - len(suffix)
    if size < 2:
        raise NisbaError(f"data.max_length {max_length} leaves no room for text after special tokens")
    label_ids = {layer: {tag: i for i, tag in enumerate(labels)} for layer, labels in (label_maps or {}).items()}
    windows: list[Window] = []
    chunk = 256
    for base in range(0, len(docs), chunk):
        batch = docs[base:base + chunk]
        enc = tokenizer([d.normalized for d in batch], is_split_into_words=True, add_special_tokens=False)
        for k, doc in enumerate(batch):
            ids = enc["input_ids"][k]
            wids = enc.word_ids(k)
            firsts = [i == 0 or wids[i] != wids[i - 1] for i in range(len(ids))]
            for a, b in window_bounds(wids, size, stride):
                word_index = [-1] * len(prefix) + [wids[i] if firsts[i] else -1 for i in range(a, b)] + [-1] * len(suffix)
                labels = None
                if label_maps:
                    labels = []
                    for layer, ids_of in label_ids.items():
                        if doc.covered is not None and layer not in doc.covered:
                            labels.append([-100] * len(word_index))  # no gold for this layer: ignored
                            continue
                        tags = doc.tags[layer]
                        try:
                            labels.append([ids_of[tags[w]] if w >= 0 else -100 for w in word_index])
                        except KeyError as exc:
                            raise NisbaError(f"layer {layer}: tag {exc.args[0]!r} is not in the model's labels "
                                             f"{label_maps[layer]}") from None
                windows.append(Window(base + k, prefix + ids[a:b] + suffix, word_index, labels))
    return windows


def dataset_label_names(features, layers: list[str]) -> dict[str, list[str]]:
    """The ClassLabel names of each layer in a document-view dataset's features ([]: strings)."""
    from annotation.dataset.layout import layer_label_names

    return {layer: names or [] for layer, names in layer_label_names(features, layers).items()}


def check_labels(dataset_names: dict[str, list[str]], label_maps: dict[str, list[str]], where: str) -> None:
    """Refuse a dataset whose labels differ from the model's, naming the labels on each side."""
    for layer, names in dataset_names.items():
        model_labels = [t[2:] for t in label_maps[layer] if t.startswith("B-")]
        if names and names != model_labels:
            only_data, only_model, _ = label_diff(names, model_labels)
            detail = []
            if only_data:
                detail.append(f"only in the data: {only_data}")
            if only_model:
                detail.append(f"only in the model/schema: {only_model}")
            if not detail:
                detail.append(f"same labels in another order: data {names}, model {model_labels}")
            raise NisbaError(f"{where}: layer {layer!r} labels do not match the model's ({'; '.join(detail)}). "
                             "Pull the data again with the current schema, or train with the schema the data was pulled with.")
