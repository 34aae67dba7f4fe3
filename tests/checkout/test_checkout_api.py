"""The checkout journey through GraphQL: lines and stock holds, address, delivery, completion."""

from __future__ import annotations

from typing import Any

import pytest

from backend.catalog.models import ProductVariant
from backend.orders.models import Order
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, OWN, PICKUP, Shop, make_shop
from tests.checkout.operations import (
    CHECKOUT,
    CHECKOUT_ADDRESS,
    CHECKOUT_COMPLETE,
    CHECKOUT_CREATE,
    CHECKOUT_DELIVERY,
    CHECKOUT_LINE_DELETE,
    CHECKOUT_LINES_ADD,
    CHECKOUT_LINES_UPDATE,
    PRODUCT_AVAILABILITY,
)
from tests.conftest import GQL
from tests.factories import VariantFactory, commune

pytestmark = pytest.mark.django_db


def vid(variant: ProductVariant) -> str:
    return global_id("ProductVariant", variant.pk)


def line(variant: ProductVariant, quantity: int) -> dict[str, Any]:
    return {"variant": vid(variant), "quantity": quantity}


def address(**overrides: Any) -> dict[str, Any]:
    value = {
        "fullName": "Nguyễn Văn A",
        "phone": "0903 123 456",
        "street": "1 Trần Phú",
        "commune": global_id("Commune", commune(OTHER_DA_LAT_COMMUNE).pk),
    }
    value.update(overrides)
    return value


def available(gql: GQL, variant: ProductVariant) -> int:
    result = gql(PRODUCT_AVAILABILITY, {"id": global_id("Product", variant.product_id)})
    rows = {v["id"]: v["quantityAvailable"] for v in result.data["product"]["variants"]}
    return int(rows[vid(variant)])


