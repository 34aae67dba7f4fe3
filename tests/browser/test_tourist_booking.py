"""Journey: a tourist types "vuot thac" without diacritics, opens the canyoning trip, picks a day in
the month calendar and a time, sets 2 adults + 1 child with the steppers while the total follows,
books with nothing else in the cart, pays with the sandbox gateway and gets three tickets with QR
codes large enough for the gate scanner and calendar files.

Covers problem 1 (a cart of bookings only has its button to pay) and problem 8 (the experience
page: a calendar instead of one form per slot, the meeting point with an address and a map link,
a sticky "Book" bar with the live total, QR codes of at least 240 px)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from backend.experiences.models import BookingStatus, Ticket
from tests.browser.conftest import box, shoot
from tests.experiences.helpers import ADULT, CHILD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tourist_books_only_an_experience_and_pays(
    regions: None, new_page: Any, screenshot_dir: Path, settings: Any, viewport: str
) -> None:
    settings.DEBUG = True  # the sandbox gateway
    tour = make_tour(capacity=12)
    for days in range(1, 28):  # four weeks of two slots a day: the page must stay short
        for hour in (8, 14):
            tour.slot(days=days, hour=hour)
    slot = tour.slot(days=10, hour=16)
    day = timezone.localtime(slot.starts_at).date()

    tourist = new_page()
    tourist.goto("/")
    tourist.fill("#q", "vuot thac")
    tourist.press("#q", "Enter")
    tourist.wait_for_url("**/search/?q=vuot*")
    tourist.click(f"main a[href='/p/{tour.product.slug}/']")
    tourist.wait_for_selector("#calendar")
    if viewport == "phone":
        height = tourist.evaluate("document.documentElement.scrollHeight")
        assert height < 5000, height  # it was 12,700 px with one form per slot
    assert tourist.locator("form").count() <= 3  # one booking form (+ language switch)
    meeting = tourist.locator("[data-meeting-point]")
    assert "Cổng thác Datanla, Quốc lộ 20" in meeting.inner_text()
    assert "google.com/maps" in (meeting.locator("a[data-map-link]").get_attribute("href") or "")

    if day.month != timezone.localdate().month:
        tourist.click("#calendar a[rel=next]")
    tourist.click(f"#calendar a[data-day='{day.isoformat()}']")
    tourist.wait_for_url(f"**day={day.isoformat()}*")
    tourist.check(f"#slot-{slot.pk}")
    assert tourist.locator("#booking-total").inner_text() == "0 đ"
    plus_adult = tourist.locator("[data-stepper]:has(#id_people-adult) [data-step='1']")
    plus_adult.click()
    plus_adult.click()
    tourist.locator("[data-stepper]:has(#id_people-child) [data-step='1']").click()
    assert tourist.locator("#booking-total").inner_text() == f"{2 * ADULT + CHILD:,} đ".replace(",", ".")
    tourist.locator("#calendar").scroll_into_view_if_needed()
    tourist.screenshot(path=str(screenshot_dir / f"journey-tourist-calendar-{viewport}.png"))
    bar = box(tourist, ".book-bar")
    viewport_height = tourist.viewport_size["height"]
    assert bar["y"] + bar["height"] <= viewport_height + 1  # the bar with the total stays in sight
    tourist.click(".book-bar button[type=submit]")
    tourist.wait_for_url("**/cart/")
    assert tourist.locator("[data-booking-line]").count() == 1
    assert tourist.locator("#cart-count").inner_text() == "1"

    # Problem 1: bookings only, and still one clear button to go and pay.
    tourist.click("#cart a[data-checkout]")
    tourist.wait_for_url("**/checkout/")
    assert tourist.locator("#address").count() == 0  # bookings need no address
    tourist.fill("#id_contact-full_name", "Trần Thị Bích")
    tourist.fill("#id_contact-phone", "0912 345 678")
    tourist.fill("#id_contact-email", "bich@example.vn")
    tourist.click("form[action='/checkout/contact'] button[type=submit]")
    tourist.wait_for_url("**/checkout/#payment")
    tourist.check("input[name=gateway][value=sandbox]")
    tourist.click("form[action='/checkout/place'] button[type=submit]")
    tourist.wait_for_url("**/payments/sandbox/*")
    tourist.click("button.pay")
    tourist.wait_for_url("**/orders/*")

    assert tourist.locator("[data-ticket]").count() == 3
    for index in range(3):
        qr = tourist.locator("[data-ticket] svg").nth(index).bounding_box()
        assert qr is not None and qr["width"] >= 240 and qr["height"] >= 240, qr
    assert tourist.locator("a[href$='/calendar.ics']").count() == 3
    assert "Người lớn" in tourist.locator("#tickets").inner_text()
    tickets = Ticket.objects.select_related("booking")
    assert sorted(t.participant_type for t in tickets) == ["adult", "adult", "child"]
    assert {t.booking.status for t in tickets} == {BookingStatus.CONFIRMED}
    assert tickets[0].booking.total == 2 * ADULT + CHILD
    assert tickets[0].booking.slot_id == slot.pk
    shoot(tourist, screenshot_dir, "journey-tourist-tickets", viewport)
