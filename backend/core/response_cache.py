"""Anonymous catalog responses cached by (request, catalog version).

Any write to a product, variant, image, category or seller bumps the catalog
version (signals below, plus `bump_catalog_version()` for bulk updates that
bypass signals), so a cached page is never served after a change; entries
also expire after a short lifetime because stock moves with checkouts.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

VERSION_KEY = "catalog:version"
RESPONSE_TTL_SECONDS = 30
CATALOG_MODELS = (
    "catalog.Product",
    "catalog.ProductVariant",
    "catalog.ProductImage",
    "catalog.Thumbnail",
    "catalog.Category",
    "sellers.Seller",
)


def catalog_version() -> int:
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


def bump_catalog_version(**_ignored: Any) -> None:
    """Invalidate now and again at commit, so no reader caches pre-commit data under the new version."""
    _incr()
    transaction.on_commit(_incr)


def response_key(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"gqlresp:{catalog_version()}:{digest}"


def get_response(key: str) -> bytes | None:
    value = cache.get(key)
    return value if isinstance(value, bytes) else None


def store_response(key: str, body: bytes) -> None:
    cache.set(key, body, timeout=RESPONSE_TTL_SECONDS)


def connect_signals() -> None:
    for label in CATALOG_MODELS:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        post_save.connect(bump_catalog_version, sender=model, dispatch_uid=f"catalog-version-save-{label}")
        post_delete.connect(bump_catalog_version, sender=model, dispatch_uid=f"catalog-version-delete-{label}")
