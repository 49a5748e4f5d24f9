"""The one rich progress bar of every command: description, bar, count, elapsed and remaining time.

``progress_bar`` returns a ``rich.progress.Progress`` (use it as a context manager, or start and
stop it); ``unit="bytes"`` counts bytes with a transfer speed (downloads); ``fields`` adds a
column per task field (``bar.add_task(..., rate="")``). ``enabled=False`` gives a bar that draws
nothing, so callers never branch on it. ``track`` wraps an iterable of known length.

Not handled here: logging, or output when stderr is not a terminal (rich decides that).
"""

from __future__ import annotations

from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")


def progress_bar(enabled: bool = True, *, transient: bool = True, unit: str = "items",
                 fields: Iterable[str] = ()):
    from rich.progress import (BarColumn, DownloadColumn, MofNCompleteColumn, Progress, SpinnerColumn,
                               TextColumn, TimeElapsedColumn, TimeRemainingColumn, TransferSpeedColumn)

    count = [DownloadColumn(), TransferSpeedColumn()] if unit == "bytes" else [MofNCompleteColumn()]
    columns = [SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), *count,
               *(TextColumn(f"{{task.fields[{name}]}}") for name in fields), TimeElapsedColumn(), TimeRemainingColumn()]
    return Progress(*columns, disable=not enabled, transient=transient)


def track(items: Iterable[T], total: int, description: str, enabled: bool = True) -> Iterator[T]:
    """``items`` as they come, advancing a bar of ``total`` steps."""
    with progress_bar(enabled) as bar:
        task = bar.add_task(description, total=total)
        for item in items:
            yield item
            bar.advance(task)
