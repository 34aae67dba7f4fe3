"""legacyAddressConvert: every row of the legacy map, messy spellings, GraphQL."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from backend.core.text import fold
from backend.regions.services import LegacyConversion, convert_legacy_address
from tests.conftest import GQL

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
LEGACY_MAP: list[dict[str, Any]] = json.loads((FIXTURES / "lam_dong_communes.json").read_text(encoding="utf-8"))[
    "legacy_map"
]

# All new communes each former unit (old code) went to: two for split units.
TARGETS: dict[str, set[str]] = defaultdict(set)
for _row in LEGACY_MAP:
    TARGETS[_row["old_code"]].add(_row["new_code"])


_ABBREVIATIONS = [("thi tran ", "tt. "), ("phuong ", "p."), ("xa ", "x. "), ("huyen ", "h. "), ("thanh pho ", "tp ")]
_ABBREVIATIONS += [("thi xa ", "tx "), ("tinh ", "")]


def _messy(name: str) -> str:
    """How people type it: no accents, abbreviated unit type, odd spacing."""
    folded = fold(name)
    for word, abbreviation in _ABBREVIATIONS:
        if folded.startswith(word):
            return "  " + abbreviation + folded[len(word) :].upper() + " "
    return folded


def _codes(communes: list[Any]) -> set[str]:
    return {commune.code for commune in communes}


def _check(row: dict[str, Any], result: LegacyConversion) -> bool:
    if row["transfer"] == "whole":
        return (
            result.commune is not None
            and result.commune.code == row["new_code"]
            and not result.errors
            and _codes(result.candidates) == {row["new_code"]}
        )
    return (
        result.commune is None
        and _codes(result.candidates) == TARGETS[row["old_code"]]
        and len(TARGETS[row["old_code"]]) == 2
        and [e.code for e in result.errors] == ["AMBIGUOUS"]
    )


def test_every_legacy_row_converts(regions: Any) -> None:
    """Every row, with its exact old names, typed messily, and with the new province."""
    failures = []
    for row in LEGACY_MAP:
        districts = [row["old_district"]]
        if "old_district_before_2024_merger" in row:
            districts.append(row["old_district_before_2024_merger"])
        for district in districts:
            variants = [
                (row["old_name"], district, row["old_province"]),
                (_messy(row["old_name"]), _messy(district), _messy(row["old_province"])),
                (row["old_name"], district, "Tỉnh Lâm Đồng"),
            ]
            for ward, district_typed, province in variants:
                result = convert_legacy_address(ward=ward, district=district_typed, province=province)
                if not _check(row, result):
                    failures.append((ward, district_typed, province, row["new_name"], result))
    assert not failures, failures[:5]


def test_typos_never_give_a_wrong_commune(regions: Any) -> None:
    """One extra letter in a ward name: the right commune or none, never another."""
    for row in LEGACY_MAP[::4]:
        typo = fold(row["old_name"]) + "h"
        result = convert_legacy_address(ward=typo, district=row["old_district"], province=row["old_province"])
        assert result.commune is None or result.commune.code in TARGETS[row["old_code"]], (typo, result)
        assert result.commune is not None or result.errors


@pytest.mark.parametrize(
    ("ward", "district", "province", "new_name"),
    [
        # Abbreviations, no accents, lower case, extra spaces.
        ("P. 7", "TP Đà Lạt", "Lâm Đồng", "Phường Lang Biang - Đà Lạt"),
        ("p.7", "tp da lat", "lam dong", "Phường Lang Biang - Đà Lạt"),
        ("Phường 07", "Thành phố Đà Lạt", "Tỉnh Lâm Đồng", "Phường Lang Biang - Đà Lạt"),
        ("TT. Liên Nghĩa", "H. Đức Trọng", "Tỉnh Lâm Đồng", "Xã Đức Trọng"),
        ("tt lien nghia", "duc trong", "lam dong", "Xã Đức Trọng"),
        ("  Thị   trấn  Liên Nghĩa ", "  HUYỆN ĐỨC TRỌNG", "LÂM ĐỒNG", "Xã Đức Trọng"),
        # Numbered wards: the district decides.
        ("Phường 1", "Đà Lạt", "Lâm Đồng", "Phường Xuân Hương - Đà Lạt"),
        ("Phường 01", "TP. Bảo Lộc", "Lâm Đồng", "Phường 1 Bảo Lộc"),
        ("phuong 2", "bao loc", "lam dong", "Phường 2 Bảo Lộc"),
        # Apostrophes, Đắk/Đăk, old provinces with or without "Tỉnh" and accents.
        ("Xa Dak RMang", "Dak Glong", "Dak Nong", "Xã Tà Đùng"),
        ("Đắk R Măng", "Huyện Đắk Glong", "Tỉnh Đăk Nông", "Xã Tà Đùng"),
        ("Long Hai", "Phu Quy", "Binh Thuan", "Đặc khu Phú Quý"),
        ("Xã Sông Phan", "Huyện Hàm Tân", "Tinh Binh Thuan", "Xã Tân Lập"),
        ("Lộc Tân", "Bảo Lâm", "Lâm Đồng", "Phường 2 Bảo Lộc"),
        # The new province with an old district of a merged-in province.
        ("Phường Mũi Né", "TP Phan Thiết", "Lâm Đồng", "Phường Mũi Né"),
        # Districts merged in 2024, cited by their old names.
        ("Thị trấn Đạ Tẻh", "Huyện Đạ Tẻh", "Lâm Đồng", "Xã Đạ Tẻh"),
        ("xa quoc oai", "da teh", "lam dong", "Xã Đạ Tẻh 3"),
        ("Xã Quảng Ngãi", "Cát Tiên", "Lâm Đồng", "Xã Cát Tiên"),
        ("xa dong nai thuong", "huyen cat tien", "lam dong", "Xã Cát Tiên 3"),
        ("Xã Quảng Ngãi", "Đạ Huoai", "Lâm Đồng", "Xã Cát Tiên"),
        # Spellings of the resolution and names before a rename.
        ("Phường Hưng Long", "Phan Thiết", "Bình Thuận", "Phường Phan Thiết"),
        ("Xã Pró", "Đơn Dương", "Lâm Đồng", "Xã Quảng Lập"),
        ("N' Thôn Hạ", "Đức Trọng", "Lâm Đồng", "Xã Tân Hội"),
        # Small typos, with the district matching exactly (or the reverse).
        ("Xa Hiep Tanh", "Duc Trong", "Lam Dong", "Xã Hiệp Thạnh"),
        ("Liên Nghĩa", "Đức Trọnng", "Lâm Đồng", "Xã Đức Trọng"),
        ("Liên Nghĩa", "Đức Trọng", "Lam Dongg", "Xã Đức Trọng"),
        # No district: fine when the ward is unique in the province.
        ("TT Liên Nghĩa", "", "Lâm Đồng", "Xã Đức Trọng"),
    ],
)
def test_messy_spellings_convert(regions: Any, ward: str, district: str, province: str, new_name: str) -> None:
    result = convert_legacy_address(ward=ward, district=district, province=province)
    assert result.errors == []
    assert result.commune is not None
    assert result.commune.name == new_name


@pytest.mark.parametrize(
    ("district", "province", "new_name"),
    [
        ("Huyện Lâm Hà", "Tỉnh Lâm Đồng", "Xã Tân Hà Lâm Hà"),
        ("Hàm Tân", "Bình Thuận", "Xã Hàm Tân"),
        ("H. Đức Linh", "binh thuan", "Xã Trà Tân"),
    ],
)
def test_tan_ha_resolves_by_district(regions: Any, district: str, province: str, new_name: str) -> None:
    result = convert_legacy_address(ward="Xã Tân Hà", district=district, province=province)
    assert result.commune is not None
    assert result.commune.name == new_name


def test_same_ward_name_without_district_is_never_guessed(regions: Any) -> None:
    result = convert_legacy_address(ward="Tân Hà", district="", province="")
    assert result.commune is None
    # The three of former Lâm Đồng and Bình Thuận, and namesakes elsewhere in the country.
    assert {"Xã Tân Hà Lâm Hà", "Xã Hàm Tân", "Xã Trà Tân"} < {c.name for c in result.candidates}
    assert [(e.code, e.field) for e in result.errors] == [("AMBIGUOUS", "district")]

    result = convert_legacy_address(ward="Tân Hà", district="", province="Bình Thuận")
    assert {c.name for c in result.candidates} == {"Xã Hàm Tân", "Xã Trà Tân"}
    assert [(e.code, e.field) for e in result.errors] == [("AMBIGUOUS", "district")]

    result = convert_legacy_address(ward="Phường 1", district="", province="Lâm Đồng")
    assert result.commune is None
    assert {c.name for c in result.candidates} == {"Phường Xuân Hương - Đà Lạt", "Phường 1 Bảo Lộc"}


@pytest.mark.parametrize(
    ("ward", "district", "expected"),
    [
        ("phong phu", "tuy phong", {"Xã Tuy Phong", "Xã Phan Rí Cửa"}),
        ("X. Hòa Thắng", "H. Bắc Bình", {"Xã Hồng Thái", "Xã Hòa Thắng"}),
    ],
)
def test_split_units_ask_the_user(regions: Any, ward: str, district: str, expected: set[str]) -> None:
    result = convert_legacy_address(ward=ward, district=district, province="Bình Thuận")
    assert result.commune is None
    assert {c.name for c in result.candidates} == expected
    assert [(e.code, e.field) for e in result.errors] == [("AMBIGUOUS", "ward")]


def test_wrong_district_is_not_found_with_the_namesakes_suggested(regions: Any) -> None:
    result = convert_legacy_address(ward="Xã Tân Hà", district="Di Linh", province="Lâm Đồng")
    assert result.commune is None
    assert [e.code for e in result.errors] == ["NOT_FOUND"]
    assert "Xã Tân Hà Lâm Hà" in {c.name for c in result.candidates}


def test_numbers_are_never_typos(regions: Any) -> None:
    # Đà Lạt had wards 1–12: "Phường 13" must not become "Phường 1" or "Phường 3".
    result = convert_legacy_address(ward="Phường 13", district="Đà Lạt", province="Lâm Đồng")
    assert result.commune is None
    assert [e.code for e in result.errors] == ["NOT_FOUND"]


def test_no_match_gives_not_found_and_suggestions(regions: Any) -> None:
    result = convert_legacy_address(ward="Phường Không Có", district="TP Đà Lạt", province="Lâm Đồng")
    assert result.commune is None
    assert [(e.code, e.field) for e in result.errors] == [("NOT_FOUND", "ward")]
    assert 1 <= len(result.candidates) <= 5
    # Same district first: the new communes of former Đà Lạt.
    assert all(c.name.endswith("Đà Lạt") for c in result.candidates[:3])


def test_new_commune_name_typed_as_ward_is_suggested_first(regions: Any) -> None:
    result = convert_legacy_address(ward="Xuân Hương", district="Đà Lạt", province="Lâm Đồng")
    assert result.commune is None
    assert [e.code for e in result.errors] == ["NOT_FOUND"]
    assert result.candidates[0].name == "Phường Xuân Hương - Đà Lạt"


def test_unknown_province_is_reported(regions: Any) -> None:
    result = convert_legacy_address(ward="Phường 7", district="Đà Lạt", province="Tỉnh Không Có")
    assert result.commune is None
    assert [(e.code, e.field) for e in result.errors] == [("NOT_FOUND", "province"), ("NOT_FOUND", "ward")]
    assert result.candidates[0].name == "Phường Lang Biang - Đà Lạt"


def test_wrong_province_suggests_the_ward_and_district_where_they_exist(regions: Any) -> None:
    # Hà Nội is a real former province, but had no Phường 7 in a district "Đà Lạt".
    result = convert_legacy_address(ward="Phường 7", district="Đà Lạt", province="Hà Nội")
    assert result.commune is None
    assert [(e.code, e.field) for e in result.errors] == [("NOT_FOUND", "ward")]
    assert result.candidates[0].name == "Phường Lang Biang - Đà Lạt"


def test_empty_ward_is_required(regions: Any) -> None:
    result = convert_legacy_address(ward="  Xã . ", district="Đà Lạt", province="Lâm Đồng")
    assert [(e.code, e.field) for e in convert_legacy_address(ward=" ", district="", province="").errors] == [
        ("REQUIRED", "ward")
    ]
    assert result.commune is None


CONVERT = """
query Convert($ward: String!, $district: String!, $province: String!) {
  legacyAddressConvert(ward: $ward, district: $district, province: $province) {
    commune { id code name kind province { code slug } }
    candidates { code name }
    errors { field code message }
  }
}
"""


def _convert(gql: GQL, ward: str, district: str, province: str, **kwargs: Any) -> dict[str, Any]:
    result = gql(CONVERT, {"ward": ward, "district": district, "province": province}, **kwargs)
    assert not result.errors, result.errors
    return result.data["legacyAddressConvert"]


def test_graphql_converts_an_old_address(gql: GQL, regions: Any) -> None:
    data = _convert(gql, "TT. Liên Nghĩa", "H. Đức Trọng", "Lâm Đồng")
    assert data["errors"] == []
    assert data["commune"]["name"] == "Xã Đức Trọng"
    assert data["commune"]["kind"] == "xa"
    assert data["commune"]["province"] == {"code": "68", "slug": "lam-dong"}
    assert [c["name"] for c in data["candidates"]] == ["Xã Đức Trọng"]

    data = _convert(gql, "Xã Long Hải", "Huyện Phú Quí", "Tỉnh Bình Thuận")
    assert (data["commune"]["name"], data["commune"]["kind"]) == ("Đặc khu Phú Quý", "dac_khu")


def test_graphql_tan_ha_three_districts(gql: GQL, regions: Any) -> None:
    names = {
        _convert(gql, "Tân Hà", district, province)["commune"]["name"]
        for district, province in [("Lâm Hà", "Lâm Đồng"), ("Hàm Tân", "Bình Thuận"), ("Đức Linh", "Bình Thuận")]
    }
    assert len(names) == 3


def test_graphql_split_unit_is_ambiguous(gql: GQL, regions: Any) -> None:
    data = _convert(gql, "Xã Phong Phú", "Huyện Tuy Phong", "Tỉnh Bình Thuận", lang="en")
    assert data["commune"] is None
    assert {c["name"] for c in data["candidates"]} == {"Xã Tuy Phong", "Xã Phan Rí Cửa"}
    assert [(e["code"], e["field"]) for e in data["errors"]] == [("AMBIGUOUS", "ward")]
    assert "choose" in data["errors"][0]["message"]


def test_graphql_not_found_in_english_and_default_language(gql: GQL, regions: Any) -> None:
    english = _convert(gql, "Phường Không Có", "Đà Lạt", "Lâm Đồng", lang="en")
    assert english["commune"] is None
    assert [e["code"] for e in english["errors"]] == ["NOT_FOUND"]
    assert english["errors"][0]["message"].startswith("We could not find this former address")
    assert english["candidates"]

    default = _convert(gql, "Phường Không Có", "Đà Lạt", "Lâm Đồng")
    assert [e["code"] for e in default["errors"]] == ["NOT_FOUND"]
    assert default["errors"][0]["message"]
    assert [c["code"] for c in default["candidates"]] == [c["code"] for c in english["candidates"]]
