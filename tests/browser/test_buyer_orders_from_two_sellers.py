"""Journey: a buyer fills one cart from two sellers, changes a quantity by typing it and pressing
Enter (the phone's Go key), then with the + stepper, changes a delivery with "Choose delivery",
gives an address in another commune (the fee change is explained), pays cash on delivery; each
seller sees only the next valid acts, confirms, hands over with a tracking number and records the
cash; the buyer follows it on the order's timeline.

Covers problem 2 (Enter in a quantity deleted the line), problem 3 ("Choose delivery" answered a
blank 405 after an in-place update) and problem 10 (no delivery preselected, a fee change without
a reason, no cart count in the header, cash-on-delivery states not tied to the order's state)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.orders.models import CodStatus, Order, SellerOrderStatus
from tests.browser.conftest import shoot, sign_in
from tests.checkout.helpers import CARRIER, OTHER_DA_LAT_COMMUNE, OWN, make_shop
from tests.factories import DEFAULT_PASSWORD, commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_buyer_orders_from_two_sellers_with_cod(
    regions: None, new_page: Any, screenshot_dir: Path, viewport: str
) -> None:
    farm = make_shop(price=150_000, stock=10, name="HTX Dâu Tây Thái Phiên")
    tea = make_shop(price=90_000, stock=5, name="HTX Chè Cầu Đất")

    buyer = new_page()
    for count, shop in enumerate((farm, tea), start=1):
        buyer.goto(f"/p/{shop.variant.product.slug}/")
        buyer.fill("#id_quantity", "2")
        buyer.click("form[action='/cart/add'] button[type=submit]")
        buyer.wait_for_url("**/cart/")
        assert buyer.locator("header #cart-count").inner_text() == str(count)
    # Problem 10: each seller's cheapest delivery is chosen, so the total is the whole price.
    for shop in (farm, tea):
        assert buyer.locator(f"#method-{shop.method(OWN).pk}").is_checked()
    assert buyer.locator("[data-delivery-total]").inner_text() == "30.000 đ"
    assert buyer.locator("#cart-total").inner_text() == "510.000 đ"
    assert buyer.locator(f"[data-seller-group='{farm.seller.pk}'] [data-fee-note]").count() == 3

    # Problem 2: typing 3 and pressing Enter updates the line instead of deleting it.
    quantity = buyer.locator(f"#qty-{farm.variant.pk}")
    quantity.fill("3")
    with buyer.expect_response("**/cart/update"):
        quantity.press("Enter")
    buyer.wait_for_selector(f"#qty-{farm.variant.pk}[value='3']")
    assert buyer.locator("[data-line]").count() == 2
    with buyer.expect_response("**/cart/update"):
        buyer.click(f"[data-line] button[name='set-{farm.variant.pk}'][value='4']")
    buyer.wait_for_selector(f"#qty-{farm.variant.pk}[value='4']")
    assert buyer.locator("#cart-total").inner_text() == "810.000 đ"

    # Problem 3: after the in-place updates every form still comes back to the cart.
    assert set(buyer.locator("#cart input[name=next]").evaluate_all("els => els.map(e => e.value)")) == {"/cart/"}
    tea_group = buyer.locator(f"[data-seller-group='{tea.seller.pk}']")
    # Choosing a radio saves it at once (an in-place request); each step waits for its answer so
    # that the next one starts from what the server holds.
    with buyer.expect_response("**/cart/delivery"):
        tea_group.locator(f"#method-{tea.method(CARRIER).pk}").check()
    with buyer.expect_response("**/cart/delivery"):
        buyer.locator(f"[data-seller-group='{tea.seller.pk}'] button[data-choose]").click()
    buyer.wait_for_selector(f"#method-{tea.method(CARRIER).pk}:checked")
    assert buyer.url.endswith("/cart/")
    with buyer.expect_response("**/cart/delivery"):
        buyer.locator(f"[data-seller-group='{tea.seller.pk}'] #method-{tea.method(OWN).pk}").check()
    buyer.wait_for_selector(f"#method-{tea.method(OWN).pk}:checked")
    assert buyer.locator("[data-delivery-total]").inner_text() == "30.000 đ"

    buyer.click("#cart a[data-checkout]")
    buyer.wait_for_url("**/checkout/")
    buyer.fill("#id_full_name", "Phạm Thu Hà")
    buyer.fill("#id_phone", "0987 654 321")
    buyer.fill("#id_street", "20 Bùi Thị Xuân")
    buyer.select_option("#id_commune", str(commune(OTHER_DA_LAT_COMMUNE).pk))
    buyer.click("form[action='/checkout/address'] button[type=submit]")
    buyer.wait_for_url("**/checkout/#delivery")
    # Problem 10: the fee went from 15.000 đ to 35.000 đ, and the page says why.
    notes = buyer.locator(".messages").inner_text()
    assert "35.000 đ" in notes and "trong tỉnh" in notes and farm.seller.name in notes
    assert buyer.locator("#pay-total").inner_text() == "850.000 đ"  # 780.000 đ of goods + 2 × 35.000 đ
    buyer.check("input[name=gateway][value=cod]")
    buyer.click("form[action='/checkout/place'] button[type=submit]")
    buyer.wait_for_url("**/orders/*")
    order = Order.objects.get()
    assert buyer.locator("[data-seller-order]").count() == 2
    assert order.gateway == "cod" and order.delivery_total == 70_000

    for shop in (farm, tea):
        seller_page = new_page()
        part = order.seller_orders.get(seller=shop.seller)
        sign_in(seller_page, shop.staff.email, DEFAULT_PASSWORD, f"/seller/{shop.seller.pk}/orders/")
        seller_page.click(f"[data-seller-order='{part.pk}'] a")
        actions = seller_page.locator("[data-next-actions]")
        # A new order: confirm or cancel, never a cash-on-delivery event such as "returned".
        assert actions.locator("[data-act=confirm]").count() == 1
        assert actions.locator("[data-cod-event]").count() == 0
        seller_page.click("[data-act=confirm]")
        seller_page.wait_for_selector("[data-status=CONFIRMED]")
        assert seller_page.locator("[data-cod-event]").count() == 0
        seller_page.fill("#id_tracking_number", f"VD-{part.pk}")
        seller_page.click("[data-act=fulfil]")
        seller_page.wait_for_selector("[data-status=FULFILLED]")
        events = seller_page.locator("[data-cod-event]").evaluate_all("els => els.map(e => e.value)")
        assert sorted(events) == sorted([CodStatus.COLLECTED, CodStatus.DELIVERY_FAILED])  # never "returned"
        seller_page.click(f"[data-cod-event={CodStatus.COLLECTED}]")
        seller_page.wait_for_selector(f"[data-cod-status={CodStatus.COLLECTED}]")
        assert seller_page.locator("[data-nothing-to-do]").count() == 1

    buyer.reload()
    assert buyer.locator("[data-order-status=FULFILLED]").count() == 1
    assert buyer.locator("[data-step=shipped][data-done]").count() == 2
    assert buyer.locator("[data-step=cod_collected][data-done]").count() == 2
    assert "VD-" in buyer.locator("[data-step=shipped]").first.inner_text()
    assert set(order.seller_orders.values_list("status", flat=True)) == {SellerOrderStatus.FULFILLED}
    shoot(buyer, screenshot_dir, "journey-buyer-order-timeline", viewport)
