"""``nisba claims``: the claims table (one row per attributed claim) of a pulled dataset or a project."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.errors import NisbaError


def claims_cmd(
    out: Annotated[Path, typer.Option("--out", help="FILE.parquet, FILE.csv or FILE.jsonl")],
    data: Annotated[Optional[Path], typer.Option("--data", help="a pulled dataset (`nisba pull --out DIR`)")] = None,
    project: Annotated[Optional[str], typer.Option("--project", help="a project id or title: its gold is pulled first")] = None,
    summary: Annotated[bool, typer.Option("--summary", help="also print claims, stances and outlets per source")] = False,
) -> None:
    """Write one row per attributed claim: article, source (canonical id, type, mention), cue, stance, claim, reported_via."""
    from annotation.commands.sources import dataset_documents
    from annotation.convert.document import VIEW
    from annotation.dataset.claims_table import claim_rows, source_summary, write_table

    if (data is None) == (project is None):
        raise NisbaError("give exactly one of --data DIR or --project REF")
    if project is not None:
        from annotation.dataset import pull as pull_mod
        from annotation.dataset.splits import parse_ratios
        from annotation.labelstudio.client import connect
        from annotation.schema.schema import load_schema

        tmp = Path(tempfile.mkdtemp(prefix="nisba-claims-")) / "data"
        schema = load_schema()
        pull_mod.pull_from_server(connect(), project, tmp, schema, "latest",
                                  parse_ratios("0.8,0.1,0.1"), "export", None)
        data = tmp
    rows = claim_rows(dataset_documents(data))
    path = write_table(rows, out)
    typer.echo(f"wrote {len(rows)} claim row(s) to {path}")
    if summary:
        for s in source_summary(rows):
            who = s[VIEW.source_id] + (f" ({s['mention']})" if s["mention"] else "")
            stances = ", ".join(f"{k} {v}" for k, v in s["stances"].items())
            outlets = ", ".join(f"{k} {v}" for k, v in s["outlets"].items())
            typer.echo(f"{s[VIEW.claims]:4d}  {who:40} {s[VIEW.source_type]:18} stances: {stances}    via: {outlets}")


def register(app: typer.Typer) -> None:
    app.command("claims")(claims_cmd)
