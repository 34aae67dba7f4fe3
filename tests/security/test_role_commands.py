"""manage.py create_province_admin / create_platform_staff: idempotent, and they say what they did."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from backend.accounts.models import User
from backend.accounts.permissions import Act, may, place_of
from backend.regions.models import Commune

pytestmark = pytest.mark.django_db

PASSWORD = "Cán-bộ-Lâm-Đồng-2026"
DI_LINH, LAM_VIEN = "24976", "24778"


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_create_province_admin_is_idempotent_and_prints_what_it_did(regions: None) -> None:
    first = run("create_province_admin", "CanBo@LamDong.vn", "--province", "lam-dong", "--password", PASSWORD)
    assert "created the account canbo@lamdong.vn" in first
    assert "made canbo@lamdong.vn a province admin of Tỉnh Lâm Đồng" in first
    admin = User.objects.get(email="canbo@lamdong.vn")
    assert admin.check_password(PASSWORD) and admin.is_staff and not admin.is_superuser
    assert not admin.is_platform_staff
    assert may(admin, Act.SELLER_APPROVE, place_of(commune=Commune.objects.get(code=DI_LINH)))

    again = run("create_province_admin", "canbo@lamdong.vn", "--province", "lam-dong", "--password", PASSWORD)
    assert again.strip() == "canbo@lamdong.vn: already a province admin of Tỉnh Lâm Đồng, unchanged"
    admin.refresh_from_db()
    assert admin.token_version == 0  # the same password again revoked nothing


def test_commune_scope_narrows_and_widens(regions: None) -> None:
    run("create_province_admin", "xa@lamdong.vn", "--province", "lam-dong", "--commune", DI_LINH)
    admin = User.objects.get(email="xa@lamdong.vn")
    assert not admin.has_usable_password()
    di_linh, lam_vien = Commune.objects.get(code=DI_LINH), Commune.objects.get(code=LAM_VIEN)
    assert may(admin, Act.SELLER_APPROVE, place_of(commune=di_linh))
    assert not may(admin, Act.SELLER_APPROVE, place_of(commune=lam_vien))

    widened = run("create_province_admin", "xa@lamdong.vn", "--province", "lam-dong")
    assert "scope of xa@lamdong.vn: the whole of Tỉnh Lâm Đồng" in widened
    assert may(admin, Act.SELLER_APPROVE, place_of(commune=lam_vien))

    moved = run("create_province_admin", "xa@lamdong.vn", "--province", "ha-noi")
    assert "moved xa@lamdong.vn from Tỉnh Lâm Đồng to Thành phố Hà Nội" in moved
    assert not may(admin, Act.SELLER_APPROVE, place_of(commune=lam_vien))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--province", "atlantis"], "No province"),
        (["--province", "lam-dong", "--commune", "00000"], "No commune"),
        (["--province", "ha-noi", "--commune", DI_LINH], "outside"),
        (["--province", "lam-dong", "--password", "123"], "too short"),
    ],
)
def test_create_province_admin_refuses_bad_arguments(regions: None, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("create_province_admin", "x@lamdong.vn", *args)
    assert not User.objects.filter(email="x@lamdong.vn").exists()


def test_create_platform_staff_is_idempotent(make_user: Any) -> None:
    buyer = make_user(email="ops@chophien.vn")
    first = run("create_platform_staff", "ops@chophien.vn")
    assert "made ops@chophien.vn platform staff" in first and "opened the Django admin" in first
    buyer.refresh_from_db()
    assert buyer.is_platform_staff and buyer.is_staff and not buyer.is_superuser
    assert buyer.check_password("Mật-khẩu-dài-2025")  # kept: no --password
    assert (
        run("create_platform_staff", "ops@chophien.vn").strip() == "ops@chophien.vn: already platform staff, unchanged"
    )

    created = run("create_platform_staff", "ketoan@chophien.vn", "--password", PASSWORD)
    assert "created the account ketoan@chophien.vn" in created
    assert User.objects.get(email="ketoan@chophien.vn").check_password(PASSWORD)
