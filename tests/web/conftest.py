"""Fixtures for the web page tests (Django's test client, session sign-in)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from backend.accounts.models import ProvinceAdminScope, User
from backend.catalog.categories import seed_categories
from backend.regions.models import Province
from search import registry
from tests.checkout.helpers import Shop, make_shop
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _own_search_index(settings: Any, tmp_path: Path) -> Iterator[None]:
    """An empty embedded index per test: never the developer's `var/search/`."""
    settings.SEARCH_BACKEND = "embedded"
    settings.SEARCH_INDEX_DIR = tmp_path / "search"
    registry.reset()
    yield
    registry.reset()


@pytest.fixture
def shop(regions: None) -> Shop:
    return make_shop(price=150_000, stock=10, name="HTX Dâu Tây Thái Phiên")


@pytest.fixture
def other_shop(regions: None) -> Shop:
    return make_shop(price=90_000, stock=5, name="HTX Chè Cầu Đất")


@pytest.fixture
def categories(db: Any) -> None:
    seed_categories()


def province_admin(slug: str = "lam-dong") -> User:
    user = UserFactory()
    ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=slug))
    return user


@pytest.fixture
def lam_dong_admin(regions: None) -> User:
    return province_admin()


@pytest.fixture
def other_province_admin(regions: None) -> User:
    other = Province.objects.exclude(slug="lam-dong").order_by("code").first()
    assert other is not None
    return province_admin(other.slug)


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()
