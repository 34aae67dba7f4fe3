"""Query rewriting shared by every backend: English and informal names of the
province's products to the Vietnamese words the catalog uses (folded).
Elasticsearch also has its synonym filter; the embedded engine relies on this."""

from __future__ import annotations

import re

from backend.core.text import fold

# Longest phrases first so "dragon fruit" wins over "fruit".
REWRITES: dict[str, str] = {
    "passion fruit": "chanh day",
    "dragon fruit": "thanh long",
    "fish sauce": "nuoc mam",
    "sweet potato": "khoai lang",
    "black pepper": "ho tieu",
    "green tea": "tra xanh",
    "oolong": "o long",
    "strawberries": "dau tay",
    "strawberry": "dau tay",
    "durian": "sau rieng",
    "avocado": "bo",
    "artichoke": "atiso",
    "macadamia": "mac ca",
    "persimmon": "hong",
    "mangosteen": "mang cut",
    "coffee": "ca phe",
    "cafe": "ca phe",
    "caphe": "ca phe",
    "honey": "mat ong",
    "silk": "lua to tam",
    "cashew": "hat dieu",
    "cashews": "hat dieu",
    "peanuts": "dau phong",
    "wine": "ruou vang",
    "rice": "gao",
    "tea": "tra",
    "pepper": "tieu",
    "nha nghi": "homestay",
}
_PATTERN = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(REWRITES, key=len, reverse=True)) + r")\b")


def rewrite(query: str) -> str:
    """'Da Lat strawberry' → 'da lat dau tay'. Queries without known words are returned unchanged."""
    folded = fold(query)
    if not _PATTERN.search(folded):
        return query
    return _PATTERN.sub(lambda match: REWRITES[match.group(1)], folded)
