"""Pull: a Label Studio export -> a versioned Hugging Face DatasetDict of the document view.

Two parts:

1. ``convert_task(task, schema, policy)`` is pure: one task's JSON -> a document-view row (or
   None when the task has no gold) plus every problem found, each naming the task and the
   annotation. It parses every completed annotation with ``regions.parse_result`` (controls,
   labels, offsets, stored text, relation endpoints and types), picks the gold with
   ``gold.POLICIES[policy]``, flags overlapping spans within a layer and spans that no token
   edge of the token view (``annotation.text.tokens``) would match; ``tokens=True`` also builds the
   token view itself.
2. ``pull_export_file(raw, out, ...)`` streams the tasks of a saved raw export
   (``export_reader.iter_export``) through ``convert_task`` into one Arrow file per split
   (``splits.split_of`` on the content hash), so memory does not grow with the number of
   tasks, then saves the DatasetDict (``datasets.load_from_disk(out)`` opens it), the pull
   report (every problem, counts), the provenance file and the annotations kept for agreement.

``save_raw`` writes the export untouched (gzip-compressed, timestamped, with its sha256)
before anything is converted; ``pull_from_export`` and ``labelstudio.exports.export_chunks`` feed it.

Output folder::

    DIR/dataset_dict.json, DIR/train|validation|test/   the DatasetDict (document view)
    DIR/raw/<UTC timestamp>.json.gz (+ .sha256)         the raw export, never modified
    DIR/pull_report.json                                counts and every problem
    DIR/nisba_pull.json                                 provenance (format_version 1)
    DIR/annotations.jsonl.gz                            every completed annotation's spans
    DIR/README.md                                       the dataset card (gold_export.py)

A pull writes into a fresh folder beside DIR and swaps it in only when the export was read
whole; the dataset it replaces is kept as DIR.previous and its raw exports are carried over.
An export that could not be read whole leaves DIR untouched (the attempt in DIR.failed).

Not handled here: talking to Label Studio (labelstudio/exports.py), exports (gold_export.py).
"""

from __future__ import annotations

import datetime as dt
import gc
import gzip
import hashlib
import json
import os
import shutil
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from annotation.convert.document import content_hash, regions_to_document, span_layers
from annotation.errors import NisbaError
from annotation.convert.export_reader import ExportReadError, iter_export, open_export
from annotation.convert.gold import POLICIES, Candidate, annotator_name, is_completed
from annotation.convert.regions import Problem, Region, parse_result
from annotation.schema.schema import Schema
from annotation.dataset.agreement import compute_agreement, read_records
from annotation.dataset.card import write_card
from annotation.dataset.layout import ANNOTATIONS_FILE, PROVENANCE_FILE, REPORT_FILE
from annotation.dataset.splits import SPLIT_NAMES, fixed_split, split_of
from annotation.text.tokens import INVISIBLE, token_view

PULL_FORMAT_VERSION = 1
# Problems that mean the export itself could not be read whole: the pull exits non-zero and an
# existing dataset folder is left as it was (export_reader's ExportReadError kinds).
FATAL_PROBLEMS = frozenset({"export_unreadable", "export_trailing_data", "export_not_a_list"})


@dataclass
class TaskOutcome:
    """What one task turned into: a row or None, its problems, and its annotations' spans."""

    row: dict | None
    problems: list[Problem]
    record: dict
    counts: Counter = field(default_factory=Counter)
    tokens: dict | None = None


def _int(value, default: int = -1) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def overlap_problems(regions: list[Region], task_id, annotation_id) -> list[Problem]:
    """Spans of one layer that overlap (or repeat) another span of the same layer."""
    out = []
    by_layer: dict[str, list[Region]] = {}
    for r in regions:
        by_layer.setdefault(r.layer, []).append(r)
    for layer, rs in by_layer.items():
        rs.sort(key=lambda r: (r.start, -r.end, r.label, r.id))
        reach: Region | None = None
        for r in rs:
            if reach is not None and r.start < reach.end:
                out.append(Problem(
                    "overlapping_spans",
                    f"{layer} span {r.label} ({r.start}, {r.end}) {r.text!r} overlaps "
                    f"{reach.label} ({reach.start}, {reach.end}) {reach.text!r} (region {reach.id})",
                    task_id, annotation_id, r.id))
            if reach is None or r.end > reach.end:
                reach = r
    return out


