"""Files and corpora -> Label Studio task dicts (pure: no server calls).

A task is ``{"data": {"text", "meta", "content_hash"}, "annotations"?: [...], "predictions"?: [...]}``.
Readers, chosen by file suffix (``READERS``):

- ``.txt``: one article a file; the text is stored exactly as read (no strip, no newline
  conversion), so offsets computed on the file match the task.
- ``.jsonl``: one task a line, either ``{"text": ..., "meta": {...}}`` or a Label Studio task
  ``{"data": {"text": ...}, "annotations": [{"result": [...]}], "predictions": [...]}``. The
  results are checked against the text with regions.parse_result. Blank lines are skipped.
- ``.json``: Label Studio's own task file, a JSON array of such objects (or one object); an
  error names the file and the element (``file.json[3]``).

A whole file is read and checked before anything of it is returned: a file that is not
UTF-8, is empty, has a line that is not JSON or has no text, or an annotation whose span does
not match its text raises NisbaError naming the file and line; nothing of that file is imported.

Not handled here: de-duplication against the server and the import itself (labelstudio.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.convert.regions import parse_result, to_result
from annotation.schema.schema import Schema

ANNOTATION_KEYS = ("result", "ground_truth", "was_cancelled", "lead_time", "completed_by")
PREDICTION_KEYS = ("result", "model_version", "score")


def make_task(text: str, meta: dict | None = None, schema: Schema | None = None, *,
              extra_data: dict | None = None, annotations: list[dict] | None = None,
              predictions: list[dict] | None = None) -> dict:
    """A task dict whose data carries the text, its meta and its content hash."""
    text_key = schema.text_name if schema else "text"
    data = {**(extra_data or {}), text_key: text, "meta": dict(meta or {}), "content_hash": content_hash(text)}
    task: dict = {"data": data}
    if annotations:
        task["annotations"] = annotations
    if predictions:
        task["predictions"] = predictions
    return task


def _decode(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NisbaError(f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                         "convert the file to UTF-8 first") from None


def read_txt(path: Path, schema: Schema) -> list[dict]:
    text = _decode(path)
    if not text.strip():
        raise NisbaError(f"{path}:1: empty file, no article to import")
    return [make_task(text, {"file": path.name}, schema)]


def _checked_results(items, kind: str, keys: tuple[str, ...], text: str, schema: Schema,
                     where: str) -> list[dict]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise NisbaError(f"{where}: {kind} must be a list")
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict) or not isinstance(item.get("result"), list):
            raise NisbaError(f"{where}: {kind}[{i}] needs a 'result' list")
        _, _, problems = parse_result(item["result"], schema, text)
        if problems:
            shown = "; ".join(str(p) for p in problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise NisbaError(f"{where}: {kind}[{i}]: {shown}{more}")
        out.append({k: item[k] for k in keys if k in item})
    return out


def _line_task(obj, schema: Schema, where: str, path: Path, lineno: int) -> dict:
    key = schema.text_name
    if not isinstance(obj, dict):
        raise NisbaError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    is_ls_task = isinstance(obj.get("data"), dict)
    data = obj["data"] if is_ls_task else obj
    text = data.get(key)
    if not isinstance(text, str) or not text.strip():
        form = '{"data": {"%s": ...}}' % key if is_ls_task else '{"%s": ...}' % key
        raise NisbaError(f"{where}: no {key!r} (or an empty one); each line needs {form}")
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise NisbaError(f"{where}: 'meta' must be an object")
    meta = {**meta, "file": path.name, ("line" if path.suffix.lower() == ".jsonl" else "index"): lineno}
    extra = {k: v for k, v in data.items() if k not in (key, "meta", "content_hash")}
    annotations = _checked_results(obj.get("annotations"), "annotations", ANNOTATION_KEYS, text, schema, where) \
        if is_ls_task else []
    predictions = _checked_results(obj.get("predictions"), "predictions", PREDICTION_KEYS, text, schema, where) \
        if is_ls_task else []
    # a completed_by id from another server means nothing here; the importer becomes the annotator
    for a in annotations:
        a.pop("completed_by", None)
    return make_task(text, meta, schema, extra_data=extra, annotations=annotations, predictions=predictions)


def read_jsonl(path: Path, schema: Schema) -> list[dict]:
    text = _decode(path)
    tasks = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise NisbaError(f"{where}: not JSON ({exc.msg} at column {exc.colno})") from None
        tasks.append(_line_task(obj, schema, where, path, lineno))
    if not tasks:
        raise NisbaError(f"{path}:1: empty file, no tasks to import")
    return tasks


def read_json(path: Path, schema: Schema) -> list[dict]:
    text = _decode(path)
    if not text.strip():
        raise NisbaError(f"{path}:1: empty file, no tasks to import")
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NisbaError(f"{path}:{exc.lineno}: not JSON ({exc.msg} at column {exc.colno})") from None
    items = items if isinstance(items, list) else [items]
    if not items:
        raise NisbaError(f"{path}: an empty list, no tasks to import")
    return [_line_task(obj, schema, f"{path}[{i}]", path, i) for i, obj in enumerate(items)]


READERS: dict[str, Callable[[Path, Schema], list[dict]]] = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".json": read_json,
}


def read_task_file(path: str | Path, schema: Schema) -> list[dict]:
    """Every task of one file, all checked, or NisbaError naming the file and line."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise NisbaError(f"{path}: cannot import {path.suffix or 'a file without suffix'!r}; "
                         f"nisba reads {sorted(READERS)}")
    if not path.is_file():
        raise NisbaError(f"{path}: no such file")
    return reader(path, schema)


def read_task_files(paths: list[str | Path], schema: Schema) -> list[dict]:
    """The tasks of several files in order; any bad file stops the run before an import."""
    tasks: list[dict] = []
    for path in paths:
        tasks += read_task_file(path, schema)
    return tasks


def corpus_tasks(documents, schema: Schema, with_annotations: bool = False) -> list[dict]:
    """Tasks from annotation.corpora.documents CorpusDocuments; gold regions become annotations on request."""
    tasks = []
    for doc in documents:
        relations = getattr(doc, "relations", [])
        annotations = ([{"result": to_result(doc.regions, relations, schema)}]
                       if with_annotations and doc.regions else None)
        tasks.append(make_task(doc.text, doc.meta, schema, annotations=annotations))
    return tasks
