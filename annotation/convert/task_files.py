"""Files and corpora -> Label Studio task dicts (pure: no server calls).

A task is ``{"data": {"text", "meta", "content_hash"}, "annotations"?: [...], "predictions"?: [...]}``.
Readers, chosen by file suffix (``READERS``):

- ``.txt``: one article a file; the text is stored exactly as read (no strip, no newline
  conversion), so offsets computed on the file match the task. In every format a leading
  UTF-8 byte-order mark is the file's encoding signature, not text, and is dropped.
- ``.jsonl``: one task a line, either ``{"text": ..., "meta": {...}}`` (annotations and
  predictions may sit beside the text: they are taken as such, never as data) or a Label
  Studio task ``{"data": {"text": ...}, "annotations": [{"result": [...]}], "predictions": [...]}``.
  The results are checked against the text with regions.parse_result; offsets given as
  strings of digits become ints. Blank lines are skipped.
- ``.json``: Label Studio's own task file, a JSON array of such objects (or one object); an
  error names the file and the element (``file.json[3]``).

A whole file is read and checked before anything of it is returned: a file that is not
UTF-8 (UTF-16 is recognised by its NULs and named), holds NUL bytes or many control characters,
is empty, has a line that is not JSON, has no text or a lone surrogate, or an annotation whose
span does not match its text raises NisbaError naming the file and line (and the offset);
nothing of that file is imported.

Not handled here: de-duplication against the server and the import itself (labelstudio/tasks.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Callable

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.convert.regions import parse_result, to_result
from annotation.schema.schema import Schema

ANNOTATION_KEYS = ("result", "ground_truth", "was_cancelled", "lead_time", "completed_by")
PREDICTION_KEYS = ("result", "model_version", "score")


def make_task(text: str, meta: dict | None, schema: Schema, *,
              extra_data: dict | None = None, annotations: list[dict] | None = None,
              predictions: list[dict] | None = None) -> dict:
    """A task dict whose data carries the text, its meta and its content hash."""
    data = {**(extra_data or {}), schema.text_name: text, "meta": dict(meta or {}), "content_hash": content_hash(text)}
    task: dict = {"data": data}
    if annotations:
        task["annotations"] = annotations
    if predictions:
        task["predictions"] = predictions
    return task


MAX_CONTROL_CHARS = 3   # C0/C1 controls other than tab, newline, CR, form feed: more is not text
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")   # tab, LF, VT, FF and CR (0x09-0x0d) are text


def _utf16_guess(raw: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' when the file looks like UTF-16, else None.

    Without a byte-order mark: NULs all on one parity of byte (ASCII in UTF-16), or one control
    byte (0x06 for Arabic, 0x00 for Latin) filling most of one parity (each letter's high byte).
    """
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16LE" if raw[:2] == b"\xff\xfe" else "UTF-16BE"
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    odd, even = sample[1::2], sample[0::2]
    many = max(2, len(odd) // 50)   # a stray NUL or two is not an encoding
    if odd.count(0) >= many and not even.count(0):
        return "UTF-16LE"
    if even.count(0) >= many and not odd.count(0):
        return "UTF-16BE"
    for high, other, name in ((odd, even, "UTF-16LE"), (even, odd, "UTF-16BE")):
        top = max(range(0x20), key=high.count)
        if high.count(top) >= 0.6 * len(high) and other.count(top) < 0.05 * len(other):
            return name
    return None


def _decode(path: Path) -> str:
    """The file as UTF-8 text without a leading byte-order mark (the file's encoding signature, not
    text: kept, it would shift every offset and the content hash); UTF-16 (with or without a
    byte-order mark) and NUL bytes refused."""
    raw = path.read_bytes()
    utf16 = _utf16_guess(raw)
    if utf16:
        raise NisbaError(f"{path}: looks like {utf16} (NUL bytes on every other byte), not UTF-8; convert it "
                         f"first, e.g. iconv -f {utf16} -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NisbaError(f"{path}:{line}: not UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                         "convert the file to UTF-8 first") from None
    nul = raw.find(b"\x00")
    if nul >= 0:
        line = raw[:nul].count(b"\n") + 1
        raise NisbaError(f"{path}:{line}: a NUL byte at offset {nul}; this is not a text file (binary, or a "
                         "UTF-16 file cut up?)")
    return text.removeprefix("\ufeff")


def check_text(text: str, where: str) -> None:
    """Refuse text holding NUL or more than MAX_CONTROL_CHARS control characters, naming the offset."""
    bad = [m.start() for m in _CONTROL.finditer(text)]
    if not bad:
        return
    first = bad[0]
    if text[first] == "\x00":
        raise NisbaError(f"{where}: the text holds a NUL character at offset {first}; not text (UTF-16 read as "
                         "UTF-8, or binary data?)")
    if len(bad) > MAX_CONTROL_CHARS:
        raise NisbaError(f"{where}: the text holds {len(bad)} control characters (the first, "
                         f"{text[first]!r}, at offset {first}); not text, or the wrong encoding?")


def read_txt(path: Path, schema: Schema, keep_ids: bool = False) -> list[dict]:
    text = _decode(path)
    if not text.strip():
        raise NisbaError(f"{path}:1: empty file, no article to import")
    check_text(text, str(path))
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
        item = {**item, "result": _int_offsets(item["result"], f"{where}: {kind}[{i}]")}
        _, _, problems = parse_result(item["result"], schema, text)
        if problems:
            shown = "; ".join(str(p) for p in problems[:3])
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            raise NisbaError(f"{where}: {kind}[{i}]: {shown}{more}")
        out.append({k: item[k] for k in keys if k in item})
    return out


def _int_offsets(result: list, where: str) -> list:
    """The result with every value's start/end as an int: "12" and 12.0 become 12, anything else is refused."""
    out = []
    for j, item in enumerate(result):
        value = item.get("value") if isinstance(item, dict) else None
        if not isinstance(value, dict) or not any(k in value for k in ("start", "end")):
            out.append(item)
            continue
        fixed = dict(value)
        for k in ("start", "end"):
            v = value.get(k)
            if isinstance(v, bool):
                ok = None
            elif isinstance(v, int):
                ok = v
            elif isinstance(v, float) and v.is_integer():
                ok = int(v)
            elif isinstance(v, str) and v.strip().isdigit() and v.strip().isascii():
                ok = int(v.strip())
            else:
                ok = None
            if ok is None and k in value:
                raise NisbaError(f"{where}: result[{j}].value.{k} is {v!r}; offsets are whole numbers "
                                 "(code points into the text)")
            if ok is not None:
                fixed[k] = ok
        out.append({**item, "value": fixed})
    return out


# The shapes of a task line, as the error for a line that fits none of them names them.
ACCEPTED_SHAPES = ('{"text": ..., "meta": {...}}, {"text": ..., "annotations": [{"result": [...]}]} or a Label '
                   'Studio task {"data": {"text": ...}, "annotations": [...], "predictions": [...]}')
TASK_LEVEL_KEYS = ("annotations", "predictions")


def _unencodable(obj, where: str) -> None:
    """A lone surrogate (``"\\ud800"`` in the JSON) cannot be sent as UTF-8: name the line, not a traceback."""
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise NisbaError(f"{where}: holds a lone surrogate ({exc.object[exc.start]!r}, an escaped "
                         f"\\u{ord(exc.object[exc.start]):04x} without its pair), which is not valid text; "
                         "fix or drop that character") from None


def _line_task(obj, schema: Schema, where: str, path: Path, lineno: int, keep_ids: bool = False) -> dict:
    key = schema.text_name
    if not isinstance(obj, dict):
        raise NisbaError(f"{where}: expected a JSON object, got {type(obj).__name__}")
    _unencodable(obj, where)
    is_ls_task = isinstance(obj.get("data"), dict)
    # a flat line may carry annotations/predictions beside its text: they are annotations, not data
    data = obj["data"] if is_ls_task else {k: v for k, v in obj.items() if k not in TASK_LEVEL_KEYS}
    text = data.get(key)
    if not isinstance(text, str) or not text.strip():
        form = '{"data": {"%s": ...}}' % key if is_ls_task else '{"%s": ...}' % key
        raise NisbaError(f"{where}: no {key!r} (or an empty one); each line needs {form} (accepted: "
                         f"{ACCEPTED_SHAPES})")
    check_text(text, where)
    meta = data.get("meta") or {}
    if not isinstance(meta, dict):
        raise NisbaError(f"{where}: 'meta' must be an object")
    meta = {**meta, "file": path.name, ("line" if path.suffix.lower() == ".jsonl" else "index"): lineno}
    extra = {k: v for k, v in data.items() if k not in (key, "meta", "content_hash")}
    annotations = _checked_results(obj.get("annotations"), "annotations", ANNOTATION_KEYS, text, schema, where)
    predictions = _checked_results(obj.get("predictions"), "predictions", PREDICTION_KEYS, text, schema, where)
    # a completed_by id from another server means nothing here; the importer becomes the annotator
    for a in annotations:
        a.pop("completed_by", None)
    task = make_task(text, meta, schema, extra_data=extra, annotations=annotations, predictions=predictions)
    if keep_ids and is_ls_task and "id" in obj:
        task["id"] = obj["id"]
    return task


def read_jsonl(path: Path, schema: Schema, keep_ids: bool = False) -> list[dict]:
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
        tasks.append(_line_task(obj, schema, where, path, lineno, keep_ids))
    if not tasks:
        raise NisbaError(f"{path}:1: empty file, no tasks to import")
    return tasks


def read_json(path: Path, schema: Schema, keep_ids: bool = False) -> list[dict]:
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
    return [_line_task(obj, schema, f"{path}[{i}]", path, i, keep_ids) for i, obj in enumerate(items)]


READERS: dict[str, Callable[[Path, Schema, bool], list[dict]]] = {
    ".txt": read_txt,
    ".jsonl": read_jsonl,
    ".json": read_json,
}


def read_task_file(path: str | Path, schema: Schema, *, keep_ids: bool = False) -> list[dict]:
    """Every task of one file, all checked, or NisbaError naming the file and line.

    The one reader of task files: ``nisba import`` and ``nisba predict --input`` (which keeps a
    Label Studio task's ``id``, ``keep_ids``) both read through it."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        raise NisbaError(f"{path}: cannot import {path.suffix or 'a file without suffix'!r}; "
                         f"nisba reads {sorted(READERS)}")
    if not path.is_file():
        raise NisbaError(f"{path}: no such file")
    return reader(path, schema, keep_ids)


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
