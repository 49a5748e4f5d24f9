"""Hand-written Label Studio task JSON for the pull tests (shaped like a 1.23 JSON export)."""

from __future__ import annotations

from annotation.convert.document import content_hash

TEXT = "وقال علوش لرويترز إن المعارضة ستذهب إلي استانة. وذكرت وكالة الانباء السورية أن الجيش نفذ عملية."


def span(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def label(rid: str, layer: str, lab: str, text: str, start: int, end: int) -> dict:
    return {"id": rid, "from_name": layer, "to_name": "text", "type": "labels", "origin": "manual",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [lab]}}


def choice(rid: str, name: str, value: str, text: str, start: int, end: int) -> dict:
    return {"id": rid, "from_name": name, "to_name": "text", "type": "choices",
            "value": {"start": start, "end": end, "text": text[start:end], "choices": [value]}}


def relation(a: str, b: str, lab: str) -> dict:
    return {"from_id": a, "to_id": b, "type": "relation", "direction": "right", "labels": [lab]}


def annotation(aid: int, result: list[dict], who: int = 1, *, cancelled: bool = False, ground_truth: bool = False,
               updated: str = "2024-05-01T10:00:00.000000Z") -> dict:
    return {"id": aid, "completed_by": who, "result": result, "was_cancelled": cancelled,
            "ground_truth": ground_truth, "created_at": updated, "updated_at": updated, "lead_time": 12.5,
            "prediction": {}, "result_count": len(result), "task": None, "project": 1, "parent_prediction": None}


def task(tid: int, text: str, annotations: list[dict], drafts: list | None = None, meta: dict | None = None) -> dict:
    for a in annotations:
        a["task"] = tid
    return {"id": tid, "data": {"text": text, "meta": meta or {"source": "test"}, "content_hash": content_hash(text)},
            "annotations": annotations, "drafts": drafts or [], "predictions": [], "meta": {},
            "created_at": "2024-05-01T09:00:00.000000Z", "updated_at": "2024-05-01T10:00:00.000000Z",
            "inner_id": tid, "total_annotations": len(annotations), "cancelled_annotations": 0,
            "total_predictions": 0, "project": 1, "updated_by": 1, "file_upload": None}


def claim_result(text: str = TEXT) -> list[dict]:
    """The Alloush claim: CUE قال, SOURCE علوش (armed_group, Alloush), CLAIM, reported_via رويترز; PER علوش too."""
    cue, src, via = span(text, "قال"), span(text, "علوش"), span(text, "رويترز")
    clm = span(text, "المعارضة ستذهب إلي استانة")
    return [
        label("cue1", "claims", "CUE", text, *cue),
        label("src1", "claims", "SOURCE", text, *src),
        choice("src1", "source_type", "armed_group", text, *src),
        label("clm1", "claims", "CLAIM", text, *clm),
        choice("clm1", "stance", "asserted", text, *clm),
        label("per1", "entities", "PER", text, *src),
        label("org1", "entities", "ORG", text, *via),
        relation("clm1", "src1", "attributed_to"),
        relation("cue1", "clm1", "cue"),
        relation("src1", "org1", "reported_via"),
    ]
