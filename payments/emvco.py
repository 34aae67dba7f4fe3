"""EMVCo merchant-presented QR payloads for NAPAS VietQR (reference §4).

Each field is ``ID(2) + LEN(2, decimal) + VALUE``; the CRC (field 63) is
CRC-16/CCITT-FALSE over the whole payload including the literal ``6304``.
Pure stdlib, no I/O.
"""

from __future__ import annotations

import re
import unicodedata

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"

_BIN_RE = re.compile(r"^\d{6}$")
_ACCOUNT_RE = re.compile(r"^[A-Za-z0-9]{1,19}$")


def crc16_ccitt_false(data: str | bytes) -> str:
    """CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) as 4 uppercase hex digits."""
    raw = data.encode("ascii") if isinstance(data, str) else data
    crc = 0xFFFF
    for byte in raw:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return f"{crc:04X}"


def tlv(field_id: str, value: str) -> str:
    """One EMVCo data object. Values must be printable ASCII of at most 99 characters."""
    if not re.fullmatch(r"\d{2}", field_id):
        raise ValueError(f"bad EMVCo field id {field_id!r}")
    if not value.isascii() or not value.isprintable():
        raise ValueError(f"EMVCo field {field_id} must be printable ASCII: {value!r}")
    if not 0 < len(value) <= 99:
        raise ValueError(f"EMVCo field {field_id} must be 1..99 characters, got {len(value)}")
    return f"{field_id}{len(value):02d}{value}"


def ascii_fold(text: str) -> str:
    """Strip Vietnamese diacritics (``đ`` -> ``d``) and drop whatever is still not ASCII."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isascii() and not unicodedata.combining(ch))


def sanitize_memo(text: str) -> str:
    """A transfer memo bank apps keep intact: ASCII letters, digits and single spaces."""
    folded = re.sub(r"[^A-Za-z0-9 ]+", " ", ascii_fold(text))
    return re.sub(r" +", " ", folded).strip()


def vietqr_payload(
    *,
    bank_bin: str,
    account: str,
    amount: int | None = None,
    purpose: str | None = None,
    service_code: str = SERVICE_TO_ACCOUNT,
) -> str:
    """Build a VietQR payload; dynamic (``010212``) when an amount is set, static (``010211``) otherwise.

    ``purpose`` goes into field 62, sub-field 08 (purpose of transaction) verbatim; pass it through
    :func:`sanitize_memo` first when it comes from user text.
    """
    if not _BIN_RE.fullmatch(bank_bin):
        raise ValueError(f"bank BIN must be 6 digits, got {bank_bin!r}")
    if not _ACCOUNT_RE.fullmatch(account):
        raise ValueError(f"account must be 1..19 letters/digits, got {account!r}")
    if service_code not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise ValueError(f"unknown NAPAS service code {service_code!r}")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0):
        raise ValueError(f"amount must be a positive whole number of dong, got {amount!r}")

    beneficiary = tlv("00", bank_bin) + tlv("01", account)
    merchant_account = tlv("00", NAPAS_GUID) + tlv("01", beneficiary) + tlv("02", service_code)
    parts = [
        tlv("00", "01"),
        tlv("01", "12" if amount is not None else "11"),
        tlv("38", merchant_account),
        tlv("53", CURRENCY_VND),
    ]
    if amount is not None:
        parts.append(tlv("54", str(amount)))
    parts.append(tlv("58", COUNTRY_VN))
    if purpose:
        parts.append(tlv("62", tlv("08", purpose)))
    body = "".join(parts) + "6304"
    return body + crc16_ccitt_false(body)


def parse_tlv(payload: str) -> dict[str, str]:
    """Split one level of EMVCo data objects (for tests and diagnostics)."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(payload):
        if i + 4 > len(payload):
            raise ValueError("truncated EMVCo data object")
        field_id, length = payload[i : i + 2], int(payload[i + 2 : i + 4])
        value = payload[i + 4 : i + 4 + length]
        if len(value) != length:
            raise ValueError("truncated EMVCo data object")
        fields[field_id] = value
        i += 4 + length
    return fields


def check_crc(payload: str) -> bool:
    """True when the payload ends in a ``6304`` CRC that matches the rest."""
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return crc16_ccitt_false(payload[:-4]) == payload[-4:].upper()
