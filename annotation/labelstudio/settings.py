"""Where Label Studio is and how to authenticate: LABEL_STUDIO_URL and LABEL_STUDIO_API_KEY.

Read when a command runs (never at import): the process environment first, then a
git-ignored ``.env`` file (``KEY=value`` lines, ``#`` comments; read by python-dotenv). ``write_env`` updates keys in
that file in place, keeps every other line, and leaves it readable by its owner only.

Not handled here: starting the server (server.py) or checking that the token works
(client.connect).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from annotation.errors import NisbaError

URL_KEY = "LABEL_STUDIO_URL"
TOKEN_KEY = "LABEL_STUDIO_API_KEY"
DEFAULT_ENV_FILE = ".env"
START_HINT = "start one with `nisba server start` (or `make labelstudio`)"


@dataclass(frozen=True)
class Settings:
    url: str
    token: str = ""

    def __repr__(self) -> str:  # never show the token
        return f"Settings(url={self.url!r}, token={'***' if self.token else ''!r})"


def read_env_file(path: str | Path) -> dict[str, str]:
    """``KEY=value`` pairs of a .env file (missing file -> empty), read by python-dotenv.

    Quotes and ``export`` are removed; values are taken literally (``$`` is no interpolation: a
    generated password may hold one); a line without ``=`` is skipped.
    """
    path = Path(path)
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    values = dotenv_values(path, interpolate=False, encoding="utf-8")
    return {key: value for key, value in values.items() if value is not None}


def write_env(path: str | Path, values: dict[str, str]) -> None:
    """Set ``values`` in the .env file: replace those keys' lines, append new ones, keep the rest."""
    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    pending = dict(values)
    out = []
    for line in lines:
        key = line.split("=", 1)[0].strip().removeprefix("export ").strip() if "=" in line else None
        if key in pending and not line.lstrip().startswith("#"):
            out.append(f"{key}={pending.pop(key)}")
        else:
            out.append(line)
    out += [f"{k}={v}" for k, v in pending.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(out) + "\n")
    os.chmod(path, 0o600)


def load_settings(env_file: str | Path | None = DEFAULT_ENV_FILE) -> Settings:
    """Label Studio's URL and token, from the environment first, then ``env_file``."""
    file_values = read_env_file(env_file) if env_file else {}
    url = os.environ.get(URL_KEY) or file_values.get(URL_KEY, "")
    token = os.environ.get(TOKEN_KEY) or file_values.get(TOKEN_KEY, "")
    if not url or not token:
        missing = [k for k, v in ((URL_KEY, url), (TOKEN_KEY, token)) if not v]
        raise NisbaError(
            f"{' and '.join(missing)} not set (looked in the environment and {env_file}); {START_HINT}, "
            "which writes both into .env"
        )
    return Settings(url=url.rstrip("/"), token=token)
