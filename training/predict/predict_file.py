"""Predict a file with no server: articles in, Label Studio tasks with predictions out (JSONL).

Input: the files ``nisba import`` reads, through the same reader
(annotation/convert/task_files.read_task_file): ``.txt`` (one article), ``.jsonl`` (one task a
line, flat ``{"text", "meta"}`` or a Label Studio task) and ``.json`` (a list of tasks), with the
same checks, the same errors naming file and line, and the same byte-order-mark handling.

Output: one task a line, the task ``nisba import`` would make of the input (``data`` with the
text, ``meta`` and ``content_hash``; annotations and a Label Studio task's ``id`` kept) with
``predictions`` ``[{"model_version", "score", "result"}]`` (``result`` from
``annotation.convert.regions.to_result``) in place of any it had. Label Studio imports the file
as it is.

Not handled here: pushing to a server (annotation/loop/push_plan.py) or deduplication against a
project.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotation.convert.regions import to_result
from annotation.convert.task_files import read_task_file
from annotation.progress import track
from annotation.schema.schema import load_schema

PREDICT_FILE_FORMAT_VERSION = 1


def read_input(path: str | Path, schema=None) -> list[dict]:
    """The tasks of an input file, read as ``nisba import`` reads it (ids kept)."""
    return read_task_file(path, schema or load_schema(), keep_ids=True)


def predict_file(predictor, input_path: str | Path, out_path: str | Path, schema=None,
                 batch_size: int = 16, progress: bool = False) -> dict:
    """Predict every article of ``input_path`` and write Label Studio tasks to ``out_path``.

    Returns a summary: tasks written, regions and relations predicted, the model_version.
    """
    schema = schema or load_schema()
    items = read_input(input_path, schema)
    text_key = schema.text_name
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    n_regions = n_relations = 0
    chunks = range(0, len(items), batch_size)
    chunks = track(chunks, len(chunks), f"predicting {Path(input_path).name}", enabled=progress)
    with out_path.open("w", encoding="utf-8") as fh:
        for i in chunks:
            batch = items[i:i + batch_size]
            results = predictor.predict([it["data"][text_key] for it in batch], batch_size=batch_size)
            for it, res in zip(batch, results):
                n_regions += len(res.regions)
                n_relations += len(res.relations)
                task = {
                    **{k: v for k, v in it.items() if k != "predictions"},
                    "predictions": [{"model_version": predictor.model_version, "score": float(res.score),
                                     "result": to_result(res.regions, res.relations, schema)}],
                }
                fh.write(json.dumps(task, ensure_ascii=False) + "\n")
    return {"format_version": PREDICT_FILE_FORMAT_VERSION, "tasks": len(items), "regions": n_regions,
            "relations": n_relations, "model_version": predictor.model_version}
