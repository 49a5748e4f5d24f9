"""Read nisba's YAML files (configs/*.yaml) with errors that name the file.

Not handled here: what the mapping means; each loader checks its own keys.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from annotation.errors import NisbaError


def read_yaml(path: str | Path, what: str, format_version: int | None = None,
              default_version: int | None = None) -> dict:
    """The mapping in ``path`` ({} for an empty file); ``what`` names the file in errors.

    With ``format_version``, the file's ``format_version`` (``default_version`` when absent) must
    equal it.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise NisbaError(f"{path}: {what} not found") from None
    except OSError as exc:
        raise NisbaError(f"{path}: cannot read the {what}: {exc}") from None
    except yaml.YAMLError as exc:
        raise NisbaError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise NisbaError(f"{path}: the {what} must be a mapping")
    if format_version is not None:
        version = data.get("format_version", default_version)
        if version != format_version:
            raise NisbaError(f"{path}: format_version {version!r}, this nisba reads {format_version}")
    return data
