"""Word lists the rules draw from data (configs/given_names.txt, configs/masdars.txt): read one, and
the command that builds one or checks that it is up to date.

A list is a text file of one normalized word per line under a ``#`` header that names its
sources; the rules read the file, never the corpora. ``build_command`` is the shared ``main`` of
training/predict/rules/given_names.py and masdars.py: ``--out`` (the configs file by default)
and ``--check`` (exit 1 when the file differs from a fresh build).

Not handled here: what goes into a list (the modules that build them).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Callable


def read_word_list(path: str | Path) -> set[str]:
    """The words of a list file (comments and blank lines skipped); empty when absent."""
    path = Path(path)
    if not path.is_file():
        return set()
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def build_command(argv: list[str] | None, description: str, default_out: Path, text: Callable[[], str],
                  module: str, what: str) -> int:
    """Write the list ``text()`` builds to ``--out``, or with ``--check`` say whether it is current (exit 1
    when stale); ``module`` is the ``python -m`` that rebuilds it, ``what`` the plural of its entries."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", type=Path, default=default_out)
    ap.add_argument("--check", action="store_true", help="exit 1 when --out differs from a fresh build")
    args = ap.parse_args(argv)
    built = text()
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == built
        print(f"{args.out}: {'up to date' if same else f'stale: rebuild with python -m {module}'}")
        return 0 if same else 1
    args.out.write_text(built, encoding="utf-8")
    entries = sum(1 for line in built.splitlines() if line.strip() and not line.startswith("#"))
    print(f"wrote {args.out}: {entries} {what}")
    return 0
