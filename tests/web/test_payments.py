"""The payment step of the web checkout: the payment returned by checkout_complete says where the
buyer goes (gateway page, the VietQR code on the order page), and listings cost fixed queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backend.orders.models import Order
from tests.checkout.helpers import PICKUP, Shop
from tests.orders.payment_helpers import configure_gateways, place_order
from tests.web.test_storefront import _address, _fill_cart

pytestmark = pytest.mark.django_db


def _ready(client: Client, shop: Shop) -> None:
    _fill_cart(client, shop)
    _address(client)
    client.post("/cart/delivery", {"seller": shop.seller.pk, "method": shop.method(PICKUP).pk})


def test_online_gateway_redirects_to_its_payment_page(
    client: Client, shop: Shop, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    _ready(client, shop)
    assert 'value="sandbox"' in client.get("/checkout/").content.decode()
    placed = client.post("/checkout/place", {"gateway": "sandbox"})
    order = Order.objects.get()
    assert placed.status_code == 302
    assert placed["Location"].endswith(f"/payments/sandbox/{order.number}P1")


def test_order_page_shows_the_vietqr_code_while_pending(
    client: Client, regions: None, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    configure_gateways(monkeypatch, settings)
    placed = place_order("vietqr", monkeypatch)
    html = client.get(f"/orders/{placed.order.token}").content.decode()
    assert "<svg" in html and placed.payment.reference in html


def test_search_and_product_pages_cost_fixed_queries(
    client: Client, shop: Shop, other_shop: Shop, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        assert client.get(f"/p/{shop.variant.product.slug}/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/s/{shop.seller.slug}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/search/?q=dau").status_code == 200
