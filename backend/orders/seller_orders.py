"""The seller-order state machine: UNCONFIRMED → CONFIRMED → FULFILLED (→ delivered), or CANCELLED
with a reason (stock back, the paid part refunded); unpaid online orders cancelled after a while."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act
from backend.core.errors import InvalidTransition, ValidationFailed
from backend.experiences.bookings import confirm_bookings
from backend.moderation.services import audit_record
from backend.orders import ledger
from backend.orders.models import (
    SELLER_ORDER_TRANSITIONS,
    CodStatus,
    Order,
    OrderStatus,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.orders.refunds import refund_seller_order
from backend.orders.transitions import after_change, locked_seller_order, move, move_cod, restock
from payments.registry import CASH_GATEWAY_IDS


def confirm_paid_seller_orders(order: Order) -> None:
    """An online payment arrived: confirm the seller orders (when configured) and put the sales on
    the ledger. Called by the payment code inside its transaction."""
    confirm_bookings(order)
    for seller_order in order.seller_orders.select_for_update().exclude(status=SellerOrderStatus.CANCELLED):
        seller_order.order = order
        ledger.record_sale(seller_order)
        if settings.ORDER_AUTO_CONFIRM_PAID and seller_order.status == SellerOrderStatus.UNCONFIRMED:
            before = move(seller_order, SellerOrderStatus.CONFIRMED)
            seller_order.confirmed_at = timezone.now()
            after_change(seller_order, actor=None, action="seller_order.confirm", before=before, reason="paid online")


@transaction.atomic
def seller_order_confirm(*, seller_order: SellerOrder, actor: Any) -> SellerOrder:
    locked = locked_seller_order(seller_order, actor)
    before = move(locked, SellerOrderStatus.CONFIRMED)
    locked.confirmed_at = timezone.now()
    if locked.cod_status == CodStatus.PENDING:
        move_cod(locked, CodStatus.CONFIRMED)
    after_change(locked, actor=actor, action="seller_order.confirm", before=before)
    return locked


@transaction.atomic
def seller_order_fulfill(*, seller_order: SellerOrder, actor: Any, tracking_number: str = "") -> SellerOrder:
    """Handed to the carrier or the buyer (optional tracking number)."""
    locked = locked_seller_order(seller_order, actor)
    tracking = (tracking_number or "").strip()
    if len(tracking) > 60:
        raise ValidationFailed(_("The tracking number is too long."), field="trackingNumber")
    before = move(locked, SellerOrderStatus.FULFILLED)
    locked.fulfilled_at = timezone.now()
    locked.tracking_number = tracking
    if locked.cod_status == CodStatus.CONFIRMED:
        move_cod(locked, CodStatus.IN_TRANSIT)
    after_change(locked, actor=actor, action="seller_order.fulfill", before=before)
    return locked


def cancel_if_empty(*, seller_order: SellerOrder, actor: Any, reason: str) -> bool:
    """A seller order whose bookings were all cancelled one by one (and that has no goods) is
    cancelled as a whole; the refunds were already made per booking."""
    if seller_order.lines.filter(booking__isnull=True).exists():
        return False
    if seller_order.bookings.exclude(status="CANCELLED").exists():
        return False
    if SellerOrderStatus.CANCELLED not in SELLER_ORDER_TRANSITIONS.get(seller_order.status, set()):
        return False
    before = move(seller_order, SellerOrderStatus.CANCELLED)
    seller_order.cancelled_at = timezone.now()
    seller_order.cancel_reason = (reason or "")[:2000]
    # The buyer hears of it from the booking cancellation itself.
    after_change(seller_order, actor=actor, action="seller_order.cancel", before=before, reason=reason, notify=False)
    return True


@transaction.atomic
def seller_order_cancel(*, seller_order: SellerOrder, actor: Any, reason: str) -> SellerOrder:
    """Cancel one seller's part: its stock goes back and whatever was paid for it is refunded."""
    text = (reason or "").strip()
    if not text:
        raise ValidationFailed(_("Give a reason."), code="REQUIRED", field="reason")
    locked = locked_seller_order(seller_order, actor, Act.SELLER_ORDER_CANCEL)
    before = move(locked, SellerOrderStatus.CANCELLED)
    locked.cancelled_at = timezone.now()
    locked.cancel_reason = text[:2000]
    if locked.cod_status in (CodStatus.PENDING, CodStatus.CONFIRMED):
        move_cod(locked, CodStatus.CANCELLED)
    restock(locked)
    after_change(locked, actor=actor, action="seller_order.cancel", before=before, reason=text)
    refund_seller_order(seller_order=locked, amount=None, reason=text, actor=actor)
    return locked


def cancel_unpaid_orders(*, now: datetime | None = None) -> int:
    """Online orders still unpaid ORDER_UNPAID_CANCEL_MINUTES after they were placed give their stock
    back (the periodic task). A payment that still arrives later is refunded automatically."""
    moment = now or timezone.now()
    cutoff = moment - timedelta(minutes=settings.ORDER_UNPAID_CANCEL_MINUTES)
    stale = (
        Order.objects.filter(created_at__lte=cutoff, payment_status__in=[PaymentStatus.PENDING, PaymentStatus.FAILED])
        .exclude(gateway__in=CASH_GATEWAY_IDS)
        .exclude(status=OrderStatus.CANCELLED)
    )
    cancelled = 0
    for order_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            order = Order.objects.select_for_update().get(pk=order_id)
            if order.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
                continue  # paid meanwhile
            for seller_order in order.seller_orders.select_for_update().exclude(status=SellerOrderStatus.CANCELLED):
                seller_order.order = order
                before = move(seller_order, SellerOrderStatus.CANCELLED)
                seller_order.cancelled_at = moment
                seller_order.cancel_reason = "unpaid"
                restock(seller_order)
                after_change(seller_order, actor=None, action="seller_order.cancel", before=before, reason="unpaid")
            cancelled += 1
    return cancelled


@transaction.atomic
def seller_order_mark_delivered(*, seller_order: SellerOrder, actor: Any) -> SellerOrder:
    locked = locked_seller_order(seller_order, actor)
    if locked.status != SellerOrderStatus.FULFILLED:
        raise InvalidTransition(_("Only a fulfilled order can be delivered."))
    if locked.delivered_at is None:
        locked.delivered_at = timezone.now()
        locked.save(update_fields=["delivered_at"])
        audit_record(
            actor=actor,
            action="seller_order.delivered",
            target=locked,
            status_before=locked.status,
            status_after=locked.status,
        )
    return locked
