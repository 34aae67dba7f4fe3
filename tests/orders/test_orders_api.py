"""Orders through GraphQL: the seller's queue and transitions, who may act, COD, the buyer's views."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import services as order_services
from backend.orders.models import LedgerEntry, LedgerKind, Order, SellerOrder
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, OWN, PICKUP, Shop, make_shop
from tests.conftest import GQL
from tests.factories import commune
from tests.orders.operations import (
    MY_ORDERS,
    ORDER_BY_TOKEN,
    ORDER_REFUND,
    SELLER_BALANCE,
    SELLER_ORDER_CANCEL,
    SELLER_ORDER_COD_RECORD,
    SELLER_ORDER_CONFIRM,
    SELLER_ORDER_FULFILL,
    SELLER_ORDER_MARK_DELIVERED,
    SELLER_ORDERS,
)

pytestmark = pytest.mark.django_db


def place_order(
    shops: list[Shop], *, user: Any = None, gateway: str = "cod", kind: str = PICKUP, quantity: int = 2
) -> Order:
    checkout = checkout_services.checkout_create(
        user=user,
        lines=[LineInput(variant_id=s.variant.pk, quantity=quantity) for s in shops],
        email="khach@example.vn",
    )
    checkout_services.checkout_shipping_address_update(
        checkout=checkout,
        address=AddressData(
            full_name="Trần Thị B",
            phone="0903 123 456",
            street="5 Hùng Vương",
            commune_id=commune(OTHER_DA_LAT_COMMUNE).pk,
        ),
    )
    for shop in shops:
        checkout_services.checkout_delivery_method_update(
            checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(kind).pk
        )
    return order_services.checkout_complete(checkout=checkout, gateway_id=gateway, user=user).order


def seller_order_of(order: Order, shop: Shop) -> SellerOrder:
    return order.seller_orders.get(seller=shop.seller)


def sid(seller_order: SellerOrder) -> str:
    return global_id("SellerOrder", seller_order.pk)


def run(gql: GQL, document: str, name: str, variables: dict[str, Any], user: Any) -> dict[str, Any]:
    payload: dict[str, Any] = gql(document, variables, user=user).payload(name)
    return payload


def codes(payload: dict[str, Any]) -> list[str]:
    return [e["code"] for e in payload["errors"]]


def test_seller_confirms_fulfils_and_cancels(regions: None, gql: GQL, make_user: Any) -> None:
    a, b = make_shop(price=100_000), make_shop(price=50_000)
    buyer = make_user("buyer@example.vn")
    order = place_order([a, b], user=buyer)
    so_a, so_b = seller_order_of(order, a), seller_order_of(order, b)

    confirmed = run(gql, SELLER_ORDER_CONFIRM, "sellerOrderConfirm", {"id": sid(so_a)}, a.staff)
    assert confirmed["errors"] == []
    node = confirmed["sellerOrder"]
    assert node["status"] == "CONFIRMED" and node["codStatus"] == "CONFIRMED"
    assert node["orderNumber"] == order.number
    assert node["buyerName"] == "Trần Thị B" and node["buyerPhone"] == "+84903123456"
    assert node["shippingAddress"]["commune"]["code"] == OTHER_DA_LAT_COMMUNE
    assert node["commission"] is not None
    assert node["lines"][0]["sku"] == a.variant.sku and node["lines"][0]["quantity"] == 2

    again = run(gql, SELLER_ORDER_CONFIRM, "sellerOrderConfirm", {"id": sid(so_a)}, a.staff)
    assert codes(again) == ["INVALID_TRANSITION"]
    early = run(gql, SELLER_ORDER_FULFILL, "sellerOrderFulfill", {"id": sid(so_b)}, b.staff)
    assert codes(early) == ["INVALID_TRANSITION"]

    fulfilled = run(
        gql, SELLER_ORDER_FULFILL, "sellerOrderFulfill", {"id": sid(so_a), "trackingNumber": " VTP123 "}, a.staff
    )
    assert fulfilled["errors"] == []
    assert fulfilled["sellerOrder"]["status"] == "FULFILLED"
    assert fulfilled["sellerOrder"]["trackingNumber"] == "VTP123"
    view = gql(ORDER_BY_TOKEN, {"token": str(order.token)}).data["orderByToken"]
    assert view["status"] == "PARTIALLY_FULFILLED"
    delivered = run(gql, SELLER_ORDER_MARK_DELIVERED, "sellerOrderMarkDelivered", {"id": sid(so_a)}, a.staff)
    assert delivered["errors"] == []

    no_reason = run(gql, SELLER_ORDER_CANCEL, "sellerOrderCancel", {"id": sid(so_b), "reason": " "}, b.staff)
    assert codes(no_reason) == ["REQUIRED"]
    b.variant.refresh_from_db()
    assert b.variant.stock == 8
    cancelled = run(gql, SELLER_ORDER_CANCEL, "sellerOrderCancel", {"id": sid(so_b), "reason": "Hết hàng"}, b.staff)
    assert cancelled["errors"] == []
    assert cancelled["sellerOrder"]["status"] == "CANCELLED"
    assert cancelled["sellerOrder"]["cancelReason"] == "Hết hàng"
    b.variant.refresh_from_db()
    assert b.variant.stock == 10
    late = run(gql, SELLER_ORDER_CANCEL, "sellerOrderCancel", {"id": sid(so_a), "reason": "Thôi"}, a.staff)
    assert codes(late) == ["INVALID_TRANSITION"]
    assert gql(ORDER_BY_TOKEN, {"token": str(order.token)}).data["orderByToken"]["status"] == "FULFILLED"


def test_only_the_sellers_staff_may_act(regions: None, gql: GQL, make_user: Any) -> None:
    a, b = make_shop(), make_shop()
    buyer = make_user("buyer@example.vn")
    order = place_order([a], user=buyer)
    so_a = seller_order_of(order, a)
    for user in (b.staff, buyer):
        for document, name, extra in (
            (SELLER_ORDER_CONFIRM, "sellerOrderConfirm", {}),
            (SELLER_ORDER_FULFILL, "sellerOrderFulfill", {"trackingNumber": "X"}),
            (SELLER_ORDER_CANCEL, "sellerOrderCancel", {"reason": "Không muốn"}),
            (SELLER_ORDER_MARK_DELIVERED, "sellerOrderMarkDelivered", {}),
            (SELLER_ORDER_COD_RECORD, "sellerOrderCodRecord", {"status": "COLLECTED"}),
            (ORDER_REFUND, "orderRefund", {"reason": "Hàng hỏng"}),
        ):
            payload = run(gql, document, name, {"id": sid(so_a), **extra}, user)
            assert codes(payload) == ["PERMISSION_DENIED"], (name, payload)
            assert payload["sellerOrder"] is None
    anonymous = gql(SELLER_ORDER_CONFIRM, {"id": sid(so_a)}).payload("sellerOrderConfirm")
    assert codes(anonymous) == ["AUTHENTICATION_REQUIRED"]
    missing = run(gql, SELLER_ORDER_CONFIRM, "sellerOrderConfirm", {"id": global_id("SellerOrder", 999_999)}, a.staff)
    assert codes(missing) == ["NOT_FOUND"]
    so_a.refresh_from_db()
    assert so_a.status == "UNCONFIRMED"

    # Another seller's queue is closed; the own queue is open.
    for user in (b.staff, buyer):
        result = gql(SELLER_ORDERS, {"seller": global_id("Seller", a.seller.pk)}, user=user)
        assert result.data is None or result.data.get("sellerOrders") is None
        assert result.errors[0]["extensions"]["code"] == "PERMISSION_DENIED"
    anonymous_queue = gql(SELLER_ORDERS, {"seller": global_id("Seller", a.seller.pk)})
    assert anonymous_queue.errors[0]["extensions"]["code"] == "AUTHENTICATION_REQUIRED"
    own = gql(SELLER_ORDERS, {"seller": global_id("Seller", a.seller.pk)}, user=a.staff)
    assert not own.errors
    assert [e["node"]["id"] for e in own.data["sellerOrders"]["edges"]] == [sid(so_a)]

    # The buyer sees the order but not the seller's private figures.
    view = gql(ORDER_BY_TOKEN, {"token": str(order.token)}, user=buyer).data["orderByToken"]
    part = view["sellerOrders"][0]
    assert part["commission"] is None and part["buyerName"] is None and part["shippingAddress"] is None
    assert view["shippingAddress"]["fullName"] == "Trần Thị B"
    assert gql(SELLER_BALANCE, {"seller": global_id("Seller", a.seller.pk)}, user=b.staff).data["sellerBalance"] is None


def test_cod_cash_collected_by_own_delivery_goes_to_the_ledger(regions: None, gql: GQL, make_user: Any) -> None:
    shop = make_shop(price=100_000)
    order = place_order([shop], kind=OWN)
    so = seller_order_of(order, shop)
    assert so.total == 200_000 + 35_000
    run(gql, SELLER_ORDER_CONFIRM, "sellerOrderConfirm", {"id": sid(so)}, shop.staff)
    run(gql, SELLER_ORDER_FULFILL, "sellerOrderFulfill", {"id": sid(so)}, shop.staff)
    wrong = run(
        gql,
        SELLER_ORDER_COD_RECORD,
        "sellerOrderCodRecord",
        {"id": sid(so), "status": "COLLECTED", "amount": 1},
        shop.staff,
    )
    assert codes(wrong) == ["INVALID"] and wrong["errors"][0]["field"] == "amount"
    collected = run(
        gql,
        SELLER_ORDER_COD_RECORD,
        "sellerOrderCodRecord",
        {"id": sid(so), "status": "collected", "amount": so.total},
        shop.staff,
    )
    assert collected["errors"] == []
    assert collected["sellerOrder"]["codStatus"] == "COLLECTED"
    sale = LedgerEntry.objects.get(seller_order=so, kind=LedgerKind.SALE)
    assert sale.amount == so.total
    balance = gql(SELLER_BALANCE, {"seller": global_id("Seller", shop.seller.pk)}, user=shop.staff).data
    assert balance["sellerBalance"]["balance"]["amount"] == so.total - so.commission
    assert balance["sellerBalance"]["payoutAvailable"]["amount"] == 0
    view = gql(ORDER_BY_TOKEN, {"token": str(order.token)}).data["orderByToken"]
    assert view["paymentStatus"] == "PAID"
    assert view["payments"][0]["status"] == "PAID"


def test_my_orders_newest_first_and_order_by_token(regions: None, gql: GQL, make_user: Any) -> None:
    shop = make_shop(stock=50)
    buyer, stranger = make_user("buyer@example.vn"), make_user("stranger@example.vn")
    first = place_order([shop], user=buyer, quantity=1)
    second = place_order([shop], user=buyer, quantity=1)
    place_order([shop], user=stranger, quantity=1)
    mine = gql(MY_ORDERS, {"first": 10}, user=buyer).data["me"]["orders"]
    assert mine["totalCount"] == 2
    assert [e["node"]["number"] for e in mine["edges"]] == [second.number, first.number]
    assert mine["edges"][0]["node"]["id"] == global_id("Order", str(second.token))
    assert gql(MY_ORDERS, {"first": 1}, user=buyer).data["me"]["orders"]["pageInfo"]["hasNextPage"] is True
    assert gql(MY_ORDERS).data["me"] is None
    anyone = gql(ORDER_BY_TOKEN, {"token": str(first.token)}).data["orderByToken"]
    assert anyone["number"] == first.number and anyone["token"] == str(first.token)
    assert gql(ORDER_BY_TOKEN, {"token": "not-a-token"}).data["orderByToken"] is None
    assert gql(MY_ORDERS, {"first": 101}, user=buyer).errors


def test_seller_orders_page_costs_a_fixed_number_of_queries(regions: None, gql: GQL, make_user: Any) -> None:
    shop, other = make_shop(stock=100), make_shop(stock=100)
    for _ in range(10):
        place_order([shop, other], quantity=1)
    variables = {"seller": global_id("Seller", shop.seller.pk)}
    counts = []
    for size in (2, 10):
        with CaptureQueriesContext(connection) as queries:
            result = gql(SELLER_ORDERS, {**variables, "first": size}, user=shop.staff)
        assert not result.errors
        assert len(result.data["sellerOrders"]["edges"]) == size
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    statuses = gql(SELLER_ORDERS, {**variables, "status": "CONFIRMED"}, user=shop.staff).data
    assert statuses["sellerOrders"]["totalCount"] == 0
    bad = gql(SELLER_ORDERS, {**variables, "status": "NOPE"}, user=shop.staff)
    assert bad.errors[0]["extensions"]["code"] == "INVALID"
    edges = gql(SELLER_ORDERS, {**variables, "first": 10}, user=shop.staff).data["sellerOrders"]["edges"]
    created = [e["node"]["createdAt"] for e in edges]
    assert created == sorted(created, reverse=True)


def test_platform_refund_of_a_paid_sandbox_order(regions: None, gql: GQL, make_user: Any, settings: Any) -> None:
    settings.DEBUG = True
    from backend.orders.payments import apply_notification
    from payments.base import Notification, NotificationStatus

    shop = make_shop(price=100_000)
    order = place_order([shop], gateway="sandbox")
    payment = order.payments.get()
    apply_notification(
        payment=payment,
        notification=Notification(
            reference=payment.reference, amount=order.total, status=NotificationStatus.PAID, gateway_transaction_id="T1"
        ),
    )
    so = seller_order_of(order, shop)
    admin = make_user("admin@example.vn", is_staff=True, is_superuser=True)
    too_much = run(gql, ORDER_REFUND, "orderRefund", {"id": sid(so), "amount": 10**9, "reason": "Hỏng"}, admin)
    assert codes(too_much) == ["INVALID"]
    refunded = run(gql, ORDER_REFUND, "orderRefund", {"id": sid(so), "amount": 50_000, "reason": "Hỏng"}, admin)
    assert refunded["errors"] == []
    assert refunded["sellerOrder"]["refunded"]["amount"] == 50_000
    view = gql(ORDER_BY_TOKEN, {"token": str(order.token)}).data["orderByToken"]
    assert view["payments"][0]["status"] == "PARTIALLY_REFUNDED"


ORDER_PAYMENT_RETRY = """
mutation Retry($token: String!, $gateway: String!) {
  orderPaymentRetry(token: $token, gateway: $gateway) {
    order { number paymentStatus }
    payment { gateway status action { kind url } }
    errors { field code message }
  }
}
"""


def test_a_buyer_pays_again_after_a_failed_payment(regions: None, gql: GQL, settings: Any) -> None:
    settings.DEBUG = True
    from backend.orders.payments import apply_notification
    from payments.base import Notification, NotificationStatus

    order = place_order([make_shop()], gateway="sandbox")
    payment = order.payments.get()
    apply_notification(
        payment=payment,
        notification=Notification(
            reference=payment.reference,
            amount=order.total,
            status=NotificationStatus.FAILED,
            gateway_transaction_id="F",
        ),
    )
    retried = gql(ORDER_PAYMENT_RETRY, {"token": str(order.token), "gateway": "sandbox"}).payload("orderPaymentRetry")
    assert retried["errors"] == []
    assert retried["order"]["paymentStatus"] == "PENDING"
    assert retried["payment"]["status"] == "PENDING" and retried["payment"]["action"]["kind"] == "REDIRECT"
    assert retried["payment"]["action"]["url"].endswith(f"/payments/sandbox/{order.number}P2")
    cod = gql(ORDER_PAYMENT_RETRY, {"token": str(order.token), "gateway": "cod"})
    assert cod.error_codes("orderPaymentRetry") == ["PAYMENT_GATEWAY_UNAVAILABLE"]
    unknown = gql(ORDER_PAYMENT_RETRY, {"token": "6b1b5a9e-0000-4000-8000-000000000000", "gateway": "sandbox"})
    assert unknown.error_codes("orderPaymentRetry") == ["NOT_FOUND"]
