"""Loading fixtures/regions: counts, kinds, keys, idempotency."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.regions.loader import load_regions
from backend.regions.models import Commune, LegacyUnit, Province

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "regions"
LAM_DONG = json.loads((FIXTURES / "lam_dong_communes.json").read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_load_regions_loads_everything_once() -> None:
    counts = load_regions()
    assert counts == {"provinces": 34, "communes": 124, "legacy_units": 335}
    assert Province.objects.count() == 34
    assert Province.objects.filter(kind="thanh_pho").count() == 6
    assert Province.objects.filter(kind="tinh").count() == 28
    kinds = {kind: Commune.objects.filter(kind=kind).count() for kind in ("xa", "phuong", "dac_khu")}
    assert kinds == {"xa": 103, "phuong": 20, "dac_khu": 1}
    assert LegacyUnit.objects.count() == len(LAM_DONG["legacy_map"])

    # Second run changes nothing and is nearly free (just the count checks).
    with CaptureQueriesContext(connection) as queries:
        assert load_regions() == counts
    assert len(queries) <= 3
    assert Province.objects.count() == 34
    assert LegacyUnit.objects.count() == 335


@pytest.mark.django_db
def test_forced_reload_repairs_edited_rows() -> None:
    load_regions()
    Commune.objects.filter(code="22918").update(name="Sai tên", search_name="sai ten")
    LegacyUnit.objects.filter(old_code="22915").update(ward_key="broken")
    load_regions(force=True)
    assert Commune.objects.get(code="22918").name == "Phường Mũi Né"
    assert Commune.objects.get(code="22918").search_name == "phuong mui ne"
    assert LegacyUnit.objects.get(old_code="22915").ward_key == "muine"
    assert Commune.objects.count() == 124


@pytest.mark.django_db
def test_missing_rows_are_added_back_without_force() -> None:
    load_regions()
    LegacyUnit.objects.filter(old_code="22915").delete()
    assert load_regions()["legacy_units"] == 335


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
    phu_quy = Commune.objects.get(kind="dac_khu")
    assert (phu_quy.name, phu_quy.search_name) == ("Đặc khu Phú Quý", "dac khu phu quy")


@pytest.mark.django_db
def test_management_command_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_regions")
    out = capsys.readouterr().out
    assert "provinces=34" in out
    assert "communes=124" in out
    assert "legacy_units=335" in out