def alignment_problems(regions: list[Region], text: str, task_id, annotation_id) -> list[Problem]:
    """Spans whose edge no token edge matches in the token view (annotation/text/tokens.py).

    The token view cuts tokens at every span edge, so an edge fails to align exactly when it
    sits on whitespace or an invisible mark: the span starts on one or ends after one. This
    checks that in O(spans) instead of tokenizing (the equivalence is pinned by a test).
    """
    out = []
    for r in regions:
        first, last = text[r.start], text[r.end - 1]
        if first.isspace() or last.isspace() or first in INVISIBLE or last in INVISIBLE:
            out.append(Problem("token_misaligned",
                               f"{r.layer} span {r.label} ({r.start}, {r.end}) {r.text!r} starts or ends on "
                               "whitespace, so no token edge matches it", task_id, annotation_id, r.id))
    return out


def convert_task(task: dict, schema: Schema, policy: str = "latest", tokens: bool = False) -> TaskOutcome:
    """One Label Studio task (export or API JSON) -> document-view row | None, problems, spans kept for agreement."""
    counts: Counter = Counter(tasks=1)
    problems: list[Problem] = []
    task_id = _int(task.get("id"))
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    text = data.get(schema.text_name)
    record: dict = {"task_id": task_id, "annotations": []}

    annotations = [a for a in task.get("annotations") or [] if isinstance(a, dict)]
    drafts = task.get("drafts") or []
    counts["annotations"] += len(annotations)
    counts["drafts"] += len(drafts)
    if not isinstance(text, str):
        problems.append(Problem("missing_text", f"task data has no string field {schema.text_name!r}", task_id))
        counts["tasks_left_out"] += 1
        return TaskOutcome(None, problems, record, counts)
    doc_id = content_hash(text)
    record["id"] = doc_id
    stored_hash = data.get("content_hash")
    if stored_hash and stored_hash != doc_id:
        problems.append(Problem("content_hash_mismatch",
                                f"data.content_hash {stored_hash!r} != hash of the text {doc_id!r} (text edited?)",
                                task_id))

    candidates: list[Candidate] = []
    for ann in annotations:
        aid = _int(ann.get("id"))
        who = annotator_name(ann)
        entry = {"id": aid, "annotator": who, "ground_truth": bool(ann.get("ground_truth")),
                 "cancelled": bool(ann.get("was_cancelled")), "spans": []}
        record["annotations"].append(entry)
        if not is_completed(ann):
            counts["cancelled"] += 1
            continue
        counts["completed"] += 1
        counts["ground_truth"] += bool(ann.get("ground_truth"))
        regions, relations, found = parse_result(ann.get("result") or [], schema, text, task_id, aid)
        problems.extend(found)
        entry["spans"] = [[r.layer, r.label, r.start, r.end] for r in regions]
        when = str(ann.get("updated_at") or ann.get("created_at") or "")
        candidates.append(Candidate(aid, who, bool(ann.get("ground_truth")), when, regions, relations))
    if len(candidates) >= 2:
        record["text"] = text  # agreement needs tokens only where annotators can be compared

    if not text:
        problems.append(Problem("empty_text", "task text is empty; left out", task_id))
        counts["tasks_left_out"] += 1
        return TaskOutcome(None, problems, record, counts)
    gold = POLICIES[policy](candidates)
    if gold is None:
        counts["tasks_without_gold"] += 1
        return TaskOutcome(None, problems, record, counts)
    problems.extend(overlap_problems(gold.regions, task_id, gold.annotation_id))
    meta = data.get("meta")
    if meta is not None and not isinstance(meta, dict):
        meta = {"meta": meta}
    row = regions_to_document(text, gold.regions, gold.relations, task_id=task_id, meta=meta or {},
                              annotator=gold.annotator, annotation_id=gold.annotation_id,
                              annotation_ids=gold.annotation_ids, schema=schema)
    problems.extend(alignment_problems(gold.regions, text, task_id, gold.annotation_id))
    view = None
    if tokens:  # the training-time token view, built here only when asked (benchmarks, checks)
        view, _ = token_view(row, [l for l in span_layers(schema) if l in schema.layer_names], schema=schema)
    counts["tasks_with_gold"] += 1
    return TaskOutcome(row, problems, record, counts, view)


