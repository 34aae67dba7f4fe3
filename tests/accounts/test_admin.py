"""Django admin for users and province scopes; createsuperuser with an e-mail login."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from backend.accounts.models import ProvinceAdminScope, User
from backend.regions.models import Commune, Province

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(make_user: Any) -> Client:
    client = Client()
    client.force_login(make_user(email="root@example.vn", is_superuser=True, is_staff=True))
    return client


def test_createsuperuser_noinput_from_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_EMAIL", "Admin@ChoPhien.vn")
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Quản-trị-viên-2025")

    call_command("createsuperuser", "--noinput", verbosity=0)

    user = User.objects.get()
    assert user.email == "admin@chophien.vn"
    assert user.is_superuser and user.is_staff and user.is_active
    assert user.check_password("Quản-trị-viên-2025")


def test_user_changelist_searches_email_name_and_phone(staff_client: Client, make_user: Any) -> None:
    make_user(email="mai@example.vn", full_name="Nguyễn Thị Mai", phone="+84903123456")
    make_user(email="lan@example.vn", full_name="Trần Lan")

    for term in ("mai@example", "Thị Mai", "903123456"):
        response = staff_client.get("/admin/accounts/user/", {"q": term})
        assert response.status_code == 200
        assert b"mai@example.vn" in response.content
        assert b"lan@example.vn" not in response.content


def test_admin_add_user_with_email_and_password(staff_client: Client) -> None:
    assert staff_client.get("/admin/accounts/user/add/").status_code == 200

    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Moi@Example.vn",
            "usable_password": "true",
            "password1": "Mật-khẩu-mới-2025",
            "password2": "Mật-khẩu-mới-2025",
        },
    )

    assert response.status_code == 302, response.content
    user = User.objects.get(email="moi@example.vn")
    assert user.check_password("Mật-khẩu-mới-2025")
    assert not user.is_staff


def test_admin_add_user_refuses_duplicate_email_in_other_case(staff_client: Client, make_user: Any) -> None:
    make_user(email="mai@example.vn")

    response = staff_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "MAI@example.vn",
            "usable_password": "true",
            "password1": "Abc-123-xyz!",
            "password2": "Abc-123-xyz!",
        },
    )

    assert response.status_code == 200
    assert User.objects.filter(email__iexact="mai@example.vn").count() == 1


@pytest.mark.usefixtures("no_regions")  # builds its own provinces
def test_user_change_page_with_scope_inline(staff_client: Client, make_user: Any) -> None:
    province = Province.objects.create(
        code="68",
        name="Tỉnh Lâm Đồng",
        short_name="Lâm Đồng",
        slug="lam-dong",
        kind="tinh",
        search_name="tinh lam dong",
    )
    user = make_user(email="admin-ld@example.vn")
    ProvinceAdminScope.objects.create(user=user, province=province)

    response = staff_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert b"province_scope-0-province" in response.content
    assert staff_client.get("/admin/accounts/provinceadminscope/").status_code == 200


@pytest.mark.usefixtures("no_regions")  # builds its own provinces
def test_scope_admin_refuses_communes_of_another_province(staff_client: Client, make_user: Any) -> None:
    lam_dong = Province.objects.create(
        code="68", name="Tỉnh Lâm Đồng", short_name="Lâm Đồng", slug="lam-dong", kind="tinh", search_name="lam dong"
    )
    khanh_hoa = Province.objects.create(
        code="56", name="Tỉnh Khánh Hòa", short_name="Khánh Hòa", slug="khanh-hoa", kind="tinh", search_name="kh"
    )
    cam_lam = Commune.objects.create(
        code="22519", name="Xã Cam Lâm", short_name="Cam Lâm", slug="cam-lam", kind="xa", province=khanh_hoa
    )
    user = make_user()

    response = staff_client.post(
        "/admin/accounts/provinceadminscope/add/",
        {"user": user.pk, "province": lam_dong.pk, "communes": [cam_lam.pk]},
    )

    assert response.status_code == 200
    assert not ProvinceAdminScope.objects.exists()
    assert "Xã Cam Lâm" in response.content.decode()
