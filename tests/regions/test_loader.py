"""Loading the national data and the curated overlay: counts, kinds, keys, idempotency."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.regions import sources
from backend.regions.loader import expected_counts, load_regions, region_data
from backend.regions.models import Commune, LegacyUnit, Province

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
LAM_DONG = json.loads((FIXTURES / "lam_dong_communes.json").read_text(encoding="utf-8"))
# Every former unit of the country, less those of Lâm Đồng's three former provinces (the curated map's).
LEGACY_ROWS = sum(1 for row in sources.library_legacy_map() if row.old_province_code not in {"60", "67", "68"})
COUNTS = {"provinces": 34, "communes": 3321, "legacy_units": LEGACY_ROWS + len(LAM_DONG["legacy_map"])}


def _empty_regions() -> None:
    LegacyUnit.objects.all().delete()
    Commune.objects.all().delete()
    Province.objects.all().delete()


@pytest.mark.django_db
def test_load_regions_loads_everything_once() -> None:
    _empty_regions()
    counts = load_regions()
    assert counts == COUNTS
    assert Province.objects.count() == 34
    assert Province.objects.filter(kind="thanh_pho").count() == 6
    assert Province.objects.filter(kind="tinh").count() == 28
    kinds = {kind: Commune.objects.filter(kind=kind).count() for kind in ("xa", "phuong", "dac_khu")}
    assert kinds == {"xa": 2621, "phuong": 687, "dac_khu": 13}
    lam_dong = Commune.objects.filter(province__code="68")
    assert {kind: lam_dong.filter(kind=kind).count() for kind in kinds} == {"xa": 103, "phuong": 20, "dac_khu": 1}
    assert LegacyUnit.objects.filter(commune__province__code="68").count() == len(LAM_DONG["legacy_map"]) == 335
    assert len(set(LegacyUnit.objects.values_list("old_province_code", flat=True))) == 63
    assert not Commune.objects.filter(latitude__isnull=True).exists()

    # Second run changes nothing and is nearly free (just the count checks).
    with CaptureQueriesContext(connection) as queries:
        assert load_regions() == counts
    assert len(queries) <= 3
    assert Province.objects.count() == 34
    assert LegacyUnit.objects.count() == COUNTS["legacy_units"]


@pytest.mark.django_db
def test_the_curated_file_wins_for_its_province() -> None:
    # The package spells it "Xã Đắk song" and numbers Hàm Liêm 23098; the curated file (GSO 1027) does not.
    assert Commune.objects.get(code="24718").name == "Xã Đắk Song"
    assert Commune.objects.get(code="23095").name == "Xã Hàm Liêm"
    assert not Commune.objects.filter(code="23098").exists()
    assert set(Commune.objects.filter(province__code="68").values_list("code", flat=True)) == {
        row["code"] for row in LAM_DONG["communes"]
    }
    split = LegacyUnit.objects.filter(old_name="Xã Phong Phú", old_province_code="60")
    assert {(unit.commune.name, unit.transfer) for unit in split} == {
        ("Xã Tuy Phong", "part"),
        ("Xã Phan Rí Cửa", "part"),
    }


@pytest.mark.django_db
def test_communes_carry_the_packages_coordinates() -> None:
    da_lat = Commune.objects.get(code="24778")  # Phường Lâm Viên - Đà Lạt (curated name, package coordinates)
    assert 11.8 < float(da_lat.latitude) < 12.1 and 108.3 < float(da_lat.longitude) < 108.6
    hoan_kiem = Commune.objects.get(province__code="01", name="Phường Hoàn Kiếm")
    assert 20.9 < float(hoan_kiem.latitude) < 21.1 and 105.8 < float(hoan_kiem.longitude) < 105.9


@pytest.mark.django_db
def test_slugs_are_unique_within_each_province() -> None:
    def slugs(*short_names: str) -> set[str]:
        return set(
            Commune.objects.filter(province__code="82", short_name__in=short_names).values_list("slug", flat=True)
        )

    # Đồng Tháp has "Phường Mỹ Tho" and "Xã Mỹ Thọ": their slugs keep the type word…
    assert slugs("Mỹ Tho", "Mỹ Thọ") == {"phuong-my-tho", "xa-my-tho"}
    # … and "Xã Tân Thành" and "Xã Tân Thạnh" a number, in code order.
    assert slugs("Tân Thành", "Tân Thạnh") == {"xa-tan-thanh", "xa-tan-thanh-2"}
    assert Commune.objects.get(code="22918").slug == "mui-ne"


@pytest.mark.django_db
def test_forced_reload_repairs_edited_rows() -> None:
    load_regions()
    Commune.objects.filter(code="22918").update(name="Sai tên", search_name="sai ten")
    LegacyUnit.objects.filter(old_code="22915").update(ward_key="broken")
    load_regions(force=True)
    assert Commune.objects.get(code="22918").name == "Phường Mũi Né"
    assert Commune.objects.get(code="22918").search_name == "phuong mui ne"
    assert LegacyUnit.objects.get(old_code="22915").ward_key == "muine"
    assert Commune.objects.count() == 3321


@pytest.mark.django_db
def test_missing_rows_are_added_back_without_force() -> None:
    load_regions()
    LegacyUnit.objects.filter(old_code="22915").delete()
    Commune.objects.filter(code="00070").delete()
    assert load_regions() == COUNTS
    assert Commune.objects.filter(code="00070", name="Phường Hoàn Kiếm").exists()


def test_keys_and_aliases_are_stored(regions: Any) -> None:
    unit = LegacyUnit.objects.get(old_code="25126")  # Thị trấn Đạ Tẻh, huyện Đạ Tẻh before 2024
    assert (unit.ward_key, unit.district_key, unit.district_before_2024_key, unit.province_key) == (
        "dateh",
        "dahuoai",
        "dateh",
        "lamdong",
    )
    assert unit.commune.name == "Xã Đạ Tẻh"
    renamed = LegacyUnit.objects.get(old_name="Phường Bình Hưng")
    assert renamed.old_name_alias == "Phường Hưng Long"
    assert renamed.ward_alias_key == "hunglong"
    phu_quy = Commune.objects.get(kind="dac_khu", province__code="68")
    assert (phu_quy.name, phu_quy.search_name) == ("Đặc khu Phú Quý", "dac khu phu quy")


@pytest.mark.django_db
def test_management_command_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "provinces=34" in out
    assert "communes=3321" in out
    assert f"legacy_units={COUNTS['legacy_units']}" in out


def test_expected_counts_match_the_data_loaded() -> None:
    assert expected_counts() == region_data().counts() == COUNTS


@pytest.mark.django_db
def test_the_counts_returned_are_the_callers_own() -> None:
    load_regions()["users"] = 5  # fixtures/demo.py adds its own counts to them
    assert "users" not in load_regions()
