"""Cash on delivery (who records which event, the order's payment once the cash is in) and payouts
(eligibility after the hold, paying a seller what is available)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may, may
from backend.checkout.models import DeliveryKind
from backend.core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from backend.core.gateways import is_cash
from backend.moderation.services import audit_record
from backend.orders import ledger
from backend.orders.models import (
    CodStatus,
    LedgerEntry,
    LedgerKind,
    Order,
    PaymentStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.orders.transitions import move_cod, notify_status, refresh_order_status, restock
from backend.sellers.models import Seller
from backend.sellers.permissions import seller_place
from payments.registry import CASH_GATEWAY_IDS

# Who records which cash-on-delivery event (docs/permissions.md): the delivery's own events by the
# seller or, from a carrier's statement, the platform; cash collected by the seller itself (own
# delivery, pickup) by the seller; cash collected by a carrier, remittance, settlement and cash handed
# back by the platform. PENDING, CONFIRMED, CANCELLED and REFUND_PENDING follow from confirming,
# cancelling and refunding the order, never from this act.
COD_EVENT_ACTS: dict[str, Act] = {
    CodStatus.IN_TRANSIT: Act.COD_DELIVERY,
    CodStatus.DELIVERY_FAILED: Act.COD_DELIVERY,
    CodStatus.RETURNING: Act.COD_DELIVERY,
    CodStatus.RETURNED: Act.COD_DELIVERY,
    CodStatus.REMITTED: Act.COD_REMIT,
    CodStatus.SETTLED: Act.COD_SETTLE,
    CodStatus.REFUNDED: Act.COD_REFUND,
}


def cod_event_act(*, status: str, delivery_kind: str) -> Act | None:
    """The act that records `status` on a seller order delivered by `delivery_kind`, if any."""
    if status == CodStatus.COLLECTED:
        return Act.COD_COLLECT_CARRIER if delivery_kind == DeliveryKind.CARRIER else Act.COD_COLLECT_OWN
    return COD_EVENT_ACTS.get(status)


@transaction.atomic
def cod_record(*, seller_order: SellerOrder, actor: Any, status: str, amount: int | None = None) -> SellerOrder:
    """Record a cash-on-delivery event. Cash collected by a carrier is recorded by the platform from
    the carrier's statement; a seller records cash it collected itself (own delivery, pickup), failed
    deliveries and returns. Remittance, settlement and cash handed back are the platform's (or, where
    PLATFORM_OPERATOR_PROVINCES says so, the province's admins covering the seller)."""
    try:
        target = CodStatus(status)
    except ValueError as exc:
        raise ValidationFailed(_("Unknown cash-on-delivery status."), field="status") from exc
    act = cod_event_act(status=target, delivery_kind=seller_order.delivery_kind)
    place = seller_place(seller_order.seller)
    if act is not None and not may(actor, act, place) and may(actor, Act.COD_COLLECT_OWN, place):
        raise PermissionDenied(_("Only the platform records this from the carrier's statement."))
    ensure_may(actor=actor, act=act or Act.COD_DELIVERY, place=place)
    if act is None:
        raise ValidationFailed(
            _("This status follows from confirming, cancelling or refunding the order."), field="status"
        )
    locked = SellerOrder.objects.select_for_update().select_related("order").get(pk=seller_order.pk)
    if not locked.cod_status:
        raise InvalidTransition(_("This order is not paid in cash on delivery."))
    before_cod = move_cod(locked, target)
    before = locked.status
    if target == CodStatus.COLLECTED:
        collected = locked.total if amount is None else int(amount)
        if collected != locked.total:
            raise ValidationFailed(
                _("The cash collected (%(got)s đ) differs from the order total (%(total)s đ).")
                % {"got": collected, "total": locked.total},
                field="amount",
            )
        locked.cod_collected_amount = collected
        locked.delivered_at = timezone.now()
        ledger.record_sale(locked)
    if target == CodStatus.RETURNED:
        restock(locked)
        locked.status = SellerOrderStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.cancel_reason = locked.cancel_reason or "returned to seller"
    if target == CodStatus.SETTLED and locked.payout_eligible_at is None:
        locked.payout_eligible_at = timezone.now()
    locked.save()
    refresh_order_status(locked.order)
    _refresh_cod_payment(locked.order)
    audit_record(
        actor=actor, action=f"cod.{target.lower()}", target=locked, status_before=before_cod, status_after=target
    )
    if before != locked.status:
        pk = locked.pk
        notify_status(pk)
    return locked


def _refresh_cod_payment(order: Order) -> None:
    """A COD order is PAID once every live seller order's cash is collected."""
    if not is_cash(order.gateway):
        return
    cods = list(
        order.seller_orders.exclude(cod_status__in=[CodStatus.CANCELLED, CodStatus.RETURNED]).values_list(
            "cod_status", flat=True
        )
    )
    collected = {CodStatus.COLLECTED, CodStatus.REMITTED, CodStatus.SETTLED}
    status = PaymentStatus.PAID if cods and all(s in collected for s in cods) else order.payment_status
    if status != order.payment_status:
        order.payment_status = status
        order.save(update_fields=["payment_status", "updated_at"])
        order.payments.filter(gateway__in=CASH_GATEWAY_IDS).update(
            status=status, captured_amount=F("amount"), paid_at=timezone.now()
        )


def mark_payout_eligible(*, now: datetime | None = None) -> int:
    """Seller orders whose money is in and whose goods arrived more than PAYOUT_HOLD_DAYS ago."""
    moment = now or timezone.now()
    hold = timedelta(days=settings.PAYOUT_HOLD_DAYS)
    assumed = timedelta(days=settings.DELIVERY_ASSUMED_AFTER_DAYS)
    base = SellerOrder.objects.filter(
        payout_eligible_at__isnull=True, status=SellerOrderStatus.FULFILLED, ledger_entries__kind=LedgerKind.SALE
    )
    delivered = base.filter(delivered_at__lte=moment - hold)
    assumed_delivered = base.filter(delivered_at__isnull=True, fulfilled_at__lte=moment - hold - assumed, cod_status="")
    count = 0
    for queryset in (delivered, assumed_delivered):
        count += SellerOrder.objects.filter(pk__in=list(queryset.values_list("pk", flat=True))).update(
            payout_eligible_at=moment
        )
    return count


@transaction.atomic
def payout_record(*, seller: Seller, actor: Any, reference: str = "") -> LedgerEntry | None:
    """Pay a seller what is available now (platform staff): one PAYOUT entry, never twice the money."""
    ensure_may(actor=actor, act=Act.SELLER_PAYOUT, place=seller_place(seller))
    Seller.objects.select_for_update().get(pk=seller.pk)
    amount = ledger.available_for_payout(seller=seller)
    if amount <= 0:
        return None
    entry = LedgerEntry.objects.create(seller=seller, kind=LedgerKind.PAYOUT, amount=-amount, note=reference[:255])
    audit_record(actor=actor, action="seller.payout", target=seller, reason=f"{amount} VND {reference}".strip())
    return entry
