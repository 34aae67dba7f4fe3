"""Celery tasks of search. In production they run on one queue consumed with
concurrency 1 (the embedded index allows one writer); eagerly in development."""

from __future__ import annotations

from celery import shared_task

from search import indexing


@shared_task(name="search.sync_pending", ignore_result=True)
def sync_pending() -> int:
    return indexing.sync_pending()


@shared_task(name="search.reconcile")
def reconcile() -> dict[str, int]:
    drift = indexing.reconcile()
    return {"missing": drift.missing, "stale": drift.stale, "extra": drift.extra}
