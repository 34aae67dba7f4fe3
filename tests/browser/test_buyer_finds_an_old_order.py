"""Journey: a signed-in buyer opens "My orders" from the header, picks the "waiting for confirmation"
tab, follows an order's timeline, then goes back to the tickets of an earlier booking; a buyer who
ordered without an account finds the order with its number and phone.

Covers problem 5 (no order list for a signed-in buyer, no way back to the tickets without the
e-mail)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from backend.checkout.services import (
    AddressData,
    LineInput,
    checkout_create,
    checkout_delivery_preselect,
    checkout_shipping_address_update,
)
from backend.orders.services import checkout_complete
from tests.browser.conftest import expect_status, shoot, sign_in
from tests.checkout.helpers import make_shop
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book_and_pay
from tests.factories import DEFAULT_PASSWORD, UserFactory, commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def cod_order(shop: Any, *, user: Any, phone: str = "0912345678") -> Any:
    checkout = checkout_create(user=user, lines=[LineInput(variant_id=shop.variant.pk, quantity=2)])
    address = AddressData(full_name="Lê Văn An", phone=phone, street="3 Hùng Vương", commune_id=commune().pk)
    checkout_shipping_address_update(checkout=checkout, address=address)
    checkout_delivery_preselect(checkout=checkout)
    return checkout_complete(checkout=checkout, gateway_id="cod", user=user).order


def test_buyer_finds_an_old_order_from_my_orders(
    regions: None, new_page: Any, screenshot_dir: Path, viewport: str, monkeypatch: Any, settings: Any
) -> None:
    buyer = UserFactory(email="ha@example.vn")
    shop = make_shop(price=150_000, name="HTX Dâu Tây Thái Phiên")
    goods = cod_order(shop, user=buyer)
    tour = make_tour()
    trip = book_and_pay(Client(), monkeypatch, settings, slot=tour.slot(days=12), adults=2, user=buyer)
    settings.DEBUG = False
    anonymous = cod_order(shop, user=None, phone="0987654321")

    page = new_page()
    sign_in(page, buyer.email, DEFAULT_PASSWORD, "/")
    page.click("header a[href='/account/orders/']")
    page.wait_for_url("**/account/orders/")
    assert page.locator(f"[data-order='{goods.number}']").count() == 1
    assert page.locator(f"[data-order='{trip.number}']").count() == 1
    assert page.locator(f"[data-order='{anonymous.number}']").count() == 0  # not this buyer's
    page.click("a[data-tab=to-confirm]")
    page.wait_for_url("**tab=to-confirm")
    assert page.locator("[data-order]").count() == 1
    card = page.locator(f"[data-order='{goods.number}']")
    assert card.locator("[data-step=placed][data-done]").count() == 1
    assert card.locator("[data-step=confirmed]:not([data-done])").count() == 1
    card.locator("a", has_text=goods.number).click()
    page.wait_for_url(f"**/orders/{goods.token}")
    assert page.locator("[data-step=placed][data-done]").count() == 1

    page.goto("/account/orders/")
    page.locator(f"[data-order='{trip.number}'] a[data-tickets]").click()
    page.wait_for_url(f"**/orders/{trip.token}#tickets")
    assert page.locator("[data-ticket]").count() == 2
    qr = page.locator("[data-ticket] svg").first.bounding_box()
    assert qr is not None and qr["width"] >= 240
    shoot(page, screenshot_dir, "journey-buyer-my-orders", viewport)

    stranger = new_page()
    stranger.goto("/account/orders/")
    stranger.fill("#id_number", anonymous.number.lower())
    stranger.fill("#id_contact", "0900 000 000")
    expect_status(stranger, 404)
    stranger.click("form[data-order-lookup] button[type=submit]")
    stranger.wait_for_selector("form[data-order-lookup] .errorlist")
    stranger.fill("#id_contact", "0987 654 321")
    stranger.click("form[data-order-lookup] button[type=submit]")
    stranger.wait_for_url(f"**/orders/{anonymous.token}")
    assert anonymous.number in stranger.locator("h1").inner_text()
