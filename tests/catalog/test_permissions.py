"""Only a seller's staff change its products: IDOR attempts change nothing."""

from __future__ import annotations

from typing import Any

import pytest

from backend.catalog.models import Product, ProductImage, ProductVariant
from storefront_api.core.ids import global_id
from tests.catalog.helpers import image_bytes
from tests.catalog.operations import (
    PRODUCT_CREATE,
    PRODUCT_UPDATE,
    PUBLISH,
    UNPUBLISH,
    VARIANT_CREATE,
    VARIANT_UPDATE,
)

pytestmark = pytest.mark.django_db


def _snapshot(product: Product) -> dict[str, Any]:
    product.refresh_from_db()
    return {
        "product": (product.name, product.is_published, product.price_min, product.price_max, product.ocop_stars),
        "variants": list(ProductVariant.objects.filter(product=product).values_list("sku", "price", "stock")),
        "images": ProductImage.objects.filter(product=product).count(),
    }


@pytest.fixture
def victim(make_product) -> Product:
    """A product of `seller` (not `other_seller`), published, with one variant."""
    return make_product(150_000, name="Dâu tây gốc")


@pytest.fixture
def draft(make_product) -> Product:
    product = make_product(150_000, name="Bản nháp")
    product.is_published = False
    product.save()
    return product


def _variables(name: str, product: Product, categories) -> dict[str, Any]:
    variant = ProductVariant.objects.filter(product=product).first()
    product_input = {
        "name": "Bị sửa",
        "description": "x",
        "category": global_id("Category", categories["dau-tay"].pk),
        "kind": "GOODS",
        "ocopStars": 5,
    }
    variant_input = {"sku": "HACK", "name": "Hack", "price": 1, "stock": 999}
    return {
        "productUpdate": {"id": global_id("Product", product.pk), "input": product_input},
        "productVariantCreate": {"product": global_id("Product", product.pk), "input": variant_input},
        "productVariantUpdate": {
            "id": global_id("ProductVariant", variant.pk),
            "input": {**variant_input, "sku": variant.sku},
        },
        "productPublish": {"id": global_id("Product", product.pk)},
        "productUnpublish": {"id": global_id("Product", product.pk)},
    }[name]


MUTATIONS = {
    "productUpdate": PRODUCT_UPDATE,
    "productVariantCreate": VARIANT_CREATE,
    "productVariantUpdate": VARIANT_UPDATE,
    "productPublish": PUBLISH,
    "productUnpublish": UNPUBLISH,
}


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_staff_of_another_seller_is_denied_and_nothing_changes(
    gql, victim, draft, other_staff, categories, name
) -> None:
    target = draft if name == "productPublish" else victim
    before = _snapshot(target)
    result = gql(MUTATIONS[name], _variables(name, target, categories), user=other_staff)
    assert result.error_codes(name) == ["PERMISSION_DENIED"]
    assert _snapshot(target) == before


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_anonymous_is_asked_to_sign_in(gql, victim, draft, categories, name) -> None:
    target = draft if name == "productPublish" else victim
    before = _snapshot(target)
    result = gql(MUTATIONS[name], _variables(name, target, categories))
    assert result.error_codes(name) == ["AUTHENTICATION_REQUIRED"]
    assert _snapshot(target) == before


@pytest.mark.parametrize("name", list(MUTATIONS))
def test_plain_buyer_is_denied(gql, victim, draft, categories, make_user, name) -> None:
    target = draft if name == "productPublish" else victim
    result = gql(MUTATIONS[name], _variables(name, target, categories), user=make_user())
    assert result.error_codes(name) == ["PERMISSION_DENIED"]


def test_product_create_for_another_seller_is_denied(gql, seller, other_staff, categories) -> None:
    variables = {
        "seller": global_id("Seller", seller.pk),
        "input": {
            "name": "Hàng giả",
            "description": "",
            "category": global_id("Category", categories["dau-tay"].pk),
            "kind": "GOODS",
        },
    }
    assert gql(PRODUCT_CREATE, variables, user=other_staff).error_codes("productCreate") == ["PERMISSION_DENIED"]
    assert gql(PRODUCT_CREATE, variables).error_codes("productCreate") == ["AUTHENTICATION_REQUIRED"]
    assert not Product.objects.filter(name="Hàng giả").exists()


def test_image_upload_to_another_sellers_product_is_denied(upload, victim, other_staff) -> None:
    result = upload(global_id("Product", victim.pk), image_bytes(), user=other_staff)
    assert [e["code"] for e in result["data"]["productImageUpload"]["errors"]] == ["PERMISSION_DENIED"]
    anonymous = upload(global_id("Product", victim.pk), image_bytes(), user=None)
    assert [e["code"] for e in anonymous["data"]["productImageUpload"]["errors"]] == ["AUTHENTICATION_REQUIRED"]
    assert not ProductImage.objects.filter(product=victim).exists()


def test_a_variant_id_of_the_wrong_type_is_invalid(gql, victim, staff) -> None:
    variables = {"id": global_id("Product", victim.pk), "input": {"sku": "A", "name": "B", "price": 1, "stock": 1}}
    assert gql(VARIANT_UPDATE, variables, user=staff).error_codes("productVariantUpdate") == ["INVALID"]
