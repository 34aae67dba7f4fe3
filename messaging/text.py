"""SMS text: Vietnamese folded to the GSM 7-bit alphabet, and how many segments a text costs.

Brandname SMS in Vietnam is usually sent without diacritics ("tin không dấu"): one GSM-7 segment holds
160 characters, a Unicode (UCS-2) one only 70, and every operator bills per segment. Segment sizes are
those of 3GPP TS 23.038 / 23.040 (GSM 03.38): 160 / 153 for GSM-7 (7 septets of each part go to the
concatenation header), 70 / 67 for UCS-2; the extension characters `^{}\\[~]|€` take two septets."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€")

# Typography that Vietnamese editors and templates produce, written the GSM way.
_TYPOGRAPHY = str.maketrans(
    {
        "“": '"',
        "”": '"',
        "„": '"',
        "‘": "'",
        "’": "'",
        "–": "-",
        "—": "-",
        "…": "...",
        "\u00a0": " ",
        "•": "-",
        "₫": "d",  # "150.000₫" -> "150.000d"
        "`": "'",
        "\t": " ",
    }
)


def fold_vietnamese(text: str) -> str:
    """ "Đơn hàng đã giao" -> "Don hang da giao": diacritics off (đ/Đ first: Unicode does not decompose them)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))


def to_gsm7(text: str) -> str:
    """The text as plain GSM-7 SMS: Vietnamese folded, typography mapped, anything else (emoji…) dropped."""
    folded = fold_vietnamese(unicodedata.normalize("NFC", text).translate(_TYPOGRAPHY))
    return "".join(ch for ch in folded if ch in GSM7_BASIC or ch in GSM7_EXTENSION)


def is_gsm7(text: str) -> bool:
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENSION for ch in text)


@dataclass(frozen=True)
class SmsLength:
    unicode: bool
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def sms_length(text: str) -> SmsLength:
    """Segments `text` costs as sent: GSM-7 when every character allows it, UCS-2 otherwise."""
    if is_gsm7(text):
        units = sum(2 if ch in GSM7_EXTENSION else 1 for ch in text)
        single, part = 160, 153
        unicode = False
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, part = 70, 67
        unicode = True
    segments = 1 if units <= single else math.ceil(units / part)
    return SmsLength(unicode=unicode, units=units, segments=segments)
