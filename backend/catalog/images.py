"""Product images: validate and clean uploads, make WebP thumbnails once.

An upload is trusted only after Pillow has decoded it: the file name and the
declared content type are ignored. Cleaning re-encodes the pixels into a new
image, so EXIF (GPS position, camera serial), XMP and text chunks never reach
storage; the EXIF orientation is applied first so phone photos stay upright.
"""

from __future__ import annotations

import io
import logging
import uuid
import warnings
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from backend.catalog.models import ProductImage, Thumbnail
from backend.core.errors import ValidationFailed
from backend.core.safe_cache import guarded
from backend.outbox.publish import publish

logger = logging.getLogger(__name__)

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# Larger images are refused before their pixels are decoded (decompression bombs).
MAX_PIXELS = 40_000_000
# Pillow format name -> stored file extension.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
THUMBNAIL_SIZES = (128, 256, 512, 1024)
DEFAULT_THUMBNAIL_SIZE = 256
_PENDING_TTL_SECONDS = 10 * 60


def max_upload_bytes() -> int:
    return int(getattr(settings, "PRODUCT_IMAGE_MAX_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def thumbnail_size(requested: int | None) -> int:
    """The allowed size nearest to `requested` (ties go to the larger one)."""
    if requested is None:
        return DEFAULT_THUMBNAIL_SIZE
    return min(THUMBNAIL_SIZES, key=lambda size: (abs(size - requested), -size))


@dataclass(frozen=True)
class CleanImage:
    content: bytes
    extension: str
    width: int
    height: int


def _invalid(message: Any) -> ValidationFailed:
    return ValidationFailed(message, field="image")


def _decode(data: bytes) -> Image.Image:
    """Open, check format and size, then decode all pixels; any failure is INVALID."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise _invalid(_("Use a JPEG, PNG or WebP image."))
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise _invalid(_("The image has too many pixels (at most 40 megapixels)."))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise _invalid(_("The image has too many pixels (at most 40 megapixels).")) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
            raise _invalid(_("This file is not an image we can read.")) from None
    return image


def _pixels_only(image: Image.Image, image_format: str) -> Image.Image:
    """A new image holding only the pixels (upright), in a mode the format can store."""
    upright = ImageOps.exif_transpose(image) or image
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    if image_format == "JPEG":
        mode = "L" if upright.mode in ("1", "L") else "RGB"
    elif image_format == "PNG" and upright.mode in ("1", "L", "LA", "RGB", "RGBA"):
        mode = upright.mode
    else:
        mode = "RGBA" if has_alpha else "RGB"
    converted = upright if upright.mode == mode else upright.convert(mode)
    return Image.frombytes(mode, converted.size, converted.tobytes())


def clean_upload(upload: IO[bytes], *, size: int | None = None) -> CleanImage:
    """Validate an uploaded file and return it re-encoded without metadata.

    Raises ValidationFailed (field "image") for files that are too large, not
    a JPEG/PNG/WebP, undecodable or with more than MAX_PIXELS pixels.
    """
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise _invalid(_("The image is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024) or 1})
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _invalid(_("The image is too large (at most %(mb)s MB).") % {"mb": limit // (1024 * 1024) or 1})
    if not data:
        raise _invalid(_("This file is not an image we can read."))
    image = _decode(data)
    image_format = str(image.format)
    icc_profile = image.info.get("icc_profile")
    clean = _pixels_only(image, image_format)
    options: dict[str, Any] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options.update(quality=88, optimize=True)
    elif image_format == "WEBP":
        options.update(quality=85)
    else:
        options.update(optimize=True)
    buffer = io.BytesIO()
    clean.save(buffer, image_format, **options)
    return CleanImage(
        content=buffer.getvalue(),
        extension=ALLOWED_FORMATS[image_format],
        width=clean.width,
        height=clean.height,
    )


def stored_name(extension: str) -> str:
    """A random file name: the uploader's file name (often personal) is never kept."""
    return f"{uuid.uuid4().hex}.{extension}"


def _render(image: ProductImage, size: int) -> tuple[bytes, int, int]:
    with image.image.open("rb") as source:
        picture: Image.Image = Image.open(source)
        picture.load()
    if picture.mode not in ("RGB", "RGBA"):
        has_alpha = picture.mode in ("LA", "PA") or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue(), picture.width, picture.height


def thumbnail_for(image: ProductImage, size: int) -> Thumbnail:
    """The WebP thumbnail of `image` at an allowed `size`, rendered on first use only."""
    existing = Thumbnail.objects.filter(image=image, size=size).first()
    if existing is not None:
        return existing
    content, width, height = _render(image, size)
    stem = image.image.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    thumbnail = Thumbnail(image=image, size=size)
    thumbnail.file.save(f"{stem}-{size}.webp", ContentFile(content), save=False)
    thumbnail.width, thumbnail.height = width, height  # set after the file, which resets them
    try:
        with transaction.atomic():
            thumbnail.save()
    except IntegrityError:  # made meanwhile by another worker: keep theirs
        thumbnail.file.delete(save=False)
        return Thumbnail.objects.get(image=image, size=size)
    return thumbnail


def make_thumbnails(*, image_id: int, sizes: tuple[int, ...] = THUMBNAIL_SIZES) -> list[Thumbnail]:
    image = ProductImage.objects.filter(pk=image_id).first()
    if image is None:
        return []
    return [thumbnail_for(image, size) for size in sizes]


def request_thumbnail(*, image_id: int, size: int) -> None:
    """Ask a worker for a missing thumbnail; a listing never renders images itself.

    Without a broker (eager Celery) nothing is queued: uploads render every
    size already, and `manage.py make_thumbnails` fills older images.
    """
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        return
    key = f"catalog:thumbnail-pending:{image_id}:{size}"
    # Cache down: no request is made (the page shows the original; make_thumbnails fills gaps).
    if not guarded("thumbnail request", lambda: cache.add(key, 1, timeout=_PENDING_TTL_SECONDS), False):
        return
    kwargs = {"image_id": image_id, "sizes": [size]}
    transaction.on_commit(lambda: publish("catalog.generate_thumbnails", kwargs=kwargs), robust=True)
