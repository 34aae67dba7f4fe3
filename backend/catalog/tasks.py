"""Catalog background work: thumbnails."""

from __future__ import annotations

from celery import shared_task

from backend.catalog.images import THUMBNAIL_SIZES, make_thumbnails


@shared_task(name="catalog.generate_thumbnails", ignore_result=True)
def generate_thumbnails(*, image_id: int, sizes: list[int] | None = None) -> int:
    """Render the WebP thumbnails of one product image (all allowed sizes by default)."""
    wanted = tuple(size for size in (sizes or THUMBNAIL_SIZES) if size in THUMBNAIL_SIZES)
    return len(make_thumbnails(image_id=image_id, sizes=wanted))
