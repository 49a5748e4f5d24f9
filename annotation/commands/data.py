"""`nisba data get NAME` and `nisba data list`: the registered corpora (configs/corpora.yaml).

`get` fetches a corpus into the cache (cache, then mirror, then HTTP; sha256 checked) and prints
its path, license and citation; `--stats` also reads it and prints the document, sentence and
token counts and the problems found. Not handled here: importing into Label Studio (`nisba import
--corpus NAME`).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError

data_app = typer.Typer(help="Registered corpora: list them, fetch and check them.", no_args_is_help=True)


@data_app.command("list")
def list_corpora(
    registry: Annotated[Optional[Path], typer.Option(help="Corpus registry file (default configs/corpora.yaml).")] = None,
) -> None:
    """List the registered corpora: reader, license, whether a checked copy is cached."""
    from rich.console import Console
    from rich.table import Table

    from annotation.corpora.registry import DEFAULT_REGISTRY, default_cache_dir, load_registry, sha256_file

    try:
        specs = load_registry(registry or DEFAULT_REGISTRY)  # a registry given and missing is an error
    except NisbaError as exc:
        fail(exc)
    table = Table("name", "reader", "file", "license", "cached", "url")
    cache = default_cache_dir()
    for spec in specs.values():
        if spec.text_corpus:
            table.add_row(spec.name, spec.reader, spec.local, spec.license, f"text from {spec.text_corpus}", "-")
            continue
        paths = [(cache / spec.name / file, digest) for file, digest in spec.parts]
        cached = "yes" if all(p.exists() and sha256_file(p) == d for p, d in paths) else "no"
        files = spec.file or f"{len(spec.files)} files"
        table.add_row(spec.name, spec.reader, files, spec.license, cached, spec.url or "-")
    Console(width=160).print(table)


@data_app.command("get")
def get(
    name: Annotated[str, typer.Argument(help="Corpus name from configs/corpora.yaml.")],
    mirror: Annotated[Optional[Path], typer.Option(help="Directory holding corpus files "
                                                   "(default: $NISBA_CORPUS_MIRROR, else ../shared/data).")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Cache directory (default .nisba/corpora).")] = None,
    stats: Annotated[bool, typer.Option(help="Also read the corpus and print its counts and problems.")] = False,
) -> None:
    """Fetch a corpus (cache, mirror, then HTTP), check its sha256, print path, license and citation."""
    from annotation.corpora.documents import corpus_spec, fetch_corpus, read_corpus

    try:
        spec = corpus_spec(name)
        path = fetch_corpus(name, cache_dir=cache_dir, mirror=mirror)
        typer.echo(f"path: {path}")
        typer.echo(f"license: {spec.license}")
        typer.echo(f"citation: {spec.citation or '-'}")
        if stats:
            read = read_corpus(name, path=path)
            s = read.stats
            typer.echo(f"documents: {s['documents']}  sentences: {s.get('sentences', '-')}  "
                       f"tokens: {s.get('tokens', '-')}  read in {s['read_seconds']} s")
            from annotation.corpora.documents import entities_layer

            for key in ("newspapers", "splits", entities_layer(), "labels", "relations", "dropped"):
                if key in s:
                    typer.echo(f"{key}: {s[key]}")
            typer.echo(f"problems: {dict(Counter(p.kind for p in read.problems))}")
            for problem in read.problems[:20]:
                typer.echo(f"  {problem}")
            if len(read.problems) > 20:
                typer.echo(f"  ... {len(read.problems) - 20} more")
    except NisbaError as exc:
        fail(exc)


def register(app: typer.Typer) -> None:
    app.add_typer(data_app, name="data")
