"""The packages' data against the curated Lâm Đồng file: every known difference, and no new one.

The curated file (fixtures/regions/lam_dong_communes.json, from Resolution
1671/NQ-UBTVQH15 and GSO letter 1027/CTK-CSCL) wins when loading. If a package
upgrade changes anything here, this test fails and lists the new lines: check
them against the sources before accepting them into KNOWN.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command

from backend.regions.loader import overlays
from backend.regions.reconcile import overlay_differences, province_differences

KNOWN = [
    # Tone-mark placement (Thủy / Thuỷ), one lower-case letter, one code.
    "commune 22924: name 'Phường Phú Thủy', package 'Phường Phú Thuỷ'",
    "commune 'Xã Hàm Liêm': code 23095, package 23098",
    "commune 24718: name 'Xã Đắk Song', package 'Xã Đắk song'",
    # The two split communes: the package's converter picks one side; the curated map asks the user.
    "former unit 22978 'Xã Phong Phú': split; the package's converter picks 22972 by default",
    "former unit 23053 'Xã Hòa Thắng': split; the package's converter picks 23053 by default",
    # Spellings of former units (the map's targets agree).
    "former unit 23140 'Xã Thuận Quí': package spells it 'Xã Thuận Quý'",
    "former unit 23218 'Xã Vũ Hoà': package spells it 'Xã Vũ Hòa'",
    'former unit 24618 "Xã Đăk R\'Moan": package spells it "Xã Đắk R\'Moan"',
    "former unit 24620 'Xã Quảng Hoà': package spells it 'Xã Quảng Hòa'",
    "former unit 24652 'Xã Đắk DRông': package spells it \"Xã Đắk D'rông\"",
    "former unit 24694 'Xã Buôn Choah': package spells it 'Xã Buôn Choáh'",
    'former unit 24727 "Xã Đắk N\'Dung": package spells it "Xã Đắk N\'Drung"',
    "former unit 24832 'Xã Đạm Bri': package spells it \"Xã Đamb'ri\"",
    'former unit 24859 "Xã Đạ M\' Rong": package spells it "Xã Đạ M\'Rông"',
    'former unit 24889 "Xã Đạ K\' Nàng": package spells it "Xã Đạ K\'Nàng"',
    'former unit 25069 "Xã B\' Lá": package spells it "Xã B\'Lá"',
    # Units of the 2024-merged Đạ Huoai district that the package no longer lists (kept as aliases).
    'former unit 25102 "Xã Đạ M\'ri": not in the package',
    "former unit 25174 'Xã Mỹ Lâm': not in the package",
    "former unit 25177 'Xã Tư Nghĩa': not in the package",
    "former unit 25186 'Xã Phù Mỹ': not in the package",
]


def test_lam_dong_differences_are_the_known_ones() -> None:
    (lam_dong,) = [overlay for overlay in overlays() if overlay.province_code == "68"]
    differences = overlay_differences(lam_dong)
    assert [line for line in differences if line not in KNOWN] == [], "new difference(s)"
    assert [line for line in KNOWN if line not in differences] == [], "difference(s) gone: update KNOWN"


def test_the_34_provinces_agree_with_the_curated_list() -> None:
    # Names, kinds and commune counts (GSO 1027/CTK-CSCL) of fixtures/regions/provinces.json.
    assert province_differences() == []


def test_every_curated_file_is_reconciled() -> None:
    # A new curated province file needs its own list of known differences here.
    assert [overlay.province_code for overlay in overlays()] == ["68"]


def test_check_command_lists_the_differences(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_regions", "--check")
    out = capsys.readouterr().out
    assert f"lam_dong_communes.json against vietnam-provinces 2025.10.1, vietnamadminunits 1.0.4: {len(KNOWN)}" in out
    assert "Xã Hàm Liêm': code 23095, package 23098" in out
