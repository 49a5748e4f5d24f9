"""The one error printer of the `nisba` commands, and the wrapper that gives it every command.

A NisbaError is the message for the person at the keyboard: printed as ``error: MESSAGE`` on
stderr (never a traceback, never a token), and the command exits with the error's exit_code.
``catch_errors`` wraps each registered command (annotation/cli.py), so an error raised
outside a command's own ``try`` is printed the same way.
"""

from __future__ import annotations

import functools
from typing import Callable, NoReturn

import typer

from annotation.errors import NisbaError


def fail(exc: NisbaError) -> NoReturn:
    typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
    raise typer.Exit(getattr(exc, "exit_code", 1))


def catch_errors(command: Callable) -> Callable:
    @functools.wraps(command)
    def run(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except NisbaError as exc:
            fail(exc)
    return run


def wrap_commands(app: typer.Typer) -> None:
    """Wrap every command of ``app`` and of its sub-apps with ``catch_errors`` (once)."""
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "__wrapped__", None):
            info.callback = catch_errors(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            wrap_commands(group.typer_instance)
