"""A seller's staff create, price, illustrate and publish a product; buyers then see it."""

from __future__ import annotations

import pytest

from backend.catalog.models import Product, ProductVariant, Thumbnail
from storefront_api.core.ids import global_id
from tests.catalog.helpers import image_bytes
from tests.catalog.operations import (
    PRODUCT,
    PRODUCT_CREATE,
    PRODUCT_UPDATE,
    PRODUCTS,
    PUBLISH,
    UNPUBLISH,
    VARIANT_CREATE,
    VARIANT_UPDATE,
)

pytestmark = pytest.mark.django_db


def create_input(categories, **overrides):
    data = {
        "name": "Dâu tây Đà Lạt hữu cơ",
        "description": "Hái buổi sáng, giao trong ngày.",
        "category": global_id("Category", categories["dau-tay"].pk),
        "kind": "GOODS",
        "ocopStars": 4,
    }
    data.update(overrides)
    return data


def variant_input(**overrides):
    data = {"sku": "DAU-500", "name": "Hộp 500 g", "price": 120_000, "stock": 12, "weightGrams": 500}
    data.update(overrides)
    return data


def test_create_price_upload_publish_then_buyers_see_it(
    gql, seller, staff, categories, upload, django_capture_on_commit_callbacks
) -> None:
    created = gql(
        PRODUCT_CREATE, {"seller": global_id("Seller", seller.pk), "input": create_input(categories)}, user=staff
    )
    payload = created.payload("productCreate")
    assert payload["errors"] == []
    product = payload["product"]
    assert product["slug"] == "dau-tay-da-lat-huu-co"
    assert product["isPublished"] is False
    assert product["commune"]["name"] == "Phường Lâm Viên - Đà Lạt"
    assert product["ocopStars"] == 4

    # Drafts are invisible to buyers.
    assert gql(PRODUCT, {"id": product["id"]}).data["product"] is None

    first = gql(VARIANT_CREATE, {"product": product["id"], "input": variant_input()}, user=staff)
    assert first.payload("productVariantCreate")["errors"] == []
    assert first.data["productVariantCreate"]["variant"]["price"] == {"amount": 120_000, "currency": "VND"}
    second = gql(
        VARIANT_CREATE,
        {"product": product["id"], "input": variant_input(sku="DAU-1KG", name="Hộp 1 kg", price=220_000, stock=0)},
        user=staff,
    )
    assert second.payload("productVariantCreate")["errors"] == []

    with django_capture_on_commit_callbacks(execute=True):
        uploaded = upload(product["id"], image_bytes(size=(800, 600)), user=staff, alt="Dâu tây chín")
    assert uploaded["data"]["productImageUpload"]["errors"] == []
    image = uploaded["data"]["productImageUpload"]["image"]
    assert image["url"].startswith("/media/products/") and image["url"].endswith(".jpg")
    assert (image["width"], image["height"]) == (800, 600)
    assert Thumbnail.objects.filter(image__product__slug=product["slug"]).count() == 4  # every allowed size

    published = gql(PUBLISH, {"id": product["id"]}, user=staff).payload("productPublish")
    assert published == {"product": {"id": product["id"], "isPublished": True}, "errors": []}

    seen = gql(PRODUCT, {"slug": "dau-tay-da-lat-huu-co", "size": 1000}).data["product"]
    assert seen["pricing"] == {
        "priceMin": {"amount": 120_000, "currency": "VND"},
        "priceMax": {"amount": 220_000, "currency": "VND"},
    }
    assert [v["sku"] for v in seen["variants"]] == ["DAU-500", "DAU-1KG"]
    assert [v["quantityAvailable"] for v in seen["variants"]] == [12, 0]
    assert seen["thumbnail"]["url"].endswith("-256.webp")
    assert (seen["thumbnail"]["width"], seen["thumbnail"]["height"]) == (256, 192)
    assert seen["sized"]["url"].endswith("-1024.webp")
    assert seen["images"] == [{"url": image["url"], "alt": "Dâu tây chín", "width": 800, "height": 600}]
    assert seen["seller"]["name"] == "HTX Dâu tây Lâm Viên"
    assert seen["seller"]["commune"]["name"] == "Phường Lâm Viên - Đà Lạt"
    listing = gql(PRODUCTS, {"first": 10}).data["products"]
    assert [e["node"]["id"] for e in listing["edges"]] == [product["id"]]

    unpublished = gql(UNPUBLISH, {"id": product["id"]}, user=staff).payload("productUnpublish")
    assert unpublished["product"]["isPublished"] is False
    assert gql(PRODUCTS, {"first": 10}).data["products"]["totalCount"] == 0


def test_variant_changes_keep_the_price_range_and_stock_flag(gql, seller, staff, make_product) -> None:
    product = make_product(100_000)
    variant = ProductVariant.objects.get(product=product)
    result = gql(
        VARIANT_UPDATE,
        {"id": global_id("ProductVariant", variant.pk), "input": variant_input(sku=variant.sku, price=90_000, stock=0)},
        user=staff,
    ).payload("productVariantUpdate")
    assert result["errors"] == []
    assert result["variant"]["quantityAvailable"] == 0
    product.refresh_from_db()
    assert (product.price_min, product.price_max, product.in_stock) == (90_000, 90_000, False)


