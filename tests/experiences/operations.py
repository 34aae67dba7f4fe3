"""Booking operations for tests, through the services (the journey test goes through GraphQL)."""

from __future__ import annotations

from typing import Any

from backend.checkout import services as checkout_services
from backend.checkout.services import ParticipantCount
from backend.experiences.models import Slot
from backend.orders import services as order_services
from backend.orders.models import Order
from tests.orders.payment_helpers import configure_gateways, sandbox_notify, send


def book(*, slot: Slot, adults: int, children: int = 0, email: str = "bich@example.vn", user: Any = None) -> Any:
    """A checkout holding places in `slot`, with the contact filled in."""
    checkout = checkout_services.checkout_create(user=user, lines=[], email=email)
    people = [ParticipantCount("adult", adults)] + ([ParticipantCount("child", children)] if children else [])
    checkout_services.checkout_booking_add(checkout=checkout, slot_id=slot.pk, participants=people)
    checkout_services.checkout_contact_update(checkout=checkout, full_name="Trần Thị Bích", phone="0912 345 678")
    return checkout


def book_and_pay(
    client: Any,
    monkeypatch: Any,
    settings: Any,
    *,
    slot: Slot,
    adults: int,
    children: int = 0,
    email: str = "bich@example.vn",
    user: Any = None,
) -> Order:
    """A booking completed with the sandbox gateway and paid by its signed notification (HTTP)."""
    configure_gateways(monkeypatch, settings)
    checkout = book(slot=slot, adults=adults, children=children, email=email, user=user)
    result = order_services.checkout_complete(checkout=checkout, gateway_id="sandbox", user=user)
    order = result.order
    response = send(client, sandbox_notify(f"{order.number}P1", order.total))
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    return order
