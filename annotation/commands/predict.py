"""`nisba predict`, `nisba next`, `nisba loop-report`, `nisba serve`, `nisba ui-check`:
the loop back from a model to the annotators.

Thin commands: the push is annotation/loop/push.py, active learning annotation/loop/active.py,
the loop report annotation/loop/report.py, the ML backend annotation/labelstudio/ml_backend.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError

DEFAULT_PROJECT = "nisba Arabic news"
ProjectOpt = Annotated[str, typer.Option("--project", help="Project id or title.")]
ModelOpt = Annotated[str, typer.Option("--model", help="A model directory (with nisba.json) or 'rules'.")]


def _connect(project: str):
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.projects import resolve_project
    from annotation.labelstudio.settings import load_settings

    client = connect(load_settings())
    ref = resolve_project(client, project)
    return client, int(getattr(ref, "id", ref))




def _print_table(title: str, header: list[str], rows: list[list[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for h in header:
        table.add_column(h, justify="left" if h == header[0] else "right")
    for row in rows:
        table.add_row(*[str(x) for x in row])
    Console().print(table)


def _at_least_one(value: int) -> int:
    if value is not None and value < 1:
        raise typer.BadParameter(f"{value} requests in flight: give 1 or more (1 for a SQLite server, up to its "
                                 "uwsgi workers for a PostgreSQL one).")
    return value


def predict_cmd(
    model: ModelOpt,
    project: ProjectOpt = DEFAULT_PROJECT,
    only_unlabeled: Annotated[bool, typer.Option("--only-unlabeled", help="Skip tasks that hold an annotation.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Replace this model version's predictions.")] = False,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, max=500,
                                            help="Tasks per bulk import (at most 500).")] = 256,
    infer_batch_size: Annotated[int, typer.Option("--infer-batch-size", min=1, help="Texts per model batch.")] = 16,
    in_flight: Annotated[int, typer.Option(
        "--in-flight", callback=_at_least_one,
        help="Import requests sent at once: 1 for SQLite (one process); up to the uwsgi workers for "
             "`nisba server start --database postgres`.")] = 1,
    input: Annotated[Optional[Path], typer.Option("--input", help="Predict a text/JSONL file with no server.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="With --input: JSONL of Label Studio tasks with predictions.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the counts as JSON.")] = False,
):
    """Push a model's predictions into Label Studio as pre-annotations.

    Re-running adds nothing (tasks holding this model_version are skipped); --replace swaps
    them. With --input FILE --out FILE.jsonl, no server: tasks with predictions to a file.
    """
    from annotation.loop.push import check_model_schema, push_predictions
    from annotation.schema.schema import load_schema
    from training.predict.load import load_predictor

    try:
        schema = load_schema()
        predictor = load_predictor(model)
        check_model_schema(predictor, schema, model)
        if input is not None:
            if out is None:
                raise NisbaError("--input needs --out FILE.jsonl")
            from training.predict.predict_file import predict_file

            result = predict_file(predictor, input, out)
            summary = result if isinstance(result, dict) else {"written": result}
            typer.echo(json.dumps({"out": str(out), "model_version": predictor.model_version, **summary},
                                  ensure_ascii=False, default=str))
            return
        client, project_id = _connect(project)
        counts = push_predictions(client, project_id, predictor, schema, only_unlabeled=only_unlabeled,
                                  replace=replace, batch_size=batch_size, infer_batch_size=infer_batch_size,
                                  progress=not json_out, in_flight=in_flight)
    except NisbaError as exc:
        fail(exc)
    if json_out:
        typer.echo(json.dumps({"project": project_id, **counts.as_dict()}, ensure_ascii=False))
        return
    rate = counts.created / counts.seconds if counts.seconds else 0.0
    typer.echo(
        f"project {project_id}, model_version {counts.model_version}: {counts.tasks} tasks, "
        f"{counts.created} predictions created in {counts.batches} batches ({rate:.0f}/s"
        + (f", {counts.in_flight} requests in flight" if counts.in_flight > 1 else "") + "); skipped: "
        f"{counts.skipped_existing} already predicted, {counts.skipped_labeled} annotated, "
        f"{counts.skipped_empty} empty, {counts.skipped_deleted} deleted meanwhile"
        + (f" (tasks {counts.deleted_task_ids[:10]})" if counts.deleted_task_ids else "")
        + (f"; replaced {counts.deleted_old} old predictions" if counts.deleted_old else "")
        + (f"; removed {counts.reconciled_deleted} duplicate predictions a concurrent push made"
           if counts.reconciled_deleted else "")
        + (f"; left out {counts.dropped_regions} predicted regions Label Studio could not show "
           f"({'; '.join(counts.dropped_examples[:3])})" if counts.dropped_regions else ""))


def next_cmd(
    project: ProjectOpt = DEFAULT_PROJECT,
    n: Annotated[int, typer.Option("--n", min=1, help="How many tasks to list.")] = 50,
    model_version: Annotated[Optional[str], typer.Option("--model-version", help="Default: the project's.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
):
    """List the least confident tasks with no annotation (active learning).

    Same order as Label Studio's Data Manager sorted by prediction score, ascending.
    """
    from annotation.loop.active import next_tasks
    from annotation.schema.schema import load_schema

    try:
        schema = load_schema()
        client, project_id = _connect(project)
        version, rows = next_tasks(client, project_id, schema, n, model_version)
    except NisbaError as exc:
        fail(exc)
    if json_out:
        typer.echo(json.dumps({"project": project_id, "model_version": version, "tasks": rows}))
        return
    _print_table(f"least confident unannotated tasks ({version})", ["task", "score", "url"],
                 [[r["task"], f"{r['score']:.4f}", r["url"]] for r in rows])


def loop_report_cmd(
    project: ProjectOpt = DEFAULT_PROJECT,
    model_version: Annotated[Optional[str], typer.Option("--model-version", help="Default: the project's.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", help="Write the JSON report here.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
):
    """Count what annotators did with the pre-annotations of a model version.

    Per layer: predicted regions accepted, edited, deleted, and regions added by people;
    predicted relations kept or deleted and relations added; with annotator time from
    lead_time. Table, or JSON with --json / --out.
    """
    from annotation.labelstudio.predictions import project_model_version
    from annotation.labelstudio.tasks import iter_task_dicts
    from annotation.loop.report import loop_report, report_rows
    from annotation.schema.schema import load_schema

    try:
        schema = load_schema()
        client, project_id = _connect(project)
        version = model_version or project_model_version(client, project_id)
        if not version:
            raise NisbaError(f"project {project_id} has no model_version; pass --model-version")
        query = {"filters": {"conjunction": "and", "items": [
            {"filter": "filter:tasks:total_annotations", "operator": "greater", "type": "Number", "value": 0}]}}
        tasks = list(iter_task_dicts(client, project_id, query=query))
    except NisbaError as exc:
        fail(exc)
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
    rel = data["relations"]
    typer.echo("relations (predicted/kept/deleted/added): " + ", ".join(
        f"{layer} {c['predicted']}/{c['kept']}/{c['deleted']}/{c['added']}" for layer, c in rel.items()))
    per = data["lead_time_per_annotation_s"]
    typer.echo(f"annotator time: {data['lead_time_s']:.0f} s in all"
               + (f", {per:.1f} s per annotation" if per is not None else "")
               + f"; skipped {data['skipped_annotated_before_prediction']} annotated before the prediction, "
               f"{data['skipped_no_prediction']} with no prediction of {version}; "
               f"{len(report.problems)} problems" + (f"; JSON: {out}" if out else ""))


def serve_cmd(
    model: ModelOpt,
    port: Annotated[int, typer.Option("--port", help="Port on 127.0.0.1.")] = 9090,
    token: Annotated[Optional[str], typer.Option("--token", envvar="NISBA_ML_BACKEND_TOKEN",
                                                 help="Token clients must send (default: $NISBA_ML_BACKEND_TOKEN).")] = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Texts per model batch.")] = 16,
    train_command: Annotated[str, typer.Option("--train-command",
                                               help="Run in the background when a webhook asks for training.")] = "make pull train",
    max_body_bytes: Annotated[int, typer.Option("--max-body-bytes", min=1,
                                                help="Larger request bodies get 413, unread.")] = 50 * 1024 * 1024,
    max_text_chars: Annotated[int, typer.Option("--max-text-chars", min=1,
                                                help="A longer task text gets 422.")] = 200_000,
):
    """Serve the model as a Label Studio ML backend ("Connect model") on 127.0.0.1."""
    import shlex
    import subprocess

    from annotation.labelstudio.ml_backend import Backend, Limits, TrainQueue, make_server
    from annotation.loop.push import check_model_schema
    from annotation.schema.schema import load_schema
    from training.predict.load import load_predictor

    if not token:
        fail(NisbaError("nisba serve needs a token: --token T or NISBA_ML_BACKEND_TOKEN"))
    try:
        schema = load_schema()
        predictor = load_predictor(model)
        check_model_schema(predictor, schema, model)
    except NisbaError as exc:
        fail(exc)
    argv = shlex.split(train_command)

    def train(payload: dict) -> None:
        subprocess.run(argv, check=True)

    queue = TrainQueue(train)
    queue.start()
    limits = Limits(max_body_bytes=max_body_bytes, max_text_chars=max_text_chars)
    server = make_server(Backend(predictor, schema, queue, batch_size, limits), token, "127.0.0.1", port)
    typer.echo(f"ML backend for {predictor.model_version} on http://127.0.0.1:{server.server_address[1]} "
               "(Label Studio: Settings > Model > Connect model; basic auth with the token as password)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        queue.stop()


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
    from annotation.labelstudio.ui_check import ui_check

    try:
        result = ui_check(project, task, screenshot, timeout=timeout)
    except NisbaError as exc:
        fail(exc)
    typer.echo(json.dumps(result, ensure_ascii=False))
    if not result["ok"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("predict")(predict_cmd)
    app.command("next")(next_cmd)
    app.command("loop-report")(loop_report_cmd)
    app.command("serve")(serve_cmd)
    app.command("ui-check")(ui_check_cmd)
