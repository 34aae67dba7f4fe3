"""Fixtures for the seller tests: sellers in Lâm Đồng, admins in and out of scope, uploads."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.accounts.models import ProvinceAdminScope, User
from backend.accounts.tokens import access_token_for
from backend.regions.models import Commune, Province
from backend.sellers.models import Seller, SellerStatus
from storefront_api.core.ids import global_id
from tests.conftest import GQLResult
from tests.factories import SellerFactory, UserFactory, add_staff, commune
from tests.sellers.identity_kit import mark_verified


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def eager_mail(settings: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """Run Celery tasks in-process and the on-commit callbacks of the block.

    Usage: `with eager_mail(): gql(...)` then look at `mail.outbox`.
    """
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return lambda: django_capture_on_commit_callbacks(execute=True)


def gid(obj: Any) -> str:
    return global_id(type(obj).__name__, obj.pk)


@pytest.fixture
def lam_vien(regions: None) -> Commune:
    return commune()


@pytest.fixture
def other_lam_dong_commune(regions: None) -> Commune:
    return Commune.objects.filter(province__slug="lam-dong").exclude(code="24778").order_by("code").first()


def _admin(province_slug: str, communes: tuple[Commune, ...] = ()) -> User:
    user = UserFactory(is_staff=True)
    scope = ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=province_slug))
    scope.communes.set(communes)
    return user


@pytest.fixture
def province_admin(regions: None) -> User:
    """Admin of the whole of Lâm Đồng."""
    return _admin("lam-dong")


@pytest.fixture
def other_province_admin(regions: None) -> User:
    """Admin of Khánh Hòa: no power in Lâm Đồng."""
    return _admin("khanh-hoa")


@pytest.fixture
def make_admin(regions: None) -> Callable[..., User]:
    return _admin


@pytest.fixture
def buyer(db: Any) -> User:
    return UserFactory()


@pytest.fixture
def pending_seller(lam_vien: Commune) -> Seller:
    """An application ready for a decision: its identity verified, its tax code and registration given."""
    seller = SellerFactory(
        status=SellerStatus.PENDING, commune=lam_vien, tax_code="5800123458", business_registration_no="5800123458"
    )
    return mark_verified(seller)


@pytest.fixture
def approved_seller(lam_vien: Commune) -> Seller:
    return SellerFactory(
        status=SellerStatus.APPROVED,
        commune=lam_vien,
        bank_bin="970436",
        bank_account_no="0071000123456",
        bank_account_name="HTX NONG NGHIEP",
        tax_code="0312345673",
    )


@pytest.fixture
def owner(approved_seller: Seller) -> User:
    return add_staff(approved_seller)


@pytest.fixture
def upload(client: Client) -> Callable[..., GQLResult]:
    """POST a GraphQL multipart request (one file in variable `file`)."""

    def run(query: str, variables: dict[str, Any], file: SimpleUploadedFile, *, user: User | None) -> GQLResult:
        operations = json.dumps({"query": query, "variables": {**variables, "file": None}})
        headers = {"Authorization": f"Bearer {access_token_for(user)}"} if user is not None else {}
        response = client.post(
            "/graphql/",
            {"operations": operations, "map": json.dumps({"0": ["variables.file"]}), "0": file},
            headers=headers,
        )
        return GQLResult(status=response.status_code, json=response.json())

    return run
