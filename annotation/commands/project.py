"""`nisba project config|create` and `nisba import`: schema -> project, files/corpora -> tasks.

Our own schema checks (schema.py) run before any call to the server. Import reads and checks
every file first (tasks.py), then asks the server which content hashes it holds and sends
only new tasks, in batches, with a progress bar.

Not handled here: the Label Studio calls (labelstudio/projects.py, labelstudio/tasks.py), file formats
(convert/task_files.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError

project_app = typer.Typer(help="Generate the labeling config from the schema; create or update the project.",
                          no_args_is_help=True)

SchemaFile = Annotated[Path, typer.Option("--schema", help="Schema YAML (sources.yaml is read from beside it).")]
DEFAULT_SCHEMA = Path("configs/schema.yaml")




def _schema(path: Path):
    from annotation.schema.schema import SchemaError, load_schema

    try:
        return load_schema(path)
    except SchemaError as exc:
        fail(NisbaError(f"bad schema {path}: {exc}"))


@project_app.command("config")
def config_cmd(schema: SchemaFile = DEFAULT_SCHEMA) -> None:
    """Print the Label Studio labeling config (XML) generated from the schema."""
    from annotation.schema.labeling_config import labeling_config

    typer.echo(labeling_config(_schema(schema)))


@project_app.command("create")
def create_cmd(
    schema: SchemaFile = DEFAULT_SCHEMA,
    title: Annotated[Optional[str], typer.Option(help="Project title; default the schema's title.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Update even when the new config removes labels, "
                                        "choices or relations that annotations or predictions still use.")] = False,
) -> None:
    """Create the project, or update its labeling config when a project with that title exists.

    An update that removes what annotations or predictions still use is refused, naming the
    counts, unless --force.
    """
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.projects import create_or_update_project, find_project, project_url

    s = _schema(schema)
    title = title or s.title
    try:
        client = connect()
        existed = find_project(client, title) is not None
        project = create_or_update_project(client, s, title, force=force)
    except NisbaError as exc:
        fail(exc)
    verb = "Updated" if existed else "Created"
    typer.echo(f"{verb} project {project.id} {title!r}: {project_url(client, project.id)}")


def import_cmd(
    paths: Annotated[Optional[list[Path]], typer.Argument(help=".txt (one article a file), .jsonl (a task a line) or .json (Label Studio task list) files.")] = None,
    project: Annotated[str, typer.Option(help="Project id or title; default the schema's title.")] = "",
    corpus: Annotated[Optional[str], typer.Option(help="Import a registered corpus (configs/corpora.yaml).")] = None,
    with_annotations: Annotated[bool, typer.Option(
        "--with-annotations", help="Bring the corpus's gold spans in as annotations, and add the input's "
        "annotations to tasks the project already holds (matched by content hash) when they lack them.")] = False,
    limit: Annotated[Optional[int], typer.Option(help="At most this many corpus documents.")] = None,
    split: Annotated[Optional[str], typer.Option(
        help="nisba-gold only: the fixed split(s) to import, e.g. train or train,dev.")] = None,
    batch_size: Annotated[int, typer.Option(help="Tasks per import request.")] = 500,
    schema: SchemaFile = DEFAULT_SCHEMA,
) -> None:
    """Import articles as tasks; tasks whose text the project already holds are skipped."""
    from annotation.convert import task_files as task_io
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.projects import resolve_project
    from annotation.labelstudio.tasks import add_missing_annotations, import_tasks
    from annotation.progress import progress_bar

    s = _schema(schema)
    if not paths and not corpus:
        fail(NisbaError("nothing to import: give files (.txt, .jsonl, .json) or --corpus NAME"))
    try:
        todo = task_io.read_task_files(list(paths or []), s)
        if corpus:
            from annotation.corpora.documents import read_corpus

            splits = [x.strip() for x in split.split(",") if x.strip()] if split else None
            read = read_corpus(corpus, limit=limit, schema=s, split=splits)
            for problem in read.problems[:10]:
                typer.echo(f"warning: {corpus}: {problem}", err=True)
            if len(read.problems) > 10:
                typer.echo(f"warning: {corpus}: {len(read.problems) - 10} more problems", err=True)
            todo += task_io.corpus_tasks(read.documents, s, with_annotations=with_annotations)
        client = connect()
        proj = resolve_project(client, project or s.title)
        with progress_bar(transient=False) as bar:
            job = bar.add_task("importing", total=len(todo))
            report = import_tasks(client, proj.id, todo, batch_size=batch_size,
                                              progress=lambda n: bar.advance(job, n))
            bar.update(job, completed=len(todo))
        if with_annotations:
            report.annotations_added = add_missing_annotations(client, proj.id, todo)
    except NisbaError as exc:
        fail(exc)
    typer.echo(f"project {proj.id}: created {report.created} tasks ({report.annotations} annotations), "
               f"skipped {report.skipped} ({report.skipped_existing} already in the project, "
               f"{report.skipped_duplicate} repeated in this input)")
    if with_annotations:
        typer.echo(f"added {report.annotations_added} annotations to tasks already in the project")
    elif report.skipped_annotated:
        typer.echo(f"{report.skipped_annotated} of the tasks already in the project carry annotations in this input; "
                   "they were not added: run again with --with-annotations to add those the tasks lack")
    if report.reconciled_deleted or report.reconciled_kept:
        typer.echo(f"reconciled with a concurrent import: deleted {len(report.reconciled_deleted)} newer duplicate "
                   f"tasks nobody had worked on" + (f"; left {len(report.reconciled_kept)} that carry annotations "
                   f"or drafts (tasks {report.reconciled_kept[:10]}): an import still running removes those it "
                   "made itself, the others hold someone's work" if report.reconciled_kept else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(project_app, name="project")
    app.command("import")(import_cmd)
