"""`nisba predict`, `nisba next`, `nisba loop-report`, `nisba serve`, `nisba ui-check`:
the loop back from a model to the annotators.

``push_predictions`` is the push itself: list the project's tasks, plan (push.py), predict in
batches (shortest texts first), import each batch through the bulk API while the next one is
predicted, then set the project's model_version so annotators see the predictions. Each batch
is idempotent on re-run: tasks that already hold this version are skipped, so a push cut off
halfway completes with no duplicates.
A task deleted meanwhile makes the server refuse its batch; the batch is retried without the
missing tasks, which are counted.

Not handled here: what goes in a payload (push.py), talking HTTP (labelstudio.py), the model
(training/predict.py).
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Callable, Optional

import typer

from annotation.errors import NisbaError

DEFAULT_PROJECT = "nisba Arabic news"
ProjectOpt = Annotated[str, typer.Option("--project", help="Project id or title.")]
ModelOpt = Annotated[str, typer.Option("--model", help="A model directory (with nisba.json) or 'rules'.")]


@dataclass
class PushCounts:
    model_version: str = ""
    tasks: int = 0
    predicted: int = 0
    created: int = 0
    skipped_existing: int = 0
    skipped_labeled: int = 0
    skipped_empty: int = 0
    skipped_deleted: int = 0
    deleted_old: int = 0
    batches: int = 0
    seconds: float = 0.0          # the whole push
    infer_seconds: float = 0.0    # of which the model,
    list_seconds: float = 0.0     # listing the project's tasks,
    import_seconds: float = 0.0   # and the bulk imports
    deleted_task_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        d = asdict(self)
        d["seconds"] = round(self.seconds, 2)
        for name in ("infer_seconds", "list_seconds", "import_seconds"):
            d[name] = round(getattr(self, name), 2)
        d["deleted_task_ids"] = self.deleted_task_ids[:50]
        return d


def _task_state(task: dict, text_name: str):
    """A TaskState from a Label Studio task: full (``fields=all``) or a push listing."""
    from annotation.push import HeldPrediction, TaskState

    if "predictions" in task:
        preds = tuple(HeldPrediction(str(p.get("model_version") or ""), p.get("score"), p.get("id"))
                      for p in task.get("predictions") or [] if isinstance(p, dict))
    else:   # a push listing: versions, and the score of the project's version
        score = task.get("predictions_score")
        preds = tuple(HeldPrediction(v, score) for v in task.get("predictions_model_versions") or [])
    annotations = task.get("total_annotations")
    if annotations is None:
        annotations = len([a for a in task.get("annotations") or [] if not a.get("was_cancelled")])
    text = (task.get("data") or {}).get(text_name)
    return TaskState(int(task["id"]), text if isinstance(text, str) else "", int(annotations), preds)


def check_model_schema(predictor, schema, model: str) -> None:
    """Refuse a model trained on another schema, naming the labels that differ."""
    from annotation.push import check_same_schema

    maps = getattr(predictor, "label_maps", None)
    info = Path(model) / "nisba.json"
    if maps is None and info.is_file():
        maps = json.loads(info.read_text(encoding="utf-8")).get("label_maps")
    fingerprint = getattr(predictor, "schema_fingerprint", "") or ""
    diffs = check_same_schema(fingerprint, maps, schema)
    if diffs:
        raise NisbaError(f"model {model} ({predictor.model_version}) was trained on another schema than "
                         f"configs/schema.yaml; refusing to push its predictions. Differences:\n  "
                         + "\n  ".join(diffs))


def push_predictions(
    client,
    project_id: int,
    predictor,
    schema,
    *,
    only_unlabeled: bool = False,
    replace: bool = False,
    batch_size: int = 256,
    infer_batch_size: int = 16,
    on_batch: Callable[[int, int], None] | None = None,
    progress: bool = False,
) -> PushCounts:
    """Push ``predictor``'s predictions for the project's tasks; see the module docstring."""
    import httpx

    from annotation import labelstudio as ls
    from annotation.push import batches, plan_push, prediction_payload

    started = time.perf_counter()
    version = predictor.model_version
    counts = PushCounts(model_version=version)
    states = [_task_state(t, schema.text_name) for t in ls.iter_push_tasks(client, project_id)]
    counts.tasks = len(states)
    counts.list_seconds = time.perf_counter() - started
    plan = plan_push(states, version, only_unlabeled=only_unlabeled, replace=replace)
    counts.skipped_existing = len(plan.skipped_existing)
    counts.skipped_labeled = len(plan.skipped_labeled)
    counts.skipped_empty = len(plan.skipped_empty)
    if plan.replace_tasks:
        holders = sum(1 for s in states if version in s.versions())
        if holders == len(plan.replace_tasks):   # every prediction of this version goes: one call
            counts.deleted_old = ls.delete_model_version(client, project_id, version)
        else:                                    # part of them (--only-unlabeled): one by one
            doomed = set(plan.replace_tasks)
            counts.deleted_old = ls.delete_predictions(client, [
                p["id"] for p in ls.list_predictions(client, project_id)
                if p["model_version"] == version and p["task"] in doomed])

    # Label Studio creates a request's predictions 500 at a time; one batch within that is all
    # or nothing, so a batch refused for a deleted task can be retried without duplicates.
    chunks = list(batches(plan.to_predict, min(batch_size, ls.MAX_PREDICTIONS_PER_REQUEST)))
    bar = _progress(progress, len(plan.to_predict), f"push {version}")
    # One import in flight while the next batch is predicted and encoded: the server and the
    # model each keep a core busy, and a push costs about the larger of the two, not their sum.
    sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nisba-push")
    in_flight = None   # (batch number, tasks in it, future)

    def land(batch) -> None:
        i, size, future = batch
        try:
            created, seconds = future.result()
        except httpx.TransportError as exc:
            raise NisbaError(
                f"Label Studio at {ls.base_url(client)} stopped answering during batch {i} of {len(chunks)} "
                f"({type(exc).__name__}); {counts.created} predictions of {version} went in. Run the same "
                "command again once it is back: tasks that hold this version are skipped, so it "
                "completes the push with no duplicates.") from None
        counts.created += created
        counts.import_seconds += seconds
        counts.batches += 1
        if bar:
            bar[0].update(bar[1], advance=size)
        if on_batch:
            on_batch(i, len(chunks))

    try:
        for i, chunk in enumerate(chunks, 1):
            t0 = time.perf_counter()
            results = predictor.predict([t.text for t in chunk], batch_size=infer_batch_size)
            counts.infer_seconds += time.perf_counter() - t0
            if len(results) != len(chunk):
                raise NisbaError(f"predictor {version} returned {len(results)} results for {len(chunk)} texts")
            payloads = [prediction_payload(t.id, r, schema, version) for t, r in zip(chunk, results)]
            counts.predicted += len(payloads)
            if in_flight:
                land(in_flight)
            in_flight = (i, len(chunk), sender.submit(_timed_import, client, project_id, payloads, counts))
        if in_flight:
            land(in_flight)
    finally:
        sender.shutdown(wait=True)   # a batch already sent is left to finish, never cut off
        if bar:
            bar[0].stop()
    if counts.created or counts.skipped_existing:
        ls.set_model_version(client, project_id, version)
    counts.seconds = time.perf_counter() - started
    return counts


def _timed_import(client, project_id: int, payloads: list[dict], counts: PushCounts) -> tuple[int, float]:
    t0 = time.perf_counter()
    created = _import_dropping_gone(client, project_id, payloads, counts)
    return created, time.perf_counter() - t0


def _import_dropping_gone(client, project_id: int, payloads: list[dict], counts: PushCounts) -> int:
    from annotation import labelstudio as ls

    try:
        return ls.import_predictions(client, project_id, payloads)
    except ls.TasksGone:
        alive = ls.existing_task_ids(client, project_id, [p["task"] for p in payloads])
        gone = [p["task"] for p in payloads if p["task"] not in alive]
        counts.skipped_deleted += len(gone)
        counts.deleted_task_ids.extend(gone)
        kept = [p for p in payloads if p["task"] in alive]
        return ls.import_predictions(client, project_id, kept) if kept else 0


def _progress(enabled: bool, total: int, label: str):
    if not enabled or total == 0:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar.start()
    return bar, bar.add_task(label, total=total)


def _connect(project: str):
    from annotation import labelstudio as ls
    from annotation.settings import load_settings

    client = ls.connect(load_settings())
    ref = ls.resolve_project(client, project)
    return client, int(getattr(ref, "id", ref))


def _fail(exc: NisbaError) -> None:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for h in header:
        table.add_column(h, justify="left" if h == header[0] else "right")
    for row in rows:
        table.add_row(*[str(x) for x in row])
    Console().print(table)


def register(app: typer.Typer) -> None:
    @app.command("predict")
    def predict_cmd(
        model: ModelOpt,
        project: ProjectOpt = DEFAULT_PROJECT,
        only_unlabeled: Annotated[bool, typer.Option("--only-unlabeled", help="Skip tasks that hold an annotation.")] = False,
        replace: Annotated[bool, typer.Option("--replace", help="Replace this model version's predictions.")] = False,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=500,
                                                help="Tasks per bulk import (at most 500).")] = 256,
        infer_batch_size: Annotated[int, typer.Option("--infer-batch-size", min=1, help="Texts per model batch.")] = 16,
        input: Annotated[Optional[Path], typer.Option("--input", help="Predict a text/JSONL file with no server.")] = None,
        out: Annotated[Optional[Path], typer.Option("--out", help="With --input: JSONL of Label Studio tasks with predictions.")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
    ):
        """Push a model's predictions into Label Studio as pre-annotations.

        Re-running adds nothing (tasks holding this model_version are skipped); --replace swaps
        them. With --input FILE --out FILE.jsonl, no server: tasks with predictions to a file.
        """
        from annotation.schema import load_schema
        from training.predict import load_predictor

        try:
            schema = load_schema()
            predictor = load_predictor(model)
            check_model_schema(predictor, schema, model)
            if input is not None:
                if out is None:
                    raise NisbaError("--input needs --out FILE.jsonl")
                from training.predict_file import predict_file

                result = predict_file(predictor, input, out)
                summary = result if isinstance(result, dict) else {"written": result}
                typer.echo(json.dumps({"out": str(out), "model_version": predictor.model_version, **summary},
                                      ensure_ascii=False, default=str))
                return
            client, project_id = _connect(project)
            counts = push_predictions(client, project_id, predictor, schema, only_unlabeled=only_unlabeled,
                                      replace=replace, batch_size=batch_size, infer_batch_size=infer_batch_size,
                                      progress=not json_out)
        except NisbaError as exc:
            _fail(exc)
        if json_out:
            typer.echo(json.dumps({"project": project_id, **counts.as_dict()}, ensure_ascii=False))
            return
        rate = counts.created / counts.seconds if counts.seconds else 0.0
        typer.echo(
            f"project {project_id}, model_version {counts.model_version}: {counts.tasks} tasks, "
            f"{counts.created} predictions created in {counts.batches} batches ({rate:.0f}/s); skipped: "
            f"{counts.skipped_existing} already predicted, {counts.skipped_labeled} annotated, "
            f"{counts.skipped_empty} empty, {counts.skipped_deleted} deleted meanwhile"
            + (f" (tasks {counts.deleted_task_ids[:10]})" if counts.deleted_task_ids else "")
            + (f"; replaced {counts.deleted_old} old predictions" if counts.deleted_old else ""))

    @app.command("next")
    def next_cmd(
        project: ProjectOpt = DEFAULT_PROJECT,
        n: Annotated[int, typer.Option("--n", min=1, help="How many tasks to list.")] = 50,
        model_version: Annotated[Optional[str], typer.Option("--model-version", help="Default: the project's.")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    ):
        """List the least confident tasks with no annotation (active learning).

        Same order as Label Studio's Data Manager sorted by prediction score, ascending.
        """
        from annotation import labelstudio as ls
        from annotation.push import least_confident
        from annotation.schema import load_schema

        try:
            schema = load_schema()
            client, project_id = _connect(project)
            version = model_version or ls.project_model_version(client, project_id)
            if not version:
                raise NisbaError(f"project {project_id} has no model_version yet; run `nisba predict` first "
                                 "or pass --model-version")
            if version == ls.project_model_version(client, project_id):
                tasks = ls.iter_push_tasks(client, project_id)   # predictions_score is this version's
            else:
                tasks = ls.iter_task_dicts(client, project_id)   # full predictions, scored per version
            states = [_task_state(t, schema.text_name) for t in tasks]
        except NisbaError as exc:
            _fail(exc)
        picked = least_confident(states, version, n)
        base = ls.base_url(client)
        rows = [{"task": tid, "score": score, "url": f"{base}/projects/{project_id}/data?task={tid}"}
                for tid, score in picked]
        if json_out:
            typer.echo(json.dumps({"project": project_id, "model_version": version, "tasks": rows}))
            return
        _print_table(f"least confident unannotated tasks ({version})", ["task", "score", "url"],
                     [[r["task"], f"{r['score']:.4f}", r["url"]] for r in rows])

    @app.command("loop-report")
    def loop_report_cmd(
        project: ProjectOpt = DEFAULT_PROJECT,
        model_version: Annotated[Optional[str], typer.Option("--model-version", help="Default: the project's.")] = None,
        out: Annotated[Optional[Path], typer.Option("--out", help="Write the JSON report here.")] = None,
        json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    ):
        """Count what annotators did with the pre-annotations of a model version.

        Per layer: predicted regions accepted, edited, deleted, and regions added by people;
        with annotator time from lead_time. Table, or JSON with --json / --out.
        """
        from annotation import labelstudio as ls
        from annotation.loop_report import loop_report, report_rows
        from annotation.schema import load_schema

        try:
            schema = load_schema()
            client, project_id = _connect(project)
            version = model_version or ls.project_model_version(client, project_id)
            if not version:
                raise NisbaError(f"project {project_id} has no model_version; pass --model-version")
            query = {"filters": {"conjunction": "and", "items": [
                {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]}}
            tasks = list(ls.iter_task_dicts(client, project_id, query=query))
        except NisbaError as exc:
            _fail(exc)
        report = loop_report(tasks, schema, version)
        data = {"project": project_id, **report.as_dict()}
        if out:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        if json_out:
            typer.echo(json.dumps(data, ensure_ascii=False))
            return
        _print_table(f"loop report: {version}, {report.tasks} tasks, {report.annotations} annotations",
                     ["layer", "predicted", "accepted", "edited", "deleted", "added", "accepted %"],
                     report_rows(report))
        per = data["lead_time_per_annotation_s"]
        typer.echo(f"annotator time: {data['lead_time_s']:.0f} s in all"
                   + (f", {per:.1f} s per annotation" if per is not None else "")
                   + f"; skipped {data['skipped_annotated_before_prediction']} annotated before the prediction, "
                   f"{data['skipped_no_prediction']} with no prediction of {version}; "
                   f"{len(report.problems)} problems" + (f"; JSON: {out}" if out else ""))

    @app.command("serve")
    def serve_cmd(
        model: ModelOpt,
        port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 9090,
        token: Annotated[Optional[str], typer.Option("--token", envvar="NISBA_ML_BACKEND_TOKEN",
                                                     help="Token clients must send (default: $NISBA_ML_BACKEND_TOKEN).")] = None,
        batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Texts per model batch.")] = 16,
        train_command: Annotated[str, typer.Option("--train-command",
                                                   help="Run in the background when a webhook asks for training.")] = "make pull train",
    ):
        """Serve the model as a Label Studio ML backend ("Connect model") on 127.0.0.1."""
        import shlex
        import subprocess

        from annotation.ml_backend import Backend, TrainQueue, make_server
        from annotation.schema import load_schema
        from training.predict import load_predictor

        if not token:
            _fail(NisbaError("nisba serve needs a token: --token T or NISBA_ML_BACKEND_TOKEN"))
        try:
            schema = load_schema()
            predictor = load_predictor(model)
            check_model_schema(predictor, schema, model)
        except NisbaError as exc:
            _fail(exc)
        argv = shlex.split(train_command)

        def train(payload: dict) -> None:
            subprocess.run(argv, check=True)

        queue = TrainQueue(train)
        queue.start()
        server = make_server(Backend(predictor, schema, queue, batch_size), token, "127.0.0.1", port)
        typer.echo(f"ML backend for {predictor.model_version} on http://127.0.0.1:{server.server_address[1]} "
                   "(Label Studio: Settings > Model > Connect model; basic auth with the token as password)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server_close()
            queue.stop()

    @app.command("ui-check")
    def ui_check_cmd(
        project: ProjectOpt = DEFAULT_PROJECT,
        task: Annotated[Optional[int], typer.Option("--task", help="Task id (default: the first with a prediction).")] = None,
        screenshot: Annotated[Path, typer.Option("--screenshot", help="Where to save the PNG.")] = Path("artifacts/report/ui-check.png"),
        timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for the page.")] = 60.0,
    ):
        """Check a pre-annotated task in a real browser and save a screenshot.

        Headless Debian Chromium with its chromedriver logs in, opens the task, checks that the
        Arabic text runs right to left and that the predicted regions are drawn.
        """
        from annotation.ui_check import ui_check

        try:
            result = ui_check(project, task, screenshot, timeout=timeout)
        except NisbaError as exc:
            _fail(exc)
        typer.echo(json.dumps(result, ensure_ascii=False))
        if not result["ok"]:
            raise typer.Exit(1)
