"""Periodic retention (beat: privacy-enforce-retention, daily)."""

from __future__ import annotations

from celery import shared_task

from backend.privacy.services import enforce_retention


@shared_task(name="privacy.enforce_retention")
def enforce_retention_task() -> dict[str, int]:
    return enforce_retention()
