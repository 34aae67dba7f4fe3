"""Cold start of `make run`: the steps before the server starts, on a fresh VAR_DIR.

`migrate` + `load_demo_data --if-empty` + `search_reindex`, each a new
`manage.py` process (as the Makefile runs them), timed separately, on an empty
SQLite database under a temporary VAR_DIR. A second `load_demo_data
--if-empty` shows what a warm `make run` pays. DATABASE_URL and
CELERY_BROKER_URL are removed so the run is the embedded default.

    python -m bench.startup_bench [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
STEPS = [
    ("migrate", ["migrate", "--no-input", "-v", "0"]),
    ("load_demo_data --if-empty", ["load_demo_data", "--if-empty"]),
    ("search_reindex", ["search_reindex"]),
]
WARM = ("load_demo_data --if-empty (warm)", ["load_demo_data", "--if-empty"])


def _manage(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    # Output is dropped (the eager Celery tasks log every step); a failure still raises.
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def cold_start() -> dict[str, float]:
    """Seconds per step on a fresh VAR_DIR."""
    with tempfile.TemporaryDirectory(prefix="cp-startup-") as var_dir:
        env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL"}}
        env["VAR_DIR"] = var_dir
        figures = {name: _manage(args, env) for name, args in [*STEPS, WARM]}
    figures["total (cold)"] = sum(figures[name] for name, _args in STEPS)
    return figures


def run(runs: int = 1) -> None:
    print(f"cold make run steps (fresh VAR_DIR, SQLite, {runs} run(s), median)")
    samples = [cold_start() for _ in range(runs)]
    for name in samples[0]:
        print(f"  {name:<44} {statistics.median(s[name] for s in samples):7.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    run(parser.parse_args().runs)
