"""Read nisba's versioned JSON files (a model directory's combination.json, event_roles.json)
with errors that name the file and say what to do.

Not handled here: what the mapping means; each loader checks its own keys.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotation.errors import NisbaError


def read_versioned_json(path: str | Path, format_version: int, remedy: str) -> dict:
    """The mapping in ``path``, whose ``format_version`` must equal ``format_version``; an unreadable
    file or another version is a NisbaError naming the path and ending with ``remedy``."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise NisbaError(f"{path}: unreadable ({exc}); {remedy}") from None
    if not isinstance(data, dict) or data.get("format_version") != format_version:
        raise NisbaError(f"{path}: format_version {data.get('format_version') if isinstance(data, dict) else None!r}; "
                         f"this nisba reads {format_version}; {remedy}")
    return data