def create(gql: GQL, lines: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
    payload = gql(CHECKOUT_CREATE, {"lines": lines, "email": "khach@example.vn"}, **kwargs).payload("checkoutCreate")
    assert payload["errors"] == []
    checkout: dict[str, Any] = payload["checkout"]
    return checkout


def choose(gql: GQL, checkout_id: str, shop: Shop, kind: str, **kwargs: Any) -> dict[str, Any]:
    variables = {
        "id": checkout_id,
        "seller": global_id("Seller", shop.seller.pk),
        "method": global_id("DeliveryMethod", shop.method(kind).pk),
    }
    payload: dict[str, Any] = gql(CHECKOUT_DELIVERY, variables, **kwargs).payload("checkoutDeliveryMethodUpdate")
    return payload


def test_anonymous_cod_journey_across_two_sellers(regions: None, gql: GQL) -> None:
    a, b = make_shop(price=100_000, stock=10), make_shop(price=50_000, stock=5)
    extra = VariantFactory(product=a.variant.product, price=80_000, stock=3, sku="A-EXTRA")

    checkout = create(gql, [line(a.variant, 2), line(b.variant, 1)])
    checkout_id = checkout["id"]
    assert checkout["email"] == "khach@example.vn"
    assert checkout["subtotal"] == {"amount": 250_000, "currency": "VND"}
    assert checkout["reservedUntil"] is not None
    assert {g["seller"]["id"] for g in checkout["deliveryGroups"]} == {
        global_id("Seller", a.seller.pk),
        global_id("Seller", b.seller.pk),
    }
    first = checkout["lines"][0]
    assert first["unitPrice"]["amount"] == 100_000 and first["total"]["amount"] == 200_000
    assert first["productName"] == a.variant.product.name
    assert {gw["id"] for gw in checkout["availableGateways"]} >= {"cod"}
    # Other buyers see the held units gone.
    assert available(gql, a.variant) == 8

    # Add, update, delete.
    added = gql(CHECKOUT_LINES_ADD, {"id": checkout_id, "lines": [line(b.variant, 1), line(extra, 1)]}).payload(
        "checkoutLinesAdd"
    )
    assert added["errors"] == []
    quantities = {ln["variant"]["sku"]: ln["quantity"] for ln in added["checkout"]["lines"]}
    assert quantities[b.variant.sku] == 2 and quantities["A-EXTRA"] == 1
    updated = gql(CHECKOUT_LINES_UPDATE, {"id": checkout_id, "lines": [line(a.variant, 3)]}).payload(
        "checkoutLinesUpdate"
    )
    assert updated["errors"] == []
    extra_line = next(ln for ln in updated["checkout"]["lines"] if ln["variant"]["sku"] == "A-EXTRA")
    deleted = gql(CHECKOUT_LINE_DELETE, {"id": checkout_id, "lineId": extra_line["id"]}).payload("checkoutLineDelete")
    assert deleted["errors"] == []
    assert deleted["checkout"]["subtotal"]["amount"] == 3 * 100_000 + 2 * 50_000
    assert available(gql, a.variant) == 7

    # More than what is left.
    too_many = gql(CHECKOUT_LINES_UPDATE, {"id": checkout_id, "lines": [line(a.variant, 11)]})
    assert too_many.error_codes("checkoutLinesUpdate") == ["INSUFFICIENT_STOCK"]
    assert too_many.payload("checkoutLinesUpdate")["checkout"] is None

    complete = {"id": checkout_id, "gateway": "cod"}
    assert gql(CHECKOUT_COMPLETE, complete).error_codes("checkoutComplete") == ["SHIPPING_ADDRESS_REQUIRED"]

    # An invalid phone: a localized error on the field.
    bad = gql(CHECKOUT_ADDRESS, {"id": checkout_id, "address": address(phone="12345")}).payload(
        "checkoutShippingAddressUpdate"
    )
    assert [(e["field"], e["code"]) for e in bad["errors"]] == [("address.phone", "INVALID")]
    assert "số điện thoại" in bad["errors"][0]["message"]
    bad_en = gql(CHECKOUT_ADDRESS, {"id": checkout_id, "address": address(phone="12345")}, lang="en").payload(
        "checkoutShippingAddressUpdate"
    )
    assert bad_en["errors"][0]["message"] == "Enter a valid Vietnamese phone number, e.g. 0903 123 456."

    # A pre-2025 address is converted (the conversion wins over `commune`).
    legacy = address(
        commune=global_id("Commune", commune().pk),
        legacy={"ward": "Phường 1", "district": "Đà Lạt", "province": "Lâm Đồng"},
    )
    saved = gql(CHECKOUT_ADDRESS, {"id": checkout_id, "address": legacy}).payload("checkoutShippingAddressUpdate")
    assert saved["errors"] == []
    assert saved["checkout"]["shippingAddress"]["phone"] == "+84903123456"
    assert saved["checkout"]["shippingAddress"]["commune"]["code"] == OTHER_DA_LAT_COMMUNE

    assert gql(CHECKOUT_COMPLETE, complete).error_codes("checkoutComplete") == [
        "DELIVERY_METHOD_REQUIRED",
        "DELIVERY_METHOD_REQUIRED",
    ]
    assert choose(gql, checkout_id, a, OWN)["errors"] == []
    chosen = choose(gql, checkout_id, b, PICKUP)
    assert chosen["errors"] == []
    assert chosen["checkout"]["deliveryTotal"]["amount"] == 35_000  # own delivery to another commune
    assert chosen["checkout"]["total"]["amount"] == 435_000

    unknown = gql(CHECKOUT_COMPLETE, {"id": checkout_id, "gateway": "bitcoin"})
    assert unknown.error_codes("checkoutComplete") == ["PAYMENT_GATEWAY_UNAVAILABLE"]

    done = gql(CHECKOUT_COMPLETE, complete).payload("checkoutComplete")
    assert done["errors"] == []
    order = done["order"]
    assert order["status"] == "UNCONFIRMED" and order["paymentStatus"] == "NOT_CHARGED"
    assert order["subtotal"]["amount"] == 400_000
    assert order["deliveryTotal"]["amount"] == 35_000
    assert order["total"] == {"amount": 435_000, "currency": "VND"}
    assert sorted(so["total"]["amount"] for so in order["sellerOrders"]) == [100_000, 335_000]
    assert done["payment"]["gateway"] == "cod" and done["payment"]["action"]["kind"] == "NONE"
    a.variant.refresh_from_db()
    b.variant.refresh_from_db()
    assert (a.variant.stock, b.variant.stock) == (7, 3)

    again = gql(CHECKOUT_COMPLETE, complete).payload("checkoutComplete")
    assert again["errors"] == [] and again["order"]["number"] == order["number"]
    assert Order.objects.count() == 1


def test_raw_token_is_accepted_and_garbage_ids_are_invalid(regions: None, gql: GQL) -> None:
    shop = make_shop()
    checkout = create(gql, [line(shop.variant, 1)])
    assert gql(CHECKOUT, {"id": checkout["token"]}).data["checkout"]["id"] == checkout["id"]
    assert gql(CHECKOUT, {"id": "not-an-id"}).data["checkout"] is None
    missing = gql(CHECKOUT_LINES_ADD, {"id": global_id("Checkout", "1"), "lines": [line(shop.variant, 1)]})
    assert missing.error_codes("checkoutLinesAdd") == ["INVALID"]


def test_signed_in_checkout_is_invisible_to_others(regions: None, gql: GQL, make_user: Any) -> None:
    shop = make_shop()
    owner, other = make_user("owner@example.vn"), make_user("other@example.vn")
    checkout = create(gql, [line(shop.variant, 1)], user=owner)
    assert gql(CHECKOUT, {"id": checkout["id"]}, user=owner).data["checkout"]["id"] == checkout["id"]
    assert gql(CHECKOUT, {"id": checkout["id"]}, user=other).data["checkout"] is None
    assert gql(CHECKOUT, {"id": checkout["id"]}).data["checkout"] is None
    stolen = gql(CHECKOUT_LINES_ADD, {"id": checkout["id"], "lines": [line(shop.variant, 1)]}, user=other)
    assert stolen.error_codes("checkoutLinesAdd") == ["NOT_FOUND"]
    anonymous = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "cod"})
    assert anonymous.error_codes("checkoutComplete") == ["NOT_FOUND"]


def test_sandbox_payment_redirects(regions: None, gql: GQL, settings: Any) -> None:
    settings.DEBUG = True
    shop = make_shop(price=100_000)
    checkout = create(gql, [line(shop.variant, 1)])
    assert "sandbox" in {gw["id"] for gw in checkout["availableGateways"]}
    gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": address()})
    choose(gql, checkout["id"], shop, PICKUP)
    done = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "sandbox"}).payload("checkoutComplete")
    assert done["errors"] == []
    action = done["payment"]["action"]
    assert action["kind"] == "REDIRECT" and action["url"]
    assert done["payment"]["status"] == "PENDING"
    assert done["order"]["paymentStatus"] == "PENDING"
    assert done["order"]["payments"][0]["action"]["url"] == action["url"]