def test_slugs_fold_vietnamese_and_get_suffixes(gql, seller, staff, categories) -> None:
    variables = {"seller": global_id("Seller", seller.pk), "input": create_input(categories, name="Đặc sản Đà Lạt")}
    slugs = [gql(PRODUCT_CREATE, variables, user=staff).payload("productCreate")["product"]["slug"] for _ in range(3)]
    assert slugs == ["dac-san-da-lat", "dac-san-da-lat-2", "dac-san-da-lat-3"]


def test_update_replaces_details_and_keeps_the_slug(gql, staff, make_product, categories) -> None:
    product = make_product(50_000, slug="dau-cu")
    result = gql(
        PRODUCT_UPDATE,
        {"id": global_id("Product", product.pk), "input": create_input(categories, name="Dâu mới", ocopStars=None)},
        user=staff,
    ).payload("productUpdate")
    assert result["errors"] == []
    assert result["product"] == {
        "id": global_id("Product", product.pk),
        "slug": "dau-cu",
        "name": "Dâu mới",
        "ocopStars": None,
    }


def test_duplicate_sku_is_unique_error(gql, staff, make_product) -> None:
    product = make_product(10_000)
    other = make_product(20_000)
    taken = ProductVariant.objects.get(product=product).sku
    result = gql(
        VARIANT_CREATE, {"product": global_id("Product", other.pk), "input": variant_input(sku=taken)}, user=staff
    )
    assert result.error_codes("productVariantCreate") == ["UNIQUE"]
    assert result.data["productVariantCreate"]["errors"][0]["field"] == "sku"
    assert ProductVariant.objects.filter(product=other).count() == 1


def test_same_sku_at_another_seller_is_fine(gql, staff, make_product, other_seller) -> None:
    from tests.factories import VariantFactory

    VariantFactory(sku="DAU-500", product__seller=other_seller)
    product = make_product()
    result = gql(VARIANT_CREATE, {"product": global_id("Product", product.pk), "input": variant_input()}, user=staff)
    assert result.payload("productVariantCreate")["errors"] == []


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"stock": -1}, "stock"), ({"price": -5}, "price"), ({"weightGrams": -1}, "weightGrams")],
)
def test_negative_numbers_are_invalid(gql, staff, make_product, overrides, field) -> None:
    product = make_product()
    result = gql(
        VARIANT_CREATE, {"product": global_id("Product", product.pk), "input": variant_input(**overrides)}, user=staff
    )
    errors = result.payload("productVariantCreate")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, "INVALID")]
    assert not ProductVariant.objects.filter(product=product).exists()


def test_all_field_errors_come_together_in_english(gql, staff, make_product) -> None:
    product = make_product()
    result = gql(
        VARIANT_CREATE,
        {"product": global_id("Product", product.pk), "input": variant_input(sku=" ", name="", stock=-1)},
        user=staff,
        lang="en",
    )
    errors = result.payload("productVariantCreate")["errors"]
    assert {(e["field"], e["code"]) for e in errors} == {
        ("sku", "REQUIRED"),
        ("name", "REQUIRED"),
        ("stock", "INVALID"),
    }
    assert "negative" in next(e["message"] for e in errors if e["field"] == "stock")


@pytest.mark.parametrize("stars", [6, 2, 0])
def test_ocop_stars_outside_3_to_5_are_invalid(gql, seller, staff, categories, stars) -> None:
    result = gql(
        PRODUCT_CREATE,
        {"seller": global_id("Seller", seller.pk), "input": create_input(categories, ocopStars=stars)},
        user=staff,
    )
    assert result.error_codes("productCreate") == ["INVALID"]
    assert result.data["productCreate"]["errors"][0]["field"] == "ocopStars"
    assert not Product.objects.exists()


def test_kind_must_fit_the_category(gql, seller, staff, categories) -> None:
    result = gql(
        PRODUCT_CREATE,
        {"seller": global_id("Seller", seller.pk), "input": create_input(categories, kind="EXPERIENCE")},
        user=staff,
    )
    assert [e["field"] for e in result.payload("productCreate")["errors"]] == ["category"]


def test_publish_without_variants_is_invalid(gql, staff, make_product) -> None:
    product = make_product(is_published=False)
    result = gql(PUBLISH, {"id": global_id("Product", product.pk)}, user=staff, lang="en")
    assert result.error_codes("productPublish") == ["INVALID"]
    assert "variant" in result.data["productPublish"]["errors"][0]["message"]
    product.refresh_from_db()
    assert product.is_published is False


def test_unknown_category_is_not_found(gql, seller, staff, categories) -> None:
    result = gql(
        PRODUCT_CREATE,
        {
            "seller": global_id("Seller", seller.pk),
            "input": create_input(categories, category=global_id("Category", 999)),
        },
        user=staff,
    )
    assert result.error_codes("productCreate") == ["NOT_FOUND"]
