"""The cart's forms, the buyer's orders and the order look-up, through Django's test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from backend.accounts.models import User
from backend.orders.models import CodStatus, SellerOrderStatus
from backend.orders.selectors import seller_order_actions
from backend.orders.services import cod_record, seller_order_cancel, seller_order_confirm, seller_order_fulfill
from tests.checkout.helpers import CARRIER, Shop
from tests.factories import UserFactory
from tests.web.test_permissions import place_cod_order

pytestmark = pytest.mark.django_db


def _cart(client: Client, shop: Shop, quantity: int = 2) -> None:
    assert client.post("/cart/add", {"variant": shop.variant.pk, "quantity": quantity}).status_code == 302


def test_enter_in_a_quantity_presses_update_not_remove(client: Client, shop: Shop) -> None:
    """Problem 2: a form's first submit button is what Enter presses; here it only updates."""
    _cart(client, shop)
    html = client.get("/cart/").content.decode()
    form = re.search(r"<form[^>]*data-lines>(.*?)</form>", html, re.S)
    assert form is not None
    first_button = re.search(r"<button[^>]*>", form.group(1))
    assert first_button is not None
    assert 'name="remove"' not in first_button.group(0) and "formaction" not in first_button.group(0)
    # Enter sends the typed quantity with that button (no name): the line stays, with 3.
    answer = client.post("/cart/update", {f"qty-{shop.variant.pk}": "3"}, follow=True)
    assert 'value="3"' in answer.content.decode() and 'data-line="' in answer.content.decode()


def test_steppers_and_remove_go_through_one_form(client: Client, shop: Shop) -> None:
    _cart(client, shop)
    more = client.post("/cart/update", {f"qty-{shop.variant.pk}": "2", f"set-{shop.variant.pk}": "3"}, follow=True)
    assert "450.000 đ" in more.content.decode()
    line = re.search(r'name="remove" value="(\d+)"', more.content.decode())
    assert line is not None
    gone = client.post("/cart/update", {f"qty-{shop.variant.pk}": "3", "remove": line.group(1)}, follow=True)
    assert 'data-line="' not in gone.content.decode()


