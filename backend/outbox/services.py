"""Enqueue side effects in the caller's transaction; deliver them after commit, with retries.

Delivery claims an item with a conditional UPDATE (a lease), runs its handler, then marks it
delivered, so two dispatchers never run one item at once and a worker killed mid-delivery only
delays it until the lease ends. Failures back off exponentially; after OUTBOX_MAX_ATTEMPTS the
item is DEAD, visible in the admin, where "retry now" puts it back in line.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from backend.outbox.models import OutboxItem, OutboxStatus
from backend.outbox.publish import publish
from backend.outbox.registry import handler_for

logger = logging.getLogger(__name__)
DISPATCH_BATCH = 200


def enqueue(
    *, kind: str, key: str, payload: Mapping[str, Any], redact: bool = False, available_at: datetime | None = None
) -> None:
    """Record a side effect in the current transaction; a second item with the same key is ignored.

    `available_at` delays it (a notification waiting for the end of quiet hours or for its next retry).

    After commit the dispatcher is nudged (a broker failure is only logged: the periodic
    dispatcher delivers the item anyway); a rollback takes the item with it.
    """
    OutboxItem.objects.bulk_create(
        [
            OutboxItem(
                kind=kind,
                key=key[:200],
                payload=dict(payload),
                redact=redact,
                available_at=available_at or timezone.now(),
            )
        ],
        ignore_conflicts=True,
    )
    keys = [key[:200]]
    transaction.on_commit(lambda: nudge(keys), robust=True)


def nudge(keys: list[str]) -> None:
    publish("outbox.deliver", kwargs={"keys": keys})


def _backoff(attempts: int) -> timedelta:
    base = float(settings.OUTBOX_RETRY_BASE_SECONDS)
    seconds = min(base * 2 ** max(attempts - 1, 0), float(settings.OUTBOX_RETRY_MAX_SECONDS))
    return timedelta(seconds=seconds * random.uniform(0.8, 1.2))


def _claim(item_id: int) -> OutboxItem | None:
    now = timezone.now()
    claimed = OutboxItem.objects.filter(pk=item_id, status=OutboxStatus.PENDING, available_at__lte=now).update(
        available_at=now + timedelta(seconds=settings.OUTBOX_LEASE_SECONDS), attempts=F("attempts") + 1
    )
    if claimed != 1:
        return None
    return OutboxItem.objects.get(pk=item_id)


def deliver(item_id: int) -> bool:
    """Run one due item's handler; True when it was delivered now. Running it again is a no-op."""
    item = _claim(item_id)
    if item is None:
        return False
    handle = handler_for(item.kind)
    try:
        if handle is None:
            raise LookupError(f"no handler registered for outbox kind {item.kind!r}")
        handle(**item.payload)  # handlers own their transactions (a mail or a gateway call holds none)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded on the item and retried
        _failed(item, exc)
        return False
    done: dict[str, Any] = {"status": OutboxStatus.DELIVERED, "delivered_at": timezone.now(), "last_error": ""}
    if item.redact:
        done["payload"] = {}
    OutboxItem.objects.filter(pk=item.pk, status=OutboxStatus.PENDING).update(**done)
    return True


def _failed(item: OutboxItem, exc: Exception) -> None:
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if item.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxItem.objects.filter(pk=item.pk).update(status=OutboxStatus.DEAD, last_error=error)
        logger.error("Outbox item %s is dead after %d attempts: %s", item.key, item.attempts, error)
        return
    retry_at = timezone.now() + _backoff(item.attempts)
    OutboxItem.objects.filter(pk=item.pk).update(available_at=retry_at, last_error=error)
    logger.warning("Outbox item %s failed (attempt %d), retry at %s: %s", item.key, item.attempts, retry_at, error)


def deliver_keys(keys: Iterable[str]) -> int:
    """Deliver the named items now if they are due (the after-commit nudge)."""
    ids = OutboxItem.objects.filter(key__in=list(keys), status=OutboxStatus.PENDING).values_list("pk", flat=True)
    return sum(deliver(pk) for pk in list(ids))


def dispatch_due(*, limit: int = DISPATCH_BATCH) -> int:
    """Deliver every due item, oldest first (the periodic dispatcher). Returns how many were delivered."""
    ids = list(
        OutboxItem.objects.filter(status=OutboxStatus.PENDING, available_at__lte=timezone.now())
        .order_by("available_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(deliver(pk) for pk in ids)


def retry_now(*, item_ids: Iterable[int]) -> int:
    """Put dead or waiting items back in line for an attempt now (the admin's "retry now")."""
    count = OutboxItem.objects.filter(
        pk__in=list(item_ids), status__in=[OutboxStatus.DEAD, OutboxStatus.PENDING]
    ).update(status=OutboxStatus.PENDING, available_at=timezone.now(), attempts=0)
    transaction.on_commit(lambda: publish("outbox.dispatch"), robust=True)
    return count
