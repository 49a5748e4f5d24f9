"""`make demo`, cold and warm: the totals `make demo` itself records.

Running the whole demo inside the benchmark would take minutes and start a second server, so
the demo target appends each run's wall time to artifacts/demo-timings.jsonl (``cold`` is true
when Label Studio's data folder did not exist yet: first install, migrations and pre-training
included). This reports the latest cold and warm runs; there is no yardstick, only the figure.
"""

from __future__ import annotations

import json
from pathlib import Path

TIMINGS = Path("artifacts/demo-timings.jsonl")


def run(quick: bool = False) -> list[dict]:
    runs = []
    if TIMINGS.exists():
        runs = [json.loads(line) for line in TIMINGS.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for cold in (True, False):
        latest = next((r for r in reversed(runs) if r.get("cold") is cold), None)
        rows.append({
            "benchmark": f"make demo ({'cold' if cold else 'warm'})",
            "value": latest["seconds"] if latest else None, "unit": "s",
            "yardstick": None, "yardstick_value": None, "ratio": None, "target": "report",
            "passed": latest is not None,
            "notes": f"recorded {latest['when']}" if latest else f"no {'cold' if cold else 'warm'} run in {TIMINGS}",
        })
    return rows
