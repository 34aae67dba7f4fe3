"""Review fixtures: media in a temporary folder, a shop in Lâm Viên and its buyer."""

from __future__ import annotations

from typing import Any

import pytest

from backend.accounts.models import User
from tests.catalog.helpers import make_admin
from tests.checkout.helpers import Shop, make_shop
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def shop(regions: None) -> Shop:
    return make_shop(price=100_000, stock=50, name="HTX Dâu Tây Lâm Viên")


@pytest.fixture
def buyer(regions: None) -> User:
    return UserFactory(full_name="Nguyễn Thị Lan")


@pytest.fixture
def lam_dong_admin(regions: None) -> User:
    return make_admin("lam-dong")


@pytest.fixture
def ha_noi_admin(regions: None) -> User:
    return make_admin("ha-noi")
