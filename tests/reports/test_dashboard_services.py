"""The dashboard over orders made by the real services: checkout, cash collected, refund, cancel."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from backend.checkout import services as checkout_services
from backend.checkout.services import AddressData, LineInput
from backend.orders import services as order_services
from backend.orders.payments import order_refund
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, Shop, make_shop
from tests.conftest import GQL
from tests.factories import commune
from tests.reports.helpers import province_admin

pytestmark = pytest.mark.django_db

QUERY = """
query D($from: Date!, $to: Date!) {
  provinceDashboard(province: "lam-dong", dateFrom: $from, dateTo: $to) {
    gmv { amount } orders goodsGmv { amount } byDay { day gmv { amount } orders }
    topSellers { name gmv { amount } orders }
  }
}
"""


def _cod_order(shop: Shop, quantity: int) -> Any:
    checkout = checkout_services.checkout_create(
        user=None, lines=[LineInput(variant_id=shop.variant.pk, quantity=quantity)]
    )
    checkout_services.checkout_shipping_address_update(
        checkout=checkout,
        address=AddressData(
            full_name="Trần Thị B",
            phone="0912345678",
            street="12 Nguyễn Trãi",
            commune_id=commune(OTHER_DA_LAT_COMMUNE).pk,
        ),
    )
    checkout_services.checkout_delivery_method_update(
        checkout=checkout, seller_id=shop.seller.pk, method_id=shop.method(PICKUP).pk
    )
    return order_services.checkout_complete(checkout=checkout, gateway_id="cod", user=None).order.seller_orders.get()


def _collect(shop: Shop, seller_order: Any) -> None:
    order_services.seller_order_confirm(seller_order=seller_order, actor=shop.staff)
    order_services.seller_order_fulfill(seller_order=seller_order, actor=shop.staff, tracking_number="")
    order_services.cod_record(seller_order=seller_order, actor=shop.staff, status="COLLECTED")


def test_collected_refunded_and_cancelled_orders(regions: None, gql: GQL) -> None:
    shop = make_shop(price=80_000, stock=20, name="HTX Thật")
    admin = province_admin()
    collected = _cod_order(shop, 2)  # 160 000, cash collected
    _collect(shop, collected)
    refunded = _cod_order(shop, 3)  # 240 000 collected, 40 000 given back after a complaint
    _collect(shop, refunded)
    order_refund(seller_order=refunded, actor=admin, amount=40_000, reason="Dâu bị dập")
    cancelled = _cod_order(shop, 1)  # cancelled before any cash: nothing
    order_services.seller_order_cancel(seller_order=cancelled, actor=shop.staff, reason="Hết hàng")
    _cod_order(shop, 1)  # placed, cash not collected yet: nothing

    today = timezone.localdate().isoformat()
    d = gql(QUERY, {"from": today, "to": today}, user=admin).data["provinceDashboard"]
    assert d["gmv"]["amount"] == 160_000 + 240_000 - 40_000
    assert d["orders"] == 2
    assert d["goodsGmv"]["amount"] == 360_000  # pickup: no delivery fee
    assert d["byDay"] == [{"day": today, "gmv": {"amount": 360_000}, "orders": 2}]
    assert d["topSellers"] == [{"name": "HTX Thật", "gmv": {"amount": 360_000}, "orders": 2}]
