"""Push throughput: `nisba predict`'s push vs Label Studio's own ways in, in the same run.

Three projects get the same N tasks (article-sized windows of the seed article). The rules
predictor's results are computed once, before any timer, so every contender pushes the same
predictions and the model's speed (benchmarked apart) does not count:

- nisba: ``push_predictions`` end to end (list the project's tasks with their predictions,
  plan, build payloads, bulk import in batches, set the project's model_version), fed by a
  predictor that hands back the precomputed results -- predictions per second;
- yardstick 1: ``predictions.create`` one task at a time (the SDK's per-task call), on a
  sample of the tasks -- about 13/s on this machine;
- yardstick 2: the server's bulk ``projects.import_predictions`` with all N payloads built
  beforehand, in one request -- about 330/s.

Targets: at least 20x yardstick 1 and at least 0.8x yardstick 2. A re-run of the push must
create nothing. A third row gives the push with the rules predictor running inside it, for
information (no target).

Server: NISBA_BENCH_LS_URL / NISBA_BENCH_LS_TOKEN when set, else a throwaway Label Studio on a
free port (annotation.labelstudio.server, from the test fixture's migrated template database when there is one).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = ROOT / "tests" / "fixtures" / "syria-talks-2017.txt"


def make_texts(n: int) -> list[str]:
    """n distinct article-sized texts (600-1800 characters) cut from the seed article."""
    text = SEED.read_text(encoding="utf-8")
    out = []
    for i in range(n):
        size = 600 + (i * 37) % 1200
        start = (i * 131) % max(1, len(text) - size)
        out.append(f"({i}) " + text[start:start + size])
    return out


from tests.benchmarks.ls_server import bench_server  # noqa: E402


def server():
    return bench_server("nisba-bench-push-")


class CachedPredictor:
    """Hands back results computed beforehand, so the push is timed without the model."""

    def __init__(self, predictor, results: dict):
        self.model_version = predictor.model_version
        self.schema_fingerprint = predictor.schema_fingerprint
        self.results = results

    def predict(self, texts: list[str], batch_size: int = 16) -> list:
        return [self.results[t] for t in texts]


def _project(client, schema, title: str, texts: list[str]) -> tuple[int, list[int]]:
    from annotation.schema.labeling_config import labeling_config

    project = client.projects.create(title=title, label_config=labeling_config(schema))
    ids: list[int] = []
    for i in range(0, len(texts), 500):
        resp = client.projects.import_tasks(id=project.id, request=[{"text": t} for t in texts[i:i + 500]],
                                            return_task_ids=True)
        ids.extend(resp.task_ids)
    return project.id, ids


def run(quick: bool = False) -> list[dict]:
    from label_studio_sdk import LabelStudio

    from annotation.loop.push import push_predictions
    from annotation.loop.push_plan import prediction_payload
    from annotation.schema.schema import load_schema
    from training.predict.load import load_predictor

    n = 200 if quick else 1000
    n_single = 20 if quick else 50
    rounds = 2   # bulk and nisba alternate, twice; each keeps its best round (the machine is shared)
    schema = load_schema()
    predictor = load_predictor("rules")
    texts = make_texts(n)
    results = predictor.predict(texts)   # computed once, before any timer
    cached = CachedPredictor(predictor, dict(zip(texts, results)))
    stamp = f"{time.time():.0f}"
    bulk_rates, ours_rates, reruns = [], [], []
    with server() as (url, token):
        client = LabelStudio(base_url=url, api_key=token, timeout=600)
        single_id, single_tasks = _project(client, schema, f"bench push single {stamp}", texts[:n_single])
        payloads = [prediction_payload(tid, r, schema, predictor.model_version)
                    for tid, r in zip(single_tasks, results)]
        t0 = time.perf_counter()
        for tid, p in zip(single_tasks, payloads):
            client.predictions.create(task=tid, result=p["result"], score=p["score"], model_version=p["model_version"])
        single_rate = n_single / (time.perf_counter() - t0)

        for r in range(rounds):
            bulk_id, bulk_tasks = _project(client, schema, f"bench push bulk {r} {stamp}", texts)
            ours_id, _ = _project(client, schema, f"bench push nisba {r} {stamp}", texts)
            payloads = [prediction_payload(tid, x, schema, predictor.model_version)
                        for tid, x in zip(bulk_tasks, results)]

            def bulk():
                t0 = time.perf_counter()
                client.projects.import_predictions(id=bulk_id, request=payloads)
                bulk_rates.append(n / (time.perf_counter() - t0))

            def ours():
                counts = push_predictions(client, ours_id, cached, schema)
                ours_rates.append((counts.created / counts.seconds, counts))

            for step in ((bulk, ours) if r % 2 == 0 else (ours, bulk)):
                step()
            reruns.append(push_predictions(client, ours_id, cached, schema))
            client.projects.delete(id=bulk_id)
            client.projects.delete(id=ours_id)
        # for information: the same push with the rules predictor running inside it
        live = push_predictions(client, single_id, predictor, schema, replace=True)
        client.projects.delete(id=single_id)

    bulk_rate = max(bulk_rates)
    ours_rate, counts = max(ours_rates, key=lambda x: x[0])
    again = reruns[-1]
    rerun_ok = all(x.created == 0 and x.skipped_existing == n for x in reruns)
    regions = sum(len(r.regions) for r in results) / max(1, n)
    note = (f"{n} tasks of 600-1800 chars, {regions:.0f} predicted regions a task (rules, "
            f"{predictor.model_version}); best of {rounds} alternating rounds (nisba "
            f"{', '.join(f'{x:.1f}' for x, _ in ours_rates)}/s, bulk {', '.join(f'{x:.1f}' for x in bulk_rates)}/s); "
            f"nisba end to end (list, plan, payloads, import in batches of 256 with the next batch built meanwhile, set model_version) in "
            f"{counts.seconds:.2f} s, of which listing {counts.list_seconds:.2f} s and imports "
            f"{counts.import_seconds:.2f} s; re-runs created {again.created}, skipped {again.skipped_existing}")
    return [
        {"benchmark": "push throughput vs predictions.create one at a time", "value": round(ours_rate, 1),
         "unit": "predictions/s", "yardstick": f"predictions.create x{n_single}",
         "yardstick_value": round(single_rate, 1), "ratio": round(ours_rate / single_rate, 2), "target": ">= 20x",
         "passed": ours_rate / single_rate >= 20 and rerun_ok,
         "notes": f"the server's own bulk import_predictions ran {bulk_rate / single_rate:.1f}x predictions.create "
                  f"in this run, the ceiling for any push through it; " + note},
        {"benchmark": "push throughput vs bulk import_predictions", "value": round(ours_rate, 1),
         "unit": "predictions/s", "yardstick": f"import_predictions, {n} in one request",
         "yardstick_value": round(bulk_rate, 1), "ratio": round(ours_rate / bulk_rate, 2), "target": ">= 0.8x",
         "passed": ours_rate / bulk_rate >= 0.8 and rerun_ok, "notes": note},
        {"benchmark": "push with the rules predictor inside (information)",
         "value": round(live.created / live.seconds, 1), "unit": "tasks/s", "yardstick": None,
         "yardstick_value": None, "ratio": None, "target": None, "passed": True,
         "notes": f"{live.created} tasks in {live.seconds:.2f} s, of which {live.infer_seconds:.2f} s in the "
                  "rules predictor"},
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(run(quick="--quick" in sys.argv), indent=2, ensure_ascii=False))
