"""Experience bookings and check-in rate on the dashboard (needs the experiences app)."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from backend.catalog.models import ProductKind
from tests.conftest import GQL
from tests.factories import CategoryFactory, ProductFactory, SellerFactory
from tests.reports.helpers import make_order, province_admin

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not apps.is_installed("backend.experiences"), reason="experiences app not installed"),
]

QUERY = """
query D($from: Date!, $to: Date!) {
  provinceDashboard(province: "lam-dong", dateFrom: $from, dateTo: $to) {
    experiences { bookings participants ticketsDue checkedIn checkInRate }
  }
}
"""
_codes = count(1)


def test_bookings_and_check_in_rate(regions: None, gql: GQL) -> None:
    models: Any = pytest.importorskip("backend.experiences.models")
    seller = SellerFactory()
    category = CategoryFactory(name="Tour", slug="tour", kind=ProductKind.EXPERIENCE)
    product = ProductFactory(seller=seller, category=category, kind=ProductKind.EXPERIENCE)
    experience = models.Experience.objects.create(product=product)
    now = timezone.now()

    def slot(hours: int) -> Any:
        start = now + timedelta(hours=hours)
        return models.Slot.objects.create(
            experience=experience,
            product=product,
            seller=seller,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            capacity=20,
        )

    past, future = slot(-5), slot(48)

    def booking(on: Any, status: str, people: int, checked: int, cancelled_tickets: int = 0) -> Any:
        order = make_order([(seller, [], 0)], commune=seller.commune)
        made = models.Booking.objects.create(
            order=order,
            seller_order=order.seller_orders.get(),
            slot=on,
            seller=seller,
            product=product,
            status=status,
            quantity=people,
            total=people * 100_000,
        )
        for index in range(people + cancelled_tickets):
            models.Ticket.objects.create(
                booking=made,
                slot=on,
                seller=seller,
                code=f"T{next(_codes):08d}",
                participant_type="adult",
                price=100_000,
                status="CANCELLED" if index >= people else "VALID",
                checked_in_at=now if index < checked else None,
            )
        return made

    booking(past, "CONFIRMED", 3, checked=2, cancelled_tickets=1)
    booking(past, "NO_SHOW", 2, checked=0)
    booking(future, "CONFIRMED", 4, checked=0)  # counted as booked, its tickets not due yet
    booking(past, "CANCELLED", 5, checked=0)  # not counted
    booking(past, "PENDING", 1, checked=0)  # awaiting payment: not counted

    today = timezone.localdate()
    data = gql(QUERY, {"from": str(today - timedelta(days=1)), "to": str(today)}, user=province_admin()).data
    assert data["provinceDashboard"]["experiences"] == {
        "bookings": 3,
        "participants": 9,
        "ticketsDue": 5,
        "checkedIn": 2,
        "checkInRate": pytest.approx(0.4),
    }
