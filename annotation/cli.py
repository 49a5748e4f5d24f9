"""The `nisba` console script: a root typer app; each command module registers its own commands.

Command modules import heavy libraries (torch, datasets, the SDK) inside the command
functions, so `nisba --help` stays fast.
"""

from __future__ import annotations

import importlib

import typer

from annotation.commands.common import wrap_commands

app = typer.Typer(
    name="nisba",
    help="Annotate Arabic news in Label Studio (entities, events, attributed claims), "
    "pull gold datasets, train and evaluate models, and push predictions back.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)

# Each module defines register(app: typer.Typer). Order = order in `nisba --help`.
COMMAND_MODULES = [
    "annotation.commands.server",    # nisba server start|stop|status
    "annotation.commands.project",   # nisba project config|create, nisba import
    "annotation.commands.project_copy",  # nisba project copy
    "annotation.commands.data",      # nisba data get|list
    "annotation.commands.pull",      # nisba pull, export, agreement
    "annotation.commands.training",  # nisba pretrain, train, evaluate
    "annotation.commands.predict",   # nisba predict, next, loop-report, serve, ui-check
    "annotation.commands.onnx",      # nisba export-onnx
    "annotation.commands.demo",      # nisba demo-summary
    "annotation.commands.sources",   # nisba sources review|add
    "annotation.commands.claims",    # nisba claims
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(app)
    wrap_commands(app)  # one printer for every NisbaError, no traceback


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
