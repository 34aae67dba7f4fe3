"""Refunds of orders: the amounts and the ledger change in the deciding transaction; the gateway is
asked after the commit, by the outbox (or a manual refund is recorded when it cannot refund)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.core.errors import ValidationFailed
from backend.core.gateways import configured_gateway, is_cash
from backend.moderation.services import audit_record
from backend.orders import ledger
from backend.orders.models import CodStatus, Order, Payment, PaymentStatus, Refund, RefundStatus, SellerOrder
from backend.orders.transitions import move_cod
from backend.outbox.services import enqueue
from backend.sellers.permissions import seller_place
from payments.base import GatewayUnavailable


def _captured_payment(order: Order) -> Payment | None:
    return (
        Payment.objects.select_for_update()
        .filter(order=order, status__in=[PaymentStatus.PAID, PaymentStatus.PARTIALLY_REFUNDED])
        .order_by("-paid_at", "-id")
        .first()
    )


def refund_seller_order(*, seller_order: SellerOrder, amount: int | None, reason: str, actor: Any) -> Refund | None:
    """Give back (part of) what was paid for one seller order. The amounts and the ledger change now;
    the gateway is called after the commit (or a manual refund is recorded when it cannot refund).
    Nothing happens when nothing was paid for it."""
    order = Order.objects.select_for_update().get(pk=seller_order.order_id)
    locked = SellerOrder.objects.select_for_update().get(pk=seller_order.pk)
    locked.order = order
    cod_paid = is_cash(order.gateway) and locked.cod_status in (
        CodStatus.COLLECTED,
        CodStatus.REMITTED,
        CodStatus.SETTLED,
    )
    payment = _captured_payment(order) if not is_cash(order.gateway) or cod_paid else None
    if payment is None:
        return None
    refundable = min(locked.total - locked.refunded_amount, payment.captured_amount - payment.refunded_amount)
    value = refundable if amount is None else int(amount)
    if amount is None and refundable <= 0:
        return None
    if value <= 0 or value > refundable:
        raise ValidationFailed(_("Refund between 1 and %(max)s đ.") % {"max": max(refundable, 0)}, field="amount")
    refund = Refund.objects.create(
        payment=payment,
        seller_order=locked,
        amount=value,
        reason=(reason or "")[:2000],
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        status=RefundStatus.REQUESTED,
    )
    SellerOrder.objects.filter(pk=locked.pk).update(refunded_amount=F("refunded_amount") + value)
    locked.refunded_amount += value
    payment.refunded_amount += value
    payment.status = (
        PaymentStatus.REFUNDED
        if payment.refunded_amount >= payment.captured_amount
        else PaymentStatus.PARTIALLY_REFUNDED
    )
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    order.payment_status = payment.status
    order.save(update_fields=["payment_status", "updated_at"])
    if cod_paid:
        move_cod(locked, CodStatus.REFUND_PENDING)
        SellerOrder.objects.filter(pk=locked.pk).update(cod_status=locked.cod_status)
    ledger.record_refund(refund)
    audit_record(actor=actor, action="payment.refund", target=payment, reason=f"{value} VND {reason}".strip())
    _send_refund(refund.pk)
    return refund


def _refund_duplicate(payment: Payment) -> None:
    refund = Refund.objects.create(
        payment=payment, amount=payment.captured_amount, reason="duplicate payment", status=RefundStatus.REQUESTED
    )
    payment.refunded_amount = payment.captured_amount
    payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    _send_refund(refund.pk)


def _send_refund(refund_id: int) -> None:
    """The gateway is asked after commit, by the outbox (once per refund: `process_refund` checks its status)."""
    enqueue(kind="orders.refund", key=f"orders.refund:{refund_id}", payload={"refund_id": refund_id})


class RefundPending(Exception):
    """The gateway could not be reached for a refund; raised so the outbox retries it later."""


def process_refund(*, refund_id: int) -> Refund:
    """Ask the gateway for a REQUESTED refund (outside any transaction). A refused refund is FAILED; an
    unreachable gateway raises `RefundPending` and leaves the refund REQUESTED, to be asked again."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.REQUESTED:
        return refund
    payment = refund.payment
    gateway = configured_gateway(payment.gateway)
    if gateway is None or not gateway.supports_refund:
        Refund.objects.filter(pk=refund.pk, status=RefundStatus.REQUESTED).update(
            status=RefundStatus.MANUAL, message="Refund by hand: the gateway cannot refund."
        )
        refund.refresh_from_db()
        return refund
    try:
        result = gateway.refund(
            reference=payment.reference,
            gateway_transaction_id=payment.gateway_transaction_id,
            amount=refund.amount,
            total=payment.captured_amount,
            created_at_epoch=payment.created_at.timestamp(),
        )
    except (GatewayUnavailable, OSError) as exc:
        # Unreachable or answering an error page: the refund stays REQUESTED and the outbox asks again
        # with backoff (an item that gives up is DEAD in the admin, where "retry now" puts it back).
        Refund.objects.filter(pk=refund.pk).update(message=f"Gateway unavailable, will retry: {exc}"[:1000])
        raise RefundPending(str(exc)) from exc
    except ValueError as exc:
        Refund.objects.filter(pk=refund.pk).update(status=RefundStatus.FAILED, message=str(exc)[:1000])
        refund.refresh_from_db()
        return refund
    status = RefundStatus.MANUAL if result.manual else (RefundStatus.CONFIRMED if result.ok else RefundStatus.FAILED)
    Refund.objects.filter(pk=refund.pk).update(
        status=status, gateway_reference=(result.gateway_reference or "")[:100], message=result.message[:1000]
    )
    refund.refresh_from_db()
    return refund


def order_refund(*, seller_order: SellerOrder, actor: Any, amount: int | None, reason: str) -> Refund | None:
    """A refund decided by the platform or a province admin covering the seller's commune (a complaint
    after delivery)."""
    ensure_may(actor=actor, act=Act.ORDER_REFUND, place=seller_place(seller_order.seller))
    if not (reason or "").strip():
        raise ValidationFailed(_("Give a reason."), code="REQUIRED", field="reason")
    with transaction.atomic():
        refund = refund_seller_order(seller_order=seller_order, amount=amount, reason=reason.strip(), actor=actor)
    if refund is None:
        raise ValidationFailed(_("Nothing has been paid for this order yet."), field="id")
    return refund
