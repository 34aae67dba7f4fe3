"""Province admin permission helpers (used by moderation in later apps)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from backend.accounts.models import ProvinceAdminScope
from backend.accounts.permissions import (
    Act,
    admin_province_ids,
    ensure_may,
    is_province_admin_for,
    moderated_communes_q,
    place_of,
)
from backend.accounts.selectors import province_admins
from backend.core.errors import PermissionDenied
from backend.regions.models import Commune, LegacyUnit, Province
from tests.accounts.operations import ME

# This module builds its own small world of provinces and communes.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_regions")]


@pytest.fixture
def lam_dong() -> Province:
    return Province.objects.create(
        code="68",
        name="Tỉnh Lâm Đồng",
        short_name="Lâm Đồng",
        slug="lam-dong",
        kind="tinh",
        search_name="tinh lam dong",
    )


@pytest.fixture
def khanh_hoa() -> Province:
    return Province.objects.create(
        code="56",
        name="Tỉnh Khánh Hòa",
        short_name="Khánh Hòa",
        slug="khanh-hoa",
        kind="tinh",
        search_name="tinh khanh hoa",
    )


def make_commune(province: Province, code: str, name: str, slug: str) -> Commune:
    return Commune.objects.create(
        code=code, name=name, short_name=name, slug=slug, kind="xa", province=province, search_name=slug
    )


def legacy_unit(commune: Commune) -> LegacyUnit:
    return LegacyUnit.objects.create(
        old_code=commune.code,
        old_name=commune.name,
        old_kind="xã",
        old_district="Huyện Cũ",
        old_district_code="001",
        old_province="Tỉnh Cũ",
        old_province_code="00",
        commune=commune,
        transfer=LegacyUnit.Transfer.WHOLE,
    )


@pytest.fixture
def communes(lam_dong: Province, khanh_hoa: Province) -> dict[str, Commune]:
    return {
        "di_linh": make_commune(lam_dong, "24976", "Xã Di Linh", "di-linh"),
        "lac_duong": make_commune(lam_dong, "24847", "Xã Lạc Dương", "lac-duong"),
        "cam_lam": make_commune(khanh_hoa, "22519", "Xã Cam Lâm", "cam-lam"),
    }


def test_whole_province_scope(make_user: Any, lam_dong: Province, communes: dict[str, Commune]) -> None:
    admin = make_user()
    ProvinceAdminScope.objects.create(user=admin, province=lam_dong)

    assert is_province_admin_for(user=admin, commune=communes["di_linh"])
    assert is_province_admin_for(user=admin, commune=communes["lac_duong"])
    assert not is_province_admin_for(user=admin, commune=communes["cam_lam"])
    ensure_may(actor=admin, act=Act.SELLER_APPROVE, place=place_of(commune=communes["di_linh"]))
    with pytest.raises(PermissionDenied):
        ensure_may(actor=admin, act=Act.SELLER_APPROVE, place=place_of(commune=communes["cam_lam"]))
    assert admin_province_ids(admin) == {lam_dong.pk}


def test_scope_limited_to_some_communes(make_user: Any, lam_dong: Province, communes: dict[str, Commune]) -> None:
    admin = make_user()
    scope = ProvinceAdminScope.objects.create(user=admin, province=lam_dong)
    scope.communes.add(communes["di_linh"])

    assert is_province_admin_for(user=admin, commune=communes["di_linh"])
    assert not is_province_admin_for(user=admin, commune=communes["lac_duong"])
    assert set(Commune.objects.filter(moderated_communes_q(admin, field=""))) == {communes["di_linh"]}
    assert list(province_admins(province_id=lam_dong.pk, commune_id=communes["di_linh"].pk)) == [admin]
    assert list(province_admins(province_id=lam_dong.pk, commune_id=communes["lac_duong"].pk)) == []


def test_superuser_moderates_everywhere(make_user: Any, communes: dict[str, Commune]) -> None:
    root = make_user(is_superuser=True)

    assert all(is_province_admin_for(user=root, commune=c) for c in communes.values())
    assert admin_province_ids(root) == set(Province.objects.values_list("pk", flat=True))
    assert Commune.objects.filter(moderated_communes_q(root, field="")).count() == 3


@pytest.mark.parametrize("who", ["buyer", "anonymous", "inactive admin"])
def test_others_moderate_nowhere(who: str, make_user: Any, lam_dong: Province, communes: dict[str, Commune]) -> None:
    if who == "anonymous":
        user: Any = AnonymousUser()
    elif who == "buyer":
        user = make_user()
    else:
        user = make_user(is_active=False)
        ProvinceAdminScope.objects.create(user=user, province=lam_dong)

    assert not is_province_admin_for(user=user, commune=communes["di_linh"])
    with pytest.raises(PermissionDenied):
        ensure_may(actor=user, act=Act.SELLER_APPROVE, place=place_of(commune=communes["di_linh"]))
    assert admin_province_ids(user) == frozenset()
    assert not Commune.objects.filter(moderated_communes_q(user, field="")).exists()


def test_whole_province_filter(make_user: Any, lam_dong: Province, communes: dict[str, Commune]) -> None:
    admin = make_user()
    ProvinceAdminScope.objects.create(user=admin, province=lam_dong)

    kept = Commune.objects.filter(moderated_communes_q(admin, field=""))
    assert set(kept) == {communes["di_linh"], communes["lac_duong"]}
    # The usual shape: rows with a `commune` foreign key (sellers, products; here legacy units).
    units = {name: legacy_unit(commune) for name, commune in communes.items()}
    assert set(LegacyUnit.objects.filter(moderated_communes_q(admin))) == {units["di_linh"], units["lac_duong"]}
    assert list(province_admins(province_id=lam_dong.pk, commune_id=communes["lac_duong"].pk)) == [admin]


def test_me_reports_province_admin(gql: Any, make_user: Any, lam_dong: Province) -> None:
    admin = make_user()
    ProvinceAdminScope.objects.create(user=admin, province=lam_dong)

    assert gql(ME, user=admin).data["me"]["isProvinceAdmin"] is True
    assert gql(ME, user=make_user()).data["me"]["isProvinceAdmin"] is False
    assert gql(ME, user=make_user(is_superuser=True)).data["me"]["isProvinceAdmin"] is True
