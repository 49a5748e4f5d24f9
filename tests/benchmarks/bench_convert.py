"""Benchmark: converting a Label Studio export into the document view (every layer + token view).

Export: tasks built from NewsFANE articles (annotation.corpora.read_corpus("newsfane"), about
1,750 characters a task) with their gold entities, plus claims (CUE, SOURCE, CLAIM with
choices and attributed_to/cue relations) and event triggers with arguments found by keyword,
so every layer is exercised; every fifth task has a second annotator. Texts are made unique by
a trailing number when the 475 articles are reused.

Rows:
- convert: nisba's streaming conversion (export_reader -> convert_task with every layer, gold
  policy, validation and the token view -> Arrow files per split), tasks/s, against
  label_studio_sdk.converter's CoNLL 2003 conversion of the same file in the same run
  (entities only). Five alternating rounds (who goes first alternates, garbage collected
  before each run), the best of each. Target: >= 3x.
- memory: peak RSS of a subprocess converting 50,000 vs 5,000 tasks. Target: the ratio stays
  under 1.5 (proportional growth would be 10x).
"""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CUES = ("قال", "وقال", "ذكر", "وذكر", "أعلن", "وأعلن", "أكد", "وأكد", "أضاف", "وأضاف")
TRIGGERS = {"هجوم": "Conflict.Attack", "مقتل": "Life.Die", "اجتماع": "Contact.Meet", "محادثات": "Contact.Negotiate",
            "قصف": "Conflict.Attack", "زيارة": "Movement.Transport", "اعتقال": "Justice.Arrest-Jail"}
WORD = re.compile(r"\S+")
ROUNDS = 5  # alternating rounds of the yardstick and nisba; the best of each is compared (the machine is shared)


def _item(rid, layer, label, text, s, e):
    return {"id": rid, "from_name": layer, "to_name": "text", "type": "labels",
            "value": {"start": s, "end": e, "text": text[s:e], "labels": [label]}}


def build_result(text: str, entities) -> list[dict]:
    result = [_item(r.id, "entities", r.label, text, r.start, r.end) for r in entities]
    ents = sorted(entities, key=lambda r: r.start)
    n = 0
    claims_end = 0  # claims-layer spans must not overlap
    for m in WORD.finditer(text):
        word, s, e = m.group(), m.start(), m.end()
        if word in CUES and s >= claims_end:
            src = next((r for r in ents if r.start > e and r.label in ("PER", "ORG")), None)
            if src is None:
                continue
            stop = text.find(".", src.end)
            stop = stop if stop != -1 else len(text)
            c0 = src.end + 1
            while c0 < stop and text[c0].isspace():
                c0 += 1
            while stop > c0 and text[stop - 1].isspace():
                stop -= 1
            if stop - c0 < 3:
                continue
            claims_end = stop
            n += 1
            cue, sid, cid = f"cue{n}", f"src{n}", f"clm{n}"
            result += [_item(cue, "claims", "CUE", text, s, e), _item(sid, "claims", "SOURCE", text, src.start, src.end),
                       {"id": sid, "from_name": "source_type", "to_name": "text", "type": "choices",
                        "value": {"start": src.start, "end": src.end, "choices": ["government"]}},
                       _item(cid, "claims", "CLAIM", text, c0, stop),
                       {"id": cid, "from_name": "stance", "to_name": "text", "type": "choices",
                        "value": {"start": c0, "end": stop, "choices": ["asserted"]}},
                       {"from_id": cid, "to_id": sid, "type": "relation", "direction": "right", "labels": ["attributed_to"]},
                       {"from_id": cue, "to_id": cid, "type": "relation", "direction": "right", "labels": ["cue"]}]
        elif word in TRIGGERS:
            n += 1
            tid = f"ev{n}"
            result.append(_item(tid, "events", TRIGGERS[word], text, s, e))
            arg = next((r for r in ents if r.start > e), None)
            if arg is not None:
                result.append({"from_id": tid, "to_id": arg.id, "type": "relation", "direction": "right",
                               "labels": ["Place" if arg.label in ("GPE", "LOC") else "Participant"]})
    return result


def _documents():
    from annotation.corpora.documents import read_corpus

    return read_corpus("newsfane").documents


