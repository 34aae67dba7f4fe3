"""Bookings as part of orders: orders orchestrates, `backend.experiences.bookings` owns the booking.

Completing a checkout books the slots and bills them as order lines; cancelling a booking (by the
buyer under the policy, or every booking of a slot the operator calls off) releases it in
experiences, refunds its share of the seller order and cancels the seller order once it is empty.
Lock order (shared with checkout and experiences): order → seller order → products → variants →
slots (each in id order) → bookings → tickets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.core.errors import ValidationFailed
from backend.experiences import bookings as experience_bookings
from backend.experiences.bookings import BookingItem
from backend.experiences.models import Booking, BookingStatus, Slot
from backend.experiences.services import slot_close
from backend.moderation.services import audit_record
from backend.orders.models import Order, OrderLine, SellerOrder, SellerOrderStatus
from backend.orders.refunds import refund_seller_order
from backend.orders.seller_orders import cancel_if_empty


def book(*, order: Order, seller_order: SellerOrder, items: Sequence[BookingItem]) -> list[Booking]:
    """The bookings of one seller order (experiences issues the tickets) and their order lines, one
    per participant type."""
    booked = experience_bookings.create_bookings(order=order, seller_order=seller_order, items=items)
    lines: list[OrderLine] = []
    for booking, item in booked:
        when = timezone.localtime(item.slot.starts_at).strftime("%H:%M %d/%m/%Y")
        lines.extend(
            OrderLine(
                seller_order=seller_order,
                booking=booking,
                product_name=item.slot.product.name,
                variant_name=f"{item.names.get(code, code)} · {when}"[:120],
                sku="",
                unit_price=item.unit_prices[code],
                quantity=count,
                total=item.unit_prices[code] * count,
            )
            for code, count in item.participants.items()
        )
    OrderLine.objects.bulk_create(lines)
    return [booking for booking, _item in booked]


@dataclass(frozen=True)
class CancelResult:
    booking: Booking
    refund_percent: int
    refund_amount: int
    refund: Any


def cancel_booking(*, booking: Booking, actor: Any, reason: str, percent: int | None) -> CancelResult:
    """Cancel one booking in its own transaction: order → seller order → booking → slot."""
    with transaction.atomic():
        Order.objects.select_for_update().get(pk=booking.order_id)
        seller_order = SellerOrder.objects.select_for_update().select_related("order").get(pk=booking.seller_order_id)
        locked = Booking.objects.select_for_update().select_related("slot", "order").get(pk=booking.pk)
        percent, amount = experience_bookings.cancellation_terms(locked, percent=percent, now=timezone.now())
        paid = locked.status == BookingStatus.CONFIRMED
        experience_bookings.release_booking(locked, reason=reason, actor=actor)
        refund = None
        if paid and amount > 0:
            refund = refund_seller_order(seller_order=seller_order, amount=amount, reason=reason, actor=actor)
            if refund is not None:
                Booking.objects.filter(pk=locked.pk).update(refunded_amount=F("refunded_amount") + refund.amount)
                locked.refunded_amount += refund.amount
        audit_record(
            actor=actor,
            action="booking.cancel",
            target=locked,
            reason=f"{percent}% {amount} VND {reason}".strip(),
            status_before=BookingStatus.CONFIRMED if paid else BookingStatus.PENDING,
            status_after=BookingStatus.CANCELLED,
        )
        if seller_order.status != SellerOrderStatus.CANCELLED:
            cancel_if_empty(seller_order=seller_order, actor=actor, reason=reason)
    booking.refresh_from_db()
    return CancelResult(booking=booking, refund_percent=percent, refund_amount=amount if refund else 0, refund=refund)


def booking_cancel(*, booking: Booking, actor: Any, order_token: str | None = None, reason: str = "") -> CancelResult:
    """The buyer cancels a booking: the policy the buyer accepted decides the refund, counted from
    now to the start; the refund goes back through the payment gateway (or is recorded as manual)."""
    experience_bookings.ensure_may_cancel(booking, actor, order_token)
    with transaction.atomic():  # the cancellation and its e-mail commit together
        result = cancel_booking(booking=booking, actor=actor, reason=(reason or "").strip() or "buyer", percent=None)
        experience_bookings.notify_cancelled([booking.pk], by_operator=False)
    return result


def slot_cancel(*, slot: Slot, actor: Any, reason: str) -> Slot:
    """The operator calls a slot off: it closes at once (experiences), then every booking is
    cancelled with a full refund and the buyers are told. Each booking is settled in its own
    transaction."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."), code="REQUIRED", field="reason")
    locked = slot_close(slot=slot, actor=actor, reason=text)
    live = Booking.objects.filter(slot=locked, status__in=[BookingStatus.PENDING, BookingStatus.CONFIRMED])
    cancelled = []
    for booking in live:
        cancel_booking(booking=booking, actor=actor, reason=text, percent=100)
        cancelled.append(booking.pk)
    if cancelled:
        experience_bookings.notify_cancelled(cancelled, by_operator=True)
    locked.refresh_from_db()
    return locked
