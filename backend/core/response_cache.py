"""Anonymous catalog responses cached by (request, catalog version).

Any write to a product, variant, image, category or seller bumps the catalog
version (signals below, plus `bump_catalog_version()` for bulk updates that
bypass signals), so a cached page is never served after a change; entries
also expire after a short lifetime because stock moves with checkouts.
When the cache (Redis) is down, nothing is cached and nothing fails (see safe_cache).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from backend.core.safe_cache import consume_recovery, guarded

VERSION_KEY = "catalog:version"
RESPONSE_TTL_SECONDS = 30
CATALOG_MODELS = (
    "catalog.Product",
    "catalog.ProductVariant",
    "catalog.ProductImage",
    "catalog.Thumbnail",
    "catalog.Category",
    "sellers.Seller",
    # A cart line placed, changed or removed changes `quantityAvailable` for everyone else.
    # (A hold that simply times out is covered by the short TTL.)
    "checkout.CheckoutLine",
    # Experience details, prices and slots (remaining places); bookings move `booked`.
    "experiences.Experience",
    "experiences.ParticipantType",
    "experiences.Slot",
    "experiences.Booking",
)


def catalog_version() -> int:
    """The current version (0 while the cache is unavailable: nothing is cached then)."""
    return guarded("catalog version", _read_version, 0)


def _read_version() -> int:
    if consume_recovery():  # writes during the outage could not bump: invalidate now
        _incr()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def _incr() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet (or evicted): start a new series
        cache.set(VERSION_KEY, 2, timeout=None)


def bump_now() -> None:
    """Invalidate every cached response (the search index committed, for instance)."""
    guarded("catalog version bump", _incr, None)


def bump_catalog_version(**_ignored: Any) -> None:
    """Invalidate now and again at commit, so no reader caches pre-commit data under the new version.

    A cache outage never fails the write: the bump is skipped (nothing is being cached then) and
    made up for when the cache is back (`consume_recovery`)."""
    bump_now()
    transaction.on_commit(bump_now)


def response_key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"gqlresp:{digest}"


def get_response(key: str) -> tuple[bytes | None, int]:
    """(the cached body if it was stored under the current catalog version, that version).

    One cache round trip on a hit: the version and the entry (stored with the
    version it was computed under) are read together. On a miss, store the
    new body with the version returned here.
    """
    found = guarded("cached response", lambda: _get_many_fresh(key), None)
    if found is None:
        return None, 0
    current = found.get(VERSION_KEY)
    if current is None:
        return None, catalog_version()
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == int(current) and isinstance(entry[1], bytes):
        return entry[1], int(current)
    return None, int(current)


def _get_many_fresh(key: str) -> dict[str, Any]:
    if consume_recovery():
        _incr()
    return cache.get_many([VERSION_KEY, key])


def store_response(key: str, body: bytes, *, version: int) -> None:
    """Store a body computed under `version` (read before computing it, so a
    write that lands meanwhile makes the entry stale rather than wrong)."""
    if version:
        guarded("store response", lambda: cache.set(key, (version, body), timeout=RESPONSE_TTL_SECONDS), None)


def connect_signals() -> None:
    for label in CATALOG_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(bump_catalog_version, sender=model, dispatch_uid=f"catalog-version-save-{label}")
        post_delete.connect(bump_catalog_version, sender=model, dispatch_uid=f"catalog-version-delete-{label}")
