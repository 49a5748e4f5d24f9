"""Run the benchmarks (tests/benchmarks/bench_*.py) and write JSON plus a short table.

Each bench module exposes ``run(quick: bool = False) -> list[dict]``; a row reports one figure,
its yardstick measured in the same run, the ratio and the target. A module that fails is
reported as a failed row with the error, and the others still run.

    python -m tests.benchmarks.run [--only convert,push] [--quick] [--out artifacts/bench]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
FORMAT_VERSION = 1


# Long runs kept out of a plain `make bench`; name them with --only (`make quality`).
NOT_BY_DEFAULT = {"ner_quality"}


def discover() -> list[str]:
    return sorted(n for n in (p.stem[len("bench_"):] for p in HERE.glob("bench_*.py")) if n not in NOT_BY_DEFAULT)


def fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return "" if value is None else str(value)


def table(rows: list[dict]) -> str:
    head = ["benchmark", "value", "unit", "yardstick", "yardstick_value", "ratio", "target", "passed"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(r.get(h)) for h in head) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--only", default="", help="comma-separated bench names (default: all)")
    ap.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    ap.add_argument("--out", default="artifacts/bench", help="output folder for bench.json and bench.md")
    args = ap.parse_args(argv)
    names = [n for n in (args.only.split(",") if args.only else discover()) if n]
    rows: list[dict] = []
    for name in names:
        t0 = time.perf_counter()
        print(f"== bench {name}", flush=True)
        try:
            module = importlib.import_module(f"tests.benchmarks.bench_{name}")
            got = module.run(quick=args.quick)
        except Exception as exc:  # report it, keep going with the other benches
            traceback.print_exc()
            got = [{"benchmark": name, "passed": False, "notes": f"failed: {type(exc).__name__}: {exc}"}]
        for row in got:
            row.setdefault("seconds", round(time.perf_counter() - t0, 1))
            print(json.dumps(row, ensure_ascii=False), flush=True)
        rows += got
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    doc = {"format_version": FORMAT_VERSION, "when": datetime.now(timezone.utc).isoformat(),
           "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
           "quick": args.quick, "rows": rows}
    (out / "bench.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False), encoding="utf-8")
    md = table(rows)
    (out / "bench.md").write_text(md + "\n", encoding="utf-8")
    print()
    print(md)
    print(f"\nwrote {out / 'bench.json'} and {out / 'bench.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
