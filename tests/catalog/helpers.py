"""Plain helpers for catalog and moderation tests (fixtures live in conftest.py)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from backend.accounts.models import ProvinceAdminScope, User
from backend.catalog.models import Product, ProductVariant
from backend.catalog.services import refresh_product_pricing
from backend.regions.models import Province
from tests.factories import UserFactory, VariantFactory


def make_admin(slug: str) -> User:
    user = UserFactory(is_staff=True)
    ProvinceAdminScope.objects.create(user=user, province=Province.objects.get(slug=slug))
    return user


def with_variants(product: Product, *prices: int, stock: int = 10) -> Product:
    for price in prices:
        VariantFactory(product=product, price=price, stock=stock)
    return refresh_product_pricing(product)


def image_bytes(fmt: str = "JPEG", size: tuple[int, int] = (64, 48), mode: str = "RGB", **save: Any) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 0).save(buffer, fmt, **save)
    return buffer.getvalue()


UPLOAD = """
mutation Upload($product: ID!, $image: Upload!, $alt: String) {
  productImageUpload(product: $product, image: $image, alt: $alt) {
    image { url alt width height }
    errors { field code message }
  }
}
"""


def variant_count(product: Product) -> int:
    return ProductVariant.objects.filter(product=product).count()
