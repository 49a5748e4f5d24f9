"""Gold exports of a pulled dataset (parquet, JSONL for Label Studio, CoNLL) and its dataset card.

Formats (``FORMATS`` maps the name to its writer; each writes into a folder):

- ``parquet``: ``<split>.parquet``, the document view as is.
- ``jsonl``: ``tasks.jsonl``, Label Studio's import format, one task a line:
  ``{"data": {"text", "meta", "content_hash"}, "annotations": [{"result": [...]}]}``.
  The result comes from ``regions.to_result`` with the original region ids, so importing it
  and pulling again gives the same document view (ids, spans, labels, choices, relations).
- ``conll``: ``<split>.conll``, one token a line, tab-separated columns
  ``token  entities  events  claims`` (BIO, the token view of training/tokens.py; the claims
  column tags CLAIM/SOURCE/CUE spans). ``-DOCSTART-<TAB><doc id>`` opens each document and a
  blank line ends each sentence. Sentences end at a newline in the text and after a token
  . ! ? or ؟, never inside a span of any layer.

``write_card`` writes README.md into the dataset folder: provenance, counts per split and
label, annotators and agreement, problems found by the pull.

Not handled here: nested or overlapping spans in CoNLL (one tag per token per layer: the
token view reports the spans it could not place), relations in CoNLL.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Callable

from annotation.errors import NisbaError
from annotation.schema import Schema

SENTENCE_END = {".", "!", "?", "؟"}
CARD_FILE = "README.md"
TAG_LAYERS = ("entities", "events", "claims")


def load_pulled(data: str | Path):
    """load_from_disk with a clear message when DIR is not a pulled dataset."""
    from datasets import load_from_disk

    data = Path(data)
    if not (data / "dataset_dict.json").is_file():
        raise NisbaError(f"{data}: not a pulled dataset (no dataset_dict.json); run `nisba pull --out {data}` first")
    return load_from_disk(str(data))


def label_names(schema: Schema) -> dict[str, list[str]]:
    return {layer.name: list(layer.labels) for layer in schema.layers}


def _plain(row: dict, schema: Schema) -> dict:
    """A loaded row with ClassLabel ids turned back to label strings (for to_result)."""
    from annotation.document import document_to_regions

    regions, relations = document_to_regions(row, schema)
    return {"regions": regions, "relations": relations}


def task_for_import(row: dict, schema: Schema) -> dict:
    """One document-view row -> a Label Studio import task with its gold annotation."""
    from annotation.regions import to_result

    plain = _plain(row, schema)
    return {
        "data": {schema.text_name: row["text"], "meta": json.loads(row["meta"] or "{}"), "content_hash": row["id"]},
        "annotations": [{"result": to_result(plain["regions"], plain["relations"], schema)}],
    }


def conll_lines(row: dict, schema: Schema) -> list[str]:
    """A document as CoNLL lines (no trailing blank line handling beyond sentence ends)."""
    from training.tokens import token_view

    layers = [l for l in TAG_LAYERS if l in schema.layer_names]
    view, _ = token_view(row, layers, label_names(schema))
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
        if not inside_span and ("\n" in gap or text[s:e] in SENTENCE_END):
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


# --- dataset card --------------------------------------------------------------------------

def label_counts(ds, schema: Schema) -> dict[str, dict[str, Counter]]:
    """{layer: {split: Counter(label -> spans)}} from the document view (streamed in batches)."""
    names = label_names(schema)
    from training.tokens import SPAN_LAYERS

    out: dict[str, dict[str, Counter]] = {}
    for layer, (column, key) in SPAN_LAYERS.items():
        if layer not in names:
            continue
        out[layer] = {}
        for split, part in ds.items():
            c = Counter()
            for batch in part.select_columns([column]).iter(batch_size=1000):
                for items in batch[column]:
                    for item in items:
                        value = item[key]
                        c[names[layer][value] if isinstance(value, int) else str(value)] += 1
            out[layer][split] = c
    return out


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def write_card(data: str | Path, schema: Schema, ds=None) -> Path:
    """README.md in the dataset folder from the dataset, nisba_pull.json, pull_report.json and annotations."""
    from annotation.agreement import compute_agreement, read_records
    from annotation.pull import ANNOTATIONS_FILE, PROVENANCE_FILE, REPORT_FILE

    data = Path(data)
    ds = ds if ds is not None else load_pulled(data)
    prov = json.loads((data / PROVENANCE_FILE).read_text(encoding="utf-8")) if (data / PROVENANCE_FILE).exists() else {}
    report = json.loads((data / REPORT_FILE).read_text(encoding="utf-8")) if (data / REPORT_FILE).exists() else {}
    agree = None
    if (data / ANNOTATIONS_FILE).exists():
        agree = compute_agreement(read_records(data / ANNOTATIONS_FILE), schema.layer_names)
        (data / "agreement.json").write_text(json.dumps(agree, ensure_ascii=False, indent=1), encoding="utf-8")
    splits = list(ds.keys())
    lines = [
        "---", "language: [ar]", f"pretty_name: {schema.title}", "task_categories: [token-classification]",
        "tags: [label-studio, nisba, ner, events, attribution]", "---", "",
        f"# {schema.title}: gold annotations", "",
        "Arabic news annotated in Label Studio with nisba: entities, event triggers with arguments, "
        "and attributed claims (claim, source, cue). Offsets are end-exclusive code points of `text`.", "",
        "```python", "from datasets import load_from_disk", f"ds = load_from_disk({str(data)!r})", "```", "",
        "## Provenance", "",
        "| key | value |", "|---|---|",
    ]
    for key in ("source", "project_id", "project_title", "export_time", "pulled_at", "raw_export", "raw_sha256",
                "schema_fingerprint", "gold_policy", "ratios", "format_version"):
        if key in prov:
            lines.append(f"| {key} | `{json.dumps(prov[key], ensure_ascii=False)}` |")
    lines += ["", "## Splits", "", "| split | documents |", "|---|---|"]
    lines += [f"| {s} | {len(ds[s])} |" for s in splits]
    lines += ["", "## Spans per label and split", ""]
    counted = report.get("labels") or {}
    if set(counted) != {l for l in TAG_LAYERS if l in schema.layer_names} or \
            any(set(v) != set(splits) for v in counted.values()):
        counted = label_counts(ds, schema)  # an older report: count from the dataset
    for layer, per_split in counted.items():
        lines += [f"### {layer}", "", "| label | " + " | ".join(splits) + " | total |",
                  "|---|" + "---|" * (len(splits) + 1)]
        for label in schema.layer(layer).labels:
            row = [per_split[s].get(label, 0) for s in splits]
            lines.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
        lines.append("")
    if agree is not None:
        lines += ["## Annotators", "", "| annotator | tasks | completed | cancelled | spans |", "|---|---|---|---|---|"]
        for name, a in agree["annotators"].items():
            spans = sum(sum(v.values()) for v in a["spans"].values())
            lines.append(f"| {name} | {a['tasks']} | {a['completed']} | {a['cancelled']} | {spans} |")
        lines += ["", f"## Agreement ({agree['tasks_compared']} tasks with 2+ annotators, {agree['pairs']} pairs)", "",
                  "Pairwise span F1 (exact / overlap) and token-level Cohen's kappa; details in agreement.json.", "",
                  "| layer | label | F1 exact | F1 overlap | kappa |", "|---|---|---|---|---|"]
        for layer, d in agree["layers"].items():
            lines.append(f"| {layer} | (all) | {_fmt(d['f1_exact'])} | {_fmt(d['f1_overlap'])} | {_fmt(d['kappa'])} |")
            for label, x in d["labels"].items():
                lines.append(f"| {layer} | {label} | {_fmt(x['f1_exact'])} | {_fmt(x['f1_overlap'])} | {_fmt(x['kappa'])} |")
        lines.append("")
    if report:
        lines += ["## Pull counts and problems", "", "| count | value |", "|---|---|"]
        lines += [f"| {k} | {v} |" for k, v in report.get("counts", {}).items()]
        lines += [f"| problem: {k} | {v} |" for k, v in report.get("problem_counts", {}).items()]
        lines += ["", "Every problem, with its task and annotation, is in pull_report.json.", ""]
    path = data / CARD_FILE
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
