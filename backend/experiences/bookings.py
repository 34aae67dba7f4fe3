"""What happens to a booking: places taken when a checkout completes, tickets issued, confirmed
when paid, released when cancelled, no-shows, and check-in at the gate. The order side of a
cancellation (refund, the seller order emptied) is `backend.orders.bookings`, which calls these;
nothing here imports `backend.orders`.

Lock order, shared with checkout and orders so PostgreSQL never deadlocks: order → seller order →
products → variants → slots (each in id order) → bookings → tickets.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, may
from backend.core.errors import (
    DomainError,
    ErrorDetail,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from backend.core.response_cache import bump_catalog_version
from backend.experiences import policy as policies
from backend.experiences.models import Booking, BookingStatus, Slot, SlotStatus, Ticket, TicketStatus
from backend.experiences.selectors import held_places
from backend.experiences.tickets import new_code, normalize_code
from backend.moderation.services import audit_record
from backend.outbox.services import enqueue
from backend.sellers.models import SellerStatus
from backend.sellers.permissions import seller_place


class SlotFull(DomainError):
    default_code = "SLOT_FULL"
    default_message = _("This slot is full.")


class AlreadyCheckedIn(DomainError):
    default_code = "ALREADY_CHECKED_IN"

    def __init__(self, ticket: Ticket, message: Any) -> None:
        super().__init__(message, field="code")
        self.ticket = ticket


class WrongDay(DomainError):
    """The ticket is for another day: nothing changes unless the operator confirms."""

    default_code = "WRONG_DAY"

    def __init__(self, ticket: Ticket, message: Any) -> None:
        super().__init__(message, field="code")
        self.ticket = ticket


def lock_slots(slot_ids: Sequence[int]) -> dict[int, Slot]:
    """Lock slots in id order (after the variants) and load them with their experience."""
    ids = sorted(set(slot_ids))
    # of=("self",): only the slot rows are locked, not the joined product and experience rows
    # (an operator editing the experience locks the product first, then its slots).
    rows = Slot.objects.select_for_update(of=("self",)).filter(pk__in=ids).order_by("pk")
    return {slot.pk: slot for slot in rows.select_related("experience", "product__seller")}


def slot_unavailable(slot: Slot | None, *, now: datetime) -> str | None:
    """Why a slot cannot be booked now (a message), or None."""
    if slot is None:
        return str(_("This slot does not exist."))
    product = slot.product
    if not product.is_published or product.hidden_at is not None or product.seller.status != SellerStatus.APPROVED:
        return str(_("This experience is not on sale."))
    if slot.status != SlotStatus.OPEN:
        return str(_("This slot has been cancelled."))
    if slot.starts_at - timedelta(minutes=slot.experience.booking_cutoff_minutes) <= now:
        return str(_("Bookings for this slot are closed."))
    return None


def slot_full(slot: Slot, remaining: int) -> ErrorDetail:
    when = date_format(timezone.localtime(slot.starts_at), "SHORT_DATETIME_FORMAT")
    if remaining <= 0:
        message = _("The slot at %(when)s is full.") % {"when": when}
    else:
        message = _("Only %(count)s places left at %(when)s.") % {"count": remaining, "when": when}
    return ErrorDetail(code="SLOT_FULL", field="participants", message=message)


def take_places(*, checkout_id: int, lines: Sequence[Any], now: datetime) -> dict[int, Slot]:
    """Check and take the places of booking lines (inside checkout completion, slots locked). A
    line whose hold is live was already counted against the slot; a lapsed one must also leave
    other buyers' live holds alone."""
    slots = lock_slots([line.slot_id for line in lines])
    lapsed = [line for line in lines if not (line.reserved_until and line.reserved_until > now)]
    held = held_places((line.slot_id for line in lapsed), exclude_checkout_id=checkout_id) if lapsed else {}
    errors: list[ErrorDetail] = []
    for line in lines:
        slot = slots.get(line.slot_id)
        problem = slot_unavailable(slot, now=now)
        if problem is not None or slot is None:
            errors.append(ErrorDetail(code="INVALID", field="lines", message=problem or ""))
            continue
        free = slot.capacity - slot.booked - (held.get(slot.pk, 0) if line in lapsed else 0)
        if line.quantity > free:
            errors.append(slot_full(slot, free))
    if errors:
        if all(e.code == "SLOT_FULL" for e in errors):
            raise SlotFull(details=errors)
        raise ValidationFailed(details=errors)
    for line in lines:
        Slot.objects.filter(pk=line.slot_id).update(booked=F("booked") + line.quantity)
    bump_catalog_version()
    return slots