def test_in_place_updates_keep_sending_the_buyer_back_to_the_page(client: Client, shop: Shop) -> None:
    """Problem 3: the fragment htmx swaps in names the page it came from, never its own POST URL."""
    _cart(client, shop)
    for path in ("/cart/", "/checkout/"):
        answer = client.post(
            "/cart/update",
            {f"qty-{shop.variant.pk}": "3"},
            HTTP_HX_REQUEST="true",
            HTTP_HX_CURRENT_URL=f"http://testserver{path}",
        )
        values = set(re.findall(r'name="next" value="([^"]*)"', answer.content.decode()))
        assert values == {path}, values
        assert 'hx-trigger="change, submit"' in answer.content.decode()  # "Choose delivery" posts by htmx too
    hostile = client.post(
        "/cart/update",
        {f"qty-{shop.variant.pk}": "3"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="https://evil.example/steal",
    )
    assert set(re.findall(r'name="next" value="([^"]*)"', hostile.content.decode())) == {"/cart/"}


def test_one_primary_button_whatever_the_cart_holds(client: Client, shop: Shop) -> None:
    """Problem 1 (goods side; the booking side is in test_experience_pages)."""
    _cart(client, shop)
    html = client.get("/cart/").content.decode()
    assert html.count("data-checkout") == 1 and 'href="/checkout/"' in html
    assert 'id="cart-count" class="count">1<' in client.get("/").content.decode()  # in the header


def test_booking_only_cart_has_its_button_to_pay(client: Client, regions: None) -> None:
    from tests.experiences.helpers import make_tour

    tour = make_tour()
    slot = tour.slot(days=5)
    client.post(f"/p/{tour.product.slug}/book", {"slot": slot.pk, "people-adult": 2})
    html = client.get("/cart/").content.decode()
    assert "data-booking-line" in html and "data-checkout" in html and 'href="/checkout/"' in html


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_my_orders_lists_only_mine_by_tab_in_fixed_queries(
    shop: Shop, other_shop: Shop, django_assert_max_num_queries: Any
) -> None:
    buyer = UserFactory()
    parts = []
    for _ in range(4):
        (part,) = place_cod_order(shop)
        part.order.user = buyer
        part.order.save(update_fields=["user"])
        parts.append(part)
    (someone_elses,) = place_cod_order(other_shop)
    seller_order_confirm(seller_order=parts[1], actor=shop.staff)
    seller_order_cancel(seller_order=parts[2], actor=shop.staff, reason="Hết hàng")
    client = _signed_in(buyer)
    client.get("/account/orders/")  # session and user loaded once
    with django_assert_max_num_queries(12):
        html = client.get("/account/orders/").content.decode()
    assert html.count('class="panel order-card"') == 4
    assert someone_elses.order.number not in html
    assert re.search(r'data-tab="cancelled">[^<]*<span class="count">1<', html)
    waiting = client.get("/account/orders/?tab=to-confirm").content.decode()
    assert waiting.count('class="panel order-card"') == 2
    shipping = client.get("/account/orders/?tab=shipping").content.decode()
    assert parts[1].order.number in shipping and 'data-step="confirmed" data-done' in shipping
    cancelled = client.get("/account/orders/?tab=cancelled").content.decode()
    assert parts[2].order.number in cancelled and "Hết hàng" in cancelled


def test_anonymous_lookup_by_number_and_phone_is_throttled(client: Client, shop: Shop) -> None:
    (part,) = place_cod_order(shop)
    order = part.order
    assert "data-order-lookup" in client.get("/account/orders/").content.decode()
    found = client.post("/account/orders/find", {"number": order.number.lower(), "contact": "0912 345 678"})
    assert found.status_code == 302 and found["Location"] == f"/orders/{order.token}"
    for _ in range(5):
        wrong = client.post("/account/orders/find", {"number": order.number, "contact": "0900 000 000"})
        assert wrong.status_code == 404 and str(order.token) not in wrong.content.decode()
    # Five failures for this number: even the right phone is refused until the window ends.
    blocked = client.post("/account/orders/find", {"number": order.number, "contact": "0912345678"})
    assert blocked.status_code == 429 and "Location" not in blocked


def test_order_page_shows_each_parts_timeline(client: Client, shop: Shop) -> None:
    (part,) = place_cod_order(shop)
    seller_order_confirm(seller_order=part, actor=shop.staff)
    seller_order_fulfill(seller_order=part, actor=shop.staff, tracking_number="GHN123")
    cod_record(seller_order=part, actor=shop.staff, status=CodStatus.COLLECTED)
    html = client.get(f"/orders/{part.order.token}").content.decode()
    for step in ("placed", "confirmed", "shipped", "delivered", "cod_collected"):
        assert f'data-step="{step}" data-done' in html, step
    assert "GHN123" in html


def test_seller_order_offers_only_the_next_valid_acts(shop: Shop) -> None:
    """Problem 10: "returned" is never offered on a new order; cash is the platform's on a carrier."""
    (part,) = place_cod_order(shop)
    new = seller_order_actions(part)
    assert (new.confirm, new.cancel, new.fulfil, new.delivered, new.cod_events) == (True, True, False, False, [])
    seller_order_confirm(seller_order=part, actor=shop.staff)
    part.refresh_from_db()
    confirmed = seller_order_actions(part)
    assert (confirmed.confirm, confirmed.fulfil, confirmed.cod_events) == (False, True, [])
    seller_order_fulfill(seller_order=part, actor=shop.staff)
    part.refresh_from_db()
    assert sorted(seller_order_actions(part).cod_events) == [CodStatus.COLLECTED, CodStatus.DELIVERY_FAILED]
    cod_record(seller_order=part, actor=shop.staff, status=CodStatus.DELIVERY_FAILED)
    part.refresh_from_db()
    assert sorted(seller_order_actions(part).cod_events) == [CodStatus.IN_TRANSIT, CodStatus.RETURNING]
    part.delivery_kind = CARRIER
    part.cod_status = CodStatus.IN_TRANSIT
    assert seller_order_actions(part).cod_events == [CodStatus.DELIVERY_FAILED]
    assert part.status == SellerOrderStatus.FULFILLED


def test_seller_order_page_shows_only_those_acts(client: Client, shop: Shop) -> None:
    (part,) = place_cod_order(shop)
    client.force_login(shop.staff)
    html = client.get(f"/seller/{shop.seller.pk}/orders/{part.pk}/").content.decode()
    assert 'data-act="confirm"' in html and "data-cod-event" not in html and 'data-act="fulfil"' not in html
