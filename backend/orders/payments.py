"""Payments of orders through the adapters in `payments/`: starting a payment, applying verified
gateway notifications (once), and refunds.

Rules (../shared/reference/payments.md §7): the raw message is logged first; the signature is
checked (by the adapter, in constant time) before anything is read; merchant, reference, amount and
currency must match the stored payment; a state changes at most once, under a row lock, and a
replay gets the gateway's "already confirmed" answer. Only server-to-server messages change state.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backend.accounts.permissions import Act, ensure_may
from backend.core.errors import ValidationFailed
from backend.core.redirects import checked_return_url
from backend.orders import ledger
from backend.orders.models import (
    CodStatus,
    Order,
    OrderStatus,
    Payment,
    PaymentEvent,
    PaymentStatus,
    Refund,
    RefundStatus,
    SellerOrder,
    SellerOrderStatus,
)
from backend.outbox.services import enqueue
from backend.sellers.permissions import seller_place
from payments.base import (
    Gateway,
    GatewayUnavailable,
    HttpLikeRequest,
    InvalidSignature,
    Notification,
    NotificationReply,
    NotificationStatus,
    PaymentRequest,
    ReplyOutcome,
)
from payments.registry import gateway_by_id
from payments.signing import format_vietnam_time
from payments.vietqr import memo_reference

logger = logging.getLogger(__name__)

NOTIFY_PATHS = {
    "vnpay": "/payments/vnpay/ipn",
    "momo": "/payments/momo/ipn",
    "zalopay": "/payments/zalopay/callback",
    "stripe": "/payments/stripe/webhook",
    "vietqr": "/payments/payos/webhook",
    "sandbox": "/payments/sandbox/notify",
}
RETURN_PATHS = {"vnpay": "/payments/vnpay/return"}


def configured_gateway(gateway_id: str) -> Gateway | None:
    from backend.checkout.selectors import gateways_for

    return gateway_by_id(gateways_for(physical_goods=True), gateway_id)


def _order_return_url(order: Order) -> str:
    return f"{settings.PUBLIC_URL}/orders/{order.token}"


def start_payment(*, payment: Payment, client_ip: str = "127.0.0.1") -> Payment:
    """Ask the gateway how the buyer pays (redirect, QR, client secret or nothing) and keep it."""
    order = payment.order
    gateway = configured_gateway(payment.gateway)
    if gateway is None:
        _fail_start(payment, "gateway not configured")
        return payment
    return_url = payment.return_url or (
        f"{settings.PUBLIC_URL}{RETURN_PATHS[payment.gateway]}"
        if payment.gateway in RETURN_PATHS
        else _order_return_url(order)
    )
    request = PaymentRequest(
        reference=payment.reference,
        amount=payment.amount,
        description=f"Thanh toan don hang {order.number}",
        return_url=return_url,
        notify_url=f"{settings.PUBLIC_URL}{NOTIFY_PATHS.get(payment.gateway, '')}",
        client_ip=client_ip or "127.0.0.1",
        created_at_epoch=payment.created_at.timestamp(),
    )
    try:
        action = gateway.start(request)
    except (GatewayUnavailable, OSError, ValueError) as exc:
        logger.warning("payment start failed", extra={"payment": payment.reference, "gateway": payment.gateway})
        _fail_start(payment, str(exc))
        return payment
    payment.action_kind = action.kind.value
    payment.action_url = action.url or ""
    payment.qr_payload = action.qr_payload or ""
    payment.client_secret = action.client_secret or ""
    if action.gateway_reference:
        payment.gateway_transaction_id = action.gateway_reference
    payment.save(
        update_fields=[
            "action_kind",
            "action_url",
            "qr_payload",
            "client_secret",
            "gateway_transaction_id",
            "updated_at",
        ]
    )
    return payment


def _fail_start(payment: Payment, message: str) -> None:
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(status=PaymentStatus.FAILED)
        Order.objects.filter(pk=payment.order_id, payment_status=PaymentStatus.PENDING).update(
            payment_status=PaymentStatus.FAILED
        )
    payment.refresh_from_db()


# --- notifications ----------------------------------------------------------------------------


@dataclass(frozen=True)
class InboundMessage:
    gateway_id: str
    method: str
    path: str
    query: Mapping[str, str]
    body: bytes
    headers: Mapping[str, str]
    source_ip: str | None


def _expected_merchant(gateway: Gateway) -> str | None:
    for attribute in ("tmn_code", "partner_code", "app_id", "account_no"):
        value = getattr(gateway, attribute, None)
        if value:
            return str(value)
    return None


def _find_payment(gateway: Gateway, notification: Notification) -> Payment | None:
    reference = notification.reference
    if gateway.id == "vietqr":
        reference = memo_reference(reference)
    return Payment.objects.filter(gateway=gateway.id, reference__iexact=reference).first()


def _log(message: InboundMessage) -> PaymentEvent:
    """Keep the message verbatim before anything else (committed even if handling fails)."""
    from urllib.parse import urlencode

    return PaymentEvent.objects.create(
        gateway=message.gateway_id,
        source_ip=message.source_ip,
        method=message.method[:8],
        path=message.path[:255],
        query=urlencode(list(message.query.items())),
        headers={k: v for k, v in message.headers.items() if k.lower() not in {"cookie", "authorization"}},
        body=message.body.decode("utf-8", errors="replace"),
    )


def handle_notification(message: InboundMessage) -> NotificationReply | None:
    """Verify and apply one gateway notification; the reply the gateway expects. None when the
    gateway is not configured here (the endpoint answers 404)."""
    gateway = configured_gateway(message.gateway_id)
    if gateway is None:
        return None
    event = _log(message)
    outcome, payment, transaction_id = _process(gateway, message)
    PaymentEvent.objects.filter(pk=event.pk).update(
        verified=outcome is not ReplyOutcome.BAD_SIGNATURE,
        outcome=outcome.value,
        payment=payment,
        reference=(payment.reference if payment else "")[:64],
        gateway_transaction_id=transaction_id[:100],
    )
    if outcome in (ReplyOutcome.BAD_SIGNATURE, ReplyOutcome.NOT_FOUND, ReplyOutcome.AMOUNT_MISMATCH):
        logger.warning(
            "payment notification rejected: %s", outcome.value, extra={"gateway": gateway.id, "event": event.pk}
        )
    return gateway.reply(outcome)


def _process(gateway: Gateway, message: InboundMessage) -> tuple[ReplyOutcome, Payment | None, str]:
    request = HttpLikeRequest(method=message.method, query=message.query, body=message.body, headers=message.headers)
    try:
        notification = gateway.parse_notification(request)
    except InvalidSignature:
        return ReplyOutcome.BAD_SIGNATURE, None, ""
    except (ValueError, KeyError, GatewayUnavailable):
        return ReplyOutcome.ERROR, None, ""
    payment = _find_payment(gateway, notification)
    if payment is None:
        return ReplyOutcome.NOT_FOUND, None, notification.gateway_transaction_id
    expected = _expected_merchant(gateway)
    if notification.merchant_id and expected and notification.merchant_id != expected:
        return ReplyOutcome.NOT_FOUND, payment, notification.gateway_transaction_id
    if notification.status is NotificationStatus.PENDING:
        return ReplyOutcome.OK, payment, notification.gateway_transaction_id  # nothing final to check or apply
    if notification.amount != payment.amount or (notification.currency or "VND").upper() != payment.currency:
        return ReplyOutcome.AMOUNT_MISMATCH, payment, notification.gateway_transaction_id
    try:
        outcome = apply_notification(payment=payment, notification=notification)
    except Exception:
        logger.exception("applying a payment notification failed", extra={"payment": payment.reference})
        return ReplyOutcome.ERROR, payment, notification.gateway_transaction_id
    return outcome, payment, notification.gateway_transaction_id


@transaction.atomic
def apply_notification(*, payment: Payment, notification: Notification) -> ReplyOutcome:
    """Apply a verified, matching notification at most once (row lock on the payment)."""
    from backend.orders.services import confirm_paid_seller_orders

    locked = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
    if notification.status not in (NotificationStatus.PAID, NotificationStatus.FAILED):
        # Nothing final yet (e.g. VNPay 07 under review: fail closed), or a refund event that the
        # refund records already account for.
        return ReplyOutcome.OK
    if locked.status != PaymentStatus.PENDING:
        return ReplyOutcome.ALREADY_CONFIRMED
    order = Order.objects.select_for_update().get(pk=locked.order_id)
    now = timezone.now()
    others = order.payments.exclude(pk=locked.pk)
    if notification.status is NotificationStatus.PAID:
        locked.status = PaymentStatus.PAID
        locked.captured_amount = notification.amount
        locked.gateway_transaction_id = notification.gateway_transaction_id[:100]
        locked.paid_at = now
        locked.save(update_fields=["status", "captured_amount", "gateway_transaction_id", "paid_at", "updated_at"])
        if others.filter(captured_amount__gt=0).exists():
            # An earlier attempt was paid already: this money is a duplicate and goes straight back.
            _refund_duplicate(locked)
        else:
            order.payment_status = PaymentStatus.PAID
            order.save(update_fields=["payment_status", "updated_at"])
            confirm_paid_seller_orders(order)
            # Parts cancelled before the money arrived are refunded at once.
            for cancelled in order.seller_orders.filter(status=SellerOrderStatus.CANCELLED):
                cancelled.order = order
                refund_seller_order(seller_order=cancelled, amount=None, reason="cancelled before payment", actor=None)
    else:
        locked.status = PaymentStatus.FAILED
        locked.gateway_transaction_id = notification.gateway_transaction_id[:100]
        locked.save(update_fields=["status", "gateway_transaction_id", "updated_at"])
        if not others.filter(status__in=[PaymentStatus.PENDING, PaymentStatus.PAID]).exists():
            order.payment_status = PaymentStatus.FAILED
            order.save(update_fields=["payment_status", "updated_at"])
    from backend.moderation.services import audit_record

    audit_record(
        actor=None,
        action=f"payment.{notification.status.value.lower()}",
        target=locked,
        reason=f"{locked.gateway} {notification.gateway_transaction_id}",
        status_before=PaymentStatus.PENDING,
        status_after=locked.status,
    )
    return ReplyOutcome.OK


def _refund_duplicate(payment: Payment) -> None:
    refund = Refund.objects.create(
        payment=payment, amount=payment.captured_amount, reason="duplicate payment", status=RefundStatus.REQUESTED
    )
    payment.refunded_amount = payment.captured_amount
    payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    _send_refund(refund.pk)


def payment_retry(*, order: Order, gateway_id: str, return_url: str = "", client_ip: str = "127.0.0.1") -> Payment:
    """A new payment attempt (new reference) for an order whose online payment failed or was abandoned.
    `return_url` must be on this site or an allowed front end (FRONTEND_URLS)."""
    from backend.checkout.selectors import gateways_for
    from backend.orders.services import GatewayUnavailable as GatewayNotOffered

    return_url = checked_return_url(return_url)
    if gateway_id == "cod" or gateway_id not in {g.id for g in gateways_for(physical_goods=True)}:
        raise GatewayNotOffered(field="gateway")
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.gateway == "cod" or locked.payment_status not in (PaymentStatus.PENDING, PaymentStatus.FAILED):
            raise ValidationFailed(_("This order does not need paying."), field="id")
        if locked.status == OrderStatus.CANCELLED:
            raise ValidationFailed(_("This order has been cancelled."), field="id")
        attempt = locked.payments.count() + 1
        payment = Payment.objects.create(
            order=locked,
            gateway=gateway_id,
            reference=f"{locked.number}P{attempt}",
            amount=locked.total,
            status=PaymentStatus.PENDING,
            return_url=return_url[:500],
        )
        locked.gateway = gateway_id
        locked.payment_status = PaymentStatus.PENDING
        locked.save(update_fields=["gateway", "payment_status", "updated_at"])
    return start_payment(payment=payment, client_ip=client_ip)


# --- refunds -------------------------------------------------------------------------------------


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
    cod_paid = order.gateway == "cod" and locked.cod_status in (
        CodStatus.COLLECTED,
        CodStatus.REMITTED,
        CodStatus.SETTLED,
    )
    payment = _captured_payment(order) if order.gateway != "cod" or cod_paid else None
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
        from backend.orders.services import _move_cod

        _move_cod(locked, CodStatus.REFUND_PENDING)
        SellerOrder.objects.filter(pk=locked.pk).update(cod_status=locked.cod_status)
    ledger.record_refund(refund)
    from backend.moderation.services import audit_record

    audit_record(actor=actor, action="payment.refund", target=payment, reason=f"{value} VND {reason}".strip())
    _send_refund(refund.pk)
    return refund


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
    kwargs: dict[str, Any] = {}
    if gateway.id == "vnpay":
        kwargs["transaction_date"] = format_vietnam_time(payment.created_at.timestamp())
    try:
        result = gateway.refund(
            reference=payment.reference,
            gateway_transaction_id=payment.gateway_transaction_id,
            amount=refund.amount,
            total=payment.captured_amount,
            **kwargs,
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
