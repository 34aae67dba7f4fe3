"""Admin for reference data: browsable and searchable, add/delete for superusers only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from backend.accounts.models import User
from backend.regions.admin import CommuneAdmin, LegacyUnitAdmin
from backend.regions.models import Commune, LegacyUnit, Province


@pytest.fixture
def superuser(make_user: Callable[..., User]) -> User:
    return make_user(is_staff=True, is_superuser=True)


@pytest.fixture
def staff(make_user: Callable[..., User]) -> User:
    user = make_user(is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="regions"))
    return user


@pytest.mark.parametrize("model", [Province, Commune, LegacyUnit])
def test_changelists_and_change_pages_load(client: Client, regions: Any, superuser: User, model: type[Any]) -> None:
    client.force_login(superuser)
    name = model._meta.model_name
    assert client.get(reverse(f"admin:regions_{name}_changelist")).status_code == 200
    obj = model.objects.order_by("pk").first()
    assert client.get(reverse(f"admin:regions_{name}_change", args=[obj.pk])).status_code == 200


def test_search_ignores_diacritics(client: Client, regions: Any, superuser: User) -> None:
    client.force_login(superuser)
    response = client.get(reverse("admin:regions_commune_changelist"), {"q": "xuan huong"})
    assert response.status_code == 200
    assert "Phường Xuân Hương - Đà Lạt" in response.content.decode()

    for term in ("Tân Hà", "tan ha", "X. Tan Ha"):
        response = client.get(reverse("admin:regions_legacyunit_changelist"), {"q": term})
        # The whole filtered list, not its first page: namesakes exist all over the country.
        matches = response.context["cl"].queryset.filter(old_name="Xã Tân Hà", old_province_code__in=["60", "68"])
        assert {unit.old_district for unit in matches} == {"Huyện Lâm Hà", "Huyện Hàm Tân", "Huyện Đức Linh"}, term


def test_filters_work(client: Client, regions: Any, superuser: User) -> None:
    client.force_login(superuser)
    response = client.get(
        reverse("admin:regions_legacyunit_changelist"), {"transfer__exact": "part", "old_province": "Tỉnh Bình Thuận"}
    )
    assert response.context["cl"].result_count == 4
    response = client.get(reverse("admin:regions_commune_changelist"), {"kind__exact": "dac_khu"})
    assert response.context["cl"].result_count == 13


def test_staff_cannot_add_or_delete_reference_data(client: Client, regions: Any, staff: User) -> None:
    client.force_login(staff)
    commune = Commune.objects.first()
    assert commune is not None
    assert client.get(reverse("admin:regions_commune_changelist")).status_code == 200
    assert client.get(reverse("admin:regions_commune_add")).status_code == 403
    assert client.get(reverse("admin:regions_commune_delete", args=[commune.pk])).status_code == 403
    assert client.get(reverse("admin:regions_legacyunit_add")).status_code == 403


def test_saving_in_admin_refreshes_the_folded_keys(rf: Any, regions: Any, superuser: User) -> None:
    request = rf.post("/")
    request.user = superuser
    unit = LegacyUnit.objects.get(old_code="22915")
    unit.old_name = "Phường Mũi Né Mới"
    LegacyUnitAdmin(LegacyUnit, admin.site).save_model(request, unit, form=None, change=True)
    unit.refresh_from_db()
    assert unit.ward_key == "muinemoi"

    commune = Commune.objects.get(code="22918")
    commune.name = "Phường Mũi Né Xanh"
    CommuneAdmin(Commune, admin.site).save_model(request, commune, form=None, change=True)
    commune.refresh_from_db()
    assert commune.search_name == "phuong mui ne xanh"
