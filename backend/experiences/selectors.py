"""Read side of experiences: availability (remaining places and prices), tickets and bookings.

Remaining places of a slot = capacity − booked − live holds of open checkouts. Every list here
costs a fixed number of queries, whatever the number of slots.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.catalog.models import Product, ProductKind
from backend.checkout.models import CheckoutLine
from backend.core.dates import local_day_bounds
from backend.core.errors import ValidationFailed
from backend.experiences import policy
from backend.experiences.models import (
    Booking,
    BookingStatus,
    Experience,
    ParticipantType,
    Slot,
    SlotStatus,
    Ticket,
)
from backend.experiences.tickets import normalize_code
from backend.sellers.models import SellerStatus
from backend.sellers.permissions import is_seller_staff

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class Price:
    participant_type: str
    name: str
    price: int


@dataclass(frozen=True)
class SlotView:
    slot: Slot
    remaining: int
    prices: list[Price]


def held_places(slot_ids: Iterable[int], *, exclude_checkout_id: int | None = None) -> dict[int, int]:
    """slot id -> places held by live checkout holds (optionally not counting one checkout's own)."""
    ids = list(set(slot_ids))
    if not ids:
        return {}
    lines = CheckoutLine.objects.filter(
        slot_id__in=ids, reserved_until__gt=timezone.now(), checkout__completed_at__isnull=True
    )
    if exclude_checkout_id is not None:
        lines = lines.exclude(checkout_id=exclude_checkout_id)
    return dict(lines.values("slot_id").annotate(held=Sum("quantity")).values_list("slot_id", "held"))


def remaining_places(slot: Slot, held: int) -> int:
    if slot.status != SlotStatus.OPEN:
        return 0
    return max(slot.capacity - slot.booked - held, 0)


def prices_by_experience(experience_ids: Iterable[int]) -> dict[int, list[Price]]:
    prices: dict[int, list[Price]] = {}
    for row in ParticipantType.objects.filter(experience_id__in=set(experience_ids)).order_by("position", "id"):
        prices.setdefault(row.experience_id, []).append(Price(row.code, row.name, row.price))
    return prices


def slot_views(slots: list[Slot]) -> list[SlotView]:
    """Remaining places and prices for `slots` in two queries."""
    held = held_places(s.pk for s in slots)
    prices = prices_by_experience(s.experience_id for s in slots)
    return [
        SlotView(slot=s, remaining=remaining_places(s, held.get(s.pk, 0)), prices=prices.get(s.experience_id, []))
        for s in slots
    ]


def _day_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    if date_to < date_from:
        raise ValidationFailed(_("The end date is before the start date."), field="dateTo")
    if (date_to - date_from).days > MAX_RANGE_DAYS:
        raise ValidationFailed(_("Ask for at most %(days)s days at a time.") % {"days": MAX_RANGE_DAYS}, field="dateTo")
    return local_day_bounds(date_from, date_to)


def public_experience(product_id: int) -> Experience | None:
    """The experience of a product on sale (published, not hidden, approved seller)."""
    return (
        Experience.objects.select_related("product")
        .filter(
            product_id=product_id,
            product__is_published=True,
            product__hidden_at__isnull=True,
            product__seller__status=SellerStatus.APPROVED,
        )
        .first()
    )


def availability(*, product_id: int, date_from: date, date_to: date, now: datetime | None = None) -> list[SlotView]:
    """Bookable slots of a product on sale between two local dates (both included): open, not yet
    closed for booking. Four queries whatever the number of slots."""
    start, end = _day_bounds(date_from, date_to)
    experience = public_experience(product_id)
    if experience is None:
        return []
    closes = (now or timezone.now()) + timedelta(minutes=experience.booking_cutoff_minutes)
    slots = list(
        Slot.objects.filter(
            experience=experience, status=SlotStatus.OPEN, starts_at__gte=max(start, closes), starts_at__lt=end
        ).order_by("starts_at", "id")
    )
    return slot_views(slots)


def operator_slots(*, product: Product, date_from: date, date_to: date) -> list[SlotView]:
    """Every slot (cancelled and past ones too) of an experience, for its operator."""
    start, end = _day_bounds(date_from, date_to)
    slots = list(Slot.objects.filter(product=product, starts_at__gte=start, starts_at__lt=end).order_by("starts_at"))
    return slot_views(slots)


def slot_bookings(*, slot: Slot) -> QuerySet[Booking]:
    """The bookings of a slot with their buyer and tickets (the operator's participant list)."""
    return (
        Booking.objects.filter(slot=slot)
        .select_related("order")
        .prefetch_related("tickets")
        .order_by("created_at", "id")
    )


def tickets_of_orders(order_ids: Iterable[int]) -> dict[int, list[Ticket]]:
    """order id -> its tickets, in one query."""
    result: dict[int, list[Ticket]] = {}
    rows = Ticket.objects.filter(booking__order_id__in=set(order_ids)).select_related(
        "slot", "booking", "slot__product"
    )
    for ticket in rows.order_by("id"):
        result.setdefault(ticket.booking.order_id, []).append(ticket)
    return result


def ticket_for_viewer(*, code: str, user: Any) -> Ticket | None:
    """A ticket by its code, for the experience's operator staff or the buyer; None for anyone else
    (a ticket someone may not see looks exactly like one that does not exist)."""
    ticket = (
        Ticket.objects.select_related("slot__product", "slot__experience__meeting_commune", "booking__order")
        .filter(code=normalize_code(code))
        .first()
    )
    if ticket is None or not getattr(user, "is_authenticated", False):
        return None
    if ticket.booking.order.user_id == user.pk or is_seller_staff(user=user, seller=ticket.seller_id):
        return ticket
    return None


def ticket_by_code(code: str) -> Ticket | None:
    """A ticket by its code alone: the code is the bearer secret printed on the ticket (QR image and
    calendar file are served to whoever holds it, like the paper ticket)."""
    return (
        Ticket.objects.select_related("slot__product__commune", "slot__experience__meeting_commune")
        .filter(code=normalize_code(code))
        .first()
    )


# --- read helpers of the web pages (storefront experience page, order page, seller portal) ----------


def experience_details(product_id: int) -> Experience | None:
    """An experience with its meeting commune and participant types (for its product page; the
    product view has already decided whether the visitor may see the product)."""
    return (
        Experience.objects.select_related("product", "meeting_commune__province")
        .prefetch_related("participant_types")
        .filter(product_id=product_id)
        .first()
    )


@dataclass(frozen=True)
class OrderBooking:
    """A booking on the buyer's order page: its tickets and what cancelling now would refund."""

    booking: Booking
    tickets: list[Ticket]
    cancellable: bool
    refund_percent: int
    refund_amount: int


def order_bookings(*, order_id: int, now: datetime | None = None) -> list[OrderBooking]:
    """The bookings of an order with their tickets and the refund the accepted policy gives now
    (two queries)."""
    moment = now or timezone.now()
    bookings = list(
        Booking.objects.filter(order_id=order_id)
        .select_related("slot__experience__meeting_commune__province", "product")
        .prefetch_related("tickets")
        .order_by("slot__starts_at", "id")
    )
    result = []
    for booking in bookings:
        live = booking.status in (BookingStatus.PENDING, BookingStatus.CONFIRMED)
        cancellable = live and booking.slot.starts_at > moment
        percent = (
            policy.refund_percent(booking.cancellation_policy, starts_at=booking.slot.starts_at, now=moment)
            if cancellable
            else 0
        )
        paid = booking.status == BookingStatus.CONFIRMED
        result.append(
            OrderBooking(
                booking=booking,
                tickets=list(booking.tickets.all()),
                cancellable=cancellable,
                refund_percent=percent if paid else 0,
                refund_amount=policy.refund_amount(booking.total, percent) if paid else 0,
            )
        )
    return result


def booking_of_order(*, order_token: str, booking_id: int) -> Booking | None:
    """A booking of the order whose token is `order_token` (None for any other booking)."""
    import uuid

    try:
        token = uuid.UUID(str(order_token))
    except ValueError:
        return None
    return Booking.objects.select_related("order", "slot").filter(pk=booking_id, order__token=token).first()


def operator_experience(*, seller_id: int, product_id: int) -> Experience | None:
    """An experience of one of the seller's products, with what its set-up page lists."""
    return (
        Experience.objects.select_related("product", "meeting_commune")
        .prefetch_related("participant_types", "schedules", "blackout_dates")
        .filter(product_id=product_id, product__seller_id=seller_id, product__kind=ProductKind.EXPERIENCE)
        .first()
    )


def operator_slot(*, seller_id: int, product_id: int, slot_id: int) -> Slot | None:
    return (
        Slot.objects.select_related("product", "experience")
        .filter(pk=slot_id, seller_id=seller_id, product_id=product_id)
        .first()
    )


def operator_booking(*, seller_id: int, booking_id: int) -> Booking | None:
    return Booking.objects.select_related("slot", "product").filter(pk=booking_id, seller_id=seller_id).first()
