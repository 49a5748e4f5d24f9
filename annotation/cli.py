"""The `nisba` console script: a root typer app; each command module registers its own commands.

Command modules import heavy libraries (torch, datasets, the SDK) inside the command
functions, so `nisba --help` stays fast.
"""

from __future__ import annotations

import importlib

import typer

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
    "annotation.cmd_server",    # nisba server start|stop|status
    "annotation.cmd_project",   # nisba project config|create, nisba import
    "annotation.cmd_data",      # nisba data get|list
    "annotation.cmd_pull",      # nisba pull, export, agreement
    "training.cli",             # nisba pretrain, train, evaluate
    "annotation.cmd_predict",   # nisba predict, next, loop-report, serve, ui-check
    "annotation.cmd_demo",      # nisba demo-summary
]


def _register_all() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
