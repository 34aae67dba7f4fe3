"""The last places of a slot under real concurrency (threads with their own connections and real
transactions; SQLite by default, PostgreSQL when DATABASE_URL points at it — CI runs both)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.checkout import services as checkout_services
from backend.checkout.models import Checkout, CheckoutLine
from backend.checkout.services import ParticipantCount
from backend.experiences.models import Booking, Slot, Ticket
from backend.orders import services as order_services
from tests.experiences.helpers import make_tour
from tests.experiences.operations import book
from tests.orders.payment_helpers import configure_gateways
from tests.orders.test_concurrency import _run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)

BUYERS = 30


def _slot_with_four_places_left() -> Slot:
    tour = make_tour(capacity=10)
    slot = tour.slot(days=6)
    Slot.objects.filter(pk=slot.pk).update(booked=6)  # six places already sold
    return slot


def _contact(checkout: Checkout) -> None:
    checkout_services.checkout_contact_update(checkout=checkout, full_name="Khách", phone="0912345678")


def test_thirty_buyers_for_the_last_four_places_get_four_bookings(regions, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    slot = _slot_with_four_places_left()

    def prepare(index: int) -> Checkout:
        checkout = checkout_services.checkout_create(user=None, lines=[], email=f"k{index}@example.vn")
        _contact(checkout)
        return checkout

    def buy(checkout: Checkout) -> int:
        checkout_services.checkout_booking_add(
            checkout=checkout, slot_id=slot.pk, participants=[ParticipantCount("adult", 1)]
        )
        return order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=None).order.pk

    outcomes = _run_concurrently([buy] * BUYERS, prepare=prepare)
    assert outcomes.unexpected == []
    assert len(outcomes.results) == 4
    assert Counter(outcomes.codes) == {"SLOT_FULL": BUYERS - 4}
    slot.refresh_from_db()
    assert slot.booked == 10
    assert Booking.objects.count() == 4 and Ticket.objects.count() == 4


def test_thirty_lapsed_holds_completing_at_once_never_overbook(regions, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    slot = _slot_with_four_places_left()
    checkouts = []
    for index in range(BUYERS):
        checkout = checkout_services.checkout_create(user=None, lines=[], email=f"k{index}@example.vn")
        _contact(checkout)
        CheckoutLine.objects.create(
            checkout=checkout,
            slot=slot,
            participants={"adult": 1},
            quantity=1,
            reserved_until=timezone.now() - timedelta(minutes=1),
        )
        checkouts.append(checkout)

    def complete(index: int) -> int:
        return order_services.checkout_complete(checkout=checkouts[index], gateway_id="sandbox", user=None).order.pk

    outcomes = _run_concurrently([lambda i=i: complete(i) for i in range(BUYERS)])
    assert outcomes.unexpected == []
    assert len(outcomes.results) == 4
    assert Counter(outcomes.codes) == {"SLOT_FULL": BUYERS - 4}
    slot.refresh_from_db()
    assert slot.booked == 10 and Booking.objects.count() == 4


def test_cancellations_racing_new_bookings_keep_the_count_exact(regions, client, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    tour = make_tour(capacity=6)
    slot = tour.slot(days=9)
    placed = []
    for index in range(3):
        checkout = book(slot=slot, adults=2, email=f"c{index}@example.vn")
        placed.append(order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=None).order)
    slot.refresh_from_db()
    assert slot.booked == 6
    from backend.orders import bookings

    def cancel(index: int) -> str:
        booking = Booking.objects.get(order=placed[index])
        return bookings.booking_cancel(booking=booking, actor=None, order_token=str(placed[index].token)).booking.status

    def buyer(index: int) -> int:
        checkout = checkout_services.checkout_create(user=None, lines=[], email=f"n{index}@example.vn")
        _contact(checkout)
        checkout_services.checkout_booking_add(
            checkout=checkout, slot_id=slot.pk, participants=[ParticipantCount("adult", 1)]
        )
        return order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=None).order.pk

    jobs = [lambda i=i: cancel(i) for i in range(3)] + [lambda i=i: buyer(i) for i in range(10)]
    outcomes = _run_concurrently(jobs)
    assert outcomes.unexpected == []
    slot.refresh_from_db()
    live = Booking.objects.filter(slot=slot, status__in=["PENDING", "CONFIRMED"])
    assert slot.booked == sum(b.quantity for b in live) <= 6
    assert set(outcomes.codes) <= {"SLOT_FULL"}
