"""Review photos through the catalog's image pipeline: decoded and validated by Pillow, re-encoded
without metadata (EXIF, GPS position), stored under a random name, with a WebP thumbnail made at
upload (a review has at most five photos, so there is nothing to defer)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import IO, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from backend.catalog.images import CleanImage, clean_upload, stored_name
from backend.core.errors import ValidationFailed
from backend.reviews.models import Review, ReviewPhoto

THUMBNAIL_SIZE = 256


def clean_photos(uploads: Sequence[IO[bytes]], *, already: int = 0) -> list[CleanImage]:
    """Every upload validated and cleaned (before anything is written); at most REVIEW_MAX_PHOTOS in all."""
    if already + len(uploads) > settings.REVIEW_MAX_PHOTOS:
        raise ValidationFailed(
            _("A review has at most %(n)s photos.") % {"n": settings.REVIEW_MAX_PHOTOS}, field="photos"
        )
    cleaned = []
    for upload in uploads:
        try:
            cleaned.append(clean_upload(upload, size=getattr(upload, "size", None)))
        except ValidationFailed as exc:
            raise ValidationFailed(exc.details[0].message, field="photos") from None
    return cleaned


def _thumbnail(content: bytes) -> bytes:
    picture: Any = Image.open(io.BytesIO(content))
    if picture.mode not in ("RGB", "RGBA"):
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    picture.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def store_photos(review: Review, photos: Sequence[CleanImage], *, start: int = 0) -> list[ReviewPhoto]:
    stored = []
    for position, clean in enumerate(photos, start=start):
        photo = ReviewPhoto(review=review, position=position)
        name = stored_name(clean.extension)
        photo.image.save(name, ContentFile(clean.content), save=False)
        photo.thumbnail.save(
            f"{name.rsplit('.', 1)[0]}-{THUMBNAIL_SIZE}.webp", ContentFile(_thumbnail(clean.content)), save=False
        )
        photo.save()
        stored.append(photo)
    return stored
