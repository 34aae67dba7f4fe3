"""The folding used to match old addresses typed in every possible way."""

from __future__ import annotations

import pytest

from backend.regions.keys import legacy_key, split_unit_name


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("TT. Liên Nghĩa", "liennghia"),
        ("Thị trấn Liên Nghĩa", "liennghia"),
        ("tt lien nghia", "liennghia"),
        ("p.7", "7"),
        ("P. 7", "7"),
        ("P7", "7"),
        ("Phường 07", "7"),
        ("phuong 7", "7"),
        ("H. Đức Trọng", "ductrong"),
        ("Huyện Đức Trọng", "ductrong"),
        ("tp da lat", "dalat"),
        ("TP. Đà Lạt", "dalat"),
        ("Thành phố Đà Lạt", "dalat"),
        ("  Thành   phố  ĐÀ LẠT ", "dalat"),
        ("TX. La Gi", "lagi"),
        ("Thị xã La Gi", "lagi"),
        ("Q. 1", "1"),
        ("Tỉnh Lâm Đồng", "lamdong"),
        ("T. Lâm Đồng", "lamdong"),
        ("X. Tân Hà", "tanha"),
        ("Xã Tân Hà", "tanha"),
        ("Đắk R'Lấp", "dakrlap"),
        ("Dak RLap", "dakrlap"),
        ("Đăk R Lấp", "dakrlap"),
        ("Huyện Đắk R'Lấp", "dakrlap"),
        ("Huyện Phú Quí", "phuquy"),
        ("Phú Quý", "phuquy"),
    ],
)
def test_legacy_key_folds_prefixes_abbreviations_and_spellings(typed: str, key: str) -> None:
    assert legacy_key(typed) == key


def test_type_word_alone_is_kept_as_the_name() -> None:
    # "Xã" with nothing after it is not a unit type followed by a name.
    assert legacy_key("Xã") == "xa"
    assert legacy_key("") == ""


def test_prefix_implies_the_old_kind() -> None:
    assert split_unit_name("TT Ma Đa Guôi") == ("madaguoi", "thị trấn")
    assert split_unit_name("Xã Ma Đa Guôi") == ("madaguoi", "xã")
    assert split_unit_name("P.7") == ("7", "phường")
    assert split_unit_name("Ma Đa Guôi") == ("madaguoi", "")
