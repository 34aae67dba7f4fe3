"""Matching our places to a carrier's master data: spellings, prefixes, repeated ward names, ties,
merged districts, two-tier carriers, and a clear list of what could not be matched."""

from __future__ import annotations

from typing import Any

import pytest

from shipping.base import CarrierPlace, CarrierUnit, MasterData, UnitLevel
from shipping.locations import AMBIGUOUS, NO_DISTRICT, NOT_FOUND, OurUnit, match_locations, place_key

P, D, W = UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.WARD
MASTER = MasterData(
    carrier_id="demo",
    provinces=(CarrierUnit(P, "209", "Lâm Đồng"), CarrierUnit(P, "210", "Bình Thuận")),
    districts=(
        CarrierUnit(D, "1550", "TP. Đà Lạt", "209"),
        CarrierUnit(D, "1560", "Huyện Lâm Hà", "209"),
        CarrierUnit(D, "1570", "Huyện Đạ Huoai", "209"),
        CarrierUnit(D, "1580", "Huyện Đắk R'Lấp", "209"),
        CarrierUnit(D, "2010", "Thị xã La Gi", "210"),
        CarrierUnit(D, "2020", "Huyện Hàm Tân", "210"),
    ),
    wards=(
        CarrierUnit(W, "a7", "Phường 7", "1550"),
        CarrierUnit(W, "a12", "Phường 12", "1550"),
        CarrierUnit(W, "th1", "Xã Tân Hà", "1560"),
        CarrierUnit(W, "th2", "Xã Tân Hà", "2020"),
        CarrierUnit(W, "md1", "Thị trấn Ma Đa Guôi", "1570"),
        CarrierUnit(W, "md2", "Xã Ma Đa Guôi", "1570"),
        CarrierUnit(W, "kn", "Xã Kiến Thành", "1580"),
        CarrierUnit(W, "dup1", "Xã Tân Phước", "2010"),
        CarrierUnit(W, "dup2", "Xa Tan Phuoc", "2010"),
    ),
)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("P. 7", "Phường 07"),
        ("p7", "Phường 7"),
        ("TP Đà Lạt", "Thành phố Đà Lạt"),
        ("H. Đắk R'Lấp", "Huyện Đăk RLấp"),
        ("Huyện Phú Quí", "Phú Quý"),
        ("TX La Gi", "thi xa la gi"),
        ("Tỉnh Lâm Đồng", "LÂM ĐỒNG"),
        ("THỊ TRẤN LIÊN NGHĨA", "TT. Liên Nghĩa"),
    ],
)
def test_spellings_that_name_the_same_place(left: str, right: str) -> None:
    assert place_key(left)[0] == place_key(right)[0]


def _unit(key: str, ward: str, district: str, province: str = "Lâm Đồng", **extra: Any) -> OurUnit:
    return OurUnit(key=key, ward_name=ward, district_name=district, province_name=province, **extra)


def test_repeated_ward_names_are_told_apart_by_their_district() -> None:
    result = match_locations(
        [_unit("x", "Xã Tân Hà", "Huyện Lâm Hà"), _unit("y", "Tân Hà", "Hàm Tân", "Tỉnh Bình Thuận")], MASTER
    )
    assert result.mapping == {"x": CarrierPlace("209", "1560", "th1"), "y": CarrierPlace("210", "2020", "th2")}
    assert result.unmatched == ()


def test_a_township_and_a_commune_of_the_same_name_are_told_apart_by_the_type_word() -> None:
    result = match_locations([_unit("t", "TT Ma Đa Guôi", "Đạ Huoai"), _unit("c", "Xã Ma Đa Guôi", "Đạ Huoai")], MASTER)
    assert result.mapping["t"].ward_id == "md1" and result.mapping["c"].ward_id == "md2"


def test_a_district_merged_in_2024_is_found_by_its_new_name() -> None:
    unit = _unit("m", "Thị trấn Ma Đa Guôi", "Huyện Đạ Tẻh", district_aliases=("Huyện Đạ Huoai",))
    assert match_locations([unit], MASTER).mapping == {"m": CarrierPlace("209", "1570", "md1")}


def test_what_cannot_be_matched_is_listed_with_where_and_why() -> None:
    units = [
        _unit("p", "Phường 7", "Đà Lạt", "Hà Giang"),
        _unit("d", "Phường 7", "Huyện Không Có"),
        _unit("w", "Phường 99", "Đà Lạt"),
        _unit("a", "Tân Phước", "La Gi", "Bình Thuận"),
        OurUnit(key="n", ward_name="Phường Xuân Hương - Đà Lạt", province_name="Lâm Đồng"),
    ]
    result = match_locations(units, MASTER)
    assert result.mapping == {}
    assert [(u.unit.key, u.level, u.reason) for u in result.unmatched] == [
        ("p", P, NOT_FOUND),
        ("d", D, NOT_FOUND),
        ("w", W, NOT_FOUND),
        ("a", W, AMBIGUOUS),
        ("n", D, NO_DISTRICT),
    ]
    assert result.unmatched[3].candidates == ("Xa Tan Phuoc", "Xã Tân Phước")


def test_a_carrier_already_on_two_tiers_maps_2025_communes() -> None:
    master = MasterData(
        carrier_id="two-tier",
        provinces=(CarrierUnit(P, "68", "Tỉnh Lâm Đồng"),),
        wards=(
            CarrierUnit(W, "24781", "Phường Xuân Hương - Đà Lạt", "68"),
            CarrierUnit(W, "24958", "Xã Đức Trọng", "68"),
        ),
    )
    units = [OurUnit(key="24958", ward_name="Xã Đức Trọng", province_name="Lâm Đồng")]
    assert match_locations(units, master).mapping == {"24958": CarrierPlace(province_id="68", ward_id="24958")}


def test_official_codes_decide_when_the_carrier_gives_them() -> None:
    master = MasterData(
        carrier_id="coded",
        provinces=(CarrierUnit(P, "68", "Lâm Đồng"),),
        districts=(CarrierUnit(D, "672", "Đà Lạt", "68", code="672"),),
        wards=(CarrierUnit(W, "x", "P. Hai", "672", code="24781"),),  # a name we would not recognise
    )
    unit = _unit("24781", "Phường 2", "Thành phố Đà Lạt", ward_code="24781")
    assert match_locations([unit], master).mapping == {"24781": CarrierPlace("68", "672", "x")}
