"""The dataset card: README.md in a pulled dataset folder.

Provenance, counts per split and label, annotators and agreement, and the problems found by
the pull, from the dataset, nisba_pull.json, pull_report.json and annotations.jsonl.gz.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from annotation.dataset.agreement import compute_agreement, read_records
from annotation.dataset.layout import ANNOTATIONS_FILE, CARD_FILE, PROVENANCE_FILE, REPORT_FILE, label_names, load_pulled
from annotation.schema.schema import Schema
from annotation.convert.document import span_layers


def label_counts(ds, schema: Schema) -> dict[str, dict[str, Counter]]:
    """{layer: {split: Counter(label -> spans)}} from the document view (streamed in batches)."""
    names = label_names(schema)
    out: dict[str, dict[str, Counter]] = {}
    for layer, (column, key) in span_layers(schema).items():
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


def corpus_licenses(ds) -> dict[str, str]:
    """{corpus: license} named in the documents' meta (imported corpora carry both)."""
    out: dict[str, str] = {}
    for part in ds.values():
        for batch in part.select_columns(["meta"]).iter(batch_size=2000):
            for raw in batch["meta"]:
                try:
                    meta = json.loads(raw) if raw else {}
                except json.JSONDecodeError:
                    continue
                if isinstance(meta, dict) and meta.get("license"):
                    out.setdefault(str(meta.get("corpus") or "?"), str(meta["license"]))
    return dict(sorted(out.items()))


def _fmt(x) -> str:
    return "-" if x is None else f"{x:.3f}"


def write_card(data: str | Path, schema: Schema, ds=None) -> Path:
    """README.md in the dataset folder from the dataset, nisba_pull.json, pull_report.json and annotations."""
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
    licenses = corpus_licenses(ds)
    if licenses:
        lines += ["", "## Sources and licenses", "", "| corpus | license |", "|---|---|"]
        lines += [f"| {c} | {l} |" for c, l in licenses.items()]
        if any("non-commercial" in l.lower() or "-nc" in l.lower() for l in licenses.values()):
            lines += ["", "Part of this dataset is **non-commercial** (CC BY-NC-SA): it may not be used "
                      "commercially, and derived datasets and models must carry the same terms."]
    lines += ["", "## Spans per label and split", ""]
    counted = report.get("labels") or {}
    if set(counted) != {l for l in span_layers(schema) if l in schema.layer_names} or \
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