# --- raw export on disk -------------------------------------------------------------------

@dataclass
class RawExport:
    path: Path
    sha256: str       # of the uncompressed export bytes, as the server or the UI gave them
    saved_at: str
    bytes: int


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def save_raw(chunks: Iterable[bytes], out: str | Path, suffix: str = ".json") -> RawExport:
    """Stream export bytes untouched into DIR/raw/<timestamp><suffix>.gz and a .sha256 beside it.

    The sha256 is of the uncompressed bytes (check: ``zcat FILE | sha256sum``), so it names
    the export itself, not the compression.
    """
    raw_dir = Path(out) / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    now = _now()
    saved_at = now.isoformat(timespec="seconds")
    path = raw_dir / f"{now.strftime('%Y%m%dT%H%M%S%fZ')}{suffix}.gz"
    digest = hashlib.sha256()
    size = 0
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", compresslevel=1, mtime=0) as gz:
        for chunk in chunks:
            if chunk:
                digest.update(chunk)
                gz.write(chunk)
                size += len(chunk)
    tmp.replace(path)
    sha = digest.hexdigest()
    path.with_name(path.name + ".sha256").write_text(f"{sha}  {path.name[:-3]}\n", encoding="utf-8")
    return RawExport(path, sha, saved_at, size)


def _file_chunks(path: Path, size: int = 1 << 20) -> Iterator[bytes]:
    """The uncompressed bytes of an export file (gzip or plain); a broken gzip tail stops quietly."""
    with open_export(path) as fh:
        while True:
            try:
                chunk = fh.read(size)
            except (OSError, EOFError):
                return  # the converter reports the truncation with its position
            if not chunk:
                return
            yield chunk


# --- the pull ------------------------------------------------------------------------------

@dataclass
class PullResult:
    out: Path
    counts: Counter
    problems: list[Problem]
    split_sizes: dict[str, int]
    provenance: dict

    @property
    def problem_counts(self) -> Counter:
        return Counter(p.kind for p in self.problems)


def _progress(enabled: bool):
    from annotation.progress import progress_bar

    return progress_bar(enabled, fields=("rate",))


