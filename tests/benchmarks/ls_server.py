"""A Label Studio server for a benchmark: the one named by NISBA_BENCH_LS_URL/NISBA_BENCH_LS_TOKEN,
or a throwaway one on a free port (from the tests' migrated template database when present)."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / ".nisba" / "labelstudio" / "test-template"   # tests/conftest.py's migrated copy


@contextmanager
def bench_server(prefix: str = "nisba-bench-"):
    """Yield (url, token); a server started here is stopped on exit."""
    url, token = os.environ.get("NISBA_BENCH_LS_URL"), os.environ.get("NISBA_BENCH_LS_TOKEN")
    if url and token:
        yield url, token
        return
    from annotation.labelstudio import server as ls_server

    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        state = Path(tmp)
        if (TEMPLATE / "label_studio.sqlite3").exists():
            shutil.copytree(TEMPLATE, state / "data")
        info = ls_server.start(port=ls_server.free_port(), state_dir=state, data_dir=state / "data",
                               env_file=None, venv=ROOT / ".nisba" / "labelstudio" / "venv", timeout=900)
        try:
            yield info.url, info.token
        finally:
            ls_server.stop(state)
