"""Vietnamese-aware text helpers: diacritics folding for search keys."""

from __future__ import annotations

import re
import unicodedata

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
