"""Input checks for sellers: tax codes, uploaded documents, slugs."""

from __future__ import annotations

import re
from typing import IO, Any

from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed
from backend.core.text import slug_from

# Vietnamese tax code (mã số thuế): 10 digits, or 10 digits + "-" + 3 for a branch.
_TAX_CODE = re.compile(r"\d{10}(-\d{3})?")

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Accepted document types, recognised by their first bytes (never by name or header).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def normalize_tax_code(raw: str | None, *, field: str = "taxCode") -> str:
    """'0312345678' or '0312345678-001' (spaces ignored); '' when not given."""
    text = re.sub(r"\s+", "", raw or "")
    if not text:
        return ""
    if not _TAX_CODE.fullmatch(text):
        raise ValidationFailed(
            _("A tax code has 10 digits, or 10 digits, a hyphen and 3 digits for a branch (0312345678-001)."),
            field=field,
        )
    return text


def slug_base(name: str) -> str:
    """'HTX Nông nghiệp Đà Lạt' → 'htx-nong-nghiep-da-lat' (diacritics and đ folded)."""
    return slug_from(name, fallback="seller")


def sniff_document_type(upload: IO[bytes] | Any) -> str | None:
    """The content type of a PDF/JPEG/PNG upload from its magic bytes, else None."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    head = upload.read(16)
    upload.seek(position)
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def check_document(upload: Any, *, field: str = "file") -> str:
    """Validate an uploaded document (size, type by content); returns its content type."""
    size = getattr(upload, "size", None)
    if upload is None or not size:
        raise ValidationFailed(_("Choose a file to upload."), code="REQUIRED", field=field)
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationFailed(_("The file is larger than 10 MB."), field=field)
    content_type = sniff_document_type(upload)
    if content_type is None:
        raise ValidationFailed(_("Upload a PDF, JPEG or PNG file."), field=field)
    return content_type
