"""Query/document text analysis shared by the search backends.

Everything here is plain Python so every backend folds and tokenizes the user's
text the same way (lowercase, diacritics stripped, đ → d) before it reaches the
engine, and no user text is ever parsed as query syntax.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

from backend.core.text import fold, search_key

__all__ = [
    "MAX_QUERY_CHARS",
    "MAX_QUERY_TERMS",
    "clean_query",
    "exact_tokens",
    "experience_intent",
    "fold",
    "fuzzy_distance",
    "has_diacritics",
    "joined_tokens",
    "search_key",
    "tokens",
]

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12

# A token is a run of letters/digits: the same split as tantivy's simple tokenizer
# and close to Elasticsearch's standard tokenizer for Vietnamese text.
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

# Folded words that signal the buyer wants an experience (tour, homestay...), not goods.
_EXPERIENCE_WORDS = frozenset({"tour", "homestay", "farmstay", "workshop", "glamping", "camping", "trekking"})
_EXPERIENCE_PHRASES = frozenset(
    {("trai", "nghiem"), ("tham", "quan"), ("luu", "tru"), ("cam", "trai"), ("nghi", "duong"), ("du", "lich")}
)


def clean_query(text: str) -> str:
    """Bound what a user can send: at most ~200 characters and 12 terms."""
    text = (text or "")[:MAX_QUERY_CHARS]
    words = text.split()
    return " ".join(words[:MAX_QUERY_TERMS])


def tokens(text: str) -> list[str]:
    """Folded tokens: "Cà phê Cầu Đất!" → ["ca", "phe", "cau", "dat"]."""
    return _TOKEN.findall(fold(text))


def exact_tokens(text: str) -> list[str]:
    """Lower-cased tokens that keep their diacritics (NFC): "Bơ 034" → ["bơ", "034"]."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text).lower())


def has_diacritics(text: str) -> bool:
    """Did the user type any Vietnamese accent (or đ)?"""
    return fold(text) != " ".join(text.lower().split())


def joined_tokens(text: str) -> list[str]:
    """Adjacent folded tokens glued together, plus the whole name glued:
    "Cà phê Cầu Đất" → ["caphe", "phecau", "caudat", "caphecaudat"], so "caphe" finds it."""
    toks = tokens(text)
    joined = [a + b for a, b in itertools.pairwise(toks)]
    if len(toks) > 2:
        joined.append("".join(toks))
    return joined


def experience_intent(query_tokens: list[str]) -> bool:
    """True when the (folded) query asks for a tour / homestay / trải nghiệm / workshop."""
    if any(t in _EXPERIENCE_WORDS for t in query_tokens):
        return True
    return any(pair in _EXPERIENCE_PHRASES for pair in itertools.pairwise(query_tokens))


def fuzzy_distance(term: str) -> int:
    """Elasticsearch-style AUTO fuzziness: 0 edits up to 2 chars, 1 up to 5, 2 beyond."""
    if len(term) <= 2:
        return 0
    if len(term) <= 5:
        return 1
    return 2