@dataclass(frozen=True)
class BookingItem:
    """One booking line of a checkout, priced: participants and unit prices per type."""

    slot: Slot
    participants: dict[str, int]
    unit_prices: dict[str, int]
    names: dict[str, str]
    quantity: int
    total: int


def create_bookings(
    *, order: Any, seller_order: Any, items: Sequence[BookingItem]
) -> list[tuple[Booking, BookingItem]]:
    """The bookings and their tickets (one per participant) of one seller order; the caller (orders)
    writes the order lines that bill them."""
    bookings = []
    for item in items:
        booking = Booking.objects.create(
            order=order,
            seller_order=seller_order,
            slot=item.slot,
            seller_id=item.slot.seller_id,
            product_id=item.slot.product_id,
            participants=item.participants,
            unit_prices=item.unit_prices,
            quantity=item.quantity,
            total=item.total,
            cancellation_policy=item.slot.experience.cancellation_policy,
        )
        tickets: list[Ticket] = []
        for code, count in item.participants.items():
            tickets.extend(
                Ticket(
                    booking=booking,
                    slot=item.slot,
                    seller_id=item.slot.seller_id,
                    code=new_code(),
                    participant_type=code,
                    participant_name=item.names.get(code, code),
                    price=item.unit_prices[code],
                )
                for _n in range(count)
            )
        Ticket.objects.bulk_create(tickets)
        bookings.append((booking, item))
    return bookings


def confirm_bookings(order: Any) -> list[int]:
    """The order is paid: its pending bookings are confirmed (the tickets become valid)."""
    ids = list(
        Booking.objects.filter(order=order, status=BookingStatus.PENDING)
        .exclude(seller_order__status="CANCELLED")
        .values_list("pk", flat=True)
    )
    if ids:
        Booking.objects.filter(pk__in=ids).update(status=BookingStatus.CONFIRMED)
        _send_tickets(order.pk, ids)
    return ids


def _ids_key(ids: Sequence[int]) -> str:
    return hashlib.sha256(",".join(str(pk) for pk in sorted(ids)).encode()).hexdigest()[:32]


def _send_tickets(order_id: int, booking_ids: Sequence[int]) -> None:
    """The ticket e-mail, an outbox item of the confirming transaction (once per confirmation)."""
    key = f"experiences.tickets:{order_id}:{_ids_key(booking_ids)}"
    enqueue(kind="experiences.tickets", key=key, payload={"order_id": order_id})


def notify_cancelled(booking_ids: list[int], *, by_operator: bool) -> None:
    """The cancellation e-mails, an outbox item of the cancelling transaction (a booking is cancelled once)."""
    key = f"experiences.booking_cancelled:{_ids_key(booking_ids)}"
    payload = {"booking_ids": list(booking_ids), "by_operator": by_operator}
    enqueue(kind="experiences.booking_cancelled", key=key, payload=payload)


def release_booking(booking: Booking, *, reason: str, actor: Any, status: str = BookingStatus.CANCELLED) -> None:
    """Give the booking's places back and void its tickets (slot row locked; the caller holds the
    booking's lock)."""
    slot = Slot.objects.select_for_update().get(pk=booking.slot_id)
    Slot.objects.filter(pk=slot.pk).update(booked=F("booked") - booking.quantity)
    booking.status = status
    booking.cancelled_at = timezone.now()
    booking.cancel_reason = (reason or "")[:2000]
    booking.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
    booking.save(update_fields=["status", "cancelled_at", "cancel_reason", "cancelled_by"])
    booking.tickets.update(status=TicketStatus.CANCELLED)


def cancellation_terms(booking: Booking, *, percent: int | None, now: datetime) -> tuple[int, int]:
    """The refund percent and amount of cancelling `booking` now: `percent` when the operator decides
    (100 when it calls the slot off), else the policy the buyer accepted, counted to the start."""
    if booking.status not in (BookingStatus.PENDING, BookingStatus.CONFIRMED):
        raise InvalidTransition(_("This booking is already cancelled."))
    if percent is None:
        if booking.slot.starts_at <= now:
            raise InvalidTransition(_("The experience has already started; it can no longer be cancelled."))
        percent = policies.refund_percent(booking.cancellation_policy, starts_at=booking.slot.starts_at, now=now)
    return percent, policies.refund_amount(booking.total, percent)