@contextmanager
def _collector_spared():
    """Keep Python's cyclic garbage collector off everything alive before the conversion.

    A conversion allocates millions of small lists and tuples (rows, token offsets), which
    sets off the collector every few hundred; each full collection would walk every object of
    the libraries loaded (datasets, pyarrow, numpy) again. ``gc.freeze`` moves those out of
    its way until the conversion is done: 10-20% of the conversion time here.
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def convert_export(raw_path: str | Path, out: str | Path, schema: Schema, *, policy: str = "latest",
                   ratios: dict[str, float], total: int | None = None, progress: bool = False,
                   tokens: bool = False) -> tuple[Counter, list[Problem], dict[str, int], dict]:
    """Stream a raw export into per-split Arrow files under DIR/.pull-tmp and DIR/annotations.jsonl.gz.

    Returns counts, problems, split sizes and spans per layer, split and label (for the card).

    One process: converting in worker processes (fork, batches of 64) measured slower here
    (22 s against 10.6 s for 1,000 tasks on the shared 2-core machine): pickling the tasks and
    rows costs about what converting them does.
    """
    from annotation.dataset.arrow_rows import RowWriter
    from annotation.convert.document import document_features

    if policy not in POLICIES:
        raise NisbaError(f"--gold {policy!r}: choose one of {sorted(POLICIES)}")
    out = Path(out)
    tmp = out / ".pull-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    features = document_features(schema)
    writers = {name: RowWriter(tmp / f"{name}.arrow", features) for name in SPLIT_NAMES}
    counts: Counter = Counter()
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    texts_of_id: dict[int, str] = {}   # task id -> content hash: one id, two texts is a problem
    sizes = Counter({name: 0 for name in SPLIT_NAMES})
    where = span_layers(schema)
    labels = {layer: {name: Counter() for name in SPLIT_NAMES} for layer in where if layer in schema.layer_names}
    import time

    t0 = time.perf_counter()
    with gzip.open(out / ANNOTATIONS_FILE, "wt", encoding="utf-8", compresslevel=1) as ann_out, \
            _progress(progress) as bar, _collector_spared():
        job = bar.add_task("converting tasks", total=total, rate="")
        try:
            for task in iter_export(raw_path):
                outcome = convert_task(task, schema, policy, tokens)
                counts.update(outcome.counts)
                problems.extend(outcome.problems)
                ann_out.write(json.dumps(outcome.record, ensure_ascii=False) + "\n")
                row = outcome.row
                task_id, doc = outcome.record.get("task_id"), outcome.record.get("id")
                if doc is not None and task_id is not None and task_id >= 0:
                    before = texts_of_id.setdefault(task_id, doc)
                    if before != doc:
                        problems.append(Problem("task_id_reused",
                                                f"task id {task_id} appears again with a different text "
                                                f"(content hash {doc[:12]} != {before[:12]}); merged exports?",
                                                task_id))
                if row is not None:
                    first = seen.get(row["id"])
                    if first is not None:
                        problems.append(Problem("duplicate_document",
                                                f"same text as task {first}; kept task {first} only", row["task_id"]))
                        counts["tasks_with_gold"] -= 1
                        counts["duplicates_left_out"] += 1
                    else:
                        seen[row["id"]] = row["task_id"]
                        split = fixed_split(row["meta"]) or split_of(row["id"], ratios)
                        for layer, per_split in labels.items():
                            column, key = where[layer]   # spans counted per split for the card
                            per_split[split].update(item[key] for item in row[column])
                        writers[split].write(row)   # its label names become ids here
                        sizes[split] += 1
                done = counts["tasks"]
                if progress and done % 200 == 0:
                    bar.update(job, completed=done, rate=f"{done / max(time.perf_counter() - t0, 1e-9):.0f} tasks/s")
        except ExportReadError as exc:
            problems.append(Problem(exc.kind, str(exc), None))
        for w in writers.values():
            w.close()
    if counts["tasks"] == 0 and not any(p.kind in FATAL_PROBLEMS for p in problems):
        problems.append(Problem("empty_export", f"{raw_path}: the export holds no tasks (an empty list); "
                                "was the project empty, or the export filtered?", None))
    counts["problems"] = len(problems)
    return counts, problems, dict(sizes), {l: {n: dict(c) for n, c in v.items()} for l, v in labels.items()}


def write_dataset(out: str | Path) -> None:
    """Turn DIR/.pull-tmp/<split>.arrow into a DatasetDict saved in DIR (load_from_disk opens it)."""
    from datasets import Dataset, DatasetDict
    from datasets.utils.logging import disable_progress_bar

    disable_progress_bar()  # the pull shows its own
    out = Path(out)
    tmp = out / ".pull-tmp"
    dd = DatasetDict({name: Dataset.from_file(str(tmp / f"{name}.arrow"), split=name) for name in SPLIT_NAMES})
    for name in SPLIT_NAMES:
        shutil.rmtree(out / name, ignore_errors=True)
    # an empty split needs one (empty) shard, or load_from_disk cannot read it back
    dd.save_to_disk(str(out), num_shards={name: 1 for name, part in dd.items() if len(part) == 0})
    del dd
    shutil.rmtree(tmp, ignore_errors=True)


def write_report(out: Path, counts: Counter, problems: list[Problem], sizes: dict[str, int],
                 labels: dict | None = None) -> Path:
    path = out / REPORT_FILE
    report = {
        "format_version": PULL_FORMAT_VERSION,
        "counts": dict(sorted(counts.items())),
        "splits": sizes,
        "labels": labels or {},
        "problem_counts": dict(sorted(Counter(p.kind for p in problems).items())),
        "problems": [p.as_dict() for p in problems],
    }
    path.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


class PullFailed(NisbaError):
    """The export could not be read whole; the existing dataset folder was left untouched."""

    def __init__(self, message: str, result: "PullResult"):
        super().__init__(message)
        self.result = result


def _staging_dir(out: Path) -> Path:
    """A fresh sibling folder the pull writes into; swapped in for OUT only when it succeeds.

    OUT itself may be missing, empty or a dataset an earlier pull wrote (it has nisba_pull.json);
    any other folder with files in it is refused rather than moved aside.
    """
    import tempfile

    if out.exists() and not out.is_dir():
        raise NisbaError(f"{out}: exists and is not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / PROVENANCE_FILE).is_file():
        raise NisbaError(f"{out}: a folder with files but no {PROVENANCE_FILE}, so not a pulled dataset; "
                         "choose another --out (nisba will not replace it)")
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.pull-", dir=out.parent))


def previous_dir(out: Path) -> Path:
    """Where the dataset a successful pull replaced is kept (one generation)."""
    return out.with_name(out.name + ".previous")


def failed_dir(out: Path) -> Path:
    """Where a pull that could not read its export leaves what it wrote (the report)."""
    return out.with_name(out.name + ".failed")


def _swap_in(staging: Path, out: Path) -> None:
    """OUT -> OUT.previous (one generation kept), then staging -> OUT; raw exports carried over."""
    if out.is_dir() and any(out.iterdir()):
        for old_raw in sorted((out / "raw").glob("*")) if (out / "raw").is_dir() else []:
            target = staging / "raw" / old_raw.name
            if old_raw.is_file() and not target.exists():   # every raw export stays in the dataset
                try:
                    os.link(old_raw, target)
                except OSError:
                    shutil.copy2(old_raw, target)
        prev = previous_dir(out)
        shutil.rmtree(prev, ignore_errors=True)
        out.rename(prev)
    elif out.is_dir():
        out.rmdir()
    staging.rename(out)


def _pull_staged(out: str | Path, fetch, schema: Schema, *, policy: str, ratios: dict[str, float],
                 source: dict, total: int | None = None, progress: bool = False) -> PullResult:
    """Save the raw export (``fetch(folder) -> RawExport``) and convert it in a staging folder.

    Success: the staging folder becomes OUT and the dataset it replaced is kept as OUT.previous.
    An export that could not be read whole (``FATAL_PROBLEMS``): OUT is left untouched, the
    staging folder is kept as OUT.failed (its pull_report.json says what went wrong) and
    ``PullFailed`` is raised, so the command exits non-zero.
    """
    out = Path(out).absolute()   # "." or "data/" still name a folder with a parent to stage in
    staging = _staging_dir(out)
    try:
        raw = fetch(staging)
        result = pull_raw(raw, staging, schema, policy=policy, ratios=ratios, source=source, total=total,
                          progress=progress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fatal = [p for p in result.problems if p.kind in FATAL_PROBLEMS]
    if fatal:
        failed = failed_dir(out)
        shutil.rmtree(failed, ignore_errors=True)
        staging.rename(failed)
        result.out = failed
        kept = f"{out} was left as it was" if out.exists() else f"nothing was written to {out}"
        raise PullFailed(f"{fatal[0].message}\n{kept}; this pull's report is {failed / REPORT_FILE}", result)
    _swap_in(staging, out)
    result.out = out
    return result


def pull_raw(raw: RawExport, out: str | Path, schema: Schema, *, policy: str, ratios: dict[str, float],
             source: dict, total: int | None = None, progress: bool = False) -> PullResult:
    """Convert a saved raw export into DIR and write report, provenance and the dataset card."""
    out = Path(out)
    counts, problems, sizes, labels = convert_export(raw.path, out, schema, policy=policy, ratios=ratios,
                                                     total=total, progress=progress)
    write_dataset(out)
    write_report(out, counts, problems, sizes, labels)
    provenance = {
        "format_version": PULL_FORMAT_VERSION,
        **source,
        "export_time": source.get("export_time") or raw.saved_at,
        "pulled_at": _now().isoformat(timespec="seconds"),
        "raw_export": str(raw.path.relative_to(out)),
        "raw_sha256": raw.sha256,
        "raw_bytes": raw.bytes,
        "schema_title": schema.title,
        "schema_fingerprint": schema.fingerprint(),
        "label_maps": schema.label_maps(),
        "gold_policy": policy,
        "ratios": ratios,
        "splits": sizes,
        "counts": dict(sorted(counts.items())),
    }
    (out / PROVENANCE_FILE).write_text(json.dumps(provenance, ensure_ascii=False, indent=1), encoding="utf-8")
    write_card(out, schema)
    return PullResult(out, counts, problems, sizes, provenance)


def pull_from_export(export_file: str | Path, out: str | Path, schema: Schema, *, policy: str = "latest",
                     ratios: dict[str, float], progress: bool = False) -> PullResult:
    """`nisba pull --from-export FILE`: keep the file untouched under DIR/raw, then convert it.

    Written beside DIR and swapped in on success (``_pull_staged``): an unreadable export
    raises PullFailed and leaves DIR as it was.
    """
    export_file = Path(export_file)
    if not export_file.is_file():
        raise NisbaError(f"{export_file}: export file not found")
    suffix = ".jsonl" if export_file.name.removesuffix(".gz").endswith(".jsonl") else ".json"
    source = {"source": "export_file", "export_file": str(export_file), "project_id": None, "project_title": None}
    return _pull_staged(out, lambda folder: save_raw(_file_chunks(export_file), folder, suffix), schema,
                        policy=policy, ratios=ratios, source=source, progress=progress)


def pull_from_server(client, ref: str, out: Path, schema: Schema, gold: str = "latest", ratios: dict | None = None,
                     via: str = "export", console=None):
    """Fetch the project's annotated tasks into DIR/raw untouched, then convert them."""
    import datetime as dt
    import contextlib

    from annotation.labelstudio.client import base_url
    from annotation.labelstudio.exports import export_chunks, task_page_chunks
    from annotation.labelstudio.projects import resolve_project
    from annotation.dataset.splits import parse_ratios

    sources = {"export": export_chunks, "tasks": task_page_chunks}
    if via not in sources:
        raise NisbaError(f"--via {via!r}: choose one of {sorted(sources)}")
    ratios = ratios or parse_ratios("0.8,0.1,0.1")
    proj = resolve_project(client, ref)
    export_time = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    status = console.status(f"downloading project {proj.id} ({via})") if console else contextlib.nullcontext()

    def fetch(folder: Path) -> RawExport:
        with status:
            return save_raw(sources[via](client, proj.id), folder, ".json" if via == "export" else ".jsonl")

    source = {"source": f"label_studio_{via}", "project_id": proj.id, "project_title": getattr(proj, "title", None),
              "export_time": export_time, "server": base_url(client)}
    total = getattr(proj, "num_tasks_with_annotations", None)
    return _pull_staged(out, fetch, schema, policy=gold, ratios=ratios, source=source, total=total,
                        progress=bool(console and console.is_terminal))


def agreement_from(data: Path | None, project: str | None, schema) -> dict:
    """Agreement of a pulled folder's annotations, or of a project exported from the server now."""
    import tempfile

    if data is not None:
        path = Path(data) / ANNOTATIONS_FILE
        if not path.is_file():
            raise NisbaError(f"{path}: not found; pull the dataset again with this nisba to keep annotations")
        return compute_agreement(read_records(path), schema.layer_names)
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.exports import export_chunks
    from annotation.labelstudio.projects import resolve_project

    client = connect()
    proj = resolve_project(client, project or schema.title)
    with tempfile.TemporaryDirectory() as tmp:
        raw = save_raw(export_chunks(client, proj.id), tmp)
        records = (convert_task(t, schema, tokens=False).record for t in iter_export(raw.path))
        return compute_agreement(records, schema.layer_names)
