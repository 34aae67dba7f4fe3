"""Experience pages through Django's test client: the experience page and its slot calendar,
booking into the cart, the contact-only checkout, tickets and cancellation on the order page, the
operator's set-up pages (only for their own experiences) and the check-in page."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from backend.experiences.models import Booking, BookingStatus, Slot, SlotStatus, Ticket
from backend.orders.models import Order
from tests.experiences.helpers import ADULT, CHILD, Tour, make_tour
from tests.factories import SellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(regions: None, settings: Any) -> Tour:
    settings.DEBUG = True  # the sandbox gateway
    return make_tour(capacity=12)


def book(client: Client, tour: Tour, slot: Slot, adults: int, children: int = 0) -> Any:
    return client.post(
        f"/p/{tour.product.slug}/book",
        {"slot": slot.pk, "people-adult": adults, "people-child": children},
    )


def buy(client: Client, tour: Tour, slot: Slot, adults: int = 2, children: int = 1) -> Order:
    """Book, give the contact, pay with the sandbox gateway: the order, paid."""
    assert book(client, tour, slot, adults, children).status_code == 302
    answer = client.post(
        "/checkout/contact",
        {"contact-full_name": "Trần Thị Bích", "contact-phone": "0912 345 678", "contact-email": "bich@example.vn"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    placed = client.post("/checkout/place", {"gateway": "sandbox"})
    assert placed.status_code == 302 and "/payments/sandbox/" in placed["Location"], placed
    paid = client.post(placed["Location"], {"outcome": "pay"})
    assert paid.status_code == 303
    order = Order.objects.order_by("-id").first()
    assert order is not None
    return order


def test_experience_page_shows_details_prices_policy_and_calendar(client: Client, tour: Tour) -> None:
    first, second = tour.slot(days=3, hour=8), tour.slot(days=3, hour=14)
    later = tour.slot(days=4, hour=8)
    day = timezone.localtime(first.starts_at).date()
    html = client.get(f"/p/{tour.product.slug}/?month={day:%Y-%m}&day={day.isoformat()}").content.decode()
    assert "Cổng thác Datanla, Quốc lộ 20" in html and "Hướng dẫn viên, đồ bảo hộ, nước uống" in html
    assert "data-map-link" in html and "google.com/maps/search/" in html  # the meeting point on a map
    assert "450.000 đ" in html and "300.000 đ" in html
    assert "72" in html and "data-policy" in html
    # The month: one cell per day with its free places (both slots of the day add up).
    assert html.count(f'data-day="{day.isoformat()}" data-places="24"') == 1
    # The chosen day's times only, the first with places preselected, one form for all.
    assert f'id="slot-{first.pk}"' in html and f'id="slot-{second.pk}"' in html
    assert f'id="slot-{later.pk}"' not in html
    assert html.count("data-slot=") == 2
    assert f'id="slot-{first.pk}" name="slot" value="{first.pk}" checked' in html
    assert '<label for="id_people-adult">' in html and 'data-price="450000"' in html
    assert 'data-remaining="12"' in html and 'id="booking-total"' in html


def test_booking_holds_places_and_a_full_slot_is_refused(client: Client, tour: Tour) -> None:
    slot = tour.slot(days=5, capacity=4)
    answer = book(client, tour, slot, adults=2, children=1)
    assert answer.status_code == 302 and answer["Location"] == "/cart/"
    cart = client.get("/cart/").content.decode()
    assert "Vượt thác Datanla" in cart and "data-countdown" in cart
    assert f"{2 * ADULT + CHILD:,}".replace(",", ".") in cart
    assert 'data-remaining="1"' in client.get(f"/p/{tour.product.slug}/").content.decode()

    other = Client()
    refused = book(other, tour, slot, adults=2)
    assert refused.status_code == 302 and refused["Location"].endswith("#booking")
    page = other.get(refused["Location"].split("#")[0]).content.decode()
    assert re.search(r'class="error">[^<]*1[^<]*</li>', page), page  # “only 1 place left”
    assert other.get("/cart/").content.decode().count("data-booking-line") == 0


def test_checkout_of_bookings_asks_only_for_contact(client: Client, tour: Tour) -> None:
    book(client, tour, tour.slot(days=5), adults=1)
    page = client.get("/checkout/").content.decode()
    assert 'id="contact"' in page and 'id="address"' not in page
    assert 'value="sandbox"' in page and 'value="cod"' not in page
    bad = client.post("/checkout/contact", {"contact-full_name": "", "contact-phone": "12"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()


def test_booking_line_can_be_removed(client: Client, tour: Tour) -> None:
    book(client, tour, tour.slot(days=5), adults=1)
    line = re.search(r'data-booking-line="(\d+)"', client.get("/cart/").content.decode())
    assert line is not None
    client.post(f"/cart/remove/{line.group(1)}")
    assert "data-booking-line" not in client.get("/cart/").content.decode()


def test_order_page_shows_tickets_with_qr_and_calendar_and_cancels(client: Client, tour: Tour) -> None:
    order = buy(client, tour, tour.slot(days=10))
    html = client.get(f"/orders/{order.token}").content.decode()
    codes = list(Ticket.objects.values_list("code", flat=True))
    assert len(codes) == 3
    for code in codes:
        assert f'data-ticket="{code}"' in html and f"/tickets/{code}/calendar.ics" in html
    assert html.count("<svg") >= 3 and "QR" in html
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CONFIRMED
    assert f'data-refund="{booking.total}"' in html  # ten days ahead: full refund
    answer = client.post(f"/orders/{order.token}/bookings/{booking.pk}/cancel")
    assert answer.status_code == 302
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED and booking.refunded_amount == booking.total


def test_cancel_needs_the_orders_token(client: Client, tour: Tour) -> None:
    buy(client, tour, tour.slot(days=10))
    booking = Booking.objects.get()
    assert client.post(f"/orders/00000000-0000-0000-0000-000000000000/bookings/{booking.pk}/cancel").status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


# --- the operator's pages ---------------------------------------------------------------------------


def operator(tour: Tour) -> Client:
    client = Client()
    client.force_login(tour.staff)
    return client


def test_operator_sets_up_schedules_blackouts_and_slots(tour: Tour) -> None:
    seller = operator(tour)
    base = f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}"
    assert seller.get(f"/seller/{tour.seller.pk}/experiences/").status_code == 200
    assert seller.get(f"{base}/").status_code == 200
    start = timezone.localdate() + timedelta(days=1)
    answer = seller.post(
        f"{base}/schedules/new",
        {
            "weekdays": ["0", "1", "2", "3", "4", "5", "6"],
            "start_times": "08:00, 13:30",
            "valid_from": start.isoformat(),
        },
    )
    assert answer.status_code == 302
    schedule = tour.experience.schedules.get()
    assert schedule.start_times == ["08:00", "13:30"]
    assert Slot.objects.filter(schedule=schedule).count() > 10
    day = start + timedelta(days=2)
    assert seller.post(f"{base}/blackouts/new", {"date": day.isoformat(), "reason": "Lễ"}).status_code == 302
    assert tour.experience.blackout_dates.filter(date=day).exists()
    slot = Slot.objects.filter(product=tour.product).order_by("starts_at").first()
    assert slot is not None
    assert seller.post(f"{base}/slots/{slot.pk}/capacity", {"capacity": "5"}).status_code == 302
    slot.refresh_from_db()
    assert slot.capacity == 5
    assert seller.post(f"{base}/slots/{slot.pk}/cancel", {"reason": "Mưa lớn"}).status_code == 302
    slot.refresh_from_db()
    assert slot.status == SlotStatus.CANCELLED
    assert seller.post(f"{base}/schedules/{schedule.pk}/delete").status_code == 302
    assert not tour.experience.schedules.exists()


def test_operator_edits_details_prices_and_policy(tour: Tour) -> None:
    seller = operator(tour)
    base = f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}"
    data = {
        "duration_minutes": "180",
        "meeting_point": "Bãi xe thác Datanla",
        "meeting_commune": "",
        "languages": "vi, en, fr",
        "included": "Nước uống",
        "min_age": "10",
        "capacity": "12",
        "booking_cutoff_minutes": "60",
        "types-TOTAL_FORMS": "2",
        "types-INITIAL_FORMS": "0",
        "types-0-code": "adult",
        "types-0-name": "Người lớn",
        "types-0-price": "500000",
        "types-1-code": "",
        "types-1-name": "",
        "types-1-price": "",
        "tiers-TOTAL_FORMS": "1",
        "tiers-INITIAL_FORMS": "0",
        "tiers-0-hours_before": "48",
        "tiers-0-refund_percent": "100",
    }
    answer = seller.post(f"{base}/save", data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    tour.experience.refresh_from_db()
    assert tour.experience.duration_minutes == 180 and tour.experience.languages == ["vi", "en", "fr"]
    assert tour.experience.cancellation_policy == [{"hours_before": 48, "refund_percent": 100}]
    assert list(tour.experience.participant_types.values_list("code", "price")) == [("adult", 500_000)]


def test_slot_bookings_list_participants_and_no_show(client: Client, tour: Tour) -> None:
    slot = tour.slot(days=10)
    buy(client, tour, slot)
    seller = operator(tour)
    page = seller.get(f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}/slots/{slot.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Trần Thị Bích" in html and "+84912345678" in html
    for code in Ticket.objects.values_list("code", flat=True):
        assert code in html
    booking = Booking.objects.get()
    refused = seller.post(f"/seller/{tour.seller.pk}/bookings/{booking.pk}/no-show")
    assert refused.status_code == 302  # not started yet: an error message, nothing changes
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_operator_cannot_see_or_touch_another_operators_experience(client: Client, tour: Tour) -> None:
    slot = tour.slot(days=10)
    buy(client, tour, slot)
    booking = Booking.objects.get()
    rival = make_tour(name="Đạp xe Tuyền Lâm", seller=SellerFactory(kind="TOUR_OPERATOR"))
    other = operator(rival)
    mine, theirs = f"/seller/{rival.seller.pk}", f"/seller/{tour.seller.pk}"
    # Through their own seller id: the other operator's product, slot and booking do not exist.
    assert other.get(f"{mine}/experiences/{tour.product.pk}/").status_code == 404
    assert other.get(f"{mine}/experiences/{tour.product.pk}/slots/{slot.pk}/").status_code == 404
    assert other.get(f"{mine}/experiences/{rival.product.pk}/slots/{slot.pk}/").status_code == 404
    assert (
        other.post(f"{mine}/experiences/{rival.product.pk}/slots/{slot.pk}/cancel", {"reason": "x"}).status_code == 404
    )
    assert other.post(f"{mine}/bookings/{booking.pk}/no-show").status_code == 404
    # Through the other seller's id: not their seller.
    assert other.get(f"{theirs}/experiences/").status_code == 404
    assert other.get(f"{theirs}/experiences/{tour.product.pk}/slots/{slot.pk}/").status_code == 404
    assert (
        other.post(f"{theirs}/experiences/{tour.product.pk}/slots/{slot.pk}/cancel", {"reason": "x"}).status_code == 404
    )
    slot.refresh_from_db()
    assert slot.status == SlotStatus.OPEN
    # Anonymous visitors go to the sign-in page.
    assert Client().get(f"{theirs}/experiences/").status_code == 302


def test_check_in_page_outcomes(tour: Tour) -> None:
    today, later, cancelled = (buy(Client(), tour, tour.slot(days=d), adults=1, children=0) for d in (9, 10, 11))
    # Arrange: the first slot starts now (today, whatever the hour the test runs at).
    Slot.objects.filter(bookings__order=today).update(starts_at=timezone.now())
    first, other_day, gone = (Ticket.objects.get(booking__order=order) for order in (today, later, cancelled))
    Client().post(f"/orders/{cancelled.token}/bookings/{gone.booking_id}/cancel")

    seller = operator(tour)
    assert seller.get("/seller/check-in/").status_code == 200
    ok = seller.post("/seller/check-in/", {"code": first.code.lower().replace("-", "")}).content.decode()
    assert 'data-outcome="ok"' in ok
    again = seller.post("/seller/check-in/", {"code": first.code}).content.decode()
    assert 'data-outcome="already"' in again
    wrong = seller.post("/seller/check-in/", {"code": other_day.code}).content.decode()
    assert 'data-outcome="wrong-day"' in wrong and 'name="allow_other_day"' in wrong
    other_day.refresh_from_db()
    assert other_day.checked_in_at is None
    anyway = seller.post("/seller/check-in/", {"code": other_day.code, "allow_other_day": "on"}).content.decode()
    assert 'data-outcome="ok"' in anyway
    assert 'data-outcome="not-found"' in seller.post("/seller/check-in/", {"code": "AAAA-BBBB-CCCC"}).content.decode()
    assert 'data-outcome="cancelled"' in seller.post("/seller/check-in/", {"code": gone.code}).content.decode()

    rival = make_tour(name="Đạp xe Tuyền Lâm", seller=SellerFactory(kind="TOUR_OPERATOR"))
    denied = operator(rival).post("/seller/check-in/", {"code": first.code})
    assert 'data-outcome="denied"' in denied.content.decode()


def test_calendar_and_slot_list_cost_the_same_queries_for_more_slots(client: Client, tour: Tour) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    seller = operator(tour)
    pages = [(client, f"/p/{tour.product.slug}/"), (seller, f"/seller/{tour.seller.pk}/experiences/{tour.product.pk}/")]

    def counts() -> list[int]:
        found = []
        for who, url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert who.get(url).status_code == 200
            found.append(len(queries))
        return found

    tour.slot(days=2)
    few = counts()
    for days in range(3, 13):
        tour.slot(days=days)
    assert counts() == few
