"""Journey 1: a tourist finds an experience typed without diacritics, books 2 adults + 1 child in a
slot, gives a contact (no address), pays with the sandbox gateway and sees three tickets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backend.experiences.models import BookingStatus, Ticket
from tests.experiences.helpers import ADULT, CHILD, make_tour

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tourist_books_an_experience_and_gets_tickets(
    regions: None, new_page: Any, screenshot_dir: Path, settings: Any
) -> None:
    settings.DEBUG = True  # the sandbox gateway
    tour = make_tour(capacity=12)
    slot = tour.slot(days=10)

    tourist = new_page()
    tourist.goto("/")
    tourist.fill("#q", "vuot thac")
    tourist.press("#q", "Enter")
    tourist.wait_for_url("**/search/?q=vuot*")
    tourist.click(f"main a[href='/p/{tour.product.slug}/']")
    tourist.wait_for_selector(f"#slot-{slot.pk}")

    tourist.fill(f"#id_s{slot.pk}_people-adult", "2")
    tourist.fill(f"#id_s{slot.pk}_people-child", "1")
    tourist.click(f"#slot-{slot.pk} button[type=submit]")
    tourist.wait_for_url("**/cart/")
    assert tourist.locator("[data-booking-line]").count() == 1

    tourist.goto("/checkout/")
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
    assert tourist.locator("[data-ticket] svg").count() == 3
    assert tourist.locator("a[href$='/calendar.ics']").count() == 3
    tickets = Ticket.objects.select_related("booking")
    assert sorted(t.participant_type for t in tickets) == ["adult", "adult", "child"]
    assert {t.booking.status for t in tickets} == {BookingStatus.CONFIRMED}
    assert tickets[0].booking.total == 2 * ADULT + CHILD
    tourist.screenshot(path=str(screenshot_dir / "journey1-tourist-tickets.png"), full_page=True)
