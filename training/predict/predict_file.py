"""Predict a file with no server: articles in, Label Studio tasks with predictions out (JSONL).

Input formats, chosen by the file's suffix (a mapping, ``READERS``):

- ``.txt``: the whole file is one article (a leading BOM is dropped, nothing else changes);
- ``.jsonl``: one JSON object a line, either ``{"text": ..., ...}`` (the other keys become
  ``meta``) or a Label Studio task ``{"data": {"text": ..., "meta": ...}, ...}``; blank lines
  are skipped;
- ``.json``: a list of such objects (a Label Studio export or task file).

Output: one task a line, ``{"data": {"text", "meta", "content_hash"}, "predictions":
[{"model_version", "score", "result"}]}`` with ``result`` from ``annotation.regions.to_result``;
a task's ``annotations`` (and ``id``) are carried over when the input had them. Label Studio
imports the file as it is.

Bad input raises NisbaError naming the file and line (or item). Not handled here: pushing to a
server (annotation/loop/push_plan.py) or deduplication against a project.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.convert.regions import to_result
from annotation.schema.schema import load_schema

PREDICT_FILE_FORMAT_VERSION = 1


def _task_from_object(obj, where: str) -> dict:
    if not isinstance(obj, dict):
        raise NisbaError(f"{where}: expected a JSON object with 'text' or 'data.text', got {type(obj).__name__}")
    if isinstance(obj.get("data"), dict):
        data = obj["data"]
        text = data.get("text")
        meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
        extra = {k: obj[k] for k in ("id", "annotations") if k in obj}
    else:
        text = obj.get("text")
        meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {k: v for k, v in obj.items() if k != "text"}
        extra = {}
    if not isinstance(text, str):
        raise NisbaError(f"{where}: no text (expected a string at 'text' or 'data.text')")
    if not text.strip():
        raise NisbaError(f"{where}: the text is empty")
    return {"text": text, "meta": meta, "extra": extra}


def _read_txt(path: Path) -> Iterator[dict]:
    text = path.read_text(encoding="utf-8").lstrip("\ufeff")
    if not text.strip():
        raise NisbaError(f"{path}: line 1: the file is empty")
    yield {"text": text, "meta": {"file": path.name}, "extra": {}}


def _read_jsonl(path: Path) -> Iterator[dict]:
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip().lstrip("\ufeff")
            if not line:
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise NisbaError(f"{path}: line {n}: not valid JSON: {exc.msg} (column {exc.colno})") from None
            yield _task_from_object(obj, f"{path}: line {n}")


def _read_json(path: Path) -> Iterator[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8").lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise NisbaError(f"{path}: line {exc.lineno}: not valid JSON: {exc.msg}") from None
    items = data if isinstance(data, list) else [data]
    for i, obj in enumerate(items):
        yield _task_from_object(obj, f"{path}: item {i}")


READERS = {".txt": _read_txt, ".jsonl": _read_jsonl, ".json": _read_json}


def read_input(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.exists():
        raise NisbaError(f"{path}: no such file")
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise NisbaError(f"{path}: unsupported input type {path.suffix!r}; use one of {sorted(READERS)}")
    return list(reader(path))


def predict_file(predictor, input_path: str | Path, out_path: str | Path, schema=None,
                 batch_size: int = 16, progress: bool = False) -> dict:
    """Predict every article of ``input_path`` and write Label Studio tasks to ``out_path``.

    Returns a summary: tasks written, regions and relations predicted, the model_version.
    """
    schema = schema or load_schema()
    items = read_input(input_path)
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    n_regions = n_relations = 0
    chunks = range(0, len(items), batch_size)
    if progress:
        from rich.progress import track

        chunks = track(chunks, description=f"predicting {Path(input_path).name}")
    with out_path.open("w", encoding="utf-8") as fh:
        for i in chunks:
            batch = items[i:i + batch_size]
            results = predictor.predict([it["text"] for it in batch], batch_size=batch_size)
            for it, res in zip(batch, results):
                n_regions += len(res.regions)
                n_relations += len(res.relations)
                task = {
                    **it["extra"],
                    "data": {"text": it["text"], "meta": it["meta"], "content_hash": content_hash(it["text"])},
                    "predictions": [{"model_version": predictor.model_version, "score": float(res.score),
                                     "result": to_result(res.regions, res.relations, schema)}],
                }
                fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    return {"format_version": PREDICT_FILE_FORMAT_VERSION, "tasks": len(items), "regions": n_regions,
            "relations": n_relations, "model_version": predictor.model_version}
