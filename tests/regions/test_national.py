"""Every province: official commune counts, accent-free search, and old addresses of the 63 former provinces."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from vietnamadminunits import convert_address

from backend.core.text import fold
from backend.regions import sources
from backend.regions.keys import has_marks, legacy_key
from backend.regions.selectors import province_get, province_summaries
from backend.regions.services import convert_legacy_address
from tests.conftest import GQL

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
PROVINCES = json.loads((FIXTURES / "provinces.json").read_text(encoding="utf-8"))["provinces"]
LAM_DONG_FORMER = {"60", "67", "68"}  # the curated map's (tests/regions/test_legacy_convert.py)

COMMUNES = """
query Communes($province: String, $search: String) {
  communes(province: $province, search: $search, first: 100) { totalCount edges { node { code name } } }
}
"""


def _communes(gql: GQL, **variables: Any) -> dict[str, Any]:
    result = gql(COMMUNES, variables)
    assert not result.errors, result.errors
    return result.data["communes"]


@pytest.mark.parametrize("province", PROVINCES, ids=[p["slug"] for p in PROVINCES])
def test_communes_of_every_province(gql: GQL, regions: Any, province: dict[str, Any]) -> None:
    official = province["commune_level_units"]["total"]  # GSO 1027/CTK-CSCL
    in_package = sum(1 for row in sources.library_communes() if row.province_code == province["code"])
    assert _communes(gql, province=province["slug"])["totalCount"] == official == in_package
    assert _communes(gql, province=province["short_name"])["totalCount"] == official

    # The first commune with diacritics, found by its name typed without them.
    commune = next(
        row for row in sources.library_communes() if row.province_code == province["code"] and has_marks(row.short_name)
    )
    if province["code"] == "68":  # the curated names win there
        commune = next(row for row in sources.library_communes() if row.code == "24778")
    found = _communes(gql, province=province["slug"], search=fold(commune.short_name))
    assert commune.code in {edge["node"]["code"] for edge in found["edges"]}, commune


def test_the_country_has_3321_communes(gql: GQL, regions: Any) -> None:
    assert _communes(gql)["totalCount"] == 3321 == len(sources.library_communes())
    summaries = list(province_summaries())
    assert len(summaries) == 34
    assert sum(p.commune_count for p in summaries) == 3321
    assert {p.code: p.commune_count for p in summaries} == {
        p["code"]: p["commune_level_units"]["total"] for p in PROVINCES
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [("bac-ninh", "24"), ("24", "24"), ("Bắc Ninh", "24"), ("tinh bac ninh", "24"), ("TP HCM", "79"), ("hcm", "79")],
)
def test_province_lookup(regions: Any, value: str, code: str) -> None:
    province = province_get(value)
    assert province is not None and province.code == code
    assert province_get("Atlantis") is None


def _samples() -> dict[str, list[sources.LegacyRow]]:
    """Per former province: three units whose name is unique in their district, and one split unit."""
    by_province: dict[str, list[sources.LegacyRow]] = defaultdict(list)
    for row in sources.library_legacy_map():
        if row.old_province_code not in LAM_DONG_FORMER:
            by_province[row.old_province_code].append(row)
    samples = {}
    for code, rows in sorted(by_province.items()):
        names: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in rows:
            names[(legacy_key(row.old_name), legacy_key(row.old_district))].add(row.old_code)
        whole = sorted(
            (
                row
                for row in rows
                if row.transfer == "whole" and len(names[(legacy_key(row.old_name), legacy_key(row.old_district))]) == 1
            ),
            key=lambda row: row.old_code,
        )
        split = [row for row in rows if row.transfer == "part"]
        samples[code] = [whole[0], whole[len(whole) // 2], whole[-1], *split[:1]]
    return samples


SAMPLES = _samples()
_ABBREVIATIONS = [
    ("thi tran ", "TT. "),
    ("phuong ", "P."),
    ("xa ", "x "),
    ("huyen ", "H. "),
    ("thanh pho ", "TP "),
    ("thi xa ", "TX. "),
    ("quan ", "Q."),
    ("tinh ", ""),
]


def _messy(name: str) -> str:
    """How people type it: no accents, abbreviated unit type, odd case and spacing."""
    folded = fold(name)
    for word, abbreviation in _ABBREVIATIONS:
        if folded.startswith(word):
            return f" {abbreviation}{folded[len(word) :].upper()}  "
    return folded.upper()


def test_samples_cover_the_63_former_provinces() -> None:
    assert len(SAMPLES) == 63 - len(LAM_DONG_FORMER)
    assert sum(len(rows) for rows in SAMPLES.values()) > 3 * 60


@pytest.mark.parametrize("old_province", sorted(SAMPLES))
def test_old_addresses_of_every_former_province(regions: Any, old_province: str) -> None:
    targets: dict[str, set[str]] = defaultdict(set)
    for row in sources.library_legacy_map():
        if row.old_province_code == old_province:
            targets[row.old_code].add(row.new_code)
    for row in SAMPLES[old_province]:
        for ward, district, province in [
            (row.old_name, row.old_district, row.old_province),
            (_messy(row.old_name), _messy(row.old_district), _messy(row.old_province)),
        ]:
            result = convert_legacy_address(ward=ward, district=district, province=province)
            label = (ward, district, province, result)
            if row.transfer == "part":
                assert result.commune is None, label
                assert {c.code for c in result.candidates} == targets[row.old_code], label
                assert [e.code for e in result.errors] == ["AMBIGUOUS"], label
            else:
                assert result.errors == [], label
                assert result.commune is not None and result.commune.code == row.new_code, label


@pytest.mark.parametrize("old_province", sorted(SAMPLES)[::6])
def test_the_packages_own_converter_agrees(regions: Any, old_province: str) -> None:
    """An independent path: vietnamadminunits parses the whole address itself."""
    for row in SAMPLES[old_province][:3]:
        ours = convert_legacy_address(ward=row.old_name, district=row.old_district, province=row.old_province).commune
        theirs = convert_address(f"{row.old_name}, {row.old_district}, {row.old_province}")
        assert ours is not None and sources.name_key(ours.name) == sources.name_key(theirs.ward), (row, theirs)


@pytest.mark.parametrize(
    ("ward", "district", "province", "new_name", "new_province"),
    [
        # Former Bắc Giang (now Bắc Ninh), Nam Định (now Ninh Bình), Hồ Chí Minh City and its short forms.
        ("Phường Trần Hưng Đạo", "Thành phố Nam Định", "Tỉnh Nam Định", "Phường Nam Định", "37"),
        ("Phuong Tran Hung Daoo", "TP Nam Dinh", "Nam Dinh", "Phường Nam Định", "37"),  # one letter too many
        ("Xã Ninh Hải", "Huyện Hoa Lư", "Ninh Bình", "Phường Nam Hoa Lư", "37"),
        ("P. 1", "Q. 3", "TP.HCM", "Phường Bàn Cờ", "79"),
        ("phuong ben nghe", "quan 1", "tp ho chi minh", "Phường Sài Gòn", "79"),
        ("Phường Phúc Xá", "Q. Ba Đình", "HN", "Phường Hồng Hà", "01"),
        # The old address with today's province.
        ("Phường Trần Hưng Đạo", "TP Nam Định", "Ninh Bình", "Phường Nam Định", "37"),
        # An island district that had no communes: the ward may be empty, or the district's name again.
        ("", "Huyện Côn Đảo", "Bà Rịa - Vũng Tàu", "Đặc khu Côn Đảo", "79"),
        ("Côn Đảo", "H. Côn Đảo", "BRVT", "Đặc khu Côn Đảo", "79"),
        ("", "Lý Sơn", "Quảng Ngãi", "Đặc khu Lý Sơn", "51"),
        # Two communes of one district whose names differ only by their marks: the marks decide.
        ("Xã Minh Quân", "Huyện Trấn Yên", "Tỉnh Yên Bái", "Phường Âu Lâu", "15"),
        ("Xã Minh Quán", "Huyện Trấn Yên", "Tỉnh Yên Bái", "Xã Trấn Yên", "15"),
    ],
)
def test_messy_national_addresses(
    regions: Any, ward: str, district: str, province: str, new_name: str, new_province: str
) -> None:
    result = convert_legacy_address(ward=ward, district=district, province=province)
    assert result.errors == []
    assert result.commune is not None
    assert (result.commune.name, result.commune.province.code) == (new_name, new_province)


def test_bare_namesakes_are_never_guessed(regions: Any) -> None:
    # Without the marks, "Minh Quan" may be Minh Quân or Minh Quán.
    result = convert_legacy_address(ward="Xa Minh Quan", district="Tran Yen", province="Yen Bai")
    assert result.commune is None
    assert {c.name for c in result.candidates} == {"Phường Âu Lâu", "Xã Trấn Yên"}
    assert [e.code for e in result.errors] == ["AMBIGUOUS"]


def test_a_split_ward_outside_lam_dong_asks(regions: Any) -> None:
    result = convert_legacy_address(ward="P. 15", district="Q. Tân Bình", province="TP HCM")
    assert result.commune is None
    assert {c.name for c in result.candidates} == {"Phường Tân Bình", "Phường Tân Sơn"}
    assert [(e.code, e.field) for e in result.errors] == [("AMBIGUOUS", "ward")]


@pytest.mark.parametrize(
    ("ward", "district"),
    [
        ("TT Chu", "H. Luc Ngan"),
        ("Thị trấn Chũ", "Huyện Lục Ngạn"),
        ("Xã Hồng Giang", "Lục Ngạn"),
        ("Phường Chũ", "Thị xã Chũ"),
        ("Xã Nghĩa Hồ", "Lục Ngạn"),  # merged into Chũ before the reform: the package's ward alias
    ],
)
def test_a_district_split_before_the_reform_converts_under_its_old_name(regions: Any, ward: str, district: str) -> None:
    # Thị trấn Chũ and its neighbours were in Huyện Lục Ngạn until Thị xã Chũ was made of them early
    # in 2025; the package's parser knows the old district (and the older ward names) as aliases.
    result = convert_legacy_address(ward=ward, district=district, province="Bac Giang")
    assert result.commune is not None, (result.candidates, result.errors)
    assert result.commune.name == "Phường Chũ" and result.commune.province.code == "24"


def test_an_unknown_district_falls_back_to_the_ward(regions: Any) -> None:
    # "Huyện Cũ" is no district of former Nam Định: the ward, unique in the province, decides.
    result = convert_legacy_address(ward="Phường Trần Hưng Đạo", district="Huyện Cũ", province="Nam Định")
    assert result.commune is not None and result.commune.name == "Phường Nam Định"


def test_not_found_suggests_communes_of_the_district(regions: Any) -> None:
    result = convert_legacy_address(ward="Phường Không Có", district="Quận Ba Đình", province="Hà Nội")
    assert result.commune is None
    assert [(e.code, e.field) for e in result.errors] == [("NOT_FOUND", "ward")]
    assert 1 <= len(result.candidates) <= 5
    assert all(c.province.code == "01" for c in result.candidates)
