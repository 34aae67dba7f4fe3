"""Storefront pages through Django's test client: browse, product, cart, checkout without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from backend.checkout.models import Checkout
from backend.orders.models import Order, SellerOrderStatus
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, OWN, Shop
from tests.factories import commune

pytestmark = pytest.mark.django_db


def test_home_and_seller_pages_render_in_vietnamese(client: Client, shop: Shop) -> None:
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert '<html lang="vi">' in html
    assert shop.variant.product.name in html
    seller = client.get(f"/s/{shop.seller.slug}/")
    assert seller.status_code == 200 and shop.variant.product.name in seller.content.decode()


def test_language_switch_to_english(client: Client, shop: Shop) -> None:
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_product_page_shows_variants_seller_and_origin(client: Client, shop: Shop) -> None:
    product = shop.variant.product
    page = client.get(f"/p/{product.slug}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert shop.variant.name in html and shop.seller.name in html and product.commune.name in html
    assert "150.000 đ" in html


def test_unpublished_product_is_not_found(client: Client, shop: Shop) -> None:
    product = shop.variant.product
    type(product).objects.filter(pk=product.pk).update(is_published=False)
    assert client.get(f"/p/{product.slug}/").status_code == 404


def _fill_cart(client: Client, *shops: Shop) -> None:
    for item in shops:
        answer = client.post("/cart/add", {"variant": item.variant.pk, "quantity": 2})
        assert answer.status_code == 302


def _address(client: Client) -> None:
    answer = client.post(
        "/checkout/address",
        {
            "full_name": "Phạm Thu Hà",
            "phone": "0987 654 321",
            "street": "20 Bùi Thị Xuân",
            "commune": commune(OTHER_DA_LAT_COMMUNE).pk,
        },
    )
    assert answer.status_code == 302, answer.content.decode()


def test_cart_to_cod_order_without_javascript(client: Client, shop: Shop, other_shop: Shop) -> None:
    _fill_cart(client, shop, other_shop)
    cart = client.get("/cart/").content.decode()
    assert shop.seller.name in cart and other_shop.seller.name in cart
    assert "480.000 đ" in cart  # 2 × 150 000 + 2 × 90 000, no delivery chosen yet
    _address(client)
    for item in (shop, other_shop):
        answer = client.post("/cart/delivery", {"seller": item.seller.pk, "method": item.method("PICKUP").pk})
        assert answer.status_code == 302
    page = client.get("/checkout/")
    assert page.status_code == 200
    placed = client.post("/checkout/place", {"gateway": "cod"})
    assert placed.status_code == 302
    order = Order.objects.get()
    assert placed["Location"] == f"/orders/{order.token}?placed=1"
    status = client.get(placed["Location"]).content.decode()
    assert order.number in status and "480.000 đ" in status
    assert [so.status for so in order.seller_orders.all()] == [SellerOrderStatus.UNCONFIRMED] * 2
    assert client.get("/cart/").content.decode().count("qty-") == 0  # a fresh, empty cart


def test_checkout_errors_are_shown_next_to_fields(client: Client, shop: Shop) -> None:
    _fill_cart(client, shop)
    answer = client.post("/checkout/address", {"full_name": "", "phone": "123", "street": "", "commune": ""})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert 'id="id_full_name-errors"' in html and 'id="id_phone-errors"' in html and 'id="id_street-errors"' in html


def test_old_address_is_converted(client: Client, shop: Shop) -> None:
    _fill_cart(client, shop)
    answer = client.post(
        "/checkout/address",
        {
            "full_name": "Phạm Thu Hà",
            "phone": "0987654321",
            "street": "1 Trần Phú",
            "use_legacy": "on",
            "legacy_ward": "Phường 7",
            "legacy_district": "Thành phố Đà Lạt",
            "legacy_province": "Lâm Đồng",
        },
    )
    assert answer.status_code == 302
    checkout = Checkout.objects.select_related("commune").get()
    assert checkout.commune is not None and "Đà Lạt" in checkout.commune.name


def test_the_cheapest_delivery_is_chosen_for_the_buyer(client: Client, shop: Shop) -> None:
    """Problem 10: the cart shows its delivery fee at once (the cheapest method that brings the goods,
    not pickup), so the total is what the buyer pays; the address then explains a change of fee."""
    _fill_cart(client, shop)
    checkout = Checkout.objects.get()
    own = shop.method(OWN)
    assert checkout.delivery_choices == {str(shop.seller.pk): own.pk}
    cart = client.get("/cart/").content.decode()
    assert f'id="method-{own.pk}" name="method" value="{own.pk}" checked' in cart
    assert "15.000 đ" in cart and "data-fee-note" in cart
    _address(client)  # in another commune of the province
    messages = client.get("/checkout/").content.decode().split('class="messages"')[1].split("</ul>")[0]
    assert "35.000 đ" in messages and shop.seller.name in messages and "trong tỉnh" in messages
    assert client.post("/checkout/place", {"gateway": "cod"}).status_code == 302
    assert Order.objects.get().delivery_total == 35_000


def test_adding_more_than_the_stock_is_refused(client: Client, shop: Shop) -> None:
    answer = client.post("/cart/add", {"variant": shop.variant.pk, "quantity": 50}, follow=True)
    assert "10" in answer.content.decode()
    assert client.get("/cart/").content.decode().count("qty-") == 0


def test_htmx_cart_update_returns_the_fragment(client: Client, shop: Shop) -> None:
    _fill_cart(client, shop)
    answer = client.post("/cart/update", {f"qty-{shop.variant.pk}": "3"}, HTTP_HX_REQUEST="true")
    html = answer.content.decode()
    assert answer.status_code == 200 and html.startswith('<div id="cart">') and "450.000 đ" in html


def test_order_page_of_unknown_token_is_404(client: Client, db: Any) -> None:
    assert client.get("/orders/not-a-token").status_code == 404
