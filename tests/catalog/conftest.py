"""Catalog fixtures: media in a temporary folder, a seller with staff, products."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from backend.accounts.models import User
from backend.accounts.tokens import access_token_for
from backend.catalog.categories import seed_categories
from backend.catalog.models import Category, Product
from backend.sellers.models import Seller
from tests.catalog.helpers import UPLOAD, make_admin, with_variants
from tests.factories import ProductFactory, SellerFactory, add_staff


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def categories(db: Any) -> dict[str, Category]:
    seed_categories()
    return {c.slug: c for c in Category.objects.all()}


@pytest.fixture
def seller(regions: None) -> Seller:
    return SellerFactory(name="HTX Dâu tây Lâm Viên")


@pytest.fixture
def staff(seller: Seller) -> User:
    return add_staff(seller)


@pytest.fixture
def other_seller(regions: None) -> Seller:
    return SellerFactory(name="HTX Cà phê Cầu Đất")


@pytest.fixture
def other_staff(other_seller: Seller) -> User:
    return add_staff(other_seller)


@pytest.fixture
def lam_dong_admin(regions: None) -> User:
    return make_admin("lam-dong")


@pytest.fixture
def khanh_hoa_admin(regions: None) -> User:
    return make_admin("khanh-hoa")


@pytest.fixture
def make_product(seller: Seller, categories: dict[str, Category]) -> Callable[..., Product]:
    def make(*prices: int, stock: int = 10, **fields: Any) -> Product:
        fields.setdefault("seller", seller)
        fields.setdefault("category", categories["dau-tay"])
        return with_variants(ProductFactory(**fields), *prices, stock=stock)

    return make


@pytest.fixture
def upload(client: Client) -> Callable[..., dict[str, Any]]:
    """POST productImageUpload per the GraphQL multipart request spec; returns the response JSON."""

    def run(product_id: str, content: bytes, *, user: User | None, name: str = "photo.jpg", alt: str = "") -> Any:
        operations = {"query": UPLOAD, "variables": {"product": product_id, "image": None, "alt": alt}}
        headers = {"Authorization": f"Bearer {access_token_for(user)}"} if user else {}
        response = client.post(
            "/graphql/",
            {
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.image"]}),
                "0": SimpleUploadedFile(name, content, content_type="image/jpeg"),
            },
            headers=headers,
        )
        assert response.status_code == 200, response.content
        return response.json()

    return run
