"""`nisba server start|stop|status`: the embedded Label Studio (see annotation/labelstudio/server.py).

Not handled here: the lifecycle itself (server.py); this module only parses options and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError

server_app = typer.Typer(help="Run the embedded Label Studio server (127.0.0.1, data in .nisba/).",
                         no_args_is_help=True)

Port = Annotated[int, typer.Option(help="TCP port to listen on.")]
Host = Annotated[str, typer.Option(help="Interface to listen on; keep 127.0.0.1 unless you mean to share it.")]
StateDir = Annotated[Path, typer.Option(help="Where the pid file and server.log live.")]
DataDir = Annotated[Path | None, typer.Option(help="Label Studio's data (SQLite, media); default STATE_DIR/data.")]
EnvFile = Annotated[Path, typer.Option(help="The git-ignored file that receives LABEL_STUDIO_URL and the API key.")]
PgDir = Annotated[Path, typer.Option(help="nisba's own PostgreSQL cluster (--database postgres without --database-url).")]




@server_app.command("start")
def start_cmd(
    port: Port = 8080,
    host: Host = "127.0.0.1",
    state_dir: StateDir = Path(".nisba/labelstudio"),
    data_dir: DataDir = None,
    env_file: EnvFile = Path(".env"),
    timeout: Annotated[float, typer.Option(help="Seconds to wait for /health.")] = 300.0,
    venv: Annotated[Path | None, typer.Option(
        help="Label Studio's own virtual environment; default STATE_DIR/venv.")] = None,
    database: Annotated[str, typer.Option(
        help="sqlite: one process (Django's runserver), for one user. postgres: PostgreSQL and several "
             "uwsgi workers, for a team.")] = "sqlite",
    workers: Annotated[int | None, typer.Option(
        help="uwsgi worker processes with --database postgres; default twice the cores.")] = None,
    database_url: Annotated[str | None, typer.Option(
        help="An external PostgreSQL (postgresql://USER:PASSWORD@HOST:PORT/NAME); implies --database postgres. "
             "With --database postgres the POSTGRE_* variables do the same; without either, nisba starts its own.")] = None,
    database_port: Annotated[int, typer.Option(help="Port of nisba's own PostgreSQL (127.0.0.1).")] = 5433,
    pg_dir: PgDir = Path(".nisba/postgres"),
) -> None:
    """Start Label Studio headless (install it first if needed); a second start is a no-op."""
    from annotation.labelstudio import server

    if database_url:
        database = "postgres"
    if database not in ("sqlite", "postgres"):
        fail(NisbaError(f"--database is sqlite or postgres, not {database!r}"))
    try:
        if database == "postgres":
            from annotation.labelstudio import postgres, postgres_server

            external = postgres.Database.from_url(database_url) if database_url else postgres.Database.from_env()
            info = postgres_server.start(port=port, host=host, state_dir=state_dir, data_dir=data_dir,
                                         env_file=env_file, timeout=max(timeout, 900.0), venv=venv,
                                         workers=workers, database=external, pg_dir=pg_dir,
                                         pg_port=database_port, say=typer.echo)
        else:
            info = server.start(port=port, host=host, state_dir=state_dir, data_dir=data_dir,
                                env_file=env_file, timeout=timeout, say=typer.echo,
                                venv=venv)  # None: STATE_DIR/venv
    except NisbaError as exc:
        fail(exc)
    if info.already_running:
        typer.echo(f"Label Studio is already running at {info.url} (pid {info.pid})")
    else:
        typer.echo(f"Label Studio is up at {info.url} (pid {info.pid}, {info.seconds:.0f} s)")
    typer.echo(f"URL and API key written to {env_file}; log in as {server.ADMIN_USER} "
               f"with the LABEL_STUDIO_PASSWORD in {env_file}")


@server_app.command("stop")
def stop_cmd(state_dir: StateDir = Path(".nisba/labelstudio"), pg_dir: PgDir = Path(".nisba/postgres")) -> None:
    """Stop the Label Studio that `nisba server start` started (only that process group), then
    nisba's own PostgreSQL if it runs."""
    from annotation.labelstudio import postgres_server

    ls_stopped, pg_stopped = postgres_server.stop(state_dir, pg_dir)
    if ls_stopped:
        typer.echo("Label Studio stopped")
    else:
        typer.echo("Label Studio is not running (no live server in the pid file)")
    if pg_stopped:
        typer.echo("PostgreSQL stopped")


@server_app.command("status")
def status_cmd(state_dir: StateDir = Path(".nisba/labelstudio"), pg_dir: PgDir = Path(".nisba/postgres")) -> None:
    """Say whether our Label Studio (and nisba's PostgreSQL) run, where, and whether they answer;
    exit 1 when Label Studio is not running."""
    from annotation.labelstudio import postgres_server

    info = postgres_server.status(state_dir, pg_dir)
    pg = info["postgres"]
    if pg["running"]:
        ready = "accepting connections" if pg["accepting"] else "NOT accepting connections"
        typer.echo(f"PostgreSQL is running on 127.0.0.1:{pg['port']} (pid {pg['pid']}, {ready}, data {pg['data']})")
    if not info["running"]:
        typer.echo("Label Studio is not running; start it with `nisba server start`")
        raise typer.Exit(1)
    health = "healthy" if info["healthy"] else "NOT answering /health"
    backend = (f"PostgreSQL {info['database_url']}, {info['workers']} {info['wsgi']} workers"
               if info["database"] == "postgres" else "SQLite, runserver")
    typer.echo(f"Label Studio is running at {info['url']} (pid {info['pid']}, {health}, {backend}, "
               f"data {info['data_dir']})")


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")
