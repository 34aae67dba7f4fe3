"""Operational Celery tasks."""

from __future__ import annotations

from typing import Any

from celery import shared_task


@shared_task(bind=True, name="core.ping")
def ping(self: Any, payload: str) -> dict[str, Any]:
    """Echo: proves a task travelled through the broker to a worker."""
    return {"payload": payload, "eager": bool(self.request.is_eager), "hostname": self.request.hostname}
