"""Input checks for sellers: tax codes, personal ID numbers, uploaded documents, slugs.

The structure of the numbers is checked by `identity.numbers` (the adapter package); this module turns
its codes into localized field errors. A message never repeats the number typed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed
from backend.core.text import slug_from
from identity.numbers import InvalidNumber, NumberError, parse_cccd, parse_tax_code

NUMBER_MESSAGES: dict[NumberError, str | Promise] = {
    NumberError.CCCD_FORMAT: _("A personal identification number (CCCD) has exactly 12 digits."),
    NumberError.CCCD_UNKNOWN_PROVINCE: _(
        "The first three digits of a CCCD number are the province of birth: these are no province's code."
    ),
    NumberError.CCCD_CENTURY_MISMATCH: _(
        "The fourth digit of the CCCD number (century and sex) does not match the date of birth."
    ),
    NumberError.CCCD_SEX_MISMATCH: _("The fourth digit of the CCCD number does not match the sex given."),
    NumberError.CCCD_BIRTH_YEAR_MISMATCH: _(
        "The fifth and sixth digits of the CCCD number are the year of birth: they do not match the date of birth."
    ),
    NumberError.CCCD_BIRTH_IN_FUTURE: _("This CCCD number encodes a year of birth still to come."),
    NumberError.TAX_CODE_LENGTH: _(
        "A tax code has 10 digits, or 13 for a branch (10 digits, a hyphen and 3: 0312345673-001)."
    ),
    NumberError.TAX_CODE_FORMAT: _("A tax code is made of digits only (a hyphen before a branch's 3 digits)."),
    NumberError.TAX_CODE_COMPONENT: _("This tax code has a zero sequence or branch 000: no such code is issued."),
    NumberError.TAX_CODE_CHECKSUM: _("This tax code's 10th digit is not its check digit: check it for a typo."),
}

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

# Accepted document types, recognised by their first bytes (never by name or header).
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def _number_error(exc: InvalidNumber, field: str) -> ValidationFailed:
    return ValidationFailed(NUMBER_MESSAGES[exc.code], field=field)


def normalize_tax_code(raw: str | None, *, field: str = "taxCode") -> str:
    """'0312345673' or '0312345673-001' (spaces ignored, a 13-digit code gets its dash); '' when not given.

    The 10th digit must be the official check digit (weights 31, 29, 23, 19, 17, 13, 7, 5, 3)."""
    text = re.sub(r"\s+", "", raw or "")
    if not text:
        return ""
    try:
        return parse_tax_code(text).formatted
    except InvalidNumber as exc:
        raise _number_error(exc, field) from None


def normalize_personal_id(raw: str | None, *, birth_date: date | None = None, field: str = "personalId") -> str:
    """The 12 digits of a CCCD number (spaces and dots ignored), checked against the birth date when given."""
    text = re.sub(r"[\s.]+", "", raw or "")
    if not text:
        return ""
    try:
        return parse_cccd(text, birth_date=birth_date).number.reveal()
    except InvalidNumber as exc:
        raise _number_error(exc, field) from None


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
