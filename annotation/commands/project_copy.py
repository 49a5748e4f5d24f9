"""`nisba project copy --from URL --to URL [--project REF]`: a project from one Label Studio to another.

SQLite to PostgreSQL and a laptop to a team server are this one command. Each server's API
key comes from ``--from-key``/``--to-key`` (or NISBA_FROM_API_KEY / NISBA_TO_API_KEY); a server
whose URL is the configured LABEL_STUDIO_URL (environment, then .env) uses LABEL_STUDIO_API_KEY.

Not handled here: the copy itself (annotation/labelstudio/project_copy.py).
"""

from __future__ import annotations

from typing import Annotated

import typer

from annotation.errors import NisbaError


def _settings(url: str, key: str | None, side: str):
    from annotation.labelstudio.settings import Settings, load_settings

    url = url.rstrip("/")
    if key:
        return Settings(url=url, token=key)
    try:
        configured = load_settings()
    except NisbaError:
        configured = None
    if configured is not None and configured.url == url:
        return configured
    raise NisbaError(f"no API key for {url}: pass --{side}-key (or set NISBA_{side.upper()}_API_KEY); "
                     f"the LABEL_STUDIO_API_KEY in .env belongs to {configured.url if configured else 'no server'}")


def copy_cmd(
    from_url: Annotated[str, typer.Option("--from", help="The source Label Studio's URL.")],
    to_url: Annotated[str, typer.Option("--to", help="The target Label Studio's URL.")],
    project: Annotated[str, typer.Option(help="Project id or title on the source; default the schema's title.")] = "",
    from_key: Annotated[str | None, typer.Option(envvar="NISBA_FROM_API_KEY", show_envvar=False,
                                                 help="API key of the source (env NISBA_FROM_API_KEY).")] = None,
    to_key: Annotated[str | None, typer.Option(envvar="NISBA_TO_API_KEY", show_envvar=False,
                                               help="API key of the target (env NISBA_TO_API_KEY).")] = None,
    batch_size: Annotated[int, typer.Option(help="Tasks per import request on the target.")] = 200,
) -> None:
    """Copy a project (config, tasks, annotations with their annotators, predictions, model_version)
    to another server; tasks the target already holds (by content hash) are not copied again."""
    from annotation.labelstudio.client import connect
    from annotation.labelstudio.project_copy import copy_project

    if not project:
        from annotation.schema.schema import load_schema

        project = load_schema().title
    source = connect(_settings(from_url, from_key, "from"))
    target = connect(_settings(to_url, to_key, "to"))
    report = copy_project(source, target, project, batch_size=batch_size)
    verb = "created" if report.created_project else "existing"
    typer.echo(f"copied to project {report.project_id} ({verb}) at {to_url.rstrip('/')}: {report.tasks} tasks, "
               f"{report.annotations} annotations, {report.predictions} predictions; "
               f"skipped {report.skipped_tasks} tasks the target already holds")
    if report.annotations_to_admin:
        typer.echo(f"{report.annotations_to_admin} annotations went to the target's admin: their annotators have "
                   f"no account there (the original e-mail is in each task's meta.nisba_copy)")
    if report.model_version:
        typer.echo(f"project model_version: {report.model_version}")


def register(app: typer.Typer) -> None:
    from annotation.commands.project import project_app

    project_app.command("copy")(copy_cmd)
