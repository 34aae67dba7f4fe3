"""Celery tasks of search. In production they run on their own queue, consumed by one worker
process with concurrency 1; a lock (search.locks) keeps a second writer out anyway. Eagerly in
development."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from backend.outbox.registry import handler
from search import indexing

SYNC_RETRIES = 30


@shared_task(bind=True, name="search.sync_pending", ignore_result=True)
def sync_pending(self: Any) -> int:
    synced = indexing.sync_pending()
    if synced < 0 and not self.request.is_eager:
        # Another writer is at it: try again shortly (its round may have missed our marks).
        raise self.retry(countdown=indexing.SYNC_DELAY_SECONDS, max_retries=SYNC_RETRIES)
    return synced


@shared_task(name="search.reconcile")
def reconcile() -> dict[str, int]:
    drift = indexing.reconcile()
    return {"missing": drift.missing, "stale": drift.stale, "extra": drift.extra, "rebuilt": int(drift.rebuilt)}


@handler("search.rebuild")
def rebuild_damaged_index(reason: str = "") -> bool:
    """Outbox handler: a reader found the index damaged (`reason`); rebuild it unless it was meanwhile."""
    return indexing.heal()
