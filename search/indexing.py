"""Indexing follows writes: mark the products a change touches, sync after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from search.base import SearchUnavailable
from search.documents import all_documents, documents_for
from search.models import PendingDocument
from search.registry import get_backend

logger = logging.getLogger(__name__)
SYNC_BATCH = 500
SYNC_DELAY_SECONDS = 1


def mark_products(product_ids: Iterable[int]) -> None:
    """Record that these products' documents changed; sync once the transaction commits."""
    if not settings.SEARCH_AUTO_INDEX:
        return
    ids = {int(pk) for pk in product_ids}
    if not ids:
        return
    now = timezone.now()
    PendingDocument.objects.bulk_create(
        [PendingDocument(product_id=pk, marked_at=now) for pk in ids],
        update_conflicts=True,
        unique_fields=["product_id"],
        update_fields=["marked_at"],
    )
    transaction.on_commit(_enqueue_sync)


def _enqueue_sync() -> None:
    from search.tasks import sync_pending

    # A second's delay lets a burst of writes land in one batch (one index commit).
    sync_pending.apply_async(countdown=SYNC_DELAY_SECONDS)


def sync_pending(*, limit: int = 10_000) -> int:
    """Write the marked documents; marks stay when the engine is unavailable. Returns how many were synced."""
    synced = 0
    while synced < limit:
        started = timezone.now()
        batch = list(PendingDocument.objects.order_by("marked_at").values_list("product_id", flat=True)[:SYNC_BATCH])
        if not batch:
            break
        documents, gone = documents_for(batch)
        backend = get_backend()
        try:
            if documents:
                backend.index(documents)
            if gone:
                backend.delete(gone)
        except SearchUnavailable:
            logger.warning("Search engine unavailable: %d documents stay pending", len(batch))
            break
        # A mark written after we read the rows stays for the next round.
        PendingDocument.objects.filter(product_id__in=batch, marked_at__lte=started).delete()
        synced += len(batch)
    return synced


@dataclass(frozen=True)
class Drift:
    missing: int
    stale: int
    extra: int

    @property
    def total(self) -> int:
        return self.missing + self.stale + self.extra


def reconcile() -> Drift:
    """Compare the index with the database and repair every difference."""
    sync_pending()
    backend = get_backend()
    indexed = backend.fingerprints()
    wanted = {document.id: document for document in all_documents()}
    missing = [d for pk, d in wanted.items() if pk not in indexed]
    stale = [d for pk, d in wanted.items() if pk in indexed and indexed[pk] != d.fingerprint]
    extra = [pk for pk in indexed if pk not in wanted]
    if missing or stale:
        backend.index(missing + stale)
    if extra:
        backend.delete(extra)
    drift = Drift(missing=len(missing), stale=len(stale), extra=len(extra))
    if drift.total:
        logger.warning("Search drift repaired: %s", drift)
    return drift


def rebuild() -> int:
    """Build a fresh index from the database and swap it in."""
    documents = list(all_documents())
    get_backend().reindex(documents)
    PendingDocument.objects.all().delete()
    return len(documents)
