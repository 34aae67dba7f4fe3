"""The dispatcher: a periodic sweep (Celery beat, OUTBOX_DISPATCH_SECONDS) and the after-commit nudge."""

from __future__ import annotations

from celery import shared_task

from backend.outbox import services


@shared_task(name="outbox.dispatch", ignore_result=True)
def dispatch() -> int:
    return services.dispatch_due()


@shared_task(name="outbox.deliver", ignore_result=True)
def deliver(keys: list[str]) -> int:
    return services.deliver_keys(keys)