def release_bookings(*, seller_order: Any, reason: str = "") -> int:
    """The seller order is cancelled (by the seller, unpaid, or returned): its live bookings give
    their places back. Its refund is the seller order's."""
    live = list(
        Booking.objects.select_for_update()
        .filter(seller_order=seller_order, status__in=[BookingStatus.PENDING, BookingStatus.CONFIRMED])
        .order_by("slot_id", "pk")
    )
    for booking in live:
        release_booking(booking, reason=reason or seller_order.cancel_reason, actor=None)
    return len(live)


def ensure_may_cancel(booking: Booking, actor: Any, order_token: str | None) -> None:
    """The holder of the order's token (from the confirmation e-mail), its signed-in buyer, or the
    platform."""
    order = booking.order
    if order_token and constant_time_compare(str(order.token), str(order_token).strip()):
        return
    ensure_may(actor=actor, act=Act.BOOKING_CANCEL, place=seller_place(booking.seller_id, buyer_id=order.user_id))


@transaction.atomic
def booking_no_show(*, booking: Booking, actor: Any) -> Booking:
    """Record that nobody came (after the start, nobody of the booking checked in). No refund."""
    ensure_may(actor=actor, act=Act.BOOKING_NO_SHOW, place=seller_place(booking.seller_id))
    locked = Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)
    if locked.status != BookingStatus.CONFIRMED:
        raise InvalidTransition(_("Only a confirmed booking can be marked as a no-show."))
    if locked.slot.starts_at > timezone.now():
        raise InvalidTransition(_("The experience has not started yet."))
    if locked.tickets.filter(checked_in_at__isnull=False).exists():
        raise InvalidTransition(_("Someone of this booking has checked in."))
    locked.status = BookingStatus.NO_SHOW
    locked.no_show_at = timezone.now()
    locked.save(update_fields=["status", "no_show_at"])
    audit_record(
        actor=actor, action="booking.no_show", target=locked, status_before="CONFIRMED", status_after="NO_SHOW"
    )
    return locked


@transaction.atomic
def ticket_check_in(*, code: str, actor: Any, allow_other_day: bool = False, now: datetime | None = None) -> Ticket:
    """Scan a ticket at the gate (operator's staff). The first scan checks in; a second scan raises
    AlreadyCheckedIn and changes nothing; a ticket for another day raises WrongDay unless the
    operator confirms with `allow_other_day`."""
    moment = now or timezone.now()
    ticket = Ticket.objects.filter(code=normalize_code(code)).only("pk", "seller_id").first()
    if ticket is None:
        raise NotFound(_("No ticket has this code."), field="code")
    if not may(actor, Act.TICKET_CHECK_IN, seller_place(ticket.seller_id)):
        raise PermissionDenied(_("This ticket is for another operator's experience."), field="code")
    locked = Ticket.objects.select_for_update().select_related("booking", "slot__product").get(pk=ticket.pk)
    if locked.status == TicketStatus.CANCELLED or locked.booking.status == BookingStatus.CANCELLED:
        raise ValidationFailed(_("This ticket was cancelled."), field="code")
    if locked.booking.status == BookingStatus.PENDING:
        raise ValidationFailed(_("This ticket has not been paid yet."), field="code")
    if locked.checked_in_at is not None:
        at = date_format(timezone.localtime(locked.checked_in_at), "SHORT_DATETIME_FORMAT")
        raise AlreadyCheckedIn(locked, _("Already checked in at %(when)s.") % {"when": at})
    slot_day = timezone.localtime(locked.slot.starts_at).date()
    if slot_day != timezone.localtime(moment).date() and not allow_other_day:
        when = date_format(timezone.localtime(locked.slot.starts_at), "SHORT_DATETIME_FORMAT")
        raise WrongDay(locked, _("This ticket is for %(when)s, not today.") % {"when": when})
    locked.checked_in_at = moment
    locked.checked_in_by = actor
    locked.save(update_fields=["checked_in_at", "checked_in_by"])
    if locked.booking.status == BookingStatus.NO_SHOW:
        Booking.objects.filter(pk=locked.booking_id).update(status=BookingStatus.CONFIRMED, no_show_at=None)
    audit_record(actor=actor, action="ticket.check_in", target=locked, status_after="CHECKED_IN")
    return locked
