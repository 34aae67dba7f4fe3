"""Periodic report jobs."""

from __future__ import annotations

from celery import shared_task

from backend.reports.services import evaluate_alerts as evaluate


@shared_task(name="reports.evaluate_alerts")
def evaluate_alerts() -> dict[str, int]:
    """Open, refresh and resolve the early-warning alerts of every province (hourly, see settings)."""
    return evaluate()
