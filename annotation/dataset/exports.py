"""Gold exports of a pulled dataset (parquet, JSONL for Label Studio, CoNLL) and its dataset card.

Formats (``FORMATS`` maps the name to its writer; each writes into a folder):

- ``parquet``: ``<split>.parquet``, the document view as is.
- ``jsonl``: ``tasks.jsonl``, Label Studio's import format, one task a line:
  ``{"data": {"text", "meta", "content_hash"}, "annotations": [{"result": [...]}]}``.
  The result comes from ``regions.to_result`` with the original region ids, so importing it
  and pulling again gives the same document view (ids, spans, labels, choices, relations).
- ``conll``: ``<split>.conll``, one token a line, tab-separated columns
  ``token  entities  events  claims`` (BIO, the token view of annotation/text/tokens.py; the claims
  column tags CLAIM/SOURCE/CUE spans). ``-DOCSTART-<TAB><doc id>`` opens each document and a
  blank line ends each sentence. Sentences end at a newline in the text and after a token
  . ! ? or ؟, never inside a span of any layer.

Each export refreshes the dataset card (annotation/dataset/card.py).

Not handled here: nested or overlapping spans in CoNLL (one tag per token per layer: the
token view reports the spans it could not place), relations in CoNLL.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from annotation.errors import NisbaError
from annotation.dataset.card import write_card
from annotation.dataset.layout import label_names, load_pulled
from annotation.schema.schema import Schema
from annotation.text.sentences import ends_sentence



def _plain(row: dict, schema: Schema) -> dict:
    """A loaded row with ClassLabel ids turned back to label strings (for to_result)."""
    from annotation.convert.document import document_to_regions

    regions, relations = document_to_regions(row, schema)
    return {"regions": regions, "relations": relations}


def task_for_import(row: dict, schema: Schema) -> dict:
    """One document-view row -> a Label Studio import task with its gold annotation."""
    from annotation.convert.regions import to_result

    plain = _plain(row, schema)
    return {
        "data": {schema.text_name: row["text"], "meta": json.loads(row["meta"] or "{}"), "content_hash": row["id"]},
        "annotations": [{"result": to_result(plain["regions"], plain["relations"], schema)}],
    }


def conll_lines(row: dict, schema: Schema) -> list[str]:
    """A document as CoNLL lines (no trailing blank line handling beyond sentence ends)."""
    from annotation.text.tokens import token_view

    from annotation.convert.document import span_layers

    layers = [l for l in span_layers(schema) if l in schema.layer_names]
    view, _ = token_view(row, layers, label_names(schema), schema)
    text = row["text"]
    offsets = view["offsets"]
    lines = [f"-DOCSTART-\t{row['id']}", ""]
    n = len(offsets)
    for i, (s, e) in enumerate(offsets):
        tags = [view[f"{l}_tags"][i] for l in layers]
        lines.append("\t".join([text[s:e], *tags]))
        if i + 1 == n:
            lines.append("")
            break
        inside_span = any(view[f"{l}_tags"][i + 1].startswith("I-") for l in layers)
        gap = text[e:offsets[i + 1][0]]
        if not inside_span and ("\n" in gap or ends_sentence(text, s, e)):
            lines.append("")
    return lines


def export_parquet(ds, out: Path, schema: Schema) -> list[Path]:
    paths = []
    for split, part in ds.items():
        path = out / f"{split}.parquet"
        part.to_parquet(str(path))
        paths.append(path)
    return paths


def export_jsonl(ds, out: Path, schema: Schema) -> list[Path]:
    path = out / "tasks.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for split, part in ds.items():
            for row in part:
                fh.write(json.dumps(task_for_import(row, schema), ensure_ascii=False) + "\n")
    return [path]


def export_conll(ds, out: Path, schema: Schema) -> list[Path]:
    paths = []
    for split, part in ds.items():
        path = out / f"{split}.conll"
        with open(path, "w", encoding="utf-8") as fh:
            for row in part:
                fh.write("\n".join(conll_lines(row, schema)) + "\n")
        paths.append(path)
    return paths


FORMATS: dict[str, Callable] = {"parquet": export_parquet, "jsonl": export_jsonl, "conll": export_conll}


def export(data: str | Path, fmt: str, out: str | Path | None, schema: Schema) -> list[Path]:
    """Write the gold export ``fmt`` of the dataset in ``data`` into folder ``out`` (default DATA/export/FMT)."""
    if fmt not in FORMATS:
        raise NisbaError(f"--format {fmt!r}: choose one of {sorted(FORMATS)}")
    ds = load_pulled(data)
    out = Path(out) if out else Path(data) / "export" / fmt
    out.mkdir(parents=True, exist_ok=True)
    paths = FORMATS[fmt](ds, out, schema)
    write_card(data, schema, ds=ds)
    return paths
