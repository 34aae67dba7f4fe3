"""Periodic checkout housekeeping."""

from __future__ import annotations

from celery import shared_task

from backend.checkout.reservations import release_expired


@shared_task(name="checkout.release_expired_reservations")
def release_expired_reservations() -> int:
    """Clear stock holds whose time is up; returns how many lines were released."""
    return release_expired()
