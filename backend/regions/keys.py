"""Compact folded keys for matching old unit names typed in every possible way.

"P.7, TP Đà Lạt", "tt lien nghia", "Xã Tân Hà, H. Lâm Hà": the keys drop
diacritics, unit-type words and their abbreviations, spaces and apostrophes,
so every way of typing a name gives the same key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from backend.core.text import search_key
from backend.regions.models import LegacyUnit

# Unit-type words and their abbreviations, folded, longest first so that
# "thi xa" wins over "xa". The second item is the old unit kind the word implies
# (used only to break ties such as "Thị trấn Ma Đa Guôi" vs "Xã Ma Đa Guôi").
_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        (
            (("thi", "tran"), "thị trấn"),
            (("thi", "xa"), ""),
            (("thanh", "pho"), ""),
            (("dac", "khu"), ""),
            (("phuong",), "phường"),
            (("xa",), "xã"),
            (("huyen",), ""),
            (("quan",), ""),
            (("tinh",), ""),
            (("tt",), "thị trấn"),
            (("tx",), ""),
            (("tp",), ""),
            (("p",), "phường"),
            (("x",), "xã"),
            (("h",), ""),
            (("q",), ""),
            (("t",), ""),
        ),
        key=lambda item: -len(item[0]),
    )
)
# "p7", "phuong7", "q1": a type letter glued to a number.
_GLUED_NUMBER = re.compile(r"(?:phuong|p|xa|x|quan|q)(\d+)")
# Spelling variants that are the same name: Đắk/Đăk/Đắc, Quí/Quý.
_SAME_TOKEN = {"dac": "dak", "qui": "quy"}


@lru_cache(maxsize=16384)
def unit_name_words(text: str) -> tuple[tuple[str, ...], str]:
    """(folded words of the name without its unit-type word, implied old kind).

    "TT. Liên Nghĩa" → (("lien", "nghia"), "thị trấn"); "p.07" → (("7",), "phường").
    """
    tokens = search_key(text).split()
    kind = ""
    for words, implied in _PREFIXES:
        # Keep the word when it is the whole name ("Xã" alone is no name).
        if len(tokens) > len(words) and tuple(tokens[: len(words)]) == words:
            tokens, kind = tokens[len(words) :], implied
            break
    else:
        if len(tokens) == 1 and (glued := _GLUED_NUMBER.fullmatch(tokens[0])):
            tokens = [glued.group(1)]
    # "07" and "7" are the same ward number.
    return tuple(str(int(token)) if token.isdigit() else _SAME_TOKEN.get(token, token) for token in tokens), kind


def split_unit_name(text: str) -> tuple[str, str]:
    """(compact key, implied old kind) of a unit name typed any way.

    "TT. Liên Nghĩa" → ("liennghia", "thị trấn"); "p.07" → ("7", "phường");
    "Đắk R'Lấp" / "Dak RLap" / "Đăk R Lấp" → ("dakrlap", "").
    """
    words, kind = unit_name_words(text)
    return "".join(words), kind


def legacy_key(text: str) -> str:
    """Compact matching key: folded, no unit-type word, no spaces/apostrophes.

    "H. Đức Trọng" → "ductrong"; "Thành phố Đà Lạt" / "tp da lat" → "dalat".
    """
    return split_unit_name(text)[0]


def fill_legacy_keys(unit: LegacyUnit) -> LegacyUnit:
    """Set the folded keys of a legacy row from its names (loader and admin)."""
    unit.ward_key = legacy_key(unit.old_name)
    alias_key = legacy_key(unit.old_name_alias) if unit.old_name_alias else ""
    unit.ward_alias_key = alias_key if alias_key != unit.ward_key else ""
    unit.district_key = legacy_key(unit.old_district)
    unit.district_before_2024_key = legacy_key(unit.old_district_before_2024) if unit.old_district_before_2024 else ""
    unit.province_key = legacy_key(unit.old_province)
    return unit


def accented_name(text: str) -> str:
    """Letters and digits with their diacritics, lower case: tells "Minh Quán" from "Minh Quân"."""
    return "".join(char for char in unicodedata.normalize("NFC", text.lower()) if char.isalnum())


def has_marks(text: str) -> bool:
    """Whether the text carries any Vietnamese diacritic (đ included)."""
    return "đ" in text.lower() or any(unicodedata.combining(char) for char in unicodedata.normalize("NFD", text))