def write_export(path: Path, n_tasks: int, docs=None) -> int:
    """Write an n-task JSON export (streamed); returns its size in bytes."""
    from annotation.convert.document import content_hash

    docs = docs or _documents()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[")
        for i in range(n_tasks):
            d = docs[i % len(docs)]
            text = d.text if i < len(docs) else f"{d.text}\n{i}"
            result = build_result(text, d.regions)
            anns = [{"id": 10 * i + 1, "completed_by": 1, "result": result, "was_cancelled": False,
                     "ground_truth": False, "created_at": "2024-05-01T10:00:00Z", "updated_at": "2024-05-01T10:00:00Z",
                     "lead_time": 30.0, "task": i + 1, "project": 1}]
            if i % 5 == 0:
                anns.append({**anns[0], "id": 10 * i + 2, "completed_by": 2, "updated_at": "2024-05-02T10:00:00Z",
                             "result": [x for x in result if x.get("from_name") == "entities"]})
            task = {"id": i + 1, "data": {"text": text, "meta": d.meta, "content_hash": content_hash(text)},
                    "annotations": anns, "drafts": [], "predictions": [], "project": 1,
                    "created_at": "2024-05-01T09:00:00Z", "updated_at": "2024-05-02T10:00:00Z"}
            fh.write(("," if i else "") + json.dumps(task, ensure_ascii=False))
        fh.write("]")
    return path.stat().st_size


def ours(export: Path, out: Path) -> tuple[float, dict]:
    from annotation.dataset.arrow_rows import RowWriter

    from annotation.dataset.pull import convert_export
    from annotation.schema.schema import load_schema
    from annotation.dataset.splits import parse_ratios

    schema = load_schema()
    t0 = time.perf_counter()
    counts, problems, sizes, _ = convert_export(export, out, schema, ratios=parse_ratios("0.8,0.1,0.1"), tokens=True)
    return time.perf_counter() - t0, {"counts": dict(counts), "problems": len(problems), "splits": sizes}


def sdk(export: Path, out: Path) -> float:
    from label_studio_sdk.converter import Converter

    from annotation.schema.labeling_config import labeling_config
    from annotation.schema.schema import load_schema

    conv = Converter(labeling_config(load_schema()), project_dir=str(out), download_resources=False)
    t0 = time.perf_counter()
    conv.convert_to_conll2003(str(export), str(out), is_dir=False)
    return time.perf_counter() - t0


def _peak_rss_child(export: Path, out: Path) -> tuple[float, float]:
    """Peak RSS (MiB) and seconds of a subprocess that converts ``export`` the nisba way."""
    code = ("import sys, resource, time; from pathlib import Path; "
            "from tests.benchmarks.bench_convert import ours; "
            "s, _ = ours(Path(sys.argv[1]), Path(sys.argv[2])); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, s)")
    env = {**os.environ, "HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1"}
    res = subprocess.run([sys.executable, "-c", code, str(export), str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True)
    rss, secs = res.stdout.strip().splitlines()[-1].split()
    return float(rss), float(secs)


def run(quick: bool = False) -> list[dict]:
    n_small, n_large = (500, 5000) if quick else (5000, 50000)
    docs = _documents()
    rows = []
    with tempfile.TemporaryDirectory(prefix="nisba-bench-convert-") as tmp:
        tmp = Path(tmp)
        small = tmp / "small.json"
        size = write_export(small, n_small, docs)
        runs_sdk, runs_ours = [], []
        for k in range(ROUNDS):  # alternate who goes first, keep the best of each: the machine is shared
            for side in (("sdk", "ours") if k % 2 == 0 else ("ours", "sdk")):
                gc.collect()  # neither side pays for the other's garbage
                if side == "sdk":
                    runs_sdk.append(sdk(small, tmp / "sdk"))
                else:
                    secs, info = ours(small, tmp / "ours")
                    runs_ours.append(secs)
        t_sdk, t_ours = min(runs_sdk), min(runs_ours)
        rate, rate_sdk = n_small / t_ours, n_small / t_sdk
        rows.append({
            "benchmark": f"convert {n_small} tasks (every layer + token view)", "value": round(rate, 1),
            "unit": "tasks/s", "yardstick": "label_studio_sdk.converter CoNLL 2003 (entities only)",
            "yardstick_value": round(rate_sdk, 1), "ratio": round(rate / rate_sdk, 2), "target": ">= 3",
            "passed": rate / rate_sdk >= 3,
            "notes": f"export {size / 1e6:.1f} MB; best of {ROUNDS} alternating rounds: nisba {t_ours:.2f}s, sdk {t_sdk:.2f}s "
                     f"(runs nisba {[round(x, 2) for x in runs_ours]}, sdk {[round(x, 2) for x in runs_sdk]}); "
                     f"problems {info['problems']}; splits {info['splits']}",
        })
        large = tmp / "large.json"
        size_large = write_export(large, n_large, docs)
        rss_small, s_small = _peak_rss_child(small, tmp / "m-small")
        rss_large, s_large = _peak_rss_child(large, tmp / "m-large")
        ratio = rss_large / rss_small
        rows.append({
            "benchmark": f"convert peak RSS {n_large} vs {n_small} tasks", "value": round(rss_large, 1), "unit": "MiB",
            "yardstick": f"peak RSS at {n_small} tasks", "yardstick_value": round(rss_small, 1),
            "ratio": round(ratio, 2), "target": "< 1.5 (10x tasks)", "passed": ratio < 1.5,
            "notes": f"exports {size / 1e6:.0f} MB and {size_large / 1e6:.0f} MB; "
                     f"{n_small / s_small:.0f} and {n_large / s_large:.0f} tasks/s in the subprocesses",
        })
    return rows


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
