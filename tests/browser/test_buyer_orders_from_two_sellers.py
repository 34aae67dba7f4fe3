"""Journey 3: a buyer orders from two sellers with cash on delivery; each seller confirms its part."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.orders.models import Order
from tests.browser.conftest import sign_in
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, make_shop
from tests.factories import DEFAULT_PASSWORD, commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_orders_from_two_sellers_with_cod(regions: None, new_page: Any, screenshot_dir: Path) -> None:
    farm = make_shop(price=150_000, stock=10, name="HTX Dâu Tây Thái Phiên")
    tea = make_shop(price=90_000, stock=5, name="HTX Chè Cầu Đất")

    buyer = new_page()
    for shop in (farm, tea):
        buyer.goto(f"/p/{shop.variant.product.slug}/")
        buyer.fill("#id_quantity", "2")
        buyer.click("form[action='/cart/add'] button[type=submit]")
        buyer.wait_for_url("**/cart/")
    assert buyer.locator("#cart-total").inner_text() == "480.000 đ"

    buyer.goto("/checkout/")
    buyer.fill("#id_full_name", "Phạm Thu Hà")
    buyer.fill("#id_phone", "0987 654 321")
    buyer.fill("#id_street", "20 Bùi Thị Xuân")
    buyer.select_option("#id_commune", str(commune(OTHER_DA_LAT_COMMUNE).pk))
    buyer.click("form[action='/checkout/address'] button[type=submit]")
    buyer.wait_for_url("**/checkout/#delivery")
    for shop in (farm, tea):
        # htmx posts the choice and swaps the cart in place (live totals).
        with buyer.expect_response("**/cart/delivery"):
            buyer.check(f"#method-{shop.method(PICKUP).pk}")
        buyer.wait_for_selector(f"#method-{shop.method(PICKUP).pk}:checked")
    buyer.check("input[name=gateway][value=cod]")
    buyer.click("form[action='/checkout/place'] button[type=submit]")
    buyer.wait_for_url("**/orders/*")
    order = Order.objects.get()
    assert buyer.locator("[data-seller-order]").count() == 2
    assert order.total == 480_000 and order.gateway == "cod"

    for shop in (farm, tea):
        seller_page = new_page()
        part = order.seller_orders.get(seller=shop.seller)
        sign_in(seller_page, shop.staff.email, DEFAULT_PASSWORD, f"/seller/{shop.seller.pk}/orders/")
        seller_page.click(f"[data-seller-order='{part.pk}'] a")
        seller_page.click("form[action$='/confirm'] button[type=submit]")
        seller_page.wait_for_selector("[data-status=CONFIRMED]")

    buyer.reload()
    assert buyer.locator("[data-order-status=CONFIRMED]").count() == 1
    buyer.screenshot(path=str(screenshot_dir / "journey3-buyer-order-confirmed.png"), full_page=True)
