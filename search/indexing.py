"""Indexing follows writes: mark the products a change touches, sync after commit.

One writer at a time (`search.locks`). Before writing, the sync checks that the index is there,
readable and roughly as large as the catalog; if not, it rebuilds it instead of writing a few
documents into an empty index. Every index commit bumps the response cache's catalog version,
so no cached answer outlives the index state it was computed from.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from backend.core.response_cache import bump_now
from backend.outbox.publish import publish
from backend.outbox.services import enqueue
from search.base import IndexDamaged, SearchUnavailable
from search.documents import all_documents, documents_for, indexable_products
from search.locks import index_writer_lock
from search.models import PendingDocument
from search.registry import get_backend

logger = logging.getLogger(__name__)
SYNC_BATCH = 500
SYNC_DELAY_SECONDS = 1
# A rebuild waits this long for the writer lock (a sync in progress) before giving up for now.
REBUILD_LOCK_WAIT_SECONDS = 120.0
# Damage seen by many requests asks for one rebuild per this many seconds.
REBUILD_REQUEST_SECONDS = 300
DAMAGE = ("missing", "unreadable", "incomplete")


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
    transaction.on_commit(_enqueue_sync, robust=True)


def _enqueue_sync() -> None:
    # A second's delay lets a burst of writes land in one batch (one index commit). Broker down:
    # the marks wait for the periodic sync.
    publish("search.sync_pending", countdown=SYNC_DELAY_SECONDS)


@dataclass(frozen=True)
class IndexState:
    documents: int | None  # None: no index, or it could not be counted
    expected: int  # products buyers may see
    pending: int  # marks not yet synced
    problem: str  # "" | "missing" | "unreadable" | "incomplete" | "unavailable"


def index_state() -> IndexState:
    """How the live index compares with the catalog (for the sync, reconcile and the readiness probe)."""
    expected = indexable_products().count()
    pending = PendingDocument.objects.count()
    try:
        documents = get_backend().document_count()
    except IndexDamaged:
        return IndexState(documents=None, expected=expected, pending=pending, problem="unreadable")
    except SearchUnavailable:
        return IndexState(documents=None, expected=expected, pending=pending, problem="unavailable")
    if documents is None:
        problem = "missing"
    elif documents + pending < expected * settings.SEARCH_MIN_INDEX_RATIO:
        problem = "incomplete"
    else:
        problem = ""
    return IndexState(documents=documents, expected=expected, pending=pending, problem=problem)


def sync_pending(*, limit: int = 10_000) -> int:
    """Write the marked documents; marks stay when the engine is unavailable.

    Returns how many were synced, or -1 when another writer holds the lock (the caller retries).
    """
    with index_writer_lock() as held:
        if not held:
            return -1
        state = index_state()
        if state.problem in DAMAGE:
            logger.warning(
                "Search index %s (%s of %d documents): rebuilding", state.problem, state.documents, state.expected
            )
            return _rebuild_locked()
        try:
            synced = _sync_locked(limit)
        except IndexDamaged:
            logger.warning("Search index unreadable during a sync: rebuilding", exc_info=True)
            return _rebuild_locked()
    return synced


def _sync_locked(limit: int) -> int:
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
        except IndexDamaged:
            raise
        except SearchUnavailable:
            logger.warning("Search engine unavailable: %d documents stay pending", len(batch))
            break
        # A mark written after we read the rows stays for the next round.
        PendingDocument.objects.filter(product_id__in=batch, marked_at__lte=started).delete()
        synced += len(batch)
    if synced:
        bump_now()  # cached answers computed from the index before this commit are stale now
    return synced


@dataclass(frozen=True)
class Drift:
    missing: int
    stale: int
    extra: int
    rebuilt: bool = False

    @property
    def total(self) -> int:
        return self.missing + self.stale + self.extra + int(self.rebuilt)


def reconcile() -> Drift:
    """Compare the index with the database (counts, then fingerprints) and repair every difference."""
    with index_writer_lock(wait_seconds=REBUILD_LOCK_WAIT_SECONDS) as held:
        if not held:
            raise TimeoutError("another search writer held the lock too long")
        state = index_state()
        if state.problem in DAMAGE:
            logger.warning(
                "Search index %s (%s of %d documents): rebuilt", state.problem, state.documents, state.expected
            )
            _rebuild_locked()
            return Drift(missing=state.expected - (state.documents or 0), stale=0, extra=0, rebuilt=True)
        _sync_locked(10_000)
        drift = _repair_fingerprints()
        if not drift.total and get_backend().document_count() != sum(1 for _ in all_documents()):
            # Same ids and fingerprints but another count: duplicates the fingerprints hide.
            _rebuild_locked()
            drift = Drift(missing=0, stale=0, extra=0, rebuilt=True)
    if drift.total:
        logger.warning("Search drift repaired: %s", drift)
    return drift


def _repair_fingerprints() -> Drift:
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
    if missing or stale or extra:
        bump_now()
    return Drift(missing=len(missing), stale=len(stale), extra=len(extra))


def rebuild() -> int:
    """Build a fresh index from the database and swap it in (waits for a sync in progress)."""
    with index_writer_lock(wait_seconds=REBUILD_LOCK_WAIT_SECONDS) as held:
        if not held:
            raise TimeoutError("another search writer held the lock too long")
        return _rebuild_locked()


def _rebuild_locked() -> int:
    started = timezone.now()
    documents = list(all_documents())
    get_backend().reindex(documents)
    # Marks written while we read the catalog stay for the next sync.
    PendingDocument.objects.filter(marked_at__lte=started).delete()
    bump_now()
    return len(documents)


def heal() -> bool:
    """Rebuild the index if it is missing, unreadable or far too small; True when it was rebuilt."""
    with index_writer_lock(wait_seconds=REBUILD_LOCK_WAIT_SECONDS) as held:
        if not held:
            raise TimeoutError("another search writer held the lock too long")
        state = index_state()
        if state.problem == "unavailable":
            raise SearchUnavailable("search engine unavailable: the rebuild waits")
        if state.problem not in DAMAGE:
            return False
        logger.warning(
            "Search index %s (%s of %d documents): rebuilding", state.problem, state.documents, state.expected
        )
        _rebuild_locked()
        return True


def request_rebuild(*, reason: str) -> None:
    """A reader found the index damaged: have it healed in the background (the outbox retries until it is)."""
    bucket = int(time.time() // REBUILD_REQUEST_SECONDS)
    enqueue(kind="search.rebuild", key=f"search.rebuild:{bucket}", payload={"reason": reason[:500]})
