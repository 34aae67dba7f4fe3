"""The Celery app a fault test's worker subprocess runs: the project's, plus two slow jobs that
leave traces on disk, so a test can kill the worker in the middle of one and see what happens."""

from __future__ import annotations

import os
import time
from pathlib import Path

from backend.celery import app
from backend.outbox.registry import handler

__all__ = ["app"]


def _trace(folder: str, name: str) -> bool:
    """Record a run in `folder`; True when this is the first run (the one the test kills)."""
    path = Path(folder)
    first = not (path / f"{name}.started").exists()
    with open(path / f"{name}.started", "a") as fh:
        fh.write(f"{os.getpid()}\n")
    return first


@app.task(name="faults.slow_task")
def slow_task(folder: str) -> None:
    if _trace(folder, "task"):
        time.sleep(60)  # killed here
    with open(Path(folder) / "task.done", "a") as fh:
        fh.write(f"{os.getpid()}\n")


@handler("faults.slow_item")
def slow_item(folder: str) -> None:
    if _trace(folder, "item"):
        time.sleep(60)  # killed here
    with open(Path(folder) / "item.done", "a") as fh:
        fh.write(f"{os.getpid()}\n")
