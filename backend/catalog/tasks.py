"""Catalog background work: thumbnails (all sizes of an upload through the outbox; one missing size
on request through Celery, best effort: `manage.py make_thumbnails` fills any gap)."""

from __future__ import annotations

from celery import shared_task

from backend.catalog.images import THUMBNAIL_SIZES, make_thumbnails
from backend.outbox.registry import handler


@shared_task(name="catalog.generate_thumbnails", ignore_result=True)
def generate_thumbnails(*, image_id: int, sizes: list[int] | None = None) -> int:
    """Render the WebP thumbnails of one product image (all allowed sizes by default)."""
    wanted = tuple(size for size in (sizes or THUMBNAIL_SIZES) if size in THUMBNAIL_SIZES)
    return len(make_thumbnails(image_id=image_id, sizes=wanted))


@handler("catalog.thumbnails")
def render_upload_thumbnails(image_id: int) -> int:
    """Every allowed size of a new upload (idempotent: an existing thumbnail is kept)."""
    return len(make_thumbnails(image_id=image_id, sizes=THUMBNAIL_SIZES))
