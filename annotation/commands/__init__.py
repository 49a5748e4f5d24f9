"""The `nisba` command groups: thin typer modules that parse options, call a stage and print."""
