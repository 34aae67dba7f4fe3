"""Publishing a Celery task after a commit without ever failing the request.

A nudge is an optimisation: the work it announces is already a row (an outbox item, a search
mark) that a periodic task picks up anyway. So a broker that is down, slow or refusing costs
a logged warning, never an error for a request whose transaction has committed.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from celery import current_app

logger = logging.getLogger(__name__)
# After a failed publish, skip the broker for this long (per process) instead of paying a
# connection attempt on every request while it is down.
BROKER_BACKOFF_SECONDS = 5.0
_down_until = 0.0


def publish(task_name: str, *, kwargs: dict[str, Any] | None = None, countdown: float | None = None) -> bool:
    """Send the registered task `task_name` without retries; False (and a warning) when it could not be sent.

    Eager mode (no broker configured) runs the task in-process, as Celery does; its failure is
    logged too, since the caller has already committed.
    """
    global _down_until
    task = current_app.tasks[task_name]
    eager = bool(current_app.conf.task_always_eager)
    if not eager and time.monotonic() < _down_until:
        return False
    try:
        options: dict[str, Any] = {"retry": False}
        if countdown is not None:
            options["countdown"] = countdown
        task.apply_async(kwargs=kwargs or {}, **options)
    except Exception:
        if not eager:
            _down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
        logger.warning("Could not run %s now; the periodic dispatcher will", task_name, exc_info=True)
        return False
    return True


def reset() -> None:
    """Forget a broker failure (tests, and after a successful health check)."""
    global _down_until
    _down_until = 0.0
