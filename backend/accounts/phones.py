"""Vietnamese phone numbers, normalised to E.164 (+84…)."""

from __future__ import annotations

import phonenumbers
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed


def normalize_vn_phone(raw: str, *, field: str = "phone") -> str:
    """'0903 123 456', '+84 903-123-456', '84903123456' → '+84903123456'.

    Raises ValidationFailed when the number is not a valid Vietnamese number.
    """
    text = (raw or "").strip()
    if not text:
        raise ValidationFailed(_("Enter a phone number."), code="REQUIRED", field=field)
    if text.startswith("84") and not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        number = None
    valid = number is not None and phonenumbers.is_valid_number(number)
    if number is None or not valid or phonenumbers.region_code_for_number(number) != "VN":
        raise ValidationFailed(
            _("Enter a valid Vietnamese phone number, e.g. 0903 123 456."), code="INVALID", field=field
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
