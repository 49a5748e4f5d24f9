"""The claims table for fact-checkers: one row per attributed claim (CLAIM -> SOURCE pair).

``claim_rows(documents)`` turns documents ``{id, text, meta, regions, relations}`` into rows:

- the article: ``article_id``, ``url``, ``date``, ``outlet`` (the newspaper that published it);
- the source: ``source_id`` (canonical, configs/sources.yaml; ``other`` when unknown),
  ``source_type``, ``source`` (the mention) with ``source_start``/``source_end``;
- ``cue``, ``stance``, ``claim`` with ``claim_start``/``claim_end`` (code points, end-exclusive);
- ``reported_via``: the outlet that carried the source's words ("" when none).

A claim with several sources gives one row per source; a CLAIM without a source gives a row
with ``source_id`` "". ``write_table(rows, path)`` writes .parquet, .csv or .jsonl by suffix;
``source_summary(rows)`` counts per source: claims, stances, outlets.

Which regions and relations are claims, sources, cues and outlets is the schema's roles (the
default schema's unless one is passed); the column names are the document view's part names
(``annotation.convert.document.VIEW``), a format of their own.

Not handled here: reading a dataset or a server (annotation/commands/claims.py).
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable, Iterable

from annotation.convert.document import VIEW
from annotation.errors import NisbaError
from annotation.schema.schema import default_schema

TABLE_FORMAT_VERSION = 1
COLUMNS = ("article_id", "url", "date", "outlet", VIEW.source_id, VIEW.source_type, "source", "source_start",
           "source_end", VIEW.cue, VIEW.stance, "claim", "claim_start", "claim_end", VIEW.reported_via)


def claim_rows(documents: Iterable[dict], schema=None) -> list[dict]:
    roles = (schema or default_schema()).roles
    rows = []
    for doc in documents:
        meta = doc.get("meta") or {}
        if isinstance(meta, str):
            meta = json.loads(meta) if meta.strip() else {}
        by_id = {r.id: r for r in doc["regions"]}
        rels = doc["relations"]
        cue = {x.to_id: by_id[x.from_id] for x in rels if x.label == roles.cue_claim and x.from_id in by_id}
        via = {x.from_id: by_id[x.to_id] for x in rels if x.label == roles.source_outlet and x.to_id in by_id}
        article = {"article_id": str(meta.get("article") or doc.get("id") or ""), "url": str(meta.get("url") or ""),
                   "date": str(meta.get("date") or ""),
                   "outlet": str(meta.get("newspaper") or meta.get("outlet") or meta.get("source") or "")}
        for claim in sorted((r for r in doc["regions"] if roles.is_(r, "claim")), key=lambda r: r.start):
            sources = [by_id[x.to_id] for x in rels if x.label == roles.claim_source and x.from_id == claim.id
                       and x.to_id in by_id] or [None]
            for src in sources:
                c = cue.get(claim.id)
                v = via.get(src.id) if src is not None else None
                rows.append({**article,
                             VIEW.source_id: src.choices.get(roles.source_id, "other") if src else "",
                             VIEW.source_type: src.choices.get(roles.source_type, "") if src else "",
                             "source": src.text if src else "", "source_start": src.start if src else -1,
                             "source_end": src.end if src else -1, VIEW.cue: c.text if c else "",
                             VIEW.stance: claim.choices.get(roles.stance, ""), "claim": claim.text,
                             "claim_start": claim.start, "claim_end": claim.end,
                             VIEW.reported_via: v.text if v else ""})
    return rows


def _write_parquet(rows: list[dict], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pylist(rows, schema=pa.schema(
        [(c, pa.int64() if c.endswith(("_start", "_end")) else pa.string()) for c in COLUMNS]))
    pq.write_table(table.replace_schema_metadata({"nisba_claims_format_version": str(TABLE_FORMAT_VERSION)}), path)


def _write_csv(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)


def _write_jsonl(rows: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


WRITERS: dict[str, Callable[[list[dict], Path], None]] = {
    ".parquet": _write_parquet, ".csv": _write_csv, ".jsonl": _write_jsonl}


def write_table(rows: list[dict], path: str | Path) -> Path:
    path = Path(path)
    writer = WRITERS.get(path.suffix.lower())
    if writer is None:
        raise NisbaError(f"--out {path}: the suffix chooses the format, one of {', '.join(WRITERS)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    writer(rows, path)
    return path


def source_summary(rows: list[dict]) -> list[dict]:
    """Per canonical source (the mention when ``other``): claims, stances, outlets, most claims first."""
    sid, n = VIEW.source_id, VIEW.claims   # the source's id column; the summary's count of claims
    acc: dict[tuple, dict] = defaultdict(lambda: {n: 0, "stances": Counter(), "outlets": Counter(), "type": ""})
    for r in rows:
        if not r[sid]:
            continue
        key = (r[sid], r["source"] if r[sid] == "other" else "")
        a = acc[key]
        a[n] += 1
        a["stances"][r[VIEW.stance] or "?"] += 1
        a["outlets"][r[VIEW.reported_via] or r["outlet"] or "?"] += 1
        a["type"] = a["type"] or r[VIEW.source_type]
    out = [{sid: k[0], "mention": k[1], VIEW.source_type: v["type"], n: v[n],
            "stances": dict(v["stances"]), "outlets": dict(v["outlets"])} for k, v in acc.items()]
    return sorted(out, key=lambda x: (-x[n], x[sid], x["mention"]))
