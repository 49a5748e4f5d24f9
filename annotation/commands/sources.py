"""``nisba sources review`` and ``nisba sources add``: grow configs/sources.yaml from the annotations.

review lists the SOURCE mentions of a pulled dataset that have no canonical source (annotated
``other``, or matching no alias), clustered by normalized name with spelling variants merged;
add writes a chosen one, with aliases and type, keeping the file's comments and order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.errors import NisbaError

app = typer.Typer(help="Review unknown SOURCE mentions and add canonical sources to configs/sources.yaml.",
                  no_args_is_help=True)


def dataset_documents(data: Path, splits: list[str] | None = None) -> list[dict]:
    """Documents {id, text, meta, regions, relations} of a pulled dataset (all splits by default)."""
    import json

    from annotation.convert.document import document_to_regions
    from annotation.dataset.layout import load_pulled
    from annotation.schema.schema import load_schema

    dd = load_pulled(data)
    schema = load_schema()
    docs = []
    for split in splits or list(dd.keys()):
        if split not in dd:
            raise NisbaError(f"--data {data}: no split {split!r} (it has {', '.join(dd.keys())})")
        for row in dd[split]:
            regions, relations = document_to_regions(row, schema)
            meta = row.get("meta") or "{}"
            docs.append({"id": row["id"], "text": row["text"], "regions": regions, "relations": relations,
                         "meta": json.loads(meta) if isinstance(meta, str) else meta})
    return docs


@app.command("review")
def review_cmd(
    data: Annotated[Path, typer.Option("--data", help="a pulled dataset (`nisba pull --out DIR`)")],
    split: Annotated[Optional[list[str]], typer.Option("--split", help="only these splits (default: all)")] = None,
    min_count: Annotated[int, typer.Option("--min-count", help="hide clusters seen fewer times")] = 1,
    examples: Annotated[int, typer.Option("--examples", help="example contexts per cluster")] = 2,
    sources: Annotated[Optional[Path], typer.Option("--sources", help="sources file (default configs/sources.yaml)")] = None,
) -> None:
    """List SOURCE mentions with no canonical source, clustered by name, with counts and contexts."""
    from training.predict.rules.sources import SourceIndex
    from training.predict.rules.sources_review import cluster_mentions, unknown_mentions

    index = SourceIndex.load(sources) if sources else SourceIndex.load()
    clusters = [c for c in cluster_mentions(unknown_mentions(dataset_documents(data, split), index), examples)
                if c.count >= min_count]
    if not clusters:
        typer.echo("every SOURCE mention has a canonical source")
        return
    for c in clusters:
        types = ", ".join(f"{t} {n}" for t, n in c.types.most_common()) or "-"
        variants = " | ".join(f"{v} ({n})" for v, n in c.variants.most_common())
        typer.echo(f"{c.count:4d}  {c.name}    type: {types}    variants: {variants}")
        for ex in c.examples:
            typer.echo(f"        … {ex} …")
    typer.echo(f"{len(clusters)} cluster(s); add one with: nisba sources add ID --type TYPE --name NAME --alias ALIAS ...")


@app.command("add")
def add_cmd(
    source_id: Annotated[str, typer.Argument(help="the canonical id (CamelCase, e.g. SergeiShoigu)")],
    source_type: Annotated[str, typer.Option("--type", help="news_agency, government, armed_group, opposition, "
                                                             "analyst, international_body or anonymous")],
    name: Annotated[str, typer.Option("--name", help="the source's name")],
    alias: Annotated[list[str], typer.Option("--alias", help="an alias as written in the news (repeat)")],
    sources: Annotated[Optional[Path], typer.Option("--sources", help="sources file (default configs/sources.yaml)")] = None,
) -> None:
    """Add a canonical source with its aliases and type to sources.yaml (comments and order kept)."""
    from annotation.schema.schema import DEFAULT_SOURCES, load_schema
    from training.predict.rules.sources_review import add_source

    schema = load_schema()
    types = schema.choice(schema.roles.source_type)
    allowed = list(types.values) if types else []
    if allowed and source_type not in allowed:
        raise NisbaError(f"--type {source_type!r}: choose one of {', '.join(allowed)}")
    path = sources or DEFAULT_SOURCES
    add_source(source_id, source_type, name, list(alias), path)
    typer.echo(f"added {source_id} ({source_type}, {len(alias)} alias(es)) to {path}")


def register(root: typer.Typer) -> None:
    root.add_typer(app, name="sources")
