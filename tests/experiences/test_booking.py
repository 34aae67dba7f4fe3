"""Holding places in a slot: errors, mixing goods and bookings, holds that lapse, and what
cancelling or not paying a whole order does to the places."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.checkout.models import CheckoutLine
from backend.experiences.models import Booking, BookingStatus, Slot, SlotStatus, Ticket
from backend.orders import services as order_services
from backend.orders.models import PaymentStatus, Refund
from storefront_api.core.ids import global_id
from tests.checkout.helpers import OTHER_DA_LAT_COMMUNE, PICKUP, make_shop
from tests.conftest import GQL
from tests.experiences.helpers import ADULT, CHILD, make_tour
from tests.experiences.operations import book, book_and_pay
from tests.factories import commune
from tests.orders.payment_helpers import configure_gateways

pytestmark = pytest.mark.django_db

CREATE = (
    """mutation($lines: [CheckoutLineInput!]!) { checkoutCreate(lines: $lines) { checkout { id } errors { code } } }"""
)
BOOK = """mutation($id: ID!, $slot: ID!, $people: [ParticipantInput!]!) {
  checkoutBookingAdd(id: $id, slot: $slot, participants: $people) {
    checkout { subtotal { amount } lines { quantity variant { id } slot { id } total { amount } }
      deliveryGroups { seller { name } } availableGateways { id } }
    errors { field code message } } }"""
ADDRESS = """mutation($id: ID!, $commune: ID!) { checkoutShippingAddressUpdate(id: $id, address: {fullName: "Lê Văn C",
  phone: "0987654321", street: "5 Hùng Vương", commune: $commune}) { errors { code } } }"""
DELIVERY = """mutation($id: ID!, $seller: ID!, $method: ID!) { checkoutDeliveryMethodUpdate(id: $id, seller: $seller,
  method: $method) { errors { code } } }"""
COMPLETE = """mutation($id: ID!, $g: String!) { checkoutComplete(id: $id, gateway: $g) {
  order { sellerOrders { seller { name } total { amount } } tickets { participantType } }
  errors { code field message } } }"""


def _people(adults: int, children: int = 0) -> list[dict]:
    people = [{"participantType": "adult", "quantity": adults}]
    return people + ([{"participantType": "child", "quantity": children}] if children else [])


def test_booking_errors_are_clear_and_change_nothing(regions, gql: GQL) -> None:
    tour = make_tour(capacity=4)
    slot = tour.slot(days=3)
    checkout = gql(CREATE, {"lines": []}).payload("checkoutCreate")["checkout"]["id"]
    slot_id = global_id("Slot", slot.pk)

    def codes(slot_value: str, people: list[dict], lang: str = "vi") -> list[tuple[str, str]]:
        result = gql(BOOK, {"id": checkout, "slot": slot_value, "people": people}, lang=lang).payload(
            "checkoutBookingAdd"
        )
        return [(e["code"], e["message"]) for e in result["errors"]]

    full = codes(slot_id, _people(4, 1), lang="en")
    assert full == [("SLOT_FULL", full[0][1])] and "Only 4 places left" in full[0][1]
    assert codes(slot_id, [{"participantType": "pet", "quantity": 1}])[0][0] == "INVALID"
    assert codes(slot_id, [{"participantType": "adult", "quantity": 0}])[0][0] == "REQUIRED"
    assert codes(slot_id, [{"participantType": "adult", "quantity": -1}])[0][0] == "INVALID"
    assert codes(global_id("Slot", 999_999), _people(1))[0][0] == "NOT_FOUND"
    assert codes(global_id("Product", slot.pk), _people(1))[0][0] == "INVALID"
    closing = tour.slot(days=1, hour=23)
    Slot.objects.filter(pk=closing.pk).update(starts_at=timezone.now() + timedelta(minutes=30))
    assert codes(global_id("Slot", closing.pk), _people(1))[0][0] == "INVALID"  # bookings closed an hour before
    cancelled = tour.slot(days=5)
    Slot.objects.filter(pk=cancelled.pk).update(status=SlotStatus.CANCELLED)
    assert codes(global_id("Slot", cancelled.pk), _people(1))[0][0] == "INVALID"
    assert not CheckoutLine.objects.exists()
    # Adding the same slot twice adds people, up to the places left.
    assert codes(slot_id, _people(2)) == []
    assert codes(slot_id, _people(1, 1)) == []
    line = CheckoutLine.objects.get()
    assert line.quantity == 4 and line.participants == {"adult": 3, "child": 1}
    assert codes(slot_id, _people(1))[0][0] == "SLOT_FULL"


def test_a_cart_mixes_goods_and_bookings_in_one_order(regions, gql: GQL, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    shop = make_shop(price=90_000, name="HTX Dâu Tây Thái Phiên")
    tour = make_tour()
    slot = tour.slot(days=7)
    checkout = gql(
        CREATE, {"lines": [{"variant": global_id("ProductVariant", shop.variant.pk), "quantity": 2}]}
    ).payload("checkoutCreate")["checkout"]["id"]
    booked = gql(BOOK, {"id": checkout, "slot": global_id("Slot", slot.pk), "people": _people(1, 1)}).payload(
        "checkoutBookingAdd"
    )
    assert booked["errors"] == []
    cart = booked["checkout"]
    assert cart["subtotal"]["amount"] == 2 * 90_000 + ADULT + CHILD
    assert [bool(line["variant"]) for line in cart["lines"]] == [True, False]
    assert cart["lines"][1]["slot"]["id"] == global_id("Slot", slot.pk)
    assert [g["seller"]["name"] for g in cart["deliveryGroups"]] == [
        "HTX Dâu Tây Thái Phiên"
    ]  # places need no delivery
    assert "cod" not in {g["id"] for g in cart["availableGateways"]}
    missing = gql(COMPLETE, {"id": checkout, "g": "sandbox"}).payload("checkoutComplete")
    assert [e["code"] for e in missing["errors"]] == ["SHIPPING_ADDRESS_REQUIRED"]
    gql(ADDRESS, {"id": checkout, "commune": global_id("Commune", commune(OTHER_DA_LAT_COMMUNE).pk)})
    gql(
        DELIVERY,
        {
            "id": checkout,
            "seller": global_id("Seller", shop.seller.pk),
            "method": global_id("DeliveryMethod", shop.method(PICKUP).pk),
        },
    )
    assert gql(COMPLETE, {"id": checkout, "g": "cod"}).error_codes("checkoutComplete") == [
        "PAYMENT_GATEWAY_UNAVAILABLE"
    ]
    done = gql(COMPLETE, {"id": checkout, "g": "sandbox"}).payload("checkoutComplete")
    assert done["errors"] == []
    parts = {p["seller"]["name"]: p["total"]["amount"] for p in done["order"]["sellerOrders"]}
    assert parts["HTX Dâu Tây Thái Phiên"] == 2 * 90_000 + shop.method(PICKUP).price
    assert parts[tour.seller.name] == ADULT + CHILD
    assert sorted(t["participantType"] for t in done["order"]["tickets"]) == ["adult", "child"]
    slot.refresh_from_db()
    shop.variant.refresh_from_db()
    assert slot.booked == 2 and shop.variant.stock == 8


def test_a_lapsed_hold_still_books_if_places_are_left_but_never_overbooks(regions, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    tour = make_tour(capacity=3)
    slot = tour.slot(days=4)
    slow = book(slot=slot, adults=2)
    CheckoutLine.objects.filter(checkout=slow).update(reserved_until=timezone.now() - timedelta(minutes=1))
    fast = book(slot=slot, adults=2)  # the lapsed hold no longer counts
    order_services.checkout_complete(checkout=fast, gateway_id="sandbox", user=None)
    with pytest.raises(Exception) as refused:
        order_services.checkout_complete(checkout=slow, gateway_id="sandbox", user=None)
    assert getattr(refused.value, "code", "") == "SLOT_FULL"
    slot.refresh_from_db()
    assert slot.booked == 2 and Booking.objects.count() == 1


def test_unpaid_and_seller_cancelled_orders_give_their_places_back(regions, client, monkeypatch, settings) -> None:
    configure_gateways(monkeypatch, settings)
    tour = make_tour(capacity=10)
    slot = tour.slot(days=8)
    unpaid = order_services.checkout_complete(checkout=book(slot=slot, adults=3), gateway_id="sandbox", user=None).order
    assert Booking.objects.get(order=unpaid).status == BookingStatus.PENDING
    slot.refresh_from_db()
    assert slot.booked == 3
    later = timezone.now() + timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES + 1)
    assert order_services.cancel_unpaid_orders(now=later) == 1
    slot.refresh_from_db()
    assert slot.booked == 0 and Booking.objects.get(order=unpaid).status == BookingStatus.CANCELLED
    assert not Ticket.objects.filter(booking__order=unpaid, status="VALID").exists()
    paid = book_and_pay(client, monkeypatch, settings, slot=slot, adults=2, children=1)
    seller_order = paid.seller_orders.get()
    order_services.seller_order_cancel(seller_order=seller_order, actor=tour.staff, reason="Hướng dẫn viên ốm")
    paid.refresh_from_db()
    slot.refresh_from_db()
    assert slot.booked == 0 and paid.payment_status == PaymentStatus.REFUNDED
    assert Refund.objects.get(seller_order=seller_order).amount == 2 * ADULT + CHILD
    assert Booking.objects.get(order=paid).status == BookingStatus.CANCELLED
