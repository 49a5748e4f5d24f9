"""Which annotations of an import input a project's existing tasks do not hold yet (pure).

``nisba import --with-annotations`` matches each input task to the task the project already
holds with the same content hash, and adds the input's annotations that task lacks. Two
annotations are the same when their results hold the same regions, choices and relations
(``result_key``: control, type, offsets, labels, endpoints; not the stored text, the region
ids' order or the server's bookkeeping), so re-running the import adds nothing.

Not handled here: the server calls (labelstudio/tasks.py ``add_missing_annotations``).

Example::

    >>> held = {"3f2a...": (17, [existing_result])}
    >>> annotations_to_add(input_tasks, held)
    [(17, {"result": [...], "ground_truth": False})]
"""

from __future__ import annotations

import json
from typing import Iterable


def _item_key(item: dict) -> str:
    value = item.get("value") if isinstance(item.get("value"), dict) else {}
    key = {
        "type": item.get("type"),
        "from_name": item.get("from_name"),
        "to_name": item.get("to_name"),
        "start": value.get("start"),
        "end": value.get("end"),
        "labels": sorted(value.get("labels") or item.get("labels") or []),
        "choices": sorted(value.get("choices") or []),
        "from_id": item.get("from_id"),
        "to_id": item.get("to_id"),
    }
    if item.get("type") != "relation":
        key["id"] = item.get("id")   # choices attach to their region by id
    return json.dumps(key, sort_keys=True, ensure_ascii=False, default=str)


def result_key(result: list) -> frozenset[str]:
    """What an annotation says, as a set: equal for the same regions, choices and relations."""
    return frozenset(_item_key(item) for item in result or [] if isinstance(item, dict))


def annotations_to_add(tasks: Iterable[dict], held: dict[str, tuple[int, list[list]]]) -> list[tuple[int, dict]]:
    """(server task id, annotation) for each input annotation that the held task with the same
    content hash lacks; ``held`` maps a content hash to (task id, the results it holds)."""
    out = []
    for task in tasks:
        found = held.get(task["data"].get("content_hash"))
        if found is None:
            continue
        task_id, results = found
        have = {result_key(r) for r in results}
        for ann in task.get("annotations") or []:
            key = result_key(ann.get("result"))
            if key and key not in have:
                have.add(key)
                out.append((task_id, ann))
    return out
