"""Periodic review jobs."""

from __future__ import annotations

from celery import shared_task

from backend.reviews.counters import recount_sold


@shared_task(name="reviews.recount_sold")
def recount_sold_units() -> int:
    """Drop sales older than 12 months from "đã bán" (daily, see settings)."""
    return recount_sold()
