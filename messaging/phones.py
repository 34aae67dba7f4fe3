"""Vietnamese mobile numbers in the forms providers want: eSMS takes `0912345678`, ZNS `84912345678`."""

from __future__ import annotations

import phonenumbers
from phonenumbers import PhoneNumberType


def vietnamese_mobile(e164: str | None) -> str | None:
    """The national significant number (`912345678`) of a valid Vietnamese mobile in E.164, else None."""
    if not e164 or not e164.startswith("+84"):
        return None
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE):
        return None
    return str(number.national_number)


def national_form(e164: str | None) -> str | None:
    """`+84912345678` -> `0912345678` (None when not a Vietnamese mobile)."""
    significant = vietnamese_mobile(e164)
    return f"0{significant}" if significant else None


def international_digits(e164: str | None) -> str | None:
    """`+84912345678` -> `84912345678` (None when not a Vietnamese mobile)."""
    significant = vietnamese_mobile(e164)
    return f"84{significant}" if significant else None
