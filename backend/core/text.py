"""Vietnamese-aware text helpers: diacritics folding for search keys."""

from __future__ import annotations

import re
import unicodedata

from django.utils.text import slugify

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case, strip Vietnamese diacritics (đ → d) and collapse spaces.

    "Phường Xuân Hương - Đà Lạt" → "phuong xuan huong - da lat".
    """
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", text.lower()).strip()


def search_key(text: str) -> str:
    """`fold` without punctuation: the form stored for accent-free matching."""
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", fold(text).replace("'", ""))).strip()


def slug_from(text: str, *, max_length: int = 200, fallback: str = "item") -> str:
    """A URL slug of Vietnamese text: 'Dâu tây Đà Lạt' → 'dau-tay-da-lat'."""
    return slugify(fold(text))[:max_length].strip("-") or fallback


def first_free_slug(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… whichever is not in `taken`."""
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def format_dong(amount: int) -> str:
    """Whole đồng the Vietnamese way: 1250000 → "1.250.000 đ"."""
    return f"{amount:,}".replace(",", ".") + " đ"
