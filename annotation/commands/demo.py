"""`nisba demo-summary`: what `make demo` ends with -- where to look, and how well it did.

Prints the URL of a pre-annotated task (one holding predictions of the project's current
model_version, so annotators see them), the headline metrics from the report's
metrics.json, and the report's path.

Not handled here: running the demo's steps (the Makefile's `demo` target does that).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError


def _headline(metrics: dict) -> list[tuple[str, str]]:
    """Flatten the numbers a lead would look at first: overall F1 per layer and per score kind."""
    rows: list[tuple[str, str]] = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                if key in ("per_label", "labels", "confusion", "worst_errors", "errors"):
                    continue
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            last = prefix.rsplit(".", 1)[-1]
            if last in ("f1", "overall_f1", "precision", "recall", "overall_precision", "overall_recall"):
                rows.append((prefix, f"{value:.3f}"))

    walk("", metrics)
    return rows[:24]


def gold_figures() -> list[tuple[str, tuple[str, ...], str]]:
    """(row, path in a gold-eval JSON, the layer whose combination choice gives it), layers named by the schema."""
    from annotation.schema.schema import default_roles

    roles = default_roles()
    entities, events, claims = roles.entities, roles.events, roles.claims
    claim_labels = "/".join(r[1] for r in (roles.claim, roles.source, roles.cue) if r)
    return [
        (entities, (entities, "overall", "f1"), entities),
        (events, (events, "overall", "f1"), events),
        (f"{claims} ({claim_labels} spans)", (claims, "overall", "f1"), claims),
        ("event arguments", ("event_arguments", "f1"), events),
        ("attribution pairs", ("attribution", "pair", "f1"), claims),
    ]


def gold_comparison(report: Path) -> list[tuple[str, str, str, str, str]]:
    """(figure, pushed model F1, which part it takes, rules F1, trained model alone F1) on
    nisba-gold test, from the report's gold-eval files: gold-eval-test-model.json (the pushed
    model: the trained one combined per layer with the rules when `nisba combine` chose so),
    gold-eval-test-rules.json and gold-eval-test-model-plain.json (optional)."""
    files = {who: report / f"gold-eval-test-{who}.json" for who in ("model", "rules", "model-plain")}
    if not (files["model"].exists() and files["rules"].exists()):
        return []
    data = {who: json.loads(f.read_text(encoding="utf-8")) for who, f in files.items() if f.exists()}
    choice = (data["model"].get("combination") or {}).get("choice") or {}
    if "model-plain" not in data and not choice:
        data["model-plain"] = data["model"]  # the pushed model is the trained model alone

    def f1(who: str, path: tuple[str, ...]) -> str:
        value = data.get(who)
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        return f"{value:.3f}" if isinstance(value, (int, float)) else "-"

    links = (data["model"].get("combination") or {}).get("relations") or {}
    side = (data["model"].get("combination") or {}).get("rules") or "rules"

    def takes(layer: str, path: tuple[str, ...]) -> str:
        how = choice.get(layer, "model")
        if path[0] != "attribution" or layer not in links:
            return how
        # the claims' spans merged, their links from one side (the rules' side: with the linker or not)
        who = side if links[layer] == "rules" else links[layer]
        return f"{how}, {who} links" if "+" in who else f"{how}, {who}' links"

    return [(name, f1("model", path), takes(layer, path), f1("rules", path), f1("model-plain", path))
            for name, path, layer in gold_figures()]


def demo_summary(
    project: Annotated[str, typer.Option("--project", help="Project id or title.")] = "nisba Arabic news",
    report: Annotated[Path, typer.Option("--report", help="The evaluation report folder.")] = Path("artifacts/report"),
) -> None:
    """Print a pre-annotated task's URL, the model's metrics and where the report is."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from annotation.labelstudio.client import connect
    from annotation.labelstudio.predictions import iter_push_tasks, project_model_version
    from annotation.labelstudio.projects import project_url, resolve_project

    console = Console()
    try:
        client = connect()
        proj = resolve_project(client, project)
        version = project_model_version(client, proj.id)
        task_id = None
        for task in iter_push_tasks(client, proj.id):
            if version in task.get("predictions_model_versions", []) and not task.get("total_annotations"):
                task_id = int(task["id"])
                break
    except NisbaError as exc:
        fail(exc)
    url = project_url(client, proj.id)
    console.rule("nisba demo")
    console.print(f"Label Studio project: [bold]{escape(proj.title)}[/] (id {proj.id}) {url}")
    console.print(f"Predictions shown to annotators: model_version [bold]{escape(version or '(none)')}[/]")
    if task_id is not None:
        console.print(f"A pre-annotated task: [bold cyan]{url}?task={task_id}[/]")
    else:
        console.print("[yellow]No unannotated task holds predictions of that version yet.[/]")
    metrics_path = report / "metrics.json"
    if metrics_path.exists():
        metrics = json.loads(metrics_path.read_text(encoding="utf-8"))
        table = Table("metric", "value", title=f"Metrics ({metrics_path})")
        for name, value in _headline(metrics):
            table.add_row(name, value)
        console.print(table)
    else:
        console.print(f"[yellow]No metrics at {metrics_path}[/]")
    rows = gold_comparison(report)
    if rows:
        table = Table("F1 on nisba-gold test (unseen raw news)", "pushed model", "takes (chosen on dev)", "rules",
                      "trained model alone", title="Is the model worth pushing?")
        for row in rows:
            table.add_row(*row)
        console.print(table)
    for name in ("report.html", "report.md"):
        if (report / name).exists():
            console.print(f"Report: [bold]{(report / name).resolve()}[/]")


def register(app: typer.Typer) -> None:
    app.command("demo-summary")(demo_summary)
