"""The whole buyer journey through the public API: GraphQL for the buyer and the sellers, HTTP for
the gateway's notification. Checks order, seller orders, stock, ledger, event log and audit."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from backend.moderation.models import AuditEntry
from backend.orders.ledger import commission_for
from backend.orders.models import LedgerEntry, PaymentEvent
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, OWN, PICKUP, make_shop
from tests.checkout.operations import CHECKOUT_ADDRESS, CHECKOUT_COMPLETE, CHECKOUT_CREATE, CHECKOUT_DELIVERY
from tests.conftest import GQL
from tests.factories import commune
from tests.orders.operations import ORDER_BY_TOKEN, SELLER_BALANCE, SELLER_ORDER_CONFIRM
from tests.orders.payment_helpers import configure_gateways, send, vnpay_ipn

pytestmark = pytest.mark.django_db


def _cart(gql: GQL, shops: list[Any], quantity: int) -> dict[str, Any]:
    created = gql(
        CHECKOUT_CREATE,
        {
            "lines": [{"variant": global_id("ProductVariant", s.variant.pk), "quantity": quantity} for s in shops],
            "email": "du.khach@example.vn",
        },
    ).payload("checkoutCreate")
    assert created["errors"] == []
    checkout = created["checkout"]
    address = {
        "fullName": "Phạm Thu Hà",
        "phone": "0987 654 321",
        "street": "20 Bùi Thị Xuân",
        "commune": global_id("Commune", commune(OTHER_DA_LAT_COMMUNE).pk),
    }
    answer = gql(CHECKOUT_ADDRESS, {"id": checkout["id"], "address": address}).payload("checkoutShippingAddressUpdate")
    assert answer["errors"] == []
    for group, shop, kind in zip(answer["checkout"]["deliveryGroups"], shops, (OWN, PICKUP), strict=False):
        assert group["seller"]["name"] == shop.seller.name
        method = next(m for m in group["methods"] if m["kind"] == kind)
        chosen = gql(CHECKOUT_DELIVERY, {"id": checkout["id"], "seller": group["seller"]["id"], "method": method["id"]})
        assert chosen.payload("checkoutDeliveryMethodUpdate")["errors"] == []
        checkout = chosen.payload("checkoutDeliveryMethodUpdate")["checkout"]
    return checkout


def test_vnpay_journey_from_cart_to_paid_order(
    regions: None, gql: GQL, client: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    farm, tea = make_shop(price=150_000, stock=10), make_shop(price=90_000, stock=4)
    checkout = _cart(gql, [farm, tea], quantity=2)
    assert "vnpay" in {g["id"] for g in checkout["availableGateways"]}
    # Own delivery to another commune of the province: 35,000 đ; pickup: free.
    assert checkout["deliveryTotal"]["amount"] == 35_000
    assert checkout["total"]["amount"] == 2 * 150_000 + 2 * 90_000 + 35_000

    done = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "vnpay"}).payload("checkoutComplete")
    assert done["errors"] == []
    order, payment = done["order"], done["payment"]
    assert order["paymentStatus"] == "PENDING" and order["status"] == "UNCONFIRMED"
    assert payment["action"]["kind"] == "REDIRECT"
    url = urlparse(payment["action"]["url"])
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert params["vnp_Amount"] == str(order["total"]["amount"] * 100)
    assert params["vnp_TxnRef"].startswith(order["number"])
    farm.variant.refresh_from_db()
    tea.variant.refresh_from_db()
    assert (farm.variant.stock, tea.variant.stock) == (8, 2)

    # VNPay calls the IPN server to server: signed per the documented algorithm.
    answer = send(client, vnpay_ipn(params["vnp_TxnRef"], order["total"]["amount"]))
    assert answer.json() == {"RspCode": "00", "Message": "Confirm Success"}
    replay = send(client, vnpay_ipn(params["vnp_TxnRef"], order["total"]["amount"]))
    assert replay.json()["RspCode"] == "02"

    view = gql(ORDER_BY_TOKEN, {"token": order["token"]}).data["orderByToken"]
    assert view["paymentStatus"] == "PAID" and view["status"] == "CONFIRMED"
    assert {so["status"] for so in view["sellerOrders"]} == {"CONFIRMED"}
    for shop in (farm, tea):
        balance = gql(SELLER_BALANCE, {"seller": global_id("Seller", shop.seller.pk)}, user=shop.staff)
        part = next(so for so in done["order"]["sellerOrders"] if so["seller"]["name"] == shop.seller.name)
        assert part["commission"] is None  # the buyer never sees the seller's commission
        rate = shop.seller.commission_rate_bp
        owed = part["total"]["amount"] - commission_for(subtotal=part["subtotal"]["amount"], rate_bp=rate)
        assert balance.data["sellerBalance"]["balance"]["amount"] == owed
    assert LedgerEntry.objects.filter(seller_order__order__number=order["number"]).count() == 4
    events = list(PaymentEvent.objects.order_by("id").values_list("outcome", flat=True))
    assert events == ["OK", "ALREADY_CONFIRMED"]
    assert AuditEntry.objects.filter(action="payment.paid").count() == 1
    assert AuditEntry.objects.filter(action="order.create").count() == 1


def test_cod_journey_each_seller_confirms_its_part(regions: None, gql: GQL) -> None:
    farm, tea = make_shop(price=150_000), make_shop(price=90_000)
    checkout = _cart(gql, [farm, tea], quantity=1)
    done = gql(CHECKOUT_COMPLETE, {"id": checkout["id"], "gateway": "cod"}).payload("checkoutComplete")
    assert done["errors"] == [] and done["payment"]["action"]["kind"] == "NONE"
    order = done["order"]
    assert order["paymentStatus"] == "NOT_CHARGED"
    parts = {so["seller"]["name"]: so for so in order["sellerOrders"]}
    # The other seller's staff cannot confirm this part; its own staff can.
    refused = gql(SELLER_ORDER_CONFIRM, {"id": parts[farm.seller.name]["id"]}, user=tea.staff)
    assert refused.error_codes("sellerOrderConfirm") == ["PERMISSION_DENIED"]
    for shop in (farm, tea):
        confirmed = gql(SELLER_ORDER_CONFIRM, {"id": parts[shop.seller.name]["id"]}, user=shop.staff)
        assert confirmed.payload("sellerOrderConfirm")["errors"] == []
    view = gql(ORDER_BY_TOKEN, {"token": order["token"]}).data["orderByToken"]
    assert view["status"] == "CONFIRMED" and view["paymentStatus"] == "NOT_CHARGED"
    assert not LedgerEntry.objects.exists()  # no money yet: cash is collected on delivery
